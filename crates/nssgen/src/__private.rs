//! Runtime support for the code `#[derive(NssRecord)]` generates. Not a public API: names and
//! signatures change with the derive.
//!
//! The generated code walks a line with these helpers exactly as the interpreter does (same
//! literal search, same width rule, same agreement and unsubstituted-spec rules), so the two
//! parse every line the same way. Offsets are byte offsets in the line.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use crate::json::Failure;
use crate::walk::{error, find, find_byte_inline, find_last, is_own_spec, Index};
use crate::{Encoding, FromField, ParseError, ParseErrorKind, Parser};

pub use crate::{ParsePath, Parsed};

// The hot path of a derived parser: each helper below is small, inlined, and fails with
// `None`. `parse` and `parse_detailed` walk the whole line with them and, wherever one fails,
// hand the line to a cold function that walks it again with errors (and tries the headless
// walk and the JSON fallback), so the straight-line walk holds no error construction, no
// offsets, and builds the record in place. Code size counts as much as instructions: the walk
// is inlined at every field, and a web record's walk must stay within the instruction cache.

/// The value of a field at the start of `rest` (the line from the value on) up to the first
/// whole `lit` at or after byte `width`, and the text after that `lit`: the step the generated
/// walk takes for each field, [`until_width`] without the error.
///
/// Inlined into the walk, kept small: a padded value that is exactly `width` bytes long needs
/// no search; otherwise the first byte of `lit` is searched, the first eight bytes in place as
/// one word (a value rarely holds it: NSS encodes `"` in hex fields, numbers hold none), and
/// `lit`, a constant once inlined, is checked in place with `strip_prefix`, whose compares
/// against constants are inlined and whose slice needs no character-boundary check. The walk
/// works on the rest of the line rather than on offsets so that each field costs one such
/// check, not two. A false start (the byte inside a value) goes on out of line.
#[inline(always)]
pub fn split<'a>(rest: &'a str, width: usize, lit: &'static str) -> Option<(&'a str, &'a str)> {
    let bytes = rest.as_bytes();
    let Some(&first) = lit.as_bytes().first() else {
        return rest.split_at_checked(width);
    };
    // A padded spec's value is most often exactly `width` bytes long (`%02d{hh}`): when `lit`
    // sits right there, that is its first occurrence from `width` on, and no search is needed.
    if width > 0 {
        if let Some((value, after)) = rest.split_at_checked(width) {
            if let Some(after) = strip_literal(after, lit) {
                return Some((value, after));
            }
        }
    }
    let at = width + find_byte_inline(first, bytes.get(width..)?)?;
    let (value, after) = rest.split_at_checked(at)?;
    match strip_literal(after, lit) {
        Some(after) => Some((value, after)),
        None => split_far(rest, at + 1, lit),
    }
}

/// Bytes of a line [`Marks`] covers: lines are shorter; past it the walk searches.
const MARKED: usize = 4096;
const WORDS: usize = MARKED / 64;

/// Where one byte (the first byte of most of a format's literals: `"` in a JSON body) sits in
/// the first [`MARKED`] bytes of a line, a bit per byte, found 16 bytes at a time with SIMD
/// compares. [`split_marked`] then finds the end of a value up to 64 bytes long with a shift and
/// a bit scan: no loop and no branch on the value's length, whose mispredictions cost a quarter
/// of the walk when each value was searched on its own (measured: the same line parsed over
/// and over ran 37% faster than varied lines).
#[derive(Clone, Debug)]
pub struct Marks {
    /// Bit `i % 64` of word `i / 64` is set when byte `i` is the byte. One word more than
    /// [`MARKED`] needs, always zero, so that a window may read the word after any covered one.
    bits: [u64; WORDS + 1],
}

