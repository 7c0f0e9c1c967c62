// An IP address cannot hold a numeric field.
use nssgen::NssRecord;

#[derive(NssRecord)]
#[nss(format = "%s{cip} %d{ocip}")]
struct Row {
    cip: std::net::IpAddr,
    ocip: Option<std::net::Ipv4Addr>,
}

fn main() {}
