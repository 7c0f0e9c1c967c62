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
//! With `--with-path`, a `"_path"` key (`exact`, `headless`, `json`) ends each object.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use nssgen::{Encoding, ParsePath, Parser, Record};
use nssgen_catalog::{LogType, Variant};
use nssgen_render::emulate::variant_of;
use nssgen_syntax::{Conversion, Item};

use super::source::{resolve, FormatChoice, Source};
use crate::progress::Progress;
use crate::{Failure, EXIT_INPUT};

/// The arguments of `nssgen parse`.
pub(crate) struct ParseArgs {
    pub(crate) choice: FormatChoice,
    pub(crate) input: Option<PathBuf>,
    pub(crate) with_path: bool,
}

pub(crate) fn parse(
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut Progress<'_>,
    args: &ParseArgs,
) -> Result<(), Failure> {
    let source = resolve(&args.choice)?;
    let origin = args.choice.format_file.as_ref().map_or_else(
        || format!("the {} format of `{}`", args.choice.profile, args.choice.log_type),
        |p| p.display().to_string(),
    );
    let (text, terminated) = without_terminator(&source, &origin)?;
    let log_type = source.log_type;
    let parser = Parser::compile_with(&text, |name| encoding(log_type, name))
        .map_err(|e| Failure::usage(format!("{origin}: {e}")))?;
    let mut objects = Objects { parser: &parser, with_path: args.with_path, json: Vec::with_capacity(4096) };

    let mut file_reader;
    let input: &mut dyn BufRead = match args.input.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            let file = std::fs::File::open(path)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
            file_reader = std::io::BufReader::with_capacity(64 * 1024, file);
            &mut file_reader
        }
        _ => stdin,
    };
    let input_name =
        args.input.as_ref().map_or_else(|| "standard input".to_owned(), |p| p.display().to_string());

    let mut buf = Vec::with_capacity(4096);
    let mut failed = false;
    let mut number = 0u64;
    // Empty lines not yet handled: dropped if nothing but empty lines follows them.
    let mut blank_from: Option<u64> = None;
    loop {
        buf.clear();
        let read = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| Failure::usage(format!("cannot read {input_name}: {e}")))?;
        if read == 0 {
            break;
        }
        number += 1;
        err.tick(number);
        let mut line = &buf[..];
        line = line.strip_suffix(b"\n").unwrap_or(line);
        line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            // A format ending in its own line break leaves an empty line after each record
            // when NSS adds one too; and empty lines that end the input are no records.
            if !terminated {
                blank_from.get_or_insert(number);
            }
            continue;
        }
        if let Some(first) = blank_from.take() {
            for blank in first..number {
                failed |= !objects.line(blank, "", out, err)?;
            }
        }
        match std::str::from_utf8(line) {
            Ok(line) => failed |= !objects.line(number, line, out, err)?,
            Err(e) => {
                failed = true;
                let _ =
                    writeln!(err, "line {number}: not UTF-8 (invalid byte at offset {})", e.valid_up_to());
            }
        }
    }
    if failed {
        // The lines are reported already; the code says some failed.
        return Err(Failure { code: EXIT_INPUT, message: String::new() });
    }
    Ok(())
}

/// Turns lines into NDJSON objects, reusing one buffer.
struct Objects<'p> {
    parser: &'p Parser,
    with_path: bool,
    json: Vec<u8>,
}

impl Objects<'_> {
    /// Parses one line and writes its object, or reports it on `err`; says whether it parsed.
    fn line(
        &mut self,
        number: u64,
        line: &str,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<bool, Failure> {
        match self.parser.parse(line) {
            Ok(record) => {
                self.json.clear();
                write_object(&mut self.json, self.parser, &record, self.with_path);
                out.write_all(&self.json)?;
                Ok(true)
            }
            Err(e) => {
                let _ = writeln!(err, "line {number}: {e}");
                Ok(false)
            }
        }
    }
}

