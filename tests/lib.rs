//! Shared helpers for the workspace integration tests: where the fixtures live.

use std::path::{Path, PathBuf};

/// The `tests/` folder of the workspace.
pub fn tests_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    tests_dir().join("fixtures").join(rel)
}

/// Every file under `dir`, recursively, sorted by path.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read {}: {e}", d.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The log types of the built-in `sekoia` profile, in its order (the profile's own test pins
/// the list).
pub fn sekoia_log_types() -> Vec<&'static str> {
    let profile = nssgen_catalog::profile("sekoia").expect("the sekoia profile is built in");
    profile.log_types.iter().map(|t| t.id.as_str()).collect()
}

/// The line `nssgen parse` ends every run with on stderr.
pub fn summary(exact: u64, drift: u64, rejected: u64) -> String {
    let lines = exact + drift + rejected;
    let plural = if lines == 1 { "" } else { "s" };
    format!("{lines} line{plural}: {exact} parsed exactly, {drift} parsed with drift, {rejected} rejected\n")
}

/// Runs `nssgen ARGS` in-process with `stdin` as standard input; returns (exit code, stdout,
/// stderr).
pub fn nssgen_with_input(args: &[&str], stdin: &[u8]) -> (u8, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("nssgen").chain(args.iter().copied());
    let code = nssgen_cli::run_with_input(argv, &mut &stdin[..], &mut out, &mut err);
    (code, String::from_utf8(out).expect("stdout is UTF-8"), String::from_utf8(err).expect("stderr is UTF-8"))
}

/// Runs `nssgen ARGS` in-process with empty standard input; returns (exit code, stdout, stderr).
pub fn nssgen(args: &[&str]) -> (u8, String, String) {
    nssgen_with_input(args, b"")
}

/// Asserts that `nssgen ARGS` fails as a usage error: exit 2, nothing on stdout, and exactly
/// `stderr`, one line.
pub fn assert_usage_error(args: &[&str], stderr: &str) {
    let (code, out, err) = nssgen(args);
    assert_eq!((code, out.as_str(), err.as_str()), (2, "", stderr), "{args:?}");
    assert_eq!(err.lines().count(), 1, "{args:?}");
}

/// A file of this test process holding some bytes, removed when dropped; it derefs to its path
/// as text, which is what `nssgen` arguments take.
#[derive(Debug)]
pub struct TempFile(String);

