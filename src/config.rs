//! Loader options: parsing and validation (pure).
//!
//! The same names serve all three ways to configure: the script tag's `data-*` attributes and
//! `<wl-app>` attributes are mapped by `wl.js` to the Live Connect names used by `WL.init`.

use crate::error::Error;
use crate::oidc::cat;
use crate::scope::Scopes;

/// Where the session is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    /// Only in memory: gone on reload.
    Memory,
    /// `sessionStorage` (default): survives reloads in this tab.
    Session,
    /// `localStorage`: survives closing the browser, shared by tabs.
    Local,
}

/// How sign-in is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A popup over the page (default).
    Popup,
    /// The whole page goes to the provider and comes back.
    Redirect,
}

/// Validated loader configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The OAuth client id of the site.
    pub client_id: String,
    /// The OIDC issuer / authority URL, without a trailing slash.
    pub authority: String,
    /// Scopes asked for at sign-in (without `openid`, which the loader always adds).
    pub scope: Scopes,
    /// Where the provider sends the result (the site's `callback.html`).
    pub redirect_uri: String,
    /// Where the session is kept.
    pub storage: StorageKind,
    /// Popup or redirect.
    pub mode: Mode,
    /// Whether errors and warnings also go to the console.
    pub logging: bool,
    /// Whether `init` checks the login status (and fires `auth.statusChange`).
    pub status: bool,
    /// How long a sign-in may take before it fails with `timed_out`, in milliseconds.
    pub timeout_ms: u32,
    /// Non-fatal remarks about the options (e.g. `response_type=token` is not supported).
    pub warnings: Vec<String>,
}

/// The default sign-in timeout: ten minutes.
pub const DEFAULT_TIMEOUT_MS: u32 = 600_000;

/// The message every "not configured" error carries.
pub const CONFIGURE_FIRST: &str = "the loader is not configured: set data-client-id and data-authority on the wl.js tag or a <wl-app>, or call WL.init({ client_id, authority })";

