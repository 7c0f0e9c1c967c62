//! Which of several log types a line belongs to, told by its shape: the sourcetype its JSON body
//! names, and, for log types that share one (tunnel / IKE phase 1 / IKE phase 2; SaaS security /
//! SaaS security activity), the keys only one of them prints. Never by trying their formats until
//! one does not fail: the JSON fallback reads a phase 1 line with the tunnel format too.
//!
//! A [`Table`] is built from the formats' plans ([`Table::from_plans`]) when they are compiled at
//! run time, and written down as static data in generated code (`nssgen::sekoia::Record`), the
//! same rule either way.

use memchr::memmem;
use nssgen_syntax::plan::{leaf_keys, List, Member, Node, Plan, Str};

use crate::walk::error;
use crate::{ParseError, ParseErrorKind};

/// The keys that tell apart log types sharing a sourcetype: at most this many per log type, the
/// first ones in format order. Each is searched for in the body, so more would cost speed; two
/// keep a value that happens to hold one of them from deciding alone.
const KEYS_PER_LOG_TYPE: usize = 2;

/// The log types a stream may carry, each with what tells its lines apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// One entry per log type, in the caller's order: [`Table::route`] returns an index into it.
    pub entries: List<Entry>,
}

/// What tells one log type's lines apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The constant its body prints under `sourcetype`.
    pub sourcetype: Str,
    /// Keys it prints and no other log type of the same sourcetype does (empty when it is the
    /// only one with its sourcetype).
    pub keys: List<Str>,
}

impl Table {
    /// The table for log types given by their formats' plans: each sourcetype from the body's
    /// `sourcetype` constant, and for shared ones the first keys only that log type prints.
    /// Fails when a plan has no JSON body with a `sourcetype` constant, or when two log types
    /// share a sourcetype and one prints no key the others lack.
    pub fn from_plans(plans: &[&Plan]) -> Result<Table, String> {
        let mut sets = Vec::new();
        for (i, plan) in plans.iter().enumerate() {
            let skeleton = plan.body.as_ref().and_then(|b| b.skeleton.as_deref());
            let skeleton = skeleton.ok_or_else(|| format!("format {i} has no JSON body"))?;
            let sourcetype =
                sourcetype_of(skeleton).ok_or_else(|| format!("format {i} prints no sourcetype"))?;
            let keys: Vec<&str> =
                leaf_keys(skeleton).into_iter().filter_map(|(path, _)| path.last().copied()).collect();
            sets.push((sourcetype, keys, all_keys(skeleton)));
        }
        let mut entries = Vec::new();
        for (i, (sourcetype, keys, all)) in sets.iter().enumerate() {
            let others: Vec<&Vec<&str>> = sets
                .iter()
                .enumerate()
                .filter(|(j, (s, _, _))| *j != i && s == sourcetype)
                .map(|(_, (_, _, all))| all)
                .collect();
            let own: Vec<Str> = if others.is_empty() {
                Vec::new()
            } else {
                // A key searched for must be printed once, as that key: not also as an object's
                // key at another level (Sekoia's tunnel body has an `event` inside its `event`).
                let own: Vec<Str> = keys
                    .iter()
                    .filter(|k| all.iter().filter(|a| a == k).count() == 1)
                    .filter(|k| others.iter().all(|o| !o.contains(k)))
                    .take(KEYS_PER_LOG_TYPE)
                    .map(|k| Str::from((*k).to_owned()))
                    .collect();
                if own.is_empty() {
                    return Err(format!("format {i} prints no key the other `{sourcetype}` formats lack"));
                }
                own
            };
            entries.push(Entry { sourcetype: Str::from(sourcetype.clone()), keys: List::Owned(own) });
        }
        Ok(Table { entries: List::Owned(entries) })
    }

    /// The index of the entry `line` belongs to: its body's sourcetype, then, among entries
    /// sharing it, the one whose own keys the body prints the most of.
    pub fn route(&self, line: &str) -> Result<usize, ParseError> {
        // The body the parsers read, after the syslog header (`walk::body_start`).
        let Some(body) = crate::walk::body_start(line) else {
            return Err(unrouted(0, "no JSON body".to_owned()));
        };
        let text = &line[body..];
        let Some((sourcetype, at)) = sourcetype(text) else {
            return Err(unrouted(body, "its JSON body names no sourcetype".to_owned()));
        };
        let mut best: Option<(usize, usize, usize)> = None;
        let mut tied = false;
        for (i, entry) in self.entries.iter().enumerate() {
            if *entry.sourcetype != *sourcetype {
                continue;
            }
            if entry.keys.is_empty() {
                return Ok(i);
            }
            // Keys come after the sourcetype in every vendor body.
            let after = &text[at..];
            let found = entry.keys.iter().filter(|key| has_key(after, key)).count();
            // Compared as found / len, without division: found * other_len vs other_found * len.
            match best {
                Some((_, f, n)) if found * n == f * entry.keys.len() => tied = true,
                Some((_, f, n)) if found * n < f * entry.keys.len() => {}
                _ => {
                    best = Some((i, found, entry.keys.len()));
                    tied = false;
                }
            }
        }
        match best {
            Some((i, found, _)) if found > 0 && !tied => Ok(i),
            Some(_) => {
                Err(unrouted(body + at, format!("its keys do not tell which `{sourcetype}` log type it is")))
            }
            None => Err(unrouted(body + at, format!("no log type here has the sourcetype `{sourcetype}`"))),
        }
    }
}

