//! `cargo xtask import`: copies the reference data in `../shared/reference` into the project's own
//! data files once, by program, so the project builds and tests without `../shared`.
//!
//! What it writes:
//! - `crates/nssgen-catalog/data/catalog/*`: the field catalog, verbatim.
//! - `crates/nssgen-catalog/data/profiles/sekoia.json`: the `sekoia` profile, extracted from
//!   Sekoia's published formats: per log type the JSON body as key/value data and the envelope
//!   spacing per target.
//! - `crates/nssgen-catalog/data/known_formats.json`: every vendor format the reference holds
//!   (Sekoia.io's current strings and its history, Elastic's current and first-generation
//!   strings), one entry per distinct text, with the dates or versions it was published under.
//! - `tests/fixtures/reference/formats/**`: every reference format file, verbatim.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};
use serde_json::{json, Value};

/// Sekoia's nine published formats: (profile log type id, reference file stem, tab title on
/// Sekoia's page, catalog log type key, record types the format serves).
///
/// The record types are our reading of each string's fields: the "Tunnel" tab carries the
/// tunnel event fields (`event`, `eventreason`), the IKE tabs the phase fields. An empty list
/// means every record type of the log type.
const SEKOIA_LOG_TYPES: &[(&str, &str, &str, &str, &[&str])] = &[
    ("web", "web", "Web Log", "web", &[]),
    ("firewall", "firewall", "Firewall Log", "firewall", &[]),
    ("dns", "dns", "DNS Log", "dns", &[]),
    ("tunnel", "tunnel", "Tunnel", "tunnel", &["Tunnel Events"]),
    ("tunnel-ike-phase1", "tunnel_ike_phase1", "Tunnel IKE Phase 1", "tunnel", &["IKE Phase 1"]),
    ("tunnel-ike-phase2", "tunnel_ike_phase2", "Tunnel IKE Phase 2", "tunnel", &["IKE Phase 2"]),
    ("admin-audit", "admin_audit", "Admin Audit", "admin_audit", &[]),
    ("saas-security", "saas_security", "SaaS Security", "saas_security", &[]),
    (
        "saas-security-activity",
        "saas_security_activity",
        "SaaS Security Activity",
        "saas_security_activity",
        &[],
    ),
];

/// The syslog headers Sekoia's strings carry, per target, as the templates print them with
/// `hostname = zscaler-nss`, `tag = NSS`, `pri = 134`. The importer checks every file against
/// them so a change on Sekoia's side is caught here rather than silently copied.
const HEADERS: &[(&str, &str)] = &[
    ("nss", "%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss NSS "),
    ("nss-rfc5424", "<134>1 %d{yyyy}-%02d{mth}-%02d{dd}T%02d{hh}:%02d{mm}:%02d{ss}Z zscaler-nss NSS - - - "),
];

/// Envelope spacing styles seen in Sekoia's strings: (name, space after the opening brace,
/// around the sourcetype colon, after the comma, around the event colon).
const ENVELOPES: &[(&str, &str, &str, &str, &str)] = &[
    ("spaced", "", " : ", " ", " : "),
    ("spaced-tight", "", " : ", " ", " :"),
    ("padded", " ", " : ", " ", " :"),
    ("compact", "", ":", "", ":"),
];

pub(crate) fn run(root: &Path, from: &Path) -> Result<()> {
    ensure!(
        from.join("catalog").is_dir() && from.join("formats").is_dir(),
        "{} does not hold catalog/ and formats/",
        from.display()
    );
    let catalog_out = root.join("crates/nssgen-catalog/data/catalog");
    let n = copy_tree(&from.join("catalog"), &catalog_out)?;
    eprintln!("catalog: {n} files -> {}", catalog_out.display());
    let formats_out = root.join("tests/fixtures/reference/formats");
    let n = copy_tree(&from.join("formats"), &formats_out)?;
    eprintln!("formats: {n} files -> {}", formats_out.display());
    let profile = sekoia_profile(&from.join("formats/sekoia"))?;
    let profile_out = root.join("crates/nssgen-catalog/data/profiles/sekoia.json");
    fs::create_dir_all(profile_out.parent().expect("profile path has a parent"))?;
    fs::write(&profile_out, profile)?;
    eprintln!("profile: {}", profile_out.display());
    let known = known_formats(&from.join("formats"))?;
    let known_out = root.join("crates/nssgen-catalog/data/known_formats.json");
    fs::write(&known_out, known)?;
    eprintln!("known formats: {}", known_out.display());
    Ok(())
}

