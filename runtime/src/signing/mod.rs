//! The HTTP request model and the two signature schemes of Alibaba Cloud ROA APIs, byte for byte
//! as the official Python SDK (`alibabacloud-tea-openapi` 0.4.6) produces them.
//!
//! * [`SignatureScheme::Acs3HmacSha256`] (the default, the SDK's "signature v3"):
//!   `x-acs-date`, `x-acs-content-sha256` and
//!   `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`.
//! * [`SignatureScheme::RoaV1`] (the SDK's `signature_algorithm='v2'`): an RFC 1123 `date`,
//!   `x-acs-signature-method: HMAC-SHA1` and `authorization: acs <AccessKeyId>:<Signature>`.
//!
//! [`sign`] inserts every header the SDK sends, in the SDK's order. The pure building blocks
//! ([`roa_v1_string_to_sign`], [`acs3_canonical_request`], …) are public so that conformance
//! tests can compare each step, and [`verify`] checks a received request the way the service
//! does, for loopback test servers.
//!
//! Nothing in this module logs, and no error it returns contains a secret or a security token.

mod crypto;
mod encoding;
mod nonce;
mod time;
mod verify;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::REDACTED;
use crate::credentials::Credentials;

pub(crate) use crypto::HmacKeys;
pub(crate) use encoding::url_query;
pub use encoding::{
    acs3_canonical_query, percent_encode_path_segment, push_percent_encoded,
    roa_v1_canonicalized_resource,
};
pub use nonce::new_nonce;
pub use time::{format_acs_date, format_http_date, parse_acs_date, parse_http_date};
pub use verify::{VerifiedRequest, VerifyError, verify};

/// The `user-agent` [`sign`] sends unless the request already carries one:
/// `acs-rust/<version of acs-runtime>`.
///
/// The official SDK sends `AlibabaCloud (<os>; <arch>) Python/<v> Core/<v> TeaDSL/2`, followed by
/// a user-configured suffix. To send a custom or extended user agent, set a `user-agent` header
/// on the request before signing (for example `format!("{USER_AGENT} my-tool/1.0")`); it takes
/// this header's place, as the SDK's per-call headers do.
pub const USER_AGENT: &str = concat!("acs-rust/", env!("CARGO_PKG_VERSION"));

/// The `content-type` [`sign`] sets when the request has a body and no content type yet.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The algorithm name of ACS3-HMAC-SHA256, as it appears in the string to sign and in
/// `Authorization`.
pub const ACS3_HMAC_SHA256: &str = "ACS3-HMAC-SHA256";

/// Text that is usually a constant (`"host"`, `"application/json"`) and sometimes computed:
/// header names and values, the method and the scheme. Constants cost no allocation.
pub type Text = Cow<'static, str>;

/// An HTTP request as it goes on the wire: what is signed is exactly what is sent.
///
/// `Debug` shows the body's length only (bodies carry passwords) and redacts the values of
/// [`SECRET_HEADERS`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST`, … (upper case).
    pub method: Text,
    /// `https` or `http`.
    pub scheme: Text,
    /// `host` or `host:port`; sent verbatim as the `host` header and used in the URL.
    pub host: String,
    /// The path, already percent-encoded (see [`percent_encode_path_segment`]); used verbatim.
    pub path: String,
    /// Query parameters, unencoded, in sending order.
    pub query: Vec<(String, String)>,
    /// Headers in sending order. Names are compared case-insensitively.
    pub headers: Vec<(Text, Text)>,
    /// The body bytes; empty for requests without a body.
    pub body: Vec<u8>,
}

