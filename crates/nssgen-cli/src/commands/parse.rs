//! `nssgen parse`: lines in, NDJSON out, one object per line, in constant memory.
//!
//! Each object's keys are the format's field names in format order (each once). Values:
//! - numeric conversions (`%d`, `%lu`, ...) whose text reads as an integer are JSON numbers
//!   (printf space padding trimmed; `%x` read as hexadecimal);
//! - text fields are strings, decoded for hex (`eurl`) and base64 (`b64url`) variants; the
//!   placeholders NSS prints for "no value" (`None`, `NA`, `N/A`, empty, a space) stay as
//!   printed, because in text fields they are what Zscaler wrote and SIEM rules match on them;
//! - `null` when the line has no value: the field is absent (JSON fallback, headless line),
//!   its value is its own unsubstituted spec (`%lu{spi_in}` in a record type without it), or a
//!   numeric field holds a placeholder;
//! - other text in a numeric field is kept as a string, so nothing is lost.
//!
//! A line whose JSON body drifted from the format (a constant that differs) is parsed, not
//! rejected: `"_drift"` lists the drifted keys (their fields are `null` unless the line
//! carries them elsewhere) and `"_extra"` holds the keys the format lacks with their JSON values;
//! both follow the fields, only when there is something to say. `--strict` rejects drifted lines.
//! With `--with-path`, a `"_path"` key (`exact`, `headless`, `json`) ends each object. The run
//! ends with one summary line on stderr: lines parsed exactly, with drift, and rejected.
//!
//! Memory stays bounded whatever the input: a line longer than `--max-line-length` is
//! reported and skipped without being buffered. A line that fails the exact walk is checked
//! for another target's syslog header, and the first one found gets a hint naming that
//! `--target`.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;

use nssgen::{ParsePath, Parser, Record};
use nssgen_catalog::Target;
use nssgen_syntax::plan;
use nssgen_syntax::Conversion;

use super::source::{resolve, FormatChoice, Source};
use super::vintage::{self, Known};
use crate::progress::Progress;
use crate::{Failure, EXIT_INPUT};

/// The arguments of `nssgen parse`.
pub(crate) struct ParseArgs {
    pub(crate) choice: FormatChoice,
    pub(crate) input: Option<PathBuf>,
    pub(crate) with_path: bool,
    /// Reject lines whose JSON body drifted from the format instead of parsing them.
    pub(crate) strict: bool,
    /// The longest line read, line break excluded; a longer one is reported and skipped.
    pub(crate) max_line_length: u64,
}

/// The log type id that parses a stream mixing every log type of the profile.
pub(crate) const ALL: &str = "all";

