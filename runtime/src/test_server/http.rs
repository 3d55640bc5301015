//! The server side of HTTP/1.1, just as much as the test server needs: reading requests with
//! a `content-length` body (no chunked bodies), keep-alive and pipelining, and writing
//! responses.
//!
//! Nothing here panics on any input: malformed or oversized input becomes
//! [`ReadError::Bad`], which the caller answers with 400.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The largest request head (request line and headers, with the empty line that ends them).
pub(super) const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The largest request body.
pub(super) const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// How much is read from the socket at a time.
const READ_CHUNK: usize = 16 * 1024;
/// After answering a malformed request, how long unread input is drained (so that closing the
/// socket does not reset it before the client has read the 400), and how much at most.
const DRAIN_TIME: Duration = Duration::from_secs(1);
const DRAIN_BYTES: usize = 16 * 1024 * 1024;

/// The protocol version of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Version {
    Http10,
    Http11,
}

/// A request read completely.
#[derive(Debug)]
pub(super) struct Request {
    pub(super) method: String,
    /// The request target as received: path and query, still percent-encoded.
    pub(super) target: String,
    pub(super) version: Version,
    /// Headers in arrival order, names with their original case, values without the optional
    /// whitespace around them.
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Request {
    /// Whether the connection stays open after the response: HTTP/1.1 unless the client sent
    /// `connection: close`; HTTP/1.0 only with `connection: keep-alive`.
    pub(super) fn keep_alive(&self) -> bool {
        let mut close = false;
        let mut keep_alive = false;
        for (_, value) in self
            .headers
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case("connection"))
        {
            for token in value.split(',').map(str::trim) {
                close |= token.eq_ignore_ascii_case("close");
                keep_alive |= token.eq_ignore_ascii_case("keep-alive");
            }
        }
        match self.version {
            Version::Http11 => !close,
            Version::Http10 => keep_alive && !close,
        }
    }
}

/// Why no request could be read.
#[derive(Debug)]
pub(super) enum ReadError {
    /// The client closed the connection between requests, or the socket failed: there is no
    /// one to answer.
    Closed,
    /// The input is not a request the server accepts; answer 400 with this message and close.
    Bad(String),
}

