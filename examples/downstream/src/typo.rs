//! Built only with `--features typo`: a misspelt field name must fail to compile, pointing at it.

use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = r"%s{time}\t%s{eurl}")]
pub struct Typo<'a> {
    pub time: &'a str,
    #[nss(field = "eurll")]
    pub url: &'a str,
}
