//! Parser throughput on rendered NSS lines, contenders side by side in one process.
//!
//! Run through `cargo xtask bench` (which builds this in release mode). Lines are rendered by
//! the NSS emulator from a seeded sampler and held in memory; each contender parses every
//! line, best of 5 rounds (`--rounds`), and the figure is MB/s of input. Before timing, the
//! contenders must agree on the number of lines and on a sample of field values.
//!
//! With `--mixed`, a second race on streams mixing every log type, in the four shapes a
//! collector sees together, then in each alone: `nssgen::sekoia::Record::parse`, which routes
//! each line, against each line's own record's parser; before timing, both must give every line
//! the same record.

mod contenders;
mod mixed;

use std::hint::black_box;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use clap::Parser as _;
use nssgen_catalog::Target;
use nssgen_emulate::ValueSet;
use serde_json::json;

use contenders::{Contender, Setup};

#[derive(clap::Parser, Debug)]
#[command(name = "nssgen-bench")]
struct Args {
    /// Lines to render and parse per log type, and in each mixed stream.
    #[arg(long, default_value_t = 50_000)]
    lines: usize,
    /// A sekoia log type, or `all`.
    #[arg(long, default_value = "web")]
    log_type: String,
    /// Also race on mixed streams (every log type, shuffled): `record_parse` against
    /// `own_parser`.
    #[arg(long)]
    mixed: bool,
    /// Race the mixed stream of this shape only (`all` for the four together; implies
    /// `--mixed`), e.g. under a profiler; by default the four together, then each alone.
    #[arg(long)]
    shape: Option<String>,
    /// Time only these contenders (comma-separated), e.g. under a profiler; all are still
    /// checked against each other first. Naming only the mixed race's contenders runs that
    /// race alone.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Timed rounds per contender; the best counts.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    rounds: u32,
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
    let names: Vec<&str> =
        contenders.iter().map(|c| c.name).chain(mixed::RACERS.iter().map(|r| r.name)).collect();
    if let Some(unknown) = args.only.iter().find(|o| !names.contains(&o.as_str())) {
        anyhow::bail!("no contender `{unknown}`; the contenders are {}", names.join(", "));
    }
    let named = |name: &str| args.only.iter().any(|o| o == name);
    let mut summaries = Vec::new();
    if args.only.is_empty() || contenders.iter().any(|c| named(c.name)) {
        for log_type in log_types {
            summaries.push(bench(log_type, &args, &contenders)?);
        }
    }
    let mixed = if args.mixed || args.shape.is_some() || mixed::RACERS.iter().any(|r| named(r.name)) {
        Some(bench_mixed(&args)?)
    } else {
        None
    };
    let summary = json!({ "per_type": summaries, "mixed": mixed });
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&summary)? + "\n")
        .with_context(|| format!("write {}", args.out.display()))?;
    println!("written to {}", args.out.display());
    Ok(())
}

fn bench(log_type: &str, args: &Args, contenders: &[Contender]) -> Result<serde_json::Value> {
    let format = &nssgen_profile::format("sekoia", log_type, Target::Nss)
        .with_context(|| format!("no sekoia format for `{log_type}`"))?
        .text;
    let setup = Setup::new(log_type, format)?;
    // Hostile values (an occasional `"` or `\` in plain `%s` fields, as NSS would print them),
    // the lines real feeds carry. Such lines are not JSON, and only the NSS parsers read them.
    // The race is run on the lines every contender can read, so all of them do the same work.
    let mut lines =
        nssgen_emulate::profile_lines("sekoia", log_type, Target::Nss, ValueSet::Hostile, 1, args.lines)?;
    let rendered = lines.len();
    lines.retain(|l| contenders::json_bodied(l));
    let dropped = rendered - lines.len();
    let bytes: usize = lines.iter().map(String::len).sum();
    // The lines sit back to back in one buffer, as a collector holds what it read from a file
    // or a socket, so reading them walks memory in order. Left in one allocation each, with
    // room to spare and other allocations between them, they made every contender wait on
    // memory the hardware could not prefetch (the one-pass floor measured 6.5 GB/s, not 30).
    let buffer = lines.concat();
    let mut start = 0;
    let lines: Vec<&str> = lines
        .iter()
        .map(|line| {
            let held = &buffer[start..start + line.len()];
            start += line.len();
            held
        })
        .collect();

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
        "\n{log_type}: {} lines ({dropped} of {rendered} rendered were not JSON), {:.1} MB, {} bytes/line, best of {}; \
         agreed on {} sampled values",
        lines.len(),
        bytes as f64 / 1e6,
        bytes / lines.len().max(1),
        args.rounds,
        reference.1.len() * setup.keys.len()
    );
    let mut rows = Vec::new();
    for c in contenders.iter().filter(|c| args.only.is_empty() || args.only.iter().any(|o| o == c.name)) {
        let best = (0..args.rounds)
            .map(|_| {
                let start = Instant::now();
                black_box((c.parse)(&setup, black_box(&lines), false));
                start.elapsed()
            })
            .min()
            .unwrap_or(Duration::MAX);
        rows.push((c, bytes as f64 / best.as_secs_f64() / 1e6));
    }
    let rate = |name: &str| rows.iter().find(|(c, _)| c.name == name).map(|r| r.1);
    let (serde, floor) = (rate("serde_json_typed"), rate("memchr_floor"));
    // A ratio to a contender left out by `--only` is shown as `-`.
    let ratio = |r: f64, base: Option<f64>, scale: f64, decimals: usize, unit: &str| {
        base.map_or_else(|| "-".to_owned(), |base| format!("{:.decimals$}{unit}", scale * r / base))
    };
    println!("  {:<18} {:>9} {:>9} {:>9}  notes", "contender", "MB/s", "x serde", "% floor");
    let mut mbps = serde_json::Map::new();
    for (c, r) in &rows {
        println!(
            "  {:<18} {r:>9.0} {:>9} {:>9}  {}",
            c.name,
            ratio(*r, serde, 1.0, 2, ""),
            ratio(*r, floor, 100.0, 1, "%"),
            c.note
        );
        mbps.insert(c.name.to_owned(), json!(r.round()));
    }
    Ok(json!({ "log_type": log_type, "lines": lines.len(), "bytes": bytes, "mbps": mbps }))
}

