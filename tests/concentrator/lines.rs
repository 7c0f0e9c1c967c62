//! The NSS side and the bookkeeping: unique lines from `nssgen sample` (plain, hostile, and lines
//! carrying control bytes and a 25 KB value), plain-TCP senders as an NSS VM, the frame each line
//! must become at the intake, and the count of lost, altered and duplicated lines.

use std::collections::{HashMap, HashSet};
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use nssgen_tests::{nssgen, sekoia_log_types};

use crate::intake::Received;

/// Bytes the body of a line cannot carry through syslog over plain TCP, left out of the crafted
/// lines: LF ends the line (NSS cannot send one inside a line either), and rsyslogd always
/// escapes NUL as `#000`, whatever `parser.escapeControlCharactersOnReceive` says.
const UNSENDABLE: [u8; 2] = [b'\n', 0];

/// Makes lines for one target, each with a body no other line of the test has, so that sent and
/// received lines can be matched by body.
#[derive(Debug)]
pub struct Lines {
    target: &'static str,
    seed: u64,
    mark: usize,
    bodies: HashSet<Vec<u8>>,
}

impl Lines {
    pub fn new(target: &'static str) -> Lines {
        Lines { target, seed: 1, mark: 0, bodies: HashSet::new() }
    }

    /// `plain` lines of each Sekoia log type, `hostile` more drawn with `--hostile`, and the
    /// crafted ones of [`Lines::crafted`]; the log types interleaved, as several feeds' lines are.
    pub fn batch(&mut self, plain: usize, hostile: usize) -> Vec<Vec<u8>> {
        let mut per_type = Vec::new();
        for log_type in sekoia_log_types() {
            let mut lines = self.sample(log_type, plain, false);
            lines.extend(self.sample(log_type, hostile, true));
            per_type.push(lines);
        }
        let mut out = Vec::new();
        let longest = per_type.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..longest {
            out.extend(per_type.iter().filter_map(|lines| lines.get(i).cloned()));
        }
        out.extend(self.crafted());
        out
    }

