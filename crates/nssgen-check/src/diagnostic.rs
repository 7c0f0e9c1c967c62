//! Diagnostics: what a rule found, where, how bad, and the certain fix if there is one.

use std::fmt;

use nssgen_syntax::Span;
use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Facts about the format (the log type it was checked as, a sample line's length, the
    /// profile whose published format it is, the vendor format it is an older version of).
    Info,
    /// Works, but risks losing or mangling data; fails the run only with `--deny-warnings`.
    Warning,
    /// NSS or the SIEM will reject, drop or misread the records.
    Error,
}

impl Severity {
    /// `"error"`, `"warning"`, `"info"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule: a stable code, a kebab-case name and a default severity.
///
/// Codes never change meaning; new rules get new codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// NSS001: everything the grammar rejects.
    Syntax,
    /// NSS002: typographic quotes and other characters PDFs substitute.
    Typographic,
    /// NSS003: a field the log type does not have.
    UnknownField,
    /// NSS004: a field used by vendors' formats but listed in no Zscaler table.
    VendorOnlyField,
    /// NSS005: a conversion that differs from the catalog's.
    Conversion,
    /// NSS006: two fields with no literal between them.
    Ambiguous,
    /// NSS007: the JSON body is not valid JSON once values are substituted.
    InvalidJson,
    /// NSS008: a plain `%s` field inside a JSON string that can carry `"` or `\`.
    UnsafeJsonValue,
    /// NSS009: a syslog header without a TAG (RFC3164) or with the wrong number of fields (RFC5424).
    SyslogHeader,
    /// NSS010: a date pattern with the wrong field in a slot (`mm` where the month belongs).
    DateSlot,
    /// NSS011: a literal `<PRI>` placeholder.
    LiteralPri,
    /// NSS012: text between the syslog header and the body (`event=`).
    TextBeforeBody,
    /// NSS013: `\r` or `\n` followed by letters (`\recordid` for `\trecordid`).
    ControlCharTypo,
    /// NSS014: a trailing `\n` (NSS ends each record with a line feed itself).
    TrailingNewline,
    /// NSS015: more than 50 fields in a syslog target.
    TooManyFields,
    /// NSS016: a field that does not exist for a record type the format serves.
    RecordType,
    /// NSS017: the log type and target the format was checked as.
    CheckedAs,
    /// NSS018: the length of a sample line.
    LineLength,
    /// NSS019: a raw line break inside the format (not the `\n` escape).
    RawLineBreak,
    /// NSS020: a raw control character other than the tab (NUL, `\x01`, DEL...).
    ControlByte,
    /// NSS021: the format is a profile's published format, byte for byte; its known risks.
    PublishedFormat,
    /// NSS022: the format is a vendor's older published format, byte for byte; what the
    /// current one changes.
    OlderVendorFormat,
}

impl Rule {
    /// Every rule, in code order.
    pub const ALL: [Rule; 22] = [
        Rule::Syntax,
        Rule::Typographic,
        Rule::UnknownField,
        Rule::VendorOnlyField,
        Rule::Conversion,
        Rule::Ambiguous,
        Rule::InvalidJson,
        Rule::UnsafeJsonValue,
        Rule::SyslogHeader,
        Rule::DateSlot,
        Rule::LiteralPri,
        Rule::TextBeforeBody,
        Rule::ControlCharTypo,
        Rule::TrailingNewline,
        Rule::TooManyFields,
        Rule::RecordType,
        Rule::CheckedAs,
        Rule::LineLength,
        Rule::RawLineBreak,
        Rule::ControlByte,
        Rule::PublishedFormat,
        Rule::OlderVendorFormat,
    ];

    /// The stable code (`"NSS003"`).
    pub fn code(self) -> &'static str {
        match self {
            Rule::Syntax => "NSS001",
            Rule::Typographic => "NSS002",
            Rule::UnknownField => "NSS003",
            Rule::VendorOnlyField => "NSS004",
            Rule::Conversion => "NSS005",
            Rule::Ambiguous => "NSS006",
            Rule::InvalidJson => "NSS007",
            Rule::UnsafeJsonValue => "NSS008",
            Rule::SyslogHeader => "NSS009",
            Rule::DateSlot => "NSS010",
            Rule::LiteralPri => "NSS011",
            Rule::TextBeforeBody => "NSS012",
            Rule::ControlCharTypo => "NSS013",
            Rule::TrailingNewline => "NSS014",
            Rule::TooManyFields => "NSS015",
            Rule::RecordType => "NSS016",
            Rule::CheckedAs => "NSS017",
            Rule::LineLength => "NSS018",
            Rule::RawLineBreak => "NSS019",
            Rule::ControlByte => "NSS020",
            Rule::PublishedFormat => "NSS021",
            Rule::OlderVendorFormat => "NSS022",
        }
    }

    /// The kebab-case name (`"unknown-field"`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::Syntax => "syntax",
            Rule::Typographic => "typographic",
            Rule::UnknownField => "unknown-field",
            Rule::VendorOnlyField => "vendor-only-field",
            Rule::Conversion => "conversion",
            Rule::Ambiguous => "ambiguous",
            Rule::InvalidJson => "invalid-json",
            Rule::UnsafeJsonValue => "unsafe-json-value",
            Rule::SyslogHeader => "syslog-header",
            Rule::DateSlot => "date-slot",
            Rule::LiteralPri => "literal-pri",
            Rule::TextBeforeBody => "text-before-body",
            Rule::ControlCharTypo => "control-char-typo",
            Rule::TrailingNewline => "trailing-newline",
            Rule::TooManyFields => "too-many-fields",
            Rule::RecordType => "record-type",
            Rule::CheckedAs => "checked-as",
            Rule::LineLength => "line-length",
            Rule::RawLineBreak => "raw-line-break",
            Rule::ControlByte => "control-byte",
            Rule::PublishedFormat => "published-format",
            Rule::OlderVendorFormat => "older-vendor-format",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A replacement of the bytes at `span` by `replacement`, certain to be what was meant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The bytes to replace, in the checked source.
    pub span: Span,
    /// The text to put there (empty: delete).
    pub replacement: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: Rule,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// The bytes at fault in the checked source; `None` for findings about the whole format.
    pub span: Option<Span>,
    /// A short label for the caret line.
    pub label: String,
    /// How to fix it, when it takes more than the message says.
    pub help: Option<String>,
    /// The certain fix, if any; `--fix` applies these only.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding of `rule` with `severity`, at `span`.
    pub(crate) fn new(
        rule: Rule,
        severity: Severity,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            span,
            label: String::new(),
            help: None,
            fix: None,
        }
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Fix { span, replacement: replacement.into() });
        self
    }
}
