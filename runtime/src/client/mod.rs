//! The client: credentials, signing, transport, retries and errors around each
//! [`Operation`](crate::operation::Operation).
//!
//! ```no_run
//! # async fn run() -> Result<(), acs_runtime::client::Error> {
//! use acs_runtime::client::{Client, ClientBuilder};
//! use acs_runtime::endpoint::CS_2015_12_15_RULES;
//!
//! let client: Client = ClientBuilder::new(CS_2015_12_15_RULES).region("cn-hangzhou").build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! Generated crates wrap [`Client`] in their own type with one method per operation; each
//! request type implements [`Operation`](crate::operation::Operation).

mod call;
mod error;
mod policy;
mod transport;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

pub use call::{Call, Response};
pub use error::{Error, ServiceError};
pub use policy::{RetryPolicy, Timeouts};

use crate::credentials::{DefaultCredentialsChain, ProvideCredentials};
use crate::endpoint::{Endpoint, EndpointConfig, EndpointRules};
use crate::signing::SignatureScheme;

/// A configured connection to one service: endpoint, credentials, signature scheme, retry
/// policy and timeouts. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Endpoint,
    base_url: transport::BaseUrl,
    credentials: Arc<dyn ProvideCredentials>,
    scheme: SignatureScheme,
    retry: RetryPolicy,
    timeouts: Timeouts,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.to_string())
            .field("credentials", &self.inner.credentials)
            .field("scheme", &self.inner.scheme)
            .field("retry", &self.inner.retry)
            .field("timeouts", &self.inner.timeouts)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The endpoint every request goes to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The signature scheme.
    pub fn signature_scheme(&self) -> SignatureScheme {
        self.inner.scheme
    }

    /// A call handle for one request (validation on).
    pub fn call(&self) -> Call {
        Call::new(self.clone())
    }
}

/// Builds a [`Client`] (or a generated client wrapping one, `C`).
///
/// Defaults: HTTPS, the regional endpoint of `region`, ACS3-HMAC-SHA256 signatures,
/// credentials from the default chain (environment, `~/.aliyun/config.json`,
/// `~/.alibabacloud/credentials.ini`), [`RetryPolicy::default`], [`Timeouts::default`], and
/// proxies from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`.
#[must_use]
pub struct ClientBuilder<C = Client> {
    rules: EndpointRules<'static>,
    region: Option<String>,
    vpc: bool,
    endpoint: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    scheme: SignatureScheme,
    retry: RetryPolicy,
    timeouts: Timeouts,
    proxy_from_env: bool,
    _client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("vpc", &self.vpc)
            .field("endpoint", &self.endpoint.as_ref().map(|_| "<set>"))
            .field("credentials", &self.credentials)
            .field("scheme", &self.scheme)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder for a service whose hosts follow `rules`.
    pub fn new(rules: EndpointRules<'static>) -> Self {
        Self {
            rules,
            region: None,
            vpc: false,
            endpoint: None,
            credentials: None,
            scheme: SignatureScheme::default(),
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
            proxy_from_env: true,
            _client: PhantomData,
        }
    }

    /// The region id, such as `cn-hangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Use the region's VPC endpoint (`cs-vpc.{region}.aliyuncs.com`).
    pub fn vpc(mut self, vpc: bool) -> Self {
        self.vpc = vpc;
        self
    }

    /// An explicit endpoint instead of the region's: a host, `host:port`, or a URL such as
    /// `http://127.0.0.1:8080` (HTTPS unless the URL says `http://`).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The credentials to sign with (default: [`DefaultCredentialsChain`]).
    pub fn credentials(mut self, credentials: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// The signature scheme (default: ACS3-HMAC-SHA256).
    pub fn signature(mut self, scheme: SignatureScheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// The retry policy; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Ignore `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` (they are honoured by default, with
    /// `NO_PROXY`).
    pub fn no_proxy(mut self) -> Self {
        self.proxy_from_env = false;
        self
    }

    /// Resolves the endpoint and builds the client.
    pub fn build(self) -> Result<C, Error> {
        let endpoint = Endpoint::resolve(
            &self.rules,
            &EndpointConfig {
                region: self.region.as_deref(),
                vpc: self.vpc,
                endpoint_override: self.endpoint.as_deref(),
            },
        )?;
        let http = transport::http_client(&self.timeouts, self.proxy_from_env)?;
        let credentials = self
            .credentials
            .unwrap_or_else(|| Arc::new(DefaultCredentialsChain::new()));
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                http,
                base_url: transport::BaseUrl::new(endpoint.scheme.as_str(), &endpoint.host),
                endpoint,
                credentials,
                scheme: self.scheme,
                retry: self.retry,
                timeouts: self.timeouts,
            }),
        }))
    }
}
