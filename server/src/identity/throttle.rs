//! Throttling of failed sign-ins, and the cap on concurrent password hashing.
//!
//! Failures are counted at three levels, each in a fixed window:
//!
//! - **per account** (any IP): [`Limits::account_failures`] failures in a row lock the username
//!   for everyone, so a locked account cannot be guessed from another address;
//! - **per IP** (any account): [`Limits::ip_failures`] failures lock the address, so password
//!   spraying across many usernames from one address stops (IPv6 addresses count per /64, the
//!   block one subscriber usually gets);
//! - **global**: [`Limits::global_failures`] failures across the provider lock every sign-in
//!   for the rest of the window (a distributed spray).
//!
//! A success forgets the account's failures, never the address's (an attacker signing in to
//! their own account must not reset their spraying budget). The table is pruned: entries whose
//! window and lock are over are dropped at most every [`Limits::prune_every_secs`], and its size
//! is bounded by [`Limits::max_entries`] (when full of live entries, new keys are not tracked
//! and only the global count applies).
//!
//! Hashing a password (argon2id, about 19 MiB and tens of milliseconds each) is capped by a
//! semaphore: at most [`Limits::hashing_permits`] at once; a request waits at most
//! [`Limits::hashing_wait`] in a queue of at most [`Limits::hashing_queue`], then is refused
//! ([`Busy`], `503 signin_busy`).
//!
//! Why not `governor`: governor limits a *rate* (GCRA: n cells per period, with a burst), and
//! every call spends a cell. This throttle has lock-out semantics instead: only *failures*
//! count, a success forgets an account's, a lock lasts a fixed time whose remaining seconds the
//! sign-in page shows, and time is the provider's [`crate::clock::Clock`], which the tests
//! advance instead of sleeping.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

/// Failures allowed on one account (from any IP) before it is locked.
pub const MAX_FAILURES: u32 = 5;
/// Length of an account lock, seconds.
pub const LOCK_SECS: i64 = 60;

/// The throttle's numbers. [`Limits::default`] is the provider's.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Failures in a row on one username (any IP) that lock it.
    pub account_failures: u32,
    /// The window an account's failures are counted in, seconds.
    pub account_window_secs: i64,
    /// An account lock, seconds.
    pub account_lock_secs: i64,
    /// Failures from one IP (any username) that lock the IP.
    pub ip_failures: u32,
    /// The window an IP's failures are counted in, seconds.
    pub ip_window_secs: i64,
    /// An IP lock, seconds.
    pub ip_lock_secs: i64,
    /// Failures across the provider, in one window, that lock every sign-in.
    pub global_failures: u32,
    /// The global window (and lock), seconds.
    pub global_window_secs: i64,
    /// Most accounts and IPs tracked at once.
    pub max_entries: usize,
    /// Expired entries are dropped at most this often, seconds.
    pub prune_every_secs: i64,
    /// Password hashes computed at once.
    pub hashing_permits: usize,
    /// Requests waiting for a hashing permit at once (more are refused straight away).
    pub hashing_queue: usize,
    /// How long a request waits for a hashing permit.
    pub hashing_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Self {
            account_failures: MAX_FAILURES,
            account_window_secs: 15 * 60,
            account_lock_secs: LOCK_SECS,
            ip_failures: 20,
            ip_window_secs: 10 * 60,
            ip_lock_secs: 5 * 60,
            global_failures: 1000,
            global_window_secs: 60,
            max_entries: 100_000,
            prune_every_secs: 60,
            hashing_permits: cores.max(2),
            hashing_queue: 64,
            hashing_wait: Duration::from_secs(3),
        }
    }
}

/// What a lock applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The username, from any IP.
    Account,
    /// The client's IP, for any username.
    Ip,
    /// Every sign-in on the provider.
    Global,
}

/// A refusal: what is locked and for how many more seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    /// What is locked.
    pub scope: Scope,
    /// Seconds left (at least 1).
    pub secs: i64,
}

impl Locked {
    /// The stable code of a throttled sign-in.
    pub const CODE: &'static str = "signin_throttled";

    /// The message the sign-in page shows.
    pub fn message(&self) -> String {
        let secs = self.secs;
        match self.scope {
            Scope::Account | Scope::Ip => format!(
                "Too many failed sign-in attempts. For your security, wait {secs} seconds and try again. (Error code: {})",
                Self::CODE
            ),
            Scope::Global => format!(
                "Too many failed sign-in attempts on the provider right now. Wait {secs} seconds and try again. (Error code: {})",
                Self::CODE
            ),
        }
    }
}

