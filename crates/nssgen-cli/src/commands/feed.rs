//! `nssgen feed`: the whole feed configuration (Admin Portal steps, Terraform, ZIA API JSON, the
//! rsyslog concentrator).

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use nssgen_catalog::Target;
use nssgen_profile::ProfileError;
use nssgen_render::{Emit, FeedError, FeedRequest, IntakeKey, Renderer, ALL_LOG_TYPES};

use crate::Failure;

/// The arguments of `nssgen feed`.
#[derive(clap::Args, Debug)]
pub(crate) struct FeedArgs {
    /// Log type id, e.g. web, firewall, dns, tunnel-ike-phase1 (see `nssgen list`), or `all`
    /// (steps and rsyslog only).
    log_type: String,
    /// How lines travel: nss (syslog, RFC3164), nss-rfc5424, cloud-nss (HTTPS, JSON body).
    /// Default: nss for steps and rsyslog, cloud-nss for terraform and zia-api.
    #[arg(long, short, value_parser = crate::choice::target)]
    target: Option<Target>,
    /// Whose format and feed settings to use.
    #[arg(long, short, default_value = "sekoia")]
    profile: String,
    /// What to print: steps (an Admin Portal checklist), terraform (a zia_cloud_nss_feed
    /// resource), zia-api (the JSON body of POST /nssFeeds), rsyslog (the log concentrator NSS
    /// VM feeds send to, forwarding over TLS to the SIEM's syslog intake).
    #[arg(long, short, default_value = "steps", value_parser = crate::choice::emit)]
    emit: Emit,
    /// The feed name (default: the SIEM's name and the log type's title).
    #[arg(long)]
    name: Option<String>,
    /// Cloud NSS API URL, HTTPS only (default: the profile SIEM's intake endpoint).
    #[arg(long, value_name = "URL")]
    intake_url: Option<String>,
    /// NSS VM feeds: the collector's IP address or FQDN.
    #[arg(long, value_name = "H", requires = "siem_port")]
    siem_host: Option<String>,
    /// NSS VM feeds: the collector's TCP port (1 to 65535).
    #[arg(long, value_name = "P", requires = "siem_host", value_parser = clap::value_parser!(u16).range(1..),
          allow_negative_numbers = true)]
    siem_port: Option<u16>,
    /// zia-api: read the intake key from this environment variable and write it into the body
    /// (never into steps or Terraform); without it the body holds a placeholder. rsyslog: the
    /// variable rsyslogd reads the key from when it starts (default: the profile's,
    /// SEKOIA_INTAKE_KEY); nssgen neither reads nor prints it.
    #[arg(long, value_name = "VAR")]
    intake_key_env: Option<String>,
    /// rsyslog: where NSS VMs connect, an IP address and a port (default 0.0.0.0:514; IPv6 as
    /// [::]:514). steps: the address every NSS VM feed sends to.
    #[arg(long, value_name = "ADDR:PORT")]
    listen: Option<String>,
    /// rsyslog: the SIEM's syslog intake host, also the name its TLS certificate must carry
    /// (default: the profile's, intake.sekoia.io).
    #[arg(long, value_name = "HOST")]
    intake_host: Option<String>,
    /// rsyslog: the syslog intake's TCP port (default: the profile's, 10514).
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..),
          allow_negative_numbers = true)]
    intake_port: Option<u16>,
    /// rsyslog: the CA bundle the intake's certificate is checked against; it must exist here
    /// (default: the system bundle, /etc/ssl/certs/ca-certificates.crt).
    #[arg(long, value_name = "PATH")]
    ca_file: Option<PathBuf>,
    /// rsyslog: the directory rsyslogd spools queued lines in; it must exist where rsyslogd runs
    /// (default /var/spool/rsyslog).
    #[arg(long, value_name = "DIR")]
    work_dir: Option<PathBuf>,
}

