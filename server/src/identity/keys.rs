//! The ID-token signing key (ECDSA P-256, ES256): made on first start, kept in the database
//! as PKCS#8 PEM, published as a JWKS.
//!
//! ES256 with RustCrypto's `p256` replaced RS256 with the `rsa` crate (RUSTSEC-2023-0071, the
//! Marvin timing side channel, and no blinding when signing). ECDSA signatures use RFC 6979
//! deterministic nonces and `p256`'s constant-time scalar arithmetic. A JWS with ES256 is the
//! base64url header and claims joined by `.`, signed with SHA-256, the signature being the
//! fixed 64-byte `r ‖ s` (RFC 7518 §3.4); that is all this module builds.
//!
//! A database made before ES256 holds an RSA key: [`SigningKey::load_or_create`] replaces it
//! with a fresh P-256 key (it cannot be converted). ID tokens signed with the old key stop
//! verifying; they lived one hour and the loader re-reads the JWKS.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey as EcKey};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rand::RngCore;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// The JWS algorithm of ID tokens (and the one value of discovery's
/// `id_token_signing_alg_values_supported`).
pub const ALG: &str = "ES256";

/// The provider's signing key with its derived public parts.
pub struct SigningKey {
    key: EcKey,
    kid: String,
    jwks: Value,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Generates a fresh P-256 private key as PKCS#8 PEM.
pub fn generate_pem() -> Result<String, AppError> {
    let key = loop {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        // Out of range (zero or ≥ n) with probability ~2⁻³², then draw again.
        if let Ok(k) = EcKey::from_slice(&bytes) {
            break k;
        }
    };
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| AppError::Internal(format!("PEM encoding: {e}")))
}

/// True when `pem` is a PKCS#8 P-256 private key this module can load.
pub fn is_p256_pem(pem: &str) -> bool {
    EcKey::from_pkcs8_pem(pem).is_ok()
}

impl SigningKey {
    /// Loads a PKCS#8 PEM P-256 private key.
    pub fn from_pem(pem: &str) -> Result<Self, AppError> {
        let key = EcKey::from_pkcs8_pem(pem).map_err(|e| {
            AppError::Internal(format!(
                "bad signing key (a PKCS#8 P-256 key is needed): {e}"
            ))
        })?;
        let point = key.verifying_key().to_sec1_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err(AppError::Internal(
                "the signing key's public point is not affine".into(),
            ));
        };
        let mut xy = Vec::with_capacity(64);
        xy.extend_from_slice(x);
        xy.extend_from_slice(y);
        let kid = crate::crypto::hex(&Sha256::digest(&xy)[..8]);
        let jwks = json!({ "keys": [{
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": ALG, "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y),
        }]});
        Ok(Self { key, kid, jwks })
    }

    /// Loads the key kept in the database, storing `fallback_pem` (or a fresh key) on first
    /// start. A stored key that is not P-256 (the RSA key of a database from before ES256) is
    /// replaced by `fallback_pem` or a fresh key, and the replacement is logged.
    pub async fn load_or_create(
        db: &crate::store::db::Db,
        fallback_pem: Option<&str>,
    ) -> Result<Self, AppError> {
        let existing = crate::store::meta::signing_key(&mut *db.conn().await?).await?;
        let fresh = || -> Result<String, AppError> {
            match fallback_pem {
                Some(p) => Ok(p.to_owned()),
                None => generate_pem(),
            }
        };
        let pem = match existing {
            Some(pem) if is_p256_pem(&pem) => pem,
            Some(_) => {
                tracing::warn!(
                    "replacing the stored RS256 signing key with a new ES256 (P-256) key; ID tokens signed before stop verifying"
                );
                let pem = fresh()?;
                crate::store::meta::replace_signing_key(&mut *db.conn().await?, &pem).await?;
                pem
            }
            None => {
                if fallback_pem.is_none() {
                    tracing::info!("generating the ID-token signing key (first start)");
                }
                let pem = fresh()?;
                crate::store::meta::insert_signing_key(&mut *db.conn().await?, &pem).await?;
                crate::store::meta::signing_key(&mut *db.conn().await?)
                    .await?
                    .ok_or_else(|| AppError::Internal("the signing key vanished".into()))?
            }
        };
        Self::from_pem(&pem)
    }

    /// The key id published in the JWKS and JWT headers.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JSON Web Key Set holding the public key.
    pub fn jwks(&self) -> &Value {
        &self.jwks
    }

    /// Signs `claims` as a compact ES256 JWT (header `alg`, `typ`, `kid`).
    pub fn sign_jwt(&self, claims: &Value) -> Result<String, AppError> {
        let header = json!({ "alg": ALG, "typ": "JWT", "kid": self.kid });
        let enc = |v: &Value| -> Result<String, AppError> {
            serde_json::to_vec(v)
                .map(|b| URL_SAFE_NO_PAD.encode(b))
                .map_err(|e| AppError::Internal(format!("encoding an ID token: {e}")))
        };
        let input = format!("{}.{}", enc(&header)?, enc(claims)?);
        let sig: Signature = self.key.sign(input.as_bytes());
        Ok(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(sig.to_bytes())
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::VerifyingKey;
    use p256::ecdsa::signature::Verifier;

    #[test]
    fn signs_es256_that_the_jwks_verifies() {
        let key = SigningKey::from_pem(&generate_pem().unwrap()).unwrap();
        let jwt = key.sign_jwt(&json!({ "sub": "x" })).unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["kid"], key.kid());
        let jwk = &key.jwks()["keys"][0];
        let mut sec1 = vec![4u8];
        sec1.extend(URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap());
        sec1.extend(URL_SAFE_NO_PAD.decode(jwk["y"].as_str().unwrap()).unwrap());
        let vk = VerifyingKey::from_sec1_bytes(&sec1).unwrap();
        let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
        let input = format!("{}.{}", parts[0], parts[1]);
        vk.verify(input.as_bytes(), &sig).unwrap();
        // One changed byte of the claims and it no longer verifies.
        let forged = format!("{}.{}", parts[0], URL_SAFE_NO_PAD.encode(br#"{"sub":"y"}"#));
        assert!(vk.verify(forged.as_bytes(), &sig).is_err());
    }
}
