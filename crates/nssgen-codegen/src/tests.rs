//! Unit tests of the derive: expansions and errors, without a compiler run.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand")
}

/// The generated items, as a syntax tree (the expansion must be valid Rust).
fn file_of(input: TokenStream) -> syn::File {
    let out = crate::expand(input, Some(&fixtures()));
    syn::parse2(out.clone()).unwrap_or_else(|e| panic!("expansion is not Rust: {e}\n{out}"))
}

/// The expansion, pretty-printed.
fn pretty(input: TokenStream) -> String {
    prettyplease::unparse(&file_of(input))
}

/// The `compile_error!` messages of an expansion, in order.
fn errors(input: TokenStream) -> Vec<String> {
    let file = file_of(input);
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == "compile_error") => {
                Some(m.mac.parse_body::<syn::LitStr>().expect("compile_error! holds a string").value())
            }
            _ => None,
        })
        .collect()
}

/// The single error of an expansion.
fn error(input: TokenStream) -> String {
    let all = errors(input);
    assert_eq!(all.len(), 1, "expected one error, got {all:#?}");
    all.into_iter().next().expect("one error")
}

/// The expansion as one line of tokens, for `contains` checks that do not depend on layout.
fn flat(input: TokenStream) -> String {
    crate::expand(input, Some(&fixtures())).to_string()
}

/// Whether the expansion holds `tokens`.
fn holds(code: &str, tokens: TokenStream) -> bool {
    code.contains(&tokens.to_string())
}

fn has_stub(input: TokenStream) -> bool {
    pretty(input).contains("unreachable!(\"the derive reported an error\")")
}

