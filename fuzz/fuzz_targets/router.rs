//! Fuzz target: the router of mixed streams. Any bytes, as a line when they are UTF-8, through
//! `shape::framing`, `sekoia::Record::parse_detailed` and `parse_strict`. Never panics, and:
//! - a framing's body offset points at a `{`, and a line is a bare body exactly when it starts
//!   with one;
//! - `Record` routes as the table `nssgen parse all` builds at run time from the nine formats'
//!   plans (`route::Table::from_plans`) routes with `Table::route_with`, the same rule as its
//!   generated code: a line neither routes fails with the router's error, and a routed line
//!   reads exactly as that log type's own typed record reads it, under the log type
//!   `Record::log_type` names; where the table's key rule names another log type, an exact
//!   walk took the line;
//! - strict reading fails exactly when keys drifted, with the first drifted key's error, and
//!   the drifted keys are leaf keys of the log type's format, once each, in format order;
//! - a bare body forwarded by a log concentrator (an RFC5424 header with a structured-data
//!   element, whose intake key may hold `{`, `]` or `"`) reads as the body alone.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nssgen::route::Table;
use nssgen::sekoia::Record;
use nssgen::ParsePath;
use nssgen_catalog::Target;
use nssgen_syntax::shape::{framing, Framing, Shape};

/// The routing table as `nssgen parse all` builds it: from the `nss` formats' plans, in the
/// profile's order, which is `Record::LOG_TYPES`'.
fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let builtin = common::builtin();
        let plans: Vec<_> = Record::LOG_TYPES
            .iter()
            .map(|id| builtin[common::index_of(id, Target::Nss)].parser.plan())
            .collect();
        Table::from_plans(&plans).expect("the Sekoia formats route")
    })
}

/// Intake keys a concentrator's header may carry: a plain one, and one whose escaped `"` and
/// `]` and whose `{` must not be taken for the end of the structured data or the body.
const INTAKE_KEYS: [&str; 2] = ["aB3dE5fG7hJ9kL1m", r#"k{1}\"\]x"#];

/// A framing's body is a `{`; a bare body is framed as one, and only it.
fn shape(line: &str) {
    let framed = framing(line);
    if let Some(Framing { shape, body }) = framed {
        if let Some(at) = body {
            assert_eq!(line.as_bytes().get(at), Some(&b'{'), "body offset {at} is no `{{` in {line:?}");
        }
        assert_eq!(shape == Shape::Body, line.starts_with('{'), "{shape:?} for {line:?}");
    } else {
        assert!(!line.starts_with('{'), "a bare body unframed: {line:?}");
    }
}

/// `Record` against the run-time table's rule (`Table::route_with`: the exact walk of the log
/// type the line names, else the table's route, then that log type's own record); strict
/// reading.
fn route(line: &str) {
    let detailed = Record::parse_detailed(line);
    let expected = table().route_with(
        line,
        |index| common::typed_exact(index, line).map(|record| (index, Ok(nssgen::Parsed::exact(record)))),
        |index| Ok((index, common::typed(index, line, false))),
    );
    match expected {
        Err(unrouted) => {
            assert_eq!(detailed.as_ref().err(), Some(&unrouted), "routed by Record only: {line:?}")
        }
        Ok((index, own)) => {
            assert_eq!(
                detailed,
                own,
                "Record differs from `{}`'s own record on {line:?}",
                Record::LOG_TYPES[index]
            );
            if let Ok(parsed) = &detailed {
                assert_eq!(parsed.record.log_type(), Record::LOG_TYPES[index], "{line:?}");
                let format = &common::builtin()[common::index_of(Record::LOG_TYPES[index], Target::Nss)];
                common::drift_names_leaves(parsed.drift.as_deref(), &format.leaf_names, line);
            }
        }
    }
    // Where the table's route names a log type, the rule names the same one, or the line is one
    // an exact walk takes and the route leaves undecided (values holding another's keys).
    if let (Ok(routed), Ok(parsed)) = (table().route(line), &detailed) {
        if parsed.record.log_type() != Record::LOG_TYPES[routed] {
            assert_eq!(parsed.path, ParsePath::Exact, "the exact walk and the route part on {line:?}");
        }
    }
    assert_eq!(
        Record::parse(line),
        detailed.clone().map(|p| p.record),
        "parse vs parse_detailed on {line:?}"
    );
    common::strict_agrees(&detailed, &Record::parse_strict(line), line);
}

/// A bare body as a concentrator forwards it reads as the body alone: same log type, record,
/// path and drift. Lines the exact walk reads (a "body" that holds an RFC3164 header's text)
/// are left out: the forwarded header is not the format's.
fn forwarded(body: &str) {
    let alone = Record::parse_detailed(body);
    if alone.as_ref().is_ok_and(|p| p.path == ParsePath::Exact) {
        return;
    }
    for key in INTAKE_KEYS {
        let header =
            format!("<13>1 2025-11-12T09:01:38Z zscaler-nss NSS - LOG [SEKOIA@53288 intake_key=\"{key}\"] ");
        let line = format!("{header}{body}");
        let framed = framing(&line).map(|f| (f.shape, f.body));
        assert_eq!(framed, Some((Shape::Forwarded, Some(header.len()))), "{line:?}");
        let read = Record::parse_detailed(&line);
        match (&alone, &read) {
            (Ok(a), Ok(r)) => {
                assert_eq!((&a.record, a.path), (&r.record, r.path), "{line:?}");
                let keys = |p: &nssgen::Parsed<Record>| {
                    let extra = p.drift.as_ref().map(|d| d.extra().to_vec()).unwrap_or_default();
                    (p.drifted_keys().map(str::to_owned).collect::<Vec<_>>(), extra)
                };
                assert_eq!(keys(a), keys(r), "drift differs once forwarded: {line:?}");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("the body alone and forwarded differ: {alone:?} vs {read:?} on {line:?}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else { return };
    shape(line);
    route(line);
    if line.starts_with('{') {
        forwarded(line);
    }
});
