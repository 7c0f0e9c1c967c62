//! Walking text against a sequence of literals and fields: the one algorithm behind the
//! interpreter's exact, headless and header walks, the JSON fallback's string values, and the
//! `__private` helpers the derived parsers call.
//!
//! Each literal must sit at the current position; each field's value runs up to the first
//! occurrence of the whole next literal, searched from `width` bytes on (printf pads a value to
//! at least `width` characters, hence bytes, so a space-padded `%2d` value ` 5` is not cut at
//! its own padding), or to the end of the text when the field is last. When the format ends
//! with a literal, the last field's value runs up to where that literal ends the text (a value
//! may then hold it: Elastic's `%s{postaction}` JSON object ends in `}` before the final `\}\}`).
//! The walk must consume all of the text.

use nssgen_syntax::plan::{End, Field, Walk};
use nssgen_syntax::Conversion;

use crate::{ParseError, ParseErrorKind};

/// Field name to index: FNV rather than SipHash, as the keys are a format's field names and a
/// lookup per field read is on the hot path of `Record::get`.
pub(crate) type Index = std::collections::HashMap<Box<str>, usize, fnv::FnvBuildHasher>;

/// Where the walked text sits in the line, for the offsets reported to the sink and in errors.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Origin {
    /// Offset of the text's first byte in the line.
    pub(crate) base: usize,
    /// Whether positions in the text are positions in the line (false when the text was
    /// unescaped from JSON: every offset is then `base`).
    pub(crate) exact: bool,
}

impl Origin {
    /// Text that is the line itself, or a slice of it starting at `base`.
    pub(crate) fn at(base: usize) -> Origin {
        Origin { base, exact: true }
    }

    fn offset(self, pos: usize) -> usize {
        if self.exact {
            self.base + pos
        } else {
            self.base
        }
    }
}

/// Walks `text` from `start` as the plan's `walk` says, giving each field's value to `sink` as
/// (field index, value, offset in the line). Fails at the first literal that does not fit.
pub(crate) fn run<'h>(
    walk: &Walk,
    text: &'h str,
    start: usize,
    origin: Origin,
    fields: &[Field],
    mut sink: impl FnMut(usize, &'h str, usize) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    let bytes = text.as_bytes();
    let mut pos = start;
    if let Some(lead) = &walk.lead {
        if !bytes.get(pos..).is_some_and(|rest| rest.starts_with(lead.as_bytes())) {
            return Err(error(origin.offset(pos), None, expected(lead)));
        }
        pos += lead.len();
    }
    for step in walk.steps.iter() {
        let name = || fields.get(step.field).map(|f| f.name.to_string());
        let value_start = pos;
        let (value_end, next) = match &step.end {
            End::Next(next) => {
                let at = find(bytes, pos.saturating_add(step.width), next.as_bytes()).ok_or(None);
                (at, &**next)
            }
            End::Last(last) => (find_last(bytes, pos, step.width, last.as_bytes()), &**last),
            End::Rest => (Ok(bytes.len()), ""),
        };
        let at = value_end.map_err(|trailing| match trailing {
            Some(at) => error(origin.offset(at), None, ParseErrorKind::TrailingText),
            None => {
                let kind = ParseErrorKind::MissingLiteral { expected: next.to_string() };
                error(origin.offset(pos), name(), kind)
            }
        })?;
        pos = at + next.len();
        // Literal matches start and end on character boundaries; `get` keeps a bug from
        // becoming a panic.
        let value = text.get(value_start..at).ok_or_else(|| {
            let kind = ParseErrorKind::InvalidValue { reason: "not on a character boundary".into() };
            error(origin.offset(value_start), name(), kind)
        })?;
        sink(step.field, value, origin.offset(value_start))?;
    }
    if pos < bytes.len() {
        return Err(error(origin.offset(pos), None, ParseErrorKind::TrailingText));
    }
    Ok(())
}

/// Where a line's body starts (the line-side half of the plan's body split): the first `{`
/// after its syslog header, read by `shape::framing` so that a `{` inside a forwarded line's
/// structured data is not taken for it; the first `{` of a line of no known shape.
#[inline]
pub(crate) fn body_start(line: &str) -> Option<usize> {
    match nssgen_syntax::shape::framing(line) {
        Some(framing) => framing.body,
        None => memchr::memchr(b'{', line.as_bytes()),
    }
}

