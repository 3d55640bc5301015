//! Running one operation from the command line: client set-up, dry run, send, wait, pages.

use std::io::{IsTerminal as _, Write as _};
use std::time::Duration;

use clap::ArgMatches;
use serde::Serialize;

use super::body::Extras;
use super::output::{Failure, exit, print_json};
use crate::client::{Call, Client, ClientBuilder, Timeouts};
use crate::credentials::{DefaultCredentialsChain, Env};
use crate::operation::{BodyKind, Operation, RequestError};
use crate::paginate::Paginate;
use crate::signing::{HttpRequest, SignatureScheme};
use crate::validate::{FieldPath, Validate, Violation};
use crate::waiter::{Poll, WaitOptions, Waiter};

/// What the global flags asked for, and the client they configure.
#[derive(Debug)]
pub struct Context {
    client: Client,
    dry_run: bool,
    show_secrets: bool,
    no_validate: bool,
}

impl Context {
    /// Reads the global flags and builds the client (credentials from the default chain,
    /// with `--profile` selecting the profile).
    pub fn from_matches(
        matches: &ArgMatches,
        rules: crate::endpoint::EndpointRules<'static>,
    ) -> Result<Self, Failure> {
        let get = |id: &str| matches.try_get_one::<String>(id).ok().flatten().cloned();
        let mut builder: ClientBuilder<Client> = ClientBuilder::new(rules);
        let region = get("region").or_else(|| {
            std::env::var("ALIBABA_CLOUD_REGION_ID")
                .ok()
                .filter(|r| !r.is_empty())
        });
        if let Some(region) = region {
            builder = builder.region(region);
        }
        if let Some(endpoint) = get("endpoint") {
            builder = builder.endpoint(endpoint);
        }
        builder = builder.vpc(matches.get_flag("vpc"));
        if get("signature").as_deref() == Some("v1") {
            builder = builder.signature(SignatureScheme::RoaV1);
        }
        if let Some(seconds) = matches.try_get_one::<u64>("timeout").ok().flatten() {
            builder = builder.timeouts(Timeouts {
                total: Duration::from_secs(*seconds),
                ..Timeouts::default()
            });
        }
        let mut env: Vec<(String, String)> = std::env::vars().collect();
        if let Some(profile) = get("profile") {
            env.push(("ALIBABA_CLOUD_PROFILE".to_owned(), profile));
        }
        builder = builder.credentials(DefaultCredentialsChain::from_env(Env::from_pairs(env)));
        let client = builder
            .build()
            .map_err(|e| Failure::new(exit::INVALID, e.to_string()))?;
        Ok(Self {
            client,
            dry_run: matches.get_flag("dry-run"),
            show_secrets: matches.get_flag("show-secrets"),
            no_validate: matches.get_flag("no-validate"),
        })
    }

    /// Whether validation is skipped (`--no-validate`), which also lets unknown body keys
    /// through.
    pub fn no_validate(&self) -> bool {
        self.no_validate
    }

    fn call(&self) -> Call {
        let call = self.client.call();
        if self.no_validate {
            call.skip_validation()
        } else {
            call
        }
    }
}

/// How an operation's asynchronous work is followed (`--wait`).
pub struct Follow<A, W> {
    /// The waiter's request made from the answer, or `None` when the answer names no work.
    pub request: fn(&A) -> Option<W>,
    /// What the work is called in messages (such as `task T-123`), from the answer.
    pub describe: fn(&A) -> String,
}

/// Sends `request` and prints the answer, or with `--dry-run` prints the signed request and
/// sends nothing.
pub async fn execute<O>(context: &Context, request: O, extras: Extras) -> Result<(), Failure>
where
    O: Operation + Send + Sync + 'static,
    O::Output: Serialize,
{
    match send(context, request, extras).await? {
        Some(answer) => print_json(&answer),
        None => Ok(()),
    }
}

/// Like [`execute`], then waits for the work the answer names (`--wait`) and prints its final
/// state. Ctrl-C stops the waiting, not the work.
pub async fn execute_and_wait<O, W>(
    context: &Context,
    request: O,
    extras: Extras,
    follow: Follow<O::Output, W>,
    timeout: Duration,
) -> Result<(), Failure>
where
    O: Operation + Send + Sync + 'static,
    O::Output: Serialize,
    W: Operation + Send + Sync + 'static,
    W::Output: Poll + Serialize + Send,
{
    let Some(answer) = send(context, request, extras).await? else {
        return Ok(());
    };
    let Some(poll) = (follow.request)(&answer) else {
        eprintln!("--wait: the answer names no work to wait for");
        return print_json(&answer);
    };
    let work = (follow.describe)(&answer);
    eprintln!("{} accepted: {work}; waiting up to {timeout:?}", O::ACTION);
    let terminal = std::io::stderr().is_terminal();
    let waiter = Waiter::new(context.client.call(), poll)
        .options(WaitOptions {
            timeout,
            ..WaitOptions::default()
        })
        .on_progress(move |answer: &W::Output, waited| {
            report_progress(answer.progress(), waited, terminal)
        });
    let result = tokio::select! {
        result = std::future::IntoFuture::into_future(waiter) => result,
        _ = tokio::signal::ctrl_c() => {
            if terminal {
                eprintln!();
            }
            return Err(Failure::new(exit::INTERRUPTED, format!("stopped waiting; {work} goes on")));
        }
    };
    if terminal {
        eprintln!();
    }
    match result {
        Ok(done) => print_json(&done),
        Err(error) => {
            let mut failure = Failure::from(error);
            failure.lines.push(work);
            Err(failure)
        }
    }
}

