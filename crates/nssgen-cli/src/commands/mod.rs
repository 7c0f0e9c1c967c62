//! The subcommands: each writes its data to `out` or returns a [`Failure`].

mod check;
mod feed;
mod identify;
mod parse;
mod sample;
mod source;
mod vintage;

use std::io::Write;
use std::path::Path;

use nssgen_catalog::{Field, LogType, Target};
use nssgen_profile::ProfileError;
use serde_json::json;

use crate::suggest::with_suggestion;
use crate::Failure;

pub(crate) use check::{check, CheckArgs};
pub(crate) use feed::{feed, FeedArgs};
pub(crate) use identify::{identify, IdentifyArgs};
pub(crate) use parse::{parse, ParseArgs, DEFAULT_MAX_LINE};
pub(crate) use sample::{sample, SampleArgs};
pub(crate) use source::FormatChoice;

pub(crate) fn list(out: &mut dyn Write, json: bool) -> Result<(), Failure> {
    if json {
        let profiles: Vec<_> = nssgen_catalog::profiles()
            .map(|p| {
                let log_types: Vec<_> = p
                    .log_types
                    .iter()
                    .map(|t| {
                        json!({
                            "id": t.id,
                            "title": t.title,
                            "catalog": t.catalog.replace('_', "-"),
                            "record_types": t.record_types,
                            "sourcetype": t.sourcetype,
                        })
                    })
                    .collect();
                json!({ "id": p.id, "description": p.description, "log_types": log_types })
            })
            .collect();
        let catalog: Vec<_> = nssgen_catalog::log_types()
            .map(|t| {
                json!({
                    "id": t.id,
                    "name": t.name,
                    "nss_type": t.nss_type,
                    "sourcetype": t.sourcetype,
                    "record_types": t.record_type_names().collect::<Vec<_>>(),
                    "fields": t.fields.len(),
                })
            })
            .collect();
        let targets: Vec<_> =
            Target::ALL.iter().map(|t| json!({ "id": t.id(), "description": t.describe() })).collect();
        let doc = json!({ "profiles": profiles, "catalog": catalog, "targets": targets });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc).map_err(|e| Failure::usage(e.to_string()))?)?;
        return Ok(());
    }
    for p in nssgen_catalog::profiles() {
        writeln!(out, "Profile `{}`: {} (nssgen format <LOG_TYPE> --profile {})", p.id, p.description, p.id)?;
        writeln!(
            out,
            "  {:<24} {:<24} {:<20} {:<16} title",
            "log type", "catalog", "sourcetype", "record types"
        )?;
        for t in &p.log_types {
            let record_types =
                if t.record_types.is_empty() { "all".to_owned() } else { t.record_types.join(", ") };
            writeln!(
                out,
                "  {:<24} {:<24} {:<20} {:<16} {}",
                t.id,
                t.catalog.replace('_', "-"),
                t.sourcetype,
                record_types,
                t.title
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "Catalog log types (nssgen fields <LOG_TYPE>)")?;
    writeln!(out, "  {:<24} {:>6}  {:<20} {:<34} NSS type", "log type", "fields", "sourcetype", "name")?;
    for t in nssgen_catalog::log_types() {
        writeln!(
            out,
            "  {:<24} {:>6}  {:<20} {:<34} {}",
            t.id,
            t.fields.len(),
            t.sourcetype.as_deref().unwrap_or("-"),
            t.name,
            t.nss_type
        )?;
    }
    writeln!(out)?;
    writeln!(out, "Targets (--target)")?;
    for t in Target::ALL {
        writeln!(out, "  {:<24} {}", t.id(), t.describe())?;
    }
    Ok(())
}

pub(crate) fn format(
    out: &mut dyn Write,
    log_type: &str,
    target: Target,
    profile: &str,
) -> Result<(), Failure> {
    let framed = source::framed(profile, log_type, target)?;
    writeln!(out, "{}", framed.text)?;
    Ok(())
}

/// A catalog log type, or a profile log type narrowed to its record types.
pub(crate) fn resolve_fields_log_type(id: &str) -> Result<(&'static LogType, Vec<String>), Failure> {
    if let Some(t) = nssgen_catalog::log_type(id) {
        return Ok((t, Vec::new()));
    }
    for p in nssgen_catalog::profiles() {
        if let Some(pt) = p.log_type(id) {
            if let Some(t) = pt.catalog_log_type() {
                return Ok((t, pt.record_types.clone()));
            }
        }
    }
    let valid = log_type_ids();
    let message = format!("unknown log type `{id}` (valid: {})", valid.join(", "));
    Err(Failure::usage(with_suggestion(message, id, &valid)))
}

/// Every catalog log type id, then the profile log types that are not one (`tunnel-ike-phase1`).
pub(crate) fn log_type_ids() -> Vec<&'static str> {
    let mut valid: Vec<&str> = nssgen_catalog::log_type_ids().collect();
    for p in nssgen_catalog::profiles() {
        for t in &p.log_types {
            if !valid.contains(&t.id.as_str()) {
                valid.push(&t.id);
            }
        }
    }
    valid
}

/// An unknown `--profile`, with the closest profile when one is close.
pub(crate) fn unknown_profile(id: &str) -> Failure {
    let valid: Vec<&str> = nssgen_catalog::profiles().map(|p| p.id.as_str()).collect();
    let message = format!("unknown profile `{id}` (valid: {})", valid.join(", "));
    Failure::usage(with_suggestion(message, id, &valid))
}

