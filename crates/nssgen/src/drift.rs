//! How a line differs from its format when it still parses: the keys whose values drifted, the
//! keys the format lacks, and the older published version of the format the line was printed by.

use crate::ParseError;

/// What a parsed line holds that its format does not say: read through the JSON fallback, a
/// key whose value drifted (a constant the vendor changed, `"tunneltype":"ipsec"` where the
/// format prints `"IPSEC IKEV %d{ikeversion}"`), whose fields are then missing, and keys the
/// format lacks, kept with their raw JSON values. A line that fits its format has none.
///
/// ```
/// use nssgen::Parser;
///
/// let parser = Parser::compile(r#"\{"v":"v11","tunneltype":"IPSEC IKEV %d{ikeversion}","user":"%s{user}"\}"#)?;
/// let record = parser.parse(r#"{"v":"v9","tunneltype":"ipsec","user":"ana","new":[1]}"#)?;
/// assert_eq!(record.get("user").map(|v| v.raw.as_ref()), Some("ana"));
/// assert!(record.get("ikeversion").is_none()); // only the drifted value held it
/// let drift = record.drift().expect("the line drifted");
/// assert_eq!(drift.keys().collect::<Vec<_>>(), ["v", "tunneltype"]);
/// assert_eq!(drift.extra(), [("new".to_string(), "[1]".to_string())]);
/// // Strict reading rejects the line, with the reason the first drifted key gives.
/// assert!(parser.parse(r#"{"v":"v9","user":"ana"}"#)?.strict().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Each drifted key's name (`plan::key_name`) and why its value does not fit.
    drifted: Vec<(String, ParseError)>,
    /// Each key the format lacks, and its raw JSON value.
    extra: Vec<(String, String)>,
}

impl Drift {
    pub(crate) fn new(
        drifted: Vec<(String, ParseError)>,
        extra: Vec<(String, String)>,
    ) -> Option<Box<Drift>> {
        (!drifted.is_empty() || !extra.is_empty()).then(|| Box::new(Drift { drifted, extra }))
    }

    /// The keys whose values drifted, in format order: a key's own name, or its path joined
    /// with `.` when another key of the format has the same name.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.drifted.iter().map(|(key, _)| key.as_str())
    }

    /// Why each drifted key's value does not fit, the error a strict reader gives.
    pub fn reasons(&self) -> impl ExactSizeIterator<Item = (&str, &ParseError)> + '_ {
        self.drifted.iter().map(|(key, err)| (key.as_str(), err))
    }

    /// The keys the line has and the format lacks, each with its value's JSON text as the line
    /// holds it.
    pub fn extra(&self) -> &[(String, String)] {
        &self.extra
    }

    /// Whether a key's value drifted (extra keys alone are no drift of the format's keys).
    pub fn is_drifted(&self) -> bool {
        !self.drifted.is_empty()
    }

    /// Whether a strict reader keeps a line that drifted so (`None`: not at all); its error if not.
    pub(crate) fn allow_strictly(drift: Option<&Drift>) -> Result<(), ParseError> {
        match drift.and_then(Drift::strict_error) {
            Some(err) => Err(err.clone()),
            None => Ok(()),
        }
    }

    /// The error a strict reader gives the line: its first drifted key's.
    pub fn strict_error(&self) -> Option<&ParseError> {
        self.drifted.first().map(|(_, err)| err)
    }
}
