//! `http.tls.*`: HTTPS on `http.listen` with rustls (ring provider, TLS 1.2
//! and 1.3 only), HTTP/2 or HTTP/1.1 chosen by ALPN. The certificate is
//! checked when the server starts (readable, not expired, matching its key:
//! a mistake stops the start with the file named, instead of failing every
//! handshake), and re-read on SIGHUP: new connections get the new one, open
//! ones keep theirs. Also the optional plain listener that sends clients to https.

use std::convert::Infallible;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HOST, HeaderValue, LOCATION};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use super::exchange::plain;
use crate::config::TlsConfig;
use crate::plugin::net::{self, Connections, flipped, stopped};

/// The certificate and key files, and the acceptor whose certificate SIGHUP swaps.
pub(crate) struct Tls {
    /// The config section the files come from ("http", "grpc"), for the messages.
    section: &'static str,
    cert: PathBuf,
    key: PathBuf,
    current: Arc<Current>,
    acceptor: TlsAcceptor,
}

/// The certificate new handshakes get.
struct Current(RwLock<Arc<CertifiedKey>>);

impl fmt::Debug for Current {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("folk TLS certificate")
    }
}

impl ResolvesServerCert for Current {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.read().unwrap_or_else(|e| e.into_inner()).clone())
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl Tls {
    /// None without `http.tls.cert` and `http.tls.key`; an error names the file at fault.
    pub(super) fn from_config(cfg: &TlsConfig) -> Result<Option<Tls>, String> {
        Self::for_section(cfg, "http", &[b"h2", b"http/1.1"])
    }

    /// `section.tls.*` offering `alpn` (the gRPC plugin's: h2 only); None without both files.
    pub(crate) fn for_section(cfg: &TlsConfig, section: &'static str, alpn: &[&[u8]]) -> Result<Option<Tls>, String> {
        let (cert, key) = match (&cfg.cert, &cfg.key) {
            (None, None) if cfg.redirect_listen.is_some() => {
                return Err("http.tls.redirect_listen needs http.tls.cert and http.tls.key (it sends clients to https)".into());
            }
            (None, None) => return Ok(None),
            (Some(_), None) => return Err(format!("{section}.tls.cert is set but {section}.tls.key is not: set both, or neither")),
            (None, Some(_)) => return Err(format!("{section}.tls.key is set but {section}.tls.cert is not: set both, or neither")),
            (Some(c), Some(k)) => (c.clone(), k.clone()),
        };
        let loaded = load(section, &cert, &key, SystemTime::now())?;
        let current = Arc::new(Current(RwLock::new(loaded)));
        let mut config = rustls::ServerConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| format!("TLS set-up: {e}"))?
            .with_no_client_auth()
            .with_cert_resolver(current.clone());
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(Some(Tls { section, cert, key, current, acceptor: TlsAcceptor::from(Arc::new(config)) }))
    }

    pub(crate) fn acceptor(&self) -> &TlsAcceptor {
        &self.acceptor
    }

    /// Re-reads both files; on any error the certificate in use stays (and the error is logged).
    pub(super) fn reload(&self) {
        match load(self.section, &self.cert, &self.key, SystemTime::now()) {
            Ok(k) => {
                *self.current.0.write().unwrap_or_else(|e| e.into_inner()) = k;
                tracing::info!(cert = %self.cert.display(), "SIGHUP: TLS certificate re-read; new connections use it");
            }
            Err(e) => tracing::error!("SIGHUP: TLS certificate not replaced, the old one stays in use: {e}"),
        }
    }

    /// Re-reads the certificate on every reload of the server (SIGHUP, beside the workers') until `stop`.
    pub(crate) async fn reload_on_sighup(self: Arc<Self>, mut reloads: watch::Receiver<u64>, mut stop: watch::Receiver<bool>) {
        loop {
            tokio::select! {
                _ = stopped(&mut stop) => return,
                r = reloads.changed() => match r {
                    Ok(()) => self.reload(),
                    Err(_) => return,
                },
            }
        }
    }
}

