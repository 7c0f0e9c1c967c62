//! `cargo xtask bench`: the benchmark harness. Speed figures are measured here, never in tests.
//!
//! Suites:
//! - `parse`: parser throughput, contenders side by side in one process (the `nssgen-bench`
//!   binary, built in release mode): the derived parser, the interpreter, serde_json.
//! - `format`: wall time of the release `nssgen format <log type>` process, start to exit, over
//!   many runs: what an admin or a script waits for. (In-process figures would measure the
//!   debug-built xtask, not the product, so the harness times the release binary only.)

use std::fs;
use std::path::Path;
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
    /// Which suite: `parse`, `format` or `all`.
    pub(crate) suite: String,
    /// Lines per log type for the parse suite (default 50,000; 10,000 with `--quick`).
    pub(crate) lines: Option<usize>,
}

pub(crate) fn run(root: &Path, options: &Options) -> Result<()> {
    match options.suite.as_str() {
        "parse" => parse(root, options),
        "format" => format(root, options),
        "all" => parse(root, options).and_then(|()| format(root, options)),
        other => anyhow::bail!("unknown suite `{other}` (valid: parse, format, all)"),
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
        .args(["--lines", &lines.to_string(), "--log-type", &options.log_type])
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
