//! Known vendor formats compared: the keys a format's lines carry, what one format adds to
//! another, and the info on a format that equals a vendor's older published format (NSS022).
//! `nssgen identify` and `nssgen check` both name formats and their differences through here.

use std::fmt;

use nssgen_catalog::KnownFormat;
use nssgen_syntax::plan::{self, Encoding};
use nssgen_syntax::Format;

use crate::context;
use crate::diagnostic::{Diagnostic, Rule, Severity};

/// The keys a format's lines carry, in format order: the leaf keys of its JSON body by the
/// names reports give them ([`plan::key_name`]), or, for a format without a JSON body (a
/// key=value string, Elastic's alerts), its [`plan::pair_keys`].
pub fn keys(format: &Format) -> Vec<String> {
    // Encodings change how values are read, not which keys there are.
    let skeleton = plan::compile(format, |_| Encoding::Plain).ok().and_then(|p| p.body?.skeleton);
    match skeleton {
        Some(skeleton) => {
            let leaves = plan::leaf_keys(&skeleton);
            leaves.iter().map(|(path, _)| plan::key_name(&leaves, path)).collect()
        }
        None => plan::pair_keys(format),
    }
}

/// The keys of a known format's lines (none if its text did not parse, which a test of the
/// embedded data rules out).
pub fn known_keys(known: &KnownFormat) -> Vec<String> {
    nssgen_syntax::parse(&known.text).map(|f| keys(&f)).unwrap_or_default()
}

/// The `sourcetype` constant a format's body names (`zscalernss-web`), if any.
pub fn sourcetype(format: &Format) -> Option<String> {
    context::sourcetype(format)
}

/// What one format's keys add to another's and what they lose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyChange {
    /// Keys the second format has that the first lacks, in the second's order.
    pub added: Vec<String>,
    /// Keys the first format has that the second lacks, in the first's order.
    pub removed: Vec<String>,
}

impl KeyChange {
    /// The change from keys `from` to keys `to`.
    pub fn between(from: &[String], to: &[String]) -> Self {
        let missing = |keys: &[String], other: &[String]| -> Vec<String> {
            keys.iter().filter(|k| !other.contains(k)).cloned().collect()
        };
        KeyChange { added: missing(to, from), removed: missing(from, to) }
    }

    /// Whether both formats carry the same keys.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

impl fmt::Display for KeyChange {
    /// `` adds `a`, `b`; removes `c` `` (either part left out when empty), or `has the same
    /// keys`: the predicate of a sentence about the second format.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |keys: &[String]| keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        match (self.added.is_empty(), self.removed.is_empty()) {
            (true, true) => f.write_str("has the same keys"),
            (false, true) => write!(f, "adds {}", list(&self.added)),
            (true, false) => write!(f, "removes {}", list(&self.removed)),
            (false, false) => write!(f, "adds {}; removes {}", list(&self.added), list(&self.removed)),
        }
    }
}

/// When a known format was published, in words: `as published on 2025-04-04` for a dated
/// version (Sekoia's), `version v11` for a vendor's version token (Elastic's, `legacy` too).
pub fn published_as(known: &KnownFormat) -> String {
    let b = known.version.as_bytes();
    let dated = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if dated {
        format!("as published on {}", known.version)
    } else {
        format!("version {}", known.version)
    }
}

/// When `text` is a vendor's older format byte for byte (not its current one), one info naming
/// it and what the current format changes.
pub(crate) fn older(text: &str, out: &mut Vec<Diagnostic>) {
    let Some(known) = nssgen_catalog::known_format(text) else { return };
    if known.current {
        return;
    }
    let Some(current) = known.current_one() else { return };
    let change = KeyChange::between(&known_keys(known), &known_keys(current));
    let message = format!(
        "the {} `{}` format for target `{}` {}, byte for byte, not its current one: the current format ({}) {change}",
        known.profile,
        known.log_type,
        known.target.id(),
        published_as(known),
        published_as(current),
    );
    out.push(Diagnostic::new(Rule::OlderVendorFormat, Severity::Info, None, message));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(text: &str) -> Vec<String> {
        keys(&nssgen_syntax::parse(text).expect("parses"))
    }

    #[test]
    fn keys_are_the_json_leaves_or_the_pairs() {
        assert_eq!(
            keys_of(
                r#"%s{mon} h NSS \{"sourcetype":"x","event":\{"a":"%s{a}","n":\{"a":%d{n}\},"c":"k"\}\}"#
            ),
            ["sourcetype", "event.a", "event.n.a", "c"]
        );
        assert_eq!(
            keys_of(r#"<PRI>1 h - - - event=datetime="%s{time}" user="%s{u}" product="NSS""#),
            ["datetime", "user", "product"]
        );
        // Neither JSON nor pairs.
        assert!(keys_of(r"<%d{pri}>%s{mon} [%s{ip}] x: %s{info}\n").is_empty());
    }

    #[test]
    fn a_change_lists_added_then_removed_keys_in_order() {
        let owned = |keys: &[&str]| keys.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>();
        let change = KeyChange::between(&owned(&["a", "b", "c"]), &owned(&["d", "c", "a", "e"]));
        assert_eq!((change.added.clone(), change.removed.clone()), (owned(&["d", "e"]), owned(&["b"])));
        assert_eq!(change.to_string(), "adds `d`, `e`; removes `b`");
        assert_eq!(KeyChange::between(&owned(&["a"]), &owned(&["a", "b"])).to_string(), "adds `b`");
        assert_eq!(KeyChange::between(&owned(&["a", "b"]), &owned(&["a"])).to_string(), "removes `b`");
        let same = KeyChange::between(&owned(&["a"]), &owned(&["a"]));
        assert!(same.is_empty());
        assert_eq!(same.to_string(), "has the same keys");
    }

    #[test]
    fn versions_read_as_dates_or_tokens() {
        let by_version = |v: &str| nssgen_catalog::known_formats().iter().find(|k| k.version == v).expect(v);
        assert_eq!(published_as(by_version("2025-04-04")), "as published on 2025-04-04");
        assert_eq!(published_as(by_version("v11")), "version v11");
        assert_eq!(published_as(by_version("legacy")), "version legacy");
    }
}
