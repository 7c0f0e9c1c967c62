//! Runtime support for the code `#[derive(NssRecord)]` generates. Not a public API: names and
//! signatures change with the derive.
