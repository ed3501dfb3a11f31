//! Every scope the provider knows (Live Connect and OpenID Connect), with the plain words the
//! consent screen and the connected-apps page use for it, and the claims about the person it
//! releases (OIDC Core §5.4): the one table `/userinfo`, the ID token, `/v1/me` and discovery's
//! `claims_supported` read.

/// One scope: its wire name and what it lets an app do, in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The name an app asks for (`wl.basic`, `openid`, …).
    pub name: &'static str,
    /// What the person is agreeing to, as one short sentence.
    pub description: &'static str,
    /// The claims about the person it releases (OIDC Core §5.4 names; `/v1/me` maps its
    /// fields onto them).
    pub claims: &'static [&'static str],
}

/// The claims of OIDC's `profile` scope the provider has (and of `wl.basic`, Live Connect's
/// "basic profile").
pub const PROFILE_CLAIMS: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "profile",
    "picture",
    "locale",
    "updated_at",
];
/// The claims of the `email` and `wl.emails` scopes.
pub const EMAIL_CLAIMS: &[&str] = &["email", "email_verified"];

/// All scopes, in the order the consent screen lists them.
pub const ALL: &[Scope] = &[
    Scope {
        name: "openid",
        description: "Sign you in with your wl-connect account",
        claims: &["sub"],
    },
    Scope {
        name: "wl.signin",
        description: "Sign you in automatically when you're already signed in to wl-connect",
        claims: &[],
    },
    Scope {
        name: "profile",
        description: "See your name, profile picture and language",
        claims: PROFILE_CLAIMS,
    },
    Scope {
        name: "wl.basic",
        description: "See your profile info and your list of friends",
        claims: PROFILE_CLAIMS,
    },
    Scope {
        name: "email",
        description: "See your email address",
        claims: EMAIL_CLAIMS,
    },
    Scope {
        name: "wl.emails",
        description: "See your email addresses",
        claims: EMAIL_CLAIMS,
    },
    Scope {
        name: "wl.contacts",
        description: "See your contacts and their details",
        claims: &[],
    },
    Scope {
        name: "wl.share",
        description: "Share links and updates with your friends for you",
        claims: &[],
    },
    Scope {
        name: "wl.messenger",
        description: "Show when you're online and chat with your friends as you",
        claims: &[],
    },
    Scope {
        name: "wl.photos",
        description: "See your photo albums and add photos to them",
        claims: &[],
    },
    Scope {
        name: "wl.calendars",
        description: "See your calendars and the events in them",
        claims: &[],
    },
    Scope {
        name: "wl.calendars_update",
        description: "Add, change and delete events in your calendars",
        claims: &[],
    },
    Scope {
        name: "offline_access",
        description: "Keep access to this info when you're not using the app",
        claims: &[],
    },
    Scope {
        name: "wl.offline_access",
        description: "Access your info at any time, even when you're not using the app",
        claims: &[],
    },
];

/// Looks a scope up by name.
pub fn find(name: &str) -> Option<&'static Scope> {
    ALL.iter().find(|s| s.name == name)
}

/// A parsed, de-duplicated scope list in canonical (consent-screen) order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeSet(Vec<&'static Scope>);

/// A scope string named something the provider does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scope `{0}`")]
pub struct UnknownScope(pub String);

impl ScopeSet {
    /// Parses a space- or comma-separated scope string (Live Connect accepted both).
    pub fn parse(s: &str) -> Result<Self, UnknownScope> {
        let mut found = Vec::new();
        for name in s.split([' ', ',', '+']).filter(|n| !n.is_empty()) {
            let scope = find(name).ok_or_else(|| UnknownScope(name.to_owned()))?;
            if !found.contains(&scope) {
                found.push(scope);
            }
        }
        Ok(Self::ordered(found))
    }

    /// Parses a scope string already stored by the provider (unknown names are dropped).
    pub fn parse_stored(s: &str) -> Self {
        Self::ordered(s.split(' ').filter_map(find).collect())
    }

    fn ordered(mut v: Vec<&'static Scope>) -> Self {
        v.sort_by_key(|s| ALL.iter().position(|a| a == *s));
        v.dedup();
        Self(v)
    }

