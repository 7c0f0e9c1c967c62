//! The one error type of rendering, with a kind to match on and a one-line message.

use std::fmt;

use nssgen_catalog::{Profile, ProfileLogType, Target};
use nssgen_syntax::ParseErrors;

/// Why a format could not be rendered.
#[derive(Debug)]
pub struct RenderError {
    kind: RenderErrorKind,
    message: String,
}

/// What went wrong, for callers that branch on it.
#[derive(Debug)]
#[non_exhaustive]
pub enum RenderErrorKind {
    /// No built-in profile has this id.
    UnknownProfile,
    /// The profile has no format for this log type.
    UnknownLogType,
    /// The profile names no envelope for this log type and target.
    MissingEnvelope,
    /// A template failed to render.
    Template(Box<handlebars::RenderError>),
    /// The rendered text is not a valid format.
    Malformed(ParseErrors),
}

impl RenderError {
    /// What went wrong.
    pub fn kind(&self) -> &RenderErrorKind {
        &self.kind
    }

    pub(crate) fn unknown_profile(id: &str) -> Self {
        let valid: Vec<&str> = nssgen_catalog::profiles().map(|p| p.id.as_str()).collect();
        RenderError {
            kind: RenderErrorKind::UnknownProfile,
            message: format!("unknown profile `{id}` (valid: {})", valid.join(", ")),
        }
    }

    pub(crate) fn unknown_log_type(profile: &Profile, id: &str) -> Self {
        let valid: Vec<&str> = profile.log_types.iter().map(|t| t.id.as_str()).collect();
        RenderError {
            kind: RenderErrorKind::UnknownLogType,
            message: format!(
                "profile `{}` has no format for log type `{id}` (valid: {})",
                profile.id,
                valid.join(", ")
            ),
        }
    }

    pub(crate) fn missing_envelope(profile: &Profile, log_type: &ProfileLogType, target: Target) -> Self {
        RenderError {
            kind: RenderErrorKind::MissingEnvelope,
            message: format!(
                "profile `{}` names no envelope for log type `{}` and target `{target}`",
                profile.id, log_type.id
            ),
        }
    }

    pub(crate) fn template(name: &str, error: handlebars::RenderError) -> Self {
        RenderError {
            message: format!("template `{name}` failed: {error}"),
            kind: RenderErrorKind::Template(Box::new(error)),
        }
    }

    pub(crate) fn malformed(
        log_type: &ProfileLogType,
        target: Target,
        text: &str,
        errors: ParseErrors,
    ) -> Self {
        let first = errors.iter().next().map(ToString::to_string).unwrap_or_default();
        RenderError {
            message: format!(
                "the rendered format for `{}` ({target}) is malformed: {first} ({} error(s) in {} bytes)",
                log_type.id,
                errors.len(),
                text.len()
            ),
            kind: RenderErrorKind::Malformed(errors),
        }
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            RenderErrorKind::Template(e) => Some(e.as_ref()),
            RenderErrorKind::Malformed(e) => Some(e),
            _ => None,
        }
    }
}