    /// `n` new lines of one log type, drawn with fresh seeds until that many have unseen bodies.
    fn sample(&mut self, log_type: &str, n: usize, hostile: bool) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for _attempt in 0..5 {
            if out.len() == n {
                break;
            }
            let (count, seed) = ((n - out.len()).to_string(), self.seed.to_string());
            self.seed += 1;
            let mut args = vec!["sample", log_type, "--target", self.target, "-n", &count, "-s", &seed];
            if hostile {
                args.push("--hostile");
            }
            let (code, stdout, stderr) = nssgen(&args);
            assert_eq!((code, stderr.as_str()), (0, ""), "nssgen {args:?}");
            for line in stdout.lines() {
                let line = line.as_bytes().to_vec();
                if self.bodies.insert(body_of(self.target, &line).to_vec()) {
                    out.push(line);
                }
            }
        }
        assert_eq!(out.len(), n, "{n} unique {log_type} lines from nssgen sample");
        out
    }

    /// Web lines with a value that holds what a syslog hop might mangle: a tab, every other
    /// control byte but [`UNSENDABLE`], DEL, double and trailing spaces, a CR, non-ASCII text and
    /// bytes that are not UTF-8, a body that starts with a space; and one line of 25 KB.
    pub fn crafted(&mut self) -> Vec<Vec<u8>> {
        let controls: Vec<u8> = (1u8..0x20).chain([0x7f]).filter(|b| !UNSENDABLE.contains(b)).collect();
        let payloads: Vec<Vec<u8>> = vec![
            b"tab\there\t\tand end".to_vec(),
            controls,
            b"double  spaces   inside".to_vec(),
            b"carriage\rreturn".to_vec(),
            "Z\u{fc}rich \u{2013} \u{6771}\u{4eac} \u{1f680}".as_bytes().to_vec(),
            b"not UTF-8: \x80\xfe\xff".to_vec(),
            b"x".repeat(25 * 1024),
        ];
        let web = self.sample("web", payloads.len() + 3, false);
        let mut out = Vec::new();
        let mut web = web.into_iter();
        for payload in payloads {
            let line = web.next().expect("enough web lines");
            out.push(self.with_value(&line, &payload));
        }
        // The body's own edges: a leading space, and trailing blanks and a CR at its end.
        let line = web.next().expect("enough web lines");
        out.push(self.with_edges(&line, b" ", b""));
        let line = web.next().expect("enough web lines");
        out.push(self.with_edges(&line, b"", b" \t \r"));
        let line = web.next().expect("enough web lines");
        out.push(self.with_edges(&line, b"  ", b"  "));
        out
    }

    /// `line` with a unique mark and `payload` put at the start of its `refererURL` value.
    fn with_value(&mut self, line: &[u8], payload: &[u8]) -> Vec<u8> {
        let at = find(line, b"\"refererURL\":\"").expect("a web line has refererURL") + 14;
        self.mark += 1;
        let mut out = line[..at].to_vec();
        out.extend_from_slice(format!("crafted-{}:", self.mark).as_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&line[at..]);
        self.remember(out)
    }

    /// `line` with `before` put in front of its body and `after` after it, and a unique mark.
    fn with_edges(&mut self, line: &[u8], before: &[u8], after: &[u8]) -> Vec<u8> {
        let body_at = line.len() - body_of(self.target, line).len();
        self.mark += 1;
        let mut out = line[..body_at].to_vec();
        out.extend_from_slice(before);
        out.extend_from_slice(format!("crafted-{} ", self.mark).as_bytes());
        out.extend_from_slice(&line[body_at..]);
        out.extend_from_slice(after);
        self.remember(out)
    }

    fn remember(&mut self, line: Vec<u8>) -> Vec<u8> {
        assert!(self.bodies.insert(body_of(self.target, &line).to_vec()), "crafted bodies are unique");
        line
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The `n`th space-separated field end: the index just past the `n`th space of `line`.
fn after_spaces(line: &[u8], n: usize) -> usize {
    let mut seen = 0;
    for (i, &b) in line.iter().enumerate() {
        if b == b' ' {
            seen += 1;
            if seen == n {
                return i + 1;
            }
        }
    }
    panic!("a line with {n} header fields: {:?}", String::from_utf8_lossy(line))
}

/// What follows the NSS syslog header in `line`: after `Mon DD hh:mm:ss HOST APP ` (nss), after
/// `<PRI>1 TIMESTAMP HOST APP - - - ` (nss-rfc5424).
pub fn body_of<'a>(target: &str, line: &'a [u8]) -> &'a [u8] {
    match target {
        "nss" => {
            assert!(line.len() > 16 && line[3] == b' ' && line[6] == b' ' && line[15] == b' ', "{line:?}");
            &line[16 + after_spaces(&line[16..], 2)..]
        }
        "nss-rfc5424" => &line[after_spaces(line, 7)..],
        other => panic!("no syslog target {other}"),
    }
}

/// The frame a line must arrive as: `head`, then (nss) the four digits of the year rsyslogd
/// infers, then `tail`; the body and final LF are in `tail`.
#[derive(Debug)]
struct Expected {
    head: Vec<u8>,
    year: bool,
    tail: Vec<u8>,
}

