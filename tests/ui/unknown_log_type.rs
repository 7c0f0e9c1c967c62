// A log type the profile does not have.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(log_type = "firewal")]
struct Row<'a> {
    action: &'a str,
}

fn main() {}
