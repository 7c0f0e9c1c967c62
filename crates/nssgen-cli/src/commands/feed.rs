//! `nssgen feed`: the whole feed configuration (Admin Portal steps, Terraform, ZIA API JSON).

use std::io::Write;

use nssgen_catalog::Target;
use nssgen_render::{Emit, FeedErrorKind, FeedRequest, IntakeKey, Renderer};

use crate::Failure;

/// The arguments of `nssgen feed`.
#[derive(clap::Args, Debug)]
pub(crate) struct FeedArgs {
    /// Log type id, e.g. web, firewall, dns, tunnel-ike-phase1 (see `nssgen list`).
    log_type: String,
    /// How lines travel: nss (syslog, RFC3164), nss-rfc5424, cloud-nss (HTTPS, JSON body).
    /// Default: nss for steps, cloud-nss for terraform and zia-api.
    #[arg(long, short)]
    target: Option<String>,
    /// Whose format and feed settings to use.
    #[arg(long, short, default_value = "sekoia")]
    profile: String,
    /// What to print: steps (an Admin Portal checklist), terraform (a zia_cloud_nss_feed
    /// resource), zia-api (the JSON body of POST /nssFeeds).
    #[arg(long, short, default_value = "steps")]
    emit: String,
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
    /// Read the intake key from this environment variable and write it into the zia-api body
    /// (never into steps or Terraform). Without it the body holds a placeholder.
    #[arg(long, value_name = "VAR")]
    intake_key_env: Option<String>,
}

pub(crate) fn feed(out: &mut dyn Write, args: &FeedArgs) -> Result<(), Failure> {
    let emit: Emit = args.emit.parse().map_err(|e: nssgen_render::FeedError| {
        let valid: Vec<&str> = Emit::ALL.iter().map(|e| e.id()).collect();
        super::unknown_choice(e.to_string(), &args.emit, &valid)
    })?;
    let target =
        args.target.as_deref().map(str::parse::<Target>).transpose().map_err(super::unknown_target)?;
    let intake_key = args.intake_key_env.as_deref().map(read_key).transpose()?;
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
    };
    let feed = Renderer::new().feed(&request).map_err(|e| match e.kind() {
        FeedErrorKind::Render(r) => super::render_failure(r, &args.profile, &args.log_type),
        _ => Failure::usage(e.to_string()),
    })?;
    out.write_all(feed.text.as_bytes())?;
    Ok(())
}

/// The intake key held by environment variable `var`; unset, empty or not UTF-8 is an error.
fn read_key(var: &str) -> Result<IntakeKey, Failure> {
    // The name is printed where a person may paste it into a shell (`"$VAR"`): only a plain
    // variable name is accepted.
    let plain = var.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !plain {
        return Err(Failure::usage(format!(
            "--intake-key-env `{var}` is not an environment variable name (letters, digits, `_`)"
        )));
    }
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
