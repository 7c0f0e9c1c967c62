//! The runtime interpreter: a format compiled at run time, then lines parsed into
//! (field, value) pairs the same way the derived parsers read them.

use std::borrow::Cow;

use nssgen_syntax::plan::{Body, Field, Plan, Walk};
use nssgen_syntax::Conversion;
#[cfg(feature = "interpreter")]
use nssgen_syntax::SyntaxErrors;

use crate::drift::Drift;
use crate::json::Failure;
use crate::walk::{is_own_spec, Index, Origin};
use crate::{Encoding, FieldError, FromField, ParseError, ParseErrorKind};

/// Which path parsed a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParsePath {
    /// The line matched the format exactly.
    Exact,
    /// The line matched the format's body exactly, without the syslog header (a relay
    /// stripped it).
    Headless,
    /// The exact walk failed; the JSON body was read and its keys mapped to fields.
    Json,
}

/// A parsed record, the path that parsed it, and how the line drifted from the format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The record.
    pub record: T,
    /// Which path parsed it.
    pub path: ParsePath,
    /// How the line differs from the format, when it does (JSON fallback only).
    pub drift: Option<Box<Drift>>,
}

impl<T> Parsed<T> {
    /// The record of a line that matched the format exactly.
    pub fn exact(record: T) -> Self {
        Parsed { record, path: ParsePath::Exact, drift: None }
    }

    /// The same parse with its record mapped (a typed record into an enum over several).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Parsed<U> {
        Parsed { record: f(self.record), path: self.path, drift: self.drift }
    }

    /// The keys whose values drifted from the format (see [`Drift`]); empty for most lines.
    pub fn drifted_keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.drift.iter().flat_map(|d| d.keys())
    }

    /// The record, unless a key's value drifted from the format: then the error reading the
    /// line strictly gives (the first drifted key's), as before drift was read.
    pub fn strict(self) -> Result<Self, ParseError> {
        Drift::allow_strictly(self.drift.as_deref())?;
        Ok(self)
    }
}

/// Why a format cannot be compiled into a parser.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CompileError {
    /// The format does not parse. The syntax errors are this error (its message and source are
    /// theirs), not a cause of it: a message of its own would only repeat theirs.
    #[cfg(feature = "interpreter")]
    #[error(transparent)]
    Syntax(SyntaxErrors),
    /// Two fields follow each other with no literal between them: no parser can split them.
    #[error(
        "at byte {offset}: `{second}` follows `{first}` with no literal between them, \
         so no parser can tell where one ends"
    )]
    Ambiguous {
        /// The first field's name.
        first: String,
        /// The second field's name.
        second: String,
        /// Byte offset of the second spec in the format.
        offset: usize,
    },
}

/// A format compiled for parsing lines at run time.
///
/// ```
/// use nssgen::{Encoding, ParsePath, Parser};
///
/// let format = r#"%s{mon} %02d{dd} zscaler-nss NSS \{"day":"%02d{dd}","url":"%s{eurl}","size":"%d{reqsize}"\}"#;
/// let parser = Parser::compile_with(format, |name| if name == "eurl" { Encoding::Hex } else { Encoding::Plain })?;
///
/// let record = parser.parse(r#"Jan 05 zscaler-nss NSS {"day":"05","url":"a.com/%22x%22","size":"12"}"#)?;
/// assert_eq!(record.path, ParsePath::Exact);
/// assert_eq!(record.get("eurl").map(|v| v.decode()).as_deref(), Some(r#"a.com/"x""#));
/// assert_eq!(record.get("reqsize").map(|v| v.to::<u64>()), Some(Ok(12)));
///
/// // A relay stripped the header and re-spaced the JSON.
/// let record = parser.parse(r#"{ "size": "12", "day": "05", "url": "a.com/" }"#)?;
/// assert_eq!(record.path, ParsePath::Json);
/// assert!(record.get("mon").is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Parser {
    format: String,
    plan: Plan,
    /// Field name to index in the plan's fields.
    index: Index,
}

