//! `cargo xtask fuzz <target> [--seconds N] [--sanitizer S] [-- LIBFUZZER_ARGS]`: runs a
//! cargo-fuzz target, installing cargo-fuzz first if it is missing, seeded with the reference
//! formats (for the interpreter, also with sampled lines of every built-in format, so that it
//! starts from lines that parse; for `check`, also with the broken formats of
//! `tests/fixtures/check/`, so that it starts from every rule's findings), or with lines alone:
//! for the router, every Sekoia log type's lines in the four shapes a collector sees; for the
//! drift path, lines of the current and of every older Sekoia format, with edits to apply.

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
    /// The mixed-stream router (`sekoia::Record`, `shape::framing`) on any line.
    Router,
    /// The drift path: Sekoia lines with their JSON values edited, interpreter vs typed records.
    Drift,
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
        Target::Router => {
            let seeds = root.join("target/fuzz-seeds/router");
            let written = router_seeds(&seeds)?;
            eprintln!("{written} lines of every log type in every shape as seeds in {}", seeds.display());
            command.arg(&seeds);
        }
        Target::Drift => {
            let seeds = root.join("target/fuzz-seeds/drift");
            let written = drift_seeds(&seeds)?;
            eprintln!(
                "{written} lines of the current and older Sekoia formats as seeds in {}",
                seeds.display()
            );
            command.arg(&seeds);
        }
    }
    command.arg("--").arg(format!("-max_total_time={seconds}")).args(libfuzzer_args);
    let status = command.status().context("run cargo fuzz")?;
    ensure!(status.success(), "fuzz target `{target_name}` failed (see fuzz/artifacts/{target_name}/)");
    Ok(())
}

/// A line the NSS emulator rendered for a Sekoia log type and target: the index of the
/// current format it belongs to (log types in profile order, each with every target, as the
/// targets' format lists go), its target, and the line.
struct Rendered {
    index: u8,
    target: nssgen_catalog::Target,
    line: String,
}

/// `per_format` lines of each built-in Sekoia format from `value_set`, in index order.
fn current_lines(per_format: usize, value_set: nssgen_emulate::ValueSet) -> Result<Vec<Rendered>> {
    let profile = nssgen_catalog::profile("sekoia").context("the sekoia profile")?;
    let mut index = 0u8;
    let mut rendered = Vec::new();
    for log_type in &profile.log_types {
        for target in nssgen_catalog::Target::ALL {
            let lines = nssgen_emulate::profile_lines(
                "sekoia",
                &log_type.id,
                target,
                value_set,
                u64::from(index),
                per_format,
            )?;
            rendered.extend(lines.into_iter().map(|line| Rendered { index, target, line }));
            index += 1;
        }
    }
    Ok(rendered)
}

/// `per_format` lines of every older published Sekoia format (the known formats that are not
/// current), each with the index of the current format of its log type and target: lines a
/// feed set up with an older string still prints, whose keys drifted from today's.
fn older_lines(per_format: usize) -> Result<Vec<Rendered>> {
    let profile = nssgen_catalog::profile("sekoia").context("the sekoia profile")?;
    let targets = nssgen_catalog::Target::ALL;
    let mut rendered = Vec::new();
    for (n, known) in nssgen_catalog::known_formats().iter().enumerate() {
        if known.profile != "sekoia" || known.current {
            continue;
        }
        let position = profile.log_types.iter().position(|t| t.id == known.log_type);
        let profile_type = position.map(|p| (p, &profile.log_types[p]));
        let (Some((position, profile_type)), Some(at)) =
            (profile_type, targets.iter().position(|t| *t == known.target))
        else {
            continue;
        };
        let catalog = profile_type.catalog_log_type().context("a catalog log type")?;
        let format = nssgen_syntax::parse(&known.text)
            .map_err(|e| anyhow::anyhow!("{}: {}", known.source, e.render(&known.text, &known.source)))?;
        let index = u8::try_from(position * targets.len() + at)?;
        let sampler = nssgen_emulate::Sampler::new(&format, catalog, &profile.escape_characters, n as u64)
            .record_types(&profile_type.record_types);
        rendered.extend(sampler.take(per_format).map(|line| Rendered { index, target: known.target, line }));
    }
    ensure!(!rendered.is_empty(), "no older Sekoia format among the known formats");
    Ok(rendered)
}

