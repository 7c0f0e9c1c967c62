// Two format sources.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = "%s{user}", log_type = "web")]
struct Row<'a> {
    user: &'a str,
}

fn main() {}
