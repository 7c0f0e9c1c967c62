//! The mixed stream: lines of every Sekoia log type in every shape a collector sees, shuffled,
//! parsed by `nssgen::sekoia::Record::parse` (which routes each line, then parses it) and by
//! each line's own record's parser, told the log type in advance: the ideal routing is measured
//! against.

use std::hint::black_box;

use anyhow::{ensure, Context, Result};
use nssgen::sekoia::{
    AdminAudit, Dns, Firewall, Record, SaasSecurity, SaasSecurityActivity, Tunnel, TunnelIkePhase1,
    TunnelIkePhase2, Web,
};
use nssgen::{NssRecord as _, ParseError};
use nssgen_catalog::Target;
use nssgen_emulate::ValueSet;

use crate::contenders;

/// One way to read the mixed stream.
#[derive(Debug)]
pub(crate) struct Racer {
    pub(crate) name: &'static str,
    pub(crate) note: &'static str,
    /// Parses every line (the log type of each at hand): the lines parsed.
    pub(crate) run: fn(&[&str], &[u8]) -> usize,
}

/// The mixed race's contenders, the baseline first.
pub(crate) const RACERS: [Racer; 2] = [
    Racer {
        name: "own_parser",
        note: "each line's own record's parser (Web::parse, ...), picked by an index computed before timing",
        run: own_parser,
    },
    Racer {
        name: "record_parse",
        note: "nssgen::sekoia::Record::parse: the exact walk the sourcetype names, else routed by keys, then parsed",
        run: routed,
    },
];

/// The shapes a collector sees, in the order they are rendered: how NSS VM feeds print lines
/// (RFC3164 and RFC5424 headers), the line a concentrator forwards to the intake, and the body
/// alone (Cloud NSS).
pub(crate) const SHAPES: [&str; 4] = ["nss", "nss-rfc5424", "forwarded", "cloud-nss"];

/// The seed of the shuffle, so that every run races on the same stream.
const SHUFFLE_SEED: u64 = 13;

/// A shuffled stream and the index into [`Record::LOG_TYPES`] of each line's log type.
#[derive(Debug)]
pub(crate) struct Stream {
    /// The lines back to back in one buffer, as a collector holds what it read.
    pub(crate) buffer: String,
    /// Each line's end in `buffer`.
    ends: Vec<usize>,
    /// Each line's log type.
    pub(crate) kinds: Vec<u8>,
}

impl Stream {
    /// About `lines` lines, the same number of each log type in each of `shapes` (some of
    /// [`SHAPES`]), drawn from the sampler the per-type races use (hostile values; lines whose
    /// body is not JSON left out, as there), then shuffled. A shape's lines are the same in
    /// every stream that has it, as far as the shorter goes.
    pub(crate) fn new(lines: usize, shapes: &[&str]) -> Result<Stream> {
        let profile = nssgen_catalog::profile("sekoia").context("sekoia profile")?;
        let ids: Vec<&str> = profile.log_types.iter().map(|t| t.id.as_str()).collect();
        ensure!(ids == Record::LOG_TYPES, "the sekoia profile's log types are not Record's: {ids:?}");
        let intake = profile.syslog_intake.as_ref().context("the sekoia profile has no syslog intake")?;
        // What a concentrator writes between the RFC5424 header's APP-NAME and the body.
        let structured =
            format!("- {} [{} {}=\"{}\"] ", intake.msgid, intake.sd_id, intake.key_param, "k".repeat(32));
        if let Some(unknown) = shapes.iter().find(|s| !SHAPES.contains(s)) {
            anyhow::bail!("no shape `{unknown}`; the shapes are {}", SHAPES.join(", "));
        }
        let per_part = lines.div_ceil(ids.len() * shapes.len().max(1)).max(1);
        let mut all: Vec<(String, u8)> = Vec::with_capacity(per_part * ids.len() * shapes.len());
        for (kind, id) in ids.iter().enumerate() {
            let kind = u8::try_from(kind).context("more than 255 log types")?;
            for (seed, shape) in (1..).zip(SHAPES).filter(|(_, shape)| shapes.contains(shape)) {
                let target = match shape {
                    "nss" => Target::Nss,
                    "cloud-nss" => Target::CloudNss,
                    _ => Target::NssRfc5424,
                };
                let rendered =
                    nssgen_emulate::profile_lines("sekoia", id, target, ValueSet::Hostile, seed, per_part)?;
                for line in rendered.into_iter().filter(|l| contenders::json_bodied(l)) {
                    let line = if shape == "forwarded" { forwarded(&line, &structured)? } else { line };
                    all.push((line, kind));
                }
            }
        }
        fastrand::Rng::with_seed(SHUFFLE_SEED).shuffle(&mut all);
        let mut stream = Stream {
            buffer: String::with_capacity(all.iter().map(|(l, _)| l.len()).sum()),
            ends: Vec::with_capacity(all.len()),
            kinds: Vec::with_capacity(all.len()),
        };
        for (line, kind) in all {
            stream.buffer.push_str(&line);
            stream.ends.push(stream.buffer.len());
            stream.kinds.push(kind);
        }
        Ok(stream)
    }

    /// The lines, borrowed from the buffer.
    pub(crate) fn lines(&self) -> Vec<&str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(start, &end)| &self.buffer[start..end]).collect()
    }
}

