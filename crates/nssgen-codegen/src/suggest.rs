//! "Did you mean" hints: the known names closest to a misspelt one.

/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo
/// (at most a third of the name's length, and at least one edit allowed).
pub(crate) fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    closest_n(name, candidates, 1).into_iter().next()
}

/// Up to `n` candidates close to `name`, closest first (ties keep the candidates' order).
pub(crate) fn closest_n<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    n: usize,
) -> Vec<&'c str> {
    let limit = (name.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .filter(|(_, c)| *c != name)
        .map(|(i, c)| (distance(&name.to_ascii_lowercase(), &c.to_ascii_lowercase()), i, c))
        .filter(|(d, _, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// Levenshtein distance, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("eurl", "eurl"), 0);
        assert_eq!(distance("eurll", "eurl"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_names() {
        assert_eq!(closest("eurll", ["url", "eurl", "eua"]), Some("eurl"));
        assert_eq!(closest("fromat", ["format", "format_file"]), Some("format"));
        assert_eq!(closest("zzzzzz", ["format"]), None);
        assert_eq!(closest_n("ul", ["url", "ua", "eurl"], 2), ["url", "ua"]);
    }
}
