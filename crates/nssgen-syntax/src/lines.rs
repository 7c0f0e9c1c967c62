//! Byte offsets to lines and columns through a table built once per source, and the excerpt of
//! a source that a diagnostic shows: so that reporting every mistake of a large format costs
//! one pass over it, not one pass per mistake.

use std::ops::Range;

use crate::ast::Span;

/// Bytes per block of the character-count table: a column costs at most this many byte reads.
const BLOCK: usize = 256;

/// A line longer than this is cut around the span when shown: rendering a snippet reads every
/// character of its lines, and a format pasted as one 10 MB line must not cost 10 MB per finding.
const MAX_SHOWN_LINE: usize = 8 * 1024;

/// How much of a cut line is kept on each side of the span (more than a terminal shows, so
/// the renderer's own trimming decides what is visible).
const CUT_CONTEXT: usize = 512;

/// Line starts and character counts of one source, for any number of line and column look-ups.
///
/// ```
/// let index = nssgen_syntax::LineIndex::new("ab\ncé%");
/// assert_eq!(index.line_col(6), (2, 3));
/// assert_eq!(index.line_col(6), nssgen_syntax::line_col("ab\ncé%", 6));
/// ```
#[derive(Clone, Debug)]
pub struct LineIndex<'s> {
    source: &'s str,
    /// Byte offset where each line starts; the first is 0.
    line_starts: Vec<usize>,
    /// For each block, the characters that start before it.
    chars_before_block: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    /// Indexes `source` in one pass.
    pub fn new(source: &'s str) -> Self {
        let bytes = source.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i + 1));
        let mut chars_before_block = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut chars = 0;
        for block in bytes.chunks(BLOCK) {
            chars_before_block.push(chars);
            chars += starts_of_chars(block);
        }
        chars_before_block.push(chars);
        LineIndex { source, line_starts, chars_before_block }
    }

    /// The source this index was built on.
    pub fn source(&self) -> &'s str {
        self.source
    }

    /// The 1-based line and column (in characters) of `byte_offset`, as [`line_col`] gives it.
    pub fn line_col(&self, byte_offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.source, byte_offset);
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        (line, self.chars_before(offset) - self.chars_before(start) + 1)
    }

    /// The characters that start before `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        self.chars_before_block[block] + starts_of_chars(&self.source.as_bytes()[block * BLOCK..offset])
    }

    /// The whole lines under `span` (without the last line's line break), or, when they are
    /// longer than a snippet can show cheaply, the part of them around the span.
    pub fn excerpt(&self, span: Span) -> Excerpt<'s> {
        let range = clamp(self.source, span);
        let (line, column) = self.line_col(range.start);
        let first = self.line_starts[line - 1];
        let last_line = self.line_starts.partition_point(|&start| start <= range.end.max(range.start));
        let mut end =
            self.line_starts.get(last_line).map_or(self.source.len(), |&next| next - 1).max(range.end);
        // A CRLF line ends before its `\r`, as renderers show it.
        if end > range.end
            && self.source.as_bytes().get(end) == Some(&b'\n')
            && self.source[..end].ends_with('\r')
        {
            end -= 1;
        }
        if end - first <= MAX_SHOWN_LINE {
            return Excerpt {
                text: &self.source[first..end],
                line,
                column,
                span: range.start - first..range.end - first,
                cut: false,
            };
        }
        let from = floor_char_boundary(self.source, range.start.saturating_sub(CUT_CONTEXT).max(first));
        let shown_end = range.end.min(range.start + MAX_SHOWN_LINE);
        let mut to = (shown_end + CUT_CONTEXT).min(end);
        while !self.source.is_char_boundary(to) {
            to += 1;
        }
        let to = to.max(shown_end);
        let mut span_end = shown_end;
        while !self.source.is_char_boundary(span_end) {
            span_end += 1;
        }
        Excerpt {
            text: &self.source[from..to],
            line,
            column,
            span: range.start - from..span_end.min(to) - from,
            cut: from != first,
        }
    }
}

/// The part of a source a diagnostic shows: whole lines, or a cut of one very long line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt<'s> {
    /// The text to show.
    pub text: &'s str,
    /// The 1-based line where `text` starts.
    pub line: usize,
    /// The 1-based column (in characters) of the span's start in the source.
    pub column: usize,
    /// The span, as a byte range of `text`.
    pub span: Range<usize>,
    /// Whether `text` starts after the start of its line: a renderer then counts columns from
    /// the wrong place and must be told the real `column` (see [`Excerpt::located`]).
    pub cut: bool,
}

