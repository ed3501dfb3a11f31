//! Grants, authorization codes, access and refresh tokens: the rules (lifetimes, checks,
//! rotation, reuse detection) over the rows of [`crate::store::grants`],
//! [`crate::store::codes`] and [`crate::store::tokens`].
//!
//! Tokens are opaque random strings; only their SHA-256 is stored. Validated access tokens are
//! kept in an in-process cache so `/v1/*` calls cost one hash and one map lookup; revocation
//! removes them from the cache, and a generation counter keeps a validation that read the
//! database before a revocation from caching what it read after it ([`TokenCache`]).
//!
//! Lifetimes (issue 13): an access token lives [`ACCESS_TTL`] (one hour) and never past its
//! grant; "Remember this connection" sets the grant's and the refresh token's lifetime only.
//! Tokens form families: those issued for one authorization code and every token minted by
//! refreshing them. A replayed code or a rotated refresh token presented again revokes the
//! whole family (RFC 9700 §2.2.2, §4.14.2) and logs a warning naming the client and the family,
//! except the retry of a rotation whose answer was lost ([`ROTATION_RETRY_WINDOW`], [`refresh`]).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde_json::json;

use crate::clock::Clock;
use crate::crypto::{random_hex, random_secret, secret_hash};
use crate::error::{AppError, AppResult};
use crate::identity::keys::SigningKey;
use crate::identity::scopes::ScopeSet;
use crate::store::db::Db;
use crate::store::grants as store;
use crate::store::tokens::{self as store_tokens, TokenKind};
use crate::store::{Conn, DbResult, codes};

/// How long a grant and its refresh token live when "Remember this connection" stayed ticked.
pub const REMEMBER_TTL: i64 = 365 * 86_400;
/// How long they live when it was unticked.
pub const SHORT_TTL: i64 = 3 * 3600;
/// How long an access token lives (never past its grant), unless `serve --access-ttl` sets it
/// shorter; the loader renews it with the refresh token.
pub const ACCESS_TTL: i64 = 3600;

// A re-consent shortens a grant to `SHORT_TTL` from now at the least, and no access token
// issued before lives past `ACCESS_TTL` from now: so shortening a grant never ends it before
// a cached access token's expiry, and the cache need not hear of it (validation from the
// database takes the grant's expiry too).
const _: () = assert!(ACCESS_TTL <= SHORT_TTL);
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
    /// Access token lifetime in seconds (≤ [`ACCESS_TTL`]).
    pub access_ttl: i64,
    /// Validated access tokens.
    pub tokens: TokenCache,
    /// The usage statistics' in-memory counters ([`crate::stats`]).
    pub stats: Arc<crate::stats::Stats>,
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

/// Validated access tokens by hash, with a generation counter that every revocation bumps.
///
/// The race it closes (issue 13 item 13): a validation misses the cache and reads the token
/// from the database, unrevoked; a revocation then commits and clears the cache; the
/// validation then inserts what it read, and the revoked token would stay cached until it
/// expires. A validation takes the generation before reading the database and inserts only if
/// it is unchanged ([`TokenCache::insert_if_current`], under the write lock); a revocation
/// bumps it after its commit, under the same lock. So either the revocation committed before
/// the read (the read sees it) or it bumps the generation before the insert (the insert is
/// dropped) or after it (and removes the entry).
#[derive(Debug, Default)]
pub struct TokenCache {
    map: RwLock<CacheMap>,
    /// With a bus, revocations are told to the other instances' caches ([`crate::bus`]).
    bus: std::sync::OnceLock<crate::bus::Bus>,
}

#[derive(Debug, Default)]
struct CacheMap {
    entries: HashMap<[u8; 32], Arc<TokenInfo>>,
    generation: u64,
}

impl TokenCache {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, CacheMap> {
        self.map.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, CacheMap> {
        self.map.write().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, hash: &[u8; 32]) -> Option<Arc<TokenInfo>> {
        self.read().entries.get(hash).cloned()
    }

    /// The current generation: take it before reading a token from the database.
    pub fn generation(&self) -> u64 {
        self.read().generation
    }

    /// Caches a token read from the database, unless a revocation happened since
    /// `generation` was taken. True when it was cached.
    pub fn insert_if_current(&self, generation: u64, hash: [u8; 32], info: Arc<TokenInfo>) -> bool {
        let mut map = self.write();
        if map.generation != generation {
            return false;
        }
        if map.entries.len() >= 200_000 {
            map.entries.clear();
        }
        map.entries.insert(hash, info);
        true
    }

