//! Fuzz target: the drift path, structure-aware. The input is a line of one of the built-in
//! Sekoia formats (the first byte picks which of the nine log types times three targets; the
//! seeds are lines the emulator rendered from the current and every older Sekoia format), then,
//! after a `0xFF` (never in UTF-8), edits to apply to the JSON body's keys and values, four bytes
//! each: change a constant, put another JSON type where a string belongs, insert or cut text,
//! rename, drop, repeat or add keys, swap values, print a field's own spec. libFuzzer mutates
//! both the line and the edits.
//!
//! The edited line goes through the format's interpreter (`nssgen::Parser`, compiled as
//! `nssgen parse` compiles it) and the log type's typed record. Never panics, and:
//! - strict reading fails exactly when keys drifted, with the first drifted key's error, for
//!   the interpreter and the typed record alike;
//! - every drifted key is one of the format's leaf keys (`plan::key_name`), once, in format order;
//! - every value borrowed from the line is the line's text at its offset;
//! - the typed record reads as the interpreter of its (`nss`) format does, converting values on
//!   top: what the interpreter rejects it rejects with the same error; what it reads the
//!   interpreter reads, on the same path with the same drift, or on an earlier path whose
//!   record holds a number that does not convert or lacks a field; what it alone rejects, the
//!   interpreter's record holds such a value.
#![no_main]

mod common;

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use nssgen::sekoia::Record;
use nssgen::{Conversion, Drift, ParsePath};
use nssgen_catalog::Target;

/// Edits applied at most, so that an input's cost stays bounded.
const MAX_EDITS: usize = 24;

/// String contents an edit puts in place of a value's: the constants vendors changed, other log
/// types' sourcetypes, placeholders, numbers that do not convert, escapes, a spec.
const TEXTS: &[&str] = &[
    "",
    "ipsec",
    "IPSEC IKEV 3",
    "IPSEC IKEV ",
    "v9",
    "NSS",
    "zscaler",
    "None",
    "N/A",
    "0",
    "-1",
    " 7",
    "18446744073709551616",
    "0x1F",
    "é",
    r#"\""#,
    r"\\",
    r"\u0000",
    r"\ud800",
    r"\u00e9t\u00e9",
    "%s{x}",
    "%",
    "zscalernss-web",
    "zscalernss-fw",
    "zscalernss-dns",
    "zscalernss-tunnel",
    "zscalernss-audit",
    "zscalernss-casb",
    "zscalernss-other",
    "2024-13-45 25:61:61",
    "Thu Feb 6 14:41:19 2025",
    "destinationport",
    "eventreason",
];

/// Raw JSON an edit puts where a value was: other types than a string.
const RAWS: &[&str] = &[
    "null",
    "0",
    "-1",
    "1.5e300",
    "true",
    "false",
    "{}",
    "[]",
    r#"{"a":1}"#,
    r#"[1,"x"]"#,
    r#""""#,
    r#""x\"y""#,
    "18446744073709551616",
    r#"{"sourcetype":"zscalernss-web"}"#,
    r#"{"event":{"event":"UP"}}"#,
];

/// Text an edit inserts inside a string: some keep the JSON valid, some break it.
const PIECES: &[&str] = &[
    "a", "Z", "0", " ", "%", "{", "}", ",", ":", r#"\""#, r"\\", r"\n", r"\u00e9", "é", "\"", "\\", "\t",
    "%s{", "IKEV ",
];

/// Names an added key takes: new ones, and the format's own (a key printed twice).
const KEYS: &[&str] = &["x", "new_key", "event", "sourcetype", "user", "recordid", "tunneltype", "datetime"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A key: a string followed by `:`.
    Key,
    /// A string value (its quotes included).
    Str,
    /// A number, `true`, `false` or `null`.
    Scalar,
}

/// A token of the line's JSON body: `start..end` in the line.
#[derive(Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
}

/// The body's strings and scalars, from the line's body on (as the router finds it), read
/// leniently: the line may be broken JSON.
fn tokens(line: &str) -> Vec<Token> {
    let bytes = line.as_bytes();
    let from = nssgen_syntax::shape::framing(line)
        .and_then(|f| f.body)
        .or_else(|| line.find('{'))
        .unwrap_or(bytes.len());
    let mut tokens = Vec::new();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
                let end = (i + 1).min(bytes.len());
                i = end;
                let after = bytes[end..].iter().find(|c| !c.is_ascii_whitespace());
                let kind = if after == Some(&b':') { Kind::Key } else { Kind::Str };
                tokens.push(Token { start, end, kind });
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                {
                    i += 1;
                }
                tokens.push(Token { start, end: i, kind: Kind::Scalar });
            }
            _ => i += 1,
        }
    }
    tokens
}

