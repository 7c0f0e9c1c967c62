//! A profile's format for a target: the JSON body in its envelope, behind the target's syslog
//! header, written in plain Rust and parsed back through the grammar before it is returned.
//!
//! The three targets differ only in what comes before the body: `nss` an RFC3164 header
//! (`%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} HOSTNAME TAG `), `nss-rfc5424` an RFC5424 one
//! (`<PRI>1 %d{yyyy}-…Z HOSTNAME APP-NAME - - - `), `cloud-nss` nothing. The body is
//! `\{"sourcetype":"…","event":\{"key":"value",…\}\}`, spaced as the profile's envelope style
//! says, each value being the NSS format text the profile gives its key.
//!
//! ```
//! use nssgen_catalog::Target;
//!
//! let web = nssgen_profile::format("sekoia", "web", Target::CloudNss).expect("sekoia knows web");
//! assert!(web.text.starts_with(r#"\{"sourcetype" : "zscalernss-web""#));
//! assert!(web.format.fields().any(|f| f.name == "eurl"));
//! ```
#![deny(missing_docs)]

mod error;
mod frame;

use std::sync::OnceLock;

use nssgen_catalog::{Profile, ProfileLogType, Target};
use nssgen_syntax::Format;

pub use error::ProfileError;

/// A profile's format for a target: the text to paste and its parsed form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Framed {
    /// The format, exactly as it goes into the Feed Output Format box (no final newline).
    pub text: String,
    /// The same text parsed back through the grammar.
    pub format: Format,
}

/// The format of `log_type` in `profile` for `target`. The guarantee: nothing leaves here that
/// the grammar rejects.
pub fn frame(profile: &Profile, log_type: &ProfileLogType, target: Target) -> Result<Framed, ProfileError> {
    let envelope = profile
        .envelope(log_type, target)
        .ok_or_else(|| ProfileError::missing_envelope(profile, log_type, target))?;
    let text = frame::header(&profile.syslog, target) + &frame::body(envelope, log_type);
    match nssgen_syntax::parse(&text) {
        Ok(format) => Ok(Framed { text, format }),
        Err(errors) => Err(ProfileError::malformed(log_type, target, errors)),
    }
}

/// The format of a built-in profile's log type for a target, looked up by id. Each is framed
/// and parsed once per process, on first use, and then shared: the derive, the linter and the
/// sampler ask for the same few formats again and again.
pub fn format(profile: &str, log_type: &str, target: Target) -> Result<&'static Framed, ProfileError> {
    let (p, found) = nssgen_catalog::profiles()
        .enumerate()
        .find(|(_, p)| p.id == profile)
        .ok_or_else(|| ProfileError::unknown_profile(profile))?;
    let (t, found_type) = found
        .log_types
        .iter()
        .enumerate()
        .find(|(_, t)| t.id == log_type)
        .ok_or_else(|| ProfileError::unknown_log_type(found, log_type))?;
    let slot = &cache()[p][t][target_slot(target)];
    if let Some(framed) = slot.get() {
        return Ok(framed);
    }
    let framed = frame(found, found_type, target)?;
    Ok(slot.get_or_init(|| framed))
}

/// One slot per built-in profile, log type and target.
type Slots = Vec<Vec<[OnceLock<Framed>; 3]>>;

fn cache() -> &'static Slots {
    static CACHE: OnceLock<Slots> = OnceLock::new();
    CACHE.get_or_init(|| {
        nssgen_catalog::profiles().map(|p| p.log_types.iter().map(|_| Default::default()).collect()).collect()
    })
}

fn target_slot(target: Target) -> usize {
    match target {
        Target::Nss => 0,
        Target::NssRfc5424 => 1,
        Target::CloudNss => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_name_the_valid_choices() {
        let err = format("splunk", "web", Target::Nss).unwrap_err();
        assert_eq!(err.to_string(), "unknown profile `splunk` (valid: sekoia)");
        let err = format("sekoia", "endpoint-dlp", Target::Nss).unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile `sekoia` has no format for log type `endpoint-dlp` (valid: web, firewall, dns, tunnel, \
             tunnel-ike-phase1, tunnel-ike-phase2, admin-audit, saas-security, saas-security-activity)"
        );
    }

    #[test]
    fn a_body_value_the_grammar_rejects_is_refused_not_returned() {
        let p = nssgen_catalog::profile("sekoia").unwrap();
        let mut t = p.log_type("web").unwrap().clone();
        t.body.push(("broken".to_owned(), "%q{nope}".to_owned()));
        let err = frame(p, &t, Target::Nss).unwrap_err();
        let ProfileError::Malformed { errors, .. } = &err else { panic!("{err}") };
        assert!(errors.iter().any(|e| e.message.contains("unknown conversion")), "{errors}");
    }

    #[test]
    fn targets_differ_only_in_header_and_envelope() {
        let nss = &format("sekoia", "web", Target::Nss).unwrap().text;
        let cloud = &format("sekoia", "web", Target::CloudNss).unwrap().text;
        assert!(nss.starts_with("%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss NSS "));
        assert_eq!(nss.strip_suffix(cloud.as_str()).map(str::len), Some(nss.len() - cloud.len()));
        let rfc5424 = &format("sekoia", "web", Target::NssRfc5424).unwrap().text;
        assert!(rfc5424.starts_with("<134>1 %d{yyyy}-%02d{mth}-"));
    }

    #[test]
    fn each_current_known_format_of_a_profile_is_what_it_frames() {
        let mut compared = 0;
        for p in nssgen_catalog::profiles() {
            for t in &p.log_types {
                for target in Target::ALL {
                    let Some(known) = nssgen_catalog::current_known_format(&p.id, &t.id, target) else {
                        // Sekoia publishes no Cloud NSS string.
                        assert_eq!((p.id.as_str(), target), ("sekoia", Target::CloudNss), "{}", t.id);
                        continue;
                    };
                    assert_eq!(format(&p.id, &t.id, target).unwrap().text, known.text, "{} {target}", t.id);
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 18);
    }

    #[test]
    fn a_built_in_format_is_framed_once_and_equals_a_fresh_frame() {
        let p = nssgen_catalog::profile("sekoia").unwrap();
        for t in &p.log_types {
            for target in Target::ALL {
                let shared = format(&p.id, &t.id, target).unwrap();
                assert!(std::ptr::eq(shared, format(&p.id, &t.id, target).unwrap()));
                assert_eq!(*shared, frame(p, t, target).unwrap());
            }
        }
    }
}
