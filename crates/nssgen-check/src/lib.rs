//! Lint rules for Zscaler NSS feed output formats: every way a format breaks before it reaches
//! the Admin Portal, each at its line and column, with a fix where one is certain.
//!
//! [`check`] parses a format (as bytes, with `nssgen_syntax::parse_bytes`), picks the log type
//! (given, or inferred from the body's `sourcetype` or the fields the catalog knows best) and
//! the syslog header shape (given by the target, or read from the format), and runs every
//! [`Rule`]. The [`Report`] renders rustc-style snippets, JSON, or the format with its certain
//! fixes applied.
//!
//! ```
//! use nssgen_check::{check, Options, Rule, Severity};
//!
//! let format = br#"\{"url":"%s{url}","id":%d{recordid}\}"#;
//! let report = check(format, &Options { log_type: Some("web".into()), target: None })?;
//! let d = report.diagnostics.iter().find(|d| d.rule == Rule::UnsafeJsonValue).expect("url is unsafe");
//! assert_eq!(d.severity, Severity::Warning);
//! assert!(!report.has_errors());
//! assert_eq!(report.fixed().0, r#"\{"url":"%s{eurl}","id":%d{recordid}\}"#);
//! # Ok::<(), nssgen_check::OptionsError>(())
//! ```
//!
//! # Rules
//!
//! | code | rule | severity | why that severity |
//! | --- | --- | --- | --- |
//! | NSS001 | syntax | error | the grammar rejects it; every mistake at once |
//! | NSS002 | typographic | error, fix | `“` `”` `’`, non-breaking spaces, dashes: NSS prints them, or the spec breaks |
//! | NSS003 | unknown-field | error | no such field for the log type (closest names, or the log type that has it); with no log type given, in no log type (pass --log-type or fix the name) |
//! | NSS004 | vendor-only-field | warning | used by vendors' formats (`%d{yy}`, `%d{tsport}`...), in no Zscaler table |
//! | NSS005 | conversion | error / warning | `%d` on a string loses the value (error); `%s` on a number or a narrower integer still delivers digits (warning) |
//! | NSS006 | ambiguous | error | two fields touch: no parser can split them |
//! | NSS007 | invalid-json | error | with example values in place, the body is not JSON: the first break |
//! | NSS008 | unsafe-json-value | warning, fix (hex) | a plain `%s` with an `e`/`b64` variant inside a JSON string: most values are fine, one `"` breaks a record |
//! | NSS009 | syslog-header | error | RFC3164 without TAG, RFC5424 with missing fields: the SIEM misreads the header |
//! | NSS010 | date-slot | error, fix | `mm` (minutes) where the month belongs; `yy` in an RFC5424 year is a warning |
//! | NSS011 | literal-pri | error | `<PRI>` printed as is |
//! | NSS012 | text-before-body | error, fix | `event=` before the JSON body, `event=datetime=` in key=value |
//! | NSS013 | control-char-typo | error, fix when `\t` separates the pairs | `\recordid` prints a carriage return |
//! | NSS014 | trailing-newline | warning, fix | NSS adds the line feed: an empty line follows each record |
//! | NSS015 | too-many-fields | warning | more than 50 fields in a syslog target |
//! | NSS016 | record-type | warning (error when unquoted in JSON) | NSS prints the spec itself for records lacking the field |
//! | NSS017 | checked-as | info | the log type, record types and header shape the format was checked as |
//! | NSS018 | line-length | info | the length of a sample line |
//! | NSS019 | raw-line-break | error, fix when a separator is already there | a line break byte inside the format: printed, it splits each record in two |
//! | NSS020 | control-byte | error, fix (delete) | NUL, `\x01`, DEL...: invisible, and printed into every record (a raw tab is fine: it prints what `\t` prints) |
//! | NSS021 | published-format | info | a profile's format byte for byte: its NSS004, NSS008 and NSS016 risks are the vendor's choice, listed once |
//! | NSS022 | older-vendor-format | info | a vendor's older published format byte for byte (Sekoia's history, Elastic's first generation): which one, and the keys its current format adds and removes |
//!
//! The file's final newline is the file's, not the format's: callers strip one with
//! [`strip_final_newline`] before checking. A format that still ends in a line break (a `\n`
//! escape, or a second newline) gets [`Rule::TrailingNewline`]; a line break anywhere else gets
//! [`Rule::RawLineBreak`].
//!
//! NSS008 never fixes a field that a profile's parser reads plain when the format follows that
//! profile's body (its sourcetype and most of its keys): the hex variant might reach a parser
//! that does not decode it.
#![deny(missing_docs)]

