//! `nssgen sample` by default prints what NSS sends for ordinary values, so the JSON body of
//! every line is valid JSON; `--hostile` adds the values that break it, as NSS prints them.

use nssgen_catalog::Target;
use nssgen_tests::{nssgen, nssgen_with_input, sekoia_log_types, summary};

/// `nssgen sample ARGS`, which must succeed.
fn sample(args: &[&str]) -> String {
    let args: Vec<&str> = std::iter::once("sample").chain(args.iter().copied()).collect();
    let (code, out, err) = nssgen(&args);
    assert_eq!((code, err.as_str()), (0, ""), "nssgen {args:?}");
    out
}

/// The JSON body of a line: the whole line for Cloud NSS, from the first `{` behind a syslog
/// header.
fn body(line: &str, target: Target) -> &str {
    match target {
        Target::CloudNss => line,
        _ => &line[line.find('{').unwrap_or_else(|| panic!("no JSON body in {line}"))..],
    }
}

fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok()
}

#[test]
fn default_lines_of_every_sekoia_log_type_and_target_are_valid_json_and_parse() {
    for log_type in sekoia_log_types() {
        for target in Target::ALL {
            let lines = sample(&[log_type, "--target", target.id(), "-n", "500"]);
            assert_eq!(lines.lines().count(), 500, "{log_type} {target}");
            for (n, line) in lines.lines().enumerate() {
                let json = body(line, target);
                if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
                    panic!("{log_type} {target} line {}: not JSON ({e}):\n{line}", n + 1);
                }
            }
            let (code, _, err) =
                nssgen_with_input(&["parse", log_type, "--target", target.id(), "-"], lines.as_bytes());
            assert_eq!((code, err), (0, summary(500, 0, 0)), "{log_type} {target}");
        }
    }
}

#[test]
fn hostile_lines_include_invalid_json_and_still_parse() {
    let hostile = sample(&["web", "--target", "cloud-nss", "-n", "500", "--hostile"]);
    assert_eq!(hostile.lines().count(), 500);
    assert!(hostile.lines().any(|l| !is_json(l)), "no line breaks JSON with --hostile");
    let (code, _, err) = nssgen_with_input(&["parse", "web", "--target", "cloud-nss"], hostile.as_bytes());
    assert_eq!((code, err), (0, summary(500, 0, 0)));
    // Each mode keeps its lines for a seed.
    for extra in [&[][..], &["--hostile"][..]] {
        let args = |seed| [&["web", "-n", "50", "--seed", seed][..], extra].concat();
        assert_eq!(sample(&args("4")), sample(&args("4")), "{extra:?}");
        assert_ne!(sample(&args("4")), sample(&args("5")), "{extra:?}");
    }
}

#[test]
fn sample_help_documents_hostile() {
    let (code, out, _) = nssgen(&["sample", "--help"]);
    assert_eq!(code, 0);
    let flag = out.find("--hostile").unwrap_or_else(|| panic!("no --hostile in:\n{out}"));
    // What it adds and what it costs: lines that are no longer valid JSON.
    assert!(out[flag..].contains("JSON"), "{out}");
}
