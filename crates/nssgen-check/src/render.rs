//! Rustc-style rendering of a report with annotate-snippets.

use annotate_snippets::{Group, Level, Renderer};

use nssgen_syntax::{LineIndex, ShownPerKind, SHOWN_PER_KIND};

use crate::{Report, Severity};

/// Every finding as a snippet, separated by blank lines, then a summary line.
pub(crate) fn render(report: &Report, origin: &str) -> String {
    let renderer = Renderer::plain();
    let index = LineIndex::new(&report.source);
    let mut parts = Vec::new();
    let mut shown = ShownPerKind::default();
    for d in report.diagnostics.iter().filter(|d| shown.show(d.rule)) {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let title = level.primary_title(d.message.as_str()).id(d.rule.code());
        let excerpt = d.span.map(|span| index.excerpt(span));
        let mut group: Group<'_> = match &excerpt {
            Some(excerpt) => {
                let label = if d.label.is_empty() { None } else { Some(d.label.as_str()) };
                title.element(excerpt.snippet(origin, label))
            }
            None => Group::with_title(title),
        };
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        if let Some(fix) = &d.fix {
            let shown = if fix.replacement.is_empty() {
                "fix: delete it".to_owned()
            } else {
                format!("fix: replace with `{}`", fix.replacement)
            };
            group = group.element(Level::NOTE.message(shown));
        }
        let text = renderer.render(&[group]);
        parts.push(match &excerpt {
            Some(excerpt) => excerpt.located(text, origin),
            None => text,
        });
    }
    let hidden: Vec<String> = shown.hidden().map(|(rule, n)| format!("{n} more {}", rule.code())).collect();
    if !hidden.is_empty() {
        parts.push(format!(
            "note: {} finding(s) not shown, {} at most of each rule: `--json` lists every one",
            hidden.join(", "),
            SHOWN_PER_KIND
        ));
    }
    let (e, w) = (report.count(Severity::Error), report.count(Severity::Warning));
    parts.push(format!("{origin}: {e} error{}, {w} warning{}", plural(e), plural(w)));
    let mut text = parts.join("\n\n");
    text.push('\n');
    text
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
