//! Whole feed configurations, not just the format: the Admin Portal checklist, a Terraform
//! `zia_cloud_nss_feed` resource, the ZIA API's JSON body, each carrying the exact format
//! `nssgen format` prints, or the rsyslog concentrator NSS VM feeds send to. Handlebars prints
//! the documents; every HCL string in them is quoted by hcl-rs, and the API body is a struct
//! serde_json prints.
//!
//! ```
//! use nssgen_render::feed::{Emit, FeedRequest};
//!
//! let request = FeedRequest::new("sekoia", "web", Emit::Terraform);
//! let feed = nssgen_render::Renderer::new().feed(&request).expect("sekoia web has a Cloud NSS feed");
//! assert!(feed.text.contains(r#"nss_log_type             = "WEBLOG""#));
//! assert!(feed.text.contains("${var.sekoia_intake_key}"));
//! ```

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::str::FromStr;

use hcl::edit::expr::{Expression, Traversal, TraversalOperator};
use hcl::edit::template::{Element, Interpolation, StringTemplate};
use hcl::edit::{Decor, Decorate, Decorated, Ident};
use nssgen_catalog::{CloudNssSiem, LogType, Profile, ProfileLogType, Target};
use nssgen_profile::{Framed, ProfileError};
use percent_encoding::NON_ALPHANUMERIC;
use serde::Serialize;
use serde_json::{json, Value};

use crate::Renderer;

const STEPS_NSS: &str = "feed/steps-nss";
const STEPS_CLOUD_NSS: &str = "feed/steps-cloud-nss";
const TERRAFORM: &str = "feed/terraform";
const RSYSLOG: &str = "feed/rsyslog";

/// The template names this module renders, for the registry test.
#[cfg(test)]
const TEMPLATES: [&str; 4] = [STEPS_NSS, STEPS_CLOUD_NSS, TERRAFORM, RSYSLOG];

/// The log type id that stands for every log type of the profile (`nssgen feed all`).
pub const ALL_LOG_TYPES: &str = "all";

/// Where the concentrator listens when the request names no address: every address, the
/// syslog port.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 514));

/// The CA bundle the concentrator checks the intake's certificate against by default: the
/// system bundle of Debian and Ubuntu (RHEL's is /etc/pki/tls/certs/ca-bundle.crt).
pub const DEFAULT_CA_FILE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// rsyslog's spool directory on Debian and Ubuntu (the `$WorkDirectory` of their rsyslog.conf).
pub const DEFAULT_WORK_DIR: &str = "/var/spool/rsyslog";

/// What `nssgen feed` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Emit {
    /// A numbered checklist to follow in the ZIA Admin Portal (NSS VM or Cloud NSS feeds).
    #[default]
    Steps,
    /// A `zia_cloud_nss_feed` resource for the Zscaler Terraform provider (Cloud NSS only).
    Terraform,
    /// The JSON body of the ZIA API's NSS feed creation, `POST /nssFeeds` (Cloud NSS only).
    ZiaApi,
    /// An rsyslog configuration for the log concentrator NSS VM feeds send to, forwarding to
    /// the profile SIEM's syslog intake over TLS (NSS VM feeds only).
    Rsyslog,
}

impl Emit {
    /// Every emitter, the default first.
    pub const ALL: [Emit; 4] = [Emit::Steps, Emit::Terraform, Emit::ZiaApi, Emit::Rsyslog];

    /// The kebab-case id used on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Emit::Steps => "steps",
            Emit::Terraform => "terraform",
            Emit::ZiaApi => "zia-api",
            Emit::Rsyslog => "rsyslog",
        }
    }

    /// The target a request without one gets: `nss` for steps (the default target everywhere)
    /// and rsyslog, `cloud-nss` for Terraform and the API, which configure Cloud NSS feeds only.
    pub fn default_target(self) -> Target {
        match self {
            Emit::Steps | Emit::Rsyslog => Target::Nss,
            Emit::Terraform | Emit::ZiaApi => Target::CloudNss,
        }
    }
}

impl fmt::Display for Emit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Emit {
    type Err = FeedError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Emit::ALL.into_iter().find(|e| e.id() == s).ok_or_else(|| FeedError::UnknownEmit(s.to_owned()))
    }
}

/// An intake key the user asked to have written out, and the environment variable it came
/// from. Its `Debug` output hides the value, so a logged request leaks nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct IntakeKey {
    env_var: String,
    value: String,
}

impl IntakeKey {
    /// The key `value`, read from the environment variable `env_var`.
    pub fn new(env_var: impl Into<String>, value: impl Into<String>) -> Self {
        IntakeKey { env_var: env_var.into(), value: value.into() }
    }

    /// The environment variable's name.
    pub fn env_var(&self) -> &str {
        &self.env_var
    }
}

impl fmt::Debug for IntakeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntakeKey").field("env_var", &self.env_var).field("value", &"<hidden>").finish()
    }
}

