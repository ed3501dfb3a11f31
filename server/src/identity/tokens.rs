//! Grants, authorization codes, access and refresh tokens.
//!
//! Tokens are opaque random strings; only their SHA-256 is stored. Validated access tokens are
//! kept in an in-process cache so `/v1/*` calls cost one hash and one map lookup; revocation
//! removes them from the cache.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::json;

use crate::clock::Clock;
use crate::crypto::{random_hex, random_secret, secret_hash};
use crate::error::{AppError, AppResult};
use crate::identity::keys::SigningKey;
use crate::identity::scopes::ScopeSet;
use crate::store::db::Db;
use crate::store::grants as store;

/// How long a grant and its access tokens live when "Remember this connection" stayed ticked.
pub const REMEMBER_TTL: i64 = 365 * 86_400;
/// How long they live when it was unticked.
pub const SHORT_TTL: i64 = 3 * 3600;
/// How long an ID token is valid.
pub const ID_TOKEN_TTL: i64 = 3600;
/// Default (and longest) lifetime of an authorization code.
pub const CODE_TTL: i64 = 60;

/// What grants, codes and tokens need of the provider: an axum `FromRef` sub-state of
/// [`crate::state::AppState`], so this module does not know the whole state. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Tokens(Arc<TokensInner>);

/// The fields behind [`Tokens`].
#[derive(Debug)]
pub struct TokensInner {
    /// The database.
    pub db: Arc<Db>,
    /// The clock (tests advance it).
    pub clock: Arc<Clock>,
    /// The ID-token signing key.
    pub key: SigningKey,
    /// The issuer: the provider origin, no trailing slash.
    pub issuer: String,
    /// Authorization code lifetime in seconds (≤ [`CODE_TTL`]).
    pub code_ttl: i64,
    /// Validated access tokens.
    pub tokens: TokenCache,
}

impl Tokens {
    /// Wraps the fields.
    pub fn new(inner: TokensInner) -> Self {
        Self(Arc::new(inner))
    }
}

impl std::ops::Deref for Tokens {
    type Target = TokensInner;
    fn deref(&self) -> &TokensInner {
        &self.0
    }
}

/// A person's consent to an app.
#[derive(Debug, Clone)]
pub struct Grant {
    /// Grant id.
    pub id: String,
    /// Who consented.
    pub person_id: String,
    /// To which app.
    pub client_id: String,
    /// What they allowed.
    pub scopes: ScopeSet,
    /// "Remember this connection" stayed ticked.
    pub remember: bool,
    /// When first given.
    pub created_at: i64,
    /// When it ends.
    pub expires_at: i64,
}

/// What a valid access token stands for.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    /// Its grant.
    pub grant_id: String,
    /// The person it acts for.
    pub person_id: String,
    /// The app it was issued to.
    pub client_id: String,
    /// Its scopes.
    pub scopes: ScopeSet,
    /// Expiry, Unix seconds.
    pub expires_at: i64,
}

/// Validated access tokens by hash.
#[derive(Debug, Default)]
pub struct TokenCache {
    map: RwLock<HashMap<[u8; 32], Arc<TokenInfo>>>,
}

impl TokenCache {
    fn get(&self, hash: &[u8; 32]) -> Option<Arc<TokenInfo>> {
        self.map
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(hash)
            .cloned()
    }

    fn insert(&self, hash: [u8; 32], info: Arc<TokenInfo>) {
        let mut map = self.map.write().unwrap_or_else(|p| p.into_inner());
        if map.len() >= 200_000 {
            map.clear();
        }
        map.insert(hash, info);
    }

    fn remove(&self, hash: &[u8; 32]) {
        self.map
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(hash);
    }

    fn remove_grant(&self, grant_id: &str) {
        self.map
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, v| v.grant_id != grant_id);
    }
}

/// The lifetime of a grant (and its access tokens) for a "Remember this connection" choice.
pub fn lifetime(remember: bool) -> i64 {
    if remember { REMEMBER_TTL } else { SHORT_TTL }
}

fn grant_of(row: store::GrantRow) -> Grant {
    Grant {
        id: row.id,
        person_id: row.person_id,
        client_id: row.client_id,
        scopes: ScopeSet::parse_stored(&row.scopes),
        remember: row.remember,
        created_at: row.created_at,
        expires_at: row.expires_at,
    }
}

