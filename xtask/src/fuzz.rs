//! `cargo xtask fuzz <target> [--seconds N]`: runs a cargo-fuzz target, installing cargo-fuzz
//! first if it is missing, seeded with the reference formats (and, for the interpreter, with
//! sampled lines of every built-in format, so that it starts from lines that parse).

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
        .arg(root.join("tests/fixtures/reference/formats"));
    if target == "interpreter" {
        let seeds = root.join("target/fuzz-seeds/interpreter");
        let written = line_seeds(&seeds)?;
        eprintln!("{written} sampled lines of the built-in formats as seeds in {}", seeds.display());
        command.arg(&seeds);
    }
    command.arg("--").arg(format!("-max_total_time={seconds}"));
    let status = command.status().context("run cargo fuzz")?;
    ensure!(status.success(), "fuzz target `{target}` failed (see fuzz/artifacts/{target}/)");
    Ok(())
}

/// Lines the NSS emulator renders for each built-in Sekoia format, as the interpreter target
/// reads them: the format's index (log types in profile order, each with every target, as the
/// target's `builtin()` lists them) in the first byte, then the line.
fn line_seeds(dir: &Path) -> Result<usize> {
    const PER_FORMAT: usize = 8;
    std::fs::create_dir_all(dir)?;
    let profile = nssgen_catalog::profile("sekoia").context("the sekoia profile")?;
    let mut index = 0u8;
    let mut written = 0;
    for log_type in &profile.log_types {
        for target in nssgen_catalog::Target::ALL {
            // Hostile values: lines that break the JSON body are where parsers go wrong.
            let lines = nssgen_render::profile_lines(
                "sekoia",
                &log_type.id,
                target,
                nssgen_render::ValueSet::Hostile,
                u64::from(index),
                PER_FORMAT,
            )?;
            for (n, line) in lines.iter().enumerate() {
                let mut seed = vec![index];
                seed.extend_from_slice(line.as_bytes());
                std::fs::write(dir.join(format!("{index:02}-{n}")), seed)?;
                written += 1;
            }
            index += 1;
        }
    }
    Ok(written)
}
