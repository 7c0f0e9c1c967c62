//! The runtime support the derive's generated code calls (`nssgen::__private`): the hot-path
//! conversion, and the cold path (`paths`) a derived record's walk hands its other lines to,
//! driven here by hand as the generated code drives it, checked against the interpreter.

mod common;

use std::borrow::Cow;

use nssgen::__private as rt;
use nssgen::{Encoding, ParseError, ParseErrorKind, ParsePath, Parsed, Parser};
use nssgen_catalog::Target;

/// `convert` on borrowed text, as the hot walk calls it; `None` when it does not convert.
fn hot<'a, T: nssgen::FromField<'a>>(text: &'a str, encoding: Encoding, field: &'static str) -> Option<T> {
    rt::convert(Some(Cow::Borrowed(text)), encoding, field).ok()
}

#[test]
fn convert() {
    assert_eq!(hot::<u16>(" 5", Encoding::Plain, "dd"), Some(5));
    assert_eq!(hot::<Cow<'_, str>>("a%20b", Encoding::Hex, "eurl").as_deref(), Some("a b"));
    assert_eq!(hot::<u16>("5x", Encoding::Plain, "dd"), None);
    // Its own unsubstituted spec: missing.
    assert_eq!(hot::<Option<u64>>("%lu{spi_in}", Encoding::Plain, "spi_in"), Some(None));
    assert_eq!(hot::<u64>("%lu{spi_in}", Encoding::Plain, "spi_in"), None);
    assert!(matches!(
        rt::convert::<u64>(Some(Cow::Borrowed("%lu{spi_in}")), Encoding::Plain, "spi_in"),
        Err(rt::Unconverted::Missing)
    ));
    // Another field's spec is just text.
    assert_eq!(hot::<&str>("%lu{spi_out}", Encoding::Plain, "spi_in"), Some("%lu{spi_out}"));
    // Absent: `from_missing`.
    assert!(matches!(rt::convert::<Option<&str>>(None, Encoding::Plain, "mon"), Ok(None)));
    assert!(matches!(rt::convert::<&str>(None, Encoding::Plain, "mon"), Err(rt::Unconverted::Missing)));
    // Owned text (the JSON fallback unescaped it) cannot be borrowed.
    assert!(matches!(
        rt::convert::<&str>(Some(Cow::Owned("a\"b".into())), Encoding::Plain, "x"),
        Err(rt::Unconverted::Invalid(_))
    ));
}

const FORMAT: &str = r#"%s{mon} %02d{dd} zscaler-nss NSS \{"sourcetype":"zscalernss-tunnel","event":\{"tunneltype":"IPSEC IKEV %d{ikeversion}","day":"%02d{dd}","location":"%s{elocationname}","spi_in":"%lu{spi_in}","ikeversion":"%d{ikeversion}"\}\}"#;
const ENCODINGS: &[(&str, Encoding)] = &[
    ("mon", Encoding::Plain),
    ("dd", Encoding::Plain),
    ("ikeversion", Encoding::Plain),
    ("elocationname", Encoding::Hex),
    ("spi_in", Encoding::Plain),
];

/// What a derived struct for [`FORMAT`] could look like.
#[derive(Debug, PartialEq)]
struct Tunnel<'a> {
    mon: Option<&'a str>,
    dd: u8,
    ikeversion: u8,
    location: Cow<'a, str>,
    spi_in: Option<u64>,
}

/// The interpreter for [`FORMAT`], whose plan the stand-in below runs.
fn interpreter() -> Parser {
    Parser::compile_with(FORMAT, |name| {
        ENCODINGS.iter().find(|(n, _)| *n == name).map_or(Encoding::Plain, |(_, e)| *e)
    })
    .expect("compiles")
}

/// The member conversion the derive generates: `convert` with the field's encoding and name.
fn member<'a, T: nssgen::FromField<'a>>(
    encoding: Encoding,
    field: &'static str,
) -> impl FnOnce(Option<Cow<'a, str>>) -> Result<T, rt::Unconverted> {
    move |text| rt::convert(text, encoding, field)
}

/// A hand-written stand-in for the cold path the derive generates for [`FORMAT`]: every path
/// through the plan, each member taken by its field's index.
fn parse(line: &str) -> Result<Parsed<Tunnel<'_>>, ParseError> {
    let parser = interpreter();
    rt::paths(parser.plan(), line, |fields| {
        Ok(Tunnel {
            mon: fields.take(0, "mon", member(Encoding::Plain, "mon"))?,
            dd: fields.take(1, "dd", member(Encoding::Plain, "dd"))?,
            ikeversion: fields.take(2, "ikeversion", member(Encoding::Plain, "ikeversion"))?,
            location: fields.take(3, "elocationname", member(Encoding::Hex, "elocationname"))?,
            spi_in: fields.take(4, "spi_in", member(Encoding::Plain, "spi_in"))?,
        })
    })
}

