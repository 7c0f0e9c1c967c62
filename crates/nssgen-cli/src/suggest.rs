//! "Did you mean ...?" in every error of the CLI that names valid choices (log types, targets,
//! profiles, emitters, shells): where the tip goes. Which choice it names is
//! [`nssgen_syntax::suggest`]'s rule, the one the linter and the derive use.

use nssgen_syntax::suggest::closest_choice;

/// `message` with `: did you mean `choice`?` before its closing `(valid: ...)` list (or at
/// its end without one) when a choice in `valid` is close to `input`; unchanged otherwise.
pub(crate) fn with_suggestion(message: impl Into<String>, input: &str, valid: &[&str]) -> String {
    let mut message = message.into();
    if let Some(choice) = closest_choice(input, valid.iter().copied()) {
        let tip = format!(": did you mean `{choice}`?");
        // The last one: the misspelt input, quoted earlier in the message, may hold the text.
        match message.rfind(" (valid: ") {
            Some(at) => message.insert_str(at, &tip),
            None => message.push_str(&tip),
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log type ids `nssgen format` offers, from the profile (not a copy of its list).
    fn log_types() -> Vec<&'static str> {
        let profile = nssgen_catalog::profile("sekoia").expect("the sekoia profile is built in");
        profile.log_types.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn close_misspellings_name_the_choice() {
        for (input, expected) in [
            ("wbe", "web"),
            ("webb", "web"),
            ("WEB", "web"),
            ("dsn", "dns"),
            ("firwall", "firewall"),
            ("tunel", "tunnel"),
            ("tunnel-ike-phase3", "tunnel-ike-phase1"),
            ("admin_audit", "admin-audit"),
            ("saas", "saas-security"),
        ] {
            assert_eq!(closest_choice(input, log_types()), Some(expected), "{input}");
        }
    }

    #[test]
    fn far_or_too_short_inputs_name_nothing() {
        for input in ["proxy", "syslog", "x", "fw", "", "ad", "endpoint-dlp"] {
            assert_eq!(closest_choice(input, log_types()), None, "{input}");
        }
        assert_eq!(closest_choice("yaml", ["steps", "terraform", "zia-api"]), None);
        assert_eq!(closest_choice("splunk", ["sekoia"]), None);
    }

    #[test]
    fn the_tip_goes_before_the_valid_list_or_at_the_end() {
        let valid = ["nss", "nss-rfc5424", "cloud-nss"];
        assert_eq!(
            with_suggestion(
                "unknown target `cloudnss` (valid: nss, nss-rfc5424, cloud-nss)",
                "cloudnss",
                &valid
            ),
            "unknown target `cloudnss`: did you mean `cloud-nss`? (valid: nss, nss-rfc5424, cloud-nss)"
        );
        assert_eq!(
            with_suggestion("no target `nsss`", "nsss", &valid),
            "no target `nsss`: did you mean `nss`?"
        );
        let far = "unknown target `syslog` (valid: nss, nss-rfc5424, cloud-nss)";
        assert_eq!(with_suggestion(far, "syslog", &valid), far);
    }
}
