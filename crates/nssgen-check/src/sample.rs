//! A sample line rendered from the format with catalog example values, each byte traced back
//! to the source, and a strict JSON validator that says where a body first breaks.

use std::ops::Range;

use nssgen_catalog::LogType;
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
        self.fields.iter().find(|(_, r)| r.contains(&offset)).map(|(i, _)| *i)
    }

    /// The source offset of line byte `offset` (the end of the source past the line's end).
    pub(crate) fn source_offset(&self, offset: usize, source_len: usize) -> usize {
        self.origin.get(offset).copied().unwrap_or(source_len)
    }
}

/// Renders `format` with example values. `quoted` says, per field item, whether the value sits
/// inside a JSON string (then it holds no quote); unquoted `%s` values are left as text unless
/// the field prints JSON, so a bare string breaks the JSON body where it should.
pub(crate) fn render(format: &Format, source: &str, log_type: Option<&LogType>) -> Sample {
    let mut line = String::new();
    let mut origin = Vec::new();
    let mut fields = Vec::new();
    for (index, item) in format.items.iter().enumerate() {
        match item {
            Item::Literal(literal) => {
                let raw = source.get(literal.span.range()).unwrap_or(&literal.raw);
                decode_into(raw, literal.span.start, &mut line, &mut origin);
            }
            Item::Field(field) => {
                let value = value(field, log_type);
                let start = line.len();
                line.push_str(&value);
                origin.extend(std::iter::repeat_n(field.span.start, value.len()));
                fields.push((index, start..line.len()));
            }
        }
    }
    Sample { line, origin, fields }
}

/// Decodes a literal's raw text (`\{`, `\t`, `%%`...) as the parser does, tracing each byte.
fn decode_into(raw: &str, base: usize, line: &mut String, origin: &mut Vec<usize>) {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let decoded = match (bytes[i], bytes.get(i + 1)) {
            (b'\\', Some(b'{')) => Some('{'),
            (b'\\', Some(b'}')) => Some('}'),
            (b'\\', Some(b't')) => Some('\t'),
            (b'\\', Some(b'n')) => Some('\n'),
            (b'\\', Some(b'r')) => Some('\r'),
            (b'%', Some(b'%')) => Some('%'),
            _ => None,
        };
        if let Some(c) = decoded {
            line.push(c);
            origin.push(base + i);
            i += 2;
            continue;
        }
        let Some(c) = raw[i..].chars().next() else { break };
        line.push(c);
        origin.extend(std::iter::repeat_n(base + i, c.len_utf8()));
        i += c.len_utf8();
    }
}

/// An example value for a field: the catalog's when it is plain one-line text, padded as the
/// spec says.
fn value(field: &FieldSpec, log_type: Option<&LogType>) -> String {
    let example = log_type.and_then(|t| t.fields_named(&field.name).find_map(|f| f.example.as_deref()));
    let text = if field.conv.is_numeric() {
        let n = example.and_then(|e| e.trim().parse::<i64>().ok()).unwrap_or(1);
        // One digit under a zero-padded width, so the padding shows (`05` is not a JSON number).
        let n = if field.flags.zero_pad() && field.width.unwrap_or(0) > 1 { n.rem_euclid(10) } else { n };
        let width = field.width.unwrap_or(0) as usize;
        // A width beyond any real line would only allocate; the parser caps it at u32 anyway.
        let width = width.min(64);
        if field.flags.zero_pad() {
            format!("{n:0width$}")
        } else if field.flags.left_justify() {
            format!("{n:<width$}")
        } else {
            format!("{n:>width$}")
        }
    } else if JSON_VALUED.contains(&field.name.as_str()) {
        "{}".to_owned()
    } else {
        match example {
            Some(e)
                if !e.is_empty()
                    && e.len() <= 120
                    && e.chars().all(|c| !c.is_control() && c != '"' && c != '\\') =>
            {
                e.to_owned()
            }
            _ => "sample".to_owned(),
        }
    };
    text
}

