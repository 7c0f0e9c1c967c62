//! Code generation for `#[derive(NssRecord)]`: an ordinary library taking and returning
//! `proc_macro2::TokenStream`, so every part of the derive is unit-tested without a compiler
//! run; `nssgen-derive` is a one-function shim over [`derive()`].
//!
//! The derive reads the struct's `#[nss(...)]` attributes, gets its feed output format (inline,
//! from a file, or a built-in profile's format as `nssgen-profile` frames it, in plain Rust),
//! parses it with `nssgen-syntax`, maps struct fields to format fields, and generates a
//! straight-line parser: each literal checked in place, each value taken up to the next whole
//! literal, through the `nssgen::__private` helpers. Every mistake is collected and reported
//! at once, each on its token or on the characters of the format, followed by a stub impl so
//! that the user sees those errors and no cascade.
//!
//! ```
//! let input = quote::quote! {
//!     #[nss(format = r#"%s{cip} \{"url":"%s{eurl}"\}"#)]
//!     struct Hit<'a> { eurl: std::borrow::Cow<'a, str> }
//! };
//! let out = nssgen_codegen::expand(input, None).to_string();
//! assert!(out.contains("impl < 'a > :: nssgen :: NssRecord < 'a > for Hit < 'a >"));
//! assert!(!out.contains("compile_error"));
//! ```
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use syn::DeriveInput;

mod attr;
mod errors;
mod expand;
mod model;
mod source;

/// The derive: `input` is the struct the attribute sits on. Format files are read relative to
/// `CARGO_MANIFEST_DIR`, which Cargo sets for the crate being compiled.
pub fn derive(input: TokenStream) -> TokenStream {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    expand(input, manifest_dir.as_deref())
}

/// The derive with an explicit manifest dir for `format_file` (`None`: such a derive fails).
/// Returns the generated items, or `compile_error!`s and a stub impl.
pub fn expand(input: TokenStream, manifest_dir: Option<&Path>) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut errors = errors::Errors::default();
    let generics = expand::impl_generics(&input.generics, Some(&mut errors));
    let attrs = attr::struct_attrs(&input.attrs, &mut errors);
    let runtime = attr::runtime_path(&attrs, &mut errors);
    let source = source::resolve(&attrs, manifest_dir, model::struct_span(&input), &mut errors);
    let model = model::analyse(&input, source, &mut errors);
    match model {
        Some(model) if errors.is_empty() => expand::expand(&input, &model, &generics, &runtime),
        _ => {
            if errors.is_empty() {
                // Every path that gives no model reports why; this keeps a bug from becoming a
                // silent stub.
                errors.at(proc_macro2::Span::call_site(), "internal error in the NssRecord derive: no model");
            }
            let mut out = errors.to_compile_errors();
            out.extend(expand::stub(&input, &generics, &runtime));
            out
        }
    }
}

#[cfg(test)]
mod tests;
