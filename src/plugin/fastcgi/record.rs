//! The FastCGI 1.0 wire format for the responder role, as php-fpm speaks it to
//! a web server: record framing (an incremental `Decoder`), the BEGIN_REQUEST
//! body, name-value pairs (params may be split across PARAMS records), and the
//! records a responder writes back. Bytes in, bytes out: no sockets here.
// The spec's whole vocabulary is here; the server uses part of it (no
// filter or authorizer role, no STDERR).
#![allow(dead_code)]

use bytes::{Buf, Bytes, BytesMut};

/// The only protocol version there is (`version` byte of every header).
pub const FCGI_VERSION_1: u8 = 1;
/// Bytes in a record header.
pub const FCGI_HEADER_LEN: usize = 8;
/// Most content bytes one record can carry (the length field is 16 bits).
pub const FCGI_MAX_CONTENT_LEN: usize = 0xffff;
/// Request id of management records (GET_VALUES, UNKNOWN_TYPE).
pub const FCGI_NULL_REQUEST_ID: u16 = 0;

/// Record types (`Record::kind`).
pub const FCGI_BEGIN_REQUEST: u8 = 1;
pub const FCGI_ABORT_REQUEST: u8 = 2;
pub const FCGI_END_REQUEST: u8 = 3;
pub const FCGI_PARAMS: u8 = 4;
pub const FCGI_STDIN: u8 = 5;
pub const FCGI_STDOUT: u8 = 6;
pub const FCGI_STDERR: u8 = 7;
pub const FCGI_DATA: u8 = 8;
pub const FCGI_GET_VALUES: u8 = 9;
pub const FCGI_GET_VALUES_RESULT: u8 = 10;
pub const FCGI_UNKNOWN_TYPE: u8 = 11;

/// Roles a BEGIN_REQUEST asks for (`BeginRequest::role`).
pub const FCGI_RESPONDER: u16 = 1;
pub const FCGI_AUTHORIZER: u16 = 2;
pub const FCGI_FILTER: u16 = 3;

/// BEGIN_REQUEST flag: keep the connection open after END_REQUEST.
pub const FCGI_KEEP_CONN: u8 = 1;

/// END_REQUEST protocol statuses.
pub const FCGI_REQUEST_COMPLETE: u8 = 0;
pub const FCGI_CANT_MPX_CONN: u8 = 1;
pub const FCGI_OVERLOADED: u8 = 2;
pub const FCGI_UNKNOWN_ROLE: u8 = 3;

/// Names a GET_VALUES query may ask for.
pub const FCGI_MAX_CONNS: &[u8] = b"FCGI_MAX_CONNS";
pub const FCGI_MAX_REQS: &[u8] = b"FCGI_MAX_REQS";
pub const FCGI_MPXS_CONNS: &[u8] = b"FCGI_MPXS_CONNS";

/// Why bytes from the web server are not valid FastCGI. Every one of them
/// means the connection cannot be trusted any further and should be closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error(
        "FastCGI record has protocol version {0}, only version 1 exists: the peer is not a FastCGI client \
         (check that the web server talks FastCGI to this port, not HTTP or uwsgi)"
    )]
    UnsupportedVersion(u8),
    #[error("FastCGI BEGIN_REQUEST body is {0} bytes, it must be 8: the web server sent a malformed request")]
    BeginRequestTooShort(usize),
    #[error(
        "FastCGI params larger than {0} bytes: the request's headers and server variables exceed the \
         configured limit (raise it, or have the web server send fewer or smaller headers)"
    )]
    ParamsTooLarge(usize),
    #[error(
        "FastCGI params end inside a name-value pair (at byte {at} of {len}): the web server sent a \
         truncated or malformed PARAMS stream"
    )]
    TruncatedPair { at: usize, len: usize },
}

/// Name-value pairs in the order sent, duplicates included.
pub type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// One record, its padding already dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Record type, one of the `FCGI_*` type constants (or an unknown one).
    pub kind: u8,
    /// Request id; `FCGI_NULL_REQUEST_ID` for management records.
    pub id: u16,
    /// The content, without padding.
    pub content: Bytes,
}

