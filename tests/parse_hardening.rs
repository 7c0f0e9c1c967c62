//! `nssgen parse` on input NSS never sends: over-long lines, and lines of another target than
//! the format's.

use nssgen_tests::{nssgen, nssgen_with_input, summary};

/// `n` lines of `log_type` as NSS sends them for `target`.
fn sample(log_type: &str, target: &str, n: u32) -> String {
    let (code, out, err) = nssgen(&["sample", log_type, "--target", target, "-n", &n.to_string()]);
    assert_eq!((code, err.as_str()), (0, ""), "sample {log_type} --target {target}");
    out
}

/// The lines `parse` wrote on stderr that are hints.
fn hints(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("hint: ")).collect()
}

#[test]
fn an_over_long_line_is_reported_and_skipped_and_the_run_goes_on_with_exit_1() {
    let good = sample("web", "nss", 3);
    let good: Vec<&str> = good.lines().collect();
    let max = good.iter().map(|l| l.len()).max().unwrap();
    let input =
        format!("{}\n{}\n{}\n{}\n{}\n", good[0], "a".repeat(max + 1), good[1], "b".repeat(50 * max), good[2]);
    let (code, out, err) =
        nssgen_with_input(&["parse", "web", "--max-line-length", &max.to_string()], input.as_bytes());
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err,
        format!(
            "line 2: longer than the maximum of {max} bytes (--max-line-length); skipped\n\
             line 4: longer than the maximum of {max} bytes (--max-line-length); skipped\n{}",
            summary(3, 0, 2)
        )
    );
    // The three good lines, in order, each one object.
    let (_, expected, _) = nssgen_with_input(&["parse", "web"], good.join("\n").as_bytes());
    assert_eq!(out, expected);
    assert_eq!(out.lines().count(), 3);
}

#[test]
fn a_line_exactly_at_the_limit_parses_and_one_byte_shorter_a_limit_does_not() {
    let line = sample("firewall", "nss", 1);
    let line = line.trim_end_matches('\n');
    let len = line.len();
    // Its line break, `\n` or `\r\n`, does not count.
    for input in [format!("{line}\n"), format!("{line}\r\n"), line.to_owned()] {
        let (code, out, err) = nssgen_with_input(
            &["parse", "firewall", "--max-line-length", &len.to_string()],
            input.as_bytes(),
        );
        assert_eq!((code, err.as_str(), out.lines().count()), (0, summary(1, 0, 0).as_str(), 1), "{input:?}");
        let shorter = (len - 1).to_string();
        let (code, out, err) =
            nssgen_with_input(&["parse", "firewall", "--max-line-length", &shorter], input.as_bytes());
        assert_eq!(code, 1);
        assert_eq!(out, "");
        assert_eq!(
            err,
            format!(
                "line 1: longer than the maximum of {shorter} bytes (--max-line-length); skipped\n{}",
                summary(0, 0, 1)
            )
        );
    }
}

#[test]
fn the_default_limit_is_one_mib_and_documented_in_help() {
    let (code, out, _) = nssgen(&["parse", "--help"]);
    assert_eq!(code, 0);
    let flag = out.find("--max-line-length <BYTES>").expect("the flag is in --help");
    let default = out[flag..].find("[default: 1048576]").expect("its default is in --help");
    // The default is the flag's own, not the next option's.
    assert!(!out[flag..flag + default].contains("\n  -"), "{out}");

    // A line just over 1 MiB fails with the default, one at 1 MiB does not fail for length.
    let over = "x".repeat((1 << 20) + 1);
    let (code, _, err) = nssgen_with_input(&["parse", "web"], over.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "line 1: longer than the maximum of 1048576 bytes (--max-line-length); skipped\n{}",
            summary(0, 0, 1)
        )
    );
    let (_, _, err) = nssgen_with_input(&["parse", "web"], &over.as_bytes()[1..]);
    assert!(!err.contains("--max-line-length"), "{err}");
}

#[test]
fn a_zero_limit_is_a_usage_error() {
    let (code, out, err) = nssgen(&["parse", "web", "--max-line-length", "0"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("--max-line-length"), "{err}");
}

#[test]
fn rfc5424_lines_parsed_without_target_give_the_hint_exactly_once() {
    for log_type in ["web", "firewall", "dns"] {
        let input = sample(log_type, "nss-rfc5424", 50);
        let (_, out, err) = nssgen_with_input(&["parse", log_type], input.as_bytes());
        assert_eq!(
            hints(&err),
            ["hint: line 1 carries an RFC5424 syslog header but the format is for --target nss; \
              these lines look like --target nss-rfc5424"],
            "{log_type}"
        );
        // The hint comes with the run, it does not replace it.
        assert!(!out.is_empty(), "{log_type}");
        // With the right target: exact, no hint.
        let (code, _, err) =
            nssgen_with_input(&["parse", log_type, "--target", "nss-rfc5424"], input.as_bytes());
        assert_eq!((code, err), (0, summary(50, 0, 0)), "{log_type}");
    }
}

#[test]
fn rfc3164_lines_with_the_default_target_give_no_hint() {
    for log_type in nssgen_tests::sekoia_log_types() {
        let input = sample(log_type, "nss", 50);
        let (code, _, err) = nssgen_with_input(&["parse", log_type], input.as_bytes());
        assert_eq!((code, err), (0, summary(50, 0, 0)), "{log_type}");
    }
}

#[test]
fn cloud_nss_bodies_with_the_default_target_give_the_cloud_nss_hint() {
    let input = sample("web", "cloud-nss", 50);
    let (_, _, err) = nssgen_with_input(&["parse", "web"], input.as_bytes());
    assert_eq!(
        hints(&err),
        ["hint: line 1 is a JSON body without a syslog header but the format is for --target nss; \
          these lines look like --target cloud-nss"]
    );
}

#[test]
fn a_wrong_explicit_target_gets_the_hint_too() {
    let input = sample("firewall", "nss", 20);
    let (_, _, err) = nssgen_with_input(&["parse", "firewall", "--target", "cloud-nss"], input.as_bytes());
    assert_eq!(
        hints(&err),
        ["hint: line 1 carries an RFC3164 syslog header but the format is for --target cloud-nss; \
          these lines look like --target nss"]
    );
    // The hint names the first line with another target's header, once.
    let input = format!("{}{}", sample("firewall", "nss", 2), sample("firewall", "nss-rfc5424", 20));
    let (_, _, err) = nssgen_with_input(&["parse", "firewall"], input.as_bytes());
    assert_eq!(hints(&err).len(), 1, "{err}");
    assert!(hints(&err)[0].starts_with("hint: line 3 carries an RFC5424 syslog header"), "{err}");
}
