//! The origin a person types for their own site (`https://www.contoso.com`): checked and
//! normalised, because it ends up in a redirect URI, a shell command and a CSP.

/// Why a typed origin is not one. Every variant has the stable code [`OriginError::CODE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    /// Not `http://` or `https://`.
    #[error("an origin starts with https:// (or http:// on this machine)")]
    Scheme,
    /// A path, query, fragment or user name after the host.
    #[error("an origin is only scheme, host and port: no path, query, fragment or user name")]
    NotBare,
    /// No host, or characters a host name cannot have.
    #[error("the host is missing or has characters a host name cannot have")]
    Host,
    /// Not a number from 1 to 65535.
    #[error("the port must be a number from 1 to 65535")]
    Port,
}

impl OriginError {
    /// The stable code of every origin error.
    pub const CODE: &'static str = "invalid_origin";

    /// The stable code (`invalid_origin`).
    pub fn code(&self) -> &'static str {
        Self::CODE
    }
}

/// Checks a typed origin and returns it normalised: scheme and host in lower case, no default
/// port, no trailing slash. `Ok(None)` when nothing was typed.
pub fn parse(input: &str) -> Result<Option<String>, OriginError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let lower = input.to_ascii_lowercase();
    let (scheme, rest, default_port) = if let Some(r) = lower.strip_prefix("https://") {
        ("https", &input[8..8 + r.len()], 443)
    } else if let Some(r) = lower.strip_prefix("http://") {
        ("http", &input[7..7 + r.len()], 80)
    } else {
        return Err(OriginError::Scheme);
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '?', '#', '@', '\\']) {
        return Err(OriginError::NotBare);
    }
    let (host, port) = split_port(authority)?;
    let host = host.to_ascii_lowercase();
    if !valid_host(&host) {
        return Err(OriginError::Host);
    }
    Ok(Some(match port {
        Some(p) if p != default_port => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    }))
}

/// `host[:port]` or `[v6][:port]`.
fn split_port(authority: &str) -> Result<(&str, Option<u32>), OriginError> {
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => {
                let after = &authority[end + 1..];
                match after.strip_prefix(':') {
                    Some(p) => (&authority[..=end], Some(p)),
                    None if after.is_empty() => (&authority[..=end], None),
                    None => return Err(OriginError::Host),
                }
            }
            None => return Err(OriginError::Host),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) => {
            let n: u32 = p
                .parse()
                .ok()
                .filter(|_| p.bytes().all(|b| b.is_ascii_digit()))
                .ok_or(OriginError::Port)?;
            if !(1..=65535).contains(&n) {
                return Err(OriginError::Port);
            }
            Some(n)
        }
    };
    Ok((host, port))
}

/// A DNS name or IPv4 address (`a-z 0-9 - .`, no empty label), or a bracketed IPv6 address.
fn valid_host(host: &str) -> bool {
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !v6.is_empty()
            && v6
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        for (typed, want) in [
            ("https://www.contoso.com", "https://www.contoso.com"),
            ("  HTTPS://WWW.Contoso.COM/ ", "https://www.contoso.com"),
            ("https://contoso.com:443", "https://contoso.com"),
            ("http://contoso.com:80/", "http://contoso.com"),
            ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
            ("https://contoso.com:8443", "https://contoso.com:8443"),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("http://localhost:3000", "http://localhost:3000"),
        ] {
            assert_eq!(parse(typed), Ok(Some(want.to_owned())), "{typed}");
        }
        assert_eq!(parse("   "), Ok(None));
    }

    #[test]
    fn what_is_not_an_origin_is_refused_with_one_code() {
        for (typed, want) in [
            ("www.contoso.com", OriginError::Scheme),
            ("javascript:alert(1)", OriginError::Scheme),
            ("ftp://contoso.com", OriginError::Scheme),
            ("https://contoso.com/app/", OriginError::NotBare),
            ("https://contoso.com?x=1", OriginError::NotBare),
            ("https://contoso.com#top", OriginError::NotBare),
            ("https://user:pw@contoso.com", OriginError::NotBare),
            ("https://evil.com\\@contoso.com", OriginError::NotBare),
            ("https://", OriginError::Host),
            ("https://con toso.com", OriginError::Host),
            ("https://contoso..com", OriginError::Host),
            ("https://a\"b.com", OriginError::Host),
            (
                "https://a.com\"><script>alert(1)</script>",
                OriginError::NotBare,
            ),
            ("https://a.com';rm -rf ~;'", OriginError::Host),
            ("https://a.com:0", OriginError::Port),
            ("https://a.com:65536", OriginError::Port),
            ("https://a.com:+80", OriginError::Port),
            ("https://a.com:", OriginError::Port),
            ("http://[::1", OriginError::Host),
        ] {
            let e = parse(typed).expect_err(typed);
            assert_eq!(e, want, "{typed}");
            assert_eq!(e.code(), "invalid_origin");
        }
    }

    #[test]
    fn an_accepted_origin_needs_no_quoting_anywhere() {
        // What `parse` lets through goes into a shell command, an HTML attribute and a CSP
        // unquoted-safe: none of these characters can appear.
        for typed in [
            "https://a.com",
            "http://[fe80::1]:1",
            "https://xn--bcher-kva.example",
        ] {
            let o = parse(typed).expect("a valid origin").expect("not empty");
            assert!(
                !o.contains(['\'', '"', ' ', ';', '<', '>', '&', '$', '`', '\\', ',']),
                "{o}"
            );
        }
    }
}