/// One accepted connection with the bytes read but not consumed yet (the start of a pipelined
/// request).
pub(super) struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub(super) fn new(stream: TcpStream) -> Self {
        Self {
            stream,
            buf: Vec::new(),
        }
    }

    /// Waits, without consuming anything, until the next request starts to arrive. Returns
    /// `false` when the client closed the connection (or it failed) first.
    pub(super) async fn wait_for_request(&mut self) -> bool {
        if !self.buf.is_empty() {
            return true;
        }
        let mut probe = [0u8; 1];
        matches!(self.stream.peek(&mut probe).await, Ok(n) if n > 0)
    }

    /// Reads more bytes into the buffer; `Ok(0)` at end of input.
    async fn fill(&mut self) -> io::Result<usize> {
        self.buf.reserve(READ_CHUNK);
        self.stream.read_buf(&mut self.buf).await
    }

    /// Reads one whole request: head, then a `content-length` body.
    pub(super) async fn read_request(&mut self) -> Result<Request, ReadError> {
        let mut scanned = 0;
        let head_len = loop {
            // RFC 9112 §2.2: a server should ignore empty lines before the request line.
            let blank = self
                .buf
                .chunks(2)
                .take_while(|pair| *pair == b"\r\n")
                .count();
            if blank > 0 {
                self.buf.drain(..blank * 2);
                scanned = 0;
            }
            if let Some(end) = find_head_end(&self.buf, scanned) {
                if end > MAX_HEAD_BYTES {
                    return Err(head_too_large());
                }
                break end;
            }
            if self.buf.len() > MAX_HEAD_BYTES {
                return Err(head_too_large());
            }
            scanned = self.buf.len().saturating_sub(3);
            match self.fill().await {
                Ok(0) if self.buf.is_empty() => return Err(ReadError::Closed),
                Ok(0) => {
                    return Err(ReadError::Bad(
                        "the connection was closed in the middle of the request head".to_owned(),
                    ));
                }
                Ok(_) => {}
                Err(_) => return Err(ReadError::Closed),
            }
        };
        let rest = self.buf.split_off(head_len.min(self.buf.len()));
        let head_bytes = std::mem::replace(&mut self.buf, rest);
        let head = head_bytes.strip_suffix(b"\r\n\r\n").unwrap_or(&head_bytes);
        let (method, target, version, headers) = parse_head(head).map_err(ReadError::Bad)?;

        let length = body_length(&headers).map_err(ReadError::Bad)?;
        let expects_continue = headers.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("expect") && value.eq_ignore_ascii_case("100-continue")
        });
        if length > self.buf.len()
            && expects_continue
            && version == Version::Http11
            && self
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await
                .is_err()
        {
            return Err(ReadError::Closed);
        }
        while self.buf.len() < length {
            match self.fill().await {
                Ok(0) => {
                    return Err(ReadError::Bad(format!(
                        "the connection was closed after {} of the {length} body bytes announced by content-length",
                        self.buf.len()
                    )));
                }
                Ok(_) => {}
                Err(_) => return Err(ReadError::Closed),
            }
        }
        let rest = self.buf.split_off(length.min(self.buf.len()));
        let body = std::mem::replace(&mut self.buf, rest);
        Ok(Request {
            method,
            target,
            version,
            headers,
            body,
        })
    }

    /// Writes and flushes `bytes`.
    pub(super) async fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await?;
        self.stream.flush().await
    }

    /// Resets the connection: with `SO_LINGER` 0, closing the socket sends RST instead of FIN.
    pub(super) fn reset(self) {
        // If the option cannot be set, the socket is still closed; with unread input the kernel
        // resets it anyway.
        let _ = self.stream.set_zero_linger();
        drop(self.stream);
    }

    /// Closes the connection cleanly (FIN).
    pub(super) async fn close(mut self) {
        let _ = self.stream.shutdown().await;
    }

    /// Closes the connection after an error response: stops writing, then discards input for
    /// a while, so that the kernel does not reset the connection (which could destroy the
    /// response before the client reads it) because of unread bytes.
    pub(super) async fn close_after_error(mut self) {
        if self.stream.shutdown().await.is_err() {
            return;
        }
        let mut drained = 0usize;
        let drain = async {
            loop {
                self.buf.clear();
                match self.fill().await {
                    Ok(n) if n > 0 && drained < DRAIN_BYTES => drained = drained.saturating_add(n),
                    _ => break,
                }
            }
        };
        let _ = tokio::time::timeout(DRAIN_TIME, drain).await;
    }
}

fn head_too_large() -> ReadError {
    ReadError::Bad(format!(
        "the request head (request line and headers) exceeds {MAX_HEAD_BYTES} bytes"
    ))
}

/// The length of the head including its final `\r\n\r\n`, if `buf` holds all of it. Bytes
/// before `from` are known not to start the terminator.
fn find_head_end(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map(|at| from + at + 4)
}

/// `token` characters of RFC 9110 §5.6.2 (method and header names).
fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Splits at every `\r\n`.
fn lines(mut rest: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while let Some(at) = rest.windows(2).position(|pair| pair == b"\r\n") {
        let (line, tail) = rest.split_at(at);
        out.push(line);
        rest = tail.get(2..).unwrap_or_default();
    }
    out.push(rest);
    out
}

type Head = (String, String, Version, Vec<(String, String)>);

/// Parses the request line and the header lines (the head without its final empty line).
fn parse_head(head: &[u8]) -> Result<Head, String> {
    let lines = lines(head);
    let mut lines = lines.into_iter();
    let request_line = lines.next().unwrap_or_default();
    let (method, target, version) = parse_request_line(request_line)?;
    let mut headers = Vec::new();
    for line in lines {
        headers.push(parse_header_line(line)?);
    }
    Ok((method, target, version, headers))
}

