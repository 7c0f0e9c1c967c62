//! `#[derive(NssRecord)]` end to end: lines as NSS prints them, parsed by derived parsers, from
//! an inline format, a format file and the built-in profile formats (`nssgen::sekoia`).
// The generated code must be warning-free in the user's crate.
#![deny(warnings)]

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr};

use nssgen::{Encoding, NssRecord, ParseErrorKind, ParsePath, Text};
use nssgen_catalog::Target;

/// A small web-like format: RFC3164 header, JSON body, `dd` printed twice, an `e` field.
#[derive(Debug, NssRecord)]
#[nss(
    format = r#"%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss NSS \{"sourcetype" : "zscalernss-web", "event" : \{"day":"%02d{dd}","url":"%s{eurl}","ua":"%s{eua}","ip":"%s{cip}","size":"%llu{reqsize}","login":"%s{elogin}"\}\}"#
)]
struct Hit<'a> {
    mon: Option<&'a str>,
    dd: u8,
    #[nss(field = "eurl")]
    url: Cow<'a, str>,
    /// Read raw: `&str` never decodes.
    eua: &'a str,
    cip: IpAddr,
    reqsize: u64,
    elogin: Text<'a>,
}

const BODY: &str = r#"{"sourcetype" : "zscalernss-web", "event" : {"day":"07","url":"example.com/a%20b?q=1%2C2","ua":"Mozilla/5.0%20(X11)","ip":"10.1.2.3","size":"1234","login":"jane%40example.com"}}"#;

fn line() -> String {
    format!("Mar 07 10:11:12 zscaler-nss NSS {BODY}")
}

#[test]
fn an_exact_line_decodes_e_fields_into_cow_and_reads_ips_and_numbers() {
    let line = line();
    let parsed = Hit::parse_detailed(&line).expect("the line parses");
    assert_eq!(parsed.path, ParsePath::Exact);
    let hit = parsed.record;
    assert_eq!(hit.mon, Some("Mar"));
    assert_eq!(hit.dd, 7);
    assert_eq!(hit.url, "example.com/a b?q=1,2");
    assert!(matches!(hit.url, Cow::Owned(_)), "decoding allocates only when there is something to decode");
    assert_eq!(hit.eua, "Mozilla/5.0%20(X11)");
    assert_eq!(hit.cip, IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)));
    assert_eq!(hit.reqsize, 1234);
    assert_eq!(hit.elogin.raw(), "jane%40example.com");
    assert_eq!(hit.elogin.encoding(), Encoding::Hex);
    assert_eq!(hit.elogin.decode(), "jane@example.com");
    // The inherent `parse` is the trait's.
    assert_eq!(Hit::parse(&line).expect("parses").reqsize, 1234);
    assert!(Hit::FORMAT.starts_with("%s{mon} %02d{dd}"));
}

#[test]
fn values_with_nothing_to_decode_are_borrowed() {
    let line = line().replace("example.com/a%20b?q=1%2C2", "example.com/plain");
    let hit = Hit::parse(&line).expect("parses");
    assert!(matches!(hit.url, Cow::Borrowed("example.com/plain")));
}

#[test]
fn a_line_without_its_syslog_header_parses_headless() {
    let parsed = Hit::parse_detailed(BODY).expect("the body alone parses");
    assert_eq!(parsed.path, ParsePath::Headless);
    assert_eq!(parsed.record.mon, None, "a header-only field is missing on a headless line");
    assert_eq!(parsed.record.dd, 7, "read from the body's occurrence");
    assert_eq!(parsed.record.url, "example.com/a b?q=1,2");
}

#[test]
fn a_drifted_json_body_parses_through_the_fallback() {
    let drifted = r#"<134>1 2024-03-07T10:11:12Z zscaler-nss NSS - - - {"sourcetype":"zscalernss-web","event":{"login":"jane%40example.com","size":"1234","ip":"10.1.2.3","ua":"UA","url":"a%20b","day":"07"}}"#;
    let parsed = Hit::parse_detailed(drifted).expect("the fallback reads it");
    assert_eq!(parsed.path, ParsePath::Json);
    let hit = parsed.record;
    assert_eq!((hit.url.as_ref(), hit.eua, hit.reqsize, hit.dd), ("a b", "UA", 1234, 7));
    assert_eq!(hit.mon, None);
}

