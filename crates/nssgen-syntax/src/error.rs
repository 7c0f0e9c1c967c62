//! Parse errors: what is wrong in a format, where (byte span, line, column), and how to show it.

use std::fmt;

use annotate_snippets::{Level, Renderer};
use serde::Serialize;

use crate::ast::Span;
use crate::lines::{LineIndex, ShownPerKind};

/// What kind of mistake a [`SyntaxError`] reports: one variant per mistake, so tools can react to
/// a kind without matching message text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bytes that are not UTF-8 (only from [`parse_bytes`](crate::parse_bytes)).
    InvalidUtf8,
    /// A conversion NSS does not accept: `%f{x}`, `%ls{x}`, `%j{x}`.
    UnknownConversion,
    /// No conversion between `%` (and its flags and width) and `{`: `%{x}`, `%02{dd}`.
    MissingConversion,
    /// A printf precision, which NSS does not support: the `.2` in `%5.2f{x}`.
    UnsupportedPrecision,
    /// A width over [`MAX_WIDTH`](crate::MAX_WIDTH): `%99999999999d{x}`, `%5000d{x}`.
    WidthTooLarge,
    /// Nothing between the braces: `%s{}`.
    EmptyName,
    /// A name that does not end with `}`: `%s{abc` at the end of the line or input.
    UnclosedSpec,
    /// A name with characters other than ASCII letters, digits and `_`: `%s{a b}`, `%s{“x”}`.
    InvalidName,
    /// A complete conversion with no `{name}` after it: `%02s`.
    MissingName,
    /// A `%` that starts no spec and is not `%%`: `100%`, `% of`.
    LonePercent,
    /// An unescaped `{` or `}` outside a spec (literal braces are written `\{` `\}`).
    StrayBrace,
    /// The grammar failed to match, which it is built never to do; reported rather than panicking.
    Internal,
}

impl ErrorKind {
    /// A stable kebab-case code for the kind (`"unknown-conversion"`), for JSON output and tests.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidUtf8 => "invalid-utf8",
            ErrorKind::UnknownConversion => "unknown-conversion",
            ErrorKind::MissingConversion => "missing-conversion",
            ErrorKind::UnsupportedPrecision => "unsupported-precision",
            ErrorKind::WidthTooLarge => "width-too-large",
            ErrorKind::EmptyName => "empty-name",
            ErrorKind::UnclosedSpec => "unclosed-spec",
            ErrorKind::InvalidName => "invalid-name",
            ErrorKind::MissingName => "missing-name",
            ErrorKind::LonePercent => "lone-percent",
            ErrorKind::StrayBrace => "stray-brace",
            ErrorKind::Internal => "internal",
        }
    }

    /// A short label for the caret line of a rendered snippet (the full message is the title).
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::InvalidUtf8 => "not UTF-8",
            ErrorKind::UnknownConversion => "unknown conversion",
            ErrorKind::MissingConversion => "no conversion before `{`",
            ErrorKind::UnsupportedPrecision => "precision is not supported",
            ErrorKind::WidthTooLarge => "width too large",
            ErrorKind::EmptyName => "empty field name",
            ErrorKind::UnclosedSpec => "no closing `}`",
            ErrorKind::InvalidName => "not a field name",
            ErrorKind::MissingName => "no `{name}` after the conversion",
            ErrorKind::LonePercent => "starts no field spec",
            ErrorKind::StrayBrace => "unescaped brace",
            ErrorKind::Internal => "parser failure",
        }
    }
}

/// The kind's [`code`](ErrorKind::code). A kind names a mistake and carries no message (the
/// [`SyntaxError`] of it does), so it is not an error type of its own.
impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One mistake in a format, at an exact place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct SyntaxError {
    /// What is wrong.
    pub kind: ErrorKind,
    /// The bytes at fault, in the source that was parsed.
    pub span: Span,
    /// Line of `span.start`, 1-based.
    pub line: usize,
    /// Column of `span.start`, 1-based, counted in characters (not bytes).
    pub column: usize,
    /// What is wrong and why, in one sentence, often with the fix.
    pub message: String,
}

