//! The system under test: finding rsyslogd and its TLS driver, getting the configuration from
//! `nssgen feed all --emit rsyslog`, and running rsyslogd in the foreground under a guard that
//! ends it when the test fails.

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The variable rsyslogd reads the intake key from (the emitter's default).
pub const KEY_VAR: &str = "SEKOIA_INTAKE_KEY";

/// rsyslogd's path, or why this machine cannot run the test. Under CI a missing rsyslogd is a
/// failure, elsewhere a loud skip.
pub fn require() -> Option<PathBuf> {
    match find() {
        Ok(path) => Some(path),
        Err(why) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{why}: .ci/run must install the packages rsyslog and rsyslog-gnutls")
        }
        Err(why) => {
            // Straight to the process's stderr: libtest captures `eprintln!`, and a skip shown
            // only with --nocapture would pass silently under `cargo test`.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: the rsyslog concentrator test did not run: {why} \
                 (install the packages rsyslog and rsyslog-gnutls)"
            );
            None
        }
    }
}

fn find() -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let rsyslogd = std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into()])
        .map(|dir| dir.join("rsyslogd"))
        .find(|candidate| candidate.is_file())
        .ok_or("rsyslogd is not installed")?;
    // The TLS driver ships apart from rsyslogd (rsyslog-gnutls), in the multiarch module folder.
    let mut module_dirs = vec![PathBuf::from("/usr/lib/rsyslog"), PathBuf::from("/usr/lib64/rsyslog")];
    if let Ok(entries) = fs::read_dir("/usr/lib") {
        module_dirs.extend(entries.flatten().map(|e| e.path().join("rsyslog")));
    }
    if !module_dirs.iter().any(|dir| dir.join("lmnsd_gtls.so").is_file()) {
        return Err("rsyslogd's gtls driver lmnsd_gtls.so is not installed under /usr/lib/*/rsyslog/".into());
    }
    Ok(rsyslogd)
}

/// A free TCP port on 127.0.0.1 (free when asked; the tests that use it start at once).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free port");
    listener.local_addr().expect("a bound address").port()
}

/// One rsyslogd setup: its binary, configuration file, the file its output goes to, the port it
/// listens on for NSS.
#[derive(Debug)]
pub struct Setup {
    pub bin: PathBuf,
    pub conf: PathBuf,
    pub dir: PathBuf,
    pub listen: u16,
    output: PathBuf,
}

impl Setup {
    pub fn new(bin: PathBuf, dir: &Path, conf_text: &str, listen: u16) -> Setup {
        let conf = dir.join("rsyslog.conf");
        fs::write(&conf, conf_text).expect("write rsyslog.conf");
        Setup { bin, conf, dir: dir.to_path_buf(), listen, output: dir.join("rsyslogd.out") }
    }

    /// `rsyslogd -N1`: the configuration must load without a complaint.
    pub fn validate(&self, key: &str) {
        if let Err(why) = self.validate_with(Some(key)) {
            panic!("{why}");
        }
    }

    /// `rsyslogd -N1` with the key variable set to `key`, or unset: why it complains, if it does.
    pub fn validate_with(&self, key: Option<&str>) -> Result<(), String> {
        let mut command = Command::new(&self.bin);
        command.arg("-N1").arg("-f").arg(&self.conf);
        match key {
            Some(key) => command.env(KEY_VAR, key),
            None => command.env_remove(KEY_VAR),
        };
        let out = command.output().expect("run rsyslogd -N1");
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        if !out.status.success() {
            return Err(format!("rsyslogd -N1 rejects the configuration ({}):\n{text}", out.status));
        }
        let complaints: Vec<&str> =
            text.lines().filter(|l| l.contains("error") || l.contains("warning")).collect();
        if !complaints.is_empty() {
            return Err(format!("rsyslogd -N1 complains:\n{text}"));
        }
        Ok(())
    }

