//! Log types and their fields, read from the embedded catalog files on first use.

use std::sync::OnceLock;

use nssgen_syntax::plan::Encoding;
use nssgen_syntax::Conversion;
use serde::{Deserialize, Deserializer, Serialize};

/// One embedded catalog file and its parsed form.
struct Entry {
    id: &'static str,
    json: &'static str,
    parsed: OnceLock<LogType>,
}

macro_rules! entries {
    ($($id:literal => $file:literal,)*) => {
        [$(Entry {
            id: $id,
            json: include_str!(concat!("../data/catalog/", $file)),
            parsed: OnceLock::new(),
        },)*]
    };
}

/// Every log type, in the order `nssgen list` shows them: ZIA first, then Cloud & Branch
/// Connector. Each file is parsed when first asked for, so `nssgen format web` reads no
/// catalog at all and `nssgen fields web` reads one file.
static ENTRIES: [Entry; 14] = entries! {
    "web" => "web.json",
    "firewall" => "firewall.json",
    "dns" => "dns.json",
    "tunnel" => "tunnel.json",
    "admin-audit" => "admin_audit.json",
    "saas-security" => "saas_security.json",
    "saas-security-activity" => "saas_security_activity.json",
    "endpoint-dlp" => "endpoint_dlp.json",
    "email-dlp" => "email_dlp.json",
    "alerts" => "alerts.json",
    "cbc-session" => "cbc_session.json",
    "cbc-dns" => "cbc_dns.json",
    "cbc-event" => "cbc_event.json",
    "cbc-metrics" => "cbc_metrics.json",
};

impl Entry {
    fn get(&self) -> &LogType {
        self.parsed.get_or_init(|| {
            // The files are embedded and a test parses every one, so a failure here is a
            // broken build, not bad user input.
            let mut log_type: LogType = serde_json::from_str(self.json)
                .unwrap_or_else(|e| panic!("embedded catalog `{}` is invalid: {e}", self.id));
            log_type.id = self.id.to_owned();
            log_type
        })
    }
}

/// Every catalog log type.
pub fn log_types() -> impl ExactSizeIterator<Item = &'static LogType> {
    ENTRIES.iter().map(Entry::get)
}

/// The log type of a catalog file key (`admin_audit`), as profiles and known formats name it.
pub(crate) fn log_type_of_key(key: &str) -> Option<&'static LogType> {
    log_type(&key.replace('_', "-"))
}

/// The catalog log type with this kebab-case id (`"admin-audit"`).
pub fn log_type(id: &str) -> Option<&'static LogType> {
    ENTRIES.iter().find(|e| e.id == id).map(Entry::get)
}

/// The ids of every catalog log type, without parsing any file.
pub fn log_type_ids() -> impl ExactSizeIterator<Item = &'static str> {
    ENTRIES.iter().map(|e| e.id)
}

/// A log type Zscaler documents, with every field of its feed output format page.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct LogType {
    /// Kebab-case id (`"saas-security"`).
    #[serde(skip_deserializing)]
    pub id: String,
    /// Name as the Zscaler docs print it (`"SaaS Security"`).
    #[serde(rename = "log_type")]
    pub name: String,
    /// The catalog file's key (`"saas_security"`).
    pub key: String,
    /// The NSS type a feed of this log type is created under (`"NSS for Web"`).
    pub nss_type: String,
    /// The JSON `sourcetype` vendors wrap this log type's records in (`"zscalernss-web"`).
    #[serde(rename = "json_sourcetype_seen_in_third_party_formats", default)]
    pub sourcetype: Option<String>,
    /// Record types (tunnel, SaaS security, CBC metrics), each with the specs it carries, in
    /// the docs' order. Empty for log types with one kind of record.
    #[serde(default, deserialize_with = "record_types")]
    pub record_types: Vec<(String, Vec<String>)>,
    /// Every documented field, in the docs' order. A name can appear more than once when
    /// record types print it differently (SaaS Security Gen AI uses `%d{ss}`, the others
    /// `%02d{ss}`).
    pub fields: Vec<Field>,
}