impl Expected {
    fn new(target: &str, line: &[u8], key: &str) -> Expected {
        let text = |range: std::ops::Range<usize>| String::from_utf8_lossy(&line[range]).into_owned();
        let body = body_of(target, line);
        let header = &line[..line.len() - body.len()];
        let fields: Vec<String> =
            header.split(|&b| b == b' ').map(|f| String::from_utf8_lossy(f).into_owned()).collect();
        let sd = format!("- LOG [SEKOIA@53288 intake_key=\"{key}\"] ");
        let (head, year, tail) = match target {
            "nss" => {
                let month =
                    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                        .iter()
                        .position(|m| **m == text(0..3))
                        .unwrap_or_else(|| panic!("a month name: {}", text(0..3)))
                        + 1;
                let day: u32 = text(4..6).trim().parse().expect("a day of the month");
                let (host, app) = (&fields[fields.len() - 3], &fields[fields.len() - 2]);
                assert_eq!((host.as_str(), app.as_str()), ("zscaler-nss", "NSS"), "the NSS header");
                let tail = format!("-{month:02}-{day:02}T{}Z {host} {app} {sd}", text(7..15));
                ("<13>1 ".to_owned(), true, tail)
            }
            _ => {
                assert_eq!(fields.len(), 8, "an RFC 5424 NSS header: {fields:?}");
                assert_eq!(
                    (fields[2].as_str(), fields[3].as_str()),
                    ("zscaler-nss", "NSS"),
                    "the NSS header"
                );
                assert_eq!(&fields[4..7], ["-", "-", "-"], "no procid, msgid or structured data");
                (
                    format!("{} {} {} {} {sd}", fields[0], fields[1], fields[2], fields[3]),
                    false,
                    String::new(),
                )
            }
        };
        let mut tail = tail.into_bytes();
        tail.extend_from_slice(body);
        tail.push(b'\n');
        Expected { head: head.into_bytes(), year, tail }
    }

    fn matches(&self, frame: &[u8]) -> bool {
        let Some(rest) = frame.strip_prefix(self.head.as_slice()) else { return false };
        let rest = if self.year {
            match rest.split_at_checked(4) {
                Some((year, rest)) if year.iter().all(u8::is_ascii_digit) => rest,
                _ => return false,
            }
        } else {
            rest
        };
        rest == self.tail.as_slice()
    }
}

/// The body a frame carries: what follows the structured data, less the final LF.
fn frame_body(frame: &[u8]) -> Option<&[u8]> {
    let sd = find(frame, b"[SEKOIA@53288 intake_key=\"")?;
    let end = sd + find(&frame[sd..], b"\"] ")? + 3;
    frame[end..].strip_suffix(b"\n")
}

/// Lost, altered and duplicated lines of one phase, counted over the frames that arrived since
/// the phase began.
#[derive(Debug)]
pub struct Tracker {
    expected: Vec<Expected>,
    by_body: HashMap<Vec<u8>, usize>,
    good: Vec<u32>,
    earlier: HashSet<Vec<u8>>,
    next_frame: usize,
    pub altered: usize,
    pub earlier_repeats: usize,
    pub altered_examples: Vec<String>,
    pub last_good: Option<Instant>,
}

/// The counts of a phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub sent: usize,
    pub delivered: usize,
    pub frames: usize,
    pub lost: usize,
    pub altered: usize,
    pub duplicates: usize,
}

impl Tracker {
    /// Counts frames from now on against `lines`; bodies of `earlier` phases arriving again are
    /// counted apart, as repeats.
    pub fn new(
        target: &str,
        key: &str,
        lines: &[Vec<u8>],
        earlier: &HashSet<Vec<u8>>,
        sink: &Received,
    ) -> Tracker {
        let expected: Vec<Expected> = lines.iter().map(|l| Expected::new(target, l, key)).collect();
        let by_body = lines.iter().enumerate().map(|(i, l)| (body_of(target, l).to_vec(), i)).collect();
        Tracker {
            expected,
            by_body,
            good: vec![0; lines.len()],
            earlier: earlier.clone(),
            next_frame: sink.frames().len(),
            altered: 0,
            earlier_repeats: 0,
            altered_examples: Vec::new(),
            last_good: None,
        }
    }

