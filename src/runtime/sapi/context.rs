//! The per-request context behind `SG(server_context)`: everything the SAPI
//! callbacks read (CGI variables, cookies, the body) and write (the response)
//! during one classic request on this thread.
//!
//! The callbacks reach it through a raw pointer while PHP code runs and may
//! re-enter them, so every mutable part is a `Cell`/`RefCell` borrowed only
//! for a copy, never across a call into PHP.

use std::cell::{Cell, RefCell};
use std::ffi::{CString, c_char};
use std::ptr;

use ext_php_rs::ffi::ext_php_rs_sapi_globals;

use super::cgi::{self, Vars};
use super::ini::Options;
use super::output::{Deliver, Outcome, Output, State};
use super::request::{Body, WebRequest};
use super::response::Head;
use crate::pool::stream::{Offer, SendError};

/// One CGI variable, both as registered (binary-safe) and as getenv() returns it.
pub struct CgiVar {
    pub name: CString,
    /// The value followed by a NUL, so getenv() can hand out a C string.
    value: Vec<u8>,
}

impl CgiVar {
    pub fn value(&self) -> &[u8] {
        &self.value[..self.value.len() - 1]
    }

    pub fn c_value(&self) -> *const c_char {
        self.value.as_ptr().cast()
    }
}

/// The C strings `SG(request_info)` points into for the whole request.
pub struct InfoStrings {
    pub method: CString,
    pub query: CString,
    /// php-fpm's `request_uri` is the script name.
    pub uri: CString,
    pub path_translated: CString,
    pub content_type: CString,
    pub authorization: Option<CString>,
}

pub struct Exchange {
    pub options: Options,
    pub info: InfoStrings,
    cgi: Vec<CgiVar>,
    /// PHP_VALUE / PHP_ADMIN_VALUE lines of a FastCGI request.
    ini: Vec<super::request::IniLines>,
    /// A FastCGI request php-fpm would answer without running it (404, 403).
    pub unrunnable: Option<u16>,
    cookies: Option<CString>,
    body: Body,
    read: Cell<u64>,
    out: RefCell<Output>,
}

impl Exchange {
    /// `offer`: the stream the HTTP side offered for this request, if any.
    pub fn new(mut request: WebRequest, options: Options, deliver: Deliver, offer: Option<Offer>) -> Exchange {
        // Over FastCGI the web server's bytes as sent (they need not be UTF-8).
        let query = match request.cgi.as_ref().and_then(|c| c.iter().find(|(n, _)| n == "QUERY_STRING")) {
            Some((_, v)) => c_string(v),
            None => c_string(request.query.as_bytes()),
        };
        // A FastCGI request's params are its variables: moved, not copied.
        let mut vars: Vars = match request.cgi.take() {
            Some(params) => cgi::fastcgi_variables(params, std::mem::take(&mut request.php_self)),
            None => cgi::variables(&request),
        };
        if options.frankenphp_worker {
            vars.push(("FRANKENPHP_WORKER".into(), b"1".to_vec()));
        }
        let cgi = vars
            .into_iter()
            .filter_map(|(name, mut value)| {
                value.push(0);
                Some(CgiVar { name: CString::new(name).ok()?, value })
            })
            .collect();
        let cookies = request.header("cookie").map(|v| c_string(&v.join(&b"; "[..])));
        let first = |name: &str| request.header(name).and_then(|v| v.first()).map(|v| c_string(v));
        let info = InfoStrings {
            method: c_string(request.method.as_bytes()),
            query,
            uri: c_string(&request.script.name),
            path_translated: c_string(&request.script.filename),
            // php-fpm gets "" from nginx when there is none; POST is then read raw.
            content_type: first("content-type").unwrap_or_default(),
            authorization: first("authorization"),
        };
        Exchange {
            options,
            info,
            cgi,
            ini: request.ini,
            unrunnable: request.unrunnable,
            cookies,
            body: request.body,
            read: Cell::new(0),
            out: RefCell::new(Output::new(deliver, offer)),
        }
    }

