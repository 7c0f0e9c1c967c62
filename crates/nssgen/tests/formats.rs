//! Every reference format compiles in the interpreter (the 27 Elastic formats, Sekoia's current
//! ones, the other third-party ones), and a line rendered from each parses back, exactly and,
//! for JSON bodies, through the fallback after a relay re-spaced it.

mod common;

use std::path::{Path, PathBuf};

use common::{render, respaced, sample_value};
use nssgen::{Encoding, ParsePath, Parser};

fn formats_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/reference/formats").join(sub)
}

/// The `*.txt` formats of a directory, sorted, without the files' final newline.
fn formats_in(sub: &str) -> Vec<(String, String)> {
    let mut formats: Vec<(String, String)> = std::fs::read_dir(formats_dir(sub))
        .expect("the reference formats are in the repository")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a UTF-8 format");
            let name = format!("{sub}/{}", path.file_name().expect("a file name").to_string_lossy());
            (name, text.strip_suffix('\n').unwrap_or(&text).to_string())
        })
        .collect();
    formats.sort();
    formats
}

/// Values for `format`: sample values, JSON for fields printed outside quotes.
fn line_for(format: &str) -> (String, std::collections::BTreeMap<String, String>) {
    render(format, |spec| {
        let bare = format.contains(&format!(":%s{{{}}}", spec.name));
        if bare {
            format!(r#"{{"{}":[1,"a"]}}"#, spec.name)
        } else {
            // No spaces: a space-separated format (Elastic's alerts) cannot hold one in a
            // value followed by a space (the documented exception).
            sample_value(spec, Encoding::Plain).replace(' ', "_")
        }
    })
}

fn check_round_trip(name: &str, format: &str) {
    let parser = Parser::compile(format).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (line, expected) = line_for(format);
    let record = parser.parse(&line).unwrap_or_else(|e| panic!("{name}: {e}\n{line}"));
    assert_eq!(record.path, ParsePath::Exact, "{name}");
    for (field, raw) in &expected {
        assert_eq!(record.get(field).map(|v| &*v.raw), Some(raw.as_str()), "{name}: {field}");
    }
    if parser.has_json_body() {
        let relayed = respaced(&line, &line[..line.find('{').expect("a body")]);
        let record = parser.parse(&relayed).unwrap_or_else(|e| panic!("{name}: {e}\n{relayed}"));
        assert_eq!(record.path, ParsePath::Json, "{name}");
        for (field, raw) in &expected {
            let got = record.get(field).map(|v| v.raw.replace(' ', ""));
            assert_eq!(got, Some(raw.replace(' ', "")), "{name}: {field}");
        }
    }
}

#[test]
fn all_27_elastic_formats_compile_and_parse_their_lines() {
    let mut formats = formats_in("elastic");
    formats.extend(formats_in("elastic/legacy_1a89c96c"));
    assert_eq!(formats.len(), 27);
    let mut json = 0;
    for (name, format) in &formats {
        check_round_trip(name, format);
        json += usize::from(Parser::compile(format).is_ok_and(|p| p.has_json_body()));
    }
    // All but the syslog-style alerts format have a JSON body.
    assert_eq!(json, 26);
}

#[test]
fn sekoia_and_other_formats_compile_and_parse_their_lines() {
    let mut formats = formats_in("sekoia/rfc3164");
    formats.extend(formats_in("sekoia/rfc5424"));
    formats.extend(formats_in("other"));
    assert_eq!(formats.len(), 22);
    for (name, format) in &formats {
        check_round_trip(name, format);
    }
}

#[test]
fn every_historic_sekoia_format_compiles_or_says_why() {
    // Published mistakes (smart quotes, missing fields) are still formats; the ones the grammar
    // rejects fail with a syntax error, never a panic.
    let dir = formats_dir("sekoia/history");
    let mut seen = 0;
    for entry in walk(&dir) {
        let text = std::fs::read_to_string(&entry).expect("UTF-8");
        let text = text.strip_suffix('\n').unwrap_or(&text);
        if let Ok(parser) = Parser::compile(text) {
            let (line, _) = line_for(text);
            // A format whose own literals repeat inside its values may not read back; none panics.
            let _ = parser.parse(&line);
        }
        seen += 1;
    }
    assert!(seen > 0);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
    out
}
