//! `nssgen` run in-process: outputs, exit codes and error messages.

use nssgen_tests::{assert_usage_error, fixture, nssgen};

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