    pub fn cgi(&self) -> &[CgiVar] {
        &self.cgi
    }

    pub fn request_ini(&self) -> &[super::request::IniLines] {
        &self.ini
    }

    pub fn getenv(&self, name: &[u8]) -> Option<&CgiVar> {
        self.cgi.iter().find(|v| v.name.as_bytes() == name)
    }

    pub fn cookies(&self) -> Option<&CString> {
        self.cookies.as_ref()
    }

    pub fn content_length(&self) -> u64 {
        self.body.len()
    }

    /// Copies the next body bytes into `buf`; fewer than asked means the end.
    pub fn read_body(&self, buf: &mut [u8]) -> usize {
        let at = self.read.get();
        let n = match &self.body {
            Body::Memory(body) => {
                let at = usize::try_from(at).unwrap_or(usize::MAX).min(body.len());
                let n = buf.len().min(body.len() - at);
                buf[..n].copy_from_slice(&body[at..at + n]);
                n
            }
            // A failed read ends the body early: PHP sees a short body, as from a client that broke off.
            Body::Spooled(file) => file.read_at(at, buf).unwrap_or_else(|e| {
                tracing::error!(error = %e, "cannot read the request body back from its temporary file");
                0
            }),
        };
        self.read.set(at + n as u64);
        n
    }

    /// Output that reached the SAPI; an error: the stream broke off just now.
    pub fn write(&self, bytes: &[u8]) -> Result<(), SendError> {
        match self.out.try_borrow_mut() {
            Ok(mut out) => out.write(bytes),
            Err(_) => Ok(()),
        }
    }

    /// flush(): streams the head and the output so far (see `output`).
    pub fn flush(&self) -> Result<(), SendError> {
        match self.out.try_borrow_mut() {
            Ok(mut out) => out.flush(),
            Err(_) => Ok(()),
        }
    }

    pub fn set_head(&self, head: Head) {
        if let Ok(mut out) = self.out.try_borrow_mut() {
            out.set_head(head);
        }
    }

    pub fn is_delivered(&self) -> bool {
        self.out.try_borrow().is_ok_and(|out| out.state() == State::Finished)
    }

    /// Answers the client with the response so far; later output is dropped.
    /// False if it was answered already.
    pub fn deliver_now(&self) -> bool {
        self.out.try_borrow_mut().is_ok_and(|mut out| out.finish())
    }

    /// How the output ended, at the end of the request.
    pub fn into_outcome(self) -> Outcome {
        self.out.into_inner().into_outcome()
    }
}


thread_local! {
    /// The exchange this thread's `SG(server_context)` points to, if folk set it.
    static BOUND: Cell<*const Exchange> = const { Cell::new(ptr::null()) };
}

/// The exchange of the folk request running on this thread, if any. Keyed
/// on `SG(server_context)`: NULL (every CLI thread, `Folk\Pool` workers)
/// means none; a non-NULL value folk did not set (folk loaded into another
/// SAPI) is not folk's either.
pub fn current<'a>() -> Option<&'a Exchange> {
    // SAFETY: the SAPI globals of the calling PHP thread; only the pointer field is read.
    let context = unsafe { (*ext_php_rs_sapi_globals()).server_context } as *const Exchange;
    if context.is_null() || BOUND.try_with(Cell::get).ok()? != context {
        return None;
    }
    // SAFETY: `bind` stored a pointer to an Exchange that its owner keeps alive, and does not move, until `unbind`.
    unsafe { context.as_ref() }
}

/// Points this thread's `SG(server_context)` at `exchange`, which must stay
/// where it is until `unbind()`.
pub fn bind(exchange: &Exchange) {
    let p: *const Exchange = exchange;
    BOUND.with(|b| b.set(p));
    // SAFETY: this thread's SAPI globals; folk's request code is the only writer of server_context on its threads.
    unsafe { (*ext_php_rs_sapi_globals()).server_context = p.cast_mut().cast() };
}