#[test]
fn a_good_struct_expands_to_the_trait_impl_the_plan_and_one_walk() {
    let input = quote! {
        #[nss(format = r#"%s{cip} \{"url":"%s{eurl}","n":"%d{n}"\}"#)]
        pub struct Hit<'a> {
            #[nss(field = "eurl")]
            url: std::borrow::Cow<'a, str>,
            n: Option<u64>,
        }
    };
    let code = pretty(input.clone());
    assert!(!code.contains("compile_error"), "{code}");
    // Everything inside one anonymous const; no inherent method on the user's type.
    assert!(code.starts_with("const _: () = {"), "{code}");
    assert!(code.contains("impl<'a> ::nssgen::NssRecord<'a> for Hit<'a>"), "{code}");
    assert!(!code.contains("impl<'a> Hit<'a>"), "{code}");
    // The walk: each field up to the literal after it, the last one up to the literal that
    // ends the line; emitted once, in `__fast`, which the three methods that walk call.
    let flat = flat(input);
    assert!(
        holds(&flat, quote!(let (_, __rest) = ::nssgen::__private::split(__rest, 0usize, " {\"url\":\"")?;)),
        "{code}"
    );
    assert!(holds(&flat, quote!(split(__rest, 0usize, "\",\"n\":\"")?;)), "{code}");
    assert!(
        holds(&flat, quote!(let __value = ::nssgen::__private::split_last(__rest, 0usize, "\"}")?;)),
        "{code}"
    );
    assert_eq!(flat.matches("split_last").count(), 1, "{code}");
    assert_eq!(code.matches("__fast(line)").count(), 3, "{code}");
    // `parse_exact` is the walk alone; `parse_inexact` the runtime's paths alone.
    assert!(
        holds(
            &flat,
            quote!(
                fn parse_exact(line: &'a str) -> ::core::option::Option<Self> {
                    __fast(line)
                }
            )
        ),
        "{code}"
    );
    assert!(holds(&flat, quote!(fn parse_inexact(line: &'a str))), "{code}");
    assert_eq!(code.matches("__paths(line)").count(), 3, "{code}");
    // eurl is a hex variant in the catalog; each member converts in one function both paths call.
    assert!(
        holds(&flat, quote!(::nssgen::__private::convert(__text, ::nssgen::Encoding::Hex, "eurl"))),
        "{code}"
    );
    let convert =
        quote!(url: __convert_0(::core::option::Option::Some(::std::borrow::Cow::Borrowed(__f_eurl))).ok()?);
    assert!(holds(&flat, convert), "{code}");
    // Every other line goes to the runtime's paths through the record's plan, once.
    assert!(code.contains("#[cold]\n    #[inline(never)]\n    fn __paths<'a>("), "{code}");
    assert!(
        code.contains(
            "::nssgen::__private::paths(\n            &__PLAN,\n            line,\n            |__fields|"
        ) || code.contains("::nssgen::__private::paths(&__PLAN, line, |__fields|"),
        "{code}"
    );
    assert!(holds(&flat, quote!(url: __fields.take(1usize, "eurl", __convert_0)?)), "{code}");
    assert!(holds(&flat, quote!(n: __fields.take(2usize, "n", __convert_1)?)), "{code}");
    // The plan: a header (`%s{cip} `), a headless walk and the JSON skeleton, the encodings.
    assert!(holds(&flat, quote!(encoding: ::nssgen::Encoding::Hex)), "{code}");
    assert!(holds(&flat, quote!(headless: ::core::option::Option::Some)), "{code}");
    assert!(holds(&flat, quote!(skeleton: ::core::option::Option::Some)), "{code}");
    assert!(holds(&flat, quote!(key: __plan::Str::Borrowed("url"))), "{code}");
}

#[test]
fn the_runtime_crate_can_be_renamed() {
    let input = quote! {
        #[nss(format = "%d{a},%s{b}", crate = "my::rt")]
        struct R<'a> { a: u64, b: &'a str }
    };
    let code = pretty(input);
    assert!(!code.contains("::nssgen"), "{code}");
    assert!(code.contains("impl<'a> my::rt::NssRecord<'a> for R<'a>"), "{code}");
    assert!(code.contains("use my::rt::__private::plan as __plan;"), "{code}");
    assert_eq!(
        error(quote! {
            #[nss(format = "%s{a}", crate = "not a path")]
            struct R<'a> { a: &'a str }
        }),
        "`crate = \"not a path\"` is not a path: write the runtime crate's path, as `crate = \"my_nssgen\"`"
    );
}

#[test]
fn a_struct_without_lifetime_gets_one_for_the_line() {
    let input = quote! {
        #[nss(format = "%d{a},%s{b}")]
        struct Owned { a: u64, b: String }
    };
    let code = pretty(input.clone());
    assert!(code.contains("impl<'a> ::nssgen::NssRecord<'a> for Owned {"), "{code}");
    assert!(code.contains("fn __fast<'a>(line: &'a str) -> ::core::option::Option<Owned>"), "{code}");
    // No header, no JSON body: no body in the plan, the last field to the end of the line.
    assert!(code.contains("body: ::core::option::Option::None"), "{code}");
    assert!(code.contains("let __value = __rest;"), "{code}");
}

#[test]
fn a_field_printed_twice_is_checked_to_agree_even_when_unread() {
    let input = quote! {
        #[nss(format = r#"%02d{dd} x \{"d":"%02d{dd}","v":"%s{v}"\}"#)]
        struct R<'a> { v: &'a str }
    };
    let code = pretty(input.clone());
    let flat = flat(input);
    assert!(holds(&flat, quote!(split(__rest, 2usize, " x {\"d\":\"")?)), "{code}");
    assert!(holds(&flat, quote!(let __f_dd = __value;)), "{code}");
    assert!(holds(&flat, quote!(if !::nssgen::__private::same_text(__f_dd, __value))), "{code}");
}

#[test]
fn a_keyword_field_reads_the_format_field_of_its_name() {
    let input = quote! {
        #[nss(format = "%s{type}:%s{match}")]
        struct R<'a> { r#type: &'a str, r#match: &'a str }
    };
    let code = pretty(input.clone());
    assert!(
        holds(
            &flat(input),
            quote!(r#type: __convert_0(::core::option::Option::Some(::std::borrow::Cow::Borrowed(__f_type))).ok()?)
        ),
        "{code}"
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let all = errors(quote! {
        #[nss(format = "%s{a},%s{b}", fromat = "x")]
        struct R<'a> {
            #[nss(fieldd = "a")]
            a: u64,
            c: &'a str,
            #[nss(field = "b")]
            b2: &'a str,
            #[nss(field = "b")]
            b3: &'a str,
        }
    });
    assert_eq!(all.len(), 5, "{all:#?}");
    assert!(
        all[0].starts_with("unknown `nss` key `fromat` on the struct: did you mean `format`?"),
        "{all:#?}"
    );
    assert!(all[1].starts_with("unknown `nss` key `fieldd` on a field: did you mean `field`?"), "{all:#?}");
    assert!(all[2].starts_with("`u64` cannot hold `%s{a}`"), "{all:#?}");
    assert!(all[3].starts_with("no field `c` in the format: did you mean `a` or `b`?"), "{all:#?}");
    assert_eq!(all[4], "`b2` and `b3` both read the format field `b`; a format field feeds one struct field");
}

#[test]
fn every_syntax_error_of_the_format_with_its_line_and_column() {
    let all = errors(quote! {
        #[nss(format = "%s{a} %f{x} %s{}")]
        struct R<'a> { a: &'a str }
    });
    assert_eq!(
        all,
        [
            "1:8 in the format: unknown conversion `f` in `%f{x}`: NSS accepts s, d, u, x, ld, lu, llu",
            "1:15 in the format: empty field name in `%s{}`: write the field's name between the braces",
        ]
    );
}