    /// Forgets one token (after revoking it in the database), here and on the other instances.
    pub fn forget(&self, hash: &[u8; 32]) {
        self.forget_here(hash);
        if let Some(bus) = self.bus.get() {
            let hash = crate::crypto::hex(hash);
            bus.publish(crate::bus::Event::Token { hash });
        }
    }

    /// Forgets every token of a grant (after revoking some or all of them in the database),
    /// here and on the other instances.
    pub fn forget_grant(&self, grant_id: &str) {
        self.forget_grant_here(grant_id);
        if let Some(bus) = self.bus.get() {
            bus.publish(crate::bus::Event::Grant {
                id: grant_id.to_owned(),
            });
        }
    }

    /// Forgets one token in this instance's cache only (another instance revoked it).
    pub fn forget_here(&self, hash: &[u8; 32]) {
        let mut map = self.write();
        map.generation += 1;
        map.entries.remove(hash);
    }

    /// Forgets a grant's tokens in this instance's cache only (another instance revoked them).
    pub fn forget_grant_here(&self, grant_id: &str) {
        let mut map = self.write();
        map.generation += 1;
        map.entries.retain(|_, v| v.grant_id != grant_id);
    }

    /// Tells the other instances of every revocation from now on (once).
    pub fn set_bus(&self, bus: crate::bus::Bus) {
        let _ = self.bus.set(bus);
    }

    /// The number of cached tokens.
    pub fn len(&self) -> usize {
        self.read().entries.len()
    }