fn is_http_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && s.len() > "http://".len()
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim_ascii() {
        "" | "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

impl Config {
    /// Parses options through `get`, which returns the string form of an option by its Live
    /// Connect name (`client_id`, `authority`, `scope`, `redirect_uri`, `response_type`,
    /// `storage`, `mode`, `logging`, `status`, `timeout`), or `None` when absent.
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        let get = |k: &str| {
            get(k)
                .map(|v| v.trim_ascii().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut warnings = Vec::new();
        let client_id = get("client_id").ok_or_else(|| Error::config(CONFIGURE_FIRST))?;
        let authority = get("authority").ok_or_else(|| {
            Error::config("the authority (the provider's URL) is missing: set data-authority or WL.init({ authority })")
        })?;
        if !is_http_url(&authority) {
            return Err(Error::config("authority must be an absolute http(s) URL"));
        }
        let authority = authority.trim_end_matches('/').to_string();
        let redirect_uri = get("redirect_uri").ok_or_else(|| {
            Error::config("redirect_uri is missing: point it at the site's callback.html")
        })?;
        if !is_http_url(&redirect_uri) {
            return Err(Error::config(
                "redirect_uri must be an absolute http(s) URL",
            ));
        }
        let storage = match get("storage").as_deref() {
            None | Some("session") | Some("sessionStorage") => StorageKind::Session,
            Some("local") | Some("localStorage") => StorageKind::Local,
            Some("memory") | Some("none") => StorageKind::Memory,
            Some(_) => return Err(Error::config("storage must be memory, session or local")),
        };
        let mode = match get("mode").as_deref() {
            None | Some("popup") => Mode::Popup,
            Some("redirect") => Mode::Redirect,
            Some(_) => return Err(Error::config("mode must be popup or redirect")),
        };
        match get("response_type").as_deref() {
            None | Some("code") => {}
            Some("token") => warnings.push(
                "response_type \"token\" (implicit flow) is not supported: using code with PKCE"
                    .into(),
            ),
            Some(_) => return Err(Error::config("response_type must be code")),
        }
        let flag = |k: &str, default: bool| match get(k) {
            None => Ok(default),
            Some(v) => parse_bool(&v)
                .ok_or_else(|| Error::InvalidRequest(cat(&[k, " must be true or false"]))),
        };
        let logging = flag("logging", true)?;
        let status = flag("status", true)?;
        let timeout_ms = match get("timeout") {
            None => DEFAULT_TIMEOUT_MS,
            Some(v) => match v.parse::<u32>() {
                Ok(ms) if (1000..=86_400_000).contains(&ms) => ms,
                _ => {
                    return Err(Error::config(
                        "timeout must be a number of milliseconds, at least 1000",
                    ));
                }
            },
        };
        let mut scope = Scopes::parse(&get("scope").unwrap_or_default());
        if scope.is_empty() {
            scope.add("wl.signin");
        }
        Ok(Config {
            client_id,
            authority,
            scope,
            redirect_uri,
            storage,
            mode,
            logging,
            status,
            timeout_ms,
            warnings,
        })
    }

    /// The scopes a sign-in asks for: `openid`, the configured ones, then `extra`.
    pub fn login_scopes(&self, extra: &Scopes) -> Scopes {
        Scopes::parse("openid").union(&self.scope).union(extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<Config, Error> {
        Config::parse(|k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        })
    }

    const BASE: [(&str, &str); 3] = [
        ("client_id", "wl-demo"),
        ("authority", "http://127.0.0.1:8081/"),
        ("redirect_uri", "http://127.0.0.1:8080/callback.html"),
    ];

    #[test]
    fn defaults() {
        let c = parse(&BASE).expect("valid");
        assert_eq!(c.client_id, "wl-demo");
        assert_eq!(c.authority, "http://127.0.0.1:8081");
        assert_eq!(c.storage, StorageKind::Session);
        assert_eq!(c.mode, Mode::Popup);
        assert!(c.logging && c.status);
        assert_eq!(c.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(c.scope.to_wire(), "wl.signin");
        assert!(c.warnings.is_empty());
    }

    #[test]
    fn all_options() {
        let mut p = BASE.to_vec();
        p.extend([
            ("scope", "wl.basic, wl.emails"),
            ("storage", "local"),
            ("mode", "redirect"),
            ("logging", "false"),
            ("status", "0"),
            ("timeout", "5000"),
            ("response_type", "token"),
        ]);
        let c = parse(&p).expect("valid");
        assert_eq!(c.scope.to_wire(), "wl.basic wl.emails");
        assert_eq!(c.storage, StorageKind::Local);
        assert_eq!(c.mode, Mode::Redirect);
        assert!(!c.logging && !c.status);
        assert_eq!(c.timeout_ms, 5000);
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(
            c.login_scopes(&Scopes::parse("wl.contacts wl.basic"))
                .to_wire(),
            "openid wl.basic wl.emails wl.contacts"
        );
    }

    #[test]
    fn missing_client_id_says_to_configure_first() {
        let e = parse(&BASE[1..]).expect_err("no client id");
        assert_eq!(e.code(), "invalid_request");
        assert!(e.to_string().contains("configure"));
    }

    #[test]
    fn rejects_bad_values() {
        for (k, v) in [
            ("authority", "ftp://x"),
            ("redirect_uri", "/callback.html"),
            ("storage", "cookie"),
            ("mode", "iframe"),
            ("logging", "maybe"),
            ("timeout", "10"),
            ("response_type", "id_token"),
        ] {
            let mut p: Vec<(&str, &str)> = BASE.iter().filter(|(n, _)| *n != k).copied().collect();
            p.push((k, v));
            assert_eq!(parse(&p).expect_err(k).code(), "invalid_request", "{k}={v}");
        }
    }
}
