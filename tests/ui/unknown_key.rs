// A misspelt `nss(...)` key: the error is on the key, with a hint.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(fromat = "%s{user}")]
struct Row<'a> {
    user: &'a str,
}

fn main() {}