/// Headers whose values `Debug` of [`HttpRequest`] never shows.
pub const SECRET_HEADERS: &[&str] = &["x-acs-security-token", "x-acs-bearer-token"];

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let secret = SECRET_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name));
                (
                    name.as_ref(),
                    if secret { REDACTED } else { value.as_ref() },
                )
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("scheme", &self.scheme)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl HttpRequest {
    /// A request with no query, no headers and no body.
    pub fn new(
        method: impl Into<Text>,
        scheme: impl Into<Text>,
        host: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        Self {
            method: method.into(),
            scheme: scheme.into(),
            host: host.into(),
            path: path.into(),
            ..Self::default()
        }
    }

    /// The URL to send the request to: `scheme://host` + path (`/` when empty) + `?query`, with
    /// query keys and values percent-encoded per RFC 3986 (space is `%20`).
    pub fn url(&self) -> String {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        let mut url = format!("{}://{}{path}", self.scheme, self.host);
        let query = encoding::url_query(&self.query);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        url
    }

    /// The value of the first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    /// Sets a header like a Python dict assignment does: when a header with that name
    /// (case-insensitively) exists, its value is replaced in place, keeping its position, and
    /// any later duplicates are removed; otherwise the header is appended.
    pub fn set_header(&mut self, name: impl Into<Text>, value: impl Into<Text>) {
        set_header(&mut self.headers, name.into(), value.into());
    }

    /// Removes every header called `name` (case-insensitively) and returns the first value.
    pub fn remove_header(&mut self, name: &str) -> Option<Text> {
        let first = self.header(name).map(|v| Text::Owned(v.to_owned()));
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        first
    }
}

/// [`HttpRequest::set_header`] on a header list.
fn set_header(headers: &mut Vec<(Text, Text)>, name: Text, value: Text) {
    let Some(index) = headers
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case(&name))
    else {
        headers.push((name, value));
        return;
    };
    let mut seen = 0usize;
    headers.retain(|(n, _)| {
        let duplicate = n.eq_ignore_ascii_case(&name);
        seen += usize::from(duplicate);
        !duplicate || seen == 1
    });
    if let Some(slot) = headers.get_mut(index) {
        slot.1 = value;
    }
}

/// Which signature [`sign`] computes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SignatureScheme {
    /// ROA signature v1, HMAC-SHA1 (the SDK's `Config(signature_algorithm='v2')`).
    RoaV1,
    /// ACS3-HMAC-SHA256, the SDK's default.
    #[default]
    Acs3HmacSha256,
}

/// Everything [`sign`] needs besides the request.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// The API name, sent as `x-acs-action` (e.g. `ScaleOutCluster`).
    pub action: &'static str,
    /// The API version, sent as `x-acs-version` (e.g. `2015-12-15`).
    pub version: &'static str,
    /// Who signs.
    pub credentials: &'a Credentials,
    /// Which signature to compute.
    pub scheme: SignatureScheme,
    /// The signing time (sent as `date` or `x-acs-date`). Take it fresh for every attempt.
    pub time: SystemTime,
    /// The `x-acs-signature-nonce`; use [`new_nonce`] for every attempt.
    pub nonce: &'a str,
    /// `Some((attempt, delay_ms))` on a retry: the attempt number (1 for the first retry) and
    /// the backoff delay in milliseconds, sent as `x-acs-retry-attempts` and
    /// `x-acs-retry-delay`. Nothing is sent for `None` or an attempt of 0, as in the SDK.
    pub retry: Option<(u32, u64)>,
}

/// Headers that [`sign`] computes itself; copies already on the request are dropped first so
/// that signing the same request again (for instance on a retry) gives fresh values.
const SIGNER_OWNED_HEADERS: &[&str] = &[
    "host",
    "date",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-signature-method",
    "x-acs-signature-version",
    "x-acs-version",
    "x-acs-action",
    "x-acs-retry-attempts",
    "x-acs-retry-delay",
    "x-acs-content-sha256",
    "x-acs-credentials-provider",
    "x-acs-accesskey-id",
    "x-acs-security-token",
    "authorization",
];

fn is_signer_owned(name: &str) -> bool {
    SIGNER_OWNED_HEADERS
        .iter()
        .any(|owned| owned.eq_ignore_ascii_case(name))
}

