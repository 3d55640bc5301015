//! Which host a request goes to.
//!
//! [`Endpoint::resolve`] turns a region, a network choice and an optional explicit endpoint
//! into a scheme and a host, following per-product [`EndpointRules`]; the rules of ACK
//! (`cs`, 2015-12-15) are [`CS_2015_12_15_RULES`].
//!
//! ```
//! use acs_runtime::endpoint::{CS_2015_12_15_RULES, Endpoint, EndpointConfig, Scheme};
//!
//! let config = EndpointConfig { region: Some("cn-hangzhou"), ..EndpointConfig::default() };
//! let endpoint = Endpoint::resolve(&CS_2015_12_15_RULES, &config)?;
//! assert_eq!(endpoint.host, "cs.cn-hangzhou.aliyuncs.com");
//! assert_eq!(endpoint.scheme, Scheme::Https);
//!
//! let local = EndpointConfig { endpoint_override: Some("http://127.0.0.1:8080"), ..config };
//! assert_eq!(Endpoint::resolve(&CS_2015_12_15_RULES, &local)?.to_string(), "http://127.0.0.1:8080");
//! # Ok::<(), acs_runtime::endpoint::EndpointError>(())
//! ```

use std::fmt;

/// The `endpoints` table of Alibaba's API metadata for CS 2015-12-15
/// (`shared/reference/cs-2015-12-15-api-docs.json`, top-level `endpoints`, in its order):
/// `(region id, public endpoint host)`.
///
/// Every entry but two follows `cs.{region}.aliyuncs.com`; the exceptions are
/// `cn-hangzhou-finance` → `cs-vpc.cn-hangzhou-finance.aliyuncs.com` and
/// `cn-beijing-finance-1` → `cs.aliyuncs.com`.
///
/// **Disagreement with the Python SDK.** `alibabacloud-cs20151215` 7.2.3 (`Client.__init__`,
/// `_endpoint_map`) instead maps 30 other special or internal regions (`cn-wuhan`,
/// `cn-zhangbei`, `cn-edge-1`, `eu-west-1-oxs`, `rus-west-1-pop`, …) to `cs.aliyuncs.com`, and
/// has neither of the two exceptions above, so for `cn-hangzhou-finance` and
/// `cn-beijing-finance-1` it uses `cs.{region}.aliyuncs.com`. This crate follows the metadata
/// table; the SDK's 30 regions resolve by the regional pattern here (e.g.
/// `cs.cn-wuhan.aliyuncs.com`). Use an explicit endpoint where that is wrong.
pub const CS_2015_12_15_ENDPOINTS: &[(&str, &str)] = &[
    (
        "cn-shenzhen-finance-1",
        "cs.cn-shenzhen-finance-1.aliyuncs.com",
    ),
    ("cn-qingdao", "cs.cn-qingdao.aliyuncs.com"),
    ("cn-beijing", "cs.cn-beijing.aliyuncs.com"),
    ("cn-zhangjiakou", "cs.cn-zhangjiakou.aliyuncs.com"),
    ("cn-huhehaote", "cs.cn-huhehaote.aliyuncs.com"),
    ("cn-wulanchabu", "cs.cn-wulanchabu.aliyuncs.com"),
    ("cn-hangzhou", "cs.cn-hangzhou.aliyuncs.com"),
    ("cn-shanghai", "cs.cn-shanghai.aliyuncs.com"),
    ("cn-shenzhen", "cs.cn-shenzhen.aliyuncs.com"),
    ("cn-guangzhou", "cs.cn-guangzhou.aliyuncs.com"),
    ("cn-chengdu", "cs.cn-chengdu.aliyuncs.com"),
    ("cn-hongkong", "cs.cn-hongkong.aliyuncs.com"),
    ("ap-northeast-1", "cs.ap-northeast-1.aliyuncs.com"),
    ("ap-southeast-1", "cs.ap-southeast-1.aliyuncs.com"),
    ("ap-southeast-2", "cs.ap-southeast-2.aliyuncs.com"),
    ("ap-southeast-3", "cs.ap-southeast-3.aliyuncs.com"),
    ("ap-southeast-5", "cs.ap-southeast-5.aliyuncs.com"),
    ("us-east-1", "cs.us-east-1.aliyuncs.com"),
    ("us-west-1", "cs.us-west-1.aliyuncs.com"),
    ("eu-west-1", "cs.eu-west-1.aliyuncs.com"),
    ("eu-central-1", "cs.eu-central-1.aliyuncs.com"),
    ("ap-south-1", "cs.ap-south-1.aliyuncs.com"),
    ("me-east-1", "cs.me-east-1.aliyuncs.com"),
    (
        "cn-hangzhou-finance",
        "cs-vpc.cn-hangzhou-finance.aliyuncs.com",
    ),
    (
        "cn-shanghai-finance-1",
        "cs.cn-shanghai-finance-1.aliyuncs.com",
    ),
    ("cn-beijing-finance-1", "cs.aliyuncs.com"),
];