/// The person's unexpired, unrevoked grant to an app.
pub fn active_grant(
    c: &Connection,
    person_id: &str,
    client_id: &str,
    now: i64,
) -> rusqlite::Result<Option<Grant>> {
    Ok(store::active(c, person_id, client_id, now)?.map(grant_of))
}

/// Records consent: extends the active grant with `scopes` (or starts one). The latest
/// "Remember" choice sets the grant's lifetime from now.
pub fn consent(
    c: &Connection,
    person_id: &str,
    client_id: &str,
    scopes: &ScopeSet,
    remember: bool,
    now: i64,
) -> rusqlite::Result<Grant> {
    let expires_at = now + lifetime(remember);
    if let Some(g) = active_grant(c, person_id, client_id, now)? {
        let all = g.scopes.union(scopes);
        store::extend(c, &g.id, &all.to_string(), remember, now, expires_at)?;
        return Ok(Grant {
            scopes: all,
            remember,
            expires_at,
            ..g
        });
    }
    let id = random_hex(12);
    store::insert(
        c,
        &store::GrantRow {
            id: id.clone(),
            person_id: person_id.into(),
            client_id: client_id.into(),
            scopes: scopes.to_string(),
            remember,
            created_at: now,
            expires_at,
        },
    )?;
    Ok(Grant {
        id,
        person_id: person_id.into(),
        client_id: client_id.into(),
        scopes: scopes.clone(),
        remember,
        created_at: now,
        expires_at,
    })
}

/// A connected app as the consent page lists it.
#[derive(Debug, Clone)]
pub struct ConnectedApp {
    /// The grant.
    pub grant: Grant,
    /// The app's name.
    pub app_name: String,
}

/// The person's active grants with the apps' names, most recent first.
pub fn connected_apps(
    c: &Connection,
    person_id: &str,
    now: i64,
) -> rusqlite::Result<Vec<ConnectedApp>> {
    Ok(store::connected(c, person_id, now)?
        .into_iter()
        .map(|(row, app_name)| ConnectedApp {
            grant: grant_of(row),
            app_name,
        })
        .collect())
}

/// Revokes one of the person's grants and every token issued under it. False if not theirs.
pub fn revoke_grant(state: &Tokens, person_id: &str, grant_id: &str) -> AppResult<bool> {
    let now = state.clock.now();
    let changed = state
        .db
        .with(|c| store::revoke(c, grant_id, person_id, now))?;
    state.tokens.remove_grant(grant_id);
    Ok(changed)
}

/// Everything an authorization code remembers.
#[derive(Debug, Clone)]
pub struct CodeRequest {
    /// The grant it was issued under.
    pub grant_id: String,
    /// The app.
    pub client_id: String,
    /// The person.
    pub person_id: String,
    /// The exact redirect URI of the request.
    pub redirect_uri: String,
    /// The scopes requested (all covered by the grant).
    pub scopes: ScopeSet,
    /// The OIDC nonce, echoed in the ID token.
    pub nonce: Option<String>,
    /// The PKCE S256 challenge.
    pub code_challenge: String,
    /// The grant's "Remember" choice (sets the token lifetime).
    pub remember: bool,
}

/// Stores a single-use authorization code and returns it.
pub fn create_code(state: &Tokens, req: &CodeRequest) -> AppResult<String> {
    let code = random_secret("wlac_");
    let now = state.clock.now();
    state.db.with(|c| {
        crate::store::codes::insert(
            c,
            &crate::store::codes::NewCode {
                code_hash: &secret_hash(&code),
                grant_id: &req.grant_id,
                client_id: &req.client_id,
                person_id: &req.person_id,
                redirect_uri: &req.redirect_uri,
                scopes: &req.scopes.to_string(),
                nonce: req.nonce.as_deref(),
                code_challenge: &req.code_challenge,
                remember: req.remember,
                now,
                expires_at: now + state.code_ttl,
            },
        )
    })?;
    Ok(code)
}

/// A token response (`/token`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Issued {
    /// The bearer token.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// The granted scopes, space-separated.
    pub scope: String,
    /// An OIDC ID token when `openid` was granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// A refresh token when an offline-access scope was granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

struct MintArgs<'a> {
    grant_id: &'a str,
    grant_expires_at: i64,
    person_id: &'a str,
    client_id: &'a str,
    scopes: &'a ScopeSet,
    remember: bool,
    code_hash: Option<&'a [u8]>,
    nonce: Option<&'a str>,
}

