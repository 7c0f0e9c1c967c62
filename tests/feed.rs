//! `nssgen feed`: every emitter for every Sekoia log type, snapshotted, parsed back (HCL, JSON)
//! and checked to carry exactly the format `nssgen format` prints; the API enums per log type;
//! the intake key never printed unless asked for; bad input as one-line errors.

use nssgen_tests::{nssgen, sekoia_log_types};

/// `nssgen ARGS`, which must succeed silently; its stdout.
fn ok(args: &[&str]) -> String {
    let (code, out, err) = nssgen(args);
    assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
    out
}

/// What `nssgen format` prints for a log type and target, without its final newline.
fn format_of(log_type: &str, target: &str) -> String {
    let out = ok(&["format", log_type, "--target", target]);
    out.strip_suffix('\n').expect("format ends in a newline").to_owned()
}

/// The value of a string attribute of a block body, evaluated as Terraform would read it (the
/// `$${` and `%%{` escapes undone).
fn hcl_string(body: &hcl::Body, name: &str) -> String {
    use hcl::eval::Evaluate;
    let attr = body.attributes().find(|a| a.key.as_str() == name).unwrap_or_else(|| panic!("no `{name}`"));
    match attr.expr.evaluate(&hcl::eval::Context::new()) {
        Ok(hcl::Value::String(s)) => s,
        other => panic!("`{name}` is not a string: {other:?}"),
    }
}

/// The `zia_cloud_nss_feed` resource block of a Terraform file.
fn resource(file: &hcl::Body) -> &hcl::Body {
    let block = file.blocks().find(|b| b.identifier() == "resource").expect("a resource block");
    assert_eq!(block.labels().first().map(|l| l.as_str()), Some("zia_cloud_nss_feed"));
    block.body()
}

/// The expression of an attribute, printed back as HCL (`each.key`, `"WEBLOG"`).
fn hcl_expr(body: &hcl::Body, name: &str) -> String {
    let attr = body.attributes().find(|a| a.key.as_str() == name).unwrap_or_else(|| panic!("no `{name}`"));
    hcl::format::to_string(&attr.expr).expect("an expression prints")
}

#[test]
fn terraform_for_every_log_type_parses_as_hcl_and_carries_the_cloud_nss_format() {
    for id in sekoia_log_types() {
        let out = ok(&["feed", id, "--emit", "terraform"]);
        insta::assert_snapshot!(format!("terraform_{}", id.replace('-', "_")), out);
        let file: hcl::Body = hcl::parse(&out).unwrap_or_else(|e| panic!("{id}: not HCL: {e}"));
        let body = resource(&file);
        assert_eq!(hcl_string(body, "feed_output_format"), format_of(id, "cloud-nss"), "{id}");
        for (attr, expected) in [
            ("nss_feed_type", "\"JSON\""),
            ("siem_type", "\"OTHER\""),
            ("json_array_toggle", "false"),
            ("oauth_authentication", "false"),
            ("max_batch_size", "512"),
            ("time_zone", "\"GMT\""),
            ("connection_url", "\"https://intake.sekoia.io/plain/batch?status_code=200\""),
            ("custom_escaped_character", "[\"ASCII_44\", \"ASCII_92\", \"ASCII_34\"]"),
        ] {
            // The HCL printer lays arrays out on several lines; compare without the layout.
            let strip = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(strip(&hcl_expr(body, attr)), strip(expected), "{id} {attr}");
        }
        // The key is a variable reference inside the header, never a literal.
        let header = hcl_expr(body, "connection_headers");
        assert!(header.contains("X-SEKOIAIO-INTAKE-KEY:${var.sekoia_intake_key}"), "{id}: {header}");
        let variable = file.blocks().find(|b| b.identifier() == "variable").expect("the key variable");
        assert_eq!(variable.labels().first().map(|l| l.as_str()), Some("sekoia_intake_key"));
        assert_eq!(hcl_expr(variable.body(), "sensitive"), "true");
    }
}