/// Cuts whole records out of the bytes read from a connection so far. Read
/// into `buffer_mut()` (or `extend` it), then call `next` until it answers
/// `Ok(None)`; the record content shares the read buffer (no copy).
#[derive(Debug, Default)]
pub struct Decoder {
    buf: BytesMut,
}

impl Decoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Decoder { buf: BytesMut::with_capacity(FCGI_HEADER_LEN + FCGI_MAX_CONTENT_LEN) }
    }

    /// The buffer to read the connection into (e.g. `AsyncReadExt::read_buf`).
    pub fn buffer_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }

    /// Appends bytes read from the connection.
    pub fn extend(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// Bytes buffered that are not part of a record returned yet.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// The next whole record, or `Ok(None)` when more bytes are needed. A
    /// record is returned only once its padding has arrived too, and the
    /// padding is skipped. A header with a version other than 1 is an error
    /// (as soon as its first byte is buffered); the decoder is then unusable.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Record>, RecordError> {
        let Some(&version) = self.buf.first() else { return Ok(None) };
        if version != FCGI_VERSION_1 {
            return Err(RecordError::UnsupportedVersion(version));
        }
        if self.buf.len() < FCGI_HEADER_LEN {
            return Ok(None);
        }
        let h = &self.buf[..FCGI_HEADER_LEN];
        let kind = h[1];
        let id = u16::from_be_bytes([h[2], h[3]]);
        let content_len = usize::from(u16::from_be_bytes([h[4], h[5]]));
        let padding = usize::from(h[6]);
        let total = FCGI_HEADER_LEN + content_len + padding;
        if self.buf.len() < total {
            self.buf.reserve(total - self.buf.len());
            return Ok(None);
        }
        let mut record = self.buf.split_to(total);
        record.advance(FCGI_HEADER_LEN);
        record.truncate(content_len);
        Ok(Some(Record { kind, id, content: record.freeze() }))
    }
}

/// The body of a BEGIN_REQUEST record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeginRequest {
    /// `FCGI_RESPONDER`, `FCGI_AUTHORIZER` or `FCGI_FILTER` (or another value,
    /// which a responder answers with `FCGI_UNKNOWN_ROLE`).
    pub role: u16,
    /// The web server wants the connection kept after END_REQUEST.
    pub keep_conn: bool,
}

impl BeginRequest {
    /// Reads the 8-byte body: role (16 bits), flags, 5 reserved bytes. Bytes
    /// past the eighth are ignored.
    pub fn parse(content: &[u8]) -> Result<Self, RecordError> {
        if content.len() < 8 {
            return Err(RecordError::BeginRequestTooShort(content.len()));
        }
        Ok(BeginRequest {
            role: u16::from_be_bytes([content[0], content[1]]),
            keep_conn: content[2] & FCGI_KEEP_CONN != 0,
        })
    }
}

/// Collects the contents of a request's PARAMS records (a pair may straddle
/// two records) up to a size limit, then parses them into pairs.
#[derive(Debug)]
pub struct ParamsReader {
    buf: Vec<u8>,
    limit: usize,
}

impl ParamsReader {
    /// A reader refusing more than `limit` bytes of PARAMS content in total.
    pub fn new(limit: usize) -> Self {
        ParamsReader { buf: Vec::new(), limit }
    }

    /// Adds the content of one PARAMS record (the empty one that ends the
    /// stream adds nothing).
    pub fn push(&mut self, content: &[u8]) -> Result<(), RecordError> {
        if self.buf.len() + content.len() > self.limit {
            return Err(RecordError::ParamsTooLarge(self.limit));
        }
        self.buf.extend_from_slice(content);
        Ok(())
    }

    /// Bytes collected so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// No bytes collected yet.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// All pairs in the order sent, duplicates included.
    pub fn finish(self) -> Result<Pairs, RecordError> {
        decode_pairs(&self.buf)
    }
}