/// Replaces `to` with a verbatim copy of `from`; returns the number of files copied.
fn copy_tree(from: &Path, to: &Path) -> Result<usize> {
    if to.exists() {
        fs::remove_dir_all(to).with_context(|| format!("remove {}", to.display()))?;
    }
    let mut count = 0;
    let mut stack: Vec<PathBuf> = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rel = dir.strip_prefix(from)?;
        fs::create_dir_all(to.join(rel))?;
        for entry in fs::read_dir(&dir).with_context(|| format!("read {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let dest = to.join(path.strip_prefix(from)?);
                let bytes = fs::read(&path).with_context(|| format!("read {}", path.display()))?;
                fs::write(&dest, bytes).with_context(|| format!("write {}", dest.display()))?;
                count += 1;
            }
        }
    }
    Ok(count)
}

/// The `syslog_intake` member of `sekoia.json`.
const SEKOIA_SYSLOG_INTAKE: &str = r#"  "syslog_intake": {
    "host": "intake.sekoia.io",
    "port": 10514,
    "sd_id": "SEKOIA@53288",
    "key_param": "intake_key",
    "key_env": "SEKOIA_INTAKE_KEY",
    "msgid": "LOG",
    "source": "Sekoia.io's guide to forwarding logs with rsyslog: RFC5424 over TLS, octet-counted framing, the intake key in structured data"
  },
"#;

/// Builds `sekoia.json` from Sekoia's current RFC3164 and RFC5424 strings.
fn sekoia_profile(dir: &Path) -> Result<String> {
    let mut out = String::new();
    out.push_str("{\n");
    out.push_str("  \"id\": \"sekoia\",\n");
    out.push_str(
        "  \"description\": \"Sekoia.io: the formats Sekoia.io publishes for its Zscaler ZIA intake\",\n",
    );
    out.push_str("  \"source\": \"SEKOIA-IO/documentation docs/integration/categories/network_security/zscaler_zia.md (HEAD 3ebf640, last format change e1f6264c8)\",\n");
    out.push_str("  \"escape_characters\": \",\\\\\\\"\",\n");
    out.push_str("  \"syslog\": { \"hostname\": \"zscaler-nss\", \"tag\": \"NSS\", \"pri\": 134 },\n");
    // Sekoia.io's syslog intake, from its guide to forwarding with rsyslog (the concentrator
    // `nssgen feed --emit rsyslog` writes): TLS, RFC5424, octet-counted, the key in an SD element.
    out.push_str(SEKOIA_SYSLOG_INTAKE);
    out.push_str("  \"envelopes\": {\n");
    for (i, (name, open, colon, comma, event_colon)) in ENVELOPES.iter().enumerate() {
        let sep = if i + 1 < ENVELOPES.len() { "," } else { "" };
        writeln!(
            out,
            "    {}: {{ \"open\": {}, \"colon\": {}, \"comma\": {}, \"event_colon\": {} }}{sep}",
            json!(name),
            json!(open),
            json!(colon),
            json!(comma),
            json!(event_colon)
        )?;
    }
    out.push_str("  },\n");
    out.push_str("  \"log_types\": [\n");
    for (i, (id, stem, title, catalog, record_types)) in SEKOIA_LOG_TYPES.iter().enumerate() {
        let mut bodies = Vec::new();
        let mut envelopes = Vec::new();
        let mut sourcetype = None::<String>;
        for (target, header) in HEADERS {
            let folder = if *target == "nss" { "rfc3164" } else { "rfc5424" };
            let path = dir.join(folder).join(format!("{stem}.txt"));
            let text = fs::read_to_string(&path).with_context(|| format!("read {}", path.display()))?;
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let rest = text
                .strip_prefix(header)
                .with_context(|| format!("{}: header is not `{header}`", path.display()))?;
            let split = split_envelope(rest).with_context(|| format!("{}", path.display()))?;
            if let Some(seen) = &sourcetype {
                ensure!(*seen == split.sourcetype, "{}: sourcetype differs across targets", path.display());
            }
            sourcetype = Some(split.sourcetype);
            envelopes.push((*target, split.envelope));
            bodies.push(split.body);
        }
        ensure!(
            bodies.windows(2).all(|w| w[0] == w[1]),
            "{stem}: the event body differs between RFC3164 and RFC5424"
        );
        let pairs = split_body(&bodies[0]).with_context(|| format!("{stem}: body"))?;
        let sourcetype = sourcetype.expect("two targets read");
        out.push_str("    {\n");
        writeln!(out, "      \"id\": {},", json!(id))?;
        writeln!(out, "      \"title\": {},", json!(title))?;
        writeln!(out, "      \"catalog\": {},", json!(catalog))?;
        writeln!(out, "      \"record_types\": {},", json!(record_types))?;
        writeln!(out, "      \"sourcetype\": {},", json!(sourcetype))?;
        writeln!(
            out,
            "      \"reference\": {},",
            json!(format!("formats/sekoia/{{rfc3164,rfc5424}}/{stem}.txt"))
        )?;
        // Cloud NSS has no syslog header; Sekoia publishes no Cloud NSS string, so the body
        // keeps the envelope of the default (RFC3164) target.
        let nss_envelope = envelopes[0].1;
        writeln!(
            out,
            "      \"envelope\": {{ \"nss\": {}, \"nss-rfc5424\": {}, \"cloud-nss\": {} }},",
            json!(nss_envelope),
            json!(envelopes[1].1),
            json!(nss_envelope)
        )?;
        out.push_str("      \"body\": [\n");
        for (j, (key, value)) in pairs.iter().enumerate() {
            let sep = if j + 1 < pairs.len() { "," } else { "" };
            writeln!(out, "        [{}, {}]{sep}", json!(key), json!(value))?;
        }
        out.push_str("      ]\n");
        let sep = if i + 1 < SEKOIA_LOG_TYPES.len() { "," } else { "" };
        writeln!(out, "    }}{sep}")?;
    }
    out.push_str("  ]\n}\n");
    // The hand-laid layout must still be JSON.
    let _: Value = serde_json::from_str(&out).context("generated profile is not JSON")?;
    Ok(out)
}

