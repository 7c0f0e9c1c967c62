//! The one error type of line parsing: where in the line, which field, and why.

use std::fmt;

/// A line that does not match its format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the line where the mismatch was found.
    pub offset: usize,
    /// The field being read, when the error concerns one.
    pub field: Option<String>,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

/// What went wrong while parsing a line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A literal of the format is not at this place in the line.
    ExpectedLiteral {
        /// The literal's text as NSS prints it.
        expected: String,
    },
    /// The literal that ends a field's value is nowhere after it.
    MissingLiteral {
        /// The literal's text as NSS prints it.
        expected: String,
    },
    /// A value could not be converted (`"abc"` for an integer, a bad IP address).
    InvalidValue {
        /// Why, in a few words.
        reason: String,
    },
    /// A field that appears twice (header and body) holds two different values.
    Disagree {
        /// The value the first occurrence holds.
        first: String,
        /// The value the later occurrence holds.
        second: String,
    },
    /// The line goes on after the format ended.
    TrailingText,
    /// A field the record requires is absent (JSON fallback: key missing or unsubstituted spec).
    Missing,
    /// Neither the exact walk nor the JSON fallback read the line; the reason of the fallback.
    Json {
        /// serde_json's message, or what in the JSON did not fit the format.
        reason: String,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}", self.offset)?;
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        f.write_str(": ")?;
        match &self.kind {
            ParseErrorKind::ExpectedLiteral { expected } => {
                write!(f, "expected `{}`", expected.escape_debug())
            }
            ParseErrorKind::MissingLiteral { expected } => {
                write!(f, "the value does not end: `{}` is nowhere after it", expected.escape_debug())
            }
            ParseErrorKind::InvalidValue { reason } => f.write_str(reason),
            ParseErrorKind::Disagree { first, second } => {
                write!(f, "appears twice with different values: `{first}` then `{second}`")
            }
            ParseErrorKind::TrailingText => f.write_str("text after the end of the format"),
            ParseErrorKind::Missing => f.write_str("missing"),
            ParseErrorKind::Json { reason } => {
                write!(f, "not the format, and its JSON body does not fit: {reason}")
            }
        }
    }
}

impl std::error::Error for ParseError {}
