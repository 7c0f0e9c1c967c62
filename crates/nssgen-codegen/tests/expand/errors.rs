// Every mistake at once, each a `compile_error!` on its token, then a stub impl so that the
// user's calls to `parse` raise no further error.
#[derive(NssRecord)]
#[nss(format = "%s{cip} %s{eurl}%s{ehost}", fromat = "")]
struct Broken<'a> {
    cip: u32,
    eurll: &'a str,
    #[nss(encoding = "rot13")]
    ehost: &'a str,
}
