//! Cross-instance state (docs/scaling.md). Without `--bus` the provider is one process and
//! [`Bus::Local`] does nothing: the hub, the token cache and the throttles stay in memory, as
//! before. With `--bus redis://HOST:PORT[/DB]` ([`Bus::connect`]) several instances over one
//! data directory share, through Redis:
//!
//! - **events** ([`Event`]) on one pub/sub channel, [`CHANNEL`]: messages, typing, receipts and
//!   presence for the hub's connections on other instances; revoked tokens and grants for the
//!   other instances' token caches;
//! - **presence** ([`Bus::heartbeat`], [`Bus::shown_elsewhere`]): a hash of each instance's
//!   visible people, rewritten every sixth of the heartbeat window, and a sorted set of the
//!   instances by their last heartbeat; an instance silent for half the window is
//!   swept ([`Bus::claim_dead`]) and its people go offline;
//! - **here now** ([`Bus::set_here_apps`], [`Bus::here_elsewhere`]): a second hash per
//!   instance, of the apps each of its people is here for, kept like the first;
//! - **counters** ([`Bus::count_failure`], [`Bus::locked_for`], [`Bus::take_frame`]): the
//!   sign-in throttle's failure counts and locks and the hub's per-person frame budget.
//!
//! Redis lost while running: every call here fails fast, the callers fall back to what the
//! instance knows locally, one WARN is logged, and `/healthz` says `"bus": "degraded"` until
//! the subscriber is back ([`Bus::degraded`]).
//!
//! The bus knows nothing of the storage: it carries over unchanged to PostgreSQL.

mod redis_bus;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::hub::protocol::{Shown, Status};
pub use redis_bus::RedisBus;

/// The one pub/sub channel every instance publishes to and subscribes to.
pub const CHANNEL: &str = "wl:bus";

/// Why the bus cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// The URL is not a `redis://` URL.
    #[error("--bus takes redis://HOST:PORT[/DB], not `{0}` (Error code: bus_url_invalid)")]
    Url(String),
    /// Redis did not answer at start.
    #[error(
        "cannot reach the bus at {url}: {cause}. Start redis-server there or leave out --bus \
         (Error code: bus_unreachable)"
    )]
    Unreachable {
        /// The URL, without a password.
        url: String,
        /// What failed.
        cause: String,
    },
}

impl BusError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Url(_) => "bus_url_invalid",
            Self::Unreachable { .. } => "bus_unreachable",
        }
    }
}

/// What one instance tells the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Event {
    /// A ready frame for every connection of `person` (typing, `delivered`).
    Frame {
        /// Whose connections.
        person: String,
        /// The frame's text.
        frame: String,
    },
    /// A newly stored message, for its recipient's and its sender's connections.
    Message {
        /// Its id.
        id: i64,
        /// Sender.
        from: String,
        /// Recipient.
        to: String,
        /// The text.
        text: String,
        /// Stored at, Unix seconds.
        at: i64,
        /// The sender's id for it.
        client_id: Option<String>,
    },
    /// A person's presence changed as friends see it.
    Presence {
        /// Who.
        person: String,
        /// What friends see now (`offline` included).
        shown: String,
        /// Their chosen status, when they chose one (the other instances remember it).
        status: Option<Status>,
        /// Their friends (whose connections hear it).
        friends: Vec<String>,
    },
    /// The apps `person` is here for on `instance` ("here now"; empty: none, or the instance
    /// is gone).
    Here {
        /// Who.
        person: String,
        /// The instance their connections are on.
        instance: String,
        /// The apps.
        apps: Vec<String>,
        /// Their friends (whose connections hear it).
        friends: Vec<String>,
    },
    /// `person` hid `app` from friends, or showed it again (the connected-apps page), for
    /// their connections on every instance.
    Hidden {
        /// Who.
        person: String,
        /// The app's client id.
        app: String,
        /// Hidden now.
        hidden: bool,
    },
    /// An access token was revoked: its SHA-256, hex.
    Token {
        /// The hash.
        hash: String,
    },
    /// A grant's tokens were revoked.
    Grant {
        /// The grant id.
        id: String,
    },
}

/// A sign-in throttle counter kept on the bus.
#[derive(Debug, Clone, Copy)]
pub struct Counter<'a> {
    /// The counter's name (`acct:alice`, `ip:127.0.0.1`, `global`).
    pub key: &'a str,
    /// Failures that lock.
    pub max: u32,
    /// The counting window, seconds.
    pub window_secs: i64,
    /// The lock, seconds.
    pub lock_secs: i64,
}

/// The cross-instance state: none ([`Bus::Local`]) or Redis.
#[derive(Debug, Clone, Default)]
pub enum Bus {
    /// One instance: nothing is shared, every call is a no-op.
    #[default]
    Local,
    /// Redis.
    Redis(Arc<RedisBus>),
}

impl Bus {
    /// Connects to Redis at `url` (fails when it does not answer a `PING` within 3 s).
    /// `heartbeat` is the presence window: an instance not heard from for it is dead.
    pub async fn connect(url: &str, heartbeat: Duration) -> Result<Self, BusError> {
        Ok(Self::Redis(Arc::new(
            RedisBus::connect(url, heartbeat).await?,
        )))
    }

    /// The Redis side, if any.
    pub fn redis(&self) -> Option<&Arc<RedisBus>> {
        match self {
            Self::Local => None,
            Self::Redis(r) => Some(r),
        }
    }

