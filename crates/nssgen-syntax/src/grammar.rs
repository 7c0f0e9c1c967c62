//! The pest binding of `grammar/nss.pest`, kept private so pest's types never leak out of the crate.

use pest_derive::Parser;

/// Parser generated from the one grammar; only the walker in `parser.rs` drives it.
#[derive(Parser)]
// pest_derive resolves this path against the crate's manifest dir first (then `src/`), so it
// points at the workspace's single grammar file rather than a copy.
#[grammar = "../../grammar/nss.pest"]
pub(crate) struct NssParser;