impl Marks {
    /// The marks of `byte` in `line`.
    #[inline]
    pub fn new(line: &str, byte: u8) -> Marks {
        let bytes = line.as_bytes();
        let bytes = bytes.get(..MARKED).unwrap_or(bytes);
        let needle = wide::u8x16::splat(byte);
        let mut bits = [0u64; WORDS + 1];
        let chunks = bytes.chunks_exact(64);
        let tail = chunks.remainder();
        let full = chunks.len();
        for (word, chunk) in bits.iter_mut().zip(chunks) {
            *word = mask64(chunk, needle);
        }
        if !tail.is_empty() {
            let mut last = [0u8; 64];
            last[..tail.len()].copy_from_slice(tail);
            // The padding is zeros: a zero byte's marks stop at the line's end.
            bits[full] = mask64(&last, needle) & ((1u64 << tail.len()) - 1);
        }
        Marks { bits }
    }
}

/// The marks of `needle`'s byte in 64 bytes, four SIMD compares.
#[inline(always)]
fn mask64(chunk: &[u8], needle: wide::u8x16) -> u64 {
    let mut word = 0;
    for (i, part) in chunk.chunks_exact(16).enumerate() {
        let mut lane = [0u8; 16];
        lane.copy_from_slice(part);
        let equal = wide::u8x16::from(lane).cmp_eq(needle);
        word |= u64::from(equal.move_mask() as u16) << (16 * i);
    }
    word
}

/// [`split`] for a `lit` whose first byte `marks` marks, `rest` being a tail of `line`: the
/// next mark at or after `width` is found in the bitmap, then `lit` is checked there. Values
/// longer than 64 bytes, or past [`MARKED`], are searched out of line.
#[inline(always)]
pub fn split_marked<'a>(
    marks: &Marks,
    line: &str,
    rest: &'a str,
    width: usize,
    lit: &'static str,
) -> Option<(&'a str, &'a str)> {
    let from = line.len().saturating_sub(rest.len()).saturating_add(width);
    let word = from / 64;
    if let (Some(&low), Some(&high)) = (marks.bits.get(word), marks.bits.get(word + 1)) {
        let window = ((u128::from(high) << 64 | u128::from(low)) >> (from % 64)) as u64;
        if window != 0 {
            let at = width + window.trailing_zeros() as usize;
            let (value, after) = rest.split_at_checked(at)?;
            return match strip_literal(after, lit) {
                Some(after) => Some((value, after)),
                None => split_far(rest, at + 1, lit),
            };
        }
    }
    split_far(rest, width, lit)
}

/// The first whole `lit` at or after byte `from` of `rest`, out of line: for values
/// [`split_marked`] cannot see the end of, and after a false start.
#[inline(never)]
fn split_far<'a>(rest: &'a str, from: usize, lit: &'static str) -> Option<(&'a str, &'a str)> {
    let at = find(rest.as_bytes(), from, lit.as_bytes())?;
    let (value, after) = rest.split_at_checked(at)?;
    Some((value, after.strip_prefix(lit)?))
}

/// `text` after the constant `lit` it starts with. `strip_prefix` compares a constant of up to
/// 32 bytes inline but calls `memcmp` for a longer one (a syslog header's tail, ` zscaler-nss
/// NSS {"sourcetype" : ...`): those are compared here a word at a time.
#[inline(always)]
pub fn strip_literal<'a>(text: &'a str, lit: &'static str) -> Option<&'a str> {
    if lit.len() <= 32 {
        return text.strip_prefix(lit);
    }
    let head = text.as_bytes().get(..lit.len())?;
    if crate::walk::same(head, lit.as_bytes()) {
        text.get(lit.len()..)
    } else {
        None
    }
}

/// The value of the last field when the format ends with `lit`, in the common case: `rest`
/// ends with `lit`, at least `width` bytes on. `None` otherwise; [`last_value_slow`] then gives
/// the error (or the value, in the cases this does not cover).
#[inline(always)]
pub fn split_last<'a>(rest: &'a str, width: usize, lit: &'static str) -> Option<&'a str> {
    rest.strip_suffix(lit).filter(|value| value.len() >= width)
}

/// Whether two occurrences of a field hold the same text, compared a word at a time in place
/// (`==` on `str` calls `memcmp`, costly for the few bytes of a date field).
#[inline(always)]
pub fn same_text(first: &str, second: &str) -> bool {
    crate::walk::same(first.as_bytes(), second.as_bytes())
}