mod context;
mod diagnostic;
mod header;
mod json;
pub mod known;
mod published;
mod raw;
mod render;
mod rules;
mod sample;
mod source;

use std::borrow::Cow;

use nssgen_catalog::Target;

pub use diagnostic::{Diagnostic, Fix, Rule, Severity};

/// What to check a format as.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// A catalog log type (`web`) or a profile log type (`tunnel-ike-phase1`, which also fixes
    /// the record types); `None` infers it.
    pub log_type: Option<String>,
    /// The delivery target, which fixes the header shape; `None` reads it from the format.
    pub target: Option<Target>,
}

/// An option that names nothing: an unknown log type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct OptionsError(String);

/// The format without the file's final newline (`\n` or `\r\n`).
pub fn strip_final_newline(bytes: &[u8]) -> &[u8] {
    match bytes.strip_suffix(b"\n") {
        Some(b) => b.strip_suffix(b"\r").unwrap_or(b),
        None => bytes,
    }
}

/// Every finding on one format.
#[derive(Clone, Debug)]
pub struct Report {
    /// The checked source as text (bytes that are not UTF-8 shown as `?`, one for one), which
    /// spans refer to.
    pub source: String,
    /// The findings: the `checked-as` note first, then by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks a format given as bytes. Never panics; an unknown `options.log_type` is the only error.
pub fn check(bytes: &[u8], options: &Options) -> Result<Report, OptionsError> {
    let given = match options.log_type.as_deref() {
        Some(id) => Some(context::resolve(id).ok_or_else(|| {
            OptionsError(format!("unknown log type `{id}` (valid: {})", context::valid_ids().join(", ")))
        })?),
        None => None,
    };
    let (text, _) = nssgen_syntax::utf8_placeholders(bytes);
    let mut diagnostics = Vec::new();
    let repaired = source::Repaired::new(bytes, &text, &mut diagnostics);
    raw::scan(bytes, &mut diagnostics);

    let format = match nssgen_syntax::parse_bytes(&repaired.bytes) {
        Ok(format) => format,
        Err(errors) => {
            for e in errors {
                let span = repaired.span(e.span);
                // A substitute is the cause; its own error says so, with the fix.
                if repaired.overlaps_replaced(span) {
                    continue;
                }
                diagnostics.push(
                    Diagnostic::new(Rule::Syntax, Severity::Error, Some(span), e.message)
                        .label(e.kind.label()),
                );
            }
            sort(&mut diagnostics);
            return Ok(Report { source: text, diagnostics });
        }
    };
    // Parsed, so the repaired bytes are UTF-8.
    let fixed_text = String::from_utf8_lossy(&repaired.bytes).into_owned();
    let mut found = Vec::new();
    run_rules(&format, &fixed_text, given, options, &mut found);
    if repaired.changed() {
        for d in &mut found {
            d.span = d.span.map(|s| repaired.span(s));
            if let Some(fix) = &mut d.fix {
                fix.span = repaired.span(fix.span);
            }
        }
    }
    diagnostics.extend(found);
    sort(&mut diagnostics);
    Ok(Report { source: text, diagnostics })
}

/// The `checked-as` note first, then by position (span-less findings last), stable otherwise.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| match (d.rule, d.span) {
        (Rule::CheckedAs, _) => (0, 0, 0),
        (_, Some(s)) => (1, s.start, s.end),
        (_, None) => (2, 0, 0),
    });
}

