//! How a line reached its reader, told by its syslog header alone: the one rule for the CLI's
//! `--target` hint and for routing a stream that mixes every shape a collector sees.
//!
//! ```
//! use nssgen_syntax::shape::{framing, Shape};
//!
//! let forwarded = r#"<13>1 2025-11-12T09:01:38Z zscaler-nss NSS - LOG [SEKOIA@53288 intake_key="k{1}"] {"a":1}"#;
//! let framed = framing(forwarded).expect("a syslog line");
//! assert_eq!(framed.shape, Shape::Forwarded);
//! assert_eq!(&forwarded[framed.body.expect("a body")..], r#"{"a":1}"#);
//! assert_eq!(framing(r#"{"a":1}"#).map(|f| f.shape), Some(Shape::Body));
//! assert_eq!(framing("Nov 12 09:01:38 zscaler-nss NSS {}").map(|f| (f.shape, f.body)), Some((Shape::Rfc3164, Some(32))));
//! ```

/// The shape of a line: the header it carries, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// An RFC3164 syslog header (`Nov 12 09:01:38 host tag `), as an NSS VM feed sends it.
    Rfc3164,
    /// An RFC5424 syslog header without structured data (`<134>1 2025-11-12T09:01:38Z host app
    /// - - - `), as an NSS VM feed sends it.
    Rfc5424,
    /// An RFC5424 header with structured data (`... - LOG [SEKOIA@53288 intake_key="..."] `):
    /// the line as a log concentrator forwards it to the SIEM's intake.
    Forwarded,
    /// No header: the body alone (a Cloud NSS feed, or a relay that stripped the header).
    Body,
}

/// A line's shape and where its body starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Framing {
    /// The header's shape.
    pub shape: Shape,
    /// The offset of the body's first `{` after the header; `None` when there is none (a
    /// key=value line).
    pub body: Option<usize>,
}

/// The month abbreviations an RFC3164 timestamp starts with.
const MONTHS: [&[u8; 3]; 12] =
    [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];

/// The shape of `line` and where its body starts; `None` when the line starts with none of the
/// shapes (no `{`, no `<PRI>`, no RFC3164 timestamp). Only the header is read, so a line can
/// have a shape and still not parse with a format of that shape.
pub fn framing(line: &str) -> Option<Framing> {
    let bytes = line.as_bytes();
    if bytes.first() == Some(&b'{') {
        return Some(Framing { shape: Shape::Body, body: Some(0) });
    }
    let after_pri = pri_end(bytes);
    let rest = &bytes[after_pri.unwrap_or(0)..];
    if let (Some(pri), true) = (after_pri, rest.starts_with(b"1 ")) {
        return Some(rfc5424(bytes, pri + 2));
    }
    match rest {
        [a, b, c, b' ', d, ..] if MONTHS.contains(&&[*a, *b, *c]) && (d.is_ascii_digit() || *d == b' ') => {
            Some(Framing { shape: Shape::Rfc3164, body: memchr::memchr(b'{', bytes) })
        }
        _ => None,
    }
}

/// An RFC5424 line from its header's TIMESTAMP at `at`: five space-ended header fields, then
/// structured data (`-` or elements), then the message, whose first `{` starts the body.
fn rfc5424(bytes: &[u8], mut at: usize) -> Framing {
    let body_from = |at: usize| bytes.get(at..).and_then(|rest| memchr::memchr(b'{', rest)).map(|i| at + i);
    // TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, each ended by one space.
    for _ in 0..5 {
        match bytes.get(at..).and_then(|rest| memchr::memchr(b' ', rest)) {
            Some(i) => at += i + 1,
            None => return Framing { shape: Shape::Rfc5424, body: body_from(at) },
        }
    }
    if bytes.get(at) != Some(&b'[') {
        return Framing { shape: Shape::Rfc5424, body: body_from(at) };
    }
    // Structured data: `]` ends an element unless it is escaped inside a quoted value, so a
    // `{` inside a parameter (a key, a host name) is never taken for the body.
    let (mut quoted, mut escaped) = (false, false);
    while let Some(&b) = bytes.get(at) {
        at += 1;
        match b {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b']' if !quoted && bytes.get(at) != Some(&b'[') => break,
            _ => {}
        }
    }
    Framing { shape: Shape::Forwarded, body: body_from(at) }
}

/// Where a leading syslog `<PRI>` (one to three digits) ends, if the line starts with one.
fn pri_end(bytes: &[u8]) -> Option<usize> {
    let inner = bytes.strip_prefix(b"<")?;
    let digits = inner.iter().take_while(|b| b.is_ascii_digit()).count();
    ((1..=3).contains(&digits) && inner.get(digits) == Some(&b'>')).then_some(digits + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_bodies() {
        type Expected = Option<(Shape, Option<usize>)>;
        let cases: [(&str, Expected); 11] = [
            ("{}", Some((Shape::Body, Some(0)))),
            ("Jan  5 01:02:03 h NSS {}", Some((Shape::Rfc3164, Some(22)))),
            ("<134>Jan 05 01:02:03 h {}", Some((Shape::Rfc3164, Some(23)))),
            ("<134>1 2025-01-05T01:02:03Z h NSS - - - {}", Some((Shape::Rfc5424, Some(40)))),
            ("<134>1 2025-01-05T01:02:03Z h NSS - - - event={}", Some((Shape::Rfc5424, Some(46)))),
            ("<PRI>1 2025-01-05T01:02:03Z h NSS - - - event=a=\"b\"", None),
            ("<13>1 T h a - LOG [S@1 k=\"{\\\"]{\"] {}", Some((Shape::Forwarded, Some(34)))),
            ("<13>1 T h a - LOG [S@1 k=\"v\"][T@2 x=\"]\"] {}", Some((Shape::Forwarded, Some(41)))),
            ("<13>1 T h a - LOG [S@1 k=\"v\"] a=b", Some((Shape::Forwarded, None))),
            ("Jan 05 01:02:03 h NSS a=b", Some((Shape::Rfc3164, None))),
            ("hello {}", None),
        ];
        for (line, expected) in cases {
            assert_eq!(framing(line).map(|f| (f.shape, f.body)), expected, "{line}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_line_is_framed_without_panic_and_the_body_is_a_brace(line in ".{0,80}") {
            if let Some(Framing { body: Some(at), .. }) = framing(&line) {
                proptest::prop_assert_eq!(line.as_bytes().get(at), Some(&b'{'));
            }
        }
    }
}
