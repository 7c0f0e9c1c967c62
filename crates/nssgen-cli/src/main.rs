//! The `nssgen` binary: forwards to [`nssgen_cli::run_with_options`] with the process's streams.

use std::io;
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let options = nssgen_cli::Options::for_process_streams();
    let code = nssgen_cli::run_with_options(
        std::env::args_os(),
        &mut io::stdin().lock(),
        &mut out,
        &mut err,
        options,
    );
    ExitCode::from(code)
}
