//! Where a derive's format comes from (inline literal, file, built-in profile format), and how
//! an error at some bytes of the format is pointed at the attribute that gave it.

use std::ops::Range;
use std::path::Path;

use nssgen_catalog::{LogType, Target};
use proc_macro2::Span;
use syn::LitStr;

use crate::attr::StructAttrs;
use crate::errors::Errors;
use nssgen_syntax::suggest::closest_choice;

/// The format text of one derive and where it came from.
pub(crate) struct Source {
    /// The format, as the generated `FORMAT` holds it (a file's final newline dropped).
    pub(crate) text: String,
    /// The format's bytes as read, when they are not UTF-8 (a file): parsed with
    /// `parse_bytes` so every invalid byte is reported.
    pub(crate) bytes: Option<Vec<u8>>,
    pub(crate) origin: Origin,
    /// The catalog log type the fields' encodings come from (built-in formats only).
    pub(crate) catalog: Option<&'static LogType>,
}

/// The attribute that gave the format; errors inside the format are reported on it.
pub(crate) enum Origin {
    /// `#[nss(format = "...")]`.
    Inline(LitStr),
    /// `#[nss(format_file = "path")]`, relative to the crate's manifest dir.
    File(LitStr),
    /// `#[nss(log_type = "web", ...)]`: a built-in profile format.
    Builtin { lit: LitStr, profile: String, log_type: String, target: Target },
}

impl Origin {
    /// The relative path of a format file, for the generated `include_bytes!`.
    pub(crate) fn file(&self) -> Option<String> {
        match self {
            Origin::File(lit) => Some(lit.value()),
            _ => None,
        }
    }

    /// An error about the bytes `range` of the format `text`, at `line:col` (1-based, columns
    /// in characters). On the exact characters of an inline literal where the compiler can
    /// point inside a literal (nightly); on the whole literal otherwise. The message always
    /// names the line and column, so the place is known either way.
    pub(crate) fn error(&self, text: &str, range: Range<usize>, message: &str) -> syn::Error {
        let (line, col) = nssgen_syntax::line_col(text, range.start);
        let (span, message) = match self {
            Origin::Inline(lit) => {
                let span = source_range(&lit.token().to_string(), &lit.value(), range)
                    .and_then(|r| lit.token().subspan(r))
                    .unwrap_or_else(|| lit.span());
                (span, format!("{line}:{col} in the format: {message}"))
            }
            Origin::File(lit) => (lit.span(), format!("{}:{line}:{col}: {message}", lit.value())),
            Origin::Builtin { lit, profile, log_type, target } => (
                lit.span(),
                format!("{line}:{col} in the built-in {profile} `{log_type}` format for {target}: {message}"),
            ),
        };
        syn::Error::new(span, message)
    }
}

/// Resolves the format source of the struct's attributes. `None` after reporting why not.
pub(crate) fn resolve(
    attrs: &StructAttrs,
    manifest_dir: Option<&Path>,
    struct_span: Span,
    errors: &mut Errors,
) -> Option<Source> {
    let given: Vec<(&str, &LitStr)> =
        [("format", &attrs.format), ("format_file", &attrs.format_file), ("log_type", &attrs.log_type)]
            .into_iter()
            .filter_map(|(key, lit)| lit.as_ref().map(|lit| (key, lit)))
            .collect();
    if attrs.log_type.is_none() {
        for (key, lit) in [("target", &attrs.target), ("profile", &attrs.profile)] {
            if let Some(lit) = lit {
                errors.on(
                    lit,
                    format!("`{key}` only applies with `log_type`: the other sources give the format itself"),
                );
            }
        }
    }
    let (key, lit) = match given.as_slice() {
        [] if attrs.broken => return None,
        [] => {
            errors.at(
                struct_span,
                "no format: add #[nss(format = \"...\")], #[nss(format_file = \"path\")] \
                 or #[nss(log_type = \"web\")]",
            );
            return None;
        }
        [one] => *one,
        [(first, _), rest @ ..] => {
            for (key, lit) in rest {
                errors.on(*lit, format!("conflicting format sources: `{key}` and `{first}`; keep one"));
            }
            return None;
        }
    };
    match key {
        "format" => Some(Source {
            text: lit.value(),
            bytes: None,
            origin: Origin::Inline(lit.clone()),
            catalog: None,
        }),
        "format_file" => file(lit, manifest_dir, errors),
        _ => builtin(lit, attrs, errors),
    }
}

fn file(lit: &LitStr, manifest_dir: Option<&Path>, errors: &mut Errors) -> Option<Source> {
    let rel = lit.value();
    let Some(dir) = manifest_dir else {
        errors
            .on(lit, "`format_file` is relative to CARGO_MANIFEST_DIR, which is not set (build with Cargo)");
        return None;
    };
    let mut bytes = match std::fs::read(dir.join(&rel)) {
        Ok(bytes) => bytes,
        Err(e) => {
            errors.on(
                lit,
                format!("cannot read format file `{rel}` (relative to the crate's manifest dir): {e}"),
            );
            return None;
        }
    };
    // The file's final newline ends the line in the editor; it is not part of the format.
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    let (text, bytes) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => (nssgen_syntax::utf8_placeholders(e.as_bytes()).0, Some(e.into_bytes())),
    };
    Some(Source { text, bytes, origin: Origin::File(lit.clone()), catalog: None })
}

