//! Waiters: poll an operation until its answer reports success or failure, with backoff and a
//! time limit.
//!
//! A waiter is declared in the spec (`"waiters"` on the polled operation); the generated
//! response implements [`Poll`] and the generated client gets a `wait_until_<name>` method.

use std::time::{Duration, Instant};

use crate::client::{Call, Error};
use crate::operation::Operation;

/// What one answer says about the awaited state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PollState {
    /// Done, successfully.
    Success,
    /// Done, unsuccessfully; the text says why (the service's error, as JSON when it is
    /// structured).
    Failure(String),
    /// Not done yet.
    Pending,
}

/// An answer that a waiter can judge.
pub trait Poll {
    /// Success, failure or not yet.
    fn poll_state(&self) -> PollState;
    /// A short description of where the work is (such as the current stage), for progress
    /// reports.
    fn progress(&self) -> Option<String> {
        None
    }
}

/// How long and how often to poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long (default 30 minutes).
    pub timeout: Duration,
    /// The first pause between two polls (default 2 s); it grows by half each poll.
    pub initial_delay: Duration,
    /// The longest pause between two polls (default 30 s).
    pub max_delay: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30 * 60),
            initial_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(30),
        }
    }
}

/// Why a wait ended without success.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError<T> {
    /// The awaited work failed; `last` is the answer that said so.
    #[error("{action} reports failure: {reason}")]
    Failed {
        /// The polled operation.
        action: &'static str,
        /// The failure, as the service describes it.
        reason: String,
        /// The last answer.
        last: Box<T>,
    },
    /// The work did not finish in time (it goes on; only the waiting stopped).
    #[error("{action}: still not finished after {elapsed:?} of waiting")]
    TimedOut {
        /// The polled operation.
        action: &'static str,
        /// Time spent waiting.
        elapsed: Duration,
        /// The last answer.
        last: Box<T>,
    },
    /// A poll failed.
    #[error(transparent)]
    Call(#[from] Error),
}

/// A report after each poll: the answer and the time waited so far.
pub type Progress<'a, T> = &'a mut (dyn FnMut(&T, Duration) + Send);

impl Call {
    /// Polls `request` until its answer reports success (returned) or failure, or `options`'
    /// timeout passes. `progress` is called after every answer.
    pub async fn wait<O>(
        &self,
        request: &O,
        options: WaitOptions,
        progress: Progress<'_, O::Output>,
    ) -> Result<O::Output, WaitError<O::Output>>
    where
        O: Operation,
        O::Output: Poll,
    {
        let started = Instant::now();
        let mut delay = options.initial_delay;
        loop {
            let output = self.send(request).await?.into_inner();
            progress(&output, started.elapsed());
            match output.poll_state() {
                PollState::Success => return Ok(output),
                PollState::Failure(reason) => {
                    return Err(WaitError::Failed {
                        action: O::ACTION,
                        reason,
                        last: Box::new(output),
                    });
                }
                PollState::Pending => {}
            }
            let elapsed = started.elapsed();
            if elapsed >= options.timeout {
                return Err(WaitError::TimedOut {
                    action: O::ACTION,
                    elapsed,
                    last: Box::new(output),
                });
            }
            tokio::time::sleep(delay.min(options.timeout - elapsed)).await;
            delay = (delay + delay / 2).min(options.max_delay);
        }
    }
}

/// A value as text for progress and failure reports: strings as they are, anything else as
/// compact JSON.
pub fn describe<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A boxed progress callback.
type ProgressReport<T> = Box<dyn FnMut(&T, Duration) + Send>;

/// A wait, configured and then awaited: `client.wait_until_task_done(id).timeout(d).await`.
#[must_use = "a waiter does nothing until it is awaited"]
pub struct Waiter<O: Operation> {
    call: Call,
    request: O,
    options: WaitOptions,
    progress: Option<ProgressReport<O::Output>>,
}

impl<O: Operation + std::fmt::Debug> std::fmt::Debug for Waiter<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiter")
            .field("request", &self.request)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Waiter<O> {
    /// A waiter polling `request` through `call`, with [`WaitOptions::default`].
    pub fn new(call: Call, request: O) -> Self {
        Self {
            call,
            request,
            options: WaitOptions::default(),
            progress: None,
        }
    }

    /// Stop waiting after `timeout` (the work itself goes on).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
        self
    }

    /// All polling options at once.
    pub fn options(mut self, options: WaitOptions) -> Self {
        self.options = options;
        self
    }

    /// Calls `report` after every answer, with the time waited so far.
    pub fn on_progress(
        mut self,
        report: impl FnMut(&O::Output, Duration) + Send + 'static,
    ) -> Self {
        self.progress = Some(Box::new(report));
        self
    }
}

impl<O> std::future::IntoFuture for Waiter<O>
where
    O: Operation + Send + Sync + 'static,
    O::Output: Poll + Send,
{
    type Output = Result<O::Output, WaitError<O::Output>>;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let Self {
                call,
                request,
                options,
                progress,
            } = self;
            let mut report = progress.unwrap_or_else(|| Box::new(|_: &O::Output, _: Duration| {}));
            call.wait(&request, options, &mut *report).await
        })
    }
}