fn parse_request_line(line: &[u8]) -> Result<(String, String, Version), String> {
    const SHAPE: &str = "malformed request line: expected `METHOD /path HTTP/1.1`";
    let parts: Vec<&[u8]> = line.split(|byte| *byte == b' ').collect();
    let [method, target, version] = parts.as_slice() else {
        return Err(SHAPE.to_owned());
    };
    if method.is_empty() || !method.iter().copied().all(is_tchar) {
        return Err(format!("{SHAPE} (invalid method)"));
    }
    if !target.starts_with(b"/") || !target.iter().all(|byte| (0x21..=0x7e).contains(byte)) {
        return Err(format!(
            "{SHAPE} (the target must be an origin-form path of visible ASCII characters)"
        ));
    }
    let version = match *version {
        b"HTTP/1.1" => Version::Http11,
        b"HTTP/1.0" => Version::Http10,
        _ => {
            return Err(format!(
                "{SHAPE} (only HTTP/1.1 and HTTP/1.0 are supported)"
            ));
        }
    };
    // Both are ASCII after the checks above.
    Ok((
        String::from_utf8_lossy(method).into_owned(),
        String::from_utf8_lossy(target).into_owned(),
        version,
    ))
}

fn parse_header_line(line: &[u8]) -> Result<(String, String), String> {
    let Some(colon) = line.iter().position(|byte| *byte == b':') else {
        return Err("malformed header line: expected `name: value`".to_owned());
    };
    let (name, value) = line.split_at(colon);
    let value = value.get(1..).unwrap_or_default();
    if name.is_empty() || !name.iter().copied().all(is_tchar) {
        return Err(
            "malformed header name (empty, whitespace before the colon, a folded line, or a character outside RFC 9110 tokens)"
                .to_owned(),
        );
    }
    let value = value.trim_ascii();
    if value
        .iter()
        .any(|byte| (*byte < 0x20 && *byte != b'\t') || *byte == 0x7f)
    {
        return Err(format!(
            "the value of header `{}` contains a control character",
            String::from_utf8_lossy(name)
        ));
    }
    Ok((
        String::from_utf8_lossy(name).into_owned(),
        String::from_utf8_lossy(value).into_owned(),
    ))
}

/// The body length announced by `content-length` (0 without one). Transfer codings are not
/// supported.
fn body_length(headers: &[(String, String)]) -> Result<usize, String> {
    if headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("transfer-encoding"))
    {
        return Err(
            "transfer-encoding (e.g. a chunked body) is not supported by the test server; send the body with content-length"
                .to_owned(),
        );
    }
    let mut length: Option<usize> = None;
    for (_, value) in headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"))
    {
        if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(format!("invalid content-length `{value}`"));
        }
        let too_large = || format!("the request body exceeds {MAX_BODY_BYTES} bytes");
        let n: usize = value.parse().map_err(|_| too_large())?;
        if n > MAX_BODY_BYTES {
            return Err(too_large());
        }
        if length.is_some_and(|previous| previous != n) {
            return Err("conflicting content-length headers".to_owned());
        }
        length = Some(n);
    }
    Ok(length.unwrap_or(0))
}

