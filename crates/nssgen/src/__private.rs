//! Runtime support for the code `#[derive(NssRecord)]` generates. Not a public API: names and
//! signatures change with the derive.
//!
//! The generated code walks a line with these helpers exactly as the interpreter does (same
//! literal search, same width rule, same agreement and unsubstituted-spec rules), and hands any
//! line it does not take to [`paths`], which reads it through the record's plan with the
//! interpreter's own function, so the two parse every line the same way.

use std::borrow::Cow;

use crate::interp::Found;
use crate::walk::{error, find, find_byte_inline, is_own_spec};
use crate::{Encoding, FromField, ParseError, ParseErrorKind, Parsed, Value};

/// The plan types generated code writes its record's plan down with.
pub use nssgen_syntax::plan::{self, Plan};

// The hot path of a derived parser: each helper below is small, inlined, and fails with
// `None`. The derived walk takes the whole line with them and, wherever one fails, hands the
// line to [`paths`] (errors, the headless walk, the JSON fallback), so the straight-line walk
// holds no error construction and no offsets. Code size counts as much as instructions: the
// walk is inlined at every field, and a web record's walk must stay within the instruction cache.

/// The value of a field at the start of `rest` (the line from the value on) up to the first
/// whole `lit` at or after byte `width`, and the text after that `lit`: the step the generated
/// walk takes for each field, the interpreter's step without the error.
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
/// the first `MARKED` (4096) bytes of a line, a bit per byte, found 16 bytes at a time with SIMD
/// compares. [`split_marked`] then finds the end of a value up to 64 bytes long with a shift and
/// a bit scan: no loop and no branch on the value's length, whose mispredictions cost a quarter
/// of the walk when each value was searched on its own (measured: the same line parsed over
/// and over ran 37% faster than varied lines).
#[derive(Clone, Debug)]
pub struct Marks {
    /// Bit `i % 64` of word `i / 64` is set when byte `i` is the byte. One word more than
    /// `MARKED` (4096) needs, always zero, so that a window may read the word after any covered one.
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
/// longer than 64 bytes, or past `MARKED` (4096), are searched out of line.
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
/// ends with `lit`, at least `width` bytes on. `None` otherwise; the cold path ([`paths`]) then gives
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

/// Converts the value of `field`: `None` is a value the line lacks. A value that is the
/// field's own unsubstituted spec (`%lu{spi_in}`) reads as missing, as in the interpreter;
/// missing is `T::from_missing()` or [`Unconverted::Missing`]. Text the JSON had to unescape
/// goes through [`FromField::from_owned`].
///
/// The derive wraps this once per member, in a function both of its paths call (the hot walk
/// with borrowed text, [`Fields::take`] with what a path found), so a member type that is not
/// `FromField` gives one diagnostic, on the type.
#[inline(always)]
pub fn convert<'a, T: FromField<'a>>(
    text: Option<Cow<'a, str>>,
    encoding: Encoding,
    field: &'static str,
) -> Result<T, Unconverted> {
    match text {
        None => T::from_missing().ok_or(Unconverted::Missing),
        Some(text) if text.starts_with('%') && is_own_spec(&text, field) => {
            T::from_missing().ok_or(Unconverted::Missing)
        }
        Some(Cow::Borrowed(text)) => T::from_field(text, encoding).map_err(Unconverted::Invalid),
        Some(Cow::Owned(text)) => T::from_owned(text, encoding).map_err(Unconverted::Invalid),
    }
}

/// Why [`convert`] gave no value.
#[derive(Debug)]
pub enum Unconverted {
    /// The line lacks the value (or holds the field's own spec), and the type has no value for
    /// a missing field.
    Missing,
    /// The text does not convert.
    Invalid(crate::FieldError),
}

/// The cold path of a derived parser, for a line its straight-line walk did not take: the
/// runtime reads the line through the record's plan, path after path with their errors, as the
/// interpreter does (the same function), and `build` takes each member from what a path found.
#[cold]
#[inline(never)]
pub fn paths<'a, T>(
    plan: &Plan,
    line: &'a str,
    mut build: impl FnMut(&mut Fields<'a>) -> Result<T, ParseError>,
) -> Result<Parsed<T>, ParseError> {
    crate::interp::read(plan, line, |mut found, path| {
        let drift = found.drift.take();
        let mut fields = Fields { found };
        let record = build(&mut fields);
        fields.recycle();
        record.map(|record| Parsed { record, path, drift })
    })
}

/// The fields one path found in a line, taken one by one by the generated code.
#[derive(Debug)]
pub struct Fields<'a> {
    found: Found<'a>,
}

impl<'a> Fields<'a> {
    /// The value of field `index` (named `field`), moved out (take each field once), through
    /// `convert` (the member's [`convert`]); its failure is an error at the value's offset, or
    /// at the body's start for a value the JSON body lacks.
    pub fn take<T>(
        &mut self,
        index: usize,
        field: &'static str,
        convert: impl FnOnce(Option<Cow<'a, str>>) -> Result<T, Unconverted>,
    ) -> Result<T, ParseError> {
        let (text, offset) = match self.found.values.get_mut(index).and_then(Option::take) {
            Some(Value { raw, offset, .. }) => (Some(raw), offset),
            None => (None, self.found.absent),
        };
        convert(text).map_err(|why| match why {
            Unconverted::Missing => error(offset, Some(field.to_string()), ParseErrorKind::Missing),
            Unconverted::Invalid(err) => invalid(field, offset, err.reason),
        })
    }

    fn recycle(self) {
        crate::interp::recycle(self.found.values);
    }
}

fn invalid(field: &'static str, offset: usize, reason: String) -> ParseError {
    error(offset, Some(field.to_string()), ParseErrorKind::InvalidValue { reason })
}

// The tests compile formats at run time (`Parser::compile`).
#[cfg(all(test, feature = "interpreter"))]
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
        assert_eq!(Some(derived.record.keyprotectiontype.as_ref()), value.as_deref());
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