pub(crate) fn parse(
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut Progress<'_>,
    args: &ParseArgs,
) -> Result<(), Failure> {
    let (parsers, terminated) = if args.choice.log_type == ALL {
        (Parsers::Mixed(Mixed::new(&args.choice)?), false)
    } else {
        let source = resolve(&args.choice)?;
        let origin = args.choice.format_file.as_ref().map_or_else(
            || format!("the {} format of `{}`", args.choice.profile, args.choice.log_type),
            |p| p.display().to_string(),
        );
        let terminated = terminated(&source, &origin)?;
        let log_type = source.log_type;
        let parser =
            Parser::compile_with(&source.text, |name| nssgen_catalog::encoding_of(Some(log_type), name))
                .map_err(|e| Failure::usage(format!("{origin}: {e}")))?;
        // A profile's format reads the lines of its older published versions too.
        let scope = args
            .choice
            .format_file
            .is_none()
            .then(|| (args.choice.profile.clone(), args.choice.log_type.clone()));
        (Parsers::One(Box::new(parser), scope), terminated)
    };
    // A format file has no target of its own to compare the lines' headers with, and a mixed
    // stream takes each line's target from its shape.
    let target = match (&args.choice.format_file, &parsers) {
        (Some(_), _) | (_, Parsers::Mixed(_)) => None,
        (None, Parsers::One(..)) => Some(args.choice.target.unwrap_or(Target::Nss)),
    };
    let mut objects = Objects {
        parsers: &parsers,
        with_path: args.with_path,
        strict: args.strict,
        json: Vec::with_capacity(4096),
        target,
        hinted: false,
    };

    let mut file_reader = None;
    let (input, input_name) = open_input(args.input.as_deref(), stdin, &mut file_reader)?;

    let max = usize::try_from(args.max_line_length).unwrap_or(usize::MAX);
    let mut lines = Lines::new(max);
    let mut tally = Tally::default();
    let mut number = 0u64;
    // Empty lines not yet handled: dropped if nothing but empty lines follows them.
    let mut blank_from: Option<u64> = None;
    // A write error on `out` ends the loop. A closed pipe ends it quietly, with the verdict on
    // the lines read so far: its reader is gone, and the lines after would be read for nothing.
    let mut written = Ok(());
    'lines: loop {
        let line = lines.next(input).map_err(|e| Failure::usage(format!("cannot read {input_name}: {e}")))?;
        let Some(line) = line else { break };
        number += 1;
        err.tick(number);
        if line == Line::Text(b"") {
            // A format ending in its own line break leaves an empty line after each record
            // when NSS adds one too; and empty lines that end the input are no records.
            if !terminated {
                blank_from.get_or_insert(number);
            }
            continue;
        }
        if let Some(first) = blank_from.take() {
            for blank in first..number {
                match objects.line(blank, "", out, err) {
                    Ok(outcome) => tally.add(outcome),
                    Err(e) => {
                        written = Err(e);
                        break 'lines;
                    }
                }
            }
        }
        let Line::Text(line) = line else {
            tally.add(Outcome::Rejected);
            let _ = writeln!(
                err,
                "line {number}: longer than the maximum of {max} bytes (--max-line-length); skipped"
            );
            continue;
        };
        match std::str::from_utf8(line) {
            Ok(line) => match objects.line(number, line, out, err) {
                Ok(outcome) => tally.add(outcome),
                Err(e) => {
                    written = Err(e);
                    break;
                }
            },
            Err(e) => {
                tally.add(Outcome::Rejected);
                let _ =
                    writeln!(err, "line {number}: not UTF-8 (invalid byte at offset {})", e.valid_up_to());
            }
        }
    }
    let _ = writeln!(err, "{tally}");
    // The lines are reported already; the code says some failed.
    let found =
        if tally.rejected > 0 { Err(Failure { code: EXIT_INPUT, message: String::new() }) } else { Ok(()) };
    Failure::after_output(written, found)
}

/// What became of one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Parsed, every key as the format says.
    Exact,
    /// Parsed, with drifted or extra keys.
    Drift,
    /// Not parsed (reported on stderr).
    Rejected,
}

/// The lines of a run by outcome, for its summary line.
#[derive(Debug, Default)]
struct Tally {
    exact: u64,
    drift: u64,
    rejected: u64,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Exact => self.exact += 1,
            Outcome::Drift => self.drift += 1,
            Outcome::Rejected => self.rejected += 1,
        }
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines = self.exact + self.drift + self.rejected;
        let plural = if lines == 1 { "" } else { "s" };
        write!(
            f,
            "{lines} line{plural}: {} parsed exactly, {} parsed with drift, {} rejected",
            self.exact, self.drift, self.rejected
        )
    }
}

/// The longest line `parse` and `identify` read by default, line break excluded: above anything
/// NSS sends (syslog keeps NSS VM lines to a few KB, a Cloud NSS request is at most 512 KB).
pub(crate) const DEFAULT_MAX_LINE: u64 = 1 << 20;

/// The lines to read: the file at `path`, or `stdin` for none or `-`; and their name for errors.
/// `file` holds the opened file's reader.
pub(crate) fn open_input<'i>(
    path: Option<&std::path::Path>,
    stdin: &'i mut dyn BufRead,
    file: &'i mut Option<io::BufReader<std::fs::File>>,
) -> Result<(&'i mut dyn BufRead, String), Failure> {
    match path {
        Some(path) if path.as_os_str() != "-" => {
            let opened = std::fs::File::open(path)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
            let reader = file.insert(io::BufReader::with_capacity(64 * 1024, opened));
            Ok((reader, path.display().to_string()))
        }
        _ => Ok((stdin, "standard input".to_owned())),
    }
}

/// One line read by [`Lines`].
#[derive(Debug, PartialEq)]
pub(crate) enum Line<'b> {
    /// The line without its line break (`\n` or `\r\n`).
    Text(&'b [u8]),
    /// The line was longer than the maximum; it was read past, not kept.
    TooLong,
}

