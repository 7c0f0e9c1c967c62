//! `nssgen sample` and `nssgen parse` run in-process: sampled lines, hostile values included,
//! parse back for every built-in format and every Elastic format, and parse reports bad lines
//! without stopping.

use std::path::{Path, PathBuf};

use nssgen_tests::{
    elastic_catalog_log_type, files_under, fixture, nssgen, nssgen_with_input, sekoia_log_types, summary,
};
use serde_json::Value;

/// `nssgen sample ARGS`, which must succeed.
fn sample(args: &[&str]) -> String {
    let args: Vec<&str> = std::iter::once("sample").chain(args.iter().copied()).collect();
    let (code, out, err) = nssgen(&args);
    assert_eq!((code, err.as_str()), (0, ""), "nssgen {args:?}");
    out
}

/// Parses NDJSON output: one object per line.
fn objects(out: &str) -> Vec<serde_json::Map<String, Value>> {
    out.lines()
        .map(|line| match serde_json::from_str(line) {
            Ok(Value::Object(map)) => map,
            other => panic!("not a JSON object: {line}\n{other:?}"),
        })
        .collect()
}

/// A file in the system's temporary folder, unique to this process and test.
fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("nssgen-sample-parse-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("write a temporary file");
    path
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

#[test]
fn sample_is_the_same_for_the_same_seed_and_differs_for_another() {
    let a = sample(&["web", "-n", "20", "--seed", "1"]);
    let b = sample(&["web", "-n", "20", "--seed", "1"]);
    let c = sample(&["web", "-n", "20", "--seed", "2"]);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.lines().count(), 20);
    // The defaults: ten lines, seed 0.
    assert_eq!(sample(&["firewall"]), sample(&["firewall", "-n", "10", "--seed", "0"]));
    assert_eq!(sample(&["firewall"]).lines().count(), 10);
}

#[test]
fn sample_web_snapshot() {
    // Three lines pin the sampler's output for a seed: a change shows here for review.
    let out = sample(&["web", "-n", "3", "--seed", "1"]);
    insta::assert_snapshot!(out);
}

#[test]
fn sampled_lines_of_every_sekoia_log_type_and_target_parse_back() {
    for log_type in sekoia_log_types() {
        for target in ["nss", "nss-rfc5424", "cloud-nss"] {
            let n = if log_type == "web" && target == "nss" { 1000 } else { 150 };
            let count = n.to_string();
            let lines = sample(&[log_type, "--target", target, "-n", &count, "--seed", "1", "--hostile"]);
            assert_eq!(lines.lines().count(), n, "{log_type} {target}");
            let (code, out, err) =
                nssgen_with_input(&["parse", log_type, "--target", target, "-"], lines.as_bytes());
            assert_eq!((code, err), (0, summary(n as u64, 0, 0)), "{log_type} {target}");
            let objects = objects(&out);
            assert_eq!(objects.len(), n, "{log_type} {target}");
            // Keys are the format's field names, in format order, each once.
            let framed = nssgen_profile::format("sekoia", log_type, target.parse().expect("target"))
                .expect("sekoia format");
            let mut names: Vec<String> = Vec::new();
            for f in framed.format.fields() {
                if !names.contains(&f.name) {
                    names.push(f.name.clone());
                }
            }
            let keys: Vec<&String> = objects[0].keys().collect();
            assert_eq!(keys, names.iter().collect::<Vec<_>>(), "{log_type} {target}");
        }
    }
}

#[test]
fn sample_web_1000_piped_into_parse_web_gives_1000_objects() {
    let lines = sample(&["web", "-n", "1000", "--seed", "1", "--hostile"]);
    let (code, out, err) = nssgen_with_input(&["parse", "web"], lines.as_bytes());
    assert_eq!((code, err), (0, summary(1000, 0, 0)));
    let objects = objects(&out);
    assert_eq!(objects.len(), 1000);
    assert!(objects.iter().all(|o| o["recordid"].is_u64() && o["dd"].is_u64()));
    // Hex fields come out decoded: the sampler's non-ASCII places are there in clear.
    assert!(objects.iter().any(|o| o["elocation"].as_str().is_some_and(|s| !s.is_ascii())));
    assert!(objects.iter().all(|o| !o["elocation"].as_str().is_some_and(|s| s.contains("%20"))));
}

