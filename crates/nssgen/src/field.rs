//! Field values: from the text a line holds to Rust values, with NSS's encodings undone.

use std::borrow::Cow;

use crate::walk::word4;
use crate::Encoding;

/// Why a field's text could not become the requested value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
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
    #[inline]
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
    ///
    /// Placeholders (`None`, `NA`, ...) are never decoded, and base64 that does not decode is
    /// returned as the line holds it: the raw text stays reachable through [`Text::raw`].
    pub fn decode(&self) -> Cow<'_, str> {
        decode(&self.raw, self.encoding)
    }

    /// The raw text, owned or borrowed as the parser found it.
    pub fn into_raw(self) -> Cow<'a, str> {
        self.raw
    }
}

/// Decodes `text` per `encoding`, borrowing when nothing changes. Shared by [`Text`] and the
/// interpreter's `Value`, so both read a field the same way.
pub(crate) fn decode(text: &str, encoding: Encoding) -> Cow<'_, str> {
    match encoding {
        Encoding::Plain => Cow::Borrowed(text),
        Encoding::Hex => decode_hex(text),
        // A placeholder such as `None` is valid base64 alphabet; NSS prints it as is.
        Encoding::Base64 if is_placeholder(text) => Cow::Borrowed(text),
        Encoding::Base64 => decode_base64(text).map_or(Cow::Borrowed(text), Cow::Owned),
    }
}

/// Whether `text` is one of NSS's "no value" placeholders: `None`, `NA`, `N/A`, empty, or a
/// single space.
#[inline(always)]
pub fn is_placeholder(text: &str) -> bool {
    matches!(text, "None" | "NA" | "N/A" | "" | " ")
}

/// Decodes `%HH` where HH are two hex digits; any other `%` stays. Borrows when there is no
/// `%HH`. Decoded bytes that are not UTF-8 are replaced (U+FFFD).
///
/// ```
/// use nssgen::decode_hex;
/// assert_eq!(decode_hex("a%20b%2C%zz%"), "a b,%zz%");
/// assert_eq!(decode_hex("%E2%82%AC"), "\u{20ac}");
/// assert!(matches!(decode_hex("100%"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn decode_hex(text: &str) -> Cow<'_, str> {
    // percent-encoding's rule is NSS's: `%` without two hex digits is kept as it is.
    percent_encoding::percent_decode_str(text).decode_utf8_lossy()
}

/// Standard alphabet; padding optional, because relays and hand-made lines drop it.
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Decodes standard base64 into text (invalid UTF-8 replaced with U+FFFD).
///
/// ```
/// assert_eq!(nssgen::decode_base64("aHR0cHM6Ly9hLmNvbS8/cT0x").unwrap(), "https://a.com/?q=1");
/// assert!(nssgen::decode_base64("not base64!").is_err());
/// ```
pub fn decode_base64(text: &str) -> Result<String, FieldError> {
    use base64::Engine as _;
    let bytes = BASE64
        .decode(text.trim_matches(' '))
        .map_err(|err| FieldError::new(format!("`{text}` is not base64 ({err})")))?;
    Ok(match String::from_utf8(bytes) {
        Ok(decoded) => decoded,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    })
}

/// Decodes text the parser owns, keeping the allocation when nothing changes.
fn decode_owned(text: String, encoding: Encoding) -> Result<String, FieldError> {
    match encoding {
        Encoding::Plain => Ok(text),
        Encoding::Hex => match decode_hex(&text) {
            Cow::Borrowed(_) => Ok(text),
            Cow::Owned(decoded) => Ok(decoded),
        },
        Encoding::Base64 if is_placeholder(&text) => Ok(text),
        Encoding::Base64 => decode_base64(&text),
    }
}

/// Decodes text borrowed from the line; errors only on invalid base64, so that a `String`
/// field never silently holds undecoded text.
fn decode_strict(text: &str, encoding: Encoding) -> Result<Cow<'_, str>, FieldError> {
    match encoding {
        Encoding::Plain => Ok(Cow::Borrowed(text)),
        Encoding::Hex => Ok(decode_hex(text)),
        Encoding::Base64 if is_placeholder(text) => Ok(Cow::Borrowed(text)),
        Encoding::Base64 => decode_base64(text).map(Cow::Owned),
    }
}

