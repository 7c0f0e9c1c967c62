//! Rustc-style rendering of a report with annotate-snippets.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::{Report, Severity};

/// Every finding as a snippet, separated by blank lines, then a summary line.
pub(crate) fn render(report: &Report, origin: &str) -> String {
    let renderer = Renderer::plain();
    let source = report.source.as_str();
    let mut parts = Vec::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let title = level.primary_title(d.message.as_str()).id(d.rule.code());
        let mut group: Group<'_> = match d.span {
            Some(span) => {
                let range = clamp(source, span.start, span.end);
                let label = if d.label.is_empty() { None } else { Some(d.label.as_str()) };
                title.element(
                    Snippet::source(source)
                        .path(origin)
                        .annotation(AnnotationKind::Primary.span(range).label(label)),
                )
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
        parts.push(renderer.render(&[group]));
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

/// A span cut to char boundaries inside `source`, so a bad span renders instead of panicking.
fn clamp(source: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    let mut start = start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}