fn builtin(lit: &LitStr, attrs: &StructAttrs, errors: &mut Errors) -> Option<Source> {
    let log_type = lit.value();
    let profile_id = attrs.profile.as_ref().map_or_else(|| "sekoia".to_owned(), LitStr::value);
    let Some(profile) = nssgen_catalog::profile(&profile_id) else {
        let known: Vec<&str> = nssgen_catalog::profiles().map(|p| p.id.as_str()).collect();
        let at = attrs.profile.as_ref().unwrap_or(lit);
        errors.on(at, format!("unknown profile `{profile_id}` (built in: {})", known.join(", ")));
        return None;
    };
    let target = match &attrs.target {
        None => Target::Nss,
        Some(target) => match target.value().parse::<Target>() {
            Ok(t) => t,
            Err(e) => {
                errors.on(target, e);
                return None;
            }
        },
    };
    let Some(profile_log_type) = profile.log_type(&log_type) else {
        let ids = profile.log_types.iter().map(|t| t.id.as_str());
        let list = ids.clone().collect::<Vec<_>>().join(", ");
        let hint =
            closest_choice(&log_type, ids).map(|c| format!("did you mean `{c}`? ")).unwrap_or_default();
        errors.on(
            lit,
            format!("unknown log type `{log_type}` in profile `{profile_id}`: {hint}(one of {list})"),
        );
        return None;
    };
    let text = match nssgen_profile::format(&profile_id, &log_type, target) {
        Ok(framed) => framed.text.clone(),
        Err(e) => {
            errors.on(
                lit,
                format!("no built-in {profile_id} format for `{log_type}` and target {target}: {e}"),
            );
            return None;
        }
    };
    Some(Source {
        text,
        bytes: None,
        origin: Origin::Builtin { lit: lit.clone(), profile: profile_id, log_type, target },
        catalog: profile_log_type.catalog_log_type(),
    })
}

/// Maps the byte range `range` of a string literal's value to the range of the literal's
/// source text (`token`, quotes and escapes included) that spells it. `None` when the token
/// does not read back as `value` (a form this does not know).
pub(crate) fn source_range(token: &str, value: &str, range: Range<usize>) -> Option<Range<usize>> {
    let map = value_to_source(token)?;
    if map.len() != value.len() + 1 {
        return None;
    }
    Some(*map.get(range.start)?..*map.get(range.end)?)
}

/// For each byte offset of the literal's value (and its end), the offset in the token.
fn value_to_source(token: &str) -> Option<Vec<usize>> {
    if let Some(raw) = token.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let open = 1 + hashes + 1;
        let len = token.len().checked_sub(open + 1 + hashes)?;
        return Some((open..=open + len).collect());
    }
    let inner = token.strip_prefix('"')?.strip_suffix('"')?;
    let bytes = inner.as_bytes();
    let mut map = Vec::with_capacity(inner.len() + 1);
    let mut i = 0;
    while i < bytes.len() {
        let at = i + 1;
        if bytes[i] != b'\\' {
            let ch = inner[i..].chars().next()?;
            map.extend(std::iter::repeat_n(at, ch.len_utf8()));
            i += ch.len_utf8();
            continue;
        }
        match *bytes.get(i + 1)? {
            b'x' => {
                map.push(at);
                i += 4;
            }
            b'u' => {
                let close = inner[i..].find('}')? + i;
                let code = u32::from_str_radix(&inner[i + 3..close], 16).ok()?;
                let ch = char::from_u32(code)?;
                map.extend(std::iter::repeat_n(at, ch.len_utf8()));
                i = close + 1;
            }
            b'\n' | b'\r' => {
                // Line continuation: the newline and the whitespace after it are dropped.
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
            _ => {
                map.push(at);
                i += 2;
            }
        }
    }
    map.push(token.len() - 1);
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(token: &str, value: &str, range: Range<usize>) -> Option<String> {
        source_range(token, value, range).map(|r| token[r].to_owned())
    }

    #[test]
    fn source_ranges_of_plain_raw_and_escaped_literals() {
        assert_eq!(spelled(r#""a %f{x} b""#, "a %f{x} b", 2..7).as_deref(), Some("%f{x}"));
        assert_eq!(spelled(r###"r#"\{"a":%f{x}"#"###, r#"\{"a":%f{x}"#, 6..11).as_deref(), Some("%f{x}"));
        let token = r#""\\{\"a\":\"%f{x}\"""#;
        let value = r#"\{"a":"%f{x}""#;
        assert_eq!(spelled(token, value, 7..12).as_deref(), Some("%f{x}"));
        assert_eq!(spelled(token, value, 0..2).as_deref(), Some(r"\\{"));
        assert_eq!(spelled(r#""é\u{e9}%f{x}""#, "éé%f{x}", 4..9).as_deref(), Some("%f{x}"));
        assert_eq!(spelled(r#""a\x41%s{}""#, "aA%s{}", 2..6).as_deref(), Some("%s{}"));
        assert_eq!(spelled("\"a\\\n    %s{}\"", "a%s{}", 1..5).as_deref(), Some("%s{}"));
        assert_eq!(spelled(r#""abc""#, "abcd", 0..1), None);
    }
}
