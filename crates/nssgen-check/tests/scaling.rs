//! Hang guards for `check` on large pathological formats: every shape that was once quadratic
//! (one pass over the source per finding, a linear search per byte) must finish. Speed figures
//! live in `cargo xtask bench --suite formats`; these only catch a return to quadratic time,
//! which turns these inputs from seconds into hours.

use std::sync::mpsc;
use std::time::Duration;

use nssgen_check::{check, Options, Report};

/// 64 KB: before the fix the slowest of these took 45 s in a release build, far more in debug.
const SIZE: usize = 64 * 1024;

/// Ten times what the slowest shape takes in a debug build on a busy machine (under 2 s); the
/// quadratic walks these shapes once triggered take minutes.
const WATCHDOG: Duration = Duration::from_secs(20);

fn repeated(unit: &str) -> Vec<u8> {
    unit.repeat(SIZE / unit.len()).into_bytes()
}

fn shapes() -> Vec<(&'static str, Vec<u8>, Option<&'static str>)> {
    let mut random = Vec::with_capacity(SIZE);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while random.len() < SIZE {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        random.extend_from_slice(&x.to_le_bytes());
    }
    vec![
        ("unclosed specs", repeated("%s{"), None),
        ("stray braces", repeated("{"), None),
        ("lone percents", repeated("% "), None),
        ("typographic quotes", repeated("\u{201C}"), None),
        ("quotes in names", repeated("%s{\u{201C}url\u{201D}}"), None),
        ("precision", repeated("%5.2f{x}"), None),
        ("adjacent fields", repeated("%s{login}"), Some("web")),
        ("unknown fields", repeated("%s{xyzzy}\\t"), Some("web")),
        ("valid fields", repeated("%s{login}\\t"), Some("web")),
        (
            "json keys",
            format!("\\{{{}\"z\":1\\}}", "\"k\":\"%s{login}\",".repeat(SIZE / 18)).into_bytes(),
            Some("web"),
        ),
        // Four times larger: the body's fields once each looked for a sourcetype in every
        // literal, a quadratic walk that only shows past some thousands of fields.
        (
            "json keys, 256 KB",
            format!("\\{{{}\"z\":1\\}}", "\"k\":\"%s{login}\",".repeat(4 * SIZE / 18)).into_bytes(),
            Some("web"),
        ),
        (
            "json keys after a sourcetype",
            format!(
                "\\{{\"sourcetype\":\"zscalernss-web\",\"event\":\\{{{}\"z\":1\\}}\\}}",
                "\"k\":\"%s{login}\",".repeat(SIZE / 18)
            )
            .into_bytes(),
            Some("web"),
        ),
        ("control-character typos", repeated("\\nrecordid"), None),
        ("byte-order marks", repeated("\u{FEFF}"), None),
        ("invalid UTF-8", vec![0xFF; SIZE], None),
        ("random bytes", random, None),
    ]
}

/// Checks and renders in a thread; fails if that takes longer than the watchdog.
fn finish(name: &str, bytes: Vec<u8>, log_type: Option<&str>) -> (Report, String) {
    let (tx, rx) = mpsc::channel();
    let options = Options { log_type: log_type.map(str::to_owned), target: None };
    std::thread::spawn(move || {
        let report = check(&bytes, &options).expect("known log type");
        let rendered = report.render("f.txt");
        let json = report.to_json();
        let _ = report.fixed();
        let _ = tx.send((report, rendered, json));
    });
    let (report, rendered, json) =
        rx.recv_timeout(WATCHDOG).unwrap_or_else(|_| panic!("{name}: check did not finish in {WATCHDOG:?}"));
    let listed = json["diagnostics"].as_array().map_or(0, Vec::len);
    assert_eq!(listed, report.diagnostics.len(), "{name}: --json lists every finding");
    (report, rendered)
}

#[test]
fn large_pathological_formats_are_checked_in_linear_time_and_rendered_in_bounded_output() {
    for (name, bytes, log_type) in shapes() {
        let started = std::time::Instant::now();
        let (report, rendered) = finish(name, bytes, log_type);
        eprintln!("{name}: {:.2} s", started.elapsed().as_secs_f64());
        // Each finding renders in a few lines; 20 of each rule at most, then one note.
        let rules: std::collections::BTreeSet<_> = report.diagnostics.iter().map(|d| d.rule).collect();
        let snippets = rendered.matches("\n\n").count();
        assert!(snippets <= 20 * rules.len() + 2, "{name}: {snippets} snippets for {} rules", rules.len());
        assert!(rendered.len() < 64 * 1024 * rules.len(), "{name}: {} bytes rendered", rendered.len());
        if report.diagnostics.len() > 20 * rules.len() {
            assert!(rendered.contains("not shown"), "{name}: the hidden findings are counted");
        }
    }
}
