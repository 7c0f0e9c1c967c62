//! Raw bytes the grammar takes as literal text but no record survives: a line break inside the
//! format and the control characters other than the tab, found in the bytes before parsing so
//! that they are reported even when the format has syntax errors too.

use std::borrow::Cow;

use nssgen_syntax::Span;

use crate::diagnostic::{Diagnostic, Rule, Severity};

/// The ASCII names of the C0 control characters, for the message.
const NAMES: [&str; 32] = [
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS",
    "US",
];

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// A control byte with no place in a format. A raw tab is allowed: it is literal text that
/// prints a tab, exactly what `\t` prints, and shell `printf` writes formats that way.
fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && !is_break(b)) || b == 0x7f
}

/// Reports each run of raw line breaks before the format's trailing ones (which
/// [`Rule::TrailingNewline`] reports) and each control byte. `bytes` is the checked source,
/// the file's final newline already stripped.
pub(crate) fn scan(bytes: &[u8], out: &mut Vec<Diagnostic>) {
    let tail = trailing_breaks(bytes);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_break(b) {
            let end = i + bytes[i..].iter().take_while(|b| is_break(**b)).count();
            if i < tail {
                out.push(line_break(bytes, i, end));
            }
            i = end;
            continue;
        }
        if is_control(b) {
            out.push(control(b, i));
        }
        i += 1;
    }
}

/// The source with each byte [`scan`] reports turned into a space, offsets unchanged: the other
/// rules see the format as it will be once those bytes are deleted, so a control byte in a JSON
/// string or a line break in the header is reported once, by its own rule.
pub(crate) fn blanked(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let tail = trailing_breaks(bytes);
    let reported = |(i, b): (usize, &u8)| is_control(*b) || (is_break(*b) && i < tail);
    if !bytes.iter().enumerate().any(reported) {
        return Cow::Borrowed(text);
    }
    let blanked: String = text
        .char_indices()
        .map(|(i, c)| if c.is_ascii() && reported((i, &(c as u8))) { ' ' } else { c })
        .collect();
    Cow::Owned(blanked)
}

/// Where the format's trailing line breaks start: raw ones and `\n` `\r` escapes, in any mix.
/// The one definition of a format's trailing line break in this crate: [`scan`] leaves these to
/// [`Rule::TrailingNewline`], which reports them from here.
pub(crate) fn trailing_breaks(bytes: &[u8]) -> usize {
    let mut cut = bytes.len();
    loop {
        let rest = &bytes[..cut];
        if let Some(r) = rest.strip_suffix(b"\\n").or_else(|| rest.strip_suffix(b"\\r")) {
            // `\\n` is a backslash and `n`, not a line feed.
            if r.ends_with(b"\\") && !r.ends_with(b"\\\\") {
                break;
            }
            cut = r.len();
        } else if let Some(r) = rest.strip_suffix(b"\n").or_else(|| rest.strip_suffix(b"\r")) {
            cut = r.len();
        } else {
            break;
        }
    }
    cut
}

fn line_break(bytes: &[u8], start: usize, end: usize) -> Diagnostic {
    let span = Span::new(start, end);
    // The caret goes at the end of the line the break ends: a span over the break itself would
    // be drawn across two lines.
    let at = Span::new(start, start);
    let shown: String = bytes[start..end].iter().map(|b| if *b == b'\n' { "\\n" } else { "\\r" }).collect();
    let d = Diagnostic::new(
        Rule::RawLineBreak,
        Severity::Error,
        Some(at),
        format!(
            "raw line break (`{shown}`) inside the format: printed, it splits every record in two lines, \
             which `nssgen parse` and line-based SIEM inputs read as two broken records"
        ),
    )
    .label("line break");
    if pasted_by_accident(bytes, start, end) {
        d.help(
            "delete it: Zscaler's text box may show a long format over several lines, but the format \
             itself must be one line (NSS adds the line feed that ends each record)",
        )
        .fix(span, "")
    } else {
        d.help(
            "delete it, and put the space or separator that was meant in its place \
             (a line wrapped in a PDF or a mail?)",
        )
    }
}

/// Whether deleting the line break is certainly what was meant: it sits next to a separator
/// that is already there (a space, `\t`, `,`, `:`, an escaped JSON brace) or inside a field
/// name, where nothing else was meant. Between two words or two fields a space or a separator
/// may have been lost with it.
fn pasted_by_accident(bytes: &[u8], start: usize, end: usize) -> bool {
    let (before, after) = (&bytes[..start], &bytes[end..]);
    let separator = |b: Option<&u8>| b.is_some_and(|b| matches!(b, b' ' | b'\t' | b',' | b';' | b':' | b'|'));
    if before.is_empty()
        || separator(before.last())
        || separator(after.first())
        || before.ends_with(b"\\t")
        || after.starts_with(b"\\t")
        || before.ends_with(b"\\{")
        || after.starts_with(b"\\}")
    {
        return true;
    }
    // Inside `%s{na<break>me}`: the last `{` opens a field name, not yet closed. Names are
    // short: looking further back would only make a file of line breaks slow.
    let before = &before[before.len().saturating_sub(64)..];
    let open = before.iter().rposition(|b| *b == b'{');
    let close = before.iter().rposition(|b| *b == b'}');
    open.is_some_and(|o| {
        close.is_none_or(|c| c < o)
            && o > 0
            && before[o - 1].is_ascii_alphabetic()
            && before[..o].contains(&b'%')
    })
}

fn control(b: u8, at: usize) -> Diagnostic {
    let name = NAMES.get(usize::from(b)).copied().unwrap_or("DEL");
    let span = Span::new(at, at + 1);
    Diagnostic::new(
        Rule::ControlByte,
        Severity::Error,
        Some(span),
        format!(
            "control character {name} (byte 0x{b:02X}) in the format: invisible here, NSS would print it \
             into every record, where SIEMs drop or mangle it"
        ),
    )
    .label(format!("{name}, invisible"))
    .help("delete it (a tab is written `\\t`)")
    .fix(span, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(bytes: &[u8]) -> Vec<(Rule, Span, bool)> {
        let mut out = Vec::new();
        scan(bytes, &mut out);
        out.iter()
            .map(|d| {
                (d.rule, d.fix.as_ref().map_or_else(|| d.span.expect("span"), |f| f.span), d.fix.is_some())
            })
            .collect()
    }

    #[test]
    fn line_breaks_inside_are_reported_once_per_run_and_trailing_ones_are_left_to_nss014() {
        assert_eq!(found(b"a=%s{a},\r\nb=%s{b}"), [(Rule::RawLineBreak, Span::new(8, 10), true)]);
        assert_eq!(found(b"%s{a}\n\\n\n"), []);
        assert_eq!(found(b"%s{time}\nGMT"), [(Rule::RawLineBreak, Span::new(8, 8), false)]);
        assert_eq!(found(b"%s{ur\nl} x"), [(Rule::RawLineBreak, Span::new(5, 6), true)]);
    }

    #[test]
    fn control_bytes_but_not_the_tab() {
        assert_eq!(
            found(b"%s{a}\t\x00\x01\x7f"),
            [
                (Rule::ControlByte, Span::new(6, 7), true),
                (Rule::ControlByte, Span::new(7, 8), true),
                (Rule::ControlByte, Span::new(8, 9), true)
            ]
        );
    }
}