mod spare {
    //! The value buffers of dropped records, for the next lines parsed on the same thread to reuse.
    //! A line's values are one allocation (some 1.4 KB for a web line), past glibc's per-thread
    //! cache; allocated and freed per line, it made malloc merge and split the chunk beside it on
    //! every line, or not, by the heap's layout: the interpreter ran at 2.6 or 3.7 GB/s on the same
    //! lines, run to run. Thread-local rather than in the parser: a lock per line cost more.

    use std::cell::RefCell;

    use super::Value;

    /// Buffers kept at most per thread: one per record alive at once, for a few.
    const KEPT: usize = 4;

    thread_local! {
        static SPARE: RefCell<Vec<Vec<Option<Value<'static>>>>> = const { RefCell::new(Vec::new()) };
    }

    /// `len` empty values, in a reused buffer when one is spare.
    pub(super) fn take<'a>(len: usize) -> Vec<Option<Value<'a>>> {
        let spare = SPARE.try_with(|spare| spare.try_borrow_mut().ok()?.pop()).ok().flatten();
        // `Value` is covariant: an empty buffer of `'static` values holds `'a` ones as well.
        let mut values: Vec<Option<Value<'a>>> = spare.unwrap_or_default();
        values.resize(len, None);
        values
    }

    /// Keeps `values`' allocation for a later line.
    pub(super) fn put(mut values: Vec<Option<Value<'_>>>) {
        if values.capacity() == 0 {
            return;
        }
        values.clear();
        // Collecting an emptied `Vec` through `into_iter().map()` into a type of the same
        // layout reuses its allocation: the buffer outlives the line's lifetime, empty.
        let values: Vec<Option<Value<'static>>> = values.into_iter().map(|_| None).collect();
        // During thread teardown the buffer is simply freed.
        let _ = SPARE.try_with(|spare| {
            if let Ok(mut spare) = spare.try_borrow_mut() {
                if spare.len() < KEPT {
                    spare.push(values);
                }
            }
        });
    }
}

impl Parser {
    /// Compiles a format; every field is taken as [`Encoding::Plain`].
    #[cfg(feature = "interpreter")]
    pub fn compile(format: &str) -> Result<Parser, CompileError> {
        Self::compile_with(format, |_| Encoding::Plain)
    }

    /// Compiles a format, asking `encoding` how NSS encodes each field name (`eurl` → `Hex`;
    /// the CLI answers from the catalog).
    #[cfg(feature = "interpreter")]
    pub fn compile_with(format: &str, encoding: impl Fn(&str) -> Encoding) -> Result<Parser, CompileError> {
        let ast = nssgen_syntax::parse(format).map_err(CompileError::Syntax)?;
        let plan = nssgen_syntax::plan::compile(&ast, encoding).map_err(|pair| CompileError::Ambiguous {
            first: pair.first,
            second: pair.second,
            offset: pair.second_span.start,
        })?;
        let index = plan.fields.iter().enumerate().map(|(i, f)| (Box::from(&*f.name), i)).collect();
        Ok(Parser { format: format.to_string(), plan, index })
    }

    /// The format this parser was compiled from.
    pub fn format(&self) -> &str {
        &self.format
    }

