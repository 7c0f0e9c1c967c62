//! The Zscaler NSS field catalog and the SIEM profiles, embedded at build time.
//!
//! The catalog knows, for every log type Zscaler documents, every field: its conversion,
//! padding, category, example and variant links (`e` hex-encoded, `b64`, `o` obfuscated).
//! A profile says what a SIEM expects: for each of its log types, the JSON body as data.
//! The known formats are every format string a vendor published (Sekoia.io's history,
//! Elastic's versions), looked up by text ([`known_format`]) or by what they serve
//! ([`current_known_format`]).
//!
//! ```
//! let web = nssgen_catalog::log_type("web").expect("web is in the catalog");
//! assert_eq!(web.sourcetype.as_deref(), Some("zscalernss-web"));
//! let eurl = web.field("eurl").expect("eurl is a web field");
//! assert_eq!(eurl.variant, Some(nssgen_catalog::Variant::Hex));
//! assert_eq!(eurl.variant_of.as_deref(), Some("url"));
//!
//! let sekoia = nssgen_catalog::profile("sekoia").expect("sekoia is built in");
//! assert_eq!(sekoia.log_type("tunnel-ike-phase1").map(|t| t.catalog.as_str()), Some("tunnel"));
//! ```
#![deny(missing_docs)]

mod catalog;
mod feed;
mod known;
mod profile;
mod target;

pub use catalog::{encoding_of, log_type, log_type_ids, log_types, Field, LogType, Variant, VariantOf};
pub use feed::{
    api_feed_fields, api_log_type_mapping, api_log_types_for, api_nss_feed_types, api_nss_log_types,
    api_nss_type, api_nss_types, api_siem_types, cloud_nss_siem, ApiLogType, CloudNssSiem,
};
pub use known::{current_known_format, known_format, known_formats, KnownFormat};
pub use profile::{profile, profiles, Envelope, Profile, ProfileLogType, Syslog, SyslogIntake};
pub use target::{Target, UnknownTarget};
