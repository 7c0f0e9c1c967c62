//! From a [`Model`] to Rust: the `NssRecord` impl, and (on error) the stub impl that keeps the
//! user's code from cascading errors.
//!
//! Everything is emitted once, inside `const _: () = { ... };`: the record's plan as a static
//! (what `nssgen::Parser` would compile from the format), the straight-line walk of the whole
//! line unrolled from that plan, and a cold function handing every other line to the runtime,
//! which reads it through the plan as the interpreter does. No inherent method is added to the
//! user's type.
//!
//! Generated code names only the runtime crate (`::nssgen`, or the path of
//! `#[nss(crate = "...")]`), `::core` and `::std`, and its local variables carry mixed-site
//! spans and a `__` prefix, so a user's `const pos` or a `#![no_implicit_prelude]` module does
//! not change what it means.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{DeriveInput, GenericParam, Generics, Lifetime};

use nssgen_syntax::plan::{Body, Encoding, End, Field, List, Member as JsonMember, Node, Plan, Walk};
use nssgen_syntax::Conversion;

use crate::errors::Errors;
use crate::model::Model;

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

fn encoding(k: &TokenStream, e: Encoding) -> TokenStream {
    match e {
        Encoding::Plain => quote!(#k::Encoding::Plain),
        Encoding::Hex => quote!(#k::Encoding::Hex),
        Encoding::Base64 => quote!(#k::Encoding::Base64),
    }
}

/// The generated items.
pub(crate) fn expand(
    input: &DeriveInput,
    model: &Model,
    generics: &ImplGenerics,
    k: &TokenStream,
) -> TokenStream {
    let name = &input.ident;
    let ImplGenerics { lifetime, impl_generics, ty_generics, where_clause } = generics;
    let format = &model.format;
    let line = public_line();
    let (fast, paths, plan, fields) = (local("fast"), local("paths"), local("PLAN"), local("fields"));
    let record = local("record");
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
    let walk = fast_walk(model, name, lifetime, k);
    let plan_value = plan_tokens(&model.plan, k);
    let takes = model.members.iter().enumerate().map(|(i, member)| {
        let index = member.field;
        let field_name = &*model.plan.fields[index].name;
        let ident = &member.ident;
        let convert = convert_fn(i);
        quote!(#ident: #fields.take(#index, #field_name, #convert)?)
    });
    let converts = model.members.iter().enumerate().map(|(i, member)| {
        let field = &model.plan.fields[member.field];
        let (name, enc, ty) = (&*field.name, encoding(k, field.encoding), &member.ty);
        let convert = convert_fn(i);
        let text = local("text");
        // Spanned on the member's type, the runtime's path too: a type that is not `FromField`
        // is one error, there.
        let at = respan(k.clone(), ty.span());
        let call = quote_spanned!(ty.span()=> #at::__private::convert(#text, #enc, #name));
        quote! {
            #[inline(always)]
            fn #convert #impl_generics (
                #text: ::core::option::Option<::std::borrow::Cow<#lifetime, str>>,
            ) -> ::core::result::Result<#ty, #k::__private::Unconverted> #where_clause {
                #call
            }
        }
    });
    let parsed = quote!(#k::Parsed<#name #ty_generics>);
    let alias = plan_alias();
    quote! {
        const _: () = {
            #include
            use #k::__private::plan as #alias;
            static #plan: #alias::Plan = #plan_value;

            #(#converts)*

            /// The whole line walked exactly, without errors: `None` wherever a step fails.
            #[inline(always)]
            fn #fast #impl_generics (#line: &#lifetime str) -> ::core::option::Option<#name #ty_generics> #where_clause {
                #walk
            }

            /// Every path with its errors, for the lines the exact walk did not take.
            #[cold]
            #[inline(never)]
            fn #paths #impl_generics (#line: &#lifetime str) -> ::core::result::Result<#parsed, #k::ParseError> #where_clause {
                #k::__private::paths(&#plan, #line, |#fields| ::core::result::Result::Ok(#name { #(#takes),* }))
            }

            #[automatically_derived]
            impl #impl_generics #k::NssRecord<#lifetime> for #name #ty_generics #where_clause {
                const FORMAT: &'static str = #format;

                fn parse(#line: &#lifetime str) -> ::core::result::Result<Self, #k::ParseError> {
                    match #fast(#line) {
                        ::core::option::Option::Some(#record) => ::core::result::Result::Ok(#record),
                        ::core::option::Option::None => #paths(#line).map(|#record| #record.record),
                    }
                }

                fn parse_exact(#line: &#lifetime str) -> ::core::option::Option<Self> {
                    #fast(#line)
                }

                fn parse_inexact(#line: &#lifetime str) -> ::core::result::Result<#parsed, #k::ParseError> {
                    #paths(#line)
                }

                fn parse_detailed(#line: &#lifetime str) -> ::core::result::Result<#parsed, #k::ParseError> {
                    match #fast(#line) {
                        ::core::option::Option::Some(#record) => ::core::result::Result::Ok(#k::Parsed::exact(#record)),
                        ::core::option::Option::None => #paths(#line),
                    }
                }
            }
        };
    }
}

/// `tokens` with every span set to `span`.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut inner = proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tree = proc_macro2::TokenTree::Group(inner);
            }
            tree.set_span(span);
            tree
        })
        .collect()
}