fn mint(state: &Tokens, c: &Connection, a: &MintArgs<'_>, now: i64) -> AppResult<Issued> {
    let access = random_secret("wlat_");
    let expires_at = (now + lifetime(a.remember)).min(a.grant_expires_at);
    let insert = "INSERT INTO tokens (token_hash, kind, grant_id, person_id, client_id, scopes, code_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    c.execute(
        insert,
        params![
            secret_hash(&access).as_slice(),
            "access",
            a.grant_id,
            a.person_id,
            a.client_id,
            a.scopes.to_string(),
            a.code_hash,
            now,
            expires_at
        ],
    )?;
    let refresh_token = if a.scopes.offline() {
        let refresh = random_secret("wlrt_");
        c.execute(
            insert,
            params![
                secret_hash(&refresh).as_slice(),
                "refresh",
                a.grant_id,
                a.person_id,
                a.client_id,
                a.scopes.to_string(),
                a.code_hash,
                now,
                a.grant_expires_at
            ],
        )?;
        Some(refresh)
    } else {
        None
    };
    let id_token = if a.scopes.contains("openid") {
        let person = crate::identity::people::by_id(c, a.person_id)?
            .ok_or_else(|| AppError::oauth("invalid_grant", "The account no longer exists."))?;
        let mut claims = json!({
            "iss": state.issuer,
            "sub": person.id,
            "aud": a.client_id,
            "iat": now,
            "exp": now + ID_TOKEN_TTL,
            "name": person.display_name,
        });
        if a.scopes.contains("profile") || a.scopes.contains("wl.basic") {
            claims["given_name"] = json!(person.first_name);
            claims["family_name"] = json!(person.last_name);
            claims["picture"] = json!(person.picture_url(&state.issuer));
        }
        if a.scopes.emails() {
            claims["email"] = json!(person.email);
            claims["email_verified"] = json!(true);
        }
        if let Some(nonce) = a.nonce {
            claims["nonce"] = json!(nonce);
        }
        Some(state.key.sign_jwt(&claims)?)
    } else {
        None
    };
    Ok(Issued {
        access_token: access,
        token_type: "Bearer",
        expires_in: expires_at - now,
        scope: a.scopes.to_string(),
        id_token,
        refresh_token,
    })
}

/// `grant_type=authorization_code`: checks the code, its client, redirect URI and PKCE
/// verifier, marks it used and issues tokens. A reused code also revokes what it issued.
pub fn exchange_code(
    state: &Tokens,
    client_id: &str,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> AppResult<Issued> {
    let now = state.clock.now();
    let hash = secret_hash(code);
    let mut revoked_on_reuse: Vec<Vec<u8>> = Vec::new();
    let result = state.db.with(|c| {
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = tx
            .query_row(
                "SELECT a.grant_id, a.client_id, a.person_id, a.redirect_uri, a.scopes, a.nonce, a.code_challenge, a.remember, a.expires_at, a.used_at, g.expires_at, g.revoked_at
                 FROM auth_codes a JOIN grants g ON g.id = a.grant_id WHERE a.code_hash = ?1",
                [hash.as_slice()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, bool>(7)?,
                        r.get::<_, i64>(8)?,
                        r.get::<_, Option<i64>>(9)?,
                        r.get::<_, i64>(10)?,
                        r.get::<_, Option<i64>>(11)?,
                    ))
                },
            )
            .optional()?;
        let Some((grant_id, code_client, person_id, code_redirect, scopes, nonce, challenge, remember, expires_at, used_at, grant_expires, grant_revoked)) = row else {
            return Err(AppError::oauth("invalid_grant", "The authorization code is not valid."));
        };
        if used_at.is_some() {
            let mut stmt = tx.prepare("SELECT token_hash FROM tokens WHERE code_hash = ?1 AND revoked_at IS NULL")?;
            revoked_on_reuse = stmt.query_map([hash.as_slice()], |r| r.get(0))?.collect::<Result<_, _>>()?;
            drop(stmt);
            tx.execute("UPDATE tokens SET revoked_at = ?1 WHERE code_hash = ?2 AND revoked_at IS NULL", params![now, hash.as_slice()])?;
            tx.commit()?;
            return Err(AppError::oauth("invalid_grant", "The authorization code has already been used."));
        }
        tx.execute("UPDATE auth_codes SET used_at = ?1 WHERE code_hash = ?2", params![now, hash.as_slice()])?;
        let checks: Result<(), AppError> = if expires_at <= now {
            Err(AppError::oauth("invalid_grant", "The authorization code has expired."))
        } else if code_client != client_id {
            Err(AppError::oauth("invalid_grant", "The authorization code was issued to another client."))
        } else if code_redirect != redirect_uri {
            Err(AppError::oauth("invalid_grant", "The redirect_uri does not match the authorization request."))
        } else if !crate::identity::pkce::verify(verifier, &challenge) {
            Err(AppError::oauth("invalid_grant", "PKCE verification failed: the code_verifier does not match the code_challenge."))
        } else if grant_revoked.is_some() || grant_expires <= now {
            Err(AppError::oauth("invalid_grant", "The person's consent has been revoked or has expired."))
        } else {
            Ok(())
        };
        if let Err(e) = checks {
            tx.commit()?;
            return Err(e);
        }
        let scopes = ScopeSet::parse_stored(&scopes);
        let issued = mint(
            state,
            &tx,
            &MintArgs {
                grant_id: &grant_id,
                grant_expires_at: grant_expires,
                person_id: &person_id,
                client_id,
                scopes: &scopes,
                remember,
                code_hash: Some(hash.as_slice()),
                nonce: nonce.as_deref(),
            },
            now,
        )?;
        tx.commit()?;
        Ok(issued)
    });
    for h in revoked_on_reuse {
        if let Ok(h) = <[u8; 32]>::try_from(h.as_slice()) {
            state.tokens.remove(&h);
        }
    }
    result
}

