//! `nssgen identify [INPUT]` run in-process on lines: 30 lines rendered from every published
//! vendor format (each Sekoia.io history set, log type and syslog header; every Elastic
//! version, legacy included) are named as that format, lines of several formats shuffled
//! together form one group each, drifted lines go to the known format they drifted from, and
//! lines no known format prints are rejected one by one.

use nssgen_tests::{
    elastic_catalog_log_type, elastic_files, fixture, nssgen_with_input, sekoia_history_files, VendorFile,
};
use serde_json::{json, Value};

/// The seeds each format's 30 lines are rendered with.
const SEEDS: [&str; 3] = ["1", "2", "17"];

/// The log type `nssgen sample` takes with `file` as its format: the profile log type for
/// Sekoia (`tunnel-ike-phase1` picks the IKE phase 1 records), the catalog one for Elastic.
fn sample_log_type(file: &VendorFile) -> &str {
    match file.profile {
        "elastic" => elastic_catalog_log_type(&file.path),
        _ => &file.log_type,
    }
}

/// `n` lines rendered from `file` by `nssgen sample`, which must succeed.
fn sample(file: &VendorFile, n: usize, seed: &str) -> Vec<String> {
    let path = file.path.to_str().expect("UTF-8 path");
    let count = n.to_string();
    let args = ["sample", sample_log_type(file), "-n", &count, "--seed", seed, "-f", path];
    let (code, out, err) = nssgen_with_input(&args, b"");
    assert_eq!((code, err.as_str()), (0, ""), "nssgen {args:?}");
    let lines: Vec<String> = out.lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), n, "nssgen {args:?}");
    lines
}

/// `nssgen identify --json` on `lines`: (exit code, the one JSON object printed, stderr).
fn identify(lines: &[String]) -> (u8, Value, String) {
    let mut input = lines.join("\n");
    input.push('\n');
    let (code, out, err) = nssgen_with_input(&["identify", "--json"], input.as_bytes());
    assert_eq!(out.lines().count(), 1, "one line on stdout: {out}");
    let doc = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (code, doc, err)
}

/// The group `identify` must print for `lines` lines of `file`, `drifted` of them drifted.
fn group(file: &VendorFile, lines: usize, drifted: usize) -> Value {
    json!({
        "profile": file.profile,
        "log_type": file.log_type,
        "version": file.version,
        "lines": lines,
        "exact": lines - drifted,
        "drifted": drifted,
        "target": file.target,
        "current": file.current,
    })
}

/// Asserts that 30 lines of `file`, for each seed, are one group naming it, all exact.
fn assert_named_from_30_lines(file: &VendorFile) {
    for seed in SEEDS {
        let lines = sample(file, 30, seed);
        let (code, doc, err) = identify(&lines);
        assert_eq!(
            (code, err.as_str(), &doc),
            (0, "", &json!({ "groups": [group(file, 30, 0)], "rejected": 0 })),
            "{} seed {seed}",
            file.path.display()
        );
    }
}

/// The Sekoia history file of `set` (a folder name's date prefix), header folder and stem.
fn sekoia(files: &[VendorFile], set: &str, folder: &str, stem: &str) -> VendorFile {
    let rel = format!("{folder}/{stem}.txt");
    files
        .iter()
        .find(|f| {
            f.path.ends_with(&rel)
                && f.path
                    .parent()
                    .and_then(|p| p.parent())
                    .and_then(|p| p.file_name())
                    .is_some_and(|n| n.to_str().is_some_and(|n| n.starts_with(&format!("{set}_"))))
        })
        .unwrap_or_else(|| panic!("no sekoia {set} {rel}"))
        .clone()
}