/// The offset in `line` of `rest`, a tail of it.
#[inline(always)]
pub fn offset(line: &str, rest: &str) -> usize {
    line.len().saturating_sub(rest.len())
}

/// The error of a literal that is not at `pos`.
#[cold]
#[inline(never)]
pub fn expected_literal(pos: usize, lit: &'static str) -> ParseError {
    error(pos, None, ParseErrorKind::ExpectedLiteral { expected: lit.to_string() })
}

/// The error of a value (of `field`, starting at `pos`) that no `lit` ends.
#[cold]
#[inline(never)]
pub fn missing_literal(pos: usize, lit: &'static str, field: &'static str) -> ParseError {
    error(pos, Some(field.to_string()), ParseErrorKind::MissingLiteral { expected: lit.to_string() })
}

/// The value or the error of the last field when [`split_last`] did not find it.
#[cold]
#[inline(never)]
pub fn last_value_slow<'a>(
    line: &'a str,
    pos: usize,
    width: usize,
    lit: &'static str,
    field: &'static str,
) -> Result<&'a str, ParseError> {
    until_last(line, pos, width, lit, field).map(|(value, _)| value)
}

// The walk by offsets, with its errors: what the derive emitted before the hot path above, kept
// for code written by hand against these helpers (they follow the same rules).

/// Checks that `lit` sits at `pos`; the position after it.
#[inline]
pub fn literal(line: &str, pos: usize, lit: &'static str) -> Result<usize, ParseError> {
    if line.as_bytes().get(pos..).is_some_and(|rest| rest.starts_with(lit.as_bytes())) {
        Ok(pos + lit.len())
    } else {
        Err(error(pos, None, ParseErrorKind::ExpectedLiteral { expected: lit.to_string() }))
    }
}

/// The value of `field` from `pos` up to the first whole `lit`, and the position of `lit`.
#[inline]
pub fn until<'a>(
    line: &'a str,
    pos: usize,
    lit: &'static str,
    field: &'static str,
) -> Result<(&'a str, usize), ParseError> {
    until_width(line, pos, 0, lit, field)
}

/// [`until`] for a spec with a width (`%2d`, `%02d`, `%-10s`): printf prints at least `width`
/// characters, hence bytes, so `lit` is searched from `pos + width` (a space-padded ` 5` before
/// a `" "` literal is not cut at its own padding). The interpreter applies the same rule.
#[inline]
pub fn until_width<'a>(
    line: &'a str,
    pos: usize,
    width: usize,
    lit: &'static str,
    field: &'static str,
) -> Result<(&'a str, usize), ParseError> {
    let missing = || missing_literal(pos, lit, field);
    let at = find(line.as_bytes(), pos.saturating_add(width), lit.as_bytes()).ok_or_else(missing)?;
    // A match of a UTF-8 literal starts on a character boundary; `get` keeps a bad `pos` from
    // becoming a panic.
    let value = line.get(pos..at).ok_or_else(missing)?;
    Ok((value, at))
}

/// The value of the last field when the format ends with the literal `lit` (`"\}\}`): the
/// line must end with `lit`, and the value runs up to that final occurrence, not the first
/// one (so a value may hold `lit`, as Elastic's `%s{postaction}` JSON objects hold `}`). Gives
/// the value and the position of `lit`; [`end`] then holds. With `width` as in
/// [`until_width`]. The interpreter applies the same rule.
#[inline]
pub fn until_last<'a>(
    line: &'a str,
    pos: usize,
    width: usize,
    lit: &'static str,
    field: &'static str,
) -> Result<(&'a str, usize), ParseError> {
    let at = find_last(line.as_bytes(), pos, width, lit.as_bytes()).map_err(|trailing| match trailing {
        // As the first-occurrence walk would report it: text goes on after the literal.
        Some(end) => error(end, None, ParseErrorKind::TrailingText),
        None => missing_literal(pos, lit, field),
    })?;
    let value = line.get(pos..at).ok_or_else(|| missing_literal(pos, lit, field))?;
    Ok((value, at))
}

