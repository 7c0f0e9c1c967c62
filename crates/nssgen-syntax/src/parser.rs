//! The walker: turns pest's parse tree of `grammar/nss.pest` into the typed AST, collecting an
//! error for every error production the grammar matched.

use pest::iterators::Pair;
use pest::Parser as _;

use crate::ast::{Conversion, FieldSpec, Flags, Format, Item, Literal, Span};
use crate::error::{ErrorKind, SyntaxError};
use crate::grammar::{NssParser, Rule};

/// The list of accepted conversions, as error messages quote it.
const CONVERSIONS: &str = "s, d, u, x, ld, lu, llu";

/// The widest field a format may ask for. Every value is padded to its width, so a width is a
/// promise of that many bytes per record: without a bound, a 15-byte spec (`%4294967295d{x}`)
/// would make `nssgen sample` print 4 GB per line. Published formats use 2 and 4.
pub const MAX_WIDTH: u32 = 1024;

/// Parses `source` into a [`Format`], or returns every error found (never an empty list).
pub(crate) fn parse_str(source: &str) -> Result<Format, Vec<SyntaxError>> {
    let pairs = match NssParser::parse(Rule::format, source) {
        Ok(pairs) => pairs,
        // The grammar is total, so this is a bug; it still becomes a positioned error because
        // parsing must never panic.
        Err(error) => {
            let span = match error.location {
                pest::error::InputLocation::Pos(p) => Span::new(p, p),
                pest::error::InputLocation::Span((s, e)) => Span::new(s, e),
            };
            let message = format!("internal parser error (please report): {}", error.variant.message());
            return Err(vec![SyntaxError::new(ErrorKind::Internal, span, message)]);
        }
    };
    let mut walker = Walker { source, items: Vec::new(), errors: Vec::new() };
    for pair in pairs.flat_map(Pair::into_inner) {
        walker.item(pair);
    }
    if walker.errors.is_empty() {
        Ok(Format { items: walker.items })
    } else {
        Err(walker.errors)
    }
}

/// Accumulates items and errors over one pass of the tree.
struct Walker<'s> {
    source: &'s str,
    items: Vec<Item>,
    errors: Vec<SyntaxError>,
}

/// The parts of a spec-shaped pair, whichever production matched it.
#[derive(Default)]
struct Parts<'s> {
    flags: &'s str,
    width: Option<Pair<'s, Rule>>,
    precision: Option<Pair<'s, Rule>>,
    /// `conv` (a known conversion) or `conv_text` (anything that stood in its place).
    conv: Option<Pair<'s, Rule>>,
    /// `name`, `closed_name`, `invalid_name` or `unclosed_name`.
    name: Option<Pair<'s, Rule>>,
}

impl<'s> Parts<'s> {
    fn of(pair: Pair<'s, Rule>) -> Self {
        let mut parts = Parts::default();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::flags => parts.flags = inner.as_str(),
                Rule::width => parts.width = Some(inner),
                Rule::precision => parts.precision = Some(inner),
                Rule::conv | Rule::conv_text => parts.conv = Some(inner),
                _ => parts.name = Some(inner),
            }
        }
        parts
    }
}

/// Source text as a message quotes it: control characters (a tab in a name) escaped, so a
/// message stays one readable line.
fn shown(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect()
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let span = pair.as_span();
    Span::new(span.start(), span.end())
}

impl<'s> Walker<'s> {
    fn item(&mut self, pair: Pair<'s, Rule>) {
        let span = span_of(&pair);
        match pair.as_rule() {
            Rule::text => self.literal(span, pair.as_str()),
            Rule::percent_escape => self.literal(span, "%"),
            Rule::escape => {
                let text = match pair.as_str() {
                    "\\{" => "{",
                    "\\}" => "}",
                    "\\t" => "\t",
                    "\\n" => "\n",
                    "\\r" => "\r",
                    other => other,
                };
                self.literal(span, text);
            }
            Rule::lone_backslash => self.literal(span, "\\"),
            Rule::spec => self.spec(pair),
            Rule::bad_spec => self.bad_spec(pair),
            Rule::nameless_spec => {
                let spec = shown(pair.as_str());
                self.error(
                    ErrorKind::MissingName,
                    span,
                    format!(
                        "`{spec}` has no field name: write it in braces (`{spec}{{name}}`), \
                         or write `%%` for a percent sign"
                    ),
                );
            }
            Rule::lone_percent => {
                let message = if span.end == self.source.len() {
                    "trailing `%` at the end of the format: write `%%` for a percent sign".to_owned()
                } else {
                    "lone `%` starts no field spec: write `%%` for a percent sign, \
                     or a spec such as `%s{name}`"
                        .to_owned()
                };
                self.error(ErrorKind::LonePercent, span, message);
            }
            Rule::stray_brace => {
                let brace = pair.as_str();
                self.error(
                    ErrorKind::StrayBrace,
                    span,
                    format!(
                        "unescaped `{brace}` outside a field spec: braces delimit field names, \
                         so a literal brace is written `\\{brace}`"
                    ),
                );
            }
            Rule::EOI => {}
            other => self.error(
                ErrorKind::Internal,
                span,
                format!("internal parser error (please report): unexpected {other:?}"),
            ),
        }
    }