/// What to configure: a profile log type, a target, an emitter, and the values a person would
/// otherwise type.
#[derive(Clone, Debug, Default)]
pub struct FeedRequest {
    /// Profile id (`"sekoia"`).
    pub profile: String,
    /// Profile log type id (`"web"`, `"tunnel-ike-phase1"`).
    pub log_type: String,
    /// How lines travel; `None` for [`Emit::default_target`].
    pub target: Option<Target>,
    /// What to print.
    pub emit: Emit,
    /// The feed name; `None` for `"<product> <log type title>"`.
    pub name: Option<String>,
    /// The Cloud NSS API URL; `None` for the SIEM's default. Must be HTTPS.
    pub intake_url: Option<String>,
    /// The NSS VM feed's SIEM address (IP or FQDN).
    pub siem_host: Option<String>,
    /// The NSS VM feed's SIEM TCP port.
    pub siem_port: Option<u16>,
    /// The intake key, only ever written by [`Emit::ZiaApi`]; `None` for a placeholder.
    pub intake_key: Option<IntakeKey>,
    /// Where the concentrator listens, NSS VMs connect (rsyslog; for steps, the feeds' SIEM
    /// destination); `None` for [`DEFAULT_LISTEN`].
    pub listen: Option<SocketAddr>,
    /// The syslog intake's host (rsyslog); `None` for the profile's.
    pub intake_host: Option<String>,
    /// The syslog intake's TCP port (rsyslog); `None` for the profile's.
    pub intake_port: Option<u16>,
    /// The CA bundle the intake's certificate is checked against, an absolute path (rsyslog);
    /// `None` for [`DEFAULT_CA_FILE`].
    pub ca_file: Option<String>,
    /// The environment variable rsyslogd reads the intake key from when it starts (rsyslog);
    /// `None` for the profile's. Only the name is written, never a value.
    pub key_env: Option<String>,
    /// rsyslog's spool directory for the forwarding queue, an absolute path (rsyslog); `None`
    /// for [`DEFAULT_WORK_DIR`].
    pub work_dir: Option<String>,
}

impl FeedRequest {
    /// A request with every optional value left to its default.
    pub fn new(profile: &str, log_type: &str, emit: Emit) -> Self {
        FeedRequest { profile: profile.to_owned(), log_type: log_type.to_owned(), emit, ..Default::default() }
    }

    /// The target the request resolves to.
    pub fn target(&self) -> Target {
        self.target.unwrap_or_else(|| self.emit.default_target())
    }
}

/// A rendered feed configuration.
#[derive(Clone, Debug)]
pub struct Feed {
    /// The configuration, ending in one newline.
    pub text: String,
    /// The formats it configures, one per log type, exactly as `nssgen format` prints them
    /// (without the final newline); empty for rsyslog, which forwards bodies unread.
    pub formats: Vec<Framed>,
    /// The target it configures.
    pub target: Target,
    /// The `nssLogType` values it configures, one feed each (empty for log types the API has
    /// no value for).
    pub api_log_types: Vec<String>,
}

/// Why a feed configuration could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// The profile has no format to give (unknown profile or log type, among others). The
    /// profile error is this error (its message, as `nssgen format` prints it, and its source
    /// are the profile error's), not a cause of it: a message of its own would only repeat it.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// No emitter has this id.
    #[error("unknown emitter `{0}` (valid: {valid})", valid = Emit::ALL.map(Emit::id).join(", "))]
    UnknownEmit(String),
    /// The emitter cannot configure this target (Terraform and the API know Cloud NSS only).
    #[error("{0}")]
    Unsupported(String),
    /// The intake URL is not HTTPS.
    #[error("{0}")]
    NotHttps(String),
    /// An option that does not apply to the target, or a value that is not usable.
    #[error("{0}")]
    InvalidOption(String),
    /// The profile records no Cloud NSS settings, or the API has no log type value for it.
    #[error("{0}")]
    MissingSettings(String),
    /// A bug, not bad input: what could not be done, and why.
    #[error("internal error: {what}")]
    Internal {
        /// What could not be done.
        what: String,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A template failed to render: a bug, not bad input.
    #[error("template `{name}` failed")]
    Template {
        /// The template's name (`feed/terraform`).
        name: String,
        /// Handlebars' error.
        #[source]
        source: Box<handlebars::RenderError>,
    },
}

impl FeedError {
    pub(crate) fn template(name: &str, error: handlebars::RenderError) -> Self {
        FeedError::Template { name: name.to_owned(), source: Box::new(error) }
    }
}

