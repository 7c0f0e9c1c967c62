// The derive reads lines into structs only.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = "%s{user}")]
enum Row {
    User,
}

fn main() {}
