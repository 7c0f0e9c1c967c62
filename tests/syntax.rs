//! Syntax integration tests: every reference format round-trips, malformed formats report every
//! error (snapshotted), and edge-case formats parse into the expected AST (snapshotted).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use nssgen_syntax::{parse, parse_bytes, print, SyntaxErrors};
use nssgen_tests::{files_under, fixture, tests_dir};

/// How many format files `tests/fixtures/reference/formats/` holds (see its SOURCES.md); a
/// missing or partial import must fail, not shrink the test.
const REFERENCE_FORMAT_FILES: usize = 152;

/// How many `%…{` specs those files hold in total, counted once with
/// `grep -o '%[^{ ]*{' --include='*.txt'`; pins the scan below.
const REFERENCE_SPECS: usize = 4390;

fn reference_formats() -> Vec<PathBuf> {
    files_under(&fixture("reference/formats"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// `path` relative to `tests/fixtures/`, for messages and snapshot origins that do not depend
/// on where the checkout lives.
fn origin(path: &Path) -> String {
    let fixtures = tests_dir().join("fixtures");
    path.strip_prefix(&fixtures).unwrap_or(path).display().to_string()
}

#[test]
fn reference_formats_round_trip() {
    let files = reference_formats();
    assert_eq!(
        files.len(),
        REFERENCE_FORMAT_FILES,
        "reference format files under tests/fixtures/reference/formats"
    );
    for path in &files {
        let source = read(path);
        let format = parse(&source)
            .unwrap_or_else(|errors| panic!("{}:\n{}", origin(path), errors.render(&source, &origin(path))));
        assert_eq!(print(&format), source, "{}: print(parse(s)) != s", origin(path));
        assert_eq!(format.to_string(), source, "{}: Display differs from print", origin(path));
        assert_eq!(parse_bytes(source.as_bytes()).as_ref(), Ok(&format), "{}: parse_bytes", origin(path));
    }
}

/// The field names of `source` found without the grammar: a `%` that is not part of `%%`,
/// followed by printf characters (`[0-9A-Za-z-]`) and `{`, opens a spec whose name runs to the
/// next `}`.
fn scan_spec_names(source: &str) -> Vec<&str> {
    let bytes = source.as_bytes();
    let mut names = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'%') {
            i += 2;
            continue;
        }
        let mut j = i + 1;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        if bytes.get(j) == Some(&b'{') {
            if let Some(len) = source[j + 1..].find('}') {
                names.push(&source[j + 1..j + 1 + len]);
                i = j + 1 + len + 1;
                continue;
            }
        }
        i += 1;
    }
    names
}

#[test]
fn reference_formats_have_every_spec_in_the_ast() {
    let mut total = 0;
    for path in reference_formats() {
        let source = read(&path);
        let format = parse(&source).unwrap_or_else(|errors| panic!("{}:\n{errors}", origin(&path)));
        let scanned = scan_spec_names(&source);
        let parsed: Vec<&str> = format.fields().map(|f| f.name.as_str()).collect();
        assert_eq!(parsed.len(), scanned.len(), "{}: field count", origin(&path));
        assert_eq!(parsed, scanned, "{}: field names", origin(&path));
        for field in format.fields() {
            assert_eq!(&source[field.span.range()], field.to_string(), "{}: spec span", origin(&path));
            assert_eq!(&source[field.name_span.range()], field.name, "{}: name span", origin(&path));
        }
        total += scanned.len();
    }
    assert_eq!(total, REFERENCE_SPECS, "specs across all reference formats");
}

#[test]
fn the_scan_finds_specs_on_its_own() {
    // The scan is the check on the parser, so it gets a check of its own.
    assert_eq!(scan_spec_names("%s{a} %%s{b} %02d{c}%llu{d} 100% %{e}"), ["a", "c", "d", "e"]);
}

/// The snapshot body for one malformed file: the input, each error with its kind, span, line,
/// column and message, then the rustc-style rendering.
fn error_report(source: &[u8], errors: &SyntaxErrors, origin: &str) -> String {
    let mut out = String::new();
    writeln!(out, "input: {:?}", String::from_utf8_lossy(source)).ok();
    writeln!(out, "errors: {}", errors.len()).ok();
    for error in errors {
        writeln!(
            out,
            "- {} at {}:{} (bytes {}..{}): {}",
            error.kind.code(),
            error.line,
            error.column,
            error.span.start,
            error.span.end,
            error.message
        )
        .ok();
    }
    writeln!(out).ok();
    out.push_str(&errors.render_bytes(source, origin));
    out
}

#[test]
fn malformed_formats_report_every_error() {
    let count = files_under(&fixture("malformed")).len();
    assert!(count >= 30, "expected at least 30 malformed fixtures, found {count}");
    insta::glob!("fixtures/malformed/*.txt", |path| {
        let source = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let errors = match parse_bytes(&source) {
            Ok(format) => panic!("{}: a malformed format parsed: {format:?}", origin(path)),
            Err(errors) => errors,
        };
        assert!(!errors.is_empty(), "{}: no error", origin(path));
        for error in &errors {
            assert!(error.span.end <= source.len(), "{}: span past the end: {error:?}", origin(path));
        }
        insta::assert_snapshot!("malformed", error_report(&source, &errors, &origin(path)));
    });
}

#[test]
fn edge_formats_parse_to_the_expected_ast() {
    insta::glob!("fixtures/edge/*.txt", |path| {
        let source = read(path);
        let format = parse(&source)
            .unwrap_or_else(|errors| panic!("{}:\n{}", origin(path), errors.render(&source, &origin(path))));
        assert_eq!(print(&format), source, "{}: round trip", origin(path));
        insta::assert_debug_snapshot!("edge", format);
    });
}