/// Lines the NSS emulator renders for each built-in Sekoia format, as the interpreter target
/// reads them: the format's index in the first byte, then the line.
fn line_seeds(dir: &Path) -> Result<usize> {
    std::fs::create_dir_all(dir)?;
    // Hostile values: lines that break the JSON body are where parsers go wrong.
    let rendered = current_lines(8, nssgen_emulate::ValueSet::Hostile)?;
    for (n, Rendered { index, line, .. }) in rendered.iter().enumerate() {
        let mut seed = vec![*index];
        seed.extend_from_slice(line.as_bytes());
        std::fs::write(dir.join(format!("{index:02}-{n}")), seed)?;
    }
    Ok(rendered.len())
}

/// Lines of every Sekoia log type as the router meets them: RFC3164 and RFC5424 lines, bare
/// bodies, and the RFC5424 lines as a log concentrator forwards them (its structured data
/// element holding the intake key), from the current and the older formats.
fn router_seeds(dir: &Path) -> Result<usize> {
    std::fs::create_dir_all(dir)?;
    let profile = nssgen_catalog::profile("sekoia").context("the sekoia profile")?;
    let intake = profile.syslog_intake.as_ref().context("the sekoia syslog intake")?;
    let mut lines = Vec::new();
    for value_set in [nssgen_emulate::ValueSet::Ordinary, nssgen_emulate::ValueSet::Hostile] {
        lines.extend(current_lines(3, value_set)?);
    }
    lines.extend(older_lines(1)?);
    let mut written = 0;
    for (n, Rendered { target, line, .. }) in lines.iter().enumerate() {
        std::fs::write(dir.join(format!("{n:03}")), line)?;
        written += 1;
        // `<134>1 TIMESTAMP HOST APP - - - BODY` as the concentrator sends it on.
        let forwarded = (*target == nssgen_catalog::Target::NssRfc5424)
            .then(|| line.split_once(" - - - "))
            .flatten()
            .map(|(head, body)| {
                let head = head.replacen("<134>", "<13>", 1);
                let sd = format!("[{} {}=\"aB3dE5fG7hJ9kL1m\"]", intake.sd_id, intake.key_param);
                format!("{head} - {} {sd} {body}", intake.msgid)
            });
        if let Some(forwarded) = forwarded {
            std::fs::write(dir.join(format!("{n:03}-forwarded")), forwarded)?;
            written += 1;
        }
    }
    Ok(written)
}

/// Lines of every Sekoia format for the drift target: the current format's index in the first
/// byte, the line, then `0xFF` and a few edits (four bytes each) for some, so that the fuzzer
/// starts from drifted lines as well as from whole ones. Older formats' lines drift by
/// themselves.
fn drift_seeds(dir: &Path) -> Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut lines = current_lines(4, nssgen_emulate::ValueSet::Ordinary)?;
    lines.extend(older_lines(3)?);
    for (n, Rendered { index, line, .. }) in lines.iter().enumerate() {
        let mut seed = vec![*index];
        seed.extend_from_slice(line.as_bytes());
        // Every other line with one edit: a value's text changed (op 0), a value of another
        // JSON type (op 1), a key added (op 7), the edit picking a value by the line's number.
        if n % 2 == 1 {
            let which = (n / 2) as u8;
            seed.extend_from_slice(&[0xFF, [0, 1, 7][n / 2 % 3], which, which.wrapping_mul(7), 0]);
        }
        std::fs::write(dir.join(format!("{index:02}-{n}")), seed)?;
    }
    Ok(lines.len())
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
