//! The JSON fallback: a line whose JSON body drifted from the format (other spacing, other key
//! order, a relay's re-serialisation) is read as JSON and its keys mapped to the format's fields.
//!
//! At compile time the format's body, each spec replaced by a marker, is parsed as a JSON
//! skeleton: a string value holding specs becomes a mini-format walked against the line's string
//! (`"IPSEC IKEV %d{ikeversion}"`), a spec outside quotes maps to the raw JSON text of the line's
//! value (Elastic's `"preaction":%s{preaction}`), a string without specs is a constant the line
//! must repeat if it has the key. At run time the line's body is read with `serde_json` into
//! borrowed raw values, nested objects only when the skeleton descends into them, so values that
//! need no unescaping stay borrowed from the line.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::walk::{error, FieldInfo, Origin, Piece, Walk};
use crate::{ParseError, ParseErrorKind};

/// Opens the marker of a spec inside a JSON string (private-use characters: never in formats).
const IN_STRING: char = '\u{E000}';
/// Opens the marker of a spec outside quotes (it is put inside a string of its own).
const BARE: char = '\u{E002}';
/// Closes either marker.
const CLOSE: char = '\u{E001}';

/// The JSON shape of a format's body.
#[derive(Clone, Debug)]
pub(crate) struct Skeleton {
    root: Vec<(Box<str>, Node)>,
}

#[derive(Clone, Debug)]
enum Node {
    Object(Vec<(Box<str>, Node)>),
    Array(Vec<Node>),
    /// A string holding at least one spec: walked against the line's string.
    Str(Walk),
    /// A string without specs.
    Const(Box<str>),
    /// A spec outside quotes: the raw JSON text of the line's value.
    Bare(usize),
    /// A number, `true`, `false` or `null` written in the format: nothing to read.
    Other,
}

/// Why the fallback did not read a line.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The line has no JSON body: the exact walk's error says more.
    NotJson,
    /// The body is JSON but does not fit the format (or two occurrences of a field disagree).
    Mismatch(ParseError),
}

impl Skeleton {
    /// The skeleton of a body given as pieces (literal text and field occurrences), `None`
    /// when the body is not JSON with an object at its root.
    pub(crate) fn new(pieces: &[Piece<'_>]) -> Option<Skeleton> {
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
            Node::Object(root) => Some(Skeleton { root }),
            _ => None,
        }
    }

    /// Reads the JSON body starting at `body` in `line`, giving each field occurrence found to
    /// `sink` in format order. At least one field must be found.
    pub(crate) fn read<'a>(
        &self,
        line: &'a str,
        body: usize,
        fields: &[FieldInfo],
        sink: &mut dyn FnMut(usize, Cow<'a, str>, usize) -> Result<(), ParseError>,
    ) -> Result<(), Failure> {
        let text = line.get(body..).ok_or(Failure::NotJson)?;
        let object: Object<'a> = serde_json::from_str(text).map_err(|_| Failure::NotJson)?;
        let mut reader = Reader { line, fields, sink, found: 0, path: Vec::new() };
        reader.object(&self.root, &object.0)?;
        if reader.found == 0 {
            let reason = "none of the format's fields is in the JSON body".to_string();
            return Err(Failure::Mismatch(error(body, None, ParseErrorKind::Json { reason })));
        }
        Ok(())
    }
}