/// Where a JSON text first breaks: the byte offset and why.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct JsonError {
    pub(crate) offset: usize,
    pub(crate) message: String,
}

/// Validates `text[start..]` as exactly one JSON value. Offsets are into `text`. Returns the
/// byte ranges of every string token too (for telling quoted values from bare ones).
pub(crate) fn validate(text: &str, start: usize) -> Result<(), JsonError> {
    let mut p = Parser { b: text.as_bytes(), i: start };
    p.value(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err("text after the end of the JSON body"));
    }
    Ok(())
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

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

/// Deeper nesting than any feed format; stops a hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> JsonError {
        JsonError { offset: self.i, message: message.into() }
    }

    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn found(&self) -> String {
        match self.b.get(self.i) {
            None => "the end of the line".to_owned(),
            Some(_) => {
                let c = std::str::from_utf8(&self.b[self.i..])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .or_else(|| self.b.get(self.i).map(|&b| char::from(b)))
                    .unwrap_or('?');
                if c.is_control() {
                    format!("`{}`", c.escape_debug())
                } else {
                    format!("`{c}`")
                }
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word("true"),
            Some(b'f') => self.word("false"),
            Some(b'n') => self.word("null"),
            _ => Err(self.err(format!("expected a JSON value, found {}", self.found()))),
        }
    }

    fn word(&mut self, word: &str) -> Result<(), JsonError> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.err(format!("expected a JSON value, found {}: strings need quotes", self.found())))
        }
    }

    fn number(&mut self) -> Result<(), JsonError> {
        let start = self.i;
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let digits = self.i;
        while matches!(self.b.get(self.i), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        if self.i == digits {
            return Err(self.err(format!("expected a digit, found {}", self.found())));
        }
        if self.b[digits] == b'0' && self.i - digits > 1 {
            self.i = digits;
            return Err(self.err("a JSON number cannot start with `0` (zero padding): quote the value"));
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            while matches!(self.b.get(self.i), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            while matches!(self.b.get(self.i), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        // Letters glued to a number (`12abc`) are a bare string, not a number.
        if matches!(self.b.get(self.i), Some(c) if c.is_ascii_alphabetic()) {
            self.i = start;
            return Err(
                self.err(format!("expected a JSON value, found {}: strings need quotes", self.found()))
            );
        }
        Ok(())
    }

    fn string(&mut self) -> Result<(), JsonError> {
        self.i += 1; // the opening quote
        loop {
            match self.b.get(self.i) {
                None => return Err(self.err("unterminated JSON string: a `\"` is missing")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => match self.b.get(self.i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 2,
                    Some(b'u') => {
                        let hex = self.b.get(self.i + 2..self.i + 6);
                        if hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                            self.i += 6;
                        } else {
                            return Err(self.err("invalid `\\u` escape in a JSON string"));
                        }
                    }
                    _ => return Err(self.err("invalid escape in a JSON string: a backslash must be doubled")),
                },
                Some(&c) if c < 0x20 => {
                    return Err(self.err(format!(
                    "control character {} in a JSON string: JSON strings cannot hold raw tabs or line breaks",
                    char::from(c).escape_debug()
                )))
                }
                Some(_) => self.i += 1,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), JsonError> {
        self.i += 1;
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return Err(self.err(format!("expected a quoted key, found {}", self.found())));
            }
            self.string()?;
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return Err(self.err(format!("expected `:` after the key, found {}", self.found())));
            }
            self.i += 1;
            self.value(depth + 1)?;
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                None => return Err(self.err("the JSON body ends before its closing `}`")),
                _ => {
                    return Err(
                        self.err(format!("expected `,` or `}}` after a value, found {}", self.found()))
                    )
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), JsonError> {
        self.i += 1;
        self.ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.value(depth + 1)?;
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                None => return Err(self.err("the JSON array ends before its closing `]`")),
                _ => {
                    return Err(self.err(format!("expected `,` or `]` after a value, found {}", self.found())))
                }
            }
        }
    }
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
