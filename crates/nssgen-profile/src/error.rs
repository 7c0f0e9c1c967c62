//! Why a profile has no format to give: an unknown id, or a profile that frames badly.

use nssgen_catalog::{Profile, ProfileLogType, Target};
use nssgen_syntax::SyntaxErrors;

/// Why a profile's format could not be framed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// No built-in profile has this id.
    #[error("unknown profile `{id}` (valid: {})", valid.join(", "))]
    UnknownProfile {
        /// The id asked for.
        id: String,
        /// The built-in profiles' ids.
        valid: Vec<String>,
    },
    /// The profile has no format for this log type.
    #[error("profile `{profile}` has no format for log type `{id}` (valid: {})", valid.join(", "))]
    UnknownLogType {
        /// The profile's id.
        profile: String,
        /// The log type id asked for.
        id: String,
        /// The profile's log type ids, in its order.
        valid: Vec<String>,
    },
    /// The profile names no envelope for this log type and target.
    #[error("profile `{profile}` names no envelope for log type `{log_type}` and target `{target}`")]
    MissingEnvelope {
        /// The profile's id.
        profile: String,
        /// The log type's id.
        log_type: String,
        /// The target.
        target: Target,
    },
    /// The framed text is not a valid format: a bug of the profile's data.
    #[error("the format framed for `{log_type}` ({target}) does not parse")]
    Malformed {
        /// The log type's id.
        log_type: String,
        /// The target.
        target: Target,
        /// What the grammar found.
        #[source]
        errors: SyntaxErrors,
    },
}

impl ProfileError {
    /// No built-in profile has id `id`: the error lists the ones that exist.
    pub fn unknown_profile(id: &str) -> Self {
        let valid = nssgen_catalog::profiles().map(|p| p.id.clone()).collect();
        ProfileError::UnknownProfile { id: id.to_owned(), valid }
    }

    /// `profile` has no log type `id`: the error lists the ones it has.
    pub fn unknown_log_type(profile: &Profile, id: &str) -> Self {
        let valid = profile.log_types.iter().map(|t| t.id.clone()).collect();
        ProfileError::UnknownLogType { profile: profile.id.clone(), id: id.to_owned(), valid }
    }

    pub(crate) fn missing_envelope(profile: &Profile, log_type: &ProfileLogType, target: Target) -> Self {
        ProfileError::MissingEnvelope { profile: profile.id.clone(), log_type: log_type.id.clone(), target }
    }

    pub(crate) fn malformed(log_type: &ProfileLogType, target: Target, errors: SyntaxErrors) -> Self {
        ProfileError::Malformed { log_type: log_type.id.clone(), target, errors }
    }
}
