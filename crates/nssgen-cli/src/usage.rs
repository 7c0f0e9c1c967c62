//! Clap's usage errors as one line, like every other error of `nssgen`: what is wrong, the
//! closest valid choice or the valid choices, and which `--help` to read.
//!
//! Clap renders a usage error over three to seven lines (the error, tips, a usage line,
//! "For more information"); a shell script or a person scanning stderr gets one line here.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use nssgen_syntax::suggest::closest_choice;

use crate::choice::Refused;

/// `error` as one line without `error: ` and the line break. `cli` is the whole command line
/// definition and `args` the arguments as given (the program name first); they name the
/// subcommand whose `--help` to try.
pub(crate) fn one_line(error: &clap::Error, cli: &clap::Command, args: &[OsString]) -> String {
    // A value one of our own parsers refused (`--target`, `--emit`): its message is the line.
    if let Some(refused) = std::error::Error::source(error).and_then(|e| e.downcast_ref::<Refused>()) {
        return refused.to_string();
    }
    let path = command_path(cli, args);
    let subcommands: Vec<&str> =
        cli.get_subcommands().filter(|c| !c.is_hide_set()).map(clap::Command::get_name).collect();
    let mut line = match error.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            format!("no command given (valid: {})", subcommands.join(", "))
        }
        _ => headline(error),
    };

    let mut suggested = Vec::new();
    match error.kind() {
        ErrorKind::InvalidValue => {
            let valid = strings(error.get(ContextKind::ValidValue));
            let invalid = strings(error.get(ContextKind::InvalidValue));
            let valid_refs: Vec<&str> = valid.iter().map(String::as_str).collect();
            let ours = invalid
                .first()
                .and_then(|input| closest_choice(input, valid_refs.iter().copied()))
                .map(str::to_owned);
            suggested
                .extend(ours.map_or_else(|| strings(error.get(ContextKind::SuggestedValue)), |s| vec![s]));
            push_suggestion(&mut line, &suggested);
            if !valid.is_empty() {
                line.push_str(&format!(" (valid: {})", valid.join(", ")));
            }
        }
        ErrorKind::InvalidSubcommand => {
            suggested = strings(error.get(ContextKind::SuggestedSubcommand));
            push_suggestion(&mut line, &suggested);
            line.push_str(&format!(" (valid: {})", subcommands.join(", ")));
        }
        _ => {
            suggested = strings(error.get(ContextKind::SuggestedArg));
            push_suggestion(&mut line, &suggested);
        }
    }
    // Clap's other tips (`to pass '--x' as a value, use '-- --x'`) are one sentence each.
    if let Some(ContextValue::StyledStrs(tips)) = error.get(ContextKind::Suggested) {
        for tip in tips {
            line.push_str("; ");
            line.push_str(&tip.to_string());
        }
    }
    if suggested.is_empty() {
        line.push_str(&format!("; try '{path} --help'"));
    }
    line
}

/// Clap's own sentence for the error: its first paragraph, whose indented lines (the
/// arguments a `the following ... were not provided:` names) join the first, lists of
/// possible values left out (they are added in this module's words).
fn headline(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let paragraph = rendered.split("\n\n").next().unwrap_or_default();
    let mut lines = paragraph.lines();
    let first = lines.next().unwrap_or_default();
    let mut line = first.strip_prefix("error: ").unwrap_or(first).trim_end().to_owned();
    let items: Vec<&str> = lines.map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('[')).collect();
    if !items.is_empty() {
        line.push(' ');
        line.push_str(&items.join(", "));
    }
    line
}

/// `: did you mean 'a'?` (or `'a' or 'b'`) after `line`, in clap's quotes.
fn push_suggestion(line: &mut String, suggested: &[String]) {
    if !suggested.is_empty() {
        let quoted: Vec<String> = suggested.iter().map(|s| format!("'{s}'")).collect();
        line.push_str(&format!(": did you mean {}?", quoted.join(" or ")));
    }
}

fn strings(value: Option<&ContextValue>) -> Vec<String> {
    match value {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    }
}

/// `nssgen format` when the first word after the program names a subcommand, else `nssgen`:
/// the top level takes no options but `--help` and `--version`, so that word is the command.
fn command_path(cli: &clap::Command, args: &[OsString]) -> String {
    let name = cli.get_name();
    let word = args.iter().skip(1).find(|a| !a.to_string_lossy().starts_with('-'));
    match word.and_then(|w| cli.find_subcommand(w)) {
        Some(sub) if sub.get_name() != "help" => format!("{name} {}", sub.get_name()),
        _ => name.to_owned(),
    }
}
