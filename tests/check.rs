//! `nssgen check`: the reference formats pass, Sekoia's buggy history fails with the error
//! naming each bug, the broken-format corpus (one mistake per file) is snapshotted, and
//! `--fix` output re-checks clean.

use std::path::Path;

use nssgen_check::{check, strip_final_newline, Options, Rule, Severity};
use nssgen_tests::{
    body_keys, elastic_files, files_under, fixture, keys_missing_from, nssgen_with_input,
    sekoia_history_files,
};

/// Checks a file as the CLI does (final newline stripped, everything inferred).
fn check_file(path: &Path, options: &Options) -> nssgen_check::Report {
    let bytes = std::fs::read(path).expect("fixture is readable");
    check(strip_final_newline(&bytes), options).expect("options are valid")
}

/// The errors and warnings of a report, one line each: `line:col CODE severity: message`.
fn summary(report: &nssgen_check::Report) -> String {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| {
            let (l, c) = d.span.map_or((0, 0), |s| report.line_col(s.start));
            format!("{l}:{c} {} {}: {}", d.rule.code(), d.severity, d.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The options a corpus file is checked with: `42-cloud-nss-with-header` is checked as Cloud NSS.
fn corpus_args(path: &Path) -> Vec<&'static str> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("42-") {
        vec!["--target", "cloud-nss"]
    } else {
        vec![]
    }
}

#[test]
fn current_sekoia_and_every_elastic_format_have_no_errors() {
    let mut files = Vec::new();
    for dir in
        ["reference/formats/sekoia/rfc3164", "reference/formats/sekoia/rfc5424", "reference/formats/elastic"]
    {
        files.extend(
            files_under(&fixture(dir)).into_iter().filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    assert_eq!(files.iter().filter(|p| p.to_string_lossy().contains("sekoia")).count(), 18);
    let mut warnings = String::new();
    for path in &files {
        let report = check_file(path, &Options::default());
        assert!(!report.has_errors(), "{}:\n{}", path.display(), summary(&report));
        let rel = path.strip_prefix(fixture("reference/formats")).expect("under formats");
        // A published format's risks are folded into one info (NSS021): it is listed too.
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning || d.rule == Rule::PublishedFormat)
        {
            warnings.push_str(&format!("{} {} {}\n", rel.display(), d.rule.code(), d.message));
        }
    }
    insta::assert_snapshot!("reference_warnings", warnings);
}

#[test]
fn every_buggy_sekoia_set_gets_the_error_naming_its_bug() {
    let history = fixture("reference/formats/sekoia/history");
    let mut sets: Vec<_> =
        std::fs::read_dir(&history).expect("history").map(|e| e.expect("entry").path()).collect();
    sets.sort();
    for set in sets {
        let name = set.file_name().and_then(|n| n.to_str()).expect("set name").to_owned();
        let mut text = String::new();
        for path in files_under(&set) {
            let report = check_file(&path, &Options::default());
            let rel = path.strip_prefix(&set).expect("under set");
            let errors: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    let (l, c) = d.span.map_or((0, 0), |s| report.line_col(s.start));
                    format!("  {l}:{c} {}: {}", d.rule.code(), d.message)
                })
                .collect();
            text.push_str(&format!("{}: {}\n", rel.display(), if errors.is_empty() { "clean" } else { "" }));
            for e in errors {
                text.push_str(&e);
                text.push('\n');
            }
        }
        insta::assert_snapshot!(format!("history_{name}"), text);
    }
    // The bug each set shipped, and the rule that names it.
    let expect = |rel: &str, rule: Rule| {
        let report = check_file(&history.join(rel), &Options::default());
        assert!(
            report.diagnostics.iter().any(|d| d.rule == rule && d.severity == Severity::Error),
            "{rel} lacks {rule}:\n{}",
            summary(&report)
        );
    };
    for t in ["web", "tunnel", "admin_audit", "saas_security", "saas_security_activity"] {
        expect(&format!("2023-09-25_5072e3f56/rfc3164/{t}.txt"), Rule::SyslogHeader); // no TAG
        expect(&format!("2025-03-27_38dec26e2/rfc5424/{t}.txt"), Rule::LiteralPri); // `<PRI>`
        expect(&format!("2025-04-04_3202d7b7e/rfc5424/{t}.txt"), Rule::TextBeforeBody);
        // `event=`
    }
    expect("2025-03-27_38dec26e2/rfc5424/web.txt", Rule::DateSlot); // `%02d{mm}` as the month
    expect("2025-03-27_38dec26e2/rfc5424/web.txt", Rule::TextBeforeBody); // `event=datetime=`
    expect("2025-03-27_38dec26e2/rfc5424/admin_audit.txt", Rule::SyslogHeader); // `[event` as MSGID
    expect("2026-06-22_bc9330ff0/rfc5424/web.txt", Rule::DateSlot); // `%02d{mm}` as the month
}

