// Two fields with no literal between them: no parser can split them.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = "%s{user}%s{department} %d{count}")]
struct Row<'a> {
    user: &'a str,
}

fn main() {}
