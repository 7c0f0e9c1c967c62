//! The contenders: each parses every line and reports what it extracted from a sample of them.

use std::borrow::Cow;

use memchr::memchr_iter;
use nssgen::sekoia::*;
use nssgen::NssRecord as _;
use nssgen::Text;
use nssgen_syntax::Item;
use simd_json::prelude::*;

include!(concat!(env!("OUT_DIR"), "/serde_structs.rs"));

/// Lines parsed, and (when asked to sample) for every 101st line the sampled values as text.
pub(crate) type Extracted = (usize, Vec<Vec<String>>);

/// Whether line `i` is one whose values are compared across contenders.
fn sampled(sample: bool, i: usize) -> bool {
    sample && i % 101 == 0
}

/// What every contender works from for one log type.
pub(crate) struct Setup {
    pub(crate) log_type: String,
    /// (JSON key, field name) of the values compared across contenders.
    pub(crate) keys: Vec<(&'static str, &'static str)>,
    parser: nssgen::Parser,
    regex: regex::Regex,
    /// Capture group of each sampled field in `regex`.
    groups: Vec<usize>,
}

/// One way to read NSS lines.
pub(crate) struct Contender {
    pub(crate) name: &'static str,
    pub(crate) note: &'static str,
    /// Parses every line: the lines parsed and, with `sample`, the sampled values. Timed
    /// without sampling, so every contender does the same work in the timed loop.
    pub(crate) parse: fn(&Setup, &[&str], bool) -> Extracted,
    /// Whether it extracts values to compare (the memchr floor extracts nothing).
    pub(crate) compared: bool,
}

/// The values compared across contenders: a number, a text field and an encoded field where
/// the log type has them.
fn sampled_keys(log_type: &str) -> Vec<(&'static str, &'static str)> {
    match log_type {
        "web" => vec![("event_id", "recordid"), ("url", "eurl"), ("useragent", "eua")],
        "firewall" => vec![("inbytes", "inbytes"), ("csip", "csip"), ("user", "elogin")],
        "dns" => vec![("durationms", "durationms"), ("dns_req", "req"), ("user", "elogin")],
        "tunnel" => vec![("recordid", "recordid"), ("sourceip", "sourceip"), ("location", "elocationname")],
        "tunnel-ike-phase1" => vec![("spi_in", "spi_in"), ("algo", "algo"), ("location", "elocationname")],
        "tunnel-ike-phase2" => {
            vec![("spi", "spi"), ("srcipstart", "srcipstart"), ("location", "elocationname")]
        }
        "admin-audit" => {
            vec![("recordid", "recordid"), ("resource", "resource"), ("preaction", "epreaction")]
        }
        "saas-security" => vec![("recordid", "recordid"), ("filename", "filename"), ("fullurl", "fullurl")],
        "saas-security-activity" => {
            vec![("object_type", "objtype1"), ("login", "username"), ("tenant", "tenant")]
        }
        _ => Vec::new(),
    }
}

impl Setup {
    pub(crate) fn new(log_type: &str, format: &str) -> anyhow::Result<Setup> {
        let parser = nssgen::Parser::compile(format).map_err(|e| anyhow::anyhow!("{e}"))?;
        let ast = nssgen_syntax::parse(format).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (regex, names) = regex_for(&ast);
        let keys = sampled_keys(log_type);
        let groups = keys
            .iter()
            .map(|(_, field)| names.iter().position(|n| n == field).map(|i| i + 1))
            .collect::<Option<Vec<usize>>>()
            .ok_or_else(|| anyhow::anyhow!("a sampled field is not in the {log_type} format"))?;
        Ok(Setup { log_type: log_type.to_owned(), keys, parser, regex: regex::Regex::new(&regex)?, groups })
    }
}