/// A response to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Response {
    pub(super) status: u16,
    /// Headers besides `content-length` and `connection`, which [`Response::encode_head`]
    /// writes itself.
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Response {
    /// Whether the headers ask to close the connection (`connection: close`).
    pub(super) fn closes(&self) -> bool {
        self.headers.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("connection")
                && value
                    .split(',')
                    .any(|token| token.trim().eq_ignore_ascii_case("close"))
        })
    }

    /// The status line and headers, announcing `content_length` body bytes. Header lines that
    /// could break the framing (invalid names, CR or LF in values, `content-length`,
    /// `transfer-encoding`) are left out. `connection: close` is added when `close` is set and
    /// the headers do not say so already; `connection: keep-alive` when `keep_alive_10` (an
    /// HTTP/1.0 client that asked to keep the connection).
    pub(super) fn encode_head(
        &self,
        content_length: usize,
        close: bool,
        keep_alive_10: bool,
    ) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {:03} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            let framing = name.eq_ignore_ascii_case("content-length")
                || name.eq_ignore_ascii_case("transfer-encoding");
            let valid = !name.is_empty()
                && name.bytes().all(is_tchar)
                && !value.bytes().any(|byte| byte == b'\r' || byte == b'\n');
            if valid && !framing {
                out.push_str(name);
                out.push_str(": ");
                out.push_str(value);
                out.push_str("\r\n");
            }
        }
        out.push_str(&format!("content-length: {content_length}\r\n"));
        if close && !self.closes() {
            out.push_str("connection: close\r\n");
        } else if keep_alive_10 && !close {
            out.push_str("connection: keep-alive\r\n");
        }
        out.push_str("\r\n");
        out.into_bytes()
    }
}

/// The reason phrase of a status code (clients ignore it).
fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse_and_reject() {
        let (method, target, version, headers) =
            parse_head(b"POST /a/b?x=1 HTTP/1.1\r\nHost: h:1\r\nX-Acs-Action:  Run \r\nempty:")
                .unwrap();
        assert_eq!(
            (method.as_str(), target.as_str(), version),
            ("POST", "/a/b?x=1", Version::Http11)
        );
        assert_eq!(
            headers,
            [
                ("Host".to_owned(), "h:1".to_owned()),
                ("X-Acs-Action".to_owned(), "Run".to_owned()),
                ("empty".to_owned(), String::new()),
            ]
        );
        for bad in [
            &b""[..],
            b"GET",
            b"GET /",
            b"GET  / HTTP/1.1",
            b"GET / HTTP/2",
            b"GET x HTTP/1.1",
            b"G(T / HTTP/1.1",
            b"GET /\xff HTTP/1.1",
            b"GET / HTTP/1.1\r\nno colon",
            b"GET / HTTP/1.1\r\nname : v",
            b"GET / HTTP/1.1\r\n folded: v",
            b"GET / HTTP/1.1\r\n: v",
            b"GET / HTTP/1.1\r\nx: a\rb",
            b"GET / HTTP/1.1\r\nx: a\x00b",
            b"GET / HTTP/1.1\nx: y",
        ] {
            assert!(
                parse_head(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn body_lengths() {
        let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(body_length(&h(&[])), Ok(0));
        assert_eq!(body_length(&h(&[("Content-Length", "12")])), Ok(12));
        assert_eq!(
            body_length(&h(&[("content-length", "3"), ("Content-Length", "3")])),
            Ok(3)
        );
        for bad in [
            h(&[("content-length", "3"), ("content-length", "4")]),
            h(&[("content-length", "-1")]),
            h(&[("content-length", "")]),
            h(&[("content-length", "1 2")]),
            h(&[("content-length", "99999999999999999999999999")]),
            h(&[("content-length", "8388609")]),
            h(&[("transfer-encoding", "chunked")]),
        ] {
            assert!(body_length(&bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            body_length(&h(&[("content-length", "8388608")])),
            Ok(MAX_BODY_BYTES)
        );
    }

    #[test]
    fn response_heads_keep_framing_intact() {
        let response = Response {
            status: 202,
            headers: vec![
                ("content-type".to_owned(), "text/plain".to_owned()),
                ("content-length".to_owned(), "999".to_owned()),
                ("x-evil".to_owned(), "a\r\nset-cookie: x".to_owned()),
                ("bad name".to_owned(), "v".to_owned()),
            ],
            body: Vec::new(),
        };
        assert_eq!(
            String::from_utf8(response.encode_head(0, true, false)).unwrap(),
            "HTTP/1.1 202 Accepted\r\ncontent-type: text/plain\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        );
    }
}
