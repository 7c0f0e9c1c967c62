//! SIEM profiles: for each log type a SIEM parses, the JSON body it expects, as data.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::Target;

struct Entry {
    id: &'static str,
    json: &'static str,
    parsed: OnceLock<Profile>,
}

static PROFILES: [Entry; 1] =
    [Entry { id: "sekoia", json: include_str!("../data/profiles/sekoia.json"), parsed: OnceLock::new() }];

impl Entry {
    fn get(&self) -> &Profile {
        self.parsed.get_or_init(|| {
            // Embedded and parsed by a test: a failure is a broken build, not user input.
            serde_json::from_str(self.json)
                .unwrap_or_else(|e| panic!("embedded profile `{}` is invalid: {e}", self.id))
        })
    }
}

/// Every built-in profile.
pub fn profiles() -> impl ExactSizeIterator<Item = &'static Profile> {
    PROFILES.iter().map(Entry::get)
}

/// The built-in profile with this id (`"sekoia"`).
pub fn profile(id: &str) -> Option<&'static Profile> {
    PROFILES.iter().find(|e| e.id == id).map(Entry::get)
}

/// What one SIEM expects from every log type it parses.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Profile {
    /// Profile id (`"sekoia"`).
    pub id: String,
    /// One line on whose parser the formats satisfy.
    pub description: String,
    /// Where the profile's formats were taken from.
    pub source: String,
    /// The feed escape characters the SIEM's guide asks for (`,\"`).
    pub escape_characters: String,
    /// What the syslog headers print.
    pub syslog: Syslog,
    /// The SIEM's syslog intake, where a concentrator forwards NSS VM feeds; `None` when the
    /// SIEM takes no syslog.
    #[serde(default)]
    pub syslog_intake: Option<SyslogIntake>,
    /// Named envelope spacing styles.
    pub envelopes: BTreeMap<String, Envelope>,
    /// The log types, in the order the SIEM's guide lists them.
    pub log_types: Vec<ProfileLogType>,
}

impl Profile {
    /// The profile log type with this id.
    pub fn log_type(&self, id: &str) -> Option<&ProfileLogType> {
        self.log_types.iter().find(|t| t.id == id)
    }

    /// The envelope spacing a log type uses for a target.
    pub fn envelope(&self, log_type: &ProfileLogType, target: Target) -> Option<&Envelope> {
        let style = log_type.envelope.get(target.id())?;
        self.envelopes.get(style)
    }
}

/// What the syslog headers print (`nssgen-profile` frames them).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Syslog {
    /// The HOSTNAME field (`zscaler-nss`).
    pub hostname: String,
    /// The TAG / APP-NAME field (`NSS`).
    pub tag: String,
    /// The RFC5424 PRI value (134 = local0.info).
    pub pri: u8,
}

/// A SIEM's syslog intake: RFC5424 over TLS with octet-counted framing (RFC 6587), the intake
/// key carried in a structured-data element (`[SEKOIA@53288 intake_key="KEY"]`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SyslogIntake {
    /// The intake's host name, also the name its TLS certificate must carry.
    pub host: String,
    /// The intake's TCP port.
    pub port: u16,
    /// The SD-ID of the element holding the key (`SEKOIA@53288`).
    pub sd_id: String,
    /// The SD-PARAM name of the key (`intake_key`).
    pub key_param: String,
    /// The environment variable the key is read from by default (`SEKOIA_INTAKE_KEY`).
    pub key_env: String,
    /// The RFC5424 MSGID the SIEM's guide writes (`LOG`).
    pub msgid: String,
    /// Where these values were taken from.
    pub source: String,
}

/// The spacing of `\{"sourcetype" : "x", "event" : \{`: vendors' strings differ only in it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Envelope {
    /// After the opening brace.
    pub open: String,
    /// Around the colon after `"sourcetype"`.
    pub colon: String,
    /// After the comma before `"event"`.
    pub comma: String,
    /// Around the colon after `"event"`.
    pub event_colon: String,
}

/// One log type of a profile: a catalog log type (possibly narrowed to record types) and the
/// JSON body the SIEM expects for it.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ProfileLogType {
    /// Kebab-case id (`"tunnel-ike-phase1"`).
    pub id: String,
    /// The title the SIEM's guide gives it (`"Tunnel IKE Phase 1"`).
    pub title: String,
    /// The catalog log type key (`"tunnel"`).
    pub catalog: String,
    /// Record types this format serves; empty for all.
    pub record_types: Vec<String>,
    /// The JSON `sourcetype` the SIEM routes on.
    pub sourcetype: String,
    /// Where the format was taken from, relative to the reference data.
    pub reference: String,
    /// Envelope style name per target id.
    pub envelope: BTreeMap<String, String>,
    /// The event body: JSON key and value, the value being NSS format text (`%s{eurl}`,
    /// `IPSEC IKEV %d{ikeversion}`, or a constant such as `Zscaler`), printed as a JSON string.
    pub body: Vec<(String, String)>,
}

impl ProfileLogType {
    /// The catalog log type this one draws its fields from.
    pub fn catalog_log_type(&self) -> Option<&'static crate::LogType> {
        crate::catalog::log_type_of_key(&self.catalog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sekoia_has_nine_log_types_each_with_an_envelope_per_target() {
        let p = profile("sekoia").unwrap();
        let ids: Vec<&str> = p.log_types.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "web",
                "firewall",
                "dns",
                "tunnel",
                "tunnel-ike-phase1",
                "tunnel-ike-phase2",
                "admin-audit",
                "saas-security",
                "saas-security-activity"
            ]
        );
        for t in &p.log_types {
            for target in Target::ALL {
                assert!(p.envelope(t, target).is_some(), "{} {target}", t.id);
            }
            assert!(t.catalog_log_type().is_some(), "{}", t.id);
            assert!(!t.body.is_empty(), "{}", t.id);
        }
        assert!(profile("splunk").is_none());
    }

    #[test]
    fn every_body_value_is_a_valid_format_whose_fields_the_catalog_or_vendors_know() {
        let p = profile("sekoia").unwrap();
        // Specs Sekoia uses that no Zscaler table lists (FACTS.md, "Third-party formats use
        // specs absent from every Zscaler table").
        let vendor_only = ["yy", "tsport", "elocationname", "policydirection", "objtype1"];
        for t in &p.log_types {
            let catalog = t.catalog_log_type().unwrap();
            for (key, value) in &t.body {
                let format = nssgen_syntax::parse(value).unwrap_or_else(|e| panic!("{} `{key}`: {e}", t.id));
                for spec in format.fields() {
                    assert!(
                        catalog.field(&spec.name).is_some() || vendor_only.contains(&spec.name.as_str()),
                        "{} `{key}`: `{}` is in neither the catalog nor the vendor list",
                        t.id,
                        spec.name
                    );
                }
            }
        }
    }
}
