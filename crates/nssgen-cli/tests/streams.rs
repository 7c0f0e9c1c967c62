//! What the real `nssgen` process does when its standard output fails: a full disk (or any
//! write error but a closed pipe) is one line on stderr and exit 2, whatever the command; a
//! closed pipe (`| head -1`) ends the run quietly with the exit code of what it found so far.
//! Linux only: `/dev/full` stands for a full disk.
#![cfg(target_os = "linux")]

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const FULL: &str = "error: cannot write output: No space left on device (os error 28)";

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nssgen"))
}

/// A file of this test process, removed when dropped (some hold megabytes).
struct TempFile(PathBuf);

impl std::ops::Deref for TempFile {
    type Target = std::path::Path;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A file of this test process holding `bytes`.
fn temp_file(name: &str, bytes: &[u8]) -> TempFile {
    let path = std::env::temp_dir().join(format!("nssgen-streams-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).expect("a temporary file");
    TempFile(path)
}

/// `nssgen ARGS` with standard output on `/dev/full`.
fn onto_full_disk(args: &[&str]) -> Output {
    let full = OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    binary().args(args).stdin(Stdio::null()).stdout(full).output().expect("nssgen runs")
}

/// `nssgen ARGS` whose reader takes the first `\n`-ended line (or the first `bytes` bytes when
/// given) and closes the pipe; returns the exit code (`None`: killed by a signal) and stderr.
fn reader_leaves_early(args: &[&str], bytes: Option<usize>) -> (Option<i32>, String) {
    let mut child = binary()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nssgen starts");
    // stderr may hold more than a pipe does (3,000 reported lines): drained on the side.
    let mut stderr = child.stderr.take().expect("piped stderr");
    let drain = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).expect("stderr is UTF-8");
        text
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    match bytes {
        Some(n) => stdout.read_exact(&mut vec![0; n]).expect("the first bytes"),
        None => {
            let mut line = String::new();
            stdout.read_line(&mut line).expect("a first line");
            assert!(line.ends_with('\n'), "{args:?}: no whole first line: {line:?}");
        }
    }
    drop(stdout);
    let status = child.wait().expect("nssgen ends");
    (status.code(), drain.join().expect("stderr drained"))
}

/// Web lines as NSS sends them: a few MB of NDJSON once parsed, far more than a pipe holds.
fn web_lines(n: &str) -> Vec<u8> {
    let output = binary().args(["sample", "web", "-n", n, "--seed", "1"]).output().expect("nssgen runs");
    assert!(output.status.success());
    output.stdout
}

#[test]
fn a_full_disk_on_stdout_is_one_error_line_and_exit_2_whatever_the_command() {
    let bad_format = temp_file("bad-format.txt", "%s{time}\t\u{201c}%s{url}\n".as_bytes());
    let mut lines = web_lines("3");
    lines.extend_from_slice(b"not a web line\n");
    let lines = temp_file("full-parse.log", &lines);
    let (bad_format, lines) = (bad_format.to_str().unwrap(), lines.to_str().unwrap());
    let cases: &[&[&str]] = &[
        // The verdict is 1 and the report fits a buffer: the error showed only at the flush.
        &["check", bad_format],
        &["check", "--json", bad_format],
        &["check", "--fix", bad_format],
        &["format", "web"],
        &["sample", "web", "-n", "3"],
        // Far more than a buffer: the error comes in the middle of the run.
        &["sample", "web", "-n", "100000"],
        // A bad line makes the verdict 1 before the output is flushed.
        &["parse", "web", lines],
        &["list"],
        &["list", "--json"],
        &["fields", "web"],
        &["feed", "web"],
        &["completions", "bash"],
        &["man"],
        &["--help"],
        &["format", "--help"],
        &["--version"],
    ];
    for args in cases {
        let output = onto_full_disk(args);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        // `parse` reports its bad line first; the write error is said once, last.
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors, [FULL], "{args:?}: {stderr}");
        assert_eq!(stderr.lines().last(), Some(FULL), "{args:?}: {stderr}");
        if args[0] != "parse" && !args.contains(&"--fix") {
            assert_eq!(stderr, format!("{FULL}\n"), "{args:?}");
        }
    }
}

#[test]
fn check_keeps_exit_1_when_the_reader_closes_the_pipe_before_the_report_is_written() {
    // Junk is thousands of diagnostics. The text report shows a few of each rule, and fits
    // the pipe; `--json` lists all of them, megabytes that meet the closed pipe.
    let mut junk = Vec::with_capacity(100_000);
    let mut x = 0x2545_f491_u32;
    for _ in 0..100_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        junk.push(x as u8);
    }
    let junk = temp_file("junk.bin", &junk);
    for args in [&["check"][..], &["check", "--json"]] {
        let args = [args, &[junk.to_str().unwrap()]].concat();
        let (code, stderr) = reader_leaves_early(&args, None);
        assert_eq!((code, stderr.as_str()), (Some(1), ""), "{args:?}");
    }

    // `--fix` prints the whole format, whatever the number of diagnostics: 1 MB on one line,
    // with a mistake no fix can repair (`%q`).
    let mut long = "x".repeat(1 << 20);
    long.push_str(" %q{time}\n");
    let long = temp_file("long-format.txt", long.as_bytes());
    let (code, stderr) = reader_leaves_early(&["check", "--fix", long.to_str().unwrap()], Some(4096));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.ends_with("error(s) left that need a human: run `nssgen check` on the output\n"),
        "{stderr}"
    );
}

#[test]
fn parse_exits_1_when_the_reader_leaves_after_bad_lines_and_stops_reading() {
    let good = web_lines("5000");
    let mut input = Vec::new();
    for i in 0..3000 {
        input.extend_from_slice(format!("not a web line {i}\n").as_bytes());
    }
    input.extend_from_slice(&good);
    let bad_first = temp_file("bad-first.log", &input);
    let (code, stderr) = reader_leaves_early(&["parse", "web", bad_first.to_str().unwrap()], None);
    assert_eq!(code, Some(1), "{}", stderr.lines().last().unwrap_or_default());
    assert_eq!(stderr.lines().filter(|l| l.starts_with("line ")).count(), 3000);
    assert!(!stderr.contains("error:"), "{stderr}");

    // The reader leaves long before the bad lines at the end: parse stops reading, has found
    // nothing wrong, and says so.
    let mut input = good;
    input.extend_from_slice(b"not a web line\n");
    let bad_last = temp_file("bad-last.log", &input);
    let (code, stderr) = reader_leaves_early(&["parse", "web", bad_last.to_str().unwrap()], None);
    assert_eq!(
        (code, stderr.as_str()),
        (Some(0), "10 lines: 10 parsed exactly, 0 parsed with drift, 0 rejected\n")
    );
}

#[test]
fn a_long_sample_into_head_1_ends_quietly_with_exit_0() {
    let (code, stderr) = reader_leaves_early(&["sample", "web", "-n", "1000000"], None);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    let (code, stderr) = reader_leaves_early(&["list"], None);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
}
