//! What a derive generates code from: the format's plan (the one compiled by
//! `nssgen_syntax::plan`, which the runtime interpreter executes too), which struct field reads
//! which format field, and the encodings members override. Every check the derive makes
//! happens here, each error on its token.

use nssgen_catalog::LogType;
use nssgen_syntax::plan::{self, Encoding, Plan};
use nssgen_syntax::{Conversion, Format};
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type};

use crate::attr;
use crate::errors::Errors;
use crate::source::Source;
use nssgen_syntax::suggest::closest_n;

/// A distinct field of the format, by its index in the plan's fields.
#[derive(Clone, Debug, Default)]
pub(crate) struct FormatField {
    /// How many times the whole line prints it.
    pub(crate) occurrences: usize,
    /// The struct field that reads it.
    pub(crate) member: Option<usize>,
}

/// A struct field and the format field it reads.
pub(crate) struct Member {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    pub(crate) field: usize,
}

/// Everything the code generator needs.
pub(crate) struct Model {
    pub(crate) format: String,
    /// A format file, relative to the manifest dir, to `include_bytes!` so that editing it
    /// rebuilds the crate.
    pub(crate) file: Option<String>,
    /// The format's plan, with the encodings the members chose.
    pub(crate) plan: Plan,
    /// Per plan field.
    pub(crate) fields: Vec<FormatField>,
    pub(crate) members: Vec<Member>,
}

/// Analyses the struct and its format. `None` when anything is wrong (every error reported).
pub(crate) fn analyse(input: &DeriveInput, source: Option<Source>, errors: &mut Errors) -> Option<Model> {
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named.named.iter().collect(),
            Fields::Unit => Vec::new(),
            Fields::Unnamed(fields) => {
                errors
                    .on(fields, "NssRecord needs named fields: each one reads the format field of its name");
                Vec::new()
            }
        },
        Data::Enum(data) => {
            errors.on(data.enum_token, "NssRecord derives a parser for a struct, not an enum");
            Vec::new()
        }
        Data::Union(data) => {
            errors.on(data.union_token, "NssRecord derives a parser for a struct, not a union");
            Vec::new()
        }
    };
    // Field attributes are read even when the format is missing: their mistakes show too.
    let attrs: Vec<attr::FieldAttrs> = named.iter().map(|f| attr::field_attrs(&f.attrs, errors)).collect();
    let source = source?;
    let format = parse_format(&source, errors)?;
    // Two fields with no literal between them do not stop the struct's checks: all errors at once.
    let mut ok = report_adjacent(&format, &source, errors);
    // The distinct fields in the order they first appear: the plan's fields, by index.
    let mut distinct: Vec<(&str, Conversion)> = Vec::new();
    let mut fields: Vec<FormatField> = Vec::new();
    for spec in format.fields() {
        match distinct.iter().position(|(name, _)| *name == spec.name) {
            Some(index) => fields[index].occurrences += 1,
            None => {
                distinct.push((&spec.name, spec.conv));
                fields.push(FormatField { occurrences: 1, member: None });
            }
        }
    }
    let mut encodings: Vec<Option<Encoding>> = vec![None; distinct.len()];

    let mut members = Vec::new();
    for (field, attrs) in named.iter().zip(&attrs) {
        let Some(ident) = field.ident.clone() else { continue };
        let (name, span) = match &attrs.field {
            Some(lit) => (lit.value(), lit.span()),
            None => (ident.unraw().to_string(), ident.span()),
        };
        let Some(index) = distinct.iter().position(|(n, _)| *n == name) else {
            errors.at(span, unknown_field(&name, &distinct, source.catalog));
            ok = false;
            continue;
        };
        let target = &mut fields[index];
        if let Some(first) = target.member {
            let first: &Member = &members[first];
            errors.at(
                span,
                format!(
                    "`{}` and `{}` both read the format field `{name}`; a format field feeds one struct field",
                    first.ident, ident
                ),
            );
            ok = false;
            continue;
        }
        if let Some((encoding, _)) = attrs.encoding {
            encodings[index] = Some(encoding);
        }
        if let Err(message) = check_type(&field.ty, distinct[index].1, &name) {
            errors.on(&field.ty, message);
            ok = false;
        }
        target.member = Some(members.len());
        members.push(Member { ident, ty: field.ty.clone(), field: index });
    }
    if !ok {
        return None;
    }
    // A member's `#[nss(encoding = "...")]` overrides the catalog's answer.
    let chosen = |name: &str| {
        let index = distinct.iter().position(|(n, _)| *n == name);
        index.and_then(|i| encodings[i]).unwrap_or_else(|| nssgen_catalog::encoding_of(source.catalog, name))
    };
    let plan = plan::compile(&format, chosen).ok()?;
    Some(Model { format: source.text.clone(), file: source.origin.file(), plan, fields, members })
}