/// A format `profile` could not frame for `log_type`: an unknown profile or log type is the
/// user's (with the closest id when one is close), anything else a bug of a built-in profile.
pub(crate) fn profile_failure(e: &ProfileError, profile: &str, log_type: &str) -> Failure {
    match e {
        ProfileError::UnknownProfile { .. } => unknown_profile(profile),
        ProfileError::UnknownLogType { .. } => {
            Failure::usage(with_suggestion(e.to_string(), log_type, &profile_log_type_ids(profile)))
        }
        _ => Failure::usage(format!("internal error: {}", with_causes(e))),
    }
}

/// `e`'s message, then each of its causes' after `: `.
pub(crate) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut line = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

/// The log type ids of profile `profile`, in its order (none for an unknown profile).
pub(crate) fn profile_log_type_ids(profile: &str) -> Vec<&'static str> {
    nssgen_catalog::profile(profile)
        .map(|p| p.log_types.iter().map(|t| t.id.as_str()).collect())
        .unwrap_or_default()
}

/// `message` about an unknown `input` among `valid`, with the closest choice when one is close.
pub(crate) fn unknown_choice(message: impl Into<String>, input: &str, valid: &[&str]) -> Failure {
    Failure::usage(with_suggestion(message, input, valid))
}

/// `nssgen completions <SHELL>`: the script, written whole, so a closed pipe stays an error
/// of ours to report rather than a panic inside the generator.
pub(crate) fn completions(
    out: &mut dyn Write,
    shell: clap_complete::Shell,
    cli: &mut clap::Command,
) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, cli, "nssgen", &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// `nssgen man`: the nssgen(1) page in roff on `out`, or with `out_dir` that page and
/// nssgen-<COMMAND>(1), which it refers to, for every command, as files in `out_dir`.
pub(crate) fn man(out: &mut dyn Write, cli: clap::Command, out_dir: Option<&Path>) -> Result<(), Failure> {
    match out_dir {
        None => clap_mangen::Man::new(cli).render(out)?,
        Some(dir) => clap_mangen::generate_to(cli, dir)
            .map_err(|e| Failure::usage(format!("cannot write manual pages into {}: {e}", dir.display())))?,
    }
    Ok(())
}

pub(crate) fn fields(out: &mut dyn Write, id: &str, json: bool) -> Result<(), Failure> {
    let (log_type, record_types) = resolve_fields_log_type(id)?;
    let fields: Vec<&Field> =
        log_type.fields.iter().filter(|f| LogType::field_in_record_types(f, &record_types)).collect();
    if json {
        let doc = json!({
            "log_type": id,
            "catalog": log_type.id,
            "name": log_type.name,
            "nss_type": log_type.nss_type,
            "sourcetype": log_type.sourcetype,
            "record_types": if record_types.is_empty() {
                log_type.record_type_names().map(str::to_owned).collect()
            } else {
                record_types.clone()
            },
            "fields": fields,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc).map_err(|e| Failure::usage(e.to_string()))?)?;
        return Ok(());
    }
    let scope = if record_types.is_empty() {
        String::new()
    } else {
        format!(", record types: {}", record_types.join(", "))
    };
    writeln!(
        out,
        "{} ({}): {} fields{scope}; {}; sourcetype {}",
        id,
        log_type.name,
        fields.len(),
        log_type.nss_type,
        log_type.sourcetype.as_deref().unwrap_or("-")
    )?;
    let spec_width = fields.iter().map(|f| f.spec.len()).max().unwrap_or(4).max(4);
    let category_width =
        fields.iter().map(|f| f.category.as_deref().map_or(1, str::len)).max().unwrap_or(8).clamp(8, 40);
    let variants: Vec<String> = fields.iter().map(|f| variant_text(f)).collect();
    let variant_width = variants.iter().map(String::len).max().unwrap_or(7).clamp(7, 32);
    writeln!(
        out,
        "{:<spec_width$}  {:<category_width$}  {:<variant_width$}  example",
        "spec", "category", "variant"
    )?;
    for (f, variant) in fields.into_iter().zip(variants) {
        // An example cell can hold line breaks from the docs; a listing keeps one row per field.
        let example = f.example.as_deref().unwrap_or("").replace(['\n', '\r'], " ");
        let row = format!(
            "{:<spec_width$}  {:<category_width$}  {:<variant_width$}  {}",
            f.spec,
            f.category.as_deref().unwrap_or("-"),
            variant,
            example
        );
        writeln!(out, "{}", row.trim_end())?;
    }
    Ok(())
}

/// How a field relates to its variants: `hex of url`, or `variants: eurl b64url` on a base.
fn variant_text(f: &Field) -> String {
    match (f.variant, &f.variant_of) {
        (Some(v), Some(base)) => format!("{} of {base}", v.as_str()),
        (Some(v), None) => v.as_str().to_owned(),
        (None, _) if !f.variants.is_empty() => {
            // `%s{eurl}` -> `eurl`: the listing's spec column already shows conversions.
            let names: Vec<&str> = f
                .variants
                .iter()
                .map(|spec| spec.split_once('{').map_or(spec.as_str(), |(_, n)| n.trim_end_matches('}')))
                .collect();
            format!("variants: {}", names.join(" "))
        }
        (None, _) => String::new(),
    }
}
