//! The `nssgen` binary: forwards to [`nssgen_cli::run`] with the process's streams.

use std::io;
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    ExitCode::from(nssgen_cli::run(std::env::args_os(), &mut out, &mut err))
}
