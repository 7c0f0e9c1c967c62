//! What a user of a clap tool expects: completions, a man page, "did you mean" for misspelt
//! values, one-line usage errors (in-process and from the real binary), and progress on
//! stderr only when asked for.

use std::process::{Command, Stdio};
use std::time::Duration;

use nssgen_cli::{run_with_options, Options};

/// Runs `nssgen ARGS` in-process with `stdin` and `options`; returns (exit code, stdout, stderr).
fn run(args: &[&str], stdin: &[u8], options: Options) -> (u8, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("nssgen").chain(args.iter().copied());
    let code = run_with_options(argv, &mut &stdin[..], &mut out, &mut err, options);
    (code, String::from_utf8(out).expect("stdout is UTF-8"), String::from_utf8(err).expect("stderr is UTF-8"))
}

fn nssgen(args: &[&str]) -> (u8, String, String) {
    run(args, b"", Options::default())
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nssgen"))
}

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "elvish", "powershell"];

#[test]
fn completions_for_every_shell_complete_the_subcommands_and_their_flags() {
    for shell in SHELLS {
        let (code, out, err) = nssgen(&["completions", shell]);
        assert_eq!((code, err.as_str()), (0, ""), "{shell}");
        for word in ["format", "sample", "parse", "feed", "check", "completions"] {
            assert!(out.contains(word), "{shell}: no `{word}` in\n{out}");
        }
        // fish spells a long flag `-l target`.
        for flag in ["target", "emit", "format-file"] {
            let named = out.contains(&format!("--{flag}")) || out.contains(&format!("-l {flag}"));
            assert!(named, "{shell}: no --{flag} in\n{out}");
        }
    }
}

