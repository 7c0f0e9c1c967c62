//! What a format is checked as: its log type (given or inferred), the record types it serves,
//! and the shape of its syslog header (given by the target or read from the format).

use nssgen_catalog::{LogType, Target};
use nssgen_syntax::{Format, Item};

/// The syslog header a format carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `Mmm dd hh:mm:ss HOSTNAME TAG ...`
    Rfc3164,
    /// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD ...`
    Rfc5424,
    /// No header: Cloud NSS, or a raw TCP line.
    Headless,
}

/// Fields vendors' formats use that no Zscaler table lists (FACTS.md, "Third-party formats use
/// specs absent from every Zscaler table"), with what is known of each.
pub(crate) const VENDOR_ONLY: [(&str, &str); 14] = [
    ("yy", "vendors' samples show it printing a four-digit year; the documented field is `%04d{yyyy}`"),
    ("tsport", "Sekoia, Sumo Logic and Terraform firewall formats use it"),
    (
        "elocationname",
        "Sekoia, Sumo Logic and Google tunnel formats use it; the documented field is `locationname`",
    ),
    ("policydirection", "Sekoia, Sumo Logic and Google tunnel formats use it"),
    ("objtype1", "Sekoia uses it; the documented field is `%s{objtypename1}`"),
    ("ctime", "Sumo Logic web formats use it"),
    ("stime", "Sumo Logic web formats use it"),
    ("module", "Elastic web formats use it"),
    // Elastic's current formats use these; the catalog snapshot predates them.
    ("zs_rcv_time", "Elastic's email DLP format uses it; newer than the catalog snapshot"),
    ("zs_sent_time", "Elastic's email DLP format uses it; newer than the catalog snapshot"),
    ("ac_doc_subtypes", "Elastic's email DLP format uses it; newer than the catalog snapshot"),
    ("copilot_accessible", "Elastic's SaaS security formats use it; newer than the catalog snapshot"),
    ("accessibility_flags", "Elastic's SaaS security formats use it; newer than the catalog snapshot"),
    ("labelname", "Elastic's SaaS security formats use it; newer than the catalog snapshot"),
];

/// The log type a format is checked against.
#[derive(Debug)]
pub(crate) struct Subject {
    pub(crate) log_type: &'static LogType,
    /// Record types the format serves (empty: the log type has none).
    pub(crate) record_types: Vec<String>,
    /// How the log type was chosen, for the `checked-as` note.
    pub(crate) how: String,
}

/// A log type id given on the command line: a catalog log type, or a profile log type narrowed
/// to its record types (`tunnel-ike-phase1`). `None` when no such id exists.
pub(crate) fn resolve(id: &str) -> Option<(&'static LogType, Vec<String>)> {
    if let Some(t) = nssgen_catalog::log_type(id) {
        return Some((t, Vec::new()));
    }
    nssgen_catalog::profiles()
        .filter_map(|p| p.log_type(id))
        .find_map(|pt| pt.catalog_log_type().map(|t| (t, pt.record_types.clone())))
}

/// Every id [`resolve`] accepts, for the usage error.
pub(crate) fn valid_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = nssgen_catalog::log_type_ids().collect();
    for p in nssgen_catalog::profiles() {
        for t in &p.log_types {
            if !ids.contains(&t.id.as_str()) {
                ids.push(&t.id);
            }
        }
    }
    ids
}

/// Whether the log type knows `name` (as a field or a documented variant).
pub(crate) fn knows(log_type: &LogType, name: &str) -> bool {
    log_type.field(name).is_some()
}

/// The distinct field names of the format, in order.
fn names(format: &Format) -> Vec<&str> {
    // A set beside the list: a junk file can hold tens of thousands of names.
    let mut seen = std::collections::HashSet::new();
    format.fields().map(|f| f.name.as_str()).filter(|n| seen.insert(*n)).collect()
}

