// An integer cannot hold a `%s` field.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = "%s{respcode} %d{respsize}")]
struct Row {
    respcode: u16,
    respsize: u64,
}

fn main() {}
