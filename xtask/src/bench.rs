//! `cargo xtask bench`: the benchmark harness. Speed figures are measured here, never in tests.
//!
//! Suites:
//! - `parse`: parser throughput, contenders side by side in one process (the `nssgen-bench`
//!   binary, built in release mode): the derived parser, the interpreter, serde_json; then mixed
//!   streams (the nine Sekoia log types, shuffled; the four shapes a collector sees together,
//!   then each alone): `nssgen::sekoia::Record::parse`, which routes each line, against each
//!   line's own record's parser, and the ratio of their throughputs. Written to
//!   `target/bench/summary.json`.
//! - `e2e`: `nssgen parse web` on a file of rendered lines against `jq -c .event` on the same
//!   lines' JSON bodies (when jq is installed), and the peak RSS of `nssgen parse` on 1 GB of
//!   input (100 MB with `--quick`), read from `/proc/<pid>/status` while it runs.
//! - `format`: wall time of the release `nssgen format <log type>` process, start to exit, over
//!   many runs: what an admin or a script waits for. (In-process figures would measure the
//!   debug-built xtask, not the product, so the harness times the release binary only.)
//! - `formats`: `nssgen check FILE`, `check --json`, `parse web -f FILE /dev/null` and
//!   `sample web -f FILE -n 1` on big format files of four shapes (valid `%s{login}\t` specs,
//!   unclosed `%s{`, stray `{`, seeded random bytes), 100 KB, 1 MB and 10 MB each (no 10 MB with
//!   `--quick`): wall time, MB/s and peak RSS per run, and the time ratio between sizes, ≈10 when
//!   the cost is linear in the format's size. Bad formats make these commands exit 1 or 2, which
//!   is what is measured; a signal, a panic or 120 s fails the suite. Written to
//!   `target/bench/formats.json`. Not part of `all`: it takes minutes (about 7 on 2 shared
//!   cores), most of them on the 10 MB files.

use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use serde_json::json;

/// Options of `cargo xtask bench`.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Fewer runs and lines, for CI and a quick look.
    pub(crate) quick: bool,
    /// The log type to render.
    pub(crate) log_type: String,
    /// Which suite.
    pub(crate) suite: Suite,
    /// Lines per log type for the parse suite, and in all for its mixed stream (default 50,000;
    /// 10,000 with `--quick`).
    pub(crate) lines: Option<usize>,
}

/// What `cargo xtask bench --suite` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Suite {
    /// Parser throughput.
    Parse,
    /// `nssgen parse` against jq, and its peak RSS.
    E2e,
    /// `nssgen format` wall time.
    Format,
    /// check, parse and sample on big format files (minutes; not in `all`).
    Formats,
    /// parse, e2e and format.
    All,
}

pub(crate) fn run(root: &Path, options: &Options) -> Result<()> {
    match options.suite {
        Suite::Parse => parse(root, options),
        Suite::Format => format(root, options),
        Suite::E2e => e2e(root, options),
        Suite::Formats => formats(root, options),
        Suite::All => {
            parse(root, options).and_then(|()| e2e(root, options)).and_then(|()| format(root, options))
        }
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn build_release(root: &Path, package: &str) -> Result<()> {
    let status = Command::new(cargo())
        .args(["build", "--quiet", "--release", "-p", package])
        .current_dir(root)
        .status()
        .context("run cargo build")?;
    ensure!(status.success(), "cargo build --release -p {package} failed");
    Ok(())
}

fn parse(root: &Path, options: &Options) -> Result<()> {
    build_release(root, "nssgen-bench")?;
    let lines = options.lines.unwrap_or(if options.quick { 10_000 } else { 50_000 });
    let status = Command::new(root.join("target/release/nssgen-bench"))
        .args(["--lines", &lines.to_string(), "--log-type", &options.log_type, "--mixed"])
        .current_dir(root)
        .status()
        .context("run nssgen-bench")?;
    ensure!(status.success(), "nssgen-bench failed");
    Ok(())
}

fn format(root: &Path, options: &Options) -> Result<()> {
    let runs = if options.quick { 20 } else { 300 };
    build_release(root, "nssgen-cli")?;
    let exe = root.join("target/release/nssgen");

    let mut wall = Vec::with_capacity(runs);
    for _ in 0..runs + runs / 10 {
        let start = Instant::now();
        let out = Command::new(&exe)
            .args(["format", &options.log_type])
            .stdout(Stdio::null())
            .status()
            .with_context(|| format!("run {}", exe.display()))?;
        wall.push(start.elapsed());
        ensure!(out.success(), "nssgen format {} failed", options.log_type);
    }
    // The first runs warm the page cache; they are not what a user sees on the second call.
    wall.drain(..runs / 10);

    let wall_ms = Stats::of(&mut wall);
    println!("suite format: nssgen format {} ({} runs)", options.log_type, runs);
    println!(
        "  process wall time   median {:.3} ms   p90 {:.3} ms   min {:.3} ms",
        wall_ms.median.as_secs_f64() * 1e3,
        wall_ms.p90.as_secs_f64() * 1e3,
        wall_ms.min.as_secs_f64() * 1e3
    );
    let out_dir = root.join("target/bench");
    fs::create_dir_all(&out_dir)?;
    let summary = json!({
        "suite": "format",
        "log_type": options.log_type,
        "runs": runs,
        "process_ms": { "median": wall_ms.median.as_secs_f64() * 1e3, "p90": wall_ms.p90.as_secs_f64() * 1e3 },
    });
    fs::write(out_dir.join("format.json"), serde_json::to_string_pretty(&summary)? + "\n")?;
    println!("  written to target/bench/format.json");
    Ok(())
}

struct Stats {
    min: Duration,
    median: Duration,
    p90: Duration,
}

impl Stats {
    fn of(samples: &mut [Duration]) -> Stats {
        samples.sort_unstable();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        Stats { min: samples[0], median: at(0.5), p90: at(0.9) }
    }
}

/// The best wall time of `runs` runs of `command` with its stdout discarded.
fn best_of(runs: usize, mut command: impl FnMut() -> Command) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let status = command().stdout(Stdio::null()).status().context("run benchmark command")?;
        best = best.min(start.elapsed());
        ensure!(status.success(), "benchmark command failed: {status}");
    }
    Ok(best)
}

