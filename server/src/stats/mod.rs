//! Usage statistics per app (issue 15; what is counted: `docs/statistics.md`).
//!
//! Counting happens in memory ([`Stats::count`], [`Stats::active`]): a lock held for one map
//! update, never a database call. A background task ([`spawn_flusher`]) writes the pending
//! increments every [`FLUSH_EVERY`] (and once more at shutdown) in one transaction into the
//! rollup tables (day × app × metric, [`crate::store::stats`]), adding to what is there, so
//! several instances' totals add up. A flush that fails puts its batch back for the next one.
//!
//! Privacy: counts only. Daily and monthly active people are estimated from a HyperLogLog
//! sketch per app and day ([`Sketch`]): 1,024 one-byte registers fed with a keyed hash of
//! the person's id. Neither memory nor the database keeps a person id or a list of people.
//!
//! [`report`] reads a date range back for the portal page, the CSV and the JSON API.

pub mod report;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::identity::tokens::TokenInfo;
use crate::state::AppState;
use crate::store::Db;
use crate::store::stats::{Increment, SketchMerge};

/// How often pending counts are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(5);

/// Registers of a sketch (2^10: a standard error of about 3 %).
pub const REGISTERS: usize = 1024;
const INDEX_BITS: u32 = 10;

/// The metrics with a fixed name (the API, error and scope metrics are prefixed families).
pub mod metric {
    /// An authorization code redeemed at `/token`: a person signed in to the app.
    pub const SIGNINS: &str = "signins";
    /// A consent given on the consent screen (a new grant or more scopes).
    pub const CONSENTS: &str = "consents";
    /// A grant revoked by its person (connected apps page).
    pub const REVOCATIONS: &str = "revocations";
    /// An activity the app published (`POST /v1/me/activities`, `/v1/me/share`).
    pub const ACTIVITIES: &str = "activities";
    /// An activity with a link: a share.
    pub const SHARES: &str = "shares";
    /// A click on a shared link through `/r/{activity_id}`.
    pub const CLICKS: &str = "clicks";
    /// A messenger conversation started from the app's pages.
    pub const CONVERSATIONS: &str = "conversations";
    /// Prefix: a scope granted on a consent (`scope:wl.basic`).
    pub const SCOPE: &str = "scope:";
    /// Prefix: an API call by endpoint and status class (`api:GET /v1/me:2xx`).
    pub const API: &str = "api:";
    /// Prefix: an API error answered, by its stable code (`error:request_token_expired`).
    pub const ERROR: &str = "error:";
}

/// The UTC day (days since 1970-01-01) of Unix seconds.
pub fn day_of(secs: i64) -> i64 {
    secs.div_euclid(86_400)
}

/// A HyperLogLog sketch of distinct people (Flajolet et al. 2007, with linear counting for
/// small sets: exact-looking for a handful of people).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch(pub Vec<u8>);

impl Default for Sketch {
    fn default() -> Self {
        Self(vec![0; REGISTERS])
    }
}

impl Sketch {
    /// Adds a 64-bit hash.
    pub fn add(&mut self, hash: u64) {
        let index = (hash >> (64 - INDEX_BITS)) as usize;
        let rest = hash << INDEX_BITS;
        let rank = (rest.leading_zeros() + 1).min(64 - INDEX_BITS + 1) as u8;
        if let Some(r) = self.0.get_mut(index)
            && *r < rank
        {
            *r = rank;
        }
    }

    /// Merges `other` in (register maximum).
    pub fn merge(&mut self, other: &[u8]) {
        for (r, o) in self.0.iter_mut().zip(other) {
            *r = (*r).max(*o);
        }
    }

    /// The estimated number of distinct hashes added.
    pub fn estimate(&self) -> u64 {
        let m = self.0.len() as f64;
        if m == 0.0 {
            return 0;
        }
        let mut sum = 0.0;
        let mut zeros = 0usize;
        for &r in &self.0 {
            sum += 2f64.powi(-i32::from(r));
            if r == 0 {
                zeros += 1;
            }
        }
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let raw = alpha * m * m / sum;
        let e = if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        };
        e.round() as u64
    }
}

/// One app's pending counts for one day.
#[derive(Debug, Default)]
struct Bucket {
    counts: HashMap<String, i64>,
    actives: Option<Sketch>,
}

type Pending = HashMap<String, HashMap<i64, Bucket>>;

