//! The NSS emulator: renders one line from a parsed format and field values, byte for byte as
//! NSS prints it (printf padding, `e` fields hex-encoded, `b64` fields base64).
//!
//! What NSS does, and so what this does (facts in the catalog's `FACTS.md`):
//! - numeric conversions follow printf: `%02d` zero-pads, `%2d` space-pads, `%-5s`
//!   left-justifies, `%x` prints lowercase hex; widths count bytes, as printf does;
//! - hex-encoded variants (`eurl`) print every byte <= 0x20 or >= 0x7F, and every byte of the
//!   feed's escape characters, as `%HH` (uppercase); `%` itself is not encoded;
//! - base64 variants (`b64url`) print standard base64 (with padding);
//! - obfuscated variants (`ocip`) and plain fields print their value as given;
//! - a field the record lacks (tunnel record types) prints its own spec (`%lu{spi_in}`).
//!
//! ```
//! use nssgen_emulate::{Emulator, Values};
//!
//! let format = nssgen_syntax::parse(r#"%02d{hh}:%02d{mm} "%s{eurl}" %s{b64url}"#).expect("valid format");
//! let web = nssgen_catalog::log_type("web").expect("web is in the catalog");
//! let mut values = Values::new();
//! values.set("hh", 9).set("mm", 5).set("url", "example.com/a b,c");
//! let line = Emulator::new(",\\\"").with_catalog(web).render(&format, &values).expect("all values given");
//! assert_eq!(line, r#"09:05 "example.com/a%20b%2Cc" ZXhhbXBsZS5jb20vYSBiLGM="#);
//! ```

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use base64::Engine as _;
use nssgen_catalog::LogType;
pub use nssgen_catalog::VariantOf;
use nssgen_syntax::plan::Encoding;
use nssgen_syntax::{Conversion, FieldSpec, Format, Item};
use percent_encoding::{percent_encode, AsciiSet, CONTROLS};

/// A field's value, as the emulator takes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldValue {
    /// Text. For a numeric conversion, text that reads as an integer (surrounding spaces
    /// allowed) is printed as that integer; other text is printed as is, padded like `%s`.
    Text(String),
    /// An integer, for any conversion (`%s` prints it in decimal).
    Int(i128),
    /// The record lacks the field: NSS prints the spec itself (`%lu{spi_in}`), as it does for
    /// the fields of one tunnel record type that another lacks.
    Missing,
}

impl From<&str> for FieldValue {
    fn from(s: &str) -> Self {
        FieldValue::Text(s.to_owned())
    }
}

impl From<String> for FieldValue {
    fn from(s: String) -> Self {
        FieldValue::Text(s)
    }
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl From<$t> for FieldValue {
            fn from(n: $t) -> Self {
                FieldValue::Int(i128::from(n))
            }
        }
    )*};
}
int_value!(i8, i16, i32, i64, u8, u16, u32, u64);

/// Field values by field name.
///
/// Give values for base fields (`url`): the emulator derives `eurl` and `b64url` from them. A
/// value set for a variant's own name (`eurl`, `ocip`) wins and is printed as given, already
/// encoded or obfuscated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Values {
    map: HashMap<String, FieldValue>,
}

impl Values {
    /// No values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the value of a field; returns `self` for chaining.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<FieldValue>) -> &mut Self {
        self.map.insert(name.into(), value.into());
        self
    }

    /// The value given for a field name, if any.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.map.get(name)
    }

    /// Whether a value was given for the name.
    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// Number of names with a value.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no value was given.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl<K: Into<String>, V: Into<FieldValue>> FromIterator<(K, V)> for Values {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Values { map: iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }
}

/// What to print for a field that has no value at all (neither its own nor its base's).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Absent {
    /// Refuse to render: [`EmulateError`] names the field (the default, so that a forgotten
    /// value is not mistaken for NSS behaviour).
    #[default]
    Error,
    /// Print the spec itself, as NSS does for a field the record type lacks
    /// (same as [`FieldValue::Missing`]).
    PrintSpec,
    /// Print nothing (padded to the spec's width).
    Empty,
}