#[test]
fn zia_api_for_every_log_type_is_json_carrying_the_cloud_nss_format() {
    for id in sekoia_log_types() {
        let out = ok(&["feed", id, "--emit", "zia-api"]);
        insta::assert_snapshot!(format!("zia_api_{}", id.replace('-', "_")), out);
        let doc: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{id}: not JSON: {e}"));
        let bodies = match doc {
            serde_json::Value::Array(bodies) => bodies,
            body => vec![body],
        };
        assert!(!bodies.is_empty());
        for body in &bodies {
            assert_eq!(body["feedOutputFormat"].as_str(), Some(format_of(id, "cloud-nss").as_str()), "{id}");
            assert_eq!(body["nssFeedType"], "JSON");
            assert_eq!(body["siemType"], "OTHER");
            assert_eq!(body["jsonArrayToggle"], false);
            assert_eq!(body["oauthAuthentication"], false);
            assert_eq!(body["maxBatchSize"], 512);
            assert_eq!(body["timeZone"], "GMT");
            assert_eq!(body["connectionURL"], "https://intake.sekoia.io/plain/batch?status_code=200");
            assert_eq!(
                body["connectionHeaders"],
                serde_json::json!(["X-SEKOIAIO-INTAKE-KEY:<SEKOIA_INTAKE_KEY>"])
            );
            assert_eq!(
                body["customEscapedCharacter"],
                serde_json::json!(["ASCII_44", "ASCII_92", "ASCII_34"])
            );
        }
    }
}

#[test]
fn steps_for_every_log_type_and_target_carry_the_format_on_a_line_of_its_own() {
    for id in sekoia_log_types() {
        for target in ["nss", "cloud-nss"] {
            let out = ok(&["feed", id, "--target", target]);
            let name = format!("steps_{}_{}", target.replace('-', "_"), id.replace('-', "_"));
            insta::assert_snapshot!(name, out);
            let format = format_of(id, target);
            assert!(
                out.lines().any(|l| l == format),
                "{id} {target}: the format is not on a line of its own"
            );
            for spelt in ["Feed Escape Character: ,\\\"", ",  comma (ASCII 44)", "\\  backslash (ASCII 92)"] {
                assert!(out.contains(spelt), "{id} {target}: {spelt}");
            }
            assert!(out.contains("\"  double quote (ASCII 34)"), "{id} {target}");
        }
        // The default target of steps is nss, as everywhere.
        assert_eq!(ok(&["feed", id]), ok(&["feed", id, "--target", "nss", "--emit", "steps"]));
    }
    let out =
        ok(&["feed", "web", "--target", "nss-rfc5424", "--siem-host", "10.0.0.5", "--siem-port", "10514"]);
    insta::assert_snapshot!("steps_nss_rfc5424_web", out);
    assert!(out.lines().any(|l| l == format_of("web", "nss-rfc5424")));
}