/// Picks the log type: the given one, or the one the body's `sourcetype` names, or the catalog
/// log type that knows most of the format's fields.
pub(crate) fn subject(
    format: &Format,
    given: Option<(&'static LogType, Vec<String>)>,
    given_id: Option<&str>,
) -> Option<Subject> {
    let names = names(format);
    let score = |t: &LogType| names.iter().filter(|n| knows(t, n)).count();
    let (log_type, mut how, given_record_types) = match given {
        Some((t, record_types)) => {
            let how = format!("log type `{}` (given)", given_id.unwrap_or(&t.id));
            (t, how, record_types)
        }
        None => {
            let sourcetype = sourcetype(format);
            let by_sourcetype: Vec<&'static LogType> = match &sourcetype {
                Some(s) => {
                    nssgen_catalog::log_types().filter(|t| t.sourcetype.as_deref() == Some(s)).collect()
                }
                None => Vec::new(),
            };
            let best = |candidates: &[&'static LogType]| {
                candidates.iter().copied().fold(None::<(&'static LogType, usize)>, |best, t| {
                    let s = score(t);
                    match best {
                        Some((_, b)) if b >= s => best,
                        _ => Some((t, s)),
                    }
                })
            };
            match (best(&by_sourcetype), sourcetype) {
                (Some((t, _)), Some(s)) if by_sourcetype.len() == 1 => {
                    (t, format!("log type `{}` (inferred from the sourcetype `{s}`)", t.id), Vec::new())
                }
                (Some((t, _)), Some(s)) => (
                    t,
                    format!(
                        "log type `{}` (inferred from the sourcetype `{s}` and the fields it knows best)",
                        t.id
                    ),
                    Vec::new(),
                ),
                _ => {
                    let all: Vec<&'static LogType> = nssgen_catalog::log_types().collect();
                    let (t, s) = best(&all)?;
                    if s == 0 {
                        return None;
                    }
                    let how = format!(
                        "log type `{}` (inferred: it knows {s} of the format's {} field names; pass --log-type to choose)",
                        t.id,
                        names.len()
                    );
                    (t, how, Vec::new())
                }
            }
        }
    };
    let record_types = if !given_record_types.is_empty() || log_type.record_types.is_empty() {
        if !given_record_types.is_empty() {
            how.push_str(&format!(
                ", record type {} (from the profile log type)",
                given_record_types.join(" / ")
            ));
        }
        given_record_types
    } else {
        let inferred = infer_record_types(log_type, &names);
        if !inferred.is_empty() {
            how.push_str(&format!(", record type {} (inferred from the fields)", inferred.join(" / ")));
        }
        inferred
    };
    Some(Subject { log_type, record_types, how })
}

/// The record types that carry the most of the format's fields.
fn infer_record_types(log_type: &LogType, names: &[&str]) -> Vec<String> {
    let counts: Vec<(&str, usize)> = log_type
        .record_type_names()
        .map(|rt| {
            let n = names
                .iter()
                .filter(|name| log_type.fields_named(name).any(|f| f.record_types.iter().any(|r| r == rt)))
                .count();
            (rt, n)
        })
        .collect();
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    if max == 0 {
        return Vec::new();
    }
    counts.into_iter().filter(|(_, n)| *n == max).map(|(rt, _)| rt.to_owned()).collect()
}

/// The `zscalernss-...` sourcetype named in the format's literals.
pub(crate) fn sourcetype(format: &Format) -> Option<String> {
    format.literals().find_map(|l| {
        let at = l.text.find("zscalernss-")?;
        let rest = &l.text[at..];
        let end =
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
        Some(rest[..end].to_owned())
    })
}

/// The header shape: from the target when given, else from how the format begins.
pub(crate) fn shape(format: &Format, target: Option<Target>) -> (Shape, String) {
    match target {
        Some(Target::Nss) => return (Shape::Rfc3164, "target `nss` (given)".to_owned()),
        Some(Target::NssRfc5424) => return (Shape::Rfc5424, "target `nss-rfc5424` (given)".to_owned()),
        Some(Target::CloudNss) => return (Shape::Headless, "target `cloud-nss` (given)".to_owned()),
        _ => {}
    }
    let first = format.items.first();
    let starts_5424 = matches!(first, Some(Item::Literal(l)) if l.text.starts_with('<') && {
        let close = l.text.find('>');
        close.is_some_and(|c| l.text[c + 1..].starts_with('1'))
    });
    if starts_5424 {
        return (Shape::Rfc5424, "target `nss-rfc5424` (read from the `<PRI>1` header)".to_owned());
    }
    let starts_with_date =
        matches!(first, Some(Item::Field(f)) if crate::header::DATE_FIELDS.contains(&f.name.as_str()));
    if starts_with_date && nssgen_syntax::plan::body_split(format).is_none_or(|(i, _)| i > 0) {
        return (Shape::Rfc3164, "target `nss` (read from the RFC3164 timestamp)".to_owned());
    }
    (Shape::Headless, "no syslog header (Cloud NSS, or a raw TCP line)".to_owned())
}
