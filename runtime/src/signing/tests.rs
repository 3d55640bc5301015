//! Tests of the signers against requests captured from the official Python SDK.
//!
//! `SDK_CAPTURES` was recorded by running `alibabacloud-cs20151215` 7.2.3 /
//! `alibabacloud-tea-openapi` 0.4.6 (CPython 3.11.7) against a loopback HTTP server on
//! `127.0.0.1:18234`, with `Utils.get_nonce`, `Utils.get_date_utcstring` and
//! `Utils.get_timestamp` patched to return `a1b2c3d4e5f60718293a4b5c6d7e8f90`,
//! `Fri, 14 Feb 2025 08:09:10 GMT` and `2025-02-14T08:09:10Z`, with
//! `Config(access_key_id="LTAI5tTestAccessKeyId" | "STS.NUgYrLnoC37mZZCNnAbez2Fj",
//! access_key_secret="TestSecret0123456789abcdefghij", security_token=None |
//! "CAIS+gF1Test/Token==", endpoint="127.0.0.1:18234", protocol="HTTP")`, and
//! `signature_algorithm="v2"` for the `roa-*` cases. Calls: `scale_out_cluster_with_options(
//! "c-abc 1/ä+*~_.-x", ScaleOutClusterRequest(count=1), {}, RuntimeOptions())`;
//! `-query-extra` adds `GlobalParameters(queries={"b": "x y/ä", "a": "", "c": "1"},
//! headers={"accept": "text/plain", "x-acs-extra": "e  x"})`; `-get` is
//! `describe_cluster_detail_with_options("c1", {}, RuntimeOptions())`; `-retry` is the second
//! attempt after a 503 with `RetryOptions({"retryCondition": [{"maxAttempts": 2,
//! "exception": ["ServerException"]}]})`. The transport's own `Accept-Encoding` and
//! `Content-Length` headers are left out.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;
use crate::credentials::Credentials;

struct Capture {
    name: &'static str,
    method: &'static str,
    target: &'static str,
    body: &'static str,
    headers: &'static [(&'static str, &'static str)],
}

