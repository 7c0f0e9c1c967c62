//! The plan of a format: how a line printed by it is read back, compiled once from the AST.
//!
//! Every rule about reading lines is written here and nowhere else: the final `\n` as the
//! record terminator, the body split at the first `{` of the literal text, two fields with no
//! literal between them, the width a value is at least, the literal that ends each value
//! (and the last literal, which ends the line), and the JSON skeleton of the body. The runtime
//! interpreter (`nssgen::Parser`) executes a [`Plan`]; `#[derive(NssRecord)]` unrolls the same
//! plan into straight-line code and emits it as static data for the paths it does not unroll,
//! so a derived parser parses no format at run time.
//!
//! Text and lists are [`Str`] and [`List`]: owned when a plan is compiled at run time,
//! `&'static` when generated code writes one down as a constant.
//!
//! ```
//! use nssgen_syntax::plan::{self, End, Encoding};
//!
//! let format = nssgen_syntax::parse(r#"<%d{pri}> \{"url":"%s{eurl}","n":%d{n}\}\n"#)?;
//! let plan = plan::compile(&format, |name| if name == "eurl" { Encoding::Hex } else { Encoding::Plain })
//!     .expect("no two fields touch");
//! assert_eq!(plan.exact.lead.as_deref(), Some("<"));
//! // The final `\n` is the record terminator: the line ends with `}`, and the last value
//! // runs up to where that literal ends the line.
//! assert_eq!(plan.exact.steps.last().map(|s| &s.end), Some(&End::Last("}".into())));
//! let body = plan.body.as_ref().expect("a `{` starts a body");
//! assert_eq!(body.headless.as_ref().and_then(|w| w.lead.as_deref()), Some(r#"{"url":""#));
//! assert!(body.skeleton.is_some());
//! assert_eq!(plan.fields[1].encoding, Encoding::Hex);
//! # Ok::<(), nssgen_syntax::SyntaxErrors>(())
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Deref;

use crate::ast::{Conversion, FieldSpec, Format, Item, Span};

/// Text of a plan: owned when compiled at run time, borrowed from a constant in generated code.
pub type Str = Cow<'static, str>;

/// A list of a plan: a `Vec` when compiled at run time, a static slice in generated code. (Not
/// a `Cow`: a `Cow` of a type that holds itself does not resolve `Clone`.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum List<T: 'static> {
    /// Written down in generated code.
    Static(&'static [T]),
    /// Compiled at run time.
    Owned(Vec<T>),
}

impl<T> Deref for List<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            List::Static(items) => items,
            List::Owned(items) => items,
        }
    }
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List::Static(&[])
    }
}

/// How NSS encoded a field's value in the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// Printed as is (`%s{url}`, `%d{reqsize}`).
    #[default]
    Plain,
    /// `e` variants (`%s{eurl}`): bytes <= 0x20, >= 0x7F and the feed's escape characters as
    /// `%HH`. `%` itself is not encoded, so only `%` followed by two hex digits is decoded.
    Hex,
    /// `b64` variants (`%s{b64url}`): standard base64.
    Base64,
}

/// A compiled format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The distinct fields, in the order they first appear; steps refer to them by index.
    pub fields: List<Field>,
    /// The whole line.
    pub exact: Walk,
    /// Set when the format's literal text holds a `{`: the line has a body from there on.
    pub body: Option<Body>,
}

/// A distinct field of a format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Its name (`eurl`).
    pub name: Str,
    /// The conversion of its first occurrence.
    pub conv: Conversion,
    /// How NSS encodes its value.
    pub encoding: Encoding,
}

/// A walk over text: a literal it starts with, then each field with what ends its value.
///
/// Each literal must sit at the current position; each value runs to the first occurrence of
/// the whole next literal at or after `width` bytes (printf pads a value to at least `width`
/// characters, hence bytes, so a space-padded `%2d` value ` 5` is not cut at its own
/// padding). The walk must consume all of the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Walk {
    /// Literal text before the first field (or the whole text, when there is no field).
    pub lead: Option<Str>,
    /// The fields in order, each with the literal after it.
    pub steps: List<Step>,
}

