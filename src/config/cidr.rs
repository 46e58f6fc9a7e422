//! Address ranges in CIDR notation ("10.0.0.0/8", "::1", "fd00::/8"), for
//! `http.trusted_proxies`: parsed once when the configuration is read, so a
//! typo is refused at start-up with the key named, never found per request.

use std::fmt;
use std::net::IpAddr;

/// One address range: the network and its prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// "10.0.0.0/8", "192.168.1.7" (a /32), "::1" (a /128), "fd00::/8".
    /// Bits beyond the prefix must be zero: "10.0.0.1/8" is refused, since
    /// it is usually a mistake for "10.0.0.1/32" or "10.0.0.0/8".
    pub fn parse(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let net: IpAddr = addr.trim_matches(|c| c == '[' || c == ']').parse().map_err(|_| format!("\"{s}\" is not an IP address or CIDR range"))?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("\"{s}\": the prefix length must be 0 to {max}"))?,
        };
        let c = Cidr { net, prefix };
        if c.mask(net) != net {
            return Err(format!("\"{s}\" has bits set beyond its /{prefix} prefix (the network is {}/{prefix})", c.mask(net)));
        }
        Ok(c)
    }

    /// Whether `ip` is in the range. An IPv4-mapped IPv6 address
    /// (`::ffff:10.0.0.1`, what a dual-stack socket reports) counts as its IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        ip.is_ipv4() == self.net.is_ipv4() && self.mask(ip) == self.net
    }

    fn mask(&self, ip: IpAddr) -> IpAddr {
        match ip {
            IpAddr::V4(a) => {
                let m = if self.prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(self.prefix)) };
                IpAddr::V4((u32::from(a) & m).into())
            }
            IpAddr::V6(a) => {
                let m = if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
                IpAddr::V6((u128::from(a) & m).into())
            }
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.net, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_contain_their_addresses_only() {
        let c = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(c.contains(ip("10.255.1.2")));
        assert!(!c.contains(ip("11.0.0.1")));
        assert!(c.contains(ip("::ffff:10.1.2.3")), "an IPv4-mapped address is its IPv4 address");
        assert!(!c.contains(ip("::1")));
        let one = Cidr::parse("127.0.0.1").unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6 = Cidr::parse("fd00::/8").unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(Cidr::parse("[::1]").unwrap().contains(ip("::1")));
    }

    #[test]
    fn malformed_ranges_are_refused_with_the_reason() {
        for (bad, why) in [
            ("10.0.0.0/33", "prefix length must be 0 to 32"),
            ("::/129", "prefix length must be 0 to 128"),
            ("10.0.0.1/8", "bits set beyond its /8 prefix (the network is 10.0.0.0/8)"),
            ("10.0.0/8", "not an IP address"),
            ("localhost", "not an IP address"),
            ("10.0.0.0/x", "prefix length"),
            ("", "not an IP address"),
        ] {
            let e = Cidr::parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
