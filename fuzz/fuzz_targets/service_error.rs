//! The error parser: `ServiceError::parse` of any status and body (JSON in either casing,
//! HTML, plain text, binary), then everything a caller does with it.
//!
//! Invariants: nothing panics; the raw body is kept (lossily decoded); a non-JSON message is
//! one line.
#![no_main]

use acs_runtime::client::{Error, ServiceError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [a, b, flags, body @ ..] = data else {
        return;
    };
    let status = u16::from_le_bytes([*a, *b]);
    let header_request_id = (flags & 1 != 0).then_some("HEADER-ID");
    let retry_after = (flags & 2 != 0).then_some(u64::from(*flags));
    let error = ServiceError::parse(status, header_request_id, retry_after, body);
    assert_eq!(error.body, String::from_utf8_lossy(body));
    assert_eq!(error.status, status);
    if serde_json::from_slice::<serde_json::Value>(body).is_err()
        && let Some(message) = &error.message
    {
        assert!(!message.contains('\n'), "a multi-line summary: {message:?}");
    }
    let _ = error.is_throttling();
    let _ = format!("{error} {error:?}");
    let wrapped = Error::Service(Box::new(error));
    let _ = format!("{wrapped} {wrapped:?}");
    let _ = wrapped.outcome_unknown();
});