impl Walk {
    /// Whether the walk holds no literal and no field: it matches only empty text.
    pub fn is_empty(&self) -> bool {
        self.lead.is_none() && self.steps.is_empty()
    }
}

/// One field occurrence of a walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Index in [`Plan::fields`].
    pub field: usize,
    /// The spec's printf width: the value is at least this many bytes long.
    pub width: usize,
    /// What ends the value.
    pub end: End,
}

/// What ends a field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// The first occurrence of this literal at or after the value's width; the walk goes on
    /// after it.
    Next(Str),
    /// This literal ends the text: the value runs up to that final occurrence, not the first
    /// (Elastic's `"postaction":%s{postaction}\}\}` value is a JSON object ending in `}`).
    Last(Str),
    /// The end of the text: the field is the last item.
    Rest,
}

/// The body of a line: from its first `{` on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The header: the text before the line's first `{`, walked with its last literal ending
    /// it. Empty when the format starts with its body.
    pub header: Walk,
    /// The body alone, for lines whose header a relay stripped; `None` when the format has
    /// no header (then [`Plan::exact`] is the body).
    pub headless: Option<Walk>,
    /// The body's JSON shape, when the body is JSON with an object at its root: lines whose
    /// body drifted from the format (spacing, key order, a relay's re-serialisation) are read
    /// as JSON through it.
    pub skeleton: Option<List<Member>>,
}

/// A key of a JSON object in the skeleton and what the format puts there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The key.
    pub key: Str,
    /// Its value's shape.
    pub node: Node,
}

/// The shape of a JSON value in the skeleton.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// An object: its keys in format order.
    Object(List<Member>),
    /// An array: its items in order.
    Array(List<Node>),
    /// A string holding at least one spec (`"IPSEC IKEV %d{ikeversion}"`): walked against the
    /// line's string.
    Str(Walk),
    /// A string without specs: a constant the line repeats if it has the key.
    Const(Str),
    /// A spec outside quotes (Elastic's `"preaction":%s{preaction}`): the raw JSON text of the
    /// line's value, a field index.
    Bare(usize),
    /// A number, `true`, `false` or `null` written in the format: nothing to read.
    Other,
}

/// The keys by which Zscaler's JSON bodies name their log type (`"sourcetype":"zscalernss-web"`,
/// Elastic's `"sourcesubtype":"crm"`): a line whose constant there differs from the format's
/// is a line of another log type, never a line whose constant drifted.
pub const IDENTITY_KEYS: [&str; 2] = ["sourcetype", "sourcesubtype"];

/// The constants a skeleton's root prints under [`IDENTITY_KEYS`]: the log type a body names
/// (`("sourcetype", "zscalernss-web")`).
pub fn identity(skeleton: &[Member]) -> impl Iterator<Item = (&str, &str)> + '_ {
    skeleton.iter().filter_map(|m| match &m.node {
        Node::Const(value) if IDENTITY_KEYS.contains(&&*m.key) => Some((&*m.key, &**value)),
        _ => None,
    })
}

