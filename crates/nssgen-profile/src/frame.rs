//! The text around a profile's body: the syslog header of each target and the JSON envelope.

use nssgen_catalog::{Envelope, ProfileLogType, Syslog, Target};

/// What comes before the body for `target`: a syslog header ending in a space, or nothing.
/// NSS prints the date fields itself; the host name and tag are the profile's constants.
pub(crate) fn header(syslog: &Syslog, target: Target) -> String {
    let Syslog { hostname, tag, pri, .. } = syslog;
    match target {
        Target::Nss => format!("%s{{mon}} %02d{{dd}} %02d{{hh}}:%02d{{mm}}:%02d{{ss}} {hostname} {tag} "),
        Target::NssRfc5424 => format!(
            "<{pri}>1 %d{{yyyy}}-%02d{{mth}}-%02d{{dd}}T%02d{{hh}}:%02d{{mm}}:%02d{{ss}}Z {hostname} {tag} - - - "
        ),
        Target::CloudNss => String::new(),
    }
}

/// `\{"sourcetype":"…","event":\{"key":"value",…\}\}`, spaced as `envelope` says. Keys and
/// values go in as the profile writes them: values are format text, printed inside JSON strings.
pub(crate) fn body(envelope: &Envelope, log_type: &ProfileLogType) -> String {
    let Envelope { open, colon, comma, event_colon, .. } = envelope;
    let mut out =
        format!(r#"\{{{open}"sourcetype"{colon}"{}",{comma}"event"{event_colon}\{{"#, log_type.sourcetype);
    for (i, (key, value)) in log_type.body.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(r#""{key}":"{value}""#));
    }
    out.push_str(r"\}\}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_each_target() {
        let syslog = &nssgen_catalog::profile("sekoia").unwrap().syslog;
        assert_eq!(
            header(syslog, Target::Nss),
            "%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss NSS "
        );
        assert_eq!(
            header(syslog, Target::NssRfc5424),
            "<134>1 %d{yyyy}-%02d{mth}-%02d{dd}T%02d{hh}:%02d{mm}:%02d{ss}Z zscaler-nss NSS - - - "
        );
        assert_eq!(header(syslog, Target::CloudNss), "");
    }
}
