//! `nssgen sample`: realistic lines rendered as NSS would print them, the same for the same seed.

use std::io::Write;
use std::path::PathBuf;

use nssgen_render::Sampler;

use super::source::{resolve, Choice};
use crate::Failure;

/// The arguments of `nssgen sample`.
pub(crate) struct SampleArgs {
    pub(crate) log_type: String,
    pub(crate) target: Option<String>,
    pub(crate) profile: String,
    pub(crate) format_file: Option<PathBuf>,
    pub(crate) count: u64,
    pub(crate) seed: u64,
}

pub(crate) fn sample(out: &mut dyn Write, args: &SampleArgs) -> Result<(), Failure> {
    let source = resolve(&Choice {
        log_type: &args.log_type,
        target: args.target.as_deref(),
        profile: &args.profile,
        format_file: args.format_file.as_deref(),
    })?;
    let mut sampler = Sampler::new(&source.format, source.log_type, &source.escape_characters, args.seed)
        .record_types(&source.record_types);
    for _ in 0..args.count {
        let line = sampler.line();
        out.write_all(line.as_bytes())?;
        // NSS ends each record with a line feed; a format ending in `\n` already printed it.
        if !line.ends_with('\n') {
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
