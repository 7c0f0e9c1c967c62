//! The runtime interpreter: a format compiled at run time, then lines parsed into
//! (field, value) pairs the same way the derived parsers read them.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use nssgen_syntax::{Conversion, FieldSpec, Item, ParseErrors};

use crate::json::{Failure, Skeleton};
use crate::walk::{is_own_spec, FieldInfo, Index, Origin, Piece, Walk};
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

/// A parsed record and the path that parsed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The record.
    pub record: T,
    /// Which path parsed it.
    pub path: ParsePath,
}

/// Why a format cannot be compiled into a parser.
#[derive(Debug)]
#[non_exhaustive]
pub enum CompileError {
    /// The format does not parse.
    Syntax(ParseErrors),
    /// Two fields follow each other with no literal between them: no parser can split them.
    Ambiguous {
        /// The first field's name.
        first: String,
        /// The second field's name.
        second: String,
        /// Byte offset of the second spec in the format.
        offset: usize,
    },
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Syntax(errors) => write!(f, "{errors}"),
            CompileError::Ambiguous { first, second, offset } => write!(
                f,
                "at byte {offset}: `{second}` follows `{first}` with no literal between them, \
                 so no parser can tell where one ends"
            ),
        }
    }
}

impl std::error::Error for CompileError {}

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
    fields: Vec<FieldInfo>,
    /// Field name to index in `fields`; shared with the JSON fallback's results.
    index: Arc<Index>,
    exact: Walk,
    /// The body alone, when the format has a header and a body.
    headless: Option<Walk>,
    json: Option<JsonBody>,
}

/// What the JSON fallback needs: the header walk (for lines that kept their header) and the
/// body's skeleton.
#[derive(Clone, Debug)]
struct JsonBody {
    header: Walk,
    skeleton: Skeleton,
}