/// Parses name-value pairs (a GET_VALUES body, or a whole PARAMS stream) in
/// order. Each length is 1 byte below 128, else 4 bytes with the high bit set.
pub fn decode_pairs(data: &[u8]) -> Result<Pairs, RecordError> {
    let mut pairs = Vec::new();
    let mut at = 0;
    let truncated = |at: usize| RecordError::TruncatedPair { at, len: data.len() };
    while at < data.len() {
        let start = at;
        let name_len = read_len(data, &mut at).ok_or(truncated(start))?;
        let value_len = read_len(data, &mut at).ok_or(truncated(start))?;
        let name_end = at.checked_add(name_len).ok_or(truncated(start))?;
        let value_end = name_end.checked_add(value_len).ok_or(truncated(start))?;
        if value_end > data.len() {
            return Err(truncated(start));
        }
        pairs.push((data[at..name_end].to_vec(), data[name_end..value_end].to_vec()));
        at = value_end;
    }
    Ok(pairs)
}

fn read_len(data: &[u8], at: &mut usize) -> Option<usize> {
    let first = *data.get(*at)?;
    if first < 0x80 {
        *at += 1;
        return Some(usize::from(first));
    }
    let b = data.get(*at..*at + 4)?;
    *at += 4;
    Some((u32::from_be_bytes([b[0] & 0x7f, b[1], b[2], b[3]])) as usize)
}

/// Appends name-value pairs in the wire encoding.
///
/// # Panics
/// If a name or value is longer than 2^31 - 1 bytes, which FastCGI cannot say.
pub fn encode_pairs(pairs: &[(&[u8], &[u8])], out: &mut Vec<u8>) {
    for (name, value) in pairs {
        write_len(name.len(), out);
        write_len(value.len(), out);
        out.extend_from_slice(name);
        out.extend_from_slice(value);
    }
}

fn write_len(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let len = u32::try_from(len).ok().filter(|l| *l <= 0x7fff_ffff).expect("FastCGI lengths are at most 2^31 - 1");
        out.extend_from_slice(&(len | 0x8000_0000).to_be_bytes());
    }
}

/// Padding php-fpm adds after `content_len` bytes: up to the next multiple of 8.
fn padding_for(content_len: usize) -> u8 {
    (content_len.next_multiple_of(8) - content_len) as u8
}

/// Appends a record header.
///
/// # Panics
/// If `content_len` is over `FCGI_MAX_CONTENT_LEN`.
pub fn write_header(out: &mut Vec<u8>, kind: u8, id: u16, content_len: usize, padding: u8) {
    let len = u16::try_from(content_len).expect("FastCGI record content is at most 65535 bytes");
    let [id1, id0] = id.to_be_bytes();
    let [len1, len0] = len.to_be_bytes();
    out.extend_from_slice(&[FCGI_VERSION_1, kind, id1, id0, len1, len0, padding, 0]);
}

/// Appends one record holding `content` (at most 65535 bytes), padded with
/// zeros to a multiple of 8 bytes as php-fpm does.
pub fn write_record(out: &mut Vec<u8>, kind: u8, id: u16, content: &[u8]) {
    let padding = padding_for(content.len());
    write_header(out, kind, id, content.len(), padding);
    out.extend_from_slice(content);
    out.resize(out.len() + usize::from(padding), 0);
}

/// Appends `data` to a stream (STDOUT, STDERR) as records of at most 65535
/// content bytes each, each padded to a multiple of 8 bytes (as php-fpm pads).
/// Empty `data` writes nothing: an empty record would end the stream, which
/// is `write_stream_end`'s job.
pub fn write_stream(out: &mut Vec<u8>, kind: u8, id: u16, data: &[u8]) {
    for chunk in data.chunks(FCGI_MAX_CONTENT_LEN) {
        write_record(out, kind, id, chunk);
    }
}

/// Appends the empty record that ends a stream (STDOUT, STDERR).
pub fn write_stream_end(out: &mut Vec<u8>, kind: u8, id: u16) {
    write_header(out, kind, id, 0, 0);
}

/// Appends END_REQUEST: the application's exit status and a protocol status
/// (`FCGI_REQUEST_COMPLETE`, `FCGI_CANT_MPX_CONN`, `FCGI_OVERLOADED`, `FCGI_UNKNOWN_ROLE`).
pub fn write_end_request(out: &mut Vec<u8>, id: u16, app_status: u32, protocol_status: u8) {
    let mut body = [0u8; 8];
    body[..4].copy_from_slice(&app_status.to_be_bytes());
    body[4] = protocol_status;
    write_record(out, FCGI_END_REQUEST, id, &body);
}