/// Reads lines holding at most one line of the maximum length in memory.
pub(crate) struct Lines {
    buf: Vec<u8>,
    max: usize,
}

impl Lines {
    pub(crate) fn new(max: usize) -> Self {
        Lines { buf: Vec::with_capacity(max.saturating_add(2).min(4096)), max }
    }

    /// The next line, or `None` at the end of the input.
    pub(crate) fn next(&mut self, input: &mut dyn BufRead) -> io::Result<Option<Line<'_>>> {
        self.buf.clear();
        // The most a kept line takes with its `\r\n`.
        let most = self.max.saturating_add(2);
        loop {
            let chunk = match input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                // A last line without a line break still counts.
                return Ok((!self.buf.is_empty()).then(|| self.finish()));
            }
            let (used, ended) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if self.buf.len() + used > most {
                // Too long already: drop what is kept and read on to the line's end
                // without keeping any of it (`/dev/zero` is one endless line).
                self.buf.clear();
                input.consume(used);
                if !ended {
                    input.skip_until(b'\n')?;
                }
                return Ok(Some(Line::TooLong));
            }
            // Grow by doubling as `Vec` would, but never past the longest line kept.
            let needed = self.buf.len() + used;
            if needed > self.buf.capacity() {
                let capacity = needed.max(self.buf.capacity() * 2).min(most);
                self.buf.reserve_exact(capacity - self.buf.len());
            }
            self.buf.extend_from_slice(&chunk[..used]);
            input.consume(used);
            if ended {
                return Ok(Some(self.finish()));
            }
        }
    }

    /// The kept line without its line break, unless it is still too long without it.
    fn finish(&self) -> Line<'_> {
        let mut line = &self.buf[..];
        line = line.strip_suffix(b"\n").unwrap_or(line);
        line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > self.max {
            Line::TooLong
        } else {
            Line::Text(line)
        }
    }
}

/// What parses the lines: one format, or every log type of a profile.
enum Parsers {
    /// A format, and, for a profile's, its profile and log type ids.
    One(Box<Parser>, Option<(String, String)>),
    Mixed(Mixed),
}

/// Every log type of a profile, each with a parser per target, and the table that routes a
/// line to its log type (the one `nssgen::sekoia::Record` is generated from).
struct Mixed {
    profile: String,
    /// Per log type, in profile order: its id and its parser for each of [`Target::ALL`].
    log_types: Vec<(String, Vec<Parser>)>,
    table: nssgen::route::Table,
    /// The target every line is read with (`--target`), instead of each line's own shape.
    target: Option<Target>,
}

impl Mixed {
    fn new(choice: &FormatChoice) -> Result<Mixed, Failure> {
        if choice.format_file.is_some() {
            return Err(Failure::usage(format!(
                "`parse {ALL}` reads the profile's formats; --format-file gives the format of one log type"
            )));
        }
        let profile = nssgen_catalog::profile(&choice.profile)
            .ok_or_else(|| super::unknown_profile(&choice.profile))?;
        let mut log_types = Vec::new();
        for t in &profile.log_types {
            let catalog = t.catalog_log_type();
            let mut parsers = Vec::new();
            for target in Target::ALL {
                let framed = super::source::framed(&profile.id, &t.id, target)?;
                let parser =
                    Parser::compile_with(&framed.text, |name| nssgen_catalog::encoding_of(catalog, name))
                        .map_err(|e| Failure::usage(format!("internal error: the `{}` format: {e}", t.id)))?;
                parsers.push(parser);
            }
            log_types.push((t.id.clone(), parsers));
        }
        let plans: Vec<&nssgen_syntax::plan::Plan> = log_types.iter().map(|(_, p)| p[0].plan()).collect();
        let table = nssgen::route::Table::from_plans(&plans)
            .map_err(|e| Failure::usage(format!("internal error: the {} formats: {e}", profile.id)))?;
        Ok(Mixed { profile: profile.id.clone(), log_types, table, target: choice.target })
    }