/// Every key of a skeleton, at every level, objects' included.
fn all_keys(skeleton: &[Member]) -> Vec<&str> {
    let mut keys = Vec::new();
    let mut stack = vec![skeleton];
    while let Some(members) = stack.pop() {
        for member in members {
            keys.push(&*member.key);
            if let Node::Object(children) = &member.node {
                stack.push(children);
            }
        }
    }
    keys
}

/// The `sourcetype` constant at the root of a skeleton.
fn sourcetype_of(skeleton: &[Member]) -> Option<String> {
    skeleton.iter().find_map(|m| match &m.node {
        Node::Const(value) if m.key == "sourcetype" => Some(value.to_string()),
        _ => None,
    })
}

/// The value of the body's first `"sourcetype"` key and the offset after it. Every vendor body
/// prints that key before any value (Sekoia's first, Elastic's after `version`), so a value
/// holding the text cannot come first.
fn sourcetype(body: &str) -> Option<(&str, usize)> {
    const KEY: &[u8] = b"\"sourcetype\"";
    let at = memmem::find(body.as_bytes(), KEY)? + KEY.len();
    let rest = body.get(at..)?;
    let after_colon = rest.trim_start().strip_prefix(':')?.trim_start();
    let value = after_colon.strip_prefix('"')?;
    let end = memchr::memchr(b'"', value.as_bytes())?;
    let start = body.len() - value.len();
    Some((&value[..end], start + end + 1))
}

/// Whether `text` prints `key` as a JSON key: quoted, then (after any spaces) a colon.
fn has_key(text: &str, key: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memmem::find(&bytes[from..], key.as_bytes()) {
        let at = from + i;
        let quoted_before = at > 0 && bytes[at - 1] == b'"';
        let after = &bytes[at + key.len()..];
        if quoted_before && after.first() == Some(&b'"') {
            let rest = after[1..].iter().position(|b| !b.is_ascii_whitespace()).map(|j| after[1 + j]);
            if rest == Some(b':') {
                return true;
            }
        }
        from = at + 1;
    }
    false
}

fn unrouted(offset: usize, reason: String) -> ParseError {
    error(offset, None, ParseErrorKind::Unrouted { reason })
}

#[cfg(all(test, feature = "interpreter"))]
mod tests {
    use super::*;

    fn plan(format: &str) -> Plan {
        crate::Parser::compile(format).expect("compiles").plan().clone()
    }

    #[test]
    fn shared_sourcetypes_are_told_apart_by_their_own_keys() {
        let a = plan(r#"\{"sourcetype":"t","event":\{"x":"%s{x}","only_a":"%s{a}"\}\}"#);
        let b = plan(
            r#"\{"sourcetype":"t","event":\{"x":"%s{x}","only_b":"%s{b}","b2":"%s{c}","b3":"%s{d}"\}\}"#,
        );
        let c = plan(r#"\{"sourcetype":"u","event":\{"x":"%s{x}"\}\}"#);
        let table = Table::from_plans(&[&a, &b, &c]).expect("a table");
        let keys: Vec<Vec<&str>> =
            table.entries.iter().map(|e| e.keys.iter().map(|k| &**k).collect()).collect();
        assert_eq!(keys, [vec!["only_a"], vec!["only_b", "b2"], vec![]]);
        assert_eq!(table.route(r#"{"sourcetype":"t","event":{"x":"1","only_a":"2"}}"#), Ok(0));
        assert_eq!(
            table.route(r#"Jan 05 01:02:03 h NSS {"sourcetype" : "t", "event" : {"only_b" : "2","b2":"3"}}"#),
            Ok(1)
        );
        // A value holding another log type's key does not outweigh the line's own keys.
        assert_eq!(
            table.route(r#"{"sourcetype":"t","event":{"x":"\"only_a\":","only_b":"2","b2":"3"}}"#),
            Ok(1)
        );
        assert_eq!(table.route(r#"{"sourcetype":"u","event":{}}"#), Ok(2));
        let err = table.route(r#"{"sourcetype":"t","event":{"x":"1"}}"#).expect_err("neither");
        assert!(err.to_string().contains("do not tell which `t` log type"), "{err}");
        let err = table.route(r#"{"sourcetype":"v"}"#).expect_err("unknown");
        assert!(err.to_string().contains("no log type here has the sourcetype `v`"), "{err}");
        assert!(table.route("no body").is_err());
        assert!(table.route(r#"{"event":{}}"#).is_err());
        // Two formats of one sourcetype, one printing nothing the other lacks: no table.
        let a2 = plan(r#"\{"sourcetype":"t","event":\{"x":"%s{x}"\}\}"#);
        assert!(Table::from_plans(&[&a, &a2]).is_err());
    }

    #[test]
    fn keys_are_quoted_and_followed_by_a_colon() {
        assert!(has_key(r#"{"k" : 1}"#, "k"));
        assert!(has_key(r#"{"xk":1,"k":2}"#, "k"));
        assert!(!has_key(r#"{"v":"k"}"#, "k"));
        assert!(!has_key(r#"{"v":"\"k\" x"}"#, "k"));
        assert_eq!(sourcetype(r#"{ "sourcetype" : "a-b", "x":1}"#), Some(("a-b", 22)));
        assert_eq!(sourcetype(r#"{"sourcetype":1}"#), None);
    }
}
