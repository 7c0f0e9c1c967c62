//! What `sample` and `parse` work from: a format (a profile's, or one read from a file), the
//! catalog log type that says how its fields are encoded, and the feed's escape characters.

use std::path::{Path, PathBuf};

use nssgen_catalog::{LogType, Target};
use nssgen_profile::Framed;
use nssgen_syntax::Format;

use crate::Failure;

/// A format ready to sample or parse.
pub(crate) struct Source {
    /// The format's text (a format file without its final newline).
    pub(crate) text: String,
    /// The parsed format.
    pub(crate) format: Format,
    /// The catalog log type its field names are looked up in.
    pub(crate) log_type: &'static LogType,
    /// Record types to draw from (a profile log type such as `tunnel-ike-phase1`); empty: all.
    pub(crate) record_types: Vec<String>,
    /// The feed's escape characters (the profile's).
    pub(crate) escape_characters: String,
}

/// The command-line choices that pick a format, shared by `sample` and `parse`.
#[derive(clap::Args, Debug)]
pub(crate) struct FormatChoice {
    /// Log type id (see `nssgen list`); `parse all` reads a stream of every log type of the
    /// profile. With --format-file it only picks the catalog that says how fields are encoded
    /// (and, for `sample`, their values): any catalog log type, or a profile log type.
    pub(crate) log_type: String,
    /// How lines travel: nss (syslog, RFC3164; the default), nss-rfc5424, cloud-nss (HTTPS,
    /// JSON body).
    #[arg(long, short, conflicts_with = "format_file", value_parser = crate::choice::target)]
    pub(crate) target: Option<Target>,
    /// Whose format to use, and whose feed escape characters.
    #[arg(long, short, default_value = "sekoia")]
    pub(crate) profile: String,
    /// Use the format in this file instead of the profile's (one final newline is ignored).
    #[arg(long, short = 'f', value_name = "FILE")]
    pub(crate) format_file: Option<PathBuf>,
}

/// The profile's format of a log type for a target; unknown ids are usage errors.
pub(crate) fn framed(profile: &str, log_type: &str, target: Target) -> Result<&'static Framed, Failure> {
    nssgen_profile::format(profile, log_type, target)
        .map_err(|e| super::profile_failure(&e, profile, log_type))
}

pub(crate) fn resolve(choice: &FormatChoice) -> Result<Source, Failure> {
    let profile =
        nssgen_catalog::profile(&choice.profile).ok_or_else(|| super::unknown_profile(&choice.profile))?;
    let escape_characters = profile.escape_characters.clone();
    let Some(path) = choice.format_file.as_deref() else {
        let framed = framed(&choice.profile, &choice.log_type, choice.target.unwrap_or(Target::Nss))?;
        let profile_log_type = profile
            .log_type(&choice.log_type)
            .ok_or_else(|| Failure::usage(format!("unknown log type `{}`", choice.log_type)))?;
        let log_type = profile_log_type.catalog_log_type().ok_or_else(|| {
            Failure::usage(format!("internal error: no catalog for log type `{}`", choice.log_type))
        })?;
        return Ok(Source {
            text: framed.text.clone(),
            format: framed.format.clone(),
            log_type,
            record_types: profile_log_type.record_types.clone(),
            escape_characters,
        });
    };
    // With a format file the log type only picks the catalog: any catalog log type, or a
    // profile log type narrowed to its record types.
    let (log_type, record_types) = super::resolve_fields_log_type(&choice.log_type)?;
    let (text, format) = read_format_file(path)?;
    Ok(Source { text, format, log_type, record_types, escape_characters })
}

/// The format in a file, one final newline ignored (it ends the file, not the format), parsed;
/// an unreadable file, an empty format or one that does not parse is a usage error, the last
/// shown as `check` shows it.
pub(crate) fn read_format_file(path: &Path) -> Result<(String, Format), Failure> {
    let bytes =
        std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    let bytes = nssgen_check::strip_final_newline(&bytes);
    if bytes.is_empty() {
        // It parses, to no items: samples would be blank lines, and nothing to parse or name.
        return Err(Failure::usage(format!(
            "{}: empty format: NSS would send empty records",
            path.display()
        )));
    }
    let format = nssgen_syntax::parse_bytes(bytes).map_err(|errors| {
        Failure::usage(format!(
            "{} is not a valid format:\n{}",
            path.display(),
            errors.render_bytes(bytes, &path.display().to_string())
        ))
    })?;
    // parse_bytes accepted it, so it is UTF-8.
    Ok((String::from_utf8_lossy(bytes).into_owned(), format))
}