/// Appends UNKNOWN_TYPE, the answer to a management record of a type this
/// server does not know.
pub fn write_unknown_type(out: &mut Vec<u8>, kind: u8) {
    write_record(out, FCGI_UNKNOWN_TYPE, FCGI_NULL_REQUEST_ID, &[kind, 0, 0, 0, 0, 0, 0, 0]);
}

/// The whole GET_VALUES_RESULT record answering `query` (the pairs of a
/// GET_VALUES record): the names FCGI_MAX_CONNS, FCGI_MAX_REQS and
/// FCGI_MPXS_CONNS get their values, in the order asked and once each; other
/// names are left out, as the spec says.
pub fn get_values_result(query: &[(Vec<u8>, Vec<u8>)], max_conns: usize, max_reqs: usize, mpxs_conns: bool) -> Vec<u8> {
    let mut answered: Vec<(&[u8], Vec<u8>)> = Vec::new();
    for (name, _) in query {
        let value = match name.as_slice() {
            FCGI_MAX_CONNS => max_conns.to_string(),
            FCGI_MAX_REQS => max_reqs.to_string(),
            FCGI_MPXS_CONNS => u8::from(mpxs_conns).to_string(),
            _ => continue,
        };
        if !answered.iter().any(|(n, _)| *n == name.as_slice()) {
            answered.push((name.as_slice(), value.into_bytes()));
        }
    }
    let pairs: Vec<(&[u8], &[u8])> = answered.iter().map(|(n, v)| (*n, v.as_slice())).collect();
    let mut content = Vec::new();
    encode_pairs(&pairs, &mut content);
    let mut out = Vec::new();
    write_record(&mut out, FCGI_GET_VALUES_RESULT, FCGI_NULL_REQUEST_ID, &content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> Vec<Record> {
        let mut d = Decoder::new();
        d.extend(bytes);
        let mut records = Vec::new();
        while let Some(r) = d.next().unwrap() {
            records.push(r);
        }
        assert_eq!(d.buffered(), 0, "bytes left after the last record");
        records
    }

    fn pair(name: &[u8], value: &[u8]) -> (Vec<u8>, Vec<u8>) {
        (name.to_vec(), value.to_vec())
    }

    #[test]
    fn a_record_round_trips_through_the_decoder() {
        let mut out = Vec::new();
        write_record(&mut out, FCGI_STDIN, 7, b"hello");
        assert_eq!(out.len(), 8 + 5 + 3, "padded to a multiple of 8");
        assert_eq!(decode_all(&out), vec![Record { kind: FCGI_STDIN, id: 7, content: Bytes::from_static(b"hello") }]);
    }

    #[test]
    fn a_record_fed_one_byte_at_a_time_comes_out_only_when_whole() {
        let mut out = Vec::new();
        write_record(&mut out, FCGI_PARAMS, 0x0102, b"abc");
        write_stream_end(&mut out, FCGI_PARAMS, 0x0102);
        let mut d = Decoder::new();
        let mut records = Vec::new();
        for (i, byte) in out.iter().enumerate() {
            d.extend(&[*byte]);
            if let Some(r) = d.next().unwrap() {
                records.push((i, r));
            }
        }
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].0, 15, "the first record is returned once its padding arrived");
        assert_eq!(&records[0].1.content[..], b"abc");
        assert_eq!(records[0].1.id, 0x0102);
        assert_eq!(records[1].0, 23);
        assert!(records[1].1.content.is_empty());
        assert_eq!(d.next().unwrap(), None);
    }

    #[test]
    fn padding_the_sender_chose_is_skipped() {
        let mut bytes = vec![1, FCGI_STDIN, 0, 1, 0, 2, 5, 0, b'o', b'k', 9, 9, 9, 9, 9];
        bytes.extend_from_slice(&[1, FCGI_STDIN, 0, 1, 0, 0, 0, 0]);
        let records = decode_all(&bytes);
        assert_eq!(&records[0].content[..], b"ok");
        assert!(records[1].content.is_empty());
    }

    #[test]
    fn a_version_other_than_1_is_refused_at_its_first_byte() {
        let mut d = Decoder::new();
        d.extend(b"G");
        assert_eq!(d.next(), Err(RecordError::UnsupportedVersion(b'G')));
        assert!(RecordError::UnsupportedVersion(b'G').to_string().contains("version 71"));
    }

    #[test]
    fn begin_request_gives_role_and_keep_conn() {
        let b = BeginRequest::parse(&[0, 1, 1, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(b, BeginRequest { role: FCGI_RESPONDER, keep_conn: true });
        let b = BeginRequest::parse(&[0, 3, 0, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(b, BeginRequest { role: FCGI_FILTER, keep_conn: false });
    }

    #[test]
    fn a_begin_request_body_shorter_than_8_bytes_is_refused() {
        assert_eq!(BeginRequest::parse(&[0, 1, 1]), Err(RecordError::BeginRequestTooShort(3)));
    }

    #[test]
    fn short_and_long_lengths_round_trip() {
        let long = vec![b'v'; 200];
        let mut out = Vec::new();
        encode_pairs(&[(b"A", b"1"), (b"LONG", &long), (b"EMPTY", b"")], &mut out);
        assert_eq!(&out[..4], &[1, 1, b'A', b'1']);
        assert_eq!(&out[4..9], &[4, 0x80, 0, 0, 200], "200 needs the 4-byte form");
        let pairs = decode_pairs(&out).unwrap();
        assert_eq!(pairs, vec![pair(b"A", b"1"), pair(b"LONG", &long), pair(b"EMPTY", b"")]);
    }

    #[test]
    fn a_70000_byte_value_split_over_two_params_records_is_read_whole() {
        let value = (0..70_000u32).map(|i| (i % 251) as u8).collect::<Vec<u8>>();
        let mut encoded = Vec::new();
        encode_pairs(&[(b"HTTP_X_BIG", &value), (b"SCRIPT_NAME", b"/index.php")], &mut encoded);
        let mut wire = Vec::new();
        write_stream(&mut wire, FCGI_PARAMS, 1, &encoded);
        write_stream_end(&mut wire, FCGI_PARAMS, 1);
        let records = decode_all(&wire);
        assert_eq!(records.len(), 3);
        let mut reader = ParamsReader::new(100_000);
        for r in &records {
            assert_eq!(r.kind, FCGI_PARAMS);
            reader.push(&r.content).unwrap();
        }
        let pairs = reader.finish().unwrap();
        assert_eq!(pairs, vec![pair(b"HTTP_X_BIG", &value), pair(b"SCRIPT_NAME", b"/index.php")]);
    }

    #[test]
    fn a_name_value_pair_split_across_two_params_records_is_read_whole() {
        let mut encoded = Vec::new();
        encode_pairs(&[(b"REQUEST_METHOD", b"GET"), (b"QUERY_STRING", b"a=1")], &mut encoded);
        // Cut inside the second pair's name, and again inside its length bytes.
        for cut in [1, 19, 20, 25] {
            let mut reader = ParamsReader::new(1024);
            reader.push(&encoded[..cut]).unwrap();
            reader.push(&encoded[cut..]).unwrap();
            reader.push(b"").unwrap();
            let pairs = reader.finish().unwrap();
            assert_eq!(pairs, vec![pair(b"REQUEST_METHOD", b"GET"), pair(b"QUERY_STRING", b"a=1")], "cut at {cut}");
        }
    }

    #[test]
    fn params_over_the_limit_are_refused_with_the_limit_named() {
        let mut reader = ParamsReader::new(10);
        reader.push(&[0; 6]).unwrap();
        let err = reader.push(&[0; 5]).unwrap_err();
        assert_eq!(err, RecordError::ParamsTooLarge(10));
        assert!(err.to_string().contains("larger than 10 bytes"));
        let mut reader = ParamsReader::new(10);
        reader.push(&[0; 10]).unwrap();
        assert_eq!(reader.len(), 10, "exactly the limit is allowed");
    }

    #[test]
    fn a_truncated_pair_is_refused_with_its_offset() {
        let mut encoded = Vec::new();
        encode_pairs(&[(b"A", b"1"), (b"NAME", b"value")], &mut encoded);
        for cut in [5, 7, 10] {
            let err = decode_pairs(&encoded[..cut]).unwrap_err();
            assert_eq!(err, RecordError::TruncatedPair { at: 4, len: cut });
        }
        // A 4-byte length cut short.
        assert_eq!(decode_pairs(&[0x80, 0, 0]), Err(RecordError::TruncatedPair { at: 0, len: 3 }));
        // A length pointing past the end.
        assert_eq!(decode_pairs(&[0xff, 0xff, 0xff, 0xff, 0]), Err(RecordError::TruncatedPair { at: 0, len: 5 }));
    }

    #[test]
    fn a_150000_byte_stdout_goes_out_as_three_records() {
        let data = vec![b'x'; 150_000];
        let mut out = Vec::new();
        write_stream(&mut out, FCGI_STDOUT, 3, &data);
        let records = decode_all(&out);
        let lens: Vec<usize> = records.iter().map(|r| r.content.len()).collect();
        assert_eq!(lens, vec![65535, 65535, 18930]);
        assert!(records.iter().all(|r| r.kind == FCGI_STDOUT && r.id == 3));
        assert_eq!(out.len(), 3 * 8 + (65535 + 1) * 2 + (18930 + 6), "each record padded to 8");
    }

    #[test]
    fn an_empty_stream_write_emits_nothing_and_the_end_is_one_empty_record() {
        let mut out = Vec::new();
        write_stream(&mut out, FCGI_STDOUT, 1, b"");
        assert!(out.is_empty());
        write_stream_end(&mut out, FCGI_STDERR, 1);
        assert_eq!(out, [1, FCGI_STDERR, 0, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn end_request_is_laid_out_as_the_spec_says() {
        let mut out = Vec::new();
        write_end_request(&mut out, 0x1234, 0x0102_0304, FCGI_OVERLOADED);
        #[rustfmt::skip]
        let expected = [
            1, 3, 0x12, 0x34, 0, 8, 0, 0, // version, END_REQUEST, id, length 8, no padding, reserved
            1, 2, 3, 4, 2, 0, 0, 0,       // appStatus (big-endian), protocolStatus, reserved
        ];
        assert_eq!(out, expected);
        let r = &decode_all(&out)[0];
        assert_eq!((r.kind, r.id, r.content.len()), (FCGI_END_REQUEST, 0x1234, 8));
    }

    #[test]
    fn unknown_type_names_the_type_on_the_null_request() {
        let mut out = Vec::new();
        write_unknown_type(&mut out, 42);
        assert_eq!(out, [1, FCGI_UNKNOWN_TYPE, 0, 0, 0, 8, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn get_values_result_answers_the_known_names_only() {
        let query = vec![
            pair(b"FCGI_MPXS_CONNS", b""),
            pair(b"FCGI_NOPE", b""),
            pair(b"FCGI_MAX_REQS", b""),
            pair(b"FCGI_MAX_CONNS", b""),
        ];
        let mut wire = Vec::new();
        let mut q = Vec::new();
        let borrowed: Vec<(&[u8], &[u8])> = query.iter().map(|(n, v)| (n.as_slice(), v.as_slice())).collect();
        encode_pairs(&borrowed, &mut q);
        write_record(&mut wire, FCGI_GET_VALUES, 0, &q);
        let asked = decode_pairs(&decode_all(&wire)[0].content).unwrap();
        assert_eq!(asked, query);

        let answer = get_values_result(&asked, 64, 128, false);
        let records = decode_all(&answer);
        assert_eq!((records[0].kind, records[0].id), (FCGI_GET_VALUES_RESULT, 0));
        let pairs = decode_pairs(&records[0].content).unwrap();
        assert_eq!(
            pairs,
            vec![pair(b"FCGI_MPXS_CONNS", b"0"), pair(b"FCGI_MAX_REQS", b"128"), pair(b"FCGI_MAX_CONNS", b"64")]
        );
    }

    #[test]
    fn get_values_result_for_nothing_known_is_an_empty_record() {
        let answer = get_values_result(&[pair(b"X", b"")], 1, 1, true);
        assert_eq!(answer, [1, FCGI_GET_VALUES_RESULT, 0, 0, 0, 0, 0, 0]);
    }
}