/// How NSS encodes a field, by the same catalog answer the emulator renders with.
fn encoding(log_type: &LogType, name: &str) -> Encoding {
    match variant_of(log_type, name).map(|v| v.variant) {
        Some(Variant::Hex) => Encoding::Hex,
        Some(Variant::B64) => Encoding::Base64,
        _ => Encoding::Plain,
    }
}

/// The format's text for parsing one line: a format ending in a line break (Elastic's
/// alerts format ends in `\n`) prints its own record terminator, which line reading removes.
/// Says whether there was one. A line break anywhere else cannot be parsed line by line.
fn without_terminator(source: &Source, origin: &str) -> Result<(String, bool), Failure> {
    let mut text = source.text.clone();
    let mut terminated = false;
    if let Some(Item::Literal(last)) = source.format.items.last() {
        if last.text.ends_with('\n') {
            let mut raw = last.raw.as_str();
            for suffix in ["\\n", "\n"] {
                if let Some(rest) = raw.strip_suffix(suffix) {
                    raw = rest;
                    break;
                }
            }
            raw = raw.strip_suffix("\\r").or_else(|| raw.strip_suffix('\r')).unwrap_or(raw);
            let candidate = format!("{}{raw}", &source.text[..last.span.start]);
            let expected = last.text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t));
            let text_now = nssgen_syntax::parse(&candidate).ok().map(|f| match f.items.last() {
                Some(Item::Literal(l)) if l.span.start == last.span.start => l.text.clone(),
                _ => String::new(),
            });
            if text_now.as_deref() == expected {
                text = candidate;
                terminated = true;
            }
        }
    }
    let format = nssgen_syntax::parse(&text).map_err(|e| Failure::usage(format!("{origin}: {e}")))?;
    if let Some(literal) = format.literals().find(|l| l.text.contains('\n')) {
        let (line, column) = nssgen_syntax::line_col(&text, literal.span.start);
        return Err(Failure::usage(format!(
            "{origin}: the literal at {line}:{column} prints a line break inside a record; \
             `nssgen parse` reads one record per line"
        )));
    }
    Ok((text, terminated))
}

fn write_object(json: &mut Vec<u8>, parser: &Parser, record: &Record<'_, '_>, with_path: bool) {
    json.push(b'{');
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
    use nssgen_render::{Absent, Emulator, Sampler, ValueSet, Values};

    use super::*;

    /// Every sampled line of every built-in format parses exactly, and its raw values,
    /// printed again by the emulator as given, give the same line back.
    #[test]
    fn sampled_lines_parse_exactly_and_their_values_render_the_same_line() {
        let profile = nssgen_catalog::profile("sekoia").expect("sekoia");
        for t in &profile.log_types {
            let log_type = t.catalog_log_type().expect("catalog");
            for target in Target::ALL {
                let text = nssgen_catalog::profile_format("sekoia", &t.id, target).expect("format");
                let format = nssgen_syntax::parse(text).expect("format parses");
                let parser = Parser::compile_with(text, |name| encoding(log_type, name)).expect("compiles");
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
            ("%s{a} x\\n", ("%s{a} x", true)),
            ("%s{a}\\r\\n", ("%s{a}", true)),
            ("%s{a}\n", ("%s{a}", true)),
            ("%s{a} x", ("%s{a} x", false)),
            ("%s{a}\\t", ("%s{a}\\t", false)),
        ];
        for (text, (expected, terminated)) in cases {
            let (got, t) = without_terminator(&source(text), "f").expect("one record per line");
            assert_eq!((got.as_str(), t), (expected, terminated), "{text:?}");
        }
        let err = without_terminator(&source("%s{a}\\n%s{b}"), "f").expect_err("refused");
        assert!(
            err.message.contains("f: the literal at 1:6 prints a line break inside a record"),
            "{}",
            err.message
        );
    }
}