#[test]
fn lines_sampled_from_each_of_the_27_elastic_formats_parse_back() {
    let files: Vec<PathBuf> = files_under(&fixture("reference/formats/elastic"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    assert_eq!(files.len(), 27);
    for file in &files {
        let log_type = elastic_catalog_log_type(file);
        let lines =
            sample(&[log_type, "--format-file", path_str(file), "-n", "200", "--seed", "3", "--hostile"]);
        let (code, out, err) = nssgen_with_input(
            &["parse", log_type, "--format-file", path_str(file), "--with-path"],
            lines.as_bytes(),
        );
        assert_eq!((code, err), (0, summary(200, 0, 0)), "{}", file.display());
        let objects = objects(&out);
        assert_eq!(objects.len(), 200, "{}", file.display());
        assert!(objects.iter().all(|o| o.contains_key("_path")), "{}", file.display());
    }
}

#[test]
fn a_format_ending_in_a_line_break_prints_one_line_per_record() {
    // Elastic's alerts format ends in a literal `\n`: it is the record's own terminator.
    let file = fixture("reference/formats/elastic/alerts.v1.txt");
    let lines = sample(&["alerts", "-f", path_str(&file), "-n", "5", "--seed", "1"]);
    assert_eq!(lines.lines().count(), 5);
    assert!(lines.lines().all(|l| l.starts_with('<') && l.contains("] ZscalerNSS: ")), "{lines}");
    // Blank lines between records (NSS adding its own line feed too) are no records.
    let spaced = lines.replace('\n', "\n\n");
    let (code, out, err) = nssgen_with_input(&["parse", "alerts", "-f", path_str(&file)], spaced.as_bytes());
    assert_eq!((code, err.as_str(), objects(&out).len()), (0, summary(5, 0, 0).as_str(), 5));
}

#[test]
fn parse_prints_numbers_decoded_text_and_null_for_what_a_line_lacks() {
    let format = temp_file(
        "values.txt",
        b"%s{eurl}|%s{b64ua}|%d{reqsize}|%2d{dd}|%s{login}|%d{respsize}|%x{recordid}|%s{elocation}|%d{riskscore}\n",
    );
    let line = "a%20b%2Cc%C3%A9%zz|TW96aWxsYS81LjA=|1300| 5|None|%d{respsize}|ff|Paris%2C%20%E6%9D%B1|NA\n";
    let (code, out, err) = nssgen_with_input(&["parse", "web", "-f", path_str(&format)], line.as_bytes());
    assert_eq!((code, err), (0, summary(1, 0, 0)));
    assert_eq!(
        out,
        r#"{"eurl":"a b,cé%zz","b64ua":"Mozilla/5.0","reqsize":1300,"dd":5,"login":"None","respsize":null,"recordid":255,"elocation":"Paris, 東","riskscore":null}"#
            .to_owned()
            + "\n"
    );
}

#[test]
fn a_bad_line_is_reported_with_its_number_and_the_others_still_parse() {
    let lines = sample(&["dns", "-n", "5", "--seed", "4"]);
    let mut input: Vec<String> = lines.lines().map(str::to_owned).collect();
    input[2] = input[2].replacen("zscaler-nss NSS", "zscaler-nss NSX", 1).replacen("\"", "'", 3);
    input.insert(4, "not a dns line".to_owned());
    let input = input.join("\r\n") + "\r\n";
    let (code, out, err) = nssgen_with_input(&["parse", "dns"], input.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(objects(&out).len(), 4, "CRLF lines parse: {err}");
    let reported: Vec<&str> = err.lines().collect();
    assert_eq!(reported.len(), 3, "{err}");
    assert_eq!(reported[2], summary(4, 0, 2).trim_end());
    assert!(reported[0].starts_with("line 3: "), "{err}");
    assert!(reported[1].starts_with("line 5: "), "{err}");
}

#[test]
fn empty_lines_at_the_end_are_ignored_and_in_the_middle_reported() {
    let lines = sample(&["web", "-n", "2", "--target", "cloud-nss"]);
    let (code, out, err) = nssgen_with_input(&["parse", "web", "-t", "cloud-nss"], b"");
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", summary(0, 0, 0).as_str()));
    let trailing = format!("{lines}\n\r\n");
    let (code, out, err) = nssgen_with_input(&["parse", "web", "-t", "cloud-nss"], trailing.as_bytes());
    assert_eq!((code, err.as_str(), objects(&out).len()), (0, summary(2, 0, 0).as_str(), 2));
    let inside = lines.replacen('\n', "\n\n", 1);
    let (code, out, err) = nssgen_with_input(&["parse", "web", "-t", "cloud-nss"], inside.as_bytes());
    assert_eq!((code, objects(&out).len()), (1, 2));
    assert!(err.starts_with("line 2: ") && err.lines().count() == 2, "{err}");
    assert!(err.ends_with(&summary(2, 0, 1)), "{err}");
}

#[test]
fn a_line_that_is_not_utf8_is_reported_not_a_panic() {
    let mut input = sample(&["firewall", "-n", "2"]).into_bytes();
    input.extend_from_slice(b"\xff\xfe broken\n");
    input.extend(sample(&["firewall", "-n", "1", "--seed", "9"]).into_bytes());
    let (code, out, err) = nssgen_with_input(&["parse", "firewall"], &input);
    assert_eq!(code, 1);
    assert_eq!(objects(&out).len(), 3);
    assert_eq!(err, format!("line 3: not UTF-8 (invalid byte at offset 0)\n{}", summary(3, 0, 1)));
}

#[test]
fn parse_reads_a_file_and_a_missing_one_is_exit_2() {
    let lines = temp_file("lines.txt", sample(&["admin-audit", "-n", "3"]).as_bytes());
    let (code, out, err) = nssgen(&["parse", "admin-audit", path_str(&lines)]);
    assert_eq!((code, err.as_str(), objects(&out).len()), (0, summary(3, 0, 0).as_str(), 3));

    let missing = std::env::temp_dir().join("nssgen-sample-parse-no-such-file.txt");
    let (code, out, err) = nssgen(&["parse", "admin-audit", path_str(&missing)]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.starts_with(&format!("error: cannot read {}: ", missing.display())), "{err}");

    // A directory opens but does not read.
    let (code, _, err) = nssgen(&["parse", "admin-audit", path_str(&std::env::temp_dir())]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error: cannot read "), "{err}");
}

#[test]
fn a_bad_format_file_is_exit_2_with_its_errors_rendered() {
    let format = temp_file("bad-format.txt", b"%s{time} %f{x} %s{}\n");
    for command in ["sample", "parse"] {
        let (code, out, err) = nssgen(&[command, "web", "-f", path_str(&format)]);
        assert_eq!((code, out.as_str()), (2, ""), "{command}");
        assert!(err.contains("is not a valid format"), "{err}");
        assert!(err.contains("unknown conversion `f`"), "{err}");
        assert!(err.contains("empty field name"), "{err}");
    }
    let ambiguous = temp_file("ambiguous.txt", b"%s{login}%s{dept}");
    let (code, _, err) = nssgen(&["parse", "web", "-f", path_str(&ambiguous)]);
    assert_eq!(code, 2);
    assert!(err.contains("no literal between them"), "{err}");
    let two_lines = temp_file("two-lines.txt", b"%s{login}\\n%s{dept}");
    let (code, _, err) = nssgen(&["parse", "web", "-f", path_str(&two_lines)]);
    assert_eq!(code, 2);
    assert!(err.contains("line break inside a record"), "{err}");
}

#[test]
fn usage_errors_are_exit_2() {
    let (code, _, err) = nssgen(&["sample", "endpoint-dlp"]);
    assert_eq!(code, 2);
    assert!(err.contains("has no format for log type `endpoint-dlp`"), "{err}");
    let (code, _, err) = nssgen(&["parse", "web", "--target", "nss", "--format-file", "x.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
    let (code, _, err) = nssgen(&["sample", "nope", "-f", "x.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown log type `nope`"), "{err}");
}