/// The in-memory counters of this instance. Cheap to share (`Arc`).
#[derive(Debug)]
pub struct Stats {
    pending: Mutex<Pending>,
    /// The key of the people's hashes (derived from the provider's shared secret, so every
    /// instance hashes a person alike and their sketches merge).
    key: [u8; 32],
    /// Counting is on (the bench turns it off to measure its cost).
    enabled: std::sync::atomic::AtomicBool,
}

impl Stats {
    /// Counters hashing people under a key derived from `secret`.
    pub fn new(secret: &[u8]) -> Self {
        let key = Sha256::new()
            .chain_update(b"wl-stats-actives\0")
            .chain_update(secret)
            .finalize()
            .into();
        Self {
            pending: Mutex::new(HashMap::new()),
            key,
            enabled: std::sync::atomic::AtomicBool::new(true),
        }
    }

    /// Turns counting on or off (off: every count is dropped; the bench compares both).
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether counting is on.
    pub fn enabled(&self) -> bool {
        self.enabled.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn with_bucket(&self, client_id: &str, now: i64, f: impl FnOnce(&mut Bucket)) {
        if !self.enabled.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let day = day_of(now);
        let mut pending = self.lock();
        let days = match pending.get_mut(client_id) {
            Some(d) => d,
            None => pending.entry(client_id.to_owned()).or_default(),
        };
        f(days.entry(day).or_default());
    }

    /// Counts one `metric` event of the app at `now` (Unix seconds).
    pub fn count(&self, client_id: &str, metric: &str, now: i64) {
        self.add(client_id, metric, 1, now);
    }

    /// Adds `n` to the app's `metric` at `now`.
    pub fn add(&self, client_id: &str, metric: &str, n: i64, now: i64) {
        self.with_bucket(client_id, now, |b| match b.counts.get_mut(metric) {
            Some(v) => *v += n,
            None => {
                b.counts.insert(metric.to_owned(), n);
            }
        });
    }

    /// Notes that `person_id` used the app at `now` (daily and monthly actives): only a
    /// keyed hash of the id reaches the sketch.
    pub fn active(&self, client_id: &str, person_id: &str, now: i64) {
        if !self.enabled.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let hash = self.person_hash(person_id);
        self.with_bucket(client_id, now, |b| {
            b.actives.get_or_insert_with(Sketch::default).add(hash)
        });
    }

    /// Takes everything pending (leaving nothing).
    fn take(&self) -> (Vec<Increment>, Vec<SketchMerge>) {
        let pending = std::mem::take(&mut *self.lock());
        let mut counts = Vec::new();
        let mut sketches = Vec::new();
        for (client_id, days) in pending {
            for (day, bucket) in days {
                for (metric, n) in bucket.counts {
                    counts.push(Increment {
                        client_id: client_id.clone(),
                        day,
                        metric,
                        n,
                    });
                }
                if let Some(s) = bucket.actives {
                    sketches.push(SketchMerge {
                        client_id: client_id.clone(),
                        day,
                        sketch: s.0,
                    });
                }
            }
        }
        // A stable order: two instances' transactions lock rows in the same order.
        counts.sort_by(|a, b| {
            (&a.client_id, a.day, &a.metric).cmp(&(&b.client_id, b.day, &b.metric))
        });
        sketches.sort_by(|a, b| (&a.client_id, a.day).cmp(&(&b.client_id, b.day)));
        (counts, sketches)
    }

    /// Puts a batch that could not be written back, merged with what was counted meanwhile.
    fn put_back(&self, counts: Vec<Increment>, sketches: Vec<SketchMerge>) {
        let mut pending = self.lock();
        for i in counts {
            let b = pending
                .entry(i.client_id)
                .or_default()
                .entry(i.day)
                .or_default();
            *b.counts.entry(i.metric).or_default() += i.n;
        }
        for s in sketches {
            let b = pending
                .entry(s.client_id)
                .or_default()
                .entry(s.day)
                .or_default();
            b.actives
                .get_or_insert_with(Sketch::default)
                .merge(&s.sketch);
        }
    }

    /// Writes everything pending in one transaction; on failure the batch stays pending.
    /// Returns how many rows it wrote.
    pub async fn flush(&self, db: &Db) -> Result<usize, crate::store::DbError> {
        let (counts, sketches) = self.take();
        if counts.is_empty() && sketches.is_empty() {
            return Ok(0);
        }
        let rows = counts.len() + sketches.len();
        match crate::store::stats::flush(db, &counts, &sketches).await {
            Ok(()) => Ok(rows),
            Err(e) => {
                self.put_back(counts, sketches);
                Err(e)
            }
        }
    }
}

/// Flushes `stats` every [`FLUSH_EVERY`] until `stop` turns true, then once more.
pub fn spawn_flusher(
    stats: Arc<Stats>,
    db: Arc<Db>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.wait_for(|s| *s) => break,
            }
            if let Err(e) = stats.flush(&db).await {
                tracing::warn!(error = %e, "statistics flush failed; kept for the next one");
            }
        }
        if let Err(e) = stats.flush(&db).await {
            tracing::warn!(error = %e, "statistics flush at shutdown failed; counts lost");
        }
    })
}

