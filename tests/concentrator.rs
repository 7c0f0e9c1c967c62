//! End to end: NSS lines over plain TCP into a real rsyslogd running the configuration that
//! `nssgen feed all --emit rsyslog` prints, forwarded over TLS to a stand-in Sekoia.io intake;
//! for each syslog target a steady flow, an intake outage, an rsyslogd restart with lines
//! queued, and a start without the intake key. Run with `--nocapture` to see the figures.

#[path = "concentrator/intake.rs"]
mod intake;
#[path = "concentrator/lines.rs"]
mod lines;
#[path = "concentrator/rsyslogd.rs"]
mod rsyslogd;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use intake::{Intake, Received, Tls};
use lines::{body_of, send, Lines, Tally, Tracker};
use rsyslogd::{Rsyslogd, Setup};

/// The name of phase 4.
const MISSING_KEY: &str = "missing key";

/// The intake key rsyslogd gets from its environment; shaped like a real one.
const KEY: &str = "k3Yq8ZLmT0wVxR2nHs5PdJ7cUe4fBg9a";

#[test]
fn nss() {
    run("nss");
}

#[test]
fn nss_rfc5424() {
    run("nss-rfc5424");
}

/// A folder for one target's files; kept, and named, when the test fails.
struct Scratch(PathBuf);

