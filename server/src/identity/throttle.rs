//! Throttling of failed sign-ins per (username, client IP): after [`MAX_FAILURES`] failures in a
//! row the pair is locked for [`LOCK_SECS`] seconds.
//!
//! Why not `governor`: governor limits a *rate* (GCRA: n cells per period, with a burst), and
//! every call spends a cell. This throttle has lock-out semantics instead: only *failures*
//! count, they must be *consecutive* (a success forgets them), the fifth one locks the pair for
//! a fixed time whose remaining seconds the sign-in page shows, and time is the provider's
//! [`crate::clock::Clock`], which the tests advance instead of sleeping. Modelling that on a
//! rate limiter would need a second map for the lock and a reset governor has no notion of; the
//! whole rule is the 70 lines below. (The hub's per-connection frame budget,
//! `hub::rate::TokenBucket`, is a plain rate and could be governor's direct limiter; it stays
//! a pure struct because it also counts refused frames to close abusive connections, and
//! takes time as an argument for its tests.)

use std::collections::HashMap;
use std::sync::Mutex;

/// Failures allowed before a lock.
pub const MAX_FAILURES: u32 = 5;
/// Length of a lock, seconds.
pub const LOCK_SECS: i64 = 60;

#[derive(Debug, Default, Clone, Copy)]
struct Entry {
    failures: u32,
    locked_until: i64,
}

/// In-memory failure counters.
#[derive(Debug, Default)]
pub struct Throttle {
    entries: Mutex<HashMap<(String, String), Entry>>,
}

impl Throttle {
    fn key(username: &str, ip: &str) -> (String, String) {
        (username.trim().to_lowercase(), ip.to_owned())
    }

    /// Seconds left on a lock for this pair, if it is locked.
    pub fn locked_for(&self, username: &str, ip: &str, now: i64) -> Option<i64> {
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&Self::key(username, ip))
            .map(|e| e.locked_until - now)
            .filter(|left| *left > 0)
    }

    /// Records a failure; returns the lock length when this failure locks the pair.
    pub fn failure(&self, username: &str, ip: &str, now: i64) -> Option<i64> {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, e| e.locked_until > now || e.failures > 0);
        }
        let e = map.entry(Self::key(username, ip)).or_default();
        e.failures += 1;
        if e.failures >= MAX_FAILURES {
            e.failures = 0;
            e.locked_until = now + LOCK_SECS;
            return Some(LOCK_SECS);
        }
        None
    }

    /// Forgets the pair after a successful sign-in.
    pub fn success(&self, username: &str, ip: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&Self::key(username, ip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_five_and_unlocks() {
        let t = Throttle::default();
        for _ in 0..4 {
            assert_eq!(t.failure("Alice", "1.2.3.4", 100), None);
        }
        assert_eq!(t.failure("alice", "1.2.3.4", 100), Some(LOCK_SECS));
        assert_eq!(t.locked_for("ALICE", "1.2.3.4", 130), Some(30));
        assert_eq!(t.locked_for("alice", "5.6.7.8", 130), None);
        assert_eq!(t.locked_for("alice", "1.2.3.4", 161), None);
    }
}
