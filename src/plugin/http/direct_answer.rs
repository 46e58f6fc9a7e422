//! A direct request's way through a worker: reading it off its connection
//! when the wait set reports bytes (`Ready`), and its answer (`Deliver`),
//! written by the thread that completes it, or handed to the I/O thread.

use std::io::{self, IoSlice};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use hyper::header::HeaderMap;
use hyper::{Method, Response, StatusCode, Uri};
use rustix::net::SendFlags;


use super::any_body::AnyBody;
use super::counters::HTTP_METRICS;
use super::direct_wire::{Framing, Parsed, head, parse};
use super::exchange::{error_parts, into_response, plain_bytes, take_stream_flag};
use super::streamed::StreamBody;
use super::request::Plain;
use crate::error::WorkError;
use crate::pool::waitset::Ready;
use crate::pool::stream::Receiver;
use crate::pool::{Deliver, Job, JobResult, Reply};
use super::direct::{Direct, READ, To};
use super::direct_conns::{ARMED, BUSY, Conn, PENDING, Waiting, waiting};
use super::direct_send::{Send, date};

impl Direct {
    /// Reads what arrived; None: the connection was dealt with (closed, re-armed, handed off).
    pub(super) fn read(&self, conn: &Arc<Conn>) -> Option<Job> {
        let started = tokio::time::Instant::now();
        let mut guard = conn.io();
        let io = guard.as_mut()?;
        io.buf.reserve(READ);
        // Into the buffer's spare room: nothing to zero first.
        let got = rustix::io::read(&io.stream, rustix::buffer::spare_capacity(&mut io.buf)).map_err(io::Error::from);
        match got {
            Ok(0) => {
                drop(guard);
                self.close(conn);
                return None;
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::Interrupted => {
                drop(guard);
                self.release(conn);
                return None;
            }
            Err(_) => {
                drop(guard);
                self.close(conn);
                return None;
            }
        }
        let Parsed::Request { req, close } = parse(&io.buf, self.max_body) else {
            drop(guard);
            self.hand_off(conn, To::Hyper);
            return None;
        };
        // For the access log and errors: clones that allocate nothing (a standard method, the target's shared bytes).
        let (method, uri) = (req.method().clone(), req.uri().clone());
        let Some(payload) = self.requests.direct_payload(req, &conn.peer) else {
            // Not PHP's: a static file goes to the I/O thread's file loop, the rest to hyper.
            let file = match parse(&io.buf, self.max_body) {
                Parsed::Request { mut req, .. } => matches!(self.requests.direct_plain(&mut req), Some(Plain::File(..))),
                Parsed::Hyper => false,
            };
            drop(guard);
            self.hand_off(conn, if file { To::Files } else { To::Hyper });
            return None;
        };
        io.buf.clear();
        drop(guard);
        HTTP_METRICS.direct_request();
        conn.fresh.store(false, Ordering::Release);
        let answer =
            Answer { direct: self.me.upgrade()?, conn: conn.clone(), started, close, method, uri, looked: AtomicU64::new(0), answered: false };
        Some(Job {
            method: "http".to_string(),
            payload,
            reply: Arc::new(Reply::delivered(Box::new(answer))),
            enqueued: Instant::now(),
            background: false,
        })
    }

    /// Back to the set for the next request, without a syscall; bytes that
    /// came while it was busy (PENDING: their event found it busy) have the
    /// set report it again.
    pub(super) fn release(&self, conn: &Conn) {
        conn.last.store(self.now_ms(), Ordering::Release);
        if conn.state.compare_exchange(BUSY, ARMED, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            return;
        }
        let reported = {
            let guard = conn.io();
            let (Some(io), Some(set)) = (guard.as_ref(), self.set.get()) else { return };
            conn.state.store(ARMED, Ordering::Release);
            set.rearm(&io.stream, conn.token)
        };
        if reported.is_err() && conn.state.compare_exchange(ARMED, BUSY, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            self.close(conn);
        }
    }
}

impl Ready for Direct {
    fn ready(&self, token: u64, hangup: bool) -> Option<Job> {
        let conn = self.slab().get(token)?;
        loop {
            match conn.state.load(Ordering::Acquire) {
                ARMED if conn.state.compare_exchange(ARMED, BUSY, Ordering::AcqRel, Ordering::Acquire).is_ok() => break,
                // Its owner reads again when it is done with it.
                BUSY if conn.state.compare_exchange(BUSY, PENDING, Ordering::AcqRel, Ordering::Acquire).is_ok() => return None,
                ARMED | BUSY => {}
                // Already told (PENDING), or closed since the event (GONE).
                _ => return None,
            }
        }
        let job = self.read(&conn)?;
        if hangup {
            // The client sent its request and left (as hyper's path sees an EOF):
            // the pool drops the job unrun and counts it abandoned; dropping its
            // answer closes the connection.
            job.reply.abandon();
        }
        Some(job)
    }
}

/// Where a direct request's answer goes: written by the thread that completes
/// its reply. Dropped unanswered (a job dropped unrun), it closes the connection.
pub(super) struct Answer {
    pub(super) direct: Arc<Direct>,
    pub(super) conn: Arc<Conn>,
    pub(super) started: tokio::time::Instant,
    pub(super) close: bool,
    pub(super) method: Method,
    pub(super) uri: Uri,
    /// Milliseconds after `started` of the last look at the socket (`client_gone`).
    pub(super) looked: AtomicU64,
    pub(super) answered: bool,
}

/// A request running this long has its client looked at when it sends output
/// (a `recv` peek), at most once per this long: shorter ones never pay for it.
pub(super) const LOOK_EVERY_MS: u64 = 5;

impl Drop for Answer {
    fn drop(&mut self) {
        if !self.answered {
            self.direct.close(&self.conn);
        }
    }
}

impl Deliver for Answer {
    fn client_gone(&self) -> bool {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.looked.load(Ordering::Relaxed);
        if now < last + LOOK_EVERY_MS || self.looked.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_err() {
            return false;
        }
        self.conn.io().as_ref().is_some_and(|io| matches!(waiting(&io.stream), Waiting::Gone))
    }

