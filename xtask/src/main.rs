//! Project automation, run as `cargo xtask <command>`.

mod bench;
mod codegen;
mod fuzz;
mod import;
mod records;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "cargo xtask", about = "nssgen project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Copy the reference catalog and formats into the project's data files and fixtures
    /// (needs `../shared/reference` beside the checkout; the result is committed).
    Import {
        /// Where the reference data lives.
        #[arg(long, default_value = "../shared/reference")]
        from: PathBuf,
    },
    /// Run the benchmark harness and print the figures (also written to target/bench/).
    Bench {
        /// Fewer runs: a quick look, or proof in CI that the harness works.
        #[arg(long)]
        quick: bool,
        /// The log type to measure.
        #[arg(long, default_value = "web")]
        log_type: String,
        /// Which suite (`all` is parse, e2e and format).
        #[arg(long, value_enum, default_value_t = bench::Suite::All)]
        suite: bench::Suite,
        /// Lines to render for the parse suite (per log type; in all for the mixed stream).
        #[arg(long)]
        lines: Option<usize>,
    },
    /// Fuzz the grammar, the interpreter, the checker, the mixed-stream router or the drift path
    /// with cargo-fuzz (installed if missing).
    Fuzz {
        /// Which target.
        #[arg(value_enum)]
        target: fuzz::Target,
        /// How long to run at most (libFuzzer's `-max_total_time`; `-- -runs=N` may end it sooner).
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// cargo-fuzz's sanitizer (`none` for more runs a second).
        #[arg(long, value_enum, default_value_t = fuzz::Sanitizer::Address)]
        sanitizer: fuzz::Sanitizer,
        /// Passed to libFuzzer, after `--` (`-runs=1000000 -max_len=4096 -report_slow_units=1`).
        #[arg(last = true)]
        libfuzzer_args: Vec<String>,
    },
    /// Regenerate every committed generated file (the paste-ready formats and their index).
    Codegen {
        /// Write nothing; fail listing the files that are stale.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Import { from } => {
            let from = if from.is_absolute() { from } else { root.join(from) };
            import::run(&root, &from)
        }
        Command::Codegen { check } => codegen::run(&root, check),
        Command::Fuzz { target, seconds, sanitizer, libfuzzer_args } => {
            fuzz::run(&root, &fuzz::Run { target, seconds, sanitizer, libfuzzer_args: &libfuzzer_args })
        }
        Command::Bench { quick, log_type, suite, lines } => {
            bench::run(&root, &bench::Options { quick, log_type, suite, lines })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits inside the workspace").to_path_buf()
}