/// A field had no value and [`Absent::Error`] was in force.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no value for field `{field}`")]
pub struct EmulateError {
    /// The field's name in the format.
    pub field: String,
}

/// Appends `bytes` hex-encoded as NSS does for `e` fields: bytes <= 0x20 or >= 0x7F, and the
/// bytes of `escape_characters`, become `%HH` (uppercase); `%` is left alone.
pub fn hex_encode(bytes: &[u8], escape_characters: &[u8], out: &mut String) {
    out.extend(percent_encode(bytes, hex_set(escape_characters)));
}

/// The bytes an `e` field prints as `%HH` whatever the feed: controls, space and DEL.
/// percent-encoding encodes every byte >= 0x80 by itself.
const ALWAYS_HEX: AsciiSet = CONTROLS.add(b' ');

/// [`ALWAYS_HEX`] and the feed's escape characters. percent-encoding takes only `&'static`
/// sets, and escape characters are data (a profile's), so each distinct set is made once and
/// kept for the life of the process: a few bytes per set a program uses.
fn hex_set(escape_characters: &[u8]) -> &'static AsciiSet {
    static MADE: Mutex<Vec<&'static AsciiSet>> = Mutex::new(Vec::new());
    if escape_characters.is_empty() {
        return &ALWAYS_HEX;
    }
    let set = escape_characters.iter().filter(|b| b.is_ascii()).fold(ALWAYS_HEX, |set, &b| set.add(b));
    let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = made.iter().copied().find(|known| **known == set) {
        return known;
    }
    let leaked: &'static AsciiSet = Box::leak(Box::new(set));
    made.push(leaked);
    leaked
}

/// The spec as written in a format (`%02d{dd}`), which NSS prints for a field the record lacks.
pub fn spec_text(spec: &FieldSpec) -> String {
    let width = spec.width.map(|w| w.to_string()).unwrap_or_default();
    format!("%{}{}{}{{{}}}", spec.flags.raw, width, spec.conv.as_str(), spec.name)
}

/// A line and, for each item of its format in order, the bytes of the line that item printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Traced {
    /// The line, without the line feed NSS adds after it.
    pub line: String,
    /// One range of `line` per item of the format: a literal's text, a field's padded value
    /// (empty for an empty value). In line order, touching, covering the whole line.
    pub items: Vec<Range<usize>>,
}

impl Traced {
    /// The index of the item that printed byte `offset` of the line, if the line has it.
    pub fn item_at(&self, offset: usize) -> Option<usize> {
        // In order and touching: the first range ending after `offset` holds it, if any does.
        let i = self.items.partition_point(|r| r.end <= offset);
        self.items.get(i).filter(|r| r.contains(&offset)).map(|_| i)
    }
}

/// Renders lines the way NSS prints them for one feed.
#[derive(Clone, Debug)]
pub struct Emulator<'c> {
    escape_characters: Vec<u8>,
    /// What `e` fields print as `%HH`, made from `escape_characters` once.
    hex_set: &'static AsciiSet,
    log_type: Option<&'c LogType>,
    absent: Absent,
}

impl<'c> Emulator<'c> {
    /// An emulator for a feed with these escape characters (`,\"` for Sekoia: comma,
    /// backslash, quote). Without [`with_catalog`](Self::with_catalog) it knows no variants:
    /// every field prints its own value.
    pub fn new(escape_characters: &str) -> Self {
        Emulator {
            escape_characters: escape_characters.as_bytes().to_vec(),
            hex_set: hex_set(escape_characters.as_bytes()),
            log_type: None,
            absent: Absent::Error,
        }
    }

    /// Uses a catalog log type to know which fields are variants of which (`eurl` of `url`).
    pub fn with_catalog(mut self, log_type: &'c LogType) -> Self {
        self.log_type = Some(log_type);
        self
    }

    /// What to print for a field with no value (default [`Absent::Error`]).
    pub fn absent(mut self, absent: Absent) -> Self {
        self.absent = absent;
        self
    }

