//! `nssgen feed`: every emitter for every Sekoia log type, snapshotted, parsed back (HCL, JSON)
//! and checked to carry exactly the format `nssgen format` prints; the API enums per log type;
//! the intake key never printed unless asked for; bad input as one-line errors.

use nssgen_tests::{assert_usage_error, nssgen, sekoia_log_types};

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
            "error: profile `sekoia` has no feed for log type `proxy` (valid: web, firewall, dns, tunnel, \
             tunnel-ike-phase1, tunnel-ike-phase2, admin-audit, saas-security, saas-security-activity, all)\n",
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
        (&["feed", "web", "--emit", "yaml"], "error: unknown emitter `yaml` (valid: steps, terraform, zia-api, rsyslog)\n"),
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
        assert_usage_error(args, expected);
    }
}

#[test]
fn rsyslog_for_all_log_types_is_snapshotted_per_target_and_names_what_it_carries() {
    for target in ["nss", "nss-rfc5424"] {
        let out = ok(&["feed", "all", "--target", target, "--emit", "rsyslog"]);
        insta::assert_snapshot!(format!("rsyslog_all_{}", target.replace('-', "_")), out);
        let titles: Vec<String> =
            nssgen_catalog::profile("sekoia").unwrap().log_types.iter().map(|t| t.title.clone()).collect();
        assert!(out.contains(&format!("through one listener: {}.", titles.join(", "))), "{target}");
        for expected in [
            "target=\"intake.sekoia.io\" port=\"10514\" protocol=\"tcp\" TCP_Framing=\"octet-counted\"",
            "StreamDriverPermittedPeers=\"intake.sekoia.io\"",
            "StreamDriver.CAFile=\"/etc/ssl/certs/ca-certificates.crt\"",
            "address=\"0.0.0.0\" port=\"514\"",
            "queue.spoolDirectory=\"/var/spool/rsyslog\"",
            "constant(value=`echo $SEKOIA_INTAKE_KEY`)",
            "[SEKOIA@53288 intake_key=\\\"\")",
        ] {
            assert!(out.contains(expected), "{target}: {expected}");
        }
        // Every setting says why it is there: each line setting something (`name="value"`) is at
        // most the third such line after a comment. The template's body lines are its output,
        // explained by the comment above the template.
        let mut since_comment = 0;
        for line in out.lines().skip_while(|l| !l.starts_with('#')) {
            let line = line.trim();
            if line.starts_with('#') {
                since_comment = 0;
            } else if (line.contains("=\"") || line.contains("=`"))
                && !line.starts_with("constant(")
                && !line.starts_with("property(")
            {
                since_comment += 1;
                assert!(since_comment <= 3, "{target}: a setting without its reason nearby: {line}");
            }
        }
        let parser = if target == "nss" { "nssgen_sekoia_nss_rfc3164" } else { "rsyslog.rfc5424" };
        assert!(out.contains(&format!("parser=\"{parser}\"")), "{target}");
        // One log type: the same concentrator, carrying that one.
        let one = ok(&["feed", "dns", "--target", target, "--emit", "rsyslog"]);
        assert!(one.contains("Carries 1 log type through one listener: DNS Log."), "{target}");
    }
    // The default target of rsyslog is nss.
    assert_eq!(
        ok(&["feed", "all", "--emit", "rsyslog"]),
        ok(&["feed", "all", "--emit", "rsyslog", "-t", "nss"])
    );
}

#[test]
fn rsyslog_options_reach_the_configuration() {
    let ca = nssgen_tests::temp_file("ca.pem", b"-----BEGIN CERTIFICATE-----\n");
    let ca_path: &str = &ca;
    let out = ok(&[
        "feed",
        "web",
        "--emit",
        "rsyslog",
        "--listen",
        "[::]:6514",
        "--intake-host",
        "intake.example.test",
        "--intake-port",
        "6515",
        "--ca-file",
        ca_path,
        "--intake-key-env",
        "MY_KEY",
        "--work-dir",
        "/srv/spool/",
    ]);
    for expected in [
        "address=\"::\" port=\"6514\"".to_owned(),
        "target=\"intake.example.test\" port=\"6515\"".to_owned(),
        "StreamDriverPermittedPeers=\"intake.example.test\"".to_owned(),
        format!("StreamDriver.CAFile=\"{ca_path}\""),
        "constant(value=`echo $MY_KEY`)".to_owned(),
        "if `echo $MY_KEY` == \"\" or `echo $MY_KEY` contains".to_owned(),
        "queue.spoolDirectory=\"/srv/spool\"".to_owned(),
        "file=\"/srv/spool/nssgen_sekoia_nss.held\"".to_owned(),
        format!(
            "#   nssgen feed web --profile sekoia --target nss --emit rsyslog --listen [::]:6514 --intake-host \
             intake.example.test --intake-port 6515 --ca-file {ca_path} --intake-key-env MY_KEY --work-dir /srv/spool/"
        ),
    ] {
        assert!(out.contains(&expected), "{expected}\n{out}");
    }
    assert!(!out.contains("SEKOIA_INTAKE_KEY"), "the profile's variable is replaced everywhere");
    // A relative work directory is written out absolute: rsyslogd does not run where nssgen does.
    let out = ok(&["feed", "web", "--emit", "rsyslog", "--work-dir", "spool"]);
    let cwd = std::env::current_dir().unwrap();
    assert!(out.contains(&format!("queue.spoolDirectory=\"{}/spool\"", cwd.display())), "{out}");
}

