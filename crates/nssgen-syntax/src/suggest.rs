//! "Did you mean ...?": the one rule by which every message of the workspace (the derive's
//! errors, the linter's help lines, the CLI's usage errors) names what a misspelt name most
//! likely stands for.
//!
//! A candidate is **close** to the input when, case ignored, the edit distance between them
//! (the optimal string alignment distance, [`strsim::osa_distance`]: insertions, deletions,
//! substitutions, and a swap of two adjacent characters counts as one edit) is at most a third
//! of the longer one's length in characters, and at least one: a letter too many and a letter
//! too few count alike. Only the candidates at the smallest such distance are offered, in the
//! order given. The input itself and an empty input are never offered anything.
//!
//! For a value picked among a few choices (a usage error: `--emit zia`), [`closest_choice`]
//! also offers, when none is close, the choice an input of three characters or more starts
//! (`zia` for `zia-api`). Names of fields are not completed that way: `check --fix` applies a
//! lone suggestion, and a prefix is not a certain fix.
//!
//! ```
//! use nssgen_syntax::suggest::{closest, closest_choice, closest_n};
//!
//! let targets = ["nss", "nss-rfc5424", "cloud-nss"];
//! assert_eq!(closest("cloudnss", targets), Some("cloud-nss"));
//! assert_eq!(closest("NSSS", targets), Some("nss"));
//! assert_eq!(closest("syslog", targets), None);
//! assert_eq!(closest("cloud", targets), None);
//! assert_eq!(closest_choice("cloud", targets), Some("cloud-nss")); // the start of a choice
//!
//! // Up to five letters allow one edit (a swap is one), six to eight two.
//! assert_eq!(closest("wbe", ["web", "dns"]), Some("web"));
//! assert_eq!(closest("bew", ["web", "dns"]), None);
//! assert_eq!(closest("fromatt", ["format", "fields"]), Some("format"));
//! assert_eq!(closest("tunl", ["web", "tunnel"]), Some("tunnel"));
//! assert_eq!(closest("tul", ["web", "tunnel"]), None);
//! // Only the closest: `eurl` (one edit) and not `url` (two).
//! assert_eq!(closest_n("eurll", ["url", "eurl", "eurls"], 3), ["eurl", "eurls"]);
//! assert_eq!(closest_n("urll", ["eurl", "url", "urls"], 3), ["url", "urls"]);
//! assert_eq!(closest_n("eurlls", ["eurl", "eurls"], 3), ["eurls"]);
//! ```

/// The candidate closest to `input` by the module's rule, the first of several as close.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_n(input, candidates, 1).into_iter().next()
}

/// Up to `n` candidates closest to `input` by the module's rule, all at the same distance, in
/// the order given (a candidate given twice is offered once).
pub fn closest_n<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let (near, _) = ranked(input, candidates, n);
    near
}

/// [`closest`] for a value picked among a few choices: when none is close, the first choice an
/// input of three characters or more starts.
pub fn closest_choice<'a>(input: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let (near, started) = ranked(input, choices, 1);
    near.into_iter().next().or_else(|| started.into_iter().next())
}

/// The closest candidates, and those the input starts (up to `n` of each).
fn ranked<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> (Vec<&'a str>, Vec<&'a str>) {
    let lower = input.to_lowercase();
    let length = lower.chars().count();
    if length == 0 || n == 0 {
        return (Vec::new(), Vec::new());
    }
    let mut best: Option<usize> = None;
    let mut near: Vec<&'a str> = Vec::new();
    // Kept only in case nothing is close.
    let mut started: Vec<&'a str> = Vec::new();
    for candidate in candidates {
        if candidate == input || near.contains(&candidate) {
            continue;
        }
        let candidate_lower = candidate.to_lowercase();
        if length >= 3
            && started.len() < n
            && candidate_lower.starts_with(&lower)
            && !started.contains(&candidate)
        {
            started.push(candidate);
        }
        let candidate_length = candidate_lower.chars().count();
        let limit = max_edits(length.max(candidate_length));
        let within = best.map_or(limit, |b| b.min(limit));
        // The distance is at least the difference in length: most candidates need no matrix.
        if candidate_length.abs_diff(length) > within {
            continue;
        }
        let distance = strsim::osa_distance(&lower, &candidate_lower);
        if distance > within {
            continue;
        }
        if best.is_none_or(|b| distance < b) {
            best = Some(distance);
            near.clear();
        }
        if near.len() < n {
            near.push(candidate);
        }
    }
    (near, started)
}