#[test]
fn the_man_page_is_roff_for_nssgen_1_and_out_dir_writes_one_page_per_command() {
    let (code, out, err) = nssgen(&["man"]);
    assert_eq!((code, err.as_str()), (0, ""));
    // clap_mangen opens with two string definitions for the apostrophe, then the title.
    let first_macro = out.lines().find(|l| !l.starts_with(".ie") && !l.starts_with(".el")).unwrap();
    assert!(first_macro.starts_with(".TH nssgen 1 "), "{first_macro}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(out.lines().any(|l| l == section), "no {section}");
    }
    assert!(out.contains("nssgen\\-format(1)"), "{out}");

    let dir = std::env::temp_dir().join(format!("nssgen-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dir_arg = dir.to_str().unwrap();
    let (code, out, err) = nssgen(&["man", "--out-dir", dir_arg]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    for page in ["nssgen", "nssgen-format", "nssgen-sample", "nssgen-parse", "nssgen-completions"] {
        let text = std::fs::read_to_string(dir.join(format!("{page}.1"))).unwrap();
        assert!(text.contains(&format!(".TH {page} 1 ")), "{page}");
    }
    std::fs::remove_dir_all(&dir).unwrap();

    let (code, out, err) = nssgen(&["man", "--out-dir", "/nonexistent/nssgen-man"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.starts_with("error: cannot write manual pages into /nonexistent/nssgen-man: "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn misspelt_values_name_the_closest_valid_one_before_the_valid_list() {
    let profile_log_types = "web, firewall, dns, tunnel, tunnel-ike-phase1, tunnel-ike-phase2, admin-audit, \
                             saas-security, saas-security-activity";
    let all_log_types = "web, firewall, dns, tunnel, admin-audit, saas-security, saas-security-activity, \
                         endpoint-dlp, email-dlp, alerts, cbc-session, cbc-dns, cbc-event, cbc-metrics, \
                         tunnel-ike-phase1, tunnel-ike-phase2";
    let targets = "(valid: nss, nss-rfc5424, cloud-nss)";
    let cases: Vec<(&[&str], String)> = vec![
        (
            &["format", "wbe"],
            format!(
                "profile `sekoia` has no format for log type `wbe`: did you mean `web`? (valid: {profile_log_types})"
            ),
        ),
        (
            &["sample", "firewal"],
            format!(
                "profile `sekoia` has no format for log type `firewal`: did you mean `firewall`? \
                 (valid: {profile_log_types})"
            ),
        ),
        (
            &["fields", "tunnel-ike-phase3"],
            format!("unknown log type `tunnel-ike-phase3`: did you mean `tunnel-ike-phase1`? (valid: {all_log_types})"),
        ),
        (
            &["check", "--log-type", "DNS", "-"],
            format!("unknown log type `DNS`: did you mean `dns`? (valid: {all_log_types})"),
        ),
        (&["format", "web", "--target", "cloudnss"], format!("unknown target `cloudnss`: did you mean `cloud-nss`? {targets}")),
        (&["parse", "web", "-t", "nss-rfc5242"], format!("unknown target `nss-rfc5242`: did you mean `nss-rfc5424`? {targets}")),
        (&["feed", "web", "--target", "nsss"], format!("unknown target `nsss`: did you mean `nss`? {targets}")),
        (
            &["sample", "web", "--profile", "sekioa"],
            "unknown profile `sekioa`: did you mean `sekoia`? (valid: sekoia)".to_owned(),
        ),
        (
            &["feed", "web", "--profile", "sekoai"],
            "unknown profile `sekoai`: did you mean `sekoia`? (valid: sekoia)".to_owned(),
        ),
        (
            &["feed", "web", "--emit", "terrafrom"],
            "unknown emitter `terrafrom`: did you mean `terraform`? (valid: steps, terraform, zia-api, rsyslog)".to_owned(),
        ),
        (
            &["feed", "web", "--emit", "zia"],
            "unknown emitter `zia`: did you mean `zia-api`? (valid: steps, terraform, zia-api, rsyslog)".to_owned(),
        ),
        (
            &["completions", "zhs"],
            "invalid value 'zhs' for '<SHELL>': did you mean 'zsh'? (valid: bash, elvish, fish, powershell, zsh)"
                .to_owned(),
        ),
        // Nothing close: the valid list alone, as before.
        (&["format", "web", "--target", "syslog"], format!("unknown target `syslog` {targets}")),
        (&["feed", "web", "--emit", "yaml"], "unknown emitter `yaml` (valid: steps, terraform, zia-api, rsyslog)".to_owned()),
    ];
    for (args, expected) in cases {
        let (code, out, err) = nssgen(args);
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (2, "", format!("error: {expected}\n").as_str()),
            "{args:?}"
        );
    }
}

/// Usage errors of every kind clap knows, each with the one line `nssgen` prints for it.
const USAGE_ERRORS: [(&[&str], &str); 12] = [
    (&["format", "web", "--foo"], "unexpected argument '--foo' found; to pass '--foo' as a value, use '-- --foo'; try 'nssgen format --help'"),
    (&["format", "web", "extra"], "unexpected argument 'extra' found; try 'nssgen format --help'"),
    (&["format", "web", "--tagret", "nss"], "unexpected argument '--tagret' found: did you mean '--target'?"),
    (&["fields", "web", "--jsn"], "unexpected argument '--jsn' found: did you mean '--json'?"),
    (&["format"], "the following required arguments were not provided: <LOG_TYPE>; try 'nssgen format --help'"),
    (&["feed", "web", "--siem-host", "h"], "the following required arguments were not provided: --siem-port <P>; try 'nssgen feed --help'"),
    (&["format", "web", "--target"], "a value is required for '--target <TARGET>' but none was supplied; try 'nssgen format --help'"),
    (&["sample", "web", "-n", "many"], "invalid value 'many' for '--count <N>': invalid digit found in string; try 'nssgen sample --help'"),
    (&["list", "--json", "--json"], "the argument '--json' cannot be used multiple times; try 'nssgen list --help'"),
    (&["fromat", "web"], "unrecognized subcommand 'fromat': did you mean 'format'? (valid: list, format, fields, sample, parse, feed, check, identify, completions, man)"),
    (&["proxy"], "unrecognized subcommand 'proxy' (valid: list, format, fields, sample, parse, feed, check, identify, completions, man); try 'nssgen --help'"),
    (&[], "no command given (valid: list, format, fields, sample, parse, feed, check, identify, completions, man); try 'nssgen --help'"),
];

#[test]
fn every_usage_error_is_one_line_on_stderr_with_exit_2() {
    for (args, expected) in USAGE_ERRORS {
        let (code, out, err) = nssgen(args);
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (2, "", format!("error: {expected}\n").as_str()),
            "{args:?}"
        );
    }
}

#[test]
fn the_real_binary_prints_usage_errors_as_one_line_with_exit_2() {
    for (args, expected) in USAGE_ERRORS {
        let output = binary().args(args).stdin(Stdio::null()).output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert_eq!(stderr, format!("error: {expected}\n"), "{args:?}");
    }
    // Help and version are answers, not errors: stdout, exit 0.
    for args in [&["--help"][..], &["format", "--help"], &["-V"], &["help", "sample"]] {
        let output = binary().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(output.stderr.is_empty(), "{args:?}");
        assert!(!output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn forced_progress_rewrites_a_status_line_on_stderr_and_leaves_stdout_unchanged() {
    let every = Options { progress: Some(Duration::ZERO) };
    let (code, plain, _) = nssgen(&["sample", "web", "-n", "600", "--seed", "3"]);
    assert_eq!(code, 0);
    let (code, out, err) = run(&["sample", "web", "-n", "600", "--seed", "3"], b"", every);
    assert_eq!(code, 0);
    assert_eq!(out, plain);
    let width = "nssgen sample: 512 of 600 lines written (85%)".len();
    assert_eq!(
        err,
        format!(
            "\rnssgen sample: 256 of 600 lines written (42%)\rnssgen sample: 512 of 600 lines written (85%)\r{:width$}\r",
            ""
        )
    );

    // parse: an error line starts on a line of its own, the status line cleared first.
    let mut lines: Vec<&str> = plain.lines().collect();
    lines[299] = "not a web line";
    let input = lines.join("\n") + "\n";
    let (code, parsed, _) = run(&["parse", "web"], input.as_bytes(), Options::default());
    assert_eq!(code, 1);
    let (code, out, err) = run(&["parse", "web"], input.as_bytes(), every);
    assert_eq!(code, 1);
    assert_eq!(out, parsed);
    let status = "nssgen parse: 256 lines read";
    let (before, after) = err.split_once("line 300: ").expect("the failed line is reported");
    assert_eq!(before, format!("\r{status}\r{:width$}\r", "", width = status.len()));
    let (reason, rest) = after.split_once('\n').unwrap();
    assert!(!reason.contains('\r'), "{reason:?}");
    let status = "nssgen parse: 512 lines read";
    let summary = "600 lines: 599 parsed exactly, 0 parsed with drift, 1 rejected\n";
    assert_eq!(rest, format!("\r{status}\r{:width$}\r{summary}", "", width = status.len()));
}

#[test]
fn without_progress_nothing_but_errors_and_the_summary_reaches_stderr() {
    let (code, out, err) = run(&["sample", "web", "-n", "2000"], b"", Options::default());
    assert_eq!((code, err.as_str()), (0, ""));
    let (code, _, err) = run(&["parse", "web"], out.as_bytes(), Options::default());
    assert_eq!(
        (code, err.as_str()),
        (0, "2000 lines: 2000 parsed exactly, 0 parsed with drift, 0 rejected\n")
    );
    // The real binary with stderr a pipe, not a terminal, for longer than a progress interval
    // in a debug build.
    let output = binary().args(["sample", "web", "-n", "2000"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(output.stdout, out.as_bytes());
}
