//! The derive's expansion of each fixture in `tests/expand/`, pretty-printed, one insta snapshot
//! per fixture: the generated parsers reviewed as code, in diffs.

use std::path::Path;

#[test]
fn expansions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    insta::glob!("expand/*.rs", |path| {
        let source = std::fs::read_to_string(path).expect("read the fixture");
        let input: proc_macro2::TokenStream = source.parse().expect("the fixture is Rust tokens");
        let output = nssgen_codegen::expand(input, Some(&dir));
        let file: syn::File = syn::parse2(output).expect("the expansion is Rust");
        insta::assert_snapshot!(prettyplease::unparse(&file));
    });
}
