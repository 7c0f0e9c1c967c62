//! `nssgen identify`: names the known vendor format a format is (Sekoia.io's history, Elastic's
//! versions) and what the vendor's current format changes in its keys.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use nssgen_catalog::KnownFormat;
use nssgen_check::known::{self, KeyChange};
use nssgen_syntax::{Format, Item};
use serde_json::json;

use super::vintage;
use crate::{Failure, EXIT_INPUT};

/// The arguments of `nssgen identify`.
#[derive(clap::Args, Debug)]
pub(crate) struct IdentifyArgs {
    /// The format to name: a file holding one format (one final newline is the file's).
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    pub(crate) format: Option<PathBuf>,
    /// Print `{"profile","log_type","target","version","current","added","removed","exact"}` on
    /// one line instead of a sentence.
    #[arg(long)]
    pub(crate) json: bool,
    /// Lines whose formats to name, per group of lines; `-` or nothing for standard input.
    /// With --json: `{"groups":[{"profile","log_type","version","lines","exact","drifted",
    /// "target","current"}],"rejected":N}`.
    pub(crate) input: Option<PathBuf>,
}

/// A format named: the known format it is, the vendor's current one, and what that changes.
#[derive(Debug)]
pub(crate) struct Identified {
    /// The known format it is.
    pub(crate) known: &'static KnownFormat,
    /// The vendor's current format for the same profile, log type and target.
    pub(crate) current: &'static KnownFormat,
    /// Whether the text is the known one byte for byte (else it differs in insignificant
    /// whitespace only).
    pub(crate) exact: bool,
    /// The keys the current format adds to this one and removes from it.
    pub(crate) change: KeyChange,
}

