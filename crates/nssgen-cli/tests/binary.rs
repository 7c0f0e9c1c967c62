//! The real `nssgen` binary: exit codes, streams and a closed pipe, as a shell sees them.

use std::process::{Command, Stdio};

fn nssgen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nssgen"))
}

#[test]
fn format_web_prints_one_line_on_stdout_and_exits_0() {
    let output = nssgen().args(["format", "web"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("%s{mon} %02d{dd} "), "{stdout}");
    assert_eq!(stdout.matches('\n').count(), 1);
}

#[test]
fn an_unknown_log_type_exits_2_with_one_line_on_stderr() {
    let output = nssgen().args(["format", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_reader_that_closes_the_pipe_early_is_not_an_error() {
    let mut child = nssgen()
        .args(["fields", "saas-security"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close our end before the child writes: its writes then fail with EPIPE.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}