    /// True when no token is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The lifetime of a grant (and its refresh token) for a "Remember this connection" choice.
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
pub async fn active_grant(
    c: &mut Conn,
    person_id: &str,
    client_id: &str,
    now: i64,
) -> DbResult<Option<Grant>> {
    Ok(store::active(c, person_id, client_id, now)
        .await?
        .map(grant_of))
}

/// Records consent: extends the active grant with `scopes` (or starts one). The latest
/// "Remember" choice sets the grant's lifetime from now.
pub async fn consent(
    c: &mut Conn,
    person_id: &str,
    client_id: &str,
    scopes: &ScopeSet,
    remember: bool,
    now: i64,
) -> DbResult<Grant> {
    let expires_at = now + lifetime(remember);
    if let Some(g) = active_grant(c, person_id, client_id, now).await? {
        let all = g.scopes.union(scopes);
        store::extend(c, &g.id, &all.to_string(), remember, now, expires_at).await?;
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
    )
    .await?;
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
pub async fn connected_apps(
    c: &mut Conn,
    person_id: &str,
    now: i64,
) -> DbResult<Vec<ConnectedApp>> {
    Ok(store::connected(c, person_id, now)
        .await?
        .into_iter()
        .map(|(row, app_name)| ConnectedApp {
            grant: grant_of(row),
            app_name,
        })
        .collect())
}

/// Revokes one of the person's grants and every token issued under it. False if not theirs.
pub async fn revoke_grant(state: &Tokens, person_id: &str, grant_id: &str) -> AppResult<bool> {
    let now = state.clock.now();
    let changed = store::revoke(&state.db, grant_id, person_id, now).await?;
    state.tokens.forget_grant(grant_id);
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
    /// The grant's "Remember" choice (as the grant was when the code was issued).
    pub remember: bool,
}

/// Stores a single-use authorization code and returns it.
pub async fn create_code(state: &Tokens, req: &CodeRequest) -> AppResult<String> {
    let code = random_secret("wlac_");
    let now = state.clock.now();
    codes::insert(
        &mut *state.db.conn().await?,
        &codes::NewCode {
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
    .await?;
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
    family: &'a [u8; 32],
    nonce: Option<&'a str>,
}

async fn mint(state: &Tokens, c: &mut Conn, a: &MintArgs<'_>, now: i64) -> AppResult<Issued> {
    let access = random_secret("wlat_");
    let expires_at = (now + state.access_ttl).min(a.grant_expires_at);
    let scopes = a.scopes.to_string();
    let token = |hash, kind, expires_at| store_tokens::NewToken {
        hash,
        kind,
        grant_id: a.grant_id,
        person_id: a.person_id,
        client_id: a.client_id,
        scopes: &scopes,
        family: Some(a.family),
        now,
        expires_at,
    };
    let access_hash = secret_hash(&access);
    store_tokens::insert(c, &token(&access_hash, TokenKind::Access, expires_at)).await?;
    let refresh_token = if a.scopes.offline() {
        let refresh = random_secret("wlrt_");
        let refresh_hash = secret_hash(&refresh);
        store_tokens::insert(
            c,
            &token(&refresh_hash, TokenKind::Refresh, a.grant_expires_at),
        )
        .await?;
        Some(refresh)
    } else {
        None
    };
    let id_token = if a.scopes.contains("openid") {
        let person = crate::identity::people::by_id(c, a.person_id)
            .await?
            .ok_or_else(|| AppError::oauth("invalid_grant", "The account no longer exists."))?;
        let mut claims =
            crate::identity::userinfo::released_claims(&person, &state.issuer, a.scopes);
        claims["iss"] = json!(state.issuer);
        claims["aud"] = json!(a.client_id);
        claims["iat"] = json!(now);
        claims["exp"] = json!(now + ID_TOKEN_TTL);
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

/// Why a code does not buy tokens, checked in this order; `None` when it does.
fn code_refusal(
    code: &codes::CodeRow,
    client_id: &str,
    redirect_uri: &str,
    verifier: &str,
    now: i64,
) -> Option<AppError> {
    let refuse = |message: &str| Some(AppError::oauth("invalid_grant", message));
    if code.expires_at <= now {
        refuse("The authorization code has expired.")
    } else if code.client_id != client_id {
        refuse("The authorization code was issued to another client.")
    } else if code.redirect_uri != redirect_uri {
        refuse("The redirect_uri does not match the authorization request.")
    } else if !crate::identity::pkce::verify(verifier, &code.code_challenge) {
        refuse("PKCE verification failed: the code_verifier does not match the code_challenge.")
    } else if code.grant_revoked || code.grant_expires_at <= now {
        refuse("The person's consent has been revoked or has expired.")
    } else {
        None
    }
}

/// `grant_type=authorization_code`: checks the code, its client, redirect URI and PKCE
/// verifier, marks it used and issues tokens. A reused code also revokes what it issued.
///
/// One transaction: the code is marked used even when a check then fails (a refused code is
/// spent), and the tokens are stored with that mark, so two requests racing with one code
/// cannot both get tokens.
pub async fn exchange_code(
    state: &Tokens,
    client_id: &str,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> AppResult<Issued> {
    let now = state.clock.now();
    let hash = secret_hash(code);
    let mut replayed: Option<(String, u64)> = None;
    // Outer error: undo the transaction; inner error: keep its writes and refuse.
    let mut tx = state.db.begin().await?;
    let outcome: AppResult<AppResult<Issued>> = async {
        let tx: &mut Conn = &mut tx;
        codes::lock(tx, &hash).await?;
        let Some(row) = codes::with_grant(tx, &hash).await? else {
            return Err(AppError::oauth(
                "invalid_grant",
                "The authorization code is not valid.",
            ));
        };
        if row.used {
            // The code's family: the tokens issued for it and all minted by refreshing.
            let n = store_tokens::revoke_family(tx, &hash, now).await?;
            replayed = Some((row.grant_id.clone(), n));
            return Ok(Err(AppError::oauth(
                "invalid_grant",
                "The authorization code has already been used.",
            )));
        }
        if !codes::mark_used(tx, &hash, now).await? {
            // Only when another transaction spent it between the read and here, which
            // the lock above rules out: refuse as a reuse would be.
            return Ok(Err(AppError::oauth(
                "invalid_grant",
                "The authorization code has already been used.",
            )));
        }
        if let Some(refusal) = code_refusal(&row, client_id, redirect_uri, verifier, now) {
            return Ok(Err(refusal));
        }
        let scopes = ScopeSet::parse_stored(&row.scopes);
        let issued = mint(
            state,
            tx,
            &MintArgs {
                grant_id: &row.grant_id,
                grant_expires_at: row.grant_expires_at,
                person_id: &row.person_id,
                client_id,
                scopes: &scopes,
                family: &hash,
                nonce: row.nonce.as_deref(),
            },
            now,
        )
        .await?;
        Ok(Ok(issued))
    }
    .await;
    let result = commit_unless_undone(tx, outcome).await;
    if result.is_ok() {
        state
            .stats
            .count(client_id, crate::stats::metric::SIGNINS, now);
    }
    if let Some((grant_id, revoked)) = replayed {
        state.tokens.forget_grant(&grant_id);
        tracing::warn!(
            client_id,
            family = %family_id(&hash),
            revoked,
            "authorization code replayed: revoked every token of its family"
        );
    }
    result
}

/// Commits `tx` when `outcome` is `Ok` (also when it holds a refusal whose writes count, such
/// as a spent code or a revoked family), and rolls it back on `Err`.
async fn commit_unless_undone(
    tx: crate::store::Tx,
    outcome: AppResult<AppResult<Issued>>,
) -> AppResult<Issued> {
    match outcome {
        Ok(inner) => {
            tx.commit().await?;
            inner
        }
        Err(e) => Err(e),
    }
}

/// A family as logs name it: the first 8 bytes of the code hash that started it, in hex (not
/// a secret: the code is spent, and the hash does not give it back).
fn family_id(family: &[u8; 32]) -> String {
    crate::crypto::hex(&family[..8])
}

/// How long after a refresh token's rotation presenting it again can still be a retry of a
/// rotation whose answer was lost, rather than reuse (on the provider's clock; see
/// [`refresh`]).
pub const ROTATION_RETRY_WINDOW: i64 = 60;

/// What presenting an already-rotated refresh token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rotated {
    /// A retry of a rotation whose answer was lost: the pair it minted is replaced.
    Retry([u8; 32], [u8; 32]),
    /// Reuse (RFC 9700 §4.14.2): the family is revoked.
    Reuse,
}

/// Whether presenting the rotated refresh token `row` again at `now` is a retry: inside
/// [`ROTATION_RETRY_WINDOW`] of its rotation, never retried before, and the pair that
/// rotation minted still entirely unused (its refresh token never presented, its access token
/// never validated).
async fn rotated(c: &mut Conn, row: &store_tokens::RefreshRow, now: i64) -> DbResult<Rotated> {
    let (Some(rotated_at), None, Some((refresh, access))) =
        (row.rotated_at, row.retried_at, row.successor)
    else {
        return Ok(Rotated::Reuse);
    };
    if now >= rotated_at + ROTATION_RETRY_WINDOW
        || !store_tokens::pair_unused(c, &refresh, &access).await?
    {
        return Ok(Rotated::Reuse);
    }
    Ok(Rotated::Retry(refresh, access))
}

/// `grant_type=refresh_token`: rotates the refresh token and issues a new access token,
/// optionally narrowed to `scope`.
///
/// A refresh token presented after it was rotated (or revoked) is a reuse: every token of its
/// family is revoked (of its grant, for a token stored before families), and a warning names
/// the client and the family. One exception, for a client that never read the answer of a
/// rotation (the provider died or the network dropped after the commit): presented again
/// within [`ROTATION_RETRY_WINDOW`] of its rotation, for the first time, while the pair that
/// rotation minted is still entirely unused, it is a retry: that pair is revoked and a new
/// one issued. The pair revoked this way counts as reuse if it is ever presented.
pub async fn refresh(
    state: &Tokens,
    client_id: &str,
    refresh_token: &str,
    scope: Option<&str>,
) -> AppResult<Issued> {
    let now = state.clock.now();
    let hash = secret_hash(refresh_token);
    let mut reused: Option<(String, Option<[u8; 32]>, u64)> = None;
    let mut retried: Option<(String, Option<[u8; 32]>)> = None;
    // Outer error: undo the transaction; inner error: keep its writes and refuse.
    let mut tx = state.db.begin().await?;
    let outcome: AppResult<AppResult<Issued>> = async {
        let tx: &mut Conn = &mut tx;
        store_tokens::lock(tx, &hash).await?;
        let Some(row) = store_tokens::refresh(tx, &hash).await? else {
            return Err(AppError::oauth(
                "invalid_grant",
                "The refresh token is not valid.",
            ));
        };
        if row.client_id != client_id {
            return Err(AppError::oauth(
                "invalid_grant",
                "The refresh token was issued to another client.",
            ));
        }
        let mut retry = None;
        if row.revoked && !row.grant_revoked {
            match rotated(tx, &row, now).await? {
                Rotated::Retry(refresh, access) => retry = Some((refresh, access)),
                Rotated::Reuse => {
                    let n = match &row.family {
                        Some(family) => store_tokens::revoke_family(tx, family, now).await?,
                        None => store_tokens::revoke_of_grant(tx, &row.grant_id, now).await?,
                    };
                    reused = Some((row.grant_id.clone(), row.family, n));
                    return Ok(Err(AppError::oauth(
                        "invalid_grant",
                        "The refresh token has already been used; its tokens have been revoked.",
                    )));
                }
            }
        }
        if (row.revoked && retry.is_none())
            || row.grant_revoked
            || row.expires_at <= now
            || row.grant_expires_at <= now
        {
            return Err(AppError::oauth(
                "invalid_grant",
                "The refresh token has expired or been revoked.",
            ));
        }
        let mut scopes = ScopeSet::parse_stored(&row.scopes);
        if let Some(requested) = scope.filter(|s| !s.trim().is_empty()) {
            let requested = ScopeSet::parse(requested)
                .map_err(|e| AppError::oauth("invalid_scope", e.to_string()))?;
            if !scopes.covers(&requested) {
                return Err(AppError::oauth(
                    "invalid_scope",
                    "The requested scope exceeds what was granted.",
                ));
            }
            // Keep offline access so the rotated refresh token is issued.
            let offline = scopes
                .iter()
                .filter(|s| s.name.ends_with("offline_access"))
                .map(|s| s.name)
                .collect::<Vec<_>>()
                .join(" ");
            scopes = requested.union(&ScopeSet::parse_stored(&offline));
        }
        if let Some((refresh, access)) = &retry {
            store_tokens::revoke(tx, refresh, now).await?;
            store_tokens::revoke(tx, access, now).await?;
            store_tokens::mark_retried(tx, &hash, now).await?;
            retried = Some((row.grant_id.clone(), row.family));
        }
        // A token stored before families starts one here.
        let family = row.family.unwrap_or(hash);
        let issued = mint(
            state,
            tx,
            &MintArgs {
                grant_id: &row.grant_id,
                grant_expires_at: row.grant_expires_at,
                person_id: &row.person_id,
                client_id,
                scopes: &scopes,
                family: &family,
                nonce: None,
            },
            now,
        )
        .await?;
        let access = secret_hash(&issued.access_token);
        // Always there: offline access is kept above, and only it let this token exist.
        let refresh = issued.refresh_token.as_deref().map(secret_hash);
        match &refresh {
            Some(refresh) => {
                store_tokens::record_rotation(tx, &hash, (refresh, &access), now).await?;
            }
            None => {
                store_tokens::revoke(tx, &hash, now).await?;
            }
        }
        Ok(Ok(issued))
    }
    .await;
    let result = commit_unless_undone(tx, outcome).await;
    if let Some((grant_id, family, revoked)) = reused {
        state.tokens.forget_grant(&grant_id);
        let family = family.map_or_else(|| format!("grant {grant_id}"), |f| family_id(&f));
        tracing::warn!(
            client_id,
            family = %family,
            revoked,
            "refresh token reused after rotation: revoked every token of its family"
        );
    }
    if let (Some((grant_id, family)), Ok(_)) = (retried, &result) {
        state.tokens.forget_grant(&grant_id);
        let family = family.map_or_else(|| format!("grant {grant_id}"), |f| family_id(&f));
        tracing::info!(
            client_id,
            family = %family,
            "refresh token rotation retried: replaced its unused successor pair"
        );
    }
    result
}

/// RFC 7009: revokes a token issued to `client_id`. Revoking a refresh token also revokes the
/// access tokens of its grant. Unknown tokens are not an error.
pub async fn revoke_token(state: &Tokens, client_id: &str, token: &str) -> AppResult<()> {
    let now = state.clock.now();
    let hash = secret_hash(token);
    let Some(found) = store_tokens::find(&mut *state.db.conn().await?, &hash).await? else {
        return Ok(());
    };
    if found.client_id != client_id {
        return Err(AppError::oauth(
            "invalid_client",
            "The token was issued to another client.",
        ));
    }
    match found.kind {
        TokenKind::Refresh => {
            store_tokens::revoke_of_grant(&mut *state.db.conn().await?, &found.grant_id, now)
                .await?;
            state.tokens.forget_grant(&found.grant_id);
        }
        TokenKind::Access => {
            store_tokens::revoke(&mut *state.db.conn().await?, &hash, now).await?;
            state.tokens.forget(&hash);
        }
    }
    Ok(())
}

/// Validates a bearer access token: cache first, then the database (the token's expiry and
/// its grant's, revocation of either).
pub async fn validate_access(state: &Tokens, token: &str) -> AppResult<Arc<TokenInfo>> {
    validate_access_with(state, token, async {}).await
}

/// [`validate_access`] running `between` after the database read and before caching: the
/// tests put a revocation there to drive the cache race deterministically.
async fn validate_access_with(
    state: &Tokens,
    token: &str,
    between: impl Future<Output = ()>,
) -> AppResult<Arc<TokenInfo>> {
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
    let generation = state.tokens.generation();
    let row = store_tokens::access(&mut *state.db.conn().await?, &hash).await?;
    between.await;
    match row {
        None => Err(AppError::InvalidToken),
        Some(row) if row.revoked => Err(AppError::InvalidToken),
        Some(row) if row.expires_at <= now => Err(AppError::ExpiredToken),
        Some(row) => {
            if !row.used {
                // A refresh token's retry needs to know whether this token was used. Best
                // effort: a failed write (a full disk) must not refuse a valid token.
                if let Err(e) =
                    store_tokens::mark_used(&mut *state.db.conn().await?, &hash, now).await
                {
                    tracing::debug!(error = %e, "could not note an access token's first use");
                }
            }
            let info = Arc::new(TokenInfo {
                grant_id: row.grant_id,
                person_id: row.person_id,
                client_id: row.client_id,
                scopes: ScopeSet::parse_stored(&row.scopes),
                expires_at: row.expires_at,
            });
            state
                .tokens
                .insert_if_current(generation, hash, info.clone());
            Ok(info)
        }
    }
}

/// Mints an access token for `username` and the app `client_id` with `scope` (a remembered
/// grant): what `wl-server dev-token` prints, for benchmarks and curl examples.
pub async fn dev_token(
    state: &Tokens,
    username: &str,
    client_id: &str,
    scope: &str,
) -> AppResult<String> {
    let scopes = ScopeSet::parse(scope).map_err(|e| AppError::Invalid(e.to_string()))?;
    let now = state.clock.now();
    let (person, _) = crate::identity::people::by_username(&mut *state.db.conn().await?, username)
        .await?
        .ok_or_else(|| AppError::Invalid(format!("no person `{username}`")))?;
    if crate::identity::apps::find(&mut *state.db.conn().await?, client_id)
        .await?
        .is_none()
    {
        return Err(AppError::Invalid(format!("no app `{client_id}`")));
    }
    let issued = grant_and_mint(
        state,
        &person.id,
        client_id,
        &scopes,
        &secret_hash(&random_secret("wldev_")),
        now,
    )
    .await?;
    Ok(issued.access_token)
}

/// Records a remembered grant of `scopes` and mints tokens under it, in one transaction.
async fn grant_and_mint(
    state: &Tokens,
    person_id: &str,
    client_id: &str,
    scopes: &ScopeSet,
    family: &[u8; 32],
    now: i64,
) -> AppResult<Issued> {
    let mut tx = state.db.begin().await?;
    let grant = consent(&mut tx, person_id, client_id, scopes, true, now).await?;
    let issued = mint(
        state,
        &mut tx,
        &MintArgs {
            grant_id: &grant.id,
            grant_expires_at: grant.expires_at,
            person_id,
            client_id,
            scopes,
            family,
            nonce: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(issued)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::Mutex;
    use tracing::instrument::WithSubscriber as _;

    /// A provider's token state over a fresh database with the demo people and app.
    struct Fixture {
        state: Tokens,
        dir: std::path::PathBuf,
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    async fn fixture() -> Fixture {
        fixture_with(ACCESS_TTL).await
    }

    /// [`fixture`] with access tokens living `access_ttl` seconds.
    async fn fixture_with(access_ttl: i64) -> Fixture {
        let dir = std::env::temp_dir().join(format!("wl-tokens-unit-{}", random_hex(8)));
        let db = Arc::new(Db::open(&dir, 2).await.unwrap());
        let clock = Arc::new(Clock::default());
        crate::store::seed::ensure_demo_people(&db, clock.now())
            .await
            .unwrap();
        crate::store::seed::reset_demo_app(&db, "http://127.0.0.1:1", clock.now())
            .await
            .unwrap();
        let key = SigningKey::from_pem(&crate::identity::keys::generate_pem().unwrap()).unwrap();
        let state = Tokens::new(TokensInner {
            db,
            clock,
            key,
            issuer: "http://127.0.0.1:2".into(),
            code_ttl: CODE_TTL,
            access_ttl,
            tokens: TokenCache::default(),
            stats: Arc::new(crate::stats::Stats::new(b"test")),
        });
        Fixture { state, dir }
    }

    /// Tokens for alice and the demo app with `scope`, in the family `family`.
    async fn issue(state: &Tokens, scope: &str, family: &[u8; 32]) -> Issued {
        let scopes = ScopeSet::parse(scope).unwrap();
        let now = state.clock.now();
        let (person, _) =
            crate::identity::people::by_username(&mut state.db.conn().await.unwrap(), "alice")
                .await
                .unwrap()
                .unwrap();
        grant_and_mint(state, &person.id, "wl-demo", &scopes, family, now)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_revocation_between_the_read_and_the_insert_is_not_cached() {
        let f = fixture().await;
        let st = &f.state;
        let token = dev_token(st, "alice", "wl-demo", "wl.basic").await.unwrap();
        // The validation reads the token (unrevoked); the revocation commits and clears the
        // cache; then the validation goes on to cache what it read.
        let in_flight = validate_access_with(st, &token, async {
            revoke_token(st, "wl-demo", &token).await.unwrap();
        })
        .await;
        assert!(in_flight.is_ok(), "the request in flight read it before");
        assert!(st.tokens.is_empty(), "the revoked token was not cached");
        assert!(matches!(
            validate_access(st, &token).await,
            Err(AppError::InvalidToken)
        ));
    }

    #[tokio::test]
    async fn a_grant_revoked_between_the_read_and_the_insert_is_not_cached() {
        let f = fixture().await;
        let st = &f.state;
        let token = dev_token(st, "alice", "wl-demo", "wl.basic").await.unwrap();
        let info = validate_access(st, &token).await.unwrap();
        assert_eq!(st.tokens.len(), 1, "a valid token is cached");
        // Another token of the same grant, validated while the grant is revoked.
        let other = dev_token(st, "alice", "wl-demo", "wl.basic").await.unwrap();
        let in_flight = validate_access_with(st, &other, async {
            assert!(
                revoke_grant(st, &info.person_id, &info.grant_id)
                    .await
                    .unwrap()
            );
        })
        .await;
        assert!(in_flight.is_ok());
        assert!(st.tokens.is_empty(), "neither token stays cached");
        for t in [&token, &other] {
            assert!(matches!(
                validate_access(st, t).await,
                Err(AppError::InvalidToken)
            ));
        }
    }

    #[tokio::test]
    async fn a_shorter_access_lifetime_is_issued_and_enforced() {
        // `serve --access-ttl 10`: the token says 10 s, is refused after them, and so is the
        // one its refresh grant mints, while the refresh token itself lives on.
        let f = fixture_with(10).await;
        let st = &f.state;
        let issued = issue(st, "wl.basic wl.offline_access", &[7; 32]).await;
        assert_eq!(issued.expires_in, 10);
        validate_access(st, &issued.access_token).await.unwrap();
        st.clock.advance(11);
        assert!(matches!(
            validate_access(st, &issued.access_token).await,
            Err(AppError::ExpiredToken)
        ));
        let refresh = issued
            .refresh_token
            .expect("offline access: a refresh token");
        let renewed = super::refresh(st, "wl-demo", &refresh, None).await.unwrap();
        assert_eq!(renewed.expires_in, 10);
    }

    #[tokio::test]
    async fn without_a_revocation_the_read_is_cached() {
        let f = fixture().await;
        let st = &f.state;
        let token = dev_token(st, "alice", "wl-demo", "wl.basic").await.unwrap();
        let generation = st.tokens.generation();
        validate_access_with(st, &token, async {}).await.unwrap();
        assert_eq!(st.tokens.len(), 1);
        assert_eq!(st.tokens.generation(), generation);
        // A cached token past its expiry is refused from the cache.
        st.clock.advance(ACCESS_TTL + 1);
        assert!(matches!(
            validate_access(st, &token).await,
            Err(AppError::ExpiredToken)
        ));
    }

    #[tokio::test]
    async fn validation_takes_the_grants_end_not_only_the_tokens() {
        let f = fixture().await;
        let st = &f.state;
        let token = dev_token(st, "alice", "wl-demo", "wl.basic").await.unwrap();
        // The grant ends in 10 s (a grant row shortened under the token's feet); the token
        // itself has most of its hour left.
        let now = st.clock.now();
        {
            let c = &mut st.db.conn().await.unwrap();
            let (alice, _) = crate::identity::people::by_username(c, "alice")
                .await
                .unwrap()
                .unwrap();
            let g = active_grant(c, &alice.id, "wl-demo", now)
                .await
                .unwrap()
                .unwrap();
            store::extend(c, &g.id, &g.scopes.to_string(), false, now, now + 10)
                .await
                .unwrap();
        }
        let info = validate_access(st, &token).await.unwrap();
        assert_eq!(
            info.expires_at,
            now + 10,
            "the grant's end, cached with the token"
        );
        st.clock.advance(11);
        assert!(matches!(
            validate_access(st, &token).await,
            Err(AppError::ExpiredToken)
        ));
        st.tokens.forget_grant(&info.grant_id);
        assert!(
            matches!(
                validate_access(st, &token).await,
                Err(AppError::ExpiredToken)
            ),
            "from the database too"
        );
    }

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Captured {
            self.clone()
        }
    }

    #[tokio::test]
    async fn a_retried_rotation_is_logged_once_by_client_and_family_never_by_token() {
        let f = fixture().await;
        let st = &f.state;
        let family = secret_hash("another code");
        let first = issue(st, "wl.basic wl.offline_access", &family).await;
        let r1 = first.refresh_token.unwrap();
        let lost = refresh(st, "wl-demo", &r1, None).await.unwrap();
        // Well inside the window: the clock's whole seconds also move with real time while the
        // test runs (one second short of the window failed when a second boundary fell between
        // the rotation and the retry on a loaded machine).
        st.clock.advance(ROTATION_RETRY_WINDOW - 10);
        let log = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(log.clone())
            .with_ansi(false)
            .finish();
        let retried = refresh(st, "wl-demo", &r1, None)
            .with_subscriber(subscriber)
            .await
            .unwrap();
        let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{text}");
        assert!(lines[0].contains("INFO"), "{text}");
        assert!(lines[0].contains("retried"), "{text}");
        assert!(lines[0].contains("wl-demo"), "{text}");
        assert!(lines[0].contains(&family_id(&family)), "{text}");
        let r2 = lost.refresh_token.unwrap();
        let r3 = retried.refresh_token.clone().unwrap();
        for secret in [&r1, &r2, &r3, &lost.access_token, &retried.access_token] {
            assert!(
                !text.contains(secret.as_str()),
                "a token in the log: {text}"
            );
        }
        // The pair it replaced is dead; the new one lives.
        assert!(matches!(
            validate_access(st, &lost.access_token).await,
            Err(AppError::InvalidToken)
        ));
        validate_access(st, &retried.access_token).await.unwrap();
    }

    #[tokio::test]
    async fn a_reused_refresh_token_is_logged_once_by_client_and_family_never_by_token() {
        let f = fixture().await;
        let st = &f.state;
        let family = secret_hash("a code");
        let first = issue(st, "wl.basic wl.offline_access", &family).await;
        let r1 = first.refresh_token.unwrap();
        let second = refresh(st, "wl-demo", &r1, None).await.unwrap();
        // The successor pair is used: presenting r1 again is reuse, not a retry.
        validate_access(st, &second.access_token).await.unwrap();
        let log = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(log.clone())
            .with_ansi(false)
            .finish();
        let reused = refresh(st, "wl-demo", &r1, None)
            .with_subscriber(subscriber)
            .await;
        assert!(matches!(
            reused,
            Err(AppError::OAuth {
                error: "invalid_grant",
                ..
            })
        ));
        let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{text}");
        assert!(lines[0].contains("WARN"), "{text}");
        assert!(lines[0].contains("wl-demo"), "{text}");
        assert!(lines[0].contains(&family_id(&family)), "{text}");
        assert!(
            lines[0].contains("revoked=3"),
            "2 access + the live refresh: {text}"
        );
        for secret in [&r1, &first.access_token, &second.access_token] {
            assert!(
                !text.contains(secret.as_str()),
                "a token in the log: {text}"
            );
        }
        let r2 = second.refresh_token.unwrap();
        assert!(!text.contains(&r2));
        assert!(matches!(
            validate_access(st, &second.access_token).await,
            Err(AppError::InvalidToken)
        ));
    }
}