#[test]
fn adjacent_fields_are_an_error_on_the_second() {
    assert_eq!(
        error(quote! {
            #[nss(format = "a=%s{a}%d{b} c")]
            struct R<'a> { a: &'a str }
        }),
        "1:8 in the format: `%d{b}` follows `%s{a}` with no literal between them, so no parser can tell \
         where one ends and the other begins; put a separator between them"
    );
}

#[test]
fn unknown_fields_get_hints_from_the_format_and_the_catalog() {
    let misspelt = error(quote! {
        #[nss(format = r#"\{"url":"%s{eurl}"\}"#)]
        struct R<'a> { eurll: &'a str }
    });
    assert_eq!(
        misspelt,
        "no field `eurll` in the format: did you mean `eurl`? Otherwise, name the format field with \
         #[nss(field = \"...\")] or remove this struct field"
    );
    let not_printed = error(quote! {
        #[nss(log_type = "dns")]
        struct R<'a> { eurl: &'a str }
    });
    assert!(not_printed.contains("did you mean `req`?") || not_printed.contains("`eurl`"), "{not_printed}");
    let catalog = error(quote! {
        #[nss(log_type = "web")]
        struct R<'a> { ocip: &'a str }
    });
    assert!(
        catalog.starts_with(
            "no field `ocip` in the format (a Zscaler web field, but this format does not print it)"
        ),
        "{catalog}"
    );
    let far = error(quote! {
        #[nss(format = "%s{a}")]
        struct R<'a> { zzzz: &'a str }
    });
    assert_eq!(
        far,
        "no field `zzzz` in the format; name the format field with #[nss(field = \"...\")] or remove this struct field"
    );
}

#[test]
fn types_that_cannot_hold_the_conversion() {
    let text_into_int = error(quote! {
        #[nss(format = "%s{a}")]
        struct R { a: Option<u32> }
    });
    assert!(text_into_int.starts_with("`u32` cannot hold `%s{a}`: a `%s` field is text"), "{text_into_int}");
    let number_into_ip = error(quote! {
        #[nss(format = "%d{a}")]
        struct R { a: std::net::IpAddr }
    });
    assert_eq!(number_into_ip, "`IpAddr` cannot hold `%d{a}`: a `%d` field prints a number, not an address");
    // Text types hold numbers, and user types are left to their FromField impl.
    assert!(errors(quote! {
        #[nss(format = "%d{a} %s{b} %s{c}")]
        struct R<'a> { a: &'a str, b: Mine, c: std::net::IpAddr }
    })
    .is_empty());
}

