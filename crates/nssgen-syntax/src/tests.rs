//! Unit tests for the parser, printer and errors: the edge cases, one by one.

use crate::{line_col, parse, parse_bytes, print, Conversion, ErrorKind, FieldSpec, Format, Item, Span};

fn ok(source: &str) -> Format {
    match parse(source) {
        Ok(format) => format,
        Err(errors) => panic!("{source:?} should parse:\n{errors}"),
    }
}

fn only_field(source: &str) -> FieldSpec {
    let format = ok(source);
    assert_eq!(format.items.len(), 1, "{format:?}");
    let field = format.fields().next().cloned();
    field.expect("one field")
}

/// `(kind, span, line, column)` of every error, in order.
fn errors(source: &str) -> Vec<(ErrorKind, std::ops::Range<usize>, usize, usize)> {
    let errors = parse(source).expect_err(source);
    errors.iter().map(|e| (e.kind, e.span.range(), e.line, e.column)).collect()
}

fn one_error(source: &str) -> (ErrorKind, std::ops::Range<usize>) {
    let all = errors(source);
    assert_eq!(all.len(), 1, "{source:?}: {all:?}");
    (all[0].0, all[0].1.clone())
}

#[test]
fn empty_input_is_an_empty_format() {
    assert_eq!(ok("").items, Vec::new());
    assert_eq!(print(&ok("")), "");
}

#[test]
fn only_literal_text() {
    let format = ok("hello, world\n");
    assert_eq!(format.items.len(), 1);
    let literal = format.literals().next().expect("literal");
    assert_eq!(literal.span, Span::new(0, 13));
    assert_eq!(literal.text, "hello, world\n");
}

#[test]
fn escapes_decode_and_merge_into_one_literal() {
    let source = r"\{a\}\t\n\r%%b";
    let format = ok(source);
    assert_eq!(format.items.len(), 1, "{format:?}");
    let literal = format.literals().next().expect("literal");
    assert_eq!(literal.raw, source);
    assert_eq!(literal.text, "{a}\t\n\r%b");
    assert_eq!(literal.span, Span::new(0, source.len()));
}

