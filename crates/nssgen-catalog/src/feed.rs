//! Feed settings facts (`data/catalog/feed_settings.json`): the ZIA API enums a feed
//! configuration names, the mapping from catalog log types to the API's `nssLogType`, and the
//! Cloud NSS settings each SIEM profile's guide asks for.

use std::sync::OnceLock;

use serde::Deserialize;

const JSON: &str = include_str!("../data/catalog/feed_settings.json");

/// What this module reads of `feed_settings.json`; the rest of the file is prose for people.
#[derive(Debug, Deserialize)]
struct Raw {
    nss_type_notes: Vec<String>,
    api_nss_log_type_enum: Vec<String>,
    api_nss_log_type_mapping_inferred: serde_json::Map<String, serde_json::Value>,
    feed_output_types: RawOutputTypes,
    cloud_nss: RawCloudNss,
}

#[derive(Debug, Deserialize)]
struct RawOutputTypes {
    api_nss_feed_type_enum: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RawCloudNss {
    siem_type_api_enum: Vec<String>,
    api_feed_fields_of_interest: Vec<String>,
}

/// The parsed feed settings.
#[derive(Debug)]
struct Settings {
    nss_types: Vec<String>,
    log_types: Vec<String>,
    mapping: Vec<ApiLogType>,
    feed_types: Vec<String>,
    siem_types: Vec<String>,
    fields: Vec<String>,
}

fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        // Embedded and parsed by a test: a failure is a broken build, not user input.
        let raw: Raw = serde_json::from_str(JSON)
            .unwrap_or_else(|e| panic!("embedded feed_settings.json is invalid: {e}"));
        Settings {
            nss_types: nss_type_enum(&raw.nss_type_notes),
            mapping: mapping(&raw.api_nss_log_type_mapping_inferred),
            log_types: raw.api_nss_log_type_enum,
            feed_types: raw.feed_output_types.api_nss_feed_type_enum,
            siem_types: raw.cloud_nss.siem_type_api_enum,
            // `"maxBatchSize (KB)"` -> `maxBatchSize`: the notes are for people.
            fields: raw
                .cloud_nss
                .api_feed_fields_of_interest
                .iter()
                .filter_map(|f| f.split_whitespace().next().map(str::to_owned))
                .collect(),
        }
    })
}

/// The `nssType` enum, which the data file records inside a note:
/// `"API nssType enum (terraform-provider-zia): NONE, SOFTWARE_AA_FLAG, NSS_FOR_WEB, ..."`.
fn nss_type_enum(notes: &[String]) -> Vec<String> {
    notes
        .iter()
        .find_map(|n| n.strip_prefix("API nssType enum").and_then(|rest| rest.split_once("): ")))
        .map(|(_, list)| list.trim_end_matches('.').split(", ").map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Reads `api_nss_log_type_mapping_inferred`: each key is an enum value (or several joined by
/// `/`), each value starts with the catalog key and may say more in prose. For the `CASB_*`
/// group the prose lists the SaaS Security record types in the keys' order
/// (`"saas_security record types File/Email/ITSM/... (inferred from names)"`).
fn mapping(map: &serde_json::Map<String, serde_json::Value>) -> Vec<ApiLogType> {
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(text) = value.as_str() else { continue };
        if key.starts_with('_') {
            continue;
        }
        let Some(catalog) = text.split_whitespace().next() else { continue };
        let values: Vec<&str> = key.split('/').collect();
        let record_types: Vec<&str> = text
            .split_once("record types ")
            .map(|(_, rest)| rest.split_once(" (").map_or(rest, |(list, _)| list))
            .map(|list| list.split('/').collect())
            .unwrap_or_default();
        // The note is the last parenthesis (`(inferred from names)`), or the prose after the key.
        let rest = text[catalog.len()..].trim();
        let note = match (rest.strip_suffix(')'), rest.rfind('(')) {
            (Some(_), Some(open)) => &rest[open + 1..rest.len() - 1],
            _ => rest,
        };
        for (i, value) in values.iter().enumerate() {
            let record_type =
                (values.len() > 1 && record_types.len() == values.len()).then(|| record_types[i].to_owned());
            out.push(ApiLogType {
                value: (*value).to_owned(),
                catalog: catalog.to_owned(),
                record_type,
                note: (!note.is_empty()).then(|| note.to_owned()),
            });
        }
    }
    out
}

/// One value of the API's `nssLogType` enum and the catalog log type it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiLogType {
    /// The enum value (`"WEBLOG"`, `"CASB_FILELOG"`).
    pub value: String,
    /// The catalog file key it maps to (`"web"`, `"saas_security"`).
    pub catalog: String,
    /// The record type it narrows to, when one enum value exists per record type
    /// (`CASB_FILELOG` is SaaS Security's `File`).
    pub record_type: Option<String>,
    /// What the data file says of the mapping, when more than the key (`"inferred from names"`).
    pub note: Option<String>,
}

/// Every value of the API's `nssLogType` enum, in the data file's order.
pub fn api_nss_log_types() -> &'static [String] {
    &settings().log_types
}

