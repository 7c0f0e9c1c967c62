//! Fuzz target: the runtime interpreter and the derived parsers. The input is either a line for
//! one of the built-in Sekoia formats (first byte picks which) or, after a NUL, a format and a
//! line of its own. Never panics. On a built-in format's line the derived `nssgen::sekoia`
//! record must agree with itself (`parse`, whose exact walk skips error plumbing, and
//! `parse_detailed` give the same record or the same error) and with the interpreter on the
//! path each read the line by.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nssgen::{sekoia, NssRecord};
use nssgen_catalog::Target;
use std::sync::OnceLock;

/// The interpreter for each built-in format, with its log type and target.
type Builtin = (&'static str, Target, nssgen::Parser);

fn builtin() -> &'static Vec<Builtin> {
    static PARSERS: OnceLock<Vec<Builtin>> = OnceLock::new();
    PARSERS.get_or_init(|| {
        let mut parsers = Vec::new();
        let profile = nssgen_catalog::profile("sekoia").expect("built-in profile");
        for log_type in &profile.log_types {
            for target in Target::ALL {
                let format =
                    &nssgen_profile::format("sekoia", &log_type.id, target).expect("built-in format").text;
                let parser = nssgen::Parser::compile(format).expect("built-in format compiles");
                parsers.push((log_type.id.as_str(), target, parser));
            }
        }
        parsers
    })
}

/// The derived record of `log_type` against itself and, when the interpreter holds the same
/// (`nss` target) format, against the interpreter.
fn derived(log_type: &str, interpreter: Option<&nssgen::Parser>, line: &str) {
    fn check<'a, R: NssRecord<'a> + PartialEq + std::fmt::Debug>(
        interpreter: Option<&nssgen::Parser>,
        line: &'a str,
    ) {
        let fast = R::parse(line);
        let detailed = R::parse_detailed(line);
        match (&fast, &detailed) {
            (Ok(record), Ok(parsed)) => assert_eq!(record, &parsed.record, "{line:?}"),
            (Err(a), Err(b)) => assert_eq!(a, b, "{line:?}"),
            _ => panic!("parse and parse_detailed disagree on {line:?}: {fast:?} vs {detailed:?}"),
        }
        // Both walk the same way, but the record also converts its values: one that does not
        // convert (a garbled `%02d{hh}`) sends it to the next path, where the interpreter,
        // which converts nothing, stays. So: a line the record reads exactly, the interpreter
        // reads exactly; a line only the interpreter's JSON fallback reads, the record reads
        // there too.
        use nssgen::ParsePath::{Exact, Json};
        if let (Ok(parsed), Some(Ok(record))) = (&detailed, interpreter.map(|i| i.parse(line))) {
            assert!(parsed.path != Exact || record.path == Exact, "{line:?}");
            assert!(record.path != Json || parsed.path == Json, "{line:?}");
        }
    }
    match log_type {
        "web" => check::<sekoia::Web>(interpreter, line),
        "firewall" => check::<sekoia::Firewall>(interpreter, line),
        "dns" => check::<sekoia::Dns>(interpreter, line),
        "tunnel" => check::<sekoia::Tunnel>(interpreter, line),
        "tunnel-ike-phase1" => check::<sekoia::TunnelIkePhase1>(interpreter, line),
        "tunnel-ike-phase2" => check::<sekoia::TunnelIkePhase2>(interpreter, line),
        "admin-audit" => check::<sekoia::AdminAudit>(interpreter, line),
        "saas-security" => check::<sekoia::SaasSecurity>(interpreter, line),
        "saas-security-activity" => check::<sekoia::SaasSecurityActivity>(interpreter, line),
        _ => {}
    }
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
    let (log_type, target, parser) = &parsers[first as usize % parsers.len()];
    exercise(parser, line);
    derived(log_type, (*target == Target::Nss).then_some(parser), line);
});