/// The largest character boundary of `text` at or before `at`.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Where a string token's contents end: before its closing quote, or at its end when the line
/// ends inside it. Never before its opening quote's end.
fn inner_end(line: &str, t: Token) -> usize {
    let closed = t.end >= t.start + 2 && line.as_bytes()[t.end - 1] == b'"';
    if closed {
        t.end - 1
    } else {
        t.end.max(t.start + 1)
    }
}

/// A key and the string or scalar value right after its colon, as one member `start..end`.
fn member(line: &str, tokens: &[Token], key: usize) -> Option<(usize, usize)> {
    let (k, v) = (tokens.get(key)?, tokens.get(key + 1)?);
    let between = line.get(k.end..v.start)?.trim();
    (k.kind == Kind::Key && v.kind != Kind::Key && between == ":").then_some((k.start, v.end))
}

/// Applies one edit `[op, which, a, b]` to `line`; `specs` are the format's own specs.
fn edit(line: &mut String, op: [u8; 4], specs: &[String]) {
    let [op, which, a, b] = op;
    let tokens = tokens(line);
    let pick = |kind: Option<Kind>, n: u8| -> Option<(usize, Token)> {
        let chosen: Vec<(usize, Token)> = tokens
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, t)| kind.map_or(t.kind != Kind::Key, |k| t.kind == k))
            .collect();
        (!chosen.is_empty()).then(|| chosen[usize::from(n) % chosen.len()])
    };
    let pick_of = |list: &'static [&'static str], n: u8| list[usize::from(n) % list.len()];
    match op % 12 {
        // A value's contents become another text (a constant that drifted).
        0 => {
            if let Some((_, t)) = pick(None, which) {
                line.replace_range(t.start..t.end, &format!("\"{}\"", pick_of(TEXTS, a)));
            }
        }
        // A value becomes another JSON type.
        1 => {
            if let Some((_, t)) = pick(None, which) {
                line.replace_range(t.start..t.end, pick_of(RAWS, a));
            }
        }
        // Text inserted inside a string value.
        2 => {
            if let Some((_, t)) = pick(Some(Kind::Str), which) {
                let inner = inner_end(line, t);
                let at = boundary(line, t.start + 1 + usize::from(b) % (inner - t.start));
                line.insert_str(at, pick_of(PIECES, a));
            }
        }
        // A string value cut short.
        3 => {
            if let Some((_, t)) = pick(Some(Kind::Str), which) {
                let inner = inner_end(line, t);
                let at = boundary(line, t.start + 1 + usize::from(b) % (inner - t.start));
                line.replace_range(at..inner, "");
            }
        }
        // A key renamed: it goes missing and an extra key appears.
        4 => {
            if let Some((_, t)) = pick(Some(Kind::Key), which) {
                let at = t.end.saturating_sub(1).max(t.start);
                line.insert_str(at, pick_of(&["_", "2", "X", "é"], a));
            }
        }
        // A member dropped, with the comma before it.
        5 => {
            if let Some((i, _)) = pick(Some(Kind::Key), which) {
                if let Some((start, end)) = member(line, &tokens, i) {
                    let before = line[..start].trim_end();
                    let start = if before.ends_with(',') { before.len() - 1 } else { start };
                    line.replace_range(start..end, "");
                }
            }
        }
        // A member repeated with another value (the first occurrence is the one read).
        6 => {
            if let Some((i, _)) = pick(Some(Kind::Key), which) {
                if let Some((start, end)) = member(line, &tokens, i) {
                    let key = &line[start..tokens[i].end];
                    let repeated = format!(",{key}:{}", pick_of(RAWS, a));
                    line.insert_str(end, &repeated);
                }
            }
        }
        // A key the format lacks, added after a member.
        7 => {
            if let Some((i, _)) = pick(Some(Kind::Key), which) {
                if let Some((_, end)) = member(line, &tokens, i) {
                    let added = format!(",\"{}\":{}", pick_of(KEYS, a), pick_of(RAWS, b));
                    line.insert_str(end, &added);
                }
            }
        }
        // Two values swapped.
        8 => {
            if let (Some((_, x)), Some((_, y))) = (pick(None, which), pick(None, a)) {
                let (x, y) = if x.start <= y.start { (x, y) } else { (y, x) };
                if x.end <= y.start {
                    let (tx, ty) = (line[x.start..x.end].to_owned(), line[y.start..y.end].to_owned());
                    line.replace_range(y.start..y.end, &tx);
                    line.replace_range(x.start..x.end, &ty);
                }
            }
        }
        // A value is a field's unsubstituted spec, as NSS prints a field a record type lacks.
        9 => {
            if let (Some((_, t)), false) = (pick(Some(Kind::Str), which), specs.is_empty()) {
                let spec = &specs[usize::from(a) % specs.len()];
                line.replace_range(t.start..t.end, &format!("\"{spec}\""));
            }
        }
        // Spacing around a colon, as a relay re-serialising the body prints it.
        10 => {
            if let Some((_, t)) = pick(Some(Kind::Key), which) {
                line.insert_str(t.end, pick_of(&[" ", "  ", "\t"], a));
            }
        }
        // A string value upper-cased (constants whose case changed).
        _ => {
            if let Some((_, t)) = pick(Some(Kind::Str), which) {
                let upper = line[t.start..t.end].to_uppercase();
                line.replace_range(t.start..t.end, &upper);
            }
        }
    }
}