/// No hashing permit came in time: the provider is busy checking passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("The provider is busy. Wait a moment and try again. (Error code: signin_busy)")]
pub struct Busy;

impl Busy {
    /// The stable code of a sign-in refused for load.
    pub const CODE: &'static str = "signin_busy";
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Ip(String),
}

#[derive(Debug, Default, Clone, Copy)]
struct Entry {
    failures: u32,
    /// Attempts begun and not finished yet (their passwords are being checked).
    pending: u32,
    window_end: i64,
    locked_until: i64,
}

impl Entry {
    fn live(&self, now: i64) -> bool {
        self.pending > 0 || self.locked_until > now || self.window_end > now
    }

    /// Failures so far plus attempts in flight, in the current window.
    fn spent(&self, now: i64) -> u32 {
        let failures = if self.window_end > now {
            self.failures
        } else {
            0
        };
        failures.saturating_add(self.pending)
    }

    fn locked(&self, now: i64) -> Option<i64> {
        Some(self.locked_until - now).filter(|left| *left > 0)
    }

    /// Counts a failure; returns the lock length when it locks.
    fn fail(&mut self, now: i64, max: u32, window: i64, lock: i64) -> Option<i64> {
        if self.window_end <= now {
            self.failures = 0;
            self.window_end = now + window;
        }
        self.failures += 1;
        if self.failures >= max {
            self.failures = 0;
            self.window_end = now;
            self.locked_until = now + lock;
            return Some(lock);
        }
        None
    }
}

#[derive(Debug, Default)]
struct Table {
    entries: HashMap<Key, Entry>,
    global: Entry,
    next_prune: i64,
}

/// A sign-in attempt in flight (see [`Throttle::begin`]): counted as pending until it is
/// finished; dropped unfinished (e.g. refused for load), it counts nothing.
#[derive(Debug)]
pub struct Attempt<'a> {
    throttle: &'a Throttle,
    username: String,
    ip: String,
    tracked: Vec<Key>,
    now: i64,
}

impl Attempt<'_> {
    /// The password did not match: counts the failure; returns the lock it caused, if any.
    pub fn failed(mut self, now: i64) -> Option<Locked> {
        let keys = std::mem::take(&mut self.tracked);
        let mut t = self.throttle.table(now);
        release_in(&mut t, &keys, now);
        self.throttle.fail_in(&mut t, &self.username, &self.ip, now)
    }

    /// The person signed in: forgets the account's failures (not the IP's).
    pub fn succeeded(mut self, now: i64) {
        let keys = std::mem::take(&mut self.tracked);
        self.throttle.release(&keys, now);
        self.throttle.success(&self.username, now);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.tracked.is_empty() {
            self.throttle.release(&self.tracked, self.now);
        }
    }
}

/// Failure counters and the hashing semaphore.
#[derive(Debug)]
pub struct Throttle {
    limits: Limits,
    table: Mutex<Table>,
    hashing: Semaphore,
    waiting: AtomicUsize,
    hashes: AtomicU64,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

/// Ends attempts in flight; an entry left with nothing to remember is dropped.
fn release_in(t: &mut Table, keys: &[Key], now: i64) {
    for key in keys {
        if let Some(e) = t.entries.get_mut(key) {
            e.pending = e.pending.saturating_sub(1);
            if !e.live(now) {
                t.entries.remove(key);
            }
        }
    }
}

/// The IP key: the address, or its /64 for IPv6 (IPv4-mapped addresses count as IPv4).
fn ip_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_owned(),
    }
}

fn account_key(username: &str) -> Key {
    Key::Account(account_name(username))
}

/// How an account is counted: its username trimmed and lowercased (here and on the bus).
fn account_name(username: &str) -> String {
    username.trim().to_lowercase()
}

