//! Inputs that used to slip through or get the wrong diagnosis: an empty format file for
//! `sample` and `parse`, nonsense numbers on the command line, intake URLs with a space or
//! another character that needs percent-encoding.

use nssgen_tests::{nssgen, temp_file};

#[test]
fn an_empty_format_file_is_refused_by_sample_and_parse_in_checks_words() {
    for (name, bytes) in [("empty.txt", &b""[..]), ("newline.txt", b"\n"), ("crlf.txt", b"\r\n")] {
        let path = temp_file(name, bytes);
        let expected = format!("error: {}: empty format: NSS would send empty records\n", &*path);
        for command in ["sample", "parse"] {
            let (code, out, err) = nssgen(&[command, "web", "-f", &path]);
            assert_eq!((code, out.as_str(), err.as_str()), (2, "", expected.as_str()), "{command} {name}");
        }
        let (code, out, _) = nssgen(&["check", &path]);
        assert_eq!(code, 1, "check {name}");
        assert!(out.contains("empty format: NSS would send empty records"), "check {name}: {out}");
    }
    // A format of one space is not empty: NSS sends the space.
    let space = temp_file("space.txt", b" \n");
    let (code, out, err) = nssgen(&["sample", "web", "-f", &space, "-n", "2"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, " \n \n", ""));
}

#[test]
fn nonsense_numbers_are_one_line_usage_errors() {
    let host = ["feed", "web", "--siem-host", "10.0.0.5", "--siem-port"];
    let cases: &[(&[&str], &str)] = &[
        (&[&host[..], &["0"]].concat(), "invalid value '0' for '--siem-port <P>': 0 is not in 1..=65535"),
        (
            &[&host[..], &["65536"]].concat(),
            "invalid value '65536' for '--siem-port <P>': 65536 is not in 1..=65535",
        ),
        (&[&host[..], &["-1"]].concat(), "invalid value '-1' for '--siem-port <P>': -1 is not in 1..=65535"),
        (&["sample", "web", "-n", "-1"], "invalid value '-1' for '--count <N>': must be at least 0"),
        (
            &["sample", "web", "-n", "1e6"],
            "invalid value '1e6' for '--count <N>': invalid digit found in string",
        ),
        (&["sample", "web", "--seed", "-3"], "invalid value '-3' for '--seed <SEED>': must be at least 0"),
        (
            &["sample", "web", "--seed", "18446744073709551616"],
            "invalid value '18446744073709551616' for '--seed <SEED>': must be at most 18446744073709551615",
        ),
        (
            &["parse", "web", "--max-line-length", "0"],
            "invalid value '0' for '--max-line-length <BYTES>': must be at least 1",
        ),
        (
            &["parse", "web", "--max-line-length", "-5"],
            "invalid value '-5' for '--max-line-length <BYTES>': must be at least 1",
        ),
    ];
    for (args, message) in cases {
        let (code, out, err) = nssgen(args);
        let command = args[0];
        let expected = format!("error: {message}; try 'nssgen {command} --help'\n");
        assert_eq!((code, out.as_str(), err.as_str()), (2, "", expected.as_str()), "{args:?}");
    }
    for port in ["1", "65535"] {
        let (code, out, err) = nssgen(&[&host[..], &[port]].concat());
        assert_eq!((code, err.as_str()), (0, ""), "--siem-port {port}");
        assert!(out.contains(&format!("SIEM TCP Port: {port}\n")), "--siem-port {port}: {out}");
    }
}

#[test]
fn intake_urls_are_refused_for_what_is_wrong_with_them() {
    let https_only = "Cloud NSS posts only to https:// endpoints";
    let cases = [
        ("https://intake.sekoia.io/plain batch", "has a space in its path, which must be percent-encoded as %20"),
        ("https://intake.sekoia.io/plain\tbatch", "has a tab in its path, which must be percent-encoded as %09"),
        ("https://intake.sekoia.io/p?a=b c", "has a space in its query, which must be percent-encoded as %20"),
        ("https://intake.sekoia.io/a\u{7}b", "has control character U+0007 in its path, which must be percent-encoded as %07"),
        ("https://intake.sekoia.io/a\u{a0}b", "has white space U+00A0 in its path, which must be percent-encoded as %C2%A0"),
        (
            "https://intake.sekoia.io/a%zz",
            "has a `%` without two hexadecimal digits after it in its path; a `%` itself is percent-encoded as %25",
        ),
        (
            "https://intake.sekoia.io/a#b",
            "has a `#` in its path: what follows it is never sent; write it as %23 if it belongs there",
        ),
        ("https://intake sekoia.io/plain", "has a space in its host `intake sekoia.io`"),
        ("https://intake.sekoia.io\n/plain", "has a line break in its host `intake.sekoia.io\n`"),
        ("https://intake.sekoia.io{x}/plain", "has `{` in its host `intake.sekoia.io{x}`"),
        ("https://intake.sekoia.io:0/plain", "has port `0`: a port is a number from 1 to 65535"),
        ("https://intake.sekoia.io:https/plain", "has port `https`: a port is a number from 1 to 65535"),
        ("https://[2001:db8::1/plain", "opens an IPv6 address with `[` and does not close it with `]`"),
        (
            "https://user:key@intake.sekoia.io/plain",
            "holds credentials before `@`: Cloud NSS sends them as HTTP headers, not in the URL",
        ),
        (" https://intake.sekoia.io/plain", "starts or ends with white space"),
        ("https:/intake.sekoia.io/plain", "lacks the `//` after its scheme: write https://host/path"),
        ("https://", "names no host"),
        ("https:///plain", "names no host"),
        ("https://?key=1", "names no host"),
    ];
    for (url, why) in cases {
        let (code, out, err) = nssgen(&["feed", "web", "--emit", "terraform", "--intake-url", url]);
        let expected = format!("error: intake URL `{url}` {why}\n");
        assert_eq!((code, out.as_str(), err.as_str()), (2, "", expected.as_str()), "{url}");
    }
    let (code, _, err) =
        nssgen(&["feed", "web", "--emit", "terraform", "--intake-url", "intake.sekoia.io/plain"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: intake URL `intake.sekoia.io/plain` has no scheme: write `https://intake.sekoia.io/plain`; \
             {https_only}\n"
        )
    );
    for url in [
        "https://intake.sekoia.io/plain%20batch",
        "HTTPS://INTAKE.SEKOIA.IO/plain/batch",
        "https://intake.sekoia.io:8443/plain?tenant=a-b_c~d",
        "https://[2001:db8::1]:443/plain",
        "https://collector_1.example.com/",
        "https://intake.sekoia.io",
        "https://intake.sekoia.io/é?a={b}|c",
    ] {
        let (code, out, err) = nssgen(&["feed", "web", "--emit", "terraform", "--intake-url", url]);
        assert_eq!((code, err.as_str()), (0, ""), "{url}");
        assert!(out.contains(url), "{url}: {out}");
    }
}
