//! Parser, typed AST and printer for Zscaler NSS feed output formats.
//!
//! A feed output format is literal text and field specs `%[flags][width]conv{name}`
//! (`%s{eurl}`, `%02d{dd}`, `%llu{recordid}`), with the escapes `\{` `\}` `\t` `\n` `\r` and
//! `%%`. [`parse`] turns one into a [`Format`] whose items carry byte spans; [`print()`] (or
//! `Display`) gives the source back byte for byte. Parsing never panics: a format with mistakes
//! gives [`SyntaxErrors`], every mistake at once, each with its span, line and column, and
//! [`SyntaxErrors::render`] shows them as rustc-style snippets.
//!
//! The grammar is `grammar/nss.pest` at the workspace root, the only one in the project.
//!
//! ```
//! use nssgen_syntax::{parse, print, Conversion, ErrorKind};
//!
//! let source = r#"%02d{hh}:%02d{mm} \{"url":"%s{eurl}","id":%llu{recordid}\}"#;
//! let format = parse(source)?;
//! let names: Vec<&str> = format.fields().map(|f| f.name.as_str()).collect();
//! assert_eq!(names, ["hh", "mm", "eurl", "recordid"]);
//! assert_eq!(format.fields().last().map(|f| f.conv), Some(Conversion::Llu));
//! assert_eq!(format.literals().nth(1).map(|l| l.text.as_str()), Some(r#" {"url":""#));
//! assert_eq!(print(&format), source);
//!
//! let errors = parse("%s{url} %f{x} %s{}").unwrap_err();
//! assert_eq!(errors.len(), 2);
//! assert_eq!(errors.iter().next().map(|e| e.kind), Some(ErrorKind::UnknownConversion));
//! assert_eq!(
//!     errors.to_string(),
//!     "1:10: unknown conversion `f` in `%f{x}`: NSS accepts s, d, u, x, ld, lu, llu\n\
//!      1:17: empty field name in `%s{}`: write the field's name between the braces",
//! );
//! # Ok::<(), nssgen_syntax::SyntaxErrors>(())
//! ```
#![deny(missing_docs)]

pub mod ast;
#[cfg(feature = "grammar")]
mod error;
#[cfg(feature = "grammar")]
mod grammar;
#[cfg(feature = "grammar")]
mod lines;
#[cfg(feature = "grammar")]
mod parser;
pub mod plan;
mod printer;
pub mod shape;
#[cfg(feature = "grammar")]
pub mod suggest;

pub use ast::*;
#[cfg(feature = "grammar")]
pub use error::{ErrorKind, SyntaxError, SyntaxErrors};
#[cfg(feature = "grammar")]
pub use lines::{line_col, Excerpt, LineIndex, ShownPerKind, SHOWN_PER_KIND};
#[cfg(feature = "grammar")]
pub use parser::MAX_WIDTH;
pub use printer::print;

/// Parses a feed output format.
///
/// (Needs the default feature `grammar`.)
///
/// Returns the AST, or every mistake in the format (never an empty list). Never panics.
#[cfg(feature = "grammar")]
pub fn parse(source: &str) -> Result<Format, SyntaxErrors> {
    parser::parse_str(source).map_err(|errors| SyntaxErrors::from_vec(errors, source))
}

/// Parses a feed output format given as bytes, such as a file read as is.
///
/// Every sequence of bytes that is not UTF-8 is one [`ErrorKind::InvalidUtf8`] error with its
/// byte span. The rest of the format is still parsed, with each invalid byte read as `?` so
/// that byte offsets stay those of the input, and its errors are reported in the same list,
/// except those whose span covers an invalid byte: the placeholder caused them, and quoting a
/// `?` the user never wrote would mislead. Lines and columns count each invalid byte as one
/// character; render these errors with [`SyntaxErrors::render_bytes`].
#[cfg(feature = "grammar")]
pub fn parse_bytes(source: &[u8]) -> Result<Format, SyntaxErrors> {
    let (text, invalid) = utf8_placeholders(source);
    let mut errors: Vec<SyntaxError> = invalid
        .iter()
        .copied()
        .map(|span| {
            let bytes: String = source[span.range()].iter().map(|b| format!("\\x{b:02X}")).collect();
            let message = format!("invalid UTF-8 `{bytes}`: a format is UTF-8 text; save the file as UTF-8");
            SyntaxError::new(ErrorKind::InvalidUtf8, span, message)
        })
        .collect();
    match parse(&text) {
        Ok(format) if errors.is_empty() => return Ok(format),
        Ok(_) => {}
        Err(syntax) => errors.extend(syntax.into_iter().filter(|e| !overlaps_any(&invalid, e.span))),
    }
    Err(SyntaxErrors::from_vec(errors, &text))
}

/// Whether `span` overlaps one of `sorted` (disjoint spans in order), in one binary search:
/// a binary file has as many invalid sequences as errors.
#[cfg(feature = "grammar")]
fn overlaps_any(sorted: &[Span], span: Span) -> bool {
    // The first span ending after `span` starts is the only one that can overlap it.
    let i = sorted.partition_point(|bad| bad.end <= span.start);
    sorted.get(i).is_some_and(|bad| bad.start < span.end)
}

/// `source` as text with each byte that is not UTF-8 replaced by `?` (one byte for one, so
/// offsets are kept), and the span of each invalid sequence: the text the spans of
/// [`parse_bytes`] errors refer to, for callers that show lines and columns.
#[cfg(feature = "grammar")]
pub fn utf8_placeholders(source: &[u8]) -> (String, Vec<Span>) {
    let mut text = String::with_capacity(source.len());
    let mut invalid = Vec::new();
    for chunk in source.utf8_chunks() {
        text.push_str(chunk.valid());
        let bad = chunk.invalid();
        if !bad.is_empty() {
            let start = text.len();
            text.extend(std::iter::repeat_n('?', bad.len()));
            invalid.push(Span::new(start, text.len()));
        }
    }
    (text, invalid)
}

#[cfg(all(test, feature = "grammar"))]
mod tests;
