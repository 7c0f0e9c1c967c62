//! Delivery targets: how a line travels from NSS to the SIEM.

use std::fmt;
use std::str::FromStr;

/// How a line travels, which decides the header around the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// NSS VM over syslog TCP with an RFC3164 header (the default).
    Nss,
    /// NSS VM over syslog TCP with an RFC5424 header.
    NssRfc5424,
    /// Cloud NSS over HTTPS: the JSON body alone, no syslog header.
    CloudNss,
}

impl Target {
    /// Every target, the default first.
    pub const ALL: [Target; 3] = [Target::Nss, Target::NssRfc5424, Target::CloudNss];

    /// The kebab-case id used on the command line and in data files.
    pub fn id(self) -> &'static str {
        match self {
            Target::Nss => "nss",
            Target::NssRfc5424 => "nss-rfc5424",
            Target::CloudNss => "cloud-nss",
        }
    }

    /// One line for help texts and listings.
    pub fn describe(self) -> &'static str {
        match self {
            Target::Nss => "NSS VM, syslog over TCP, RFC3164 header",
            Target::NssRfc5424 => "NSS VM, syslog over TCP, RFC5424 header",
            Target::CloudNss => "Cloud NSS over HTTPS, JSON body without a syslog header",
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The error for a target id that does not exist; its message names the valid ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownTarget(pub String);

impl fmt::Display for UnknownTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let valid: Vec<&str> = Target::ALL.iter().map(|t| t.id()).collect();
        write!(f, "unknown target `{}` (valid: {})", self.0, valid.join(", "))
    }
}

impl std::error::Error for UnknownTarget {}

impl FromStr for Target {
    type Err = UnknownTarget;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::ALL.into_iter().find(|t| t.id() == s).ok_or_else(|| UnknownTarget(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_names_the_choices() {
        for t in Target::ALL {
            assert_eq!(t.id().parse::<Target>(), Ok(t));
        }
        let err = "syslog".parse::<Target>().unwrap_err();
        assert_eq!(err.to_string(), "unknown target `syslog` (valid: nss, nss-rfc5424, cloud-nss)");
    }
}
