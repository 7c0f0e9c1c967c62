//! Parser throughput on rendered NSS lines, contenders side by side in one process.
//!
//! Run through `cargo xtask bench parse` (which builds this in release mode). Lines are rendered
//! by the NSS emulator from a seeded sampler and held in memory; each contender parses every
//! line, best of 5 rounds, and the figure is MB/s of input. Before timing, the contenders must
//! agree on the number of lines and on a sample of field values.

mod contenders;

use std::hint::black_box;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use clap::Parser as _;
use nssgen_catalog::Target;
use serde_json::json;

#[derive(clap::Parser, Debug)]
#[command(name = "nssgen-bench")]
struct Args {
    /// Lines to render and parse.
    #[arg(long, default_value_t = 50_000)]
    lines: usize,
    /// Log type (only `web` has every contender yet).
    #[arg(long, default_value = "web")]
    log_type: String,
    /// Where to write the JSON summary.
    #[arg(long, default_value = "target/bench/summary.json")]
    out: std::path::PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(args.log_type == "web", "only `web` is benchmarked so far");
    let mut lines = render_lines(&args.log_type, args.lines)?;
    // The sampler puts an occasional `"` or `\` into plain `%s` fields, as NSS would print them;
    // such lines are not JSON, and only the NSS parsers read them. The race is run on the lines
    // every contender can read, so all of them do the same work.
    let rendered = lines.len();
    lines.retain(|l| {
        l.find('{').is_some_and(|i| serde_json::from_str::<serde::de::IgnoredAny>(&l[i..]).is_ok())
    });
    let dropped = rendered - lines.len();
    let bytes: usize = lines.iter().map(String::len).sum();
    let contenders = contenders::all();
    // Same lines, same answers: a fast wrong parser is no contender.
    let reference = (contenders[0].check)(&lines);
    for c in &contenders[1..] {
        let got = (c.check)(&lines);
        ensure!(
            got == reference,
            "`{}` disagrees with `{}` on the sampled fields",
            c.name,
            contenders[0].name
        );
    }
    println!(
        "log type {} | {} lines ({dropped} of {rendered} rendered were not JSON) | {:.1} MB | avg {} bytes/line | best of 5",
        args.log_type,
        lines.len(),
        bytes as f64 / 1e6,
        bytes / lines.len().max(1)
    );
    let mut mbps = serde_json::Map::new();
    let mut rows = Vec::new();
    for c in &contenders {
        let best = (0..5)
            .map(|_| {
                let start = Instant::now();
                black_box((c.run)(black_box(&lines)));
                start.elapsed()
            })
            .min()
            .unwrap_or(Duration::MAX);
        let rate = bytes as f64 / best.as_secs_f64() / 1e6;
        mbps.insert(c.name.to_owned(), json!(rate.round()));
        rows.push((c.name, c.note, rate));
    }
    let baseline = rows.iter().find(|(n, _, _)| *n == "serde_json_typed").map_or(1.0, |r| r.2);
    println!("{:<18} {:>10} {:>10}  notes", "contender", "MB/s", "x serde");
    for (name, note, rate) in &rows {
        println!("{name:<18} {rate:>10.0} {:>10.2}  {note}", rate / baseline);
    }
    let summary = json!({ "log_type": args.log_type, "lines": lines.len(), "bytes": bytes, "mbps": mbps });
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&summary)? + "\n")
        .with_context(|| format!("write {}", args.out.display()))?;
    println!("written to {}", args.out.display());
    Ok(())
}

/// `n` sampled lines of the sekoia format for `log_type` (RFC3164 target), seed 1.
fn render_lines(log_type: &str, n: usize) -> Result<Vec<String>> {
    let profile = nssgen_catalog::profile("sekoia").context("sekoia profile")?;
    let profile_type = profile.log_type(log_type).context("log type")?;
    let catalog = profile_type.catalog_log_type().context("catalog log type")?;
    let text = nssgen_catalog::profile_format("sekoia", log_type, Target::Nss).context("format")?;
    let format = nssgen_syntax::parse(text).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut sampler = nssgen_render::Sampler::new(&format, catalog, &profile.escape_characters, 1)
        .record_types(&profile_type.record_types);
    Ok((0..n).map(|_| sampler.line()).collect())
}