impl<'a> FromField<'a> for &'a str {
    #[inline]
    fn from_field(text: &'a str, _encoding: Encoding) -> Result<Self, FieldError> {
        Ok(text)
    }

    fn from_owned(text: String, _encoding: Encoding) -> Result<Self, FieldError> {
        Err(FieldError::new(format!(
            "`{text}` had to be unescaped from JSON, so it cannot be borrowed from the line: \
             use `Cow<str>`, `String` or `Text` for this field"
        )))
    }
}

impl<'a> FromField<'a> for Cow<'a, str> {
    fn from_field(text: &'a str, encoding: Encoding) -> Result<Self, FieldError> {
        decode_strict(text, encoding)
    }

    fn from_owned(text: String, encoding: Encoding) -> Result<Self, FieldError> {
        decode_owned(text, encoding).map(Cow::Owned)
    }
}

impl<'a> FromField<'a> for String {
    fn from_field(text: &'a str, encoding: Encoding) -> Result<Self, FieldError> {
        decode_strict(text, encoding).map(Cow::into_owned)
    }

    fn from_owned(text: String, encoding: Encoding) -> Result<Self, FieldError> {
        decode_owned(text, encoding)
    }
}

impl<'a> FromField<'a> for Text<'a> {
    #[inline]
    fn from_field(text: &'a str, encoding: Encoding) -> Result<Self, FieldError> {
        Ok(Text::new(text, encoding))
    }

    fn from_owned(text: String, encoding: Encoding) -> Result<Self, FieldError> {
        Ok(Text::new(text, encoding))
    }
}

impl<'a, T: FromField<'a>> FromField<'a> for Option<T> {
    #[inline(always)]
    fn from_field(text: &'a str, encoding: Encoding) -> Result<Self, FieldError> {
        if is_placeholder(text) {
            return Ok(None);
        }
        T::from_field(text, encoding).map(Some)
    }

    fn from_owned(text: String, encoding: Encoding) -> Result<Self, FieldError> {
        if is_placeholder(&text) {
            return Ok(None);
        }
        T::from_owned(text, encoding).map(Some)
    }

    fn from_missing() -> Option<Self> {
        Some(None)
    }
}

/// Parses an integer the way NSS prints it: printf space padding (`%2d` → ` 5`, `%-4d` →
/// `5   `) trimmed, zero padding read as digits, no allocation.
///
/// Most values are plain digits: those are read in place, inlined; anything else (a sign,
/// padding, base64, a value out of `T`'s range, an error) goes to [`parse_int_slow`], which
/// gives the same result for digits, so the fast path changes no outcome.
#[inline(always)]
fn parse_int<T: std::str::FromStr<Err = std::num::ParseIntError> + TryFrom<u64>>(
    text: &str,
    encoding: Encoding,
    what: &str,
    type_name: &str,
) -> Result<T, FieldError> {
    if encoding != Encoding::Base64 {
        if let Some(value) = digits(text.as_bytes()) {
            if let Ok(value) = T::try_from(value) {
                return Ok(value);
            }
        }
    }
    parse_int_slow(text, encoding, what, type_name)
}

/// The value of 1 to 19 ASCII digits (19 digits always fit a `u64`); `None` for anything else.
///
/// Eight digits at a time in a machine word (SWAR): a byte-by-byte loop costs a multiply and a
/// branch per digit, and its exit, at a length that varies line to line, is mispredicted; here
/// a number costs a few branches on its length class, which a field's values share.
#[inline(always)]
fn digits(bytes: &[u8]) -> Option<u64> {
    // Two digits (a date's `%02d` fields) are read in place; longer numbers out of line, where
    // the call costs less than the code it would repeat at every field.
    if let [tens, ones] = *bytes {
        let (tens, ones) = (tens.wrapping_sub(b'0'), ones.wrapping_sub(b'0'));
        return (tens <= 9 && ones <= 9).then(|| u64::from(tens) * 10 + u64::from(ones));
    }
    digits_out(bytes)
}

