//! Fuzz target: the runtime interpreter. The input is either a line for one of the built-in
//! Sekoia formats (first byte picks which) or, after a NUL, a format and a line of its own.
//! Never panics; a parsed record's values lie inside the line or come from its JSON body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nssgen_catalog::Target;
use std::sync::OnceLock;

fn builtin() -> &'static Vec<nssgen::Parser> {
    static PARSERS: OnceLock<Vec<nssgen::Parser>> = OnceLock::new();
    PARSERS.get_or_init(|| {
        let mut parsers = Vec::new();
        let profile = nssgen_catalog::profile("sekoia").expect("built-in profile");
        for log_type in &profile.log_types {
            for target in Target::ALL {
                let format =
                    nssgen_catalog::profile_format("sekoia", &log_type.id, target).expect("built-in format");
                parsers.push(nssgen::Parser::compile(format).expect("built-in format compiles"));
            }
        }
        parsers
    })
}

fn exercise(parser: &nssgen::Parser, line: &str) {
    if let Ok(record) = parser.parse(line) {
        for (_, value) in record.iter() {
            let _ = value.decode();
            let _ = value.to::<Option<u64>>();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    if let Some(nul) = rest.iter().position(|&b| b == 0) {
        let (format, line) = (&rest[..nul], &rest[nul + 1..]);
        let (Ok(format), Ok(line)) = (std::str::from_utf8(format), std::str::from_utf8(line)) else { return };
        if let Ok(parser) = nssgen::Parser::compile(format) {
            exercise(&parser, line);
        }
        return;
    }
    let Ok(line) = std::str::from_utf8(rest) else { return };
    let parsers = builtin();
    exercise(&parsers[first as usize % parsers.len()], line);
});
