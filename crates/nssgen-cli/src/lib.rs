//! The `nssgen` command line, as a library so tests run it in-process with their own streams.
//!
//! Exit codes: 0 success, 1 the input has errors, 2 usage or I/O error. A closed pipe
//! (`nssgen fields web | head`) ends the run quietly, with the code of what it found so far;
//! any other error writing the output is an I/O error.
#![deny(missing_docs)]

mod choice;
mod commands;
mod progress;
mod suggest;
mod usage;

use std::ffi::OsString;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{CommandFactory, Parser, Subcommand};

/// Success.
pub const EXIT_OK: u8 = 0;
/// The input has errors (lint errors, unparseable lines).
pub const EXIT_INPUT: u8 = 1;
/// Usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// Compile Zscaler ZIA feed output formats: paste-ready formats for the Admin Portal, the
/// fields of every log type, sample lines, and a parser for the lines a format produces.
#[derive(Parser, Debug)]
#[command(name = "nssgen", version, max_term_width = 100)]
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
        #[arg(long, short, default_value = "nss", value_parser = choice::target)]
        target: nssgen_catalog::Target,
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
        #[arg(
            short = 'n',
            long = "count",
            value_name = "N",
            default_value_t = 10,
            value_parser = any_number,
            allow_negative_numbers = true
        )]
        count: u64,
        /// Seed of the random values.
        #[arg(long, short, default_value_t = 0, value_parser = any_number, allow_negative_numbers = true)]
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
    /// A line whose JSON body drifted from the format (a constant that differs) is parsed:
    /// `_drift` names the drifted keys and `_extra` holds keys the format lacks. A line that
    /// fails is reported on stderr as `line N: reason` and the run goes on; the exit code is
    /// then 1. The run ends with one summary line on stderr. Lines that carry another target's
    /// header get a one-line hint naming that --target, once per run.
    Parse {
        #[command(flatten)]
        choice: commands::FormatChoice,
        /// Add a `_path` key to each object: exact, headless (no syslog header) or json
        /// (read through the JSON fallback).
        #[arg(long)]
        with_path: bool,
        /// Reject a line whose JSON body drifted from the format (a constant that differs)
        /// instead of parsing it with `_drift`.
        #[arg(long)]
        strict: bool,
        /// The longest line to read, in bytes, line break excluded. A longer line is reported
        /// and skipped without being held in memory, and the run goes on. Zscaler documents no
        /// line limit; syslog keeps NSS VM lines to a few KB and a whole Cloud NSS request is
        /// at most its Max Batch Size (512 KB in vendor guides), so the default is above
        /// anything NSS sends.
        #[arg(long, value_name = "BYTES", default_value_t = commands::DEFAULT_MAX_LINE, value_parser = at_least_one,
              allow_negative_numbers = true)]
        max_line_length: u64,
        /// The lines to parse; `-` or nothing for standard input.
        input: Option<PathBuf>,
    },
    /// Print a whole feed configuration: Admin Portal steps, a Terraform resource, ZIA API JSON,
    /// or the rsyslog concentrator NSS VM feeds send to.
    ///
    /// The format inside is exactly what `nssgen format` prints. Terraform and the API configure
    /// Cloud NSS feeds only; rsyslog, NSS VM feeds only. `all` prints the steps of every log type,
    /// or one concentrator carrying them all. The intake key is never printed unless
    /// --intake-key-env names the variable holding it, and then only in the zia-api body; the
    /// rsyslog configuration names the variable and rsyslogd reads it when it starts.
    Feed(commands::FeedArgs),
    /// Lint a feed output format: every mistake at its line and column, with a fix where one
    /// is certain. Exit 0 with no errors (warnings allowed unless --deny-warnings), 1 with errors.
    Check(commands::CheckArgs),
    /// Name the known vendor format a format is (Sekoia.io's history, Elastic's versions): its
    /// profile, log type, target and version, and the keys the vendor's current format adds
    /// and removes.
    ///
    /// A format equal up to insignificant whitespace (between the body's JSON tokens, runs of
    /// spaces) is named too, with `"exact": false`. Exit 1, naming the closest known format,
    /// when it is none of them.
    Identify(commands::IdentifyArgs),
    /// Print a shell completion script for nssgen on stdout.
    ///
    /// bash: `nssgen completions bash > ~/.local/share/bash-completion/completions/nssgen`;
    /// zsh: into a directory of `$fpath` as `_nssgen`; fish:
    /// `~/.config/fish/completions/nssgen.fish`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the nssgen(1) manual page (roff) on stdout, or write it and one page per command.
    ///
    /// `nssgen man --out-dir ~/.local/share/man/man1` installs nssgen(1), nssgen-format(1), ...
    /// for `man nssgen` and `man nssgen-format`.
    Man {
        /// Write nssgen.1 and nssgen-<COMMAND>.1 for every command into this directory instead.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

/// `value` as a whole number of at least `least`. Clap's own parser says "invalid digit" of
/// `-1`, and its range check names `u64::MAX` as the upper bound.
fn whole_number(value: &str, least: u64) -> Result<u64, String> {
    let negative = value.strip_prefix('-').is_some_and(|n| n.parse::<u64>().is_ok());
    match value.parse::<u64>() {
        Ok(n) if n >= least => Ok(n),
        Ok(_) => Err(format!("must be at least {least}")),
        Err(_) if negative => Err(format!("must be at least {least}")),
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => {
            Err(format!("must be at most {}", u64::MAX))
        }
        Err(e) => Err(e.to_string()),
    }
}

fn any_number(value: &str) -> Result<u64, String> {
    whole_number(value, 0)
}

fn at_least_one(value: &str) -> Result<u64, String> {
    whole_number(value, 1)
}

/// What a run may print on `err` besides errors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// During `sample` and `parse`, keep a status line on `err` (lines written or read),
    /// rewritten at most this often and cleared at the end; `None` (the default): never.
    pub progress: Option<Duration>,
}