    /// The distinct fields, in the order they first appear: name, conversion, encoding.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = (&str, Conversion, Encoding)> + '_ {
        self.plan.fields.iter().map(|f| (&*f.name, f.conv, f.encoding))
    }

    /// Whether lines that drifted from the format are read through the JSON fallback (the
    /// format's body, from its first `{`, is JSON).
    pub fn has_json_body(&self) -> bool {
        self.plan.body.as_ref().is_some_and(|b| b.skeleton.is_some())
    }

    /// The plan this parser executes.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Parses one line (without its final newline): exactly, then without the syslog header,
    /// then (JSON-bodied formats) through the JSON fallback.
    ///
    /// A line that fails every path gives the exact walk's error, unless its body is JSON that
    /// does not fit the format: then the JSON fallback's error. Two occurrences of a field with
    /// different values (header and body) are an error at once: no other path is tried.
    pub fn parse<'p, 'a>(&'p self, line: &'a str) -> Result<Record<'p, 'a>, ParseError> {
        self.read(line, true)
    }

    /// Parses one line by the format's literal text alone: exactly, or its body exactly when
    /// it lost its syslog header, never through the JSON fallback, which reads a line of
    /// another format too. A line read here was printed by this format (or one that prints the
    /// same text): this tells which of several formats a line comes from.
    pub fn parse_literal<'p, 'a>(&'p self, line: &'a str) -> Result<Record<'p, 'a>, ParseError> {
        self.read(line, false)
    }

    /// Parses one line only when the format prints it whole, exactly ([`ParsePath::Exact`]):
    /// `None` for any other line, no other path tried. What [`crate::NssRecord::parse_exact`]
    /// is for a derived parser.
    pub fn parse_exact<'p, 'a>(&'p self, line: &'a str) -> Option<Record<'p, 'a>> {
        walk(&self.plan, &self.plan.exact, line, 0).ok().map(|found| self.record(found, ParsePath::Exact))
    }

    fn read<'p, 'a>(&'p self, line: &'a str, json: bool) -> Result<Record<'p, 'a>, ParseError> {
        read_paths(&self.plan, line, json, |found, path| Ok(self.record(found, path)))
    }

    /// The record of what `path` found: a field holding its own unsubstituted spec is missing.
    fn record<'p, 'a>(&'p self, mut found: Found<'a>, path: ParsePath) -> Record<'p, 'a> {
        let mut values = std::mem::take(&mut found.values);
        for (slot, info) in values.iter_mut().zip(self.plan.fields.iter()) {
            if slot.as_ref().is_some_and(|v| v.raw.starts_with('%') && is_own_spec(&v.raw, &info.name)) {
                *slot = None;
            }
        }
        Record { parser: self, path, values, drift: found.drift }
    }
}

/// The values one path found in a line, by field index: raw text (unsubstituted specs kept,
/// for the caller to read as missing) and offset in the line.
#[derive(Debug)]
pub(crate) struct Found<'a> {
    pub(crate) values: Vec<Option<Value<'a>>>,
    /// The offset reported for a field the line lacks: 0 on the walks, the body's start on the
    /// JSON fallback.
    pub(crate) absent: usize,
    /// How the line drifted from the format (JSON fallback only).
    pub(crate) drift: Option<Box<Drift>>,
}

/// Reads `line` as `plan` says, the one order of paths for the interpreter and the derived
/// parsers alike: exactly; then the body alone, without the syslog header; then (JSON bodies)
/// through the JSON fallback. `build` turns what a path found into the caller's record and may
/// refuse it (a derived record whose member does not convert): the next path is then tried.
///
/// A line that fails every path gives the exact walk's error (or `build`'s on it), unless its
/// body is JSON that does not fit the format: then the JSON fallback's error, or `build`'s on
/// what the fallback found. Two occurrences of a field with different values on the exact
/// walk are an error at once: the line matched the format's shape and contradicts itself.
pub(crate) fn read<'a, T>(
    plan: &Plan,
    line: &'a str,
    build: impl FnMut(Found<'a>, ParsePath) -> Result<T, ParseError>,
) -> Result<T, ParseError> {
    read_paths(plan, line, true, build)
}

