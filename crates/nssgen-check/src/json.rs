//! The JSON schema of a report (`nssgen check --json`), serialised straight from the findings.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use nssgen_syntax::LineIndex;

use crate::{Diagnostic, Report};

/// `{"diagnostics":[...]}` over a report, each finding serialised as it is reached.
pub(crate) struct Findings<'r> {
    report: &'r Report,
    index: LineIndex<'r>,
}

impl<'r> Findings<'r> {
    pub(crate) fn of(report: &'r Report) -> Self {
        Findings { report, index: LineIndex::new(&report.source) }
    }
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let findings = self.report.diagnostics.iter().map(|d| Finding { d, index: &self.index });
        let mut doc = serializer.serialize_struct("Report", 1)?;
        doc.serialize_field("diagnostics", &Seq(std::cell::Cell::new(Some(findings))))?;
        doc.end()
    }
}

/// A sequence serialised from an iterator, once.
struct Seq<I>(std::cell::Cell<Option<I>>);

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.take().into_iter().flatten())
    }
}

/// One finding with its lines and columns.
struct Finding<'a> {
    d: &'a Diagnostic,
    index: &'a LineIndex<'a>,
}

impl Serialize for Finding<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.d;
        let (start, end) = match d.span {
            Some(s) => (Some(self.index.line_col(s.start)), Some(self.index.line_col(s.end))),
            None => (None, None),
        };
        let mut f = serializer.serialize_struct("Finding", 10)?;
        f.serialize_field("code", d.rule.code())?;
        f.serialize_field("rule", d.rule.name())?;
        f.serialize_field("severity", d.severity.as_str())?;
        f.serialize_field("message", &d.message)?;
        f.serialize_field("line", &start.map(|(l, _)| l))?;
        f.serialize_field("column", &start.map(|(_, c)| c))?;
        f.serialize_field("end_line", &end.map(|(l, _)| l))?;
        f.serialize_field("end_column", &end.map(|(_, c)| c))?;
        f.serialize_field("help", &d.help)?;
        f.serialize_field("fix", &d.fix.as_ref().map(|f| &f.replacement))?;
        f.end()
    }
}
