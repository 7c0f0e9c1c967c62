//! From a [`Model`] to Rust: the `NssRecord` impl with its straight-line walk, the inherent
//! `parse`, and (on error) the stub impl that keeps the user's code from cascading errors.
//!
//! Generated code names only `::nssgen`, `::core` and `::std` paths, and its local variables
//! carry mixed-site spans and a `__` prefix, so a user's `const pos` or a
//! `#![no_implicit_prelude]` module does not change what it means.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{DeriveInput, GenericParam, Generics, Lifetime};

use crate::errors::Errors;
use crate::model::{Encoding, Member, Model, Step};

/// The impl's generics: the struct's own, plus a lifetime for the line when it has none.
pub(crate) struct ImplGenerics {
    lifetime: Lifetime,
    impl_generics: TokenStream,
    ty_generics: TokenStream,
    where_clause: TokenStream,
}

/// The struct's generics as the impls need them. A struct may have at most one lifetime (the
/// line's) and no type or const parameters; anything else is reported and the stub still
/// gets usable generics.
pub(crate) fn impl_generics(generics: &Generics, errors: Option<&mut Errors>) -> ImplGenerics {
    let lifetimes: Vec<&Lifetime> = generics.lifetimes().map(|l| &l.lifetime).collect();
    let others = generics.params.iter().any(|p| !matches!(p, GenericParam::Lifetime(_)));
    if let Some(errors) = errors {
        if lifetimes.len() > 1 || others {
            errors.on(
                &generics.params,
                "NssRecord needs at most one lifetime parameter (the line's) and no type or const \
                 parameters",
            );
        }
    }
    let (_, ty_generics, where_clause) = generics.split_for_impl();
    let ty_generics = ty_generics.to_token_stream();
    let where_clause = where_clause.to_token_stream();
    match lifetimes.first() {
        Some(lifetime) => {
            let (impl_generics, _, _) = generics.split_for_impl();
            ImplGenerics {
                lifetime: (*lifetime).clone(),
                impl_generics: impl_generics.to_token_stream(),
                ty_generics,
                where_clause,
            }
        }
        None => {
            let lifetime = Lifetime::new("'a", Span::call_site());
            let mut with_line = generics.clone();
            with_line.params.insert(0, GenericParam::Lifetime(syn::LifetimeParam::new(lifetime.clone())));
            let (impl_generics, _, _) = with_line.split_for_impl();
            ImplGenerics {
                lifetime,
                impl_generics: impl_generics.to_token_stream(),
                ty_generics,
                where_clause,
            }
        }
    }
}

/// A local variable of the generated code. The mixed-site span hides it from the user's code;
/// the `__` prefix keeps a user's constant of the same name from turning its `let` into a
/// pattern match (constants resolve at the call site even then).
fn local(name: &str) -> Ident {
    format_ident!("__{}", name, span = Span::mixed_site())
}

/// The `line` parameter of the public methods, named plainly because rustdoc shows it.
fn public_line() -> Ident {
    Ident::new("line", Span::mixed_site())
}

fn field_var(name: &str) -> Ident {
    format_ident!("__f_{}", name, span = Span::mixed_site())
}

fn encoding(e: Encoding) -> TokenStream {
    match e {
        Encoding::Plain => quote!(::nssgen::Encoding::Plain),
        Encoding::Hex => quote!(::nssgen::Encoding::Hex),
        Encoding::Base64 => quote!(::nssgen::Encoding::Base64),
    }
}

/// How the walk keeps a format field's value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Not read, printed once: skipped.
    Skip,
    /// Printed only in the body: a `(text, offset)` bound at its first occurrence.
    Tuple,
    /// Printed in the header: an `Option<(text, offset)>`, `None` on a headless line.
    Optional,
}

