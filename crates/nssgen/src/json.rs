//! The JSON fallback: a line whose JSON body drifted from the format (other spacing, other key
//! order, a relay's re-serialisation) is read as JSON and its keys mapped to the format's fields.
//!
//! The plan holds the body's JSON skeleton (`nssgen_syntax::plan::Node`): a string value holding
//! specs is walked against the line's string (`"IPSEC IKEV %d{ikeversion}"`), a spec outside
//! quotes maps to the raw JSON text of the line's value (Elastic's `"preaction":%s{preaction}`),
//! a string without specs is a constant the line must repeat if it has the key. The line's body
//! is read with `serde_json` into
//! borrowed raw values, nested objects only when the skeleton descends into them, so values that
//! need no unescaping stay borrowed from the line.

use std::borrow::Cow;
use std::fmt;

use nssgen_syntax::plan::{Field, Member, Node};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::walk::{error, Origin};
use crate::{ParseError, ParseErrorKind};

/// Why the fallback did not read a line.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The line has no JSON body: the exact walk's error says more.
    NotJson,
    /// The body is JSON but does not fit the format (or two occurrences of a field disagree).
    Mismatch(ParseError),
}

/// Reads the JSON body starting at `body` in `line` through the plan's skeleton `root`, giving
/// each field occurrence found to `sink` in format order. At least one field must be found.
pub(crate) fn read<'a>(
    root: &[Member],
    line: &'a str,
    body: usize,
    fields: &[Field],
    sink: &mut dyn FnMut(usize, Cow<'a, str>, usize) -> Result<(), ParseError>,
) -> Result<(), Failure> {
    let text = line.get(body..).ok_or(Failure::NotJson)?;
    let object: Object<'a> = serde_json::from_str(text).map_err(|_| Failure::NotJson)?;
    let mut reader = Reader { line, fields, sink, found: 0, path: Vec::new() };
    reader.object(root, &object.0)?;
    if reader.found == 0 {
        let reason = "none of the format's fields is in the JSON body".to_string();
        return Err(Failure::Mismatch(error(body, None, ParseErrorKind::Json { reason })));
    }
    Ok(())
}

struct Reader<'r, 'a> {
    line: &'a str,
    fields: &'r [Field],
    sink: &'r mut dyn FnMut(usize, Cow<'a, str>, usize) -> Result<(), ParseError>,
    found: usize,
    /// Keys from the root to the value being read, for error messages.
    path: Vec<&'r str>,
}

impl<'r, 'a> Reader<'r, 'a> {
    fn object(
        &mut self,
        skeleton: &'r [Member],
        line: &[(Cow<'a, str>, &'a RawValue)],
    ) -> Result<(), Failure> {
        for Member { key, node } in skeleton {
            // Key order may differ; the first occurrence of a key wins.
            if let Some((_, raw)) = line.iter().find(|(k, _)| k == key) {
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
                    let walked = crate::walk::run(walk, text, 0, origin, self.fields, |field, value, at| {
                        found += 1;
                        sink(field, Cow::Borrowed(value), at)
                    });
                    self.found += found;
                    self.walked(walked, text, offset)
                }
                Some((Cow::Owned(text), origin)) => {
                    let sink = &mut *self.sink;
                    let mut found = 0;
                    let walked = crate::walk::run(walk, &text, 0, origin, self.fields, |field, value, at| {
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
                &format!("is `{text}`, which does not fit the format ({})", err.kind),
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
