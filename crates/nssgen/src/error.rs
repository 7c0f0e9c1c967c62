//! The one error type of line parsing: where in the line, which field, and why.

/// A line that does not match its format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "at byte {offset}{}: {kind}",
    field.as_ref().map_or(String::new(), |field| format!(", field `{field}`"))
)]
pub struct ParseError {
    /// Byte offset in the line where the mismatch was found.
    pub offset: usize,
    /// The field being read, when the error concerns one.
    pub field: Option<String>,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

/// What went wrong while parsing a line; its message is the part of [`ParseError`]'s after the
/// place. Not a [`source`](std::error::Error::source) of it: the kind is the error, told where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A literal of the format is not at this place in the line.
    #[error("expected `{}`", expected.escape_debug())]
    ExpectedLiteral {
        /// The literal's text as NSS prints it.
        expected: String,
    },
    /// The literal that ends a field's value is nowhere after it.
    #[error("the value does not end: `{}` is nowhere after it", expected.escape_debug())]
    MissingLiteral {
        /// The literal's text as NSS prints it.
        expected: String,
    },
    /// A value could not be converted (`"abc"` for an integer, a bad IP address).
    #[error("{reason}")]
    InvalidValue {
        /// Why, in a few words.
        reason: String,
    },
    /// A field that appears twice (header and body) holds two different values.
    #[error("appears twice with different values: `{first}` then `{second}`")]
    Disagree {
        /// The value the first occurrence holds.
        first: String,
        /// The value the later occurrence holds.
        second: String,
    },
    /// The line goes on after the format ended.
    #[error("text after the end of the format")]
    TrailingText,
    /// A field the record requires is absent (JSON fallback: key missing or unsubstituted spec).
    #[error("missing")]
    Missing,
    /// A line of a mixed stream that none of the stream's log types takes.
    #[error("not a line of a known log type: {reason}")]
    Unrouted {
        /// Why.
        reason: String,
    },
    /// Neither the exact walk nor the JSON fallback read the line; the reason of the fallback.
    #[error("not the format, and its JSON body does not fit: {reason}")]
    Json {
        /// serde_json's message, or what in the JSON did not fit the format.
        reason: String,
    },
}