/// Every value of the API's `nssType` enum (`NSS_FOR_WEB`, `NSS_FOR_FIREWALL`, ...).
pub fn api_nss_types() -> &'static [String] {
    &settings().nss_types
}

/// Every value of the API's `nssFeedType` enum (`JSON`, `CSV`, ...).
pub fn api_nss_feed_types() -> &'static [String] {
    &settings().feed_types
}

/// Every value of the Cloud NSS API's `siemType` enum (`OTHER`, `SPLUNK`, ...).
pub fn api_siem_types() -> &'static [String] {
    &settings().siem_types
}

/// The camelCase API names of the feed fields the data file records (`feedOutputFormat`,
/// `connectionURL`, ...), without their notes.
pub fn api_feed_fields() -> &'static [String] {
    &settings().fields
}

/// Every mapping from an `nssLogType` value to a catalog log type the data file records.
pub fn api_log_type_mapping() -> &'static [ApiLogType] {
    &settings().mapping
}

/// The `nssType` enum value for an NSS type as the portal names it (`"NSS for Web"` ->
/// `"NSS_FOR_WEB"`), when the enum has it.
pub fn api_nss_type(nss_type: &str) -> Option<&'static str> {
    let value = nss_type.to_ascii_uppercase().replace(' ', "_");
    api_nss_types().iter().find(|v| **v == value).map(String::as_str)
}

/// The `nssLogType` values a feed of `catalog` (a catalog file key, `"tunnel"`) narrowed to
/// `record_types` (empty: all) needs, one feed per value. Most log types have one; SaaS
/// Security has one per record type the API enumerates.
pub fn api_log_types_for(catalog: &str, record_types: &[String]) -> Vec<&'static ApiLogType> {
    api_log_type_mapping()
        .iter()
        .filter(|m| m.catalog == catalog)
        .filter(|m| match &m.record_type {
            None => true,
            Some(r) => record_types.is_empty() || record_types.contains(r),
        })
        .collect()
}

/// The Cloud NSS settings a SIEM's integration guide asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CloudNssSiem {
    /// The profile id (`"sekoia"`).
    pub profile: &'static str,
    /// The SIEM's name as its users know it (`"Sekoia.io"`).
    pub product: &'static str,
    /// The `siemType` enum value (`"OTHER"`).
    pub siem_type: &'static str,
    /// The default HTTPS endpoint batches are posted to.
    pub url: &'static str,
    /// The HTTP header carrying the SIEM's key.
    pub key_header: &'static str,
    /// What the key is called in the SIEM, and where to find it.
    pub key_hint: &'static str,
    /// Max Batch Size, in KB (the API's unit).
    pub max_batch_size_kb: u32,
    /// Whether JSON Array Notation stays on (batches as `[{...},{...}]`).
    pub json_array_notation: bool,
    /// Whether OAuth 2.0 is used.
    pub oauth: bool,
    /// The feed's time zone.
    pub time_zone: &'static str,
}

