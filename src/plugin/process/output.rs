//! A side process's output, line by line, into folk's log with its
//! `[name.N]` prefix: stdout at INFO, stderr at WARN. Lines longer than 16 KiB
//! are split; invalid UTF-8 is replaced. Reads block, so a child whose output
//! nobody takes waits on its full pipe: no line is dropped.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// Longest line logged as one; longer ones are split.
const MAX_LINE: usize = 16 << 10;

#[derive(Clone, Copy)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// The readers of one run; `finish` waits (bounded) until they logged everything.
pub struct Readers {
    done: Receiver<()>,
    count: usize,
}

impl Readers {
    pub fn start(prefix: &str, streams: Vec<(Stream, Box<dyn Read + Send>)>) -> Readers {
        let (tx, done) = channel();
        let count = streams.len();
        for (stream, r) in streams {
            let (name, tx): (String, Sender<()>) = (prefix.to_string(), tx.clone());
            let spawned = std::thread::Builder::new().name("folk-process-out".into()).spawn(move || {
                crate::runtime::signals::block_async_signals();
                copy_lines(r, |line| log(&name, stream, line));
                let _ = tx.send(());
            });
            if let Err(e) = spawned {
                tracing::warn!("[{prefix}] cannot read its output: {e}");
            }
        }
        Readers { done, count }
    }

    /// Waits up to `limit` for the output to end (a process it started may keep the pipe open).
    pub fn finish(self, limit: Duration) {
        let deadline = Instant::now() + limit;
        for _ in 0..self.count {
            if self.done.recv_timeout(deadline.saturating_duration_since(Instant::now())).is_err() {
                return;
            }
        }
    }
}

fn log(prefix: &str, stream: Stream, line: &[u8]) {
    let text = String::from_utf8_lossy(line);
    match stream {
        Stream::Stdout => tracing::info!(target: "folk::process", "[{prefix}] {text}"),
        Stream::Stderr => tracing::warn!(target: "folk::process", "[{prefix}] {text}"),
    }
}

/// Calls `emit` with each line of `r` (without its line ending), at most `MAX_LINE` bytes each.
fn copy_lines(r: impl Read, mut emit: impl FnMut(&[u8])) {
    let mut r = BufReader::with_capacity(MAX_LINE, r);
    let mut line = Vec::new();
    let mut flush = |line: &mut Vec<u8>| {
        let mut end = line.len();
        while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        emit(&line[..end]);
        line.clear();
    };
    loop {
        let buf = match r.fill_buf() {
            Ok([]) => break,
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let n = buf.iter().position(|&b| b == b'\n').map_or(buf.len(), |i| i + 1).min(MAX_LINE - line.len());
        line.extend_from_slice(&buf[..n]);
        r.consume(n);
        if line.last() == Some(&b'\n') || line.len() >= MAX_LINE {
            flush(&mut line);
        }
    }
    if !line.is_empty() {
        flush(&mut line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        copy_lines(input, |l| out.push(l.to_vec()));
        out
    }

    #[test]
    fn lines_lose_their_ending_a_last_partial_line_is_kept_and_long_lines_are_split() {
        assert_eq!(lines(b"a\r\nb\n\nc"), [b"a".to_vec(), b"b".to_vec(), b"".to_vec(), b"c".to_vec()]);
        let long = vec![b'x'; MAX_LINE * 2 + 5];
        let got = lines(&[long.as_slice(), b"\nok\n"].concat());
        assert_eq!(got.iter().map(Vec::len).collect::<Vec<_>>(), [MAX_LINE, MAX_LINE, 5, 2]);
    }
}
