//! Parser throughput on rendered NSS lines, contenders side by side in one process.
//!
//! Run through `cargo xtask bench` (which builds this in release mode). Lines are rendered by
//! the NSS emulator from a seeded sampler and held in memory; each contender parses every
//! line, best of 5 rounds, and the figure is MB/s of input. Before timing, the contenders must
//! agree on the number of lines and on a sample of field values.

mod contenders;

use std::hint::black_box;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use clap::Parser as _;
use nssgen_catalog::Target;
use serde_json::json;

use contenders::{Contender, Setup};

#[derive(clap::Parser, Debug)]
#[command(name = "nssgen-bench")]
struct Args {
    /// Lines to render and parse per log type.
    #[arg(long, default_value_t = 50_000)]
    lines: usize,
    /// A sekoia log type, or `all`.
    #[arg(long, default_value = "web")]
    log_type: String,
    /// Where to write the JSON summary.
    #[arg(long, default_value = "target/bench/summary.json")]
    out: std::path::PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let profile = nssgen_catalog::profile("sekoia").context("sekoia profile")?;
    let log_types: Vec<&str> = if args.log_type == "all" {
        profile.log_types.iter().map(|t| t.id.as_str()).collect()
    } else {
        vec![args.log_type.as_str()]
    };
    let contenders = contenders::all();
    let mut summaries = Vec::new();
    for log_type in log_types {
        summaries.push(bench(log_type, args.lines, &contenders)?);
    }
    let summary = if args.log_type == "all" { json!(summaries) } else { summaries.remove(0) };
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&summary)? + "\n")
        .with_context(|| format!("write {}", args.out.display()))?;
    println!("written to {}", args.out.display());
    Ok(())
}

fn bench(log_type: &str, n: usize, contenders: &[Contender]) -> Result<serde_json::Value> {
    let format = nssgen_catalog::profile_format("sekoia", log_type, Target::Nss)
        .with_context(|| format!("no sekoia format for `{log_type}`"))?;
    let setup = Setup::new(log_type, format)?;
    let mut lines = render_lines(log_type, format, n)?;
    // The sampler puts an occasional `"` or `\` into plain `%s` fields, as NSS would print them;
    // such lines are not JSON, and only the NSS parsers read them. The race is run on the lines
    // every contender can read, so all of them do the same work.
    let rendered = lines.len();
    lines.retain(|l| {
        l.find('{').is_some_and(|i| serde_json::from_str::<serde::de::IgnoredAny>(&l[i..]).is_ok())
    });
    let dropped = rendered - lines.len();
    let bytes: usize = lines.iter().map(String::len).sum();

    // Same lines, same answers: a fast wrong parser is no contender.
    let checked: Vec<(&Contender, contenders::Extracted)> =
        contenders.iter().filter(|c| c.compared).map(|c| (c, (c.parse)(&setup, &lines, true))).collect();
    let (first, reference) = &checked[0];
    ensure!(reference.0 == lines.len(), "`{}` parsed {} of {} lines", first.name, reference.0, lines.len());
    for (c, got) in &checked[1..] {
        ensure!(
            got == reference,
            "{log_type}: `{}` disagrees with `{}` ({} vs {} lines; first sample {:?} vs {:?})",
            c.name,
            first.name,
            got.0,
            reference.0,
            got.1.first(),
            reference.1.first()
        );
    }

    println!(
        "\n{log_type}: {} lines ({dropped} of {rendered} rendered were not JSON), {:.1} MB, {} bytes/line, best of 5; \
         agreed on {} sampled values",
        lines.len(),
        bytes as f64 / 1e6,
        bytes / lines.len().max(1),
        reference.1.len() * setup.keys.len()
    );
    let mut rows = Vec::new();
    for c in contenders {
        let best = (0..5)
            .map(|_| {
                let start = Instant::now();
                black_box((c.parse)(&setup, black_box(&lines), false));
                start.elapsed()
            })
            .min()
            .unwrap_or(Duration::MAX);
        rows.push((c, bytes as f64 / best.as_secs_f64() / 1e6));
    }
    let rate = |name: &str| rows.iter().find(|(c, _)| c.name == name).map_or(f64::NAN, |r| r.1);
    let (serde, floor) = (rate("serde_json_typed"), rate("memchr_floor"));
    println!("  {:<18} {:>9} {:>9} {:>9}  notes", "contender", "MB/s", "x serde", "% floor");
    let mut mbps = serde_json::Map::new();
    for (c, r) in &rows {
        println!("  {:<18} {r:>9.0} {:>9.2} {:>8.1}%  {}", c.name, r / serde, 100.0 * r / floor, c.note);
        mbps.insert(c.name.to_owned(), json!(r.round()));
    }
    Ok(json!({ "log_type": log_type, "lines": lines.len(), "bytes": bytes, "mbps": mbps }))
}

/// `n` sampled lines of the sekoia format (RFC3164 target), seed 1.
fn render_lines(log_type: &str, text: &str, n: usize) -> Result<Vec<String>> {
    let profile = nssgen_catalog::profile("sekoia").context("sekoia profile")?;
    let profile_type = profile.log_type(log_type).context("log type")?;
    let catalog = profile_type.catalog_log_type().context("catalog log type")?;
    let format = nssgen_syntax::parse(text).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut sampler = nssgen_render::Sampler::new(&format, catalog, &profile.escape_characters, 1)
        .record_types(&profile_type.record_types);
    Ok((0..n).map(|_| sampler.line()).collect())
}
