//! Properties of the interpreter: parsing never panics (arbitrary lines, damaged lines,
//! arbitrary formats), and lines rendered from random values parse back to those values,
//! exactly and through the JSON fallback. `PROPTEST_CASES=100000` runs longer.

mod common;

use std::collections::BTreeMap;

use common::{render, respaced, sekoia, sekoia_format, sekoia_parser};
use nssgen::{ParsePath, Parser};
use nssgen_catalog::Target;
use proptest::prelude::*;

/// Text of the kinds NSS puts in values: `%`, `%41`, quotes, backslashes, commas, non-ASCII,
/// control characters, placeholders, empty.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_string()),
        Just("None".to_string()),
        Just("N/A".to_string()),
        Just("%41".to_string()),
        Just("%".to_string()),
        "[a-zA-Z0-9 %,.:;/?=&\"\\\\{}é€\t-]{0,24}",
        any::<String>(),
    ]
}

/// Random values for every field of a format, numbers for numeric ones.
fn values_for(format: &'static str) -> impl Strategy<Value = BTreeMap<String, String>> {
    let parsed = nssgen_syntax::parse(format).expect("the format parses");
    let fields: BTreeMap<String, bool> =
        parsed.fields().map(|f| (f.name.clone(), f.conv.is_numeric())).collect();
    let strategies: Vec<_> = fields
        .into_iter()
        .map(|(name, numeric)| {
            let value =
                if numeric { (0u64..100_000).prop_map(|n| n.to_string()).boxed() } else { value().boxed() };
            (Just(name), value)
        })
        .collect();
    strategies.prop_map(|pairs| pairs.into_iter().collect())
}

/// Whether a value can be read back by the exact walk: it must not hold the literal that ends
/// it (the documented exception). Checked on the rendered line instead: see `exact_round_trip`.
fn render_with(format: &str, values: &BTreeMap<String, String>) -> (String, BTreeMap<String, String>) {
    render(format, |spec| values.get(&spec.name).cloned().unwrap_or_default())
}

proptest! {
    #[test]
    fn arbitrary_lines_never_panic(line in any::<String>()) {
        for target in Target::ALL {
            let _ = sekoia_parser("web", target).parse(&line);
        }
    }

    #[test]
    fn json_looking_lines_never_panic(line in r#"[a-z ]{0,6}\{[\{\}\[\]":,a-z0-9 \\%]{0,60}"#) {
        for id in ["web", "tunnel-ike-phase1"] {
            let _ = sekoia_parser(id, Target::Nss).parse(&line);
        }
    }

    #[test]
    fn damaged_lines_never_panic(cut in 0usize..2000, insert in any::<char>(), at in 0usize..2000) {
        let (line, _) = common::sekoia_line("web", Target::Nss);
        let parser = sekoia_parser("web", Target::Nss);
        let mut damaged: String = line.chars().take(cut).collect();
        let _ = parser.parse(&damaged);
        let at = damaged.char_indices().nth(at).map_or(damaged.len(), |(i, _)| i);
        damaged.insert(at, insert);
        let _ = parser.parse(&damaged);
        let mut inserted = line.clone();
        let at = line.char_indices().nth(cut).map_or(line.len(), |(i, _)| i);
        inserted.insert(at, insert);
        let _ = parser.parse(&inserted);
    }

    #[test]
    fn arbitrary_formats_never_panic(format in r"[%{}a-z0-9\\ :,\x22sdulx-]{0,30}", line in "[a-z0-9 :,\x22{}%]{0,30}") {
        if let Ok(parser) = Parser::compile(&format) {
            let _ = parser.parse(&line);
            let _ = parser.parse(&format);
        }
    }

    #[test]
    fn web_lines_read_back(values in values_for(sekoia_format("web", Target::Nss))) {
        exact_round_trip("web", &values)?;
    }

    #[test]
    fn tunnel_lines_read_back(values in values_for(sekoia_format("tunnel", Target::Nss))) {
        exact_round_trip("tunnel", &values)?;
    }
}

/// Renders a line from `values` and parses it back: exactly when no value holds the literal
/// after it; the JSON fallback after re-serialising whenever the line is valid JSON.
fn exact_round_trip(id: &str, values: &BTreeMap<String, String>) -> Result<(), TestCaseError> {
    // The header and the body's datetime must agree, so the timestamp parts are fixed.
    let mut values = values.clone();
    for (name, fixed) in
        [("mon", "Mar"), ("yy", "24"), ("mth", "3"), ("dd", "5"), ("hh", "7"), ("mm", "8"), ("ss", "9")]
    {
        values.insert(name.to_string(), fixed.to_string());
    }
    let format = sekoia_format(id, Target::Nss);
    let parser = sekoia_parser(id, Target::Nss);
    let (line, expected) = render_with(format, &values);
    // The documented exception: a value holding the literal that follows it is cut there.
    let ast = nssgen_syntax::parse(format).expect("parses");
    let clean = ast.items.windows(2).all(|pair| match pair {
        [nssgen_syntax::Item::Field(spec), nssgen_syntax::Item::Literal(next)] => {
            !expected[&spec.name].contains(next.text.as_str())
        }
        _ => true,
    });
    if clean {
        let record = parser.parse(&line).map_err(|e| TestCaseError::fail(format!("{e}\n{line}")))?;
        prop_assert_eq!(record.path, ParsePath::Exact);
        for (name, raw) in &expected {
            prop_assert_eq!(record.get(name).map(|v| v.raw.as_ref()), Some(raw.as_str()), "{}", name);
        }
    }
    let body = &line[line.find('{').expect("a body")..];
    if serde_json::from_str::<serde_json::Value>(body).is_ok() {
        let relayed = respaced(&line, &line[..line.len() - body.len()]);
        let record = parser.parse(&relayed).map_err(|e| TestCaseError::fail(format!("{e}\n{relayed}")))?;
        prop_assert_eq!(record.path, ParsePath::Json);
        for (name, raw) in &expected {
            // The JSON path reads JSON: escapes in a value (`\n`) are undone.
            let unescaped: String =
                serde_json::from_str(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.clone());
            prop_assert_eq!(record.get(name).map(|v| v.raw.as_ref()), Some(unescaped.as_str()), "{}", name);
        }
    }
    Ok(())
}

#[test]
fn every_sekoia_parser_survives_its_own_format_as_a_line() {
    for id in sekoia() {
        for target in Target::ALL {
            let parser = sekoia_parser(id, target);
            // Every value is its own unsubstituted spec: all fields missing, nothing panics.
            let format = sekoia_format(id, target);
            let line = format.replace("\\{", "{").replace("\\}", "}");
            if let Ok(record) = parser.parse(&line) {
                assert_eq!(record.iter().count(), 0, "{id} {target}");
            };
        }
    }
}