    fn deliver(mut self: Box<Self>, result: JobResult, reply: &Reply) {
        self.answered = true;
        let (resp, stream) = self.response(result, reply);
        let took = self.started.elapsed();
        let status = resp.status();
        self.direct.requests.observe(self.method.as_str(), self.uri.path(), status.as_u16(), took, &self.conn.peer.remote);
        let close = self.close || self.direct.closing.load(Ordering::Acquire);
        match stream {
            Some(rx) => {
                // PHP streams the body: it goes out from the I/O thread as it comes.
                let head = head(status, resp.headers(), Framing::Chunked, close, &date());
                let send = Send { head: Bytes::from(head), body: AnyBody::Stream(StreamBody::new(rx)), chunked: true, close };
                self.direct.hand_off(&self.conn, To::Answer(send));
            }
            None => {
                let head = head(status, resp.headers(), Framing::Length(resp.body().len()), close, &date());
                self.write(head, resp.into_body(), close);
            }
        }
    }
}

impl Answer {
    /// The response to a job's result, and the stream its body follows on if PHP streams it.
    pub(super) fn response(&self, result: JobResult, reply: &Reply) -> (Response<Bytes>, Option<Receiver>) {
        let failed = |status: StatusCode, headers: HeaderMap| {
            let mut r = plain_bytes(status);
            r.headers_mut().extend(headers);
            (r, None)
        };
        match result {
            Ok(mut v) => {
                let streamed = take_stream_flag(&mut v);
                match (into_response(v), streamed) {
                    (Ok(r), false) => (r, None),
                    (Ok(r), true) => match reply.take_stream() {
                        Some(rx) => (r, Some(rx)),
                        None => {
                            tracing::error!(method = %self.method, path = %self.uri.path(), "a streamed head came without its stream");
                            failed(StatusCode::INTERNAL_SERVER_ERROR, HeaderMap::new())
                        }
                    },
                    (Err(why), _) => {
                        tracing::error!(method = %self.method, path = %self.uri.path(), "the HTTP handler returned something that is not a response: {why}");
                        failed(StatusCode::INTERNAL_SERVER_ERROR, HeaderMap::new())
                    }
                }
            }
            Err(e) => {
                match &e {
                    WorkError::Busy(_) | WorkError::ShutDown => tracing::warn!(method = %self.method, path = %self.uri.path(), error = %e, "request refused"),
                    _ => tracing::error!(method = %self.method, path = %self.uri.path(), error = %e, "request failed"),
                }
                let (status, headers) = error_parts(&e);
                failed(status, headers)
            }
        }
    }

    /// Writes as much as the socket takes now; the rest goes on from the I/O thread.
    pub(super) fn write(self, head: Vec<u8>, body: Bytes, close: bool) {
        let direct = &self.direct;
        let mut done = 0;
        let total = head.len() + body.len();
        let failed = {
            let guard = self.conn.io();
            let Some(io) = guard.as_ref() else { return };
            loop {
                let parts = if done < head.len() {
                    [IoSlice::new(&head[done..]), IoSlice::new(&body)]
                } else {
                    [IoSlice::new(&body[done - head.len()..]), IoSlice::new(&[])]
                };
                match rustix::net::sendmsg(&io.stream, &parts, &mut Default::default(), SendFlags::NOSIGNAL) {
                    Ok(n) => {
                        done += n;
                        if done >= total {
                            break false;
                        }
                    }
                    Err(rustix::io::Errno::INTR) => {}
                    Err(rustix::io::Errno::AGAIN) => break false,
                    Err(_) => break true,
                }
            }
        };
        if failed || (done >= total && close) {
            return direct.close(&self.conn);
        }
        if done < total {
            // The client takes it slower than PHP made it: the rest waits within the
            // response budget (in memory, or in a temporary file past it).
            let (head, body) = if done < head.len() {
                (Bytes::from(head).slice(done..), body)
            } else {
                (Bytes::new(), body.slice(done - head.len()..))
            };
            let send = Send { head, body: AnyBody::Whole(Some(body)), chunked: false, close };
            return direct.hand_off(&self.conn, To::Answer(send));
        }
        direct.release(&self.conn);
    }
}
