//! Mixed streams and drift: `nssgen parse all` and `nssgen::sekoia::Record` on every Sekoia log
//! type in every shape a collector sees (RFC3164 and RFC5424 NSS lines, the Cloud NSS body
//! alone, the line as the concentrator forwards it), routed right and read as the per-type parse
//! reads them; lines of every older published Sekoia version and lines whose constants drifted
//! parsed with nothing rejected and the drifted keys named; `--strict` rejecting them.

use std::collections::BTreeMap;

use nssgen::sekoia::{self, Record};
use nssgen::{NssRecord, ParseError, Parsed};
use nssgen_syntax::plan::{self, Encoding, Node};
use nssgen_tests::{fixture, nssgen_with_input, sekoia_log_types, summary};
use serde_json::{Map, Value};

/// The header the concentrator (`nssgen feed all --emit rsyslog`) puts before a body it
/// forwards to Sekoia.io's intake.
const FORWARDED: &str =
    r#"<134>1 2025-11-12T09:01:38Z zscaler-nss NSS - LOG [SEKOIA@53288 intake_key="a1b2-c3{d4}"] "#;

/// A line of a mixed stream: its log type, the target whose per-type parse is its reference,
/// and the line.
#[derive(Clone, Debug)]
struct Line {
    log_type: &'static str,
    target: &'static str,
    text: String,
}

fn sample(log_type: &str, target: &str, n: usize, seed: u64, hostile: bool) -> Vec<String> {
    let (n, seed) = (n.to_string(), seed.to_string());
    let mut args = vec!["sample", log_type, "--target", target, "-n", &n, "--seed", &seed];
    if hostile {
        args.push("--hostile");
    }
    let (code, out, err) = nssgen_with_input(&args, b"");
    assert_eq!(code, 0, "{err}");
    out.lines().map(str::to_owned).collect()
}

/// The body of a line: from its first `{` on (NSS headers print none).
fn body(line: &str) -> &str {
    &line[line.find('{').expect("a JSON body")..]
}

/// `n` lines of each log type in each of the four shapes, forwarded ones from both NSS
/// targets, shuffled by `seed`.
fn stream(n: usize, seed: u64, hostile: bool) -> Vec<Line> {
    let mut lines = Vec::new();
    for log_type in sekoia_log_types() {
        for target in ["nss", "nss-rfc5424", "cloud-nss"] {
            for text in sample(log_type, target, n, seed, hostile) {
                if target != "cloud-nss" {
                    let forwarded = format!("{FORWARDED}{}", body(&text));
                    lines.push(Line { log_type, target, text: forwarded });
                }
                lines.push(Line { log_type, target, text });
            }
        }
    }
    shuffle(&mut lines, seed);
    lines
}

/// A Fisher-Yates shuffle by a small LCG: the same order for the same seed.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    for i in (1..items.len()).rev() {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

fn objects(out: &str) -> Vec<Map<String, Value>> {
    out.lines()
        .map(|l| match serde_json::from_str(l) {
            Ok(Value::Object(o)) => o,
            other => panic!("not an object: {other:?}: {l}"),
        })
        .collect()
}

/// Each line parsed by `nssgen parse <its log type> --target <its target>`, in the stream's
/// order (one run per log type and target).
fn per_type(lines: &[Line], extra: &[&str]) -> Vec<Option<Map<String, Value>>> {
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        groups.entry((line.log_type, line.target)).or_default().push(i);
    }
    let mut parsed = vec![None; lines.len()];
    for ((log_type, target), at) in groups {
        // One run per line keeps failed lines from shifting the others.
        for i in at {
            let mut args = vec!["parse", log_type, "--target", target];
            args.extend_from_slice(extra);
            let (_, out, _) = nssgen_with_input(&args, format!("{}\n", lines[i].text).as_bytes());
            parsed[i] = objects(&out).pop();
        }
    }
    parsed
}

