//! The runtime support the derive's generated code calls (`nssgen::__private`): each helper's
//! results and errors, and a hand-written "generated" parser checked against the interpreter.

mod common;

use std::borrow::Cow;

use nssgen::__private as rt;
use nssgen::{Encoding, ParseError, ParseErrorKind, ParsePath, Parsed, Parser};
use nssgen_catalog::Target;

#[test]
fn literal_checks_in_place() {
    assert_eq!(rt::literal("ab:cd", 2, ":"), Ok(3));
    assert_eq!(rt::literal("ab", 2, ""), Ok(2));
    let err = rt::literal("ab;cd", 2, ":").unwrap_err();
    assert_eq!(
        (err.offset, err.field, err.kind),
        (2, None, ParseErrorKind::ExpectedLiteral { expected: ":".into() })
    );
    assert!(rt::literal("ab", 9, ":").is_err());
    assert!(rt::literal("é", 1, ":").is_err());
}

#[test]
fn until_finds_the_first_whole_literal() {
    let line = r#"a"b","c":"d","#;
    assert_eq!(rt::until(line, 0, r#"",""#, "x"), Ok((r#"a"b"#, 3)));
    assert_eq!(rt::until(line, 6, ":", "x"), Ok((r#"c""#, 8)));
    let err = rt::until(line, 1, "zz", "x").unwrap_err();
    assert_eq!(err.offset, 1);
    assert_eq!(err.field.as_deref(), Some("x"));
    assert_eq!(err.kind, ParseErrorKind::MissingLiteral { expected: "zz".into() });
    assert!(rt::until(line, 99, ":", "x").is_err());
    // Width: ` 5` before a space literal.
    assert_eq!(rt::until("Mar  5 07", 4, " ", "dd"), Ok(("", 4)));
    assert_eq!(rt::until_width("Mar  5 07", 4, 2, " ", "dd"), Ok((" 5", 6)));
    assert_eq!(rt::until_width("Mar 15 07", 4, 2, " ", "dd"), Ok(("15", 6)));
    assert!(rt::until_width("Mar 1", 4, 2, " ", "dd").is_err());
    assert!(rt::until_width("x", 0, usize::MAX, " ", "dd").is_err());
}

#[test]
fn until_last_runs_to_the_final_literal() {
    let line = r#"{"a":{"b":1}}}"#;
    assert_eq!(rt::until_last(line, 5, 0, "}}", "a"), Ok((r#"{"b":1}"#, 12)));
    assert_eq!(rt::end(line, 14), Ok(()));
    let err = rt::until_last(r#"x}}y"#, 0, 0, "}}", "a").unwrap_err();
    assert_eq!((err.offset, err.kind), (3, ParseErrorKind::TrailingText));
    let err = rt::until_last("xy", 1, 0, "}}", "a").unwrap_err();
    assert_eq!((err.offset, err.field.as_deref()), (1, Some("a")));
    assert_eq!(err.kind, ParseErrorKind::MissingLiteral { expected: "}}".into() });
}

#[test]
fn to_end_and_end() {
    assert_eq!(rt::to_end("abc", 1), "bc");
    assert_eq!(rt::to_end("abc", 3), "");
    assert_eq!(rt::to_end("abc", 9), "");
    assert_eq!(rt::to_end("é", 1), "");
    assert_eq!(rt::end("abc", 3), Ok(()));
    let err = rt::end("abc", 1).unwrap_err();
    assert_eq!((err.offset, err.field, err.kind), (1, None, ParseErrorKind::TrailingText));
}

/// A conversion as the generated walk with errors makes it: `convert`, then `unconverted`.
fn convert<'a, T: nssgen::FromField<'a>>(
    text: &'a str,
    encoding: Encoding,
    field: &'static str,
    offset: usize,
) -> Result<T, nssgen::ParseError> {
    rt::convert(text, encoding, field).map_err(|why| rt::unconverted(why, field, offset))
}

#[test]
fn convert_missing_agree() {
    assert_eq!(convert::<u16>(" 5", Encoding::Plain, "dd", 3), Ok(5));
    assert_eq!(convert::<Cow<'_, str>>("a%20b", Encoding::Hex, "eurl", 0).as_deref(), Ok("a b"));
    let err = convert::<u16>("5x", Encoding::Plain, "dd", 3).unwrap_err();
    assert_eq!(err.to_string(), "at byte 3, field `dd`: `5x` is not an unsigned integer");
    // Its own unsubstituted spec: missing.
    assert_eq!(convert::<Option<u64>>("%lu{spi_in}", Encoding::Plain, "spi_in", 7), Ok(None));
    let err = convert::<u64>("%lu{spi_in}", Encoding::Plain, "spi_in", 7).unwrap_err();
    assert_eq!(err.to_string(), "at byte 7, field `spi_in`: missing");
    assert_eq!((err.offset, err.kind), (7, ParseErrorKind::Missing));
    // Another field's spec is just text.
    assert_eq!(convert::<&str>("%lu{spi_out}", Encoding::Plain, "spi_in", 7), Ok("%lu{spi_out}"));

    assert_eq!(rt::missing::<Option<&str>>("mon", 0), Ok(None));
    let err = rt::missing::<&str>("mon", 4).unwrap_err();
    assert_eq!((err.offset, err.field.as_deref(), err.kind), (4, Some("mon"), ParseErrorKind::Missing));

    assert_eq!(rt::agree("05", "05", "dd", 9), Ok(()));
    let err = rt::agree("05", "06", "dd", 9).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Disagree { first: "05".into(), second: "06".into() });
    assert!(!rt::retry(&err));
    assert!(rt::retry(&rt::end("abc", 1).unwrap_err()));

    assert_eq!(rt::body_start(r#"Mar 05 x {"a":1}"#), Some(9));
    assert_eq!(rt::body_start("no body"), None);
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

/// A hand-written stand-in for the code the derive generates for [`FORMAT`], calling the
/// helpers as the derive does.
fn parse(line: &str) -> Result<Parsed<Tunnel<'_>>, ParseError> {
    const L1: &str = " ";
    const L2: &str =
        r#" zscaler-nss NSS {"sourcetype":"zscalernss-tunnel","event":{"tunneltype":"IPSEC IKEV "#;
    const L3: &str = r#"","day":""#;
    const L4: &str = r#"","location":""#;
    const L5: &str = r#"","spi_in":""#;
    const L6: &str = r#"","ikeversion":""#;
    const L7: &str = r#""}}"#;
    static FALLBACK: rt::Fallback = rt::Fallback::new();
    let exact = (|| {
        let (mon, at) = rt::until(line, 0, L1, "mon")?;
        let dd_at = at + L1.len();
        let (dd, at) = rt::until_width(line, dd_at, 2, L2, "dd")?;
        let ike_at = at + L2.len();
        let (ike, at) = rt::until(line, ike_at, L3, "ikeversion")?;
        let dd2_at = at + L3.len();
        let (dd2, at) = rt::until_width(line, dd2_at, 2, L4, "dd")?;
        let loc_at = at + L4.len();
        let (loc, at) = rt::until(line, loc_at, L5, "elocationname")?;
        let spi_at = at + L5.len();
        let (spi, at) = rt::until(line, spi_at, L6, "spi_in")?;
        let ike2_at = at + L6.len();
        let (ike2, at) = rt::until_last(line, ike2_at, 0, L7, "ikeversion")?;
        rt::end(line, at + L7.len())?;
        rt::agree(dd, dd2, "dd", dd2_at)?;
        rt::agree(ike, ike2, "ikeversion", ike2_at)?;
        Ok(Tunnel {
            mon: convert(mon, Encoding::Plain, "mon", 0)?,
            dd: convert(dd, Encoding::Plain, "dd", dd_at)?,
            ikeversion: convert(ike, Encoding::Plain, "ikeversion", ike_at)?,
            location: convert(loc, Encoding::Hex, "elocationname", loc_at)?,
            spi_in: convert(spi, Encoding::Plain, "spi_in", spi_at)?,
        })
    })();
    let exact = match exact {
        Ok(record) => return Ok(Parsed { record, path: ParsePath::Exact }),
        Err(err) if !rt::retry(&err) => return Err(err),
        Err(err) => err,
    };
    // (The headless walk is left out here: the JSON path reads those lines too.)
    let mut fields = FALLBACK.read_or(FORMAT, ENCODINGS, line, exact)?;
    let record = Tunnel {
        mon: fields.take("mon", Encoding::Plain)?,
        dd: fields.take("dd", Encoding::Plain)?,
        ikeversion: fields.take("ikeversion", Encoding::Plain)?,
        location: fields.take("elocationname", Encoding::Hex)?,
        spi_in: fields.take("spi_in", Encoding::Plain)?,
    };
    Ok(Parsed { record, path: ParsePath::Json })
}

#[test]
fn a_hand_written_derived_parser_agrees_with_the_interpreter() {
    let interp = Parser::compile_with(FORMAT, |name| {
        ENCODINGS.iter().find(|(n, _)| *n == name).map_or(Encoding::Plain, |(_, e)| *e)
    })
    .expect("compiles");
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
fn fallback_read_errors_and_take() {
    static FALLBACK: rt::Fallback = rt::Fallback::new();
    let err = FALLBACK.read(FORMAT, ENCODINGS, "no body").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Json { reason: "the line has no `{`".into() });
    let err = FALLBACK.read(FORMAT, ENCODINGS, "x {oops").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Json { reason: "the body is not a JSON object".into() });

    let line = r#"{"event":{"day":"7","location":"a\"b","spi_in":"x","ikeversion":"%d{ikeversion}"}}"#;
    let mut fields = FALLBACK.read(FORMAT, ENCODINGS, line).expect("reads");
    assert_eq!(fields.take::<u8>("dd", Encoding::Plain), Ok(7));
    // Each field is taken once.
    assert_eq!(fields.take::<Option<u8>>("dd", Encoding::Plain), Ok(None));
    let err = fields.take::<&str>("elocationname", Encoding::Hex).unwrap_err();
    assert_eq!(err.offset, line.find(r#""a\"b""#).expect("location"));
    assert!(err.to_string().contains("cannot be borrowed"), "{err}");
    let err = fields.take::<u64>("spi_in", Encoding::Plain).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "at byte {}, field `spi_in`: `x` is not an unsigned integer",
            line.find("\"x\"").expect("x") + 1
        )
    );
    assert_eq!(fields.take::<Option<u8>>("ikeversion", Encoding::Plain), Ok(None));
    assert_eq!(fields.take::<Option<u8>>("nosuchfield", Encoding::Plain), Ok(None));
    let err = fields.take::<&str>("mon", Encoding::Plain).unwrap_err();
    assert_eq!((err.offset, err.kind), (0, ParseErrorKind::Missing));

    // A format that does not compile (the derive rules this out) is an error, not a panic.
    static BAD: rt::Fallback = rt::Fallback::new();
    let err = BAD.read("%s{a}%s{b}", &[], "{}").unwrap_err();
    assert!(
        matches!(err.kind, ParseErrorKind::Json { ref reason } if reason.starts_with("the format does not compile"))
    );
    // A format without a JSON body: `read_or` gives the exact error back.
    let exact = rt::end("ab", 1).unwrap_err();
    let err = BAD.read_or("%s{a}%s{b}", &[], "{}", exact.clone()).unwrap_err();
    assert!(matches!(err.kind, ParseErrorKind::Json { .. }));
    static PLAIN: rt::Fallback = rt::Fallback::new();
    assert_eq!(PLAIN.read_or("%s{a} x", &[], "{}", exact.clone()).map(|_| ()), Err(exact));
}

#[test]
fn fallback_is_shareable() {
    fn assert_sync<T: Sync + Send>() {}
    assert_sync::<rt::Fallback>();
    assert_sync::<Parser>();
    let _ = common::sekoia_parser("web", Target::Nss);
}
