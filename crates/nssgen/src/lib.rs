//! Parse the lines a Zscaler NSS feed output format produces.
//!
//! A Zscaler admin pastes a *feed output format* (`%s{mon} %02d{dd} ... \{"url":"%s{eurl}"\}`)
//! into the ZIA Admin Portal, and NSS prints one line per record by it. This crate reads those
//! lines back, three ways, all executing the same compiled *plan* of the format
//! ([`nssgen_syntax::plan`]): each literal checked in place, each field's value taken up to the
//! next whole literal (searched from the spec's width on), the last value up to the literal
//! that ends the line.
//!
//! For JSON-bodied formats, a line that drifted from the format is still read: without its
//! syslog header (a relay stripped it, or a Cloud NSS feed) through the body alone, and with
//! its body re-serialised (other spacing, key order, escapes) through a JSON fallback;
//! [`ParsePath`] says which path took it. Values are borrowed from the line, decoded (hex
//! `%HH`, base64) only when the field's type asks for it.
//!
//! # Derive a parser from a format
//!
//! `#[derive(NssRecord)]` compiles the format when your crate compiles: a mistake in it is a
//! compile error on its characters, and the generated walk is straight-line code with the
//! format's plan as static data, so nothing parses a format at run time. Each struct field reads
//! the format field of its name (or `#[nss(field = "...")]`); its type says how:
//! `&str` as printed, `Cow<str>` or `String` decoded, [`Text`] decoded on access, integers,
//! IP addresses, `Option<T>` for a value the line may lack. A crate that only derives can
//! depend on `nssgen` with `default-features = false`: the grammar (pest) is then not linked.
//!
//! ```
//! use std::{borrow::Cow, net::IpAddr};
//! use nssgen::{NssRecord, ParsePath};
//!
//! #[derive(Debug, NssRecord)]
//! #[nss(format = r"%s{time}\t%s{eurl}\t%s{cip}\t%llu{recordid}")]
//! struct WebLine<'a> {
//!     #[nss(field = "eurl")]
//!     url: Cow<'a, str>, // an `e` field: `%HH` decoded
//!     cip: IpAddr,
//!     recordid: u64,
//! }
//!
//! let line = "Mon Oct 16 22:55:48 2023\twww.example.com/a%20b\t10.1.2.3\t42";
//! let web = WebLine::parse(line)?;
//! assert_eq!(web.url, "www.example.com/a b");
//! assert_eq!(web.cip, IpAddr::from([10, 1, 2, 3]));
//! assert_eq!(web.recordid, 42);
//! assert_eq!(WebLine::parse_detailed(line)?.path, ParsePath::Exact);
//!
//! let err = WebLine::parse("Mon Oct 16 22:55:48 2023\twww.example.com\tnot-an-ip\t42").unwrap_err();
//! assert_eq!(err.to_string(), "at byte 41, field `cip`: `not-an-ip` is not an IP address");
//! # Ok::<(), nssgen::ParseError>(())
//! ```
//!
//! `#[nss(log_type = "web")]` derives from the built-in Sekoia format instead (and
//! `target = "cloud-nss"`, `profile = "..."`), `#[nss(format_file = "formats/web.txt")]` from a
//! file, and `#[nss(crate = "my_nssgen")]` names this crate when your `Cargo.toml` renames it.
//! The derive adds no inherent method to your type: `parse` and `parse_detailed` come from the
//! [`NssRecord`] trait, so bring it into scope.
//!
//! # Read Sekoia.io's formats with the ready-made records
//!
//! [`sekoia`] has one record per log type of the built-in Sekoia.io profile, derived from the
//! format `nssgen format <log type>` prints. Plain text fields are `Cow<str>`: borrowed from the
//! line, owned only where a relay's JSON escapes had to be undone, so a record reads every line
//! the interpreter reads.
//!
//! ```
//! use nssgen::sekoia::Web;
//! use nssgen::{NssRecord, ParsePath};
//!
//! // A Cloud NSS line: the JSON body alone, no syslog header.
//! let line = concat!(
//!     r#"{"sourcetype" : "zscalernss-web", "event" : {"datetime":"2024-12-11 10:31:16","reason":"Allowed","#,
//!     r#""event_id":"7396099331717828341","protocol":"HTTP","action":"Allowed","transactionsize":"17348","#,
//!     r#""responsesize":"7319","requestsize":"10029","urlcategory":"General Surfing","serverip":"203.0.113.9","#,
//!     r#""requestmethod":"GET","refererURL":"None","useragent":"curl/8.5.0","product":"NSS","#,
//!     r#""location":"Road%20Warrior","ClientIP":"192.0.2.21","status":"200","user":"chlo%C3%A9@example.com","#,
//!     r#""url":"example.com/a%20b","vendor":"Zscaler","hostname":"example.com","clientpublicIP":"198.51.100.7","#,
//!     r#""threatcategory":"None","threatname":"None","filetype":"None","appname":"General Browsing","#,
//!     r#""pagerisk":"0","department":"R%26D","urlsupercategory":"Information Technology","appclass":"General Browsing","#,
//!     r#""dlpengine":"None","urlclass":"Business Use","threatclass":"None","dlpdictionaries":"None","#,
//!     r#""fileclass":"None","bwthrottle":"No","contenttype":"text/html","unscannabletype":"None","#,
//!     r#""deviceowner":"ctanaka","devicehostname":"LAPTOP-0A06B5E","keyprotectiontype":"N/A"}}"#,
//! );
//! let hit = Web::parse_detailed(line)?;
//! assert_eq!(hit.path, ParsePath::Headless);
//! let web = hit.record;
//! assert_eq!(web.mon, None); // only the syslog header prints it
//! assert_eq!(web.reqsize, Some(10029));
//! assert_eq!(web.eurl.decode(), "example.com/a b");
//! assert_eq!(web.elogin.decode(), "chloé@example.com");
//!
//! // The same body after a relay re-serialised it: other spacing, `/` escaped.
//! let relayed = line.replace("\"reason\":\"Allowed\"", "\"reason\" : \"Allowed\"").replace("text/html", r"text\/html");
//! let hit = Web::parse_detailed(&relayed)?;
//! assert_eq!(hit.path, ParsePath::Json);
//! assert_eq!(hit.record.contenttype, "text/html");
//! # Ok::<(), nssgen::ParseError>(())
//! ```
//!
//! # Compile a format at run time
//!
//! [`Parser`] compiles a format known only at run time (the default feature `interpreter`)
//! and parses lines into (field, [`Value`]) pairs, by the same plan and the same paths as the
//! derived parsers. A format that does not compile says where and why ([`CompileError`]; its
//! syntax errors are [`SyntaxErrors`], each with line and column).
//!
//! ```
//! use nssgen::{Encoding, ParsePath, Parser};
//!
//! let format = r#"%s{mon} %02d{dd} zscaler-nss NSS \{"day":"%02d{dd}","url":"%s{eurl}","size":"%d{reqsize}"\}"#;
//! let parser = Parser::compile_with(format, |name| if name == "eurl" { Encoding::Hex } else { Encoding::Plain })?;
//!
//! let record = parser.parse(r#"Jan 05 zscaler-nss NSS {"day":"05","url":"a.com/%22x%22","size":"12"}"#)?;
//! assert_eq!(record.path, ParsePath::Exact);
//! assert_eq!(record.get("eurl").map(|v| v.decode()).as_deref(), Some(r#"a.com/"x""#));
//! assert_eq!(record.get("reqsize").map(|v| v.to::<u64>()), Some(Ok(12)));
//!
//! let err = Parser::compile("%s{a}%s{b}").unwrap_err();
//! assert_eq!(err.to_string(), "at byte 5: `b` follows `a` with no literal between them, so no parser can tell where one ends");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

