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

    /// The target whose header a received line starts with, by its shape alone, or `None`
    /// when the start matches none of them:
    /// - `<PRI>1 ` (one to three digits in angle brackets, then version 1): RFC5424,
    ///   [`Target::NssRfc5424`];
    /// - a month abbreviation, a space and a day (`Feb 06 `, `Feb  6 `), with or without a
    ///   `<PRI>` before it: RFC3164, [`Target::Nss`] (NSS VM formats print the timestamp
    ///   themselves and often no PRI);
    /// - `{`: a JSON body with no syslog header, as [`Target::CloudNss`] sends it (or an NSS
    ///   VM line whose header a relay stripped).
    ///
    /// Only the header is looked at, so a line can have a target's shape and still not parse
    /// with that target's format. It is meant for telling a user which `--target` their lines
    /// look like, and for routing a stream that mixes targets.
    pub fn of_line_shape(line: &str) -> Option<Target> {
        use nssgen_syntax::shape::{framing, Shape};
        Some(match framing(line)?.shape {
            Shape::Rfc3164 => Target::Nss,
            // A concentrator's line carries an RFC5424 header, with its structured data.
            Shape::Rfc5424 | Shape::Forwarded => Target::NssRfc5424,
            Shape::Body => Target::CloudNss,
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The error for a target id that does not exist; its message names the valid ones.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown target `{0}` (valid: {valid})", valid = Target::ALL.map(Target::id).join(", "))]
pub struct UnknownTarget(pub String);

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

    #[test]
    fn line_shapes_name_the_target_whose_header_they_carry() {
        let cases = [
            // What NSS sends for each target (as `nssgen sample` prints it).
            ("Feb 06 14:41:19 zscaler-nss NSS {\"sourcetype\" : \"x\"}", Some(Target::Nss)),
            (
                "<134>1 2025-02-06T14:41:19Z zscaler-nss NSS - - - {\"sourcetype\":\"x\"}",
                Some(Target::NssRfc5424),
            ),
            ("{\"sourcetype\" : \"zscalernss-web\", \"event\" : {}}", Some(Target::CloudNss)),
            // RFC3164 with a PRI, and with a space-padded day.
            ("<13>Oct 16 22:55:48 host tag: x", Some(Target::Nss)),
            ("Oct  6 22:55:48 host tag: x", Some(Target::Nss)),
            ("<0>1 x", Some(Target::NssRfc5424)),
            ("<191>1 x", Some(Target::NssRfc5424)),
            // Near misses.
            ("<1345>1 x", None),
            ("<>1 x", None),
            ("<13 1 x", None),
            ("<13>2 x", None),
            ("1 2025-02-06T14:41:19Z host", None),
            ("Foo 06 14:41:19", None),
            ("Feb06 14:41:19", None),
            ("Feb x", None),
            ("Feb", None),
            ("<13>", None),
            (" {\"a\":1}", None),
            ("", None),
        ];
        for (line, expected) in cases {
            assert_eq!(Target::of_line_shape(line), expected, "{line:?}");
        }
    }
}