#[test]
fn a_field_printed_twice_must_agree() {
    let line = line().replace(r#""day":"07""#, r#""day":"08""#);
    let err = Hit::parse(&line).expect_err("07 in the header, 08 in the body");
    assert_eq!(err.field.as_deref(), Some("dd"));
    assert_eq!(err.kind, ParseErrorKind::Disagree { first: "07".into(), second: "08".into() });
}

#[test]
fn errors_say_where_and_why() {
    let line = line().replace("10.1.2.3", "10.1.2.x");
    let err = Hit::parse(&line).expect_err("not an address");
    assert_eq!(err.field.as_deref(), Some("cip"));
    assert_eq!(err.offset, line.find("10.1.2.x").expect("in the line"));
    assert!(matches!(err.kind, ParseErrorKind::InvalidValue { .. }), "{err}");

    let err = Hit::parse("Mar 07 10:11:12 nope").expect_err("not the format");
    assert!(err.to_string().starts_with("at byte "), "{err}");
    let trailing = format!("{} and more", line.replace("10.1.2.x", "10.1.2.3"));
    assert!(Hit::parse(&trailing).is_err());
}

/// A struct that owns its values needs no lifetime.
#[derive(Debug, PartialEq, Eq, NssRecord)]
#[nss(format = "%s{user} did %s{action} (%d{count})\n")]
struct Owned {
    user: String,
    action: String,
    count: Option<i32>,
}

#[test]
fn owned_structs_placeholders_and_a_final_newline_in_the_format() {
    let owned = Owned::parse("jane did login (None)").expect("parses");
    assert_eq!(owned, Owned { user: "jane".into(), action: "login".into(), count: None });
    assert_eq!(Owned::parse("bob did x ( 12)").expect("padding is trimmed").count, Some(12));
}

/// A format of one literal matches that literal and nothing else; one of a lone field, any line.
#[derive(Debug, NssRecord)]
#[nss(format = "zscaler-nss")]
struct Marker {}

#[derive(Debug, NssRecord)]
#[nss(format = "%s{msg}")]
struct Whole<'a> {
    msg: &'a str,
}

#[test]
fn formats_of_one_literal_or_one_field() {
    assert!(Marker::parse("zscaler-nss").is_ok());
    for other in ["zscaler-nss!", "zscaler", "", "xzscaler-nss"] {
        let err = Marker::parse(other).expect_err(other);
        let detailed = Marker::parse_detailed(other).expect_err(other);
        assert_eq!(err, detailed, "{other}");
    }
    assert_eq!(Marker::parse_detailed("zscaler-nss").map(|p| p.path), Ok(ParsePath::Exact));
    for line in ["", "a", "a b \"c\" {d}"] {
        assert_eq!(Whole::parse(line).map(|w| w.msg), Ok(line));
        assert_eq!(Whole::parse_detailed(line).map(|p| p.record.msg), Ok(line));
    }
}

/// The format lives in `tests/ui/formats/tabs.nss`, relative to this crate's manifest dir.
#[derive(Debug, NssRecord)]
#[nss(format_file = "ui/formats/tabs.nss")]
struct Tabbed<'a> {
    time: &'a str,
    cip: Ipv4Addr,
    eurl: Cow<'a, str>,
}

#[test]
fn a_format_file_derive() {
    let rec = Tabbed::parse("Thu Mar 07 10:11:12 2024\t10.0.0.1\ta%2Cb").expect("parses");
    assert_eq!(
        (rec.time, rec.cip, rec.eurl.as_ref()),
        ("Thu Mar 07 10:11:12 2024", Ipv4Addr::new(10, 0, 0, 1), "a,b")
    );
    // As written in the file (NSS's `\t` escape), without the file's final newline.
    assert_eq!(Tabbed::FORMAT, r"%s{time}\t%s{cip}\t%s{eurl}");
}

/// Elastic-style: a spec outside quotes is a raw JSON value.
#[derive(Debug, NssRecord)]
#[nss(format = r#"\{"user":"%s{login}","pre":%s{preaction}\}"#)]
struct Audit<'a> {
    login: &'a str,
    preaction: Cow<'a, str>,
}

