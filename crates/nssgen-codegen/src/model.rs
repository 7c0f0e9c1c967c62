//! What a derive generates code from: the format as a walk (steps, where the body starts),
//! its distinct fields with their encodings, and which struct field reads which format field.
//! Every check the derive makes happens here, each error on its token.

use nssgen_catalog::{LogType, Variant};
use nssgen_syntax::{Conversion, Format, Item};
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type};

use crate::attr::{self, EncodingAttr};
use crate::errors::Errors;
use crate::source::Source;
use crate::suggest::closest_n;

/// How NSS encoded a field's value; mirrors `nssgen::Encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Plain,
    Hex,
    Base64,
}

impl From<EncodingAttr> for Encoding {
    fn from(e: EncodingAttr) -> Self {
        match e {
            EncodingAttr::Plain => Encoding::Plain,
            EncodingAttr::Hex => Encoding::Hex,
            EncodingAttr::Base64 => Encoding::Base64,
        }
    }
}

/// One element of the walk. Literals never follow literals (the AST merges them) and fields
/// never follow fields (an error), so the two alternate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Text that must be at the current position (decoded: `{` for `\{`).
    Lit(String),
    /// A field's value; `width` is the spec's printf width (the value is at least that long).
    Field { field: usize, width: u32 },
}

/// A distinct field of the format.
#[derive(Clone, Debug)]
pub(crate) struct FormatField {
    pub(crate) name: String,
    /// The conversion of its first occurrence.
    pub(crate) conv: Conversion,
    pub(crate) encoding: Encoding,
    /// The steps that print it, in order.
    pub(crate) occurrences: Vec<usize>,
    /// The struct field that reads it.
    pub(crate) member: Option<usize>,
}

/// A struct field and the format field it reads.
pub(crate) struct Member {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    pub(crate) field: usize,
}

/// Where the body (from the first `{` of the format's literal text) starts, when a header
/// comes before it: the step of the literal holding that `{`, the `{`'s byte offset in it, and
/// that literal's text from the `{` on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BodySplit {
    pub(crate) step: usize,
    pub(crate) offset: usize,
    pub(crate) tail: String,
}

/// Everything the code generator needs.
pub(crate) struct Model {
    pub(crate) format: String,
    /// A format file, relative to the manifest dir, to `include_bytes!` so that editing it
    /// rebuilds the crate.
    pub(crate) file: Option<String>,
    pub(crate) steps: Vec<Step>,
    pub(crate) fields: Vec<FormatField>,
    pub(crate) members: Vec<Member>,
    /// Set when the format has both a header and a body: lines without the header parse too.
    pub(crate) body: Option<BodySplit>,
    /// Whether the format has a body (a `{` in its literal text): lines that fail the walks go
    /// to the JSON fallback, which reads the body as JSON when it is JSON (the runtime's
    /// interpreter decides, for the derive and itself alike) and otherwise gives the exact
    /// walk's error back.
    pub(crate) json: bool,
}

impl Model {
    /// The steps of the header: everything up to and including the literal holding the `{`.
    pub(crate) fn in_header(&self, step: usize) -> bool {
        self.body.as_ref().is_some_and(|b| step <= b.step)
    }
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
    let (steps, mut fields, mut ok) = walk_steps(&format, &source, errors);
    for field in &mut fields {
        field.encoding = catalog_encoding(&field.name, source.catalog);
    }

