//! `nssgen check` on formats that cannot work and on nssgen's own: fields no log type knows,
//! raw line breaks and control bytes are errors at their line:column; every `nssgen format`
//! output passes `--deny-warnings`, named as the profile's; `--fix` keeps the fields a profile's
//! parser reads.

use nssgen_catalog::Target;
use nssgen_tests::nssgen_with_input;

/// A finding as `(code, line, column, fix)`; line and column 0 for the whole format.
type Finding = (String, u64, u64, Option<String>);

/// `nssgen check --json ARGS -` on `format`: the exit code and the findings, info included.
fn findings(args: &[&str], format: &[u8]) -> (u8, Vec<Finding>) {
    let mut argv = vec!["check", "--json"];
    argv.extend_from_slice(args);
    argv.push("-");
    let (code, out, err) = nssgen_with_input(&argv, format);
    assert_eq!(err, "", "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    let list = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["fix"].as_str().map(str::to_owned),
            )
        })
        .collect();
    (code, list)
}

/// The output of `nssgen format LOG_TYPE --target TARGET --profile PROFILE`, final newline included.
fn format_of(profile: &str, log_type: &str, target: Target) -> String {
    let (code, out, err) =
        nssgen_with_input(&["format", log_type, "--target", target.id(), "--profile", profile], b"");
    assert_eq!((code, err.as_str()), (0, ""), "format {log_type} --target {}", target.id());
    out
}

