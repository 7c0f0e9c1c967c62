//! `cargo xtask fuzz <target> [--seconds N]`: runs a cargo-fuzz target, installing cargo-fuzz
//! first if it is missing, seeded with the reference formats.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};

/// The fuzz targets under `fuzz/fuzz_targets/`.
pub(crate) const TARGETS: [&str; 2] = ["grammar", "interpreter"];

pub(crate) fn run(root: &Path, target: &str, seconds: u64) -> Result<()> {
    if !TARGETS.contains(&target) {
        bail!("unknown fuzz target `{target}` (valid: {})", TARGETS.join(", "));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let installed =
        Command::new(&cargo).args(["fuzz", "--version"]).output().is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!("cargo-fuzz is missing: installing it from crates.io");
        let status = Command::new(&cargo).args(["install", "--locked", "cargo-fuzz"]).status()?;
        ensure!(status.success(), "cargo install cargo-fuzz failed");
    }
    let corpus = root.join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&corpus)?;
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        // cargo-fuzz passes -Z flags (sanitizer, coverage); the stable toolchain accepts them
        // only with RUSTC_BOOTSTRAP, and this machine has no nightly toolchain to fetch.
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", "run", "--fuzz-dir", "fuzz", target])
        .arg(&corpus)
        // Seeds: every reference format (libFuzzer only reads these; new inputs go to `corpus`).
        .arg(root.join("tests/fixtures/reference/formats"))
        .arg("--")
        .arg(format!("-max_total_time={seconds}"));
    let status = command.status().context("run cargo fuzz")?;
    ensure!(status.success(), "fuzz target `{target}` failed (see fuzz/artifacts/{target}/)");
    Ok(())
}
