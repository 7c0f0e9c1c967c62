// The generated code is warning-free and names only absolute paths: it compiles under
// `deny(warnings)` and in a module without the prelude, beside user items named like its locals.
#![deny(warnings)]

use std::borrow::Cow;

use nssgen::NssRecord;

#[allow(non_upper_case_globals, dead_code)]
const pos: usize = 7;

#[derive(NssRecord)]
#[nss(format = r#"%s{mon} %02d{dd} host NSS \{"day":"%02d{dd}","url":"%s{eurl}","n":"%llu{n}"\}"#)]
pub struct Inline<'a> {
    pub mon: Option<&'a str>,
    pub dd: u8,
    pub eurl: Cow<'a, str>,
    pub n: Option<u64>,
}

#[derive(NssRecord)]
#[nss(log_type = "firewall", target = "nss-rfc5424")]
pub struct Firewall<'a> {
    pub csip: std::net::IpAddr,
    pub elogin: nssgen::Text<'a>,
}

mod bare {
    #![no_implicit_prelude]

    #[derive(::nssgen::NssRecord)]
    #[nss(format = "%s{a}|%d{b}|%s{c}")]
    pub struct Bare<'a> {
        pub a: &'a str,
        pub b: ::core::option::Option<i64>,
        pub c: ::std::string::String,
    }

    #[derive(::nssgen::NssRecord)]
    #[nss(log_type = "dns")]
    pub struct Dns<'a> {
        pub req: &'a str,
        pub mon: ::core::option::Option<&'a str>,
    }
}

fn main() {
    let line = r#"Mar 07 host NSS {"day":"07","url":"a%20b","n":"5"}"#;
    let inline = Inline::parse(line).expect("parses");
    assert_eq!((inline.mon, inline.dd, inline.eurl.as_ref(), inline.n), (Some("Mar"), 7, "a b", Some(5)));
    let bare = bare::Bare::parse("x|None|z").expect("parses");
    assert_eq!((bare.a, bare.b, bare.c.as_str()), ("x", None, "z"));
    let _ = <Firewall<'_> as NssRecord<'_>>::FORMAT;
    let _ = bare::Dns::parse("");
}