/// `grant_type=refresh_token`: rotates the refresh token and issues a new access token,
/// optionally narrowed to `scope`.
pub fn refresh(
    state: &Tokens,
    client_id: &str,
    refresh_token: &str,
    scope: Option<&str>,
) -> AppResult<Issued> {
    let now = state.clock.now();
    let hash = secret_hash(refresh_token);
    state.db.with(|c| {
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = tx
            .query_row(
                "SELECT t.client_id, t.person_id, t.scopes, t.expires_at, t.revoked_at, g.id, g.remember, g.expires_at, g.revoked_at
                 FROM tokens t JOIN grants g ON g.id = t.grant_id WHERE t.token_hash = ?1 AND t.kind = 'refresh'",
                [hash.as_slice()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, bool>(6)?,
                        r.get::<_, i64>(7)?,
                        r.get::<_, Option<i64>>(8)?,
                    ))
                },
            )
            .optional()?;
        let Some((tok_client, person_id, scopes, expires_at, revoked, grant_id, remember, grant_expires, grant_revoked)) = row else {
            return Err(AppError::oauth("invalid_grant", "The refresh token is not valid."));
        };
        if tok_client != client_id {
            return Err(AppError::oauth("invalid_grant", "The refresh token was issued to another client."));
        }
        if revoked.is_some() || grant_revoked.is_some() || expires_at <= now || grant_expires <= now {
            return Err(AppError::oauth("invalid_grant", "The refresh token has expired or been revoked."));
        }
        let mut scopes = ScopeSet::parse_stored(&scopes);
        if let Some(requested) = scope.filter(|s| !s.trim().is_empty()) {
            let requested = ScopeSet::parse(requested).map_err(|e| AppError::oauth("invalid_scope", e.to_string()))?;
            if !scopes.covers(&requested) {
                return Err(AppError::oauth("invalid_scope", "The requested scope exceeds what was granted."));
            }
            // Keep offline access so the rotated refresh token is issued.
            let offline = scopes.iter().filter(|s| s.name.ends_with("offline_access")).map(|s| s.name).collect::<Vec<_>>().join(" ");
            scopes = requested.union(&ScopeSet::parse_stored(&offline));
        }
        tx.execute("UPDATE tokens SET revoked_at = ?1 WHERE token_hash = ?2", params![now, hash.as_slice()])?;
        let issued = mint(
            state,
            &tx,
            &MintArgs {
                grant_id: &grant_id,
                grant_expires_at: grant_expires,
                person_id: &person_id,
                client_id,
                scopes: &scopes,
                remember,
                code_hash: None,
                nonce: None,
            },
            now,
        )?;
        tx.commit()?;
        Ok(issued)
    })
}