#[test]
fn steps_for_all_log_types_point_every_feed_at_the_concentrator() {
    let out = ok(&["feed", "all", "--emit", "steps", "--listen", "192.0.2.10:514"]);
    insta::assert_snapshot!("steps_nss_all_listen", out);
    let ids = sekoia_log_types();
    assert!(out.starts_with(&format!(
        "Sekoia.io: {} NSS VM feeds, one per log type, each sending to the concentrator at 192.0.2.10, TCP port \
         514.\n",
        ids.len()
    )));
    assert_eq!(out.matches("SIEM IP Address (or FQDN): 192.0.2.10\n").count(), ids.len());
    assert_eq!(out.matches("SIEM TCP Port: 514\n").count(), ids.len());
    for id in &ids {
        assert!(
            out.lines().any(|l| l == format_of(id, "nss")),
            "{id}: its format is not on a line of its own"
        );
    }
    // Each feed's steps are exactly that log type's steps.
    for id in &ids {
        let one = ok(&["feed", id, "--emit", "steps", "--listen", "192.0.2.10:514"]);
        assert!(out.contains(&one), "{id}");
    }
    // Listening on every address names no host: the steps leave it to fill in, with the port.
    let out = ok(&["feed", "all", "--listen", "0.0.0.0:5514"]);
    assert_eq!(
        out.matches("SIEM IP Address (or FQDN): <the collector's IP address or FQDN>\n").count(),
        ids.len()
    );
    assert_eq!(out.matches("SIEM TCP Port: 5514\n").count(), ids.len());
    assert!(out.starts_with(
        "Sekoia.io: 9 NSS VM feeds, one per log type, each sending to the concentrator's TCP port 5514.\n"
    ));
    // Cloud NSS too, without a listener.
    let out = ok(&["feed", "all", "--target", "cloud-nss"]);
    assert!(out.starts_with(&format!("Sekoia.io: {} Cloud NSS feeds, one per log type.\n", ids.len())));
}

#[test]
fn the_intake_key_never_reaches_the_concentrator_or_the_steps() {
    const SECRET: &str = "s3cr3t-concentrator-key-0123456789";
    std::env::set_var("SEKOIA_INTAKE_KEY", SECRET);
    std::env::set_var("NSSGEN_CONCENTRATOR_TEST_KEY", SECRET);
    for log_type in ["all", "web", "tunnel-ike-phase2"] {
        for target in ["nss", "nss-rfc5424"] {
            for extra in [&[][..], &["--intake-key-env", "NSSGEN_CONCENTRATOR_TEST_KEY"][..]] {
                let mut args = vec!["feed", log_type, "--target", target, "--emit", "rsyslog"];
                args.extend_from_slice(extra);
                let (code, out, err) = nssgen(&args);
                assert_eq!(code, 0, "{args:?}: {err}");
                assert!(!out.contains(SECRET) && !err.contains(SECRET), "{args:?}: the key leaked");
                let var = extra.last().copied().unwrap_or("SEKOIA_INTAKE_KEY");
                assert!(out.contains(&format!("`echo ${var}`")), "{args:?}: names the variable");
            }
            let (code, out, err) =
                nssgen(&["feed", log_type, "--target", target, "--listen", "10.1.2.3:514"]);
            assert_eq!(code, 0, "{err}");
            assert!(
                !out.contains(SECRET) && !err.contains(SECRET),
                "{log_type} {target} steps: the key leaked"
            );
        }
    }
}