/// The interpreter of one format: strict reading, drifted keys, borrowed values.
fn interpreter(builtin: &common::Builtin, line: &str) {
    let Ok(record) = builtin.parser.parse(line) else { return };
    common::drift_names_leaves(record.drift(), &builtin.leaf_names, line);
    for (name, value) in record.iter() {
        if let Cow::Borrowed(raw) = &value.raw {
            let at = line.get(value.offset..value.offset + raw.len());
            assert_eq!(at, Some(*raw), "`{name}` is not the line's text at {}: {line:?}", value.offset);
        } else {
            assert!(value.offset <= line.len(), "`{name}` at {} past the line: {line:?}", value.offset);
        }
    }
    let drift = record.drift().cloned();
    let drifted = drift.as_ref().is_some_and(Drift::is_drifted);
    match record.strict() {
        Ok(_) => assert!(!drifted, "strict read a line whose keys drifted: {line:?}"),
        Err(err) => assert_eq!(Some(&err), drift.as_ref().and_then(Drift::strict_error), "{line:?}"),
    }
}

/// Where a path comes in the order every parser tries them.
fn rank(path: ParsePath) -> u8 {
    match path {
        ParsePath::Exact => 0,
        ParsePath::Headless => 1,
        ParsePath::Json => 2,
    }
}

/// Whether a record of the interpreter holds what a typed record may refuse: a number that does
/// not convert to the member's type (`i64` for `%d` and `%ld`, `u64` for `%u`, `%lu` and `%llu`,
/// as `cargo xtask codegen` types them; other members take any text) or a field the line lacks
/// (one the typed record may require).
fn may_refuse(parser: &nssgen::Parser, record: &nssgen::Record<'_, '_>) -> bool {
    record.iter().count() < parser.fields().len()
        || record.iter().any(|(_, v)| match v.conv {
            Conversion::D | Conversion::Ld => v.to::<Option<i64>>().is_err(),
            Conversion::U | Conversion::Lu | Conversion::Llu => v.to::<Option<u64>>().is_err(),
            _ => false,
        })
}

/// The typed record of `log_type` against the interpreter of its `nss` format.
fn typed(log_type: &str, line: &str) {
    let builtin = &common::builtin()[common::index_of(log_type, Target::Nss)];
    let index = Record::LOG_TYPES.iter().position(|id| *id == log_type).expect("a log type");
    let typed = common::typed(index, line, false);
    common::strict_agrees(&typed, &common::typed(index, line, true), line);
    let interpreted = builtin.parser.parse(line);
    match (&typed, &interpreted) {
        (Ok(t), Ok(i)) => {
            common::drift_names_leaves(t.drift.as_deref(), &builtin.leaf_names, line);
            assert!(rank(i.path) <= rank(t.path), "typed {:?}, interpreter {:?}: {line:?}", t.path, i.path);
            if t.path == i.path {
                assert_eq!(t.drift.as_deref(), i.drift(), "drift differs on {line:?}");
            } else {
                assert!(
                    may_refuse(&builtin.parser, i),
                    "typed went past {:?} for no value: {line:?}",
                    i.path
                );
            }
        }
        (Err(t), Err(i)) => assert_eq!(t, i, "typed and interpreter reject differently: {line:?}"),
        (Err(t), Ok(i)) => {
            assert!(may_refuse(&builtin.parser, i), "typed alone rejects ({t}), for no value: {line:?}")
        }
        (Ok(t), Err(i)) => panic!("typed reads ({:?}) what the interpreter rejects ({i}): {line:?}", t.path),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let (line, edits) = match rest.iter().position(|&b| b == 0xFF) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let Ok(line) = std::str::from_utf8(line) else { return };
    let builtins = common::builtin();
    let builtin = &builtins[usize::from(first) % builtins.len()];
    let specs: Vec<String> =
        builtin.parser.fields().map(|(name, conv, _)| format!("%{}{{{name}}}", conv.as_str())).collect();
    let mut line = line.to_owned();
    for op in edits.chunks_exact(4).take(MAX_EDITS) {
        edit(&mut line, [op[0], op[1], op[2], op[3]], &specs);
    }
    interpreter(builtin, &line);
    typed(builtin.log_type, &line);
});
