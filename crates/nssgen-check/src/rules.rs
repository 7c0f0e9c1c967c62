//! Rules over the AST and the catalog: fields, conversions, adjacency, the JSON body, escaping,
//! control characters, size and record types.

use std::collections::HashMap;

use nssgen_catalog::{LogType, Variant};
use nssgen_syntax::{plan, suggest, Conversion, FieldSpec, Format, Item, Span};

use crate::context::{knows, Shape, Subject, VENDOR_ONLY};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::published;
use crate::sample::{self, Sample};

/// Zscaler's guidance: about 50 fields per record, for syslog message size limits.
const MAX_SYSLOG_FIELDS: usize = 50;

/// The most distinct unknown names that get closest-name suggestions.
const MAX_SUGGESTED: usize = 100;

/// Unknown fields, vendor-only fields, fields of another log type; conversions.
pub(crate) fn fields(format: &Format, subject: &Subject, out: &mut Vec<Diagnostic>) {
    let t = subject.log_type;
    let mut suggested: Vec<&str> = Vec::new();
    let date_slots: std::collections::HashSet<Span> =
        out.iter().filter(|d| d.rule == Rule::DateSlot).filter_map(|d| d.span).collect();
    for f in format.fields() {
        if knows(t, &f.name) {
            conversion(f, t, out);
            continue;
        }
        // `%d{yy}` in an RFC5424 year slot already has its own warning, with the fix.
        if date_slots.contains(&f.span) {
            continue;
        }
        if let Some((_, why)) = VENDOR_ONLY.iter().find(|(n, _)| *n == f.name) {
            out.push(
                Diagnostic::new(
                    Rule::VendorOnlyField,
                    Severity::Warning,
                    Some(f.name_span),
                    format!("`{f}` is in no Zscaler table for {}: {why}", t.id),
                )
                .label("not documented by Zscaler")
                .help("NSS may print the spec itself instead of a value; check a real line"),
            );
            continue;
        }
        let elsewhere: Vec<&str> = nssgen_catalog::log_types()
            .filter(|other| other.id != t.id && knows(other, &f.name))
            .map(|other| other.id.as_str())
            .collect();
        let seen = suggested.contains(&f.name.as_str());
        let suggestions = if seen || suggested.len() < MAX_SUGGESTED {
            if !seen {
                suggested.push(&f.name);
            }
            closest(t, &f.name)
        } else {
            Vec::new()
        };
        let mut d = if elsewhere.is_empty() {
            Diagnostic::new(
                Rule::UnknownField,
                Severity::Error,
                Some(f.name_span),
                format!("unknown field `{}` for log type {}", f.name, t.id),
            )
            .label("no such field")
        } else {
            Diagnostic::new(
                Rule::UnknownField,
                Severity::Error,
                Some(f.name_span),
                format!(
                    "`{}` is a field of {}, not of {}: a {} feed does not print it",
                    f.name,
                    elsewhere.join(", "),
                    t.id,
                    t.id
                ),
            )
            .label(format!("not a {} field", t.id))
        };
        if !suggestions.is_empty() {
            let list: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
            d = d.help(format!("closest {} fields: {}", t.id, list.join(", ")));
            if suggestions.len() == 1 && elsewhere.is_empty() {
                d = d.fix(f.name_span, suggestions[0]);
            }
        }
        out.push(d);
    }
}