/// Checks `parse all` against the per-type parse, line by line: the same object, `_log_type`
/// first. Returns the number of lines parsed.
fn assert_routed(lines: &[Line], strict: bool) -> usize {
    let input: String = lines.iter().map(|l| format!("{}\n", l.text)).collect();
    let extra: &[&str] = if strict { &["--with-path", "--strict"] } else { &["--with-path"] };
    let mut args = vec!["parse", "all"];
    args.extend_from_slice(extra);
    let (_, out, err) = nssgen_with_input(&args, input.as_bytes());
    let reference = per_type(lines, extra);
    let mut all = objects(&out).into_iter();
    let mut parsed = 0;
    for (line, expected) in lines.iter().zip(reference) {
        let Some(mut expected) = expected else { continue };
        let mut got = all.next().unwrap_or_else(|| panic!("`parse all` lost a line: {}\n{err}", line.text));
        let first = got.keys().next().cloned();
        assert_eq!(first.as_deref(), Some("_log_type"), "{}", line.text);
        assert_eq!(got.remove("_log_type"), Some(Value::from(line.log_type)), "{}", line.text);
        expected.remove("_log_type");
        if line.text.starts_with(FORWARDED) {
            // A forwarded body carries no NSS header, so the header's fields are `null`; and the
            // two NSS targets of firewall and DNS print the same body, read by either one.
            // Their fields named differently (`mon`, `yyyy`) are the null ones.
            got.retain(|_, v| !v.is_null());
            expected.retain(|_, v| !v.is_null());
        }
        assert_eq!(got, expected, "{} {}: {}", line.log_type, line.target, line.text);
        parsed += 1;
    }
    assert!(all.next().is_none(), "`parse all` parsed a line the per-type parse rejects");
    parsed
}

/// The typed record of `log_type` for `line`, as the routed `Record` variant.
fn typed<'a>(log_type: &str, line: &'a str) -> Result<Parsed<Record<'a>>, ParseError> {
    match log_type {
        "web" => sekoia::Web::parse_detailed(line).map(|p| p.map(Record::Web)),
        "firewall" => sekoia::Firewall::parse_detailed(line).map(|p| p.map(Record::Firewall)),
        "dns" => sekoia::Dns::parse_detailed(line).map(|p| p.map(Record::Dns)),
        "tunnel" => sekoia::Tunnel::parse_detailed(line).map(|p| p.map(Record::Tunnel)),
        "tunnel-ike-phase1" => {
            sekoia::TunnelIkePhase1::parse_detailed(line).map(|p| p.map(Record::TunnelIkePhase1))
        }
        "tunnel-ike-phase2" => {
            sekoia::TunnelIkePhase2::parse_detailed(line).map(|p| p.map(Record::TunnelIkePhase2))
        }
        "admin-audit" => sekoia::AdminAudit::parse_detailed(line).map(|p| p.map(Record::AdminAudit)),
        "saas-security" => sekoia::SaasSecurity::parse_detailed(line).map(|p| p.map(Record::SaasSecurity)),
        "saas-security-activity" => {
            sekoia::SaasSecurityActivity::parse_detailed(line).map(|p| p.map(Record::SaasSecurityActivity))
        }
        other => panic!("no typed record for {other}"),
    }
}

fn assert_typed(lines: &[Line]) {
    for line in lines {
        let routed = Record::parse_detailed(&line.text);
        let own = typed(line.log_type, &line.text);
        assert_eq!(routed, own, "{} {}: {}", line.log_type, line.target, line.text);
        if let Ok(parsed) = routed {
            assert_eq!(parsed.record.log_type(), line.log_type);
        }
    }
}

#[test]
fn a_shuffled_stream_of_every_log_type_in_every_shape_is_routed_and_read_as_each_type_reads_it() {
    let lines = stream(3, 11, false);
    assert_eq!(lines.len(), 9 * 5 * 3);
    assert_eq!(assert_routed(&lines, false), lines.len(), "every line parses");
    assert_typed(&lines);
    let input: String = lines.iter().map(|l| format!("{}\n", l.text)).collect();
    let (code, _, err) = nssgen_with_input(&["parse", "all"], input.as_bytes());
    assert_eq!((code, err), (0, summary(lines.len() as u64, 0, 0)));
}

#[test]
fn hostile_values_route_the_same() {
    // Unescaped quotes and backslashes make some bodies invalid JSON: routing reads the
    // sourcetype and the keys by their literal text, and the walks read the values.
    let lines = stream(4, 3, true);
    assert!(lines.iter().any(|l| serde_json::from_str::<Value>(body(&l.text)).is_err()), "no hostile line");
    assert_eq!(assert_routed(&lines, false), lines.len());
    assert_typed(&lines);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 8, ..Default::default() })]
    #[test]
    fn any_seed_of_adversarial_values_routes_every_line(seed in 0u64..1_000_000) {
        let lines = stream(1, seed, true);
        proptest::prop_assert_eq!(assert_routed(&lines, false), lines.len());
        assert_typed(&lines);
    }
}

