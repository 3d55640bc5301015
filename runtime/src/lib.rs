//! Runtime support for generated Alibaba Cloud API clients.
//!
//! Generated crates hold declarative request and response types; everything that is written
//! once and tested once lives here: validation results, secret redaction, wire encodings,
//! request signing, credentials, endpoints, transport, retries and errors.

#[cfg(feature = "cli")]
pub mod cli;
pub mod client;
pub mod credentials;
pub mod encoding;
pub mod endpoint;
pub mod operation;
pub mod paginate;
pub mod prepare;
mod sensitive;
pub mod signing;

pub use sensitive::{REDACTED, Sensitive, collect_secrets};
#[cfg(feature = "test-server")]
pub mod test_server;
pub mod validate;
pub mod waiter;
pub mod wire;

pub use operation::Operation;
pub use validate::{Validate, ValidationErrors, ValidationMode, Violation};
