//! Lines printed by known vendor formats: every known format (Sekoia.io's history, Elastic's
//! versions, and each profile's own Cloud NSS framing of its current body) compiled once; a
//! line matched against them by their literal text; and, for a line no known format prints
//! exactly, the known format whose JSON keys it is closest to. `identify` groups lines by
//! these, and `parse` reads a line of an older published version with that version's format.

use std::sync::OnceLock;

use nssgen::Parser;
use nssgen_catalog::Target;
use nssgen_check::known::{self, KeyChange};
use nssgen_syntax::plan::{self, Encoding};

/// A known format, compiled.
#[derive(Debug)]
pub(crate) struct Known {
    pub(crate) profile: &'static str,
    pub(crate) log_type: &'static str,
    pub(crate) target: Target,
    /// When the vendor published it (`2025-04-08`), or its version token (`v11`).
    pub(crate) version: &'static str,
    /// Whether it is the vendor's current format for its log type and target.
    pub(crate) current: bool,
    /// The constants its body prints under the identity keys (`sourcetype`, `sourcesubtype`).
    identity: Vec<(String, String)>,
    /// The keys its lines carry.
    keys: Vec<String>,
    /// The keys the vendor's current format adds to this one: on a line of this format, the
    /// keys whose values the line lacks.
    pub(crate) added: Vec<String>,
    /// The bytes of literal text its lines hold: of two formats that print a line whole, the one
    /// with more explains more of it.
    literal: usize,
    /// Its distinct fields: of two formats that print a line whole with the same literal text,
    /// the one with fewer explains more of it (a field printed twice must hold one value).
    fields: usize,
    pub(crate) parser: Parser,
}

/// Every known format, compiled on first use: the vendors' own, then each profile's Cloud NSS
/// framing (vendors publish none: it carries the version of the body it frames, the `nss` one).
pub(crate) fn all() -> &'static [Known] {
    static ALL: OnceLock<Vec<Known>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<Known> = nssgen_catalog::known_formats()
            .iter()
            .filter_map(|k| {
                let current = k.current_one().unwrap_or(k);
                let added = KeyChange::between(&known::known_keys(k), &known::known_keys(current)).added;
                compile(
                    &k.text,
                    k.catalog_log_type(),
                    (&k.profile, &k.log_type, k.target, &k.version, k.current),
                    added,
                )
            })
            .collect();
        for profile in nssgen_catalog::profiles() {
            for t in &profile.log_types {
                let (Ok(framed), Some(nss)) = (
                    nssgen_profile::format(&profile.id, &t.id, Target::CloudNss),
                    nssgen_catalog::current_known_format(&profile.id, &t.id, Target::Nss),
                ) else {
                    continue;
                };
                if all.iter().any(|k| k.parser.format() == framed.text) {
                    continue;
                }
                let what = (profile.id.as_str(), t.id.as_str(), Target::CloudNss, nss.version.as_str(), true);
                all.extend(compile(&framed.text, t.catalog_log_type(), what, Vec::new()));
            }
        }
        all
    })
}