/// Signs `request` in place: sets every header the official SDK sends, in its order, and then
/// the authorization header.
///
/// Order for [`SignatureScheme::RoaV1`]: `date`, `host`, `accept`, `x-acs-signature-nonce`,
/// `x-acs-signature-method`, `x-acs-signature-version`, `x-acs-version`, `x-acs-action`,
/// `user-agent`, *(extra headers)*, `x-acs-retry-attempts`, `x-acs-retry-delay`,
/// `content-type`, `x-acs-credentials-provider`, `x-acs-accesskey-id`,
/// `x-acs-security-token`, `authorization`.
///
/// Order for [`SignatureScheme::Acs3HmacSha256`]: `host`, `x-acs-version`, `x-acs-action`,
/// `user-agent`, `x-acs-date`, `x-acs-signature-nonce`, `accept`, *(extra headers)*,
/// `x-acs-retry-attempts`, `x-acs-retry-delay`, `content-type`, `x-acs-content-sha256`,
/// `x-acs-credentials-provider`, `x-acs-accesskey-id`, `x-acs-security-token`,
/// `Authorization` (the SDK capitalises it on this path only).
///
/// * **Extra headers**: headers already on the request play the part of the SDK's global and
///   per-call headers. They are merged in at the point shown, like a Python dict update: one
///   with the name of an earlier header (`accept`, `user-agent`) replaces its value in place,
///   others are appended. Headers the signer computes (`host`, dates, nonce, `x-acs-version`,
///   `x-acs-action`, retry headers, hashes, credential headers, `authorization`) are discarded
///   and recomputed, so a request can be signed again for a retry.
/// * **Retry headers** are sent only for `retry: Some((n, delay))` with `n >= 1`.
/// * **Body**: when the body is non-empty, `content-type: application/json; charset=utf-8` is
///   set at the SDK's position (the SDK always sends a JSON body, `{}` at least, for JSON
///   operations), unless the request already has another content type, which is kept where
///   it is (for non-JSON bodies). An empty body gets no `content-type`, as in the SDK for
///   operations without a body; ACS3 then hashes the empty string.
/// * `x-acs-credentials-provider` is the credentials' provider name (omitted when empty);
///   `x-acs-accesskey-id` and `x-acs-security-token` are sent only with a security token.
///   All of them are signed.
pub fn sign(request: &mut HttpRequest, params: &SigningParams<'_>) {
    let extras = std::mem::take(&mut request.headers);
    // The headers are built in their final order; only extra headers need a lookup.
    let mut headers: Vec<(Text, Text)> = Vec::with_capacity(extras.len() + 18);
    let host = Text::Owned(request.host.clone());
    let nonce = Text::Owned(params.nonce.to_owned());
    let static_header = |name: &'static str, value: &'static str| (name.into(), value.into());
    match params.scheme {
        SignatureScheme::RoaV1 => headers.extend([
            ("date".into(), format_http_date(params.time).into()),
            ("host".into(), host),
            static_header("accept", "application/json"),
            ("x-acs-signature-nonce".into(), nonce),
            static_header("x-acs-signature-method", "HMAC-SHA1"),
            static_header("x-acs-signature-version", "1.0"),
            static_header("x-acs-version", params.version),
            static_header("x-acs-action", params.action),
            static_header("user-agent", USER_AGENT),
        ]),
        SignatureScheme::Acs3HmacSha256 => headers.extend([
            ("host".into(), host),
            static_header("x-acs-version", params.version),
            static_header("x-acs-action", params.action),
            static_header("user-agent", USER_AGENT),
            ("x-acs-date".into(), format_acs_date(params.time).into()),
            ("x-acs-signature-nonce".into(), nonce),
            static_header("accept", "application/json"),
        ]),
    }
    let mut has_content_type = false;
    for (name, value) in extras {
        let is_content_type = name.eq_ignore_ascii_case("content-type");
        let signer_set_content_type = is_content_type && value == JSON_CONTENT_TYPE;
        if is_signer_owned(&name) || signer_set_content_type {
            continue;
        }
        has_content_type |= is_content_type;
        set_header(&mut headers, name, value);
    }
    // From here on every header is new: signer-owned names were dropped above.
    if let Some((attempt, delay_ms)) = params.retry
        && attempt > 0
    {
        headers.push(("x-acs-retry-attempts".into(), attempt.to_string().into()));
        headers.push(("x-acs-retry-delay".into(), delay_ms.to_string().into()));
    }
    if !request.body.is_empty() && !has_content_type {
        headers.push(static_header("content-type", JSON_CONTENT_TYPE));
    }
    // Only ACS3 sends (and signs) the body's hash.
    // Its position is remembered so that the canonical request can read it back.
    let payload_hash_at = (params.scheme == SignatureScheme::Acs3HmacSha256).then(|| {
        headers.push((
            "x-acs-content-sha256".into(),
            crypto::sha256_hex(&request.body).into(),
        ));
        headers.len() - 1
    });

    let credentials = params.credentials;
    if !credentials.provider_name().is_empty() {
        headers.push((
            "x-acs-credentials-provider".into(),
            credentials.provider_name_text(),
        ));
    }
    if let Some(token) = credentials.security_token() {
        headers.push((
            "x-acs-accesskey-id".into(),
            credentials.access_key_id().to_owned().into(),
        ));
        headers.push(("x-acs-security-token".into(), token.to_owned().into()));
    }
    request.headers = headers;

    // The same strings to sign that `verify` and the conformance tests check; the MACs start
    // from the credentials' keyed states (equal to `roa_v1_signature` and `acs3_signature`).
    let keys = credentials.hmac_keys();
    let id = credentials.access_key_id();
    let (name, authorization) = match params.scheme {
        SignatureScheme::RoaV1 => {
            let mac = keys.sha1(roa_v1_string_to_sign(request).as_bytes());
            let mut value = String::with_capacity(ROA_V1_PREFIX.len() + id.len() + 29);
            value.push_str(ROA_V1_PREFIX);
            value.push_str(id);
            value.push(':');
            BASE64.encode_string(mac, &mut value);
            ("authorization", value)
        }
        SignatureScheme::Acs3HmacSha256 => {
            let hash = payload_hash_at
                .and_then(|at| request.headers.get(at))
                .map_or("", |(_, hash)| hash.as_ref());
            let canonical = Acs3Canonical::build(request, None, hash);
            let mac = keys.sha256(acs3_string_to_sign(&canonical.request).as_bytes());
            (
                "Authorization",
                acs3_authorization_value(id, &canonical.signed_headers, Signature::Mac(&mac)),
            )
        }
    };
    request.headers.push((name.into(), authorization.into()));
}