pub(crate) fn error(offset: usize, field: Option<String>, kind: ParseErrorKind) -> ParseError {
    ParseError { offset, field, kind }
}

fn expected(lit: &str) -> ParseErrorKind {
    ParseErrorKind::ExpectedLiteral { expected: lit.to_string() }
}

/// The first occurrence of `needle` in `hay` at or after `from`.
///
/// Searches for the needle's first byte with `memchr` and checks the rest in place: the
/// literals of a format are short and their first byte is rare inside values, where a
/// `memmem::Finder` spends more on setup than on searching (DESIGN.md, parser speed).
#[inline(always)]
pub(crate) fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return (from <= hay.len()).then_some(from);
    };
    let mut from = from;
    loop {
        let at = from + find_byte_inline(first, hay.get(from..)?)?;
        if starts_at(hay, at + 1, rest) {
            return Some(at);
        }
        from = at + 1;
    }
}

/// Where `byte` first occurs in `hay`. Most values are a few dozen bytes long, shorter than a
/// `memchr` call and its setup are worth: the first [`SHORT`] bytes are scanned in place, 16
/// at a time (LLVM compiles [`any16`] to one SSE2 compare and mask), and the chunk that holds
/// the byte is searched eight bytes at a time. Longer values go to `memchr` (AVX2).
#[inline(never)]
pub(crate) fn find_byte(byte: u8, hay: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at < SHORT {
        let Some(chunk) = hay.get(at..).and_then(<[u8]>::first_chunk::<16>) else {
            return find_byte_tail(byte, hay, at);
        };
        if let Some(i) = first_in_chunk(chunk, byte) {
            return Some(at + i);
        }
        at += 16;
    }
    memchr::memchr(byte, hay.get(SHORT..)?).map(|i| i + SHORT)
}

/// [`find_byte`] with its first eight bytes scanned in place, as one word: many values are
/// that short (numbers, status codes, actions), and the call then costs more than the scan.
/// Eight, not sixteen: this is inlined at every field of a derived parser, and the larger
/// walk no longer fit the instruction cache (measured: 5,760 against 5,420 MB/s on web lines).
#[inline(always)]
pub(crate) fn find_byte_inline(byte: u8, hay: &[u8]) -> Option<usize> {
    if let Some(word) = hay.first_chunk::<8>() {
        if let Some(i) = first_in_word(u64::from_le_bytes(*word), byte) {
            return Some(i);
        }
        return find_byte(byte, hay.get(8..)?).map(|i| i + 8);
    }
    find_byte(byte, hay)
}

/// Bytes scanned in place before [`find_byte`] hands over to `memchr`.
const SHORT: usize = 64;

/// The last (fewer than 16) bytes of `hay` from `at`, eight at a time, then one by one.
#[inline(always)]
fn find_byte_tail(byte: u8, hay: &[u8], at: usize) -> Option<usize> {
    let rest = hay.get(at..)?;
    if let Some(word) = rest.first_chunk::<8>() {
        if let Some(i) = first_in_word(u64::from_le_bytes(*word), byte) {
            return Some(at + i);
        }
        return rest.get(8..)?.iter().position(|&b| b == byte).map(|i| at + 8 + i);
    }
    rest.iter().position(|&b| b == byte).map(|i| at + i)
}

/// Where `byte` first occurs in `chunk`: one SSE2 compare tells whether it does, and the
/// chunk's two words are then searched eight bytes at a time.
#[inline(always)]
pub(crate) fn first_in_chunk(chunk: &[u8; 16], byte: u8) -> Option<usize> {
    if !any16(chunk, byte) {
        return None;
    }
    match first_in_word(u64::from_le_bytes(lo(chunk)), byte) {
        Some(i) => Some(i),
        None => first_in_word(u64::from_le_bytes(hi(chunk)), byte).map(|i| i + 8),
    }
}

