//! Server-side verification of signed requests, for loopback test servers.

use std::time::SystemTime;

use super::{
    ACS3_HMAC_SHA256, HttpRequest, SignatureScheme, acs3_canonical_request, acs3_signature,
    acs3_string_to_sign, crypto, parse_acs_date, parse_http_date, roa_v1_signature,
    roa_v1_string_to_sign,
};
use crate::Sensitive;

/// What [`verify`] learned from a request whose signature is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedRequest {
    /// The signature scheme the client used.
    pub scheme: SignatureScheme,
    /// The access key id that signed the request.
    pub access_key_id: String,
    /// The STS security token, when the client sent one (`x-acs-security-token`).
    pub security_token: Option<Sensitive<String>>,
    /// The `x-acs-signature-nonce`; a server should reject nonces it has seen before.
    pub nonce: String,
    /// The signing time (`date` or `x-acs-date`); a server may reject large clock skews.
    pub time: SystemTime,
    /// The lower-case names of the signed headers: ACS3's `SignedHeaders`, or for ROA v1 the
    /// `x-acs-*` headers (which, with `accept`, `content-type` and `date`, ROA v1 signs).
    pub signed_headers: Vec<String>,
}

/// Why [`verify`] rejected a request. Messages never contain a secret, a security token or a
/// signature value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// There is no `authorization` header.
    #[error("the request has no authorization header")]
    MissingAuthorization,
    /// The authorization header uses an unknown or unsupported scheme.
    #[error(
        "unsupported authorization scheme `{0}`: expected `acs` (ROA signature v1) or `ACS3-HMAC-SHA256`"
    )]
    UnsupportedScheme(String),
    /// The authorization header could not be parsed.
    #[error("malformed authorization header: {0}")]
    MalformedAuthorization(&'static str),
    /// A header the scheme requires is absent.
    #[error("the request has no `{0}` header, which this signature scheme requires")]
    MissingHeader(&'static str),
    /// A date header is not in the format the scheme uses.
    #[error("the `{header}` header `{value}` is not a valid date ({expected})")]
    InvalidDate {
        /// `date` or `x-acs-date`.
        header: &'static str,
        /// The received value.
        value: String,
        /// The expected format.
        expected: &'static str,
    },
    /// A header has a value the scheme does not allow.
    #[error("the `{header}` header must be `{expected}`")]
    UnexpectedHeaderValue {
        /// The header name.
        header: &'static str,
        /// The only accepted value.
        expected: &'static str,
    },
    /// The access key id is not known to the server.
    #[error("unknown access key id `{0}`")]
    UnknownAccessKey(String),
    /// `x-acs-accesskey-id` names another access key than the authorization header.
    #[error(
        "the `x-acs-accesskey-id` header does not match the access key id `{0}` of the authorization header"
    )]
    AccessKeyMismatch(String),
    /// ACS3: `x-acs-content-sha256` is not the SHA-256 of the body that arrived.
    #[error("`x-acs-content-sha256` does not match the SHA-256 of the request body")]
    ContentHashMismatch,
    /// ACS3: a header the specification requires to be signed is not in `SignedHeaders`.
    #[error("the `{0}` header is present but not signed (it must be listed in SignedHeaders)")]
    UnsignedHeader(String),
    /// ACS3: `SignedHeaders` names a header the request does not have.
    #[error("SignedHeaders lists `{0}`, but the request has no such header")]
    SignedHeaderMissing(String),
    /// The signature does not match the request: it was altered, or signed with another secret.
    #[error("the signature does not match the request (wrong secret, or the request was altered)")]
    SignatureMismatch,
}