/// [`read`], with the JSON fallback only when `json` is set.
fn read_paths<'a, T>(
    plan: &Plan,
    line: &'a str,
    json: bool,
    mut build: impl FnMut(Found<'a>, ParsePath) -> Result<T, ParseError>,
) -> Result<T, ParseError> {
    let exact = match walk(plan, &plan.exact, line, 0).and_then(|found| build(found, ParsePath::Exact)) {
        Ok(record) => return Ok(record),
        Err(err) if matches!(err.kind, ParseErrorKind::Disagree { .. }) => return Err(err),
        Err(err) => err,
    };
    let Some(body) = &plan.body else { return Err(exact) };
    let start = crate::walk::body_start(line);
    if let (Some(headless), Some(start)) = (&body.headless, start) {
        if let Ok(record) =
            walk(plan, headless, line, start).and_then(|found| build(found, ParsePath::Headless))
        {
            return Ok(record);
        }
    }
    if !json {
        return Err(exact);
    }
    match read_json(plan, body, start, line) {
        Ok(found) => build(found, ParsePath::Json),
        Err(Failure::NotJson) => Err(exact),
        Err(Failure::Mismatch(err)) => Err(err),
    }
}

/// One walk over `line` from `start`, with agreement of repeated fields.
fn walk<'a>(plan: &Plan, walk: &Walk, line: &'a str, start: usize) -> Result<Found<'a>, ParseError> {
    let fields = &plan.fields;
    let mut values: Vec<Option<Value<'a>>> = spare::take(fields.len());
    let walked = crate::walk::run(walk, line, start, Origin::at(0), fields, |field, text, offset| {
        store(&mut values, fields, field, Cow::Borrowed(text), offset)
    });
    match walked {
        Ok(()) => Ok(Found { values, absent: 0, drift: None }),
        Err(err) => {
            spare::put(values);
            Err(err)
        }
    }
}

/// The JSON fallback alone: the header walked if the line kept it, the body (from `start`,
/// the line's first `{`) read as JSON.
fn read_json<'a>(
    plan: &Plan,
    body: &Body,
    start: Option<usize>,
    line: &'a str,
) -> Result<Found<'a>, Failure> {
    let skeleton = body.skeleton.as_ref().ok_or(Failure::NotJson)?;
    let start = start.ok_or(Failure::NotJson)?;
    let fields = &plan.fields;
    let mut values: Vec<Option<Value<'a>>> = spare::take(fields.len());
    // A header that does not match (another syslog flavour) is skipped: its fields are then
    // missing, the body still counts.
    let mut header = Vec::new();
    let head = line.get(..start).unwrap_or("");
    let walked = crate::walk::run(&body.header, head, 0, Origin::at(0), fields, |field, text, offset| {
        header.push((field, text, offset));
        Ok(())
    });
    let mut sink =
        |field: usize, text: Cow<'a, str>, offset: usize| store(&mut values, fields, field, text, offset);
    let header = if walked.is_ok() { header } else { Vec::new() };
    let read = header
        .into_iter()
        .try_for_each(|(field, text, offset)| sink(field, Cow::Borrowed(text), offset))
        .map_err(Failure::Mismatch)
        .and_then(|()| crate::json::read(skeleton, line, start, fields, &mut sink));
    match read {
        Ok(read) => Ok(Found { values, absent: start, drift: Drift::new(read.drifted, read.extra) }),
        Err(failure) => {
            spare::put(values);
            Err(failure)
        }
    }
}

/// Stores `text` as `field`'s value, or, when the line already gave one, checks that both are
/// the same: a field printed twice holds one value.
#[inline]
fn store<'a>(
    values: &mut [Option<Value<'a>>],
    fields: &[Field],
    field: usize,
    text: Cow<'a, str>,
    offset: usize,
) -> Result<(), ParseError> {
    let (Some(slot), Some(info)) = (values.get_mut(field), fields.get(field)) else {
        return Ok(());
    };
    match slot {
        Some(first) if *first.raw != *text => {
            let kind = ParseErrorKind::Disagree { first: first.raw.to_string(), second: text.into_owned() };
            Err(crate::walk::error(offset, Some(info.name.to_string()), kind))
        }
        Some(_) => Ok(()),
        None => {
            *slot = Some(Value { raw: text, conv: info.conv, encoding: info.encoding, offset });
            Ok(())
        }
    }
}

/// Keeps a dropped line's value buffer for the next line.
pub(crate) fn recycle(values: Vec<Option<Value<'_>>>) {
    spare::put(values);
}