#[test]
fn bad_concentrator_input_is_a_one_line_error_with_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["feed", "all", "--emit", "rsyslog", "--listen", "localhost:514"],
            "--listen `localhost:514` is not ADDR:PORT (its address is not an IP address: rsyslog listens on an \
             address, not a host name), e.g. 0.0.0.0:514",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--listen", "0.0.0.0"],
            "--listen `0.0.0.0` is not ADDR:PORT (it has no `:PORT`), e.g. 0.0.0.0:514",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--listen", "0.0.0.0:70000"],
            "--listen `0.0.0.0:70000` is not ADDR:PORT (its port is not a number from 1 to 65535), e.g. \
             0.0.0.0:514",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--listen", ":::514"],
            "--listen `:::514` is not ADDR:PORT (an IPv6 address goes in brackets, as [::]:514), e.g. 0.0.0.0:514",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--listen", "0.0.0.0:0"],
            "--listen `0.0.0.0:0` has port 0: a port is a number from 1 to 65535",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--intake-port", "70000"],
            "invalid value '70000' for '--intake-port <PORT>': 70000 is not in 1..=65535; try 'nssgen feed --help'",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--target", "cloud-nss"],
            "--emit rsyslog configures the concentrator NSS VM feeds send to (--target nss or nss-rfc5424); Cloud \
             NSS needs no concentrator: Zscaler's cloud posts each batch over HTTPS straight to the intake \
             (--emit steps, terraform or zia-api with --target cloud-nss)",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--ca-file", "/nonexistent/ca.pem"],
            "--ca-file `/nonexistent/ca.pem`: No such file or directory (os error 2)",
        ),
        (&["feed", "all", "--emit", "rsyslog", "--ca-file", "/"], "--ca-file `/` is not a file"),
        (
            &["feed", "all", "--emit", "rsyslog", "--work-dir", "/var/spool/\"x"],
            "--work-dir `/var/spool/\"x` has `\"`, which the configuration and the commands in its comments cannot \
             carry as is: choose a path without it",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--work-dir", "/x; rm -rf ~"],
            "--work-dir `/x; rm -rf ~` has `;`, which the configuration and the commands in its comments cannot \
             carry as is: choose a path without it",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--intake-host", "intake sekoia.io"],
            "--intake-host `intake sekoia.io` is not a host name (labels of letters, digits, `-`, `_`, joined by \
             `.`) or an IP address",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--intake-host", "intake.sekoia.io:10514"],
            "--intake-host `intake.sekoia.io:10514` holds a port: give it with --intake-port 10514",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--intake-host", "::::"],
            "--intake-host `::::` is not an IP address (IPv6 without brackets)",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--intake-host=-intake.sekoia.io"],
            "--intake-host `-intake.sekoia.io` is not a host name (labels of letters, digits, `-`, `_`, joined by \
             `.`) or an IP address",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--listen", "[fe80::1%2]:514"],
            "--listen `[fe80::1%2]:514` has a zone index, which rsyslog's listener cannot take: give an address \
             without `%`",
        ),
        (
            &["feed", "web", "--emit", "rsyslog", "--name", "Concentrator"],
            "--name names an Admin Portal feed; the concentrator has no name to give",
        ),
        (
            &["feed", "web", "--emit", "rsyslog", "--intake-url", "https://intake.sekoia.io/plain/batch"],
            "--intake-url is a Cloud NSS feed's; the concentrator forwards to --intake-host and --intake-port",
        ),
        (
            &["feed", "web", "--ca-file", "/nonexistent/ca.pem"],
            "--ca-file configures the rsyslog concentrator: it applies to --emit rsyslog only",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--intake-key-env", "KEY=x"],
            "--intake-key-env `KEY=x` is not an environment variable name (letters, digits, `_`)",
        ),
        (
            &["feed", "all", "--emit", "rsyslog", "--siem-host", "10.0.0.5", "--siem-port", "514"],
            "the concentrator listens at --listen ADDR:PORT; --siem-host and --siem-port are for --emit steps",
        ),
        (
            &["feed", "web", "--intake-host", "intake.sekoia.io"],
            "--intake-host configures the rsyslog concentrator: it applies to --emit rsyslog only",
        ),
        (
            &["feed", "web", "--emit", "terraform", "--listen", "0.0.0.0:514"],
            "--listen is where the concentrator listens: it applies to --emit rsyslog, and to --emit steps for NSS \
             VM feeds (--target nss or nss-rfc5424), which send there",
        ),
        (
            &["feed", "web", "--listen", "10.0.0.5:514", "--siem-host", "10.0.0.5", "--siem-port", "514"],
            "--listen and --siem-host/--siem-port both say where NSS sends: give one of them",
        ),
        (
            &["feed", "all", "--emit", "terraform"],
            "`all` prints --emit steps or rsyslog; a Terraform configuration is one feed: run `nssgen feed \
             <LOG_TYPE> --emit terraform` for each log type (see `nssgen list`)",
        ),
        (
            &["feed", "al", "--emit", "rsyslog"],
            "profile `sekoia` has no feed for log type `al`: did you mean `all`? (valid: web, firewall, dns, \
             tunnel, tunnel-ike-phase1, tunnel-ike-phase2, admin-audit, saas-security, saas-security-activity, all)",
        ),
        (
            &["feed", "all", "--name", "Everything"],
            "--name names one feed; `all` configures one per log type, each named after it",
        ),
    ];
    for (args, expected) in cases {
        assert_usage_error(args, &format!("error: {expected}\n"));
    }
}
