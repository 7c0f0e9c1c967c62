//! The real `nssgen parse` process keeps its memory bounded on a line that never seems to end
//! (`nssgen parse web /dev/zero`). Linux only: the peak is read from `/proc`.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::process::{Command, Stdio};

/// The peak resident memory of a live process, in kB (Linux `/proc`).
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/PID/status");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM in /proc/PID/status");
    line.split_whitespace().nth(1).and_then(|kb| kb.parse().ok()).expect("VmHWM in kB")
}

#[test]
fn a_256_mb_line_is_skipped_in_bounded_memory_and_the_next_line_parses() {
    let good =
        Command::new(env!("CARGO_BIN_EXE_nssgen")).args(["sample", "web", "-n", "1"]).output().unwrap();
    assert!(good.status.success());

    let mut child = Command::new(env!("CARGO_BIN_EXE_nssgen"))
        .args(["parse", "web"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        stdin.write_all(&zeros).unwrap();
    }
    // The pipe holds at most a few pages: the child has read past almost all of the line, and
    // waits in the middle of it for more.
    let peak = peak_rss_kb(child.id());
    stdin.write_all(b"\n").unwrap();
    stdin.write_all(&good.stdout).unwrap();
    drop(stdin);

    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    // Holding the line would take 256 MB; the 1 MiB default and the read buffers fit in far less.
    assert!(peak < 64 * 1024, "peak RSS {peak} kB while reading a 256 MB line");
    assert_eq!(
        stderr,
        "line 1: longer than the maximum of 1048576 bytes (--max-line-length); skipped\n\
         2 lines: 1 parsed exactly, 0 parsed with drift, 1 rejected\n"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with('{'), "{stdout}");
    assert_eq!(output.status.code(), Some(1));
}