/// One pattern for the whole line, a group per field with a negated class up to the character
/// that starts the next literal: what regex-based SIEM parsers do.
fn regex_for(format: &nssgen_syntax::Format) -> (String, Vec<String>) {
    let mut pattern = String::from("^");
    let mut names = Vec::new();
    for (i, item) in format.items.iter().enumerate() {
        match item {
            Item::Literal(l) => pattern.push_str(&regex::escape(&l.text)),
            Item::Field(f) => {
                names.push(f.name.clone());
                match format.items.get(i + 1) {
                    Some(Item::Literal(next)) => {
                        let stop = next.text.chars().next().unwrap_or('"');
                        pattern.push_str(&format!("([^{}]*)", regex::escape(&stop.to_string())));
                    }
                    _ => pattern.push_str("(.*)"),
                }
            }
        }
    }
    pattern.push('$');
    (pattern, names)
}

/// A placeholder, a missing value or an unsubstituted spec (`%s{filename}`, printed for a
/// record type that lacks the field; NSS parsers read it as missing) compares as empty,
/// whoever read it.
fn norm(text: &str) -> String {
    let own_spec = text.starts_with('%') && text.ends_with('}') && text.contains('{');
    if nssgen::is_placeholder(text) || own_spec {
        String::new()
    } else {
        text.to_owned()
    }
}

/// The raw text of a typed record's field.
trait Raw {
    fn raw_text(&self) -> String;
}

impl Raw for &str {
    fn raw_text(&self) -> String {
        norm(self)
    }
}

impl Raw for std::borrow::Cow<'_, str> {
    fn raw_text(&self) -> String {
        norm(self)
    }
}

impl Raw for Text<'_> {
    fn raw_text(&self) -> String {
        norm(self.raw())
    }
}

impl<T: Raw> Raw for Option<T> {
    fn raw_text(&self) -> String {
        self.as_ref().map(Raw::raw_text).unwrap_or_default()
    }
}

impl Raw for i64 {
    fn raw_text(&self) -> String {
        self.to_string()
    }
}

impl Raw for u64 {
    fn raw_text(&self) -> String {
        self.to_string()
    }
}

/// Parses every line with the log type's typed record, counting into `$count` and pushing the
/// sampled fields of sampled lines onto `$values`.
macro_rules! derived {
    ($log_type:expr, $lines:expr, $sampling:expr) => {
        match $log_type {
            "web" => derived!(@ Web, $lines, $sampling; recordid eurl eua),
            "firewall" => derived!(@ Firewall, $lines, $sampling; inbytes csip elogin),
            "dns" => derived!(@ Dns, $lines, $sampling; durationms req elogin),
            "tunnel" => derived!(@ Tunnel, $lines, $sampling; recordid sourceip elocationname),
            "tunnel-ike-phase1" => derived!(@ TunnelIkePhase1, $lines, $sampling; spi_in algo elocationname),
            "tunnel-ike-phase2" => derived!(@ TunnelIkePhase2, $lines, $sampling; spi srcipstart elocationname),
            "admin-audit" => derived!(@ AdminAudit, $lines, $sampling; recordid resource epreaction),
            "saas-security" => derived!(@ SaasSecurity, $lines, $sampling; recordid filename fullurl),
            "saas-security-activity" => derived!(@ SaasSecurityActivity, $lines, $sampling; objtype1 username tenant),
            other => panic!("no typed record for {other}"),
        }
    };
    (@ $record:ident, $lines:expr, $sampling:expr; $($field:ident)*) => {
        race($lines, $sampling, |line| $record::parse(line).ok(), |r| vec![$(r.$field.raw_text()),*])
    };
}

