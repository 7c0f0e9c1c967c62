//! Which of several log types a line belongs to, told by its shape: the sourcetype its JSON body
//! names, and, for log types that share one (tunnel / IKE phase 1 / IKE phase 2; SaaS security /
//! SaaS security activity), the keys only one of them prints. Never by trying their formats until
//! one does not fail: the JSON fallback reads a phase 1 line with the tunnel format too.
//!
//! A line its log type's format prints exactly is that log type's ([`Table::route_with`]): the
//! exact walk is the strongest evidence there is, and the parse the caller does anyway, so the
//! common line costs no key search. Which format to try is read cheaply from where vendors
//! print things: the sourcetype at the body's start and, for a shared one, the key printed
//! where its log types' formats part ([`Fork`]). Any other line goes by the rule above
//! ([`Table::route`]).
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
    /// Where its format parts from the others of its sourcetype (`None` when it is the only
    /// one, or prints nothing after the keys they all print alike).
    pub fork: Option<Fork>,
}

/// Where the formats sharing a sourcetype part: the last key they all print alike, in the
/// same order before it, and the key this one prints next (the first key inside, when that
/// key's value is an object). Sekoia's tunnel formats part after `sourceport`: `event`,
/// `destinationport` or `sourceportstart`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fork {
    /// The last key every format of the sourcetype prints alike.
    pub after: Str,
    /// The key this format prints next.
    pub next: Str,
    /// The fewest bytes between the sourcetype's value and the key `after`: the keys printed
    /// between, each at least in quotes and followed by a colon. The search for `after`
    /// starts there.
    pub least: usize,
}

/// The entries grouped by sourcetype, each with a searcher per key for the key in quotes
/// (`"spi_in"`). Building a searcher costs more than searching a body with it (callgrind: about
/// 650 instructions a build, more than the routing of a line should cost), so they are built
/// once per table, on the first line routed. They are made from the entries, so they take no
/// part in comparing tables.
#[derive(Clone, Default)]
struct Searchers(OnceLock<Groups>);

/// The entries grouped by sourcetype, and how [`Table::guess`] picks a group in one look.
#[derive(Clone)]
struct Groups {
    list: Vec<Group>,
    /// A position in a sourcetype followed by its closing quote where every group's has
    /// another byte, and by that byte the index of the group (`u8::MAX`: none); `None` when no
    /// position tells them all apart, or there are 255 groups or more.
    telling: Option<(usize, Box<[u8; 256]>)>,
}

/// The entries of one sourcetype, in the caller's order.
#[derive(Clone)]
struct Group {
    sourcetype: Str,
    /// Each entry's index, and the searchers for its keys in their order.
    members: Vec<(usize, Vec<Finder<'static>>)>,
    /// Where the entries' formats part, when that tells them apart.
    parting: Option<Parting>,
}

/// Where the formats of one sourcetype part ([`Fork`]), ready for [`Table::guess`].
#[derive(Clone)]
struct Parting {
    /// The searcher for the key they all print before parting (`None`: the sourcetype itself,
    /// already read).
    after: Option<Finder<'static>>,
    /// [`Fork::least`].
    least: usize,
    /// A position in the next keys (each followed by its closing quote) where every entry's
    /// has another byte, and by that byte the entry's place in `entries`.
    telling: (usize, [u8; 256]),
    /// The entries' indexes.
    entries: Vec<usize>,
}

impl Searchers {
    fn of(&self, entries: &[Entry]) -> &[Group] {
        &self.groups(entries).list
    }