/// The leaf keys of a skeleton (members whose value is not an object), in format order: each
/// with its path of keys from the root and its node.
pub fn leaf_keys(skeleton: &[Member]) -> Vec<(Vec<&str>, &Node)> {
    fn walk<'s>(members: &'s [Member], path: &mut Vec<&'s str>, out: &mut Vec<(Vec<&'s str>, &'s Node)>) {
        for Member { key, node } in members {
            path.push(key);
            match node {
                Node::Object(children) => walk(children, path, out),
                _ => out.push((path.clone(), node)),
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(skeleton, &mut Vec::new(), &mut out);
    out
}

/// The name a leaf key goes by wherever keys are reported (a line's drifted keys, the keys one
/// format adds to another): its own name (`tunneltype`, not `event.tunneltype`), or, when
/// another leaf of `leaves` has the same name, its path from the root joined with `.`.
pub fn key_name(leaves: &[(Vec<&str>, &Node)], path: &[&str]) -> String {
    let Some(&last) = path.last() else { return String::new() };
    let shared = leaves.iter().filter(|(other, _)| other.last() == Some(&last)).count() > 1;
    if shared {
        path.join(".")
    } else {
        last.to_owned()
    }
}

/// The keys of a format without a JSON body (`name="%s{x}"`, `name=%d{y}`, `name="constant"`,
/// Sekoia's 2025 RFC5424 strings, the sc4s tab-separated ones), in format order, each once:
/// every name directly before an `=` that a quote or a spec follows, outside quoted values.
/// A name is the run of letters, digits, `_`, `-` and `.` before the `=` (`event=datetime="`
/// names `datetime`; `event=` followed by text names nothing).
pub fn pair_keys(format: &Format) -> Vec<String> {
    // The printed text, each spec standing as one marker character.
    let mut text = String::new();
    for item in &format.items {
        match item {
            Item::Literal(lit) => text.push_str(&lit.text),
            Item::Field(_) => text.push(IN_STRING),
        }
    }
    let is_name = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    let mut keys: Vec<String> = Vec::new();
    let mut quoted = false;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '=' if !quoted && matches!(chars.peek(), Some((_, '"' | IN_STRING))) => {
                let before = &text[..at];
                let name = &before[before.trim_end_matches(is_name).len()..];
                if !name.is_empty() && !keys.iter().any(|k| k == name) {
                    keys.push(name.to_owned());
                }
            }
            _ => {}
        }
    }
    keys
}

/// Two fields with no literal between them: no parser can tell where one ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjacent {
    /// The first field's name.
    pub first: String,
    /// Its spec's span.
    pub first_span: Span,
    /// The second field's name.
    pub second: String,
    /// Its spec's span.
    pub second_span: Span,
}

/// Compiles a format into its plan, asking `encoding` how NSS encodes each field name.
/// Fails with the first two fields that have no literal between them ([`adjacent_fields`]
/// gives every such pair).
pub fn compile(format: &Format, encoding: impl Fn(&str) -> Encoding) -> Result<Plan, Adjacent> {
    if let Some(first) = adjacent_fields(format).into_iter().next() {
        return Err(first);
    }
    let mut fields: Vec<Field> = Vec::new();
    // Name to index: a format file may hold thousands of distinct fields, and a search of the
    // list per spec would make compiling it quadratic.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut pieces = Vec::with_capacity(format.items.len() + 1);
    // The index of the piece where the body starts: the literal split at the first `{`.
    let mut body_at: Option<usize> = None;
    let split = body_split(format);
    let mut literals = line_literals(format);
    for (at, item) in format.items.iter().enumerate() {
        match item {
            Item::Literal(_) => {
                let Some((_, text)) = literals.next() else { continue };
                match split {
                    Some((item, brace)) if item == at => {
                        pieces.push(Piece::Lit(&text[..brace]));
                        body_at = Some(pieces.len());
                        pieces.push(Piece::Lit(&text[brace..]));
                    }
                    _ => pieces.push(Piece::Lit(text)),
                }
            }
            Item::Field(spec) => {
                let field = *index.entry(spec.name.as_str()).or_insert_with(|| {
                    fields.push(Field {
                        encoding: encoding(&spec.name),
                        name: spec.name.clone().into(),
                        conv: spec.conv,
                    });
                    fields.len() - 1
                });
                pieces.push(Piece::Field { field, width: spec.width.map_or(0, |w| w as usize) });
            }
        }
    }
    let exact = walk(&pieces);
    let body = body_at.map(|at| {
        let (header, body) = pieces.split_at(at);
        let header = walk(header);
        let headless = if header.is_empty() { None } else { Some(walk(body)) };
        Body { header, headless, skeleton: skeleton(body) }
    });
    Ok(Plan { fields: List::Owned(fields), exact, body })
}

