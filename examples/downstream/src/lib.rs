//! A downstream crate deriving a parser from an inline format, as users of `nssgen` do.

use std::borrow::Cow;
use std::net::IpAddr;

use nssgen::NssRecord;

/// A tab-separated web feed with a hex-encoded URL.
#[derive(Debug, NssRecord)]
#[nss(format = r"%s{time}\t%s{eurl}\t%s{cip}\t%llu{recordid}\t%d{respsize}")]
pub struct WebLine<'a> {
    /// When NSS logged the transaction.
    pub time: &'a str,
    /// The URL, `%HH` decoded.
    #[nss(field = "eurl")]
    pub url: Cow<'a, str>,
    /// The client IP.
    pub cip: IpAddr,
    /// The record id.
    pub recordid: u64,
}

#[cfg(feature = "typo")]
mod typo;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_line_with_hex_encoded_fields() {
        let line = "Mon Oct 16 22:55:48 2023\twww.example.com/a%20b%2Cc\t10.1.2.3\t7112472280601133057\t120";
        let web = WebLine::parse(line).expect("the line matches the format");
        assert_eq!(web.time, "Mon Oct 16 22:55:48 2023");
        assert_eq!(web.url, "www.example.com/a b,c");
        assert!(matches!(web.url, Cow::Owned(_)), "decoding allocates only when needed");
        assert_eq!(web.cip, "10.1.2.3".parse::<IpAddr>().unwrap());
        assert_eq!(web.recordid, 7_112_472_280_601_133_057);
    }

    #[test]
    fn a_bad_line_says_where_and_why() {
        let err = WebLine::parse("Mon\twww\tnot-an-ip\t1\t2").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("cip"));
        assert!(err.to_string().contains("cip"), "{err}");
    }
}
