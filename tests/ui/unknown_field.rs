// A misspelt field name: the error is on the field, with the closest format field as a hint.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = r#"\{"url":"%s{eurl}","ua":"%s{eua}"\}"#)]
struct Hit<'a> {
    eurll: &'a str,
}

fn main() {
    let _ = Hit::parse("").map(|hit| hit.eurll);
}
