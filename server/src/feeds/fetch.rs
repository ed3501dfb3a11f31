//! Fetching a feed: http(s) only, public hosts only (unless the operator allows private ones),
//! redirects followed by hand (each target checked again), a conditional GET, a size cap and
//! a time-out. Host names are resolved by [`GuardedResolver`], which refuses a name that
//! resolves to a non-public address, and the connection goes to the address it checked (no
//! second look-up a DNS rebinding could change).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// The most redirects followed.
pub const MAX_REDIRECTS: usize = 5;

/// Why a fetch failed; each has a stable code the app's page shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not an http(s) URL with a host.
    #[error("the feed's address must be an http or https URL")]
    UrlInvalid,
    /// The host is (or resolves to) a private, loopback, link-local, … address.
    #[error("{0} is not a public address: feeds are fetched from public hosts only")]
    HostRefused(String),
    /// No connection (DNS failure, refused, reset).
    #[error("could not reach the feed's server ({0})")]
    Unreachable(String),
    /// No complete answer in time.
    #[error("the feed's server did not answer within {0} seconds")]
    Timeout(u64),
    /// An answer other than 200 or 304.
    #[error("the feed's server answered HTTP {0}")]
    Http(u16),
    /// Larger than the cap.
    #[error("the feed is larger than {0} bytes")]
    TooLarge(usize),
    /// More redirects than [`MAX_REDIRECTS`], or one without a usable `Location`.
    #[error("the feed's address redirects too often or to nowhere")]
    Redirects,
}

impl FetchError {
    /// The values in the message, in the order the page's message for [`Self::code`] names them.
    pub fn values(&self) -> Vec<String> {
        match self {
            Self::HostRefused(v) | Self::Unreachable(v) => vec![v.clone()],
            Self::Timeout(s) => vec![s.to_string()],
            Self::Http(s) => vec![s.to_string()],
            Self::TooLarge(n) => vec![n.to_string()],
            Self::UrlInvalid | Self::Redirects => Vec::new(),
        }
    }

    /// The stable code shown on the app's page.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UrlInvalid => "feed_url_invalid",
            Self::HostRefused(_) => "feed_host_refused",
            Self::Unreachable(_) => "feed_unreachable",
            Self::Timeout(_) => "feed_timeout",
            Self::Http(_) => "feed_http_error",
            Self::TooLarge(_) => "feed_too_large",
            Self::Redirects => "feed_redirects",
        }
    }
}

/// Whether an address is a public unicast one (not private, loopback, link-local, unique
/// local, multicast, unspecified, documentation, shared, reserved, …).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0x0064 && s[1] == 0xff9b) // NAT64 (reaches IPv4 space)
                || (s[0] == 0x2002) // 6to4 (embeds any IPv4)
                || s[..6] == [0; 6]) // IPv4-compatible ::a.b.c.d and the like
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0 // "this network"
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // shared address space 100.64/10
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking 198.18/15
        || o[0] >= 240) // reserved
}

/// The marker error of a refused name (found again in reqwest's error chain).
#[derive(Debug, thiserror::Error)]
#[error("{0} resolves to a non-public address")]
struct Refused(String);

/// Which addresses may be fetched from.
#[derive(Debug, Clone, Default)]
pub struct AddressRule {
    /// Every address (the operator's `--feeds-allow-private`).
    pub allow_private: bool,
    /// These addresses too, though not public (a test stands a "public" host in with one).
    pub exempt: Vec<IpAddr>,
}

impl AddressRule {
    /// Whether `ip` may be fetched from.
    pub fn allows(&self, ip: IpAddr) -> bool {
        self.allow_private || is_public(ip) || self.exempt.contains(&ip)
    }
}

/// A resolver that refuses names resolving to any address the rule does not allow.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    rule: AddressRule,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let rule = self.rule.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.iter().any(|a| !rule.allows(a.ip())) {
                return Err(Box::new(Refused(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            let it: Addrs = Box::new(addrs.into_iter());
            Ok(it)
        })
    }
}

/// How fetches are made.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    rule: AddressRule,
    timeout: Duration,
    max_bytes: usize,
}

/// A fetched answer.
#[derive(Debug)]
pub enum Fetched {
    /// `304 Not Modified`.
    NotModified,
    /// `200` with the body and its validators.
    Body {
        /// The body (at most the cap).
        bytes: Vec<u8>,
        /// Its `ETag`, if any.
        etag: Option<String>,
        /// Its `Last-Modified`, if any.
        last_modified: Option<String>,
    },
}

impl Fetcher {
    /// A fetcher with these rules.
    pub fn new(rule: AddressRule, timeout: Duration, max_bytes: usize) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("wl-connect-feeds/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver { rule: rule.clone() }))
            .build()
            .unwrap_or_default();
        Self {
            client,
            rule,
            timeout,
            max_bytes,
        }
    }

