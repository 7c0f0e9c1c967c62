// No format at all.
use nssgen::NssRecord;

#[derive(NssRecord)]
struct Row<'a> {
    user: &'a str,
}

fn main() {
    let _ = Row::parse("x");
}