impl<'s> Excerpt<'s> {
    /// The snippet that shows this excerpt with `label` under the span, for a group of
    /// annotate-snippets; render it, then pass the text through [`located`](Self::located).
    pub fn snippet<'a>(
        &self,
        origin: &'a str,
        label: Option<&'a str>,
    ) -> annotate_snippets::Snippet<'a, annotate_snippets::Annotation<'a>>
    where
        's: 'a,
    {
        // A cut is rendered without a path: `located` puts the true location back.
        annotate_snippets::Snippet::source(self.text)
            .line_start(self.line)
            .path((!self.cut).then_some(origin))
            .annotation(annotate_snippets::AnnotationKind::Primary.span(self.span.clone()).label(label))
    }

    /// The rendered text of a group holding [`snippet`](Self::snippet): unchanged for whole
    /// lines; for a [`cut`](Self::cut), with the ` --> origin:line:column` line put right after
    /// the title, where the renderer would have put it. (annotate-snippets counts columns from
    /// the start of the text it was given, which for a cut is inside the line.)
    pub fn located(&self, rendered: String, origin: &str) -> String {
        if !self.cut {
            return rendered;
        }
        let last_line = self.line + self.text.bytes().filter(|&b| b == b'\n').count();
        let gutter = last_line.to_string().len();
        let location = format!("{:gutter$}--> {origin}:{}:{}", "", self.line, self.column);
        match rendered.split_once('\n') {
            Some((title, rest)) => format!("{title}\n{location}\n{rest}"),
            None => format!("{rendered}\n{location}"),
        }
    }
}

/// How many findings of one kind a rendering shows: a binary file or a pasted megabyte makes
/// hundreds of thousands of the same mistake, and past a screenful they say nothing new.
pub const SHOWN_PER_KIND: usize = 20;

/// Decides, finding by finding, which ones a rendering shows ([`SHOWN_PER_KIND`] of each kind)
/// and counts the rest, so the reader is told how many were left out.
#[derive(Clone, Debug)]
pub struct ShownPerKind<K> {
    counts: std::collections::BTreeMap<K, usize>,
}

impl<K: Ord + Copy> Default for ShownPerKind<K> {
    fn default() -> Self {
        ShownPerKind { counts: std::collections::BTreeMap::new() }
    }
}

impl<K: Ord + Copy> ShownPerKind<K> {
    /// Counts one finding of `kind`; says whether it is shown.
    pub fn show(&mut self, kind: K) -> bool {
        let count = self.counts.entry(kind).or_insert(0);
        *count += 1;
        *count <= SHOWN_PER_KIND
    }

    /// Each kind with findings left out, and how many, in kind order.
    pub fn hidden(&self) -> impl Iterator<Item = (K, usize)> + '_ {
        self.counts.iter().filter(|(_, &n)| n > SHOWN_PER_KIND).map(|(&k, &n)| (k, n - SHOWN_PER_KIND))
    }
}

/// The number of characters that start in `bytes` (its bytes that are not UTF-8 continuations).
fn starts_of_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// The 1-based line and column (in characters) of `byte_offset` in `source`.
///
/// Lines end at `\n`. An offset past the end is taken as the end, and one inside a multi-byte
/// character as that character's start, so any offset gives an answer. For many look-ups in
/// one source, build a [`LineIndex`] once.
///
/// ```
/// assert_eq!(nssgen_syntax::line_col("ab\ncé%", 6), (2, 3));
/// ```
pub fn line_col(source: &str, byte_offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, byte_offset);
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The largest char boundary at or before `offset`, clamped to the source.
pub(crate) fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `span` cut to char boundaries inside `source`: any span must render, not panic.
pub(crate) fn clamp(source: &str, span: Span) -> Range<usize> {
    let start = floor_char_boundary(source, span.start);
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_agrees_with_the_one_off_function_on_every_offset() {
        let sources = [
            "",
            "a",
            "ab\ncé%\n\n中文x\ny",
            &"é".repeat(300),
            &format!("{}\n{}", "x".repeat(700), "€".repeat(200)),
        ];
        for source in sources {
            let index = LineIndex::new(source);
            for offset in 0..=source.len() + 2 {
                assert_eq!(index.line_col(offset), line_col(source, offset), "{source:?} at {offset}");
            }
        }
    }

    #[test]
    fn an_excerpt_is_the_lines_under_the_span() {
        let source = "one\ntwo %f{x} two\nthree";
        let index = LineIndex::new(source);
        let e = index.excerpt(Span::new(8, 13));
        assert_eq!((e.text, e.line, e.column, e.span.clone(), e.cut), ("two %f{x} two", 2, 5, 4..9, false));
        let e = index.excerpt(Span::new(2, 6));
        assert_eq!((e.text, e.line, e.span.clone()), ("one\ntwo %f{x} two", 1, 2..6));
        let crlf = LineIndex::new("a\r\nb %f{x}\r\n");
        assert_eq!(crlf.excerpt(Span::new(5, 10)).text, "b %f{x}");
        let e = index.excerpt(Span::new(99, 99));
        assert_eq!((e.text, e.line, e.column, e.span.clone()), ("three", 3, 6, 5..5));
    }

    #[test]
    fn a_very_long_line_is_cut_around_the_span_and_keeps_its_true_column() {
        let source = format!("{}%f{{x}}{}", "é".repeat(20_000), "b".repeat(20_000));
        let index = LineIndex::new(&source);
        let start = "é".len() * 20_000;
        let e = index.excerpt(Span::new(start, start + 5));
        assert!(e.cut);
        assert!(e.text.len() <= 2 * CUT_CONTEXT + 8, "{}", e.text.len());
        assert_eq!(&e.text[e.span.clone()], "%f{x}");
        assert_eq!((e.line, e.column), (1, 20_001));
        let shown = e.located("error: x\n  |\n1 | ...".to_owned(), "f.txt");
        assert_eq!(shown, "error: x\n --> f.txt:1:20001\n  |\n1 | ...");
    }
}
