// The built-in Sekoia web format (target nss): a few fields of the 49, the rest skipped.
#[derive(NssRecord)]
#[nss(log_type = "web")]
pub struct WebHit<'a> {
    pub mon: Option<&'a str>,
    pub eurl: nssgen::Text<'a>,
    pub cip: std::net::IpAddr,
    pub reqsize: u64,
    pub devicehostname: &'a str,
}