#[test]
fn every_sekoia_history_format_is_named_from_30_of_its_lines() {
    let files = sekoia_history_files();
    // 7 sets: the first RFC3164 only with 7 log types, then 7, 7, 7, 9, 9, 9 in both flavours.
    assert_eq!(files.len(), 7 + 2 * (7 * 3 + 9 * 3));
    let latest = files
        .iter()
        .filter_map(|f| f.path.parent()?.parent()?.file_name()?.to_str())
        .max()
        .expect("a set")
        .to_owned();
    assert!(latest.starts_with("2026-07-21_"), "{latest}");
    let mut sets: Vec<String> = std::fs::read_dir(fixture("reference/formats/sekoia/history"))
        .expect("history")
        .map(|e| e.expect("entry").file_name().to_str().expect("UTF-8").to_owned())
        .collect();
    sets.sort();
    for file in &files {
        // The version is the earliest set holding this text, read from the files themselves;
        // current means the latest set holds it too.
        let rel = file.path.strip_prefix(fixture("reference/formats/sekoia/history")).expect("in history");
        let same_file = |set: &str| {
            let mut parts = rel.iter().skip(1);
            let (folder, name) = (parts.next().expect("folder"), parts.next().expect("name"));
            std::fs::read_to_string(
                fixture("reference/formats/sekoia/history").join(set).join(folder).join(name),
            )
            .ok()
        };
        let raw = std::fs::read_to_string(&file.path).expect("read");
        assert_eq!(file.current, same_file(&latest).as_deref() == Some(raw.as_str()), "{}", rel.display());
        let earliest =
            sets.iter().find(|set| same_file(set).as_deref() == Some(raw.as_str())).expect("itself");
        assert_eq!(Some(file.version.as_str()), earliest.split('_').next(), "{}", rel.display());
        assert_eq!(
            file.target,
            if rel.iter().nth(1).is_some_and(|f| f == "rfc3164") { "nss" } else { "nss-rfc5424" }
        );

        assert_named_from_30_lines(file);
    }
    // A text that lasted: the 2023-09-25 RFC3164 web text was still published on 2025-04-04.
    let web = sekoia(&files, "2025-04-04", "rfc3164", "web");
    assert_eq!((web.version.as_str(), web.current), ("2023-09-25", false));
    let versions: std::collections::BTreeSet<&str> = files.iter().map(|f| f.version.as_str()).collect();
    assert_eq!(versions.len(), 7, "{versions:?}");
}

#[test]
fn every_elastic_format_is_named_from_30_of_its_lines() {
    let files = elastic_files();
    assert_eq!(files.len(), 20 + 7);
    for file in &files {
        let name = file.path.file_name().and_then(|n| n.to_str()).expect("name");
        // The version token from the file's place: `<stem>.<vN>.txt`, or the legacy folder.
        let expected_version = if file.path.parent().is_some_and(|p| p.ends_with("legacy_1a89c96c")) {
            "legacy".to_owned()
        } else {
            name.trim_end_matches(".txt").rsplit('.').next().expect("a version").to_owned()
        };
        assert_eq!(
            (file.version.as_str(), file.current),
            (expected_version.as_str(), expected_version != "legacy")
        );
        assert_named_from_30_lines(file);
    }
    // The mapping of `xtask import` (spot checks of the names `identify` must print).
    let log_type = |name: &str| {
        files.iter().find(|f| f.path.ends_with(name)).map(|f| f.log_type.clone()).expect("the file")
    };
    assert_eq!(log_type("tunnel.ike_phase1.v2.txt"), "tunnel-ike-phase1");
    assert_eq!(log_type("tunnel.tunnel_event.v2.txt"), "tunnel");
    assert_eq!(log_type("audit.v1.txt"), "admin-audit");
    assert_eq!(log_type("saas_security.crm.v1.txt"), "saas-security-crm");
    assert_eq!(log_type("legacy_1a89c96c/tunnel.sample_event.txt"), "tunnel-sample-event");
}

#[test]
fn identify_without_json_names_each_group_in_a_sentence() {
    let files = sekoia_history_files();
    let web = sekoia(&files, "2025-04-04", "rfc3164", "web");
    let mut lines = sample(&web, 30, "1");
    lines.push("not a log line".to_owned());
    lines.push("nor this one".to_owned());
    let input = lines.join("\n") + "\n";
    let (code, out, err) = nssgen_with_input(&["identify"], input.as_bytes());
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            1,
            "30 lines: sekoia web (nss) version 2023-09-25, not current: 30 exactly, 0 with drift\n\
             2 lines rejected: no known format prints them\n",
            "line 31: no known format prints it\nline 32: no known format prints it\n"
        )
    );
    // The same from a file named as INPUT.
    let path = std::env::temp_dir().join(format!("nssgen-identify-{}-web.txt", std::process::id()));
    std::fs::write(&path, &input).expect("a temporary file");
    let (code_from_file, out_from_file, _) =
        nssgen_with_input(&["identify", path.to_str().expect("UTF-8")], b"");
    let _ = std::fs::remove_file(&path);
    assert_eq!((code_from_file, out_from_file), (code, out));
}