struct Envelope {
    envelope: &'static str,
    sourcetype: String,
    body: String,
}

/// Splits `\{"sourcetype" : "x", "event" : \{BODY\}\}` into its spacing style, sourcetype and body.
fn split_envelope(text: &str) -> Result<Envelope> {
    for (name, open, colon, comma, event_colon) in ENVELOPES {
        let head = format!("\\{{{open}\"sourcetype\"{colon}\"");
        let Some(rest) = text.strip_prefix(&head) else { continue };
        let Some((sourcetype, rest)) = rest.split_once('"') else { continue };
        let mid = format!(",{comma}\"event\"{event_colon}\\{{");
        let Some(rest) = rest.strip_prefix(&mid) else { continue };
        let Some(body) = rest.strip_suffix("\\}\\}") else {
            bail!("the envelope does not close with `\\}}\\}}`")
        };
        return Ok(Envelope { envelope: name, sourcetype: sourcetype.to_owned(), body: body.to_owned() });
    }
    bail!("the envelope matches none of the known spacing styles: {}", &text[..text.len().min(60)])
}

/// Splits a compact body `"k":"v","k2":"v2"` into pairs, checking that they rebuild it.
fn split_body(body: &str) -> Result<Vec<(String, String)>> {
    let inner = body
        .strip_prefix('"')
        .and_then(|b| b.strip_suffix('"'))
        .context("the body is not a list of quoted pairs")?;
    let mut pairs = Vec::new();
    for pair in inner.split("\",\"") {
        let (key, value) = pair.split_once("\":\"").with_context(|| format!("no `\":\"` in `{pair}`"))?;
        pairs.push((key.to_owned(), value.to_owned()));
    }
    let rebuilt: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\":\"{v}\"")).collect();
    ensure!(rebuilt.join(",") == body, "the body does not split into quoted pairs cleanly");
    Ok(pairs)
}

/// The note at the top of `known_formats.json`.
const KNOWN_GENERATED: &str = "generated by `cargo xtask import` from ../shared/reference/formats \
    (see formats/SOURCES.md there, sections 2 and 3); do not edit by hand";

