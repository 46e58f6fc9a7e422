//! What one client may hold: `http.client_connections` (open connections per
//! client address, counted at accept, so a trusted proxy, which carries many
//! clients, is exempt) and `http.client_rate` (requests per second per client
//! address, after `http.trusted_proxies`, as a token bucket that holds one
//! second's worth). Both off by default; `http.max_connections` still caps the total.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

/// Buckets are swept of clients that are back to full once the map grows past
/// this (then twice what was left), so a scan of many addresses costs memory only briefly.
const SWEEP_AT: usize = 4096;

pub(super) struct ClientLimits {
    max_connections: usize,
    rate: u64,
    open: Mutex<HashMap<IpAddr, usize>>,
    buckets: Mutex<Buckets>,
}

struct Buckets {
    map: HashMap<IpAddr, Bucket>,
    sweep_at: usize,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// One open connection of a client; the count drops with it.
pub(super) struct ClientConnection {
    limits: Arc<ClientLimits>,
    ip: IpAddr,
}

impl Drop for ClientConnection {
    fn drop(&mut self) {
        let mut open = lock(&self.limits.open);
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The address a client is counted under: an IPv4-mapped IPv6 address is its IPv4 one.
fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl ClientLimits {
    pub(super) fn new(max_connections: usize, rate: u64) -> Arc<Self> {
        Arc::new(ClientLimits {
            max_connections,
            rate,
            open: Mutex::new(HashMap::new()),
            buckets: Mutex::new(Buckets { map: HashMap::new(), sweep_at: SWEEP_AT }),
        })
    }

    /// Counts a new connection from `ip`: Ok(None) when there is no cap,
    /// Err(()) when the client already holds `http.client_connections`.
    pub(super) fn connect(self: &Arc<Self>, ip: IpAddr) -> Result<Option<ClientConnection>, ()> {
        if self.max_connections == 0 {
            return Ok(None);
        }
        let ip = key(ip);
        let mut open = lock(&self.open);
        let n = open.entry(ip).or_insert(0);
        if *n >= self.max_connections {
            return Err(());
        }
        *n += 1;
        Ok(Some(ClientConnection { limits: self.clone(), ip }))
    }

    /// Takes one request from `ip`'s allowance; Err(wait) says how long
    /// until the next would be allowed.
    pub(super) fn request(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        if self.rate == 0 {
            return Ok(());
        }
        let rate = self.rate as f64;
        let mut b = lock(&self.buckets);
        if b.map.len() >= b.sweep_at {
            b.map.retain(|_, v| v.tokens + now.saturating_duration_since(v.at).as_secs_f64() * rate < rate);
            b.sweep_at = (b.map.len() * 2).max(SWEEP_AT);
        }
        let bucket = b.map.entry(key(ip)).or_insert(Bucket { tokens: rate, at: now });
        bucket.tokens = (bucket.tokens + now.saturating_duration_since(bucket.at).as_secs_f64() * rate).min(rate);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_client_holds_at_most_its_connections_and_gets_them_back_when_they_close() {
        let l = ClientLimits::new(2, 0);
        let a = l.connect(ip("10.0.0.1")).unwrap().unwrap();
        let _b = l.connect(ip("::ffff:10.0.0.1")).unwrap().unwrap();
        assert!(l.connect(ip("10.0.0.1")).is_err(), "a third is refused, mapped or not");
        assert!(l.connect(ip("10.0.0.2")).unwrap().is_some(), "another client is not affected");
        drop(a);
        assert!(l.connect(ip("10.0.0.1")).is_ok());
        assert!(ClientLimits::new(0, 0).connect(ip("10.0.0.1")).unwrap().is_none(), "0: no cap");
    }

    #[test]
    fn a_client_gets_one_seconds_worth_at_once_then_its_rate() {
        let l = ClientLimits::new(0, 10);
        let t = Instant::now();
        for i in 0..10 {
            assert!(l.request(ip("10.0.0.1"), t).is_ok(), "request {i} of the burst");
        }
        let wait = l.request(ip("10.0.0.1"), t).unwrap_err();
        assert!(wait <= Duration::from_millis(100) && wait > Duration::ZERO, "{wait:?}");
        assert!(l.request(ip("10.0.0.2"), t).is_ok(), "another client has its own allowance");
        assert!(l.request(ip("10.0.0.1"), t + Duration::from_millis(100)).is_ok(), "one token back after 1/rate");
        assert!(l.request(ip("10.0.0.1"), t + Duration::from_millis(100)).is_err());
        assert!(ClientLimits::new(0, 0).request(ip("10.0.0.1"), t).is_ok());
    }

    #[test]
    fn idle_clients_are_swept_from_the_buckets() {
        let l = ClientLimits::new(0, 5);
        let t = Instant::now();
        for i in 0..SWEEP_AT as u32 {
            l.request(IpAddr::V4(i.into()), t).unwrap();
        }
        l.request(ip("10.0.0.1"), t + Duration::from_secs(2)).unwrap();
        assert_eq!(lock(&l.buckets).map.len(), 1, "the refilled ones were swept");
    }
}
