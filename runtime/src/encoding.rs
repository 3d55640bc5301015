//! Percent-encoding as the official SDK does it (`DaraURL.percent_encode`).

/// Encodes every UTF-8 byte outside `A–Z a–z 0–9 - _ . ~` as `%XX` (upper-case hex), as
/// the official SDK encodes path labels and query values.
pub fn percent_encode(text: &str) -> String {
    crate::signing::percent_encode_path_segment(text)
}

/// Standard base64 (RFC 4648 alphabet, with padding), as the API expects `user_data`.
pub fn base64_encode(raw: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(raw)
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_the_sdk_examples() {
        assert_eq!(
            super::percent_encode("c-abc 1/ä+*~_.-x"),
            "c-abc%201%2F%C3%A4%2B%2A~_.-x"
        );
        assert_eq!(super::percent_encode("c%41:9@x"), "c%2541%3A9%40x");
    }
}
