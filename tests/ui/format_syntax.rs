// A syntax error in an inline format: reported with its line and column in the format.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = "%s{user} %f{ratio}")]
struct Row<'a> {
    user: &'a str,
}

fn main() {}