/// A format that is no known format: the closest known one, if any shares a key or the
/// sourcetype, and what it changes compared with the format.
#[derive(Debug)]
pub(crate) struct Unknown {
    /// The closest known format and the change from the format's keys to its keys.
    pub(crate) closest: Option<(&'static KnownFormat, KeyChange)>,
}

/// `nssgen identify`: a format file with `--format`, else lines.
pub(crate) fn identify(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    args: &IdentifyArgs,
) -> Result<(), Failure> {
    let Some(path) = args.format.as_deref() else {
        return identify_lines(input, out, err, args);
    };
    let (text, format) = super::source::read_format_file(path)?;
    let identified = identify_format(&text, &format)
        .map_err(|unknown| Failure { code: EXIT_INPUT, message: format!("{}: {unknown}", path.display()) })?;
    if args.json {
        writeln!(out, "{}", identified.to_json())?;
    } else {
        writeln!(out, "{identified}")?;
    }
    Ok(())
}

/// `1 line`, `2 lines`.
fn count_lines(n: u64) -> String {
    format!("{n} line{}", if n == 1 { "" } else { "s" })
}

/// The lines one known format printed, in a run of `identify [INPUT]`.
#[derive(Debug, Default)]
struct Group {
    /// The first line attributed to it, for the order groups are listed in.
    first: u64,
    lines: u64,
    /// Lines it prints by its literal text.
    exact: u64,
    /// Lines it is the closest known format to, read by its JSON fallback.
    drifted: u64,
}

/// `nssgen identify [INPUT]`: each line matched against the known formats by their literal
/// text, or else given to the known format closest to its JSON keys; a line several formats
/// print goes, once all lines are read, to the one that printed the most lines alone (then the
/// one with the fewest fields, the current one, the latest). Memory holds one count per set of
/// matching formats, not the lines.
fn identify_lines(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    args: &IdentifyArgs,
) -> Result<(), Failure> {
    let mut file_reader = None;
    let (input, input_name) = super::parse::open_input(args.input.as_deref(), input, &mut file_reader)?;
    let all = vintage::all();
    // Per set of formats printing a line: how many lines, and the first of them.
    let mut matched: HashMap<(Vec<usize>, bool), (u64, u64)> = HashMap::new();
    let mut drifted: HashMap<usize, (u64, u64)> = HashMap::new();
    let mut rejected = 0u64;
    let max = super::parse::DEFAULT_MAX_LINE;
    let mut lines = super::parse::Lines::new(usize::try_from(max).unwrap_or(usize::MAX));
    let mut number = 0u64;
    loop {
        let line = lines.next(input).map_err(|e| Failure::usage(format!("cannot read {input_name}: {e}")))?;
        let Some(line) = line else { break };
        number += 1;
        let super::parse::Line::Text(line) = line else {
            rejected += 1;
            let _ = writeln!(err, "line {number}: longer than {max} bytes; skipped");
            continue;
        };
        let Ok(line) = std::str::from_utf8(line) else {
            rejected += 1;
            let _ = writeln!(err, "line {number}: not UTF-8");
            continue;
        };
        if line.is_empty() {
            continue;
        }
        let found = vintage::literal_matches(line, |_| true);
        if !found.0.is_empty() {
            matched.entry(found).or_insert((0, number)).0 += 1;
            continue;
        }
        match vintage::closest(line, |_| true).filter(|&i| all[i].parser.parse(line).is_ok()) {
            Some(i) => drifted.entry(i).or_insert((0, number)).0 += 1,
            None => {
                rejected += 1;
                let _ = writeln!(err, "line {number}: no known format prints it");
            }
        }
    }
    let mut alone = vec![0u64; all.len()];
    for ((set, _), (count, _)) in &matched {
        if let [one] = set.as_slice() {
            alone[*one] += count;
        }
    }
    let mut groups: Vec<(usize, Group)> = Vec::new();
    let attributed = matched
        .iter()
        .filter_map(|((set, whole), &(count, first))| {
            let one = set.len() == 1;
            let i = if one { set[0] } else { vintage::pick(set, *whole, count, &alone)? };
            Some((i, count, first, true))
        })
        .chain(drifted.iter().map(|(&i, &(count, first))| (i, count, first, false)));
    for (i, count, first, exact) in attributed {
        let at = match groups.iter().position(|(k, _)| *k == i) {
            Some(at) => at,
            None => {
                groups.push((i, Group { first, ..Group::default() }));
                groups.len() - 1
            }
        };
        let g = &mut groups[at].1;
        g.first = g.first.min(first);
        g.lines += count;
        if exact {
            g.exact += count;
        } else {
            g.drifted += count;
        }
    }
    groups.sort_by_key(|(_, g)| g.first);
    if args.json {
        let groups: Vec<_> = groups
            .iter()
            .map(|(i, g)| {
                let k = &all[*i];
                json!({
                    "profile": k.profile,
                    "log_type": k.log_type,
                    "version": k.version,
                    "lines": g.lines,
                    "exact": g.exact,
                    "drifted": g.drifted,
                    "target": k.target.id(),
                    "current": k.current,
                })
            })
            .collect();
        writeln!(out, "{}", json!({ "groups": groups, "rejected": rejected }))?;
    } else {
        for (i, g) in &groups {
            let k = &all[*i];
            let current = if k.current { "current" } else { "not current" };
            writeln!(
                out,
                "{}: {} {} ({}) version {}, {current}: {} exactly, {} with drift",
                count_lines(g.lines),
                k.profile,
                k.log_type,
                k.target,
                k.version,
                g.exact,
                g.drifted
            )?;
        }
        writeln!(out, "{} rejected: no known format prints them", count_lines(rejected))?;
    }
    if rejected > 0 {
        return Err(Failure { code: EXIT_INPUT, message: String::new() });
    }
    Ok(())
}

/// The known format `text` (parsed as `format`) is: byte for byte, or else up to
/// insignificant whitespace ([`loose_text`]); otherwise the closest known format.
pub(crate) fn identify_format(text: &str, format: &Format) -> Result<Identified, Unknown> {
    let (known, exact) = match nssgen_catalog::known_format(text) {
        Some(known) => (known, true),
        None => {
            let loose = loose_text(format);
            let found = loose_known().iter().find(|(text, _)| *text == loose).map(|(_, k)| *k);
            (found.ok_or_else(|| closest(format))?, false)
        }
    };
    // Every known format has a current one (a test of the embedded data says so).
    let current = known.current_one().unwrap_or(known);
    let change = KeyChange::between(&known::known_keys(known), &known::known_keys(current));
    Ok(Identified { known, current, exact, change })
}

/// Every known format's [`loose_text`], computed once.
fn loose_known() -> &'static [(String, &'static KnownFormat)] {
    static LOOSE: OnceLock<Vec<(String, &'static KnownFormat)>> = OnceLock::new();
    LOOSE.get_or_init(|| {
        nssgen_catalog::known_formats()
            .iter()
            .filter_map(|k| nssgen_syntax::parse(&k.text).ok().map(|f| (loose_text(&f), k)))
            .collect()
    })
}

/// What a format prints with its insignificant whitespace dropped: in the JSON body (from the
/// first `{` on) spaces and tabs between tokens are left out, inside JSON strings every byte
/// counts; before the body (the syslog header, or a format without a body) a run of spaces
/// counts as one; spaces at either end count for nothing. Specs are kept as written, so
/// `%02d{dd}` and `%2d{dd}` differ.
fn loose_text(format: &Format) -> String {
    // Where the body starts: the one rule of the plan.
    let split = nssgen_syntax::plan::body_split(format);
    let mut out = String::new();
    let (mut in_body, mut in_string, mut escaped) = (false, false, false);
    for (at, item) in format.items.iter().enumerate() {
        let text = match item {
            Item::Field(spec) => {
                // Marked, so a literal printing `%s{x}` cannot pass for the spec.
                out.push('\u{E000}');
                out.push_str(&spec.to_string());
                out.push('\u{E001}');
                escaped = false;
                continue;
            }
            Item::Literal(lit) => lit.text.as_str(),
        };
        for (offset, c) in text.char_indices() {
            if split == Some((at, offset)) {
                in_body = true;
            }
            if !in_body {
                if !(c == ' ' && out.ends_with(' ')) {
                    out.push(c);
                }
                continue;
            }
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c == ' ' || c == '\t' {
                continue;
            } else if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out.trim_matches(' ').to_owned()
}

/// The known format closest to `format`: the most keys in common, among those naming the same
/// sourcetype when the format names one; the current one, then the first listed, on a tie.
fn closest(format: &Format) -> Unknown {
    let keys = known::keys(format);
    let sourcetype = known::sourcetype(format);
    let scored = nssgen_catalog::known_formats().iter().map(|k| {
        let their = known::known_keys(k);
        let shared = their.iter().filter(|key| keys.contains(key)).count();
        let same_sourcetype = sourcetype.is_some()
            && nssgen_syntax::parse(&k.text).ok().and_then(|f| known::sourcetype(&f)) == sourcetype;
        ((same_sourcetype, shared, k.current), k, their)
    });
    // `max_by_key` keeps the last of equal maxima: reversed, the first listed wins.
    let best = scored
        .filter(|((same_sourcetype, shared, _), ..)| *same_sourcetype || *shared > 0)
        .rev()
        .max_by_key(|(score, ..)| *score);
    Unknown { closest: best.map(|(_, k, their)| (k, KeyChange::between(&keys, &their))) }
}

/// `sekoia tunnel (nss-rfc5424) as published on 2025-04-04`.
fn name(known: &KnownFormat) -> String {
    format!("{} {} ({}) {}", known.profile, known.log_type, known.target, known::published_as(known))
}

impl Identified {
    /// The `--json` object, keys in the documented order.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        json!({
            "profile": self.known.profile,
            "log_type": self.known.log_type,
            "target": self.known.target.id(),
            "version": self.known.version,
            "current": self.known.current,
            "added": self.change.added,
            "removed": self.change.removed,
            "exact": self.exact,
        })
    }
}