/// The text a format's last literal prints before the record terminator: a format ending in a
/// line break (`\n`, or `\r\n`; Elastic's alerts, the sc4s key-value formats) ends each record
/// with it, and lines are read without it, as `BufRead::lines` and every line reader give them.
pub fn without_terminator(last_literal: &str) -> &str {
    match last_literal.strip_suffix('\n') {
        Some(text) => text.strip_suffix('\r').unwrap_or(text),
        None => last_literal,
    }
}

/// Whether a format ends the record with a line break (see [`without_terminator`]).
pub fn has_terminator(format: &Format) -> bool {
    matches!(format.items.last(), Some(Item::Literal(lit)) if without_terminator(&lit.text).len() < lit.text.len())
}

/// Where the body starts: the index in `format.items` of the literal holding the first `{` of
/// the literal text, and the `{`'s byte offset in that literal's text. `None`: no body.
pub fn body_split(format: &Format) -> Option<(usize, usize)> {
    let last = format.items.len().saturating_sub(1);
    format.items.iter().enumerate().find_map(|(at, item)| match item {
        Item::Literal(lit) if at == last => without_terminator(&lit.text).find('{').map(|o| (at, o)),
        Item::Literal(lit) => lit.text.find('{').map(|o| (at, o)),
        Item::Field(_) => None,
    })
}

/// The text of each literal of `format` as lines hold it: the last one without the record
/// terminator. A line break left in one of them would split a record over two lines.
pub fn line_literals(format: &Format) -> impl Iterator<Item = (&crate::ast::Literal, &str)> + '_ {
    let last = format.items.len().saturating_sub(1);
    format.items.iter().enumerate().filter_map(move |(at, item)| match item {
        Item::Literal(lit) if at == last => Some((lit, without_terminator(&lit.text))),
        Item::Literal(lit) => Some((lit, lit.text.as_str())),
        Item::Field(_) => None,
    })
}

/// Every pair of field specs with no literal text between them.
pub fn adjacent_fields(format: &Format) -> Vec<Adjacent> {
    let mut pairs = Vec::new();
    let mut previous: Option<&FieldSpec> = None;
    for item in &format.items {
        match item {
            Item::Field(spec) => {
                if let Some(first) = previous {
                    pairs.push(Adjacent {
                        first: first.name.clone(),
                        first_span: first.span,
                        second: spec.name.clone(),
                        second_span: spec.span,
                    });
                }
                previous = Some(spec);
            }
            Item::Literal(lit) if !lit.text.is_empty() => previous = None,
            Item::Literal(_) => {}
        }
    }
    pairs
}

/// One element a walk is built from, before literals are merged.
#[derive(Clone, Copy, Debug)]
enum Piece<'s> {
    Lit(&'s str),
    Field { field: usize, width: usize },
}

