//! A stand-in for Sekoia.io's TLS syslog intake: a throwaway CA and a `localhost` certificate, and
//! a TLS listener that splits what arrives into octet-counted frames (RFC 6587) and keeps them,
//! and that can be stopped and started again on the same port to play an outage.

use std::io::{self, Read};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection};

/// The certificates: rsyslogd trusts `ca_pem` and checks the intake's name is `localhost`.
#[derive(Debug)]
pub struct Tls {
    pub ca_pem: String,
    config: Arc<ServerConfig>,
}

impl Tls {
    pub fn new() -> Tls {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
            KeyUsagePurpose,
        };
        let ca_key = KeyPair::generate().expect("a CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, "nssgen concentrator test CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = ca.self_signed(&ca_key).expect("a self-signed CA");

        let key = KeyPair::generate().expect("a server key");
        let mut server = CertificateParams::new(vec!["localhost".to_owned()]).expect("server parameters");
        server.distinguished_name.push(DnType::CommonName, "localhost");
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server = server.signed_by(&key, &ca, &ca_key).expect("a server certificate");

        let chain: Vec<CertificateDer<'static>> = vec![server.der().clone(), ca.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("the server certificate and key match");
        Tls { ca_pem: ca.pem(), config: Arc::new(config) }
    }
}

/// One octet-counted frame as the intake got it, without its length prefix.
#[derive(Debug)]
pub struct Frame {
    pub at: Instant,
    pub bytes: Vec<u8>,
}

/// Everything every incarnation of the intake received, in arrival order, and what went wrong on
/// the wire (bad TLS, bad framing), which no test expects.
#[derive(Debug, Default)]
pub struct Received {
    frames: Mutex<Vec<Frame>>,
    errors: Mutex<Vec<String>>,
}

impl Received {
    pub fn frames(&self) -> MutexGuard<'_, Vec<Frame>> {
        self.frames.lock().expect("no intake thread panics holding the frames")
    }

    pub fn errors(&self) -> Vec<String> {
        self.errors.lock().expect("no intake thread panics holding the errors").clone()
    }

    fn error(&self, what: String) {
        self.errors.lock().expect("no intake thread panics holding the errors").push(what);
    }
}

/// A running intake; [`Intake::stop`] (or dropping it) closes the listener and every live
/// connection, as an intake that goes away does.
#[derive(Debug)]
pub struct Intake {
    port: u16,
    stop: Arc<AtomicBool>,
    acceptors: Vec<JoinHandle<()>>,
}

impl Intake {
    /// Listens on 127.0.0.1:`port` (0: any free port), and on [::1] on the same port where the
    /// host has IPv6, since rsyslogd may resolve `localhost` to either.
    pub fn start(port: u16, tls: &Tls, sink: &Arc<Received>) -> Intake {
        let v4 = bind_retrying(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
        let port = v4.local_addr().expect("a bound address").port();
        let mut listeners = vec![v4];
        if let Ok(v6) = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port))) {
            listeners.push(v6);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let acceptors = listeners
            .into_iter()
            .map(|listener| {
                let (stop, sink, config) = (stop.clone(), sink.clone(), tls.config.clone());
                thread::spawn(move || accept(listener, &stop, &sink, &config))
            })
            .collect();
        Intake { port, stop, acceptors }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Returns once the listeners and all connections are closed.
    pub fn stop(mut self) {
        self.shut();
    }

    fn shut(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for acceptor in self.acceptors.drain(..) {
            acceptor.join().expect("an intake thread does not panic");
        }
    }
}

impl Drop for Intake {
    fn drop(&mut self) {
        self.shut();
    }
}

/// Binds, retrying for a few seconds: the port of an intake just stopped may still be held by
/// the socket being torn down.
fn bind_retrying(addr: SocketAddr) -> TcpListener {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match TcpListener::bind(addr) {
            Ok(listener) => return listener,
            Err(e) if Instant::now() < deadline && e.kind() == io::ErrorKind::AddrInUse => {
                thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("the intake cannot listen on {addr}: {e}"),
        }
    }
}

/// How often a blocked intake thread looks whether it should stop.
const POLL: Duration = Duration::from_millis(20);

