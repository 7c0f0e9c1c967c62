//! `cargo xtask fuzz <target> [--seconds N] [--sanitizer S] [-- LIBFUZZER_ARGS]`: runs a
//! cargo-fuzz target, installing cargo-fuzz first if it is missing, seeded with the reference
//! formats (for the interpreter, also with sampled lines of every built-in format, so that it
//! starts from lines that parse; for `check`, also with the broken formats of
//! `tests/fixtures/check/`, so that it starts from every rule's findings).

use std::path::Path;
use std::process::Command;

use anyhow::{ensure, Context, Result};
use clap::ValueEnum;

/// The fuzz targets under `fuzz/fuzz_targets/` (each value is its file's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Target {
    /// The format grammar: any bytes parse or fail with errors, never panic.
    Grammar,
    /// The runtime interpreter on lines of every built-in format.
    Interpreter,
    /// The checker (lint, fixes) on any format text.
    Check,
}

/// cargo-fuzz's `--sanitizer` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Sanitizer {
    /// AddressSanitizer, cargo-fuzz's default.
    Address,
    /// LeakSanitizer alone.
    Leak,
    /// MemorySanitizer.
    Memory,
    /// ThreadSanitizer.
    Thread,
    /// No sanitizer: more runs a second.
    None,
}

/// The spelling clap and cargo-fuzz both use for a value.
fn name(value: &impl ValueEnum) -> String {
    value.to_possible_value().expect("no value is skipped").get_name().to_owned()
}

/// How to run a target: `libfuzzer_args` go to libFuzzer after `-max_total_time` (`-runs=N`
/// stops sooner, `-max_len=N`, `-report_slow_units=S`...).
pub(crate) struct Run<'a> {
    pub(crate) target: Target,
    pub(crate) seconds: u64,
    pub(crate) sanitizer: Sanitizer,
    pub(crate) libfuzzer_args: &'a [String],
}

pub(crate) fn run(root: &Path, run: &Run<'_>) -> Result<()> {
    let Run { target, seconds, sanitizer, libfuzzer_args } = *run;
    let (target_name, sanitizer) = (name(&target), name(&sanitizer));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let installed =
        Command::new(&cargo).args(["fuzz", "--version"]).output().is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!("cargo-fuzz is missing: installing it from crates.io");
        let status = Command::new(&cargo).args(["install", "--locked", "cargo-fuzz"]).status()?;
        ensure!(status.success(), "cargo install cargo-fuzz failed");
    }
    let corpus = root.join("fuzz/corpus").join(&target_name);
    std::fs::create_dir_all(&corpus)?;
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        // cargo-fuzz passes -Z flags (sanitizer, coverage); the stable toolchain accepts them
        // only with RUSTC_BOOTSTRAP, and no nightly toolchain can be fetched on these machines.
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", "run", "--fuzz-dir", "fuzz", "--sanitizer", &sanitizer, &target_name])
        .arg(&corpus);
    // Seeds: libFuzzer only reads these directories; new inputs go to `corpus`.
    match target {
        Target::Interpreter => {
            command.arg(root.join("tests/fixtures/reference/formats"));
            let seeds = root.join("target/fuzz-seeds/interpreter");
            let written = line_seeds(&seeds)?;
            eprintln!("{written} sampled lines of the built-in formats as seeds in {}", seeds.display());
            command.arg(&seeds);
        }
        Target::Check => {
            let seeds = root.join("target/fuzz-seeds/check");
            let written = format_seeds(root, &seeds)?;
            eprintln!("{written} reference and broken formats as seeds in {}", seeds.display());
            command.arg(&seeds);
        }
        Target::Grammar => {
            command.arg(root.join("tests/fixtures/reference/formats"));
        }
    }
    command.arg("--").arg(format!("-max_total_time={seconds}")).args(libfuzzer_args);
    let status = command.status().context("run cargo fuzz")?;
    ensure!(status.success(), "fuzz target `{target_name}` failed (see fuzz/artifacts/{target_name}/)");
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
            let lines = nssgen_emulate::profile_lines(
                "sekoia",
                &log_type.id,
                target,
                nssgen_emulate::ValueSet::Hostile,
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

/// Every reference format and every broken format of the check fixtures (the `.txt` files
/// only: the notes beside them are not formats), copied flat into `dir`.
fn format_seeds(root: &Path, dir: &Path) -> Result<usize> {
    fn walk(from: &Path, prefix: &str, dir: &Path, written: &mut usize) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(from)
            .with_context(|| format!("read {}", from.display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                walk(&path, &format!("{prefix}{name}-"), dir, written)?;
            } else if path.extension().is_some_and(|e| e == "txt") {
                std::fs::copy(&path, dir.join(format!("{prefix}{name}")))
                    .with_context(|| format!("copy {}", path.display()))?;
                *written += 1;
            }
        }
        Ok(())
    }
    std::fs::create_dir_all(dir)?;
    let mut written = 0;
    walk(&root.join("tests/fixtures/reference/formats"), "reference-", dir, &mut written)?;
    walk(&root.join("tests/fixtures/check"), "check-", dir, &mut written)?;
    ensure!(written > 0, "no seed formats found under tests/fixtures");
    Ok(written)
}
