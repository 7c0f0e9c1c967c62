//! "Did you mean ...?": the valid choice a misspelt one most likely stands for, for every
//! error of the CLI that names valid choices (log types, targets, profiles, emitters, shells).
//!
//! nssgen-check (unknown field names) and nssgen-codegen (derive attributes) rank their own
//! candidates; this is the one helper for the command line.

/// The choice in `valid` that `input` most likely misspells, if one is close enough to be
/// worth naming: the fewest edits (a transposition is one, case ignored), within a third of
/// the choice's length (one edit for a three-letter id such as `web`); else the first choice
/// that `input` is the start of (`zia` for `zia-api`). Ties go to the earlier choice.
pub(crate) fn closest<'a>(input: &str, valid: &[&'a str]) -> Option<&'a str> {
    let input = input.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for &choice in valid {
        let lower = choice.to_lowercase();
        let distance = strsim::osa_distance(&input, &lower);
        if distance * 3 <= lower.chars().count().max(3) && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, choice));
        }
    }
    best.map(|(_, choice)| choice).or_else(|| {
        // Two letters start too many ids to point at one.
        (input.chars().count() >= 3)
            .then(|| valid.iter().copied().find(|c| c.to_lowercase().starts_with(&input)))?
    })
}

/// `message` with `: did you mean `choice`?` before its closing `(valid: ...)` list (or at
/// its end without one) when a choice in `valid` is close to `input`; unchanged otherwise.
pub(crate) fn with_suggestion(message: impl Into<String>, input: &str, valid: &[&str]) -> String {
    let mut message = message.into();
    if let Some(choice) = closest(input, valid) {
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
            assert_eq!(closest(input, &log_types()), Some(expected), "{input}");
        }
    }

    #[test]
    fn far_or_too_short_inputs_name_nothing() {
        for input in ["proxy", "syslog", "x", "fw", "", "ad", "endpoint-dlp"] {
            assert_eq!(closest(input, &log_types()), None, "{input}");
        }
        assert_eq!(closest("yaml", &["steps", "terraform", "zia-api"]), None);
        assert_eq!(closest("splunk", &["sekoia"]), None);
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