    /// True when there is a bus (several instances may be running).
    pub fn shared(&self) -> bool {
        self.redis().is_some()
    }

    /// This instance's id on the bus (`local` without one).
    pub fn instance(&self) -> &str {
        self.redis().map_or("local", |r| r.instance())
    }

    /// True while Redis is unreachable (the instance serves what it can locally).
    pub fn degraded(&self) -> bool {
        self.redis().is_some_and(|r| r.is_degraded())
    }

    /// Tells the other instances (queued; dropped when the queue is full or Redis is down).
    pub fn publish(&self, event: Event) {
        if let Some(r) = self.redis() {
            r.publish(event);
        }
    }

    /// Rewrites this instance's visible people, the apps they are here for, and its heartbeat.
    pub async fn heartbeat(&self, people: &[(String, Shown)], here: &[(String, Vec<String>)]) {
        if let Some(r) = self.redis() {
            r.heartbeat(people, here).await;
        }
    }

    /// Records the apps `person` is here for on this instance (empty: none).
    pub async fn set_here_apps(&self, person: &str, apps: &[String]) {
        if let Some(r) = self.redis() {
            r.set_here_apps(person, apps).await;
        }
    }

    /// The apps `people` are here for on the other live instances: `(instance, person, apps)`.
    pub async fn here_elsewhere(&self, people: &[String]) -> Vec<(String, String, Vec<String>)> {
        match self.redis() {
            Some(r) => r.here_elsewhere(people).await,
            None => Vec::new(),
        }
    }

    /// Records that `person` is visible here as `shown` (`Offline`: no longer here).
    pub async fn set_here(&self, person: &str, shown: Shown) {
        if let Some(r) = self.redis() {
            r.set_here(person, shown).await;
        }
    }

    /// How `people` show on the other live instances (absent: offline there, or no bus).
    pub async fn shown_elsewhere(&self, people: &[String]) -> HashMap<String, Shown> {
        match self.redis() {
            Some(r) => r.shown_elsewhere(people).await,
            None => HashMap::new(),
        }
    }

    /// Instances silent for half the window, each claimed by exactly one sweeper:
    /// the people they showed, with the instance.
    pub async fn claim_dead(&self) -> Vec<(String, String)> {
        match self.redis() {
            Some(r) => r.claim_dead().await,
            None => Vec::new(),
        }
    }

    /// Counts a sign-in failure on the shared counter: the lock's seconds when it locks now.
    pub async fn count_failure(&self, c: Counter<'_>) -> Option<i64> {
        self.redis()?.count_failure(c).await
    }

    /// The longest remaining lock among `keys`, seconds, with its key's index.
    pub async fn locked_for(&self, keys: &[&str]) -> Option<(usize, i64)> {
        self.redis()?.locked_for(keys).await
    }

    /// Forgets a shared failure count (a successful sign-in).
    pub async fn forget_failures(&self, key: &str) {
        if let Some(r) = self.redis() {
            r.forget_failures(key).await;
        }
    }

    /// Takes one frame from `person`'s budget shared by every instance: `None` when there is
    /// no bus or Redis did not answer (use the local budget), else `Ok` or how long to wait.
    pub async fn take_frame(
        &self,
        person: &str,
        per_sec: u32,
        burst: u32,
    ) -> Option<Result<(), Duration>> {
        self.redis()?.take_frame(person, per_sec, burst).await
    }
}

/// `Shown` from its wire name.
pub fn parse_shown(s: &str) -> Shown {
    match s {
        "available" => Shown::Available,
        "busy" => Shown::Busy,
        "away" => Shown::Away,
        _ => Shown::Offline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_as_json() {
        let e = Event::Presence {
            person: "a".into(),
            shown: "busy".into(),
            status: Some(Status::Busy),
            friends: vec!["b".into()],
        };
        let text = serde_json::to_string(&e).unwrap();
        assert!(text.contains(r#""t":"presence""#), "{text}");
        assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), e);
        let e = Event::Here {
            person: "a".into(),
            instance: "i1".into(),
            apps: vec!["shop".into()],
            friends: vec!["b".into()],
        };
        let text = serde_json::to_string(&e).unwrap();
        assert!(text.contains(r#""t":"here""#), "{text}");
        assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), e);
    }

    #[test]
    fn shown_parses_its_wire_names() {
        for s in [Shown::Available, Shown::Busy, Shown::Away, Shown::Offline] {
            assert_eq!(parse_shown(s.as_str()), s);
        }
    }

    #[tokio::test]
    async fn a_bad_url_has_its_code() {
        let e = Bus::connect("http://127.0.0.1:1", Duration::from_secs(1))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "bus_url_invalid");
        let e = Bus::connect("redis://127.0.0.1:1", Duration::from_secs(1))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "bus_unreachable");
        assert!(e.to_string().contains("redis://127.0.0.1:1"), "{e}");
    }

    #[tokio::test]
    async fn the_local_bus_shares_nothing() {
        let b = Bus::Local;
        assert!(!b.shared() && !b.degraded());
        assert_eq!(b.instance(), "local");
        b.publish(Event::Grant { id: "g".into() });
        assert!(b.shown_elsewhere(&["a".into()]).await.is_empty());
        assert!(b.here_elsewhere(&["a".into()]).await.is_empty());
        assert!(b.take_frame("a", 1, 1).await.is_none());
        assert!(b.locked_for(&["acct:a"]).await.is_none());
    }
}
