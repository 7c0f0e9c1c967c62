//! Which of several log types a line belongs to, told by its shape: the sourcetype its JSON body
//! names, and, for log types that share one (tunnel / IKE phase 1 / IKE phase 2; SaaS security /
//! SaaS security activity), the keys only one of them prints. Never by trying their formats until
//! one does not fail: the JSON fallback reads a phase 1 line with the tunnel format too.
//!
//! A [`Table`] is built from the formats' plans ([`Table::from_plans`]) when they are compiled at
//! run time, and written down as static data in generated code (`nssgen::sekoia::Record`), the
//! same rule either way.

use std::sync::{LazyLock, OnceLock};

use memchr::memmem::Finder;
use nssgen_syntax::plan::{self, leaf_keys, List, Member, Node, Plan, Str};

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
    entries: List<Entry>,
    /// Searchers for the entries' keys, built on the first line routed.
    searchers: Searchers,
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

/// The entries grouped by sourcetype, each with a searcher per key for the key in quotes
/// (`"spi_in"`). Building a searcher costs more than searching a body with it (callgrind: about
/// 650 instructions a build, more than the routing of a line should cost), so they are built
/// once per table, on the first line routed. They are made from the entries, so they take no
/// part in comparing tables.
#[derive(Clone, Default)]
struct Searchers(OnceLock<Vec<Group>>);

/// The entries of one sourcetype, in the caller's order.
#[derive(Clone)]
struct Group {
    sourcetype: Str,
    /// Each entry's index, and the searchers for its keys in their order.
    members: Vec<(usize, Vec<Finder<'static>>)>,
}

impl Searchers {
    fn of(&self, entries: &[Entry]) -> &[Group] {
        self.0.get_or_init(|| {
            let mut groups: Vec<Group> = Vec::new();
            for (i, entry) in entries.iter().enumerate() {
                let member = (i, entry.keys.iter().map(|key| quoted(key)).collect());
                match groups.iter_mut().find(|g| g.sourcetype == entry.sourcetype) {
                    Some(group) => group.members.push(member),
                    None => {
                        groups.push(Group { sourcetype: entry.sourcetype.clone(), members: vec![member] })
                    }
                }
            }
            groups
        })
    }
}

impl PartialEq for Searchers {
    fn eq(&self, _: &Searchers) -> bool {
        true
    }
}

impl Eq for Searchers {}

impl std::fmt::Debug for Searchers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Searchers { .. }")
    }
}

impl Table {
    /// The table of these entries, as generated code writes it down (a `static`): the
    /// searchers for their keys are built on the first line routed.
    pub const fn new(entries: List<Entry>) -> Table {
        Table { entries, searchers: Searchers(OnceLock::new()) }
    }

    /// The entries, in the caller's order: [`Table::route`] returns an index into them.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

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
        Ok(Table::new(List::Owned(entries)))
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
        // Keys come after the sourcetype in every vendor body.
        let after = &text.as_bytes()[at..];
        let groups = self.searchers.of(&self.entries);
        let Some(group) = groups.iter().find(|g| *g.sourcetype == *sourcetype) else {
            return Err(unrouted(body + at, format!("no log type here has the sourcetype `{sourcetype}`")));
        };
        let mut best: Option<(usize, usize, usize)> = None;
        let mut tied = false;
        for &(i, ref keys) in &group.members {
            if keys.is_empty() {
                return Ok(i);
            }
            // Compared as found / len, without division: found * other_len vs other_found * len.
            let (mut found, n) = (0, keys.len());
            let mut searched = 0;
            for key in keys {
                // Even with every key left found, this entry would print fewer of its keys than
                // the best so far: it can neither win nor tie, so its other keys are not searched.
                if best.is_some_and(|(_, f, best_n)| (found + n - searched) * best_n < f * n) {
                    break;
                }
                found += usize::from(has_key(after, key));
                searched += 1;
            }
            if searched < n {
                continue;
            }
            match best {
                Some((_, f, best_n)) if found * best_n == f * n => tied = true,
                Some((_, f, best_n)) if found * best_n < f * n => {}
                _ => {
                    best = Some((i, found, n));
                    tied = false;
                }
            }
        }
        match best {
            Some((i, found, _)) if found > 0 && !tied => Ok(i),
            _ => {
                Err(unrouted(body + at, format!("its keys do not tell which `{sourcetype}` log type it is")))
            }
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
    plan::identity(skeleton).find(|(key, _)| *key == "sourcetype").map(|(_, value)| value.to_owned())
}

/// The key naming the log type, in quotes.
static SOURCETYPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"sourcetype\""));

