//! `#[derive(NssRecord)]` as a user sees it: each compile-fail case in `ui/` holds one mistake
//! and its `.stderr` the one diagnostic the derive gives for it; `ui/pass/` must compile and
//! run. Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p nssgen-tests --test ui`
//! and review every change.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
    cases.pass("ui/pass/*.rs");
}
