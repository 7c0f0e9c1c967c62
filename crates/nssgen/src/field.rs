//! Field values: from the text a line holds to Rust values, with NSS's encodings undone.

use std::borrow::Cow;

/// How NSS encoded a field's value in the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// Printed as is (`%s{url}`, `%d{reqsize}`).
    #[default]
    Plain,
    /// `e` variants (`%s{eurl}`): bytes <= 0x20, >= 0x7F and the feed's escape characters as
    /// `%HH`. `%` itself is not encoded, so only `%` followed by two hex digits is decoded.
    Hex,
    /// `b64` variants (`%s{b64url}`): standard base64.
    Base64,
}

/// Why a field's text could not become the requested value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Why, in a few words (`"invalid digit in \"12a\""`).
    pub reason: String,
}

impl FieldError {
    /// An error with this reason.
    pub fn new(reason: impl Into<String>) -> Self {
        FieldError { reason: reason.into() }
    }
}

/// Converts a field's text into a Rust value.
///
/// Implemented for `&str` (the raw text, never decoded), `Cow<str>` and `String` (decoded),
/// [`Text`] (raw, decoded on demand), every integer type, `IpAddr`, `Ipv4Addr`, `Ipv6Addr`, and
/// `Option<T>` (the placeholders `None`, `NA`, `N/A`, empty and a single space read as `None`).
pub trait FromField<'a>: Sized {
    /// Converts text borrowed from the line.
    fn from_field(text: &'a str, encoding: Encoding) -> Result<Self, FieldError>;

    /// Converts text the parser had to own (the JSON fallback unescaped it). Types that can
    /// only borrow (`&str`) refuse.
    fn from_owned(text: String, encoding: Encoding) -> Result<Self, FieldError>;

    /// The value when the line lacks the field (JSON fallback: key absent or an unsubstituted
    /// spec; headless line: a header-only field): `Some(None)` for `Option<T>`, else `None`,
    /// which the parser reports as [`ParseErrorKind::Missing`](crate::ParseErrorKind::Missing).
    fn from_missing() -> Option<Self> {
        None
    }
}

/// A field's text as the line holds it, decoded only when asked.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Text<'a> {
    raw: Cow<'a, str>,
    encoding: Encoding,
}

impl<'a> Text<'a> {
    /// Text with this raw form and encoding.
    pub fn new(raw: impl Into<Cow<'a, str>>, encoding: Encoding) -> Self {
        Text { raw: raw.into(), encoding }
    }

    /// The text exactly as the line holds it (`%20` and all).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// How NSS encoded it.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The decoded value; borrows when there is nothing to decode.
    pub fn decode(&self) -> Cow<'_, str> {
        todo!("decode according to self.encoding")
    }
}

/// Whether `text` is one of NSS's "no value" placeholders: `None`, `NA`, `N/A`, empty, or a
/// single space.
pub fn is_placeholder(text: &str) -> bool {
    matches!(text, "None" | "NA" | "N/A" | "" | " ")
}

/// Decodes `%HH` where HH are two hex digits; any other `%` stays. Borrows when there is no
/// `%HH`. Decoded bytes that are not UTF-8 are replaced (U+FFFD).
pub fn decode_hex(text: &str) -> Cow<'_, str> {
    let _ = text;
    todo!()
}

/// Decodes standard base64 into text (invalid UTF-8 replaced with U+FFFD).
pub fn decode_base64(text: &str) -> Result<String, FieldError> {
    let _ = text;
    todo!()
}