impl Throttle {
    /// A throttle with these limits.
    pub fn new(limits: Limits) -> Self {
        Self {
            hashing: Semaphore::new(limits.hashing_permits.max(1)),
            limits,
            table: Mutex::new(Table::default()),
            waiting: AtomicUsize::new(0),
            hashes: AtomicU64::new(0),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn table(&self, now: i64) -> std::sync::MutexGuard<'_, Table> {
        let mut t = self.table.lock().unwrap_or_else(|p| p.into_inner());
        if now >= t.next_prune {
            t.entries.retain(|_, e| e.live(now));
            t.next_prune = now + self.limits.prune_every_secs;
        }
        t
    }

    /// Refuses a sign-in attempt when the provider, the IP or the username is locked (the
    /// longest lock is reported).
    pub fn check(&self, username: &str, ip: &str, now: i64) -> Result<(), Locked> {
        let t = self.table(now);
        let mut worst: Option<Locked> = None;
        let mut consider = |scope, e: Option<&Entry>| {
            if let Some(secs) = e.and_then(|e| e.locked(now))
                && worst.is_none_or(|w| secs > w.secs)
            {
                worst = Some(Locked { scope, secs });
            }
        };
        consider(Scope::Global, Some(&t.global));
        consider(Scope::Ip, t.entries.get(&Key::Ip(ip_key(ip))));
        consider(Scope::Account, t.entries.get(&account_key(username)));
        worst.map_or(Ok(()), Err)
    }

    /// Begins a sign-in attempt: refused when something is locked, or when the attempts in
    /// flight plus the failures so far already reach an account's or an IP's limit (so a burst
    /// of parallel guesses cannot all pass the check before the first failure is counted: at
    /// most the limit's number of passwords are checked). The [`Attempt`] must be finished
    /// with [`Attempt::failed`] or [`Attempt::succeeded`]; dropped, it counts nothing.
    pub fn begin(&self, username: &str, ip: &str, now: i64) -> Result<Attempt<'_>, Locked> {
        self.check(username, ip, now)?;
        let l = &self.limits;
        let account = account_key(username);
        let ip_text = ip.to_owned();
        let ip = Key::Ip(ip_key(ip));
        let mut t = self.table(now);
        let busy = |scope, key: &Key, max: u32| {
            t.entries
                .get(key)
                .filter(|e| e.spent(now) >= max)
                .map(|_| Locked { scope, secs: 1 })
        };
        if let Some(l) = busy(Scope::Account, &account, l.account_failures)
            .or_else(|| busy(Scope::Ip, &ip, l.ip_failures))
        {
            return Err(l);
        }
        let mut tracked = Vec::with_capacity(2);
        for key in [ip, account] {
            if !t.entries.contains_key(&key) && t.entries.len() >= self.limits.max_entries {
                t.entries.retain(|_, e| e.live(now));
                if t.entries.len() >= self.limits.max_entries {
                    continue;
                }
            }
            t.entries.entry(key.clone()).or_default().pending += 1;
            tracked.push(key);
        }
        Ok(Attempt {
            throttle: self,
            username: username.to_owned(),
            ip: ip_text,
            tracked,
            now,
        })
    }

    fn release(&self, keys: &[Key], now: i64) {
        release_in(&mut self.table(now), keys, now);
    }

    /// Records a failed sign-in; returns the lock it caused, if any (the widest first).
    pub fn failure(&self, username: &str, ip: &str, now: i64) -> Option<Locked> {
        self.fail_in(&mut self.table(now), username, ip, now)
    }

    fn fail_in(&self, t: &mut Table, username: &str, ip: &str, now: i64) -> Option<Locked> {
        let l = &self.limits;
        let mut locked = None;
        if let Some(secs) = t.global.fail(
            now,
            l.global_failures,
            l.global_window_secs,
            l.global_window_secs,
        ) {
            tracing::warn!(secs, "sign-in: global failure limit reached");
            locked = Some(Locked {
                scope: Scope::Global,
                secs,
            });
        }
        let keys = [
            (
                Key::Ip(ip_key(ip)),
                Scope::Ip,
                l.ip_failures,
                l.ip_window_secs,
                l.ip_lock_secs,
            ),
            (
                account_key(username),
                Scope::Account,
                l.account_failures,
                l.account_window_secs,
                l.account_lock_secs,
            ),
        ];
        for (key, scope, max, window, lock) in keys {
            if !t.entries.contains_key(&key) && t.entries.len() >= l.max_entries {
                t.entries.retain(|_, e| e.live(now));
                if t.entries.len() >= l.max_entries {
                    // Full of counters: keep the locks, forget the counting.
                    t.entries.retain(|_, e| e.locked(now).is_some());
                }
                if t.entries.len() >= l.max_entries {
                    continue;
                }
            }
            let e = t.entries.entry(key).or_default();
            if let Some(secs) = e.fail(now, max, window, lock) {
                locked.get_or_insert(Locked { scope, secs });
            }
        }
        locked
    }