    fn groups(&self, entries: &[Entry]) -> &Groups {
        self.0.get_or_init(|| {
            let mut groups: Vec<Group> = Vec::new();
            for (i, entry) in entries.iter().enumerate() {
                let member = (i, entry.keys.iter().map(|key| quoted(key)).collect());
                match groups.iter_mut().find(|g| g.sourcetype == entry.sourcetype) {
                    Some(group) => group.members.push(member),
                    None => groups.push(Group {
                        sourcetype: entry.sourcetype.clone(),
                        members: vec![member],
                        parting: None,
                    }),
                }
            }
            for group in groups.iter_mut().filter(|g| g.members.len() > 1) {
                let forks: Vec<(usize, &Fork)> = group
                    .members
                    .iter()
                    .filter_map(|(i, _)| Some((*i, entries[*i].fork.as_ref()?)))
                    .collect();
                // Entries written down by hand may disagree on where they part: then no hint.
                let Some((_, first)) = forks.first() else { continue };
                let nexts: Vec<&[u8]> = forks.iter().map(|(_, f)| f.next.as_bytes()).collect();
                let alike = forks.iter().all(|(_, f)| f.after == first.after && f.least == first.least);
                if let (true, Some(telling)) = (alike, telling_byte(&nexts)) {
                    let after = (*first.after != *"sourcetype").then(|| quoted(&first.after));
                    let entries = forks.iter().map(|(i, _)| *i).collect();
                    group.parting = Some(Parting { after, least: first.least, telling, entries });
                }
            }
            let sourcetypes: Vec<&[u8]> = groups.iter().map(|g| g.sourcetype.as_bytes()).collect();
            let telling = telling_byte(&sourcetypes).map(|(at, index)| (at, Box::new(index)));
            Groups { list: groups, telling }
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
    /// `sourcetype` constant, and for shared ones the first keys only that log type prints and
    /// where the formats part. Fails when a plan has no JSON body with a `sourcetype` constant,
    /// or when two log types share a sourcetype and one prints no key the others lack.
    pub fn from_plans(plans: &[&Plan]) -> Result<Table, String> {
        let mut sets = Vec::new();
        for (i, plan) in plans.iter().enumerate() {
            let skeleton = plan.body.as_ref().and_then(|b| b.skeleton.as_deref());
            let skeleton = skeleton.ok_or_else(|| format!("format {i} has no JSON body"))?;
            let sourcetype =
                sourcetype_of(skeleton).ok_or_else(|| format!("format {i} prints no sourcetype"))?;
            let keys: Vec<&str> =
                leaf_keys(skeleton).into_iter().filter_map(|(path, _)| path.last().copied()).collect();
            sets.push((sourcetype, keys, keys_in_order(skeleton)));
        }
        let mut entries = Vec::new();
        for (i, (sourcetype, keys, all)) in sets.iter().enumerate() {
            let others: Vec<&Vec<&str>> = sets
                .iter()
                .enumerate()
                .filter(|(j, (s, _, _))| *j != i && s == sourcetype)
                .map(|(_, (_, _, all))| all)
                .collect();
            if others.is_empty() {
                entries.push(Entry {
                    sourcetype: Str::from(sourcetype.clone()),
                    keys: List::Owned(Vec::new()),
                    fork: None,
                });
                continue;
            }
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
            // The keys every format of the sourcetype prints alike, in the same order.
            let alike = others
                .iter()
                .map(|o| all.iter().zip(o.iter()).take_while(|(a, b)| a == b).count())
                .min()
                .unwrap_or(0);
            let fork = match (alike.checked_sub(1), all.get(alike)) {
                (Some(last), Some(next)) => {
                    let between = all
                        .iter()
                        .position(|k| *k == "sourcetype")
                        .map_or(&[][..], |at| all.get(at + 1..last).unwrap_or_default());
                    Some(Fork {
                        after: Str::from(all[last].to_owned()),
                        next: Str::from((*next).to_owned()),
                        least: between.iter().map(|k| k.len() + 3).sum(),
                    })
                }
                _ => None,
            };
            entries.push(Entry { sourcetype: Str::from(sourcetype.clone()), keys: List::Owned(own), fork });
        }
        Ok(Table::new(List::Owned(entries)))
    }

    /// Reads `line` as the log type it belongs to. When the format of the entry
    /// [`Table::guess`] names prints it exactly, that entry's exact walk reads it: `exact(i)`
    /// reads the line by entry `i`'s exact walk alone, `None` when that walk does not take it.
    /// Any other line is routed by [`Table::route`] and read by `parse(i)`.
    ///
    /// A line an exact walk takes prints all that entry's own keys, so where [`Table::route`]
    /// names an entry without a tie it names this one: the two part only on lines whose values
    /// hold another entry's keys, which [`Table::route`] leaves undecided, or whose header
    /// hides where the body starts.
    ///
    /// `nssgen::sekoia::Record` spells these three steps out, with a `return` per log type:
    /// through a function its record of a hundred fields was moved once more (callgrind: a
    /// `memcpy` of it a line), which the compiler did not elide.
    pub fn route_with<T>(
        &self,
        line: &str,
        exact: impl FnOnce(usize) -> Option<T>,
        parse: impl FnOnce(usize) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if let Some(read) = self.guess(line).and_then(exact) {
            return Ok(read);
        }
        self.route(line).and_then(parse)
    }

    /// The entry whose exact walk to try first ([`Table::route_with`]): by the sourcetype where
    /// vendors print it, at the start of the line's first object, and for a shared one the
    /// key printed where the formats part ([`Fork`]). No search of the whole body: a line this
    /// reads wrong is one that entry's exact walk does not take, and [`Table::route`] reads it.
    pub fn guess(&self, line: &str) -> Option<usize> {
        let bytes = line.as_bytes();
        let text = &bytes[first_brace(bytes)?..];
        let value = value_start(text, leading_key(text)?)?;
        let groups = self.searchers.groups(&self.entries);
        // The byte that tells the sourcetypes apart names the only one this can be; a line of
        // another sourcetype is one the group's exact walks do not take.
        let group = match &groups.telling {
            Some((at, index)) => groups.list.get(usize::from(index[usize::from(*text.get(value + at)?)]))?,
            None => {
                let end = value + text[value..].iter().position(|b| *b == b'"')?;
                groups.list.iter().find(|g| g.sourcetype.as_bytes() == &text[value..end])?
            }
        };
        if let [(i, _)] = group.members[..] {
            return Some(i);
        }
        let parting = group.parting.as_ref()?;
        // After the sourcetype's closing quote, where the line has this group's sourcetype.
        let end = value + group.sourcetype.len() + 1;
        let from = match &parting.after {
            None => end,
            Some(after) => {
                // The key right after the sourcetype is read in place; one further on is
                // searched for, from the fewest bytes it can be on.
                let here = (parting.least == 0).then(|| key_here(text, end, after.needle())).flatten();
                let at = match here {
                    Some(at) => at,
                    None => {
                        let start = end + parting.least;
                        start + find_key(text.get(start..)?, after)?
                    }
                };
                skip_value(text, at)?
            }
        };
        let (at, index) = &parting.telling;
        parting.entries.get(usize::from(index[usize::from(*text.get(key_start(text, from)? + at)?)])).copied()
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

/// Every key of a skeleton, at every level, objects' included, in the order they are printed.
fn keys_in_order(skeleton: &[Member]) -> Vec<&str> {
    fn walk<'s>(members: &'s [Member], keys: &mut Vec<&'s str>) {
        for member in members {
            keys.push(&member.key);
            if let Node::Object(children) = &member.node {
                walk(children, keys);
            }
        }
    }
    let mut keys = Vec::new();
    walk(skeleton, &mut keys);
    keys
}

/// The `sourcetype` constant at the root of a skeleton.
fn sourcetype_of(skeleton: &[Member]) -> Option<String> {
    plan::identity(skeleton).find(|(key, _)| *key == "sourcetype").map(|(_, value)| value.to_owned())
}

/// The key naming the log type, in quotes.
static SOURCETYPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(SOURCETYPE_KEY));

/// [`SOURCETYPE`]'s needle as a constant, compared in place without the searcher's lock.
const SOURCETYPE_KEY: &[u8] = b"\"sourcetype\"";

/// The value of the body's first `"sourcetype"` key and the offset after it. Every vendor body
/// prints that key before any value (Sekoia's first, Elastic's after `version`), so a value
/// holding the text cannot come first.
fn sourcetype(body: &str) -> Option<(&str, usize)> {
    let at = match leading_key(body.as_bytes()) {
        Some(at) => at,
        None => SOURCETYPE.find(body.as_bytes())? + SOURCETYPE_KEY.len(),
    };
    value_after(body, at)
}

/// The offset after a `"sourcetype"` key that comes first in the object (after its brace and
/// spaces, which cannot start the key, so there it is the first occurrence).
fn leading_key(bytes: &[u8]) -> Option<usize> {
    let first = 1 + bytes.iter().skip(1).take_while(|b| b.is_ascii_whitespace()).count();
    let leads =
        bytes.first() == Some(&b'{') && bytes.get(first..).is_some_and(|b| b.starts_with(SOURCETYPE_KEY));
    leads.then(|| first + SOURCETYPE_KEY.len())
}

/// The string value after the key ending at `at`, and the offset after it.
fn value_after(body: &str, at: usize) -> Option<(&str, usize)> {
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
    find_key(text, quoted).is_some()
}

/// Where the value of the first key `quoted` searches for starts: after its colon.
fn find_key(text: &[u8], quoted: &Finder<'_>) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = quoted.find(&text[from..]) {
        let end = from + i + quoted.needle().len();
        let spaces = text[end..].iter().take_while(|b| b.is_ascii_whitespace()).count();
        if text.get(end + spaces) == Some(&b':') {
            return Some(end + spaces + 1);
        }
        // Occurrences may overlap (a key made of quotes), so the next may start one byte on.
        from += i + 1;
    }
    None
}

/// The first `{` of `bytes`. On x86_64 by SSE2 vectors, which every such CPU has: a brace a
/// syslog header's length in, `memchr::memchr` (which picks its vector code at each call) cost
/// 75 instructions (callgrind), more than the rest of [`Table::guess`].
#[cfg(target_arch = "x86_64")]
fn first_brace(bytes: &[u8]) -> Option<usize> {
    memchr::arch::x86_64::sse2::memchr::One::new(b'{').and_then(|brace| brace.find(bytes))
}

#[cfg(not(target_arch = "x86_64"))]
fn first_brace(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'{', bytes)
}

/// Where the string value after the key ending at `at` starts (`: "`, ASCII spaces around the
/// colon). The texts [`Table::guess`] reads are short, where a plain loop costs less than
/// `memchr`'s setup (callgrind).
fn value_start(text: &[u8], at: usize) -> Option<usize> {
    let spaces = |from: usize| {
        text.get(from..).map_or(0, |t| t.iter().take_while(|b| b.is_ascii_whitespace()).count())
    };
    let colon = at + spaces(at);
    (text.get(colon) == Some(&b':')).then_some(())?;
    let quote = colon + 1 + spaces(colon + 1);
    (text.get(quote) == Some(&b'"')).then_some(quote + 1)
}

/// The first position where each of `names`, followed by its closing quote, has another byte,
/// and by that byte the name's place in `names`.
fn telling_byte(names: &[&[u8]]) -> Option<(usize, [u8; 256])> {
    let quoted: Vec<Vec<u8>> = names.iter().map(|name| [name, &b"\""[..]].concat()).collect();
    let longest = quoted.iter().map(Vec::len).max()?;
    (0..longest).find_map(|at| {
        let mut index = [u8::MAX; 256];
        for (place, name) in quoted.iter().enumerate() {
            let byte = usize::from(*name.get(at)?);
            if index[byte] != u8::MAX {
                return None;
            }
            index[byte] = u8::try_from(place).ok().filter(|place| *place != u8::MAX)?;
        }
        Some((at, index))
    })
}

/// Where the key after the value starting at `at` may start: inside the value when it is an
/// object, after it otherwise (a string to its closing quote, anything else to a `,` or `}`).
fn skip_value(text: &[u8], at: usize) -> Option<usize> {
    let at = at + text.get(at..)?.iter().take_while(|b| b.is_ascii_whitespace()).count();
    match text.get(at)? {
        b'{' => Some(at + 1),
        b'"' => {
            let mut from = at + 1;
            loop {
                let end = from + text[from..].iter().position(|b| *b == b'"')?;
                if text[end - 1] != b'\\'
                    || text[..end].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
                {
                    return Some(end + 1);
                }
                from = end + 1;
            }
        }
        _ => Some(at + text[at..].iter().position(|b| matches!(b, b',' | b'}'))?),
    }
}

/// Where the value of the key after `at` starts (after its colon), when that key, in quotes, is
/// `quoted`.
fn key_here(text: &[u8], at: usize, quoted: &[u8]) -> Option<usize> {
    let start = key_start(text, at)? - 1;
    let end = start + quoted.len();
    (text.get(start..end)? == quoted).then_some(())?;
    let spaces = text[end..].iter().take_while(|b| b.is_ascii_whitespace()).count();
    (text.get(end + spaces) == Some(&b':')).then_some(end + spaces + 1)
}

/// Where the key after `at` starts, inside its opening quote, after separators (spaces, `,`,
/// the `}` ending an object).
fn key_start(text: &[u8], at: usize) -> Option<usize> {
    let skip = text.get(at..)?.iter().take_while(|b| b.is_ascii_whitespace() || matches!(b, b',' | b'}'));
    let start = at + skip.count();
    (text.get(start) == Some(&b'"')).then_some(start + 1)
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

    /// Two formats of sourcetype `t` that part after `yy`, and one of `u`.
    fn parting_table() -> Table {
        let a = plan(r#"\{"sourcetype":"t","event":\{"x":"%s{x}","yy":"%s{y}","only_a":"%s{a}"\}\}"#);
        let b = plan(r#"\{"sourcetype":"t","event":\{"x":"%s{x}","yy":"%s{y}","only_b":"%s{b}"\}\}"#);
        let c = plan(r#"\{"sourcetype":"u","event":\{"x":"%s{x}"\}\}"#);
        Table::from_plans(&[&a, &b, &c]).expect("a table")
    }

    #[test]
    fn formats_sharing_a_sourcetype_part_after_the_keys_they_print_alike() {
        let table = parting_table();
        let forks: Vec<Option<(&str, &str, usize)>> =
            table.entries().iter().map(|e| e.fork.as_ref().map(|f| (&*f.after, &*f.next, f.least))).collect();
        // `event` and `x` come between the sourcetype and `yy`: at least `"event":"x":`.
        assert_eq!(forks, [Some(("yy", "only_a", 12)), Some(("yy", "only_b", 12)), None]);
        // Parting right after the sourcetype's object key: nothing between.
        let d = plan(r#"\{"sourcetype":"t","event":\{"first_d":"%s{d}"\}\}"#);
        let e = plan(r#"\{"sourcetype":"t","event":\{"first_e":"%s{e}"\}\}"#);
        let table = Table::from_plans(&[&d, &e]).expect("a table");
        assert_eq!(
            table.entries()[1].fork,
            Some(Fork { after: "event".into(), next: "first_e".into(), least: 0 })
        );
    }

    #[test]
    fn the_guess_names_the_entry_by_the_sourcetype_and_the_key_where_formats_part() {
        let table = parting_table();
        let guess = |line: &str| table.guess(line);
        assert_eq!(guess(r#"h {"sourcetype":"u","event":{"x":"1"}}"#), Some(2));
        assert_eq!(guess(r#"{"sourcetype":"t","event":{"x":"1","yy":"2","only_a":"3"}}"#), Some(0));
        assert_eq!(
            guess(r#"{ "sourcetype" : "t", "event" : {"x":"1", "yy" : "a\"b", "only_b":"3"}}"#),
            Some(1)
        );
        // An escaped key is no key; a value holding the parting key unescaped is, and the first
        // one found decides: the exact walk of the entry guessed is what confirms it.
        assert_eq!(
            guess(r#"{"sourcetype":"t","event":{"x":"\"yy\":\"1\",\"only_a","yy":"2","only_b":"3"}}"#),
            Some(1)
        );
        assert_eq!(
            guess(r#"{"sourcetype":"t","event":{"x":"a","yy":"1","only_a":"z","yy":"2","only_b":"3"}}"#),
            Some(0)
        );
        // Nothing to tell by: no guess, and `route` reads the line.
        assert_eq!(guess(r#"{"sourcetype":"t","event":{"x":"1","only_a":"3"}}"#), None);
        assert_eq!(guess(r#"{"event":{},"sourcetype":"u"}"#), None);
        assert_eq!(guess(r#"{"sourcetype":"v","event":{}}"#), None);
        assert_eq!(guess("no body"), None);
    }

    #[test]
    fn a_line_an_exact_walk_takes_is_its_entrys_and_any_other_goes_by_the_keys() {
        let formats = [
            r#"h \{"sourcetype":"t","event":\{"x":"%s{x}","yy":"%s{y}","only_a":"%s{a}"\}\}"#,
            r#"h \{"sourcetype":"t","event":\{"x":"%s{x}","yy":"%s{y}","only_b":"%s{b}"\}\}"#,
        ];
        let parsers: Vec<crate::Parser> =
            formats.iter().map(|f| crate::Parser::compile(f).expect("compiles")).collect();
        let plans: Vec<&Plan> = parsers.iter().map(crate::Parser::plan).collect();
        let table = Table::from_plans(&plans).expect("a table");
        let read = |line: &str| {
            let mut tried = Vec::new();
            let routed = table.route_with(
                line,
                |i| {
                    tried.push(i);
                    parsers[i].parse_exact(line).map(|_| ("exact", i))
                },
                |i| Ok(("route", i)),
            );
            (routed, tried)
        };
        // Exact: the walk of the entry guessed reads it, whatever other keys its values hold.
        let tie = r#"h {"sourcetype":"t","event":{"x":"a","only_b":"b","yy":"2","only_a":"3"}}"#;
        assert!(table.route(tie).is_err(), "the keys alone tie");
        assert_eq!(read(tie), (Ok(("exact", 0)), vec![0]));
        // Not exact (no header): the guess's walk is tried, then the keys decide.
        assert_eq!(
            read(r#"{"sourcetype":"t","event":{"x":"1","yy":"2","only_b":"3"}}"#),
            (Ok(("route", 1)), vec![1])
        );
        // No guess: the keys decide, no walk tried; and their errors are the route's.
        assert_eq!(read(r#"h {"sourcetype":"t","event":{"only_a":"3"}}"#), (Ok(("route", 0)), vec![]));
        let (routed, tried) = read(r#"h {"sourcetype":"t","event":{"x":"1"}}"#);
        assert_eq!(
            (routed.map_err(|e| e.to_string()), tried),
            (Err(table.route(r#"h {"sourcetype":"t","event":{"x":"1"}}"#).unwrap_err().to_string()), vec![])
        );
    }

    #[test]
    fn the_telling_byte_is_the_first_where_every_name_differs() {
        let (at, index) = telling_byte(&[b"zs-web", b"zs-fw", b"zs-dns"]).expect("a byte");
        assert_eq!(
            (at, index[usize::from(b'w')], index[usize::from(b'f')], index[usize::from(b'd')]),
            (3, 0, 1, 2)
        );
        assert_eq!(index.iter().filter(|i| **i != u8::MAX).count(), 3);
        // A name that is another's start differs from it at the closing quote.
        let (at, index) = telling_byte(&[b"ab", b"abc"]).expect("a byte");
        assert_eq!((at, index[usize::from(b'"')], index[usize::from(b'c')]), (2, 0, 1));
        assert_eq!(telling_byte(&[b"ab", b"ab"]), None);
        assert_eq!(telling_byte(&[b"xa", b"ya", b"xb"]).map(|(at, _)| at), Some(1).filter(|_| false));
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
                    fork: None,
                })
                .collect();
            // A body alone, which every rule for where a body starts reads from its first byte.
            let line = format!(r#"{{"sourcetype":"{sourcetype}","event":{{{}}}}}"#, pieces.concat());
            let table = Table::new(List::Owned(entries.clone()));
            proptest::prop_assert_eq!(table.route(&line), route_by_every_key(&entries, &line), "{}", line);
            // With no exact walk taking a line, reading it is routing it.
            proptest::prop_assert_eq!(table.route_with(&line, |_| None, Ok), table.route(&line), "{}", line);
        }

        /// Any text, read as `Table::guess` reads lines, with a table whose entries part after
        /// keys they print alike: never a panic, and only an index into the table.
        #[test]
        fn the_guess_reads_any_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{", "}", " ", ":", ",", "\"", "\\", "\"sourcetype\"", "\"t\"", "\"u\"", "\"yy\"", "\"only_a\"",
                    "\"only_b\"", "\"event\"", "x", "é",
                ]),
                0..24,
            ),
        ) {
            let text = pieces.concat();
            let a = plan(r#"\{"sourcetype":"t","event":\{"x":"%s{x}","yy":"%s{y}","only_a":"%s{a}"\}\}"#);
            let b = plan(r#"\{"sourcetype":"t","event":\{"x":"%s{x}","yy":"%s{y}","only_b":"%s{b}"\}\}"#);
            let c = plan(r#"\{"sourcetype":"u","event":\{"only_c":"%s{c}"\}\}"#);
            let d = plan(r#"\{"sourcetype":"u","event":\{"only_d":"%s{c}"\}\}"#);
            let table = Table::from_plans(&[&a, &b, &c, &d]).expect("a table");
            proptest::prop_assert!(table.guess(&text).is_none_or(|i| i < 4), "{}", text);
        }
    }
}