#[test]
fn format_sources() {
    assert!(error(quote!(
        struct R {}
    ))
    .starts_with("no format: add #[nss(format = \"...\")]"));
    assert_eq!(
        error(quote! {
            #[nss(format = "%s{a}")]
            #[nss(log_type = "web")]
            struct R {}
        }),
        "conflicting format sources: `log_type` and `format`; keep one"
    );
    assert_eq!(
        error(quote! {
            #[nss(format = "%s{a}", target = "nss")]
            struct R {}
        }),
        "`target` only applies with `log_type`: the other sources give the format itself"
    );
    assert_eq!(
        error(quote! {
            #[nss(log_type = "webb")]
            struct R {}
        }),
        "unknown log type `webb` in profile `sekoia`: did you mean `web`? (one of web, firewall, dns, \
         tunnel, tunnel-ike-phase1, tunnel-ike-phase2, admin-audit, saas-security, saas-security-activity)"
    );
    assert_eq!(
        error(quote! {
            #[nss(log_type = "web", target = "syslog")]
            struct R {}
        }),
        "unknown target `syslog` (valid: nss, nss-rfc5424, cloud-nss)"
    );
    assert_eq!(
        error(quote! {
            #[nss(log_type = "web", profile = "splunk")]
            struct R {}
        }),
        "unknown profile `splunk` (built in: sekoia)"
    );
    assert_eq!(
        error(quote! {
            #[nss(format = "a", format = "b")]
            struct R {}
        }),
        "duplicate `nss(format)`: give it once"
    );
    assert_eq!(
        error(quote! {
            #[nss(format = 3)]
            struct R {}
        }),
        "expected string literal"
    );
}

#[test]
fn keys_in_the_wrong_place_and_encodings() {
    assert_eq!(
        error(quote! {
            #[nss(format = "%s{a}", field = "a")]
            struct R<'a> { a: &'a str }
        }),
        "`field` goes on a field, not on the struct"
    );
    assert_eq!(
        error(quote! {
            #[nss(format = "%s{a}")]
            struct R<'a> { #[nss(log_type = "web")] a: &'a str }
        }),
        "`log_type` goes on the struct, not on a field"
    );
    assert_eq!(
        error(quote! {
            #[nss(format = "%s{a}")]
            struct R<'a> { #[nss(encoding = "base32")] a: &'a str }
        }),
        "unknown encoding `base32`: expected `hex`, `b64` or `plain`"
    );
    let input = quote! {
        #[nss(format = "%s{a},%s{eurl}")]
        struct R<'a> { #[nss(encoding = "b64")] a: &'a str, #[nss(encoding = "plain")] eurl: &'a str }
    };
    let code = pretty(input.clone());
    let flat = flat(input);
    // The member's encoding overrides the catalog's, in the walk and in the plan alike.
    assert!(holds(&flat, quote!(convert(__text, ::nssgen::Encoding::Base64, "a"))), "{code}");
    assert!(holds(&flat, quote!(let __value = __rest;)), "{code}");
    assert!(holds(&flat, quote!(convert(__text, ::nssgen::Encoding::Plain, "eurl"))), "{code}");
    assert!(!holds(&flat, quote!(::nssgen::Encoding::Hex)), "{code}");
    assert_eq!(flat.matches("Encoding :: Base64").count(), 2, "{code}");
}

#[test]
fn shapes_the_derive_refuses() {
    assert!(error(quote! {
        #[nss(format = "%s{a}")]
        enum E { A }
    })
    .starts_with("NssRecord derives a parser for a struct, not an enum"));
    assert!(error(quote! {
        #[nss(format = "%s{a}")]
        struct T<'a>(&'a str);
    })
    .starts_with("NssRecord needs named fields"));
    assert!(error(quote! {
        #[nss(format = "%s{a},%s{b}")]
        struct G<'a, 'b, T> { a: &'a str, b: &'b T }
    })
    .starts_with("NssRecord needs at most one lifetime parameter"));
}

#[test]
fn after_an_error_a_stub_keeps_the_users_code_quiet() {
    let input = quote! {
        #[nss(format = "%s{a}")]
        struct R<'a> { b: &'a str }
    };
    assert!(has_stub(input.clone()));
    let code = pretty(input);
    assert!(code.contains("impl<'a> ::nssgen::NssRecord<'a> for R<'a>"), "{code}");
    assert!(!code.contains("pub fn parse"), "{code}");
}

