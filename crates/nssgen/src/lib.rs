//! Parse the lines a Zscaler NSS feed output format produces.
//!
//! Two ways in: `#[derive(NssRecord)]` turns a format known at compile time into straight-line
//! Rust, and [`Parser`] compiles a format at run time. Both walk a line the same way: each
//! literal checked in place, each field's value taken up to the next whole literal. For
//! JSON-bodied formats, a line that drifted from the format (other spacing or key order, no
//! syslog header) is read through a JSON fallback; [`ParsePath`] says which path parsed it.
#![deny(missing_docs)]

// Generated code names `::nssgen::...`; this lets the crate's own typed records use the derive.
extern crate self as nssgen;

mod error;
mod field;
mod interp;
mod json;
mod walk;

#[doc(hidden)]
pub mod __private;

pub use error::{ParseError, ParseErrorKind};
pub use field::{decode_base64, decode_hex, is_placeholder, Encoding, FieldError, FromField, Text};
pub use interp::{CompileError, ParsePath, Parsed, Parser, Record, Value};

/// A record type whose parser was derived from a feed output format.
pub trait NssRecord<'a>: Sized {
    /// The feed output format the parser was derived from, as pasted into the Admin Portal.
    const FORMAT: &'static str;

    /// Parses one line (without its final newline).
    fn parse(line: &'a str) -> Result<Self, ParseError> {
        Self::parse_detailed(line).map(|parsed| parsed.record)
    }

    /// Parses one line and says which path parsed it.
    fn parse_detailed(line: &'a str) -> Result<Parsed<Self>, ParseError>;
}

/// Derives [`NssRecord`] and an inherent `parse` for a struct from a feed output format.
pub use nssgen_derive::NssRecord;

/// Typed records for the log types of the built-in `sekoia` profile.
pub mod sekoia;