fn run_rules(
    format: &nssgen_syntax::Format,
    text: &str,
    given: Option<(&'static nssgen_catalog::LogType, Vec<String>)>,
    options: &Options,
    out: &mut Vec<Diagnostic>,
) {
    if format.items.is_empty() {
        out.push(Diagnostic::new(
            Rule::Syntax,
            Severity::Error,
            None,
            "empty format: NSS would send empty records",
        ));
        return;
    }
    let subject = context::subject(format, given, options.log_type.as_deref());
    let (shape, shape_how) = context::shape(format, options.target);
    let checked_as = match &subject {
        Some(s) => format!("checked as {}; {shape_how}", s.how),
        None if format.fields().next().is_none() => {
            format!("no log type: the format has no fields; {shape_how}")
        }
        None => format!(
            "no log type: no catalog log type knows any of the fields (fix them or pass --log-type); \
             conversions, JSON values and record types not checked; {shape_how}"
        ),
    };
    out.push(Diagnostic::new(Rule::CheckedAs, Severity::Info, None, checked_as));

    // Raw control bytes and line breaks have their own errors (NSS019, NSS020): the rules below
    // see spaces in their place.
    let blanked = raw::blanked(text);
    let (published_text, text) = (text, &*blanked);
    // The sample line prints those spaces too. The grammar takes a control byte for literal
    // text, so the blanked source parses to the same items with blanked literals.
    let blanked_format = matches!(blanked, Cow::Owned(_)).then(|| nssgen_syntax::parse(text).ok()).flatten();
    let sample =
        sample::render(blanked_format.as_ref().unwrap_or(format), text, subject.as_ref().map(|s| s.log_type));
    // The body starts at the first `{` a literal prints.
    let body_item = nssgen_syntax::plan::body_split(format).map(|(i, _)| i);
    let body =
        sample.line.char_indices().find(|(i, c)| *c == '{' && sample.field_at(*i).is_none()).map(|(i, _)| i);

    rules::ambiguous(format, out);
    rules::control_chars(format, text, out);
    header::date_slots(format, shape, body_item, out);
    header::syslog(format, text, &sample, shape, body, out);
    if let Some(b) = body {
        rules::json_body(format, text, &sample, b, out);
    }
    match &subject {
        Some(subject) => {
            rules::fields(format, subject, out);
            if let Some(b) = body {
                rules::unsafe_values(format, subject, &sample, b, out);
            }
            rules::record_types(format, subject, &sample, body, out);
        }
        None => rules::unknown_anywhere(format, out),
    }
    rules::size(format, shape, out);
    rules::line_length(&sample, out);
    published::fold(format, published_text, out);
    known::older(published_text, out);
}

impl Report {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// The 1-based line and column (in characters) of a byte offset of the source (for many
    /// offsets, index the source once with [`nssgen_syntax::LineIndex`]).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        nssgen_syntax::line_col(&self.source, offset)
    }

    /// The source with every certain fix applied (overlapping fixes after the first are left
    /// out), and the findings whose fixes were applied.
    pub fn fixed(&self) -> (String, Vec<&Diagnostic>) {
        let mut fixes: Vec<(&Diagnostic, &Fix)> =
            self.diagnostics.iter().filter_map(|d| d.fix.as_ref().map(|f| (d, f))).collect();
        fixes.sort_by_key(|(_, f)| (f.span.start, f.span.end));
        let mut out = String::with_capacity(self.source.len());
        let mut at = 0;
        let mut applied = Vec::new();
        for (d, fix) in fixes {
            let (start, end) = (fix.span.start, fix.span.end);
            if start < at
                || end > self.source.len()
                || !self.source.is_char_boundary(start)
                || !self.source.is_char_boundary(end)
            {
                continue;
            }
            out.push_str(&self.source[at..start]);
            out.push_str(&fix.replacement);
            at = end;
            applied.push(d);
        }
        out.push_str(&self.source[at..]);
        (out, applied)
    }

    /// Renders every finding rustc-style: the code, the message, the source line with a caret
    /// under the characters at fault, and the help. `origin` names the source (a path,
    /// `<stdin>`). Plain text, no colour.
    pub fn render(&self, origin: &str) -> String {
        render::render(self, origin)
    }

    /// The findings as `{"diagnostics":[{"code","severity","message","line","column","end_line",
    /// "end_column","fix"}]}`; line and column are 1-based, `null` for findings about the whole
    /// format; `fix` is `null` or the replacement text for the span.
    pub fn to_json(&self) -> serde_json::Value {
        // Serialising the schema's own type cannot fail: every key is a string.
        serde_json::to_value(json::Findings::of(self)).unwrap_or_default()
    }

    /// Writes [`to_json`](Self::to_json) pretty-printed, one finding at a time: a report of a
    /// million findings is never held as a JSON tree.
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(out, &json::Findings::of(self)).map_err(std::io::Error::from)
    }
}