    /// True when `name` is in the set.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|s| s.name == name)
    }

    /// True when every scope of `other` is in `self`.
    pub fn covers(&self, other: &ScopeSet) -> bool {
        other.0.iter().all(|s| self.contains(s.name))
    }

    /// The union of both sets.
    pub fn union(&self, other: &ScopeSet) -> ScopeSet {
        Self::ordered(self.0.iter().chain(other.0.iter()).copied().collect())
    }

    /// The scopes of `self` that are not in `other` (what a consent screen still has to ask).
    pub fn difference(&self, other: &ScopeSet) -> ScopeSet {
        Self(
            self.0
                .iter()
                .filter(|s| !other.contains(s.name))
                .copied()
                .collect(),
        )
    }

    /// True when a refresh token may be issued (an offline-access scope is in the set).
    pub fn offline(&self) -> bool {
        self.contains("offline_access") || self.contains("wl.offline_access")
    }

    /// True when the set releases the claim `name` about the person (see [`Scope::claims`]).
    pub fn releases(&self, claim: &str) -> bool {
        self.0.iter().any(|s| s.claims.contains(&claim))
    }

    /// True when the person's email addresses may be shown.
    pub fn emails(&self) -> bool {
        self.contains("email") || self.contains("wl.emails")
    }

    /// The scopes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'static Scope> + '_ {
        self.0.iter().copied()
    }

    /// True when no scope is in the set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|s| s.name).collect();
        f.write_str(&names.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_orders_and_dedups() {
        let s = ScopeSet::parse("wl.emails openid,wl.basic openid").unwrap();
        assert_eq!(s.to_string(), "openid wl.basic wl.emails");
        assert!(s.emails());
        assert!(!s.offline());
    }

    #[test]
    fn rejects_unknown() {
        assert_eq!(
            ScopeSet::parse("openid wl.everything"),
            Err(UnknownScope("wl.everything".into()))
        );
    }

    #[test]
    fn covers_and_union() {
        let a = ScopeSet::parse("openid wl.basic").unwrap();
        let b = ScopeSet::parse("wl.basic").unwrap();
        assert!(a.covers(&b));
        assert!(!b.covers(&a));
        assert_eq!(
            b.union(&ScopeSet::parse("wl.offline_access").unwrap())
                .to_string(),
            "wl.basic wl.offline_access"
        );
    }

    #[test]
    fn difference_is_what_is_still_to_ask() {
        let asked = ScopeSet::parse("openid wl.signin wl.basic wl.contacts").unwrap();
        let granted = ScopeSet::parse("openid wl.basic wl.signin").unwrap();
        assert_eq!(asked.difference(&granted).to_string(), "wl.contacts");
        assert!(granted.difference(&asked).is_empty());
        assert_eq!(asked.difference(&ScopeSet::default()), asked);
    }

    #[test]
    fn claims_follow_the_scopes() {
        let openid = ScopeSet::parse("openid").unwrap();
        assert!(openid.releases("sub"));
        for claim in PROFILE_CLAIMS.iter().chain(EMAIL_CLAIMS) {
            assert!(!openid.releases(claim), "{claim} with openid alone");
        }
        let signin = ScopeSet::parse("openid wl.signin wl.offline_access").unwrap();
        assert!(!signin.releases("name"));
        for scope in ["profile", "wl.basic"] {
            let s = ScopeSet::parse(scope).unwrap();
            assert!(PROFILE_CLAIMS.iter().all(|c| s.releases(c)), "{scope}");
            assert!(!s.releases("email"), "{scope}");
        }
        for scope in ["email", "wl.emails"] {
            let s = ScopeSet::parse(scope).unwrap();
            assert!(s.releases("email") && s.releases("email_verified"));
            assert!(!s.releases("name"), "{scope}");
            assert_eq!(s.emails(), s.releases("email"));
        }
    }

    #[test]
    fn every_scope_has_words() {
        for s in ALL {
            assert!(s.description.len() > 10, "{}", s.name);
        }
    }
}