/// What comes before `<AccessKeyId>:<Signature>` in a ROA v1 `authorization` value.
const ROA_V1_PREFIX: &str = "acs ";

/// The ROA v1 string to sign (`Utils.get_string_to_sign` in the SDK):
///
/// ```text
/// METHOD \n accept \n content-md5 \n content-type \n date \n
/// CanonicalizedHeaders CanonicalizedResource
/// ```
///
/// Missing headers count as empty strings. `CanonicalizedHeaders` is one `name:value\n` line
/// per header whose name starts with `x-acs-`, sorted by name; the SDK only uses lower-case
/// names, and names are matched case-insensitively and lower-cased here so that a server that
/// normalises header case verifies the same string. Values are not trimmed.
/// `CanonicalizedResource` is [`roa_v1_canonicalized_resource`].
pub fn roa_v1_string_to_sign(request: &HttpRequest) -> String {
    // One pass: the first value of each fixed header, and every `x-acs-` header.
    const FIXED: [&str; 4] = ["accept", "content-md5", "content-type", "date"];
    let mut fixed = [None::<&str>; 4];
    let mut acs_headers: Vec<(Cow<'_, str>, &str)> = Vec::with_capacity(request.headers.len());
    for (name, value) in &request.headers {
        if name
            .get(..ACS_PREFIX.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(ACS_PREFIX))
        {
            acs_headers.push((lower_case(name), value));
            continue;
        }
        // The fixed names differ in length, so the length picks the one candidate.
        let at = match name.len() {
            6 => 0,
            11 => 1,
            12 => 2,
            4 => 3,
            _ => continue,
        };
        if let (Some(candidate), Some(slot)) = (FIXED.get(at), fixed.get_mut(at))
            && candidate.eq_ignore_ascii_case(name)
        {
            slot.get_or_insert(value.as_ref());
        }
    }
    acs_headers.sort_unstable();
    let resource = if request.query.is_empty() {
        Cow::Borrowed(request.path.as_str())
    } else {
        Cow::Owned(roa_v1_canonicalized_resource(&request.path, &request.query))
    };
    let [accept, content_md5, content_type, date] = fixed.map(Option::unwrap_or_default);
    let fixed = [
        request.method.as_ref(),
        accept,
        content_md5,
        content_type,
        date,
    ];
    let capacity = fixed.iter().map(|part| part.len() + 1).sum::<usize>()
        + acs_headers
            .iter()
            .map(|(name, value)| name.len() + value.len() + 2)
            .sum::<usize>()
        + resource.len();
    let mut out = String::with_capacity(capacity);
    for part in fixed {
        out.push_str(part);
        out.push('\n');
    }
    for (name, value) in acs_headers {
        out.push_str(&name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push_str(&resource);
    out
}

/// The prefix of the headers ROA v1 signs by name.
const ACS_PREFIX: &str = "x-acs-";

/// `name` in lower case, borrowed when it already is (the signer's names always are).
fn lower_case(name: &str) -> Cow<'_, str> {
    // `fold` rather than `any`: without the early exit the loop is vectorised.
    if name
        .bytes()
        .fold(false, |upper, b| upper | b.is_ascii_uppercase())
    {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// The ROA v1 signature: `base64(HMAC-SHA1(key = secret, message = string_to_sign))`.
pub fn roa_v1_signature(secret: &str, string_to_sign: &str) -> String {
    BASE64.encode(crypto::hmac_sha1(
        secret.as_bytes(),
        string_to_sign.as_bytes(),
    ))
}

/// The names ACS3 signs when signing like the SDK: every header on the request, lower-cased,
/// sorted and deduplicated, except `authorization` (which cannot sign itself).
pub fn acs3_signed_header_names(request: &HttpRequest) -> Vec<String> {
    let mut names: Vec<String> = request
        .headers
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .filter(|name| name != "authorization")
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Python's `str.strip()` with no argument: Unicode whitespace plus the ASCII separators
/// U+001C–U+001F that Python also counts as whitespace.
fn python_strip(value: &str) -> &str {
    // Most values start and end with a visible ASCII character, which is no whitespace.
    let visible = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    if visible(value.as_bytes().first()) && visible(value.as_bytes().last()) {
        return value;
    }
    value.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// The ACS3 canonical request (`Utils.get_authorization` in the SDK):
///
/// ```text
/// METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
/// ```
///
/// * `CanonicalURI` is the already-encoded path, or `/` when it is empty;
/// * `CanonicalQuery` is [`acs3_canonical_query`];
/// * `CanonicalHeaders` has one `name:value\n` line per signed header name (lower-cased,
///   sorted, deduplicated), the value stripped of surrounding whitespace; several headers with
///   the same name contribute their stripped values sorted and joined by `,`; it already ends
///   in `\n`, so an empty line precedes `SignedHeaders`;
/// * `SignedHeaders` is the names joined by `;`;
/// * `HashedPayload` is the lower-case hex SHA-256 of the body (of the empty string when there
///   is no body).
pub fn acs3_canonical_request<S: AsRef<str>>(
    request: &HttpRequest,
    signed_header_names: &[S],
) -> String {
    let mut names: Vec<Cow<'_, str>> = signed_header_names
        .iter()
        .map(|name| lower_case(name.as_ref()))
        .collect();
    names.sort_unstable();
    names.dedup();
    let hash = crypto::sha256_hex(&request.body);
    Acs3Canonical::build(request, Some(&names), &hash).request
}

/// The canonical request and the `SignedHeaders` list, built together.
struct Acs3Canonical {
    request: String,
    signed_headers: String,
}

impl Acs3Canonical {
    /// Signs `names` (lower-case, sorted and deduplicated), or every header on the request but
    /// `authorization` for `None`.
    fn build(request: &HttpRequest, names: Option<&[Cow<'_, str>]>, payload_hash: &str) -> Self {
        // Every header's (lower-case name, stripped value), sorted: the values of one name are
        // then adjacent and in the order the canonical form wants.
        let mut values: Vec<(Cow<'_, str>, &str)> = Vec::with_capacity(request.headers.len());
        values.extend(
            request
                .headers
                .iter()
                .map(|(name, value)| (lower_case(name), python_strip(value)))
                .filter(|(name, _)| names.is_some() || name != "authorization"),
        );
        values.sort_unstable();

        let uri = if request.path.is_empty() {
            "/"
        } else {
            &request.path
        };
        let query = acs3_canonical_query(&request.query);
        let header_bytes: usize = values.iter().map(|(n, v)| n.len() + v.len() + 3).sum();
        let mut signed_headers = String::with_capacity(header_bytes);
        let mut out = String::with_capacity(
            request.method.len()
                + uri.len()
                + query.len()
                + 2 * header_bytes
                + payload_hash.len()
                + 8,
        );
        out.push_str(&request.method);
        out.push('\n');
        out.push_str(uri);
        out.push('\n');
        out.push_str(&query);
        out.push('\n');
        let mut push_line = |name: &str, group: &[(Cow<'_, str>, &str)]| {
            out.push_str(name);
            out.push(':');
            for (index, (_, value)) in group.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(value);
            }
            out.push('\n');
            if !signed_headers.is_empty() {
                signed_headers.push(';');
            }
            signed_headers.push_str(name);
        };
        let mut rest = values.as_slice();
        match names {
            Some(names) => {
                for name in names {
                    // Headers whose names sort before this one are not signed.
                    let start = rest.partition_point(|(n, _)| n.as_ref() < name.as_ref());
                    rest = &rest[start..];
                    let count = rest.partition_point(|(n, _)| n == name);
                    push_line(name, &rest[..count]);
                    rest = &rest[count..];
                }
            }
            None => {
                while let Some((name, _)) = rest.first() {
                    let count = rest.partition_point(|(n, _)| n == name);
                    push_line(name, &rest[..count]);
                    rest = &rest[count..];
                }
            }
        }
        out.push('\n');
        out.push_str(&signed_headers);
        out.push('\n');
        out.push_str(payload_hash);
        Self {
            request: out,
            signed_headers,
        }
    }
}

/// The ACS3 string to sign: `ACS3-HMAC-SHA256\n` + lower-case hex SHA-256 of the canonical
/// request.
pub fn acs3_string_to_sign(canonical_request: &str) -> String {
    let mut out = String::with_capacity(ACS3_HMAC_SHA256.len() + 65);
    out.push_str(ACS3_HMAC_SHA256);
    out.push('\n');
    crypto::push_hex(&mut out, &crypto::sha256(canonical_request.as_bytes()));
    out
}

/// The ACS3 signature: lower-case hex `HMAC-SHA256(key = secret, message = string_to_sign)`.
pub fn acs3_signature(secret: &str, string_to_sign: &str) -> String {
    crypto::hex(&crypto::hmac_sha256(
        secret.as_bytes(),
        string_to_sign.as_bytes(),
    ))
}

/// The ACS3 `Authorization` value:
/// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b;c>,Signature=<hex>`.
pub fn acs3_authorization<S: AsRef<str>>(
    access_key_id: &str,
    signed_header_names: &[S],
    signature: &str,
) -> String {
    let signed = signed_header_names
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(";");
    acs3_authorization_value(access_key_id, &signed, Signature::Text(signature))
}

/// An ACS3 signature as text, or as the MAC whose hex it is.
enum Signature<'a> {
    Text(&'a str),
    Mac(&'a [u8; 32]),
}

/// [`acs3_authorization`] with the signed header names already joined by `;`.
fn acs3_authorization_value(
    access_key_id: &str,
    signed_headers: &str,
    signature: Signature<'_>,
) -> String {
    let parts = [
        ACS3_HMAC_SHA256,
        " Credential=",
        access_key_id,
        ",SignedHeaders=",
        signed_headers,
        ",Signature=",
    ];
    let mut value = String::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + 64);
    parts.iter().for_each(|part| value.push_str(part));
    match signature {
        Signature::Text(text) => value.push_str(text),
        Signature::Mac(mac) => crypto::push_hex(&mut value, mac),
    }
    value
}