#[test]
fn a_hand_written_derived_parser_agrees_with_the_interpreter() {
    let interp = interpreter();
    let exact = r#"Mar 05 zscaler-nss NSS {"sourcetype":"zscalernss-tunnel","event":{"tunneltype":"IPSEC IKEV 2","day":"05","location":"Paris%2C%20HQ","spi_in":"%lu{spi_in}","ikeversion":"2"}}"#;
    let relayed = r#"Mar 05 zscaler-nss NSS { "event": { "ikeversion": "2", "location": "Paris%2C%20HQ", "day": "05", "spi_in": "123", "tunneltype": "IPSEC IKEV 2" } }"#;
    let headless = r#"{"event":{"tunneltype":"IPSEC IKEV 1","day":"07","location":"L\/1","ikeversion":"1"}}"#;
    let want = |mon, dd, ikeversion, location: &'static str, spi_in| Tunnel {
        mon,
        dd,
        ikeversion,
        location: Cow::Borrowed(location),
        spi_in,
    };

    let parsed = parse(exact).expect("exact");
    assert_eq!(parsed.path, ParsePath::Exact);
    assert_eq!(parsed.record, want(Some("Mar"), 5, 2, "Paris, HQ", None));
    assert_eq!(interp.parse(exact).map(|r| r.path), Ok(ParsePath::Exact));

    let parsed = parse(relayed).expect("relayed");
    assert_eq!(parsed.path, ParsePath::Json);
    assert_eq!(parsed.record, want(Some("Mar"), 5, 2, "Paris, HQ", Some(123)));
    let record = interp.parse(relayed).expect("relayed");
    assert_eq!(record.path, ParsePath::Json);
    assert_eq!(record.get("spi_in").map(|v| v.to::<u64>()), Some(Ok(123)));

    let parsed = parse(headless).expect("headless through the JSON path");
    assert_eq!(parsed.record, want(None, 7, 1, "L/1", None));
    assert!(matches!(parsed.record.location, Cow::Owned(_)));

    // Errors agree too.
    for line in [
        "",
        "Mar",
        "Mar 05 zscaler-nss NSS {",
        r#"{"event":{"tunneltype":"IPSEC IKEV 1","ikeversion":"2"}}"#,
        r#"{"sourcetype":"zscalernss-web","event":{}}"#,
        r#"Mar 05 zscaler-nss NSS {"event":{"day":"06"}}"#,
        &exact.replacen("IKEV 2", "IKEV 3", 1),
        &format!("{exact}x"),
    ] {
        let derived = parse(line).map(|p| p.path).map_err(|e| (e.offset, e.kind));
        let interpreted = interp.parse(line).map(|r| r.path).map_err(|e| (e.offset, e.kind));
        assert_eq!(derived, interpreted, "{line}");
        assert!(derived.is_err(), "{line}");
    }

    // A field the struct requires, missing through the fallback.
    let line = r#"Mar 05 {"event":{"location":"x","ikeversion":"1"}}"#;
    let err = parse(line).expect_err("no day");
    assert_eq!((err.offset, err.field.as_deref(), err.kind), (7, Some("dd"), ParseErrorKind::Missing));
    assert_eq!(interp.parse(line).map(|r| r.get("dd").is_none()), Ok(true));
}

#[test]
fn take_errors_and_offsets() {
    let parser = interpreter();
    let run = |line| {
        let mut seen = Vec::new();
        let result = rt::paths(parser.plan(), line, |fields| {
            seen.push(fields.take::<u8>(1, "dd", member(Encoding::Plain, "dd")));
            // Each field is taken once.
            seen.push(fields.take::<Option<u8>>(1, "dd", member(Encoding::Plain, "dd")).map(|_| 0));
            Ok(())
        });
        (result.map(|p| p.path), seen)
    };
    let (path, seen) =
        run(r#"{"event":{"day":"7","location":"a\"b","spi_in":"x","ikeversion":"%d{ikeversion}"}}"#);
    assert_eq!(path, Ok(ParsePath::Json));
    assert_eq!(seen, [Ok(7), Ok(0)]);

    let line = r#"{"event":{"day":"7","location":"a\"b","spi_in":"x","ikeversion":"%d{ikeversion}"}}"#;
    let at = |needle: &str| line.find(needle).expect("in the line");
    let result = rt::paths(parser.plan(), line, |fields| {
        let err =
            fields.take::<&str>(3, "elocationname", member(Encoding::Hex, "elocationname")).unwrap_err();
        assert_eq!(err.offset, at(r#""a\"b""#));
        assert!(err.to_string().contains("cannot be borrowed"), "{err}");
        let err = fields.take::<u64>(4, "spi_in", member(Encoding::Plain, "spi_in")).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("at byte {}, field `spi_in`: `x` is not an unsigned integer", at("\"x\"") + 1)
        );
        // Its own spec: missing.
        assert_eq!(
            fields.take::<Option<u8>>(2, "ikeversion", member(Encoding::Plain, "ikeversion")),
            Ok(None)
        );
        let err = fields.take::<u8>(2, "ikeversion", member(Encoding::Plain, "ikeversion"));
        assert_eq!(err.map_err(|e| e.kind), Err(ParseErrorKind::Missing));
        // Absent from a JSON body: missing at the body's start.
        let err = fields.take::<&str>(0, "mon", member(Encoding::Plain, "mon")).unwrap_err();
        assert_eq!((err.offset, err.kind), (0, ParseErrorKind::Missing));
        assert_eq!(
            fields.take::<Option<u8>>(99, "nosuchfield", member(Encoding::Plain, "nosuchfield")),
            Ok(None)
        );
        Ok(())
    });
    assert_eq!(result.map(|p| p.path), Ok(ParsePath::Json));

    // A line with no body: the exact walk's error.
    let err = rt::paths(parser.plan(), "no body", |_| Ok(())).unwrap_err();
    assert!(matches!(err.kind, ParseErrorKind::MissingLiteral { .. }), "{err}");
    assert_eq!(Err(err), parser.parse("no body").map(|_| ()));
    // A format without a JSON body: every path's error is the exact walk's.
    let plain = Parser::compile("%s{a} x").expect("compiles");
    let err = rt::paths(plain.plan(), "{}", |_| Ok(())).unwrap_err();
    assert_eq!(err, plain.parse("{}").unwrap_err());
}

#[test]
fn plans_and_parsers_are_shareable() {
    fn assert_sync<T: Sync + Send>() {}
    assert_sync::<rt::Plan>();
    assert_sync::<Parser>();
    let _ = common::sekoia_parser("web", Target::Nss);
}