/// A piece of an HCL quoted string: text, or the interpolation of a variable's attribute
/// (`each.key`, `var.sekoia_intake_key`).
#[derive(Clone, Debug)]
enum HclPart<'a> {
    Text(&'a str),
    Attr(&'static str, Ident),
}

/// `s` as an HCL quoted string, printed by hcl-rs: `\` and `"` backslash-escaped, line breaks
/// and tabs as `\n`, `\r`, `\t`, other C0 controls and DEL as `\uNNNN`, and the template
/// sequences `${` and `%{` doubled to `$${` and `%%{`, so Terraform reads the text back unchanged
/// instead of interpolating it. hcl-rs writes backspace and form feed as `\b` and `\f`, which
/// Terraform's HCL does not read: no feed value holds them (`--name` and the intake URL refuse
/// control characters, and the profiles' formats and settings have none).
pub fn hcl_quote(s: &str) -> String {
    hcl_string(&[HclPart::Text(s)])
}

/// `parts` as one HCL quoted string (a template when a part interpolates), printed by hcl-rs.
fn hcl_string(parts: &[HclPart<'_>]) -> String {
    let mut elements = Vec::new();
    for part in parts {
        match part {
            HclPart::Text(text) => elements.extend(literals(text).map(Element::from)),
            HclPart::Attr(root, attr) => {
                let operator = TraversalOperator::GetAttr(Decorated::new(attr.clone()));
                let traversal = Traversal::new(Ident::new(*root), vec![Decorated::new(operator)]);
                // `${each.key}`, not hcl-edit's default `${ each.key }`.
                let expr = Expression::from(traversal).decorated(Decor::new("", ""));
                elements.push(Element::from(Interpolation::new(expr)));
            }
        }
    }
    Expression::from(StringTemplate::from(elements)).to_string()
}

/// `text` cut before every `${` and `%{`, so each piece holds at most one, at its start:
/// hcl-rs's marker escaping (hcl-primitives 0.1, `escape_markers`) reads the text in pairs
/// after the first marker and misses a marker right after a `$` or `%` there (`${a}$${b}`
/// would read back as `${a}${b}`).
fn literals(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut cuts: Vec<usize> = (1..bytes.len().saturating_sub(1))
        .filter(|&i| bytes[i + 1] == b'{' && matches!(bytes[i], b'$' | b'%'))
        .collect();
    cuts.push(text.len());
    let mut start = 0;
    cuts.into_iter().map(move |end| {
        let piece = &text[start..end];
        start = end;
        piece
    })
}

/// The name and code of an escape character, for people and for the API (`ASCII_44`).
fn escape_character(c: char) -> Value {
    let name = match c {
        ',' => "comma".to_owned(),
        '\\' => "backslash".to_owned(),
        '"' => "double quote".to_owned(),
        '\'' => "single quote".to_owned(),
        ';' => "semicolon".to_owned(),
        '|' => "vertical bar".to_owned(),
        '\t' => "tab".to_owned(),
        ' ' => "space".to_owned(),
        c => format!("U+{:04X}", u32::from(c)),
    };
    json!({ "char": c.to_string(), "name": name, "code": u32::from(c), "api": format!("ASCII_{}", u32::from(c)) })
}

impl Renderer {
    /// The whole configuration of a feed: the format of `request.log_type` framed for the
    /// target, with every setting the profile's SIEM needs, as `request.emit` asks.
    /// `request.log_type` may be [`ALL_LOG_TYPES`]: steps for every log type of the profile,
    /// or one rsyslog concentrator carrying them all.
    pub fn feed(&self, request: &FeedRequest) -> Result<Feed, FeedError> {
        let profile = nssgen_catalog::profile(&request.profile)
            .ok_or_else(|| ProfileError::unknown_profile(&request.profile))?;
        let all = request.log_type == ALL_LOG_TYPES;
        let log_types: Vec<&ProfileLogType> = if all {
            profile.log_types.iter().collect()
        } else {
            vec![profile
                .log_type(&request.log_type)
                .ok_or_else(|| ProfileError::unknown_log_type(profile, &request.log_type))?]
        };
        let target = request.target();
        check_options(request, target)?;
        match request.emit {
            Emit::Rsyslog => self.rsyslog(request, profile, &log_types, target),
            Emit::Steps if all => self.steps_all(request, profile, &log_types, target),
            Emit::Terraform | Emit::ZiaApi if all => Err(FeedError::Unsupported(format!(
                "`all` prints --emit steps or rsyslog; a {} configuration is one feed: run `nssgen feed \
                 <LOG_TYPE> --emit {}` for each log type (see `nssgen list`)",
                if request.emit == Emit::Terraform { "Terraform" } else { "ZIA API" },
                request.emit
            ))),
            _ => self.feed_one(request, profile, log_types[0], target),
        }
    }

    /// The steps of every feed, one after the other, under a line saying how many there are
    /// and where they send.
    fn steps_all(
        &self,
        request: &FeedRequest,
        profile: &Profile,
        log_types: &[&ProfileLogType],
        target: Target,
    ) -> Result<Feed, FeedError> {
        let product = product(profile);
        let kind = if target == Target::CloudNss { "Cloud NSS" } else { "NSS VM" };
        let destination = match (request.siem_host.as_deref(), request.siem_port, request.listen) {
            (Some(host), Some(port), _) => format!(", each sending to {host}, TCP port {port}"),
            (_, _, Some(listen)) if listen.ip().is_unspecified() => {
                format!(", each sending to the concentrator's TCP port {}", listen.port())
            }
            (_, _, Some(listen)) => {
                format!(", each sending to the concentrator at {}, TCP port {}", listen.ip(), listen.port())
            }
            _ => String::new(),
        };
        let mut text =
            format!("{product}: {} {kind} feeds, one per log type{destination}.\n", log_types.len());
        let mut formats = Vec::with_capacity(log_types.len());
        let mut api_log_types = Vec::new();
        for (i, log_type) in log_types.iter().enumerate() {
            let feed = self.feed_one(request, profile, log_type, target)?;
            text.push_str(&format!("\n{} Feed {} of {}\n\n", "=".repeat(8), i + 1, log_types.len()));
            text.push_str(&feed.text);
            formats.extend(feed.formats);
            api_log_types.extend(feed.api_log_types);
        }
        Ok(Feed { text, formats, target, api_log_types })
    }

    /// The rsyslog concentrator: one listener for `log_types`, forwarding to the profile
    /// SIEM's syslog intake.
    fn rsyslog(
        &self,
        request: &FeedRequest,
        profile: &Profile,
        log_types: &[&ProfileLogType],
        target: Target,
    ) -> Result<Feed, FeedError> {
        let intake = profile.syslog_intake.as_ref().ok_or_else(|| {
            FeedError::MissingSettings(format!(
                "profile `{}` records no syslog intake to forward to",
                profile.id
            ))
        })?;
        let product = product(profile);
        let listen = request.listen.unwrap_or(DEFAULT_LISTEN);
        let name = format!("nssgen_{}_{}", profile.id, target.id()).replace('-', "_");
        // `/var/spool/rsyslog/` and `/var/spool/rsyslog` are one directory; `/` stays `/`.
        let dir = request.work_dir.as_deref().unwrap_or(DEFAULT_WORK_DIR).trim_end_matches('/');
        let work_dir = if dir.is_empty() { "/" } else { dir };
        let held = format!("{dir}/{name}.held");
        let key_env = request.key_env.as_deref().unwrap_or(&intake.key_env);
        let titles: Vec<&str> = log_types.iter().map(|t| t.title.as_str()).collect();
        let data = json!({
            "product": product,
            "command": rsyslog_command(request, target),
            "log_type_count": log_types.len(),
            "many": log_types.len() > 1,
            "log_types": titles.join(", "),
            "name": name,
            "work_dir": work_dir,
            "held": held,
            "key_env": key_env,
            "rfc3164": target == Target::Nss,
            "hostname": profile.syslog.hostname,
            "tag": profile.syslog.tag,
            "parser": if target == Target::Nss { format!("{name}_rfc3164") } else { "rsyslog.rfc5424".to_owned() },
            "sd_id": intake.sd_id,
            "key_param": intake.key_param,
            "msgid": intake.msgid,
            "intake_host": request.intake_host.as_deref().unwrap_or(&intake.host),
            "intake_port": request.intake_port.unwrap_or(intake.port),
            "ca_file": request.ca_file.as_deref().unwrap_or(DEFAULT_CA_FILE),
            "listen_address": listen.ip().to_string(),
            // Where this host reaches its own listener, for resending held lines.
            "replay_host": if listen.ip().is_unspecified() { "127.0.0.1".to_owned() } else { listen.ip().to_string() },
            "listen_port": listen.port(),
        });
        let text = self.feed_run(RSYSLOG, &data)?;
        Ok(Feed { text, formats: Vec::new(), target, api_log_types: Vec::new() })
    }

    /// One log type's feed, as `request.emit` asks.
    fn feed_one(
        &self,
        request: &FeedRequest,
        profile: &Profile,
        log_type: &ProfileLogType,
        target: Target,
    ) -> Result<Feed, FeedError> {
        let format = nssgen_profile::frame(profile, log_type, target)?;
        let catalog = log_type.catalog_log_type().ok_or_else(|| {
            FeedError::MissingSettings(format!("log type `{}` names no catalog log type", log_type.id))
        })?;
        let mapped = nssgen_catalog::api_log_types_for(&catalog.key, &log_type.record_types);
        let api_log_types: Vec<String> = mapped.iter().map(|m| m.value.clone()).collect();
        // What the data file says of an inferred mapping, once per distinct note.
        let mut api_notes: Vec<&str> = Vec::new();
        for note in mapped.iter().filter_map(|m| m.note.as_deref()) {
            if !api_notes.contains(&note) {
                api_notes.push(note);
            }
        }
        let data = FeedData { request, profile, log_type, catalog, target, format: &format.text, api_notes };
        let text = match (request.emit, target) {
            (Emit::Steps, Target::CloudNss) => self.feed_run(STEPS_CLOUD_NSS, &data.cloud(&api_log_types)?)?,
            (Emit::Steps, _) => self.feed_run(STEPS_NSS, &data.common())?,
            (Emit::Terraform, Target::CloudNss) => self.feed_run(TERRAFORM, &data.cloud(&api_log_types)?)?,
            (Emit::ZiaApi, Target::CloudNss) => self.zia_api(&data, &api_log_types)?,
            (emit, target) => {
                return Err(FeedError::Unsupported(format!(
                    "--emit {emit} configures Cloud NSS feeds only: the Zscaler Terraform provider and the ZIA \
                     API have no resource for an NSS VM feed (--target {target}); use --emit steps, or --target \
                     cloud-nss"
                )))
            }
        };
        Ok(Feed { text, formats: vec![format], target, api_log_types })
    }

    fn feed_run(&self, template: &str, data: &Value) -> Result<String, FeedError> {
        let mut text = self.run(template, data)?;
        // Each file's final newline was stripped with the template; the output ends in one.
        text.push('\n');
        Ok(text)
    }

    /// One API body per `nssLogType` value: an object for one feed, an array of them when the
    /// log type needs several (SaaS Security), in serde_json's pretty layout.
    fn zia_api(&self, data: &FeedData<'_>, api_log_types: &[String]) -> Result<String, FeedError> {
        let cloud = data.cloud_settings(api_log_types)?;
        let bodies: Vec<ZiaApiFeed<'_>> = api_log_types
            .iter()
            .map(|value| {
                let name = if api_log_types.len() > 1 {
                    format!("{} ({value})", cloud.name)
                } else {
                    cloud.name.clone()
                };
                data.zia_api_body(&cloud, value, name)
            })
            .collect();
        let text = match bodies.as_slice() {
            [one] => serde_json::to_string_pretty(one),
            many => serde_json::to_string_pretty(many),
        };
        let mut text = text.map_err(|e| FeedError::Internal {
            what: "the ZIA API body does not serialise".to_owned(),
            source: Box::new(e),
        })?;
        text.push('\n');
        Ok(text)
    }
}

/// The SIEM's name as its users know it (`Sekoia.io`), or the profile id when the profile
/// records none.
fn product(profile: &Profile) -> &str {
    nssgen_catalog::cloud_nss_siem(&profile.id).map_or(profile.id.as_str(), |s| s.product)
}

/// The command that prints this concentrator again, for its first comment.
fn rsyslog_command(request: &FeedRequest, target: Target) -> String {
    let mut command = format!(
        "nssgen feed {} --profile {} --target {target} --emit rsyslog",
        request.log_type, request.profile
    );
    let options: [(&str, Option<String>); 6] = [
        ("--listen", request.listen.map(|a| a.to_string())),
        ("--intake-host", request.intake_host.clone()),
        ("--intake-port", request.intake_port.map(|p| p.to_string())),
        ("--ca-file", request.ca_file.clone()),
        ("--intake-key-env", request.key_env.clone()),
        ("--work-dir", request.work_dir.clone()),
    ];
    for (flag, value) in options {
        if let Some(value) = value {
            command.push_str(&format!(" {flag} {value}"));
        }
    }
    command
}

/// Options that only make sense for one kind of feed, and the intake URL's scheme.
fn check_options(request: &FeedRequest, target: Target) -> Result<(), FeedError> {
    let cloud = target == Target::CloudNss;
    let invalid = |m: String| Err(FeedError::InvalidOption(m));
    check_concentrator_options(request, target)?;
    if cloud && (request.siem_host.is_some() || request.siem_port.is_some()) {
        return invalid(
            "--siem-host and --siem-port set an NSS VM feed's syslog destination; a Cloud NSS feed posts \
             to --intake-url"
                .to_owned(),
        );
    }
    if !cloud && request.intake_url.is_some() {
        return invalid(format!(
            "--intake-url sets a Cloud NSS feed's API URL; an NSS VM feed (--target {target}) sends syslog to \
             --siem-host and --siem-port"
        ));
    }
    if let Some(name) = &request.name {
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            return invalid("--name must be non-empty, one line, without control characters".to_owned());
        }
    }
    if let Some(host) = &request.siem_host {
        if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return invalid(format!("--siem-host `{host}` is not an IP address or a host name"));
        }
    }
    if let Some(url) = &request.intake_url {
        check_intake_url(url)?;
    }
    Ok(())
}