    /// The bus counters of a sign-in: the provider's, the IP's and the account's (with their
    /// scopes, numbers and windows).
    fn counters(&self, username: &str, ip: &str) -> [(Scope, String, u32, i64, i64); 3] {
        let l = &self.limits;
        [
            (
                Scope::Global,
                "global".to_owned(),
                l.global_failures,
                l.global_window_secs,
                l.global_window_secs,
            ),
            (
                Scope::Ip,
                format!("ip:{}", ip_key(ip)),
                l.ip_failures,
                l.ip_window_secs,
                l.ip_lock_secs,
            ),
            (
                Scope::Account,
                format!("acct:{}", account_name(username)),
                l.account_failures,
                l.account_window_secs,
                l.account_lock_secs,
            ),
        ]
    }

    /// With a bus: refuses a sign-in that another instance's failures locked (the same three
    /// levels as here, counted in Redis). Without one, or while Redis does not answer, the
    /// local table alone decides ([`Throttle::begin`]).
    pub async fn shared_check(
        &self,
        bus: &crate::bus::Bus,
        username: &str,
        ip: &str,
    ) -> Result<(), Locked> {
        if !bus.shared() {
            return Ok(());
        }
        let counters = self.counters(username, ip);
        let keys: Vec<&str> = counters.iter().map(|c| c.1.as_str()).collect();
        match bus.locked_for(&keys).await {
            Some((i, secs)) => Err(Locked {
                scope: counters[i].0,
                secs,
            }),
            None => Ok(()),
        }
    }

    /// With a bus: counts a failed sign-in on the shared counters; the lock it caused, if any
    /// (the widest first).
    pub async fn shared_failed(
        &self,
        bus: &crate::bus::Bus,
        username: &str,
        ip: &str,
    ) -> Option<Locked> {
        if !bus.shared() {
            return None;
        }
        let mut locked = None;
        for (scope, key, max, window_secs, lock_secs) in self.counters(username, ip) {
            let counter = crate::bus::Counter {
                key: &key,
                max,
                window_secs,
                lock_secs,
            };
            if let Some(secs) = bus.count_failure(counter).await {
                locked.get_or_insert(Locked { scope, secs });
            }
        }
        locked
    }

    /// With a bus: forgets the account's shared failures (not the IP's).
    pub async fn shared_succeeded(&self, bus: &crate::bus::Bus, username: &str) {
        if bus.shared() {
            let key = &self.counters(username, "")[2].1;
            bus.forget_failures(key).await;
        }
    }

    /// Forgets the username's failures after a successful sign-in (the IP's stay counted).
    pub fn success(&self, username: &str, now: i64) {
        self.table(now).entries.remove(&account_key(username));
    }

    /// How many accounts and IPs the table tracks now.
    pub fn len(&self) -> usize {
        self.table
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .len()
    }

    /// Whether the table tracks nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Password hashes started so far (each behind a permit).
    pub fn hashes(&self) -> u64 {
        self.hashes.load(Ordering::Relaxed)
    }