/// Elastic's file stems (`<stem>.<version>.txt`): (stem, profile log type id, catalog log type
/// key). SaaS Security's per-subtype stems (`saas_security.<sub>`) are read by
/// [`elastic_log_type`], not listed.
const ELASTIC_LOG_TYPES: &[(&str, &str, &str)] = &[
    ("audit", "admin-audit", "admin_audit"),
    ("dns", "dns", "dns"),
    ("firewall", "firewall", "firewall"),
    ("web", "web", "web"),
    ("alerts", "alerts", "alerts"),
    ("email_dlp", "email-dlp", "email_dlp"),
    ("endpoint_dlp", "endpoint-dlp", "endpoint_dlp"),
    ("saas_security_activity", "saas-security-activity", "saas_security_activity"),
    ("tunnel.tunnel_event", "tunnel", "tunnel"),
    ("tunnel.ike_phase1", "tunnel-ike-phase1", "tunnel"),
    ("tunnel.ike_phase2", "tunnel-ike-phase2", "tunnel"),
    ("tunnel.sample_event", "tunnel-sample-event", "tunnel"),
];

/// The folder of Elastic's first-generation strings, and the version they are known by.
const ELASTIC_LEGACY: (&str, &str) = ("legacy_1a89c96c", "legacy");

/// One distinct vendor text, with every date or version it was published under.
#[derive(serde::Serialize)]
struct Known {
    profile: &'static str,
    log_type: String,
    catalog: String,
    target: &'static str,
    version: String,
    published: Vec<String>,
    current: bool,
    source: String,
    text: String,
}

impl Known {
    /// An entry of a log type and target, its text and versions still to fill in.
    fn of(profile: &'static str, log_type: String, catalog: String, target: &'static str) -> Known {
        Known {
            profile,
            log_type,
            catalog,
            target,
            version: String::new(),
            published: Vec::new(),
            current: false,
            source: String::new(),
            text: String::new(),
        }
    }
}

/// A format file's text without its final newline, as every format reader of the project
/// reads it.
fn read_format(path: &Path) -> Result<String> {
    let text = fs::read_to_string(path).with_context(|| format!("read {}", path.display()))?;
    ensure!(text.ends_with('\n'), "{}: no final newline (SOURCES.md promises one)", path.display());
    Ok(text.strip_suffix('\n').unwrap_or(&text).to_owned())
}

/// The texts of one (profile, log type, target), each published under one or more versions:
/// adds `text` under `version`, merging it into the entry that already holds the same text.
fn add_text(entries: &mut Vec<Known>, template: &Known, text: String, version: &str, source: String) {
    match entries.iter_mut().find(|e| e.text == text) {
        Some(entry) => entry.published.push(version.to_owned()),
        None => entries.push(Known {
            log_type: template.log_type.clone(),
            catalog: template.catalog.clone(),
            version: version.to_owned(),
            published: vec![version.to_owned()],
            source,
            text,
            ..*template
        }),
    }
}

/// Builds `known_formats.json` from the reference's `formats/` folder.
fn known_formats(formats: &Path) -> Result<String> {
    let mut known = sekoia_known(&formats.join("sekoia"))?;
    known.extend(elastic_known(&formats.join("elastic"))?);
    // A text names one format: the lookup by text must be unambiguous.
    for (i, a) in known.iter().enumerate() {
        if let Some(b) = known[i + 1..].iter().find(|b| b.text == a.text) {
            bail!("{} and {} hold the same text", a.source, b.source);
        }
    }
    let doc = json!({ "generated": KNOWN_GENERATED, "formats": known });
    let mut out = serde_json::to_string_pretty(&doc)?;
    out.push('\n');
    Ok(out)
}

/// Sekoia.io's texts: every history set (`history/<date>_<commit>/`), dated by the earliest set
/// holding each text, and the current top-level files, which must equal one of them.
fn sekoia_known(dir: &Path) -> Result<Vec<Known>> {
    let history = dir.join("history");
    let mut sets: Vec<(String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(&history).with_context(|| format!("read {}", history.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).context("a UTF-8 folder name")?.to_owned();
        let date = name.split_once('_').map_or("", |(date, _)| date);
        let bytes = date.as_bytes();
        ensure!(
            bytes.len() == 10
                && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 {
                    *b == b'-'
                } else {
                    b.is_ascii_digit()
                }),
            "{}: not named <YYYY-MM-DD>_<commit>",
            path.display()
        );
        sets.push((date.to_owned(), path));
    }
    sets.sort();
    let mut read = 0;
    let mut known = Vec::new();
    for (id, stem, _, catalog, _) in SEKOIA_LOG_TYPES {
        for (target, _) in HEADERS {
            let folder = if *target == "nss" { "rfc3164" } else { "rfc5424" };
            let template = Known::of("sekoia", (*id).to_owned(), (*catalog).to_owned(), target);
            let mut entries = Vec::new();
            for (date, set) in &sets {
                let path = set.join(folder).join(format!("{stem}.txt"));
                if !path.exists() {
                    continue;
                }
                read += 1;
                let rel = format!("formats/sekoia/history/{}", path.strip_prefix(&history)?.display());
                add_text(&mut entries, &template, read_format(&path)?, date, rel);
            }
            let path = dir.join(folder).join(format!("{stem}.txt"));
            let current = read_format(&path)?;
            let entry = entries
                .iter_mut()
                .find(|e| e.text == current)
                .with_context(|| format!("{}: in no history set", path.display()))?;
            entry.current = true;
            known.extend(entries);
        }
    }
    let files = files_under(&history)?;
    ensure!(read == files, "history holds {files} files, {read} of them a known log type's");
    Ok(known)
}

