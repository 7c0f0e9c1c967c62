//! The `nssgen` binary: forwards to [`nssgen_cli::run_with_options`] with the process's streams.
//!
//! Rust ignores SIGPIPE, so a closed pipe is a write error the run handles (quietly, keeping
//! its exit code), not a signal that kills the process; that default is kept.

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let options = nssgen_cli::Options::for_process_streams();
    let mut out = io::BufWriter::new(stdout());
    let code = nssgen_cli::run_with_options(
        std::env::args_os(),
        &mut io::stdin().lock(),
        &mut out,
        &mut err,
        options,
    );
    // The run flushed `out`: what is left is what a failed write could not deliver, and
    // dropping the buffer would write it again. Let it go unwritten.
    let _unwritten = out.into_parts();
    ExitCode::from(code)
}

/// Standard output for a buffer of our own: on Unix, a file on a duplicate of descriptor 1,
/// so nothing sits in std's line buffer between ours and the descriptor, to be written again
/// when the process exits; std's stdout where that cannot be had.
fn stdout() -> Box<dyn Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(io::stdout().lock())
}