/// The value of the body's first `"sourcetype"` key and the offset after it. Every vendor body
/// prints that key before any value (Sekoia's first, Elastic's after `version`), so a value
/// holding the text cannot come first.
fn sourcetype(body: &str) -> Option<(&str, usize)> {
    let bytes = body.as_bytes();
    // Where vendors print it, first in the object: only a brace and spaces come before it,
    // which cannot start the key, so there it is the first; elsewhere it is searched for.
    let first = 1 + bytes.iter().skip(1).take_while(|b| b.is_ascii_whitespace()).count();
    let leads = bytes.first() == Some(&b'{')
        && bytes.get(first..).is_some_and(|b| b.starts_with(SOURCETYPE.needle()));
    let at = if leads { first } else { SOURCETYPE.find(bytes)? } + SOURCETYPE.needle().len();
    let rest = body.get(at..)?;
    let after_colon = trim_start(trim_start(rest).strip_prefix(':')?);
    let value = after_colon.strip_prefix('"')?;
    let end = memchr::memchr(b'"', value.as_bytes())?;
    let start = body.len() - value.len();
    Some((&value[..end], start + end + 1))
}

/// [`str::trim_start`], byte by byte over ASCII: its char-by-char loop cost more than the rest
/// of reading the sourcetype.
fn trim_start(text: &str) -> &str {
    // The ASCII characters `char::is_whitespace` takes (`u8::is_ascii_whitespace` lacks \x0B).
    let ascii = text.bytes().take_while(|b| matches!(b, b' ' | b'\t'..=b'\r')).count();
    let rest = &text[ascii..];
    if rest.as_bytes().first().is_some_and(|b| !b.is_ascii()) {
        rest.trim_start()
    } else {
        rest
    }
}

/// The searcher for `key` in quotes, what [`has_key`] looks for.
fn quoted(key: &str) -> Finder<'static> {
    Finder::new(format!("\"{key}\"").as_bytes()).into_owned()
}