fn accept(listener: TcpListener, stop: &Arc<AtomicBool>, sink: &Arc<Received>, config: &Arc<ServerConfig>) {
    listener.set_nonblocking(true).expect("a non-blocking listener");
    let mut connections = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((socket, _)) => {
                let (stop, sink, config) = (stop.clone(), sink.clone(), config.clone());
                connections.push(thread::spawn(move || {
                    if let Err(e) = serve(socket, &stop, &sink, config) {
                        sink.error(e);
                    }
                }));
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => thread::sleep(POLL),
            Err(e) => {
                sink.error(format!("accept: {e}"));
                thread::sleep(POLL);
            }
        }
    }
    drop(listener);
    for connection in connections {
        connection.join().expect("a connection thread does not panic");
    }
}

/// Reads one rsyslogd connection until it closes or the intake stops. A stop reads what the
/// kernel already holds and then drops the connection, as an intake shutting down does: what
/// reached it counts, rsyslogd must notice the rest.
fn serve(
    mut socket: TcpStream,
    stop: &AtomicBool,
    sink: &Received,
    config: Arc<ServerConfig>,
) -> Result<(), String> {
    socket.set_nonblocking(false).map_err(|e| format!("blocking socket: {e}"))?;
    socket.set_read_timeout(Some(POLL)).map_err(|e| format!("read timeout: {e}"))?;
    let mut tls = ServerConnection::new(config).map_err(|e| format!("TLS session: {e}"))?;
    let mut wire = vec![0u8; 64 * 1024];
    let mut plain = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut stopping = false;
    loop {
        if !stopping && stop.load(Ordering::SeqCst) {
            stopping = true;
            socket.set_nonblocking(true).map_err(|e| format!("non-blocking socket: {e}"))?;
        }
        while tls.wants_write() {
            if tls.write_tls(&mut socket).is_err() {
                return Ok(());
            }
        }
        let n = match socket.read(&mut wire) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                if stopping {
                    return Ok(());
                }
                continue;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // rsyslogd resetting a connection is its business; the frames it completed count.
            Err(_) => return Ok(()),
        };
        let mut input = &wire[..n];
        let mut closed = false;
        while !input.is_empty() {
            tls.read_tls(&mut input).map_err(|e| format!("TLS read: {e}"))?;
            tls.process_new_packets().map_err(|e| format!("TLS: {e}"))?;
            loop {
                match tls.reader().read(&mut chunk) {
                    Ok(0) => {
                        closed = true;
                        break;
                    }
                    Ok(m) => plain.extend_from_slice(&chunk[..m]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(format!("TLS plaintext: {e}")),
                }
            }
            take_frames(&mut plain, sink)?;
        }
        if closed {
            return Ok(());
        }
    }
}

/// Moves the complete `LEN SP FRAME` units at the start of `plain` into the sink.
fn take_frames(plain: &mut Vec<u8>, sink: &Received) -> Result<(), String> {
    let at = Instant::now();
    let mut start = 0;
    let mut frames = Vec::new();
    loop {
        let rest = &plain[start..];
        let Some(space) = rest.iter().position(|&b| b == b' ') else {
            if rest.len() > 9 || !rest.iter().all(u8::is_ascii_digit) {
                return Err(format!(
                    "bad frame length: {:?}",
                    String::from_utf8_lossy(&rest[..rest.len().min(40)])
                ));
            }
            break;
        };
        let digits = &rest[..space];
        if digits.is_empty()
            || digits.len() > 9
            || !digits.iter().all(u8::is_ascii_digit)
            || digits[0] == b'0'
        {
            return Err(format!(
                "bad frame length: {:?}",
                String::from_utf8_lossy(&rest[..rest.len().min(40)])
            ));
        }
        let len: usize =
            std::str::from_utf8(digits).expect("ASCII digits").parse().expect("at most 9 digits");
        if rest.len() < space + 1 + len {
            break;
        }
        frames.push(Frame { at, bytes: rest[space + 1..space + 1 + len].to_vec() });
        start += space + 1 + len;
    }
    plain.drain(..start);
    if !frames.is_empty() {
        sink.frames().extend(frames);
    }
    Ok(())
}