#[test]
fn a_line_of_no_known_log_type_is_reported_and_the_run_goes_on() {
    let good = sample("dns", "nss", 2, 1, false);
    let input = format!(
        "{}\nnot a line\n{{\"sourcetype\":\"zscalernss-unknown\",\"event\":{{}}}}\n{}\n",
        good[0], good[1]
    );
    let (code, out, err) = nssgen_with_input(&["parse", "all"], input.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(objects(&out).len(), 2);
    let reported: Vec<&str> = err.lines().collect();
    assert_eq!(reported.len(), 3, "{err}");
    assert!(reported[0].starts_with("line 2: "), "{err}");
    assert!(reported[1].contains("no log type here has the sourcetype `zscalernss-unknown`"), "{err}");
    assert_eq!(format!("{}\n", reported[2]), summary(2, 0, 2));
    let err = Record::parse("not a line").expect_err("not routed");
    assert!(matches!(err.kind, nssgen::ParseErrorKind::Unrouted { .. }), "{err:?}");
}

/// Every Sekoia history file: (date folder, header folder, log type id, path).
fn history() -> Vec<(String, String, &'static str, std::path::PathBuf)> {
    let root = fixture("reference/formats/sekoia/history");
    let mut out = Vec::new();
    for path in nssgen_tests::files_under(&root) {
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let rel = path.strip_prefix(&root).expect("under the root");
        let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        let stem = parts[2].trim_end_matches(".txt").replace('_', "-");
        let log_type = sekoia_log_types().into_iter().find(|t| *t == stem).expect("a profile log type");
        out.push((parts[0][..10].to_owned(), parts[1].clone(), log_type, path));
    }
    out
}

/// The keys of a format's lines: its JSON leaf keys, or its key=value names.
fn keys_of(text: &str) -> Vec<String> {
    nssgen_check::known::keys(&nssgen_syntax::parse(text).expect("parses"))
}

#[test]
fn lines_of_every_older_sekoia_version_parse_with_nothing_rejected_and_their_missing_keys_named() {
    let history = history();
    assert!(history.len() >= 100, "{}", history.len());
    for (date, header, log_type, path) in &history {
        let text = std::fs::read_to_string(path).expect("reads");
        let text = text.strip_suffix('\n').unwrap_or(&text);
        // The earliest date that published this exact text, and whether it is the current one.
        let earliest = history
            .iter()
            .filter(|(_, h, t, p)| {
                h == header
                    && t == log_type
                    && std::fs::read_to_string(p).ok().as_deref().map(|s| s.trim_end_matches('\n'))
                        == Some(text)
            })
            .map(|(d, ..)| d.clone())
            .min()
            .expect("itself");
        let current_path = fixture(&format!(
            "reference/formats/sekoia/{header}/{}",
            path.file_name().unwrap().to_string_lossy()
        ));
        let current_text = std::fs::read_to_string(current_path).expect("a current file");
        let current = text == current_text.trim_end_matches('\n');
        let added: Vec<String> = {
            let old = keys_of(text);
            keys_of(current_text.trim_end_matches('\n')).into_iter().filter(|k| !old.contains(k)).collect()
        };
        let format = path.to_string_lossy();
        let (code, lines, err) =
            nssgen_with_input(&["sample", log_type, "-n", "6", "--seed", "5", "-f", &format], b"");
        assert_eq!(code, 0, "{err}");
        let target = if header == "rfc5424" { "nss-rfc5424" } else { "nss" };
        for args in
            [vec!["parse", "all", "--with-path"], vec!["parse", log_type, "--target", target, "--with-path"]]
        {
            let what = format!("{date} {header} {log_type}: {}", args.join(" "));
            let (code, out, err) = nssgen_with_input(&args, lines.as_bytes());
            assert_eq!(code, 0, "{what}: {err}");
            assert!(err.ends_with("0 rejected\n"), "{what}: {err}");
            // The values the line carries: those the version's own format reads.
            let (_, own, _) = nssgen_with_input(&["parse", log_type, "-f", &format], lines.as_bytes());
            for (object, own) in objects(&out).into_iter().zip(objects(&own)) {
                if args[1] == "all" {
                    assert_eq!(object.get("_log_type"), Some(&Value::from(*log_type)), "{what}");
                }
                match object.get("_version") {
                    Some(version) => {
                        assert!(!current, "{what}: a current line named a version");
                        assert_eq!(version, &Value::from(earliest.as_str()), "{what}");
                        let drift: Vec<String> = object
                            .get("_drift")
                            .and_then(Value::as_array)
                            .map(|a| a.iter().filter_map(|k| k.as_str().map(str::to_owned)).collect())
                            .unwrap_or_default();
                        assert_eq!(drift, added, "{what}");
                    }
                    // Read by the current format exactly: it prints the same line (the 2026-06-22
                    // RFC5424 formats print the minutes where the month belongs, which one line
                    // cannot tell from a month; `identify` tells them apart over many lines).
                    None => assert_eq!(object.get("_path"), Some(&Value::from("exact")), "{what}"),
                }
                for (key, value) in &own {
                    if !value.is_null() && object.contains_key(key) {
                        let mine = &object[key];
                        // The current format may read a field the older one prints elsewhere.
                        assert!(
                            mine == value || object.get("_version").is_none(),
                            "{what}: `{key}` {mine} vs {value}"
                        );
                    }
                }
            }
        }
    }
}

/// The constants a log type's current body prints that a line may drift from: each key whose
/// value is a constant (the sourcetype aside: another one is another log type) or a string
/// whose literal text holds one (`IPSEC IKEV %d{ikeversion}`), with that literal text.
fn constants(log_type: &str, target: nssgen_catalog::Target) -> Vec<(String, String)> {
    let framed = nssgen_profile::format("sekoia", log_type, target).expect("a format");
    let plan = plan::compile(&framed.format, |_| Encoding::Plain).expect("compiles");
    let skeleton = plan.body.and_then(|b| b.skeleton).expect("a JSON body");
    let leaves = plan::leaf_keys(&skeleton);
    leaves
        .iter()
        .filter_map(|(path, node)| {
            let key = path.last()?.to_string();
            match node {
                Node::Const(text) if !plan::IDENTITY_KEYS.contains(&key.as_str()) && !text.is_empty() => {
                    Some((key, text.to_string()))
                }
                Node::Str(walk) => walk.lead.as_ref().map(|lead| (key, lead.to_string())),
                _ => None,
            }
        })
        .collect()
}

/// `line` with the constant `text` of `key`'s value replaced by a lowercase drifted one.
fn mutate(line: &str, key: &str, text: &str) -> String {
    let at = line.find(&format!("\"{key}\"")).expect("the key") + key.len() + 2;
    let value = at + line[at..].find('"').expect("a string value") + 1;
    assert!(line[value..].starts_with(text), "{key}: {}", &line[value..]);
    format!("{}{}~{}", &line[..value], text.to_lowercase().trim_end(), &line[value + text.len()..])
}

#[test]
fn a_drifted_constant_is_parsed_with_its_key_named_and_strict_rejects_it() {
    let mut mutated = 0;
    for log_type in sekoia_log_types() {
        for target in nssgen_catalog::Target::ALL {
            for (key, text) in constants(log_type, target) {
                let lines = sample(log_type, target.id(), 3, 9, false);
                let drifted: Vec<String> = lines.iter().map(|l| mutate(l, &key, &text)).collect();
                let input = drifted.join("\n") + "\n";
                let what = format!("{log_type} {target} `{key}`");
                for mode in [&["parse", "all"][..], &["parse", log_type, "--target", target.id()][..]] {
                    let (code, out, err) = nssgen_with_input(mode, input.as_bytes());
                    assert_eq!((code, err), (0, summary(0, 3, 0)), "{what}");
                    let (_, exact, _) = nssgen_with_input(mode, (lines.join("\n") + "\n").as_bytes());
                    for (object, exact) in objects(&out).iter().zip(objects(&exact)) {
                        assert_eq!(object.get("_drift"), Some(&Value::from(vec![key.clone()])), "{what}");
                        // Every field keeps its value but those only the drifted value held.
                        for (name, value) in &exact {
                            let kept = &object[name];
                            assert!(kept == value || kept.is_null(), "{what}: `{name}` {kept} vs {value}");
                        }
                    }
                    let mut strict = mode.to_vec();
                    strict.push("--strict");
                    let (code, out, err) = nssgen_with_input(&strict, input.as_bytes());
                    assert_eq!((code, out.as_str()), (1, ""), "{what}");
                    assert!(err.ends_with(&summary(0, 0, 3)), "{what}: {err}");
                    assert!(err.contains(&format!("`event.{key}` is `")), "{what}: {err}");
                }
                let typed_strict = Record::parse_strict(&drifted[0]);
                assert!(typed_strict.is_err(), "{what}");
                let typed = Record::parse_detailed(&drifted[0]).expect("parses with drift");
                assert_eq!(typed.drifted_keys().collect::<Vec<_>>(), [key.as_str()], "{what}");
                mutated += 1;
            }
        }
    }
    // web: product, vendor; IKE phases: tunneltype; in each of the three targets.
    assert_eq!(mutated, 12);
}

#[test]
fn keys_the_format_lacks_are_kept_in_extra() {
    let line = &sample("dns", "cloud-nss", 1, 2, false)[0];
    let added = line.replacen("\"event\" :{", r#""event" :{"newkey":{"a":[1,"x"]},"#, 1);
    assert_ne!(&added, line);
    let (code, out, err) = nssgen_with_input(&["parse", "all"], format!("{added}\n").as_bytes());
    assert_eq!((code, err), (0, summary(0, 1, 0)));
    let object = objects(&out).pop().expect("one object");
    assert_eq!(object.get("_extra"), Some(&serde_json::json!({"newkey": {"a": [1, "x"]}})));
    assert!(object.get("_drift").is_none());
}

/// The formats `Record`'s variants were derived from, in [`Record::LOG_TYPES`]' order.
const FORMATS: [&str; 9] = [
    sekoia::Web::FORMAT,
    sekoia::Firewall::FORMAT,
    sekoia::Dns::FORMAT,
    sekoia::Tunnel::FORMAT,
    sekoia::TunnelIkePhase1::FORMAT,
    sekoia::TunnelIkePhase2::FORMAT,
    sekoia::AdminAudit::FORMAT,
    sekoia::SaasSecurity::FORMAT,
    sekoia::SaasSecurityActivity::FORMAT,
];

/// The routing table `nssgen parse all` builds from those formats at run time, the one
/// `Record`'s generated table is written from.
fn table() -> nssgen::route::Table {
    let parsers: Vec<nssgen::Parser> =
        FORMATS.iter().map(|f| nssgen::Parser::compile(f).expect("a Sekoia format compiles")).collect();
    let plans: Vec<&plan::Plan> = parsers.iter().map(nssgen::Parser::plan).collect();
    nssgen::route::Table::from_plans(&plans).expect("the Sekoia formats route")
}

#[test]
fn every_line_a_format_prints_is_read_by_the_exact_walk_the_guess_names() {
    assert_eq!(Record::LOG_TYPES.to_vec(), sekoia_log_types());
    let table = table();
    for (index, log_type) in Record::LOG_TYPES.iter().enumerate() {
        // The common line costs the router no key search: the sourcetype and, where log types
        // share it, the key printed where their formats part name the walk that reads it.
        for line in sample(log_type, "nss", 30, 5, false) {
            assert_eq!(table.guess(&line), Some(index), "{log_type}: {line}");
            let parsed = Record::parse_detailed(&line).expect("a printed line parses");
            assert_eq!(
                (parsed.record.log_type(), parsed.path),
                (*log_type, nssgen::ParsePath::Exact),
                "{line}"
            );
        }
        // Lines of other shapes are routed by the key rule, as before; the guess only names
        // which walk to try first.
        for line in sample(log_type, "cloud-nss", 5, 5, false) {
            assert_eq!(table.route(&line), Ok(index), "{log_type}: {line}");
        }
    }
}

#[test]
fn a_line_its_format_prints_exactly_is_that_log_type_even_when_its_values_hold_anothers_keys() {
    // A tunnel line whose user name holds IKE phase 1's own keys, unescaped: the key rule
    // counts both log types' keys and cannot tell; the tunnel format prints the line exactly.
    let line = &sample("tunnel", "nss", 1, 2, false)[0];
    let start = line.find(r#""user":""#).expect("a user key") + r#""user":""#.len();
    let end = start + line[start..].find('"').expect("the user value ends");
    let user = r#"a","destinationport":"1","spi_in":"2"#;
    let line = format!("{}{user}{}", &line[..start], &line[end..]);
    let err = table().route(&line).expect_err("the key rule ties");
    assert!(err.to_string().contains("do not tell which `zscalernss-tunnel` log type"), "{err}");
    match Record::parse_detailed(&line) {
        Ok(Parsed { record: Record::Tunnel(tunnel), path: nssgen::ParsePath::Exact, .. }) => {
            assert_eq!(tunnel.vpncredentialname, user)
        }
        other => panic!("not read as the tunnel line it is: {other:?}"),
    }
    let (code, out, err) = nssgen_with_input(&["parse", "all"], format!("{line}\n").as_bytes());
    assert_eq!((code, err), (0, summary(1, 0, 0)));
    let object = &objects(&out)[0];
    assert_eq!(
        (&object["_log_type"], &object["vpncredentialname"]),
        (&Value::from("tunnel"), &Value::from(user))
    );
}