#[test]
fn broken_format_corpus() {
    let corpus = files_under(&fixture("check"));
    assert!(corpus.len() >= 40, "{} corpus files", corpus.len());
    insta::glob!("fixtures/check/*.txt", |path| {
        let path_str = path.to_str().expect("UTF-8 path");
        let mut args = vec!["check"];
        args.extend(corpus_args(path));
        args.push(path_str);
        let (code, out, err) = nssgen_with_input(&args, b"");
        assert_eq!(err, "");
        assert_ne!(code, 2, "{path_str}");
        let target = if corpus_args(path).is_empty() { None } else { Some(nssgen_catalog::Target::CloudNss) };
        let report = check_file(path, &Options { log_type: None, target });
        assert!(report.diagnostics.iter().any(|d| d.severity != Severity::Info), "{path_str} has no finding");
        // Paths differ between machines: show the file name only.
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        insta::assert_snapshot!(out.replace(path_str, name));
    });
}

#[test]
fn fix_output_of_every_fixable_corpus_file_rechecks_clean() {
    let mut fixed = 0;
    let mut files = files_under(&fixture("check"));
    // The key=value tunnel formats with `\recordid` and a trailing `\n` (SOURCES.md).
    files.extend(
        files_under(&fixture("reference/formats/other"))
            .into_iter()
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("sc4s_"))),
    );
    for path in files {
        let path_str = path.to_str().expect("UTF-8 path");
        let mut args = vec!["check", "--json"];
        args.extend(corpus_args(&path));
        args.push(path_str);
        let (_, out, _) = nssgen_with_input(&args, b"");
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
        let findings: Vec<&serde_json::Value> = json["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .filter(|d| d["severity"] != "info")
            .collect();
        // Fixable: every error and warning comes with a certain fix.
        if findings.is_empty() || findings.iter().any(|d| d["fix"].is_null()) {
            continue;
        }
        let mut args = vec!["check", "--fix"];
        args.extend(corpus_args(&path));
        args.push(path_str);
        let (code, out, err) = nssgen_with_input(&args, b"");
        assert_eq!(code, 0, "{path_str}: {err}");
        assert!(err.contains("fixed"), "{path_str}: {err}");
        let mut args = vec!["check", "--deny-warnings"];
        args.extend(corpus_args(&path));
        args.push("-");
        let (code, report, _) = nssgen_with_input(&args, out.as_bytes());
        assert_eq!(code, 0, "{path_str} fixed to\n{out}\nstill has:\n{report}");
        fixed += 1;
    }
    assert!(fixed >= 15, "only {fixed} corpus files were fixable");
}

#[test]
fn exit_codes_json_shape_and_stdin() {
    let web = std::fs::read_to_string(fixture("reference/formats/sekoia/rfc3164/web.txt")).expect("web");
    // Sekoia's own string is the vendor's choice (NSS021); edited, its risks are warnings again.
    let (code, _, _) = nssgen_with_input(&["check", "--deny-warnings", "-"], web.as_bytes());
    assert_eq!(code, 0);
    let edited = web.replace("zscaler-nss", "my-nss");
    let (code, out, err) = nssgen_with_input(&["check", "--log-type", "web", "-"], edited.as_bytes());
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.contains("warning[NSS008]"), "{out}");
    let (code, _, _) = nssgen_with_input(&["check", "--deny-warnings", "-"], edited.as_bytes());
    assert_eq!(code, 1);

    let (code, out, _) = nssgen_with_input(&["check", "--json", "-"], br#"\{"a":"%s{url}" "b":1\}"#);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let first = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["code"] == "NSS007")
        .expect("invalid JSON reported");
    for key in ["code", "severity", "message", "line", "column", "end_line", "end_column", "fix"] {
        assert!(first.get(key).is_some(), "no `{key}` in {first}");
    }
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(1), Some(17)));

    let (code, _, err) = nssgen_with_input(&["check", "--log-type", "webb", "-"], b"%s{url}");
    assert_eq!(code, 2);
    assert!(err.starts_with("error: unknown log type `webb`"), "{err}");
    let (code, _, err) = nssgen_with_input(&["check", "/nonexistent/format.txt"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, _) = nssgen_with_input(&["check", "--target", "syslog", "-"], b"");
    assert_eq!(code, 2);
}

#[test]
fn the_files_final_newline_is_not_a_trailing_newline_but_a_second_one_is() {
    let options = Options { log_type: Some("web".into()), target: None };
    let rule = |bytes: &[u8]| {
        check(strip_final_newline(bytes), &options)
            .expect("valid options")
            .diagnostics
            .iter()
            .any(|d| d.rule == Rule::TrailingNewline)
    };
    assert!(!rule(b"%s{url}\n"));
    assert!(!rule(b"%s{url}\r\n"));
    assert!(rule(b"%s{url}\n\n"));
    assert!(rule(b"%s{url}\\n\n"));
    assert!(!rule(b"%s{url}\\\\n\n"));
}