    /// The log type id and the parser for `line`: its log type by the routing table's rule
    /// (`Table::route_with`: the exact walk of the log type the line names, by its `nss`
    /// format, as `nssgen::sekoia::Record` reads it, else the table's route), its target by its
    /// shape (a concentrator's forwarded line is read as an RFC5424 one, whose body it is). A
    /// body alone or forwarded keeps the spacing of the feed that printed it: the target whose
    /// format prints that body literally reads it, when one does. When routing or the literal
    /// reading read the line, its record comes along, not to read the line twice.
    fn parser_for<'l>(&self, line: &'l str) -> Result<Routed<'_, 'l>, nssgen::ParseError> {
        let exact = |index: usize| {
            let (id, parsers) = &self.log_types[index];
            // The table is built from the `nss` formats' plans (`Target::ALL[0]`).
            let nss = &parsers[0];
            let record = nss.parse_exact(line)?;
            Some(match self.target {
                Some(target) if target != Target::Nss => (id.as_str(), Self::of(parsers, target), None),
                _ => (id.as_str(), nss, Some(record)),
            })
        };
        self.table.route_with(line, exact, |index| Ok(self.by_shape(index, line)))
    }

    /// The parser for `line` of the log type at `index`, by `--target` or by the line's shape.
    fn by_shape<'l>(&self, index: usize, line: &'l str) -> Routed<'_, 'l> {
        use nssgen_syntax::shape::{framing, Shape};
        let (id, parsers) = &self.log_types[index];
        if let Some(target) = self.target {
            return (id, Self::of(parsers, target), None);
        }
        let shape = framing(line).map(|f| f.shape);
        let default = Self::of(
            parsers,
            match shape {
                Some(Shape::Rfc5424 | Shape::Forwarded) => Target::NssRfc5424,
                Some(Shape::Body) => Target::CloudNss,
                Some(Shape::Rfc3164) | None => Target::Nss,
            },
        );
        if matches!(shape, Some(Shape::Body | Shape::Forwarded)) {
            let literal = std::iter::once(default)
                .chain(parsers.iter())
                .find_map(|p| p.parse_literal(line).ok().map(|record| (p, record)));
            if let Some((parser, record)) = literal {
                return (id, parser, Some(record));
            }
        }
        (id, default, None)
    }

    /// A log type's parser for `target`, of its parsers in the order of [`Target::ALL`].
    fn of(parsers: &[Parser], target: Target) -> &Parser {
        Target::ALL.iter().position(|t| *t == target).map_or(&parsers[0], |at| &parsers[at])
    }

    /// The log type's parser for lines of `target`.
    fn parser_of(&self, log_type: &str, target: Target) -> Option<&Parser> {
        self.log_types.iter().find(|(id, _)| id == log_type).map(|(_, parsers)| Self::of(parsers, target))
    }
}

/// One parsed line: the log type to name (a mixed stream's), the parser whose fields the
/// object lists, the record, and the older version of the format that printed it, if one did.
struct Parse<'p, 'l> {
    log_type: Option<&'p str>,
    parser: &'p Parser,
    record: Record<'p, 'l>,
    older: Option<&'static Known>,
}

/// The older published version of `profile`'s format for `log_type` (any, when `None`) that
/// prints `line` whole, if any.
fn older(line: &str, profile: &str, log_type: Option<&str>) -> Option<&'static Known> {
    let keep = |k: &Known| !k.current && k.profile == profile && log_type.is_none_or(|t| k.log_type == t);
    let (found, whole) = vintage::literal_matches(line, keep);
    if !whole {
        return None;
    }
    vintage::pick(&found, true, 1, &[]).map(|i| &vintage::all()[i])
}

/// A routed line: its log type id, the parser for it, and the record when routing read it.
type Routed<'p, 'l> = (&'p str, &'p Parser, Option<Record<'p, 'l>>);

/// Turns lines into NDJSON objects, reusing one buffer.
struct Objects<'p> {
    parsers: &'p Parsers,
    with_path: bool,
    strict: bool,
    json: Vec<u8>,
    /// The target the format was made for; `None` for a format file.
    target: Option<Target>,
    /// Whether the hint about another target's header was given (once per run).
    hinted: bool,
}