/// Fields when no log type knows any of them (and none was given): each is a mistake, or the
/// format belongs to a log type that must be named. Vendor-only fields stay warnings; a format
/// made of nothing else still cannot be checked, which is an error of its own.
pub(crate) fn unknown_anywhere(format: &Format, out: &mut Vec<Diagnostic>) {
    let mut unknown = Vec::new();
    let mut looked_up: HashMap<&str, Vec<(&str, Vec<&str>)>> = HashMap::new();
    for f in format.fields() {
        match VENDOR_ONLY.iter().find(|(n, _)| *n == f.name) {
            Some((_, why)) => out.push(
                Diagnostic::new(
                    Rule::VendorOnlyField,
                    Severity::Warning,
                    Some(f.name_span),
                    format!("`{f}` is in no Zscaler table: {why}"),
                )
                .label("not documented by Zscaler")
                .help("NSS may print the spec itself instead of a value; check a real line"),
            ),
            None => {
                // A repeated name (a file of junk specs) is looked up in the catalog once.
                // Past a hundred names the format is junk, and suggestions would only cost time.
                let suggestions = match looked_up.get(f.name.as_str()) {
                    Some(s) => s.clone(),
                    None if looked_up.len() >= MAX_SUGGESTED => Vec::new(),
                    None => looked_up.entry(&f.name).or_insert_with(|| closest_anywhere(&f.name)).clone(),
                };
                unknown.push((f, suggestions));
            }
        }
    }
    if unknown.is_empty() {
        if format.fields().next().is_some() {
            out.push(
                Diagnostic::new(
                    Rule::UnknownField,
                    Severity::Error,
                    None,
                    "no field of the format is in a Zscaler table, so no log type can be inferred to check it as",
                )
                .help("pass --log-type"),
            );
        }
        return;
    }
    // The log types the renamed format would most likely be: those holding the most of the
    // single closest names. A rename is certain only when right for each of them, so that two
    // fixes never pull the format towards two log types.
    let mut scores: Vec<(&str, usize)> = Vec::new();
    for (_, suggestions) in &unknown {
        if let [(_, types)] = suggestions.as_slice() {
            for t in types {
                match scores.iter_mut().find(|(id, _)| id == t) {
                    Some((_, n)) => *n += 1,
                    None => scores.push((t, 1)),
                }
            }
        }
    }
    let top = scores.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let likeliest: Vec<&str> = scores.iter().filter(|(_, n)| *n == top).map(|(id, _)| *id).collect();
    let pass = "or pass --log-type to check the format as one log type";
    for (f, suggestions) in unknown {
        let mut d = Diagnostic::new(
            Rule::UnknownField,
            Severity::Error,
            Some(f.name_span),
            format!("unknown field `{}`: no log type has it", f.name),
        )
        .label("in no log type");
        d = match suggestions.as_slice() {
            [] => d.help(format!("fix the name ({pass}; `nssgen fields <LOG_TYPE>` lists the names)")),
            [(name, types)] => {
                let d = d.help(format!("closest catalog field: `{name}` ({}); {pass}", shown_types(types)));
                if likeliest.iter().all(|id| types.contains(id)) {
                    d.fix(f.name_span, *name)
                } else {
                    d
                }
            }
            _ => {
                let list: Vec<String> =
                    suggestions.iter().map(|(n, types)| format!("`{n}` ({})", shown_types(types))).collect();
                d.help(format!("closest catalog fields: {}; {pass}", list.join(", ")))
            }
        };
        out.push(d);
    }
}

/// A few log type ids, for a help line.
fn shown_types(types: &[&str]) -> String {
    match types {
        [a, b, c, _, ..] => format!("{a}, {b}, {c} and {} more", types.len() - 3),
        _ => types.join(", "),
    }
}

/// The fields of any log type closest to `name`, each with the log types that have it.
fn closest_anywhere(name: &str) -> Vec<(&'static str, Vec<&'static str>)> {
    let all = nssgen_catalog::log_types().flat_map(|t| t.fields.iter().map(|f| f.name.as_str()));
    suggest::closest_n(name, all, 3)
        .into_iter()
        .map(|field| {
            let types = nssgen_catalog::log_types().filter(|t| knows(t, field)).map(|t| t.id.as_str());
            (field, types.collect())
        })
        .collect()
}

/// The catalog fields of `t` closest to `name`.
fn closest<'t>(t: &'t LogType, name: &str) -> Vec<&'t str> {
    suggest::closest_n(name, t.fields.iter().map(|f| f.name.as_str()), 3)
}