    /// The feed's escape characters.
    pub fn escape_characters(&self) -> &[u8] {
        &self.escape_characters
    }

    /// Renders one line (without the line feed NSS adds after it).
    pub fn render(&self, format: &Format, values: &Values) -> Result<String, EmulateError> {
        let mut out = String::new();
        self.render_into(format, values, &mut out)?;
        Ok(out)
    }

    /// Renders one line, appending it to `out` (which is left as it was on error).
    pub fn render_into(
        &self,
        format: &Format,
        values: &Values,
        out: &mut String,
    ) -> Result<(), EmulateError> {
        self.render_items(format, values, out, |_| {})
    }

    /// Renders one line and the bytes each item of the format printed in it: what traces a
    /// byte of the line back to the format (a linter pointing at the spec whose value breaks
    /// the JSON body), or finds where a value ends (a sampler checking that a parser can).
    pub fn render_traced(&self, format: &Format, values: &Values) -> Result<Traced, EmulateError> {
        let mut traced = Traced { line: String::new(), items: Vec::with_capacity(format.items.len()) };
        self.render_items(format, values, &mut traced.line, |range| traced.items.push(range))?;
        Ok(traced)
    }

    /// Appends the items one after the other, handing `printed` the bytes of `out` each one
    /// printed; on error `out` is left as it was.
    fn render_items(
        &self,
        format: &Format,
        values: &Values,
        out: &mut String,
        mut printed: impl FnMut(Range<usize>),
    ) -> Result<(), EmulateError> {
        let start = out.len();
        for item in &format.items {
            let from = out.len();
            match item {
                Item::Literal(literal) => out.push_str(&literal.text),
                Item::Field(spec) => {
                    if let Err(e) = self.render_field(spec, values, out) {
                        out.truncate(start);
                        return Err(e);
                    }
                }
            }
            printed(from..out.len());
        }
        Ok(())
    }

    /// Appends one field as NSS prints it.
    pub fn render_field(
        &self,
        spec: &FieldSpec,
        values: &Values,
        out: &mut String,
    ) -> Result<(), EmulateError> {
        let (text, number) = match self.value_text(spec, values) {
            Some(Printed::Int(n)) => (format_int(spec.conv, n), true),
            Some(Printed::Text(text)) => (text, false),
            Some(Printed::Missing) => {
                out.push_str(&spec_text(spec));
                return Ok(());
            }
            None => match self.absent {
                Absent::Error => return Err(EmulateError { field: spec.name.clone() }),
                Absent::PrintSpec => {
                    out.push_str(&spec_text(spec));
                    return Ok(());
                }
                Absent::Empty => (String::new(), false),
            },
        };
        pad(spec, &text, number, out);
        Ok(())
    }

    /// The field's text before padding, or an integer still to be formatted.
    fn value_text(&self, spec: &FieldSpec, values: &Values) -> Option<Printed> {
        if let Some(value) = values.get(&spec.name) {
            return Some(Printed::direct(spec.conv, value));
        }
        let VariantOf { variant, base } = self.log_type.and_then(|t| t.variant_of(&spec.name))?;
        let value = values.get(&base)?;
        let plain = match value {
            FieldValue::Missing => return Some(Printed::Missing),
            FieldValue::Int(n) => n.to_string(),
            FieldValue::Text(text) => text.clone(),
        };
        // How the variant is encoded is the catalog's one rule (what the parsers decode).
        Some(match variant.encoding() {
            Encoding::Hex => Printed::Text(percent_encode(plain.as_bytes(), self.hex_set).to_string()),
            Encoding::Base64 => {
                Printed::Text(base64::engine::general_purpose::STANDARD.encode(plain.as_bytes()))
            }
            // Obfuscated: NSS substitutes its own token; with none given, the base value stands
            // in for it.
            Encoding::Plain => Printed::direct(spec.conv, value),
        })
    }
}

enum Printed {
    Int(i128),
    Text(String),
    Missing,
}