impl<'p> Objects<'p> {
    /// Parses one line and writes its object, or reports it on `err`; says what became of it.
    /// The error is `out`'s.
    fn line(
        &mut self,
        number: u64,
        line: &str,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> io::Result<Outcome> {
        let parsed = self.parse(line);
        let (outcome, exact) = match parsed {
            Ok(Parse { log_type, parser, record, older }) => {
                self.json.clear();
                write_object(&mut self.json, log_type, parser, &record, older, self.with_path);
                out.write_all(&self.json)?;
                let exact = record.path == ParsePath::Exact && older.is_none();
                let outcome =
                    if record.drift().is_some() || older.is_some() { Outcome::Drift } else { Outcome::Exact };
                (outcome, exact)
            }
            Err(e) => {
                let _ = writeln!(err, "line {number}: {e}");
                (Outcome::Rejected, false)
            }
        };
        if !exact && !self.hinted {
            self.hint(number, line, err);
        }
        Ok(outcome)
    }

    /// Parses one line: routed to its log type in a mixed stream, by the current format, or,
    /// when that does not match it exactly, by the older published version of the profile's
    /// format that prints it whole (a line without a JSON body cannot be routed otherwise).
    fn parse<'l>(&self, line: &'l str) -> Result<Parse<'p, 'l>, nssgen::ParseError> {
        let strict = |record: Record<'p, 'l>| if self.strict { record.strict() } else { Ok(record) };
        let (log_type, parser, profile, read) = match self.parsers {
            Parsers::One(parser, scope) => {
                let (profile, log_type) =
                    (scope.as_ref().map(|(p, _)| p.as_str()), scope.as_ref().map(|(_, t)| t.as_str()));
                (log_type, &**parser, profile, None)
            }
            Parsers::Mixed(mixed) => match mixed.parser_for(line) {
                Ok((id, parser, read)) => (Some(id), parser, Some(mixed.profile.as_str()), read),
                Err(unrouted) => {
                    let Some(older) = older(line, &mixed.profile, None) else { return Err(unrouted) };
                    let parser = mixed.parser_of(older.log_type, older.target).ok_or(unrouted)?;
                    let record = self.older_record(older, line)?;
                    return Ok(Parse { log_type: Some(older.log_type), parser, record, older: Some(older) });
                }
            },
        };
        let mixed = matches!(self.parsers, Parsers::Mixed(_));
        let shown = if mixed { log_type } else { None };
        let current = match read {
            Some(record) => Ok(record),
            None => parser.parse(line),
        };
        if matches!(&current, Ok(record) if record.path == ParsePath::Exact) {
            return Ok(Parse { log_type: shown, parser, record: strict(current?)?, older: None });
        }
        if let (Some(profile), Some(id)) = (profile, log_type) {
            if let Some(older) = older(line, profile, Some(id)) {
                let record = self.older_record(older, line)?;
                return Ok(Parse { log_type: shown, parser, record, older: Some(older) });
            }
        }
        Ok(Parse { log_type: shown, parser, record: strict(current?)?, older: None })
    }

    /// A line of an older version read by its format; strictly, one of a version the current
    /// format adds keys to is rejected, as a line with drifted keys is.
    fn older_record<'l>(
        &self,
        older: &'static Known,
        line: &'l str,
    ) -> Result<Record<'p, 'l>, nssgen::ParseError> {
        let record = older.parser.parse_literal(line)?;
        if self.strict && !older.added.is_empty() {
            let reason = format!(
                "a line of the format published on {}, which lacks {}",
                older.version,
                older.added.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            );
            return Err(nssgen::ParseError {
                offset: 0,
                field: None,
                kind: nssgen::ParseErrorKind::Json { reason },
            });
        }
        Ok(record)
    }

    /// Says once, on `err`, that a line carries another target's header than the format's:
    /// the fallbacks read many such lines, so a forgotten or wrong `--target` would otherwise
    /// show only as some failed lines.
    fn hint(&mut self, number: u64, line: &str, err: &mut dyn Write) {
        let Some(target) = self.target else { return };
        let Some(shape) = Target::of_line_shape(line).filter(|&shape| shape != target) else { return };
        let carries = match shape {
            Target::Nss => "carries an RFC3164 syslog header",
            Target::NssRfc5424 => "carries an RFC5424 syslog header",
            Target::CloudNss => "is a JSON body without a syslog header",
        };
        let _ = writeln!(
            err,
            "hint: line {number} {carries} but the format is for --target {target}; \
             these lines look like --target {shape}"
        );
        self.hinted = true;
    }
}