/// RFC 7009: revokes a token issued to `client_id`. Revoking a refresh token also revokes the
/// access tokens of its grant. Unknown tokens are not an error.
pub fn revoke_token(state: &Tokens, client_id: &str, token: &str) -> AppResult<()> {
    let now = state.clock.now();
    let hash = secret_hash(token);
    let row: Option<(String, String, String)> = state.db.with(|c| {
        c.query_row(
            "SELECT kind, grant_id, client_id FROM tokens WHERE token_hash = ?1",
            [hash.as_slice()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
    })?;
    let Some((kind, grant_id, tok_client)) = row else {
        return Ok(());
    };
    if tok_client != client_id {
        return Err(AppError::oauth(
            "invalid_client",
            "The token was issued to another client.",
        ));
    }
    state.db.with(|c| {
        if kind == "refresh" {
            c.execute(
                "UPDATE tokens SET revoked_at = ?1 WHERE grant_id = ?2 AND revoked_at IS NULL",
                params![now, grant_id],
            )
        } else {
            c.execute(
                "UPDATE tokens SET revoked_at = ?1 WHERE token_hash = ?2 AND revoked_at IS NULL",
                params![now, hash.as_slice()],
            )
        }
    })?;
    if kind == "refresh" {
        state.tokens.remove_grant(&grant_id);
    } else {
        state.tokens.remove(&hash);
    }
    Ok(())
}

/// Validates a bearer access token: cache first, then the database.
pub fn validate_access(state: &Tokens, token: &str) -> AppResult<Arc<TokenInfo>> {
    if !token.starts_with("wlat_") || token.len() > 128 {
        return Err(AppError::InvalidToken);
    }
    let hash = secret_hash(token);
    let now = state.clock.now();
    if let Some(info) = state.tokens.get(&hash) {
        return if info.expires_at <= now {
            Err(AppError::ExpiredToken)
        } else {
            Ok(info)
        };
    }
    let row = state.db.with(|c| {
        c.prepare_cached(
            "SELECT t.grant_id, t.person_id, t.client_id, t.scopes, t.expires_at, t.revoked_at, g.revoked_at
             FROM tokens t JOIN grants g ON g.id = t.grant_id WHERE t.token_hash = ?1 AND t.kind = 'access'",
        )?
        .query_row([hash.as_slice()], |r| {
            Ok((
                TokenInfo {
                    grant_id: r.get(0)?,
                    person_id: r.get(1)?,
                    client_id: r.get(2)?,
                    scopes: ScopeSet::parse_stored(&r.get::<_, String>(3)?),
                    expires_at: r.get(4)?,
                },
                r.get::<_, Option<i64>>(5)?.is_some() || r.get::<_, Option<i64>>(6)?.is_some(),
            ))
        })
        .optional()
    })?;
    match row {
        None | Some((_, true)) => Err(AppError::InvalidToken),
        Some((info, false)) if info.expires_at <= now => Err(AppError::ExpiredToken),
        Some((info, false)) => {
            let info = Arc::new(info);
            state.tokens.insert(hash, info.clone());
            Ok(info)
        }
    }
}

/// Mints an access token for `username` and the app `client_id` with `scope` (a remembered
/// grant): what `wl-server dev-token` prints, for benchmarks and curl examples.
pub fn dev_token(
    state: &Tokens,
    username: &str,
    client_id: &str,
    scope: &str,
) -> AppResult<String> {
    let scopes = ScopeSet::parse(scope).map_err(|e| AppError::Invalid(e.to_string()))?;
    let now = state.clock.now();
    state.db.with(|c| {
        let (person, _) = crate::identity::people::by_username(c, username)?
            .ok_or_else(|| AppError::Invalid(format!("no person `{username}`")))?;
        if crate::identity::apps::find(c, client_id)?.is_none() {
            return Err(AppError::Invalid(format!("no app `{client_id}`")));
        }
        let tx = c.transaction()?;
        let grant = consent(&tx, &person.id, client_id, &scopes, true, now)?;
        let issued = mint(
            state,
            &tx,
            &MintArgs {
                grant_id: &grant.id,
                grant_expires_at: grant.expires_at,
                person_id: &person.id,
                client_id,
                scopes: &scopes,
                remember: true,
                code_hash: None,
                nonce: None,
            },
            now,
        )?;
        tx.commit()?;
        Ok(issued.access_token)
    })
}
