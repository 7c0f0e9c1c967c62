//! The `#[nss(...)]` attributes: one error per bad key or value, on the exact token, and the
//! parse goes on so that every mistake is reported at once (serde's `internals/attr.rs`).

use nssgen_syntax::plan::Encoding;
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr, Token};

use crate::errors::Errors;
use nssgen_syntax::suggest::closest;

/// The keys `#[nss(...)]` accepts on the struct.
pub(crate) const STRUCT_KEYS: [&str; 6] = ["format", "format_file", "log_type", "target", "profile", "crate"];
/// The keys `#[nss(...)]` accepts on a field.
pub(crate) const FIELD_KEYS: [&str; 2] = ["field", "encoding"];

/// `#[nss(...)]` on the struct: where the format comes from.
#[derive(Default)]
pub(crate) struct StructAttrs {
    pub(crate) format: Option<LitStr>,
    pub(crate) format_file: Option<LitStr>,
    pub(crate) log_type: Option<LitStr>,
    pub(crate) target: Option<LitStr>,
    pub(crate) profile: Option<LitStr>,
    /// The path of the runtime crate when it is not `::nssgen` (a renamed dependency, a
    /// re-export), as serde's `#[serde(crate = "...")]`.
    pub(crate) krate: Option<LitStr>,
    /// Whether a key had a mistake: then a missing source is a consequence, not worth an error.
    pub(crate) broken: bool,
}

/// `#[nss(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// The format field this struct field reads, when its name differs.
    pub(crate) field: Option<LitStr>,
    /// An encoding that overrides the catalog's, with the literal that chose it.
    pub(crate) encoding: Option<(Encoding, Span)>,
}

pub(crate) fn struct_attrs(attrs: &[Attribute], errors: &mut Errors) -> StructAttrs {
    let mut out = StructAttrs::default();
    let before = errors.len();
    for_each_key(attrs, errors, |key, meta, errors| {
        let slot = match key {
            "format" => &mut out.format,
            "format_file" => &mut out.format_file,
            "log_type" => &mut out.log_type,
            "target" => &mut out.target,
            "profile" => &mut out.profile,
            "crate" => &mut out.krate,
            "field" | "encoding" => {
                errors.on(&meta.path, format!("`{key}` goes on a field, not on the struct"));
                return skip_value(meta);
            }
            _ => {
                errors.on(&meta.path, unknown_key(key, &STRUCT_KEYS, "on the struct"));
                return skip_value(meta);
            }
        };
        set_once(slot, key, meta, errors)
    });
    out.broken = errors.len() > before;
    out
}

pub(crate) fn field_attrs(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for_each_key(attrs, errors, |key, meta, errors| match key {
        "field" => set_once(&mut out.field, key, meta, errors),
        "encoding" => {
            let mut lit = None;
            set_once(&mut lit, key, meta, errors)?;
            if let Some(lit) = lit {
                let encoding = match lit.value().as_str() {
                    "plain" => Encoding::Plain,
                    "hex" => Encoding::Hex,
                    "b64" => Encoding::Base64,
                    other => {
                        errors.on(
                            &lit,
                            format!("unknown encoding `{other}`: expected `hex`, `b64` or `plain`"),
                        );
                        return Ok(());
                    }
                };
                if out.encoding.is_some() {
                    errors.on(&meta.path, "duplicate `nss(encoding)` on this field");
                } else {
                    out.encoding = Some((encoding, lit.span()));
                }
            }
            Ok(())
        }
        "format" | "format_file" | "log_type" | "target" | "profile" | "crate" => {
            errors.on(&meta.path, format!("`{key}` goes on the struct, not on a field"));
            skip_value(meta)
        }
        _ => {
            errors.on(&meta.path, unknown_key(key, &FIELD_KEYS, "on a field"));
            skip_value(meta)
        }
    });
    out
}

/// Calls `f` with each key of every `#[nss(...)]` in `attrs`. `f` reports its own errors and
/// consumes the key's value; a syntax error syn finds ends that one attribute only.
fn for_each_key(
    attrs: &[Attribute],
    errors: &mut Errors,
    mut f: impl FnMut(&str, &ParseNestedMeta<'_>, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("nss")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_else(|| {
                // `nss(a::b = ...)`: no key has a path; show it as written.
                quote::ToTokens::to_token_stream(&meta.path).to_string().replace(' ', "")
            });
            f(&key, &meta, errors)
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
}

/// Reads `= "text"` into `slot`; a second value for the same key is an error on the key.
fn set_once(
    slot: &mut Option<LitStr>,
    key: &str,
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
) -> syn::Result<()> {
    let lit: LitStr = meta.value()?.parse()?;
    if slot.is_some() {
        errors.on(&meta.path, format!("duplicate `nss({key})`: give it once"));
    } else {
        *slot = Some(lit);
    }
    Ok(())
}

/// Consumes whatever follows an unknown key (`= value` or `(...)`) up to the next comma, so
/// the keys after it are still read.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.input.parse::<Token![=]>()?;
    }
    while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

fn unknown_key(key: &str, known: &[&str], place: &str) -> String {
    let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    match closest(key, known.iter().copied()) {
        Some(best) => {
            format!("unknown `nss` key `{key}` {place}: did you mean `{best}`? (expected one of {list})")
        }
        None => format!("unknown `nss` key `{key}` {place}: expected one of {list}"),
    }
}

/// The path generated code names the runtime crate by: `::nssgen`, or the path of
/// `#[nss(crate = "...")]` (an error on the literal when it is not a path).
pub(crate) fn runtime_path(attrs: &StructAttrs, errors: &mut Errors) -> proc_macro2::TokenStream {
    match &attrs.krate {
        None => quote::quote!(::nssgen),
        Some(lit) => match lit.parse::<syn::Path>() {
            Ok(path) => quote::ToTokens::to_token_stream(&path),
            Err(_) => {
                errors.on(lit, format!("`crate = \"{}\"` is not a path: write the runtime crate's path, as `crate = \"my_nssgen\"`", lit.value()));
                quote::quote!(::nssgen)
            }
        },
    }
}
