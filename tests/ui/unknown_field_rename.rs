// `#[nss(field = "...")]` naming a field the format does not print: the error is on the literal.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(log_type = "web")]
struct Hit<'a> {
    #[nss(field = "ereferrer")]
    referer: &'a str,
}

fn main() {}