    /// Takes in the frames that arrived since the last call.
    pub fn absorb(&mut self, sink: &Received) {
        let frames = sink.frames();
        for frame in &frames[self.next_frame..] {
            let body = frame_body(&frame.bytes);
            match body.and_then(|b| self.by_body.get(b)) {
                Some(&i) if self.expected[i].matches(&frame.bytes) => {
                    self.good[i] += 1;
                    self.last_good = Some(frame.at);
                }
                _ if body.is_some_and(|b| self.earlier.contains(b)) => self.earlier_repeats += 1,
                found => {
                    self.altered += 1;
                    if self.altered_examples.len() < 5 {
                        let why = if found.is_some() { "header differs" } else { "unknown body" };
                        let shown = String::from_utf8_lossy(&frame.bytes[..frame.bytes.len().min(300)]);
                        self.altered_examples.push(format!("{why}: {shown:?}"));
                    }
                }
            }
        }
        self.next_frame = frames.len();
    }

    pub fn tally(&self) -> Tally {
        Tally {
            sent: self.good.len(),
            delivered: self.good.iter().filter(|&&n| n > 0).count(),
            frames: self.good.iter().map(|&n| n as usize).sum(),
            lost: self.good.iter().filter(|&&n| n == 0).count(),
            altered: self.altered,
            duplicates: self.good.iter().map(|&n| n.saturating_sub(1) as usize).sum(),
        }
    }

    /// The indexes of the lines no frame carried yet.
    pub fn lost(&self) -> Vec<usize> {
        self.good.iter().enumerate().filter(|(_, n)| **n == 0).map(|(i, _)| i).collect()
    }

    /// Absorbs frames until every line arrived, or `limit` passed, or (with `quiet`) lines
    /// arrived and then none for that long; returns the tally.
    pub fn wait_all(&mut self, sink: &Received, limit: Duration, quiet: Option<Duration>) -> Tally {
        let deadline = Instant::now() + limit;
        loop {
            self.absorb(sink);
            let tally = self.tally();
            let stalled = match (quiet, self.last_good) {
                (Some(quiet), Some(last)) => last.elapsed() >= quiet,
                _ => false,
            };
            if tally.lost == 0 || stalled || Instant::now() >= deadline {
                return tally;
            }
            thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Sends `lines` as NSS VMs do, each ended by LF, over `connections` plain TCP connections to
/// rsyslogd on 127.0.0.1:`port`, spread evenly over `spread`; returns once rsyslogd has closed
/// each connection after the sender's FIN, so it has read every line.
pub fn send(port: u16, lines: &[Vec<u8>], connections: usize, spread: Duration) {
    thread::scope(|scope| {
        for c in 0..connections {
            let share: Vec<&Vec<u8>> = lines.iter().skip(c).step_by(connections).collect();
            scope.spawn(move || send_one(port, &share, spread));
        }
    });
}

fn send_one(port: u16, lines: &[&Vec<u8>], spread: Duration) {
    let mut socket = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect to rsyslogd");
    let pause = spread.checked_div(lines.len().max(1) as u32).unwrap_or_default();
    let begun = Instant::now();
    if pause.is_zero() {
        let mut all = Vec::new();
        for line in lines {
            all.extend_from_slice(line);
            all.push(b'\n');
        }
        socket.write_all(&all).expect("send lines to rsyslogd");
    } else {
        for (i, line) in lines.iter().enumerate() {
            let mut framed = line.to_vec();
            framed.push(b'\n');
            socket.write_all(&framed).expect("send a line to rsyslogd");
            // Paced against the start, not line by line, so slow writes do not stretch the run.
            let due = begun + pause * (i as u32 + 1);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                thread::sleep(wait);
            }
        }
    }
    socket.shutdown(Shutdown::Write).expect("half-close");
    socket.set_read_timeout(Some(Duration::from_millis(200))).expect("a read timeout");
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut scrap = [0u8; 512];
    loop {
        match socket.read(&mut scrap) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return,
            Err(e) => panic!("waiting for rsyslogd to close: {e}"),
        }
        assert!(Instant::now() < deadline, "rsyslogd did not close an NSS connection 30 s after its end");
    }
}