impl Stats {
    /// The keyed hash of a person's id that feeds the sketches: SipHash-2-4 (a keyed PRF made
    /// for short inputs; tens of nanoseconds, where SHA-256 cost a request's budget).
    fn person_hash(&self, person_id: &str) -> u64 {
        let word = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&self.key[i..i + 8]);
            u64::from_le_bytes(b)
        };
        siphash24(word(0), word(8), person_id.as_bytes())
    }

    /// One API call of the app for `person_id`, answered `status` (with the error `code`, if
    /// an error): the endpoint metric, the error metric and the person's activity, under one
    /// lock.
    pub fn api_call(
        &self,
        caller: &TokenInfo,
        method: &str,
        route: &str,
        status: u16,
        code: Option<&str>,
        now: i64,
    ) {
        if !self.enabled.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let hash = self.person_hash(&caller.person_id);
        let endpoint = api_metric(method, route, status);
        let error = code.map(|c| format!("{}{c}", metric::ERROR));
        self.with_bucket(&caller.client_id, now, |b| {
            b.actives.get_or_insert_with(Sketch::default).add(hash);
            for m in std::iter::once(endpoint).chain(error) {
                match b.counts.get_mut(&m) {
                    Some(v) => *v += 1,
                    None => {
                        b.counts.insert(m, 1);
                    }
                }
            }
        });
    }

    /// A consent to the app: `consents` and each scope granted.
    pub fn consented<'a>(&self, client_id: &str, scopes: impl Iterator<Item = &'a str>, now: i64) {
        self.count(client_id, metric::CONSENTS, now);
        for s in scopes {
            self.count(client_id, &format!("{}{s}", metric::SCOPE), now);
        }
    }

    /// An activity the app published (a share when it has a link).
    pub fn published(&self, client_id: Option<&str>, link: bool, now: i64) {
        if let Some(app) = client_id {
            self.count(app, metric::ACTIVITIES, now);
            if link {
                self.count(app, metric::SHARES, now);
            }
        }
    }
}

/// The caller of an API request as its bearer token says (set by
/// [`crate::identity::userinfo::Bearer`], read by [`count_api`] once the answer is ready).
#[derive(Clone, Debug, Default)]
pub struct Caller(Arc<std::sync::OnceLock<Arc<TokenInfo>>>);

impl Caller {
    /// Records the request's valid token.
    pub fn set(&self, token: &Arc<TokenInfo>) {
        let _ = self.0.set(token.clone());
    }
}

/// The stable code of an error answer (a response extension the error types add).
#[derive(Clone, Copy, Debug)]
pub struct ErrorCode(pub &'static str);

/// Middleware on the APIs: counts each call with a valid bearer token by app, endpoint (its
/// route pattern, never the raw path) and status class, its error code, and the person as
/// active. Memory only: the answer never waits on it.
pub async fn count_api(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if !state.tokens.stats.enabled() {
        // Off (the bench's baseline): not even the caller slot.
        return next.run(req).await;
    }
    let caller = Caller::default();
    req.extensions_mut().insert(caller.clone());
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let res = next.run(req).await;
    if let (Some(token), Some(route)) = (caller.0.get(), route) {
        let code = res.extensions().get::<ErrorCode>().map(|c| c.0);
        state.tokens.stats.api_call(
            token,
            method.as_str(),
            route.as_str(),
            res.status().as_u16(),
            code,
            state.clock.now(),
        );
    }
    res
}

/// A grant the person revoked: counts a revocation of its app.
pub async fn revoked(state: &AppState, person_id: &str, grant_id: &str) {
    let app = async {
        let mut c = state.db.conn().await?;
        crate::store::stats::grant_app(&mut c, grant_id, person_id).await
    };
    match app.await {
        Ok(Some(app)) => state
            .tokens
            .stats
            .count(&app, metric::REVOCATIONS, state.clock.now()),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "revocation not counted"),
    }
}