/// The value of the last field: the rest of the line from `pos`.
#[inline]
pub fn to_end(line: &str, pos: usize) -> &str {
    line.get(pos..).unwrap_or("")
}

/// Checks that the line ends at `pos`.
#[inline]
pub fn end(line: &str, pos: usize) -> Result<(), ParseError> {
    if pos < line.len() {
        Err(error(pos, None, ParseErrorKind::TrailingText))
    } else {
        Ok(())
    }
}

/// Converts the value of `field`. A value that is the field's own unsubstituted spec
/// (`%lu{spi_in}`) reads as missing, as in the interpreter: `T::from_missing()`, or
/// [`Unconverted::Missing`].
///
/// The one conversion every walk of a derived parser calls, exact or not: a member type that is
/// not `FromField` then gives one diagnostic, not one per walk.
#[inline(always)]
pub fn convert<'a, T: FromField<'a>>(
    text: &'a str,
    encoding: Encoding,
    field: &'static str,
) -> Result<T, Unconverted> {
    if text.starts_with('%') && is_own_spec(text, field) {
        return T::from_missing().ok_or(Unconverted::Missing);
    }
    T::from_field(text, encoding).map_err(Unconverted::Invalid)
}

/// Why [`convert`] gave no value.
#[derive(Debug)]
pub enum Unconverted {
    /// The value is the field's own spec, and the type has no value for a missing field.
    Missing,
    /// The text does not convert.
    Invalid(crate::FieldError),
}

/// The error of a value of `field`, at `offset`, that [`convert`] did not convert.
#[cold]
#[inline(never)]
pub fn unconverted(why: Unconverted, field: &'static str, offset: usize) -> ParseError {
    match why {
        Unconverted::Missing => error(offset, Some(field.to_string()), ParseErrorKind::Missing),
        Unconverted::Invalid(err) => invalid(field, offset, err.reason),
    }
}

/// The value of a field the line lacks: `T::from_missing()` (`None` for `Option<T>`) or a
/// [`ParseErrorKind::Missing`] error.
#[inline]
pub fn missing<'a, T: FromField<'a>>(field: &'static str, offset: usize) -> Result<T, ParseError> {
    T::from_missing().ok_or_else(|| error(offset, Some(field.to_string()), ParseErrorKind::Missing))
}

/// Checks that two occurrences of `field` hold the same raw text; `offset` is the second's.
#[inline]
pub fn agree(first: &str, second: &str, field: &'static str, offset: usize) -> Result<(), ParseError> {
    if first == second {
        Ok(())
    } else {
        let kind = ParseErrorKind::Disagree { first: first.to_string(), second: second.to_string() };
        Err(error(offset, Some(field.to_string()), kind))
    }
}

/// Where the line's body starts: its first `{`.
#[inline]
pub fn body_start(line: &str) -> Option<usize> {
    memchr::memchr(b'{', line.as_bytes())
}

/// Whether a failed walk may be retried by another path: every error but [`Disagree`]
/// (the line matched the format's shape and contradicts itself; the interpreter stops there
/// too).
///
/// [`Disagree`]: ParseErrorKind::Disagree
#[inline]
pub fn retry(err: &ParseError) -> bool {
    !matches!(err.kind, ParseErrorKind::Disagree { .. })
}

fn invalid(field: &'static str, offset: usize, reason: String) -> ParseError {
    error(offset, Some(field.to_string()), ParseErrorKind::InvalidValue { reason })
}

/// The JSON fallback of a derived parser: the format compiled once, on first use, by the
/// interpreter. Generated code holds one in a `static`.
#[derive(Debug)]
pub struct Fallback {
    parser: OnceLock<Result<Parser, String>>,
}

impl Default for Fallback {
    fn default() -> Self {
        Fallback::new()
    }
}

impl Fallback {
    /// A fallback whose format is compiled on first use.
    pub const fn new() -> Self {
        Fallback { parser: OnceLock::new() }
    }