#[test]
fn an_older_vendor_format_gets_one_info_naming_it_and_what_the_current_one_changes() {
    let mut files = sekoia_history_files();
    files.extend(elastic_files());
    let quoted = |keys: &[String]| keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let (mut older, mut with_keys) = (0, 0);
    for file in &files {
        let report = check_file(&file.path, &Options::default());
        let infos: Vec<&str> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule == Rule::OlderVendorFormat)
            .map(|d| d.message.as_str())
            .collect();
        assert!(report
            .diagnostics
            .iter()
            .all(|d| d.rule != Rule::OlderVendorFormat || d.severity == Severity::Info));
        if file.current {
            assert_eq!(infos, Vec::<&str>::new(), "{}", file.path.display());
            continue;
        }
        older += 1;
        let current = files
            .iter()
            .find(|f| {
                f.current && (f.profile, &f.log_type, f.target) == (file.profile, &file.log_type, file.target)
            })
            .expect("a current format");
        let when = |f: &nssgen_tests::VendorFile| {
            if f.profile == "sekoia" {
                format!("as published on {}", f.version)
            } else {
                format!("version {}", f.version)
            }
        };
        let named = format!(
            "the {} `{}` format for target `{}` {}, byte for byte, not its current one: the current format ({}) ",
            file.profile,
            file.log_type,
            file.target,
            when(file),
            when(current)
        );
        assert_eq!(infos.len(), 1, "{}: {infos:?}", file.path.display());
        assert!(infos[0].starts_with(&named), "{}:\n{}\n{named}", file.path.display(), infos[0]);
        // Where both bodies are JSON, the keys it names are the ones the files differ in.
        if let (Some(old), Some(new)) = (body_keys(&file.text), body_keys(&current.text)) {
            let (added, removed) = (keys_missing_from(&old, &new), keys_missing_from(&new, &old));
            let change = match (added.is_empty(), removed.is_empty()) {
                (true, true) => "has the same keys".to_owned(),
                (false, true) => format!("adds {}", quoted(&added)),
                (true, false) => format!("removes {}", quoted(&removed)),
                (false, false) => format!("adds {}; removes {}", quoted(&added), quoted(&removed)),
            };
            assert_eq!(infos[0], format!("{named}{change}"), "{}", file.path.display());
            with_keys += 1;
        }
    }
    // 59 of Sekoia's 103 history files differ from its current files, and the 7 legacy Elastic
    // files from Elastic's; all have JSON bodies but Sekoia's 7 key=value ones of 2025-03-27.
    assert_eq!((older, with_keys), (59 + 7, 59 + 7 - 7));
    // Sekoia's RFC5424 key=value strings of 2025-03-27 lack the JSON body's keys.
    let kv = fixture("reference/formats/sekoia/history/2025-03-27_38dec26e2/rfc5424/tunnel.txt");
    let report = check_file(&kv, &Options::default());
    let info = report.diagnostics.iter().find(|d| d.rule == Rule::OlderVendorFormat).expect("NSS022");
    assert!(info.message.ends_with("adds `sourcetype`, `location`, `sourceip`, `destinationip`, `sourceport`, `event`, `eventreason`, `recordid`"), "{}", info.message);
}

#[test]
fn the_older_vendor_format_info_never_fails_a_check() {
    // Elastic's first generation has no errors (see above): the info leaves the exit code at 0.
    for file in elastic_files().iter().filter(|f| !f.current) {
        let path = file.path.to_str().expect("UTF-8 path");
        let (code, out, err) = nssgen_with_input(&["check", path], b"");
        assert_eq!((code, err.as_str()), (0, ""), "{path}:\n{out}");
        assert_eq!(out.matches("info[NSS022]").count(), 1, "{out}");
        let (code, out, _) = nssgen_with_input(&["check", "--json", path], b"");
        assert_eq!(code, 0);
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let found = json["diagnostics"].as_array().expect("array").iter().filter(|d| d["code"] == "NSS022");
        assert!(found.map(|d| &d["severity"]).eq([&serde_json::json!("info")]), "{out}");
    }
    // An older Sekoia format with errors fails as it did, for its errors.
    let buggy = fixture("reference/formats/sekoia/history/2023-09-25_5072e3f56/rfc3164/web.txt");
    let (code, out, _) = nssgen_with_input(&["check", buggy.to_str().expect("UTF-8")], b"");
    assert_eq!(code, 1);
    assert!(out.contains("error[NSS009]") && out.contains("info[NSS022]"), "{out}");
}