/// The concentrator's options: given only where they apply, and each a value rsyslog's
/// configuration can carry as it is (no escaping: a quote or a `$` in a path is refused).
fn check_concentrator_options(request: &FeedRequest, target: Target) -> Result<(), FeedError> {
    let invalid = |m: String| Err(FeedError::InvalidOption(m));
    let rsyslog = request.emit == Emit::Rsyslog;
    if rsyslog && target == Target::CloudNss {
        return Err(FeedError::Unsupported(
            "--emit rsyslog configures the concentrator NSS VM feeds send to (--target nss or nss-rfc5424); \
             Cloud NSS needs no concentrator: Zscaler's cloud posts each batch over HTTPS straight to the \
             intake (--emit steps, terraform or zia-api with --target cloud-nss)"
                .to_owned(),
        ));
    }
    if !rsyslog {
        let rsyslog_only = [
            ("--intake-host", request.intake_host.is_some()),
            ("--intake-port", request.intake_port.is_some()),
            ("--ca-file", request.ca_file.is_some()),
            ("--work-dir", request.work_dir.is_some()),
            ("the key's variable name", request.key_env.is_some()),
        ];
        if let Some((flag, _)) = rsyslog_only.iter().find(|(_, set)| *set) {
            return invalid(format!(
                "{flag} configures the rsyslog concentrator: it applies to --emit rsyslog only"
            ));
        }
        if request.listen.is_some() && (request.emit != Emit::Steps || target == Target::CloudNss) {
            return invalid(
                "--listen is where the concentrator listens: it applies to --emit rsyslog, and to --emit steps \
                 for NSS VM feeds (--target nss or nss-rfc5424), which send there"
                    .to_owned(),
            );
        }
    }
    if request.listen.is_some() && (request.siem_host.is_some() || request.siem_port.is_some()) {
        return invalid(
            "--listen and --siem-host/--siem-port both say where NSS sends: give one of them".to_owned(),
        );
    }
    if rsyslog && (request.siem_host.is_some() || request.siem_port.is_some()) {
        return invalid(
            "the concentrator listens at --listen ADDR:PORT; --siem-host and --siem-port are for --emit steps"
                .to_owned(),
        );
    }
    if rsyslog && request.intake_url.is_some() {
        return invalid(
            "--intake-url is a Cloud NSS feed's; the concentrator forwards to --intake-host and --intake-port"
                .to_owned(),
        );
    }
    if rsyslog && request.name.is_some() {
        return invalid("--name names an Admin Portal feed; the concentrator has no name to give".to_owned());
    }
    if rsyslog && request.intake_key.is_some() {
        return invalid(
            "the concentrator never holds the intake key: rsyslogd reads it from the environment variable the \
             configuration names"
                .to_owned(),
        );
    }
    if request.name.is_some() && request.log_type == ALL_LOG_TYPES {
        return invalid(
            "--name names one feed; `all` configures one per log type, each named after it".to_owned(),
        );
    }
    if let Some(listen) = request.listen {
        if listen.port() == 0 {
            return invalid(format!("--listen `{listen}` has port 0: a port is a number from 1 to 65535"));
        }
        if let SocketAddr::V6(v6) = listen {
            if v6.scope_id() != 0 {
                return invalid(format!(
                    "--listen `{listen}` has a zone index, which rsyslog's listener cannot take: give an address \
                     without `%`"
                ));
            }
        }
    }

    if request.intake_port == Some(0) {
        return invalid("--intake-port 0 is no port: a port is a number from 1 to 65535".to_owned());
    }
    if let Some(host) = &request.intake_host {
        check_host(host)?;
    }
    for (flag, path) in [("--ca-file", &request.ca_file), ("--work-dir", &request.work_dir)] {
        let Some(path) = path else { continue };
        if !path.starts_with('/') {
            return invalid(format!(
                "{flag} `{path}` is not an absolute path; rsyslogd does not run where you are"
            ));
        }
        // The path goes into RainerScript strings and into the shell commands of the file's
        // comments, unquoted: what either would read differently is refused.
        if let Some(c) =
            path.chars().find(|&c| UNSAFE_IN_PATHS.contains(c) || c.is_whitespace() || c.is_control())
        {
            return invalid(format!(
                "{flag} `{path}` has {}, which the configuration and the commands in its comments cannot carry as \
                 is: choose a path without it",
                describe(c)
            ));
        }
    }
    if let Some(var) = &request.key_env {
        check_key_env(var)?;
    }
    Ok(())
}

