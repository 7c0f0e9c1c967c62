// A field type the runtime cannot convert into: rustc's error points at the type.
use nssgen::NssRecord;

struct Ratio(f64);

#[derive(NssRecord)]
#[nss(format = "%s{user} %s{ratio}")]
struct Row<'a> {
    user: &'a str,
    ratio: Ratio,
}

fn main() {}
