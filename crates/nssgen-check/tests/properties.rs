//! No input makes the checker panic: arbitrary bytes, and format-shaped text.

use nssgen_check::{check, Options};
use proptest::prelude::*;

fn all_options() -> Vec<Options> {
    let mut v = vec![Options::default()];
    for id in ["web", "tunnel-ike-phase2"] {
        for target in [None, Some(nssgen_catalog::Target::CloudNss)] {
            v.push(Options { log_type: Some(id.to_owned()), target });
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        for options in all_options() {
            let report = check(&bytes, &options).expect("valid options");
            let _ = report.render("<input>");
            let _ = report.to_json();
            let _ = report.fixed();
        }
    }

    #[test]
    fn format_shaped_text_never_panics(
        text in r#"(%0?[0-9]?(s|d|lu|llu|f)?\{[a-z_“”]{0,8}\}?|\\[{}tnr]|[<>:\- "“”’,=\t\u{a0}\u{2013}]|[a-z]{1,4}|\{|\}|%){0,40}"#
    ) {
        for options in all_options() {
            let report = check(text.as_bytes(), &options).expect("valid options");
            let _ = report.render("<input>");
            let (fixed, _) = report.fixed();
            let _ = check(fixed.as_bytes(), &options).expect("valid options");
        }
    }
}
