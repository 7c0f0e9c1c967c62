//! Property tests: parsing never panics on any input, and whatever parses prints back unchanged.

use nssgen_syntax::{line_col, parse, parse_bytes, print, SyntaxErrors};
use proptest::prelude::*;

/// Checks what every failed parse must satisfy, whatever the input.
fn check_errors(source: &str, errors: &SyntaxErrors) {
    assert!(!errors.is_empty());
    for error in errors {
        assert!(
            error.span.start <= error.span.end && error.span.end <= source.len(),
            "{source:?}: {error:?}"
        );
        assert_eq!(line_col(source, error.span.start), (error.line, error.column), "{source:?}: {error:?}");
    }
    let _ = errors.render(source, "prop");
    let _ = errors.to_string();
}

fn check(source: &str) {
    match parse(source) {
        Ok(format) => assert_eq!(print(&format), source),
        Err(errors) => check_errors(source, &errors),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Strings built from the characters that matter to the grammar, so that specs, escapes and
    /// every error production are hit often.
    #[test]
    fn format_like_strings(source in r#"([%{}\\sdluxf0-9.\-_ a-zA-Z"“é\n\t]|%s\{[a-z_]{1,6}\}|%02d\{dd\}|\\[{}tnr]){0,40}"#) {
        check(&source);
    }

    /// Formats assembled from well-formed pieces always parse, print back unchanged, and keep
    /// every spec.
    #[test]
    fn well_formed_formats(pieces in proptest::collection::vec(
        r#"[^%{}\\]{1,8}|%%|\\[{}tnr]|%[-0]{0,2}([1-9][0-9]?)?(s|d|u|x|ld|lu|llu)\{[A-Za-z0-9_]{1,8}\}"#,
        0..20,
    )) {
        let source = pieces.concat();
        let specs = pieces.iter().filter(|p| p.starts_with('%') && p.ends_with('}')).count();
        let format = parse(&source).map_err(|e| TestCaseError::fail(format!("{source:?}:\n{e}")))?;
        prop_assert_eq!(print(&format), source);
        prop_assert_eq!(format.fields().count(), specs);
    }

    #[test]
    fn arbitrary_strings(source in any::<String>()) {
        check(&source);
    }

    #[test]
    fn arbitrary_bytes(source in proptest::collection::vec(any::<u8>(), 0..80)) {
        match parse_bytes(&source) {
            Ok(format) => {
                let printed = print(&format);
                prop_assert_eq!(printed.as_bytes(), &source[..]);
            }
            Err(errors) => {
                for error in &errors {
                    prop_assert!(error.span.end <= source.len());
                }
                let _ = errors.render_bytes(&source, "prop");
            }
        }
    }
}
