// A tab-separated format from a file (relative to the manifest dir): no header, no JSON body,
// the last field runs to the end of the line. The file is tracked with `include_bytes!`.
#[derive(NssRecord)]
#[nss(format_file = "formats/tabs.nss")]
struct Tabbed {
    cip: std::net::Ipv4Addr,
    eurl: String,
}
