//! Test support shared by the plugins' tests: a mock-runtime pool with a tokio
//! runtime and a plugin context (`Harness`), the HTTP plugin booted on one
//! (`Fixture`), and a raw HTTP/1.1 client that shows exactly what went over the wire.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::http::HttpPlugin;
use super::{Plugin, PluginContext};
use crate::config::{HttpConfig, PoolConfig};
use crate::pool::Pool;
use crate::pool::mock::{self, MockRuntime};

/// A mock-runtime pool, a tokio runtime and the context a plugin boots with.
pub(crate) struct Harness {
    pub ctx: PluginContext,
    pub shutdown_tx: watch::Sender<bool>,
    pool: Option<Pool>,
    rt: Option<tokio::runtime::Runtime>,
}

impl Harness {
    /// Two mock workers with short limits, so a test that fails, fails fast.
    pub(crate) fn pool_config() -> PoolConfig {
        let defaults = PoolConfig::default();
        PoolConfig {
            worker: "mock".into(),
            workers: crate::config::WorkersConfig {
                count: 2,
                exec_timeout: Some(Duration::from_secs(5)),
                boot_timeout: Duration::from_secs(2),
                ..defaults.workers
            },
            queue: crate::config::QueueConfig { timeout: Some(Duration::from_secs(5)), ..defaults.queue },
            shutdown_timeout: Duration::from_secs(1),
        }
    }

    pub(crate) fn start(mock: Arc<MockRuntime>, pool: PoolConfig) -> Harness {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let pool = Pool::start(pool, mock).unwrap();
        let (shutdown_tx, shutdown) = watch::channel(false);
        let (reloader, reloads) = crate::plugin::Reloader::new(pool.handle());
        let ctx = PluginContext {
            pool: pool.handle(),
            runtime: rt.handle().clone(),
            shutdown,
            shutdown_timeout: Duration::from_secs(3),
            reloads,
            reloader,
        };
        Harness { ctx, shutdown_tx, pool: Some(pool), rt: Some(rt) }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.shutdown_tx.send_replace(true);
        if let Some(p) = self.pool.take() {
            p.shutdown(Duration::from_millis(500));
        }
        if let Some(rt) = self.rt.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// A harness with the HTTP plugin booted on 127.0.0.1:0.
pub(crate) struct Fixture {
    pub plugin: HttpPlugin,
    harness: Harness,
}

impl Fixture {
    pub(crate) fn start(tune: impl FnOnce(&mut PoolConfig, &mut HttpConfig)) -> Fixture {
        Self::with_runtime(mock::runtime(), tune)
    }

    pub(crate) fn with_runtime(mock: Arc<MockRuntime>, tune: impl FnOnce(&mut PoolConfig, &mut HttpConfig)) -> Fixture {
        let mut pc = Harness::pool_config();
        let mut hc = HttpConfig { listen: "127.0.0.1:0".parse().unwrap(), ..HttpConfig::default() };
        tune(&mut pc, &mut hc);
        let harness = Harness::start(mock, pc);
        let mut plugin = HttpPlugin::new(hc, false);
        plugin.boot(&harness.ctx).unwrap();
        Fixture { plugin, harness }
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.plugin.local_addr().unwrap()
    }
}

impl Deref for Fixture {
    type Target = Harness;
    fn deref(&self) -> &Harness {
        &self.harness
    }
}

impl DerefMut for Fixture {
    fn deref_mut(&mut self) -> &mut Harness {
        &mut self.harness
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        // The plugin drains before the harness stops the pool under it.
        self.harness.shutdown_tx.send_replace(true);
        self.plugin.shutdown();
    }
}


#[derive(Debug)]
pub(crate) struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub(crate) fn connect(addr: SocketAddr) -> std::net::TcpStream {
    let s = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

/// Reads one response (Content-Length or chunked framing; otherwise to EOF).
pub(crate) fn read_response(r: &mut impl BufRead) -> io::Result<Resp> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed before a response"));
    }
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("bad status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (n, v) = l.split_once(':').unwrap();
        headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let mut resp = Resp { status, headers, body: Vec::new() };
    if let Some(n) = resp.header("content-length") {
        let mut body = vec![0; n.parse().unwrap()];
        r.read_exact(&mut body)?;
        resp.body = body;
    } else if resp.header("transfer-encoding") == Some("chunked") {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).unwrap();
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            resp.body.extend_from_slice(&chunk[..n]);
        }
    } else if !matches!(status, 204 | 304) {
        r.read_to_end(&mut resp.body)?;
    }
    Ok(resp)
}

/// One request with raw bytes, one response, connection closed.
pub(crate) fn raw(addr: SocketAddr, request: &[u8]) -> io::Result<Resp> {
    let mut s = connect(addr);
    s.write_all(request)?;
    read_response(&mut BufReader::new(s))
}

pub(crate) fn get(addr: SocketAddr, path: &str) -> Resp {
    raw(addr, format!("GET {path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n").as_bytes()).unwrap()
}

/// Reads until EOF; returns what arrived and how long it took.
pub(crate) fn read_until_closed(s: &mut std::net::TcpStream) -> (Vec<u8>, Duration) {
    let t = std::time::Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("connection not closed: {e} after {:?}", t.elapsed()),
        }
    }
    (out, t.elapsed())
}
