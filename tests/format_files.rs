//! Large broken format files given to `parse -f` and `sample -f`: both parse the format first,
//! and its errors once took quadratic time to report and printed one snippet per mistake
//! (256,000 of them for a binary file). Now they end fast with a bounded report and exit 2.

use nssgen_tests::{nssgen, temp_file, TempFile};

/// One broken format file of 64 KB per shape that was once quadratic.
fn broken_formats() -> Vec<(&'static str, TempFile)> {
    let shapes: [(&str, Vec<u8>); 4] = [
        ("stray-braces", b"{".repeat(64 * 1024)),
        ("unclosed-specs", b"%s{".repeat(22 * 1024)),
        ("lone-percents", b"% ".repeat(32 * 1024)),
        ("invalid-utf8", vec![0xFF; 64 * 1024]),
    ];
    shapes.into_iter().map(|(name, bytes)| (name, temp_file(&format!("{name}.txt"), &bytes))).collect()
}

#[test]
fn a_large_broken_format_file_is_reported_in_bounded_output_with_exit_2() {
    for (name, path) in broken_formats() {
        for args in
            [vec!["parse", "web", "-f", &path, "/dev/null"], vec!["sample", "web", "-f", &path, "-n", "1"]]
        {
            let (code, out, err) = nssgen(&args);
            assert_eq!(code, 2, "{name} {args:?}: {err}");
            assert!(out.is_empty(), "{name} {args:?}: nothing on stdout");
            assert!(err.starts_with("error: "), "{name} {args:?}: {}", &err[..err.len().min(200)]);
            // 20 snippets of the one kind of mistake, a few lines each, then the count of the rest.
            let lines = err.lines().count();
            assert!(lines < 200, "{name} {args:?}: {lines} lines on stderr");
            assert!(err.contains("not shown"), "{name} {args:?}: the rest are counted");
        }
    }
}