/// Verifies the signature of a received request, the way the service does.
///
/// The scheme is taken from the authorization header (`acs <id>:<sig>` for ROA v1,
/// `ACS3-HMAC-SHA256 Credential=…` for ACS3). `lookup_secret` maps an access key id to its
/// secret, or `None` when the id is unknown. The signature is recomputed over the request as
/// received (method, encoded path, decoded query pairs, headers, body) and compared in
/// constant time.
///
/// Both schemes require `x-acs-signature-nonce` and their date header (`date` for ROA v1,
/// `x-acs-date` for ACS3) in the format the SDK sends. ACS3 additionally requires
/// `x-acs-content-sha256` to equal the SHA-256 of the body, and `host`, `content-type` (when
/// present) and every `x-acs-*` header to be signed. When `x-acs-accesskey-id` is present it
/// must name the signing key. Nonce reuse and clock skew are left to the caller (see
/// [`VerifiedRequest::nonce`] and [`VerifiedRequest::time`]).
///
/// Note that ROA signature v1, as the SDK uses it (without `content-md5`), does not cover the
/// body: a ROA v1 request whose body was altered still verifies. ACS3 covers it.
pub fn verify(
    request: &HttpRequest,
    lookup_secret: impl Fn(&str) -> Option<String>,
) -> Result<VerifiedRequest, VerifyError> {
    let authorization = request
        .header("authorization")
        .ok_or(VerifyError::MissingAuthorization)?;
    let (scheme_name, rest) =
        authorization
            .split_once(' ')
            .ok_or(VerifyError::MalformedAuthorization(
                "expected `<scheme> <credentials>`",
            ))?;
    match scheme_name {
        "acs" => verify_roa_v1(request, rest, lookup_secret),
        ACS3_HMAC_SHA256 => verify_acs3(request, rest, lookup_secret),
        other => Err(VerifyError::UnsupportedScheme(other.to_owned())),
    }
}

fn required<'r>(request: &'r HttpRequest, name: &'static str) -> Result<&'r str, VerifyError> {
    request.header(name).ok_or(VerifyError::MissingHeader(name))
}

fn secret_for(
    access_key_id: &str,
    lookup_secret: impl Fn(&str) -> Option<String>,
) -> Result<Sensitive<String>, VerifyError> {
    lookup_secret(access_key_id)
        .map(Sensitive::new)
        .ok_or_else(|| VerifyError::UnknownAccessKey(access_key_id.to_owned()))
}

/// Checks `x-acs-accesskey-id` against the signing key and returns the security token.
fn sts_headers(
    request: &HttpRequest,
    access_key_id: &str,
) -> Result<Option<Sensitive<String>>, VerifyError> {
    if let Some(header_id) = request.header("x-acs-accesskey-id")
        && header_id != access_key_id
    {
        return Err(VerifyError::AccessKeyMismatch(access_key_id.to_owned()));
    }
    Ok(request
        .header("x-acs-security-token")
        .map(|token| Sensitive::new(token.to_owned())))
}

fn check_signature(expected: &str, received: &str) -> Result<(), VerifyError> {
    if crypto::constant_time_eq(expected.as_bytes(), received.as_bytes()) {
        Ok(())
    } else {
        Err(VerifyError::SignatureMismatch)
    }
}

fn verify_roa_v1(
    request: &HttpRequest,
    credentials: &str,
    lookup_secret: impl Fn(&str) -> Option<String>,
) -> Result<VerifiedRequest, VerifyError> {
    let (access_key_id, signature) =
        credentials
            .rsplit_once(':')
            .ok_or(VerifyError::MalformedAuthorization(
                "expected `acs <AccessKeyId>:<Signature>`",
            ))?;
    if access_key_id.is_empty() || signature.is_empty() {
        return Err(VerifyError::MalformedAuthorization(
            "expected `acs <AccessKeyId>:<Signature>`",
        ));
    }
    let nonce = required(request, "x-acs-signature-nonce")?;
    let date = required(request, "date")?;
    let time = parse_http_date(date).ok_or_else(|| VerifyError::InvalidDate {
        header: "date",
        value: date.to_owned(),
        expected: "RFC 1123, e.g. `Wed, 01 Jan 2025 00:00:00 GMT`",
    })?;
    for (header, expected) in [
        ("x-acs-signature-method", "HMAC-SHA1"),
        ("x-acs-signature-version", "1.0"),
    ] {
        if request
            .header(header)
            .is_some_and(|value| value != expected)
        {
            return Err(VerifyError::UnexpectedHeaderValue { header, expected });
        }
    }
    let security_token = sts_headers(request, access_key_id)?;
    let secret = secret_for(access_key_id, lookup_secret)?;

    let expected = roa_v1_signature(secret.expose(), &roa_v1_string_to_sign(request));
    check_signature(&expected, signature)?;

    let mut signed_headers: Vec<String> = request
        .headers
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .filter(|name| name.starts_with("x-acs-"))
        .collect();
    signed_headers.sort_unstable();
    signed_headers.dedup();
    Ok(VerifiedRequest {
        scheme: SignatureScheme::RoaV1,
        access_key_id: access_key_id.to_owned(),
        security_token,
        nonce: nonce.to_owned(),
        time,
        signed_headers,
    })
}