/// Whether `chunk` holds `byte`: written so that LLVM emits `pcmpeqb` + `pmovmskb`.
#[inline(always)]
fn any16(chunk: &[u8; 16], byte: u8) -> bool {
    let mut any = false;
    for &b in chunk {
        any |= b == byte;
    }
    any
}

#[inline(always)]
fn lo(chunk: &[u8; 16]) -> [u8; 8] {
    let mut word = [0; 8];
    word.copy_from_slice(&chunk[..8]);
    word
}

#[inline(always)]
fn hi(chunk: &[u8; 16]) -> [u8; 8] {
    let mut word = [0; 8];
    word.copy_from_slice(&chunk[8..]);
    word
}

/// The index of the first `byte` in the little-endian `word`, if any.
#[inline(always)]
fn first_in_word(word: u64, byte: u8) -> Option<usize> {
    let found = flags(word, byte);
    (found != 0).then(|| (found.trailing_zeros() / 8) as usize)
}

/// The high bit of each byte of the little-endian `word` that may be `byte`: the lowest flagged
/// byte is always a true match (a borrow only flags bytes above a true one), so the lowest set
/// bit, if any, gives the first `byte`.
#[inline(always)]
fn flags(word: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A zero byte in `w` is a match.
    let w = word ^ (ONES * u64::from(byte));
    w.wrapping_sub(ONES) & !w & HIGHS
}

/// Whether `needle` sits at `at` in `hay`.
#[inline(always)]
pub(crate) fn starts_at(hay: &[u8], at: usize, needle: &[u8]) -> bool {
    hay.get(at..).and_then(|rest| rest.get(..needle.len())).is_some_and(|here| same(here, needle))
}

/// Slice equality for short literals, eight bytes at a time (the last eight overlapping the
/// previous ones), without a call to `memcmp`. When `b` is a constant literal and the call is
/// inlined, each step is one load and one compare against an immediate.
#[inline(always)]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len != b.len() {
        return false;
    }
    match len {
        0 => true,
        1 => a[0] == b[0],
        2..=3 => {
            u16::from_le_bytes([a[0], a[1]]) == u16::from_le_bytes([b[0], b[1]])
                && u16::from_le_bytes([a[len - 2], a[len - 1]])
                    == u16::from_le_bytes([b[len - 2], b[len - 1]])
        }
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, len - 4) == word4(b, len - 4),
        _ => {
            let mut at = 0;
            while at + 8 < len {
                if word(&a[at..at + 8]) != word(&b[at..at + 8]) {
                    return false;
                }
                at += 8;
            }
            word(&a[len - 8..]) == word(&b[len - 8..])
        }
    }
}