/// A conversion the catalog does not list for the field.
///
/// A number printed with `%d` where the catalog says `%s` is an error: NSS has a string, not a
/// number, and what `%d` makes of it is undefined (the value is lost). A number printed with
/// `%s` is a warning: the digits arrive as text, which every SIEM reads. A narrower integer
/// (`%d` for a `%llu` field) is a warning: large values may wrap.
fn conversion(f: &FieldSpec, t: &LogType, out: &mut Vec<Diagnostic>) {
    let convs: Vec<Conversion> = t.fields_named(&f.name).filter_map(|c| c.conv).collect();
    if convs.is_empty() || convs.contains(&f.conv) {
        return;
    }
    let documented = convs[0];
    let spec = t.fields_named(&f.name).next().map_or(String::new(), |c| c.spec.clone());
    let conv_span = Span::new(f.span.start, f.name_span.start.saturating_sub(1));
    let bits = |c: Conversion| match c {
        Conversion::Ld | Conversion::Lu | Conversion::Llu => 64,
        _ => 32,
    };
    // A wider integer than documented prints every value the same.
    if f.conv.is_numeric() && documented.is_numeric() && bits(f.conv) >= bits(documented) {
        return;
    }
    let (severity, why) = if f.conv.is_numeric() && documented == Conversion::S {
        (Severity::Error, "the field is a string: NSS has no number to print, and the value is lost")
    } else if !f.conv.is_numeric() {
        (Severity::Warning, "the field is a number: it arrives as text, which parsers must convert back")
    } else {
        (Severity::Warning, "a different integer type: large values may wrap or lose their sign")
    };
    out.push(
        Diagnostic::new(
            Rule::Conversion,
            severity,
            Some(conv_span),
            format!("`{f}` uses `%{}` where the catalog prints `{spec}`: {why}", f.conv),
        )
        .label(format!("catalog: `{spec}`"))
        .fix(f.span, spec.clone()),
    );
}

/// Two fields with nothing between them (the plan's rule, [`plan::adjacent_fields`]).
pub(crate) fn ambiguous(format: &Format, out: &mut Vec<Diagnostic>) {
    let spec = |span: Span| format.fields().find(|f| f.span == span);
    for pair in plan::adjacent_fields(format) {
        if let (Some(a), Some(b)) = (spec(pair.first_span), spec(pair.second_span)) {
            out.push(
                Diagnostic::new(
                    Rule::Ambiguous,
                    Severity::Error,
                    Some(Span::new(a.span.start, b.span.end)),
                    format!(
                        "`{a}` and `{b}` touch: no parser can tell where one value ends and the next begins"
                    ),
                )
                .label("no literal between these fields")
                .help("put a separator between them (a space, `\\t`, `,`)"),
            );
        }
    }
}

/// `\r` or `\n` followed by letters (`\recordid` for `\trecordid`), and a trailing line break.
pub(crate) fn control_chars(format: &Format, source: &str, out: &mut Vec<Diagnostic>) {
    let tabs = source.matches("\\t").count();
    let end = format.items.last().map_or(0, |i| i.span().end);
    let trailing = crate::raw::trailing_breaks(source.get(..end).unwrap_or(source).as_bytes());
    for literal in format.literals() {
        let raw = source.get(literal.span.range()).unwrap_or("");
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i + 1 < bytes.len() {
            if bytes[i] != b'\\' {
                i += 1;
                continue;
            }
            let escape = bytes[i + 1];
            let at = literal.span.start + i;
            if matches!(escape, b'r' | b'n') && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
                let word_end = bytes[i + 2..].iter().position(|c| !c.is_ascii_alphanumeric() && *c != b'_');
                let word = &raw[i + 2..word_end.map_or(raw.len(), |w| i + 2 + w)];
                let what = if escape == b'r' { "carriage return" } else { "line feed" };
                let mut d = Diagnostic::new(
                    Rule::ControlCharTypo,
                    Severity::Error,
                    Some(Span::new(at, at + 2)),
                    format!(
                        "`\\{}{word}` prints a {what} and `{word}`, not `\\{}{word}`: NSS reads `\\{}` as an escape",
                        char::from(escape),
                        char::from(escape),
                        char::from(escape)
                    ),
                )
                .label(format!("a {what}"));
                if tabs >= 2 {
                    // The other pairs are tab-separated: `\trecordid` was meant.
                    d = d
                        .help(format!(
                            "the other pairs are separated by `\\t`: write `\\t{}{word}`",
                            char::from(escape)
                        ))
                        .fix(Span::new(at, at + 2), format!("\\t{}", char::from(escape)));
                } else {
                    d = d.help(format!(
                        "write `\\\\{}` for a backslash, or the separator that was meant",
                        char::from(escape)
                    ));
                }
                out.push(d);
            } else if matches!(escape, b'r' | b'n') && at < trailing {
                // Not a typo for a word, and not the record's end: a line break in every record.
                let what = if escape == b'r' { "carriage return" } else { "line feed" };
                out.push(
                    Diagnostic::new(
                        Rule::RawLineBreak,
                        Severity::Error,
                        Some(Span::new(at, at + 2)),
                        format!(
                            "`\\{}` prints a {what} inside every record: it splits each record in two \
                             lines, which `nssgen parse` and line-based SIEM inputs read as two broken records",
                            char::from(escape)
                        ),
                    )
                    .label(format!("a {what} mid-record"))
                    .help("use a separator that stays on the line, such as `\\t` or a space"),
                );
            }
            i += 2;
        }
    }
    // A trailing `\n` (escape or raw line break): NSS ends each record with a line feed itself.
    if let Some(Item::Literal(last)) = format.items.last() {
        if trailing < end {
            let span = Span::new(trailing.max(last.span.start), end);
            out.push(
                Diagnostic::new(
                    Rule::TrailingNewline,
                    Severity::Warning,
                    Some(span),
                    "trailing line break: NSS ends every record with a line feed itself, so each record is followed by an empty line",
                )
                .label("remove this")
                .fix(span, ""),
            );
        }
    }
}

