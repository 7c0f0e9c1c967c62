//! `nssgen sample`: realistic lines rendered as NSS would print them, the same for the same seed.

use std::io::Write;

use nssgen_emulate::{Sampler, ValueSet};

use super::source::{resolve, FormatChoice};
use crate::progress::Progress;
use crate::Failure;

/// The arguments of `nssgen sample`.
pub(crate) struct SampleArgs {
    pub(crate) choice: FormatChoice,
    pub(crate) count: u64,
    pub(crate) seed: u64,
    /// Add the values that break a JSON body (`--hostile`).
    pub(crate) hostile: bool,
}

pub(crate) fn sample(
    out: &mut dyn Write,
    progress: &mut Progress<'_>,
    args: &SampleArgs,
) -> Result<(), Failure> {
    let source = resolve(&args.choice)?;
    let mut sampler = Sampler::new(&source.format, source.log_type, &source.escape_characters, args.seed)
        .record_types(&source.record_types)
        .value_set(if args.hostile { ValueSet::Hostile } else { ValueSet::Ordinary });
    for done in 1..=args.count {
        let line = sampler.line();
        out.write_all(line.as_bytes())?;
        // NSS ends each record with a line feed; a format ending in `\n` already printed it.
        if !line.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        progress.tick(done);
    }
    Ok(())
}