    /// A permit to hash one password: waits in a bounded queue for a bounded time.
    pub async fn hashing_permit(&self) -> Result<SemaphorePermit<'_>, Busy> {
        let permit = match self.hashing.try_acquire() {
            Ok(p) => p,
            Err(tokio::sync::TryAcquireError::Closed) => return Err(Busy),
            Err(tokio::sync::TryAcquireError::NoPermits) => {
                if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.limits.hashing_queue {
                    self.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(Busy);
                }
                let got =
                    tokio::time::timeout(self.limits.hashing_wait, self.hashing.acquire()).await;
                self.waiting.fetch_sub(1, Ordering::AcqRel);
                match got {
                    Ok(Ok(p)) => p,
                    _ => return Err(Busy),
                }
            }
        };
        self.hashes.fetch_add(1, Ordering::Relaxed);
        Ok(permit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Limits {
        Limits {
            account_failures: 3,
            account_window_secs: 100,
            account_lock_secs: 60,
            ip_failures: 5,
            ip_window_secs: 100,
            ip_lock_secs: 300,
            global_failures: 8,
            global_window_secs: 60,
            max_entries: 6,
            prune_every_secs: 10,
            hashing_permits: 1,
            hashing_queue: 1,
            hashing_wait: Duration::from_millis(20),
        }
    }

    #[test]
    fn an_account_locks_for_every_ip() {
        let t = Throttle::default();
        for i in 0..4 {
            assert_eq!(t.failure("Alice", &format!("10.0.0.{i}"), 100), None);
        }
        let lock = t.failure("alice", "10.0.0.9", 100).unwrap();
        assert_eq!((lock.scope, lock.secs), (Scope::Account, LOCK_SECS));
        let left = t.check("ALICE", "192.0.2.1", 130).unwrap_err();
        assert_eq!((left.scope, left.secs), (Scope::Account, 30));
        assert_eq!(t.check("bob", "10.0.0.1", 130), Ok(()));
        assert_eq!(t.check("alice", "10.0.0.1", 161), Ok(()));
    }

    #[test]
    fn a_spraying_ip_locks_for_every_account() {
        let t = Throttle::new(small());
        for i in 0..4 {
            assert_eq!(t.failure(&format!("user{i}"), "10.0.0.1", 0), None);
        }
        let lock = t.failure("user4", "10.0.0.1", 0).unwrap();
        assert_eq!(lock.scope, Scope::Ip);
        assert_eq!(
            t.check("someone", "10.0.0.1", 1).unwrap_err().scope,
            Scope::Ip
        );
        assert_eq!(t.check("someone", "10.0.0.2", 1), Ok(()));
        assert_eq!(t.check("someone", "10.0.0.1", 300), Ok(()));
    }

    #[test]
    fn attempts_in_flight_count_against_the_limit() {
        let t = Throttle::default();
        let flying: Vec<Attempt<'_>> = (0..5)
            .map(|i| t.begin("alice", &format!("10.0.0.{i}"), 0).unwrap())
            .collect();
        // Five guesses are being checked: a sixth waits for them.
        let e = t.begin("alice", "10.0.0.9", 0).unwrap_err();
        assert_eq!(e.scope, Scope::Account);
        assert!(
            t.begin("bob", "10.0.0.9", 0).is_ok(),
            "others are not held up"
        );
        let mut flying = flying.into_iter();
        // One is refused for load (dropped): its place is free again, nothing counted.
        drop(flying.next());
        let again = t.begin("alice", "10.0.0.9", 0).unwrap();
        // All five fail: the account locks, and the last is refused by the lock.
        let locks: Vec<Option<Locked>> = flying.chain([again]).map(|a| a.failed(0)).collect();
        assert_eq!(locks.iter().filter(|l| l.is_some()).count(), 1);
        assert_eq!(
            t.begin("alice", "10.0.0.9", 1).unwrap_err().secs,
            LOCK_SECS - 1
        );
    }

    #[test]
    fn ipv6_counts_per_64() {
        assert_eq!(
            ip_key("2001:db8:1:2:aaaa::1"),
            ip_key("2001:db8:1:2:bbbb::2")
        );
        assert_ne!(ip_key("2001:db8:1:2::1"), ip_key("2001:db8:1:3::1"));
        assert_eq!(ip_key("::ffff:192.0.2.1"), "192.0.2.1");
    }

    #[test]
    fn a_success_forgets_the_account_not_the_ip() {
        let t = Throttle::new(small());
        t.failure("alice", "10.0.0.1", 0);
        t.failure("alice", "10.0.0.1", 0);
        t.success("alice", 0);
        assert_eq!(t.failure("alice", "10.0.0.1", 0), None);
        assert_eq!(t.failure("alice", "10.0.0.1", 0), None);
        // The IP's fifth failure locks it even though alice signed in between.
        assert_eq!(t.failure("bob", "10.0.0.1", 0).unwrap().scope, Scope::Ip);
    }

    #[test]
    fn many_ips_hit_the_global_limit() {
        let t = Throttle::new(small());
        for i in 0..7 {
            assert_eq!(t.failure(&format!("u{i}"), &format!("10.0.1.{i}"), 0), None);
        }
        let lock = t.failure("u7", "10.0.1.7", 0).unwrap();
        assert_eq!(lock.scope, Scope::Global);
        assert_eq!(
            t.check("x", "192.0.2.1", 1).unwrap_err().scope,
            Scope::Global
        );
        assert_eq!(t.check("x", "192.0.2.1", 61), Ok(()));
    }

    #[test]
    fn the_table_is_pruned_and_bounded() {
        let t = Throttle::new(Limits {
            global_failures: 1000,
            ..small()
        });
        for i in 0..20 {
            t.failure(&format!("u{i}"), &format!("10.0.2.{i}"), 0);
        }
        assert!(t.len() <= 6, "bounded: {}", t.len());
        // After the windows end, the next call prunes everything.
        assert_eq!(t.check("x", "10.0.0.1", 101), Ok(()));
        assert_eq!(t.len(), 0);
    }

    #[tokio::test]
    async fn hashing_is_capped() {
        let t = Throttle::new(small());
        let held = t.hashing_permit().await.unwrap();
        // The one place in the queue waits, times out and is refused.
        assert_eq!(t.hashing_permit().await.err(), Some(Busy));
        drop(held);
        assert!(t.hashing_permit().await.is_ok());
        assert_eq!(t.hashes(), 2);
    }
}
