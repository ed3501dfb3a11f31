//! Scopes: parsing, normalising and "what is missing" (pure).
//!
//! Scopes are accepted separated by spaces or commas (Live Connect accepted both, and arrays
//! from JavaScript are joined before they get here). They are case-sensitive (RFC 6749 §3.3).

/// An ordered set of scopes without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Parses a space- or comma-separated list, dropping empties and duplicates, keeping order.
    pub fn parse(s: &str) -> Self {
        let mut out = Scopes::default();
        for part in crate::oidc::split_by(s, |b| b.is_ascii_whitespace() || b == b',') {
            out.add(part);
        }
        out
    }

    /// Adds one scope if it is not empty and not there yet.
    pub fn add(&mut self, scope: &str) {
        if !scope.is_empty() && !self.contains(scope) {
            self.0.push(scope.to_string());
        }
    }

    /// Whether the set holds `scope`.
    pub fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }

    /// The union: `self` followed by what `other` adds.
    pub fn union(&self, other: &Scopes) -> Scopes {
        let mut out = self.clone();
        for s in &other.0 {
            out.add(s);
        }
        out
    }

    /// The scopes of `self` that `granted` does not hold.
    pub fn missing_from(&self, granted: &Scopes) -> Scopes {
        Scopes(
            self.0
                .iter()
                .filter(|s| !granted.contains(s))
                .cloned()
                .collect(),
        )
    }

    /// Whether there are no scopes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The scopes in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// The space-separated form used on the wire.
    pub fn to_wire(&self) -> String {
        let mut out = String::new();
        for s in &self.0 {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(s);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spaces_and_commas_without_duplicates() {
        let s = Scopes::parse(" wl.basic,wl.emails  wl.basic\topenid ,");
        assert_eq!(s.to_wire(), "wl.basic wl.emails openid");
        assert!(Scopes::parse("  , ").is_empty());
    }

    #[test]
    fn scopes_are_case_sensitive() {
        assert_eq!(
            Scopes::parse("wl.Basic wl.basic").to_wire(),
            "wl.Basic wl.basic"
        );
    }

    #[test]
    fn missing_is_what_the_session_lacks() {
        let granted = Scopes::parse("openid wl.basic");
        let wanted = Scopes::parse("wl.basic wl.contacts openid wl.emails");
        assert_eq!(
            wanted.missing_from(&granted).to_wire(),
            "wl.contacts wl.emails"
        );
        assert!(Scopes::parse("wl.basic").missing_from(&granted).is_empty());
    }

    #[test]
    fn union_keeps_order() {
        let a = Scopes::parse("openid wl.basic");
        let b = Scopes::parse("wl.contacts wl.basic");
        assert_eq!(a.union(&b).to_wire(), "openid wl.basic wl.contacts");
    }
}
