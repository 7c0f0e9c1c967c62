// An encoding NSS does not use.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = "%s{user}")]
struct Row<'a> {
    #[nss(encoding = "base32")]
    user: &'a str,
}

fn main() {}
