// Two struct fields reading one format field.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = "%s{cip} %s{sip}")]
struct Pair<'a> {
    cip: &'a str,
    #[nss(field = "cip")]
    client: &'a str,
}

fn main() {}
