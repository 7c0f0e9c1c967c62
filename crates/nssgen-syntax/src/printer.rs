//! The printer: the AST back to format text, byte for byte what was parsed.

use std::fmt;

use crate::ast::{FieldSpec, Format, Item, Literal};

/// The format's source text. Literals print their `raw` form and specs every part as written,
/// so `print(&parse(s)?) == s` for every `s` that parses.
pub fn print(format: &Format) -> String {
    format.to_string()
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.items.iter().try_for_each(|item| write!(f, "{item}"))
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Literal(literal) => literal.fmt(f),
            Item::Field(field) => field.fmt(f),
        }
    }
}

impl fmt::Display for Literal {
    /// The source form (escapes kept), not the decoded text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl fmt::Display for FieldSpec {
    /// The spec as written: `%02d{dd}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("%")?;
        f.write_str(&self.flags.raw)?;
        if let Some(width) = self.width {
            write!(f, "{width}")?;
        }
        write!(f, "{}{{{}}}", self.conv, self.name)
    }
}