    /// Starts `rsyslogd -n` with the key in its environment, or without the variable at all, and
    /// returns once it accepts connections on the NSS port.
    pub fn start(&self, key: Option<&str>) -> Rsyslogd {
        let log = OpenOptions::new().create(true).append(true).open(&self.output).expect("rsyslogd.out");
        let mut command = Command::new(&self.bin);
        command
            .arg("-n")
            .arg("-f")
            .arg(&self.conf)
            .arg("-i")
            .arg(self.dir.join("rsyslogd.pid"))
            .env_remove(KEY_VAR)
            // A zone far from UTC: the forwarded header time must still be the line's own.
            .env("TZ", "Asia/Kolkata")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("a second handle on rsyslogd.out"))
            .stderr(log);
        if let Some(key) = key {
            command.env(KEY_VAR, key);
        }
        let child = command.spawn().expect("start rsyslogd");
        let mut rsyslogd = Rsyslogd { child: Some(child) };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = rsyslogd.exited() {
                panic!("rsyslogd exited at start ({status}):\n{}", self.output());
            }
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.listen));
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return rsyslogd;
            }
            assert!(Instant::now() < deadline, "rsyslogd does not listen on {addr}:\n{}", self.output());
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything rsyslogd printed so far, over all its runs.
    pub fn output(&self) -> String {
        let mut text = Vec::new();
        if let Ok(mut file) = File::open(&self.output) {
            file.read_to_end(&mut text).expect("read rsyslogd.out");
        }
        String::from_utf8_lossy(&text).into_owned()
    }
}

/// A running rsyslogd; dropped while running (a failed test), it is killed.
#[derive(Debug)]
pub struct Rsyslogd {
    child: Option<Child>,
}

impl Rsyslogd {
    fn exited(&mut self) -> Option<ExitStatus> {
        let child = self.child.as_mut().expect("a running rsyslogd");
        child.try_wait().expect("ask whether rsyslogd exited")
    }

    /// SIGTERM, as a service manager stops it, and waits (bounded) for it to exit; returns how
    /// long it took.
    pub fn stop(mut self) -> Duration {
        let pid = self.child.as_ref().expect("a running rsyslogd").id();
        let begun = Instant::now();
        let status = Command::new("kill").arg("-TERM").arg(pid.to_string()).status().expect("run kill");
        assert!(status.success(), "kill -TERM {pid}: {status}");
        let deadline = begun + Duration::from_secs(30);
        loop {
            if let Some(status) = self.exited() {
                self.child = None;
                assert!(status.success(), "rsyslogd exited with {status} on SIGTERM");
                return begun.elapsed();
            }
            assert!(Instant::now() < deadline, "rsyslogd still runs 30 s after SIGTERM");
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Rsyslogd {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The file the configuration keeps lines in while no key is set: the one `.held` file it
/// writes with omfile.
pub fn held_file(conf: &str) -> PathBuf {
    let files: Vec<&str> = conf
        .split("file=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|path| path.ends_with(".held"))
        .collect();
    assert_eq!(files.len(), 1, "the configuration names one .held file: {files:?}\n{conf}");
    PathBuf::from(files[0])
}

/// `nssgen feed all --emit rsyslog` for this target, listen port, intake port, CA file and work
/// folder.
pub fn emitted_config(target: &str, listen: u16, intake: u16, ca_file: &Path, work_dir: &Path) -> String {
    let listen = format!("127.0.0.1:{listen}");
    let intake = intake.to_string();
    let ca_file = ca_file.to_str().expect("a UTF-8 CA path");
    let work_dir = work_dir.to_str().expect("a UTF-8 work folder");
    let args = [
        "feed",
        "all",
        "--target",
        target,
        "--emit",
        "rsyslog",
        "--listen",
        &listen,
        "--intake-host",
        "localhost",
        "--intake-port",
        &intake,
        "--ca-file",
        ca_file,
        "--work-dir",
        work_dir,
    ];
    let (code, out, err) = nssgen_tests::nssgen(&args);
    assert_eq!((code, err.as_str()), (0, ""), "nssgen {args:?}");
    out
}