/// The conversion function of the `i`th member, which both paths call.
fn convert_fn(i: usize) -> Ident {
    format_ident!("__convert_{}", i)
}

/// The byte worth a bitmap of the line (`__private::Marks`): the first byte most literals that
/// end a value start with (`"` in a JSON body), when at least [`MARKED_STEPS`] do. The last
/// literal is left out: `split_last` finds it from the line's end.
fn marked_byte(walk: &Walk) -> Option<u8> {
    let mut counts = [0usize; 256];
    for step in walk.steps.iter() {
        if let End::Next(lit) = &step.end {
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

/// The hot path: the plan's exact walk of the whole line unrolled, without errors, the values
/// of fields printed twice compared, each member converted, and the record built in place.
/// Wherever a step fails it gives `None` and the caller hands the line to the runtime, which
/// walks it again through the plan with errors; this walk takes a line only when that one
/// would take it with the same record, so it changes no outcome. It exists so that the common
/// line costs no error plumbing, no offsets and no copy of the record.
fn fast_walk(model: &Model, name: &Ident, lifetime: &Lifetime, k: &TokenStream) -> TokenStream {
    let line = public_line();
    let rest = local("rest");
    let value = local("value");
    let walk = &model.plan.exact;
    let none = quote!(return ::core::option::Option::None);
    let mut code = quote!(let #rest: &#lifetime str = #line;);
    let marks = local("marks");
    let marked = marked_byte(walk);
    if let Some(byte) = marked {
        code.extend(quote!(let #marks = #k::__private::Marks::new(#line, #byte);));
    }
    if let Some(lead) = &walk.lead {
        let lead = &**lead;
        code.extend(quote! {
            let #rest = #k::__private::strip_literal(#rest, #lead)?;
        });
    }
    let mut bound = vec![false; model.fields.len()];
    for step in walk.steps.iter() {
        let index = step.field;
        let width = step.width;
        let f = &model.fields[index];
        let read = f.member.is_some() || f.occurrences > 1;
        let bind = if read { quote!(#value) } else { quote!(_) };
        match &step.end {
            End::Rest => code.extend(quote!(let #bind = #rest;)),
            End::Last(lit) => {
                let lit = &**lit;
                code.extend(quote! {
                    let #bind = #k::__private::split_last(#rest, #width, #lit)?;
                })
            }
            End::Next(lit) if marked.is_some() && lit.as_bytes().first() == marked.as_ref() => {
                let lit = &**lit;
                code.extend(quote! {
                    let (#bind, #rest) = #k::__private::split_marked(&#marks, #line, #rest, #width, #lit)?;
                })
            }
            End::Next(lit) => {
                let lit = &**lit;
                code.extend(quote! {
                    let (#bind, #rest) = #k::__private::split(#rest, #width, #lit)?;
                })
            }
        }
        if read {
            let var = field_var(&model.plan.fields[index].name);
            if std::mem::replace(&mut bound[index], true) {
                code.extend(quote! {
                    if !#k::__private::same_text(#var, #value) { #none }
                });
            } else {
                code.extend(quote!(let #var = #value;));
            }
        }
    }
    // A last field takes the rest of the line, and a last literal ends it; a format of one
    // literal (or none) must be the whole line.
    if walk.steps.is_empty() {
        code.extend(quote! {
            if !#rest.is_empty() { #none }
        });
    }
    let inits = model.members.iter().enumerate().map(|(i, member)| {
        let field: &Field = &model.plan.fields[member.field];
        let (var, convert, ident) = (field_var(&field.name), convert_fn(i), &member.ident);
        quote!(#ident: #convert(::core::option::Option::Some(::std::borrow::Cow::Borrowed(#var))).ok()?)
    });
    quote! {
        #code
        ::core::option::Option::Some(#name { #(#inits),* })
    }
}

/// The name the plan types are imported under inside the anonymous const (one short path for
/// the many items of a plan; a `use` of the types themselves could shadow the user's).
fn plan_alias() -> Ident {
    Ident::new("__plan", Span::call_site())
}

/// The plan written down as a constant expression of the runtime's plan types.
fn plan_tokens(plan: &Plan, k: &TokenStream) -> TokenStream {
    let alias = plan_alias();
    let p = quote!(#alias);
    let fields = plan.fields.iter().map(|f| {
        let name = str_tokens(&f.name, &p);
        let conv = conversion(k, f.conv);
        let enc = encoding(k, f.encoding);
        quote!(#p::Field { name: #name, conv: #conv, encoding: #enc })
    });
    let exact = walk_tokens(&plan.exact, &p);
    let body = option(plan.body.as_ref().map(|Body { header, headless, skeleton }| {
        let header = walk_tokens(header, &p);
        let headless = option(headless.as_ref().map(|w| walk_tokens(w, &p)));
        let skeleton = option(skeleton.as_ref().map(|members| members_tokens(members, &p)));
        quote!(#p::Body { header: #header, headless: #headless, skeleton: #skeleton })
    }));
    quote!(#p::Plan { fields: #p::List::Static(&[#(#fields),*]), exact: #exact, body: #body })
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

fn str_tokens(text: &str, p: &TokenStream) -> TokenStream {
    quote!(#p::Str::Borrowed(#text))
}

fn walk_tokens(walk: &Walk, p: &TokenStream) -> TokenStream {
    let lead = option(walk.lead.as_deref().map(|l| str_tokens(l, p)));
    let steps = walk.steps.iter().map(|step| {
        let (field, width) = (step.field, step.width);
        let end = match &step.end {
            End::Next(lit) => {
                let lit = str_tokens(lit, p);
                quote!(#p::End::Next(#lit))
            }
            End::Last(lit) => {
                let lit = str_tokens(lit, p);
                quote!(#p::End::Last(#lit))
            }
            End::Rest => quote!(#p::End::Rest),
        };
        quote!(#p::Step { field: #field, width: #width, end: #end })
    });
    quote!(#p::Walk { lead: #lead, steps: #p::List::Static(&[#(#steps),*]) })
}

fn members_tokens(members: &List<JsonMember>, p: &TokenStream) -> TokenStream {
    let members = members.iter().map(|m| {
        let key = str_tokens(&m.key, p);
        let node = node_tokens(&m.node, p);
        quote!(#p::Member { key: #key, node: #node })
    });
    quote!(#p::List::Static(&[#(#members),*]))
}

fn node_tokens(node: &Node, p: &TokenStream) -> TokenStream {
    match node {
        Node::Object(members) => {
            let members = members_tokens(members, p);
            quote!(#p::Node::Object(#members))
        }
        Node::Array(items) => {
            let items = items.iter().map(|n| node_tokens(n, p));
            quote!(#p::Node::Array(#p::List::Static(&[#(#items),*])))
        }
        Node::Str(walk) => {
            let walk = walk_tokens(walk, p);
            quote!(#p::Node::Str(#walk))
        }
        Node::Const(text) => {
            let text = str_tokens(text, p);
            quote!(#p::Node::Const(#text))
        }
        Node::Bare(field) => quote!(#p::Node::Bare(#field)),
        Node::Other => quote!(#p::Node::Other),
    }
}

fn conversion(k: &TokenStream, conv: Conversion) -> TokenStream {
    let variant = match conv {
        Conversion::S => quote!(S),
        Conversion::D => quote!(D),
        Conversion::U => quote!(U),
        Conversion::X => quote!(X),
        Conversion::Ld => quote!(Ld),
        Conversion::Lu => quote!(Lu),
        Conversion::Llu => quote!(Llu),
        // `Conversion` is non-exhaustive: a conversion the grammar learns before the derive
        // does is an error in the user's build, not a silent `s`.
        other => {
            let message = format!("internal error in the NssRecord derive: conversion `{other}` unknown");
            return quote!(::core::compile_error!(#message));
        }
    };
    quote!(#k::Conversion::#variant)
}

/// What the derive emits after an error: an impl of the trait whose body never runs, so the
/// user's calls type-check and the only errors shown are the derive's.
pub(crate) fn stub(input: &DeriveInput, generics: &ImplGenerics, k: &TokenStream) -> TokenStream {
    let name = &input.ident;
    let ImplGenerics { lifetime, impl_generics, ty_generics, where_clause } = generics;
    quote! {
        #[automatically_derived]
        impl #impl_generics #k::NssRecord<#lifetime> for #name #ty_generics #where_clause {
            const FORMAT: &'static str = "";

            fn parse_detailed(
                _: &#lifetime str,
            ) -> ::core::result::Result<#k::Parsed<Self>, #k::ParseError> {
                ::core::unreachable!("the derive reported an error")
            }
        }
    }
}