impl LogType {
    /// The first field with this name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Every field with this name (more than one when record types differ).
    pub fn fields_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields.iter().filter(move |f| f.name == name)
    }

    /// The record type names, in the docs' order.
    pub fn record_type_names(&self) -> impl Iterator<Item = &str> {
        self.record_types.iter().map(|(name, _)| name.as_str())
    }

    /// Whether `name` is a variant in this log type, and of which base field.
    ///
    /// The catalog answers first (`edepartment` is the hex variant of `dept`). A name the
    /// catalog does not list is read by its prefix when the rest names a catalog field that is
    /// not itself a variant: third-party formats use such names (`%s{elocationname}` in
    /// tunnel formats, where the catalog has only `locationname`). The emulator, the derive
    /// and the interpreter all ask here, so rendering and parsing agree.
    pub fn variant_of(&self, name: &str) -> Option<VariantOf> {
        if let Some(field) = self.field(name) {
            let variant = field.variant?;
            let base = field
                .variant_of
                .clone()
                .unwrap_or_else(|| name.strip_prefix(variant.prefix()).unwrap_or(name).to_owned());
            return Some(VariantOf { variant, base });
        }
        [Variant::B64, Variant::Hex, Variant::Obfuscated].into_iter().find_map(|variant| {
            let base = name.strip_prefix(variant.prefix())?;
            let field = self.field(base)?;
            field.variant.is_none().then(|| VariantOf { variant, base: base.to_owned() })
        })
    }

    /// Whether a field belongs to any of `record_types` (every field does when the list is
    /// empty or the log type has no record types).
    pub fn field_in_record_types(field: &Field, record_types: &[String]) -> bool {
        record_types.is_empty()
            || field.record_types.is_empty()
            || field.record_types.iter().any(|r| record_types.contains(r))
    }
}

/// One field of a log type.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Field {
    /// The field name between the braces (`"eurl"`).
    pub name: String,
    /// The spec as the docs print it (`"%02d{dd}"`).
    pub spec: String,
    /// The conversion; `None` where the docs print no conversion character
    /// (CBC DNS `%{oresp_val_str}`).
    #[serde(deserialize_with = "conversion", serialize_with = "conversion_name")]
    pub conv: Option<Conversion>,
    /// printf flags (`"0"` for zero padding).
    #[serde(default)]
    pub flags: String,
    /// Minimum width (`2` in `%02d`).
    #[serde(default)]
    pub width: Option<u32>,
    /// The table heading (or record type) the field is listed under.
    #[serde(default)]
    pub category: Option<String>,
    /// Every heading the field is listed under.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Record types that carry the field (empty: the log type has none).
    #[serde(default)]
    pub record_types: Vec<String>,
    /// An example value from the docs, as printed there.
    #[serde(default)]
    pub example: Option<String>,
    /// The matching column in Zscaler's Insights Logs (web, firewall, DNS).
    #[serde(default)]
    pub insights_column: Option<String>,
    /// Which kind of variant this field is, if any.
    #[serde(default)]
    pub variant: Option<Variant>,
    /// The base field this one is a variant of (`eurl` → `url`).
    #[serde(default)]
    pub variant_of: Option<String>,
    /// Specs of this field's variants (`url` → `%s{b64url}`, `%s{eurl}`).
    #[serde(default)]
    pub variants: Vec<String>,
    /// What the catalog noted about the field.
    #[serde(default)]
    pub note: Option<String>,
}

impl Field {
    /// The conversion as written, `"?"` when the docs give none.
    pub fn conv_str(&self) -> &'static str {
        self.conv.map_or("?", Conversion::as_str)
    }
}

/// How a variant field relates to its base field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// `e` prefix: bytes <= 0x20, >= 0x7F and the feed's escape characters as `%HH`.
    Hex,
    /// `b64` prefix: base64.
    B64,
    /// `o` prefix: an obfuscated value.
    Obfuscated,
}

/// How a format field derives from a base field: `eurl` is the hex encoding of `url`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VariantOf {
    /// The kind of variant.
    pub variant: Variant,
    /// The base field's name (`url`; `dept` for `edepartment`).
    pub base: String,
}

/// The hex or base64 variant `name` is in the first catalog log type that reads it as one,
/// for formats tied to no log type (an inline format in a derive).
fn encoded_variant_of_any(name: &str) -> Option<VariantOf> {
    log_types().filter_map(|t| t.variant_of(name)).find(|v| matches!(v.variant, Variant::Hex | Variant::B64))
}

/// How NSS encodes the field `name` in lines: by its variant in `log_type`, or, for a format
/// tied to no log type, in any catalog log type that reads it as a hex or base64 variant. The
/// one variant → encoding rule: the derive, the CLI's interpreter and the tests all ask here.
pub fn encoding_of(log_type: Option<&LogType>, name: &str) -> Encoding {
    let variant = match log_type {
        Some(log_type) => log_type.variant_of(name),
        None => encoded_variant_of_any(name),
    };
    variant.map_or(Encoding::Plain, |v| v.variant.encoding())
}