impl Scratch {
    fn new(target: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("nssgen-concentrator-{}-{target}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("spool")).expect("a scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if thread::panicking() {
            eprintln!("the concentrator test's files are kept in {}", self.0.display());
        } else {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}

/// One target's run: its rsyslogd, the intake, and what was sent so far.
struct Run {
    target: &'static str,
    setup: Setup,
    sink: Arc<Received>,
    tls: Tls,
    intake_port: u16,
    lines: Lines,
    earlier: HashSet<Vec<u8>>,
    output_seen: usize,
}

impl Run {
    fn tracker(&self, batch: &[Vec<u8>]) -> Tracker {
        Tracker::new(self.target, KEY, batch, &self.earlier, &self.sink)
    }

    fn intake(&self) -> Intake {
        Intake::start(self.intake_port, &self.tls, &self.sink)
    }

    /// Prints the phase's figures and what rsyslogd said meanwhile; the phase's bodies become
    /// earlier ones.
    fn report(&mut self, phase: &str, batch: &[Vec<u8>], tracker: &Tracker, extra: &str) -> String {
        let Tally { sent, delivered, frames, lost, altered, duplicates } = tracker.tally();
        // Without a key no line is meant to arrive: "lost" would say the opposite of a pass.
        let lost = if phase == MISSING_KEY { "n/a".to_owned() } else { lost.to_string() };
        eprintln!(
            "[{}] {phase}: lines in {sent}, lines out {delivered} ({frames} frames), lost {lost}, \
             altered {altered}, duplicates {duplicates}, repeats of earlier phases {}{extra}",
            self.target, tracker.earlier_repeats
        );
        for example in &tracker.altered_examples {
            eprintln!("[{}] {phase}: altered frame: {example}", self.target);
        }
        let lost_lines = if phase == MISSING_KEY { Vec::new() } else { tracker.lost() };
        for &i in lost_lines.iter().take(5) {
            let line = String::from_utf8_lossy(&batch[i][..batch[i].len().min(200)]);
            eprintln!("[{}] {phase}: lost line: {line:?}", self.target);
        }
        let output = self.setup.output();
        let said = output[self.output_seen.min(output.len())..].to_owned();
        self.output_seen = output.len();
        // Repeated lines (one per held line without a key) are shown once, with their count.
        let mut said_lines: Vec<(&str, usize)> = Vec::new();
        for line in said.lines() {
            match said_lines.iter_mut().find(|(seen, _)| *seen == line) {
                Some((_, count)) => *count += 1,
                None => said_lines.push((line, 1)),
            }
        }
        for (line, count) in &said_lines {
            let times = if *count > 1 { format!(" (x{count})") } else { String::new() };
            eprintln!("[{}] {phase}: rsyslogd said{times}: {line}", self.target);
        }
        let errors = self.sink.errors();
        assert!(errors.is_empty(), "the intake saw broken TLS or framing: {errors:?}");
        self.earlier.extend(batch.iter().map(|l| body_of(self.target, l).to_vec()));
        said
    }
}

fn run(target: &'static str) {
    let Some(bin) = rsyslogd::require() else { return };
    let started = Instant::now();
    let scratch = Scratch::new(target);
    let tls = Tls::new();
    let ca_file = scratch.0.join("ca.pem");
    fs::write(&ca_file, &tls.ca_pem).expect("write ca.pem");
    let work_dir = scratch.0.join("spool");
    let sink = Arc::new(Received::default());
    let intake = Intake::start(0, &tls, &sink);
    let intake_port = intake.port();
    let listen = rsyslogd::free_port();
    let conf = rsyslogd::emitted_config(target, listen, intake_port, &ca_file, &work_dir);
    let held = rsyslogd::held_file(&conf);
    assert!(held.starts_with(&work_dir), "the held lines are kept in the work folder: {}", held.display());
    let setup = Setup::new(bin, &scratch.0, &conf, listen);
    setup.validate(KEY);
    let mut run = Run {
        target,
        setup,
        sink,
        tls,
        intake_port,
        lines: Lines::new(target),
        earlier: HashSet::new(),
        output_seen: 0,
    };

    let rsyslogd = run.setup.start(Some(KEY));
    steady(&mut run);
    let intake = outage(&mut run, intake);
    let rsyslogd = restart(&mut run, rsyslogd, intake);
    missing_key(&mut run, rsyslogd, &held);
    eprintln!("[{target}] all phases in {:.1} s", started.elapsed().as_secs_f64());
}

/// Phase 1: every line arrives once, byte for byte.
fn steady(run: &mut Run) {
    let batch = run.lines.batch(250, 40);
    let big = batch.iter().map(Vec::len).max().unwrap_or(0);
    assert!(big > 20 * 1024, "one line over 20 KB, not {big} bytes");
    let mut tracker = run.tracker(&batch);
    let begun = Instant::now();
    send(run.setup.listen, &batch, 2, Duration::ZERO);
    let tally = tracker.wait_all(&run.sink, Duration::from_secs(60), None);
    let rate = match tracker.last_good {
        Some(last) => format!(", {:.0} lines/s", batch.len() as f64 / (last - begun).as_secs_f64()),
        None => String::new(),
    };
    run.report("steady", &batch, &tracker, &format!("{rate} (longest line {big} bytes)"));
    assert_eq!((tally.lost, tally.altered, tally.duplicates), (0, 0, 0), "steady flow: {tally:?}");
}

/// Phase 2: the intake goes away while lines flow and comes back on the same port; nothing is
/// lost or altered, a line sent again on reconnection is allowed.
fn outage(run: &mut Run, intake: Intake) -> Intake {
    let batch = run.lines.batch(30, 10);
    let mut tracker = run.tracker(&batch);
    let listen = run.setup.listen;
    thread::scope(|scope| {
        let sender = scope.spawn(|| send(listen, &batch, 1, Duration::from_secs(4)));
        thread::sleep(Duration::from_secs(1));
        intake.stop();
        sender.join().expect("the sender does not panic");
    });
    tracker.absorb(&run.sink);
    let down = tracker.tally();
    let intake = run.intake();
    let back = Instant::now();
    let tally = tracker.wait_all(&run.sink, Duration::from_secs(90), None);
    let extra = format!(
        " ({} lines arrived before the intake went down; all in {:.1} s after it came back)",
        down.delivered,
        back.elapsed().as_secs_f64()
    );
    run.report("intake outage", &batch, &tracker, &extra);
    assert_eq!((tally.lost, tally.altered), (0, 0), "intake outage: {tally:?}");
    intake
}

/// Phase 3: lines queued while the intake is down survive an rsyslogd restart.
///
/// One line may not: the first one sent after the intake vanished, which rsyslogd wrote into
/// the dead connection before it noticed (syslog over TCP has no acknowledgement; the write
/// succeeds, the next one fails). ResendLastMSGOnReconnect sends it again when the same rsyslogd
/// reconnects, but keeps it in memory only, so a restart loses it. That line, and only that
/// line, is accepted as lost, when rsyslogd said the connection had closed.
fn restart(run: &mut Run, rsyslogd: Rsyslogd, intake: Intake) -> Rsyslogd {
    let batch = run.lines.batch(25, 8);
    let mut tracker = run.tracker(&batch);
    intake.stop();
    send(run.setup.listen, &batch, 1, Duration::ZERO);
    let stopped_in = rsyslogd.stop();
    let spooled = spool_listing(&run.setup.dir.join("spool"));
    let rsyslogd = run.setup.start(Some(KEY));
    let intake = run.intake();
    let back = Instant::now();
    // Once the queue drains, silence for twice the retry interval (10 s) means it is empty.
    let tally = tracker.wait_all(&run.sink, Duration::from_secs(90), Some(Duration::from_secs(20)));
    let extra = format!(
        " (rsyslogd stopped in {:.1} s leaving {spooled}; all in {:.1} s after the intake came back)",
        stopped_in.as_secs_f64(),
        back.elapsed().as_secs_f64()
    );
    let said = run.report("rsyslogd restart", &batch, &tracker, &extra);
    assert_eq!(tally.altered, 0, "rsyslogd restart: {tally:?}");
    if tally.lost == 1 {
        let about: Vec<&str> =
            said.lines().filter(|l| l.contains("lost") || l.contains("closed connection")).collect();
        eprintln!(
            "[{}] rsyslogd restart: ONE LINE LOST, the first sent; rsyslogd's word on it: {about:#?}",
            run.target
        );
        assert_eq!(tracker.lost(), [0], "the line lost across the restart is the first one sent");
        assert!(
            about.iter().any(|l| l.contains("closed connection")),
            "a line was lost across the restart and rsyslogd did not say the connection had closed"
        );
    } else {
        assert_eq!(tally.lost, 0, "rsyslogd restart: {tally:?}");
    }
    drop(intake);
    rsyslogd
}

/// Phase 4: without the key variable nothing is forwarded, rsyslogd names the variable, and
/// the lines are kept raw in the held file.
fn missing_key(run: &mut Run, rsyslogd: Rsyslogd, held: &Path) {
    let _intake = run.intake();
    rsyslogd.stop();
    let batch = run.lines.batch(15, 5);
    let mut tracker = run.tracker(&batch);
    let rsyslogd = run.setup.start(None);
    send(run.setup.listen, &batch, 1, Duration::ZERO);
    let mut wanted = Vec::new();
    for line in &batch {
        wanted.extend_from_slice(line);
        wanted.push(b'\n');
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while fs::read(held).ok().is_none_or(|got| got.len() < wanted.len()) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(100));
    }
    rsyslogd.stop();
    tracker.absorb(&run.sink);
    let kept = fs::read(held).unwrap_or_default();
    let spooled = spool_listing(&run.setup.dir.join("spool"));
    let held_name = held.file_name().expect("a held file name").to_string_lossy().into_owned();
    let said = run.report(MISSING_KEY, &batch, &tracker, &format!(" (held file {} bytes)", kept.len()));
    let tally = tracker.tally();
    assert_eq!((tally.frames, tally.altered, tracker.earlier_repeats), (0, 0, 0), "missing key forwarded");
    assert!(
        said.contains(rsyslogd::KEY_VAR),
        "rsyslogd's output names {} when it is not set:\n{said}",
        rsyslogd::KEY_VAR
    );
    assert!(
        kept == wanted,
        "the held file has the raw lines sent ({} bytes, {} sent)",
        kept.len(),
        wanted.len()
    );
    assert_eq!(
        spooled,
        format!("{held_name} ({} bytes)", kept.len()),
        "without a key nothing is queued for the intake either"
    );
}

/// The spool's files and sizes, for the report.
fn spool_listing(dir: &Path) -> String {
    let mut files: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                    format!("{} ({size} bytes)", e.file_name().to_string_lossy())
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        "an empty spool".to_owned()
    } else {
        files.join(", ")
    }
}

/// `rsyslogd -N1` accepts every variant `nssgen feed --emit rsyslog` prints: both targets, one
/// log type or all, the defaults, an IPv6 listener, another intake, CA file, variable and spool.
#[test]
fn every_emitted_variant_passes_rsyslogd_validation() {
    let Some(bin) = rsyslogd::require() else { return };
    let scratch = Scratch::new("variants");
    let ca_file = scratch.0.join("ca.pem");
    fs::write(&ca_file, Tls::new().ca_pem).expect("write ca.pem");
    let ca_file = ca_file.to_str().expect("a UTF-8 path").to_owned();
    let spool = scratch.0.join("spool").to_str().expect("a UTF-8 path").to_owned();
    let custom = [
        "--listen",
        "[::1]:6514",
        "--intake-host",
        "intake.example.test",
        "--intake-port",
        "6515",
        "--ca-file",
        ca_file.as_str(),
        "--intake-key-env",
        "OTHER_INTAKE_KEY",
        "--work-dir",
        spool.as_str(),
    ];
    let mut checked = 0;
    for target in ["nss", "nss-rfc5424"] {
        for log_type in ["all", "web", "tunnel-ike-phase1", "saas-security-activity"] {
            for options in [&[][..], &custom[..]] {
                let mut args = vec!["feed", log_type, "--target", target, "--emit", "rsyslog"];
                args.extend_from_slice(options);
                let (code, conf, err) = nssgen_tests::nssgen(&args);
                assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
                let setup = Setup::new(bin.clone(), &scratch.0, &conf, 0);
                // With and without the key: the held branch must load too.
                for key in [Some(KEY), None] {
                    setup.validate_with(key).unwrap_or_else(|why| panic!("{args:?}, key {key:?}: {why}"));
                    checked += 1;
                }
            }
        }
    }
    eprintln!("rsyslogd -N1 accepted {checked} emitted variants");
}
