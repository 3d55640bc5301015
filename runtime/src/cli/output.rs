//! Exit codes, error lines and logging of a command-line tool.

use std::process::ExitCode;

use crate::client::Error;
use crate::waiter::WaitError;

/// Exit codes.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Invalid input, usage or missing credentials: nothing was sent.
    pub const INVALID: u8 = 2;
    /// The service answered with an error (or a waited-for task failed).
    pub const SERVICE: u8 = 3;
    /// A transport error or timeout when the request certainly did not take effect.
    pub const TRANSPORT: u8 = 4;
    /// The outcome is unknown: the request may have been applied.
    pub const UNKNOWN: u8 = 5;
    /// A waited-for task did not finish within the wait timeout (the operation was applied).
    pub const WAIT_TIMEOUT: u8 = 6;
    /// Waiting was interrupted (Ctrl-C); the task goes on.
    pub const INTERRUPTED: u8 = 130;
}

/// Why a command failed: an exit code and one line per problem, for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// One line per problem.
    pub lines: Vec<String>,
}

impl Failure {
    /// One problem.
    pub fn new(code: u8, line: impl Into<String>) -> Self {
        Self {
            code,
            lines: vec![line.into()],
        }
    }

    /// Several problems.
    pub fn lines(code: u8, lines: Vec<String>) -> Self {
        Self { code, lines }
    }

    /// Prints the lines on stderr and returns the exit code.
    pub fn report(&self) -> ExitCode {
        for line in &self.lines {
            eprintln!("error: {line}");
        }
        ExitCode::from(self.code)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match &error {
            Error::Validation(violations) => Self::lines(
                exit::INVALID,
                violations
                    .violations()
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            ),
            Error::Request(_) | Error::Credentials(_) | Error::Endpoint(_) => {
                Self::new(exit::INVALID, error.to_string())
            }
            Error::Service(_) => Self::new(exit::SERVICE, error.to_string()),
            Error::Transport { .. } | Error::Timeout { .. } => {
                Self::new(exit::TRANSPORT, error.to_string())
            }
            Error::OutcomeUnknown { .. } | Error::InvalidResponse { .. } => {
                Self::new(exit::UNKNOWN, error.to_string())
            }
        }
    }
}

impl<T> From<WaitError<T>> for Failure {
    fn from(error: WaitError<T>) -> Self {
        match error {
            WaitError::Call(error) => error.into(),
            WaitError::Failed { .. } => Self::new(exit::SERVICE, error.to_string()),
            WaitError::TimedOut { .. } => Self::new(exit::WAIT_TIMEOUT, error.to_string()),
        }
    }
}

/// Logs at debug level with `--verbose`, else at the level `RUST_LOG` names (a plain level:
/// error, warn, info, debug or trace), else warnings only; always to stderr.
pub fn init_logging(verbose: bool) {
    let level = if verbose {
        tracing::Level::DEBUG
    } else {
        match std::env::var("RUST_LOG").map(|v| v.to_ascii_lowercase()) {
            Ok(v) if v == "trace" => tracing::Level::TRACE,
            Ok(v) if v == "debug" => tracing::Level::DEBUG,
            Ok(v) if v == "info" => tracing::Level::INFO,
            Ok(v) if v == "error" => tracing::Level::ERROR,
            _ => tracing::Level::WARN,
        }
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new(exit::UNKNOWN, format!("cannot print the answer: {e}")))?;
    println!("{text}");
    Ok(())
}