/// [`digits`] past two digits.
#[inline(never)]
fn digits_out(bytes: &[u8]) -> Option<u64> {
    match bytes.len() {
        1..=8 => eight(bytes),
        _ => digits_long(bytes),
    }
}

/// [`digits`] past eight digits, apart so that the common short number needs no saved registers.
#[inline(never)]
fn digits_long(bytes: &[u8]) -> Option<u64> {
    match bytes.len() {
        9..=16 => {
            let (high, low) = bytes.split_at(bytes.len() - 8);
            Some(eight(high)? * 100_000_000 + eight(low)?)
        }
        17..=19 => {
            let (high, rest) = bytes.split_at(bytes.len() - 16);
            let (middle, low) = rest.split_at(8);
            Some((eight(high)? * 100_000_000 + eight(middle)?) * 100_000_000 + eight(low)?)
        }
        _ => None,
    }
}

/// The value of 1 to 8 ASCII digits, `None` for anything else. The digits are loaded into the
/// high end of a little-endian word, the low end filled with `'0'`, so that every number is
/// eight digits long; the word is checked and converted with the multiply-shift steps
/// simdjson uses (`parse_eight_digits_unrolled`).
#[inline(always)]
fn eight(bytes: &[u8]) -> Option<u64> {
    let len = bytes.len();
    // The bytes at the low end of a word, read as two overlapping halves (an overlapping byte
    // lands at the same place from both, so the OR keeps it).
    let word = match len {
        4..=8 => u64::from(word4(bytes, 0)) | u64::from(word4(bytes, len - 4)) << (8 * (len - 4)),
        2..=3 => u64::from(u16_at(bytes, 0)) | u64::from(u16_at(bytes, len - 2)) << (8 * (len - 2)),
        1 => u64::from(bytes[0]),
        _ => return None,
    };
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    let pad = 8 * (8 - len) as u32;
    let word = (word << pad) | ZEROS.checked_shr(64 - pad).unwrap_or(0);
    // Every byte is 0x30..=0x39: its high nibble is 3, and adding 6 does not carry out of it.
    let high = word & 0xF0F0_F0F0_F0F0_F0F0;
    let carried = (word.wrapping_add(0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4;
    if high | carried != 0x3333_3333_3333_3333 {
        return None;
    }
    let word = ((word & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(2561)) >> 8;
    let word = ((word & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601)) >> 16;
    Some(((word & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001)) >> 32)
}

#[inline(always)]
fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

#[inline(never)]
fn parse_int_slow<T: std::str::FromStr<Err = std::num::ParseIntError>>(
    text: &str,
    encoding: Encoding,
    what: &str,
    type_name: &str,
) -> Result<T, FieldError> {
    // Numbers need no decoding in practice; base64 is undone for completeness.
    let decoded = match encoding {
        Encoding::Base64 => Cow::Owned(decode_base64(text)?),
        Encoding::Plain | Encoding::Hex => Cow::Borrowed(text),
    };
    let trimmed = decoded.trim_matches(' ');
    trimmed.parse::<T>().map_err(|err| {
        use std::num::IntErrorKind;
        FieldError::new(match err.kind() {
            IntErrorKind::Empty => format!("`{text}` is empty, not {what}"),
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => {
                format!("`{text}` is out of range for `{type_name}`")
            }
            _ => format!("`{text}` is not {what}"),
        })
    })
}

macro_rules! from_field_int {
    ($what:literal: $($ty:ty),*) => {$(
        impl<'a> FromField<'a> for $ty {
            #[inline(always)]
            fn from_field(text: &'a str, encoding: Encoding) -> Result<Self, FieldError> {
                parse_int(text, encoding, $what, stringify!($ty))
            }

            fn from_owned(text: String, encoding: Encoding) -> Result<Self, FieldError> {
                parse_int(&text, encoding, $what, stringify!($ty))
            }
        }
    )*};
}

from_field_int!("an unsigned integer": u8, u16, u32, u64, u128, usize);
from_field_int!("an integer": i8, i16, i32, i64, i128, isize);

/// Parses an IP address; hex decoding is undone first (an IPv6 zone id could hold `%25`).
fn parse_ip<T: std::str::FromStr>(text: &str, encoding: Encoding, what: &str) -> Result<T, FieldError> {
    let decoded = decode_strict(text, encoding)?;
    decoded.trim_matches(' ').parse::<T>().map_err(|_| FieldError::new(format!("`{text}` is not {what}")))
}

macro_rules! from_field_ip {
    ($($ty:ty => $what:literal),*) => {$(
        impl<'a> FromField<'a> for $ty {
            fn from_field(text: &'a str, encoding: Encoding) -> Result<Self, FieldError> {
                parse_ip(text, encoding, $what)
            }

            fn from_owned(text: String, encoding: Encoding) -> Result<Self, FieldError> {
                parse_ip(&text, encoding, $what)
            }
        }
    )*};
}

from_field_ip!(
    std::net::IpAddr => "an IP address",
    std::net::Ipv4Addr => "an IPv4 address",
    std::net::Ipv6Addr => "an IPv6 address"
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    fn borrowed(cow: Cow<'_, str>) -> bool {
        matches!(cow, Cow::Borrowed(_))
    }

    #[test]
    fn hex_decodes_only_percent_and_two_hex_digits() {
        for (raw, decoded, borrows) in [
            ("", "", true),
            ("plain", "plain", true),
            ("%", "%", true),
            ("100%", "100%", true),
            ("%4", "%4", true),
            ("a%4", "a%4", true),
            ("%zz", "%zz", true),
            ("%4g", "%4g", true),
            ("%41", "A", false),
            ("%41%", "A%", false),
            ("%%41", "%A", false),
            ("%2541", "%41", false),
            ("a%20b%2C%22c%5C", "a b,\"c\\", false),
            ("%e2%82%ac", "\u{20ac}", false),
            ("%E2%82%AC", "\u{20ac}", false),
            ("%é", "%é", true),
            ("é%20é", "é é", false),
        ] {
            let got = decode_hex(raw);
            assert_eq!(got, decoded, "{raw}");
            assert_eq!(borrowed(got.clone()), borrows, "{raw}");
        }
    }

    #[test]
    fn hex_invalid_utf8_after_decoding_is_replaced() {
        assert_eq!(decode_hex("a%FFb"), "a\u{FFFD}b");
        assert_eq!(decode_hex("%E2%82"), "\u{FFFD}");
        assert_eq!(decode_hex("%C3%A9%C3"), "é\u{FFFD}");
    }

    #[test]
    fn base64_decodes_standard_with_or_without_padding() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), "hello");
        assert_eq!(decode_base64("aGVsbG8").unwrap(), "hello");
        assert_eq!(decode_base64("").unwrap(), "");
        assert_eq!(decode_base64("/w==").unwrap(), "\u{FFFD}");
        let err = decode_base64("a$b=").unwrap_err();
        assert!(err.reason.starts_with("`a$b=` is not base64"), "{}", err.reason);
        assert_eq!(err.to_string(), err.reason);
        assert!(decode_base64("a").is_err());
    }

    #[test]
    fn text_decodes_lazily() {
        let text = Text::new("a%20b", Encoding::Hex);
        assert_eq!(text.raw(), "a%20b");
        assert_eq!(text.decode(), "a b");
        assert_eq!(text.encoding(), Encoding::Hex);
        assert_eq!(Text::new("a%20b", Encoding::Plain).decode(), "a%20b");
        assert_eq!(Text::new("aGk=", Encoding::Base64).decode(), "hi");
        // Not base64, or a placeholder: the raw text.
        assert_eq!(Text::new("a$", Encoding::Base64).decode(), "a$");
        assert_eq!(Text::new("None", Encoding::Base64).decode(), "None");
        assert!(borrowed(Text::new("abc", Encoding::Hex).decode()));
        assert_eq!(Text::new(String::from("x"), Encoding::Plain).into_raw(), "x");
    }

    #[test]
    fn str_is_raw_and_refuses_owned_text() {
        assert_eq!(<&str>::from_field("a%20b", Encoding::Hex), Ok("a%20b"));
        let err = <&str>::from_owned("a\"b".into(), Encoding::Plain).unwrap_err();
        assert!(err.reason.contains("cannot be borrowed from the line"), "{}", err.reason);
        assert!(err.reason.contains("Cow<str>"), "{}", err.reason);
        assert_eq!(<&str>::from_missing(), None);
    }

    #[test]
    fn cow_and_string_decode() {
        let cow = Cow::<str>::from_field("a%20b", Encoding::Hex).unwrap();
        assert_eq!(cow, "a b");
        assert!(borrowed(Cow::<str>::from_field("a%b", Encoding::Hex).unwrap()));
        assert!(borrowed(Cow::<str>::from_field("a%20b", Encoding::Plain).unwrap()));
        assert_eq!(Cow::<str>::from_owned("a%20b".into(), Encoding::Hex).unwrap(), "a b");
        assert_eq!(Cow::<str>::from_owned("a%b".into(), Encoding::Hex).unwrap(), "a%b");
        assert_eq!(Cow::<str>::from_field("aGk=", Encoding::Base64).unwrap(), "hi");
        assert_eq!(Cow::<str>::from_owned("aGk=".into(), Encoding::Base64).unwrap(), "hi");
        assert!(Cow::<str>::from_field("a$", Encoding::Base64).is_err());
        assert_eq!(Cow::<str>::from_field("NA", Encoding::Base64).unwrap(), "NA");
        assert_eq!(String::from_field("%41", Encoding::Hex).unwrap(), "A");
        assert_eq!(String::from_field("%41", Encoding::Plain).unwrap(), "%41");
        assert_eq!(String::from_owned("%41".into(), Encoding::Hex).unwrap(), "A");
        assert_eq!(String::from_owned("None".into(), Encoding::Base64).unwrap(), "None");
        assert!(String::from_field("!", Encoding::Base64).is_err());
        assert_eq!(String::from_missing(), None);
        let text = Text::from_owned("x%41".into(), Encoding::Hex).unwrap();
        assert_eq!((text.raw(), text.decode().as_ref()), ("x%41", "xA"));
        assert_eq!(Text::from_field("x", Encoding::Plain).unwrap().raw(), "x");
    }

    #[test]
    fn integers_trim_printf_padding() {
        assert_eq!(u8::from_field(" 5", Encoding::Plain), Ok(5));
        assert_eq!(u8::from_field("05", Encoding::Plain), Ok(5));
        assert_eq!(i32::from_field("5   ", Encoding::Plain), Ok(5));
        assert_eq!(i32::from_field("  -12", Encoding::Plain), Ok(-12));
        assert_eq!(u64::from_field("18446744073709551615", Encoding::Plain), Ok(u64::MAX));
        assert_eq!(u128::from_owned("7".into(), Encoding::Plain), Ok(7));
        assert_eq!(i128::from_field("-7", Encoding::Hex), Ok(-7));
        assert_eq!(usize::from_field("12", Encoding::Plain), Ok(12));
        assert_eq!(isize::from_field("-12", Encoding::Plain), Ok(-12));
        assert_eq!(i8::from_field("-128", Encoding::Plain), Ok(-128));
        assert_eq!(i16::from_field("300", Encoding::Plain), Ok(300));
        assert_eq!(u16::from_field("65535", Encoding::Plain), Ok(65535));
        assert_eq!(u32::from_field("MTI=", Encoding::Base64), Ok(12));
        assert_eq!(i64::from_owned("MTI=".into(), Encoding::Base64), Ok(12));
    }

    #[test]
    fn integer_errors_say_why() {
        let reason = |r: Result<u64, FieldError>| r.unwrap_err().reason;
        assert_eq!(reason(u64::from_field("12a", Encoding::Plain)), "`12a` is not an unsigned integer");
        assert_eq!(reason(u64::from_field("-1", Encoding::Plain)), "`-1` is not an unsigned integer");
        assert_eq!(reason(u64::from_field("", Encoding::Plain)), "`` is empty, not an unsigned integer");
        assert_eq!(reason(u64::from_field("  ", Encoding::Plain)), "`  ` is empty, not an unsigned integer");
        assert_eq!(reason(u64::from_field("None", Encoding::Plain)), "`None` is not an unsigned integer");
        assert_eq!(
            u8::from_field("256", Encoding::Plain).unwrap_err().reason,
            "`256` is out of range for `u8`"
        );
        assert_eq!(
            i8::from_field("-129", Encoding::Plain).unwrap_err().reason,
            "`-129` is out of range for `i8`"
        );
        assert_eq!(i32::from_field("1.5", Encoding::Plain).unwrap_err().reason, "`1.5` is not an integer");
        assert!(u32::from_field("%%%", Encoding::Base64).unwrap_err().reason.contains("not base64"));
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(
            IpAddr::from_field("10.0.0.1", Encoding::Plain),
            Ok(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)))
        );
        assert_eq!(IpAddr::from_field("::1", Encoding::Plain), Ok(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(Ipv4Addr::from_owned("127.0.0.1".into(), Encoding::Plain), Ok(Ipv4Addr::LOCALHOST));
        assert_eq!(Ipv6Addr::from_field("::1", Encoding::Hex), Ok(Ipv6Addr::LOCALHOST));
        assert_eq!(
            Ipv4Addr::from_field("::1", Encoding::Plain).unwrap_err().reason,
            "`::1` is not an IPv4 address"
        );
        assert_eq!(
            Ipv6Addr::from_field("1.2.3.4", Encoding::Plain).unwrap_err().reason,
            "`1.2.3.4` is not an IPv6 address"
        );
        assert_eq!(
            IpAddr::from_field("abc", Encoding::Plain).unwrap_err().reason,
            "`abc` is not an IP address"
        );
    }

    #[test]
    fn options_read_placeholders_as_none() {
        for placeholder in ["None", "NA", "N/A", "", " "] {
            assert_eq!(Option::<u32>::from_field(placeholder, Encoding::Plain), Ok(None));
            assert_eq!(Option::<&str>::from_field(placeholder, Encoding::Plain), Ok(None));
            assert_eq!(Option::<String>::from_owned(placeholder.into(), Encoding::Base64), Ok(None));
            assert_eq!(Option::<IpAddr>::from_field(placeholder, Encoding::Plain), Ok(None));
        }
        assert_eq!(Option::<u32>::from_field(" 5", Encoding::Plain), Ok(Some(5)));
        assert_eq!(Option::<String>::from_field("%41", Encoding::Hex), Ok(Some("A".into())));
        assert_eq!(Option::<String>::from_owned("%41".into(), Encoding::Hex), Ok(Some("A".into())));
        assert!(Option::<u32>::from_field("x", Encoding::Plain).is_err());
        assert_eq!(Option::<u32>::from_missing(), Some(None));
        assert_eq!(Option::<Option<u32>>::from_missing(), Some(None));
        assert!(is_placeholder("N/A") && !is_placeholder("n/a") && !is_placeholder("  "));
    }

    proptest::proptest! {
        #[test]
        fn the_digit_fast_path_changes_no_outcome(text in "[0-9 +-]{0,22}|[0-9]{0,21}[/:0-9a\\x00\\x7f-\\u{ff}][0-9]{0,3}") {
            proptest::prop_assert_eq!(
                parse_int::<u8>(&text, Encoding::Plain, "n", "u8"),
                parse_int_slow::<u8>(&text, Encoding::Plain, "n", "u8")
            );
            proptest::prop_assert_eq!(
                parse_int::<i64>(&text, Encoding::Plain, "n", "i64"),
                parse_int_slow::<i64>(&text, Encoding::Plain, "n", "i64")
            );
            proptest::prop_assert_eq!(digits(text.as_bytes()), text.parse::<u64>().ok().filter(|_| {
                (1..=19).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
            }));
            proptest::prop_assert_eq!(
                parse_int::<u64>(&text, Encoding::Hex, "n", "u64"),
                parse_int_slow::<u64>(&text, Encoding::Hex, "n", "u64")
            );
        }
    }
}
