//! The ID-token signing key (RSA 2048, RS256): made on first start, kept in the database,
//! published as a JWKS. ID tokens are signed by `jsonwebtoken` (RS256); the `rsa` crate makes
//! the key and derives its public parts for the JWKS.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::RsaPrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// The provider's signing key with its derived public parts.
pub struct SigningKey {
    encoding: EncodingKey,
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

/// Generates a fresh RSA-2048 private key as PKCS#8 PEM.
pub fn generate_pem() -> Result<String, AppError> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
        .map_err(|e| AppError::Internal(format!("RSA key generation: {e}")))?;
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| AppError::Internal(format!("PEM encoding: {e}")))
}

impl SigningKey {
    /// Loads a PKCS#8 PEM private key.
    pub fn from_pem(pem: &str) -> Result<Self, AppError> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)
            .map_err(|e| AppError::Internal(format!("bad signing key: {e}")))?;
        let n = key.n().to_bytes_be();
        let e = key.e().to_bytes_be();
        let kid = crate::crypto::hex(&Sha256::digest(&n)[..8]);
        let jwks = json!({ "keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(&n), "e": URL_SAFE_NO_PAD.encode(&e),
        }]});
        let der = key
            .to_pkcs1_der()
            .map_err(|e| AppError::Internal(format!("signing key DER: {e}")))?;
        Ok(Self {
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            kid,
            jwks,
        })
    }

    /// Loads the key kept in the database, storing `fallback_pem` (or a fresh key) on first start.
    pub fn load_or_create(
        db: &crate::store::db::Db,
        fallback_pem: Option<&str>,
    ) -> Result<Self, AppError> {
        let existing = db.with(|c| crate::store::meta::signing_key(c))?;
        let pem = match existing {
            Some(pem) => pem,
            None => {
                let pem = match fallback_pem {
                    Some(p) => p.to_owned(),
                    None => {
                        tracing::info!("generating the ID-token signing key (first start)");
                        generate_pem()?
                    }
                };
                db.with(|c| crate::store::meta::insert_signing_key(c, &pem))?;
                db.with(|c| crate::store::meta::signing_key(c))?
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

    /// Signs `claims` as a compact RS256 JWT (header `alg`, `typ`, `kid`).
    pub fn sign_jwt(&self, claims: &Value) -> Result<String, AppError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|e| AppError::Internal(format!("signing an ID token: {e}")))
    }
}
