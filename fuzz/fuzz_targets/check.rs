//! Fuzz target: any bytes through `nssgen check`, as `check` itself, `--json` and `--fix` use it.
//! Never panics; every span lies inside the source, on character boundaries; the rendering shows
//! at most `SHOWN_PER_KIND` findings of a rule and ends with the summary; the fixed format checks
//! again. The input is checked with no options, then as the log type and target its first byte
//! picks, so the seeds (plain formats) need no header.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use nssgen_catalog::Target;
use nssgen_check::{check, Options, Report, Severity};
use nssgen_syntax::SHOWN_PER_KIND;

/// The options the first byte picks: no log type, `web` or `firewall`, times no target or one of
/// the three (twelve combinations, so every byte value reaches each).
fn options(first: u8) -> Options {
    let log_type = match first % 3 {
        0 => None,
        1 => Some("web".to_owned()),
        _ => Some("firewall".to_owned()),
    };
    let target = match (first / 3) % 4 {
        0 => None,
        n => Some(Target::ALL[usize::from(n) - 1]),
    };
    Options { log_type, target }
}

fn spans_inside(report: &Report, data: &[u8]) {
    let source = &report.source;
    // One `?` per byte that is not UTF-8: the source has the input's length, so spans can be
    // shown against either.
    assert_eq!(source.len(), data.len(), "source length differs from the input's");
    for d in &report.diagnostics {
        let spans = d.span.iter().chain(d.fix.as_ref().map(|f| &f.span));
        for span in spans {
            assert!(span.start <= span.end && span.end <= source.len(), "span outside the source: {d:?}");
            assert!(
                source.is_char_boundary(span.start) && source.is_char_boundary(span.end),
                "span not on character boundaries: {d:?}"
            );
        }
    }
}

/// The rendering: a snippet per finding, at most `SHOWN_PER_KIND` of a rule, a note counting the
/// others, then `origin: E errors, W warnings`.
fn rendering(report: &Report) {
    let text = report.render("f");
    let mut shown: HashMap<&str, usize> = HashMap::new();
    // A snippet's title starts a line (source lines are indented behind the gutter), and a
    // message holds no line break, so these are the snippets.
    for line in text.lines() {
        let rest = ["error[", "warning[", "info["].iter().find_map(|level| line.strip_prefix(level));
        if let Some(code) = rest.and_then(|r| r.split_once("]: ")).map(|(code, _)| code) {
            *shown.entry(code).or_default() += 1;
        }
    }
    let mut found: HashMap<&str, usize> = HashMap::new();
    for d in &report.diagnostics {
        *found.entry(d.rule.code()).or_default() += 1;
    }
    for (code, &n) in &shown {
        assert!(found.contains_key(code), "{n} snippets of {code} rendered, but no such finding");
    }
    for (code, &total) in &found {
        let n = shown.get(code).copied().unwrap_or(0);
        assert!(n <= SHOWN_PER_KIND, "{n} snippets of {code} rendered, at most {SHOWN_PER_KIND} expected");
        assert_eq!(n, total.min(SHOWN_PER_KIND), "{code}: {total} findings, {n} rendered");
    }
    let (e, w) = (report.count(Severity::Error), report.count(Severity::Warning));
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let summary = format!("f: {e} error{}, {w} warning{}\n", plural(e), plural(w));
    assert!(text.ends_with(&summary), "rendering does not end with the summary `{summary}`");
}

fn exercise(data: &[u8], options: &Options) {
    let Ok(report) = check(data, options) else { panic!("known log type refused: {options:?}") };
    spans_inside(&report, data);
    rendering(&report);
    let json = report.to_json();
    let listed = json["diagnostics"].as_array().map_or(0, Vec::len);
    assert_eq!(listed, report.diagnostics.len(), "--json must list every finding");
    let (fixed, applied) = report.fixed();
    assert!(applied.iter().all(|d| d.fix.is_some()));
    // The fixed format is what `--fix` prints: it must check again, whatever it holds. (Its
    // rendering is the rendering above on other findings: skipped, it is most of a run's time.)
    let Ok(again) = check(fixed.as_bytes(), options) else { panic!("known log type refused: {options:?}") };
    spans_inside(&again, fixed.as_bytes());
}

fuzz_target!(|data: &[u8]| {
    exercise(data, &Options::default());
    if let Some(&first) = data.first() {
        let picked = options(first);
        if picked.log_type.is_some() || picked.target.is_some() {
            exercise(data, &picked);
        }
    }
});