/// Turns a parsed skeleton value into a node, reading the markers back.
fn node(value: serde_json::Value, occurrences: &[(usize, usize)]) -> Option<Node> {
    use serde_json::Value;
    Some(match value {
        Value::Object(map) => Node::Object(
            map.into_iter()
                .map(|(key, value)| Some((key.into_boxed_str(), node(value, occurrences)?)))
                .collect::<Option<_>>()?,
        ),
        Value::Array(items) => {
            Node::Array(items.into_iter().map(|v| node(v, occurrences)).collect::<Option<_>>()?)
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
        return Some(Node::Const(s.into()));
    }
    pieces.push(Piece::Lit(rest));
    Walk::new(pieces).ok().map(Node::Str)
}

struct Reader<'r, 'a> {
    line: &'a str,
    fields: &'r [FieldInfo],
    sink: &'r mut dyn FnMut(usize, Cow<'a, str>, usize) -> Result<(), ParseError>,
    found: usize,
    /// Keys from the root to the value being read, for error messages.
    path: Vec<&'r str>,
}

impl<'r, 'a> Reader<'r, 'a> {
    fn object(
        &mut self,
        skeleton: &'r [(Box<str>, Node)],
        line: &[(Cow<'a, str>, &'a RawValue)],
    ) -> Result<(), Failure> {
        for (key, node) in skeleton {
            // Key order may differ; the first occurrence of a key wins.
            if let Some((_, raw)) = line.iter().find(|(k, _)| k == &**key) {
                self.path.push(key);
                self.value(node, raw)?;
                self.path.pop();
            }
        }
        Ok(())
    }

    fn value(&mut self, node: &'r Node, raw: &'a RawValue) -> Result<(), Failure> {
        let json = raw.get();
        let offset = self.offset(json);
        match node {
            Node::Object(children) => {
                let object: Object<'a> =
                    serde_json::from_str(json).map_err(|_| self.mismatch(offset, "is not an object"))?;
                self.object(children, &object.0)
            }
            Node::Array(items) => {
                let array: Vec<&'a RawValue> =
                    serde_json::from_str(json).map_err(|_| self.mismatch(offset, "is not an array"))?;
                for (node, raw) in items.iter().zip(array) {
                    self.value(node, raw)?;
                }
                Ok(())
            }
            Node::Bare(field) => {
                self.found += 1;
                (self.sink)(*field, Cow::Borrowed(json), offset).map_err(Failure::Mismatch)
            }
            Node::Const(expected) => match self.string(json, offset)? {
                Some((text, _)) if *text != **expected => {
                    Err(self.mismatch(offset, &format!("is `{text}` where the format says `{expected}`")))
                }
                _ => Ok(()),
            },
            Node::Str(walk) => match self.string(json, offset)? {
                // `null`: a relay's way of saying the value is absent.
                None => Ok(()),
                Some((Cow::Borrowed(text), origin)) => {
                    let sink = &mut *self.sink;
                    let mut found = 0;
                    let walked = walk.run(text, 0, origin, self.fields, |field, value, at| {
                        found += 1;
                        sink(field, Cow::Borrowed(value), at)
                    });
                    self.found += found;
                    self.walked(walked, text, offset)
                }
                Some((Cow::Owned(text), origin)) => {
                    let sink = &mut *self.sink;
                    let mut found = 0;
                    let walked = walk.run(&text, 0, origin, self.fields, |field, value, at| {
                        found += 1;
                        sink(field, Cow::Owned(value.to_owned()), at)
                    });
                    self.found += found;
                    self.walked(walked, &text, offset)
                }
            },
            Node::Other => Ok(()),
        }
    }

    /// A JSON scalar as text: a string's contents (borrowed when it holds no escape), a number
    /// or boolean as written (a relay may have turned `"443"` into `443`), `None` for `null`.
    fn string(&self, json: &'a str, offset: usize) -> Result<Option<(Cow<'a, str>, Origin)>, Failure> {
        match json.as_bytes().first() {
            Some(b'"') if !json.contains('\\') => {
                let inner = json.get(1..json.len() - 1).unwrap_or("");
                Ok(Some((Cow::Borrowed(inner), Origin::at(offset + 1))))
            }
            Some(b'"') => {
                let text: String =
                    serde_json::from_str(json).map_err(|_| self.mismatch(offset, "is not a valid string"))?;
                Ok(Some((Cow::Owned(text), Origin { base: offset, exact: false })))
            }
            Some(b'n') => Ok(None),
            Some(b'-' | b'0'..=b'9' | b't' | b'f') => Ok(Some((Cow::Borrowed(json), Origin::at(offset)))),
            _ => Err(self.mismatch(offset, "is not a string")),
        }
    }

    fn walked(&self, walked: Result<(), ParseError>, text: &str, offset: usize) -> Result<(), Failure> {
        match walked {
            Ok(()) => Ok(()),
            Err(err @ ParseError { kind: ParseErrorKind::Disagree { .. }, .. }) => {
                Err(Failure::Mismatch(err))
            }
            Err(err) => Err(self.mismatch(
                err.offset.max(offset),
                &format!("is `{text}`, which does not fit the format ({})", Kind(&err)),
            )),
        }
    }

    /// Offset of `json` (a slice of the line) in the line.
    fn offset(&self, json: &str) -> usize {
        (json.as_ptr() as usize).saturating_sub(self.line.as_ptr() as usize)
    }

    fn mismatch(&self, offset: usize, what: &str) -> Failure {
        let reason = format!("`{}` {what}", self.path.join("."));
        Failure::Mismatch(error(offset, None, ParseErrorKind::Json { reason }))
    }
}

/// An error's reason without its position, for nesting in another error's message.
struct Kind<'e>(&'e ParseError);

impl fmt::Display for Kind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let full = self.0.to_string();
        f.write_str(full.split_once(": ").map_or(full.as_str(), |(_, reason)| reason))
    }
}

/// A JSON object as its keys (borrowed when they hold no escape) and raw values, in line order.
struct Object<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Object<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for ObjectVisitor<'a> {
            type Value = Object<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Object<'a>, M::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some(Key(key)) = map.next_key()? {
                    entries.push((key, map.next_value::<&'a RawValue>()?));
                }
                Ok(Object(entries))
            }
        }

        deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
    }
}

/// A key, borrowed from the line unless it had to be unescaped.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for KeyVisitor<'a> {
            type Value = Key<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E>(self, v: String) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(KeyVisitor(std::marker::PhantomData))
    }
}
