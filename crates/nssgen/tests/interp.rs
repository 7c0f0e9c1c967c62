//! The runtime interpreter on the nine Sekoia formats: exact lines for every target, lines
//! without their syslog header, lines whose JSON body a relay re-spaced and re-ordered,
//! unsubstituted specs, and every kind of error with its offset and message.

mod common;

use std::borrow::Cow;

use common::{render, respaced, sekoia, sekoia_format, sekoia_line, sekoia_parser};
use nssgen::{CompileError, Encoding, ParseErrorKind, ParsePath, Parser, Record};
use nssgen_catalog::Target;

/// Fields the format's header holds and its body does not.
fn header_only(parser: &Parser) -> Vec<String> {
    let format = parser.format();
    let body = &format[format.find("\\{").expect("a body")..];
    parser
        .fields()
        .map(|(name, _, _)| name.to_string())
        .filter(|name| !body.contains(&format!("{{{name}}}")))
        .collect()
}

/// Checks that `record` holds exactly `expected`'s raw values, minus the `absent` fields.
fn assert_values(
    record: &Record<'_, '_>,
    expected: &std::collections::BTreeMap<String, String>,
    absent: &[String],
    what: &str,
) {
    for (name, raw) in expected {
        match record.get(name) {
            Some(value) => {
                assert!(!absent.contains(name), "{what}: `{name}` should be missing");
                assert_eq!(value.raw, *raw, "{what}: `{name}`");
            }
            None => assert!(absent.contains(name), "{what}: `{name}` is missing"),
        }
    }
    assert_eq!(record.iter().count(), expected.len() - absent.len(), "{what}");
}

#[test]
fn every_sekoia_format_parses_its_lines_exactly() {
    for id in sekoia() {
        for target in Target::ALL {
            let parser = sekoia_parser(id, target);
            assert!(parser.has_json_body(), "{id} {target}");
            let (line, expected) = sekoia_line(id, target);
            let record = parser.parse(&line).unwrap_or_else(|e| panic!("{id} {target}: {e}\n{line}"));
            assert_eq!(record.path, ParsePath::Exact, "{id} {target}");
            assert_values(&record, &expected, &[], &format!("{id} {target}"));
            // Values borrow from the line.
            assert!(record.iter().all(|(_, v)| matches!(v.raw, Cow::Borrowed(_))), "{id} {target}");
        }
    }
}

#[test]
fn lines_without_their_syslog_header_parse_headless() {
    for id in sekoia() {
        for target in [Target::Nss, Target::NssRfc5424] {
            let parser = sekoia_parser(id, target);
            let (line, expected) = sekoia_line(id, target);
            let body = &line[line.find('{').expect("a body")..];
            let record = parser.parse(body).unwrap_or_else(|e| panic!("{id} {target}: {e}"));
            assert_eq!(record.path, ParsePath::Headless, "{id} {target}");
            assert_values(&record, &expected, &header_only(&parser), &format!("{id} {target} headless"));
            // A header of another flavour is also skipped.
            let other = format!("<13>1 2024-03-05T07:08:09Z relay app - - - {body}");
            assert_eq!(parser.parse(&other).map(|r| r.path), Ok(ParsePath::Headless), "{id} {target}");
        }
    }
}

#[test]
fn relayed_json_with_other_spacing_and_key_order_parses_through_the_fallback() {
    for id in sekoia() {
        for target in Target::ALL {
            let parser = sekoia_parser(id, target);
            let (line, expected) = sekoia_line(id, target);
            let what = format!("{id} {target} json");

            // Header kept: its fields are read too.
            let header = &line[..line.find('{').expect("a body")];
            let relayed = respaced(&line, header);
            assert_ne!(relayed, line);
            let record = parser.parse(&relayed).unwrap_or_else(|e| panic!("{what}: {e}\n{relayed}"));
            assert_eq!(record.path, ParsePath::Json, "{what}");
            assert_values(&record, &expected, &[], &what);

            // Header stripped: header-only fields are missing.
            let relayed = respaced(&line, "");
            let record = parser.parse(&relayed).unwrap_or_else(|e| panic!("{what}: {e}\n{relayed}"));
            assert_eq!(record.path, ParsePath::Json, "{what}");
            let absent = if target == Target::CloudNss { Vec::new() } else { header_only(&parser) };
            assert_values(&record, &expected, &absent, &what);
        }
    }
}

