//! What the `router` and `drift` targets share: the built-in Sekoia formats compiled at run time
//! as `nssgen parse` compiles them, each log type's own typed record as the mixed-stream
//! `Record` holds it, and the strict reading's one rule.

// Each target is its own crate and uses part of this module.
#![allow(dead_code)]

use std::fmt::Debug;
use std::sync::OnceLock;

use nssgen::sekoia::Record;
use nssgen::{Drift, NssRecord, ParseError, Parsed, Parser};
use nssgen_catalog::Target;

/// One built-in format: its log type, interpreter and the name of every leaf key of its
/// JSON body (as `Drift::keys` names them), in format order.
pub struct Builtin {
    pub log_type: &'static str,
    pub parser: Parser,
    pub leaf_names: Vec<String>,
}

/// The interpreter of every built-in Sekoia format, log types in profile order, each with every
/// target of `Target::ALL` (the order the seeds' first byte indexes), compiled once with the
/// catalog's encodings, as `nssgen parse` compiles them.
pub fn builtin() -> &'static [Builtin] {
    static PARSERS: OnceLock<Vec<Builtin>> = OnceLock::new();
    PARSERS.get_or_init(|| {
        let profile = nssgen_catalog::profile("sekoia").expect("built-in profile");
        let ids: Vec<&str> = profile.log_types.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, Record::LOG_TYPES, "the profile's log types are the Record's variants");
        let mut parsers = Vec::new();
        for log_type in &profile.log_types {
            let catalog = log_type.catalog_log_type();
            for target in Target::ALL {
                let format =
                    &nssgen_profile::format("sekoia", &log_type.id, target).expect("built-in format").text;
                let parser = Parser::compile_with(format, |name| nssgen_catalog::encoding_of(catalog, name))
                    .expect("built-in format compiles");
                let skeleton = parser.plan().body.as_ref().and_then(|b| b.skeleton.as_deref());
                let leaves = nssgen_syntax::plan::leaf_keys(skeleton.expect("a JSON body"));
                let leaf_names =
                    leaves.iter().map(|(path, _)| nssgen_syntax::plan::key_name(&leaves, path)).collect();
                parsers.push(Builtin { log_type: log_type.id.as_str(), parser, leaf_names });
            }
        }
        parsers
    })
}

/// The index in [`builtin`] of a log type's format for `target`.
pub fn index_of(log_type: &str, target: Target) -> usize {
    let t = Record::LOG_TYPES.iter().position(|id| *id == log_type).expect("a Sekoia log type");
    let at = Target::ALL.iter().position(|x| *x == target).expect("a target");
    t * Target::ALL.len() + at
}

/// How the log type `Record::LOG_TYPES[index]`'s own typed record reads `line` (`strict`:
/// through `parse_strict`), wrapped in `Record` to compare with the mixed-stream parse.
pub fn typed(index: usize, line: &str, strict: bool) -> Result<Parsed<Record<'_>>, ParseError> {
    fn read<'a, R: NssRecord<'a>>(
        line: &'a str,
        strict: bool,
        variant: fn(R) -> Record<'a>,
    ) -> Result<Parsed<Record<'a>>, ParseError> {
        let parsed = if strict { R::parse_strict(line) } else { R::parse_detailed(line) };
        parsed.map(|p| p.map(variant))
    }
    match Record::LOG_TYPES[index] {
        "web" => read(line, strict, Record::Web),
        "firewall" => read(line, strict, Record::Firewall),
        "dns" => read(line, strict, Record::Dns),
        "tunnel" => read(line, strict, Record::Tunnel),
        "tunnel-ike-phase1" => read(line, strict, Record::TunnelIkePhase1),
        "tunnel-ike-phase2" => read(line, strict, Record::TunnelIkePhase2),
        "admin-audit" => read(line, strict, Record::AdminAudit),
        "saas-security" => read(line, strict, Record::SaasSecurity),
        "saas-security-activity" => read(line, strict, Record::SaasSecurityActivity),
        other => unreachable!("`{other}` has no typed record in nssgen::sekoia"),
    }
}

/// The typed record of log type `index` (into [`Record::LOG_TYPES`]) of `line`, by its exact
/// walk alone.
pub fn typed_exact(index: usize, line: &str) -> Option<Record<'_>> {
    fn read<'a, R: NssRecord<'a>>(line: &'a str, variant: fn(R) -> Record<'a>) -> Option<Record<'a>> {
        R::parse_exact(line).map(variant)
    }
    match Record::LOG_TYPES[index] {
        "web" => read(line, Record::Web),
        "firewall" => read(line, Record::Firewall),
        "dns" => read(line, Record::Dns),
        "tunnel" => read(line, Record::Tunnel),
        "tunnel-ike-phase1" => read(line, Record::TunnelIkePhase1),
        "tunnel-ike-phase2" => read(line, Record::TunnelIkePhase2),
        "admin-audit" => read(line, Record::AdminAudit),
        "saas-security" => read(line, Record::SaasSecurity),
        "saas-security-activity" => read(line, Record::SaasSecurityActivity),
        other => unreachable!("`{other}` has no typed record in nssgen::sekoia"),
    }
}

/// Strict reading is detailed reading minus the lines whose keys drifted: it fails with the
/// first drifted key's error exactly when a key drifted, and otherwise gives the same.
pub fn strict_agrees<T: PartialEq + Debug>(
    detailed: &Result<Parsed<T>, ParseError>,
    strict: &Result<Parsed<T>, ParseError>,
    line: &str,
) {
    match detailed {
        Err(err) => assert_eq!(strict.as_ref().err(), Some(err), "strict and detailed differ on {line:?}"),
        Ok(parsed) => {
            let drifted = parsed.drifted_keys().count();
            assert_eq!(strict.is_err(), drifted > 0, "strict vs {drifted} drifted keys on {line:?}");
            match parsed.drift.as_deref().and_then(Drift::strict_error) {
                Some(err) => assert_eq!(strict.as_ref().err(), Some(err), "{line:?}"),
                None => assert_eq!(strict.as_ref().ok(), Some(parsed), "{line:?}"),
            }
        }
    }
}

/// A drift's keys: each a leaf key of the format (by `plan::key_name`), once, in format order.
pub fn drift_names_leaves(drift: Option<&Drift>, leaf_names: &[String], line: &str) {
    let Some(drift) = drift else { return };
    let mut last = None;
    for key in drift.keys() {
        let at = leaf_names.iter().position(|name| name == key);
        let at = at.unwrap_or_else(|| panic!("drifted key `{key}` is no leaf key of the format: {line:?}"));
        assert!(last < Some(at), "drifted key `{key}` repeated or out of format order: {line:?}");
        last = Some(at);
    }
    // A drift is reported only when there is something to report.
    assert!(drift.is_drifted() || !drift.extra().is_empty(), "empty drift on {line:?}");
}