#[test]
fn identify_json_group_keys_are_in_the_documented_order() {
    let files = elastic_files();
    let dns = files.iter().find(|f| f.path.ends_with("dns.v3.txt")).expect("dns");
    let input = sample(dns, 3, "1").join("\n");
    let (code, out, _) = nssgen_with_input(&["identify", "--json"], input.as_bytes());
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let keys = |v: &Value| v.as_object().expect("an object").keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&doc), ["groups", "rejected"]);
    assert_eq!(
        keys(&doc["groups"][0]),
        ["profile", "log_type", "version", "lines", "exact", "drifted", "target", "current"]
    );
}

/// A deterministic shuffle (xorshift), so a failure names the same order every run.
fn shuffle<T>(items: &mut [T], mut state: u64) {
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).expect("an index");
        items.swap(i, j);
    }
}

/// RFC5424 lines of the current format whose month equals their minutes: Sekoia's 2026-06-22
/// RFC5424 formats print the minutes in the month's place, so they print such a line too,
/// and which of the two printed it is a guess; the mixed streams leave them out.
fn month_is_minutes(line: &str) -> bool {
    // `<134>1 YYYY-MM-DDTHH:MM:SSZ ...`
    let stamp = line.split(' ').nth(1).unwrap_or_default();
    stamp.get(5..7).is_some_and(|month| stamp.get(14..16) == Some(month))
}

/// The formats the mixed streams draw from: Sekoia's 2026-06-22 and current RFC5424 tunnel,
/// 2023-09-25 and current RFC3164 web, Elastic's current firewall and legacy DNS.
fn mixed_sources() -> [VendorFile; 6] {
    let sekoia_files = sekoia_history_files();
    let elastic = elastic_files();
    let elastic =
        |rel: &str| elastic.iter().find(|f| f.path.ends_with(rel)).expect("an elastic file").clone();
    let sources = [
        sekoia(&sekoia_files, "2026-06-22", "rfc5424", "tunnel"),
        sekoia(&sekoia_files, "2026-07-21", "rfc5424", "tunnel"),
        sekoia(&sekoia_files, "2023-09-25", "rfc3164", "web"),
        sekoia(&sekoia_files, "2026-07-21", "rfc3164", "web"),
        elastic("firewall.v2.txt"),
        elastic("legacy_1a89c96c/dns.txt"),
    ];
    assert_eq!((sources[0].version.as_str(), sources[0].current), ("2026-06-22", false));
    assert!(sources[1].current && !sources[2].current && sources[3].current);
    sources
}