impl Variant {
    /// How NSS encodes a field of this variant in lines (an obfuscated value is plain text).
    pub fn encoding(self) -> Encoding {
        match self {
            Variant::Hex => Encoding::Hex,
            Variant::B64 => Encoding::Base64,
            Variant::Obfuscated => Encoding::Plain,
        }
    }

    /// The prefix NSS field names carry for this variant (`e`, `b64`, `o`).
    pub fn prefix(self) -> &'static str {
        match self {
            Variant::Hex => "e",
            Variant::B64 => "b64",
            Variant::Obfuscated => "o",
        }
    }

    /// The short name used in listings (`hex`, `b64`, `obfuscated`).
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Hex => "hex",
            Variant::B64 => "b64",
            Variant::Obfuscated => "obfuscated",
        }
    }
}

fn conversion<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Conversion>, D::Error> {
    let Some(name) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    Conversion::from_name(&name)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown conversion `{name}`")))
}

fn conversion_name<S: serde::Serializer>(c: &Option<Conversion>, s: S) -> Result<S::Ok, S::Error> {
    c.map(Conversion::as_str).serialize(s)
}

fn record_types<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Vec<String>)>, D::Error> {
    let map = Option::<serde_json::Map<String, serde_json::Value>>::deserialize(d)?;
    map.into_iter()
        .flatten()
        .map(|(name, specs)| {
            let specs = Vec::<String>::deserialize(specs).map_err(serde::de::Error::custom)?;
            Ok((name, specs))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_parses_and_ids_are_unique() {
        let ids: Vec<&str> = log_types().map(|t| t.id.as_str()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(ids.len(), unique.len());
        for t in log_types() {
            assert!(!t.fields.is_empty(), "{} has no fields", t.id);
            assert_eq!(t.id, t.key.replace('_', "-"), "id follows the file key");
        }
    }

    #[test]
    fn field_counts_match_the_catalog_facts() {
        // Unique specs per file, from FACTS.md's table.
        let expected = [
            ("web", 225),
            ("firewall", 87),
            ("dns", 66),
            ("tunnel", 46),
            ("admin-audit", 27),
            ("saas-security", 206),
            ("saas-security-activity", 23),
            ("endpoint-dlp", 102),
            ("email-dlp", 53),
            ("alerts", 8),
            ("cbc-session", 62),
            ("cbc-dns", 44),
            ("cbc-event", 36),
            ("cbc-metrics", 52),
        ];
        for (id, count) in expected {
            assert_eq!(log_type(id).unwrap().fields.len(), count, "{id}");
        }
    }

    #[test]
    fn variants_conversions_and_record_types_are_read() {
        let web = log_type("web").unwrap();
        let ocip = web.field("ocip").unwrap();
        assert_eq!(ocip.variant, Some(Variant::Obfuscated));
        assert_eq!(ocip.conv, Some(Conversion::D));
        let url = web.field("url").unwrap();
        assert_eq!(url.variants, ["%s{b64url}", "%s{eurl}"]);
        let dd = web.field("dd").unwrap();
        assert_eq!((dd.flags.as_str(), dd.width), ("0", Some(2)));

        let cbc_dns = log_type("cbc-dns").unwrap();
        assert_eq!(cbc_dns.field("oresp_val_str").unwrap().conv, None);

        let tunnel = log_type("tunnel").unwrap();
        let names: Vec<&str> = tunnel.record_type_names().collect();
        assert_eq!(names, ["IKE Phase 1", "IKE Phase 2", "Tunnel Events", "Tunnel Samples"]);
        let spi_in = tunnel.field("spi_in").unwrap();
        assert_eq!(spi_in.conv, Some(Conversion::Lu));
        assert_eq!(spi_in.record_types, ["IKE Phase 1"]);

        let saas = log_type("saas-security").unwrap();
        let ss: Vec<&str> = saas.fields_named("ss").map(|f| f.spec.as_str()).collect();
        assert_eq!(ss, ["%02d{ss}", "%d{ss}"]);
        assert!(log_type("nope").is_none());
    }

    #[test]
    fn every_spec_parses_with_the_grammar_except_the_documented_anomaly() {
        for t in log_types() {
            for f in &t.fields {
                match nssgen_syntax::parse(&f.spec) {
                    Ok(format) => {
                        let spec = format.fields().next().unwrap();
                        assert_eq!(spec.name, f.name, "{}: {}", t.id, f.spec);
                        assert_eq!(Some(spec.conv), f.conv, "{}: {}", t.id, f.spec);
                        assert_eq!(spec.width, f.width, "{}: {}", t.id, f.spec);
                    }
                    Err(_) => assert_eq!(f.spec, "%{oresp_val_str}", "{}", t.id),
                }
            }
        }
    }
}