/// The JSON body with sample values: valid, and where it first breaks.
pub(crate) fn json_body(
    format: &Format,
    source: &str,
    sample: &Sample,
    body: usize,
    out: &mut Vec<Diagnostic>,
) {
    let Err(e) = sample::validate(&sample.line, body) else { return };
    // serde_json places a raw control character at the byte before it, which may be the end of
    // a value: the break is the control character, never that field.
    let offset = if e.message.starts_with("a raw control character") {
        (e.offset + 1).min(sample.line.len())
    } else {
        e.offset
    };
    let field = sample.field_at(offset).and_then(|i| match &format.items[i] {
        Item::Field(f) => Some(f),
        Item::Literal(_) => None,
    });
    let mut d = match field {
        Some(f) if !f.conv.is_numeric() => Diagnostic::new(
            Rule::InvalidJson,
            Severity::Error,
            Some(f.span),
            format!("invalid JSON body: `{f}` prints a bare string here, and JSON strings need quotes"),
        )
        .label("unquoted string value")
        .fix(f.span, format!("\"{f}\"")),
        Some(f) => Diagnostic::new(
            Rule::InvalidJson,
            Severity::Error,
            Some(f.span),
            if f.flags.zero_pad() {
                format!("invalid JSON body at `{f}`: a JSON number cannot start with `0` (zero padding): quote the value")
            } else {
                format!("invalid JSON body at `{f}`: {}", e.message)
            },
        )
        .label("the JSON breaks here"),
        None => {
            let at = sample.source_offset(offset, source.len());
            let len = sample::printed_by(source, at);
            Diagnostic::new(
                Rule::InvalidJson,
                Severity::Error,
                Some(Span::new(at, at + len)),
                format!("invalid JSON body: {}", e.message),
            )
            .label("the JSON breaks here")
        }
    };
    if d.help.is_none() {
        d = d.help("the body is checked with example values in place of each field");
    }
    out.push(d);
}

/// Plain `%s` fields inside JSON strings that the catalog says can carry any text.
pub(crate) fn unsafe_values(
    format: &Format,
    subject: &Subject,
    sample: &Sample,
    body: usize,
    out: &mut Vec<Diagnostic>,
) {
    let t = subject.log_type;
    let strings = sample::string_ranges(&sample.line, body);
    let followed = published::Followed::of(format);
    for (index, range) in &sample.fields {
        let Item::Field(f) = &format.items[*index] else { continue };
        if f.conv != Conversion::S || range.start < body {
            continue;
        }
        let quoted = sample::inside_string(&strings, range);
        if !quoted {
            continue;
        }
        let Some(field) = t.field(&f.name) else { continue };
        if field.variant.is_some() {
            continue;
        }
        let variants: Vec<(Variant, String)> = field
            .variants
            .iter()
            .filter_map(|spec| {
                let name = spec.split_once('{')?.1.trim_end_matches('}').to_owned();
                let v = t.variant_of(&name)?;
                matches!(v.variant, Variant::Hex | Variant::B64).then_some((v.variant, name))
            })
            .collect();
        let Some((variant, name)) =
            variants.iter().find(|(v, _)| *v == Variant::Hex).or_else(|| variants.first()).cloned()
        else {
            continue;
        };
        // Digests, sizes and counts have no free text, whatever variants the catalog lists.
        if variant == Variant::B64
            && ["md5", "sha", "size", "count", "cnt"].iter().any(|w| f.name.contains(w))
        {
            continue;
        }
        let note = match variant {
            Variant::Hex => format!(
                "`%s{{{name}}}` hex-encodes control bytes always, and `\"` and `\\` only when the feed's escape \
                 characters include them (set them to `,\\\"`)"
            ),
            _ => format!("`%s{{{name}}}` is base64: nothing in it can break the JSON"),
        };
        let d = Diagnostic::new(
                Rule::UnsafeJsonValue,
                Severity::Warning,
                Some(f.span),
                format!(
                    "`{f}` is printed as is inside a JSON string: a `\"` or `\\` in the value breaks the record; \
                     use `%s{{{name}}}`"
                ),
            )
            .label("raw text in a JSON string")
            .help(note.clone());
        // A vendor's parser reads what its own format sends: when this body follows a profile's
        // and the profile prints the plain field here, the variant may reach a parser that does
        // not decode it, so the swap is the user's call, never a fix.
        if let Some((profile, log_type, key)) = followed.reads_plain(format, *index) {
            out.push(d.help(format!(
                "{note}; but this body follows the {} `{}` format, whose parser reads the plain `%s{{{}}}` \
                 under `{key}`: switch only if that parser decodes `%s{{{name}}}`",
                profile.id, log_type.id, f.name
            )));
            continue;
        }
        // A hex variant prints ordinary values unchanged, so the swap is certain; base64 changes
        // every value, which the SIEM must then decode: a suggestion only.
        out.push(if variant == Variant::Hex { d.fix(f.name_span, name) } else { d });
    }
}

