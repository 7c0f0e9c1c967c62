//! The embedded handlebars templates, all in one table.

use handlebars::Handlebars;

/// Every template: name and source. The files live in the workspace's `templates/` folder.
const TEMPLATES: &[(&str, &str)] = &[
    ("feed/steps-nss", include_str!("../../../templates/feed/steps-nss.hbs")),
    ("feed/steps-cloud-nss", include_str!("../../../templates/feed/steps-cloud-nss.hbs")),
    ("feed/terraform", include_str!("../../../templates/feed/terraform.hbs")),
    ("feed/rsyslog", include_str!("../../../templates/feed/rsyslog.hbs")),
];

/// A registry with every template.
pub(crate) fn registry() -> Handlebars<'static> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    // HTML escaping would turn every `"` of a format into `&quot;`.
    registry.register_escape_fn(handlebars::no_escape);
    for (name, source) in TEMPLATES {
        // A file's final newline is an editor convention, not part of the output.
        let source = source.strip_suffix('\n').unwrap_or(source);
        // The templates are embedded and exercised by every test that renders, so a syntax
        // error in one is a broken build.
        registry
            .register_template_string(name, source)
            .unwrap_or_else(|e| panic!("embedded template `{name}` is invalid: {e}"));
    }
    registry
}
