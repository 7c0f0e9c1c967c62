//! Known vendor formats: every format string a SIEM vendor published (Sekoia.io's history,
//! Elastic's versions), as data, looked up by text or by what it serves.

use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize};

use crate::Target;

static JSON: &str = include_str!("../data/known_formats.json");

#[derive(Deserialize)]
struct File {
    formats: Vec<KnownFormat>,
}

fn all() -> &'static [KnownFormat] {
    static PARSED: OnceLock<Vec<KnownFormat>> = OnceLock::new();
    PARSED.get_or_init(|| {
        // Embedded and parsed by a test: a failure is a broken build, not user input.
        serde_json::from_str::<File>(JSON)
            .unwrap_or_else(|e| panic!("embedded known_formats.json is invalid: {e}"))
            .formats
    })
}

/// One format a vendor published, with every version it was published under.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct KnownFormat {
    /// The vendor (`"sekoia"`, `"elastic"`).
    pub profile: String,
    /// The log type it serves, as the profile names it (`"tunnel-ike-phase1"`, Elastic's
    /// `"saas-security-crm"`).
    pub log_type: String,
    /// The catalog log type key that says how its fields are encoded (`"tunnel"`,
    /// `"admin_audit"`).
    pub catalog: String,
    /// The target it is written for: its syslog header, or none (Elastic's strings).
    #[serde(deserialize_with = "target", serialize_with = "target_id")]
    pub target: Target,
    /// The version it was first published under: a date (`"2025-04-04"`, Sekoia's) or the
    /// vendor's version token (`"v11"`, `"legacy"`, Elastic's).
    pub version: String,
    /// Every version under which this exact text was published, oldest first.
    pub published: Vec<String>,
    /// Whether it is the vendor's current text for its profile, log type and target.
    pub current: bool,
    /// The reference file it was read from, relative to the reference data.
    pub source: String,
    /// The format, without a final newline.
    pub text: String,
}

fn target<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Target, D::Error> {
    let id = String::deserialize(deserializer)?;
    id.parse().map_err(serde::de::Error::custom)
}

fn target_id<S: serde::Serializer>(target: &Target, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(target.id())
}

/// Every known format: Sekoia's, then Elastic's; per log type and target, oldest first.
pub fn known_formats() -> &'static [KnownFormat] {
    all()
}

/// The known format whose text is exactly `text` (a file's final newline removed); no two
/// known formats share a text.
pub fn known_format(text: &str) -> Option<&'static KnownFormat> {
    all().iter().find(|k| k.text == text)
}

/// The vendor's current format for a profile log type and target.
pub fn current_known_format(profile: &str, log_type: &str, target: Target) -> Option<&'static KnownFormat> {
    all().iter().find(|k| k.current && k.profile == profile && k.log_type == log_type && k.target == target)
}

impl KnownFormat {
    /// The catalog log type that says how this format's fields are encoded.
    pub fn catalog_log_type(&self) -> Option<&'static crate::LogType> {
        crate::catalog::log_type_of_key(&self.catalog)
    }

    /// The vendor's current format for the same profile, log type and target (itself when it
    /// is current).
    pub fn current_one(&self) -> Option<&'static KnownFormat> {
        current_known_format(&self.profile, &self.log_type, self.target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_parses_names_a_catalog_and_has_one_current_text() {
        let all = known_formats();
        assert!(all.iter().any(|k| k.profile == "sekoia") && all.iter().any(|k| k.profile == "elastic"));
        for k in all {
            let catalog = k.catalog_log_type();
            assert!(catalog.is_some(), "{}: catalog `{}`", k.source, k.catalog);
            assert_eq!(k.published.first(), Some(&k.version), "{}", k.source);
            assert!(!k.text.ends_with('\n'), "{}", k.source);
            nssgen_syntax::parse(&k.text).unwrap_or_else(|e| panic!("{}: {e}", k.source));
            let current = k.current_one().unwrap_or_else(|| panic!("{}: no current format", k.source));
            assert!(current.current, "{}", k.source);
            assert_eq!(k.current, std::ptr::eq(current, k), "{}", k.source);
            assert!(std::ptr::eq(known_format(&k.text).expect("found by its text"), k), "{}", k.source);
        }
    }

    #[test]
    fn sekoia_versions_are_the_earliest_date_of_each_text() {
        // Sekoia's first set (2023-09-25, RFC3164 only) stayed in place until the TAG was
        // added on 2025-04-08 (the reference's SOURCES.md, section 2).
        let web: Vec<&KnownFormat> = known_formats()
            .iter()
            .filter(|k| k.profile == "sekoia" && k.log_type == "web" && k.target == Target::Nss)
            .collect();
        let versions: Vec<(&str, &[String], bool)> =
            web.iter().map(|k| (k.version.as_str(), &k.published[..], k.current)).collect();
        let dates = |d: &[&str]| d.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(versions.len(), 2);
        assert_eq!(
            versions[0],
            ("2023-09-25", &dates(&["2023-09-25", "2025-03-27", "2025-04-04"])[..], false)
        );
        assert_eq!(
            versions[1],
            ("2025-04-08", &dates(&["2025-04-08", "2025-07-07", "2026-06-22", "2026-07-21"])[..], true)
        );
        assert!(current_known_format("sekoia", "web", Target::CloudNss).is_none());
        assert!(known_format("%s{url}").is_none());
    }
}