/// One parsed line: a value for each field the line held.
#[derive(Clone, Debug)]
pub struct Record<'p, 'a> {
    parser: &'p Parser,
    /// Which path parsed the line.
    pub path: ParsePath,
    values: Vec<Option<Value<'a>>>,
    drift: Option<Box<Drift>>,
}

impl Drop for Record<'_, '_> {
    fn drop(&mut self) {
        spare::put(std::mem::take(&mut self.values));
    }
}

impl<'p, 'a> Record<'p, 'a> {
    /// The value of a field, `None` when the format has no such field or the line lacked it
    /// (JSON fallback: key absent, or the value was its own unsubstituted spec).
    pub fn get(&self, name: &str) -> Option<&Value<'a>> {
        let &index = self.parser.index.get(name)?;
        self.values.get(index)?.as_ref()
    }

    /// How the line drifted from the format, when it did (see [`Drift`]).
    pub fn drift(&self) -> Option<&Drift> {
        self.drift.as_deref()
    }

    /// The record, unless a key's value drifted from the format: then the error reading the
    /// line strictly gives, as before drift was read.
    pub fn strict(self) -> Result<Self, ParseError> {
        Drift::allow_strictly(self.drift.as_deref())?;
        Ok(self)
    }

    /// Every field the line held, in format order: name and value.
    pub fn iter(&self) -> impl Iterator<Item = (&'p str, &Value<'a>)> + '_ {
        let parser: &'p Parser = self.parser;
        parser
            .plan
            .fields
            .iter()
            .zip(&self.values)
            .filter_map(|(info, value)| Some((&*info.name, value.as_ref()?)))
    }
}

/// One field's value in a parsed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value<'a> {
    /// The text as the line holds it (owned only when the JSON fallback unescaped it).
    pub raw: Cow<'a, str>,
    /// The field's conversion in the format.
    pub conv: Conversion,
    /// How NSS encoded it.
    pub encoding: Encoding,
    /// Byte offset of the value in the line (of the JSON value, when the fallback unescaped it).
    pub offset: usize,
}

impl<'a> Value<'a> {
    /// The decoded text (hex `%HH` or base64 undone).
    pub fn decode(&self) -> Cow<'_, str> {
        crate::field::decode(&self.raw, self.encoding)
    }

    /// Whether the value is a "no value" placeholder.
    pub fn is_placeholder(&self) -> bool {
        crate::is_placeholder(&self.raw)
    }

    /// Converts the value as the derive would for a struct field of type `T`.
    pub fn to<T: FromField<'a>>(&self) -> Result<T, FieldError> {
        match &self.raw {
            Cow::Borrowed(text) => T::from_field(text, self.encoding),
            Cow::Owned(text) => T::from_owned(text.clone(), self.encoding),
        }
    }
}

// The tests compile formats at run time (`Parser::compile`).
#[cfg(all(test, feature = "interpreter"))]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_records_buffer_serves_the_next_line() {
        let parser = Parser::compile("%s{a} %s{b}").expect("compiles");
        let first = parser.parse("x y").expect("parses");
        let buffer = first.values.as_ptr();
        drop(first);
        let second = parser.parse("z w").expect("parses");
        assert_eq!(second.values.as_ptr(), buffer, "the allocation was not reused");
        assert_eq!(second.get("b").map(|v| v.raw.as_ref()), Some("w"));
        // Records alive at once each have their own buffer, and every field starts empty.
        let third = parser.parse("p q").expect("parses");
        assert_ne!(third.values.as_ptr(), second.values.as_ptr());
        drop((second, third));
        let after_json = parser.parse("u").map(|r| r.iter().count());
        assert!(after_json.is_err());
        let fourth = parser.parse("m n").expect("parses");
        assert_eq!(
            fourth.iter().map(|(k, v)| (k, v.raw.to_string())).collect::<Vec<_>>(),
            [("a", "m".to_string()), ("b", "n".to_string())]
        );
    }
}