impl std::ops::Deref for TempFile {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Writes `bytes` to a file in the temporary folder named after this process and `name`.
pub fn temp_file(name: &str, bytes: &[u8]) -> TempFile {
    let path = std::env::temp_dir().join(format!("nssgen-tests-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).expect("a temporary file");
    TempFile(path.to_str().expect("a UTF-8 temporary path").to_owned())
}

/// A vendor format file of the reference fixtures, and what names it, read from where the file
/// sits (SOURCES.md sections 2 and 3), not from nssgen's data.
#[derive(Debug, Clone)]
pub struct VendorFile {
    /// The file.
    pub path: PathBuf,
    /// `sekoia` or `elastic`.
    pub profile: &'static str,
    /// The profile log type id.
    pub log_type: String,
    /// `nss` (RFC3164), `nss-rfc5424`, or `cloud-nss` (Elastic's strings, no syslog header).
    pub target: &'static str,
    /// Sekoia: the date of the earliest history set holding this exact text for this log type
    /// and target; Elastic: the file's version token, `legacy` for the first generation.
    pub version: String,
    /// Whether it is the vendor's current text: Sekoia, equal to the top-level file; Elastic,
    /// a versioned (not legacy) file.
    pub current: bool,
    /// The format: the file without its final newline.
    pub text: String,
}

fn format_text(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.strip_suffix('\n').unwrap_or(&text).to_owned()
}

/// Every file of Sekoia.io's history (`sekoia/history/<date>_<commit>/{rfc3164,rfc5424}/`).
pub fn sekoia_history_files() -> Vec<VendorFile> {
    let history = fixture("reference/formats/sekoia/history");
    let mut sets: Vec<PathBuf> =
        std::fs::read_dir(&history).expect("history").map(|e| e.expect("entry").path()).collect();
    sets.sort();
    let mut out: Vec<VendorFile> = Vec::new();
    for set in &sets {
        let name = set.file_name().and_then(|n| n.to_str()).expect("set name");
        let date = name.split('_').next().expect("a date");
        for path in files_under(set) {
            let folder = path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .expect("folder")
                .to_owned();
            let target = if folder == "rfc3164" { "nss" } else { "nss-rfc5424" };
            let stem = path.file_stem().and_then(|n| n.to_str()).expect("stem").to_owned();
            let text = format_text(&path);
            let current =
                text == format_text(&fixture(&format!("reference/formats/sekoia/{folder}/{stem}.txt")));
            // Sets are walked oldest first: an earlier file with the same text gives the date.
            let version = out
                .iter()
                .find(|f| f.path.ends_with(format!("{folder}/{stem}.txt")) && f.text == text)
                .map_or_else(|| date.to_owned(), |f| f.version.clone());
            out.push(VendorFile {
                path,
                profile: "sekoia",
                log_type: stem.replace('_', "-"),
                target,
                version,
                current,
                text,
            });
        }
    }
    out
}

/// Every Elastic file: the current `elastic/<stem>.<vN>.txt` and the first generation
/// `elastic/legacy_1a89c96c/<stem>.txt`.
pub fn elastic_files() -> Vec<VendorFile> {
    files_under(&fixture("reference/formats/elastic"))
        .into_iter()
        .map(|path| {
            let file_name = path.file_name().and_then(|n| n.to_str()).expect("name").to_owned();
            let name = file_name.strip_suffix(".txt").expect("a .txt file");
            let legacy = path.parent().is_some_and(|p| p.ends_with("legacy_1a89c96c"));
            let (stem, version) =
                if legacy { (name, "legacy") } else { name.rsplit_once('.').expect("a version") };
            let log_type = match stem.split_once('.') {
                Some(("tunnel", "tunnel_event")) => "tunnel".to_owned(),
                Some((kind, sub)) => format!("{kind}-{sub}").replace('_', "-"),
                None if stem == "audit" => "admin-audit".to_owned(),
                None => stem.replace('_', "-"),
            };
            let text = format_text(&path);
            VendorFile {
                path,
                profile: "elastic",
                log_type,
                target: "cloud-nss",
                version: version.to_owned(),
                current: !legacy,
                text,
            }
        })
        .collect()
}

/// The catalog log type an Elastic format file is for, from its name: what `nssgen sample` and
/// `nssgen parse` take with the file as `--format-file`.
pub fn elastic_catalog_log_type(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).expect("file name");
    [
        ("alerts", "alerts"),
        ("audit", "admin-audit"),
        ("dns", "dns"),
        ("email_dlp", "email-dlp"),
        ("endpoint_dlp", "endpoint-dlp"),
        ("firewall", "firewall"),
        ("saas_security_activity", "saas-security-activity"),
        ("saas_security", "saas-security"),
        ("tunnel", "tunnel"),
        ("web", "web"),
    ]
    .into_iter()
    .find(|(prefix, _)| name.starts_with(prefix))
    .map(|(_, id)| id)
    .unwrap_or_else(|| panic!("no log type for {name}"))
}

/// The leaf keys of a format's JSON body found without nssgen, as SOURCES.md checks the
/// bodies: each spec replaced by a digit, `\{` `\}` unescaped, the text from the first `{` read
/// with serde_json. A key goes by its own name, or by its path joined with `.` when another leaf
/// has the same name. `None` when the body is not JSON.
pub fn body_keys(format: &str) -> Option<Vec<String>> {
    let mut text = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            chars.by_ref().find(|c| *c == '}');
            text.push('0');
        } else {
            text.push(c);
        }
    }
    let text = text.replace("\\{", "{").replace("\\}", "}");
    let body: serde_json::Value = serde_json::from_str(&text[text.find('{')?..]).ok()?;
    fn leaves(value: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        if let serde_json::Value::Object(map) = value {
            for (key, value) in map {
                path.push(key.clone());
                if value.is_object() {
                    leaves(value, path, out);
                } else {
                    out.push(path.clone());
                }
                path.pop();
            }
        }
    }
    let mut paths = Vec::new();
    leaves(&body, &mut Vec::new(), &mut paths);
    let last = |p: &Vec<String>| p.last().cloned().unwrap_or_default();
    Some(
        paths
            .iter()
            .map(
                |p| {
                    if paths.iter().filter(|o| last(o) == last(p)).count() > 1 {
                        p.join(".")
                    } else {
                        last(p)
                    }
                },
            )
            .collect(),
    )
}

/// The keys of `to` that `from` lacks, in `to`'s order.
pub fn keys_missing_from(from: &[String], to: &[String]) -> Vec<String> {
    to.iter().filter(|k| !from.contains(k)).cloned().collect()
}