/// More fields than a syslog message should carry.
pub(crate) fn size(format: &Format, shape: Shape, out: &mut Vec<Diagnostic>) {
    if shape == Shape::Headless {
        return;
    }
    let mut names: Vec<&str> = format.fields().map(|f| f.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() > MAX_SYSLOG_FIELDS {
        out.push(Diagnostic::new(
            Rule::TooManyFields,
            Severity::Warning,
            None,
            format!(
                "{} distinct fields in a syslog format: Zscaler advises at most about {MAX_SYSLOG_FIELDS}, \
                 because of syslog message size limits",
                names.len()
            ),
        ));
    }
}

/// Fields the catalog lists for none of the record types the format serves.
pub(crate) fn record_types(
    format: &Format,
    subject: &Subject,
    sample: &Sample,
    body: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    if subject.record_types.is_empty() {
        return;
    }
    let t = subject.log_type;
    let strings = body.map(|b| sample::string_ranges(&sample.line, b)).unwrap_or_default();
    let mut seen: Vec<&str> = Vec::new();
    for (index, range) in &sample.fields {
        let Item::Field(f) = &format.items[*index] else { continue };
        if seen.contains(&f.name.as_str()) || !knows(t, &f.name) {
            continue;
        }
        let missing: Vec<&String> = subject
            .record_types
            .iter()
            .filter(|rt| {
                !t.fields_named(&f.name).any(|c| c.record_types.is_empty() || c.record_types.contains(rt))
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        seen.push(&f.name);
        let has: Vec<&str> =
            t.fields_named(&f.name).flat_map(|c| c.record_types.iter().map(String::as_str)).collect();
        let bare_in_json = body.is_some_and(|b| range.start >= b && !sample::inside_string(&strings, range));
        let severity = if bare_in_json { Severity::Error } else { Severity::Warning };
        let consequence = if bare_in_json {
            "and the spec text outside quotes breaks the JSON body"
        } else {
            "so the SIEM must read it as missing"
        };
        let missing: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        out.push(
            Diagnostic::new(
                Rule::RecordType,
                severity,
                Some(f.span),
                format!(
                    "`{f}` does not exist for record type {}: NSS prints `{f}` literally in those records, {consequence}",
                    missing.join(", ")
                ),
            )
            .label(format!("{} only", if has.is_empty() { "no record type".to_owned() } else { has.join(", ") }))
            .help(format!("the catalog lists `{}` for: {}", f.name, if has.is_empty() { "none".to_owned() } else { has.join(", ") })),
        );
    }
}

/// The length of a rendered sample line.
pub(crate) fn line_length(sample: &Sample, out: &mut Vec<Diagnostic>) {
    out.push(Diagnostic::new(
        Rule::LineLength,
        Severity::Info,
        None,
        format!(
            "a sample line is {} bytes (catalog example values; real URLs and user agents make it longer)",
            sample.line.len()
        ),
    ));
}
