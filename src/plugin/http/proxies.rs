//! `http.trusted_proxies`: who the client really is when folk runs behind a
//! load balancer. Only a peer in a trusted range may say so, through
//! `Forwarded` (RFC 7239) or `X-Forwarded-For`/`-Proto`/`-Host`/`-Port`;
//! from anyone else those headers are plain headers and change nothing, or
//! any client could claim any address. Pure logic, unit-tested here.

use std::net::{IpAddr, SocketAddr};

use hyper::header::{HeaderMap, HeaderName};

use crate::config::Cidr;

static FORWARDED: HeaderName = HeaderName::from_static("forwarded");
static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
static X_FORWARDED_PORT: HeaderName = HeaderName::from_static("x-forwarded-port");

/// Where a request came from, as the handler should see it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Origin {
    /// The client: "ip:port" of the socket, or the forwarded address ("ip",
    /// or "ip:port" when `Forwarded` names a port).
    pub(super) remote: String,
    /// Whether the client used https (the connection's TLS, or what a trusted proxy says).
    pub(super) https: bool,
    /// The host the client asked for, when a trusted proxy says (else PHP takes the Host header).
    pub(super) server_name: Option<String>,
    /// The port the client connected to, when a trusted proxy says (else the socket's).
    pub(super) server_port: Option<u16>,
    /// The client address as an IP (for the per-client limits), if it is one.
    pub(super) ip: IpAddr,
}

pub(super) struct Proxies {
    trusted: Vec<Cidr>,
}

impl Proxies {
    pub(super) fn new(trusted: Vec<Cidr>) -> Self {
        Proxies { trusted }
    }

    /// Whether `ip` is a trusted proxy.
    pub(super) fn trusts(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|c| c.contains(ip))
    }

    /// The request's origin when `peer` is a trusted proxy (what its headers
    /// say, else the socket's); None for any other peer: the socket's is the origin.
    pub(super) fn origin(&self, peer: SocketAddr, tls: bool, headers: &HeaderMap) -> Option<Origin> {
        if self.trusted.is_empty() || !self.trusts(peer.ip()) {
            return None;
        }
        let mut o = Origin { remote: peer.to_string(), https: tls, server_name: None, server_port: None, ip: peer.ip() };
        if headers.contains_key(&FORWARDED) {
            self.apply_forwarded(&mut o, headers);
        } else {
            self.apply_x_forwarded(&mut o, headers);
        }
        Some(o)
    }

    /// RFC 7239: the right-most element whose `for` is not a trusted proxy
    /// describes the client's hop; its `proto` and `host` are what the client used.
    fn apply_forwarded(&self, o: &mut Origin, headers: &HeaderMap) {
        let text = joined(headers, &FORWARDED);
        let elements: Vec<Vec<(String, String)>> = split_quoted(&text, ',').iter().map(|e| pairs(e)).collect();
        let mut chosen = None;
        for element in elements.iter().rev() {
            let Some(node) = get(element, "for") else { break };
            match parse_node(node) {
                Some((ip, port)) => {
                    o.ip = ip;
                    o.remote = match port {
                        Some(p) => SocketAddr::new(ip, p).to_string(),
                        None => ip.to_string(),
                    };
                    chosen = Some(element);
                    if !self.trusts(ip) {
                        break;
                    }
                }
                // "unknown" or an obfuscated name: the hop before is the best we know.
                None => break,
            }
        }
        let Some(element) = chosen else { return };
        if let Some(proto) = get(element, "proto") {
            set_proto(o, proto);
        }
        if let Some(host) = get(element, "host") {
            set_host(o, host);
        }
    }

    /// `X-Forwarded-For`: the right-most address that is not a trusted proxy
    /// (each proxy appends the peer it saw). `-Proto`, `-Host` and `-Port`
    /// give the first (client-side) value, as the edge proxy saw the request.
    fn apply_x_forwarded(&self, o: &mut Origin, headers: &HeaderMap) {
        let xff = joined(headers, &X_FORWARDED_FOR);
        for item in xff.split(',').rev() {
            let Some((ip, _)) = parse_node(item.trim()) else { break };
            o.ip = ip;
            o.remote = ip.to_string();
            if !self.trusts(ip) {
                break;
            }
        }
        if let Some(proto) = first(headers, &X_FORWARDED_PROTO) {
            set_proto(o, &proto);
        }
        if let Some(host) = first(headers, &X_FORWARDED_HOST) {
            set_host(o, &host);
        }
        if let Some(port) = first(headers, &X_FORWARDED_PORT).and_then(|p| p.parse::<u16>().ok()) {
            o.server_port = Some(port);
        }
    }
}