// Generated code names `::nssgen::...`; this lets the crate's own typed records use the derive.
extern crate self as nssgen;

mod drift;
mod error;
mod field;
mod interp;
mod json;
pub mod route;
mod walk;

#[doc(hidden)]
pub mod __private;

pub use drift::Drift;
pub use error::{ParseError, ParseErrorKind};
pub use field::{decode_base64, decode_hex, is_placeholder, FieldError, FromField, Text};
pub use interp::{CompileError, ParsePath, Parsed, Parser, Record, Value};
pub use nssgen_syntax::plan::Encoding;
pub use nssgen_syntax::Conversion;
/// A format's syntax errors, each with its span, line and column ([`CompileError::Syntax`]).
#[cfg(feature = "interpreter")]
pub use nssgen_syntax::SyntaxErrors;

/// A record type whose parser was derived from a feed output format.
pub trait NssRecord<'a>: Sized {
    /// The feed output format the parser was derived from, as pasted into the Admin Portal.
    const FORMAT: &'static str;

    /// Parses one line (without its final newline).
    fn parse(line: &'a str) -> Result<Self, ParseError> {
        Self::parse_detailed(line).map(|parsed| parsed.record)
    }

    /// Parses one line and says which path parsed it and how it drifted from the format.
    fn parse_detailed(line: &'a str) -> Result<Parsed<Self>, ParseError>;

    /// Parses one line only when the format prints it whole, exactly ([`ParsePath::Exact`]):
    /// `None` for any other line, with no error built and no other path tried. A line read here
    /// was printed by this format (or one printing the same text), which tells log types apart
    /// ([`route::Table::route_with`]).
    fn parse_exact(line: &'a str) -> Option<Self> {
        Self::parse_detailed(line)
            .ok()
            .filter(|parsed| parsed.path == ParsePath::Exact)
            .map(|parsed| parsed.record)
    }

    /// Parses a line [`NssRecord::parse_exact`] did not take, by the other paths, with errors:
    /// what [`NssRecord::parse_detailed`] does once its exact walk fails, for a caller that
    /// tried that walk already ([`route::Table::route_with`]).
    #[doc(hidden)]
    fn parse_inexact(line: &'a str) -> Result<Parsed<Self>, ParseError> {
        Self::parse_detailed(line)
    }

    /// Parses one line, rejecting it when a key's value drifted from the format (see
    /// [`Drift`]), as parsers did before drift was read.
    fn parse_strict(line: &'a str) -> Result<Parsed<Self>, ParseError> {
        Self::parse_detailed(line)?.strict()
    }
}

/// Derives [`NssRecord`] and an inherent `parse` for a struct from a feed output format.
pub use nssgen_derive::NssRecord;

/// Typed records for the log types of the built-in `sekoia` profile.
pub mod sekoia;
