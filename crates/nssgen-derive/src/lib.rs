//! `#[derive(NssRecord)]`, the proc-macro entry point. It holds no logic: it forwards to
//! [`nssgen_codegen::derive`], an ordinary library that is unit-tested without a compiler run.
//! Use the derive through the `nssgen` crate, which re-exports it beside the trait.
#![deny(missing_docs)]

/// Derives `nssgen::NssRecord` and an inherent `parse(line) -> Result<Self, ParseError>`.
///
/// The format comes from one of, on the struct:
/// - `#[nss(format = "...")]`, the format itself;
/// - `#[nss(format_file = "path")]`, a file relative to the crate's manifest dir (its final
///   newline dropped; editing it rebuilds the crate);
/// - `#[nss(log_type = "web", target = "nss", profile = "sekoia")]`, a built-in profile
///   format (`target` defaults to `nss`, `profile` to `sekoia`).
///
/// Each named field reads the format field of its name, or the one `#[nss(field = "eurl")]`
/// names; format fields the struct does not name are skipped. A field's type is any
/// `nssgen::FromField` type: `&str` (raw), `Cow<str>` or `String` (decoded), `nssgen::Text`
/// (decoded on access), integers, IP addresses, and `Option` of these (placeholders and
/// missing fields read as `None`). Hex (`e`) and base64 (`b64`) fields are decoded as the
/// catalog says; `#[nss(encoding = "hex" | "b64" | "plain")]` on a field overrides it.
///
/// The parser walks the line (each literal in place, each value up to the next whole
/// literal), then, when the format has a syslog header, the body alone, then, for a JSON body,
/// the body read as JSON. Mistakes are compile errors, all reported at once, on the token or
/// the characters of the format at fault.
///
/// ```
/// use std::borrow::Cow;
/// use std::net::IpAddr;
///
/// use nssgen::{NssRecord, ParsePath};
///
/// #[derive(NssRecord)]
/// #[nss(format = r#"%s{mon} %02d{dd} zscaler-nss NSS \{"url":"%s{eurl}","ip":"%s{cip}","n":"%llu{reqsize}"\}"#)]
/// struct Hit<'a> {
///     #[nss(field = "eurl")]
///     url: Cow<'a, str>,
///     cip: IpAddr,
///     reqsize: u64,
/// }
///
/// let hit = Hit::parse(r#"Mar 07 zscaler-nss NSS {"url":"a%20b","ip":"10.0.0.1","n":"42"}"#)?;
/// assert_eq!((hit.url.as_ref(), hit.cip.to_string(), hit.reqsize), ("a b", "10.0.0.1".to_owned(), 42));
///
/// // A relay stripped the header: the body alone parses.
/// let parsed = Hit::parse_detailed(r#"{"url":"x","ip":"::1","n":"1"}"#)?;
/// assert_eq!(parsed.path, ParsePath::Headless);
/// # Ok::<(), nssgen::ParseError>(())
/// ```
#[proc_macro_derive(NssRecord, attributes(nss))]
pub fn derive_nss_record(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    nssgen_codegen::derive(input.into()).into()
}