/// Clears `SG(server_context)`: the thread is back to CLI behaviour.
pub fn unbind() {
    // SAFETY: as in `bind`.
    unsafe { (*ext_php_rs_sapi_globals()).server_context = ptr::null_mut() };
    BOUND.with(|b| b.set(ptr::null()));
}

/// A C string of `bytes` up to any NUL (PHP reads these with strlen).
fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use crate::bridge::Value;

    use super::*;
    use crate::runtime::sapi::request::Script;

    fn exchange(deliver: Deliver) -> Exchange {
        let request = WebRequest {
            method: "POST".into(),
            target: "/a.php".into(),
            path: "/a.php".into(),
            protocol: "HTTP/1.1".into(),
            headers: vec![
                ("cookie".into(), vec![b"a=1".to_vec(), b"b=2".to_vec()]),
                ("content-type".into(), vec![b"text/plain".to_vec()]),
                ("authorization".into(), vec![b"Basic dTpw".to_vec()]),
            ],
            body: Body::Memory(b"0123456789".to_vec()),
            script: Script { filename: b"/srv/a.php".to_vec(), name: b"/a.php".to_vec(), ..Script::default() },
            ..WebRequest::default()
        };
        Exchange::new(request, Options::default(), deliver, None)
    }

    #[test]
    fn the_body_is_read_in_full_blocks_then_a_short_one() {
        let ex = exchange(Box::new(|_| {}));
        let mut buf = [0u8; 4];
        assert_eq!(ex.read_body(&mut buf), 4);
        assert_eq!(&buf, b"0123");
        assert_eq!(ex.read_body(&mut buf), 4);
        assert_eq!(ex.read_body(&mut buf), 2);
        assert_eq!(&buf[..2], b"89");
        assert_eq!(ex.read_body(&mut buf), 0);
        assert_eq!(ex.content_length(), 10);
    }

    #[test]
    fn cookies_are_joined_and_request_info_strings_set() {
        let ex = exchange(Box::new(|_| {}));
        assert_eq!(ex.cookies().unwrap().to_bytes(), b"a=1; b=2");
        assert_eq!(ex.info.method.to_bytes(), b"POST");
        assert_eq!(ex.info.uri.to_bytes(), b"/a.php");
        assert_eq!(ex.info.path_translated.to_bytes(), b"/srv/a.php");
        assert_eq!(ex.info.content_type.to_bytes(), b"text/plain");
        assert_eq!(ex.info.authorization.as_ref().unwrap().to_bytes(), b"Basic dTpw");
    }

    #[test]
    fn getenv_answers_request_variables_as_c_strings() {
        let ex = exchange(Box::new(|_| {}));
        let var = ex.getenv(b"REQUEST_METHOD").unwrap();
        assert_eq!(var.value(), b"POST");
        // SAFETY: c_value points at the NUL-terminated copy the exchange owns.
        assert_eq!(unsafe { std::ffi::CStr::from_ptr(var.c_value()) }.to_bytes(), b"POST");
        assert!(ex.getenv(b"PATH").is_none());
    }

    #[test]
    fn delivering_early_sends_the_output_so_far_once_and_drops_the_rest() {
        let got: Rc<RefCell<Vec<Value>>> = Rc::default();
        let sink = got.clone();
        let ex = exchange(Box::new(move |v| sink.borrow_mut().push(v)));
        ex.set_head(Head { status: 201, headers: vec![] });
        ex.write(b"sent").unwrap();
        assert!(ex.deliver_now());
        assert!(!ex.deliver_now());
        ex.write(b"dropped").unwrap();
        assert!(ex.is_delivered());
        assert!(matches!(ex.into_outcome(), Outcome::Answered));
        let got = got.borrow();
        assert_eq!(got.len(), 1);
        let Value::Map(entries) = &got[0] else { panic!("not a map") };
        assert_eq!(entries[0].1, Value::Int(201));
        assert_eq!(entries[2].1, Value::str("sent"));
    }
}
