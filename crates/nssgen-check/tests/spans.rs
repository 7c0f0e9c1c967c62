//! Every finding points inside what was checked: spans within the source and on character
//! boundaries, for every short input over the characters that drive the rules (the fuzzer found
//! a lone `\` checked as RFC5424 whose header finding pointed one byte past the end).

use nssgen_catalog::Target;
use nssgen_check::{check, Options};

/// Characters that start specs, escapes, headers and JSON, and one that is two bytes long.
const ALPHABET: [&str; 13] = ["\\", "%", "{", "}", "<", ">", "1", "s", "n", "\n", "\"", "a", "é"];

fn inputs(max_len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..max_len {
        last = last.iter().flat_map(|prefix| ALPHABET.iter().map(move |c| format!("{prefix}{c}"))).collect();
        all.extend(last.iter().cloned());
    }
    all
}

#[test]
fn every_span_of_every_finding_lies_inside_the_source() {
    let targets = [None, Some(Target::Nss), Some(Target::NssRfc5424), Some(Target::CloudNss)];
    // Every string of up to 3 characters in CI; `NSSGEN_SPANS_LEN=4 cargo test --release` for more.
    let len = std::env::var("NSSGEN_SPANS_LEN").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    for input in inputs(len) {
        for target in targets {
            for log_type in [None, Some("web")] {
                let options = Options { log_type: log_type.map(str::to_owned), target };
                let report = check(input.as_bytes(), &options).expect("known log type");
                for d in &report.diagnostics {
                    let spans = d.span.into_iter().chain(d.fix.as_ref().map(|f| f.span));
                    for span in spans {
                        assert!(
                            span.start <= span.end
                                && span.end <= report.source.len()
                                && report.source.is_char_boundary(span.start)
                                && report.source.is_char_boundary(span.end),
                            "{input:?} as {target:?}/{log_type:?}: {d:?}"
                        );
                    }
                }
            }
        }
    }
}