/// The little-endian `u32` at `at` in `bytes`.
#[inline(always)]
pub(crate) fn word4(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

#[inline(always)]
fn word(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(bytes);
    // Little-endian, so that the lowest set bit belongs to the first byte.
    u64::from_le_bytes(word)
}

/// Where the value of the last field ends when the format ends with the literal `last`: the
/// line must end with `last`, so the value runs up to that final occurrence (an Elastic audit
/// `"postaction":%s{postaction}\}\}` value is a JSON object ending in `}`). When the line does
/// not end with it: `Err(Some(end))`, the end of the first occurrence after the value's start,
/// where the text goes on; `Err(None)` when there is none (the value never ends).
#[inline]
pub(crate) fn find_last(hay: &[u8], from: usize, width: usize, last: &[u8]) -> Result<usize, Option<usize>> {
    if hay.ends_with(last) {
        let end = hay.len() - last.len();
        if end >= from.saturating_add(width) {
            return Ok(end);
        }
    }
    match find(hay, from.saturating_add(width), last) {
        Some(at) => Err(Some(at + last.len())),
        None => Err(None),
    }
}

/// Whether `text` is the unsubstituted spec of the field `name` (`%lu{spi_in}`), which NSS
/// prints when a record type lacks the field: such a value reads as missing.
pub(crate) fn is_own_spec(text: &str, name: &str) -> bool {
    let Some(head) = text
        .strip_prefix('%')
        .and_then(|rest| rest.strip_suffix('}'))
        .and_then(|rest| rest.strip_suffix(name))
        .and_then(|rest| rest.strip_suffix('{'))
    else {
        return false;
    };
    let conv = head.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    Conversion::from_name(conv).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    use nssgen_syntax::plan::{self, Encoding};

    #[test]
    fn a_lines_body_starts_at_its_first_brace_after_the_syslog_header() {
        assert_eq!(body_start(r#"Mar 05 x {"a":1}"#), Some(9));
        assert_eq!(body_start("no body"), None);
        assert_eq!(body_start(r#"<1>1 T h a - L [S k="{"] {}"#), Some(25));
        assert_eq!(body_start(r#"x {"a":1}"#), Some(2));
        // Found by the `router` fuzz target: a concentrator's intake key holding a `{` was taken
        // for the body, so the forwarded line was routed but then rejected.
        let forwarded = r#"<13>1 T h NSS - LOG [S@1 intake_key="k{1}\"\]"] {"a":1}"#;
        assert_eq!(body_start(forwarded), forwarded.find(r#"{"a""#));
        assert_eq!(body_start(r#"<134>1 T h{ NSS - - - {"a":1}"#), Some(22));
    }

    /// A line forwarded by a log concentrator reads as its body alone, whatever its structured
    /// data holds (the `router` fuzz target's first finding).
    #[cfg(feature = "interpreter")]
    #[test]
    fn a_forwarded_line_reads_as_its_body_alone() {
        let parser = crate::Parser::compile(r#"%s{mon} NSS \{"sourcetype":"t","event":\{"a":"%s{a}"\}\}"#)
            .expect("compiles");
        let body = r#"{"sourcetype":"t","event":{"a":"x"}}"#;
        for key in ["abc", "k{1}", r#"k{\"\]"#] {
            let line =
                format!(r#"<13>1 2025-11-12T09:01:38Z h NSS - LOG [SEKOIA@53288 intake_key="{key}"] {body}"#);
            let record = parser.parse(&line).unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!(record.path, crate::ParsePath::Headless, "{key}");
            assert_eq!(record.get("a").map(|v| (&*v.raw, v.offset)), Some(("x", line.len() - 4)), "{key}");
            // Re-spaced, it is read through the JSON fallback, from the same body.
            let respaced = line.replace(r#""a":"x""#, r#""a" : "x""#);
            let record = parser.parse(&respaced).unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!(record.path, crate::ParsePath::Json, "{key}");
            assert_eq!(record.get("a").map(|v| &*v.raw), Some("x"), "{key}");
        }
    }

    fn fields(names: &[&str]) -> Vec<Field> {
        names
            .iter()
            .map(|n| Field { name: n.to_string().into(), conv: Conversion::S, encoding: Encoding::Plain })
            .collect()
    }

    /// The exact walk of a format whose fields are `a`, `b`, `c` in order.
    fn compiled(format: &str) -> Walk {
        let format = nssgen_syntax::parse(format).expect("parses");
        plan::compile(&format, |_| Encoding::Plain).expect("compiles").exact
    }

    fn collect<'h>(walk: &Walk, text: &'h str) -> Result<Vec<(usize, &'h str, usize)>, ParseError> {
        let mut out = Vec::new();
        run(walk, text, 0, Origin::at(0), &fields(&["a", "b", "c"]), |f, v, o| {
            out.push((f, v, o));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn find_whole_literal() {
        assert_eq!(find(b"a\"b\",\"c", 0, b"\",\""), Some(3));
        assert_eq!(find(b"abc", 0, b"x"), None);
        assert_eq!(find(b"abc", 3, b"c"), None);
        assert_eq!(find(b"abc", 9, b"c"), None);
        assert_eq!(find(b"abc", 1, b""), Some(1));
        assert_eq!(find(b"abc", 4, b""), None);
        assert_eq!(find(b"aaab", 0, b"ab"), Some(2));
    }

    #[test]
    fn widths_keep_padding_in_the_value() {
        let walk = compiled("<%s{a}> %2d{b}");
        assert_eq!(collect(&walk, "<13>  5").unwrap(), [(0, "13", 1), (1, " 5", 5)]);
    }

    #[test]
    fn walk_errors() {
        let walk = compiled("[%s{a}]%s{b}.");
        assert_eq!(collect(&walk, "[x]y.").unwrap(), [(0, "x", 1), (1, "y", 3)]);
        let err = collect(&walk, "(x]y.").unwrap_err();
        assert_eq!((err.offset, err.field, err.kind), (0, None, expected("[")));
        let err = collect(&walk, "[x]y").unwrap_err();
        assert_eq!(err.offset, 3);
        assert_eq!(err.field.as_deref(), Some("b"));
        assert_eq!(err.kind, ParseErrorKind::MissingLiteral { expected: ".".into() });
        let err = collect(&walk, "[x]y.z").unwrap_err();
        assert_eq!((err.offset, err.kind), (5, ParseErrorKind::TrailingText));
        assert!(collect(&Walk::default(), "").unwrap().is_empty());
        assert_eq!(collect(&Walk::default(), "x").unwrap_err().kind, ParseErrorKind::TrailingText);
    }

    proptest::proptest! {
        #[test]
        fn find_agrees_with_a_naive_search(
            hay in proptest::collection::vec(proptest::sample::select(b"ab\"{}".to_vec()), 0..200),
            needle in proptest::collection::vec(proptest::sample::select(b"ab\"{}".to_vec()), 0..12),
            from in 0usize..210,
        ) {
            let naive = if needle.is_empty() {
                (from <= hay.len()).then_some(from)
            } else {
                (from..hay.len()).find(|&i| hay[i..].starts_with(&needle))
            };
            proptest::prop_assert_eq!(find(&hay, from, &needle), naive);
            let byte = needle.first().copied().unwrap_or(b'a');
            proptest::prop_assert_eq!(find_byte(byte, &hay), hay.iter().position(|&b| b == byte));
            proptest::prop_assert_eq!(find_byte_inline(byte, &hay), hay.iter().position(|&b| b == byte));
            proptest::prop_assert_eq!(same(&hay, &needle), hay == needle);
            if hay.len() >= needle.len() {
                let tail = &hay[hay.len() - needle.len()..];
                proptest::prop_assert_eq!(same(tail, &needle), tail == needle.as_slice());
            }
        }
    }

    #[test]
    fn find_byte_in_long_text() {
        let mut hay = vec![b'x'; 300];
        for at in [0, 7, 8, 31, 32, 63, 64, 65, 200, 299] {
            hay[at] = b'"';
            assert_eq!(find_byte(b'"', &hay), Some(at));
            hay[at] = b'x';
        }
        assert_eq!(find_byte(b'"', &hay), None);
        hay[299] = 0xFF;
        assert_eq!(find_byte(0xFF, &hay), Some(299));
        assert_eq!(find_byte(0x7F, &hay), None);
    }

    #[test]
    fn last_literal_ends_the_line() {
        assert_eq!(find_last(b"a}}}", 0, 0, b"}}"), Ok(2));
        assert_eq!(find_last(b"a}}", 0, 0, b"}}"), Ok(1));
        assert_eq!(find_last(b"}}", 0, 0, b"}}"), Ok(0));
        assert_eq!(find_last(b"}}", 0, 1, b"}}"), Err(None));
        assert_eq!(find_last(b"a}}b", 0, 0, b"}}"), Err(Some(3)));
        assert_eq!(find_last(b"ab", 0, 0, b"}}"), Err(None));
        assert_eq!(find_last(b"}", 0, 0, b"}}"), Err(None));
        assert_eq!(find_last(b"x}}", 5, 0, b"}}"), Err(None));
    }

    #[test]
    fn own_spec() {
        assert!(is_own_spec("%lu{spi_in}", "spi_in"));
        assert!(is_own_spec("%02d{dd}", "dd"));
        assert!(is_own_spec("%-10s{x}", "x"));
        assert!(!is_own_spec("%lu{spi_out}", "spi_in"));
        assert!(!is_own_spec("%f{x}", "x"));
        assert!(!is_own_spec("{x}", "x"));
        assert!(!is_own_spec("%", "x"));
        assert!(!is_own_spec("12", "x"));
    }
}