/// Whether `text` prints the key `quoted` searches for (the key in quotes) as a JSON key: then,
/// after any spaces, a colon.
fn has_key(text: &[u8], quoted: &Finder<'_>) -> bool {
    let mut from = 0;
    while let Some(i) = quoted.find(&text[from..]) {
        let end = from + i + quoted.needle().len();
        if text[end..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':') {
            return true;
        }
        // Occurrences may overlap (a key made of quotes), so the next may start one byte on.
        from += i + 1;
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
            table.entries().iter().map(|e| e.keys.iter().map(|k| &**k).collect()).collect();
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
        let has = |text: &str, key: &str| has_key(text.as_bytes(), &quoted(key));
        assert!(has(r#"{"k" : 1}"#, "k"));
        assert!(has(r#"{"xk":1,"k":2}"#, "k"));
        assert!(!has(r#"{"v":"k"}"#, "k"));
        assert!(!has(r#"{"v":"\"k\" x"}"#, "k"));
        // A first occurrence that is not a key does not hide a later one overlapping it.
        assert!(has(r#""k"k":1"#, "k"));
        assert!(has("\"\"\"\":", "\""));
        assert_eq!(sourcetype(r#"{ "sourcetype" : "a-b", "x":1}"#), Some(("a-b", 22)));
        assert_eq!(sourcetype(r#"{"sourcetype":1}"#), None);
    }

    #[test]
    fn the_searchers_are_built_once_and_are_not_part_of_a_table() {
        let a = plan(r#"\{"sourcetype":"t","event":\{"only_a":"%s{a}"\}\}"#);
        let b = plan(r#"\{"sourcetype":"t","event":\{"only_b":"%s{b}"\}\}"#);
        let table = Table::from_plans(&[&a, &b]).expect("a table");
        let fresh = table.clone();
        assert_eq!(table.route(r#"{"sourcetype":"t","event":{"only_b":1}}"#), Ok(1));
        assert!(table.searchers.0.get().is_some() && fresh.searchers.0.get().is_none());
        assert_eq!(table, fresh);
        // A clone of a used table routes alike, with the searchers it was given.
        let used = table.clone();
        assert_eq!(used.route(r#"{"sourcetype":"t","event":{"only_a":1}}"#), Ok(0));
        // Written down as data, the same entries route the same lines.
        let written = Table::new(List::Owned(table.entries().to_vec()));
        for line in [r#"{"sourcetype":"t","event":{"only_a":1}}"#, r#"{"sourcetype":"t","event":{}}"#] {
            assert_eq!(written.route(line), table.route(line), "{line}");
        }
    }

    /// The rule as it was first written, a search for the bare key checked on both sides: the
    /// searchers for the quoted key must decide every text the same.
    fn has_key_by_bare_search(text: &str, key: &str) -> bool {
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(i) = memchr::memmem::find(&bytes[from..], key.as_bytes()) {
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

    /// The routing as first written, of a line that is a body alone: the sourcetype searched
    /// for, then every key of every entry of that sourcetype searched for, bare, each time.
    fn route_by_every_key(entries: &[Entry], text: &str) -> Result<usize, ParseError> {
        let Some((sourcetype, at)) = sourcetype_by_search(text) else {
            return Err(unrouted(0, "its JSON body names no sourcetype".to_owned()));
        };
        let mut best: Option<(usize, usize, usize)> = None;
        let mut tied = false;
        for (i, entry) in entries.iter().enumerate() {
            if *entry.sourcetype != *sourcetype {
                continue;
            }
            if entry.keys.is_empty() {
                return Ok(i);
            }
            let after = &text[at..];
            let found = entry.keys.iter().filter(|key| has_key_by_bare_search(after, key)).count();
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
            Some(_) => Err(unrouted(at, format!("its keys do not tell which `{sourcetype}` log type it is"))),
            None => Err(unrouted(at, format!("no log type here has the sourcetype `{sourcetype}`"))),
        }
    }

    /// The sourcetype as first found: searched for from the body's start, every time.
    fn sourcetype_by_search(body: &str) -> Option<(&str, usize)> {
        const KEY: &[u8] = b"\"sourcetype\"";
        let at = memchr::memmem::find(body.as_bytes(), KEY)? + KEY.len();
        let rest = body.get(at..)?;
        let after_colon = rest.trim_start().strip_prefix(':')?.trim_start();
        let value = after_colon.strip_prefix('"')?;
        let end = memchr::memchr(b'"', value.as_bytes())?;
        let start = body.len() - value.len();
        Some((&value[..end], start + end + 1))
    }

    #[test]
    fn the_sourcetype_is_read_where_vendors_print_it_and_elsewhere() {
        for body in [
            r#"{"sourcetype" : "a", "x":1}"#,
            r#"{ "sourcetype":"a"}"#,
            r#"{"version":"v1","sourcetype":"b"}"#,
            r#"{"x":"\"sourcetype\":\"c\"","sourcetype":"d"}"#,
            r#""sourcetype":"e""#,
            "{",
            "{ ",
            "",
        ] {
            assert_eq!(sourcetype(body), sourcetype_by_search(body), "{body}");
        }
        assert_eq!(sourcetype(r#"{"version":"v1","sourcetype":"b"}"#).map(|s| s.0), Some("b"));
    }

    proptest::proptest! {
        #[test]
        fn the_sourcetype_is_the_first_one_printed(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["{", " ", "\"sourcetype\"", ":", "\"a\"", "\"b\",", "x", "\""]),
                0..12,
            ),
        ) {
            let body = pieces.concat();
            proptest::prop_assert_eq!(sourcetype(&body), sourcetype_by_search(&body), "{}", body);
        }

        #[test]
        fn trimming_is_str_trim_start(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![" ", "\t", "\n", "\x0B", "\x0C", "\r", "\u{A0}", "\u{2003}", "\u{3000}", "é", ":", "x", "\x1F"]),
                0..8,
            ),
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(trim_start(&text), text.trim_start());
        }

        #[test]
        fn the_quoted_search_is_the_bare_one(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["k", "kk", "\"", ":", " ", "\\", "x", "é", "\"k\"", "\"k\" :"]),
                0..40,
            ),
            key in proptest::sample::select(vec!["k", "kk", "k\"k", "\"", "é", "xk"]),
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(
                has_key(text.as_bytes(), &quoted(key)),
                has_key_by_bare_search(&text, key),
                "{:?} in {:?}", key, text
            );
        }

        /// Any table (entries sharing sourcetypes, with one to four keys, or none, shared or
        /// not), any body made of their keys: routed as when every key was searched.
        #[test]
        fn skipping_hopeless_entries_decides_as_searching_every_key(
            entries in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["s", "t"]),
                    proptest::collection::vec(proptest::sample::select(vec!["a", "b", "c", "d", "e"]), 0..4),
                ),
                1..6,
            ),
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\"a\":1,", "\"b\":1,", "\"c\" : 1,", "\"d\":1,", "\"e\":1,", "\"a\"", "\"b\" x", "c", ":", " ",
                ]),
                0..12,
            ),
            sourcetype in proptest::sample::select(vec!["s", "t", "u"]),
        ) {
            let entries: Vec<Entry> = entries
                .into_iter()
                .map(|(s, keys)| Entry {
                    sourcetype: Str::from(s),
                    keys: List::Owned(keys.into_iter().map(Str::from).collect()),
                })
                .collect();
            // A body alone, which every rule for where a body starts reads from its first byte.
            let line = format!(r#"{{"sourcetype":"{sourcetype}","event":{{{}}}}}"#, pieces.concat());
            let table = Table::new(List::Owned(entries.clone()));
            proptest::prop_assert_eq!(table.route(&line), route_by_every_key(&entries, &line), "{}", line);
        }
    }
}
