//! PKCE (RFC 7636) with S256. Pure: the verifier comes from random bytes and the challenge from a
//! SHA-256 digest, both supplied by the caller (Web Crypto in the browser: `wl.js` hashes the
//! verifier with `crypto.subtle.digest`, which needs a secure context, as sign-in does anyway).

use crate::b64;

/// How many random bytes make a verifier (32 bytes → 43 characters, the RFC's minimum length).
pub const VERIFIER_BYTES: usize = 32;

/// The `code_verifier` for some random bytes.
pub fn verifier(random: &[u8]) -> String {
    b64::encode(random)
}

/// The S256 `code_challenge` for the SHA-256 digest of the verifier's ASCII bytes.
pub fn challenge(verifier_sha256: &[u8]) -> String {
    b64::encode(verifier_sha256)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn rfc7636_appendix_b() {
        let random = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let v = verifier(&random);
        assert_eq!(v, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let c = challenge(&Sha256::digest(v.as_bytes()));
        assert_eq!(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn verifier_has_rfc_length_and_charset() {
        let v = verifier(&[0xff; VERIFIER_BYTES]);
        assert_eq!(v.len(), 43);
        assert!(
            v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }
}