fn set_proto(o: &mut Origin, proto: &str) {
    let https = match proto.to_ascii_lowercase().as_str() {
        "https" | "wss" => true,
        "http" | "ws" => false,
        _ => return,
    };
    o.https = https;
    // The client's port is the scheme's default unless the host or -Port says otherwise.
    o.server_port.get_or_insert(if https { 443 } else { 80 });
}

/// "example.com", "example.com:8443", "[::1]:8443"; lower case, as PHP's SERVER_NAME.
fn set_host(o: &mut Origin, host: &str) {
    let host = host.trim().to_ascii_lowercase();
    let (name, port) = if host.starts_with('[') {
        match host.find(']') {
            Some(end) => (host[..=end].to_string(), host[end + 1..].strip_prefix(':')),
            None => return,
        }
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n.to_string(), Some(p)),
            None => (host.clone(), None),
        }
    };
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._[]:".contains(&b));
    if !valid {
        return;
    }
    o.server_name = Some(name);
    if let Some(p) = port.and_then(|p| p.parse::<u16>().ok()) {
        o.server_port = Some(p);
    }
}

/// An address as `Forwarded` and `X-Forwarded-For` write it: "1.2.3.4",
/// "1.2.3.4:80", "[2001:db8::1]", "[2001:db8::1]:80", "2001:db8::1", quoted or not.
fn parse_node(s: &str) -> Option<(IpAddr, Option<u16>)> {
    let s = s.trim().trim_matches('"');
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some((ip, None));
    }
    if let Ok(a) = s.parse::<SocketAddr>() {
        return Some((a.ip(), Some(a.port())));
    }
    s.strip_prefix('[')?.strip_suffix(']')?.parse::<IpAddr>().ok().map(|ip| (ip, None))
}

/// All values of a header, joined by commas (repeated headers are one list).
fn joined(headers: &HeaderMap, name: &HeaderName) -> String {
    headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",")
}

/// The first item of a comma-separated header.
fn first(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
    let v = headers.get(name)?.to_str().ok()?;
    let item = v.split(',').next()?.trim();
    (!item.is_empty()).then(|| item.to_string())
}

/// Splits at `sep` outside double quotes.
fn split_quoted(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// `for=1.2.3.4;proto=https` → [("for", "1.2.3.4"), ("proto", "https")], names lower case, quotes removed.
fn pairs(element: &str) -> Vec<(String, String)> {
    split_quoted(element, ';')
        .into_iter()
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_string()))
        })
        .collect()
}

