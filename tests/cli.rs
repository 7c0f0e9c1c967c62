//! `nssgen` run in-process: outputs, exit codes and error messages.

use nssgen_tests::{
    assert_usage_error, body_keys, elastic_files, fixture, keys_missing_from, nssgen, sekoia_history_files,
    temp_file, VendorFile,
};

#[test]
fn format_prints_sekoias_strings_for_all_nine_log_types_and_both_syslog_targets() {
    let mut matched = 0;
    for (stem, id) in [
        ("web", "web"),
        ("firewall", "firewall"),
        ("dns", "dns"),
        ("tunnel", "tunnel"),
        ("tunnel_ike_phase1", "tunnel-ike-phase1"),
        ("tunnel_ike_phase2", "tunnel-ike-phase2"),
        ("admin_audit", "admin-audit"),
        ("saas_security", "saas-security"),
        ("saas_security_activity", "saas-security-activity"),
    ] {
        for (folder, extra) in [("rfc3164", &[][..]), ("rfc5424", &["--target", "nss-rfc5424"][..])] {
            let expected =
                std::fs::read(fixture(&format!("reference/formats/sekoia/{folder}/{stem}.txt"))).unwrap();
            let args: Vec<&str> = ["format", id].iter().chain(extra).copied().collect();
            let (code, out, err) = nssgen(&args);
            assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
            assert!(out.as_bytes() == expected, "{args:?} differs from {folder}/{stem}.txt");
            matched += 1;
        }
    }
    assert_eq!(matched, 18);
}

#[test]
fn format_prints_exactly_one_line() {
    for target in ["nss", "nss-rfc5424", "cloud-nss"] {
        let (code, out, _) = nssgen(&["format", "firewall", "--target", target, "--profile", "sekoia"]);
        assert_eq!(code, 0);
        assert_eq!(out.matches('\n').count(), 1, "{target}");
        assert!(out.ends_with("\\}\\}\n"), "{target}");
    }
}

#[test]
fn unknown_choices_are_one_line_errors_naming_the_valid_ones_with_exit_2() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["format", "webb"],
            "error: profile `sekoia` has no format for log type `webb`: did you mean `web`? (valid: web, firewall, \
             dns, tunnel, tunnel-ike-phase1, tunnel-ike-phase2, admin-audit, saas-security, saas-security-activity)\n",
        ),
        (&["format", "web", "--target", "syslog"], "error: unknown target `syslog` (valid: nss, nss-rfc5424, cloud-nss)\n"),
        (&["format", "web", "--profile", "splunk"], "error: unknown profile `splunk` (valid: sekoia)\n"),
        (
            &["fields", "proxy"],
            "error: unknown log type `proxy` (valid: web, firewall, dns, tunnel, admin-audit, saas-security, \
             saas-security-activity, endpoint-dlp, email-dlp, alerts, cbc-session, cbc-dns, cbc-event, \
             cbc-metrics, tunnel-ike-phase1, tunnel-ike-phase2)\n",
        ),
    ];
    for (args, expected) in cases {
        assert_usage_error(args, expected);
    }
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let (code, out, err) = nssgen(&["format"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("<LOG_TYPE>"), "{err}");
    let (code, out, _) = nssgen(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("format"), "{out}");
}

