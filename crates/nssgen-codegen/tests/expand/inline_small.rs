// A syslog header and a JSON body: `dd` is printed twice (header and body), `eurl` is a hex
// variant in the catalog, `%02d` searches from its width, `cip` is read by another name.
#[derive(NssRecord)]
#[nss(format = r#"%s{mon} %02d{dd} zscaler-nss NSS \{"day":"%02d{dd}","url":"%s{eurl}","ip":"%s{cip}","n":%llu{recordid}\}"#)]
pub struct Small<'a> {
    pub mon: Option<&'a str>,
    pub dd: u8,
    pub eurl: std::borrow::Cow<'a, str>,
    #[nss(field = "cip")]
    pub client: std::net::IpAddr,
}
