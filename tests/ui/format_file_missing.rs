// A format file that does not exist. (Under trybuild the manifest dir is trybuild's own
// project, so no format file is found there; a format file's `path:line:col` errors are checked
// by nssgen-codegen's unit tests, and a working format file by tests/derive.rs.)
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format_file = "ui/formats/nowhere.nss")]
struct Row<'a> {
    user: &'a str,
}

fn main() {}