/// Elastic's texts: the current versioned files (`<stem>.<vN>.txt`) and the first generation
/// (`legacy_1a89c96c/<stem>.txt`, version `legacy`).
fn elastic_known(dir: &Path) -> Result<Vec<Known>> {
    let (legacy_folder, legacy) = ELASTIC_LEGACY;
    // (stem, version, path), every file of both folders.
    let mut files: Vec<(String, String, PathBuf)> = Vec::new();
    for (folder, versioned) in [(dir.to_path_buf(), true), (dir.join(legacy_folder), false)] {
        for entry in fs::read_dir(&folder).with_context(|| format!("read {}", folder.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                let name = path.file_name().and_then(|n| n.to_str());
                ensure!(name == Some(legacy_folder), "{}: an unknown folder", path.display());
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).context("a UTF-8 file name")?;
            let stem =
                name.strip_suffix(".txt").with_context(|| format!("{}: not a .txt", path.display()))?;
            let (stem, version) = if versioned {
                let (stem, version) =
                    stem.rsplit_once('.').with_context(|| format!("{}: no version token", path.display()))?;
                ensure!(version_number(version).is_some(), "{}: `{version}` is not vN", path.display());
                (stem, version)
            } else {
                (stem, legacy)
            };
            files.push((stem.to_owned(), version.to_owned(), path));
        }
    }
    // Legacy first, then by version number: the order they were published in.
    files.sort_by_key(|(stem, version, _)| {
        (elastic_log_type(stem).ok(), version_number(version).unwrap_or(0))
    });
    let mut known: Vec<Known> = Vec::new();
    let mut at = 0;
    while at < files.len() {
        let (log_type, catalog) = elastic_log_type(&files[at].0)?;
        let template = Known::of("elastic", log_type.clone(), catalog, "cloud-nss");
        let mut entries = Vec::new();
        let mut current = None;
        while let Some((stem, version, path)) = files.get(at) {
            if elastic_log_type(stem)?.0 != log_type {
                break;
            }
            let rel = format!("formats/elastic/{}", path.strip_prefix(dir)?.display());
            let text = read_format(path)?;
            if version != legacy {
                ensure!(current.is_none(), "elastic `{log_type}` has two current files");
                current = Some(text.clone());
            }
            add_text(&mut entries, &template, text, version, rel);
            at += 1;
        }
        let current = current.with_context(|| format!("elastic `{log_type}` has no current file"))?;
        for entry in &mut entries {
            entry.current = entry.text == current;
        }
        known.extend(entries);
    }
    Ok(known)
}

/// The number of an Elastic version token (`v11` -> 11).
fn version_number(version: &str) -> Option<u32> {
    version.strip_prefix('v')?.parse().ok()
}

/// The profile log type id and catalog key of an Elastic file stem.
fn elastic_log_type(stem: &str) -> Result<(String, String)> {
    if let Some(&(_, id, catalog)) = ELASTIC_LOG_TYPES.iter().find(|(s, ..)| *s == stem) {
        return Ok((id.to_owned(), catalog.to_owned()));
    }
    match stem.strip_prefix("saas_security.") {
        Some(sub) if !sub.is_empty() => {
            Ok((format!("saas-security-{}", sub.replace('_', "-")), "saas_security".to_owned()))
        }
        _ => bail!("elastic file stem `{stem}` names no known log type"),
    }
}

/// The number of files under `dir`, recursively.
fn files_under(dir: &Path) -> Result<usize> {
    let mut count = 0;
    for entry in fs::read_dir(dir).with_context(|| format!("read {}", dir.display()))? {
        let path = entry?.path();
        count += if path.is_dir() { files_under(&path)? } else { 1 };
    }
    Ok(count)
}