/// What a path may not hold to go unquoted into RainerScript strings and shell commands.
const UNSAFE_IN_PATHS: &str = "\"\\$`'!;&|<>(){}[]*?#~";

/// `--intake-host`: an IP address, or a host name of dot-separated labels (letters, digits, `-`,
/// `_`, no label starting or ending with `-`); a port is `--intake-port`'s.
fn check_host(host: &str) -> Result<(), FeedError> {
    let invalid = |m: String| Err(FeedError::InvalidOption(m));
    if host.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    if let Some((name, port)) = host.rsplit_once(':') {
        if !name.contains(':') && port.parse::<u16>().is_ok() {
            return invalid(format!(
                "--intake-host `{host}` holds a port: give it with --intake-port {port}"
            ));
        }
        return invalid(format!("--intake-host `{host}` is not an IP address (IPv6 without brackets)"));
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.len() > 253 || !name.split('.').all(label_ok) {
        return invalid(format!(
            "--intake-host `{host}` is not a host name (labels of letters, digits, `-`, `_`, joined by `.`) or an \
             IP address"
        ));
    }
    Ok(())
}

/// `--intake-key-env`: a plain environment variable name, which a shell, systemd and rsyslog's
/// backticks all read the same (a letter or `_`, then letters, digits and `_`), or an error
/// saying so.
pub fn check_key_env(var: &str) -> Result<(), FeedError> {
    let plain = var.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        Ok(())
    } else {
        Err(FeedError::InvalidOption(format!(
            "--intake-key-env `{var}` is not an environment variable name (letters, digits, `_`)"
        )))
    }
}