#[test]
fn hand_written_web_line() {
    let parser = sekoia_parser("web", Target::Nss);
    let line = r#"Mar  5 07:08:09 zscaler-nss NSS {"sourcetype" : "zscalernss-web", "event" : {"datetime":"24-03-05 07:08:09","reason":"Allowed","event_id":"7300000000000000001","protocol":"HTTPS","action":"Allowed","transactionsize":"1234","responsesize":"1000","requestsize":"234","urlcategory":"Web Search","serverip":"142.250.74.36","requestmethod":"GET","refererURL":"None","useragent":"Mozilla/5.0%20(X11;%20Linux%20x86_64)","product":"NSS","location":"Paris%2C%20HQ","ClientIP":"10.1.2.3","status":"200","user":"jdoe%40example.com","url":"www.google.com/search?q=caf%C3%A9%20100%","vendor":"Zscaler","hostname":"www.google.com","clientpublicIP":"203.0.113.7","threatcategory":"None","threatname":"None","filetype":"None","appname":"Google Search","pagerisk":"0","department":"R%26D","urlsupercategory":"Information Technology","appclass":"General Browsing","dlpengine":"None","urlclass":"Business Use","threatclass":"None","dlpdictionaries":"None","fileclass":"None","bwthrottle":"NO","contenttype":"text/html","unscannabletype":"None","deviceowner":"jdoe","devicehostname":"LAPTOP-1","keyprotectiontype":"N/A"}}"#;
    // `Mar  5`: the format says `%02d{dd}`, so the header's ` 5` is not the body's `05`.
    let err = parser.parse(line).expect_err("a space-padded day");
    assert_eq!(err.offset, 95);
    assert_eq!(err.kind, ParseErrorKind::Disagree { first: " 5".into(), second: "05".into() });
    let line = line.replacen("Mar  5", "Mar 05", 1);
    let record = parser.parse(&line).expect("the hand-written line parses");
    assert_eq!(record.path, ParsePath::Exact);
    let get = |name: &str| record.get(name).unwrap_or_else(|| panic!("{name}"));
    assert_eq!(get("mon").raw, "Mar");
    assert_eq!(get("dd").to::<u8>(), Ok(5));
    assert_eq!(get("recordid").to::<u64>(), Ok(7_300_000_000_000_000_001));
    assert_eq!(get("sip").to::<std::net::IpAddr>().map(|ip| ip.to_string()).as_deref(), Ok("142.250.74.36"));
    assert_eq!(get("eurl").raw, "www.google.com/search?q=caf%C3%A9%20100%");
    assert_eq!(get("eurl").encoding, Encoding::Hex);
    assert_eq!(get("eurl").decode(), "www.google.com/search?q=café 100%");
    assert_eq!(get("eurl").to::<&str>(), Ok("www.google.com/search?q=caf%C3%A9%20100%"));
    assert_eq!(get("edepartment").to::<String>().as_deref(), Ok("R&D"));
    assert_eq!(get("elocation").to::<Cow<'_, str>>().as_deref(), Ok("Paris, HQ"));
    assert!(get("ereferer").is_placeholder());
    assert_eq!(get("ereferer").to::<Option<String>>(), Ok(None));
    assert_eq!(get("keyprotectiontype").to::<Option<&str>>(), Ok(None));
    assert_eq!(get("reqmethod").conv, nssgen_syntax::Conversion::S);
    assert_eq!(get("riskscore").conv, nssgen_syntax::Conversion::D);
    assert!(record.get("nosuchfield").is_none());
    let names: Vec<&str> = record.iter().map(|(name, _)| name).take(7).collect();
    assert_eq!(names, ["mon", "dd", "hh", "mm", "ss", "yy", "mth"]);
}

#[test]
fn unsubstituted_specs_read_as_missing() {
    for target in Target::ALL {
        let parser = sekoia_parser("tunnel-ike-phase1", target);
        let (line, expected) = sekoia_line("tunnel-ike-phase1", target);
        let spi = &expected["spi_in"];
        let line = line.replacen(&format!("\"spi_in\":\"{spi}\""), "\"spi_in\":\"%lu{spi_in}\"", 1);
        assert!(line.contains("%lu{spi_in}"));
        let absent = ["spi_in".to_string()];

        let record = parser.parse(&line).expect("exact");
        assert_eq!(record.path, ParsePath::Exact);
        assert_values(&record, &expected, &absent, "exact");

        let relayed = respaced(&line, "");
        let record = parser.parse(&relayed).expect("json");
        assert_eq!(record.path, ParsePath::Json);
        assert!(record.get("spi_in").is_none());
        assert_eq!(record.get("spi_out").map(|v| &*v.raw), Some(expected["spi_out"].as_str()));

        // Inside a string with other text (`IPSEC IKEV %d{ikeversion}`), both occurrences.
        let line = line.replacen("IPSEC IKEV ", "IPSEC IKEV %d{ikeversion}", 1).replacen(
            &format!("\"ikeversion\":\"{}\"", expected["ikeversion"]),
            "\"ikeversion\":\"%d{ikeversion}\"",
            1,
        );
        let line = line.replacen(&format!("%d{{ikeversion}}{}", expected["ikeversion"]), "%d{ikeversion}", 1);
        let record = parser.parse(&line).unwrap_or_else(|e| panic!("{e}\n{line}"));
        assert!(record.get("ikeversion").is_none(), "{target}");
    }
}

#[test]
fn header_and_body_must_agree() {
    let parser = sekoia_parser("web", Target::Nss);
    let (line, _) = sekoia_line("web", Target::Nss);
    assert!(line.starts_with("Mar 05 07:08:09 "), "{line}");
    let line = line.replacen("\"datetime\":\"24-03-05", "\"datetime\":\"24-03-06", 1);
    let err = parser.parse(&line).expect_err("disagreement");
    let at = line.find("24-03-06").expect("body date") + 6;
    assert_eq!(err.offset, at);
    assert_eq!(err.field.as_deref(), Some("dd"));
    assert_eq!(err.kind, ParseErrorKind::Disagree { first: "05".into(), second: "06".into() });
    assert_eq!(
        err.to_string(),
        format!("at byte {at}, field `dd`: appears twice with different values: `05` then `06`")
    );
    // The kind's message is the error's after its place; the kind is no cause of the error.
    assert_eq!(err.kind.to_string(), "appears twice with different values: `05` then `06`");
    assert!(std::error::Error::source(&err).is_none());

    // The JSON fallback checks it too, when the line kept its header.
    let relayed = respaced(&line, "Mar 05 07:08:09 zscaler-nss NSS ");
    let err = parser.parse(&relayed).expect_err("disagreement");
    assert_eq!(err.kind, ParseErrorKind::Disagree { first: "05".into(), second: "06".into() });
    assert_eq!(err.offset, relayed.find("24-03-06").expect("body date") + 6);

    // Twice in the body: `IPSEC IKEV %d{ikeversion}` and `"ikeversion":"%d{ikeversion}"`.
    let parser = sekoia_parser("tunnel-ike-phase1", Target::CloudNss);
    let (line, expected) = sekoia_line("tunnel-ike-phase1", Target::CloudNss);
    let version = &expected["ikeversion"];
    let line = line.replacen(&format!("IPSEC IKEV {version}"), "IPSEC IKEV 1", 1);
    let err = parser.parse(&line).expect_err("disagreement");
    assert_eq!(err.field.as_deref(), Some("ikeversion"));
    assert_eq!(err.kind, ParseErrorKind::Disagree { first: "1".into(), second: version.clone() });
}

#[test]
fn errors_say_where_and_why() {
    let parser = sekoia_parser("firewall", Target::Nss);
    let (line, _) = sekoia_line("firewall", Target::Nss);

    // Trailing text.
    let long = format!("{line} extra");
    let err = parser.parse(&long).expect_err("trailing text");
    assert_eq!(
        (err.offset, &err.kind, err.field.as_deref()),
        (line.len(), &ParseErrorKind::TrailingText, None)
    );
    assert_eq!(err.to_string(), format!("at byte {}: text after the end of the format", line.len()));

    // A literal that is not in place: the format's first (every later one is searched for, as
    // the end of the value before it). A header of another flavour is skipped by the headless
    // walk, so take a format without a body.
    let alerts = Parser::compile("<%d{pri}>%s{mon} %2d{dd} [%s{ip}] ZscalerNSS: %s{info}").expect("compiles");
    let err = alerts.parse("13>").expect_err("wrong first literal");
    assert_eq!((err.offset, err.to_string().as_str()), (0, "at byte 0: expected `<`"));

    // A value that never ends: the line is cut.
    let cut = &line[..line.find("\"csip\"").expect("csip") + 12];
    let err = parser.parse(cut).expect_err("cut line");
    assert_eq!(err.offset, line.find("\"csip\"").expect("csip") + 8);
    assert_eq!(err.field.as_deref(), Some("csip"));
    assert_eq!(err.kind, ParseErrorKind::MissingLiteral { expected: "\",\"cdip\":\"".into() });
    assert_eq!(
        err.to_string(),
        format!(
            "at byte {}, field `csip`: the value does not end: `\\\",\\\"cdip\\\":\\\"` is nowhere after it",
            err.offset
        )
    );

    // JSON that is another log type: the fallback says why.
    let dns = sekoia_line("dns", Target::Nss).0;
    let err = parser.parse(&dns).expect_err("another log type");
    let at = dns.find("\"zscalernss-dns\"").expect("sourcetype");
    assert_eq!(err.offset, at);
    assert_eq!(
        err.kind,
        ParseErrorKind::Json {
            reason: "`sourcetype` is `zscalernss-dns` where the format says `zscalernss-fw`".into()
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "at byte {at}: not the format, and its JSON body does not fit: `sourcetype` is `zscalernss-dns` \
             where the format says `zscalernss-fw`"
        )
    );

    // JSON without any of the format's keys.
    let err = parser.parse(r#"{"a":"b"}"#).expect_err("no key");
    assert_eq!(err.offset, 0);
    assert_eq!(
        err.kind,
        ParseErrorKind::Json { reason: "none of the format's fields is in the JSON body".into() }
    );

    // A value that does not fit its string's format.
    let web = sekoia_parser("web", Target::CloudNss);
    let err = web.parse(r#"{"event":{"datetime":"yesterday"}}"#).expect_err("bad datetime");
    assert_eq!(err.offset, 22);
    let ParseErrorKind::Json { reason } = &err.kind else { panic!("{err:?}") };
    // The nested reason is the walk's, without its position (which the outer error has).
    assert_eq!(
        reason,
        "`event.datetime` is `yesterday`, which does not fit the format (the value does not end: `-` is \
         nowhere after it)"
    );

    // A nested object that is not one.
    let err = web.parse(r#"{"event":"flat"}"#).expect_err("not an object");
    assert_eq!((err.offset, err.to_string().ends_with("`event` is not an object")), (9, true), "{err}");

    // Not JSON at all, or cut JSON: the exact walk's error.
    let err = parser.parse("hello").expect_err("not a line");
    assert_eq!(err.kind, ParseErrorKind::MissingLiteral { expected: " ".into() });
    assert_eq!((err.offset, err.field.as_deref()), (0, Some("mon")));
    let err = parser.parse(&line[..line.len() - 1]).expect_err("cut JSON");
    assert_eq!(err.kind, ParseErrorKind::MissingLiteral { expected: "\"}}".into() });
    assert_eq!(err.field.as_deref(), Some("threat_severity"));
    assert!(parser.parse("").is_err());
}

#[test]
fn relayed_escapes_are_unescaped_into_owned_values() {
    let parser = sekoia_parser("web", Target::CloudNss);
    let line = r#"{"event":{"url":"a.com\/x%20y","reason":"say \"hi\"","appname":"G\u00e9","pagerisk":42,"threatname":null},"sourcetype":"zscalernss-web"}"#;
    let record = parser.parse(line).expect("relayed");
    assert_eq!(record.path, ParsePath::Json);
    let url = record.get("eurl").expect("eurl");
    assert!(matches!(url.raw, Cow::Owned(_)));
    assert_eq!((url.raw.as_ref(), url.decode().as_ref()), ("a.com/x%20y", "a.com/x y"));
    assert!(url.to::<&str>().is_err());
    assert_eq!(url.to::<String>().as_deref(), Ok("a.com/x y"));
    assert_eq!(record.get("reason").map(|v| &*v.raw), Some("say \"hi\""));
    assert_eq!(record.get("appname").map(|v| &*v.raw), Some("Gé"));
    // A number where the format has a string holding a spec: its text.
    assert_eq!(record.get("riskscore").map(|v| v.to::<u32>()), Some(Ok(42)));
    assert!(matches!(record.get("riskscore").map(|v| &v.raw), Some(Cow::Borrowed("42"))));
    // `null`: missing.
    assert!(record.get("threatname").is_none());
    assert_eq!(record.get("eurl").map(|v| v.encoding), Some(Encoding::Hex));
}

#[test]
fn bare_specs_map_to_raw_json() {
    let format = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/reference/formats/elastic/audit.v1.txt"
    ))
    .expect("the Elastic audit format");
    let parser = Parser::compile(format.trim_end_matches('\n')).expect("compiles");
    let (line, expected) = render(parser.format(), |spec| match spec.name.as_str() {
        "preaction" => r#"{"name":"rule 1","enabled":true}"#.to_string(),
        "postaction" => r#"{"name":"rule 2","enabled":false}"#.to_string(),
        name => format!("{name}-1"),
    });
    // The last value holds the final `}}`: it runs up to the end of the line.
    let record = parser.parse(&line).expect("exact");
    assert_eq!(record.path, ParsePath::Exact, "{line}");
    assert_eq!(record.get("postaction").map(|v| &*v.raw), Some(expected["postaction"].as_str()));
    assert_eq!(record.get("preaction").map(|v| &*v.raw), Some(expected["preaction"].as_str()));
    let relayed = respaced(&line, "");
    let record = parser.parse(&relayed).expect("json");
    assert_eq!(record.path, ParsePath::Json);
    // The raw JSON text of the value, as the relay wrote it.
    assert_eq!(record.get("postaction").map(|v| &*v.raw), Some(r#"{ "enabled": false, "name": "rule 2" }"#));
    assert_eq!(record.get("adminid").map(|v| &*v.raw), Some("adminid-1"));
}

#[test]
fn space_padding_and_a_final_newline() {
    // Elastic's alerts format: `%2d` pads the day with a space, and the format ends in `\n`.
    let format = r"<%d{syslogid}>%s{Monthname} %2d{Dayofmonth} %02d{Hour}:%02d{Minutes}:%02d{Seconds} [%s{Deviceip}] ZscalerNSS: %s{Eventinfo}\n";
    let parser = Parser::compile(format).expect("compiles");
    assert!(!parser.has_json_body());
    let record = parser.parse("<114>Mar  5 07:08:09 [10.0.0.1] ZscalerNSS: Disk 90% full").expect("parses");
    assert_eq!(record.path, ParsePath::Exact);
    assert_eq!(record.get("Dayofmonth").map(|v| &*v.raw), Some(" 5"));
    assert_eq!(record.get("Dayofmonth").map(|v| v.to::<u8>()), Some(Ok(5)));
    assert_eq!(record.get("Eventinfo").map(|v| &*v.raw), Some("Disk 90% full"));
    let record = parser.parse("<114>Mar 15 07:08:09 [10.0.0.1] ZscalerNSS: x").expect("parses");
    assert_eq!(record.get("Dayofmonth").map(|v| &*v.raw), Some("15"));
    // Narrower than the width: the day runs on to the next space, and the walk fails later.
    assert!(parser.parse("<114>Mar 5 07:08:09 [10.0.0.1] ZscalerNSS: x").is_err());
    // Left-justified: trailing padding kept in the raw text, trimmed for numbers.
    let parser = Parser::compile("%-4d{a} %s{b}").expect("compiles");
    let record = parser.parse("5    x y").expect("parses");
    assert_eq!(record.get("a").map(|v| &*v.raw), Some("5   "));
    assert_eq!(record.get("a").map(|v| v.to::<i32>()), Some(Ok(5)));
    assert_eq!(record.get("b").map(|v| &*v.raw), Some("x y"));
}

#[test]
fn compile_errors() {
    let err = Parser::compile("%s{a}%d{b} %s{c}").expect_err("ambiguous");
    assert!(
        matches!(&err, CompileError::Ambiguous { first, second, offset: 5 } if first == "a" && second == "b")
    );
    assert_eq!(
        err.to_string(),
        "at byte 5: `b` follows `a` with no literal between them, so no parser can tell where one ends"
    );
    let err = Parser::compile("x %s{a}%%%s{b} %s{c}%s{d}").expect_err("ambiguous");
    assert!(
        matches!(&err, CompileError::Ambiguous { first, second, offset: 20 } if first == "c" && second == "d")
    );
    let err = Parser::compile("%f{a}").expect_err("syntax");
    let CompileError::Syntax(errors) = &err else { panic!("{err:?}") };
    assert!(err.to_string().contains("unknown conversion"), "{err}");
    // The syntax errors are the error (message and source), not a cause it would repeat.
    assert_eq!(err.to_string(), errors.to_string());
    assert!(std::error::Error::source(&err).is_none());
}

#[test]
fn parser_describes_its_format() {
    let parser = sekoia_parser("tunnel-ike-phase1", Target::Nss);
    assert_eq!(parser.format(), sekoia_format("tunnel-ike-phase1", Target::Nss));
    let fields: Vec<_> =
        parser.fields().take(7).map(|(name, conv, _)| format!("%{conv}{{{name}}}")).collect();
    assert_eq!(
        fields,
        ["%s{mon}", "%d{dd}", "%d{hh}", "%d{mm}", "%d{ss}", "%s{datetime}", "%s{tunnelactionname}"]
    );
    // Distinct fields: `ikeversion` appears twice in the format, once here.
    assert_eq!(parser.fields().filter(|(name, _, _)| *name == "ikeversion").count(), 1);
    assert_eq!(parser.fields().len(), 21);
    let web = sekoia_parser("web", Target::Nss);
    let (_, _, encoding) = web.fields().find(|(name, _, _)| *name == "eurl").expect("field");
    assert_eq!(encoding, Encoding::Hex);

    // Formats that are not JSON, or have no body at all.
    let parser = Parser::compile(r"%s{a} \{x %s{b}").expect("compiles");
    assert!(!parser.has_json_body());
    assert_eq!(parser.parse("1 {x 2").map(|r| r.path), Ok(ParsePath::Exact));
    assert_eq!(parser.parse("{x 2").map(|r| r.path), Ok(ParsePath::Headless));
    assert!(Parser::compile("").expect("empty").parse("").is_ok());
    assert!(Parser::compile("").expect("empty").parse("x").is_err());
    let parser = Parser::compile("only text").expect("compiles");
    assert_eq!(parser.parse("only text").map(|r| r.iter().count()), Ok(0));
}

#[test]
fn a_drifted_constant_is_named_and_the_rest_of_the_line_kept() {
    let parser = sekoia_parser("tunnel-ike-phase1", Target::Nss);
    let (line, expected) = sekoia_line("tunnel-ike-phase1", Target::Nss);
    let at = line.find("IPSEC IKEV ").expect("the constant part of tunneltype");
    let end = at + line[at..].find('"').expect("the value ends");
    let drifted = format!("{}ipsec{}", &line[..at], &line[end..]);
    let record = parser.parse(&drifted).expect("a drifted constant loses nothing else");
    assert_eq!(record.path, ParsePath::Json);
    let drift = record.drift().expect("drift");
    assert_eq!(drift.keys().collect::<Vec<_>>(), ["tunneltype"]);
    assert!(drift.extra().is_empty());
    // `ikeversion` is printed in `tunneltype` and under its own key: the line still carries it.
    assert_eq!(record.get("ikeversion").map(|v| v.raw.to_string()), expected.get("ikeversion").cloned());
    // Every other field keeps its value: the body's all, the header's when the header fits.
    for (name, raw) in &expected {
        assert_eq!(record.get(name).map(|v| v.raw.as_ref()), Some(raw.as_str()), "{name}");
    }
    // Strictly read, the line is rejected as before, with the drifted key's reason.
    let err = parser.parse(&drifted).and_then(Record::strict).map(|_| ()).expect_err("strict");
    let ParseErrorKind::Json { reason } = &err.kind else { panic!("{err:?}") };
    assert!(reason.starts_with("`event.tunneltype` is `ipsec`, which does not fit the format"), "{reason}");
}

#[test]
fn a_drifted_constant_alone_holds_its_fields_which_are_then_missing() {
    let parser = Parser::compile(r#"\{"version":"v11","tt":"IPSEC IKEV %d{ikeversion}","user":"%s{user}"\}"#)
        .expect("compiles");
    let record = parser
        .parse(r#"{"version":"v9","tt":"GRE","user":"ana","added":{"a":1},"version":"v8"}"#)
        .expect("parsed with drift");
    assert_eq!(record.get("user").map(|v| v.raw.as_ref()), Some("ana"));
    assert!(record.get("ikeversion").is_none());
    let drift = record.drift().expect("drift");
    assert_eq!(drift.keys().collect::<Vec<_>>(), ["version", "tt"]);
    // Extra keys keep their JSON text; a repeated key is the first one, as for known keys.
    assert_eq!(drift.extra(), [("added".to_string(), r#"{"a":1}"#.to_string())]);
    assert!(drift.is_drifted());
    // Extra keys alone are not drift: strict reading keeps such a line.
    let record = parser.parse(r#"{"version":"v11","tt":"IPSEC IKEV 2","user":"b","z":null}"#).expect("extra");
    let drift = record.drift().expect("an extra key");
    assert!(!drift.is_drifted());
    assert_eq!(drift.extra(), [("z".to_string(), "null".to_string())]);
    assert!(record.strict().is_ok());
    // A line that fits has no drift at all.
    let record = parser.parse(r#"{"version":"v11","tt":"IPSEC IKEV 2","user":"b"}"#).expect("exact");
    assert!(record.drift().is_none());
}

#[test]
fn a_sourcetype_that_differs_is_another_log_type_never_drift() {
    let parser = sekoia_parser("web", Target::CloudNss);
    let (line, _) = sekoia_line("web", Target::CloudNss);
    let other =
        line.replacen("zscalernss-web", "zscalernss-fw", 1).replacen("\"reason\":\"", "\"reason\" : \"", 1);
    let err = parser.parse(&other).map(|_| ()).expect_err("another log type");
    assert!(
        err.to_string().contains("`sourcetype` is `zscalernss-fw` where the format says `zscalernss-web`"),
        "{err}"
    );
}
