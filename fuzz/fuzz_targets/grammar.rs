//! Fuzz target: any bytes through the grammar. Never panics; what parses prints back unchanged;
//! every error lies inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match nssgen_syntax::parse_bytes(data) {
        Ok(format) => {
            let printed = nssgen_syntax::print(&format);
            assert_eq!(printed.as_bytes(), data, "print(parse(x)) != x");
        }
        Err(errors) => {
            assert!(errors.len() > 0);
            for e in errors.iter() {
                assert!(e.span.start <= e.span.end && e.span.end <= data.len(), "span outside input: {e:?}");
                assert!(e.line >= 1 && e.column >= 1);
            }
            // Rendering the diagnostics must not panic either.
            let _ = errors.render_bytes(data, "fuzz");
        }
    }
});