/// The mixed race: `Record::parse` against each line's own parser on one shuffled stream of
/// the four shapes, then on a stream of each shape, rounds interleaved so that a slow spell of
/// a shared machine hits both alike.
fn bench_mixed(args: &Args) -> Result<serde_json::Value> {
    let all = ("all", &mixed::SHAPES[..]);
    let streams: Vec<(&str, &[&str])> = match args.shape.as_deref() {
        None => std::iter::once(all)
            .chain(mixed::SHAPES.iter().map(std::slice::from_ref).map(|s| (s[0], s)))
            .collect(),
        Some("all") => vec![all],
        Some(shape) => vec![(
            shape,
            std::slice::from_ref(mixed::SHAPES.iter().find(|s| **s == shape).with_context(|| {
                format!("no shape `{shape}`; the shapes are all, {}", mixed::SHAPES.join(", "))
            })?),
        )],
    };
    let racers: Vec<&mixed::Racer> = mixed::RACERS
        .iter()
        .filter(|r| args.only.is_empty() || args.only.iter().any(|o| o == r.name))
        .collect();
    println!(
        "\nmixed: the {} log types, shuffled, best of {} (rounds interleaved); every line read alike by both, \
         Record::parse giving the very record of the line's own parser",
        nssgen::sekoia::Record::LOG_TYPES.len(),
        args.rounds
    );
    for racer in &racers {
        println!("  {}: {}", racer.name, racer.note);
    }
    let header: Vec<String> = racers.iter().map(|r| format!("{} MB/s", r.name)).collect();
    println!(
        "  {:<12} {:>7} {:>6} {:>6} {}  {:>6}",
        "shapes",
        "lines",
        "MB",
        "B/line",
        header.join("  "),
        "ratio"
    );
    let mut rows = Vec::new();
    for (name, shapes) in streams {
        let stream = mixed::Stream::new(args.lines, shapes)?;
        let lines = stream.lines();
        let bytes = stream.buffer.len();
        mixed::check(&lines, &stream.kinds)?;
        let mut best = vec![Duration::MAX; racers.len()];
        for _ in 0..args.rounds {
            for (racer, best) in racers.iter().zip(&mut best) {
                let start = Instant::now();
                let parsed = black_box((racer.run)(black_box(&lines), black_box(&stream.kinds)));
                *best = (*best).min(start.elapsed());
                ensure!(parsed == lines.len(), "`{}` parsed {parsed} of {} lines", racer.name, lines.len());
            }
        }
        let rates: Vec<f64> = best.iter().map(|b| bytes as f64 / b.as_secs_f64() / 1e6).collect();
        let rate = |racer: &mixed::Racer| racers.iter().position(|r| r.name == racer.name).map(|i| rates[i]);
        let ratio = rate(&mixed::RACERS[1]).zip(rate(&mixed::RACERS[0])).map(|(routed, own)| routed / own);
        let cells: Vec<String> =
            rates.iter().zip(&header).map(|(r, h)| format!("{r:>width$.0}", width = h.len())).collect();
        println!(
            "  {name:<12} {:>7} {:>6.1} {:>6} {}  {:>6}",
            lines.len(),
            bytes as f64 / 1e6,
            bytes / lines.len().max(1),
            cells.join("  "),
            ratio.map_or_else(|| "-".to_owned(), |r| format!("{r:.3}"))
        );
        let mbps: serde_json::Map<String, serde_json::Value> =
            racers.iter().zip(&rates).map(|(r, rate)| (r.name.to_owned(), json!(rate.round()))).collect();
        rows.push(
            json!({ "shapes": shapes, "lines": lines.len(), "bytes": bytes, "mbps": mbps, "ratio": ratio }),
        );
    }
    println!("  ratio: record_parse / own_parser MB/s (the goal: at least 0.90)");
    Ok(json!({ "log_types": nssgen::sekoia::Record::LOG_TYPES, "rounds": args.rounds, "streams": rows }))
}
