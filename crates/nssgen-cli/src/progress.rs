//! Progress of long `sample` and `parse` runs: one status line on stderr, rewritten in place
//! a few times a second and cleared at the end, so a two-million-line run does not look hung.
//!
//! [`Progress`] wraps the error stream: everything written to it (a `line N: reason`, the
//! final `error: ...`) first clears the status line, so errors always start on a clean line.
//! Whether it shows anything is decided by the caller ([`crate::Options`]): the binary turns
//! it on only when stderr is a terminal, and tests writing to a `Vec` choose for themselves.

use std::io::{self, Write};
use std::time::{Duration, Instant};

/// Counts between two looks at the clock: a look costs more than a sampled or parsed line's
/// share of it, and 256 lines take well under the shortest useful interval.
const CHECK_EVERY: u64 = 256;

/// The error stream, with a status line that [`Progress::tick`] keeps up to date.
pub(crate) struct Progress<'w> {
    err: &'w mut dyn Write,
    /// How often the status line may change; `None`: never shown.
    every: Option<Duration>,
    /// What the status line says: `nssgen sample: 512 of 1000 lines written (51%)`.
    command: &'static str,
    counted: &'static str,
    total: Option<u64>,
    /// When the status line may next change: the first one waits a whole interval, so
    /// short runs show nothing.
    next: Instant,
    /// The length of the status line on screen; 0 when none is.
    shown: usize,
}

impl std::fmt::Debug for Progress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress").field("every", &self.every).field("shown", &self.shown).finish()
    }
}

impl<'w> Progress<'w> {
    /// Wraps `err`; with `every` set, status lines change at most that often.
    pub(crate) fn new(err: &'w mut dyn Write, every: Option<Duration>) -> Self {
        Progress {
            err,
            every,
            command: "",
            counted: "",
            total: None,
            next: Instant::now() + every.unwrap_or_default(),
            shown: 0,
        }
    }

    /// Says what [`Progress::tick`] counts: `counted` (`lines read`) by `nssgen <command>`,
    /// out of `total` when known.
    pub(crate) fn counting(&mut self, command: &'static str, counted: &'static str, total: Option<u64>) {
        self.command = command;
        self.counted = counted;
        self.total = total;
        self.next = Instant::now() + self.every.unwrap_or_default();
    }

    /// `done` things are counted so far; shows it when the interval has passed.
    #[inline]
    pub(crate) fn tick(&mut self, done: u64) {
        if self.every.is_some() && done % CHECK_EVERY == 0 {
            self.show(done);
        }
    }

    #[cold]
    fn show(&mut self, done: u64) {
        let now = Instant::now();
        if now < self.next {
            return;
        }
        self.next = now + self.every.unwrap_or_default();
        let status = match self.total {
            Some(total) if total > 0 => format!(
                "nssgen {}: {done} of {total} {} ({}%)",
                self.command,
                self.counted,
                u128::from(done) * 100 / u128::from(total)
            ),
            _ => format!("nssgen {}: {done} {}", self.command, self.counted),
        };
        // A longer status overwrites a shorter one entirely; counts only grow, so padding is
        // needed only if they ever did not.
        let pad = self.shown.saturating_sub(status.len());
        // Progress is a courtesy: a stderr that fails it is left to the real errors to report.
        let _ = write!(self.err, "\r{status}{:pad$}", "").and_then(|()| self.err.flush());
        self.shown = status.len() + pad;
    }

    /// Removes the status line, if one is shown, leaving the cursor at the line's start.
    pub(crate) fn clear(&mut self) {
        if self.shown > 0 {
            let _ = write!(self.err, "\r{:width$}\r", "", width = self.shown).and_then(|()| self.err.flush());
            self.shown = 0;
        }
    }
}

impl Write for Progress<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.clear();
        self.err.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.clear();
        self.err.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.err.flush()
    }
}

impl Drop for Progress<'_> {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_line_is_rewritten_in_place_and_cleared_before_other_text() {
        let mut err = Vec::new();
        {
            let mut progress = Progress::new(&mut err, Some(Duration::ZERO));
            progress.counting("sample", "lines written", Some(1000));
            for done in 1..=600 {
                progress.tick(done);
            }
            writeln!(progress, "line 600: bad").unwrap();
        }
        let expected = "\rnssgen sample: 256 of 1000 lines written (25%)\
                        \rnssgen sample: 512 of 1000 lines written (51%)\
                        \r                                              \r\
                        line 600: bad\n";
        assert_eq!(String::from_utf8(err).unwrap(), expected);
    }

    #[test]
    fn nothing_is_shown_when_off_or_before_the_first_interval() {
        for every in [None, Some(Duration::from_secs(3600))] {
            let mut err = Vec::new();
            {
                let mut progress = Progress::new(&mut err, every);
                progress.counting("parse", "lines read", None);
                for done in 1..=10_000 {
                    progress.tick(done);
                }
            }
            assert!(err.is_empty(), "{every:?}: {:?}", String::from_utf8_lossy(&err));
        }
    }
}
