//! Syslog header rules: the RFC3164 TAG, the RFC5424 fields, `<PRI>` placeholders, text glued
//! to the body (`event=`), and date patterns with the wrong field in a slot.

use std::ops::Range;

use nssgen_syntax::{Format, Item, Span};

use crate::context::Shape;
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::sample::Sample;

/// Field names that print a part of the date or time.
pub(crate) const DATE_FIELDS: [&str; 9] = ["mon", "mth", "dd", "hh", "mm", "ss", "yyyy", "yy", "day"];

/// What each date field prints, for messages.
fn meaning(name: &str) -> &'static str {
    match name {
        "mon" => "the month name",
        "mth" => "the month",
        "dd" => "the day",
        "hh" => "the hour",
        "mm" => "the minute",
        "ss" => "the second",
        "yyyy" | "yy" => "the year",
        "day" => "the weekday",
        _ => "something else",
    }
}

/// Reports date triples (`Y-M-D`, `h:m:s`) with a field in the wrong slot.
pub(crate) fn date_slots(format: &Format, shape: Shape, body_item: Option<usize>, out: &mut Vec<Diagnostic>) {
    let items = &format.items;
    let mut i = 0;
    while i + 4 < items.len() {
        let (Item::Field(a), Item::Literal(s1), Item::Field(b), Item::Literal(s2), Item::Field(c)) =
            (&items[i], &items[i + 1], &items[i + 2], &items[i + 3], &items[i + 4])
        else {
            i += 1;
            continue;
        };
        let slots: [(&[&str], &str); 3] = match (s1.text.as_str(), s2.text.as_str()) {
            (":", ":") => [(&["hh"], "hour"), (&["mm"], "minute"), (&["ss"], "second")],
            ("-", "-") | ("/", "/") => [(&["yyyy", "yy"], "year"), (&["mth"], "month"), (&["dd"], "day")],
            _ => {
                i += 1;
                continue;
            }
        };
        let in_header = body_item.is_none_or(|b| i < b);
        for (field, (expected, slot)) in [a, b, c].into_iter().zip(slots) {
            if !DATE_FIELDS.contains(&field.name.as_str()) {
                continue;
            }
            if field.name == "yy" && expected.contains(&"yy") {
                if in_header && shape == Shape::Rfc5424 {
                    out.push(
                        Diagnostic::new(
                            Rule::DateSlot,
                            Severity::Warning,
                            Some(field.span),
                            format!(
                                "`{field}` in the year slot of the RFC5424 timestamp: RFC5424 needs a \
                                 four-digit year, and `yy` is in no Zscaler table"
                            ),
                        )
                        .label("write `%04d{yyyy}`")
                        .fix(field.span, "%04d{yyyy}"),
                    );
                }
                continue;
            }
            if expected.contains(&field.name.as_str()) {
                continue;
            }
            let want = expected[0];
            let width = field.width.map_or(String::new(), |w| w.to_string());
            let spec = format!("%{}{width}{}{{{want}}}", field.flags.raw, field.conv);
            out.push(
                Diagnostic::new(
                    Rule::DateSlot,
                    Severity::Error,
                    Some(field.span),
                    format!(
                        "`{field}` prints {} but sits in the {slot} slot: write `{spec}` ({})",
                        meaning(&field.name),
                        meaning(want)
                    ),
                )
                .label(format!("{} where {} belongs", meaning(&field.name), meaning(want)))
                .fix(field.name_span, want),
            );
        }
        i += 5;
    }
    // RFC3164 spells the month: `Oct`, not `10`.
    if shape == Shape::Rfc3164 {
        if let Some(Item::Field(f)) = items.first() {
            if f.name == "mth" {
                out.push(
                    Diagnostic::new(
                        Rule::DateSlot,
                        Severity::Error,
                        Some(f.span),
                        format!(
                            "`{f}` prints the month as a number, but an RFC3164 timestamp spells it (`Oct`)"
                        ),
                    )
                    .label("write `%s{mon}`")
                    .fix(f.span, "%s{mon}"),
                );
            }
        }
    }
}

