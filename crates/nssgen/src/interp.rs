//! The runtime interpreter: a format compiled at run time, then lines parsed into
//! (field, value) pairs the same way the derived parsers read them.

use std::borrow::Cow;
use std::fmt;

use nssgen_syntax::{Conversion, ParseErrors};

use crate::{Encoding, FieldError, FromField, ParseError};

/// Which path parsed a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParsePath {
    /// The line matched the format exactly.
    Exact,
    /// The line matched the format's body exactly, without the syslog header (a relay
    /// stripped it).
    Headless,
    /// The exact walk failed; the JSON body was read and its keys mapped to fields.
    Json,
}

/// A parsed record and the path that parsed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The record.
    pub record: T,
    /// Which path parsed it.
    pub path: ParsePath,
}

/// Why a format cannot be compiled into a parser.
#[derive(Debug)]
#[non_exhaustive]
pub enum CompileError {
    /// The format does not parse.
    Syntax(ParseErrors),
    /// Two fields follow each other with no literal between them: no parser can split them.
    Ambiguous {
        /// The first field's name.
        first: String,
        /// The second field's name.
        second: String,
        /// Byte offset of the second spec in the format.
        offset: usize,
    },
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Syntax(errors) => write!(f, "{errors}"),
            CompileError::Ambiguous { first, second, offset } => write!(
                f,
                "at byte {offset}: `{second}` follows `{first}` with no literal between them, \
                 so no parser can tell where one ends"
            ),
        }
    }
}

impl std::error::Error for CompileError {}

/// A format compiled for parsing lines at run time.
#[derive(Clone, Debug)]
pub struct Parser {
    _private: (),
}

impl Parser {
    /// Compiles a format; every field is taken as [`Encoding::Plain`].
    pub fn compile(format: &str) -> Result<Parser, CompileError> {
        Self::compile_with(format, |_| Encoding::Plain)
    }

    /// Compiles a format, asking `encoding` how NSS encodes each field name (`eurl` → `Hex`;
    /// the CLI answers from the catalog).
    pub fn compile_with(format: &str, encoding: impl Fn(&str) -> Encoding) -> Result<Parser, CompileError> {
        let _ = (format, encoding);
        todo!()
    }

    /// The format this parser was compiled from.
    pub fn format(&self) -> &str {
        todo!()
    }

    /// The distinct fields, in the order they first appear: name, conversion, encoding.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = (&str, Conversion, Encoding)> + '_ {
        std::iter::empty::<(&str, Conversion, Encoding)>().collect::<Vec<_>>().into_iter()
    }

    /// Parses one line (without its final newline): exactly, then without the syslog header,
    /// then (JSON-bodied formats) through the JSON fallback.
    pub fn parse<'p, 'a>(&'p self, line: &'a str) -> Result<Record<'p, 'a>, ParseError> {
        let _ = line;
        todo!()
    }
}

/// One parsed line: a value for each field the line held.
#[derive(Clone, Debug)]
pub struct Record<'p, 'a> {
    parser: &'p Parser,
    /// Which path parsed the line.
    pub path: ParsePath,
    values: Vec<Option<Value<'a>>>,
}

impl<'p, 'a> Record<'p, 'a> {
    /// The value of a field, `None` when the format has no such field or the line lacked it
    /// (JSON fallback: key absent, or the value was its own unsubstituted spec).
    pub fn get(&self, name: &str) -> Option<&Value<'a>> {
        let _ = (name, self.parser, &self.values);
        todo!()
    }

    /// Every field the line held, in format order: name and value.
    pub fn iter(&self) -> impl Iterator<Item = (&'p str, &Value<'a>)> + '_ {
        std::iter::empty()
    }
}

/// One field's value in a parsed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value<'a> {
    /// The text as the line holds it (owned only when the JSON fallback unescaped it).
    pub raw: Cow<'a, str>,
    /// The field's conversion in the format.
    pub conv: Conversion,
    /// How NSS encoded it.
    pub encoding: Encoding,
}

impl<'a> Value<'a> {
    /// The decoded text (hex `%HH` or base64 undone).
    pub fn decode(&self) -> Cow<'_, str> {
        todo!()
    }

    /// Whether the value is a "no value" placeholder.
    pub fn is_placeholder(&self) -> bool {
        crate::is_placeholder(&self.raw)
    }

    /// Converts the value as the derive would for a struct field of type `T`.
    pub fn to<T: FromField<'a>>(&self) -> Result<T, FieldError> {
        todo!()
    }
}