/// An HTTPS URL NSS can post to, or an error naming the part at fault and how to write it.
/// The shape is checked here rather than by a URL parser: the WHATWG parsers (the `url` crate)
/// repair what a person pastes (they drop white space, take `https:host` and `http:/x`), where
/// this must refuse it and say how to write it; the percent-encoding it suggests comes from
/// the `percent-encoding` crate.
fn check_intake_url(url: &str) -> Result<(), FeedError> {
    let invalid = |why: String| Err(FeedError::InvalidOption(format!("intake URL `{url}` {why}")));
    let not_https = |why: String| Err(FeedError::NotHttps(format!("intake URL `{url}` {why}")));
    if url.trim() != url {
        return invalid("starts or ends with white space".to_owned());
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("https:") || lower.starts_with("http:") {
            return invalid("lacks the `//` after its scheme: write https://host/path".to_owned());
        }
        return not_https(format!(
            "has no scheme: write `https://{url}`; Cloud NSS posts only to https:// endpoints"
        ));
    };
    if !scheme.eq_ignore_ascii_case("https") {
        return not_https(
            "is not HTTPS: Cloud NSS posts only to https:// endpoints with a publicly trusted certificate"
                .to_owned(),
        );
    }
    let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    if authority.contains('@') {
        return invalid(
            "holds credentials before `@`: Cloud NSS sends them as HTTP headers, not in the URL".to_owned(),
        );
    }
    let (host, port, host_chars) = match authority.strip_prefix('[') {
        // An IPv6 address: `[2001:db8::1]:443`.
        Some(v6) => match v6.split_once(']') {
            Some((address, after)) => (address, after.strip_prefix(':'), "IPv6 address"),
            None => {
                return invalid("opens an IPv6 address with `[` and does not close it with `]`".to_owned())
            }
        },
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port), "host"),
            None => (authority, None, "host"),
        },
    };
    if host.is_empty() {
        return invalid("names no host".to_owned());
    }
    // Letters of other scripts may be an internationalized name, left to the resolver.
    let v6 = host_chars == "IPv6 address";
    let bad = host.chars().find(|&c| {
        !(c.is_ascii_alphanumeric()
            || "-._".contains(c)
            || !c.is_ascii() && !c.is_control() && !c.is_whitespace())
            && !(v6 && c == ':')
    });
    if let Some(c) = bad {
        return invalid(format!("has {} in its {host_chars} `{host}`", describe(c)));
    }
    if let Some(port) = port {
        if port.parse::<u16>().map_or(true, |p| p == 0) {
            return invalid(format!("has port `{port}`: a port is a number from 1 to 65535"));
        }
    }
    // The path, then the query.
    let query_at = path.find('?').unwrap_or(path.len());
    for (i, c) in path.char_indices() {
        let part = if i < query_at { "path" } else { "query" };
        if c == '#' {
            return invalid(format!(
                "has a `#` in its {part}: what follows it is never sent; write it as %23 if it belongs there"
            ));
        }
        if c == '%' {
            if !path.get(i + 1..i + 3).is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())) {
                return invalid(format!(
                    "has a `%` without two hexadecimal digits after it in its {part}; a `%` itself is \
                     percent-encoded as %25"
                ));
            }
            continue;
        }
        // Only what no HTTP request line can carry: clients send `{`, `|` or `é` as they are
        // or encode them themselves.
        if c.is_whitespace() || c.is_control() {
            let encoded = percent_encoding::utf8_percent_encode(c.encode_utf8(&mut [0; 4]), NON_ALPHANUMERIC)
                .to_string();
            return invalid(format!(
                "has {} in its {part}, which must be percent-encoded as {encoded}",
                describe(c)
            ));
        }
    }
    Ok(())
}

/// `c` as a message names it: `a space`, `white space U+00A0`, `control character U+0007`.
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        c if c.is_whitespace() => format!("white space U+{:04X}", u32::from(c)),
        c if c.is_control() => format!("control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

/// Everything the feed templates print, gathered once.
struct FeedData<'a> {
    request: &'a FeedRequest,
    profile: &'a Profile,
    log_type: &'a ProfileLogType,
    catalog: &'static LogType,
    target: Target,
    format: &'a str,
    /// Notes on how the `nssLogType` values were inferred (empty when none are).
    api_notes: Vec<&'static str>,
}