#[test]
fn format_for_a_catalog_only_log_type_says_the_profile_has_none() {
    let (code, _, err) = nssgen(&["format", "endpoint-dlp"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: profile `sekoia` has no format for log type `endpoint-dlp`"), "{err}");
}

#[test]
fn list_shows_the_profile_log_types_and_every_catalog_log_type() {
    let (code, out, err) = nssgen(&["list"]);
    assert_eq!((code, err.as_str()), (0, ""));
    insta::assert_snapshot!("list", out);

    let (code, out, _) = nssgen(&["list", "--json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["profiles"][0]["log_types"].as_array().unwrap().len(), 9);
    assert_eq!(doc["catalog"].as_array().unwrap().len(), 14);
    assert_eq!(doc["targets"].as_array().unwrap().len(), 3);
}

#[test]
fn fields_web_lists_every_catalog_field() {
    let (code, out, err) = nssgen(&["fields", "web"]);
    assert_eq!((code, err.as_str()), (0, ""));
    // A heading, the column names, then one row per field.
    assert_eq!(out.lines().count(), 2 + 225);
    insta::assert_snapshot!("fields_web", out);

    let (code, out, _) = nssgen(&["fields", "web", "--json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fields = doc["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 225);
    let eurl = fields.iter().find(|f| f["name"] == "eurl").unwrap();
    assert_eq!((eurl["variant"].as_str(), eurl["variant_of"].as_str()), (Some("hex"), Some("url")));
}

#[test]
fn fields_of_a_profile_log_type_keep_only_its_record_types() {
    let (code, out, _) = nssgen(&["fields", "tunnel-ike-phase1", "--json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> =
        doc["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    // 28 specs for IKE Phase 1 in the catalog facts.
    assert_eq!(names.len(), 28);
    assert!(names.contains(&"spi_in"));
    assert!(!names.contains(&"eventreason"), "a tunnel event field leaked in");
}

/// A writer that fails like a pipe whose reader has gone.
struct ClosedPipe;

impl std::io::Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut err = Vec::new();
    let code = nssgen_cli::run(["nssgen", "fields", "web"], &mut ClosedPipe, &mut err);
    assert_eq!(code, 0);
    assert!(err.is_empty(), "{}", String::from_utf8_lossy(&err));
}

/// `nssgen identify --format PATH --json`, which must succeed with one line: the object.
fn identify_json(path: &str) -> serde_json::Value {
    let (code, out, err) = nssgen(&["identify", "--format", path, "--json"]);
    assert_eq!((code, err.as_str()), (0, ""), "{path}");
    assert_eq!(out.lines().count(), 1, "{path}: {out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{path}: {e}: {out}"))
}

/// The fields of the `--json` object that name the format, as the file's place says they must.
fn assert_named(file: &VendorFile, doc: &serde_json::Value) {
    let named =
        (&doc["profile"], &doc["log_type"], &doc["target"], &doc["version"], &doc["current"], &doc["exact"]);
    let expected = (
        &serde_json::json!(file.profile),
        &serde_json::json!(file.log_type),
        &serde_json::json!(file.target),
        &serde_json::json!(file.version),
        &serde_json::json!(file.current),
        &serde_json::json!(true),
    );
    assert_eq!(named, expected, "{}", file.path.display());
}

#[test]
fn identify_names_every_sekoia_history_format_by_the_earliest_date_of_its_text() {
    let files = sekoia_history_files();
    // 7 sets: the first RFC3164 only with 7 log types, then 7, 7, 7, 9, 9, 9 in both flavours.
    assert_eq!(files.len(), 7 + 2 * (7 * 3 + 9 * 3));
    for file in &files {
        let doc = identify_json(file.path.to_str().expect("UTF-8 path"));
        assert_named(file, &doc);
    }
    // The example of the issue: the 2023-09-25 RFC3164 web text lasted until 2025-04-08.
    let web = files.iter().find(|f| f.path.ends_with("2025-04-04_3202d7b7e/rfc3164/web.txt")).expect("web");
    assert_eq!((web.version.as_str(), web.current), ("2023-09-25", false));
}

#[test]
fn identify_names_every_elastic_format_by_its_version() {
    let files = elastic_files();
    assert_eq!(files.len(), 20 + 7);
    for file in &files {
        let doc = identify_json(file.path.to_str().expect("UTF-8 path"));
        assert_named(file, &doc);
        if file.current {
            assert_eq!((&doc["added"], &doc["removed"]), (&serde_json::json!([]), &serde_json::json!([])));
        }
    }
}

#[test]
fn identify_lists_the_keys_the_current_format_adds_and_removes() {
    let files = elastic_files();
    let mut compared = 0;
    for legacy in files.iter().filter(|f| !f.current) {
        let current =
            files.iter().find(|f| f.current && f.log_type == legacy.log_type).expect("a current one");
        let (old, new) = (body_keys(&legacy.text).expect("JSON"), body_keys(&current.text).expect("JSON"));
        let doc = identify_json(legacy.path.to_str().expect("UTF-8 path"));
        assert_eq!(
            doc["added"],
            serde_json::json!(keys_missing_from(&old, &new)),
            "{}",
            legacy.path.display()
        );
        assert_eq!(
            doc["removed"],
            serde_json::json!(keys_missing_from(&new, &old)),
            "{}",
            legacy.path.display()
        );
        compared += 1;
    }
    assert_eq!(compared, 7);
    // Web's first generation lacked the `version` key Elastic's current strings start with.
    let web = files.iter().find(|f| !f.current && f.log_type == "web").expect("legacy web");
    let doc = identify_json(web.path.to_str().expect("UTF-8 path"));
    assert_eq!(doc["added"][0], "version");
    assert!(!doc["removed"].as_array().expect("a list").is_empty());
}

#[test]
fn identify_json_is_one_object_with_the_keys_in_order() {
    let path = fixture("reference/formats/sekoia/history/2025-04-04_3202d7b7e/rfc5424/tunnel.txt");
    let (code, out, _) = nssgen(&["identify", "--format", path.to_str().expect("UTF-8"), "--json"]);
    assert_eq!(code, 0);
    assert!(out.ends_with("}\n") && out.matches('\n').count() == 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let keys: Vec<&str> = doc.as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["profile", "log_type", "target", "version", "current", "added", "removed", "exact"]);
    assert!(doc["added"].is_array() && doc["removed"].is_array() && doc["current"].is_boolean());
}

#[test]
fn identify_without_json_prints_one_sentence() {
    let files = elastic_files();
    let legacy = files.iter().find(|f| !f.current && f.log_type == "tunnel").expect("legacy tunnel");
    let current = files.iter().find(|f| f.current && f.log_type == "tunnel").expect("current tunnel");
    let (old, new) = (body_keys(&legacy.text).expect("JSON"), body_keys(&current.text).expect("JSON"));
    let quoted = |keys: Vec<String>| keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let (added, removed) = (keys_missing_from(&old, &new), keys_missing_from(&new, &old));
    assert!(!added.is_empty() && !removed.is_empty());
    let expected = format!(
        "elastic tunnel (cloud-nss) version legacy, not current: the current format (version {}) adds {}; removes {}\n",
        current.version,
        quoted(added),
        quoted(removed)
    );
    let (code, out, err) = nssgen(&["identify", "--format", legacy.path.to_str().expect("UTF-8")]);
    assert_eq!((code, out, err), (0, expected, String::new()));

    let sekoia = sekoia_history_files();
    let now =
        sekoia.iter().rev().find(|f| f.current && f.log_type == "web" && f.target == "nss").expect("web");
    let (code, out, _) = nssgen(&["identify", "--format", now.path.to_str().expect("UTF-8")]);
    assert_eq!((code, out), (0, format!("sekoia web (nss) as published on {}, current\n", now.version)));
}

#[test]
fn identify_names_a_format_that_differs_in_insignificant_whitespace_only() {
    let file = sekoia_history_files()
        .into_iter()
        .find(|f| f.path.ends_with("2025-07-07_b60bb6ba0/rfc5424/dns.txt"))
        .expect("dns");
    // Spaces between the body's JSON tokens, a run of spaces in the header, no final newline.
    let spaced =
        file.text.replace("\",\"", "\", \"").replace("NSS - -", "NSS   - -").replace("\\}\\}", "\\} \\}");
    assert_ne!(spaced, file.text);
    let variant = temp_file("identify-spaced.txt", spaced.as_bytes());
    let doc = identify_json(&variant);
    assert_eq!(doc["exact"], false);
    assert_eq!(
        (&doc["profile"], &doc["log_type"], &doc["version"]),
        (&"sekoia".into(), &"dns".into(), &file.version.clone().into())
    );
    let (_, out, _) = nssgen(&["identify", "--format", &variant]);
    assert!(out.contains(" (up to insignificant whitespace), not current"), "{out}");

    // Inside a JSON string a space is part of the value: no longer a known format.
    let inside = file.text.replace("\"%s{elogin}\"", "\" %s{elogin}\"");
    assert_ne!(inside, file.text);
    let inside = temp_file("identify-inside.txt", inside.as_bytes());
    let (code, _, _) = nssgen(&["identify", "--format", &inside]);
    assert_eq!(code, 1);
}

#[test]
fn identify_an_unknown_format_exits_1_naming_the_closest_known_one() {
    let web = std::fs::read_to_string(fixture("reference/formats/sekoia/rfc3164/web.txt")).expect("web");
    assert!(web.contains("\"reason\":"));
    let renamed = temp_file("identify-unknown.txt", web.replace("\"reason\":", "\"why\":").as_bytes());
    let (code, out, err) = nssgen(&["identify", "--format", &renamed, "--json"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with(&format!("error: {}: no known format is this one; ", &*renamed)), "{err}");
    assert!(
        err.contains("sekoia web (nss) as published on ") && err.ends_with("adds `reason`; removes `why`\n"),
        "{err}"
    );

    let nothing = temp_file("identify-nothing.txt", b"%s{login} did %s{action}");
    let (code, _, err) = nssgen(&["identify", "--format", &nothing]);
    assert_eq!(code, 1);
    assert!(err.contains("none shares a key or the sourcetype"), "{err}");
}

#[test]
fn identify_usage_and_io_errors_exit_2() {
    let (code, out, err) = nssgen(&["identify", "--format", "/nonexistent/format.txt"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.starts_with("error: cannot read /nonexistent/format.txt: "), "{err}");
    assert_eq!(err.lines().count(), 1);
    let (code, _, err) = nssgen(&["identify", "--format"]);
    assert_eq!(code, 2, "{err}");
}
