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

/// Runs `nssgen ARGS` in-process with `stdin` as standard input; returns (exit code, stdout,
/// stderr).
/// The line `nssgen parse` ends every run with on stderr.
pub fn summary(exact: u64, drift: u64, rejected: u64) -> String {
    let lines = exact + drift + rejected;
    let plural = if lines == 1 { "" } else { "s" };
    format!("{lines} line{plural}: {exact} parsed exactly, {drift} parsed with drift, {rejected} rejected\n")
}

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
