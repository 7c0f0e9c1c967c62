//! Clap value parsers for the command line's fixed choices (`--target`, `--emit`): clap parses
//! them, and an unknown one gets the project's message, with the closest choice when one is
//! close.
//!
//! They name no possible values to clap: clap would then list them in its "a value is
//! required" error (`--target` given last), whose one line is part of the interface.

use std::fmt;
use std::str::FromStr;

use nssgen_catalog::Target;
use nssgen_render::Emit;

use crate::suggest::with_suggestion;

/// A value a parser of this module refused; its message is the whole error line, which
/// [`crate::usage`] prints as it is.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Refused(String);

/// `--target`: nss, nss-rfc5424, cloud-nss.
pub(crate) fn target(value: &str) -> Result<Target, Refused> {
    choice(value, &Target::ALL, Target::id)
}

/// `--emit`: steps, terraform, zia-api, rsyslog.
pub(crate) fn emit(value: &str) -> Result<Emit, Refused> {
    choice(value, &Emit::ALL, Emit::id)
}

/// One of `all`, read with the type's own `FromStr`, whose error names the valid ids.
fn choice<T>(value: &str, all: &[T], id: fn(T) -> &'static str) -> Result<T, Refused>
where
    T: FromStr + Copy,
    T::Err: fmt::Display,
{
    value.parse().map_err(|e: T::Err| {
        let valid: Vec<&str> = all.iter().map(|&t| id(t)).collect();
        Refused(with_suggestion(e.to_string(), value, &valid))
    })
}
