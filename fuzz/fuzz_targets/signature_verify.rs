//! The test server's signature verifier (`acs_runtime::signing::verify`), two ways:
//!
//! 1. Any received request: the input is read as an HTTP/1.1 head and body
//!    (`METHOD TARGET`, `name: value` lines, an empty line, the body), turned into the request
//!    the server verifies (path, percent-decoded query, headers, `host`), and verified with
//!    the server's key. It must not panic, and a request that verifies names that key.
//! 2. Sign, send, verify: the same method, path, query, headers and body, signed by the
//!    client's signer (the scheme and an STS token picked by the first byte), carried the way
//!    HTTP carries it (the URL's target, header values without surrounding whitespace) and
//!    read back as the server does, must verify.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use acs_runtime::credentials::Credentials;
use acs_runtime::signing::{self, HttpRequest, SignatureScheme, SigningParams};
use acs_runtime::test_server::{http_request, parse_query};
use libfuzzer_sys::fuzz_target;

const ID: &str = "LTAI5tTestKeyId";
const SECRET: &str = "TestSecretValue123";

fn lookup(id: &str) -> Option<String> {
    (id == ID).then(|| SECRET.to_owned())
}

/// RFC 9110 token characters (header names, methods).
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], data[at + 2..].to_vec()),
        None => (data, Vec::new()),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n');
    let request_line = lines.next().unwrap_or_default();
    let (method, target) = request_line.split_once(' ').unwrap_or((request_line, "/"));
    // Header lines as the server accepts them: a token name, a value without control
    // characters, surrounding whitespace removed.
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            let value = value.trim_matches([' ', '\t']);
            let valid =
                is_token(name) && !value.chars().any(|c| (c < ' ' && c != '\t') || c == '\x7f');
            valid.then(|| (name.to_owned(), value.to_owned()))
        })
        .collect();

    // 1. Whatever arrives.
    let received = http_request(method.to_owned(), target, headers.clone(), body.clone());
    if let Ok(verified) = signing::verify(&received, lookup) {
        assert_eq!(verified.access_key_id, ID);
    }

    // 2. What the client signs arrives intact and verifies.
    let target_ok = target.starts_with('/') && target.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if !is_token(method) || !target_ok {
        return;
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut request = HttpRequest::new(method.to_owned(), "http", "127.0.0.1:8080", path);
    request.query = parse_query(query);
    request.headers = headers
        .into_iter()
        .map(|(name, value)| (name.into(), value.into()))
        .collect();
    request.body = body;
    let credentials = Credentials::new(ID, SECRET);
    let credentials = if selector & 2 != 0 {
        credentials.with_security_token("CAIS+gF1Q6Ft5B2yfSjIr5bSETestToken==")
    } else {
        credentials
    };
    let scheme = if selector & 1 != 0 {
        SignatureScheme::RoaV1
    } else {
        SignatureScheme::Acs3HmacSha256
    };
    signing::sign(
        &mut request,
        &SigningParams {
            action: "ScaleOutCluster",
            version: "2015-12-15",
            credentials: &credentials,
            scheme,
            time: UNIX_EPOCH + Duration::from_secs(1_735_689_600),
            nonce: "0123456789abcdef0123456789abcdef",
            retry: (selector & 4 != 0).then_some((1, 200)),
        },
    );
    let url = request.url();
    let sent_target = &url["http://127.0.0.1:8080".len()..];
    let sent_headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.trim_matches([' ', '\t']).to_owned()))
        .collect();
    let arrived = http_request(
        request.method.to_string(),
        sent_target,
        sent_headers,
        request.body.clone(),
    );
    if let Err(error) = signing::verify(&arrived, lookup) {
        panic!(
            "a request signed with {scheme:?} does not verify: {error}\nsent: {request:#?}\narrived: {arrived:#?}"
        );
    }
});