/// The generated impls.
pub(crate) fn expand(input: &DeriveInput, model: &Model, generics: &ImplGenerics) -> TokenStream {
    let name = &input.ident;
    let ImplGenerics { lifetime, impl_generics, ty_generics, where_clause } = generics;
    let format = &model.format;
    let walk = walk_closure(model, lifetime);
    let line = public_line();
    let walk_id = local("walk");
    let record = local("record");
    let error = local("error");
    let exact = quote!(::nssgen::Parsed { record: #record, path: ::nssgen::ParsePath::Exact });

    let parse_body = if model.body.is_none() && !model.json {
        quote! {
            #walk
            #walk_id(#line).map(|#record| #exact)
        }
    } else {
        let first_walk = if model.body.is_some() {
            quote!(#walk_id(#line, ::core::option::Option::None))
        } else {
            quote!(#walk_id(#line))
        };
        let headless = model.body.as_ref().map(|_| {
            let start = local("start");
            quote! {
                if let ::core::option::Option::Some(#start) = ::nssgen::__private::body_start(#line) {
                    if let ::core::result::Result::Ok(#record) = #walk_id(#line, ::core::option::Option::Some(#start)) {
                        return ::core::result::Result::Ok(::nssgen::Parsed {
                            record: #record,
                            path: ::nssgen::ParsePath::Headless,
                        });
                    }
                }
            }
        });
        let tail = if model.json {
            json_fallback(model, lifetime)
        } else {
            quote!(::core::result::Result::Err(#error))
        };
        quote! {
            #walk
            let #error = match #first_walk {
                ::core::result::Result::Ok(#record) => return ::core::result::Result::Ok(#exact),
                ::core::result::Result::Err(#error) => #error,
            };
            // A line that matched the format's shape but contradicts itself (a field printed
            // twice with two values) is not read another way.
            if !::nssgen::__private::retry(&#error) {
                return ::core::result::Result::Err(#error);
            }
            #headless
            #tail
        }
    };
    let include = model.file.as_ref().map(|rel| {
        let path = if std::path::Path::new(rel).is_absolute() {
            quote!(#rel)
        } else {
            let rel = format!("/{rel}");
            quote!(::core::concat!(::core::env!("CARGO_MANIFEST_DIR"), #rel))
        };
        quote! {
            // Editing the format file rebuilds the crate, and so re-runs the derive.
            const _: &[u8] = ::core::include_bytes!(#path);
        }
    });
    let inherent = inherent_parse(name, generics);
    let paths = local("paths");
    let parse_walk = exact_walk(
        model,
        lifetime,
        &quote!(return Self::__nssgen_paths_record(#line)),
        |record| quote!(::core::result::Result::Ok(#record)),
    );
    let detailed_walk = exact_walk(
        model,
        lifetime,
        &quote!(return Self::__nssgen_paths(#line)),
        |record| quote!(::core::result::Result::Ok(::nssgen::Parsed { record: #record, path: ::nssgen::ParsePath::Exact })),
    );
    quote! {
        #include
        #[automatically_derived]
        impl #impl_generics ::nssgen::NssRecord<#lifetime> for #name #ty_generics #where_clause {
            const FORMAT: &'static str = #format;

            fn parse(#line: &#lifetime str) -> ::core::result::Result<Self, ::nssgen::ParseError> {
                #parse_walk
            }

            fn parse_detailed(
                #line: &#lifetime str,
            ) -> ::core::result::Result<::nssgen::Parsed<Self>, ::nssgen::ParseError> {
                #detailed_walk
            }
        }
        #[automatically_derived]
        impl #impl_generics #name #ty_generics #where_clause {
            /// Every path with its errors: exact, headless, JSON fallback. `parse` and
            /// `parse_detailed` come here when their exact walk does not take the line.
            #[doc(hidden)]
            #[cold]
            #[inline(never)]
            fn __nssgen_paths(
                #line: &#lifetime str,
            ) -> ::core::result::Result<::nssgen::Parsed<Self>, ::nssgen::ParseError> {
                #parse_body
            }

            /// [`Self::__nssgen_paths`] for `parse`, out of line so that each place the exact
            /// walk gives up costs one call.
            #[doc(hidden)]
            #[cold]
            #[inline(never)]
            fn __nssgen_paths_record(
                #line: &#lifetime str,
            ) -> ::core::result::Result<Self, ::nssgen::ParseError> {
                Self::__nssgen_paths(#line).map(|#paths| #paths.record)
            }
        }
        #inherent
    }
}

/// What a member's conversion names: the walk's variable for its format field, the field's
/// name, its encoding, and the struct field.
fn member_parts<'m>(model: &'m Model, member: &'m Member) -> (Ident, &'m str, TokenStream, &'m Ident) {
    let field = &model.fields[member.field];
    (field_var(&field.name), &field.name, encoding(field.encoding), &member.ident)
}

/// The byte worth a bitmap of the line (`__private::Marks`): the first byte most literals that
/// end a value start with (`"` in a JSON body), when at least [`MARKED_STEPS`] do. The last
/// literal is left out: `split_last` finds it from the line's end.
fn marked_byte(steps: &[Step]) -> Option<u8> {
    let mut counts = [0usize; 256];
    for pair in steps.windows(2).take(steps.len().saturating_sub(2)) {
        if let [Step::Field { .. }, Step::Lit(lit)] = pair {
            if let Some(&first) = lit.as_bytes().first() {
                counts[usize::from(first)] += 1;
            }
        }
    }
    let (byte, &count) = counts.iter().enumerate().max_by_key(|(_, count)| **count)?;
    u8::try_from(byte).ok().filter(|_| count >= MARKED_STEPS)
}

/// Values ended by the marked byte below which the bitmap costs more than it saves.
const MARKED_STEPS: usize = 4;

/// The hot path of `parse` and `parse_detailed`: the exact walk of the whole line without
/// errors, the values of fields printed twice compared, each member converted, and the record
/// built in place by `done`. Wherever a step fails, `fail` hands the line to `__nssgen_paths`,
/// which walks it again with errors; this walk takes a line only when that one would take it
/// with the same record, so it changes no outcome. It exists so that the common line costs no
/// error plumbing, no offsets and no copy of the record.
fn exact_walk(
    model: &Model,
    lifetime: &Lifetime,
    fail: &TokenStream,
    done: impl FnOnce(TokenStream) -> TokenStream,
) -> TokenStream {
    let line = public_line();
    let rest = local("rest");
    let value = local("value");
    let steps = &model.steps;
    let last = steps.len().saturating_sub(1);
    let mut code = quote!(let #rest: &#lifetime str = #line;);
    let marks = local("marks");
    let marked = marked_byte(steps);
    if let Some(byte) = marked {
        code.extend(quote!(let #marks = ::nssgen::__private::Marks::new(#line, #byte);));
    }
    let mut bound = vec![false; model.fields.len()];
    for (i, step) in steps.iter().enumerate() {
        let (index, width) = match step {
            // Only a leading literal is a step of its own; the others end a field's value.
            Step::Lit(text) if i == 0 => {
                code.extend(quote! {
                    let ::core::option::Option::Some(#rest) = ::nssgen::__private::strip_literal(#rest, #text) else { #fail };
                });
                continue;
            }
            Step::Lit(_) => continue,
            Step::Field { field, width } => (*field, *width as usize),
        };
        let f = &model.fields[index];
        let read = f.member.is_some() || f.occurrences.len() > 1;
        let bind = if read { quote!(#value) } else { quote!(_) };
        match steps.get(i + 1) {
            None => code.extend(quote!(let #bind = #rest;)),
            Some(Step::Lit(lit)) if i + 1 == last => code.extend(quote! {
                let ::core::option::Option::Some(#bind) = ::nssgen::__private::split_last(#rest, #width, #lit) else {
                    #fail
                };
            }),
            Some(Step::Lit(lit)) if marked.is_some() && lit.as_bytes().first() == marked.as_ref() => {
                code.extend(quote! {
                    let ::core::option::Option::Some((#bind, #rest)) =
                        ::nssgen::__private::split_marked(&#marks, #line, #rest, #width, #lit)
                    else {
                        #fail
                    };
                })
            }
            Some(Step::Lit(lit)) => code.extend(quote! {
                let ::core::option::Option::Some((#bind, #rest)) = ::nssgen::__private::split(#rest, #width, #lit) else {
                    #fail
                };
            }),
            Some(Step::Field { .. }) => {}
        }
        if read {
            let var = field_var(&f.name);
            if std::mem::replace(&mut bound[index], true) {
                code.extend(quote! {
                    if !::nssgen::__private::same_text(#var, #value) {
                        #fail
                    }
                });
            } else {
                code.extend(quote!(let #var = #value;));
            }
        }
    }
    // A last field takes the rest of the line, and a last literal after a field ends it; a
    // format of one literal (or none) must be the whole line.
    if steps.len() < 2 && !matches!(steps.last(), Some(Step::Field { .. })) {
        code.extend(quote! {
            if !#rest.is_empty() {
                #fail
            }
        });
    }
    let inits = model.members.iter().map(|member| {
        let (var, name, enc, ident) = member_parts(model, member);
        let value = quote_spanned! {member.ty.span()=>
            match ::nssgen::__private::convert(#var, #enc, #name) {
                ::core::result::Result::Ok(#value) => #value,
                ::core::result::Result::Err(_) => { #fail }
            }
        };
        quote!(#ident: #value)
    });
    let record = done(quote!(Self { #(#inits),* }));
    quote! {
        #code
        #record
    }
}

fn inherent_parse(name: &Ident, generics: &ImplGenerics) -> TokenStream {
    let ImplGenerics { lifetime, impl_generics, ty_generics, where_clause } = generics;
    let line = public_line();
    quote! {
        #[automatically_derived]
        impl #impl_generics #name #ty_generics #where_clause {
            /// Parses one line (without its final newline) of this record's feed output
            /// format: exactly, without the syslog header, or through the JSON fallback.
            /// `nssgen::NssRecord::parse_detailed` also says which path parsed it.
            #[allow(dead_code)]
            pub fn parse(#line: &#lifetime str) -> ::core::result::Result<Self, ::nssgen::ParseError> {
                <Self as ::nssgen::NssRecord<#lifetime>>::parse(#line)
            }
        }
    }
}

/// The `walk` closure: the straight-line parser. With a header it takes `headless`: `None`
/// walks the whole line, `Some(start)` the body from the line's first `{`.
fn walk_closure(model: &Model, lifetime: &Lifetime) -> TokenStream {
    let line = local("line");
    let walk = local("walk");
    let keep: Vec<Keep> = model
        .fields
        .iter()
        .map(|f| {
            if f.member.is_none() && f.occurrences.len() < 2 {
                Keep::Skip
            } else if f.occurrences.iter().any(|&s| model.in_header(s)) {
                Keep::Optional
            } else {
                Keep::Tuple
            }
        })
        .collect();
    let steps = &model.steps;
    let rest = local("rest");
    let mut code = TokenStream::new();
    let params;
    match &model.body {
        None => {
            params = quote!(#line: &#lifetime str);
            code.extend(quote!(let #rest: &#lifetime str = #line;));
            code.extend(steps_code(model, &keep, 0..steps.len()));
        }
        Some(split) => {
            let headless = local("headless");
            let start = local("start");
            params = quote!(#line: &#lifetime str, #headless: ::core::option::Option<usize>);
            for (field, _) in model.fields.iter().zip(&keep).filter(|(_, k)| **k == Keep::Optional) {
                let var = field_var(&field.name);
                code.extend(quote!(let mut #var = ::core::option::Option::None;));
            }
            let tail = &split.tail;
            // The whole line: the header, then the literal holding the body's `{`, whole. A
            // headless line: that literal from its `{`, at the line's first `{`.
            let header = steps_code(model, &keep, 0..split.step + 1);
            code.extend(quote! {
                let #rest: &#lifetime str = match #headless {
                    ::core::option::Option::Some(#start) => {
                        match #line.get(#start..).and_then(|#rest| #rest.strip_prefix(#tail)) {
                            ::core::option::Option::Some(#rest) => #rest,
                            ::core::option::Option::None => {
                                return ::core::result::Result::Err(::nssgen::__private::expected_literal(#start, #tail));
                            }
                        }
                    }
                    ::core::option::Option::None => {
                        let #rest: &#lifetime str = #line;
                        #header
                        #rest
                    }
                };
            });
            code.extend(steps_code(model, &keep, split.step + 1..steps.len()));
        }
    }
    // A last field runs to the end of the line; after a last literal the line must end.
    if !matches!(steps.last(), Some(Step::Field { .. })) {
        code.extend(quote!(::nssgen::__private::end(#line, ::nssgen::__private::offset(#line, #rest))?;));
    }
    let inits = model.members.iter().map(|member| {
        let (var, name, enc, ident) = member_parts(model, member);
        let (text, at, value, why) = (local("text"), local("at"), local("value"), local("why"));
        // The text at its offset, converted; a value that does not convert is an error there.
        let converted = |text: &TokenStream, at: &TokenStream| {
            quote_spanned! {member.ty.span()=>
                match ::nssgen::__private::convert(#text, #enc, #name) {
                    ::core::result::Result::Ok(#value) => #value,
                    ::core::result::Result::Err(#why) => return ::core::result::Result::Err(::nssgen::__private::unconverted(#why, #name, #at)),
                }
            }
        };
        let value = match keep[member.field] {
            Keep::Optional => {
                let found = converted(&quote!(#text), &quote!(#at));
                quote_spanned! {member.ty.span()=>
                    match #var {
                        ::core::option::Option::Some((#text, #at)) => #found,
                        ::core::option::Option::None => ::nssgen::__private::missing(#name, 0)?,
                    }
                }
            }
            _ => converted(&quote!(#var.0), &quote!(#var.1)),
        };
        quote!(#ident: #value)
    });
    quote! {
        let #walk = |#params| -> ::core::result::Result<Self, ::nssgen::ParseError> {
            #code
            ::core::result::Result::Ok(Self { #(#inits),* })
        };
    }
}

/// The code for `steps[range]`, walking `rest` (the line from the current position on): each
/// literal checked in place, each field's value taken up to the start of the literal after it
/// (searched from the spec's width on), or to the end of the line when it is last; when the
/// format ends with a literal, the last field's value runs up to where that literal ends the
/// line (the interpreter's rule). A literal found by the search that ended the field before it
/// is not checked again. The helpers fail with `None`; the errors are built by cold functions,
/// off the straight-line path.
fn steps_code(model: &Model, keep: &[Keep], range: std::ops::Range<usize>) -> TokenStream {
    let line = local("line");
    let rest = local("rest");
    let pos = local("pos");
    let value = local("value");
    let offset = quote!(::nssgen::__private::offset(#line, #rest));
    let mut code = TokenStream::new();
    let last = model.steps.len().saturating_sub(1);
    for i in range.clone() {
        let (index, width) = match &model.steps[i] {
            Step::Lit(_) if i > range.start => continue,
            Step::Lit(text) => {
                code.extend(quote! {
                    let ::core::option::Option::Some(#rest) = #rest.strip_prefix(#text) else {
                        return ::core::result::Result::Err(::nssgen::__private::expected_literal(#offset, #text));
                    };
                });
                continue;
            }
            Step::Field { field, width } => (*field, *width as usize),
        };
        let f = &model.fields[index];
        let kind = keep[index];
        let name = &f.name;
        let var = field_var(name);
        let bind = if kind == Keep::Skip { quote!(_) } else { quote!(#value) };
        let stored = store(model, f, i, kind, &var);
        if kind != Keep::Skip {
            // The value's offset, for the errors its conversion may give.
            code.extend(quote!(let #pos: usize = #offset;));
        }
        match model.steps.get(i + 1) {
            None => {
                // The last step: the value runs to the end of the line.
                code.extend(quote!(let #bind = #rest;));
                code.extend(stored);
            }
            Some(Step::Lit(lit)) if i + 1 == last => {
                code.extend(quote! {
                    let #bind = match ::nssgen::__private::split_last(#rest, #width, #lit) {
                        ::core::option::Option::Some(#value) => #value,
                        ::core::option::Option::None => {
                            ::nssgen::__private::last_value_slow(#line, #offset, #width, #lit, #name)?
                        }
                    };
                    let #rest: &str = "";
                });
                code.extend(stored);
            }
            Some(Step::Lit(lit)) => {
                code.extend(quote! {
                    let ::core::option::Option::Some((#bind, #rest)) = ::nssgen::__private::split(#rest, #width, #lit) else {
                        return ::core::result::Result::Err(::nssgen::__private::missing_literal(#offset, #lit, #name));
                    };
                });
                code.extend(stored);
            }
            // Fields never follow fields (the model rejects it).
            Some(Step::Field { .. }) => {}
        }
    }
    code
}

/// Keeps the value of occurrence `step` of field `f` (`value`, at `pos`), or checks it agrees
/// with the occurrence kept before.
fn store(model: &Model, f: &crate::model::FormatField, step: usize, kind: Keep, var: &Ident) -> TokenStream {
    let value = local("value");
    let pos = local("pos");
    let first = local("first");
    let name = &f.name;
    let nth = f.occurrences.iter().position(|&s| s == step).unwrap_or(0);
    let agree = quote!(::nssgen::__private::agree(#first, #value, #name, #pos)?;);
    match kind {
        Keep::Skip => quote!(),
        Keep::Tuple if nth == 0 => quote!(let #var = (#value, #pos);),
        Keep::Tuple => quote!(::nssgen::__private::agree(#var.0, #value, #name, #pos)?;),
        Keep::Optional if nth == 0 => quote!(#var = ::core::option::Option::Some((#value, #pos));),
        Keep::Optional => {
            let in_header = model.in_header(step);
            let first_in_body =
                !in_header && f.occurrences.iter().find(|&&s| !model.in_header(s)) == Some(&step);
            let later_in_body = f.occurrences.iter().any(|&s| s > step);
            if first_in_body && (f.member.is_some() || later_in_body) {
                quote! {
                    match #var {
                        ::core::option::Option::Some((#first, _)) => { #agree }
                        ::core::option::Option::None => #var = ::core::option::Option::Some((#value, #pos)),
                    }
                }
            } else {
                quote! {
                    if let ::core::option::Option::Some((#first, _)) = #var {
                        #agree
                    }
                }
            }
        }
    }
}

/// The JSON fallback: the runtime reads the body as JSON (when the format's body is JSON) and
/// the struct takes each field's value by name; otherwise the exact walk's error stands.
fn json_fallback(model: &Model, lifetime: &Lifetime) -> TokenStream {
    let line = public_line();
    let json = local("json");
    let error = local("error");
    let encodings = model.fields.iter().map(|f| {
        let name = &f.name;
        let enc = encoding(f.encoding);
        quote!((#name, #enc))
    });
    let read = quote! {
        FALLBACK.read_or(<Self as ::nssgen::NssRecord<#lifetime>>::FORMAT, ENCODINGS, #line, #error)?
    };
    let (bind, record) = if model.members.is_empty() {
        (quote!(#read;), quote!(Self {}))
    } else {
        let takes = model.members.iter().map(|member| {
            let field = &model.fields[member.field];
            let name = &field.name;
            let enc = encoding(field.encoding);
            let ident = &member.ident;
            let take = quote_spanned!(member.ty.span()=> #json.take(#name, #enc)?);
            quote!(#ident: #take)
        });
        (quote!(let mut #json = #read;), quote!(Self { #(#takes),* }))
    };
    quote! {
        static FALLBACK: ::nssgen::__private::Fallback = ::nssgen::__private::Fallback::new();
        const ENCODINGS: &[(&str, ::nssgen::Encoding)] = &[#(#encodings),*];
        #bind
        ::core::result::Result::Ok(::nssgen::Parsed { record: #record, path: ::nssgen::ParsePath::Json })
    }
}

/// What the derive emits after an error: an impl of the trait and the inherent `parse` whose
/// bodies never run, so the user's calls type-check and the only errors shown are the derive's.
pub(crate) fn stub(input: &DeriveInput, generics: &ImplGenerics) -> TokenStream {
    let name = &input.ident;
    let ImplGenerics { lifetime, impl_generics, ty_generics, where_clause } = generics;
    let inherent = inherent_parse(name, generics);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::nssgen::NssRecord<#lifetime> for #name #ty_generics #where_clause {
            const FORMAT: &'static str = "";

            fn parse_detailed(
                _: &#lifetime str,
            ) -> ::core::result::Result<::nssgen::Parsed<Self>, ::nssgen::ParseError> {
                ::core::unreachable!("the derive reported an error")
            }
        }
        #inherent
    }
}
