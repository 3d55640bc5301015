//! Percent-encoding and canonical query strings, exactly as the official Python SDK builds them.

/// Percent-encodes one path segment (a path label such as `ClusterId`) the way the SDK does.
///
/// Every UTF-8 byte outside `A-Z a-z 0-9 - _ . ~` becomes `%XX` with upper-case hex digits.
/// That includes `/`, space, `%`, `:`, `@`, `+` and `*`, so a label can never change the shape of
/// the path and an already-encoded value is encoded again (`%41` → `%2541`).
///
/// ```
/// use acs_runtime::signing::percent_encode_path_segment;
/// assert_eq!(percent_encode_path_segment("c-abc 1/ä+*~_.-x"), "c-abc%201%2F%C3%A4%2B%2A~_.-x");
/// assert_eq!(percent_encode_path_segment("c%41:9@x"), "c%2541%3A9%40x");
/// ```
pub fn percent_encode_path_segment(segment: &str) -> String {
    percent_encode_rfc3986(segment)
}

/// Percent-encodes a query key or value with the RFC 3986 unreserved set (space becomes `%20`,
/// never `+`). Used for the URL that is sent and for the ACS3 canonical query values.
pub(crate) fn percent_encode_rfc3986(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_percent_encoded(&mut out, value);
    out
}

/// Appends `value` to `out`, percent-encoded like [`percent_encode_path_segment`].
pub fn push_percent_encoded(out: &mut String, value: &str) {
    // Runs of unreserved characters are copied whole. They are ASCII, so they start and end on
    // character boundaries; every other byte (all bytes of a non-ASCII character) is `%XX`.
    out.reserve(value.len());
    let mut plain_from = 0;
    for (at, &byte) in value.as_bytes().iter().enumerate() {
        if UNRESERVED[usize::from(byte)] {
            continue;
        }
        if plain_from < at {
            out.push_str(value.get(plain_from..at).unwrap_or_default());
        }
        let at_hex = usize::from(byte) * 3;
        out.push_str(ESCAPES.get(at_hex..at_hex + 3).unwrap_or_default());
        plain_from = at + 1;
    }
    out.push_str(value.get(plain_from..).unwrap_or_default());
}

/// Whether each byte is RFC 3986 unreserved (`A-Z a-z 0-9 - _ . ~`), the only bytes the
/// encoding keeps.
///
/// This is Python's `urllib.parse.quote(s, safe='')` (and `quote(s, safe='~')`: since Python 3.7
/// `~` is always safe), which the SDK uses both for path labels (`DaraURL.percent_encode`) and
/// for query values in the ACS3 canonical query string.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        byte += 1;
    }
    table
};

/// `%00%01…%FF`: the escape of byte `b` is at `3 * b`.
static ESCAPES: &str = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    const BYTES: [u8; 768] = {
        let mut bytes = [0u8; 768];
        let mut byte = 0;
        while byte < 256 {
            bytes[3 * byte] = b'%';
            bytes[3 * byte + 1] = HEX[byte >> 4];
            bytes[3 * byte + 2] = HEX[byte & 0x0f];
            byte += 1;
        }
        bytes
    };
    match std::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => panic!("percent escapes are ASCII"),
    }
};

/// The query string as it appears in the URL: `k=v` pairs in the given order, keys and values
/// percent-encoded with the RFC 3986 unreserved set, joined by `&`. Empty when there is no query.
pub(crate) fn url_query(query: &[(String, String)]) -> String {
    let mut out = String::new();
    for (key, value) in query {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&percent_encode_rfc3986(key));
        out.push('=');
        out.push_str(&percent_encode_rfc3986(value));
    }
    out
}

/// Query pairs sorted by key, then by value (the SDK's query is a dict, so keys are unique there;
/// sorting by value too keeps repeated keys deterministic).
fn sorted_pairs(query: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut pairs: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.sort_unstable();
    pairs
}

/// The ACS3 canonical query string (`get_canonical_query_string` in the SDK's `utils.py`).
///
/// Keys are sorted and used **unencoded**; values are encoded with Python's
/// `quote(v, safe='~')`; every pair is `k=v` (also when `v` is empty); pairs are joined by `&`.
///
/// ```
/// use acs_runtime::signing::acs3_canonical_query;
/// let q = vec![("b".to_owned(), "x y/ä".to_owned()), ("a".to_owned(), String::new())];
/// assert_eq!(acs3_canonical_query(&q), "a=&b=x%20y%2F%C3%A4");
/// ```
pub fn acs3_canonical_query(query: &[(String, String)]) -> String {
    sorted_pairs(query)
        .into_iter()
        .map(|(k, v)| format!("{k}={}", percent_encode_rfc3986(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The ROA v1 canonicalized resource (`Utils._get_canonicalized_resource` in the SDK).
///
/// The already-encoded `path` as is; when there is a query, `?` followed by the pairs sorted by
/// key, each `k=v` with the **raw, unencoded** value, or just `k` when the value is empty,
/// joined by `&`.
///
/// ```
/// use acs_runtime::signing::roa_v1_canonicalized_resource;
/// let q = vec![("b".to_owned(), "x y".to_owned()), ("a".to_owned(), String::new())];
/// assert_eq!(roa_v1_canonicalized_resource("/api/v2/clusters/c1", &q), "/api/v2/clusters/c1?a&b=x y");
/// ```
pub fn roa_v1_canonicalized_resource(path: &str, query: &[(String, String)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let pairs = sorted_pairs(query)
        .into_iter()
        .map(|(k, v)| {
            if v.is_empty() {
                k.to_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&");
    format!("{path}?{pairs}")
}