/// Reads and checks a certificate chain and its key.
fn load(section: &str, cert: &Path, key: &Path, now: SystemTime) -> Result<Arc<CertifiedKey>, String> {
    let shown = |p: &Path| p.display().to_string();
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| format!("{section}.tls.cert {}: cannot read: {e}", shown(cert)))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{section}.tls.cert {}: not a PEM certificate file: {e}", shown(cert)))?;
    let Some(leaf) = chain.first() else {
        return Err(format!("{section}.tls.cert {}: no certificate in it (expected -----BEGIN CERTIFICATE-----)", shown(cert)));
    };
    let (not_before, not_after) =
        validity(leaf).ok_or_else(|| format!("{section}.tls.cert {}: the first certificate is not a valid X.509 certificate", shown(cert)))?;
    let now_secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    if now_secs > not_after {
        return Err(format!("{section}.tls.cert {}: the certificate expired on {}", shown(cert), show_time(not_after)));
    }
    if now_secs < not_before {
        return Err(format!("{section}.tls.cert {}: the certificate is not valid before {}", shown(cert), show_time(not_before)));
    }
    let private = PrivateKeyDer::from_pem_file(key).map_err(|e| match e {
        rustls::pki_types::pem::Error::NoItemsFound => {
            format!("{section}.tls.key {}: no private key in it (expected -----BEGIN PRIVATE KEY----- or an RSA/EC key)", shown(key))
        }
        e => format!("{section}.tls.key {}: cannot read a private key: {e}", shown(key)),
    })?;
    let signing = provider()
        .key_provider
        .load_private_key(private)
        .map_err(|e| format!("{section}.tls.key {}: unusable private key: {e}", shown(key)))?;
    let certified = CertifiedKey::new(chain, signing);
    match certified.keys_match() {
        Ok(()) | Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::Unknown)) => Ok(Arc::new(certified)),
        Err(rustls::Error::InconsistentKeys(_)) => {
            Err(format!("{section}.tls.key {} does not match the certificate in {section}.tls.cert {}", shown(key), shown(cert)))
        }
        Err(e) => Err(format!("{section}.tls.cert {}: {e}", shown(cert))),
    }
}