pub(crate) fn feed(out: &mut dyn Write, args: &FeedArgs) -> Result<(), Failure> {
    let (emit, target) = (args.emit, args.target);
    let rsyslog = emit == Emit::Rsyslog;
    // The concentrator names the variable; only the zia-api body carries the key itself.
    let (intake_key, key_env) = match args.intake_key_env.as_deref() {
        Some(var) if rsyslog => (None, Some(var.to_owned())),
        Some(var) => (Some(read_key(var)?), None),
        None => (None, None),
    };
    let request = FeedRequest {
        profile: args.profile.clone(),
        log_type: args.log_type.clone(),
        target,
        emit,
        name: args.name.clone(),
        intake_url: args.intake_url.clone(),
        siem_host: args.siem_host.clone(),
        siem_port: args.siem_port,
        intake_key,
        listen: args.listen.as_deref().map(parse_listen).transpose()?,
        intake_host: args.intake_host.clone(),
        intake_port: args.intake_port,
        // Checked here only where it applies; elsewhere the library says it does not.
        ca_file: args
            .ca_file
            .as_deref()
            .map(|p| if rsyslog { ca_file(p) } else { Ok(p.display().to_string()) })
            .transpose()?,
        key_env,
        work_dir: args.work_dir.as_deref().map(work_dir).transpose()?,
    };
    let feed = Renderer::new().feed(&request).map_err(|e| match &e {
        FeedError::Profile(ProfileError::UnknownLogType { .. }) => {
            // `all` is a log type of `feed` too, so it is among the choices offered.
            let mut valid = super::profile_log_type_ids(&args.profile);
            valid.push(ALL_LOG_TYPES);
            let message = format!(
                "profile `{}` has no feed for log type `{}` (valid: {})",
                args.profile,
                args.log_type,
                valid.join(", ")
            );
            super::unknown_choice(message, &args.log_type, &valid)
        }
        FeedError::Profile(r) => super::profile_failure(r, &args.profile, &args.log_type),
        _ => Failure::usage(super::with_causes(&e)),
    })?;
    out.write_all(feed.text.as_bytes())?;
    Ok(())
}

/// `--listen`: an IP address and a port, as `0.0.0.0:514` or `[::]:514`.
fn parse_listen(text: &str) -> Result<SocketAddr, Failure> {
    text.parse().map_err(|_| {
        let hint = match text.rsplit_once(':') {
            None => "it has no `:PORT`",
            Some((_, port)) if port.parse::<u16>().is_err() => "its port is not a number from 1 to 65535",
            Some((host, _)) if host.contains(':') && !host.starts_with('[') => {
                "an IPv6 address goes in brackets, as [::]:514"
            }
            Some(_) => "its address is not an IP address: rsyslog listens on an address, not a host name",
        };
        Failure::usage(format!("--listen `{text}` is not ADDR:PORT ({hint}), e.g. 0.0.0.0:514"))
    })
}

/// `--ca-file`: a file that exists, written out absolute for rsyslogd, which runs elsewhere (a
/// symbolic link stays one: the system bundle's path is the one to keep).
fn ca_file(path: &Path) -> Result<String, Failure> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Failure::usage(format!("--ca-file `{}`: {}", path.display(), e)))?;
    if !meta.is_file() {
        return Err(Failure::usage(format!("--ca-file `{}` is not a file", path.display())));
    }
    let absolute = std::path::absolute(path)
        .map_err(|e| Failure::usage(format!("--ca-file `{}`: {}", path.display(), e)))?;
    utf8(absolute, "--ca-file")
}

/// `--work-dir`: made absolute against the current directory; it need not exist here.
fn work_dir(path: &Path) -> Result<String, Failure> {
    let absolute = std::path::absolute(path)
        .map_err(|e| Failure::usage(format!("--work-dir `{}`: {}", path.display(), e)))?;
    utf8(absolute, "--work-dir")
}

fn utf8(path: PathBuf, flag: &str) -> Result<String, Failure> {
    path.into_os_string()
        .into_string()
        .map_err(|p| Failure::usage(format!("{flag} `{}` is not UTF-8", PathBuf::from(p).display())))
}

/// The intake key held by environment variable `var`; unset, empty or not UTF-8 is an error.
fn read_key(var: &str) -> Result<IntakeKey, Failure> {
    // The name is printed where a person may paste it into a shell (`"$VAR"`): only a plain
    // variable name is accepted.
    nssgen_render::feed::check_key_env(var).map_err(|e| Failure::usage(e.to_string()))?;
    match std::env::var(var) {
        Ok(value) if !value.trim().is_empty() => Ok(IntakeKey::new(var, value.trim())),
        Ok(_) => Err(Failure::usage(format!("environment variable `{var}` (--intake-key-env) is empty"))),
        Err(std::env::VarError::NotPresent) => {
            Err(Failure::usage(format!("environment variable `{var}` (--intake-key-env) is not set")))
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(Failure::usage(format!("environment variable `{var}` (--intake-key-env) is not UTF-8")))
        }
    }
}