/// A known format compiled, its keys and identity read from its plan; `None` for one that
/// does not compile (a test of the embedded data rules that out).
fn compile(
    text: &str,
    catalog: Option<&'static nssgen_catalog::LogType>,
    (profile, log_type, target, version, current): (&'static str, &'static str, Target, &'static str, bool),
    added: Vec<String>,
) -> Option<Known> {
    let parser = Parser::compile_with(text, |name| nssgen_catalog::encoding_of(catalog, name)).ok()?;
    let format = nssgen_syntax::parse(text).ok()?;
    let keys = known::keys(&format);
    let skeleton = plan::compile(&format, |_| Encoding::Plain).ok().and_then(|p| p.body?.skeleton);
    let identity = skeleton
        .iter()
        .flat_map(|members| plan::identity(members))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
    let fields = parser.fields().len();
    let exact = &parser.plan().exact;
    let literal = exact.lead.as_ref().map_or(0, |l| l.len())
        + exact
            .steps
            .iter()
            .map(|step| match &step.end {
                plan::End::Next(text) | plan::End::Last(text) => text.len(),
                plan::End::Rest => 0,
            })
            .sum::<usize>();
    Some(Known {
        profile,
        log_type,
        target,
        version,
        current,
        identity,
        keys,
        added,
        literal,
        fields,
        parser,
    })
}

/// The known formats (among those `keep` keeps) that print `line` by their literal text, and
/// whether they print the whole line: those printing it whole when any does, else those
/// printing its body when the line lost its header.
pub(crate) fn literal_matches(line: &str, keep: impl Fn(&Known) -> bool) -> (Vec<usize>, bool) {
    let mut whole = Vec::new();
    let mut body = Vec::new();
    for (i, k) in all().iter().enumerate().filter(|(_, k)| keep(k)) {
        match k.parser.parse_literal(line).map(|r| r.path) {
            Ok(nssgen::ParsePath::Exact) => whole.push(i),
            Ok(_) => body.push(i),
            Err(_) => {}
        }
    }
    if whole.is_empty() {
        (body, false)
    } else {
        (whole, true)
    }
}

/// How many times more lines a format must print alone than a set of lines it shares with
/// others, for those lines to be its own coincidences: Sekoia's 2026-06-22 RFC5424 formats print
/// the minutes where the month belongs, so every line of theirs fits the current format too, and
/// a current line fits theirs only when its month equals its minutes (one line in sixty).
const COINCIDENCE: u64 = 10;

/// Of several known formats that print `count` lines (each of them whole when `whole`), the one
/// to name: the one that alone printed at least [`COINCIDENCE`] times as many lines, the shared
/// ones then being its own that happen to fit another format too; failing that, for whole lines,
/// the one whose literal text explains more of them: the most literal bytes (Sekoia's truncated
/// 2025-03-27 tunnel format prints a prefix of the IKE ones, its last value running to the end),
/// then the fewest distinct fields (the 2026-06-22 RFC5424 formats print one field twice where
/// the current ones print two); then the current one, then the latest.
pub(crate) fn pick(candidates: &[usize], whole: bool, count: u64, alone: &[u64]) -> Option<usize> {
    let all = all();
    let lines = |i: usize| alone.get(i).copied().unwrap_or(0);
    if let Some(&most) = candidates.iter().max_by_key(|&&i| lines(i)) {
        let unique = candidates.iter().filter(|&&i| lines(i) == lines(most)).count() == 1;
        if unique && lines(most) >= count.saturating_mul(COINCIDENCE) && lines(most) > 0 {
            return Some(most);
        }
    }
    candidates.iter().copied().max_by(|&a, &b| {
        let (ka, kb) = (&all[a], &all[b]);
        let explains = if whole {
            ka.literal.cmp(&kb.literal).then(kb.fields.cmp(&ka.fields))
        } else {
            std::cmp::Ordering::Equal
        };
        explains.then(ka.current.cmp(&kb.current)).then(ka.version.cmp(kb.version))
    })
}

/// The known format a line that none prints exactly is closest to: among those naming the
/// line's sourcetype (and sourcesubtype) under the same keys, the one sharing the largest part
/// of its keys with the line's JSON body (shared keys over all keys of both), then the one for
/// the line's header ([`Target::of_line_shape`]), then the current one, then the latest. `None`
/// when the body is not JSON or no known format names its sourcetype.
pub(crate) fn closest(line: &str, keep: impl Fn(&Known) -> bool) -> Option<usize> {
    let start = nssgen_syntax::shape::framing(line).and_then(|f| f.body).or_else(|| line.find('{'))?;
    let body: serde_json::Value = serde_json::from_str(line.get(start..)?).ok()?;
    let root = body.as_object()?;
    let mut keys = Vec::new();
    leaf_names(&body, &mut keys);
    let all = all();
    let target = Target::of_line_shape(line);
    let score = |k: &Known| {
        let shared = k.keys.iter().filter(|key| keys.iter().any(|mine| mine == *key)).count();
        let union = k.keys.len() + keys.len() - shared;
        (shared, union.max(1))
    };
    all.iter()
        .enumerate()
        .filter(|(_, k)| keep(k) && !k.identity.is_empty())
        .filter(|(_, k)| {
            k.identity.iter().all(|(key, value)| root.get(key).and_then(|v| v.as_str()) == Some(value))
        })
        .max_by(|(_, a), (_, b)| {
            let ((sa, ua), (sb, ub)) = (score(a), score(b));
            // The header before "current": the keys cannot tell Sekoia's RFC3164 format from its
            // RFC5424 one, and a drifted RFC3164 line was named after the (later) RFC5424 one.
            let header = |k: &Known| Some(k.target) == target;
            (sa * ub)
                .cmp(&(sb * ua))
                .then(header(a).cmp(&header(b)))
                .then(a.current.cmp(&b.current))
                .then(a.version.cmp(b.version))
        })
        .map(|(i, _)| i)
}

/// The names of a JSON value's leaf keys, at every level (a format's keys by their own names).
fn leaf_names(value: &serde_json::Value, out: &mut Vec<String>) {
    if let Some(object) = value.as_object() {
        for (key, value) in object {
            if value.is_object() {
                leaf_names(value, out);
            } else {
                out.push(key.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_format_compiles_and_each_profile_frames_its_cloud_nss_body() {
        assert_eq!(all().len(), nssgen_catalog::known_formats().len() + 9);
        let cloud = all().iter().filter(|k| k.profile == "sekoia" && k.target == Target::CloudNss).count();
        assert_eq!(cloud, 9);
        assert!(all()
            .iter()
            .all(|k| k.profile != "sekoia" || k.identity.len() == 1 || k.identity.is_empty()));
    }
}
