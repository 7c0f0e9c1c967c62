//! The contenders: each parses every line and reports what it extracted from a sample of them.

use std::borrow::Cow;

use memchr::memchr_iter;
use nssgen::sekoia::*;
use nssgen::Text;
use nssgen_syntax::Item;
use simd_json::prelude::*;

include!(concat!(env!("OUT_DIR"), "/serde_structs.rs"));

/// Lines parsed, and for every 101st line the sampled values as text.
pub(crate) type Extracted = (usize, Vec<Vec<String>>);

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
    /// Parses every line; returns the number parsed (timed).
    pub(crate) run: fn(&Setup, &[String]) -> usize,
    /// What it extracted, compared across contenders before timing (`None`: it extracts nothing).
    pub(crate) check: Option<fn(&Setup, &[String]) -> Extracted>,
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

/// Runs `$body` with `$record` the typed record type of the log type.
macro_rules! derived {
    ($log_type:expr, $lines:expr, $count:ident, $sample:ident) => {
        match $log_type {
            "web" => derived!(@ Web, $lines, $count, $sample; recordid eurl eua),
            "firewall" => derived!(@ Firewall, $lines, $count, $sample; inbytes csip elogin),
            "dns" => derived!(@ Dns, $lines, $count, $sample; durationms req elogin),
            "tunnel" => derived!(@ Tunnel, $lines, $count, $sample; recordid sourceip elocationname),
            "tunnel-ike-phase1" => derived!(@ TunnelIkePhase1, $lines, $count, $sample; spi_in algo elocationname),
            "tunnel-ike-phase2" => derived!(@ TunnelIkePhase2, $lines, $count, $sample; spi srcipstart elocationname),
            "admin-audit" => derived!(@ AdminAudit, $lines, $count, $sample; recordid resource epreaction),
            "saas-security" => derived!(@ SaasSecurity, $lines, $count, $sample; recordid filename fullurl),
            "saas-security-activity" => derived!(@ SaasSecurityActivity, $lines, $count, $sample; objtype1 username tenant),
            other => panic!("no typed record for {other}"),
        }
    };
    (@ $record:ident, $lines:expr, $count:ident, $sample:ident; $($field:ident)*) => {{
        for (i, line) in $lines.iter().enumerate() {
            let Ok(r) = $record::parse(line) else { continue };
            $count += 1;
            if i % 101 == 0 {
                $sample.push(vec![$(r.$field.raw_text()),*]);
            }
            std::hint::black_box(&r);
        }
    }};
}

fn derived_check(setup: &Setup, lines: &[String]) -> Extracted {
    let (mut count, mut sample) = (0, Vec::new());
    derived!(setup.log_type.as_str(), lines, count, sample);
    (count, sample)
}

fn derived_run(setup: &Setup, lines: &[String]) -> usize {
    // The same walk without keeping samples: one parse per line, the record dropped unread.
    macro_rules! count {
        ($($id:literal => $record:ident),*) => {
            match setup.log_type.as_str() {
                $($id => lines.iter().filter(|l| std::hint::black_box($record::parse(l)).is_ok()).count(),)*
                other => panic!("no typed record for {other}"),
            }
        };
    }
    count!("web" => Web, "firewall" => Firewall, "dns" => Dns, "tunnel" => Tunnel,
        "tunnel-ike-phase1" => TunnelIkePhase1, "tunnel-ike-phase2" => TunnelIkePhase2,
        "admin-audit" => AdminAudit, "saas-security" => SaasSecurity,
        "saas-security-activity" => SaasSecurityActivity)
}

fn interpreter_check(setup: &Setup, lines: &[String]) -> Extracted {
    let (mut count, mut sample) = (0, Vec::new());
    for (i, line) in lines.iter().enumerate() {
        let Ok(record) = setup.parser.parse(line) else { continue };
        count += 1;
        if i % 101 == 0 {
            sample.push(
                setup
                    .keys
                    .iter()
                    .map(|(_, f)| record.get(f).map(|v| norm(&v.raw)).unwrap_or_default())
                    .collect(),
            );
        }
    }
    (count, sample)
}

fn body(line: &str) -> Option<&str> {
    line.find('{').map(|i| &line[i..])
}

