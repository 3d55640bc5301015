//! What `#[derive(Operation)]` implements: an API operation's binding to HTTP.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::validate::Validate;

/// Whether an operation sends a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// A JSON body holding every member not bound elsewhere (`{}` when none is set).
    Json,
    /// No body.
    None,
}

/// A request that cannot be turned into HTTP, whatever the validation mode.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// A path label is empty: the request would address another resource.
    #[error(
        "path label `{label}` is empty; it must be set, or the request would address another resource"
    )]
    EmptyPathLabel {
        /// The label, as the path template names it.
        label: &'static str,
    },
    /// The body could not be serialized.
    #[error("the request body could not be serialized as JSON: {0}")]
    Body(String),
}

/// An API operation: its request type implements this, its response type is `Output`.
pub trait Operation: Validate + Serialize {
    /// The parsed response.
    type Output: DeserializeOwned + Default;
    /// The action name, sent as `x-acs-action`.
    const ACTION: &'static str;
    /// The API version, sent as `x-acs-version`.
    const VERSION: &'static str;
    /// The HTTP method.
    const METHOD: &'static str;
    /// The path template, such as `/api/v2/clusters/{ClusterId}`.
    const PATH_TEMPLATE: &'static str;
    /// Whether sending the request twice has the same effect as sending it once; retries
    /// after an unknown outcome are only allowed for idempotent operations.
    const IDEMPOTENT: bool;
    /// Whether the operation sends a body.
    const BODY: BodyKind;
    /// How to find out whether a request whose outcome is unknown took effect.
    const OUTCOME_CHECK: &'static str = "Check the resource's state before sending it again.";

    /// The path with every label filled in and percent-encoded.
    fn path(&self) -> Result<String, RequestError>;

    /// The query parameters that are set, in declaration order.
    fn query(&self) -> Vec<(&'static str, String)>;

    /// The request headers bound to members that are set.
    fn headers(&self) -> Vec<(&'static str, String)>;

    /// The body bytes exactly as they will be sent, or `None` without a body.
    fn body(&self) -> Result<Option<Vec<u8>>, RequestError> {
        match Self::BODY {
            BodyKind::None => Ok(None),
            BodyKind::Json => {
                // Most bodies fit in 1 KiB; starting there saves the regrowth from 128 bytes.
                let mut body = Vec::with_capacity(1024);
                serde_json::to_writer(&mut body, self).map(|()| Some(body))
            }
            .map_err(|e| RequestError::Body(e.to_string())),
        }
    }
}

/// Appends the percent-encoded value of path label `label` to `path`.
pub fn push_label(
    path: &mut String,
    label: &'static str,
    value: &impl WireText,
) -> Result<(), RequestError> {
    match value.wire_str() {
        Some(text) if !text.is_empty() => {
            crate::signing::push_percent_encoded(path, &text);
            Ok(())
        }
        _ => Err(RequestError::EmptyPathLabel { label }),
    }
}

/// How a member is written in a path, a query string or a header: `None` when unset.
pub trait WireText {
    /// The text, or `None` to leave the parameter out.
    fn wire_text(&self) -> Option<String>;

    /// [`wire_text`](Self::wire_text), borrowed when the value already is text.
    fn wire_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.wire_text().map(std::borrow::Cow::Owned)
    }
}

impl WireText for String {
    fn wire_text(&self) -> Option<String> {
        Some(self.clone())
    }

    fn wire_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(std::borrow::Cow::Borrowed(self))
    }
}

impl<T: WireText> WireText for Option<T> {
    fn wire_text(&self) -> Option<String> {
        self.as_ref().and_then(WireText::wire_text)
    }

    fn wire_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.as_ref().and_then(WireText::wire_str)
    }
}

macro_rules! wire_text_display {
    ($($t:ty),*) => {$(
        impl WireText for $t {
            fn wire_text(&self) -> Option<String> {
                Some(self.to_string())
            }
        }
    )*};
}
wire_text_display!(bool, i32, i64, u32, u64, f32, f64);

/// Lists and free-form objects sent in a query or header travel as JSON text.
impl<T: Serialize> WireText for Vec<T> {
    fn wire_text(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

impl WireText for serde_json::Value {
    fn wire_text(&self) -> Option<String> {
        match self {
            serde_json::Value::String(text) => Some(text.clone()),
            other => Some(other.to_string()),
        }
    }
}