/// A walk from pieces, merging adjacent literals and dropping empty ones. The caller has
/// checked that every two fields have literal text between them.
fn walk(pieces: &[Piece<'_>]) -> Walk {
    let mut lead = None;
    let mut steps: Vec<Step> = Vec::new();
    // Literal text seen since the last field, not yet attached to anything.
    let mut pending = String::new();
    for piece in pieces {
        match *piece {
            Piece::Lit(text) => pending.push_str(text),
            Piece::Field { field, width } => {
                let text = std::mem::take(&mut pending);
                match steps.last_mut() {
                    Some(step) => step.end = End::Next(text.into()),
                    None if !text.is_empty() => lead = Some(text.into()),
                    None => {}
                }
                steps.push(Step { field, width, end: End::Rest });
            }
        }
    }
    match steps.last_mut() {
        Some(step) if !pending.is_empty() => step.end = End::Last(pending.into()),
        None if !pending.is_empty() => lead = Some(pending.into()),
        _ => {}
    }
    Walk { lead, steps: List::Owned(steps) }
}

/// Opens the marker of a spec inside a JSON string (private-use characters: never in formats).
const IN_STRING: char = '\u{E000}';
/// Opens the marker of a spec outside quotes (it is put inside a string of its own).
const BARE: char = '\u{E002}';
/// Closes either marker.
const CLOSE: char = '\u{E001}';

/// The JSON shape of a body given as pieces: the body's text, each spec replaced by a marker,
/// parsed as JSON. `None` when it is not JSON with an object at its root.
fn skeleton(pieces: &[Piece<'_>]) -> Option<List<Member>> {
    let mut text = String::new();
    let mut occurrences = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    for piece in pieces {
        match *piece {
            Piece::Lit(lit) => {
                for c in lit.chars() {
                    text.push(c);
                    if escaped {
                        escaped = false;
                    } else if in_string && c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        in_string = !in_string;
                    }
                }
            }
            Piece::Field { field, width } => {
                let marker = occurrences.len();
                occurrences.push((field, width));
                let _ = if in_string {
                    write!(text, "{IN_STRING}{marker}{CLOSE}")
                } else {
                    write!(text, "\"{BARE}{marker}{CLOSE}\"")
                };
                escaped = false;
            }
        }
    }
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    match node(value, &occurrences)? {
        Node::Object(root) => Some(root),
        _ => None,
    }
}

/// A parsed skeleton value as a node, its markers read back.
fn node(value: serde_json::Value, occurrences: &[(usize, usize)]) -> Option<Node> {
    use serde_json::Value;
    Some(match value {
        Value::Object(map) => Node::Object(List::Owned(
            map.into_iter()
                .map(|(key, value)| Some(Member { key: key.into(), node: node(value, occurrences)? }))
                .collect::<Option<_>>()?,
        )),
        Value::Array(items) => {
            Node::Array(List::Owned(items.into_iter().map(|v| node(v, occurrences)).collect::<Option<_>>()?))
        }
        Value::String(s) => string_node(&s, occurrences)?,
        Value::Null | Value::Bool(_) | Value::Number(_) => Node::Other,
    })
}

fn string_node(s: &str, occurrences: &[(usize, usize)]) -> Option<Node> {
    if let Some(marker) = s.strip_prefix(BARE).and_then(|rest| rest.strip_suffix(CLOSE)) {
        let (field, _) = occurrences.get(marker.parse::<usize>().ok()?)?;
        return Some(Node::Bare(*field));
    }
    let mut pieces = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(IN_STRING) {
        pieces.push(Piece::Lit(&rest[..open]));
        let after = &rest[open + IN_STRING.len_utf8()..];
        let close = after.find(CLOSE)?;
        let &(field, width) = occurrences.get(after[..close].parse::<usize>().ok()?)?;
        pieces.push(Piece::Field { field, width });
        rest = &after[close + CLOSE.len_utf8()..];
    }
    if pieces.is_empty() {
        return Some(Node::Const(s.to_owned().into()));
    }
    pieces.push(Piece::Lit(rest));
    Some(Node::Str(walk(&pieces)))
}

#[cfg(all(test, feature = "grammar"))]
mod tests {
    use super::*;

    fn plan(source: &str) -> Plan {
        compile(&crate::parse(source).expect("parses"), |_| Encoding::Plain).expect("compiles")
    }

    fn lit(text: &str) -> Str {
        text.to_owned().into()
    }

    #[test]
    fn literals_merge_and_end_each_value() {
        let plan = plan("<%s{a}>  %2d{b}.%s{a}");
        assert_eq!(plan.exact.lead, Some(lit("<")));
        let ends: Vec<_> = plan.exact.steps.iter().map(|s| (s.field, s.width, s.end.clone())).collect();
        assert_eq!(ends, [(0, 0, End::Next(lit(">  "))), (1, 2, End::Next(lit("."))), (0, 0, End::Rest)]);
        assert_eq!(plan.fields.len(), 2);
        assert!(plan.body.is_none());
    }

    #[test]
    fn the_terminator_is_not_part_of_the_line() {
        let plan = plan(r"%s{a}|%s{b}.\n");
        assert_eq!(plan.exact.steps[1].end, End::Last(lit(".")));
        let plan = plan_of(r"%s{a}\n");
        assert_eq!(plan.exact.steps[0].end, End::Rest);
        let plan = plan_of(r"%s{a}.\r\n");
        assert_eq!(plan.exact.steps[0].end, End::Last(lit(".")));
        assert!(has_terminator(&crate::parse(r"%s{a}\r\n").expect("parses")));
        assert!(!has_terminator(&crate::parse(r"%s{a}\r").expect("parses")));
        // A `\n` in the middle is literal text.
        let plan = plan_of(r"%s{a}\n%s{b}");
        assert_eq!(plan.exact.steps[0].end, End::Next(lit("\n")));
    }

    /// [`plan`] under another name, for tests that bind their result to `plan`.
    fn plan_of(source: &str) -> Plan {
        plan(source)
    }

    #[test]
    fn leaf_keys_are_named_by_their_own_name_unless_it_repeats() {
        let plan = plan(r#"\{"st":"x","event":\{"a":"%s{a}","n":\{"a":%d{n},"b":"c"\}\}\}"#);
        let skeleton = plan.body.and_then(|b| b.skeleton).expect("JSON");
        let leaves = leaf_keys(&skeleton);
        let paths: Vec<_> = leaves.iter().map(|(p, _)| p.join("/")).collect();
        assert_eq!(paths, ["st", "event/a", "event/n/a", "event/n/b"]);
        let names: Vec<_> = leaves.iter().map(|(p, _)| key_name(&leaves, p)).collect();
        assert_eq!(names, ["st", "event.a", "event.n.a", "b"]);
    }

    #[test]
    fn pair_keys_are_the_names_before_a_quoted_or_spec_value() {
        let format = crate::parse(
            r#"<PRI>1 %d{yyyy} host - - - event=datetime="%d{yyyy}-%02d{mm}" a.b="%s{x}" product="NSS" n=%d{n} k=v t="a=%s{y}" datetime="%s{z}"\tecordid=%d{id}"#,
        )
        .expect("parses");
        // `a=` inside a quoted value names nothing; `datetime` repeats.
        assert_eq!(pair_keys(&format), ["datetime", "a.b", "product", "n", "t", "ecordid"]);
        assert!(pair_keys(&crate::parse("%s{a} %s{b}").expect("parses")).is_empty());
    }

    #[test]
    fn adjacent_fields_are_every_pair() {
        let format = crate::parse("%s{a}%s{b}%s{c} %s{d}").expect("parses");
        assert_eq!(compile(&format, |_| Encoding::Plain).unwrap_err().second, "b");
        let pairs = adjacent_fields(&format);
        let names: Vec<_> = pairs.iter().map(|p| (p.first.as_str(), p.second.as_str())).collect();
        assert_eq!(names, [("a", "b"), ("b", "c")]);
        assert_eq!(pairs[0].second_span, Span::new(5, 10));
    }

    #[test]
    fn the_body_starts_at_the_first_brace() {
        let plan = plan(r#"%s{h} NSS \{"a":"%s{a}","n":%d{n},"k":"c"\}"#);
        let body = plan.body.expect("a body");
        assert_eq!(body.header.steps[0].end, End::Last(lit(" NSS ")));
        let headless = body.headless.expect("a header, so a headless walk");
        assert_eq!(headless.lead, Some(lit(r#"{"a":""#)));
        let skeleton = body.skeleton.expect("JSON");
        let keys: Vec<_> = skeleton.iter().map(|m| (m.key.as_ref(), m.node.clone())).collect();
        assert_eq!(keys[1], ("n", Node::Bare(2)));
        assert_eq!(keys[2], ("k", Node::Const(lit("c"))));
        assert!(matches!(&keys[0].1, Node::Str(w) if w.steps.len() == 1 && w.lead.is_none()));
        // A body first: no header walk, no headless walk.
        let plan = plan_of(r#"\{"a":"%s{a}"\}"#);
        let body = plan.body.expect("a body");
        assert!(body.header.is_empty() && body.headless.is_none() && body.skeleton.is_some());
        // Not JSON: a body without a skeleton.
        assert!(plan_of(r"x \{%s{a}").body.expect("a body").skeleton.is_none());
    }
}