/// Whether the format ends each record with its own line break (the plan's terminator rule:
/// line reading removes it). A line break anywhere else cannot be parsed line by line.
fn terminated(source: &Source, origin: &str) -> Result<bool, Failure> {
    if let Some((literal, _)) = plan::line_literals(&source.format).find(|(_, text)| text.contains('\n')) {
        let (line, column) = nssgen_syntax::line_col(&source.text, literal.span.start);
        return Err(Failure::usage(format!(
            "{origin}: the literal at {line}:{column} prints a line break inside a record; \
             `nssgen parse` reads one record per line"
        )));
    }
    Ok(plan::has_terminator(&source.format))
}

fn write_object(
    json: &mut Vec<u8>,
    log_type: Option<&str>,
    parser: &Parser,
    record: &Record<'_, '_>,
    older: Option<&Known>,
    with_path: bool,
) {
    json.push(b'{');
    if let Some(id) = log_type {
        json.extend_from_slice(b"\"_log_type\":");
        write_string(json, id);
        json.push(b',');
    }
    for (i, (name, conv, _)) in parser.fields().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        write_string(json, name);
        json.push(b':');
        // The parser reads a value printed as its own spec (`%lu{spi_in}`) as absent too.
        let Some(value) = record.get(name) else {
            json.extend_from_slice(b"null");
            continue;
        };
        if conv.is_numeric() {
            let trimmed = value.raw.trim_matches(' ');
            if let Some(n) = integer(conv, trimmed) {
                json.extend_from_slice(n.as_bytes());
            } else if value.is_placeholder() {
                json.extend_from_slice(b"null");
            } else {
                write_string(json, &value.raw);
            }
        } else {
            write_string(json, &value.decode());
        }
    }
    // A line of an older version lacks the keys the current format added: they drifted.
    let drifted: Vec<&str> = record
        .drift()
        .into_iter()
        .flat_map(|d| d.keys())
        .chain(older.into_iter().flat_map(|o| o.added.iter().map(String::as_str)))
        .collect();
    if !drifted.is_empty() {
        json.extend_from_slice(b",\"_drift\":[");
        for (i, key) in drifted.iter().enumerate() {
            if i > 0 {
                json.push(b',');
            }
            write_string(json, key);
        }
        json.push(b']');
    }
    if let Some(drift) = record.drift().filter(|d| !d.extra().is_empty()) {
        json.extend_from_slice(b",\"_extra\":{");
        for (i, (key, value)) in drift.extra().iter().enumerate() {
            if i > 0 {
                json.push(b',');
            }
            write_string(json, key);
            json.push(b':');
            // The line's own JSON text of the value, which serde_json has read as valid.
            json.extend_from_slice(value.as_bytes());
        }
        json.push(b'}');
    }
    if let Some(older) = older {
        json.extend_from_slice(b",\"_version\":");
        write_string(json, older.version);
    }
    if with_path {
        json.extend_from_slice(b",\"_path\":");
        let path = match record.path {
            ParsePath::Exact => "exact",
            ParsePath::Headless => "headless",
            ParsePath::Json => "json",
        };
        write_string(json, path);
    }
    json.extend_from_slice(b"}\n");
}

/// The integer a numeric field's text holds, as JSON number text.
fn integer(conv: Conversion, text: &str) -> Option<String> {
    if conv == Conversion::X {
        return u64::from_str_radix(text, 16).ok().map(|n| n.to_string());
    }
    if let Ok(n) = text.parse::<i64>() {
        return Some(n.to_string());
    }
    text.parse::<u64>().ok().map(|n| n.to_string())
}

fn write_string(json: &mut Vec<u8>, s: &str) {
    // Writing JSON into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *json, s);
}

#[cfg(test)]
mod tests {
    use nssgen_catalog::Target;
    use nssgen_emulate::{Absent, Emulator, Sampler, ValueSet, Values};

    use std::io::Read;

    use super::*;