/// The value of each field found by the JSON fallback, with its offset in the line.
pub(crate) type Found<'a> = Vec<Option<(Cow<'a, str>, usize)>>;

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
    pub fn compile(format: &str) -> Result<Parser, CompileError> {
        Self::compile_with(format, |_| Encoding::Plain)
    }

    /// Compiles a format, asking `encoding` how NSS encodes each field name (`eurl` → `Hex`;
    /// the CLI answers from the catalog).
    pub fn compile_with(format: &str, encoding: impl Fn(&str) -> Encoding) -> Result<Parser, CompileError> {
        let ast = nssgen_syntax::parse(format).map_err(CompileError::Syntax)?;
        let mut previous: Option<&FieldSpec> = None;
        for item in &ast.items {
            match item {
                Item::Field(spec) => {
                    if let Some(first) = previous {
                        return Err(CompileError::Ambiguous {
                            first: first.name.clone(),
                            second: spec.name.clone(),
                            offset: spec.span.start,
                        });
                    }
                    previous = Some(spec);
                }
                Item::Literal(lit) if !lit.text.is_empty() => previous = None,
                Item::Literal(_) => {}
            }
        }

        let mut fields: Vec<FieldInfo> = Vec::new();
        let mut index = Index::default();
        let mut pieces = Vec::with_capacity(ast.items.len() + 1);
        // The index of the piece where the body starts: the literal split at the first `{`.
        let mut body_at: Option<usize> = None;
        let last = ast.items.len().saturating_sub(1);
        for (at, item) in ast.items.iter().enumerate() {
            match item {
                Item::Literal(lit) => {
                    // A format ending in `\n` (Elastic's alerts, the sc4s key-value formats) ends
                    // with NSS's line terminator, and lines come without their final newline.
                    let text = match lit.text.strip_suffix('\n') {
                        Some(text) if at == last => text,
                        _ => &lit.text,
                    };
                    match text.find('{') {
                        Some(brace) if body_at.is_none() => {
                            pieces.push(Piece::Lit(&text[..brace]));
                            body_at = Some(pieces.len());
                            pieces.push(Piece::Lit(&text[brace..]));
                        }
                        _ => pieces.push(Piece::Lit(text)),
                    }
                }
                Item::Field(spec) => {
                    let field = *index.entry(spec.name.as_str().into()).or_insert_with(|| {
                        fields.push(FieldInfo {
                            name: spec.name.as_str().into(),
                            conv: spec.conv,
                            encoding: encoding(&spec.name),
                        });
                        fields.len() - 1
                    });
                    let width = spec.width.map_or(0, |w| w as usize);
                    pieces.push(Piece::Field { field, width });
                }
            }
        }

        // The ambiguity check above ran on the same items, so these walks build.
        let build = |pieces: &[Piece<'_>]| {
            Walk::new(pieces.iter().copied()).map_err(|(a, b)| {
                let name = |i: usize| match pieces.get(i) {
                    Some(Piece::Field { field, .. }) => fields.get(*field).map(|f| f.name.to_string()),
                    _ => None,
                };
                CompileError::Ambiguous {
                    first: name(a).unwrap_or_default(),
                    second: name(b).unwrap_or_default(),
                    offset: 0,
                }
            })
        };
        let exact = build(&pieces)?;
        let (headless, json) = match body_at {
            Some(at) => {
                let (header, body) = pieces.split_at(at);
                let header = build(header)?;
                let headless = if header.is_empty() { None } else { Some(build(body)?) };
                let json = Skeleton::new(body).map(|skeleton| JsonBody { header, skeleton });
                (headless, json)
            }
            None => (None, None),
        };
        Ok(Parser { format: format.to_string(), fields, index: Arc::new(index), exact, headless, json })
    }

    /// The format this parser was compiled from.
    pub fn format(&self) -> &str {
        &self.format
    }

    /// The distinct fields, in the order they first appear: name, conversion, encoding.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = (&str, Conversion, Encoding)> + '_ {
        self.fields.iter().map(|f| (&*f.name, f.conv, f.encoding))
    }

    /// Whether lines that drifted from the format are read through the JSON fallback (the
    /// format's body, from its first `{`, is JSON).
    pub fn has_json_body(&self) -> bool {
        self.json.is_some()
    }

    /// Parses one line (without its final newline): exactly, then without the syslog header,
    /// then (JSON-bodied formats) through the JSON fallback.
    ///
    /// A line that fails every path gives the exact walk's error, unless its body is JSON that
    /// does not fit the format: then the JSON fallback's error. Two occurrences of a field with
    /// different values (header and body) are an error at once: no other path is tried.
    pub fn parse<'p, 'a>(&'p self, line: &'a str) -> Result<Record<'p, 'a>, ParseError> {
        let record = |values, path| Record { parser: self, path, values };
        let exact = match self.walk(&self.exact, line, 0) {
            Ok(values) => return Ok(record(values, ParsePath::Exact)),
            Err(err) if matches!(err.kind, ParseErrorKind::Disagree { .. }) => return Err(err),
            Err(err) => err,
        };
        if let (Some(body), Some(start)) = (&self.headless, crate::__private::body_start(line)) {
            if let Ok(values) = self.walk(body, line, start) {
                return Ok(record(values, ParsePath::Headless));
            }
        }
        match self.read_json(line) {
            Ok(found) => {
                let values = found
                    .into_iter()
                    .zip(&self.fields)
                    .map(|(found, info)| {
                        let (raw, _) = found.filter(|(raw, _)| !is_own_spec(raw, &info.name))?;
                        Some(Value { raw, conv: info.conv, encoding: info.encoding })
                    })
                    .collect();
                Ok(record(values, ParsePath::Json))
            }
            Err(Failure::NotJson) => Err(exact),
            Err(Failure::Mismatch(err)) => Err(err),
        }
    }

    /// One walk over `line` from `start`, with agreement of repeated fields and unsubstituted
    /// specs read as missing.
    fn walk<'a>(
        &self,
        walk: &Walk,
        line: &'a str,
        start: usize,
    ) -> Result<Vec<Option<Value<'a>>>, ParseError> {
        let mut values: Vec<Option<Value<'a>>> = spare::take(self.fields.len());
        walk.run(line, start, Origin::at(0), &self.fields, |field, text, offset| {
            let (Some(slot), Some(info)) = (values.get_mut(field), self.fields.get(field)) else {
                return Ok(());
            };
            match slot {
                Some(first) if first.raw != text => Err(disagree(&info.name, &first.raw, text, offset)),
                Some(_) => Ok(()),
                None => {
                    *slot =
                        Some(Value { raw: Cow::Borrowed(text), conv: info.conv, encoding: info.encoding });
                    Ok(())
                }
            }
        })?;
        for (slot, info) in values.iter_mut().zip(&self.fields) {
            if slot.as_ref().is_some_and(|v| v.raw.starts_with('%') && is_own_spec(&v.raw, &info.name)) {
                *slot = None;
            }
        }
        Ok(values)
    }

    /// The JSON fallback alone: the header walked if the line kept it, the body read as JSON.
    /// Unsubstituted specs are kept (callers decide they are missing).
    pub(crate) fn read_json<'a>(&self, line: &'a str) -> Result<Found<'a>, Failure> {
        let json = self.json.as_ref().ok_or(Failure::NotJson)?;
        let body = crate::__private::body_start(line).ok_or(Failure::NotJson)?;
        let mut found: Found<'a> = vec![None; self.fields.len()];
        let fields = &self.fields;
        let mut sink = |field: usize, text: Cow<'a, str>, offset: usize| {
            let (Some(slot), Some(info)) = (found.get_mut(field), fields.get(field)) else {
                return Ok(());
            };
            match slot {
                Some((first, _)) if *first != text => Err(disagree(&info.name, first, &text, offset)),
                Some(_) => Ok(()),
                None => {
                    *slot = Some((text, offset));
                    Ok(())
                }
            }
        };
        // A header that does not match (another syslog flavour) is skipped: its fields are
        // then missing, the body still counts.
        let mut header = Vec::new();
        let head = line.get(..body).unwrap_or("");
        let walked = json.header.run(head, 0, Origin::at(0), fields, |field, text, offset| {
            header.push((field, text, offset));
            Ok(())
        });
        if walked.is_ok() {
            for (field, text, offset) in header {
                sink(field, Cow::Borrowed(text), offset).map_err(Failure::Mismatch)?;
            }
        }
        json.skeleton.read(line, body, fields, &mut sink)?;
        Ok(found)
    }

    /// Field name to index, shared with the JSON fallback's results.
    pub(crate) fn index(&self) -> &Arc<Index> {
        &self.index
    }
}

fn disagree(field: &str, first: &str, second: &str, offset: usize) -> ParseError {
    let kind = ParseErrorKind::Disagree { first: first.to_string(), second: second.to_string() };
    ParseError { offset, field: Some(field.to_string()), kind }
}

/// One parsed line: a value for each field the line held.
#[derive(Clone, Debug)]
pub struct Record<'p, 'a> {
    parser: &'p Parser,
    /// Which path parsed the line.
    pub path: ParsePath,
    values: Vec<Option<Value<'a>>>,
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

    /// Every field the line held, in format order: name and value.
    pub fn iter(&self) -> impl Iterator<Item = (&'p str, &Value<'a>)> + '_ {
        let parser: &'p Parser = self.parser;
        parser
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

#[cfg(test)]
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