/// The answer, or `None` after a dry run.
async fn send<O>(
    context: &Context,
    request: O,
    extras: Extras,
) -> Result<Option<O::Output>, Failure>
where
    O: Operation + Send + Sync + 'static,
{
    if !extras.0.is_empty() {
        eprintln!(
            "warning: --no-validate: sending unknown body keys unchanged: {}",
            extras.paths().join(", ")
        );
    }
    let request = WithExtras {
        inner: request,
        extras,
    };
    if context.dry_run {
        let prepared = context.call().prepare(&request).await?;
        let (_, secrets) = crate::collect_secrets(|| request.body());
        print_json(&dry_run(&prepared, &secrets, context.show_secrets))?;
        return Ok(None);
    }
    Ok(Some(context.call().send(&request).await?.into_inner()))
}

/// The typed value of a query or header flag whose member is a list, map or object: the flag
/// takes JSON (`--tag-keys '["a","b"]'`).
pub fn parse_json_flag<T: serde::de::DeserializeOwned>(
    text: &str,
    flag: &str,
) -> Result<T, Failure> {
    serde_json::from_str(text)
        .map_err(|e| Failure::new(exit::INVALID, format!("--{flag}: expected JSON ({e})")))
}

/// The typed value of a path, query or header flag.
pub fn parse_flag<T: std::str::FromStr>(text: &str, flag: &str) -> Result<T, Failure>
where
    T::Err: std::fmt::Display,
{
    text.trim()
        .parse()
        .map_err(|e| Failure::new(exit::INVALID, format!("--{flag}: {e} (got {text:?})")))
}

/// Every item of every page, printed as one JSON object `{"<items>": [...]}`.
pub async fn execute_all_pages<O>(context: &Context, request: O, items: &str) -> Result<(), Failure>
where
    O: Paginate + Send + Sync + 'static,
    O::Item: Serialize + Send,
    O::Output: Send,
{
    let all = context.call().paginate_all(request).await?;
    let mut object = serde_json::Map::new();
    object.insert(
        items.to_owned(),
        serde_json::to_value(&all).map_err(|e| Failure::new(exit::UNKNOWN, e.to_string()))?,
    );
    print_json(&object)
}

fn report_progress(progress: Option<String>, waited: Duration, terminal: bool) {
    let stage = progress.unwrap_or_else(|| "waiting".to_owned());
    let line = format!("[{:>5}s] {stage}", waited.as_secs());
    let mut stderr = std::io::stderr();
    if terminal {
        let _ = write!(stderr, "\r\x1b[2K{line}");
        let _ = stderr.flush();
    } else {
        let _ = writeln!(stderr, "{line}");
    }
}

/// The signed request as one JSON object; secrets become `******` unless `show`.
fn dry_run(request: &HttpRequest, secrets: &[String], show: bool) -> serde_json::Value {
    let mut body = String::from_utf8_lossy(&request.body).into_owned();
    let mut headers = request.headers.clone();
    if !show {
        for secret in secrets {
            body = body.replace(secret.as_str(), "\"******\"");
        }
        for (name, value) in &mut headers {
            if crate::signing::SECRET_HEADERS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(name))
            {
                *value = crate::REDACTED.into();
            }
        }
    }
    serde_json::json!({
        "method": request.method,
        "url": request.url(),
        "headers": headers,
        "body": body,
    })
}

/// A request with body keys its type does not know, sent unchanged (`--no-validate`).
#[derive(Debug)]
struct WithExtras<O> {
    inner: O,
    extras: Extras,
}

impl<O: Serialize> Serialize for WithExtras<O> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.inner.serialize(serializer)
    }
}

impl<O: Validate> Validate for WithExtras<O> {
    fn validate_at(&self, path: &FieldPath<'_>, out: &mut Vec<Violation>) {
        self.inner.validate_at(path, out);
    }
}

impl<O: Operation> Operation for WithExtras<O> {
    type Output = O::Output;
    const ACTION: &'static str = O::ACTION;
    const VERSION: &'static str = O::VERSION;
    const METHOD: &'static str = O::METHOD;
    const PATH_TEMPLATE: &'static str = O::PATH_TEMPLATE;
    const IDEMPOTENT: bool = O::IDEMPOTENT;
    const BODY: BodyKind = O::BODY;
    const OUTCOME_CHECK: &'static str = O::OUTCOME_CHECK;

    fn path(&self) -> Result<String, RequestError> {
        self.inner.path()
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        self.inner.query()
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        self.inner.headers()
    }

    fn body(&self) -> Result<Option<Vec<u8>>, RequestError> {
        if self.extras.0.is_empty() || O::BODY == BodyKind::None {
            return self.inner.body();
        }
        let mut value =
            serde_json::to_value(&self.inner).map_err(|e| RequestError::Body(e.to_string()))?;
        self.extras.merge_into(&mut value);
        serde_json::to_vec(&value)
            .map(Some)
            .map_err(|e| RequestError::Body(e.to_string()))
    }
}