/// Per profile, the Cloud NSS settings from the SIEM's deployment guide. Sekoia.io's guide
/// (the values issue 6 quotes): SIEM type Other, OAuth off, 512 KB batches, the plain batch
/// endpoint answering 200, the intake key in `X-SEKOIAIO-INTAKE-KEY`, one JSON object per event
/// (array notation off), GMT.
static CLOUD_NSS_SIEMS: [CloudNssSiem; 1] = [CloudNssSiem {
    profile: "sekoia",
    product: "Sekoia.io",
    siem_type: "OTHER",
    url: "https://intake.sekoia.io/plain/batch?status_code=200",
    key_header: "X-SEKOIAIO-INTAKE-KEY",
    key_hint: "the intake key of your Zscaler intake, under Intakes in Sekoia.io",
    max_batch_size_kb: 512,
    json_array_notation: false,
    oauth: false,
    time_zone: "GMT",
}];

/// The Cloud NSS settings for a profile's SIEM.
pub fn cloud_nss_siem(profile: &str) -> Option<&'static CloudNssSiem> {
    CLOUD_NSS_SIEMS.iter().find(|s| s.profile == profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(catalog: &str, record_types: &[&str]) -> Vec<&'static str> {
        let record_types: Vec<String> = record_types.iter().map(|r| (*r).to_owned()).collect();
        api_log_types_for(catalog, &record_types).into_iter().map(|m| m.value.as_str()).collect()
    }

    #[test]
    fn every_mapped_value_is_in_the_enum_and_every_catalog_key_exists() {
        assert!(!api_log_type_mapping().is_empty());
        for m in api_log_type_mapping() {
            assert!(api_nss_log_types().contains(&m.value), "{}", m.value);
            assert!(crate::log_types().any(|t| t.key == m.catalog), "{} -> {}", m.value, m.catalog);
            if let Some(r) = &m.record_type {
                let t = crate::log_types().find(|t| t.key == m.catalog).unwrap();
                assert!(t.record_type_names().any(|n| n == r), "{} -> {r}", m.value);
            }
        }
    }

    #[test]
    fn the_sekoia_log_types_map_to_their_api_values() {
        assert_eq!(values("web", &[]), ["WEBLOG"]);
        assert_eq!(values("firewall", &[]), ["FWLOG"]);
        assert_eq!(values("dns", &[]), ["DNSLOG"]);
        assert_eq!(values("admin_audit", &[]), ["ADMIN_AUDIT"]);
        assert_eq!(values("tunnel", &["IKE Phase 1"]), ["MULTIFEEDLOG"]);
        assert_eq!(values("saas_security_activity", &[]), ["USER_ACT_REP"]);
        assert_eq!(
            values("saas_security", &[]),
            [
                "CASB_FILELOG",
                "CASB_MAILLOG",
                "CASB_ITSM",
                "CASB_CRM",
                "CASB_CODE_REPO",
                "CASB_COLLAB",
                "CASB_PCS"
            ]
        );
        assert_eq!(values("saas_security", &["Email"]), ["CASB_MAILLOG"]);
        assert!(values("cbc_metrics", &[]).is_empty());
        let note =
            |v: &str| api_log_type_mapping().iter().find(|m| m.value == v).and_then(|m| m.note.clone());
        assert_eq!(note("WEBLOG"), None);
        assert_eq!(note("CASB_PCS").as_deref(), Some("inferred from names"));
        assert_eq!(note("USER_ACT_REP").as_deref(), Some("inferred from name"));
        assert!(note("MULTIFEEDLOG").is_some_and(|n| n.starts_with("API doc: multiFeedType")));
    }

    #[test]
    fn enums_and_fields_are_read() {
        assert_eq!(api_nss_type("NSS for Web"), Some("NSS_FOR_WEB"));
        assert_eq!(api_nss_type("NSS for Firewall"), Some("NSS_FOR_FIREWALL"));
        assert_eq!(api_nss_type("NSS for Mars"), None);
        assert!(api_nss_feed_types().iter().any(|t| t == "JSON"));
        assert!(api_siem_types().iter().any(|t| t == "OTHER"));
        for f in ["feedOutputFormat", "connectionURL", "maxBatchSize", "customEscapedCharacter"] {
            assert!(api_feed_fields().iter().any(|x| x == f), "{f}");
        }
        let s = cloud_nss_siem("sekoia").unwrap();
        assert!(api_siem_types().iter().any(|t| t == s.siem_type));
        assert!(cloud_nss_siem("splunk").is_none());
    }
}