    /// Runs only the JSON fallback on `line` (the derived code tried the exact and headless
    /// walks itself). Every error is [`ParseErrorKind::Json`] except [`ParseErrorKind::Disagree`].
    pub fn read<'a>(
        &self,
        format: &'static str,
        encodings: &'static [(&'static str, Encoding)],
        line: &'a str,
    ) -> Result<JsonFields<'a>, ParseError> {
        self.run(format, encodings, line).map_err(|failure| match failure {
            Failure::NotJson => {
                let reason = match body_start(line) {
                    Some(_) => "the body is not a JSON object",
                    None => "the line has no `{`",
                };
                error(0, None, ParseErrorKind::Json { reason: reason.to_string() })
            }
            Failure::Mismatch(err) => err,
        })
    }

    /// [`Fallback::read`], failing with `exact` (the exact walk's error) when the line has no
    /// JSON body at all or the format has none, as the interpreter does.
    pub fn read_or<'a>(
        &self,
        format: &'static str,
        encodings: &'static [(&'static str, Encoding)],
        line: &'a str,
        exact: ParseError,
    ) -> Result<JsonFields<'a>, ParseError> {
        self.run(format, encodings, line).map_err(|failure| match failure {
            Failure::NotJson => exact,
            Failure::Mismatch(err) => err,
        })
    }

    fn run<'a>(
        &self,
        format: &'static str,
        encodings: &'static [(&'static str, Encoding)],
        line: &'a str,
    ) -> Result<JsonFields<'a>, Failure> {
        let parser = self.parser.get_or_init(|| {
            let encoding =
                |name: &str| encodings.iter().find(|(n, _)| *n == name).map_or(Encoding::Plain, |(_, e)| *e);
            Parser::compile_with(format, encoding).map_err(|err| err.to_string())
        });
        let parser = match parser {
            Ok(parser) => parser,
            // The derive checked the format, so this does not happen; say so rather than panic.
            Err(reason) => {
                let reason = format!("the format does not compile: {reason}");
                return Err(Failure::Mismatch(error(0, None, ParseErrorKind::Json { reason })));
            }
        };
        let values = parser.read_json(line)?;
        let fallback = body_start(line).unwrap_or(0);
        Ok(JsonFields { index: Arc::clone(parser.index()), values, fallback })
    }
}

/// The fields the JSON fallback found in one line, taken one by one by the generated code.
#[derive(Debug)]
pub struct JsonFields<'a> {
    index: Arc<Index>,
    values: crate::interp::Found<'a>,
    /// Offset reported for fields the line lacks: the body's start.
    fallback: usize,
}

