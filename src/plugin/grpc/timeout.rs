//! The `grpc-timeout` request header: how long the client waits for the
//! call, "at most 8 digits and a unit" (gRPC over HTTP/2, PROTOCOL-HTTP2.md).
//! tonic's own parser is private to its transport layer, so it is here.

use std::time::Duration;

/// The timeout a `grpc-timeout` value names; None if it is malformed (the
/// call then runs without a deadline, as grpc-go does).
pub(super) fn parse(value: &[u8]) -> Option<Duration> {
    let (&unit, digits) = value.split_last()?;
    if digits.is_empty() || digits.len() > 8 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some(match unit {
        b'H' => Duration::from_secs(n * 3600),
        b'M' => Duration::from_secs(n * 60),
        b'S' => Duration::from_secs(n),
        b'm' => Duration::from_millis(n),
        b'u' => Duration::from_micros(n),
        b'n' => Duration::from_nanos(n),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_of_the_spec_is_read() {
        assert_eq!(parse(b"2H"), Some(Duration::from_secs(7200)));
        assert_eq!(parse(b"3M"), Some(Duration::from_secs(180)));
        assert_eq!(parse(b"10S"), Some(Duration::from_secs(10)));
        assert_eq!(parse(b"250m"), Some(Duration::from_millis(250)));
        assert_eq!(parse(b"99999999u"), Some(Duration::from_micros(99_999_999)));
        assert_eq!(parse(b"1n"), Some(Duration::from_nanos(1)));
    }

    #[test]
    fn malformed_values_give_no_deadline() {
        for bad in [&b""[..], b"S", b"123456789S", b"10s", b"1.5S", b"-1S", b" 1S", b"10"] {
            assert_eq!(parse(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