/// SipHash-2-4 of `data` under the key (`k0`, `k1`) (Aumasson and Bernstein, 2012).
pub fn siphash24(k0: u64, k1: u64, data: &[u8]) -> u64 {
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        let m = u64::from_le_bytes(b);
        v[3] ^= m;
        round(&mut v);
        round(&mut v);
        v[0] ^= m;
    }
    let mut last = [0u8; 8];
    let rest = chunks.remainder();
    last[..rest.len()].copy_from_slice(rest);
    let b = u64::from_le_bytes(last) | ((data.len() as u64) << 56);
    v[3] ^= b;
    round(&mut v);
    round(&mut v);
    v[0] ^= b;
    v[2] ^= 0xff;
    for _ in 0..4 {
        round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

/// The API-call metric of one answer: `api:{METHOD} {route}:{class}`.
pub fn api_metric(method: &str, route: &str, status: u16) -> String {
    format!("{}{method} {route}:{}xx", metric::API, status / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sketch_counts_small_sets_exactly_and_large_ones_closely() {
        let stats = Stats::new(b"k");
        for n in [1u64, 2, 3, 10] {
            let mut s = Sketch::default();
            for i in 0..n {
                let d = Sha256::new()
                    .chain_update(stats.key)
                    .chain_update(format!("p{i}"))
                    .finalize();
                s.add(u64::from_be_bytes(d[..8].try_into().unwrap()));
            }
            assert_eq!(s.estimate(), n);
        }
        let mut s = Sketch::default();
        for i in 0..100_000u64 {
            let d = Sha256::digest(i.to_be_bytes());
            s.add(u64::from_be_bytes(d[..8].try_into().unwrap()));
        }
        let e = s.estimate() as f64;
        assert!((e - 100_000.0).abs() / 100_000.0 < 0.1, "{e}");
    }

    #[test]
    fn same_person_twice_is_one_active() {
        let stats = Stats::new(b"k");
        stats.active("app", "p1", 86_400 * 3);
        stats.active("app", "p1", 86_400 * 3 + 5);
        stats.active("app", "p2", 86_400 * 3 + 9);
        let (_, sketches) = stats.take();
        assert_eq!(sketches.len(), 1);
        assert_eq!(Sketch(sketches[0].sketch.clone()).estimate(), 2);
        assert_eq!(sketches[0].day, 3);
    }

    #[test]
    fn counts_by_app_day_and_metric_and_put_back_adds_up() {
        let stats = Stats::new(b"k");
        stats.count("a", metric::SIGNINS, 10);
        stats.count("a", metric::SIGNINS, 20);
        stats.count("b", metric::SIGNINS, 86_400);
        let (counts, _) = stats.take();
        assert_eq!(counts.len(), 2);
        assert_eq!(counts[0].n, 2);
        stats.count("a", metric::SIGNINS, 30);
        stats.put_back(counts, Vec::new());
        let (counts, _) = stats.take();
        assert_eq!(counts[0].n, 3);
        stats.set_enabled(false);
        stats.count("a", metric::SIGNINS, 30);
        assert!(stats.take().0.is_empty());
    }

    #[test]
    fn siphash_matches_the_reference_vectors() {
        // Key 00 01 … 0f; messages 00 01 … (len-1) (the paper's appendix and its vectors.h).
        let k0 = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]);
        let k1 = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
        let msg: Vec<u8> = (0..15).collect();
        assert_eq!(siphash24(k0, k1, &[]), 0x726f_db47_dd0e_0e31);
        assert_eq!(siphash24(k0, k1, &msg), 0xa129_ca61_49be_45e5);
    }

    #[test]
    fn api_metric_names() {
        assert_eq!(api_metric("GET", "/v1/me", 200), "api:GET /v1/me:2xx");
        assert_eq!(
            api_metric("POST", "/v1/me/share", 403),
            "api:POST /v1/me/share:4xx"
        );
    }
}