/// The regional public pattern of most Alibaba Cloud products.
pub const DEFAULT_REGIONAL_PATTERN: &str = "{product}.{region}.aliyuncs.com";
/// The regional VPC pattern (the SDK's `network = "vpc"`).
pub const DEFAULT_VPC_PATTERN: &str = "{product}-vpc.{region}.aliyuncs.com";

/// The endpoint rules of ACK, product code `cs`, API version 2015-12-15.
pub const CS_2015_12_15_RULES: EndpointRules<'static> = EndpointRules {
    product: "cs",
    regional_pattern: DEFAULT_REGIONAL_PATTERN,
    vpc_pattern: DEFAULT_VPC_PATTERN,
    overrides: CS_2015_12_15_ENDPOINTS,
};

/// How a product's hosts are named.
///
/// Patterns contain `{product}` (replaced by the lower-cased product code) and `{region}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointRules<'a> {
    /// The product code, e.g. `cs`.
    pub product: &'a str,
    /// The public host of a region, e.g. [`DEFAULT_REGIONAL_PATTERN`].
    pub regional_pattern: &'a str,
    /// The VPC host of a region, e.g. [`DEFAULT_VPC_PATTERN`].
    pub vpc_pattern: &'a str,
    /// `(region, host)` pairs that replace the regional pattern on the public network.
    pub overrides: &'a [(&'a str, &'a str)],
}

impl EndpointRules<'_> {
    fn fill(&self, pattern: &str, region: &str) -> String {
        pattern
            .replace("{product}", &self.product.to_lowercase())
            .replace("{region}", region)
    }
}

/// What the user configured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EndpointConfig<'a> {
    /// The region id, e.g. `cn-hangzhou`. Required unless `endpoint_override` is set.
    pub region: Option<&'a str>,
    /// Use the VPC endpoint of the region.
    pub vpc: bool,
    /// An explicit endpoint, used instead of any rule: a host (`cs.example.com`), a host and
    /// port (`127.0.0.1:8080`, `[::1]:8080`) or a URL with a scheme and nothing after the
    /// authority but an optional `/` (`http://127.0.0.1:8080`). HTTPS unless the URL says
    /// `http://`.
    pub endpoint_override: Option<&'a str>,
}

/// `https` or `http`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// TLS; the default.
    #[default]
    Https,
    /// Plain HTTP, e.g. for a loopback test server.
    Http,
}

impl Scheme {
    /// `https` or `http`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Https => "https",
            Self::Http => "http",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where to send requests: a scheme and a `host[:port]`, which is also the `host` header.
/// `Display` gives `scheme://host`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// `https` unless an explicit `http://` endpoint was given.
    pub scheme: Scheme,
    /// `host` or `host:port`, verbatim.
    pub host: String,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)
    }
}

/// Why no endpoint could be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// Neither a region nor an explicit endpoint was configured.
    #[error(
        "no region and no endpoint configured: set a region such as `cn-hangzhou`, or an explicit endpoint"
    )]
    MissingRegion,
    /// The region id has characters region ids never have.
    #[error(
        "invalid region `{0}`: region ids consist of lower-case letters, digits and `-` (for example `cn-hangzhou`)"
    )]
    InvalidRegion(String),
    /// The explicit endpoint is not a host, `host:port` or `http(s)://host[:port]`.
    #[error(
        "invalid endpoint `{endpoint}`: {reason}; expected a host (`cs.example.com`), `host:port` or `http(s)://host[:port]`"
    )]
    InvalidEndpoint {
        /// The endpoint as given (replaced by a placeholder when it contains user info,
        /// which may be a password).
        endpoint: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// Checks that a region id is non-empty and consists of `a-z`, `0-9` and `-`.
pub fn validate_region(region: &str) -> Result<(), EndpointError> {
    let valid = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(())
    } else {
        Err(EndpointError::InvalidRegion(region.to_owned()))
    }
}

impl Endpoint {
    /// An HTTPS endpoint for `host` (not validated).
    pub fn https(host: impl Into<String>) -> Self {
        Self {
            scheme: Scheme::Https,
            host: host.into(),
        }
    }