fn get<'a>(element: &'a [(String, String)], name: &str) -> Option<&'a str> {
    element.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use hyper::header::HeaderValue;

    use super::*;

    impl Proxies {
        fn origin_of(&self, peer: SocketAddr, tls: bool, headers: &HeaderMap) -> Origin {
            self.origin(peer, tls, headers).expect("a trusted peer")
        }
    }

    fn proxies(ranges: &[&str]) -> Proxies {
        Proxies::new(ranges.iter().map(|r| Cidr::parse(r).unwrap()).collect())
    }

    fn headers(list: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in list {
            h.append(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn peer(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    const SPOOF: &[(&str, &str)] = &[
        ("x-forwarded-for", "6.6.6.6"),
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "evil.example"),
        ("x-forwarded-port", "1"),
        ("forwarded", "for=6.6.6.7;proto=https;host=evil.example"),
    ];

    #[test]
    fn an_untrusted_peer_changes_nothing() {
        assert_eq!(proxies(&["10.0.0.0/8"]).origin(peer("192.0.2.1:5000"), false, &headers(SPOOF)), None);
        assert_eq!(proxies(&[]).origin(peer("10.0.0.1:5000"), true, &headers(SPOOF)), None);
        let silent = proxies(&["10.0.0.0/8"]).origin(peer("10.0.0.1:5000"), true, &HeaderMap::new()).unwrap();
        assert_eq!(silent, Origin { remote: "10.0.0.1:5000".into(), https: true, server_name: None, server_port: None, ip: "10.0.0.1".parse().unwrap() });
    }

    #[test]
    fn the_right_most_untrusted_forwarded_for_address_is_the_client() {
        let p = proxies(&["10.0.0.0/8", "127.0.0.1"]);
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9"), ("x-forwarded-for", "10.1.1.1")]);
        let o = p.origin_of(peer("127.0.0.1:40000"), false, &h);
        assert_eq!(o.remote, "203.0.113.9", "6.6.6.6 was written by the client itself, 10.1.1.1 is a trusted hop");
        assert_eq!(o.ip, "203.0.113.9".parse::<IpAddr>().unwrap());
        assert!(!o.https && o.server_name.is_none() && o.server_port.is_none());
        // Every hop trusted: the left-most is as far as we can see.
        let o = p.origin_of(peer("127.0.0.1:1"), false, &headers(&[("x-forwarded-for", "10.0.0.2, 10.0.0.3")]));
        assert_eq!(o.remote, "10.0.0.2");
        // Garbage stops the walk at the last trusted hop.
        let o = p.origin_of(peer("127.0.0.1:1"), false, &headers(&[("x-forwarded-for", "1.2.3.4, nonsense, 10.0.0.3")]));
        assert_eq!(o.remote, "10.0.0.3");
        let o = p.origin_of(peer("127.0.0.1:1"), false, &headers(&[("x-forwarded-for", "2001:db8::1")]));
        assert_eq!(o.remote, "2001:db8::1");
    }

    #[test]
    fn forwarded_proto_host_and_port_set_the_scheme_name_and_port() {
        let p = proxies(&["127.0.0.1"]);
        let o = p.origin_of(
            peer("127.0.0.1:1"),
            false,
            &headers(&[("x-forwarded-for", "203.0.113.9"), ("x-forwarded-proto", "https, http"), ("x-forwarded-host", "Shop.Example")]),
        );
        assert_eq!((o.https, o.server_name.as_deref(), o.server_port), (true, Some("shop.example"), Some(443)));
        let o = p.origin_of(peer("127.0.0.1:1"), true, &headers(&[("x-forwarded-proto", "http"), ("x-forwarded-host", "a.example:8080")]));
        assert_eq!((o.https, o.server_name.as_deref(), o.server_port), (false, Some("a.example"), Some(8080)));
        assert_eq!(o.remote, "127.0.0.1:1", "no X-Forwarded-For: the peer stays the client");
        let o = p.origin_of(peer("127.0.0.1:1"), false, &headers(&[("x-forwarded-proto", "https"), ("x-forwarded-port", "8443")]));
        assert_eq!((o.https, o.server_port), (true, Some(8443)));
        let o = p.origin_of(peer("127.0.0.1:1"), false, &headers(&[("x-forwarded-proto", "gopher"), ("x-forwarded-host", "bad host")]));
        assert_eq!((o.https, o.server_name, o.server_port), (false, None, None), "values that mean nothing are ignored");
    }

    #[test]
    fn rfc_7239_forwarded_wins_over_x_forwarded_and_names_the_hop() {
        let p = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let h = headers(&[
            ("forwarded", r#"for=6.6.6.6;proto=http, for="[2001:db8:cafe::17]:4711";proto=https;host=www.example"#),
            ("forwarded", "for=10.0.0.5;proto=http"),
            ("x-forwarded-for", "9.9.9.9"),
        ]);
        let o = p.origin_of(peer("127.0.0.1:1"), false, &h);
        assert_eq!(o.remote, "[2001:db8:cafe::17]:4711");
        assert_eq!((o.https, o.server_name.as_deref(), o.server_port), (true, Some("www.example"), Some(443)));
        let o = p.origin_of(peer("127.0.0.1:1"), false, &headers(&[("forwarded", "for=unknown, for=10.0.0.5;proto=https")]));
        assert_eq!((o.remote.as_str(), o.https), ("10.0.0.5", true), "an unknown hop stops the walk at the last trusted one");
        let o = p.origin_of(peer("127.0.0.1:1"), false, &headers(&[("forwarded", "For=\"192.0.2.60\";Proto=HTTPS;By=203.0.113.43")]));
        assert_eq!((o.remote.as_str(), o.https), ("192.0.2.60", true));
    }

    #[test]
    fn a_dual_stack_mapped_peer_is_matched_as_ipv4() {
        let p = proxies(&["127.0.0.1"]);
        let o = p.origin_of(peer("[::ffff:127.0.0.1]:1"), false, &headers(&[("x-forwarded-for", "203.0.113.9")]));
        assert_eq!(o.remote, "203.0.113.9");
    }
}
