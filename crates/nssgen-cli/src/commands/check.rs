//! `nssgen check`: lint a feed output format, print rustc-style diagnostics, JSON, or the format
//! with its certain fixes applied.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use nssgen_catalog::Target;
use nssgen_check::{check as lint, strip_final_newline, Options, Report, Severity};

use crate::{Failure, EXIT_INPUT};

/// The arguments of `nssgen check`.
#[derive(clap::Args, Debug)]
pub(crate) struct CheckArgs {
    /// Check against this log type (catalog id such as web, or a profile log type such as
    /// tunnel-ike-phase1); inferred from the sourcetype or the fields when absent.
    #[arg(long, short)]
    pub(crate) log_type: Option<String>,
    /// How lines travel: nss (RFC3164 header), nss-rfc5424, cloud-nss (no header); read from
    /// the format when absent.
    #[arg(long, short, value_parser = crate::choice::target)]
    pub(crate) target: Option<Target>,
    /// Print `{"diagnostics":[...]}` instead of snippets.
    #[arg(long, conflicts_with = "fix")]
    pub(crate) json: bool,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// Print the format with every certain fix applied (stdout) and what changed (stderr).
    #[arg(long)]
    pub(crate) fix: bool,
    /// The format; `-` or nothing for standard input. One final newline is the file's.
    pub(crate) input: Option<PathBuf>,
}

/// Rounds of fixing: a fix can reveal another (a typographic quote hid a field name).
const FIX_ROUNDS: usize = 4;

pub(crate) fn check(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    args: &CheckArgs,
) -> Result<(), Failure> {
    let options = Options { log_type: args.log_type.clone(), target: args.target };
    let (bytes, origin) = match args.input.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
            (bytes, path.display().to_string())
        }
        _ => {
            let mut bytes = Vec::new();
            input
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
            (bytes, "<stdin>".to_owned())
        }
    };
    let format = strip_final_newline(&bytes);
    let report = lint(format, &options).map_err(|e| {
        let id = args.log_type.as_deref().unwrap_or_default();
        super::unknown_choice(e.to_string(), id, &super::log_type_ids())
    })?;

    // The verdict stands whether or not its report reaches a reader (`| head -1` closes early).
    if args.fix {
        let (text, report) = fix(&report, &options, &origin, err)?;
        return Failure::after_output(writeln!(out, "{text}"), verdict(&report, args.deny_warnings));
    }
    let found = verdict(&report, args.deny_warnings);
    let written = if args.json {
        report.write_json(out).and_then(|()| writeln!(out))
    } else {
        write!(out, "{}", report.render(&origin))
    };
    Failure::after_output(written, found)
}

/// Applies certain fixes until none is left, listing each on `err`; returns the fixed format
/// and its report.
fn fix(
    first: &Report,
    options: &Options,
    origin: &str,
    err: &mut dyn Write,
) -> Result<(String, Report), Failure> {
    let mut report = first.clone();
    let mut text = report.source.clone();
    for _ in 0..FIX_ROUNDS {
        let (fixed, applied) = report.fixed();
        if applied.is_empty() {
            break;
        }
        // One index per round: `Report::line_col` rescans the source, once per fix.
        let index = nssgen_syntax::LineIndex::new(&report.source);
        for d in &applied {
            let Some(fix) = &d.fix else { continue };
            let (line, column) = index.line_col(fix.span.start);
            let was = report.source.get(fix.span.range()).unwrap_or("");
            let now = if fix.replacement.is_empty() {
                "deleted".to_owned()
            } else {
                format!("-> `{}`", fix.replacement)
            };
            let _ = writeln!(err, "{origin}:{line}:{column}: {} fixed: `{was}` {now}", d.rule.code());
        }
        text = fixed;
        report = lint(text.as_bytes(), options).map_err(|e| Failure::usage(e.to_string()))?;
    }
    let remaining = report.count(Severity::Error);
    if remaining > 0 {
        let _ = writeln!(
            err,
            "{origin}: {remaining} error(s) left that need a human: run `nssgen check` on the output"
        );
    }
    Ok((text, report))
}

fn verdict(report: &Report, deny_warnings: bool) -> Result<(), Failure> {
    let failed = report.has_errors() || (deny_warnings && report.count(Severity::Warning) > 0);
    if failed {
        // The report already said why.
        return Err(Failure { code: EXIT_INPUT, message: String::new() });
    }
    Ok(())
}
