//! Lines as NSS prints them: the emulator renders a parsed format with field values (printf
//! padding, `e` variants hex-encoded, `b64` variants base64), and the sampler draws realistic,
//! seeded values for every field of a format and renders them. What the sampler, the linter,
//! the round-trip tests, the benchmark and the fuzzer all print lines with.
#![deny(missing_docs)]

mod emulate;
mod sample;

pub use emulate::{hex_encode, spec_text, Absent, EmulateError, Emulator, FieldValue, Values, VariantOf};
pub use sample::{profile_lines, Sampler, ValueSet};
