//! Generates the serde contenders' structs: for each sekoia log type, a `#[derive(Deserialize)]`
//! struct with one borrowed `Cow<str>` field per key of the profile's JSON body, which is what a
//! Rust user writes to read these bodies with serde.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let profile_path = PathBuf::from("../nssgen-catalog/data/profiles/sekoia.json");
    println!("cargo:rerun-if-changed={}", profile_path.display());
    let text = std::fs::read_to_string(&profile_path).expect("read the sekoia profile");
    let profile: serde_json::Value = serde_json::from_str(&text).expect("the profile is JSON");
    let mut out = String::new();
    let mut arms = String::new();
    for log_type in profile["log_types"].as_array().expect("log_types") {
        let id = log_type["id"].as_str().expect("id");
        let name: String = id
            .split('-')
            .map(|w| {
                let mut c = w.chars();
                c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
            })
            .collect();
        let keys: Vec<&str> =
            log_type["body"].as_array().expect("body").iter().map(|p| p[0].as_str().expect("key")).collect();
        writeln!(
            out,
            "#[derive(serde::Deserialize)]\n#[allow(dead_code)]\npub(crate) struct {name}JsonEvent<'a> {{"
        )
        .expect("write to a String");
        for (i, key) in keys.iter().enumerate() {
            writeln!(out, "    #[serde(borrow, rename = {key:?})]\n    pub(crate) f{i}: Cow<'a, str>,")
                .expect("write to a String");
        }
        writeln!(out, "}}\n").expect("write to a String");
        writeln!(out, "impl<'a> {name}JsonEvent<'a> {{\n    pub(crate) fn get(&self, key: &str) -> Option<&str> {{\n        match key {{").expect("write to a String");
        for (i, key) in keys.iter().enumerate() {
            writeln!(out, "            {key:?} => Some(&self.f{i}),").expect("write to a String");
        }
        writeln!(out, "            _ => None,\n        }}\n    }}\n}}\n").expect("write to a String");
        writeln!(
            out,
            "#[derive(serde::Deserialize)]\n#[allow(dead_code)]\npub(crate) struct {name}Json<'a> {{\n    #[serde(borrow)]\n    pub(crate) sourcetype: Cow<'a, str>,\n    #[serde(borrow)]\n    pub(crate) event: {name}JsonEvent<'a>,\n}}\n"
        ).expect("write to a String");
        writeln!(
            arms,
            "        {id:?} => typed_run::<{name}Json<'_>>(lines, keys, sample, |e, k| e.event.get(k).map(str::to_owned)),"
        ).expect("write to a String");
    }
    writeln!(
        out,
        "/// Parses every line's body into the log type's struct; lines parsed and sampled values.\npub(crate) fn typed(log_type: &str, lines: &[&str], keys: &[&str], sample: bool) -> Extracted {{\n    match log_type {{\n{arms}        other => panic!(\"no serde struct for {{other}}\"),\n    }}\n}}"
    ).expect("write to a String");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("serde_structs.rs");
    std::fs::write(dest, out).expect("write serde_structs.rs");
}