/// Runs `command` to the end, which must succeed, polling its peak resident set size (VmHWM)
/// from /proc.
fn peak_rss_kib(command: Command) -> Result<(u64, Duration)> {
    let run = measure(command, None)?;
    ensure!(run.status.success(), "command failed: {}", run.status);
    Ok((run.peak_kib, run.elapsed))
}

/// One process run to the end: how it ended, its wall time and its peak RSS.
struct Measured {
    status: std::process::ExitStatus,
    elapsed: Duration,
    peak_kib: u64,
}

/// Runs `command` with its stdout discarded, polling its peak resident set size (VmHWM) from
/// /proc, whatever its exit status; past `timeout` the process is killed and this fails.
fn measure(mut command: Command, timeout: Option<Duration>) -> Result<Measured> {
    let start = Instant::now();
    let mut child = command.stdout(Stdio::null()).spawn().context("spawn")?;
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak = 0;
    loop {
        if let Ok(text) = fs::read_to_string(&status_path) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak = peak.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait()? {
            return Ok(Measured { status, elapsed: start.elapsed(), peak_kib: peak });
        }
        if let Some(limit) = timeout.filter(|&limit| start.elapsed() > limit) {
            // Killing a process that just exited fails harmlessly; wait reaps it either way.
            let _ = child.kill();
            child.wait()?;
            anyhow::bail!("still running after {} s: killed", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn e2e(root: &Path, options: &Options) -> Result<()> {
    build_release(root, "nssgen-cli")?;
    let exe = root.join("target/release/nssgen");
    let dir = root.join("target/bench");
    fs::create_dir_all(&dir)?;
    let log_type = options.log_type.as_str();
    let lines = options.lines.unwrap_or(if options.quick { 20_000 } else { 200_000 });

    // Rendered lines, and the same records' JSON bodies for jq. Lines whose body is not JSON
    // (a quote in a plain field) would stop jq, so both files keep only the others.
    let rendered = dir.join(format!("e2e-{log_type}.rendered"));
    let status = Command::new(&exe)
        .args(["sample", log_type, "-n", &lines.to_string(), "--seed", "1"])
        .stdout(fs::File::create(&rendered)?)
        .status()?;
    ensure!(status.success(), "nssgen sample failed");
    let log = dir.join(format!("e2e-{log_type}.log"));
    let bodies = dir.join(format!("e2e-{log_type}.json"));
    let (mut log_out, mut bodies_out) =
        (BufWriter::new(fs::File::create(&log)?), BufWriter::new(fs::File::create(&bodies)?));
    let mut kept = 0usize;
    for line in BufReader::new(fs::File::open(&rendered)?).lines() {
        let line = line?;
        let Some(body) = line.find('{').map(|i| &line[i..]) else { continue };
        if serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok() {
            writeln!(log_out, "{line}")?;
            writeln!(bodies_out, "{body}")?;
            kept += 1;
        }
    }
    log_out.flush()?;
    bodies_out.flush()?;
    fs::remove_file(&rendered)?;
    let bytes = fs::metadata(&log)?.len() as f64;

    let nssgen_time = best_of(3, || {
        let mut c = Command::new(&exe);
        c.args(["parse", log_type]).arg(&log);
        c
    })?;
    let nssgen_mbps = bytes / nssgen_time.as_secs_f64() / 1e6;
    println!("suite e2e: {kept} {log_type} lines, {:.0} MB", bytes / 1e6);
    println!(
        "  nssgen parse {log_type} FILE     {:>8.3} s  {nssgen_mbps:>7.0} MB/s",
        nssgen_time.as_secs_f64()
    );
    let jq_installed = Command::new("jq").arg("--version").output().is_ok_and(|o| o.status.success());
    let jq = if jq_installed {
        let jq_time = best_of(3, || {
            let mut c = Command::new("jq");
            c.args(["-c", ".event"]).arg(&bodies);
            c
        })?;
        let ratio = jq_time.as_secs_f64() / nssgen_time.as_secs_f64();
        println!(
            "  jq -c .event BODIES          {:>8.3} s  (nssgen is {ratio:.1}x faster on the same records)",
            jq_time.as_secs_f64()
        );
        json!({ "seconds": jq_time.as_secs_f64(), "ratio": ratio })
    } else {
        println!("  jq is not installed: no comparison (apt-get install jq)");
        serde_json::Value::Null
    };

    // Peak memory on a big input: the small file repeated up to the target size.
    let target_bytes: u64 = if options.quick { 100_000_000 } else { 1_000_000_000 };
    let big = dir.join(format!("e2e-{log_type}.big.log"));
    {
        let chunk = fs::read(&log)?;
        let mut out = BufWriter::new(fs::File::create(&big)?);
        let mut written = 0u64;
        while written < target_bytes {
            out.write_all(&chunk)?;
            written += chunk.len() as u64;
        }
        out.flush()?;
    }
    let big_bytes = fs::metadata(&big)?.len();
    let mut command = Command::new(&exe);
    command.args(["parse", log_type]).arg(&big);
    let (peak_kib, elapsed) = peak_rss_kib(command)?;
    fs::remove_file(&big)?;
    println!(
        "  peak RSS of nssgen parse on {:.2} GB: {:.1} MB ({:.1} s, {:.0} MB/s)",
        big_bytes as f64 / 1e9,
        peak_kib as f64 / 1024.0,
        elapsed.as_secs_f64(),
        big_bytes as f64 / elapsed.as_secs_f64() / 1e6
    );
    let summary = json!({
        "suite": "e2e",
        "log_type": log_type,
        "lines": kept,
        "bytes": bytes,
        "nssgen_parse": { "seconds": nssgen_time.as_secs_f64(), "mbps": nssgen_mbps },
        "jq": jq,
        "peak_rss": { "input_bytes": big_bytes, "peak_mib": peak_kib as f64 / 1024.0, "seconds": elapsed.as_secs_f64() },
    });
    fs::write(dir.join("e2e.json"), serde_json::to_string_pretty(&summary)? + "\n")?;
    println!("  written to target/bench/e2e.json");
    Ok(())
}

/// A format file's content for the `formats` suite: `size` bytes of one shape, or as many whole
/// repetitions of its unit as fit (a valid format cut inside a spec would not be valid).
fn format_of_shape(shape: &str, size: usize) -> Vec<u8> {
    let unit: &[u8] = match shape {
        "valid" => br"%s{login}\t",
        "unclosed" => b"%s{",
        "stray" => b"{",
        _ => {
            // Seeded xorshift64: the same bytes on every run, and no dependency for it.
            let mut state = 0x9E37_79B9_7F4A_7C15_u64;
            return (0..size)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 56) as u8
                })
                .collect();
        }
    };
    unit.repeat(size / unit.len())
}

/// One measured command of the `formats` suite.
struct FormatRun {
    /// The nominal size, which rows are grouped by.
    size: usize,
    /// The file's true size.
    bytes: usize,
    shape: &'static str,
    command: &'static str,
    exit: i32,
    seconds: f64,
    peak_mib: f64,
}

fn formats(root: &Path, options: &Options) -> Result<()> {
    const SHAPES: [(&str, &str); 4] = [
        ("valid", r"`%s{login}\t` repeated"),
        ("unclosed", "`%s{` repeated"),
        ("stray", "`{` repeated"),
        ("random", "random bytes (seeded)"),
    ];
    const COMMANDS: [&str; 4] =
        ["check FILE", "check --json FILE", "parse web -f FILE /dev/null", "sample web -f FILE -n 1"];
    const TIMEOUT: Duration = Duration::from_secs(120);
    let sizes: &[usize] =
        if options.quick { &[100_000, 1_000_000] } else { &[100_000, 1_000_000, 10_000_000] };
    build_release(root, "nssgen-cli")?;
    let exe = root.join("target/release/nssgen");
    let dir = root.join("target/bench");
    fs::create_dir_all(&dir)?;

    let mut runs = Vec::new();
    for &(shape, _) in &SHAPES {
        for &size in sizes {
            let file = dir.join(format!("formats-{shape}-{size}.txt"));
            let content = format_of_shape(shape, size);
            fs::write(&file, &content)?;
            for command in COMMANDS {
                let args: Vec<&std::ffi::OsStr> = command
                    .split(' ')
                    .map(|a| if a == "FILE" { file.as_os_str() } else { std::ffi::OsStr::new(a) })
                    .collect();
                let mut process = Command::new(&exe);
                process.args(&args).stderr(Stdio::null());
                let run = measure(process, Some(TIMEOUT))
                    .with_context(|| format!("nssgen {command} on {size} bytes of {shape}"))?;
                // Bad formats exit 1 (findings) or 2 (usage: `parse`/`sample` refuse them);
                // a signal has no code, a panic exits 101.
                let exit = match run.status.code() {
                    Some(code @ 0..=2) => code,
                    _ => anyhow::bail!(
                        "nssgen {command} on {size} bytes of {shape} crashed: {} (input: {})",
                        run.status,
                        file.display()
                    ),
                };
                eprintln!("  {size:>10} B  {shape:<8}  {command:<30} {:>8.3} s", run.elapsed.as_secs_f64());
                runs.push(FormatRun {
                    size,
                    bytes: content.len(),
                    shape,
                    command,
                    exit,
                    seconds: run.elapsed.as_secs_f64(),
                    peak_mib: run.peak_kib as f64 / 1024.0,
                });
            }
            fs::remove_file(&file)?;
        }
    }

    // The ratio to the same shape and command at a tenth of the size: ≈10 when linear.
    let ratio = |run: &FormatRun| {
        runs.iter()
            .find(|r| r.shape == run.shape && r.command == run.command && r.size * 10 == run.size)
            .map(|smaller| run.seconds / smaller.seconds)
    };
    // Figures mean little without the machine they were taken on.
    let cpu = fs::read_to_string("/proc/cpuinfo").ok().and_then(|info| {
        info.lines().find_map(|l| {
            l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
    });
    println!("suite formats: release nssgen on big format files (exit 1/2 expected for bad formats)");
    println!("  cpu: {}", cpu.as_deref().unwrap_or("unknown"));
    println!("  ratio: the time over the time at a tenth of the size, about 10 when linear");
    for &(shape, what) in &SHAPES {
        println!("  {shape}: {what}");
    }
    println!(
        "  {:>8}  {:<8}  {:<28} {:>4} {:>9} {:>8} {:>8} {:>9}",
        "size", "shape", "command", "exit", "seconds", "MB/s", "peak MB", "ratio"
    );
    let mut rows = Vec::new();
    for &(shape, _) in &SHAPES {
        for command in COMMANDS {
            for run in runs.iter().filter(|r| r.shape == shape && r.command == command) {
                let mbps = run.bytes as f64 / run.seconds / 1e6;
                let ratio = ratio(run);
                println!(
                    "  {:>8}  {:<8}  {:<28} {:>4} {:>9.3} {:>8.1} {:>8.1} {:>9}",
                    human_size(run.size),
                    run.shape,
                    run.command,
                    run.exit,
                    run.seconds,
                    mbps,
                    run.peak_mib,
                    ratio.map_or_else(String::new, |r| format!("{r:.1}"))
                );
                rows.push(json!({
                    "bytes": run.bytes,
                    "shape": run.shape,
                    "command": format!("nssgen {}", run.command),
                    "exit": run.exit,
                    "seconds": run.seconds,
                    "mbps": mbps,
                    "peak_mib": run.peak_mib,
                    "ratio_to_tenth_size": ratio,
                }));
            }
        }
    }
    let summary =
        json!({ "suite": "formats", "cpu": cpu, "timeout_seconds": TIMEOUT.as_secs(), "runs": rows });
    fs::write(dir.join("formats.json"), serde_json::to_string_pretty(&summary)? + "\n")?;
    println!("  written to target/bench/formats.json");
    Ok(())
}

fn human_size(bytes: usize) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{} MB", b / 1_000_000),
        b => format!("{} KB", b / 1_000),
    }
}