fn typed_run<'a, T: serde::Deserialize<'a>>(
    lines: &'a [String],
    keys: &[&str],
    get: impl Fn(&T, &str) -> Option<String>,
) -> Extracted {
    let (mut count, mut sample) = (0, Vec::new());
    for (i, line) in lines.iter().enumerate() {
        let Some(parsed) = body(line).and_then(|b| serde_json::from_str::<T>(b).ok()) else { continue };
        count += 1;
        if i % 101 == 0 {
            sample.push(keys.iter().map(|k| get(&parsed, k).map(|v| norm(&v)).unwrap_or_default()).collect());
        }
        std::hint::black_box(&parsed);
    }
    (count, sample)
}

fn serde_typed_check(setup: &Setup, lines: &[String]) -> Extracted {
    let keys: Vec<&str> = setup.keys.iter().map(|(k, _)| *k).collect();
    typed(&setup.log_type, lines, &keys)
}

fn serde_value_check(setup: &Setup, lines: &[String]) -> Extracted {
    let (mut count, mut sample) = (0, Vec::new());
    for (i, line) in lines.iter().enumerate() {
        let Some(v) = body(line).and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok()) else {
            continue;
        };
        count += 1;
        if i % 101 == 0 {
            sample.push(
                setup.keys.iter().map(|(k, _)| norm(v["event"][k].as_str().unwrap_or_default())).collect(),
            );
        }
        std::hint::black_box(&v);
    }
    (count, sample)
}

fn simd_check(setup: &Setup, lines: &[String]) -> Extracted {
    let (mut count, mut sample) = (0, Vec::new());
    // simd-json parses in place: each line's body is copied into a reused buffer first.
    let mut buffer = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(b) = body(line) else { continue };
        buffer.clear();
        buffer.extend_from_slice(b.as_bytes());
        let Ok(v) = simd_json::to_borrowed_value(&mut buffer) else { continue };
        count += 1;
        if i % 101 == 0 {
            let event = v.get("event");
            sample.push(
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
    (count, sample)
}

fn regex_check(setup: &Setup, lines: &[String]) -> Extracted {
    let (mut count, mut sample) = (0, Vec::new());
    for (i, line) in lines.iter().enumerate() {
        let Some(caps) = setup.regex.captures(line) else { continue };
        count += 1;
        if i % 101 == 0 {
            sample.push(setup.groups.iter().map(|&g| norm(caps.get(g).map_or("", |m| m.as_str()))).collect());
        }
        std::hint::black_box(&caps);
    }
    (count, sample)
}

pub(crate) fn all() -> Vec<Contender> {
    vec![
        Contender {
            name: "derived",
            note:
                "#[derive(NssRecord)] nssgen::sekoia record: borrowed; hex fields decoded lazily, on access",
            run: derived_run,
            check: Some(derived_check),
        },
        Contender {
            name: "interpreter",
            note: "nssgen::Parser compiled at run time over the same format",
            run: |s, lines| lines.iter().filter(|l| std::hint::black_box(s.parser.parse(l)).is_ok()).count(),
            check: Some(interpreter_check),
        },
        Contender {
            name: "serde_json_typed",
            note: "strip the header, serde_json::from_str into a #[derive(Deserialize)] struct of Cow<str>",
            run: |s, lines| serde_typed_check(s, lines).0,
            check: Some(serde_typed_check),
        },
        Contender {
            name: "serde_json_value",
            note: "strip the header, serde_json::from_str into serde_json::Value",
            run: |s, lines| serde_value_check(s, lines).0,
            check: Some(serde_value_check),
        },
        Contender {
            name: "simd_json",
            note: "strip the header, copy, simd_json::to_borrowed_value",
            run: |s, lines| simd_check(s, lines).0,
            check: Some(simd_check),
        },
        Contender {
            name: "regex",
            note: "one regex over the line, a negated class per field",
            run: |s, lines| regex_check(s, lines).0,
            check: Some(regex_check),
        },
        Contender {
            name: "memchr_floor",
            note: "count `\"` bytes with memchr: one SIMD pass, the floor no parser can beat",
            run: |_, lines| lines.iter().filter(|l| memchr_iter(b'"', l.as_bytes()).count() > 0).count(),
            check: None,
        },
    ]
}
