//! A sample line: the format rendered by the NSS emulator with the catalog's example values,
//! each byte traced back to the source, and a strict JSON validator that says where a body
//! first breaks.

use std::ops::Range;

use nssgen_catalog::LogType;
use nssgen_emulate::{Emulator, FieldValue, Values};
use nssgen_syntax::{FieldSpec, Format, Item};

/// Fields that print a JSON value, not text: Elastic embeds them unquoted.
const JSON_VALUED: [&str; 2] = ["preaction", "postaction"];

/// A rendered line and where each byte came from.
#[derive(Debug)]
pub(crate) struct Sample {
    /// The line, as NSS would print it with these values.
    pub(crate) line: String,
    /// For each byte of `line`, the source offset of the item character that printed it.
    pub(crate) origin: Vec<usize>,
    /// For each field item (by index in the format's items), its bytes in `line`.
    pub(crate) fields: Vec<(usize, Range<usize>)>,
}

impl Sample {
    /// The field item whose value covers `offset` of the line, if any.
    pub(crate) fn field_at(&self, offset: usize) -> Option<usize> {
        // Values are pushed in line order and never overlap, so one binary search finds the
        // only candidate: rules ask this for every byte of the line.
        let i = self.fields.partition_point(|(_, r)| r.end <= offset);
        self.fields.get(i).filter(|(_, r)| r.contains(&offset)).map(|(i, _)| *i)
    }

    /// The source offset of line byte `offset` (the end of the source past the line's end).
    pub(crate) fn source_offset(&self, offset: usize, source_len: usize) -> usize {
        self.origin.get(offset).copied().unwrap_or(source_len)
    }
}

/// Renders `format`, parsed from `source`, with example values: one per field name, from the
/// first spec that names it. Unquoted `%s` values are left as text unless the field prints
/// JSON, so a bare string breaks the JSON body where it should.
pub(crate) fn render(format: &Format, source: &str, log_type: Option<&LogType>) -> Sample {
    let mut values = Values::new();
    for field in format.fields() {
        if !values.contains(&field.name) {
            values.set(field.name.clone(), value(field, log_type));
        }
    }
    // Every field has a value, so rendering cannot fail.
    let traced = Emulator::new("").render_traced(format, &values).unwrap_or_default();
    let mut origin = Vec::with_capacity(traced.line.len());
    let mut fields = Vec::new();
    for (index, (item, printed)) in format.items.iter().zip(&traced.items).enumerate() {
        match item {
            Item::Literal(literal) => {
                // Each character a literal prints comes from one step of its source: an escape
                // or the character itself.
                let mut at = literal.span.start;
                for c in traced.line[printed.clone()].chars() {
                    origin.extend(std::iter::repeat_n(at, c.len_utf8()));
                    at += printed_by(source, at);
                }
            }
            Item::Field(field) => {
                origin.extend(std::iter::repeat_n(field.span.start, printed.len()));
                fields.push((index, printed.clone()));
            }
        }
    }
    Sample { line: traced.line, origin, fields }
}

/// The bytes of literal source at `at` that print one character of the line: two for an escape
/// (`\{` `\}` `\t` `\n` `\r` `%%`), one character otherwise (a lone `\` is one byte), none at
/// the end.
pub(crate) fn printed_by(source: &str, at: usize) -> usize {
    let Some(rest) = source.get(at..) else { return 0 };
    let escape = rest.strip_prefix('\\').is_some_and(|r| r.starts_with(['{', '}', 't', 'n', 'r']));
    if escape || rest.starts_with("%%") {
        2
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    }
}

/// An example value for a field: the catalog's when it is plain one-line text. A number under
/// a zero-padded width is cut to one digit, so the padding shows (`05` is not a JSON number).
fn value(field: &FieldSpec, log_type: Option<&LogType>) -> FieldValue {
    let example = log_type.and_then(|t| t.fields_named(&field.name).find_map(|f| f.example.as_deref()));
    if field.conv.is_numeric() {
        let n = example.and_then(|e| e.trim().parse::<i64>().ok()).unwrap_or(1);
        let n = if field.flags.zero_pad() && field.width.unwrap_or(0) > 1 { n.rem_euclid(10) } else { n };
        return FieldValue::from(n);
    }
    if JSON_VALUED.contains(&field.name.as_str()) {
        return FieldValue::from("{}");
    }
    match example {
        Some(e)
            if !e.is_empty()
                && e.len() <= 120
                && e.chars().all(|c| !c.is_control() && c != '"' && c != '\\') =>
        {
            FieldValue::from(e)
        }
        _ => FieldValue::from("sample"),
    }
}

/// Where a JSON text first breaks: the byte offset and why.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct JsonError {
    pub(crate) offset: usize,
    pub(crate) message: String,
}

/// Validates `text[start..]` as exactly one JSON value with serde_json; the error's offset is
/// into `text`, at the byte where serde_json found the break.
pub(crate) fn validate(text: &str, start: usize) -> Result<(), JsonError> {
    let body = text.get(start..).unwrap_or_default();
    let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(body) else { return Ok(()) };
    // serde_json counts lines from 1 and bytes within a line; column N is the N-th byte.
    let line_start: usize = body.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum();
    // At an unexpected end the break is the end itself, not the last byte read.
    let offset = if e.is_eof() {
        text.len()
    } else {
        (start + line_start + e.column().saturating_sub(1)).min(text.len())
    };
    let message = e.to_string();
    let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
    // serde_json says what it expected; the user also wants what stood there instead.
    let message = match text.get(offset..).and_then(|rest| rest.chars().next()) {
        _ if e.is_eof() => "the JSON body ends before it is closed".to_owned(),
        // serde_json reports a raw control character one byte late; its message says enough.
        _ if message.starts_with("control character") => {
            "a raw control character (tab, line break...) in a JSON string: JSON needs it escaped".to_owned()
        }
        Some(found) if found.is_control() => format!("{message}, found `{}`", found.escape_debug()),
        Some(found) => format!("{message}, found `{found}`"),
        None => message.to_owned(),
    };
    Err(JsonError { offset, message })
}

/// Byte ranges of the JSON strings in `text[start..]`, quotes included, scanned leniently
/// (a body that breaks later still gets its earlier strings).
pub(crate) fn string_ranges(text: &str, start: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut ranges = Vec::new();
    let mut i = start;
    while i < b.len() {
        if b[i] == b'"' {
            let open = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            ranges.push(open..(i + 1).min(b.len()));
        }
        i += 1;
    }
    ranges
}

/// Whether `range` lies strictly inside one of `strings` (from [`string_ranges`]: in order,
/// disjoint), found by binary search since rules ask it for every field.
pub(crate) fn inside_string(strings: &[Range<usize>], range: &Range<usize>) -> bool {
    let i = strings.partition_point(|s| s.end <= range.end);
    strings.get(i).is_some_and(|s| s.start < range.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validator_finds_the_first_break() {
        assert_eq!(validate(r#"{"a":"b","c":1}"#, 0), Ok(()));
        let e = validate(r#"{"a":"b" "c":1}"#, 0).unwrap_err();
        assert_eq!(e.offset, 9);
        let e = validate(r#"{"a":x}"#, 0).unwrap_err();
        assert_eq!(e.offset, 5);
        let e = validate(r#"{"a":"b"}}"#, 0).unwrap_err();
        assert_eq!(e.offset, 9);
        let e = validate(r#"{"a":"b""#, 0).unwrap_err();
        assert_eq!(e.offset, 8);
        assert!(validate(&"[".repeat(1000), 0).is_err());
    }
}