    /// Resolves the endpoint, in the SDK's order of precedence:
    ///
    /// 1. `endpoint_override`, parsed with [`Endpoint::parse`];
    /// 2. with `vpc`, the rules' VPC pattern;
    /// 3. the rules' override for the region;
    /// 4. the rules' regional pattern.
    ///
    /// The region, when given, is validated even with an explicit endpoint; an empty region
    /// counts as none. The SDK applies its region map before the network choice; here the
    /// override table lists public endpoints (and every region of CS is in it), so it does
    /// not apply to VPC endpoints.
    pub fn resolve(
        rules: &EndpointRules<'_>,
        config: &EndpointConfig<'_>,
    ) -> Result<Self, EndpointError> {
        let region = config.region.filter(|r| !r.is_empty());
        if let Some(region) = region {
            validate_region(region)?;
        }
        if let Some(endpoint) = config.endpoint_override {
            return Self::parse(endpoint);
        }
        let region = region.ok_or(EndpointError::MissingRegion)?;
        let host = if config.vpc {
            rules.fill(rules.vpc_pattern, region)
        } else if let Some((_, host)) = rules.overrides.iter().find(|(r, _)| *r == region) {
            (*host).to_owned()
        } else {
            rules.fill(rules.regional_pattern, region)
        };
        Ok(Self::https(host))
    }