impl Printed {
    fn direct(conv: Conversion, value: &FieldValue) -> Printed {
        match value {
            FieldValue::Missing => Printed::Missing,
            FieldValue::Int(n) if conv.is_numeric() => Printed::Int(*n),
            FieldValue::Int(n) => Printed::Text(n.to_string()),
            FieldValue::Text(text) if conv.is_numeric() => match text.trim().parse::<i128>() {
                Ok(n) => Printed::Int(n),
                Err(_) => Printed::Text(text.clone()),
            },
            FieldValue::Text(text) => Printed::Text(text.clone()),
        }
    }
}

/// An integer as printf prints it for the conversion (no padding yet). Unsigned and hex
/// conversions show a negative value as its 64-bit two's complement.
fn format_int(conv: Conversion, n: i128) -> String {
    let unsigned = || if n < 0 { u128::from(n as i64 as u64) } else { n.unsigned_abs() };
    match conv {
        Conversion::X => format!("{:x}", unsigned()),
        Conversion::U | Conversion::Lu | Conversion::Llu => unsigned().to_string(),
        _ => n.to_string(),
    }
}

/// Appends `text` padded to the spec's width: spaces on the left, on the right with `-`, and
/// zeros after the sign with `0` for a number (`-` wins over `0`, as in printf).
fn pad(spec: &FieldSpec, text: &str, number: bool, out: &mut String) {
    // The grammar refuses wider specs; a hand-built `FieldSpec` is held to the same bound, so a
    // hostile one cannot exhaust memory.
    let width = spec.width.map_or(0, |w| w.min(nssgen_syntax::MAX_WIDTH) as usize);
    let fill = width.saturating_sub(text.len());
    if fill == 0 {
        out.push_str(text);
    } else if spec.flags.left_justify() {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if spec.flags.zero_pad() && number {
        let (sign, digits) = if let Some(rest) = text.strip_prefix('-') { ("-", rest) } else { ("", text) };
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(digits);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nssgen_catalog::Variant;

    fn render(format: &str, values: &Values) -> String {
        let format = nssgen_syntax::parse(format).expect("test format parses");
        let web = nssgen_catalog::log_type("web").expect("web in catalog");
        Emulator::new(",\\\"").with_catalog(web).render(&format, values).expect("all values given")
    }

    fn time_values(hh: i64, mm: i64, ss: i64) -> Values {
        let mut v = Values::new();
        v.set("hh", hh).set("mm", mm).set("ss", ss).set("yyyy", 2023).set("mth", 9).set("dd", 18);
        v
    }

    #[test]
    fn format_syntax_test_vectors() {
        let v = time_values(21, 5, 0);
        assert_eq!(render("%d{hh}:%d{mm}:%d{ss}", &v), "21:5:0");
        assert_eq!(render("%02d{hh}:%02d{mm}:%02d{ss}", &v), "21:05:00");
        assert_eq!(
            render("%d{yyyy}-%02d{mth}-%02d{dd} %02d{hh}:%02d{mm}:%02d{ss}", &v),
            "2023-09-18 21:05:00"
        );
        let mut v = Values::new();
        v.set("time", "Mon Sep 18 10:50:46 2023")
            .set("login", "user@example.com")
            .set("hostname", "www.zscaler.com");
        assert_eq!(render("%s{time} GMT", &v), "Mon Sep 18 10:50:46 2023 GMT");
        assert_eq!(render("%s{login}: \\{%s{hostname}\\}", &v), "user@example.com: {www.zscaler.com}");
        v.set("proto", "HTTP");
        assert_eq!(
            render("%s{time}\\t%s{login}\\t%s{proto}", &v),
            "Mon Sep 18 10:50:46 2023\tuser@example.com\tHTTP"
        );
    }

    #[test]
    fn printf_padding() {
        let mut v = Values::new();
        v.set("a", 7).set("b", -7).set("s", "ab").set("x", 255).set("long", "abcdefgh").set("t", " 42 ");
        assert_eq!(render("[%2d{a}]", &v), "[ 7]");
        assert_eq!(render("[%04d{a}]", &v), "[0007]");
        assert_eq!(render("[%04d{b}]", &v), "[-007]");
        assert_eq!(render("[%-4d{a}]", &v), "[7   ]");
        assert_eq!(render("[%-04d{a}]", &v), "[7   ]");
        assert_eq!(render("[%-5s{s}]", &v), "[ab   ]");
        assert_eq!(render("[%5s{s}]", &v), "[   ab]");
        assert_eq!(render("[%3s{long}]", &v), "[abcdefgh]");
        assert_eq!(render("[%x{x}]", &v), "[ff]");
        assert_eq!(render("[%04x{x}]", &v), "[00ff]");
        assert_eq!(render("[%u{b}]", &v), "[18446744073709551609]");
        assert_eq!(render("[%s{a}]", &v), "[7]");
        // Text that reads as an integer is printed as one by numeric conversions.
        assert_eq!(render("[%03d{t}]", &v), "[042]");
        // Widths count bytes, as printf's do: `é` is two.
        v.set("e", "é");
        assert_eq!(render("[%-4s{e}]", &v), "[é  ]");
    }

    #[test]
    fn huge_widths_are_capped() {
        let mut v = Values::new();
        v.set("a", 1);
        assert_eq!(render("%1024d{a}", &v).len(), 1024);
        // The grammar refuses wider specs; one built by hand is held to the same bound.
        let mut format = nssgen_syntax::parse("%1d{a}").expect("parses");
        if let Some(nssgen_syntax::Item::Field(f)) = format.items.first_mut() {
            f.width = Some(4_000_000_000);
        }
        let line = Emulator::new("").render(&format, &v).expect("renders");
        assert_eq!(line.len(), nssgen_syntax::MAX_WIDTH as usize);
    }

    #[test]
    fn text_in_a_numeric_field_prints_as_text() {
        let mut v = Values::new();
        v.set("n", "NA");
        assert_eq!(render("[%4d{n}]", &v), "[  NA]");
        assert_eq!(render("[%04d{n}]", &v), "[  NA]");
    }

    #[test]
    fn hex_variants_encode_controls_non_ascii_and_escape_characters_but_not_percent() {
        let mut v = Values::new();
        v.set("url", "a\"b,c\\d e\u{e9}%41\n\x7f~!");
        assert_eq!(render("%s{eurl}", &v), "a%22b%2Cc%5Cd%20e%C3%A9%41%0A%7F~!");
        // Without the escape characters only the always-encoded bytes change.
        let format = nssgen_syntax::parse("%s{eurl}").expect("parses");
        let web = nssgen_catalog::log_type("web").expect("web");
        let line = Emulator::new("").with_catalog(web).render(&format, &v).expect("renders");
        assert_eq!(line, "a\"b,c\\d%20e%C3%A9%41%0A%7F~!");
        // A base that is not `name minus e` comes from the catalog.
        v.set("dept", "R&D, Paris");
        assert_eq!(render("%s{edepartment}", &v), "R&D%2C%20Paris");
    }

    #[test]
    fn any_escape_characters_are_encoded_and_each_set_is_made_once() {
        let mut out = String::new();
        // `%` among them is encoded too; a non-ASCII one is encoded anyway, byte by byte.
        hex_encode("50% é;x".as_bytes(), "%;é".as_bytes(), &mut out);
        assert_eq!(out, "50%25%20%C3%A9%3Bx");
        assert!(std::ptr::eq(hex_set(b";%"), hex_set(b"%;")));
        assert!(std::ptr::eq(hex_set(b""), hex_set(b"")));
        assert!(!std::ptr::eq(hex_set(b";"), hex_set(b",")));
    }

    #[test]
    fn base64_variants_and_plain_fields() {
        let mut v = Values::new();
        v.set("url", "example.com/?q=\"x\"").set("ua", "Mozilla/5.0 (X11; Linux x86_64)");
        assert_eq!(render("%s{b64url}", &v), "ZXhhbXBsZS5jb20vP3E9Ingi");
        assert_eq!(render("%s{url}", &v), "example.com/?q=\"x\"");
        assert_eq!(render("%s{b64ua}", &v), "TW96aWxsYS81LjAgKFgxMTsgTGludXggeDg2XzY0KQ==");
    }

    #[test]
    fn a_value_given_for_the_variant_wins_and_is_printed_as_given() {
        let mut v = Values::new();
        v.set("url", "a b").set("eurl", "given%2").set("cip", "10.0.0.1").set("ocip", 42);
        assert_eq!(render("%s{eurl} %d{ocip}", &v), "given%2 42");
        let mut v = Values::new();
        v.set("cip", "10.0.0.1");
        assert_eq!(render("%d{ocip}", &v), "10.0.0.1");
    }

    #[test]
    fn missing_fields_print_their_spec() {
        let mut v = Values::new();
        v.set("spi_in", FieldValue::Missing).set("url", FieldValue::Missing);
        assert_eq!(render(r#""%lu{spi_in}","%-08s{eurl}""#, &v), r#""%lu{spi_in}","%-08s{eurl}""#);
        let format = nssgen_syntax::parse("a%02d{dd}b").expect("parses");
        let e = Emulator::new("");
        let err = e.render(&format, &Values::new()).unwrap_err();
        assert_eq!(
            (&err, err.to_string().as_str()),
            (&EmulateError { field: "dd".to_owned() }, "no value for field `dd`")
        );
        assert_eq!(
            e.clone().absent(Absent::PrintSpec).render(&format, &Values::new()).as_deref(),
            Ok("a%02d{dd}b")
        );
        assert_eq!(e.absent(Absent::Empty).render(&format, &Values::new()).as_deref(), Ok("a  b"));
    }

    #[test]
    fn variants_outside_the_catalog_are_read_by_prefix() {
        let tunnel = nssgen_catalog::log_type("tunnel").expect("tunnel");
        assert_eq!(
            tunnel.variant_of("elocationname"),
            Some(VariantOf { variant: Variant::Hex, base: "locationname".to_owned() })
        );
        assert_eq!(tunnel.variant_of("locationname"), None);
        assert_eq!(tunnel.variant_of("event"), None);
        let web = nssgen_catalog::log_type("web").expect("web");
        assert_eq!(web.variant_of("eedone"), None);
        assert_eq!(web.variant_of("epochtime"), None);
        assert_eq!(web.variant_of("b64url").map(|v| v.variant), Some(Variant::B64));
    }

    #[test]
    fn a_traced_line_says_which_bytes_each_item_printed() {
        let format = nssgen_syntax::parse(r#"\{"a":"%-4s{s}","n":%02d{n}%s{empty}\}"#).expect("parses");
        let mut v = Values::new();
        v.set("s", "é").set("n", 7).set("empty", "");
        let traced = Emulator::new("").render_traced(&format, &v).expect("all values given");
        assert_eq!(traced.line, r#"{"a":"é  ","n":07}"#);
        let printed: Vec<&str> = traced.items.iter().map(|r| &traced.line[r.clone()]).collect();
        assert_eq!(printed, [r#"{"a":""#, "é  ", r#"","n":"#, "07", "", "}"]);
        assert_eq!(traced.line, Emulator::new("").render(&format, &v).expect("renders"));
        assert_eq!(traced.item_at(0), Some(0));
        assert_eq!(traced.item_at(7), Some(1));
        assert_eq!(traced.item_at(16), Some(3));
        // The empty value prints no byte: the brace after it is the next literal's.
        assert_eq!(traced.item_at(18), Some(5));
        assert_eq!(traced.item_at(19), None);
        let err = Emulator::new("").render_traced(&format, &Values::new()).unwrap_err();
        assert_eq!(err, EmulateError { field: "s".to_owned() });
    }

    #[test]
    fn literals_print_their_decoded_text() {
        assert_eq!(render(r"\{%%\}\t", &Values::new()), "{%}\t");
    }
}