/// The three fields of an ACS3 authorization value.
struct Acs3Authorization<'a> {
    credential: &'a str,
    signed_headers: Vec<String>,
    signature: &'a str,
}

fn parse_acs3_authorization(value: &str) -> Result<Acs3Authorization<'_>, VerifyError> {
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in value.split(',') {
        let (key, field) =
            part.trim()
                .split_once('=')
                .ok_or(VerifyError::MalformedAuthorization(
                    "expected `Credential=…,SignedHeaders=…,Signature=…`",
                ))?;
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            _ => {
                return Err(VerifyError::MalformedAuthorization(
                    "unknown field; expected Credential, SignedHeaders and Signature",
                ));
            }
        };
        if slot.replace(field).is_some() {
            return Err(VerifyError::MalformedAuthorization("a field appears twice"));
        }
    }
    let credential = credential
        .filter(|c| !c.is_empty())
        .ok_or(VerifyError::MalformedAuthorization("no Credential"))?;
    let signed = signed
        .filter(|s| !s.is_empty())
        .ok_or(VerifyError::MalformedAuthorization("no SignedHeaders"))?;
    let signature = signature
        .filter(|s| !s.is_empty())
        .ok_or(VerifyError::MalformedAuthorization("no Signature"))?;
    Ok(Acs3Authorization {
        credential,
        signed_headers: signed.split(';').map(str::to_ascii_lowercase).collect(),
        signature,
    })
}

fn verify_acs3(
    request: &HttpRequest,
    credentials: &str,
    lookup_secret: impl Fn(&str) -> Option<String>,
) -> Result<VerifiedRequest, VerifyError> {
    let auth = parse_acs3_authorization(credentials)?;
    required(request, "host")?;
    let nonce = required(request, "x-acs-signature-nonce")?;
    let date = required(request, "x-acs-date")?;
    let time = parse_acs_date(date).ok_or_else(|| VerifyError::InvalidDate {
        header: "x-acs-date",
        value: date.to_owned(),
        expected: "`YYYY-MM-DDTHH:MM:SSZ` in UTC",
    })?;
    let content_hash = required(request, "x-acs-content-sha256")?;
    if !content_hash.eq_ignore_ascii_case(&crypto::sha256_hex(&request.body)) {
        return Err(VerifyError::ContentHashMismatch);
    }

    for name in &auth.signed_headers {
        if request.header(name).is_none() {
            return Err(VerifyError::SignedHeaderMissing(name.clone()));
        }
    }
    for (name, _) in &request.headers {
        let lower = name.to_ascii_lowercase();
        let must_be_signed =
            lower == "host" || lower == "content-type" || lower.starts_with("x-acs-");
        if must_be_signed && !auth.signed_headers.contains(&lower) {
            return Err(VerifyError::UnsignedHeader(lower));
        }
    }
    let security_token = sts_headers(request, auth.credential)?;
    let secret = secret_for(auth.credential, lookup_secret)?;

    let canonical = acs3_canonical_request(request, &auth.signed_headers);
    let expected = acs3_signature(secret.expose(), &acs3_string_to_sign(&canonical));
    check_signature(&expected, auth.signature)?;

    let mut signed_headers = auth.signed_headers;
    signed_headers.sort_unstable();
    signed_headers.dedup();
    Ok(VerifiedRequest {
        scheme: SignatureScheme::Acs3HmacSha256,
        access_key_id: auth.credential.to_owned(),
        security_token,
        nonce: nonce.to_owned(),
        time,
        signed_headers,
    })
}