/// Requests the official Python SDK sent to a loopback server (see the module docs).
const SDK_CAPTURES: &[Capture] = &[
    Capture {
        name: "roa-ak",
        method: "POST",
        target: "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x",
        body: "{\"count\":1}",
        headers: &[
            ("date", "Fri, 14 Feb 2025 08:09:10 GMT"),
            ("host", "127.0.0.1:18234"),
            ("accept", "application/json"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("x-acs-signature-method", "HMAC-SHA1"),
            ("x-acs-signature-version", "1.0"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "ScaleOutCluster"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("content-type", "application/json; charset=utf-8"),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "authorization",
                "acs LTAI5tTestAccessKeyId:S7DmWmfw2zMk0ZvZeZI8R8wYWR8=",
            ),
        ],
    },
    Capture {
        name: "roa-sts",
        method: "POST",
        target: "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x",
        body: "{\"count\":1}",
        headers: &[
            ("date", "Fri, 14 Feb 2025 08:09:10 GMT"),
            ("host", "127.0.0.1:18234"),
            ("accept", "application/json"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("x-acs-signature-method", "HMAC-SHA1"),
            ("x-acs-signature-version", "1.0"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "ScaleOutCluster"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("content-type", "application/json; charset=utf-8"),
            ("x-acs-credentials-provider", "static_sts"),
            ("x-acs-accesskey-id", "STS.NUgYrLnoC37mZZCNnAbez2Fj"),
            ("x-acs-security-token", "CAIS+gF1Test/Token=="),
            (
                "authorization",
                "acs STS.NUgYrLnoC37mZZCNnAbez2Fj:aCnwqqDleliq8F6OXx3oNg8DkBw=",
            ),
        ],
    },
    Capture {
        name: "roa-query-extra",
        method: "POST",
        target: "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x?b=x+y%2F%C3%A4&a=&c=1",
        body: "{\"count\":1}",
        headers: &[
            ("date", "Fri, 14 Feb 2025 08:09:10 GMT"),
            ("host", "127.0.0.1:18234"),
            ("accept", "text/plain"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("x-acs-signature-method", "HMAC-SHA1"),
            ("x-acs-signature-version", "1.0"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "ScaleOutCluster"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("x-acs-extra", "e  x"),
            ("content-type", "application/json; charset=utf-8"),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "authorization",
                "acs LTAI5tTestAccessKeyId:c9WkI3P44P6PzfpK7ra7zFEcoK4=",
            ),
        ],
    },
    Capture {
        name: "roa-get",
        method: "GET",
        target: "/clusters/c1",
        body: "",
        headers: &[
            ("date", "Fri, 14 Feb 2025 08:09:10 GMT"),
            ("host", "127.0.0.1:18234"),
            ("accept", "application/json"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("x-acs-signature-method", "HMAC-SHA1"),
            ("x-acs-signature-version", "1.0"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "DescribeClusterDetail"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "authorization",
                "acs LTAI5tTestAccessKeyId:7bA/7QCwOyfkIzq6ibGv08LjESI=",
            ),
        ],
    },
    Capture {
        name: "roa-retry",
        method: "POST",
        target: "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x",
        body: "{\"count\":1}",
        headers: &[
            ("date", "Fri, 14 Feb 2025 08:09:10 GMT"),
            ("host", "127.0.0.1:18234"),
            ("accept", "application/json"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("x-acs-signature-method", "HMAC-SHA1"),
            ("x-acs-signature-version", "1.0"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "ScaleOutCluster"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("x-acs-retry-attempts", "1"),
            ("x-acs-retry-delay", "100"),
            ("content-type", "application/json; charset=utf-8"),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "authorization",
                "acs LTAI5tTestAccessKeyId:EKvUTxbQiNszyp2lNGxuLOxZL54=",
            ),
        ],
    },
    Capture {
        name: "acs3-ak",
        method: "POST",
        target: "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x",
        body: "{\"count\":1}",
        headers: &[
            ("host", "127.0.0.1:18234"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "ScaleOutCluster"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("x-acs-date", "2025-02-14T08:09:10Z"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("accept", "application/json"),
            ("content-type", "application/json; charset=utf-8"),
            (
                "x-acs-content-sha256",
                "6aea6dfe6561984cdc5c54ead84d47d2cf29e48253ae282aef237404adad4661",
            ),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId,SignedHeaders=accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=2af729bc550ccaa2da0b0025e4f45a0952e365382d3644ed2b9d2aca9f6065fe",
            ),
        ],
    },
    Capture {
        name: "acs3-sts",
        method: "POST",
        target: "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x",
        body: "{\"count\":1}",
        headers: &[
            ("host", "127.0.0.1:18234"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "ScaleOutCluster"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("x-acs-date", "2025-02-14T08:09:10Z"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("accept", "application/json"),
            ("content-type", "application/json; charset=utf-8"),
            (
                "x-acs-content-sha256",
                "6aea6dfe6561984cdc5c54ead84d47d2cf29e48253ae282aef237404adad4661",
            ),
            ("x-acs-credentials-provider", "static_sts"),
            ("x-acs-accesskey-id", "STS.NUgYrLnoC37mZZCNnAbez2Fj"),
            ("x-acs-security-token", "CAIS+gF1Test/Token=="),
            (
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=STS.NUgYrLnoC37mZZCNnAbez2Fj,SignedHeaders=accept;content-type;host;user-agent;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=c24f8418eacb30f786eadfff4ec82b8353e78dd3b0e7f2d4fdf05dd03fd3aff5",
            ),
        ],
    },
    Capture {
        name: "acs3-query-extra",
        method: "POST",
        target: "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x?b=x+y%2F%C3%A4&a=&c=1",
        body: "{\"count\":1}",
        headers: &[
            ("host", "127.0.0.1:18234"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "ScaleOutCluster"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("x-acs-date", "2025-02-14T08:09:10Z"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("accept", "text/plain"),
            ("x-acs-extra", "e  x"),
            ("content-type", "application/json; charset=utf-8"),
            (
                "x-acs-content-sha256",
                "6aea6dfe6561984cdc5c54ead84d47d2cf29e48253ae282aef237404adad4661",
            ),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId,SignedHeaders=accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-extra;x-acs-signature-nonce;x-acs-version,Signature=c7105d24bf537b759910a4433f436ad4569d237b9fcb8e9db2e713c0a8fa487b",
            ),
        ],
    },
    Capture {
        name: "acs3-get",
        method: "GET",
        target: "/clusters/c1",
        body: "",
        headers: &[
            ("host", "127.0.0.1:18234"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "DescribeClusterDetail"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("x-acs-date", "2025-02-14T08:09:10Z"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("accept", "application/json"),
            (
                "x-acs-content-sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId,SignedHeaders=accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=2eaab364a4c6857af3507a1fbd1ae291b8ff4ed2bfe4668f923a6ad7e62406c8",
            ),
        ],
    },
    Capture {
        name: "acs3-retry",
        method: "POST",
        target: "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x",
        body: "{\"count\":1}",
        headers: &[
            ("host", "127.0.0.1:18234"),
            ("x-acs-version", "2015-12-15"),
            ("x-acs-action", "ScaleOutCluster"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
            ),
            ("x-acs-date", "2025-02-14T08:09:10Z"),
            ("x-acs-signature-nonce", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            ("accept", "application/json"),
            ("x-acs-retry-attempts", "1"),
            ("x-acs-retry-delay", "100"),
            ("content-type", "application/json; charset=utf-8"),
            (
                "x-acs-content-sha256",
                "6aea6dfe6561984cdc5c54ead84d47d2cf29e48253ae282aef237404adad4661",
            ),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=LTAI5tTestAccessKeyId,SignedHeaders=accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-retry-attempts;x-acs-retry-delay;x-acs-signature-nonce;x-acs-version,Signature=62479b4c41307f2cb5fac456e0037bc7c0e30190035430584954065ec94eef63",
            ),
        ],
    },
];

const SDK_USER_AGENT: &str = "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2";
const AK_ID: &str = "LTAI5tTestAccessKeyId";
const STS_ID: &str = "STS.NUgYrLnoC37mZZCNnAbez2Fj";
const SECRET: &str = "TestSecret0123456789abcdefghij";
const TOKEN: &str = "CAIS+gF1Test/Token==";
const NONCE: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const HOST: &str = "127.0.0.1:18234";
const CLUSTER_PATH: &str = "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x";

/// 2025-02-14T08:09:10Z
fn signing_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_739_520_550)
}

fn ak() -> Credentials {
    Credentials::new(AK_ID, SECRET)
}

fn sts() -> Credentials {
    Credentials::new(STS_ID, SECRET).with_security_token(TOKEN)
}

fn lookup(id: &str) -> Option<String> {
    (id == AK_ID || id == STS_ID).then(|| SECRET.to_owned())
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn header_pairs(items: &[(&str, &str)]) -> Vec<(Text, Text)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned().into(), (*v).to_owned().into()))
        .collect()
}

fn scale_out_request(body: &str) -> HttpRequest {
    let mut request = HttpRequest::new("POST", "http", HOST, CLUSTER_PATH);
    request.body = body.as_bytes().to_vec();
    request
}

fn params<'a>(
    credentials: &'a Credentials,
    scheme: SignatureScheme,
    action: &'static str,
) -> SigningParams<'a> {
    SigningParams {
        action,
        version: "2015-12-15",
        credentials,
        scheme,
        time: signing_time(),
        nonce: NONCE,
        retry: None,
    }
}

/// Rebuilds each captured SDK request with [`sign`] and compares every header, in order.
#[test]
fn sign_reproduces_the_official_sdk_byte_for_byte() {
    assert_eq!(SDK_CAPTURES.len(), 10);
    for capture in SDK_CAPTURES {
        let name = capture.name;
        let scheme = if name.starts_with("roa-") {
            SignatureScheme::RoaV1
        } else {
            SignatureScheme::Acs3HmacSha256
        };
        let credentials = if name.ends_with("-sts") { sts() } else { ak() };
        let path = capture.target.split('?').next().unwrap_or_default();
        let mut request = HttpRequest::new(capture.method, "http", HOST, path);
        request.body = capture.body.as_bytes().to_vec();
        // The SDK's user agent stands in for ours, as a caller-supplied header.
        request.set_header("user-agent", SDK_USER_AGENT);
        if name.ends_with("-query-extra") {
            request.query = pairs(&[("b", "x y/ä"), ("a", ""), ("c", "1")]);
            request.set_header("accept", "text/plain");
            request.set_header("x-acs-extra", "e  x");
        }
        let action = if name.ends_with("-get") {
            "DescribeClusterDetail"
        } else {
            "ScaleOutCluster"
        };
        let mut p = params(&credentials, scheme, action);
        if name.ends_with("-retry") {
            p.retry = Some((1, 100));
        }
        sign(&mut request, &p);
        assert_eq!(request.headers, header_pairs(capture.headers), "{name}");
    }
}

/// What the SDK sent must pass our verifier unchanged.
#[test]
fn verify_accepts_every_sdk_request() {
    for capture in SDK_CAPTURES {
        let (path, query) = capture
            .target
            .split_once('?')
            .unwrap_or((capture.target, ""));
        let query = if query.is_empty() {
            Vec::new()
        } else {
            // The SDK's URL query is `b=x+y%2F%C3%A4&a=&c=1`; a server decodes it to:
            pairs(&[("b", "x y/ä"), ("a", ""), ("c", "1")])
        };
        let request = HttpRequest {
            method: capture.method.to_owned().into(),
            scheme: "http".into(),
            host: HOST.to_owned(),
            path: path.to_owned(),
            query,
            headers: header_pairs(capture.headers),
            body: capture.body.as_bytes().to_vec(),
        };
        let verified = verify(&request, lookup).unwrap_or_else(|e| panic!("{}: {e}", capture.name));
        assert_eq!(verified.nonce, NONCE);
        assert_eq!(verified.time, signing_time());
        let sts = capture.name.ends_with("-sts");
        assert_eq!(verified.access_key_id, if sts { STS_ID } else { AK_ID });
        assert_eq!(
            verified
                .security_token
                .as_ref()
                .map(|t| t.expose().as_str()),
            sts.then_some(TOKEN)
        );
    }
}

#[test]
fn roa_v1_string_to_sign_and_signature_golden() {
    let credentials = sts();
    let mut request = scale_out_request("{\"count\":1}");
    sign(
        &mut request,
        &params(&credentials, SignatureScheme::RoaV1, "ScaleOutCluster"),
    );
    // The documented example of the wire-protocol notes, for the `roa-sts` capture.
    let expected = "POST\napplication/json\n\napplication/json; charset=utf-8\n\
                    Fri, 14 Feb 2025 08:09:10 GMT\n\
                    x-acs-accesskey-id:STS.NUgYrLnoC37mZZCNnAbez2Fj\n\
                    x-acs-action:ScaleOutCluster\n\
                    x-acs-credentials-provider:static_sts\n\
                    x-acs-security-token:CAIS+gF1Test/Token==\n\
                    x-acs-signature-method:HMAC-SHA1\n\
                    x-acs-signature-nonce:a1b2c3d4e5f60718293a4b5c6d7e8f90\n\
                    x-acs-signature-version:1.0\n\
                    x-acs-version:2015-12-15\n\
                    /api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x";
    assert_eq!(roa_v1_string_to_sign(&request), expected);
    // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(
    //   b"TestSecret0123456789abcdefghij", STRING_TO_SIGN.encode(), hashlib.sha1).digest()).decode())'
    // with STRING_TO_SIGN = the string above; equal to the SDK's `roa-sts` capture.
    assert_eq!(
        roa_v1_signature(SECRET, expected),
        "aCnwqqDleliq8F6OXx3oNg8DkBw="
    );
    assert_eq!(
        request.header("authorization"),
        Some("acs STS.NUgYrLnoC37mZZCNnAbez2Fj:aCnwqqDleliq8F6OXx3oNg8DkBw=")
    );
}

#[test]
fn acs3_canonical_request_and_signature_golden() {
    let credentials = ak();
    let mut request = scale_out_request("{\"count\":1}");
    request.set_header("user-agent", SDK_USER_AGENT);
    sign(
        &mut request,
        &params(
            &credentials,
            SignatureScheme::Acs3HmacSha256,
            "ScaleOutCluster",
        ),
    );
    let body_hash = "6aea6dfe6561984cdc5c54ead84d47d2cf29e48253ae282aef237404adad4661";
    let signed = "accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;\
                  x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version";
    let expected = format!(
        "POST\n/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x\n\n\
         accept:application/json\n\
         content-type:application/json; charset=utf-8\n\
         host:127.0.0.1:18234\n\
         user-agent:{SDK_USER_AGENT}\n\
         x-acs-action:ScaleOutCluster\n\
         x-acs-content-sha256:{body_hash}\n\
         x-acs-credentials-provider:static_ak\n\
         x-acs-date:2025-02-14T08:09:10Z\n\
         x-acs-signature-nonce:a1b2c3d4e5f60718293a4b5c6d7e8f90\n\
         x-acs-version:2015-12-15\n\
         \n\
         {signed}\n\
         {body_hash}"
    );
    let names = acs3_signed_header_names(&request);
    assert_eq!(names.join(";"), signed);
    let canonical = acs3_canonical_request(&request, &names);
    assert_eq!(canonical, expected);
    // python3: "ACS3-HMAC-SHA256\n" + hashlib.sha256(CANONICAL.encode()).hexdigest()
    let string_to_sign = acs3_string_to_sign(&canonical);
    assert_eq!(
        string_to_sign,
        "ACS3-HMAC-SHA256\n87baac67c86a8dd87857845c3a14f0d1b7f6e296b46701dc6ebdd58d19f4fcc7"
    );
    // python3: hmac.new(b"TestSecret0123456789abcdefghij", STRING_TO_SIGN.encode(),
    //   hashlib.sha256).hexdigest(); equal to the SDK's `acs3-ak` capture.
    let signature = "2af729bc550ccaa2da0b0025e4f45a0952e365382d3644ed2b9d2aca9f6065fe";
    assert_eq!(acs3_signature(SECRET, &string_to_sign), signature);
    assert_eq!(
        request.header("authorization"),
        Some(
            format!(
                "ACS3-HMAC-SHA256 Credential={AK_ID},SignedHeaders={signed},Signature={signature}"
            )
            .as_str()
        )
    );
}

#[test]
fn our_user_agent_is_the_default() {
    let credentials = ak();
    for scheme in [SignatureScheme::RoaV1, SignatureScheme::Acs3HmacSha256] {
        let mut request = scale_out_request("{}");
        sign(
            &mut request,
            &params(&credentials, scheme, "ScaleOutCluster"),
        );
        assert_eq!(request.header("user-agent"), Some(USER_AGENT));
        assert!(USER_AGENT.starts_with("acs-rust/"));
        verify(&request, lookup).unwrap();
    }
}

#[test]
fn header_order_of_both_schemes() {
    let credentials = sts();
    let names = |scheme| {
        let mut request = scale_out_request("{}");
        request.set_header("x-custom", "1");
        let mut p = params(&credentials, scheme, "ScaleOutCluster");
        p.retry = Some((2, 250));
        sign(&mut request, &p);
        request
            .headers
            .into_iter()
            .map(|(n, _)| n)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(SignatureScheme::RoaV1),
        [
            "date",
            "host",
            "accept",
            "x-acs-signature-nonce",
            "x-acs-signature-method",
            "x-acs-signature-version",
            "x-acs-version",
            "x-acs-action",
            "user-agent",
            "x-custom",
            "x-acs-retry-attempts",
            "x-acs-retry-delay",
            "content-type",
            "x-acs-credentials-provider",
            "x-acs-accesskey-id",
            "x-acs-security-token",
            "authorization",
        ]
    );
    assert_eq!(
        names(SignatureScheme::Acs3HmacSha256),
        [
            "host",
            "x-acs-version",
            "x-acs-action",
            "user-agent",
            "x-acs-date",
            "x-acs-signature-nonce",
            "accept",
            "x-custom",
            "x-acs-retry-attempts",
            "x-acs-retry-delay",
            "content-type",
            "x-acs-content-sha256",
            "x-acs-credentials-provider",
            "x-acs-accesskey-id",
            "x-acs-security-token",
            "Authorization",
        ]
    );
}

#[test]
fn empty_body_gets_no_content_type_and_hashes_the_empty_string() {
    let credentials = ak();
    for scheme in [SignatureScheme::RoaV1, SignatureScheme::Acs3HmacSha256] {
        let mut request = HttpRequest::new(
            "GET",
            "https",
            "cs.cn-hangzhou.aliyuncs.com",
            "/clusters/c1",
        );
        sign(
            &mut request,
            &params(&credentials, scheme, "DescribeClusterDetail"),
        );
        assert_eq!(request.header("content-type"), None);
        if scheme == SignatureScheme::Acs3HmacSha256 {
            assert_eq!(
                request.header("x-acs-content-sha256"),
                Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            );
        } else {
            assert_eq!(request.header("x-acs-content-sha256"), None);
            assert!(roa_v1_string_to_sign(&request).starts_with("GET\napplication/json\n\n\n"));
        }
        verify(&request, lookup).unwrap();
    }
}

#[test]
fn caller_content_type_is_kept() {
    let credentials = ak();
    let mut request = scale_out_request("a=1");
    request.set_header("Content-Type", "application/x-www-form-urlencoded");
    sign(
        &mut request,
        &params(&credentials, SignatureScheme::Acs3HmacSha256, "X"),
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .count(),
        1
    );
    verify(&request, lookup).unwrap();
}

#[test]
fn retry_headers_only_for_retries() {
    let credentials = ak();
    for (retry, expected) in [
        (None, None),
        (Some((0, 100)), None),
        (Some((3, 1_600)), Some(("3", "1600"))),
    ] {
        let mut request = scale_out_request("{}");
        let mut p = params(&credentials, SignatureScheme::RoaV1, "ScaleOutCluster");
        p.retry = retry;
        sign(&mut request, &p);
        let got = request
            .header("x-acs-retry-attempts")
            .zip(request.header("x-acs-retry-delay"));
        assert_eq!(got, expected);
        verify(&request, lookup).unwrap();
    }
}

#[test]
fn signing_again_refreshes_every_computed_header() {
    let credentials = sts();
    for scheme in [SignatureScheme::RoaV1, SignatureScheme::Acs3HmacSha256] {
        let mut request = scale_out_request("{}");
        request.set_header("x-custom", "kept");
        let first = params(&credentials, scheme, "ScaleOutCluster");
        sign(&mut request, &first);

        // Switch scheme halfway to make sure stale headers of the other scheme go too.
        let other = match scheme {
            SignatureScheme::RoaV1 => SignatureScheme::Acs3HmacSha256,
            SignatureScheme::Acs3HmacSha256 => SignatureScheme::RoaV1,
        };
        sign(
            &mut request,
            &params(&credentials, other, "ScaleOutCluster"),
        );

        let second = SigningParams {
            time: signing_time() + Duration::from_secs(5),
            nonce: "ffffffffffffffffffffffffffffffff",
            retry: Some((1, 100)),
            ..first
        };
        sign(&mut request, &second);

        let mut fresh = scale_out_request("{}");
        fresh.set_header("x-custom", "kept");
        sign(&mut fresh, &second);
        assert_eq!(request, fresh);
        assert_eq!(
            verify(&request, lookup).unwrap().nonce,
            "ffffffffffffffffffffffffffffffff"
        );
    }
}

#[test]
fn credentials_provider_header() {
    let named = ak().with_provider_name("default/env");
    let unnamed = ak().with_provider_name("");
    for (credentials, expected) in [(&named, Some("default/env")), (&unnamed, None)] {
        let mut request = scale_out_request("{}");
        sign(
            &mut request,
            &params(credentials, SignatureScheme::Acs3HmacSha256, "X"),
        );
        assert_eq!(request.header("x-acs-credentials-provider"), expected);
        verify(&request, lookup).unwrap();
    }
}

#[test]
fn round_trips_with_queries_and_encoded_paths() {
    let credentials = sts();
    let queries = [
        vec![],
        pairs(&[("b", "x y/ä"), ("a", ""), ("c", "1")]),
        pairs(&[("k", "+*~%20&=?#")]),
    ];
    for scheme in [SignatureScheme::RoaV1, SignatureScheme::Acs3HmacSha256] {
        for query in &queries {
            let mut request = scale_out_request("{\"count\":1,\"name\":\"ä\"}");
            request.query.clone_from(query);
            sign(
                &mut request,
                &params(&credentials, scheme, "ScaleOutCluster"),
            );
            let verified = verify(&request, lookup).unwrap();
            assert_eq!(verified.scheme, scheme);
            assert_eq!(verified.access_key_id, STS_ID);
            assert!(
                verified
                    .signed_headers
                    .contains(&"x-acs-security-token".to_owned())
            );
        }
    }
}

#[test]
fn verify_accepts_lower_cased_header_names() {
    // Servers such as hyper present header names in lower case.
    let credentials = ak();
    for scheme in [SignatureScheme::RoaV1, SignatureScheme::Acs3HmacSha256] {
        let mut request = scale_out_request("{}");
        sign(
            &mut request,
            &params(&credentials, scheme, "ScaleOutCluster"),
        );
        for (name, _) in &mut request.headers {
            *name = name.to_ascii_lowercase().into();
        }
        verify(&request, lookup).unwrap();
    }
}

fn signed(scheme: SignatureScheme, credentials: &Credentials) -> HttpRequest {
    let mut request = scale_out_request("{\"count\":1}");
    request.query = pairs(&[("a", "1")]);
    sign(
        &mut request,
        &params(credentials, scheme, "ScaleOutCluster"),
    );
    request
}

#[test]
fn verify_rejects_tampering() {
    type Tamper = fn(&mut HttpRequest);
    let tampers: &[(&str, Tamper)] = &[
        ("body", |r| r.body = b"{\"count\":100}".to_vec()),
        ("action header", |r| {
            r.set_header("x-acs-action", "DeleteCluster")
        }),
        ("path", |r| r.path = "/api/v2/clusters/c-other".to_owned()),
        ("query", |r| r.query = pairs(&[("a", "2")])),
        ("method", |r| r.method = "PUT".into()),
        ("nonce", |r| r.set_header("x-acs-signature-nonce", "0")),
        ("accept", |r| r.set_header("accept", "text/xml")),
        ("token", |r| r.set_header("x-acs-security-token", "other")),
    ];
    for scheme in [SignatureScheme::RoaV1, SignatureScheme::Acs3HmacSha256] {
        for (what, tamper) in tampers {
            let mut request = signed(scheme, &sts());
            tamper(&mut request);
            let result = verify(&request, lookup);
            match (scheme, *what) {
                // ROA signature v1 as the SDK uses it (no content-md5) does not cover the body.
                (SignatureScheme::RoaV1, "body") => assert!(result.is_ok()),
                (SignatureScheme::Acs3HmacSha256, "body") => {
                    assert_eq!(result.unwrap_err(), VerifyError::ContentHashMismatch);
                }
                _ => assert_eq!(
                    result.unwrap_err(),
                    VerifyError::SignatureMismatch,
                    "{scheme:?} {what}"
                ),
            }
        }
    }
}

#[test]
fn verify_rejects_a_wrong_secret_and_unknown_keys() {
    for scheme in [SignatureScheme::RoaV1, SignatureScheme::Acs3HmacSha256] {
        let request = signed(scheme, &Credentials::new(AK_ID, "wrong-secret-value"));
        let err = verify(&request, lookup).unwrap_err();
        assert_eq!(err, VerifyError::SignatureMismatch);
        assert!(!err.to_string().contains("wrong-secret-value"));
        assert!(!err.to_string().contains(SECRET));

        let request = signed(scheme, &Credentials::new("LTAIunknown", SECRET));
        assert_eq!(
            verify(&request, lookup).unwrap_err(),
            VerifyError::UnknownAccessKey("LTAIunknown".to_owned())
        );
    }
}

#[test]
fn verify_requires_nonce_and_date() {
    for (scheme, date) in [
        (SignatureScheme::RoaV1, "date"),
        (SignatureScheme::Acs3HmacSha256, "x-acs-date"),
    ] {
        for missing in ["x-acs-signature-nonce", date] {
            let mut request = signed(scheme, &ak());
            request.remove_header(missing);
            assert_eq!(
                verify(&request, lookup).unwrap_err(),
                VerifyError::MissingHeader(if missing == date {
                    date
                } else {
                    "x-acs-signature-nonce"
                }),
            );
        }
        let mut request = signed(scheme, &ak());
        request.set_header(date, "yesterday");
        assert!(matches!(
            verify(&request, lookup),
            Err(VerifyError::InvalidDate { .. })
        ));
    }
}

#[test]
fn verify_acs3_specific_checks() {
    let mut request = signed(SignatureScheme::Acs3HmacSha256, &ak());
    request.set_header("x-acs-unsigned", "1");
    assert_eq!(
        verify(&request, lookup).unwrap_err(),
        VerifyError::UnsignedHeader("x-acs-unsigned".to_owned())
    );

    let mut request = signed(SignatureScheme::Acs3HmacSha256, &ak());
    request.remove_header("user-agent");
    assert_eq!(
        verify(&request, lookup).unwrap_err(),
        VerifyError::SignedHeaderMissing("user-agent".to_owned())
    );

    let mut request = signed(SignatureScheme::Acs3HmacSha256, &ak());
    request.remove_header("x-acs-content-sha256");
    assert_eq!(
        verify(&request, lookup).unwrap_err(),
        VerifyError::MissingHeader("x-acs-content-sha256")
    );

    // A request signed with only the headers the specification requires is valid too.
    let mut request = signed(SignatureScheme::Acs3HmacSha256, &ak());
    let minimal: Vec<String> = acs3_signed_header_names(&request)
        .into_iter()
        .filter(|n| n == "host" || n == "content-type" || n.starts_with("x-acs-"))
        .collect();
    let signature = acs3_signature(
        SECRET,
        &acs3_string_to_sign(&acs3_canonical_request(&request, &minimal)),
    );
    request.set_header(
        "Authorization",
        acs3_authorization(AK_ID, &minimal, &signature),
    );
    assert_eq!(verify(&request, lookup).unwrap().signed_headers, minimal);
}

#[test]
fn verify_sts_access_key_must_match() {
    for scheme in [SignatureScheme::RoaV1, SignatureScheme::Acs3HmacSha256] {
        let mut request = signed(scheme, &sts());
        request.set_header("x-acs-accesskey-id", AK_ID);
        assert_eq!(
            verify(&request, lookup).unwrap_err(),
            VerifyError::AccessKeyMismatch(STS_ID.to_owned())
        );
    }
}

#[test]
fn verify_rejects_malformed_authorization() {
    type Check = fn(&VerifyError) -> bool;
    let cases: &[(&str, Check)] = &[
        ("", |e| matches!(e, VerifyError::MalformedAuthorization(_))),
        ("acs", |e| {
            matches!(e, VerifyError::MalformedAuthorization(_))
        }),
        ("acs nocolon", |e| {
            matches!(e, VerifyError::MalformedAuthorization(_))
        }),
        ("acs :sig", |e| {
            matches!(e, VerifyError::MalformedAuthorization(_))
        }),
        ("Bearer x", |e| {
            *e == VerifyError::UnsupportedScheme("Bearer".to_owned())
        }),
        ("ACS3-HMAC-SM3 Credential=a", |e| {
            matches!(e, VerifyError::UnsupportedScheme(_))
        }),
        ("ACS3-HMAC-SHA256 Credential=a", |e| {
            matches!(e, VerifyError::MalformedAuthorization(_))
        }),
        (
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=",
            |e| matches!(e, VerifyError::MalformedAuthorization(_)),
        ),
        (
            "ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=host,Signature=x",
            |e| matches!(e, VerifyError::MalformedAuthorization(_)),
        ),
        (
            "ACS3-HMAC-SHA256 Credential=a,Foo=b,SignedHeaders=host,Signature=x",
            |e| matches!(e, VerifyError::MalformedAuthorization(_)),
        ),
        ("ACS3-HMAC-SHA256 garbage", |e| {
            matches!(e, VerifyError::MalformedAuthorization(_))
        }),
    ];
    for (value, check) in cases {
        let mut request = signed(SignatureScheme::Acs3HmacSha256, &ak());
        request.set_header("authorization", *value);
        let err = verify(&request, lookup).unwrap_err();
        assert!(check(&err), "{value:?}: {err:?}");
    }
    let mut request = signed(SignatureScheme::RoaV1, &ak());
    request.remove_header("authorization");
    assert_eq!(
        verify(&request, lookup).unwrap_err(),
        VerifyError::MissingAuthorization
    );
    let mut request = signed(SignatureScheme::RoaV1, &ak());
    request.set_header("x-acs-signature-method", "HMAC-SHA256");
    assert!(matches!(
        verify(&request, lookup),
        Err(VerifyError::UnexpectedHeaderValue { .. })
    ));
}

#[test]
fn request_debug_hides_the_token_and_the_body() {
    let mut request = scale_out_request("{\"login_password\":\"Hello@1234\"}");
    sign(
        &mut request,
        &params(&sts(), SignatureScheme::Acs3HmacSha256, "ScaleOutCluster"),
    );
    let debug = format!("{request:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(!debug.contains("Hello@1234"), "{debug}");
    assert!(
        debug.contains("<31 bytes>") && debug.contains(STS_ID),
        "{debug}"
    );
}

#[test]
fn verified_request_debug_hides_the_token() {
    let verified = verify(&signed(SignatureScheme::Acs3HmacSha256, &sts()), lookup).unwrap();
    let debug = format!("{verified:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(!debug.contains(SECRET), "{debug}");
}

#[test]
fn url_composition() {
    let mut request = HttpRequest::new("GET", "https", "cs.cn-hangzhou.aliyuncs.com", "");
    assert_eq!(request.url(), "https://cs.cn-hangzhou.aliyuncs.com/");
    request.path = CLUSTER_PATH.to_owned();
    request.host = "127.0.0.1:8080".to_owned();
    request.scheme = "http".into();
    request.query = pairs(&[("b", "x y/ä"), ("a", ""), ("k&=", "~")]);
    assert_eq!(
        request.url(),
        "http://127.0.0.1:8080/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x?b=x%20y%2F%C3%A4&a=&k%26%3D=~"
    );
}

#[test]
fn header_helpers() {
    let mut request = HttpRequest {
        headers: header_pairs(&[("Accept", "a"), ("x", "1"), ("ACCEPT", "b")]),
        ..HttpRequest::default()
    };
    assert_eq!(request.header("accept"), Some("a"));
    request.set_header("accept", "c");
    assert_eq!(
        request.headers,
        header_pairs(&[("Accept", "c"), ("x", "1")])
    );
    request.set_header("y", "2");
    assert_eq!(
        request.headers,
        header_pairs(&[("Accept", "c"), ("x", "1"), ("y", "2")])
    );
    assert_eq!(request.remove_header("X").as_deref(), Some("1"));
    assert_eq!(request.remove_header("x"), None);
    assert_eq!(
        request.headers,
        header_pairs(&[("Accept", "c"), ("y", "2")])
    );
}

#[test]
fn path_segment_encoding() {
    assert_eq!(
        percent_encode_path_segment("c-abc 1/ä+*~_.-x"),
        "c-abc%201%2F%C3%A4%2B%2A~_.-x"
    );
    assert_eq!(percent_encode_path_segment("c%41:9@x"), "c%2541%3A9%40x");
    assert_eq!(percent_encode_path_segment(""), "");
    assert_eq!(
        percent_encode_path_segment("AZaz09-_.~!$&'()*+,;=:@/?#[] "),
        "AZaz09-_.~%21%24%26%27%28%29%2A%2B%2C%3B%3D%3A%40%2F%3F%23%5B%5D%20"
    );
}

#[test]
fn canonical_query_and_resource() {
    let query = pairs(&[("b", "x y/ä"), ("a", ""), ("c", "1~*")]);
    assert_eq!(acs3_canonical_query(&query), "a=&b=x%20y%2F%C3%A4&c=1~%2A");
    assert_eq!(acs3_canonical_query(&[]), "");
    assert_eq!(
        roa_v1_canonicalized_resource("/p", &query),
        "/p?a&b=x y/ä&c=1~*"
    );
    assert_eq!(roa_v1_canonicalized_resource("/p", &[]), "/p");
}

#[test]
fn acs3_header_values_are_stripped_and_duplicates_joined() {
    let mut request = HttpRequest::new("GET", "https", "h", "");
    request.headers = header_pairs(&[("X-B", "  2 \t"), ("x-b", "1"), ("x-a", "\u{1f}v\u{a0}")]);
    let names = acs3_signed_header_names(&request);
    assert_eq!(names, ["x-a", "x-b"]);
    let canonical = acs3_canonical_request(&request, &names);
    assert!(
        canonical.starts_with("GET\n/\n\nx-a:v\nx-b:1,2\n\nx-a;x-b\n"),
        "{canonical}"
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn path_encoding_is_unreserved_and_reversible(s in "\\PC*") {
            let encoded = percent_encode_path_segment(&s);
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)));
            let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8();
            let decoded = decoded.ok();
            prop_assert_eq!(decoded.as_deref(), Some(s.as_str()));
        }

        #[test]
        fn roa_v1_string_to_sign_matches_a_plain_reading(
            headers in proptest::collection::vec(
                ("(x-acs-|X-Acs-|x-ACS-)?[a-c\0-]{0,20}|accept|content-md5|Content-Type|DATE", "[a-c ]{0,3}"),
                0..40,
            ),
        ) {
            let mut request = HttpRequest::new("POST", "https", "h", "/p");
            request.headers = headers
                .iter()
                .map(|(n, v)| (Text::Owned(n.clone()), Text::Owned(v.clone())))
                .collect();
            // The SDK's reading, written plainly: first value of each fixed header, then every
            // `x-acs-` header lower-cased and sorted by name, then value.
            let first = |name: &str| {
                headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map_or("", |(_, v)| v.as_str())
            };
            let mut acs: Vec<(String, &str)> = headers
                .iter()
                .filter(|(n, _)| n.to_ascii_lowercase().starts_with("x-acs-"))
                .map(|(n, v)| (n.to_ascii_lowercase(), v.as_str()))
                .collect();
            acs.sort();
            let mut expected = format!(
                "POST\n{}\n{}\n{}\n{}\n",
                first("accept"),
                first("content-md5"),
                first("content-type"),
                first("date")
            );
            for (name, value) in acs {
                expected.push_str(&format!("{name}:{value}\n"));
            }
            expected.push_str("/p");
            prop_assert_eq!(roa_v1_string_to_sign(&request), expected);
        }

        #[test]
        fn python_strip_strips_what_python_strips(value in "[ \t\n\u{b}\u{c}\r\u{1c}-\u{1f}\u{85}\u{a0}\u{2000}\u{3000}a~é]{0,8}") {
            let full = value.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c));
            prop_assert_eq!(python_strip(&value), full);
        }

        #[test]
        fn acs3_canonical_request_matches_a_plain_reading(
            headers in proptest::collection::vec(("[a-dA-D]{1,3}", "[a-c ]{0,3}"), 0..40),
            signed in proptest::collection::vec("[a-d]{1,3}", 0..6),
        ) {
            let mut request = HttpRequest::new("GET", "https", "h", "");
            request.headers = headers
                .iter()
                .map(|(n, v)| (Text::Owned(n.clone()), Text::Owned(v.clone())))
                .collect();
            let mut names = signed.clone();
            names.sort();
            names.dedup();
            let mut expected = String::from("GET\n/\n\n");
            for name in &names {
                let mut values: Vec<&str> = headers
                    .iter()
                    .filter(|(n, _)| n.to_ascii_lowercase() == *name)
                    .map(|(_, v)| v.trim())
                    .collect();
                values.sort();
                expected.push_str(&format!("{name}:{}\n", values.join(",")));
            }
            expected.push_str(&format!("\n{}\n{}", names.join(";"), crypto::sha256_hex(b"")));
            prop_assert_eq!(acs3_canonical_request(&request, &signed), expected);
        }

        #[test]
        fn path_encoding_matches_the_percent_encoding_crate(s in any::<String>()) {
            use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
            const NOT_UNRESERVED: &AsciiSet =
                &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
            let expected = utf8_percent_encode(&s, NOT_UNRESERVED).to_string();
            prop_assert_eq!(percent_encode_path_segment(&s), expected);
        }

        #[test]
        fn sign_then_verify_round_trips(
            body in proptest::collection::vec(any::<u8>(), 0..64),
            path in "/[a-zA-Z0-9%~._-]{0,20}",
            query in proptest::collection::vec(("[a-zA-Z]{1,5}", "\\PC{0,8}"), 0..4),
            extra in "[ -~]{0,10}",
            roa in any::<bool>(),
            with_token in any::<bool>(),
            secret in "\\PC{1,40}",
        ) {
            let credentials = Credentials::new("id", secret.clone());
            let credentials = if with_token { credentials.with_security_token("tok") } else { credentials };
            let scheme = if roa { SignatureScheme::RoaV1 } else { SignatureScheme::Acs3HmacSha256 };
            let mut request = HttpRequest::new("POST", "https", "h:1", path);
            request.body = body;
            request.query = query;
            request.set_header("x-acs-extra", extra);
            sign(&mut request, &params(&credentials, scheme, "A"));
            let verified = verify(&request, |id| (id == "id").then(|| secret.clone()));
            prop_assert!(verified.is_ok(), "{:?}", verified);
        }
    }
}