#[test]
fn every_format_output_passes_deny_warnings_and_is_named_as_the_profiles() {
    let mut checked = 0;
    for profile in nssgen_catalog::profiles() {
        for log_type in &profile.log_types {
            for target in Target::ALL {
                let format = format_of(&profile.id, &log_type.id, target);
                let named = format!(
                    "the {} `{}` format for target `{}`, byte for byte",
                    profile.id,
                    log_type.id,
                    target.id()
                );
                // Inferred, and given as `nssgen format` was asked.
                for args in [
                    vec!["--deny-warnings"],
                    vec!["--deny-warnings", "--log-type", &log_type.id, "--target", target.id()],
                ] {
                    let mut argv = vec!["check"];
                    argv.extend_from_slice(&args);
                    argv.push("-");
                    let (code, out, err) = nssgen_with_input(&argv, format.as_bytes());
                    assert_eq!(
                        (code, err.as_str()),
                        (0, ""),
                        "{} {} {args:?}:\n{out}",
                        log_type.id,
                        target.id()
                    );
                    assert_eq!(out.matches("info[NSS021]").count(), 1, "{out}");
                    assert!(out.contains(&named), "{named}:\n{out}");
                    assert!(out.contains(": 0 errors, 0 warnings"), "{out}");
                }
                // The risks are listed, never offered as fixes.
                let (_, found) = findings(&[], format.as_bytes());
                assert!(found.iter().all(|(_, _, _, fix)| fix.is_none()), "{}: {found:?}", log_type.id);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 27);
}

#[test]
fn fix_on_an_edited_sekoia_format_keeps_the_fields_its_parser_reads() {
    for (log_type, field, typo) in
        [("web", "%s{reason}", "%s{reasn}"), ("dns", "%s{reqaction}", "%s{reqacton}")]
    {
        for target in Target::ALL {
            let format = format_of("sekoia", log_type, target);
            assert!(format.contains("%s{devicehostname}"), "{format}");
            let edited = format.replacen(field, typo, 1);
            let (code, out, err) = nssgen_with_input(&["check", "--fix", "-"], edited.as_bytes());
            assert_eq!(code, 0, "{err}");
            // Only the typo is fixed: the result is Sekoia's format again, `devicehostname` and all.
            assert_eq!(out, format, "{log_type} {}: {err}", target.id());
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(err.contains("NSS003 fixed"), "{err}");
            // Without --fix the plain fields are still warned about, with why no fix is offered.
            let (code, report, _) = nssgen_with_input(&["check", "-"], edited.as_bytes());
            assert_eq!(code, 1, "{report}");
            assert!(report.contains("warning[NSS008]: `%s{devicehostname}`"), "{report}");
            assert!(report.contains("whose parser reads the plain `%s{devicehostname}`"), "{report}");
        }
    }
    // A body that only shares the sourcetype is not Sekoia's: the certain fix stays.
    let own =
        br#"\{"sourcetype":"zscalernss-web","event":\{"host":"%s{devicehostname}","id":%d{recordid}\}\}"#;
    let (code, out, _) = nssgen_with_input(&["check", "--fix", "-"], own);
    assert_eq!(code, 0);
    assert!(out.contains("%s{edevicehostname}"), "{out}");
}

#[test]
fn fields_no_log_type_knows_are_errors_with_the_closest_catalog_names() {
    // `printf '%s{tme}\t%s{usr}\t%s{urll}\n'`: raw tabs, a final newline.
    let format = b"%s{tme}\t%s{usr}\t%s{urll}\n";
    let (code, found) = findings(&[], format);
    assert_eq!(code, 1);
    let unknown: Vec<(u64, u64, Option<&str>)> =
        found.iter().filter(|(c, ..)| c == "NSS003").map(|(_, l, c, fix)| (*l, *c, fix.as_deref())).collect();
    // `time` is right whichever log type is meant; `user` (SaaS security, endpoint DLP) and `url`
    // (web) pull towards different ones: suggestions only.
    assert_eq!(unknown, [(1, 4, Some("time")), (1, 12, None), (1, 20, None)]);
    let (_, out, _) = nssgen_with_input(&["check", "-"], format);
    assert!(out.contains("error[NSS003]: unknown field `tme`: no log type has it"), "{out}");
    assert!(out.contains("pass --log-type"), "{out}");
    let (_, out, _) = nssgen_with_input(&["check", "-"], format);
    assert!(out.contains("closest catalog field: `user` (saas-security, endpoint-dlp)"), "{out}");
    // Typos all pointing to one log type are fixed, and the format is then a web one.
    let (code, out, err) = nssgen_with_input(&["check", "--fix", "-"], b"%s{tme}\t%s{urll}\t%s{eurll}");
    assert_eq!((code, out.as_str()), (0, "%s{time}\t%s{url}\t%s{eurl}\n"), "{err}");
    // Only vendor-only fields: still no log type to check them as.
    let (code, found) = findings(&[], b"%d{yy}-%s{module}");
    assert_eq!(code, 1);
    assert!(found.iter().any(|(c, l, ..)| c == "NSS003" && *l == 0), "{found:?}");
    // A log type given: the usual per-log-type errors, no more.
    let (code, found) = findings(&["--log-type", "web"], b"%s{time}\t%s{user}");
    assert_eq!(code, 1);
    assert_eq!(found.iter().filter(|(c, ..)| c == "NSS003").count(), 1, "{found:?}");
}

#[test]
fn a_raw_line_break_inside_the_format_is_an_error_at_its_position() {
    // `nssgen format web | sed 's/,"reason"/,\n"reason"/'`
    let web = format_of("sekoia", "web", Target::Nss);
    let at = web.find(r#","reason""#).expect("reason key") + 1;
    let broken = format!("{}\n{}", &web[..at], &web[at..]);
    let (code, found) = findings(&[], broken.as_bytes());
    assert_eq!(code, 1);
    let breaks: Vec<_> = found.iter().filter(|(c, ..)| c == "NSS019").collect();
    assert_eq!(breaks, [&("NSS019".to_owned(), 1, at as u64 + 1, Some(String::new()))]);
    // The paste accident is fixed for certain: Sekoia's format again.
    let (code, out, err) = nssgen_with_input(&["check", "--fix", "-"], broken.as_bytes());
    assert_eq!((code, out.as_str()), (0, web.as_str()), "{err}");

    // CRLF inside, after a separator: one finding for the pair, on line 1.
    let (code, found) = findings(&["--log-type", "web"], b"%s{time}\t\r\n%s{login}");
    assert_eq!(code, 1);
    assert_eq!(
        found.iter().filter(|(c, ..)| c == "NSS019").collect::<Vec<_>>(),
        [&("NSS019".to_owned(), 1, 10, Some(String::new()))]
    );
    // Between two words a space may have gone with it: no fix, the error stays.
    let (code, found) = findings(&["--log-type", "web"], b"%s{time}\nGMT\t%s{login}");
    assert_eq!(code, 1);
    assert!(found.contains(&("NSS019".to_owned(), 1, 9, None)), "{found:?}");
    // Inside a field name, next to the syntax errors it causes.
    let (code, found) = findings(&[], b"%s{ur\nl}\t%s{cip}");
    assert_eq!(code, 1);
    assert!(found.contains(&("NSS019".to_owned(), 1, 6, Some(String::new()))), "{found:?}");
    // The file's final newline is the file's; a second one stays a warning (NSS014).
    let (code, found) = findings(&["--log-type", "web"], b"%s{time}\t%s{login}\n\n");
    assert_eq!(code, 0);
    assert!(found.iter().all(|(c, ..)| c != "NSS019"), "{found:?}");
    assert!(found.iter().any(|(c, ..)| c == "NSS014"), "{found:?}");
}

#[test]
fn a_line_break_escape_mid_format_is_an_error_but_a_trailing_one_a_warning() {
    // `parse -f` refuses this format (one record per line); check must not call it clean.
    let (code, found) = findings(&["--log-type", "web"], br"%s{time}\n%s{login} x");
    assert_eq!(code, 1);
    assert!(found.contains(&("NSS019".to_owned(), 1, 9, None)), "{found:?}");
    let (code, found) = findings(&["--log-type", "web"], br"%s{time}\t%s{login}\r\t%s{cip}");
    assert_eq!(code, 1);
    assert!(found.contains(&("NSS019".to_owned(), 1, 20, None)), "{found:?}");
    // At the end it is the record terminator NSS adds anyway: a warning with a fix.
    let (code, found) = findings(&["--log-type", "web"], br"%s{time}\t%s{login}\r\n");
    assert_eq!(code, 0, "{found:?}");
    assert!(found.iter().all(|(c, ..)| c != "NSS019"), "{found:?}");
    assert!(found.iter().any(|(c, ..)| c == "NSS014"), "{found:?}");
    // `\\n` is a backslash and an `n`.
    let (_, found) = findings(&["--log-type", "web"], br"%s{time}\\n %s{login}");
    assert!(found.iter().all(|(c, ..)| c != "NSS019"), "{found:?}");
}

#[test]
fn control_bytes_are_errors_at_each_byte_but_a_raw_tab_is_not() {
    let format = b"%s{time}\x01\t%s{login}\t%s{url}\x7f\t%s{cip}\x00";
    let (code, found) = findings(&[], format);
    assert_eq!(code, 1);
    let controls: Vec<(u64, u64, Option<&str>)> =
        found.iter().filter(|(c, ..)| c == "NSS020").map(|(_, l, c, fix)| (*l, *c, fix.as_deref())).collect();
    assert_eq!(controls, [(1, 9, Some("")), (1, 28, Some("")), (1, 37, Some(""))]);
    let (code, out, _) = nssgen_with_input(&["check", "--fix", "-"], format);
    assert_eq!((code, out.as_str()), (0, "%s{time}\t%s{login}\t%s{url}\t%s{cip}\n"));
    // In a JSON string the control byte is the error, not a second one about the JSON.
    let (code, found) =
        findings(&["--log-type", "web"], b"\\{\"time\":\"%s{time}\x1b\",\"id\":%d{recordid}\\}");
    assert_eq!(code, 1);
    let codes: Vec<&str> =
        found.iter().map(|(c, ..)| c.as_str()).filter(|c| *c != "NSS017" && *c != "NSS018").collect();
    assert_eq!(codes, ["NSS020"]);
}

#[test]
fn a_tab_ending_a_json_string_is_blamed_on_the_tab_not_on_the_field_before_it() {
    // A raw tab is allowed in a format, but not inside a JSON string, any more than `\t`.
    for format in [
        &b"\\{\"time\":\"%s{time}\t\",\"id\":%d{recordid}\\}"[..],
        b"\\{\"time\":\"%s{time}\\t\",\"id\":%d{recordid}\\}",
    ] {
        let (code, found) = findings(&["--log-type", "web"], format);
        assert_eq!(code, 1);
        let json: Vec<_> = found.iter().filter(|(c, ..)| c == "NSS007").collect();
        // Not `%s{time}` at 1:11 with a fix quoting it: the tab at 1:19, nothing certain to do.
        assert_eq!(json, [&("NSS007".to_owned(), 1, 19, None)], "{}", String::from_utf8_lossy(format));
    }
}