/// Every contender's loop: parses each line, counts the lines read, and picks the sampled
/// values of sampled lines (outside the timed runs, where `sample` is off).
#[inline(always)]
fn race<'l, T>(
    lines: &[&'l str],
    sample: bool,
    mut parse: impl FnMut(&'l str) -> Option<T>,
    pick: impl Fn(&T) -> Vec<String>,
) -> Extracted {
    let (mut count, mut values) = (0, Vec::new());
    for (i, &line) in lines.iter().enumerate() {
        let Some(parsed) = parse(line) else { continue };
        count += 1;
        if sampled(sample, i) {
            values.push(pick(&parsed));
        }
        std::hint::black_box(&parsed);
    }
    (count, values)
}

fn derived(setup: &Setup, lines: &[&str], sample: bool) -> Extracted {
    derived!(setup.log_type.as_str(), lines, sample)
}

fn interpreter(setup: &Setup, lines: &[&str], sample: bool) -> Extracted {
    race(
        lines,
        sample,
        |line| setup.parser.parse(line).ok(),
        |record| {
            setup.keys.iter().map(|(_, f)| record.get(f).map(|v| norm(&v.raw)).unwrap_or_default()).collect()
        },
    )
}

fn body(line: &str) -> Option<&str> {
    line.find('{').map(|i| &line[i..])
}

/// Whether the line's body is JSON: the lines every contender can read, which the races keep.
pub(crate) fn json_bodied(line: &str) -> bool {
    body(line).is_some_and(|b| serde_json::from_str::<serde::de::IgnoredAny>(b).is_ok())
}

fn typed_run<'a, T: serde::Deserialize<'a>>(
    lines: &'a [&'a str],
    keys: &[&str],
    sample: bool,
    get: impl Fn(&T, &str) -> Option<String>,
) -> Extracted {
    race(
        lines,
        sample,
        |line| body(line).and_then(|b| serde_json::from_str::<T>(b).ok()),
        |parsed| keys.iter().map(|k| get(parsed, k).map(|v| norm(&v)).unwrap_or_default()).collect(),
    )
}

fn serde_typed(setup: &Setup, lines: &[&str], sample: bool) -> Extracted {
    let keys: Vec<&str> = setup.keys.iter().map(|(k, _)| *k).collect();
    typed(&setup.log_type, lines, &keys, sample)
}

fn serde_value(setup: &Setup, lines: &[&str], sample: bool) -> Extracted {
    race(
        lines,
        sample,
        |line| body(line).and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok()),
        |v| setup.keys.iter().map(|(k, _)| norm(v["event"][k].as_str().unwrap_or_default())).collect(),
    )
}

fn simd(setup: &Setup, lines: &[&str], sample: bool) -> Extracted {
    // Not through `race`: each value borrows the one buffer the next line is copied into.
    let (mut count, mut values) = (0, Vec::new());
    // simd-json parses in place: each line's body is copied into a reused buffer first.
    let mut buffer = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(b) = body(line) else { continue };
        buffer.clear();
        buffer.extend_from_slice(b.as_bytes());
        let Ok(v) = simd_json::to_borrowed_value(&mut buffer) else { continue };
        count += 1;
        if sampled(sample, i) {
            let event = v.get("event");
            values.push(
                setup
                    .keys
                    .iter()
                    .map(|(k, _)| {
                        norm(event.and_then(|e| e.get(*k)).and_then(|x| x.as_str()).unwrap_or_default())
                    })
                    .collect(),
            );
        }
        std::hint::black_box(&v);
    }
    (count, values)
}

fn regex(setup: &Setup, lines: &[&str], sample: bool) -> Extracted {
    race(
        lines,
        sample,
        |line| setup.regex.captures(line),
        |caps| setup.groups.iter().map(|&g| norm(caps.get(g).map_or("", |m| m.as_str()))).collect(),
    )
}

pub(crate) fn all() -> Vec<Contender> {
    let contender = |name, note, parse, compared| Contender { name, note, parse, compared };
    vec![
        contender(
            "derived",
            "#[derive(NssRecord)] nssgen::sekoia record: text borrowed, hex fields decoded lazily (on access), numbers converted eagerly",
            derived,
            true,
        ),
        contender(
            "interpreter",
            "nssgen::Parser compiled at run time over the same format",
            interpreter,
            true,
        ),
        contender(
            "serde_json_typed",
            "strip the header, serde_json::from_str into a #[derive(Deserialize)] struct of Cow<str>",
            serde_typed,
            true,
        ),
        contender(
            "serde_json_value",
            "strip the header, serde_json::from_str into serde_json::Value",
            serde_value,
            true,
        ),
        contender("simd_json", "strip the header, copy, simd_json::to_borrowed_value", simd, true),
        contender("regex", "one regex over the line, a negated class per field", regex, true),
        contender(
            "memchr_floor",
            "count `\"` bytes with memchr: one SIMD pass, the floor no parser can beat",
            |_, lines, _| {
                (lines.iter().filter(|l| memchr_iter(b'"', l.as_bytes()).count() > 0).count(), Vec::new())
            },
            false,
        ),
    ]
}