/// The most edits between two close names, the longer `length` characters long: a third, so
/// that a three-letter name allows one (`wbe` for `web`) but a short one is not matched by any
/// other short name.
fn max_edits(length: usize) -> usize {
    (length / 3).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_third_of_the_longer_length_in_edits_at_least_one() {
        assert_eq!(max_edits(1), 1);
        assert_eq!(max_edits(5), 1);
        assert_eq!(max_edits(6), 2);
        assert_eq!(max_edits(9), 3);
        assert_eq!(max_edits(17), 5);
        // One edit between names of up to five letters; two when one has six.
        assert_eq!(closest("tunel", ["tunnel"]), Some("tunnel"));
        assert_eq!(closest("tunl", ["tunnel"]), Some("tunnel"));
        assert_eq!(closest("tul", ["tunnel"]), None);
        assert_eq!(closest("tunnelxy", ["tunnel"]), Some("tunnel"));
        assert_eq!(closest("tunnelxyz", ["tunnel"]), Some("tunnel"));
        assert_eq!(closest("abcxy", ["abc"]), None);
        assert_eq!(closest("tnnels", ["tunnel"]), Some("tunnel"));
        assert_eq!(closest("txxnxl", ["tunnel"]), None);
        // Two edits are close to `tunnel` but not to `tuxy`, even once `tunnel` is found.
        assert_eq!(closest_n("tunl", ["tunnel", "tuxy"], 3), ["tunnel"]);
        assert_eq!(closest("fromat", ["format", "format_file"]), Some("format"));
        assert_eq!(closest("zzzzzz", ["format"]), None);
        assert_eq!(closest("a", ["ua", "dd"]), Some("ua"));
        assert_eq!(closest("ab", ["abcd"]), None);
    }

    #[test]
    fn a_swap_is_one_edit_and_case_is_ignored() {
        assert_eq!(closest("wbe", ["web"]), Some("web"));
        assert_eq!(closest("zhs", ["bash", "zsh"]), Some("zsh"));
        assert_eq!(closest("sekoai", ["sekoia"]), Some("sekoia"));
        assert_eq!(closest("DNS", ["web", "dns"]), Some("dns"));
        assert_eq!(closest("Web", ["web", "webb"]), Some("web"));
    }

    #[test]
    fn only_the_closest_in_the_given_order() {
        assert_eq!(closest_n("ul", ["url", "ua", "eurl"], 2), ["url", "ua"]);
        assert_eq!(closest_n("c", ["a", "b"], 3), ["a", "b"]);
        assert_eq!(
            closest_n("tunnel-ike-phase3", ["tunnel-ike-phase1", "tunnel-ike-phase2"], 1),
            ["tunnel-ike-phase1"]
        );
        // `firewall` (one edit) hides `firewalls` (two) although both are within the limit.
        assert_eq!(closest_n("firewal", ["firewalls", "firewall"], 3), ["firewall"]);
        assert_eq!(closest_n("urll", ["url", "url", "urls"], 3), ["url", "urls"]);
        assert_eq!(closest_n("abc", ["abd", "abe", "abf"], 2), ["abd", "abe"]);
    }

    #[test]
    fn the_start_of_a_choice_when_none_is_close() {
        assert_eq!(closest_choice("zia", ["steps", "terraform", "zia-api"]), Some("zia-api"));
        assert_eq!(
            closest_choice("saas", ["web", "saas-security", "saas-security-activity"]),
            Some("saas-security")
        );
        // A close choice wins over one the input starts.
        assert_eq!(closest_choice("stepz", ["stepsx-long", "steps"]), Some("steps"));
        // Two letters start too many names to point at one.
        assert_eq!(closest_choice("ti", ["time", "tunnel"]), None);
        // Field names are never completed from their start.
        assert_eq!(closest("zia", ["steps", "terraform", "zia-api"]), None);
        assert!(closest_n("saas", ["web", "saas-security", "saas-security-activity"], 3).is_empty());
    }

    #[test]
    fn never_the_input_itself_nor_for_nothing() {
        assert_eq!(closest("web", ["web"]), None);
        assert_eq!(closest("", ["a", "b"]), None);
        assert_eq!(closest_n("webb", ["web"], 0), Vec::<&str>::new());
        assert_eq!(closest("yaml", ["steps", "terraform", "zia-api"]), None);
        assert_eq!(closest_choice("web", ["web"]), None);
    }
}