fn parse_format(source: &Source, errors: &mut Errors) -> Option<Format> {
    let parsed = match &source.bytes {
        Some(bytes) => nssgen_syntax::parse_bytes(bytes),
        None => nssgen_syntax::parse(&source.text),
    };
    match parsed {
        Ok(format) => Some(format),
        Err(syntax) => {
            for e in syntax.iter() {
                errors.push(source.origin.error(&source.text, e.span.range(), &e.message));
            }
            None
        }
    }
}

/// Reports each pair of fields with no literal between them; `false` when there is one.
fn report_adjacent(format: &Format, source: &Source, errors: &mut Errors) -> bool {
    let pairs = plan::adjacent_fields(format);
    for pair in &pairs {
        let text = &source.text;
        let message = format!(
            "`{}` follows `{}` with no literal between them, so no parser can tell where \
             one ends and the other begins; put a separator between them",
            &text[pair.second_span.range()],
            &text[pair.first_span.range()],
        );
        errors.push(source.origin.error(text, pair.second_span.range(), &message));
    }
    pairs.is_empty()
}

fn unknown_field(name: &str, fields: &[(&str, Conversion)], catalog: Option<&LogType>) -> String {
    let mut message = format!("no field `{name}` in the format");
    let documented = match catalog {
        Some(log_type) => log_type.field(name).map(|_| log_type.id.clone()),
        None => nssgen_catalog::log_types().find(|t| t.field(name).is_some()).map(|t| t.id.clone()),
    };
    if let Some(log_type) = documented {
        message.push_str(&format!(" (a Zscaler {log_type} field, but this format does not print it)"));
    }
    let mut near = closest_n(name, fields.iter().map(|(n, _)| *n), 3);
    let mut whose = "";
    if near.is_empty() {
        if let Some(log_type) = catalog {
            near = closest_n(name, log_type.fields.iter().map(|f| f.name.as_str()), 3);
            whose = " (not printed by this format)";
        }
    }
    let fix = "name the format field with #[nss(field = \"...\")] or remove this struct field";
    if near.is_empty() {
        message.push_str(&format!("; {fix}"));
    } else {
        let near: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
        message.push_str(&format!(": did you mean {}{whose}? Otherwise, {fix}", near.join(" or ")));
    }
    message
}

/// Rejects types that cannot hold a conversion's text: an integer for `%s`, an IP address for
/// a number. Other types (text types, user types) are left to their `FromField` impl.
fn check_type(ty: &Type, conv: Conversion, name: &str) -> Result<(), String> {
    let inner = option_inner(ty).unwrap_or(ty);
    let Some(last) = last_ident(inner) else { return Ok(()) };
    let last = last.to_string();
    const INTEGERS: [&str; 12] =
        ["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize"];
    if conv == Conversion::S && INTEGERS.contains(&last.as_str()) {
        return Err(format!(
            "`{last}` cannot hold `%s{{{name}}}`: a `%s` field is text; use `&str`, `Cow<str>`, \
             `String` or `nssgen::Text`, or parse the number yourself"
        ));
    }
    if conv.is_numeric() && matches!(last.as_str(), "IpAddr" | "Ipv4Addr" | "Ipv6Addr") {
        return Err(format!(
            "`{last}` cannot hold `%{conv}{{{name}}}`: a `%{conv}` field prints a number, not an address"
        ));
    }
    Ok(())
}

/// `T` when `ty` is `Option<T>` (by its last path segment, as written).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

fn last_ident(ty: &Type) -> Option<&Ident> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last().map(|s| &s.ident),
        Type::Group(group) => last_ident(&group.elem),
        Type::Paren(paren) => last_ident(&paren.elem),
        _ => None,
    }
}

/// The span of a struct's name, where errors about the whole struct go.
pub(crate) fn struct_span(input: &DeriveInput) -> Span {
    input.ident.span()
}