impl SyntaxError {
    /// An error at `span`; its line and column are filled in by [`SyntaxErrors::from_vec`],
    /// from one index of the source for all errors.
    pub(crate) fn new(kind: ErrorKind, span: Span, message: String) -> Self {
        SyntaxError { kind, span, line: 0, column: 0, message }
    }
}

/// Every mistake found in one format, in source order. Never empty.
///
/// Its message is every error's, one a line: the errors are its whole content, not causes of a
/// failure of its own, so it has no [`source`](std::error::Error::source).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(transparent)]
#[error("{}", errors.iter().map(SyntaxError::to_string).collect::<Vec<_>>().join("\n"))]
pub struct SyntaxErrors {
    errors: Vec<SyntaxError>,
}

impl SyntaxErrors {
    /// Wraps the collected errors of `source`, sorted by position. An empty list (a parser bug)
    /// becomes one internal error, which keeps the "never empty" promise in one place.
    pub(crate) fn from_vec(mut errors: Vec<SyntaxError>, source: &str) -> Self {
        if errors.is_empty() {
            let message = "internal parser error (please report): a failed parse reported no error";
            errors.push(SyntaxError::new(ErrorKind::Internal, Span::new(0, 0), message.to_owned()));
        }
        // Stable, so two errors at one place keep the order the walker found them in.
        errors.sort_by_key(|e| (e.span.start, e.span.end));
        let index = LineIndex::new(source);
        for error in &mut errors {
            (error.line, error.column) = index.line_col(error.span.start);
        }
        SyntaxErrors { errors }
    }

    /// The errors, in source order.
    pub fn iter(&self) -> std::slice::Iter<'_, SyntaxError> {
        self.errors.iter()
    }

    /// Number of errors (at least one).
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Always `false`: a `SyntaxErrors` holds at least one error. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors as a vector, in source order.
    pub fn into_vec(self) -> Vec<SyntaxError> {
        self.errors
    }

    /// Renders the errors rustc-style: the message, `origin:line:column`, the source line and a
    /// caret under the characters at fault. `source` must be the text that was parsed; `origin`
    /// names it (a file path, `<stdin>`). Plain text, no colour; errors are separated by a blank
    /// line. At most [`SHOWN_PER_KIND`](crate::SHOWN_PER_KIND) errors of each kind are shown; a
    /// last line says how many more there are.
    pub fn render(&self, source: &str, origin: &str) -> String {
        let renderer = Renderer::plain();
        let index = LineIndex::new(source);
        let mut shown = ShownPerKind::default();
        let mut rendered: Vec<String> = self
            .errors
            .iter()
            .filter(|error| shown.show(error.kind))
            .map(|error| {
                let excerpt = index.excerpt(error.span);
                let snippet = excerpt.snippet(origin, Some(error.kind.label()));
                let group = Level::ERROR.primary_title(error.message.as_str()).element(snippet);
                excerpt.located(renderer.render(&[group]), origin)
            })
            .collect();
        let hidden: Vec<String> =
            shown.hidden().map(|(kind, n)| format!("{n} more `{kind}` error{}", plural(n))).collect();
        if !hidden.is_empty() {
            rendered.push(format!("{origin}: {} not shown", hidden.join(", ")));
        }
        rendered.join("\n\n")
    }

    /// Like [`render`](Self::render) for errors from [`parse_bytes`](crate::parse_bytes): the
    /// source is shown with each byte that is not UTF-8 replaced by `?`, exactly the text the
    /// spans, lines and columns were computed on.
    pub fn render_bytes(&self, source: &[u8], origin: &str) -> String {
        self.render(&crate::utf8_placeholders(source).0, origin)
    }
}

impl IntoIterator for SyntaxErrors {
    type Item = SyntaxError;
    type IntoIter = std::vec::IntoIter<SyntaxError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl<'a> IntoIterator for &'a SyntaxErrors {
    type Item = &'a SyntaxError;
    type IntoIter = std::slice::Iter<'a, SyntaxError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
