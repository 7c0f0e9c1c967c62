//! The JSON fallback: a line whose JSON body drifted from the format (other spacing, other key
//! order, a relay's re-serialisation, a constant the vendor changed) is read as JSON and its keys
//! mapped to the format's fields.
//!
//! The plan holds the body's JSON skeleton (`nssgen_syntax::plan::Node`): a string value holding
//! specs is walked against the line's string (`"IPSEC IKEV %d{ikeversion}"`), a spec outside
//! quotes maps to the raw JSON text of the line's value (Elastic's `"preaction":%s{preaction}`),
//! a string without specs is a constant the line repeats if it has the key. The line's body
//! is read with `serde_json` into
//! borrowed raw values, nested objects only when the skeleton descends into them, so values that
//! need no unescaping stay borrowed from the line.
//!
//! A value that does not fit its key's shape in the skeleton (a constant that differs, a string
//! the spec's literals do not fit, a string where an object belongs) *drifted*: the key is
//! named, the fields only that value holds stay missing, and the rest of the line is read. Only
//! a differing constant under one of [`IDENTITY_KEYS`] rejects the line: it is another log type.
//! Keys the line has and the skeleton lacks are kept, raw, as extra keys.

use std::borrow::Cow;
use std::fmt;

use nssgen_syntax::plan::{key_name, leaf_keys, Field, Member, Node, Walk, IDENTITY_KEYS};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::walk::{error, Origin};
use crate::{ParseError, ParseErrorKind};

/// Why the fallback did not read a line.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The line has no JSON body: the exact walk's error says more.
    NotJson,
    /// The body is JSON but is not this format's (another log type, none of its fields, or two
    /// occurrences of a field that disagree).
    Mismatch(ParseError),
}

/// What the fallback read besides the fields: the keys whose values drifted and the keys the
/// format lacks.
#[derive(Debug, Default)]
pub(crate) struct Read {
    /// Each drifted key's name, with why its value does not fit (the error a strict reader gives).
    pub(crate) drifted: Vec<(String, ParseError)>,
    /// Each key the skeleton lacks, named as [`key_name`] names keys, with its raw JSON value.
    pub(crate) extra: Vec<(String, String)>,
}

/// Reads the JSON body starting at `body` in `line` through the plan's skeleton `root`, giving
/// each field occurrence found to `sink` in format order. At least one field must be found.
pub(crate) fn read<'a>(
    root: &[Member],
    line: &'a str,
    body: usize,
    fields: &[Field],
    sink: &mut dyn FnMut(usize, Cow<'a, str>, usize) -> Result<(), ParseError>,
) -> Result<Read, Failure> {
    let text = line.get(body..).ok_or(Failure::NotJson)?;
    let object: Object<'a> = serde_json::from_str(text).map_err(|_| Failure::NotJson)?;
    let mut reader =
        Reader { line, fields, sink, found: 0, path: Vec::new(), drifted: Vec::new(), extra: Vec::new() };
    reader.object(root, &object.0)?;
    if reader.found == 0 {
        // Nothing of the format's is read: not a line of it. A drifted key says best why.
        if let Some((_, err)) = reader.drifted.into_iter().next() {
            return Err(Failure::Mismatch(err));
        }
        let reason = "none of the format's fields is in the JSON body".to_string();
        return Err(Failure::Mismatch(error(body, None, ParseErrorKind::Json { reason })));
    }
    let (drifted, extra) = (reader.drifted, reader.extra);
    if drifted.is_empty() && extra.is_empty() {
        return Ok(Read::default());
    }
    let leaves = leaf_keys(root);
    let drifted = drifted.into_iter().map(|(path, err)| (key_name(&leaves, &path), err)).collect();
    Ok(Read { drifted, extra: name_extra(root, extra) })
}

/// The extra keys' names: a key's own name, or its path when a key of the skeleton or another
/// extra key has the same name (the one naming rule, `plan::key_name`, over both).
fn name_extra(root: &[Member], extra: Vec<(Vec<String>, &RawValue)>) -> Vec<(String, String)> {
    if extra.is_empty() {
        return Vec::new();
    }
    let other = Node::Other;
    let mut leaves = leaf_keys(root);
    let paths: Vec<Vec<&str>> =
        extra.iter().map(|(path, _)| path.iter().map(String::as_str).collect()).collect();
    leaves.extend(paths.iter().map(|path| (path.clone(), &other)));
    paths.iter().zip(&extra).map(|(path, (_, raw))| (key_name(&leaves, path), raw.get().to_owned())).collect()
}

