//! The checked source before parsing: characters PDFs substitute for ASCII, replaced so the
//! grammar and the other rules see what was meant, and a map from the repaired text back to
//! the bytes the user wrote.

use nssgen_syntax::Span;

use crate::diagnostic::{Diagnostic, Rule, Severity};

/// A character that PDFs and word processors substitute for an ASCII one, and that ASCII.
fn ascii_for(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}' => {
            ("\"", "typographic double quote")
        }
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{FF07}' => {
            ("'", "typographic single quote")
        }
        '\u{00A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}' | '\u{2002}' | '\u{2003}' => ("", "special space"),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => ("-", "dash"),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
            ("", "invisible character")
        }
        '\u{2026}' => ("...", "ellipsis"),
        '\u{FF05}' => ("%", "full-width percent sign"),
        '\u{FF5B}' => ("{", "full-width brace"),
        '\u{FF5D}' => ("}", "full-width brace"),
        _ => return None,
    })
}

/// One replacement: where it was in the original and where it is in the repaired text.
#[derive(Clone, Copy, Debug)]
struct Edit {
    original: Span,
    repaired: Span,
}

/// The source with typographic substitutes replaced, and the way back.
#[derive(Debug)]
pub(crate) struct Repaired {
    /// The repaired bytes, what the grammar parses.
    pub(crate) bytes: Vec<u8>,
    edits: Vec<Edit>,
}

impl Repaired {
    /// Scans `text` (the source with invalid UTF-8 as `?`, offsets those of `bytes`), reports
    /// each substitute and returns the repaired bytes.
    pub(crate) fn new(bytes: &[u8], text: &str, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let mut out = Vec::with_capacity(bytes.len());
        let mut edits = Vec::new();
        let mut copied = 0;
        // The last `{` and `}` before the character, and the first `%`, kept up to date as the
        // scan goes: looking them up from the start at every substitute would be quadratic.
        let (mut last_open, mut last_close, mut first_percent) = (None, None, None);
        for (offset, c) in text.char_indices() {
            match c {
                '{' => last_open = Some(offset),
                '}' => last_close = Some(offset),
                '%' => {
                    first_percent.get_or_insert(offset);
                }
                _ => {}
            }
            let Some((ascii, what)) = ascii_for(c) else { continue };
            // Spaces become a plain space; `ascii_for` gives "" only to mark them as such.
            let ascii = if what == "special space" { " " } else { ascii };
            // Inside a field name (`%s{“url”}`) no quote was meant: drop it.
            let in_name = last_open.is_some_and(|o: usize| {
                last_close.is_none_or(|c| c < o)
                    && text[..o].ends_with(['s', 'd', 'u', 'x'])
                    && first_percent.is_some_and(|p| p < o)
            });
            let ascii = if in_name && what.contains("quote") { "" } else { ascii };
            let original = Span::new(offset, offset + c.len_utf8());
            out.extend_from_slice(&bytes[copied..offset]);
            let start = out.len();
            out.extend_from_slice(ascii.as_bytes());
            edits.push(Edit { original, repaired: Span::new(start, out.len()) });
            copied = original.end;
            let shown =
                if ascii.is_empty() { "delete it".to_owned() } else { format!("replace it with `{ascii}`") };
            let message = format!(
                "{what} `{}` (U+{:04X}) where NSS needs ASCII: {shown}",
                c.escape_debug(),
                u32::from(c)
            );
            diagnostics.push(
                Diagnostic::new(Rule::Typographic, Severity::Error, Some(original), message)
                    .label("copied from a PDF or a word processor?")
                    .fix(original, ascii),
            );
        }
        out.extend_from_slice(&bytes[copied.min(bytes.len())..]);
        Repaired { bytes: out, edits }
    }

    /// Whether the repaired text differs from the original.
    pub(crate) fn changed(&self) -> bool {
        !self.edits.is_empty()
    }

    /// A span of the repaired text as a span of the original.
    pub(crate) fn span(&self, span: Span) -> Span {
        let start = self.offset(span.start, false);
        let end = self.offset(span.end, true).max(start);
        Span::new(start, end)
    }

    fn offset(&self, at: usize, is_end: bool) -> usize {
        // Edits are in order and disjoint: the first one the walk below would stop at is found
        // by binary search (a binary file holds as many edits as errors).
        let first =
            self.edits.partition_point(|e| !(at < e.repaired.end || (at == e.repaired.start && !is_end)));
        if let Some(e) = self.edits.get(first) {
            if at > e.repaired.start {
                return if is_end { e.original.end } else { e.original.start };
            }
        }
        let delta = first
            .checked_sub(1)
            .map_or(0, |i| self.edits[i].original.end as isize - self.edits[i].repaired.end as isize);
        at.saturating_add_signed(delta)
    }

    /// Whether `span` of the original overlaps a replaced character.
    pub(crate) fn overlaps_replaced(&self, span: Span) -> bool {
        let end = span.end.max(span.start + 1);
        let i = self.edits.partition_point(|e| e.original.end <= span.start);
        self.edits.get(i).is_some_and(|e| e.original.start < end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_the_repaired_text_map_back_to_the_original() {
        let text = "a\u{201C}b\u{200B}c%s{x}";
        let mut diagnostics = Vec::new();
        let r = Repaired::new(text.as_bytes(), text, &mut diagnostics);
        assert_eq!(String::from_utf8_lossy(&r.bytes), "a\"bc%s{x}");
        assert_eq!(diagnostics.len(), 2);
        // `%s{x}` is at 4..9 repaired, 9..14 original (`“` is 3 bytes for 1, the ZWSP 3 for 0).
        assert_eq!(r.span(Span::new(4, 9)), Span::new(9, 14));
        // The replaced quote maps to the whole original character.
        assert_eq!(r.span(Span::new(1, 2)), Span::new(1, 4));
        assert_eq!(r.span(Span::new(0, 1)), Span::new(0, 1));
    }
}