/// An NSS RFC5424 line (`<PRI>1 TIMESTAMP HOSTNAME APP-NAME - - - BODY`) as a concentrator
/// forwards it: the same header up to APP-NAME, then its MSGID and structured data.
fn forwarded(line: &str, structured: &str) -> Result<String> {
    let app_end = line.match_indices(' ').nth(3).map(|(i, _)| i + 1);
    let rest = app_end.and_then(|at| line[at..].strip_prefix("- - - ").map(|body| (at, body)));
    let (at, body) = rest.with_context(|| format!("not an NSS RFC5424 line: {line}"))?;
    Ok(format!("{}{structured}{body}", &line[..at]))
}

/// Parses `line` with the record of log type `kind` (an index into [`Record::LOG_TYPES`]).
#[inline(always)]
fn own(kind: u8, line: &str) -> Result<Record<'_>, ParseError> {
    match kind {
        0 => Web::parse(line).map(Record::Web),
        1 => Firewall::parse(line).map(Record::Firewall),
        2 => Dns::parse(line).map(Record::Dns),
        3 => Tunnel::parse(line).map(Record::Tunnel),
        4 => TunnelIkePhase1::parse(line).map(Record::TunnelIkePhase1),
        5 => TunnelIkePhase2::parse(line).map(Record::TunnelIkePhase2),
        6 => AdminAudit::parse(line).map(Record::AdminAudit),
        7 => SaasSecurity::parse(line).map(Record::SaasSecurity),
        _ => SaasSecurityActivity::parse(line).map(Record::SaasSecurityActivity),
    }
}

/// Same lines, same answers: every line is read by its own parser, and `Record::parse` gives
/// the very same record (the same variant, every field equal).
pub(crate) fn check(lines: &[&str], kinds: &[u8]) -> Result<()> {
    for (line, &kind) in lines.iter().zip(kinds) {
        let expected = own(kind, line);
        let log_type = Record::LOG_TYPES[usize::from(kind)];
        ensure!(expected.is_ok(), "{log_type}: its own parser rejects {line:?}: {:?}", expected.err());
        let routed = Record::parse(line);
        ensure!(
            routed == expected,
            "{log_type}: Record::parse disagrees with the own parser on {line:?}: {:?}",
            routed.map(|r| r.log_type())
        );
    }
    Ok(())
}

/// The timed loop of `record_parse`: the lines parsed. Not inlined, so that a profiler sees it.
#[inline(never)]
fn routed(lines: &[&str], _kinds: &[u8]) -> usize {
    let mut count = 0;
    for &line in lines {
        let parsed = Record::parse(line);
        count += usize::from(parsed.is_ok());
        black_box(&parsed);
    }
    count
}

/// The timed loop of `own_parser`: the lines parsed. Not inlined, so that a profiler sees it.
#[inline(never)]
fn own_parser(lines: &[&str], kinds: &[u8]) -> usize {
    let mut count = 0;
    for (&line, &kind) in lines.iter().zip(kinds) {
        let parsed = own(kind, line);
        count += usize::from(parsed.is_ok());
        black_box(&parsed);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forwarded_line_keeps_the_header_up_to_the_app_name_and_the_body() {
        let line = r#"<134>1 2025-02-06T14:41:19Z zscaler-nss NSS - - - {"a":"- - - "}"#;
        let got = forwarded(line, "- LOG [S@1 k=\"v\"] ").expect("an RFC5424 line");
        assert_eq!(got, r#"<134>1 2025-02-06T14:41:19Z zscaler-nss NSS - LOG [S@1 k="v"] {"a":"- - - "}"#);
        let shape = nssgen_syntax::shape::framing(&got).map(|f| f.shape);
        assert_eq!(shape, Some(nssgen_syntax::shape::Shape::Forwarded));
        assert!(forwarded("Feb 06 14:41:19 zscaler-nss NSS {}", "").is_err());
    }

    #[test]
    fn the_stream_mixes_every_log_type_in_every_shape_and_both_contenders_agree() {
        let stream = Stream::new(360, &SHAPES).expect("a stream");
        let lines = stream.lines();
        // Ten of each log type in each shape, less the few whose body hostile values broke.
        assert!((300..=360).contains(&lines.len()), "{} lines", lines.len());
        for kind in 0..9 {
            let shapes: std::collections::HashSet<_> = lines
                .iter()
                .zip(&stream.kinds)
                .filter(|(_, k)| **k == kind)
                .filter_map(|(l, _)| nssgen_syntax::shape::framing(l).map(|f| f.shape))
                .collect();
            assert_eq!(shapes.len(), 4, "log type {kind}: {shapes:?}");
        }
        // Shuffled: not in the order rendered.
        assert!(stream.kinds.windows(2).any(|w| w[0] > w[1]));
        check(&lines, &stream.kinds).expect("the contenders agree");
        assert_eq!(routed(&lines, &stream.kinds), lines.len());
        assert_eq!(own_parser(&lines, &stream.kinds), lines.len());
        // A line given to the wrong parser is caught.
        // One shape alone: the same lines of that shape.
        let nss = Stream::new(36, &["nss"]).expect("a stream of one shape");
        let of_shape = |l: &&str| l.starts_with(|c: char| c.is_ascii_uppercase());
        let mut alone = nss.lines();
        alone.sort_unstable();
        let mut within: Vec<&str> = lines.iter().copied().filter(of_shape).collect();
        within.sort_unstable();
        within.retain(|l| alone.binary_search(l).is_ok());
        assert!(alone.iter().all(of_shape) && within.len() == alone.len(), "{alone:?}");
        assert!(Stream::new(9, &["nss5424"]).is_err());
        let mut wrong = stream.kinds.clone();
        wrong[0] = (wrong[0] + 1) % 9;
        assert!(check(&lines, &wrong).is_err());
    }
}