/// Asserts that `counts[i]` lines of `mixed_sources()[i]` (rendered with `seed`), shuffled,
/// give one group per format with its count, in the order of each format's first line.
fn assert_mix(seed: u64, counts: [usize; 6]) {
    let sources = mixed_sources();
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (at, (file, count)) in sources.iter().zip(counts).enumerate() {
        let mut rendered = sample(file, count + 5, &seed.to_string());
        if at == 1 {
            rendered.retain(|l| !month_is_minutes(l));
        }
        assert!(rendered.len() >= count, "{} seed {seed}", file.path.display());
        lines.extend(rendered.into_iter().take(count).map(|l| (at, l)));
    }
    shuffle(&mut lines, seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut order: Vec<usize> = Vec::new();
    for (at, _) in &lines {
        if !order.contains(at) {
            order.push(*at);
        }
    }
    let expected: Vec<Value> = order.iter().map(|&at| group(&sources[at], counts[at], 0)).collect();
    let text: Vec<String> = lines.into_iter().map(|(_, l)| l).collect();
    let (code, doc, err) = identify(&text);
    assert_eq!(
        (code, err.as_str(), &doc),
        (0, "", &json!({ "groups": expected, "rejected": 0 })),
        "seed {seed}, counts {counts:?}"
    );
}

#[test]
fn a_shuffled_stream_of_several_formats_gives_one_group_each_in_order_of_first_line() {
    for (seed, counts) in [(2, [20, 12, 9, 7, 3, 5]), (3, [30, 30, 1, 30, 2, 30]), (4, [1, 1, 1, 1, 1, 1])] {
        assert_mix(seed, counts);
    }
}

/// Every line of Sekoia's 2026-06-22 RFC5424 formats is also printed by the current format
/// (the minutes it prints in the month's place read as the month), so they all land in the
/// set {2026-06-22, current}; `vintage::pick` gives such a set to the format that printed more
/// lines alone than the set holds, and only the current one can print lines alone. With more
/// current lines than 2026-06-22 ones in the stream, the 2026-06-22 lines are named current.
#[test]
fn older_rfc5424_lines_keep_their_version_when_current_lines_outnumber_them() {
    assert_mix(1, [12, 20, 7, 9, 5, 3]);
}

#[test]
fn drifted_lines_join_the_known_format_they_drifted_from() {
    let files = sekoia_history_files();
    for folder in ["rfc3164", "rfc5424"] {
        let phase1 = sekoia(&files, "2026-07-21", folder, "tunnel_ike_phase1");
        assert!(phase1.current && phase1.text.contains("IPSEC IKEV "));
        let exact = sample(&phase1, 30, "4");
        let drifted: Vec<String> = sample(&phase1, 30, "5")
            .into_iter()
            .map(|l| {
                let mutated = l.replace("IPSEC IKEV ", "ipsec ");
                assert_ne!(mutated, l);
                mutated
            })
            .collect();

        let (code, doc, err) = identify(&drifted);
        assert_eq!(
            (code, err.as_str(), &doc),
            (0, "", &json!({ "groups": [group(&phase1, 30, 30)], "rejected": 0 })),
            "{folder}"
        );

        // Exact and drifted lines of one format are one group, the drifted ones counted apart.
        let mut mixed: Vec<String> = exact.into_iter().take(20).collect();
        mixed.extend(drifted.into_iter().take(10));
        shuffle(&mut mixed, 7);
        let (code, doc, err) = identify(&mixed);
        assert_eq!(
            (code, err.as_str(), &doc),
            (0, "", &json!({ "groups": [group(&phase1, 30, 10)], "rejected": 0 })),
            "{folder}"
        );
    }

    // Another constant: Elastic's current web lines with the version they print changed.
    let elastic = elastic_files();
    let web = elastic.iter().find(|f| f.path.ends_with("web.v11.txt")).expect("web");
    assert!(web.text.contains("\"version\":\"v11\""));
    let lines: Vec<String> = sample(web, 30, "6")
        .iter()
        .map(|l| l.replace("\"version\":\"v11\"", "\"version\":\"v12\""))
        .collect();
    let (code, doc, err) = identify(&lines);
    assert_eq!(
        (code, err.as_str(), &doc),
        (0, "", &json!({ "groups": [group(web, 30, 30)], "rejected": 0 }))
    );
}

#[test]
fn lines_no_known_format_prints_are_rejected_one_by_one_and_exit_1() {
    let files = sekoia_history_files();
    let dns = sekoia(&files, "2026-07-21", "rfc5424", "dns");
    let good = sample(&dns, 5, "8");
    let garbage = [
        "hello world".to_owned(),
        "{\"not\":\"a zscaler line\"}".to_owned(),
        // A DNS line cut short: its JSON body no longer reads.
        good[0][..good[0].len() / 2].to_owned(),
        // A JSON body naming no known sourcetype.
        good[1].replace("zscalernss-dns", "zscalernss-nope"),
    ];
    let mut lines = good.clone();
    // Garbage on lines 2, 4, 6, 8 (1-based): each reported with its number, the rest named.
    for (k, g) in garbage.iter().enumerate() {
        lines.insert(1 + 2 * k, g.clone());
    }
    let (code, doc, err) = identify(&lines);
    assert_eq!(code, 1, "{err}");
    assert_eq!(doc, json!({ "groups": [group(&dns, 5, 0)], "rejected": 4 }));
    let expected: String =
        [2, 4, 6, 8].iter().map(|n| format!("line {n}: no known format prints it\n")).collect();
    assert_eq!(err, expected);

    // Nothing but garbage: no group at all.
    let (code, doc, err) = identify(&garbage);
    assert_eq!((code, doc), (1, json!({ "groups": [], "rejected": 4 })));
    assert_eq!(err.lines().count(), 4, "{err}");
    assert!(err.lines().enumerate().all(|(i, l)| l.starts_with(&format!("line {}: ", i + 1))), "{err}");

    // A line that is not UTF-8 is rejected too, not a panic.
    let mut bytes = good.join("\n").into_bytes();
    bytes.extend(b"\n\xff\xfe zscaler\n");
    let (code, out, err) = nssgen_with_input(&["identify", "--json"], &bytes);
    assert_eq!((code, err.as_str()), (1, "line 6: not UTF-8\n"));
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc, json!({ "groups": [group(&dns, 5, 0)], "rejected": 1 }));
}