#[test]
fn format_files_are_read_from_the_manifest_dir_and_tracked() {
    let input = quote! {
        #[nss(format_file = "formats/tabs.nss")]
        struct R<'a> { cip: std::net::IpAddr, eurl: &'a str }
    };
    let code = pretty(input.clone());
    assert!(!code.contains("compile_error"), "{code}");
    assert!(
        holds(
            &flat(input),
            quote!(
                const _: &[u8] = ::core::include_bytes!(::core::concat!(
                    ::core::env!("CARGO_MANIFEST_DIR"),
                    "/formats/tabs.nss"
                ));
            )
        ),
        "{code}"
    );
    // The file's final newline is not part of the format.
    assert!(code.contains(r#"const FORMAT: &'static str = "%s{time}\t%s{cip}\t%s{eurl}";"#), "{code}");

    let bad = errors(quote! {
        #[nss(format_file = "formats/bad.nss")]
        struct R {}
    });
    assert_eq!(
        bad,
        [
            "formats/bad.nss:2:6: unknown conversion `f` in `%f{x}`: NSS accepts s, d, u, x, ld, lu, llu",
            "formats/bad.nss:3:1: lone `%` starts no field spec: write `%%` for a percent sign, or a spec such \
             as `%s{name}`",
        ]
    );
    let latin1 = errors(quote! {
        #[nss(format_file = "formats/latin1.nss")]
        struct R {}
    });
    assert_eq!(latin1.len(), 2, "{latin1:#?}");
    assert!(latin1[0].starts_with("formats/latin1.nss:1:7: invalid UTF-8 `\\xE9`"), "{latin1:#?}");
    assert!(latin1[1].starts_with("formats/latin1.nss:1:10: unknown conversion `f`"), "{latin1:#?}");
    let missing = error(quote! {
        #[nss(format_file = "formats/none.nss")]
        struct R {}
    });
    assert!(missing
        .starts_with("cannot read format file `formats/none.nss` (relative to the crate's manifest dir)"));
    let no_dir = crate::expand(
        quote! {
            #[nss(format_file = "formats/tabs.nss")]
            struct R {}
        },
        None,
    );
    assert!(no_dir.to_string().contains("CARGO_MANIFEST_DIR, which is not set"));
}

#[test]
fn built_in_formats_come_from_the_profile() {
    let input = quote! {
        #[nss(log_type = "tunnel-ike-phase1", target = "cloud-nss")]
        struct R { spi_in: Option<u64> }
    };
    let code = pretty(input.clone());
    let format = &nssgen_profile::format("sekoia", "tunnel-ike-phase1", nssgen_catalog::Target::CloudNss)
        .expect("built in")
        .text;
    assert!(code.contains(&format!("const FORMAT: &'static str = {format:?};")), "{code}");
    // Cloud NSS: a JSON body and no header, so no headless walk.
    assert!(code.contains("skeleton: ::core::option::Option::Some"), "{code}");
    assert!(code.contains("headless: ::core::option::Option::None"), "{code}");
}

#[test]
fn a_final_newline_in_the_format_ends_the_line_and_an_empty_format_matches_empty_lines() {
    let code = flat(quote! {
        #[nss(format = "%s{a};%s{b}\n")]
        struct R<'a> { b: &'a str }
    });
    assert!(holds(&code, quote!(let __value = __rest;)), "{code}");
    let empty = flat(quote! {
        #[nss(format = "")]
        struct E {}
    });
    assert!(
        holds(
            &empty,
            quote!(let __rest: &'a str = line; if !__rest.is_empty() { return ::core::option::Option::None })
        ),
        "{empty}"
    );
}

#[test]
fn a_bitmap_of_the_line_once_four_values_end_at_the_same_byte() {
    // Four values end at a literal starting with `"` (the last literal does not count: it is
    // found from the line's end): the walk marks `"` in the line and finds them in the marks.
    let marked = flat(quote! {
        #[nss(format = r#"\{"a":"%s{a}","b":"%s{b}","c":"%s{c}","d":"%s{d}","e":"%s{e}"\}"#)]
        struct R<'a> { a: &'a str }
    });
    assert!(holds(&marked, quote!(let __marks = ::nssgen::__private::Marks::new(line, 34u8);)), "{marked}");
    assert!(holds(&marked, quote!(split_marked(&__marks, line, __rest, 0usize, "\",\"b\":\""))), "{marked}");
    // Three: not worth the bitmap.
    let plain = flat(quote! {
        #[nss(format = r#"\{"a":"%s{a}","b":"%s{b}","c":"%s{c}","d":"%s{d}"\}"#)]
        struct R<'a> { a: &'a str }
    });
    assert!(!plain.contains("Marks"), "{plain}");
    assert!(holds(&plain, quote!(split(__rest, 0usize, "\",\"b\":\"")?)), "{plain}");
}