impl fmt::Display for Identified {
    /// `sekoia tunnel (nss-rfc5424) as published on 2025-04-04, not current: the current format
    /// (as published on 2026-07-21) adds ...; removes ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&name(self.known))?;
        if !self.exact {
            f.write_str(" (up to insignificant whitespace)")?;
        }
        if self.known.current {
            return f.write_str(", current");
        }
        write!(f, ", not current: the current format ({}) {}", known::published_as(self.current), self.change)
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.closest {
            Some((k, change)) => write!(
                f,
                "no known format is this one; the closest, {}{}, {change}",
                name(k),
                if k.current { " (current)" } else { "" }
            ),
            None => {
                f.write_str("no known format is this one, and none shares a key or the sourcetype with it")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loose(text: &str) -> String {
        loose_text(&nssgen_syntax::parse(text).expect("parses"))
    }

    #[test]
    fn no_two_known_formats_differ_in_insignificant_whitespace_only() {
        let loose = loose_known();
        assert_eq!(loose.len(), nssgen_catalog::known_formats().len(), "every known format parses");
        for (i, (text, k)) in loose.iter().enumerate() {
            if let Some((_, other)) = loose[i + 1..].iter().find(|(t, _)| t == text) {
                panic!("{} and {} are the same format", k.source, other.source);
            }
        }
    }

    #[test]
    fn only_insignificant_whitespace_is_dropped() {
        let base = r#"%s{mon} %02d{dd} h NSS \{"a":"%s{a} b","n":%d{n}\}"#;
        let same = [
            r#"%s{mon}   %02d{dd} h  NSS \{ "a" : "%s{a} b" , "n":%d{n} \}"#,
            r#" %s{mon} %02d{dd} h NSS \{"a":"%s{a} b",\t"n":%d{n}\}  "#,
        ];
        for text in same {
            assert_eq!(loose(text), loose(base), "{text}");
        }
        let different = [
            // Inside a JSON string, a space is part of the value.
            r#"%s{mon} %02d{dd} h NSS \{"a":"%s{a}  b","n":%d{n}\}"#,
            r#"%s{mon} %02d{dd} h NSS \{"a ":"%s{a} b","n":%d{n}\}"#,
            // A spec's flags, a missing space, a line break, a literal printing a spec's text.
            r#"%s{mon} %2d{dd} h NSS \{"a":"%s{a} b","n":%d{n}\}"#,
            r#"%s{mon} %02d{dd} h NSS\{"a":"%s{a} b","n":%d{n}\}"#,
            r#"%s{mon} %02d{dd} h NSS \{"a":"%s{a} b","n":%d{n}\}\n"#,
            r#"%s{mon} %02d{dd} h NSS \{"a":"%%s\{a\} b","n":%d{n}\}"#,
        ];
        for text in different {
            assert_ne!(loose(text), loose(base), "{text}");
        }
    }
}