    /// Every sampled line of every built-in format parses exactly, and its raw values,
    /// printed again by the emulator as given, give the same line back.
    #[test]
    fn sampled_lines_parse_exactly_and_their_values_render_the_same_line() {
        let profile = nssgen_catalog::profile("sekoia").expect("sekoia");
        for t in &profile.log_types {
            let log_type = t.catalog_log_type().expect("catalog");
            for target in Target::ALL {
                let framed = nssgen_profile::format("sekoia", &t.id, target).expect("format");
                let (text, format) = (framed.text.as_str(), framed.format.clone());
                let parser =
                    Parser::compile_with(text, |name| nssgen_catalog::encoding_of(Some(log_type), name))
                        .expect("compiles");
                let sampler = Sampler::new(&format, log_type, &profile.escape_characters, 42)
                    .record_types(&t.record_types)
                    .value_set(ValueSet::Hostile);
                for line in sampler.take(300) {
                    let record =
                        parser.parse(&line).unwrap_or_else(|e| panic!("{} {target}: {e}\n{line}", t.id));
                    assert_eq!(record.path, ParsePath::Exact, "{line}");
                    let values: Values =
                        record.iter().map(|(name, value)| (name, value.raw.to_string())).collect();
                    // A field the record lacks (its own spec in the line) reads as absent: print its spec.
                    let again = Emulator::new("")
                        .absent(Absent::PrintSpec)
                        .render(&format, &values)
                        .unwrap_or_else(|e| panic!("{e}: {line}\n{:?}", record.iter().collect::<Vec<_>>()));
                    assert_eq!(again, line);
                }
            }
        }
    }

    /// Every line `Lines` reads from `input` with `max`, through a `chunk`-byte buffer, and
    /// the largest capacity its buffer reached.
    fn read_all(input: impl io::Read, chunk: usize, max: usize) -> (Vec<Result<Vec<u8>, ()>>, usize) {
        let mut input = io::BufReader::with_capacity(chunk, input);
        let mut lines = Lines::new(max);
        let mut read = Vec::new();
        let mut largest = 0;
        while let Some(line) = lines.next(&mut input).expect("reads") {
            read.push(match line {
                Line::Text(text) => Ok(text.to_vec()),
                Line::TooLong => Err(()),
            });
            largest = largest.max(lines.buf.capacity());
        }
        (read, largest)
    }

    #[test]
    fn a_50_mb_line_is_skipped_without_growing_the_buffer_past_the_maximum() {
        for (max, chunk) in [(1 << 20, 64 << 10), (100, 64 << 10), (100, 7), (4096, 8 << 10)] {
            let input = io::repeat(0).take(50 << 20).chain(&b"\ngood\r\nlast"[..]);
            let (read, largest) = read_all(input, chunk, max);
            assert_eq!(read, [Err(()), Ok(b"good".to_vec()), Ok(b"last".to_vec())], "max {max}");
            // A kept line may hold its `\r\n` too.
            assert!(largest <= max + 2, "max {max}: the buffer reached {largest} bytes");
        }
    }

    #[test]
    fn a_line_at_the_maximum_is_kept_and_one_byte_more_is_skipped() {
        let max = 10;
        let at = "a".repeat(max);
        let over = "b".repeat(max + 1);
        let far_over = "c".repeat(max + 2);
        let text = format!("{at}\n{at}\r\n{over}\n{over}\r\n{far_over}\n\n{at}\n{over}");
        for chunk in [1, 3, 11, 12, 13, 64] {
            let (read, largest) = read_all(text.as_bytes(), chunk, max);
            let at = Ok(at.clone().into_bytes());
            assert_eq!(read, [at.clone(), at.clone(), Err(()), Err(()), Err(()), Ok(vec![]), at, Err(())]);
            assert!(largest <= max + 2, "chunk {chunk}: the buffer reached {largest} bytes");
        }
        let (read, _) = read_all(&b""[..], 8, max);
        assert!(read.is_empty());
    }

    #[test]
    fn a_trailing_line_break_is_the_record_terminator() {
        let source = |text: &str| Source {
            text: text.to_owned(),
            format: nssgen_syntax::parse(text).expect("parses"),
            log_type: nssgen_catalog::log_type("alerts").expect("alerts"),
            record_types: Vec::new(),
            escape_characters: String::new(),
        };
        let cases = [
            ("%s{a} x\\n", true),
            ("%s{a}\\r\\n", true),
            ("%s{a}\n", true),
            ("%s{a} x", false),
            ("%s{a}\\t", false),
        ];
        for (text, expected) in cases {
            assert_eq!(terminated(&source(text), "f").expect("one record per line"), expected, "{text:?}");
        }
        let err = terminated(&source("%s{a}\\n%s{b}"), "f").expect_err("refused");
        assert!(
            err.message.contains("f: the literal at 1:6 prints a line break inside a record"),
            "{}",
            err.message
        );
    }
}