/// One DER element: (tag, contents, what follows).
fn tlv(d: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = d.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        (rest[..n].iter().fold(0usize, |a, &b| (a << 8) | b as usize), &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// notBefore and notAfter of an X.509 certificate, as Unix seconds.
fn validity(cert: &[u8]) -> Option<(i64, i64)> {
    let (0x30, cert, _) = tlv(cert)? else { return None };
    let (0x30, tbs, _) = tlv(cert)? else { return None };
    let mut rest = tbs;
    let (tag, _, r) = tlv(rest)?;
    if tag == 0xa0 {
        rest = r; // [0] version
    }
    for _ in 0..3 {
        rest = tlv(rest)?.2; // serialNumber, signature, issuer
    }
    let (0x30, validity, _) = tlv(rest)? else { return None };
    let (t1, before, r) = tlv(validity)?;
    let (t2, after, _) = tlv(r)?;
    Some((asn1_time(t1, before)?, asn1_time(t2, after)?))
}

/// UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) as Unix seconds.
fn asn1_time(tag: u8, s: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(s).ok()?.strip_suffix('Z')?;
    let (year, rest) = match tag {
        0x17 if s.len() == 12 => {
            let yy: i64 = s[..2].parse().ok()?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        0x18 if s.len() == 14 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    let n = |i: usize| rest.get(i..i + 2)?.parse::<i64>().ok();
    let (month, day, h, m, sec) = (n(0)?, n(2)?, n(4)?, n(6)?, n(8)?);
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn show_time(secs: i64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64))
}

/// `http.tls.redirect_listen`: every request gets a 308 to the same host and
/// path on https (the port of `http.listen`, left out when it is 443).
pub(super) async fn redirect(listener: TcpListener, https_port: u16, mut shutdown: watch::Receiver<bool>, mut stop: watch::Receiver<bool>) {
    let conns = Connections::new();
    let builder = Arc::new({
        let mut b = auto::Builder::new(TokioExecutor::new());
        b.http1().keep_alive(false).header_read_timeout(Some(Duration::from_secs(10))).timer(hyper_util::rt::TokioTimer::new());
        b
    });
    loop {
        tokio::select! {
            _ = flipped(&mut shutdown) => break,
            _ = stopped(&mut stop) => break,
            r = listener.accept() => {
                let Ok((stream, _)) = r else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let (signal, builder) = (conns.track(), builder.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |req| async move { Ok::<_, Infallible>(to_https(&req, https_port)) });
                    let _ = net::serve(builder.serve_connection(TokioIo::new(stream), service), signal, std::future::pending()).await;
                });
            }
        }
    }
    conns.drain(listener, Duration::from_secs(1), |_| {}).await;
}

fn to_https<B>(req: &Request<B>, https_port: u16) -> Response<Full<Bytes>> {
    let host = req.headers().get(HOST).and_then(|h| h.to_str().ok()).or_else(|| req.uri().host()).unwrap_or("");
    // The host without its port; a bracketed IPv6 address keeps its brackets.
    let name = match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => &host[..i],
        _ => host,
    };
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._[]:".contains(&b)) {
        return plain(StatusCode::BAD_REQUEST);
    }
    let port = if https_port == 443 { String::new() } else { format!(":{https_port}") };
    let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let mut r = plain(StatusCode::PERMANENT_REDIRECT);
    match HeaderValue::from_str(&format!("https://{name}{port}{target}")) {
        Ok(v) => {
            r.headers_mut().insert(LOCATION, v);
            r
        }
        Err(_) => plain(StatusCode::BAD_REQUEST),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asn1_times_become_unix_seconds() {
        assert_eq!(asn1_time(0x17, b"700101000000Z"), Some(0));
        assert_eq!(asn1_time(0x17, b"491231235959Z"), Some(2_524_607_999));
        assert_eq!(asn1_time(0x18, b"20380119031408Z"), Some(2_147_483_648));
        assert_eq!(asn1_time(0x17, b"7001010000Z"), None);
        assert_eq!(asn1_time(0x17, b"700101000000"), None);
    }

    #[test]
    fn the_redirect_keeps_host_and_target_and_names_the_https_port() {
        let req = |host: &str, uri: &str| Request::builder().uri(uri).header(HOST, host).body(()).unwrap();
        let r = to_https(&req("example.com:8080", "/a/b?c=1"), 8443);
        assert_eq!((r.status(), &r.headers()[LOCATION]), (StatusCode::PERMANENT_REDIRECT, &HeaderValue::from_static("https://example.com:8443/a/b?c=1")));
        let r = to_https(&req("[::1]:80", "/"), 443);
        assert_eq!(r.headers()[LOCATION], "https://[::1]/");
        assert_eq!(to_https(&req("evil.example\"><script>", "/"), 443).status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn missing_half_of_the_pair_is_refused_by_name() {
        let only_cert = TlsConfig { cert: Some("/x.pem".into()), ..TlsConfig::default() };
        assert!(Tls::from_config(&only_cert).err().unwrap().contains("http.tls.key is not"));
        let redirect_alone = TlsConfig { redirect_listen: Some("127.0.0.1:1".parse().unwrap()), ..TlsConfig::default() };
        assert!(Tls::from_config(&redirect_alone).err().unwrap().contains("http.tls.redirect_listen needs"));
        let missing = TlsConfig { cert: Some("/nonexistent/c.pem".into()), key: Some("/nonexistent/k.pem".into()), ..TlsConfig::default() };
        let e = Tls::from_config(&missing).err().unwrap();
        assert!(e.starts_with("http.tls.cert /nonexistent/c.pem: cannot read"), "{e}");
    }
}