#[test]
fn unknown_backslash_escapes_are_kept_as_text() {
    assert_eq!(ok(r"a\qb").literals().next().map(|l| l.text.clone()), Some(r"a\qb".to_owned()));
    assert_eq!(ok(r"end\").literals().next().map(|l| l.text.clone()), Some(r"end\".to_owned()));
    // Only the backslash is taken, so the next one still escapes the brace.
    assert_eq!(ok(r"\\{").literals().next().map(|l| l.text.clone()), Some(r"\{".to_owned()));
    // `\%` is a backslash, then the `%` starts a spec as usual.
    let format = ok(r"\%s{x}");
    assert_eq!(format.items.len(), 2);
    assert_eq!(format.fields().next().map(|f| f.name.as_str()), Some("x"));
}

#[test]
fn backslash_recordid_is_a_carriage_return_then_text() {
    let format = ok(r"id=\recordid");
    let literal = format.literals().next().expect("literal");
    assert_eq!(literal.text, "id=\recordid");
    assert_eq!(format.fields().count(), 0);
}

#[test]
fn every_conversion_parses() {
    for conv in Conversion::ALL {
        let source = format!("%{conv}{{f}}");
        let field = only_field(&source);
        assert_eq!(field.conv, conv);
        assert_eq!(field.name, "f");
        assert_eq!(print(&ok(&source)), source);
    }
}

#[test]
fn flags_and_width() {
    let field = only_field("%02d{dd}");
    assert_eq!((field.flags.raw.as_str(), field.width), ("0", Some(2)));
    assert!(field.flags.zero_pad() && !field.flags.left_justify());

    let field = only_field("%-5s{x}");
    assert_eq!((field.flags.raw.as_str(), field.width), ("-", Some(5)));
    assert!(field.flags.left_justify());

    let field = only_field("%2d{Dayofmonth}");
    assert_eq!((field.flags.raw.as_str(), field.width), ("", Some(2)));

    let field = only_field("%04d{yyyy}");
    assert_eq!((field.flags.raw.as_str(), field.width), ("0", Some(4)));

    let field = only_field("%-0-12lu{spi_in}");
    assert_eq!((field.flags.raw.as_str(), field.width, field.conv), ("-0-", Some(12), Conversion::Lu));

    let field = only_field("%00x{h}");
    assert_eq!((field.flags.raw.as_str(), field.width), ("00", None));
}

#[test]
fn spans_are_byte_ranges() {
    let source = "é %llu{recordid}\\}";
    let format = ok(source);
    assert_eq!(format.items.len(), 3);
    assert_eq!(format.items[0].span(), Span::new(0, 3));
    let field = format.fields().next().expect("field");
    assert_eq!(field.span, Span::new(3, 17));
    assert_eq!(&source[field.span.range()], "%llu{recordid}");
    assert_eq!(&source[field.name_span.range()], "recordid");
    assert_eq!(format.items[2].span(), Span::new(17, 19));
}

#[test]
fn adjacent_specs_have_no_literal_between() {
    let format = ok("%s{a}%d{b}");
    assert!(format.items.iter().all(|item| matches!(item, Item::Field(_))));
    assert_eq!(format.items.len(), 2);
}

#[test]
fn multi_line_formats_keep_their_newlines() {
    let source = "%s{a}\n\t%s{b}\r\n";
    let format = ok(source);
    assert_eq!(format.literals().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["\n\t", "\r\n"]);
    assert_eq!(print(&format), source);
}

#[test]
fn unknown_conversion() {
    assert_eq!(one_error("%f{x}"), (ErrorKind::UnknownConversion, 1..2));
    assert_eq!(one_error("%j{x}"), (ErrorKind::UnknownConversion, 1..2));
    assert_eq!(one_error("%ls{x}"), (ErrorKind::UnknownConversion, 1..3));
    assert_eq!(one_error("%lld{x}"), (ErrorKind::UnknownConversion, 1..4));
    assert_eq!(one_error("%02i{x}"), (ErrorKind::UnknownConversion, 3..4));
    let errors = parse("%f{x}").expect_err("error");
    assert_eq!(
        errors.to_string(),
        "1:2: unknown conversion `f` in `%f{x}`: NSS accepts s, d, u, x, ld, lu, llu"
    );
}

#[test]
fn precision_is_reported_with_the_conversion() {
    assert_eq!(
        errors("%5.2f{x}"),
        [(ErrorKind::UnsupportedPrecision, 2..4, 1, 3), (ErrorKind::UnknownConversion, 4..5, 1, 5)]
    );
    assert_eq!(one_error("%.3s{x}"), (ErrorKind::UnsupportedPrecision, 1..3));
}

#[test]
fn missing_conversion() {
    assert_eq!(one_error("%{x}"), (ErrorKind::MissingConversion, 0..2));
    assert_eq!(one_error("a %02{dd}"), (ErrorKind::MissingConversion, 2..6));
}

#[test]
fn empty_name() {
    assert_eq!(one_error("%s{}"), (ErrorKind::EmptyName, 2..4));
    assert_eq!(
        errors("%f{}").iter().map(|e| e.0).collect::<Vec<_>>(),
        [ErrorKind::UnknownConversion, ErrorKind::EmptyName]
    );
}

#[test]
fn unclosed_spec() {
    assert_eq!(one_error("%s{abc"), (ErrorKind::UnclosedSpec, 0..6));
    assert_eq!(one_error("%s{"), (ErrorKind::UnclosedSpec, 0..3));
    // The name stops at a character that cannot be in it; the rest is text again.
    assert_eq!(one_error("x %s{abc\nmore"), (ErrorKind::UnclosedSpec, 2..8));
    assert_eq!(errors(r#""%s{user","b":"%s{b}""#), [(ErrorKind::UnclosedSpec, 1..8, 1, 2)]);
}

#[test]
fn invalid_name() {
    assert_eq!(one_error("%s{a b}"), (ErrorKind::InvalidName, 3..6));
    assert_eq!(one_error("%s{“x”}"), (ErrorKind::InvalidName, 3..10));
    assert_eq!(one_error("%s{a-b}"), (ErrorKind::InvalidName, 3..6));
    // Smart quotes around a spec are plain text.
    assert_eq!(ok("“%s{x}”").fields().count(), 1);
}

#[test]
fn missing_name() {
    assert_eq!(one_error("%02s"), (ErrorKind::MissingName, 0..4));
    assert_eq!(one_error("%llu "), (ErrorKind::MissingName, 0..4));
    assert_eq!(one_error("a%s"), (ErrorKind::MissingName, 1..3));
}

#[test]
fn lone_and_trailing_percent() {
    assert_eq!(one_error("100% sure"), (ErrorKind::LonePercent, 3..4));
    assert_eq!(one_error("100%"), (ErrorKind::LonePercent, 3..4));
    assert!(parse("100%").expect_err("error").to_string().contains("trailing `%`"));
    assert_eq!(one_error("%5.2f"), (ErrorKind::LonePercent, 0..1));
    assert_eq!(ok("100%%").literals().next().map(|l| l.text.clone()), Some("100%".to_owned()));
}

#[test]
fn stray_braces() {
    assert_eq!(one_error("a { b"), (ErrorKind::StrayBrace, 2..3));
    assert_eq!(one_error("%s{x}}"), (ErrorKind::StrayBrace, 5..6));
    assert_eq!(
        errors(r#"{"a":"%s{a}"}"#).iter().map(|e| (e.0, e.1.clone())).collect::<Vec<_>>(),
        [(ErrorKind::StrayBrace, 0..1), (ErrorKind::StrayBrace, 12..13)]
    );
}

#[test]
fn width_too_large() {
    assert_eq!(one_error("%99999999999d{x}"), (ErrorKind::WidthTooLarge, 1..12));
    assert_eq!(one_error("%4294967295d{x}"), (ErrorKind::WidthTooLarge, 1..11));
    assert_eq!(one_error("%1025d{x}"), (ErrorKind::WidthTooLarge, 1..5));
    assert_eq!(only_field("%1024d{x}").width, Some(crate::MAX_WIDTH));
}

#[test]
fn every_error_is_reported_in_source_order() {
    let source = "%f{a} %s{} }\n\t%s{x y} %";
    let kinds: Vec<_> = errors(source).into_iter().map(|(k, _, l, c)| (k, l, c)).collect();
    assert_eq!(
        kinds,
        [
            (ErrorKind::UnknownConversion, 1, 2),
            (ErrorKind::EmptyName, 1, 9),
            (ErrorKind::StrayBrace, 1, 12),
            (ErrorKind::InvalidName, 2, 5),
            (ErrorKind::LonePercent, 2, 10),
        ]
    );
    assert_eq!(parse(source).expect_err("errors").to_string().lines().count(), 5);
}

#[test]
fn columns_count_characters() {
    assert_eq!(errors("ééé %f{x}"), [(ErrorKind::UnknownConversion, 8..9, 1, 6)]);
    assert_eq!(errors("a\n“b” %q{x}"), [(ErrorKind::UnknownConversion, 11..12, 2, 6)]);
}

#[test]
fn line_col_takes_any_offset() {
    let source = "ab\ncé%";
    assert_eq!(line_col(source, 0), (1, 1));
    assert_eq!(line_col(source, 2), (1, 3));
    assert_eq!(line_col(source, 3), (2, 1));
    assert_eq!(line_col(source, 4), (2, 2));
    assert_eq!(line_col(source, 5), (2, 2), "inside `é`: its start");
    assert_eq!(line_col(source, 6), (2, 3));
    assert_eq!(line_col(source, 99), (2, 4), "past the end: the end");
    assert_eq!(line_col("", 3), (1, 1));
}

#[test]
fn parse_bytes_reports_each_invalid_sequence_and_keeps_parsing() {
    let source = b"a\xff\xfeb %s{x} %f{y} \xe2\x80";
    let errors = parse_bytes(source).expect_err("errors");
    let got: Vec<_> = errors.iter().map(|e| (e.kind, e.span.range(), e.column)).collect();
    assert_eq!(
        got,
        [
            (ErrorKind::InvalidUtf8, 1..2, 2),
            (ErrorKind::InvalidUtf8, 2..3, 3),
            (ErrorKind::UnknownConversion, 12..13, 13),
            (ErrorKind::InvalidUtf8, 17..19, 18),
        ]
    );
    assert!(errors.to_string().contains(r"`\xE2\x80`"));
}

#[test]
fn parse_bytes_drops_errors_the_placeholder_caused() {
    let errors = parse_bytes(b"%s{a\xffb}").expect_err("errors");
    assert_eq!(errors.iter().map(|e| e.kind).collect::<Vec<_>>(), [ErrorKind::InvalidUtf8]);
}

#[test]
fn parse_bytes_of_utf8_is_parse() {
    let source = "%s{a} é \\{";
    assert_eq!(parse_bytes(source.as_bytes()), parse(source));
    assert_eq!(parse_bytes(b"%x{").map_err(|e| e.into_vec()), parse("%x{").map_err(|e| e.into_vec()));
}

#[test]
fn render_points_at_the_characters() {
    let source = "%s{a}\n  %f{x}";
    let errors = parse(source).expect_err("errors");
    let rendered = errors.render(source, "web.txt");
    assert!(rendered.contains("error: unknown conversion `f` in `%f{x}`"), "{rendered}");
    assert!(rendered.contains("--> web.txt:2:4"), "{rendered}");
    assert!(rendered.contains("2 |   %f{x}\n  |    ^ unknown conversion"), "{rendered}");
}

#[test]
fn render_survives_a_source_that_does_not_match() {
    let errors = parse("ééé %f{x}").expect_err("errors");
    for other in ["", "é", "short", "ééé %f{x} and more"] {
        let _ = errors.render(other, "x");
    }
}

#[test]
fn errors_iterate_and_display() {
    let errors = parse("% %").expect_err("errors");
    assert_eq!(errors.len(), 2);
    assert!(!errors.is_empty());
    assert_eq!((&errors).into_iter().count(), 2);
    let first = errors.iter().next().cloned().expect("first");
    assert_eq!(first.to_string(), format!("1:1: {}", first.message));
    assert_eq!(errors.clone().into_iter().count(), 2);
    assert_eq!(errors.into_vec().len(), 2);
}

#[test]
fn error_kind_codes_are_distinct() {
    let kinds = [
        ErrorKind::InvalidUtf8,
        ErrorKind::UnknownConversion,
        ErrorKind::MissingConversion,
        ErrorKind::UnsupportedPrecision,
        ErrorKind::WidthTooLarge,
        ErrorKind::EmptyName,
        ErrorKind::UnclosedSpec,
        ErrorKind::InvalidName,
        ErrorKind::MissingName,
        ErrorKind::LonePercent,
        ErrorKind::StrayBrace,
        ErrorKind::Internal,
    ];
    let codes: std::collections::BTreeSet<_> = kinds.iter().map(|k| k.code()).collect();
    assert_eq!(codes.len(), kinds.len());
    assert_eq!(ErrorKind::EmptyName.to_string(), "empty-name");
}

/// Every string up to four characters over an alphabet that reaches every rule: parsing never
/// panics, a success prints back the input, and a failure has well-formed errors.
#[test]
fn small_inputs_exhaustively() {
    let alphabet = ['%', 's', 'l', 'u', '0', '5', '.', '{', '}', '\\', 'a', ' ', 'é', '\n'];
    let mut stack = vec![String::new()];
    let mut seen = 0;
    while let Some(source) = stack.pop() {
        seen += 1;
        check_invariants(&source);
        if source.chars().count() < 4 {
            for c in alphabet {
                let mut next = source.clone();
                next.push(c);
                stack.push(next);
            }
        }
    }
    assert_eq!(seen, 1 + 14 + 14 * 14 + 14 * 14 * 14 + 14 * 14 * 14 * 14);
}

fn check_invariants(source: &str) {
    match parse(source) {
        Ok(format) => {
            assert_eq!(print(&format), source);
            let mut at = 0;
            for (i, item) in format.items.iter().enumerate() {
                assert_eq!(item.span().start, at, "{source:?}: items cover the source in order");
                at = item.span().end;
                if i > 0 {
                    assert!(
                        !matches!((&format.items[i - 1], item), (Item::Literal(_), Item::Literal(_))),
                        "{source:?}: literals are merged"
                    );
                }
            }
            assert_eq!(at, source.len());
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for error in &errors {
                assert!(error.kind != ErrorKind::Internal, "{source:?}: {error}");
                assert!(error.span.end <= source.len() && !error.span.is_empty(), "{source:?}: {error:?}");
                assert!(source.is_char_boundary(error.span.start) && source.is_char_boundary(error.span.end));
                assert_eq!(line_col(source, error.span.start), (error.line, error.column));
            }
            let _ = errors.render(source, "x");
        }
    }
}