    /// Appends literal text, merging it into the previous literal when they touch.
    fn literal(&mut self, span: Span, text: &str) {
        let raw = &self.source[span.range()];
        if let Some(Item::Literal(last)) = self.items.last_mut() {
            if last.span.end == span.start {
                last.span.end = span.end;
                last.raw.push_str(raw);
                last.text.push_str(text);
                return;
            }
        }
        self.items.push(Item::Literal(Literal { span, raw: raw.to_owned(), text: text.to_owned() }));
    }

    fn error(&mut self, kind: ErrorKind, span: Span, message: String) {
        self.errors.push(SyntaxError::new(kind, span, message));
    }

    /// Checks the width of a spec: the grammar only knows it is digits.
    fn width(&mut self, width: Option<&Pair<'s, Rule>>, spec: &str) -> Option<u32> {
        let width = width?;
        match width.as_str().parse::<u32>() {
            Ok(w) if w <= MAX_WIDTH => Some(w),
            _ => {
                self.error(
                    ErrorKind::WidthTooLarge,
                    span_of(width),
                    format!(
                        "width `{}` in `{spec}` is too large: a width is at most {MAX_WIDTH} \
                         (NSS pads every value to it; formats use 2 and 4)",
                        width.as_str(),
                    ),
                );
                None
            }
        }
    }

    fn spec(&mut self, pair: Pair<'s, Rule>) {
        let span = span_of(&pair);
        let spec = shown(pair.as_str());
        let parts = Parts::of(pair);
        let width = self.width(parts.width.as_ref(), &spec);
        let conv = parts.conv.as_ref().and_then(|c| Conversion::from_name(c.as_str()));
        let (Some(conv), Some(name)) = (conv, parts.name) else {
            self.error(
                ErrorKind::Internal,
                span,
                format!("internal parser error (please report): incomplete spec `{spec}`"),
            );
            return;
        };
        if parts.width.is_some() && width.is_none() {
            return; // already reported by `width`
        }
        self.items.push(Item::Field(FieldSpec {
            span,
            flags: Flags { raw: parts.flags.to_owned() },
            width,
            conv,
            name: name.as_str().to_owned(),
            name_span: span_of(&name),
        }));
    }

    /// Reports every mistake in a spec-shaped text that `spec` rejected.
    fn bad_spec(&mut self, pair: Pair<'s, Rule>) {
        let span = span_of(&pair);
        let spec = shown(pair.as_str());
        let parts = Parts::of(pair);
        self.width(parts.width.as_ref(), &spec);

        if let Some(precision) = &parts.precision {
            self.error(
                ErrorKind::UnsupportedPrecision,
                span_of(precision),
                format!(
                    "precision `{}` in `{spec}` is not supported: NSS accepts only the flags `0` \
                     and `-` and a width before the conversion",
                    precision.as_str()
                ),
            );
        }

        match &parts.conv {
            Some(conv) if conv.as_str().is_empty() => {
                // Point at `%…{`: the conversion belongs just before the brace.
                let head = Span::new(span.start, span_of(conv).end + 1);
                self.error(
                    ErrorKind::MissingConversion,
                    head,
                    format!("missing conversion in `{spec}`: write one of {CONVERSIONS} before `{{`"),
                );
            }
            Some(conv) if Conversion::from_name(conv.as_str()).is_none() => {
                self.error(
                    ErrorKind::UnknownConversion,
                    span_of(conv),
                    format!("unknown conversion `{}` in `{spec}`: NSS accepts {CONVERSIONS}", conv.as_str()),
                );
            }
            _ => {}
        }

        let Some(name) = parts.name else {
            self.error(
                ErrorKind::Internal,
                span,
                format!("internal parser error (please report): spec `{spec}` has no name part"),
            );
            return;
        };
        let name_span = span_of(&name);
        match name.as_rule() {
            Rule::closed_name if name.as_str() == "}" => {
                self.error(
                    ErrorKind::EmptyName,
                    Span::new(name_span.start.saturating_sub(1), name_span.end),
                    format!("empty field name in `{spec}`: write the field's name between the braces"),
                );
            }
            Rule::invalid_name => {
                let bad = name.as_str().strip_suffix('}').unwrap_or(name.as_str());
                let why = match bad.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
                    Some(' ') => "a space cannot be part of a name".to_owned(),
                    Some(c) if c.is_control() => {
                        format!("`{}` cannot be part of a name", c.escape_debug())
                    }
                    Some(c) => format!("`{c}` cannot be part of a name"),
                    None => "this cannot be a name".to_owned(),
                };
                self.error(
                    ErrorKind::InvalidName,
                    Span::new(name_span.start, name_span.start + bad.len()),
                    format!(
                        "invalid field name `{}` in `{spec}`: {why}, which holds only ASCII \
                         letters, digits and `_`",
                        shown(bad)
                    ),
                );
            }
            Rule::unclosed_name => {
                let message = if name.as_str().is_empty() {
                    format!("unclosed field spec `{spec}`: expected a field name and `}}` after `{{`")
                } else {
                    format!("unclosed field spec `{spec}`: the field name must end with `}}`")
                };
                self.error(ErrorKind::UnclosedSpec, span, message);
            }
            _ => {}
        }
    }
}