impl FeedData<'_> {
    fn siem(&self) -> Result<&'static CloudNssSiem, FeedError> {
        nssgen_catalog::cloud_nss_siem(&self.profile.id).ok_or_else(|| {
            FeedError::MissingSettings(format!("profile `{}` records no Cloud NSS settings", self.profile.id))
        })
    }

    fn name(&self) -> String {
        self.request
            .name
            .clone()
            .unwrap_or_else(|| format!("{} {}", product(self.profile), self.log_type.title))
    }

    /// Where NSS sends: `--siem-host`, else the address the concentrator listens on (unless
    /// that is every address, which names no host), else a placeholder.
    fn siem_host(&self) -> String {
        let listening = self.request.listen.map(|a| a.ip()).filter(|ip| !ip.is_unspecified());
        match (&self.request.siem_host, listening) {
            (Some(host), _) => host.clone(),
            (None, Some(ip)) => ip.to_string(),
            (None, None) => "<the collector's IP address or FQDN>".to_owned(),
        }
    }

    /// What every emitter prints.
    fn common(&self) -> Value {
        let escapes: Vec<Value> = self.profile.escape_characters.chars().map(escape_character).collect();
        let record_types = if self.log_type.record_types.is_empty() {
            self.catalog.record_type_names().collect::<Vec<_>>().join(", ")
        } else {
            self.log_type.record_types.join(", ")
        };
        let narrowed = !self.log_type.record_types.is_empty();
        let target_flag =
            if self.target == Target::Nss { String::new() } else { format!(" --target {}", self.target) };
        json!({
            "product": product(self.profile),
            "profile": self.profile.id,
            "log_type": self.log_type.id,
            "title": self.log_type.title,
            "portal_log_type": self.catalog.name,
            "nss_type": self.catalog.nss_type,
            "firewall": self.catalog.key == "firewall",
            "record_types": record_types,
            "narrowed": narrowed,
            "has_record_types": !record_types.is_empty(),
            "name_raw": self.name(),
            "format": self.format,
            "format_command": format!("nssgen format {}{target_flag}", self.log_type.id),
            "target": self.target.id(),
            "target_describe": self.target.describe(),
            "rfc5424": self.target == Target::NssRfc5424,
            "escape_text": self.profile.escape_characters,
            "escape_count": escapes.len(),
            "escapes": escapes,
            "siem_host": self.siem_host(),
            "siem_port": self
                .request
                .siem_port
                .or(self.request.listen.map(|a| a.port()))
                .map_or_else(|| "<the collector's TCP port>".to_owned(), |p| p.to_string()),
            "time_zone": "GMT",
        })
    }

    /// What every Cloud NSS emitter needs: the SIEM's settings and the API's values, checked.
    fn cloud_settings(&self, api_log_types: &[String]) -> Result<CloudSettings<'_>, FeedError> {
        let siem = self.siem()?;
        let nss_type_api = nssgen_catalog::api_nss_type(&self.catalog.nss_type).ok_or_else(|| {
            FeedError::MissingSettings(format!(
                "the API's nssType enum has no value for `{}`",
                self.catalog.nss_type
            ))
        })?;
        if api_log_types.is_empty() {
            return Err(FeedError::MissingSettings(format!(
                "the API's nssLogType enum has no value for log type `{}`",
                self.log_type.id
            )));
        }
        Ok(CloudSettings {
            siem,
            nss_type_api,
            url: self.request.intake_url.as_deref().unwrap_or(siem.url),
            key_var: format!("{}_intake_key", self.profile.id.replace('-', "_")),
            name: self.name(),
            escapes_api: self
                .profile
                .escape_characters
                .chars()
                .map(|c| format!("ASCII_{}", u32::from(c)))
                .collect(),
        })
    }

    /// What the Cloud NSS templates print on top: the SIEM's settings, quoted for HCL.
    fn cloud(&self, api_log_types: &[String]) -> Result<Value, FeedError> {
        let cloud = self.cloud_settings(api_log_types)?;
        let siem = cloud.siem;
        let resource = format!("{}_{}", self.profile.id, self.log_type.id).replace('-', "_");
        let many = api_log_types.len() > 1;
        let quoted = |list: &[String]| list.iter().map(|s| hcl_quote(s)).collect::<Vec<_>>().join(", ");
        let key_ident = Ident::try_new(cloud.key_var.as_str()).map_err(|e| FeedError::Internal {
            what: format!("`{}` is no Terraform variable name", cloud.key_var),
            source: Box::new(e),
        })?;
        // The header's value is the Terraform variable: HCL interpolation, never a literal key.
        let header_hcl = hcl_string(&[
            HclPart::Text(siem.key_header),
            HclPart::Text(":"),
            HclPart::Attr("var", key_ident),
        ]);
        let name_hcl = if many {
            hcl_string(&[
                HclPart::Text(&cloud.name),
                HclPart::Text(" ("),
                HclPart::Attr("each", Ident::new("key")),
                HclPart::Text(")"),
            ])
        } else {
            hcl_quote(&cloud.name)
        };
        // Record types the API's per-record-type values leave out (SaaS Security's Gen AI).
        let mapped = nssgen_catalog::api_log_types_for(&self.catalog.key, &self.log_type.record_types);
        let unmapped: Vec<&str> = if mapped.iter().any(|m| m.record_type.is_some()) {
            self.catalog
                .record_type_names()
                .filter(|r| {
                    self.log_type.record_types.is_empty() || self.log_type.record_types.iter().any(|x| x == r)
                })
                .filter(|r| !mapped.iter().any(|m| m.record_type.as_deref() == Some(*r)))
                .collect()
        } else {
            Vec::new()
        };
        let mut data = self.common();
        let extra = json!({
            "unmapped_record_types": unmapped.join(", "),
            "siem_type": siem.siem_type,
            "siem_type_portal": if siem.siem_type == "OTHER" { "Other".to_owned() } else { siem.siem_type.to_owned() },
            "oauth": siem.oauth,
            "max_batch_size_kb": siem.max_batch_size_kb,
            "json_array_notation": siem.json_array_notation,
            "time_zone": siem.time_zone,
            "url": cloud.url,
            "key_header": siem.key_header,
            "key_hint": siem.key_hint,
            "key_env": self.request.intake_key.as_ref().map(|k| k.env_var.clone()),
            "key_var": cloud.key_var,
            "nss_type_api": cloud.nss_type_api,
            "api_log_types": api_log_types.join(", "),
            "api_note": self.api_notes.join("; "),
            "many": many,
            "resource": resource,
            "hcl": {
                "name": name_hcl,
                "nss_log_type": if many { "each.key".to_owned() } else { hcl_quote(&api_log_types[0]) },
                "for_each": if many { format!("toset([{}])", quoted(api_log_types)) } else { String::new() },
                "url": hcl_quote(cloud.url),
                "header": header_hcl,
                "escapes": quoted(&cloud.escapes_api),
                "format": hcl_quote(self.format),
                "key_description": hcl_quote(&format!("{} {} (sent in the {} header)", siem.product, "intake key", siem.key_header)),
            },
        });
        if let (Value::Object(data), Value::Object(extra)) = (&mut data, extra) {
            data.extend(extra);
        }
        Ok(data)
    }

    /// The ZIA API's body for one `nssLogType` value, named `name`.
    fn zia_api_body<'a>(
        &'a self,
        cloud: &'a CloudSettings<'_>,
        nss_log_type: &'a str,
        name: String,
    ) -> ZiaApiFeed<'a> {
        let key = match &self.request.intake_key {
            Some(key) => key.value.clone(),
            None => format!("<{}>", cloud.key_var.to_ascii_uppercase()),
        };
        ZiaApiFeed {
            name,
            nss_type: cloud.nss_type_api,
            nss_log_type,
            nss_feed_type: "JSON",
            siem_type: cloud.siem.siem_type,
            oauth_authentication: cloud.siem.oauth,
            max_batch_size: cloud.siem.max_batch_size_kb,
            connection_url: cloud.url,
            connection_headers: [format!("{}:{key}", cloud.siem.key_header)],
            json_array_toggle: cloud.siem.json_array_notation,
            time_zone: cloud.siem.time_zone,
            custom_escaped_character: &cloud.escapes_api,
            feed_output_format: self.format,
        }
    }
}

