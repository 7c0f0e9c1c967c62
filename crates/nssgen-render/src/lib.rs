//! Paste-ready feed output formats: a profile's body framed for a target through templates.
//!
//! ```
//! use nssgen_catalog::Target;
//!
//! let renderer = nssgen_render::Renderer::new();
//! let web = renderer.format("sekoia", "web", Target::CloudNss).expect("sekoia knows web");
//! assert!(web.text.starts_with(r#"\{"sourcetype" : "zscalernss-web""#));
//! assert!(web.format.fields().any(|f| f.name == "eurl"));
//! ```
#![deny(missing_docs)]

pub mod emulate;
mod error;
pub mod feed;
pub mod sample;
mod templates;

use handlebars::Handlebars;
use nssgen_catalog::{Profile, ProfileLogType, Target};
use nssgen_syntax::Format;
use serde_json::json;

pub use emulate::{Absent, EmulateError, Emulator, FieldValue, Values};
pub use error::{RenderError, RenderErrorKind};
pub use feed::{Emit, Feed, FeedError, FeedErrorKind, FeedRequest, IntakeKey, ALL_LOG_TYPES};
pub use sample::{profile_lines, Sampler, ValueSet};

/// A rendered format: the text to paste and its parsed form.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The format, exactly as it goes into the Feed Output Format box (no final newline).
    pub text: String,
    /// The same text parsed back through the grammar.
    pub format: Format,
}

/// Renders formats through the embedded templates.
#[derive(Debug)]
pub struct Renderer {
    formats: Handlebars<'static>,
    feeds: std::sync::OnceLock<Handlebars<'static>>,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// A renderer with the embedded templates registered (strict mode, no HTML escaping); the
    /// feed templates are compiled on first use.
    pub fn new() -> Self {
        Renderer { formats: templates::registry(false), feeds: std::sync::OnceLock::new() }
    }

    /// The format of `log_type` in `profile` for `target`, looked up by id.
    pub fn format(&self, profile: &str, log_type: &str, target: Target) -> Result<Rendered, RenderError> {
        let p = nssgen_catalog::profile(profile).ok_or_else(|| RenderError::unknown_profile(profile))?;
        let t = p.log_type(log_type).ok_or_else(|| RenderError::unknown_log_type(p, log_type))?;
        self.render(p, t, target)
    }

    /// The format of a profile log type for a target.
    pub fn render(
        &self,
        profile: &Profile,
        log_type: &ProfileLogType,
        target: Target,
    ) -> Result<Rendered, RenderError> {
        let envelope = profile
            .envelope(log_type, target)
            .ok_or_else(|| RenderError::missing_envelope(profile, log_type, target))?;
        let body: Vec<_> =
            log_type.body.iter().map(|(key, value)| json!({ "key": key, "value": value })).collect();
        let body = self.run(
            templates::JSON_ENVELOPE,
            &json!({
                "lb": "\\{",
                "rb": "\\}",
                "envelope": envelope,
                "sourcetype": log_type.sourcetype,
                "body": body,
            }),
        )?;
        let text = self.run(templates::target(target), &json!({ "syslog": profile.syslog, "body": body }))?;
        // The guarantee: nothing leaves here that the grammar rejects.
        let format = nssgen_syntax::parse(&text)
            .map_err(|errors| RenderError::malformed(log_type, target, &text, errors))?;
        Ok(Rendered { text, format })
    }

    fn run(&self, template: &str, data: &serde_json::Value) -> Result<String, RenderError> {
        let registry = if templates::is_feed(template) {
            self.feeds.get_or_init(|| templates::registry(true))
        } else {
            &self.formats
        };
        registry.render(template, data).map_err(|e| RenderError::template(template, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_name_the_valid_choices() {
        let r = Renderer::new();
        let err = r.format("splunk", "web", Target::Nss).unwrap_err();
        assert_eq!(err.to_string(), "unknown profile `splunk` (valid: sekoia)");
        let err = r.format("sekoia", "endpoint-dlp", Target::Nss).unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile `sekoia` has no format for log type `endpoint-dlp` (valid: web, firewall, dns, tunnel, \
             tunnel-ike-phase1, tunnel-ike-phase2, admin-audit, saas-security, saas-security-activity)"
        );
    }

    #[test]
    fn a_body_value_the_grammar_rejects_is_refused_not_returned() {
        let r = Renderer::new();
        let p = nssgen_catalog::profile("sekoia").unwrap();
        let mut t = p.log_type("web").unwrap().clone();
        t.body.push(("broken".to_owned(), "%q{nope}".to_owned()));
        let err = r.render(p, &t, Target::Nss).unwrap_err();
        assert!(matches!(err.kind(), RenderErrorKind::Malformed(_)), "{err}");
        assert!(err.to_string().contains("unknown conversion"), "{err}");
    }

    #[test]
    fn targets_differ_only_in_header_and_envelope() {
        let r = Renderer::new();
        let nss = r.format("sekoia", "web", Target::Nss).unwrap().text;
        let cloud = r.format("sekoia", "web", Target::CloudNss).unwrap().text;
        assert!(nss.starts_with("%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss NSS "));
        assert_eq!(nss.strip_suffix(&cloud).map(str::len), Some(nss.len() - cloud.len()));
        let rfc5424 = r.format("sekoia", "web", Target::NssRfc5424).unwrap().text;
        assert!(rfc5424.starts_with("<134>1 %d{yyyy}-%02d{mth}-"));
    }
}