impl<'a> JsonFields<'a> {
    /// Converts the value of `field` (moved out: take each field once). Absent, or its own
    /// unsubstituted spec: `T::from_missing()` or [`ParseErrorKind::Missing`]. Text the JSON
    /// had to unescape goes through [`FromField::from_owned`].
    pub fn take<T: FromField<'a>>(
        &mut self,
        field: &'static str,
        encoding: Encoding,
    ) -> Result<T, ParseError> {
        let found = self.index.get(field).and_then(|&i| self.values.get_mut(i)).and_then(Option::take);
        match found {
            None => missing(field, self.fallback),
            Some((text, offset)) if is_own_spec(&text, field) => missing(field, offset),
            Some((Cow::Borrowed(text), offset)) => {
                T::from_field(text, encoding).map_err(|err| invalid(field, offset, err.reason))
            }
            Some((Cow::Owned(text), offset)) => {
                T::from_owned(text, encoding).map_err(|err| invalid(field, offset, err.reason))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{split, split_last};
    use crate::sekoia::Web;
    use crate::{NssRecord, ParsePath, Parser};

    fn web_line() -> String {
        let format = Web::FORMAT;
        let parser = Parser::compile(format).expect("the web format compiles");
        // A line rendered by hand from the format: every field `x`, numbers `1`.
        let mut line = String::new();
        let mut rest = format;
        while let Some(at) = rest.find('%') {
            line.push_str(&rest[..at].replace("\\{", "{").replace("\\}", "}"));
            let close = rest[at..].find('}').expect("a spec ends in `}`") + at;
            let spec = &rest[at..=close];
            line.push_str(if spec.contains("d{") { "01" } else { "x" });
            rest = &rest[close + 1..];
        }
        line.push_str(&rest.replace("\\{", "{").replace("\\}", "}"));
        assert_eq!(parser.parse(&line).expect("the interpreter reads it").path, ParsePath::Exact);
        line
    }

    #[test]
    fn the_last_field_runs_to_the_literal_that_ends_the_line() {
        // The last value holds the format's final literal: the interpreter takes the value up to
        // the literal that ends the line, and so must the derived parser.
        let line = web_line();
        let line = format!("{}x\"}}}}y\"}}}}", line.strip_suffix("x\"}}").expect("ends with the last value"));
        let parser = Parser::compile(Web::FORMAT).expect("the web format compiles");
        let interpreted = parser.parse(&line).expect("the interpreter reads it");
        let derived = Web::parse_detailed(&line).expect("the derived parser reads it");
        assert_eq!(derived.path, interpreted.path);
        let value = interpreted.get("keyprotectiontype").map(|v| v.raw.to_string());
        assert_eq!(value.as_deref(), Some("x\"}}y"));
        assert_eq!(Some(derived.record.keyprotectiontype), value.as_deref());
    }

    #[test]
    fn broken_lines_read_as_the_interpreter_reads_them() {
        let line = web_line();
        let parser = Parser::compile(Web::FORMAT).expect("the web format compiles");
        for broken in [
            line.replace("\"reason\":\"x\"", "\"reason\":x\""),
            line.replace("zscaler-nss", "zscaler_nss"),
            line.replacen(" 01 ", " 02 ", 1),
            format!("{line}!"),
            line[..line.len() - 1].to_string(),
            line[..40].to_string(),
            line[..3].to_string(),
            String::new(),
        ] {
            let derived = Web::parse_detailed(&broken).map(|parsed| parsed.path);
            let interpreted = parser.parse(&broken).map(|record| record.path);
            assert_eq!(derived, interpreted, "{broken}");
        }
    }

    proptest::proptest! {
        #[test]
        fn split_marked_is_split(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "\"", ",", "\",\"", "é", "x".repeat(63).leak(), "\0"]),
                0..60,
            ),
            pad in proptest::sample::select(vec![0usize, 1, 4030, 4090, 4100]),
            skip in 0usize..80,
            width in 0usize..4,
            lit in proptest::sample::select(vec!["\"", "\",\"", "\"}", "é,", "\0"]),
        ) {
            // Lines past the marked prefix too, values on both sides of its end.
            let line = format!("{}{}", "y".repeat(pad), pieces.concat());
            let start = (pad + skip).min(line.len());
            let Some(rest) = line.get(start..) else { return Ok(()) };
            let byte = lit.as_bytes()[0];
            let marks = super::Marks::new(&line, byte);
            proptest::prop_assert_eq!(super::split_marked(&marks, &line, rest, width, lit), split(rest, width, lit));
        }

        #[test]
        fn split_is_the_walks_step(
            hay in proptest::collection::vec(proptest::sample::select(vec!["a", "\"", ",", "}", "é"]), 0..40),
            width in 0usize..4,
            lit in proptest::sample::select(vec!["\"", "\",\"", "a\"", "}}", "\"}}", "é,"]),
        ) {
            let hay = hay.concat();
            let expected = crate::walk::find(hay.as_bytes(), width, lit.as_bytes())
                .map(|at| (&hay[..at], &hay[at + lit.len()..]));
            proptest::prop_assert_eq!(split(&hay, width, lit), expected);
            let last = crate::walk::find_last(hay.as_bytes(), 0, width, lit.as_bytes()).ok().map(|end| &hay[..end]);
            proptest::prop_assert_eq!(split_last(&hay, width, lit), last);
        }
    }
}