struct Reader<'r, 'a> {
    line: &'a str,
    fields: &'r [Field],
    sink: &'r mut dyn FnMut(usize, Cow<'a, str>, usize) -> Result<(), ParseError>,
    found: usize,
    /// Keys from the root to the value being read, for error messages.
    path: Vec<&'r str>,
    /// The path of each drifted key and why it drifted.
    drifted: Vec<(Vec<&'r str>, ParseError)>,
    /// The path of each key the skeleton lacks, and its raw value.
    extra: Vec<(Vec<String>, &'a RawValue)>,
}

/// What reading one value gave: `Drift` when it does not fit its key's shape.
enum Fit {
    Read,
    Drift(ParseError),
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
                if let Fit::Drift(err) = self.value(node, raw)? {
                    if IDENTITY_KEYS.contains(&&**key) && matches!(node, Node::Const(_)) {
                        return Err(Failure::Mismatch(err));
                    }
                    self.drifted.push((self.path.clone(), err));
                }
                self.path.pop();
            }
        }
        for (at, (key, raw)) in line.iter().enumerate() {
            let known = skeleton.iter().any(|m| m.key == *key);
            // As for the skeleton's keys, the first occurrence of a key is the one kept.
            let repeated = line[..at].iter().any(|(k, _)| k == key);
            if !known && !repeated {
                let mut path: Vec<String> = self.path.iter().map(|k| (*k).to_owned()).collect();
                path.push(key.to_string());
                self.extra.push((path, raw));
            }
        }
        Ok(())
    }

    fn value(&mut self, node: &'r Node, raw: &'a RawValue) -> Result<Fit, Failure> {
        let json = raw.get();
        let offset = self.offset(json);
        match node {
            Node::Object(children) => {
                let Ok(object) = serde_json::from_str::<Object<'a>>(json) else {
                    return Ok(Fit::Drift(self.mismatch(offset, "is not an object")));
                };
                self.object(children, &object.0)?;
                Ok(Fit::Read)
            }
            Node::Array(items) => {
                let Ok(array) = serde_json::from_str::<Vec<&'a RawValue>>(json) else {
                    return Ok(Fit::Drift(self.mismatch(offset, "is not an array")));
                };
                for (node, raw) in items.iter().zip(array) {
                    if let Fit::Drift(err) = self.value(node, raw)? {
                        return Ok(Fit::Drift(err));
                    }
                }
                Ok(Fit::Read)
            }
            Node::Bare(field) => {
                self.found += 1;
                (self.sink)(*field, Cow::Borrowed(json), offset).map_err(Failure::Mismatch)?;
                Ok(Fit::Read)
            }
            Node::Const(expected) => match self.string(json, offset) {
                Err(err) => Ok(Fit::Drift(err)),
                Ok(Some((text, _))) if *text != **expected => Ok(Fit::Drift(
                    self.mismatch(offset, &format!("is `{text}` where the format says `{expected}`")),
                )),
                Ok(_) => Ok(Fit::Read),
            },
            Node::Str(walk) => match self.string(json, offset) {
                Err(err) => Ok(Fit::Drift(err)),
                // `null`: a relay's way of saying the value is absent.
                Ok(None) => Ok(Fit::Read),
                Ok(Some((Cow::Borrowed(text), origin))) => {
                    self.walked(walk, text, origin, offset, Cow::Borrowed)
                }
                Ok(Some((Cow::Owned(text), origin))) => {
                    self.walked(walk, &text, origin, offset, |value| Cow::Owned(value.to_owned()))
                }
            },
            Node::Other => Ok(Fit::Read),
        }
    }

    /// A JSON scalar as text: a string's contents (borrowed when it holds no escape), a number
    /// or boolean as written (a relay may have turned `"443"` into `443`), `None` for `null`.
    fn string(&self, json: &'a str, offset: usize) -> Result<Option<(Cow<'a, str>, Origin)>, ParseError> {
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

    /// Walks a string value: its fields go to the sink only once the whole string fits, so a
    /// value that drifted gives none of its fields.
    fn walked<'t>(
        &mut self,
        walk: &Walk,
        text: &'t str,
        origin: Origin,
        offset: usize,
        value: impl Fn(&'t str) -> Cow<'a, str>,
    ) -> Result<Fit, Failure> {
        let mut values: Vec<(usize, &'t str, usize)> = Vec::new();
        let walked = crate::walk::run(walk, text, 0, origin, self.fields, |field, text, at| {
            values.push((field, text, at));
            Ok(())
        });
        if let Err(err) = walked {
            return Ok(Fit::Drift(self.misfit(err, text, offset)));
        }
        self.found += values.len();
        for (field, text, at) in values {
            (self.sink)(field, value(text), at).map_err(Failure::Mismatch)?;
        }
        Ok(Fit::Read)
    }

    /// Why a string value does not fit the format's string.
    fn misfit(&self, err: ParseError, text: &str, offset: usize) -> ParseError {
        self.mismatch(
            err.offset.max(offset),
            &format!("is `{text}`, which does not fit the format ({})", err.kind),
        )
    }

    /// Offset of `json` (a slice of the line) in the line.
    fn offset(&self, json: &str) -> usize {
        (json.as_ptr() as usize).saturating_sub(self.line.as_ptr() as usize)
    }

    fn mismatch(&self, offset: usize, what: &str) -> ParseError {
        let reason = format!("`{}` {what}", self.path.join("."));
        error(offset, None, ParseErrorKind::Json { reason })
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