/// The Cloud NSS settings of a feed, shared by the templates and the API body.
struct CloudSettings<'a> {
    siem: &'static CloudNssSiem,
    nss_type_api: &'static str,
    url: &'a str,
    /// The Terraform variable holding the intake key (`sekoia_intake_key`).
    key_var: String,
    name: String,
    /// The escape characters as the API names them (`ASCII_44`).
    escapes_api: Vec<String>,
}

/// The JSON body of the ZIA API's `POST /nssFeeds`; serde_json prints its keys in field order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ZiaApiFeed<'a> {
    name: String,
    nss_type: &'a str,
    nss_log_type: &'a str,
    nss_feed_type: &'a str,
    siem_type: &'a str,
    oauth_authentication: bool,
    max_batch_size: u32,
    #[serde(rename = "connectionURL")]
    connection_url: &'a str,
    connection_headers: [String; 1],
    json_array_toggle: bool,
    time_zone: &'a str,
    custom_escaped_character: &'a [String],
    feed_output_format: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feed_template_is_registered() {
        let registry = crate::templates::registry();
        for name in TEMPLATES {
            assert!(registry.has_template(name), "{name}");
        }
    }

    #[test]
    fn hcl_quote_escapes_backslashes_quotes_controls_and_template_sequences() {
        assert_eq!(hcl_quote(r#"\{"a":"%s{b}"\}"#), r#""\\{\"a\":\"%s{b}\"\\}""#);
        assert_eq!(hcl_quote("${x} %{if} $ % {"), r#""$${x} %%{if} $ % {""#);
        assert_eq!(hcl_quote("a\tb\n\u{1}"), r#""a\tb\n\u0001""#);
        // Every marker doubled, also right after a `$` or `%` (hcl-rs alone misses those).
        assert_eq!(hcl_quote("${a}$${b}%%{c}$%{d}"), r#""$${a}$$${b}%%%{c}$%%{d}""#);
        assert_eq!(hcl_quote("$"), r#""$""#);
        assert_eq!(hcl_quote(""), r#""""#);
    }

    #[test]
    fn interpolations_are_written_tight() {
        let each = hcl_string(&[
            HclPart::Text("a \"b\" ${c} ("),
            HclPart::Attr("each", Ident::new("key")),
            HclPart::Text(")"),
        ]);
        assert_eq!(each, r#""a \"b\" $${c} (${each.key})""#);
    }

    #[test]
    fn the_intake_key_never_shows_in_debug_output() {
        let key = IntakeKey::new("KEY", "s3cr3t");
        assert!(!format!("{key:?}").contains("s3cr3t"));
    }

    #[test]
    fn nss_vm_targets_have_no_terraform_or_api_feed() {
        let r = Renderer::new();
        for emit in [Emit::Terraform, Emit::ZiaApi] {
            let mut request = FeedRequest::new("sekoia", "web", emit);
            request.target = Some(Target::Nss);
            let err = r.feed(&request).unwrap_err();
            assert!(matches!(err, FeedError::Unsupported(_)), "{err}");
            assert!(err.to_string().contains("use --emit steps"), "{err}");
        }
    }

    #[test]
    fn a_profile_error_is_the_feed_error_not_its_cause() {
        let err = Renderer::new().feed(&FeedRequest::new("splunk", "web", Emit::Steps)).unwrap_err();
        assert!(matches!(err, FeedError::Profile(ProfileError::UnknownProfile { .. })), "{err}");
        assert_eq!(err.to_string(), "unknown profile `splunk` (valid: sekoia)");
        // A chain printer shows the message once.
        assert!(std::error::Error::source(&err).is_none());
    }
}
