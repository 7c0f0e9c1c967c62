//! The typed AST of a feed output format: literals and field specs, each with its byte span.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// A byte range in the format's source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// First byte of the item.
    pub start: usize,
    /// One past the last byte of the item.
    pub end: usize,
}

impl Span {
    /// A span from `start` (inclusive) to `end` (exclusive).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The span as a `Range`, for slicing the source.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// Number of bytes covered.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A parsed feed output format: the items in the order NSS prints them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Format {
    /// Literals and field specs in source order. Adjacent literal text is merged into one
    /// [`Literal`], so two literals never follow each other.
    pub items: Vec<Item>,
}

impl Format {
    /// The field specs, in source order.
    pub fn fields(&self) -> impl Iterator<Item = &FieldSpec> + '_ {
        self.items.iter().filter_map(|item| match item {
            Item::Field(f) => Some(f),
            Item::Literal(_) => None,
        })
    }

    /// The literals, in source order.
    pub fn literals(&self) -> impl Iterator<Item = &Literal> + '_ {
        self.items.iter().filter_map(|item| match item {
            Item::Literal(l) => Some(l),
            Item::Field(_) => None,
        })
    }
}

/// One element of a format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// Text printed as is (after escape decoding).
    Literal(Literal),
    /// A `%[flags][width]conv{name}` field spec.
    Field(FieldSpec),
}

impl Item {
    /// The item's byte span in the source.
    pub fn span(&self) -> Span {
        match self {
            Item::Literal(l) => l.span,
            Item::Field(f) => f.span,
        }
    }
}

/// Literal text between field specs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Literal {
    /// Where the literal sits in the source.
    pub span: Span,
    /// The source form, escapes kept (`\{"a":`), so printing is lossless.
    pub raw: String,
    /// The text NSS prints (`{"a":`): `\{` `\}` `\t` `\n` `\r` `%%` decoded.
    pub text: String,
}

/// A `%[flags][width]conv{name}` field spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    /// The whole spec, from `%` to `}`.
    pub span: Span,
    /// Flag characters as written (`0`, `-`), in source order.
    pub flags: Flags,
    /// Minimum width (`2` in `%02d`), if written.
    pub width: Option<u32>,
    /// The conversion (`s`, `d`, `lu`, ...).
    pub conv: Conversion,
    /// The field name between the braces.
    pub name: String,
    /// Span of the name alone (inside the braces).
    pub name_span: Span,
}

/// printf-style flags of a field spec.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Flags {
    /// The flag characters exactly as written, for lossless printing (`"0"`, `"-"`, `""`).
    pub raw: String,
}

impl Flags {
    /// `0`: pad numbers with zeros.
    pub fn zero_pad(&self) -> bool {
        self.raw.contains('0')
    }

    /// `-`: left-justify within the width.
    pub fn left_justify(&self) -> bool {
        self.raw.contains('-')
    }
}

/// A conversion: the length modifier and conversion character of a spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Conversion {
    /// `s`: a string.
    S,
    /// `d`: a signed decimal integer.
    D,
    /// `u`: an unsigned decimal integer.
    U,
    /// `x`: a hexadecimal integer.
    X,
    /// `ld`: a signed long decimal integer.
    Ld,
    /// `lu`: an unsigned long decimal integer.
    Lu,
    /// `llu`: an unsigned long long decimal integer.
    Llu,
}

impl Conversion {
    /// Every conversion NSS accepts, in the order the docs list them.
    pub const ALL: [Conversion; 7] = [
        Conversion::S,
        Conversion::D,
        Conversion::U,
        Conversion::X,
        Conversion::Ld,
        Conversion::Lu,
        Conversion::Llu,
    ];

    /// The conversion as written in a spec (`"llu"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Conversion::S => "s",
            Conversion::D => "d",
            Conversion::U => "u",
            Conversion::X => "x",
            Conversion::Ld => "ld",
            Conversion::Lu => "lu",
            Conversion::Llu => "llu",
        }
    }

    /// Parses the text of a conversion (`"lu"`), `None` when NSS does not accept it.
    pub fn from_name(s: &str) -> Option<Conversion> {
        Conversion::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether the conversion prints a number (everything but `s`).
    pub fn is_numeric(self) -> bool {
        self != Conversion::S
    }
}

impl fmt::Display for Conversion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
