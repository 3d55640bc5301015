//! One test per crash the fuzz targets in `fuzz/` found (see fuzz/README.md and the Fuzzing
//! section of BENCHMARKS.md), with the input that found it.

use acs_runtime::client::ServiceError;

/// `fuzz/fuzz_targets/service_error.rs`: the summary of an HTML error page was its `<title>`
/// verbatim, however long and with line breaks and control characters in it, so `Display`
/// of the error spanned several lines. It is now one line of at most 200 characters.
#[test]
fn an_html_title_becomes_one_short_line() {
    // The fuzzer's input (crash-aade55ce6fab621e98c947c0f02a6230e836d1a0): the first two
    // bytes are the status, the third the flags, the rest the body.
    let input: &[u8] = b"\xb7nnnn\x00\x00\x04\x80n<title>1e\xffd\n0\n\n<html\x93:\x01\n\n";
    let [a, b, _flags, body @ ..] = input else {
        unreachable!()
    };
    let error = ServiceError::parse(u16::from_le_bytes([*a, *b]), None, None, body);
    let message = error.message.as_deref().expect("a summary");
    assert_eq!(message, "HTML error page: 1e\u{fffd}d 0");
    assert!(!error.to_string().contains('\n'), "{error}");

    let page = "<html><head><TITLE>\n  502\r\n\tBad\x00Gateway  \n</TITLE></head></html>";
    let error = ServiceError::parse(502, None, None, page.as_bytes());
    assert_eq!(
        error.message.as_deref(),
        Some("HTML error page: 502 Bad Gateway")
    );

    let long = format!("<html><title>{}</title></html>", "word ".repeat(100));
    let error = ServiceError::parse(502, None, None, long.as_bytes());
    let message = error.message.expect("a summary");
    assert_eq!(message.chars().count(), "HTML error page: ".len() + 200);
    // The body itself is kept as received.
    assert_eq!(error.body, long);
}