impl Options {
    /// The options for the process's own streams: progress four times a second when stderr
    /// is a terminal and stdout is not (data printed on the same terminal would tear the
    /// status line, and a redirected stderr wants no carriage returns).
    pub fn for_process_streams() -> Self {
        let progress = io::stderr().is_terminal() && !io::stdout().is_terminal();
        Options { progress: progress.then_some(Duration::from_millis(250)) }
    }
}

/// An error that ends the command: its message and exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl From<io::Error> for Failure {
    /// A write error on the output. A closed pipe (`| head`) ends the run quietly, and a
    /// command that found something wrong before it returns that instead (see
    /// [`Failure::after_output`]); any other error is reported once by [`run_with_options`],
    /// which sees it on the output itself.
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure { code: EXIT_OK, message: String::new() }
        } else {
            Failure::usage(format!("cannot write output: {e}"))
        }
    }
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Failure { code: EXIT_USAGE, message: message.into() }
    }

    /// What a command that wrote its output (`written`) and `found` its verdict returns: the
    /// verdict, unless the output failed otherwise than by a closed pipe. The reader of a
    /// closed pipe has gone, not changed what the input holds.
    pub(crate) fn after_output(written: io::Result<()>, found: Result<(), Failure>) -> Result<(), Failure> {
        match written {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
            _ => found,
        }
    }
}

/// The output as the commands see it. It keeps the first error writing or flushing it, so the
/// run reports that error even when a command stopped on it with another outcome, and after
/// it writes nothing more: a buffer below would try its bytes again, and fail again.
struct Output<'a> {
    inner: &'a mut dyn Write,
    /// The first error: its kind and its text.
    failed: Option<(io::ErrorKind, String)>,
}

impl Output<'_> {
    fn again(&self) -> Option<io::Error> {
        self.failed.as_ref().map(|(kind, text)| io::Error::new(*kind, text.clone()))
    }

    fn keep<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            if e.kind() != io::ErrorKind::Interrupted {
                self.failed = Some((e.kind(), e.to_string()));
            }
        }
        result
    }
}

impl Write for Output<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(e) = self.again() {
            return Err(e);
        }
        let result = self.inner.write(buf);
        self.keep(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(e) = self.again() {
            return Err(e);
        }
        let result = self.inner.flush();
        self.keep(result)
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
    run_with_options(args, input, out, err, Options::default())
}

/// Like [`run_with_input`], with `options` saying what else may be printed on `err`.
pub fn run_with_options<I, T>(
    args: I,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let mut out = Output { inner: out, failed: None };
    let result = dispatch(args, input, &mut out, err, options);
    // The last buffered bytes leave here, inside the run, so their error is reported too.
    if out.failed.is_none() {
        let _ = out.flush();
    }
    match (out.failed, result) {
        (Some((kind, text)), _) if kind != io::ErrorKind::BrokenPipe => {
            let _ = writeln!(err, "error: cannot write output: {text}");
            EXIT_USAGE
        }
        (_, Ok(())) => EXIT_OK,
        (_, Err(f)) => {
            // An empty message: the command reported its errors itself (`parse`, per line),
            // or the reader closed the pipe.
            if !f.message.is_empty() {
                let _ = writeln!(err, "error: {}", f.message);
            }
            f.code
        }
    }
}

/// Parses `args` and runs the command; the caller flushes `out` and reports the outcome.
fn dispatch(
    args: Vec<OsString>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: Options,
) -> Result<(), Failure> {
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            if e.use_stderr() {
                return Err(Failure::usage(usage::one_line(&e, &Cli::command(), &args)));
            }
            // Help and version go to stdout.
            write!(out, "{}", e.render())?;
            return Ok(());
        }
    };
    // Everything on `err` goes through the progress line, which clears itself first.
    let mut err = progress::Progress::new(err, options.progress);
    let err = &mut err;
    match cli.command {
        Command::List { json } => commands::list(out, json),
        Command::Format { log_type, target, profile } => commands::format(out, &log_type, target, &profile),
        Command::Fields { log_type, json } => commands::fields(out, &log_type, json),
        Command::Sample { choice, count, seed, hostile } => {
            err.counting("sample", "lines written", Some(count));
            commands::sample(out, err, &commands::SampleArgs { choice, count, seed, hostile })
        }
        Command::Parse { choice, with_path, strict, max_line_length, input: file } => {
            err.counting("parse", "lines read", None);
            let args = commands::ParseArgs { choice, input: file, with_path, strict, max_line_length };
            commands::parse(input, out, err, &args)
        }
        Command::Feed(args) => commands::feed(out, &args),
        Command::Check(args) => commands::check(input, out, err, &args),
        Command::Identify(args) => commands::identify(input, out, err, &args),
        Command::Completions { shell } => commands::completions(out, shell, &mut Cli::command()),
        Command::Man { out_dir } => commands::man(out, Cli::command(), out_dir.as_deref()),
    }
}