#[test]
fn nss_vm_steps_fill_in_the_collector_and_say_it_must_share_the_nss_subnet() {
    let out = ok(&[
        "feed",
        "firewall",
        "--siem-host",
        "10.0.0.5",
        "--siem-port",
        "10514",
        "--name",
        "FW to Sekoia",
    ]);
    for expected in [
        "Feed Name: FW to Sekoia",
        "NSS Type: NSS for Firewall",
        "SIEM IP Address (or FQDN): 10.0.0.5",
        "SIEM TCP Port: 10514",
        "Feed Output Type: Custom.",
        "does not encrypt",
        "must sit on the NSS VM's own subnet",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

#[test]
fn cloud_nss_steps_give_every_setting_of_the_guide() {
    let out = ok(&["feed", "dns", "--target", "cloud-nss"]);
    for expected in [
        "NSS Type: NSS for Firewall",
        "SIEM Type: Other",
        "OAuth 2.0 Authentication: off.",
        "Max Batch Size: 512 KB",
        "API URL: https://intake.sekoia.io/plain/batch?status_code=200",
        "Key: X-SEKOIAIO-INTAKE-KEY",
        "Feed Output Type: JSON",
        "JSON Array Notation: off",
        "Time Zone: GMT",
        "Activate",
        "Test Connectivity",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

#[test]
fn each_log_type_maps_to_its_nss_type_and_api_log_type() {
    let cases = [
        ("web", "NSS for Web", "NSS_FOR_WEB", &["WEBLOG"][..]),
        ("firewall", "NSS for Firewall", "NSS_FOR_FIREWALL", &["FWLOG"]),
        ("dns", "NSS for Firewall", "NSS_FOR_FIREWALL", &["DNSLOG"]),
        ("tunnel", "NSS for Web", "NSS_FOR_WEB", &["MULTIFEEDLOG"]),
        ("tunnel-ike-phase1", "NSS for Web", "NSS_FOR_WEB", &["MULTIFEEDLOG"]),
        ("tunnel-ike-phase2", "NSS for Web", "NSS_FOR_WEB", &["MULTIFEEDLOG"]),
        ("admin-audit", "NSS for Web", "NSS_FOR_WEB", &["ADMIN_AUDIT"]),
        (
            "saas-security",
            "NSS for Web",
            "NSS_FOR_WEB",
            &[
                "CASB_FILELOG",
                "CASB_MAILLOG",
                "CASB_ITSM",
                "CASB_CRM",
                "CASB_CODE_REPO",
                "CASB_COLLAB",
                "CASB_PCS",
            ],
        ),
        ("saas-security-activity", "NSS for Web", "NSS_FOR_WEB", &["USER_ACT_REP"]),
    ];
    assert_eq!(cases.len(), sekoia_log_types().len());
    for (id, portal, api, log_types) in cases {
        let steps = ok(&["feed", id]);
        assert!(steps.contains(&format!("NSS Type: {portal}\n")), "{id}");

        let doc: serde_json::Value = serde_json::from_str(&ok(&["feed", id, "--emit", "zia-api"])).unwrap();
        let bodies = doc.as_array().cloned().unwrap_or_else(|| vec![doc.clone()]);
        let values: Vec<&str> = bodies.iter().map(|b| b["nssLogType"].as_str().unwrap()).collect();
        assert_eq!(values, log_types, "{id}");
        assert!(bodies.iter().all(|b| b["nssType"] == api), "{id}");

        let tf = ok(&["feed", id, "--emit", "terraform"]);
        let file: hcl::Body = hcl::parse(&tf).unwrap();
        let body = resource(&file);
        assert_eq!(hcl_expr(body, "nss_type"), format!("\"{api}\""), "{id}");
        if let [one] = log_types {
            assert_eq!(hcl_expr(body, "nss_log_type"), format!("\"{one}\""), "{id}");
        } else {
            // One feed per value, through for_each.
            assert_eq!(hcl_expr(body, "nss_log_type"), "each.key", "{id}");
            let for_each = hcl_expr(body, "for_each");
            for value in log_types {
                assert!(for_each.contains(&format!("\"{value}\"")), "{id}: {value}");
            }
        }
    }
}

#[test]
fn the_intake_key_is_printed_only_in_the_api_body_and_only_when_asked_for() {
    const VAR: &str = "NSSGEN_FEED_TEST_INTAKE_KEY";
    const SECRET: &str = "s3cr3t-intake-key-0123456789";
    std::env::set_var(VAR, SECRET);
    for id in sekoia_log_types() {
        for (target, emit) in [
            ("nss", "steps"),
            ("nss-rfc5424", "steps"),
            ("cloud-nss", "steps"),
            ("cloud-nss", "terraform"),
            ("cloud-nss", "zia-api"),
        ] {
            let out = ok(&["feed", id, "--target", target, "--emit", emit]);
            assert!(!out.contains(SECRET), "{id} {target} {emit}: the key leaked without --intake-key-env");
        }
        for emit in ["steps", "terraform"] {
            let out = ok(&["feed", id, "--target", "cloud-nss", "--emit", emit, "--intake-key-env", VAR]);
            assert!(!out.contains(SECRET), "{id} {emit}: only the API body may hold the key");
            assert!(out.contains(VAR), "{id} {emit}: says where the key is");
        }
        let out = ok(&["feed", id, "--emit", "zia-api", "--intake-key-env", VAR]);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let bodies = doc.as_array().cloned().unwrap_or_else(|| vec![doc.clone()]);
        for body in bodies {
            assert_eq!(
                body["connectionHeaders"],
                serde_json::json!([format!("X-SEKOIAIO-INTAKE-KEY:{SECRET}")])
            );
        }
    }
    let (code, out, err) =
        nssgen(&["feed", "web", "--emit", "zia-api", "--intake-key-env", "NSSGEN_FEED_TEST_UNSET"]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (2, "", "error: environment variable `NSSGEN_FEED_TEST_UNSET` (--intake-key-env) is not set\n")
    );
    let (code, out, err) = nssgen(&["feed", "web", "--emit", "zia-api", "--intake-key-env", "$(id)"]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            2,
            "",
            "error: --intake-key-env `$(id)` is not an environment variable name (letters, digits, `_`)\n"
        )
    );
}

#[test]
fn options_reach_the_output_escaped() {
    let name = r#"Sekoia "prod" ${x} %{y} \ web"#;
    let url = "https://intake.example.org/plain/batch?status_code=200&a=${b}";
    let tf = ok(&["feed", "web", "--emit", "terraform", "--name", name, "--intake-url", url]);
    let file: hcl::Body = hcl::parse(&tf).unwrap();
    let body = resource(&file);
    assert_eq!(hcl_string(body, "name"), name);
    assert_eq!(hcl_string(body, "connection_url"), url);

    let api = ok(&["feed", "web", "--emit", "zia-api", "--name", name, "--intake-url", url]);
    let doc: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!((doc["name"].as_str(), doc["connectionURL"].as_str()), (Some(name), Some(url)));

    // A name ending in a quote, before the interpolation of the per-category name.
    let name = r#"SaaS "x""#;
    let tf = ok(&["feed", "saas-security", "--emit", "terraform", "--name", name]);
    let file: hcl::Body = hcl::parse(&tf).unwrap();
    let attr = resource(&file).attributes().find(|a| a.key.as_str() == "name").expect("a name");
    let mut ctx = hcl::eval::Context::new();
    ctx.declare_var("each", hcl::value!({ key = "CASB_PCS" }));
    let evaluated = hcl::eval::Evaluate::evaluate(&attr.expr, &ctx).expect("the name evaluates");
    assert_eq!(evaluated, hcl::Value::from(r#"SaaS "x" (CASB_PCS)"#));

    let steps = ok(&["feed", "web", "--target", "cloud-nss", "--intake-url", url]);
    assert!(steps.contains(&format!("API URL: {url}\n")));
}

#[test]
fn hcl_quoting_reads_back_unchanged() {
    for text in [
        r#"\{"sourcetype" : "zscalernss-web", "event" : \{"a":"%s{b}"\}\}"#,
        "${var.x} %{ if true }x%{ endif } $${ %%{ $$${ %%%{ $ % {}",
        "tab\there\nnewline\r\u{1}\u{7f} é ☃ 🦀",
        r"\\ \\\ \n \{",
        "",
    ] {
        let source = format!("x = {}\n", nssgen_render::feed::hcl_quote(text));
        let body: hcl::Body = hcl::parse(&source).unwrap_or_else(|e| panic!("{text:?}: {e}\n{source}"));
        assert_eq!(hcl_string(&body, "x"), text, "{source}");
    }
}

#[test]
fn bad_input_is_a_one_line_error_with_exit_2() {
    let cases: [(&[&str], &str); 8] = [
        (
            &["feed", "proxy"],
            "error: profile `sekoia` has no format for log type `proxy` (valid: web, firewall, dns, tunnel, \
             tunnel-ike-phase1, tunnel-ike-phase2, admin-audit, saas-security, saas-security-activity)\n",
        ),
        (
            &["feed", "web", "--emit", "terraform", "--target", "nss"],
            "error: --emit terraform configures Cloud NSS feeds only: the Zscaler Terraform provider and the ZIA \
             API have no resource for an NSS VM feed (--target nss); use --emit steps, or --target cloud-nss\n",
        ),
        (
            &["feed", "dns", "--emit", "zia-api", "--target", "nss-rfc5424"],
            "error: --emit zia-api configures Cloud NSS feeds only: the Zscaler Terraform provider and the ZIA \
             API have no resource for an NSS VM feed (--target nss-rfc5424); use --emit steps, or --target \
             cloud-nss\n",
        ),
        (
            &["feed", "web", "--emit", "terraform", "--intake-url", "http://intake.sekoia.io/plain/batch"],
            "error: intake URL `http://intake.sekoia.io/plain/batch` is not HTTPS: Cloud NSS posts only to \
             https:// endpoints with a publicly trusted certificate\n",
        ),
        (&["feed", "web", "--emit", "yaml"], "error: unknown emitter `yaml` (valid: steps, terraform, zia-api)\n"),
        (
            &["feed", "web", "--target", "syslog"],
            "error: unknown target `syslog` (valid: nss, nss-rfc5424, cloud-nss)\n",
        ),
        (
            &["feed", "web", "--target", "cloud-nss", "--siem-host", "10.0.0.5", "--siem-port", "514"],
            "error: --siem-host and --siem-port set an NSS VM feed's syslog destination; a Cloud NSS feed posts \
             to --intake-url\n",
        ),
        (
            &["feed", "web", "--intake-url", "https://intake.sekoia.io/plain/batch"],
            "error: --intake-url sets a Cloud NSS feed's API URL; an NSS VM feed (--target nss) sends syslog to \
             --siem-host and --siem-port\n",
        ),
    ];
    for (args, expected) in cases {
        let (code, out, err) = nssgen(args);
        assert_eq!((code, out.as_str(), err.as_str()), (2, "", expected), "{args:?}");
        assert_eq!(err.lines().count(), 1);
    }
}
