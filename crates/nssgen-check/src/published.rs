//! Formats a profile publishes. Byte for byte, a profile's format is its vendor's choice: its
//! known risks are reported once, as a fact, not as warnings to act on. By its body, a format
//! follows a profile's when it names the profile's sourcetype and carries most of its keys:
//! then no fix may turn a field into one the vendor's parser may not read.

use nssgen_catalog::{Profile, ProfileLogType, Target};
use nssgen_syntax::{Format, Item};

use crate::context;
use crate::diagnostic::{Diagnostic, Rule, Severity};

/// The rules whose warnings, on a published format, are the vendor's choice.
const VENDOR_CHOICES: [(Rule, &str); 3] = [
    (Rule::VendorOnlyField, "fields in no Zscaler table"),
    (Rule::UnsafeJsonValue, "plain text in JSON strings"),
    (Rule::RecordType, "fields some record types lack"),
];

/// The profile, log type and target whose format `text` is, byte for byte.
fn published(text: &str) -> Option<(&'static Profile, &'static ProfileLogType, Target)> {
    nssgen_catalog::profiles().find_map(|p| {
        p.log_types.iter().find_map(|t| {
            Target::ALL
                .into_iter()
                .find(|target| nssgen_profile::format(&p.id, &t.id, *target).is_ok_and(|f| f.text == text))
                .map(|target| (p, t, target))
        })
    })
}

/// On a published format, folds the vendor's-choice warnings into one info naming the format
/// and listing them, and drops their fixes; otherwise leaves `out` as it is.
pub(crate) fn fold(format: &Format, text: &str, out: &mut Vec<Diagnostic>) {
    let Some((profile, log_type, target)) = published(text) else { return };
    let is_choice = |d: &Diagnostic| {
        d.severity == Severity::Warning && VENDOR_CHOICES.iter().any(|(rule, _)| *rule == d.rule)
    };
    let mut risks = Vec::new();
    for (rule, what) in VENDOR_CHOICES {
        let mut specs: Vec<String> = Vec::new();
        for d in out.iter().filter(|d| d.rule == rule && is_choice(d)) {
            // The spec the finding points into (NSS004 points at the name only).
            let at = d.span.map_or(usize::MAX, |s| s.start);
            let spec = format.fields().find(|f| f.span.start <= at && at < f.span.end.max(f.span.start + 1));
            let shown = spec.map_or_else(|| d.label.clone(), |f| format!("`{f}`"));
            if !specs.contains(&shown) {
                specs.push(shown);
            }
        }
        if !specs.is_empty() {
            risks.push(format!("{what} ({}): {}", rule.code(), specs.join(", ")));
        }
    }
    out.retain(|d| !is_choice(d));
    let named =
        format!("the {} `{}` format for target `{}`, byte for byte", profile.id, log_type.id, target.id());
    let message = if risks.is_empty() {
        format!("{named}: the vendor's published choice")
    } else {
        format!("{named}: its known risks are the vendor's choice: {}", risks.join("; "))
    };
    out.push(Diagnostic::new(Rule::PublishedFormat, Severity::Info, None, message).help(format!(
        "{}'s parser reads these fields as they are: changing one (to an `e` variant, say) changes \
             what it receives; any edit to the format is checked in full",
        profile.id
    )));
}

/// The profile log types whose body a format follows (its sourcetype, and at least half of the
/// body's keys): worked out once per format, since every plain field asks it.
pub(crate) struct Followed {
    log_types: Vec<(&'static Profile, &'static ProfileLogType)>,
}

impl Followed {
    pub(crate) fn of(format: &Format) -> Self {
        let Some(sourcetype) = context::sourcetype(format) else { return Followed { log_types: Vec::new() } };
        let literals: String = format.literals().map(|l| l.text.as_str()).collect();
        let log_types = nssgen_catalog::profiles()
            .flat_map(|p| p.log_types.iter().map(move |t| (p, t)))
            .filter(|(_, t)| t.sourcetype == sourcetype && follows(&literals, t))
            .collect();
        Followed { log_types }
    }

    /// The profile log type that puts the plain field at `index` under the same JSON key: its
    /// parser reads that field as it is, so a fix must not change it.
    pub(crate) fn reads_plain(
        &self,
        format: &Format,
        index: usize,
    ) -> Option<(&'static Profile, &'static ProfileLogType, String)> {
        if self.log_types.is_empty() {
            return None;
        }
        let Some(Item::Field(field)) = format.items.get(index) else { return None };
        let key = json_key(format, index);
        let plain = format!("%s{{{}}}", field.name);
        self.log_types.iter().find_map(|&(p, t)| {
            t.body
                .iter()
                .find(|(k, v)| key.is_none_or(|key| key == k) && v.contains(&plain))
                .map(|(k, _)| (p, t, k.clone()))
        })
    }
}

/// Whether the format's literals carry at least half of the profile body's keys, quoted.
fn follows(literals: &str, log_type: &ProfileLogType) -> bool {
    let present = log_type.body.iter().filter(|(k, _)| literals.contains(&format!("\"{k}\""))).count();
    present * 2 >= log_type.body.len()
}

/// The JSON key whose string value the field at `index` opens (`"key":"%s{x}`), if any.
fn json_key(format: &Format, index: usize) -> Option<&str> {
    let Some(Item::Literal(l)) = format.items.get(index.checked_sub(1)?) else { return None };
    let t = l.text.strip_suffix('"')?.trim_end().strip_suffix(':')?.trim_end().strip_suffix('"')?;
    Some(&t[t.rfind('"')? + 1..])
}