/// The source span of a range of the sample line.
fn source_span(sample: &Sample, format: &Format, source: &str, range: Range<usize>) -> Span {
    let start = sample.source_offset(range.start, source.len());
    let last = range.end.saturating_sub(1).max(range.start);
    let end = match sample.field_at(last) {
        Some(i) => format.items[i].span().end,
        None => {
            let at = sample.source_offset(last, source.len());
            at + crate::sample::printed_by(source, at)
        }
    };
    Span::new(start, end.max(start))
}

/// Space-separated tokens of `line[..end]`, as byte ranges.
fn tokens(line: &str, end: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line[..end].char_indices() {
        match (c == ' ', start) {
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out
}

/// Whether a token of the line holds a date field's value.
fn holds_date(sample: &Sample, format: &Format, token: &Range<usize>) -> bool {
    sample.fields.iter().any(|(i, r)| {
        r.start < token.end
            && token.start < r.end
            && matches!(&format.items[*i], Item::Field(f) if DATE_FIELDS.contains(&f.name.as_str()))
    })
}

/// Header rules over the sample line: `<PRI>`, the TAG, the RFC5424 fields, text glued to the body.
pub(crate) fn syslog(
    format: &Format,
    source: &str,
    sample: &Sample,
    shape: Shape,
    body: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let line = sample.line.as_str();
    let header_end = body.unwrap_or(line.len());
    let span = |range: Range<usize>| source_span(sample, format, source, range);

    // `<PRI>`: the priority must be a number 0..=191.
    if line.starts_with('<') {
        if let Some(close) = line[..header_end].find('>') {
            let pri = &line[1..close];
            let number = pri.parse::<u16>().ok().filter(|n| *n <= 191);
            // A field printing the priority (`<%d{syslogid}>`) is the SIEM's business.
            let from_field = (1..close).any(|at| sample.field_at(at).is_some());
            if number.is_none() && !from_field {
                out.push(
                    Diagnostic::new(
                        Rule::LiteralPri,
                        Severity::Error,
                        Some(span(0..close + 1)),
                        format!(
                            "`<{pri}>` is not a syslog priority: NSS prints it as is, and the SIEM \
                             needs a number from 0 to 191"
                        ),
                    )
                    .label("a placeholder, not a priority")
                    .help("write the priority as a number: `<134>` is local0.info"),
                );
            }
        }
    } else if shape == Shape::Rfc5424 {
        out.push(
            Diagnostic::new(
                Rule::SyslogHeader,
                Severity::Error,
                Some(span(0..line.len().min(1))),
                "an RFC5424 header starts with `<PRI>1` (`<134>1 `)",
            )
            .label("no `<PRI>1`"),
        );
    }

    let toks = tokens(line, header_end);
    // Text glued to the JSON body (`event=\{`): its last header token touches the `{`.
    let glued = body.and_then(|b| toks.last().filter(|t| t.end == b).cloned());
    let mut required = 0;
    match shape {
        Shape::Rfc3164 => {
            let dates = toks.iter().take_while(|t| holds_date(sample, format, t)).count();
            if dates > 0 {
                required = dates + 2;
                let rest = &toks[dates..];
                let last_date = toks[dates - 1].clone();
                if rest.is_empty() && body.is_some() {
                    out.push(
                        Diagnostic::new(
                            Rule::SyslogHeader,
                            Severity::Error,
                            Some(span(last_date)),
                            "RFC3164 header without HOSTNAME and TAG after the timestamp",
                        )
                        .label("HOSTNAME and TAG expected after this")
                        .help("write `zscaler-nss NSS ` after the timestamp"),
                    );
                } else if rest.len() == 1 && body.is_some() && glued.as_ref() != Some(&rest[0]) {
                    out.push(
                        Diagnostic::new(
                            Rule::SyslogHeader,
                            Severity::Error,
                            Some(span(rest[0].clone())),
                            format!(
                                "RFC3164 header without a TAG: `{}` is the HOSTNAME, and the SIEM reads \
                                 the first word of the body as the TAG",
                                &line[rest[0].clone()]
                            ),
                        )
                        .label("HOSTNAME, then no TAG")
                        .help(format!("add a TAG after the hostname: `{} NSS `", &line[rest[0].clone()])),
                    );
                }
            }
        }
        Shape::Rfc5424 => {
            // `<PRI>1`, TIMESTAMP, then HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA.
            let fields_start = 2;
            required = fields_start + 5;
            let names = ["HOSTNAME", "APP-NAME", "PROCID", "MSGID", "STRUCTURED-DATA"];
            let present = toks.get(fields_start..).unwrap_or(&[]);
            if let Some(pos) = present.iter().take(4).position(|t| line[t.clone()].starts_with('[')) {
                let t = present[pos].clone();
                out.push(
                    Diagnostic::new(
                        Rule::SyslogHeader,
                        Severity::Error,
                        Some(span(t.clone())),
                        format!(
                            "structured data `{}` where the {} belongs: an RFC5424 header is HOSTNAME \
                             APP-NAME PROCID MSGID STRUCTURED-DATA, and {} missing before it",
                            &line[t],
                            names[pos],
                            match 4 - pos {
                                1 => "one is".to_owned(),
                                n => format!("{n} are"),
                            }
                        ),
                    )
                    .label(format!("read as the {}", names[pos]))
                    .help("write `- ` for each missing field (`zscaler-nss NSS - - [event ...]`)"),
                );
            } else if body.is_some() && present.len() < 5 {
                let at = toks.last().cloned().unwrap_or(0..0);
                out.push(
                    Diagnostic::new(
                        Rule::SyslogHeader,
                        Severity::Error,
                        Some(span(at)),
                        format!(
                            "RFC5424 header with {} of its 5 fields after the timestamp (HOSTNAME APP-NAME \
                             PROCID MSGID STRUCTURED-DATA)",
                            present.len()
                        ),
                    )
                    .label("fields missing before the body")
                    .help("write `zscaler-nss NSS - - - ` after the timestamp"),
                );
            }
        }
        Shape::Headless => {}
    }
    // Cloud NSS (and a headless line) starts with the body itself.
    if shape == Shape::Headless {
        if let Some(b) = body.filter(|b| !line[..*b].trim().is_empty()) {
            let s = span(0..b);
            out.push(
                Diagnostic::new(
                    Rule::TextBeforeBody,
                    Severity::Error,
                    Some(s),
                    "text before the JSON body of a format without a syslog header: Cloud NSS posts the \
                     body alone, and the SIEM's JSON parser rejects anything before `{`",
                )
                .label("not JSON")
                .fix(s, ""),
            );
            kv_double_key(format, source, sample, out);
            return;
        }
    }
    if let Some(g) = glued {
        let index = toks.iter().position(|t| *t == g).unwrap_or(0);
        if index >= required {
            let s = span(g.clone());
            let text = &line[g];
            let message = if shape == Shape::Headless {
                format!("text `{text}` before the JSON body: the line must start with `{{`")
            } else {
                format!("text `{text}` between the syslog header and the JSON body: the SIEM's JSON parser sees `{text}{{...`")
            };
            out.push(
                Diagnostic::new(Rule::TextBeforeBody, Severity::Error, Some(s), message)
                    .label("not part of the header, not JSON")
                    .fix(s, ""),
            );
        }
    }
    // `event=datetime="..."`: a key whose value starts with another key.
    kv_double_key(format, source, sample, out);
}

/// Reports `key=key=` in a key=value format (`event=datetime="..."`).
fn kv_double_key(format: &Format, source: &str, sample: &Sample, out: &mut Vec<Diagnostic>) {
    let b = sample.line.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        if !word(b[i]) || (i > 0 && word(b[i - 1])) || sample.field_at(i).is_some() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        let eq = i;
        let mut j = eq + 1;
        while j < b.len() && word(b[j]) && sample.field_at(j).is_none() {
            j += 1;
        }
        if j > eq + 1
            && b.get(j) == Some(&b'=')
            && (start == 0 || b[start - 1] == b' ' || b[start - 1] == b'\t')
        {
            let s = source_span(sample, format, source, start..eq + 1);
            let key = &sample.line[start..eq];
            let next = &sample.line[eq + 1..j];
            out.push(
                Diagnostic::new(
                    Rule::TextBeforeBody,
                    Severity::Error,
                    Some(s),
                    format!(
                        "`{key}=` before `{next}=`: the pair reads as key `{key}` with the value \
                         `{next}=...`, and `{next}` is lost"
                    ),
                )
                .label("a key with no value of its own")
                .fix(s, ""),
            );
            return;
        }
        i = eq + 1;
    }
}