#[test]
fn a_value_outside_quotes_is_read_as_raw_json_by_the_fallback() {
    let exact = Audit::parse_detailed(r#"{"user":"a","pre":null}"#).expect("exact");
    assert_eq!((exact.path, exact.record.preaction.as_ref()), (ParsePath::Exact, "null"));
    // The last value runs to the literal that ends the line (`}`), not to the first `}` inside
    // the object, as the interpreter reads it too.
    let nested = Audit::parse_detailed(r#"{"user":"a","pre":{"k":1}}"#).expect("exact");
    assert_eq!((nested.path, nested.record.preaction.as_ref()), (ParsePath::Exact, r#"{"k":1}"#));
    let drifted = Audit::parse_detailed(r#"{ "pre": null, "user": "a" }"#).expect("json");
    assert_eq!((drifted.path, drifted.record.login), (ParsePath::Json, "a"));
}

/// Renders a line of `format` with the NSS emulator, `value(name, conv)` printed as given
/// for each field (no catalog, so no encoding; printf padding applies).
fn render(format: &str, value: impl Fn(&str, nssgen_syntax::Conversion) -> String) -> String {
    let ast = nssgen_syntax::parse(format).expect("the built-in formats parse");
    let mut values = nssgen_emulate::Values::new();
    for spec in ast.fields() {
        values.set(spec.name.clone(), nssgen_emulate::FieldValue::Text(value(&spec.name, spec.conv)));
    }
    nssgen_emulate::Emulator::new("").render(&ast, &values).expect("every field has a value")
}

fn sample(name: &str, conv: nssgen_syntax::Conversion) -> String {
    match name {
        "mon" => "Mar".into(),
        "dd" => "07".into(),
        "hh" | "mm" | "ss" | "mth" => "10".into(),
        "yy" | "yyyy" => "2024".into(),
        _ if conv.is_numeric() => "42".into(),
        _ => format!("v%20{name}"),
    }
}

/// Parses a line of each target's format with the typed record `$ty` (derived from the `nss`
/// format): exact for `nss`, headless for `cloud-nss` (the same body), and headless or JSON for
/// `nss-rfc5424` (another header, and for some log types another envelope spacing).
macro_rules! check_record {
    ($ty:ty, $id:literal, $check:expr) => {{
        for target in Target::ALL {
            let format = &nssgen_profile::format("sekoia", $id, target).expect("built in").text;
            let line = render(format, sample);
            let parsed =
                <$ty>::parse_detailed(&line).unwrap_or_else(|e| panic!("{} {target}: {e}\n{line}", $id));
            match target {
                Target::Nss => assert_eq!(parsed.path, ParsePath::Exact, "{}", $id),
                Target::CloudNss => assert_eq!(parsed.path, ParsePath::Headless, "{}", $id),
                Target::NssRfc5424 => assert_ne!(parsed.path, ParsePath::Exact, "{}", $id),
            }
            let check: &dyn Fn(&$ty, Target) = &$check;
            check(&parsed.record, target);
        }
    }};
}

#[test]
fn the_typed_sekoia_records_parse_every_target() {
    use nssgen::sekoia::*;
    check_record!(Web<'_>, "web", |r: &Web<'_>, target| {
        assert_eq!(r.eurl.decode(), "v eurl", "{target}");
        assert_eq!(r.eurl.raw(), "v%20eurl", "{target}");
        assert_eq!(r.reason, "v%20reason");
        assert_eq!(r.recordid, Some(42));
        assert_eq!(r.dd, Some(7));
        assert_eq!(r.mon.is_some(), target == Target::Nss);
    });
    check_record!(Firewall<'_>, "firewall", |r: &Firewall<'_>, _| assert_eq!(r.inbytes, Some(42)));
    check_record!(Dns<'_>, "dns", |r: &Dns<'_>, _| assert_eq!(r.req, "v%20req"));
    check_record!(Tunnel<'_>, "tunnel", |r: &Tunnel<'_>, _| assert_eq!(r.recordid, Some(42)));
    check_record!(TunnelIkePhase1<'_>, "tunnel-ike-phase1", |r: &TunnelIkePhase1<'_>, _| {
        assert_eq!((r.ikeversion, r.spi_in), (Some(42), Some(42)))
    });
    check_record!(TunnelIkePhase2<'_>, "tunnel-ike-phase2", |r: &TunnelIkePhase2<'_>, _| {
        assert_eq!(r.spi, Some(42))
    });
    check_record!(AdminAudit<'_>, "admin-audit", |r: &AdminAudit<'_>, _| {
        assert_eq!(r.epreaction.decode(), "v epreaction")
    });
    check_record!(SaasSecurity<'_>, "saas-security", |r: &SaasSecurity<'_>, _| {
        assert_eq!(r.filename.as_deref(), Some("v%20filename"))
    });
    check_record!(SaasSecurityActivity<'_>, "saas-security-activity", |r: &SaasSecurityActivity<'_>, _| {
        assert_eq!(r.objtype1, Some(42))
    });
}

#[test]
fn a_spec_printed_as_itself_reads_as_missing() {
    // NSS prints `%lu{spi_in}` when a tunnel record type lacks the field.
    let format = &nssgen_profile::format("sekoia", "tunnel-ike-phase1", Target::Nss).expect("built in").text;
    let line = render(format, |name, conv| match name {
        "spi_in" => "%lu{spi_in}".into(),
        _ => sample(name, conv),
    });
    let record = nssgen::sekoia::TunnelIkePhase1::parse(&line).expect("parses");
    assert_eq!(record.spi_in, None);
    assert_eq!(record.spi_out, Some(42));
}

/// The derive's output names only absolute paths: it compiles where the prelude is gone.
#[allow(dead_code)]
mod hygiene {
    #![no_implicit_prelude]

    #[derive(::nssgen::NssRecord)]
    #[nss(format = r#"%s{a} \{"b":"%d{b}"\}"#)]
    pub struct NoPrelude<'a> {
        pub a: &'a str,
        pub b: ::core::option::Option<u64>,
    }
}

#[test]
fn generated_code_needs_no_prelude() {
    let record = hygiene::NoPrelude::parse(r#"x {"b":"5"}"#).expect("parses");
    assert_eq!((record.a, record.b), ("x", Some(5)));
}
