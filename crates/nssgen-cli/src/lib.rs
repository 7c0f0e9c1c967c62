//! The `nssgen` command line, as a library so tests run it in-process with their own streams.
//!
//! Exit codes: 0 success, 1 the input has errors, 2 usage or I/O error. A closed pipe
//! (`nssgen fields web | head`) is success.
#![deny(missing_docs)]

mod commands;

use std::ffi::OsString;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Success.
pub const EXIT_OK: u8 = 0;
/// The input has errors (lint errors, unparseable lines).
pub const EXIT_INPUT: u8 = 1;
/// Usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// Compile Zscaler ZIA feed output formats: paste-ready formats for the Admin Portal, the
/// fields of every log type, sample lines, and a parser for the lines a format produces.
#[derive(Parser, Debug)]
#[command(name = "nssgen", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the log types: those a profile has formats for, and every catalog log type.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the paste-ready feed output format for a log type, and one newline.
    Format {
        /// Log type id, e.g. web, firewall, dns, tunnel-ike-phase1 (see `nssgen list`).
        log_type: String,
        /// How lines travel: nss (syslog, RFC3164), nss-rfc5424, cloud-nss (HTTPS, JSON body).
        #[arg(long, short, default_value = "nss")]
        target: String,
        /// Whose parser the format must satisfy.
        #[arg(long, short, default_value = "sekoia")]
        profile: String,
    },
    /// List the fields Zscaler documents for a log type.
    Fields {
        /// Catalog log type id (web, firewall, ...) or a profile log type (tunnel-ike-phase1).
        log_type: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print realistic lines as NSS would send them, the same lines for the same seed.
    Sample {
        #[command(flatten)]
        choice: commands::FormatChoice,
        /// Number of lines.
        #[arg(short = 'n', long = "count", value_name = "N", default_value_t = 10)]
        count: u64,
        /// Seed of the random values.
        #[arg(long, short, default_value_t = 0)]
        seed: u64,
        /// Also draw values NSS prints unescaped that break a JSON body: a `"`, `\` or `,` inside
        /// free text, Windows paths with their backslashes. Lines may then be invalid JSON, as
        /// NSS really prints them; without it every JSON body is valid JSON.
        #[arg(long)]
        hostile: bool,
    },
    /// Parse lines into NDJSON: one object per line, keys the field names in format order.
    ///
    /// Numeric fields print as numbers, hex and base64 variants decoded, `null` for a value
    /// the line lacks (absent, its own unsubstituted spec, a placeholder in a numeric field).
    /// A line that fails is reported on stderr as `line N: reason` and the run goes on; the
    /// exit code is then 1.
    Parse {
        #[command(flatten)]
        choice: commands::FormatChoice,
        /// Add a `_path` key to each object: exact, headless (no syslog header) or json
        /// (read through the JSON fallback).
        #[arg(long)]
        with_path: bool,
        /// The lines to parse; `-` or nothing for standard input.
        input: Option<PathBuf>,
    },
    /// Print a whole feed configuration: Admin Portal steps, a Terraform resource, or ZIA API JSON.
    ///
    /// The format inside is exactly what `nssgen format` prints. Terraform and the API configure
    /// Cloud NSS feeds only. The intake key is never printed unless --intake-key-env names the
    /// variable holding it, and then only in the zia-api body.
    Feed(commands::FeedArgs),
    /// Lint a feed output format: every mistake at its line and column, with a fix where one
    /// is certain. Exit 0 with no errors (warnings allowed unless --deny-warnings), 1 with errors.
    Check(commands::CheckArgs),
}

/// An error that ends the command: its message and exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Failure { code: EXIT_USAGE, message: message.into() }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            // The reader has what it wanted (`| head`): stop quietly, successfully.
            Failure { code: EXIT_OK, message: String::new() }
        } else {
            Failure::usage(format!("cannot write output: {e}"))
        }
    }
}

/// Runs `nssgen` with `args` (the first is the program name), writing data to `out` and
/// errors to `err`; returns the exit code. `nssgen parse -` reads the process's standard input.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_with_input(args, &mut io::stdin().lock(), out, err)
}

/// Like [`run`], with `input` standing for standard input (tests pipe `sample` into `parse`).
pub fn run_with_input<I, T>(args: I, input: &mut dyn BufRead, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout; a pipe closed on them is still success.
            if e.use_stderr() {
                let _ = write!(err, "{}", e.render());
                return EXIT_USAGE;
            }
            let _ = write!(out, "{}", e.render());
            return EXIT_OK;
        }
    };
    let result = match cli.command {
        Command::List { json } => commands::list(out, json),
        Command::Format { log_type, target, profile } => commands::format(out, &log_type, &target, &profile),
        Command::Fields { log_type, json } => commands::fields(out, &log_type, json),
        Command::Sample { choice, count, seed, hostile } => {
            commands::sample(out, &commands::SampleArgs { choice, count, seed, hostile })
        }
        Command::Parse { choice, with_path, input: file } => {
            commands::parse(input, out, err, &commands::ParseArgs { choice, input: file, with_path })
        }
        Command::Feed(args) => commands::feed(out, &args),
        Command::Check(args) => commands::check(input, out, err, &args),
    };
    let result = result.and_then(|()| out.flush().map_err(Failure::from));
    match result {
        Ok(()) => EXIT_OK,
        Err(f) if f.code == EXIT_OK => EXIT_OK,
        Err(f) => {
            // An empty message: the command reported its errors itself (`parse`, per line).
            if !f.message.is_empty() {
                let _ = writeln!(err, "error: {}", f.message);
            }
            f.code
        }
    }
}