    let mut members = Vec::new();
    for (field, attrs) in named.iter().zip(&attrs) {
        let Some(ident) = field.ident.clone() else { continue };
        let (name, span) = match &attrs.field {
            Some(lit) => (lit.value(), lit.span()),
            None => (ident.unraw().to_string(), ident.span()),
        };
        let Some(index) = fields.iter().position(|f| f.name == name) else {
            errors.at(span, unknown_field(&name, &fields, source.catalog));
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
            target.encoding = encoding.into();
        }
        if let Err(message) = check_type(&field.ty, target.conv, &name) {
            errors.on(&field.ty, message);
            ok = false;
        }
        target.member = Some(members.len());
        members.push(Member { ident, ty: field.ty.clone(), field: index });
    }
    if !ok {
        return None;
    }
    let split = body_split(&steps);
    let json = split.is_some();
    let body = split.filter(|b| b.step > 0 || b.offset > 0);
    Some(Model {
        format: source.text.clone(),
        file: source.origin.file(),
        steps,
        fields,
        members,
        body,
        json,
    })
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

/// The format's items as steps, its distinct fields, and `false` when two fields have no
/// literal between them (each such pair reported).
fn walk_steps(format: &Format, source: &Source, errors: &mut Errors) -> (Vec<Step>, Vec<FormatField>, bool) {
    let mut steps = Vec::new();
    let mut fields: Vec<FormatField> = Vec::new();
    let mut previous: Option<&nssgen_syntax::FieldSpec> = None;
    let mut ok = true;
    let last = format.items.len().saturating_sub(1);
    for (at, item) in format.items.iter().enumerate() {
        match item {
            Item::Literal(lit) if lit.text.is_empty() => {}
            Item::Literal(lit) => {
                previous = None;
                // A format ending in `\n` ends with NSS's line terminator, and lines come without
                // their final newline (the interpreter reads it the same way).
                let text = match lit.text.strip_suffix('\n') {
                    Some(text) if at == last => text,
                    _ => &lit.text,
                };
                if !text.is_empty() {
                    steps.push(Step::Lit(text.to_owned()));
                }
            }
            Item::Field(spec) => {
                if let Some(first) = previous {
                    let text = &source.text;
                    let message = format!(
                        "`{}` follows `{}` with no literal between them, so no parser can tell where \
                         one ends and the other begins; put a separator between them",
                        &text[spec.span.range()],
                        &text[first.span.range()],
                    );
                    errors.push(source.origin.error(text, spec.span.range(), &message));
                    ok = false;
                }
                previous = Some(spec);
                let index = match fields.iter().position(|f| f.name == spec.name) {
                    Some(index) => index,
                    None => {
                        fields.push(FormatField {
                            name: spec.name.clone(),
                            conv: spec.conv,
                            encoding: Encoding::Plain,
                            occurrences: Vec::new(),
                            member: None,
                        });
                        fields.len() - 1
                    }
                };
                fields[index].occurrences.push(steps.len());
                steps.push(Step::Field { field: index, width: spec.width.unwrap_or(0) });
            }
        }
    }
    (steps, fields, ok)
}

/// The encoding NSS gives a field: from the built-in format's catalog log type, otherwise from
/// any catalog log type that reads the name as a hex or base64 variant (the catalog's one rule,
/// [`LogType::variant_of`], which the emulator and the CLI's interpreter follow too).
pub(crate) fn catalog_encoding(name: &str, catalog: Option<&LogType>) -> Encoding {
    let variant = match catalog {
        Some(log_type) => log_type.variant_of(name),
        None => nssgen_catalog::encoded_variant_of_any(name),
    }
    .map(|v| v.variant);
    match variant {
        Some(Variant::Hex) => Encoding::Hex,
        Some(Variant::B64) => Encoding::Base64,
        _ => Encoding::Plain,
    }
}

fn unknown_field(name: &str, fields: &[FormatField], catalog: Option<&LogType>) -> String {
    let mut message = format!("no field `{name}` in the format");
    let documented = match catalog {
        Some(log_type) => log_type.field(name).map(|_| log_type.id.clone()),
        None => nssgen_catalog::log_types().find(|t| t.field(name).is_some()).map(|t| t.id.clone()),
    };
    if let Some(log_type) = documented {
        message.push_str(&format!(" (a Zscaler {log_type} field, but this format does not print it)"));
    }
    let mut near = closest_n(name, fields.iter().map(|f| f.name.as_str()), 3);
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

/// The literal holding the format's first `{` and the `{`'s offset in it.
fn body_split(steps: &[Step]) -> Option<BodySplit> {
    steps.iter().enumerate().find_map(|(step, s)| match s {
        Step::Lit(text) => {
            text.find('{').map(|offset| BodySplit { step, offset, tail: text[offset..].to_owned() })
        }
        Step::Field { .. } => None,
    })
}

/// The span of a struct's name, where errors about the whole struct go.
pub(crate) fn struct_span(input: &DeriveInput) -> Span {
    input.ident.span()
}
