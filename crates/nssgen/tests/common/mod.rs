//! Helpers shared by the integration tests: the Sekoia formats compiled with the catalog's
//! encodings, and a minimal renderer that prints a line the way NSS would (printf padding).
// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;

use nssgen::{Encoding, Parser};
use nssgen_catalog::Target;
use nssgen_emulate::{Emulator, FieldValue, Values};
use nssgen_syntax::FieldSpec;

/// The log types of the built-in `sekoia` profile, in its order.
pub fn sekoia() -> Vec<&'static str> {
    let profile = nssgen_catalog::profile("sekoia").expect("the sekoia profile is built in");
    profile.log_types.iter().map(|t| t.id.as_str()).collect()
}

/// How NSS encodes `name` in the catalog log type `catalog` (the catalog's one variant rule).
pub fn encoding(catalog: &str, name: &str) -> Encoding {
    let log_type = nssgen_catalog::log_type(&catalog.replace('_', "-"));
    nssgen_catalog::encoding_of(log_type, name)
}

/// The committed Sekoia format of `id` for `target`.
pub fn sekoia_format(id: &str, target: Target) -> &'static str {
    &nssgen_profile::format("sekoia", id, target).expect("every Sekoia log type has a format").text
}

/// The Sekoia format of `id` for `target`, compiled with the catalog's encodings.
pub fn sekoia_parser(id: &str, target: Target) -> Parser {
    let catalog = nssgen_catalog::profile("sekoia")
        .and_then(|p| p.log_type(id))
        .map(|t| t.catalog.clone())
        .expect("a Sekoia log type");
    Parser::compile_with(sekoia_format(id, target), |name| encoding(&catalog, name))
        .expect("the Sekoia formats compile")
}

/// A value for a field as NSS would hold it before padding: the timestamp parts as numbers,
/// other numbers derived from the name, hex-encoded text for `e` fields, plain text otherwise.
pub fn sample_value(spec: &FieldSpec, encoding: Encoding) -> String {
    let fixed = match spec.name.as_str() {
        "mon" => Some("Mar"),
        "yyyy" => Some("2024"),
        "yy" => Some("24"),
        "mth" => Some("3"),
        "dd" => Some("5"),
        "hh" => Some("7"),
        "mm" => Some("8"),
        "ss" => Some("9"),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return fixed.to_string();
    }
    if spec.conv.is_numeric() {
        let sum: u64 = spec.name.bytes().map(u64::from).sum();
        return (sum * 37 % 100_000).to_string();
    }
    match encoding {
        Encoding::Hex => format!("{}%20x%2C%22y%22%5C%E2%82%AC", spec.name),
        Encoding::Base64 => "aGk=".to_string(),
        Encoding::Plain => format!("{} value/1", spec.name),
    }
}

/// Renders a line from `format` with the NSS emulator: each literal as NSS prints it, each
/// field's `value` printed as given (no catalog, so no encoding) with printf padding. Gives the
/// line (a format's final `\n` dropped) and each field's raw text (first occurrence).
pub fn render(format: &str, value: impl Fn(&FieldSpec) -> String) -> (String, BTreeMap<String, String>) {
    let ast = nssgen_syntax::parse(format).expect("the format parses");
    let mut values = Values::new();
    for spec in ast.fields() {
        values.set(spec.name.clone(), FieldValue::Text(value(spec)));
    }
    let emulator = Emulator::new("");
    let mut line = emulator.render(&ast, &values).expect("every field has a value");
    let mut raw = BTreeMap::new();
    for spec in ast.fields() {
        if !raw.contains_key(&spec.name) {
            let mut text = String::new();
            emulator.render_field(spec, &values, &mut text).expect("every field has a value");
            raw.insert(spec.name.clone(), text);
        }
    }
    if line.ends_with('\n') {
        line.pop();
    }
    (line, raw)
}

/// Renders a Sekoia line of `id` for `target` with [`sample_value`].
pub fn sekoia_line(id: &str, target: Target) -> (String, BTreeMap<String, String>) {
    let parser = sekoia_parser(id, target);
    let encodings: BTreeMap<String, Encoding> =
        parser.fields().map(|(name, _, encoding)| (name.to_string(), encoding)).collect();
    render(sekoia_format(id, target), |spec| {
        sample_value(spec, encodings.get(&spec.name).copied().unwrap_or_default())
    })
}

/// The line's JSON body re-serialised by a "relay": keys in reverse order at every level,
/// spaces after `:` and `,`, optionally with `prefix` (a header) before it.
pub fn respaced(line: &str, prefix: &str) -> String {
    let body = &line[line.find('{').expect("a JSON body")..];
    let value: serde_json::Value = serde_json::from_str(body).expect("the body is JSON");
    let pretty = serde_json::to_string_pretty(&reversed(value)).expect("serialises");
    let one_line: Vec<&str> = pretty.lines().map(str::trim).collect();
    format!("{prefix}{}", one_line.join(" "))
}

fn reversed(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().map(|(k, v)| (k, reversed(v))).collect();
            entries.reverse();
            serde_json::Value::Object(entries.into_iter().collect())
        }
        other => other,
    }
}
