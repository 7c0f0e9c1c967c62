//! The contenders: each parses every line and reports what it extracted from a sample of them.

use std::borrow::Cow;

use serde::Deserialize;

/// Lines parsed, and (event id, url, user agent) as raw text from every 101st line.
pub(crate) type Extracted = (usize, Vec<(u64, String, String)>);

/// One way to read NSS web lines.
pub(crate) struct Contender {
    pub(crate) name: &'static str,
    pub(crate) note: &'static str,
    /// Parses every line; returns the number parsed (timed).
    pub(crate) run: fn(&[String]) -> usize,
    /// What it extracted, compared across contenders before timing.
    pub(crate) check: fn(&[String]) -> Extracted,
}

pub(crate) fn all() -> Vec<Contender> {
    vec![
        Contender {
            name: "derived",
            note: "#[derive(NssRecord)] nssgen::sekoia::Web: borrowed, hex fields decoded lazily (on access)",
            run: |lines| lines.iter().filter(|l| nssgen::sekoia::Web::parse(l).is_ok()).count(),
            check: |lines| {
                let mut parsed = 0;
                let mut sample = Vec::new();
                for (i, line) in lines.iter().enumerate() {
                    let Ok(web) = nssgen::sekoia::Web::parse(line) else { continue };
                    parsed += 1;
                    if i % 101 == 0 {
                        sample.push((
                            web.recordid.unwrap_or_default() as u64,
                            web.eurl.raw().to_owned(),
                            web.eua.raw().to_owned(),
                        ));
                    }
                }
                (parsed, sample)
            },
        },
        Contender {
            name: "interpreter",
            note: "nssgen::Parser compiled at run time over the same format",
            run: |lines| {
                let parser = interpreter();
                lines.iter().filter(|l| parser.parse(l).is_ok()).count()
            },
            check: |lines| {
                let parser = interpreter();
                let mut parsed = 0;
                let mut sample = Vec::new();
                for (i, line) in lines.iter().enumerate() {
                    let Ok(record) = parser.parse(line) else { continue };
                    parsed += 1;
                    if i % 101 == 0 {
                        let raw = |name: &str| record.get(name).map(|v| v.raw.to_string()).unwrap_or_default();
                        sample.push((raw("recordid").parse().unwrap_or_default(), raw("eurl"), raw("eua")));
                    }
                }
                (parsed, sample)
            },
        },
        Contender {
            name: "serde_json_typed",
            note: "strip the syslog header, serde_json::from_str into a #[derive(Deserialize)] struct of Cow<str>",
            run: |lines| lines.iter().filter(|l| serde_typed(l).is_some()).count(),
            check: |lines| {
                let mut parsed = 0;
                let mut sample = Vec::new();
                for (i, line) in lines.iter().enumerate() {
                    let Some(envelope) = serde_typed(line) else { continue };
                    parsed += 1;
                    if i % 101 == 0 {
                        let e = &envelope.event;
                        sample.push((e.event_id.parse().unwrap_or_default(), e.url.to_string(), e.useragent.to_string()));
                    }
                }
                (parsed, sample)
            },
        },
    ]
}

fn interpreter() -> nssgen::Parser {
    let format =
        nssgen_catalog::profile_format("sekoia", "web", nssgen_catalog::Target::Nss).expect("web format");
    nssgen::Parser::compile(format).expect("web format compiles")
}

fn serde_typed(line: &str) -> Option<WebEnvelope<'_>> {
    let body = &line[line.find('{')?..];
    serde_json::from_str(body).ok()
}

#[derive(Deserialize)]
struct WebEnvelope<'a> {
    #[serde(borrow)]
    #[allow(dead_code)]
    sourcetype: Cow<'a, str>,
    #[serde(borrow)]
    event: WebEvent<'a>,
}

/// What a Rust user writes to read Sekoia's web body with serde: every key, borrowed text.
macro_rules! json_struct {
    ($name:ident { $($field:ident = $key:literal),* $(,)? }) => {
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct $name<'a> {
            $(#[serde(borrow, rename = $key)] $field: Cow<'a, str>,)*
        }
    };
}

json_struct!(WebEvent {
    datetime = "datetime", reason = "reason", event_id = "event_id", protocol = "protocol",
    action = "action", transactionsize = "transactionsize", responsesize = "responsesize",
    requestsize = "requestsize", urlcategory = "urlcategory", serverip = "serverip",
    requestmethod = "requestmethod", referer_url = "refererURL", useragent = "useragent",
    product = "product", location = "location", client_ip = "ClientIP", status = "status",
    user = "user", url = "url", vendor = "vendor", hostname = "hostname",
    clientpublic_ip = "clientpublicIP", threatcategory = "threatcategory", threatname = "threatname",
    filetype = "filetype", appname = "appname", pagerisk = "pagerisk", department = "department",
    urlsupercategory = "urlsupercategory", appclass = "appclass", dlpengine = "dlpengine",
    urlclass = "urlclass", threatclass = "threatclass", dlpdictionaries = "dlpdictionaries",
    fileclass = "fileclass", bwthrottle = "bwthrottle", contenttype = "contenttype",
    unscannabletype = "unscannabletype", deviceowner = "deviceowner", devicehostname = "devicehostname",
    keyprotectiontype = "keyprotectiontype",
});
