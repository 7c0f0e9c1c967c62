//! The embedded handlebars templates, all in one table.

use handlebars::Handlebars;
use nssgen_catalog::Target;

pub(crate) const JSON_ENVELOPE: &str = "bodies/json-envelope";

/// Every template: name and source. The files live in the workspace's `templates/` folder.
const TEMPLATES: &[(&str, &str)] = &[
    ("targets/nss", include_str!("../../../templates/targets/nss.hbs")),
    ("targets/nss-rfc5424", include_str!("../../../templates/targets/nss-rfc5424.hbs")),
    ("targets/cloud-nss", include_str!("../../../templates/targets/cloud-nss.hbs")),
    (JSON_ENVELOPE, include_str!("../../../templates/bodies/json-envelope.hbs")),
    ("feed/steps-nss", include_str!("../../../templates/feed/steps-nss.hbs")),
    ("feed/steps-cloud-nss", include_str!("../../../templates/feed/steps-cloud-nss.hbs")),
    ("feed/terraform", include_str!("../../../templates/feed/terraform.hbs")),
    ("feed/zia-api", include_str!("../../../templates/feed/zia-api.hbs")),
    ("feed/rsyslog", include_str!("../../../templates/feed/rsyslog.hbs")),
];

/// The template that frames a body for `target`.
pub(crate) fn target(target: Target) -> &'static str {
    match target {
        Target::Nss => "targets/nss",
        Target::NssRfc5424 => "targets/nss-rfc5424",
        Target::CloudNss => "targets/cloud-nss",
    }
}

/// Whether a template belongs to the feed emitters, which `nssgen format` never needs: their
/// registry is built on first use, so printing a format compiles only the small templates.
pub(crate) fn is_feed(name: &str) -> bool {
    name.starts_with("feed/")
}

/// A registry with the feed templates (`feeds`) or all the others.
pub(crate) fn registry(feeds: bool) -> Handlebars<'static> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    // HTML escaping would turn every `"` of a format into `&quot;`.
    registry.register_escape_fn(handlebars::no_escape);
    for (name, source) in TEMPLATES.iter().filter(|(name, _)| is_feed(name) == feeds) {
        // A file's final newline is an editor convention, not part of the format.
        let source = source.strip_suffix('\n').unwrap_or(source);
        // The templates are embedded and exercised by every test that renders, so a syntax
        // error in one is a broken build.
        registry
            .register_template_string(name, source)
            .unwrap_or_else(|e| panic!("embedded template `{name}` is invalid: {e}"));
    }
    registry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_a_registered_template() {
        let registry = registry(false);
        for t in Target::ALL {
            assert!(registry.has_template(target(t)), "{t}");
        }
        assert!(registry.has_template(JSON_ENVELOPE));
    }
}