    /// Parses an explicit endpoint: `host`, `host:port`, `[v6]:port`, or
    /// `http(s)://` followed by one of those and an optional trailing `/`. Surrounding
    /// whitespace is ignored; the scheme defaults to HTTPS. The host is kept verbatim.
    pub fn parse(endpoint: &str) -> Result<Self, EndpointError> {
        let invalid = |reason| EndpointError::InvalidEndpoint {
            endpoint: if endpoint.contains('@') {
                "<redacted: it contains user info>".to_owned()
            } else {
                endpoint.to_owned()
            },
            reason,
        };
        let trimmed = endpoint.trim();
        if trimmed.is_empty() {
            return Err(invalid("it is empty"));
        }
        let (scheme, rest) = match trimmed.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => (Scheme::Https, rest),
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => (Scheme::Http, rest),
            Some(_) => return Err(invalid("the scheme must be `http` or `https`")),
            None => (Scheme::Https, trimmed),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains('@') {
            return Err(invalid("user info (`user:password@`) is not allowed"));
        }
        if authority.contains(['/', '?', '#']) {
            return Err(invalid("it must not have a path, query or fragment"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (address, after) = v6
                .split_once(']')
                .ok_or_else(|| invalid("an IPv6 address must be closed by `]`"))?;
            if address.is_empty()
                || !address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            {
                return Err(invalid("the IPv6 address is not valid"));
            }
            match after {
                "" => (address, None),
                _ => (
                    address,
                    Some(
                        after
                            .strip_prefix(':')
                            .ok_or_else(|| invalid("expected `:port` after `]`"))?,
                    ),
                ),
            }
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if !authority.starts_with('[') {
            if host.is_empty() {
                return Err(invalid("the host is empty"));
            }
            if !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            {
                return Err(invalid(
                    "the host may contain only letters, digits, `.`, `-` and `_`",
                ));
            }
        }
        if let Some(port) = port {
            let valid = !port.is_empty()
                && port.len() <= 5
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u16>().is_ok_and(|p| p != 0);
            if !valid {
                return Err(invalid("the port must be a number from 1 to 65535"));
            }
        }
        Ok(Self {
            scheme,
            host: authority.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(config: EndpointConfig<'_>) -> Result<Endpoint, EndpointError> {
        Endpoint::resolve(&CS_2015_12_15_RULES, &config)
    }

    fn region(region: &str) -> EndpointConfig<'_> {
        EndpointConfig {
            region: Some(region),
            ..EndpointConfig::default()
        }
    }

    #[test]
    fn regional_and_table_endpoints() {
        let cases = [
            ("cn-hangzhou", "cs.cn-hangzhou.aliyuncs.com"),
            ("ap-southeast-1", "cs.ap-southeast-1.aliyuncs.com"),
            // Not in the table: the regional pattern.
            ("cn-wuhan", "cs.cn-wuhan.aliyuncs.com"),
            ("xx-new-9", "cs.xx-new-9.aliyuncs.com"),
            // The table's two exceptions.
            (
                "cn-hangzhou-finance",
                "cs-vpc.cn-hangzhou-finance.aliyuncs.com",
            ),
            ("cn-beijing-finance-1", "cs.aliyuncs.com"),
        ];
        for (region_id, host) in cases {
            let endpoint = resolve(region(region_id)).unwrap();
            assert_eq!(endpoint, Endpoint::https(host), "{region_id}");
            assert_eq!(endpoint.to_string(), format!("https://{host}"));
        }
    }

    #[test]
    fn table_matches_the_metadata() {
        assert_eq!(CS_2015_12_15_ENDPOINTS.len(), 26);
        let irregular: Vec<_> = CS_2015_12_15_ENDPOINTS
            .iter()
            .filter(|(r, h)| *h != format!("cs.{r}.aliyuncs.com"))
            .collect();
        assert_eq!(
            irregular,
            [
                &(
                    "cn-hangzhou-finance",
                    "cs-vpc.cn-hangzhou-finance.aliyuncs.com"
                ),
                &("cn-beijing-finance-1", "cs.aliyuncs.com"),
            ]
        );
        for (r, _) in CS_2015_12_15_ENDPOINTS {
            validate_region(r).unwrap();
        }
    }

    #[test]
    fn vpc_endpoints() {
        let config = EndpointConfig {
            vpc: true,
            ..region("cn-hangzhou")
        };
        assert_eq!(
            resolve(config).unwrap().host,
            "cs-vpc.cn-hangzhou.aliyuncs.com"
        );
    }

    #[test]
    fn patterns_and_product_are_parameters() {
        let rules = EndpointRules {
            product: "ECS",
            regional_pattern: "{product}.{region}.example.com",
            vpc_pattern: "{product}-internal.{region}.example.com",
            overrides: &[("special", "ecs.example.com")],
        };
        let config = region("eu-1");
        let resolve = |config| Endpoint::resolve(&rules, &config).unwrap().host;
        assert_eq!(resolve(config), "ecs.eu-1.example.com");
        assert_eq!(
            resolve(EndpointConfig {
                vpc: true,
                ..config
            }),
            "ecs-internal.eu-1.example.com"
        );
        assert_eq!(resolve(region("special")), "ecs.example.com");
    }

    #[test]
    fn explicit_endpoints() {
        let cases = [
            ("cs.example.com", Scheme::Https, "cs.example.com"),
            ("  cs.example.com  ", Scheme::Https, "cs.example.com"),
            ("127.0.0.1:8080", Scheme::Https, "127.0.0.1:8080"),
            ("http://127.0.0.1:8080", Scheme::Http, "127.0.0.1:8080"),
            ("HTTP://localhost:1/", Scheme::Http, "localhost:1"),
            (
                "https://cs.cn-hangzhou.aliyuncs.com",
                Scheme::Https,
                "cs.cn-hangzhou.aliyuncs.com",
            ),
            ("http://[::1]:65535", Scheme::Http, "[::1]:65535"),
            ("[fe80::1]", Scheme::Https, "[fe80::1]"),
        ];
        for (input, scheme, host) in cases {
            let config = EndpointConfig {
                endpoint_override: Some(input),
                ..EndpointConfig::default()
            };
            assert_eq!(
                resolve(config).unwrap(),
                Endpoint {
                    scheme,
                    host: host.to_owned()
                },
                "{input}"
            );
        }
        // An explicit endpoint wins over region and VPC.
        let config = EndpointConfig {
            region: Some("cn-hangzhou"),
            vpc: true,
            endpoint_override: Some("http://127.0.0.1:9"),
        };
        assert_eq!(resolve(config).unwrap().to_string(), "http://127.0.0.1:9");
    }

    #[test]
    fn malformed_endpoints_are_rejected() {
        for bad in [
            "",
            "   ",
            "ftp://host",
            "http://",
            "http://host/path",
            "host?x=1",
            "host#frag",
            "host:",
            "host:0",
            "host:65536",
            "host:12a",
            "host:+80",
            "ho st",
            "hä.example.com",
            ":8080",
            "[::1",
            "[]:80",
            "[::1]80",
            "[zz::1]:80",
            "http://host:80:80",
        ] {
            let err = Endpoint::parse(bad).unwrap_err();
            assert!(
                matches!(err, EndpointError::InvalidEndpoint { .. }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn user_info_is_not_echoed() {
        let err = Endpoint::parse("https://user:hunter2@host").unwrap_err();
        let message = err.to_string();
        assert!(!message.contains("hunter2"), "{message}");
        assert!(message.contains("user info"), "{message}");
    }

    #[test]
    fn region_errors() {
        assert_eq!(
            resolve(EndpointConfig::default()),
            Err(EndpointError::MissingRegion)
        );
        assert_eq!(resolve(region("")), Err(EndpointError::MissingRegion));
        for bad in [
            "CN-Hangzhou",
            "cn_hangzhou",
            "cn-hangzhou.evil.com",
            "cn hz",
            "cn/x",
        ] {
            assert_eq!(
                resolve(region(bad)),
                Err(EndpointError::InvalidRegion(bad.to_owned())),
                "{bad}"
            );
        }
        let message = EndpointError::MissingRegion.to_string();
        assert!(message.contains("region") && message.contains("endpoint"));
        // A bad region is reported even with an explicit endpoint.
        let config = EndpointConfig {
            endpoint_override: Some("127.0.0.1:1"),
            ..region("Bad")
        };
        assert!(matches!(
            resolve(config),
            Err(EndpointError::InvalidRegion(_))
        ));
    }
}