    /// Checks a feed address as the owner types it: http(s), a host, and (when the host is an
    /// address) a public one. Host names are checked when fetched.
    pub fn check_url(&self, raw: &str) -> Result<url::Url, FetchError> {
        let url = url::Url::parse(raw.trim()).map_err(|_| FetchError::UrlInvalid)?;
        if !matches!(url.scheme(), "http" | "https")
            || url.host().is_none()
            || !url.username().is_empty()
            || url.password().is_some()
            || raw.len() > crate::store::activities::MAX_LINK
        {
            return Err(FetchError::UrlInvalid);
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
            _ => None,
        };
        if let Some(ip) = literal
            && !self.rule.allows(ip)
        {
            return Err(FetchError::HostRefused(ip.to_string()));
        }
        Ok(url)
    }

    /// GETs `url` with `If-None-Match` / `If-Modified-Since` when known, following redirects
    /// (each checked), reading at most the cap.
    pub async fn get(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Fetched, FetchError> {
        let secs = self.timeout.as_secs().max(1);
        match tokio::time::timeout(self.timeout, self.get_inner(url, etag, last_modified)).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout(secs)),
        }
    }

    async fn get_inner(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Fetched, FetchError> {
        use reqwest::header;
        let mut at = self.check_url(url)?;
        for _ in 0..=MAX_REDIRECTS {
            let mut req = self.client.get(at.clone()).header(
                header::ACCEPT,
                "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8",
            );
            if let Some(e) = etag {
                req = req.header(header::IF_NONE_MATCH, e);
            }
            if let Some(m) = last_modified {
                req = req.header(header::IF_MODIFIED_SINCE, m);
            }
            let mut res = req.send().await.map_err(|e| self.classify(&e))?;
            let status = res.status();
            if status.is_redirection() && status != reqwest::StatusCode::NOT_MODIFIED {
                let next = res
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| at.join(l).ok())
                    .ok_or(FetchError::Redirects)?;
                at = self.check_url(next.as_str())?;
                continue;
            }
            if status == reqwest::StatusCode::NOT_MODIFIED {
                return Ok(Fetched::NotModified);
            }
            if status != reqwest::StatusCode::OK {
                return Err(FetchError::Http(status.as_u16()));
            }
            if res
                .content_length()
                .is_some_and(|n| n > self.max_bytes as u64)
            {
                return Err(FetchError::TooLarge(self.max_bytes));
            }
            let text = |name| {
                res.headers()
                    .get(name)
                    .and_then(|v: &header::HeaderValue| v.to_str().ok())
                    .filter(|v| v.len() <= 200)
                    .map(str::to_owned)
            };
            let (etag, last_modified) = (text(header::ETAG), text(header::LAST_MODIFIED));
            let mut bytes = Vec::new();
            while let Some(chunk) = res.chunk().await.map_err(|e| self.classify(&e))? {
                if bytes.len() + chunk.len() > self.max_bytes {
                    return Err(FetchError::TooLarge(self.max_bytes));
                }
                bytes.extend_from_slice(&chunk);
            }
            return Ok(Fetched::Body {
                bytes,
                etag,
                last_modified,
            });
        }
        Err(FetchError::Redirects)
    }

    fn classify(&self, e: &reqwest::Error) -> FetchError {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(s) = source {
            if let Some(r) = s.downcast_ref::<Refused>() {
                return FetchError::HostRefused(r.0.clone());
            }
            source = s.source();
        }
        if e.is_timeout() {
            return FetchError::Timeout(self.timeout.as_secs().max(1));
        }
        let mut why = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            why = s.to_string();
            source = s.source();
        }
        FetchError::Unreachable(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "2001:db8::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_are_http_or_https_with_public_literal_hosts() {
        let f = Fetcher::new(AddressRule::default(), Duration::from_secs(1), 1000);
        for bad in [
            "ftp://e.org/f",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "/rel",
            "http://u:p@e.org/",
        ] {
            assert_eq!(f.check_url(bad), Err(FetchError::UrlInvalid), "{bad}");
        }
        for refused in [
            "http://127.0.0.1:8/f",
            "http://[::1]/f",
            "http://10.0.0.1/",
            "http://0x7f000001/",
            "http://2130706433/",
        ] {
            assert_eq!(
                f.check_url(refused).unwrap_err().code(),
                "feed_host_refused",
                "{refused}"
            );
        }
        assert!(f.check_url("https://example.org/feed.xml").is_ok());
        let open = AddressRule {
            allow_private: true,
            exempt: vec![],
        };
        let open = Fetcher::new(open, Duration::from_secs(1), 1000);
        assert!(open.check_url("http://127.0.0.1:8/f").is_ok());
        let one = AddressRule {
            allow_private: false,
            exempt: vec!["127.0.0.2".parse().unwrap()],
        };
        let one = Fetcher::new(one, Duration::from_secs(1), 1000);
        assert!(one.check_url("http://127.0.0.2:8/f").is_ok());
        assert!(one.check_url("http://127.0.0.1:8/f").is_err());
    }
}
