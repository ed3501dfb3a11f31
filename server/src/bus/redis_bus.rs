//! The Redis side of the bus: one `ConnectionManager` for commands (it reconnects by itself),
//! one pub/sub connection (re-made by [`RedisBus::subscribe`] when lost), and a publishing task
//! fed by a bounded queue, so no caller waits on Redis to publish.
//!
//! Keys (docs/scaling.md):
//! - `wl:instances`: sorted set, instance id → its last heartbeat (Unix ms);
//! - `wl:people:{instance}`: hash, person id → what friends see (`available`, `busy`, `away`);
//!   rewritten at every heartbeat, expiring after two windows;
//! - `wl:thr:n:{counter}` / `wl:thr:lock:{counter}`: sign-in failure counts and locks;
//! - `wl:rate:{person}`: the person's hub frame budget (a token bucket in a Lua script).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::{BusError, CHANNEL, Counter, Event, parse_shown};
use crate::hub::protocol::Shown;

/// How long one Redis call may take before the bus counts as down.
const CALL_TIMEOUT: Duration = Duration::from_millis(1000);
/// Events waiting to be published; more are dropped (and delivered locally only).
const QUEUE: usize = 8192;

/// What goes over [`CHANNEL`]: the event and who sent it (an instance ignores its own).
#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    /// The sending instance.
    i: String,
    /// The event.
    e: Event,
}

const COUNT_FAILURE: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if n >= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
  return tonumber(ARGV[3])
end
return 0
";

const TAKE_FRAME: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(v[1]) or burst
local last = tonumber(v[2]) or now
if now > last then
  tokens = math.min(burst, tokens + (now - last) * rate / 1000)
  last = now
end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', tostring(last))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
";

/// The Redis bus of one instance.
pub struct RedisBus {
    instance: String,
    url: String,
    client: redis::Client,
    conn: ConnectionManager,
    tx: mpsc::Sender<Event>,
    heartbeat: Duration,
    /// The subscriber is not connected.
    sub_down: AtomicBool,
    /// The last command failed.
    cmd_down: AtomicBool,
    count_failure: redis::Script,
    take_frame: redis::Script,
    /// Bumped each time Redis is back after being lost (not at the first connection).
    recovered: tokio::sync::watch::Sender<u64>,
    /// The subscriber has been connected once.
    was_up: AtomicBool,
}

impl std::fmt::Debug for RedisBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBus")
            .field("instance", &self.instance)
            .field("url", &self.url)
            .field("degraded", &self.is_degraded())
            .finish()
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

async fn timed<T>(f: impl Future<Output = redis::RedisResult<T>>) -> Result<T, String> {
    match tokio::time::timeout(CALL_TIMEOUT, f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer within 1 s".into()),
    }
}

impl RedisBus {
    /// Connects (see [`super::Bus::connect`]) and starts the publishing task.
    pub async fn connect(url: &str, heartbeat: Duration) -> Result<Self, BusError> {
        let shown = crate::crypto::redact_url(url);
        if !url.starts_with("redis://") {
            return Err(BusError::Url(shown));
        }
        let unreachable = |cause: String| BusError::Unreachable {
            url: shown.clone(),
            cause,
        };
        let client = redis::Client::open(url).map_err(|_| BusError::Url(shown.clone()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(CALL_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let connect = client.get_connection_manager_with_config(config);
        let mut conn = match tokio::time::timeout(Duration::from_secs(3), connect).await {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return Err(unreachable(e.to_string())),
            Err(_) => return Err(unreachable("no answer within 3 s".into())),
        };
        let pong: String = timed(redis::cmd("PING").query_async(&mut conn))
            .await
            .map_err(unreachable)?;
        if pong != "PONG" {
            return Err(unreachable(format!("PING answered {pong}")));
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        let bus = Self {
            instance: crate::crypto::random_hex(6),
            url: shown,
            client,
            conn,
            tx,
            heartbeat,
            sub_down: AtomicBool::new(true),
            cmd_down: AtomicBool::new(false),
            count_failure: redis::Script::new(COUNT_FAILURE),
            take_frame: redis::Script::new(TAKE_FRAME),
            recovered: tokio::sync::watch::Sender::new(0),
            was_up: AtomicBool::new(false),
        };
        tokio::spawn(publisher(
            bus.conn.clone(),
            bus.instance.clone(),
            rx,
            PublishHealth::default(),
        ));
        Ok(bus)
    }

    /// This instance's id (random, new at every start).
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// The heartbeat window.
    pub fn window(&self) -> Duration {
        self.heartbeat
    }

    /// True while the subscriber is disconnected or the last command failed.
    pub fn is_degraded(&self) -> bool {
        self.sub_down.load(Ordering::Acquire) || self.cmd_down.load(Ordering::Acquire)
    }

    fn went_down(&self, what: &AtomicBool, cause: &str) {
        let was = self.is_degraded();
        what.store(true, Ordering::Release);
        if !was {
            tracing::warn!(
                bus = %self.url,
                cause,
                "bus: Redis is unreachable; serving this instance's connections only until it is back"
            );
        }
    }

    fn came_back(&self, what: &AtomicBool) {
        let was = self.is_degraded();
        what.store(false, Ordering::Release);
        if was && !self.is_degraded() {
            tracing::info!(bus = %self.url, "bus: Redis is reachable");
            if self.was_up.swap(true, Ordering::AcqRel) {
                self.recovered.send_modify(|n| *n += 1);
            }
        }
    }

    /// Changes each time Redis is back after being lost: what was published meanwhile never
    /// reached the other instances, so their connections resync.
    pub fn recoveries(&self) -> tokio::sync::watch::Receiver<u64> {
        self.recovered.subscribe()
    }

    fn result<T>(&self, r: Result<T, String>) -> Option<T> {
        match r {
            Ok(v) => {
                if self.cmd_down.load(Ordering::Acquire) {
                    self.came_back(&self.cmd_down);
                }
                Some(v)
            }
            Err(cause) => {
                self.went_down(&self.cmd_down, &cause);
                None
            }
        }
    }

    /// Queues an event for the other instances.
    pub fn publish(&self, event: Event) {
        if self.is_degraded() {
            return;
        }
        if self.tx.try_send(event).is_err() {
            tracing::debug!("bus: the publish queue is full; an event stays local");
        }
    }

    /// Subscribes to [`CHANNEL`] and hands every other instance's event to `handle`, until the
    /// process ends: a lost subscription marks the bus degraded and is re-made every 500 ms.
    pub fn subscribe(
        self: std::sync::Arc<Self>,
        handle: impl Fn(Event) + Send + Sync + 'static,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                let connected = tokio::time::timeout(Duration::from_secs(2), async {
                    let mut ps = self.client.get_async_pubsub().await?;
                    ps.subscribe(CHANNEL).await?;
                    Ok::<_, redis::RedisError>(ps)
                })
                .await;
                match connected {
                    Ok(Ok(ps)) => {
                        self.came_back(&self.sub_down);
                        let mut stream = ps.into_on_message();
                        while let Some(msg) = stream.next().await {
                            let Ok(text) = msg.get_payload::<String>() else {
                                continue;
                            };
                            match serde_json::from_str::<Envelope>(&text) {
                                Ok(env) if env.i != self.instance => {
                                    tracing::debug!(from = %env.i, "bus: an event");
                                    handle(env.e);
                                }
                                Ok(_) => {}
                                Err(e) => tracing::debug!(error = %e, "bus: an unknown event"),
                            }
                        }
                        self.went_down(&self.sub_down, "the subscription was lost");
                    }
                    Ok(Err(e)) => self.went_down(&self.sub_down, &e.to_string()),
                    Err(_) => self.went_down(&self.sub_down, "no answer within 2 s"),
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        })
    }

    fn people_key(instance: &str) -> String {
        format!("wl:people:{instance}")
    }

    /// The apps each of an instance's people is here for (a JSON array of client ids each).
    fn here_key(instance: &str) -> String {
        format!("wl:here:{instance}")
    }

    /// Half the window (three missed heartbeats): an instance whose heartbeat is older is dead.
    fn dead_after_ms(&self) -> i64 {
        i64::try_from(self.heartbeat.as_millis() / 2).unwrap_or(i64::MAX)
    }

    /// See [`super::Bus::heartbeat`].
    pub async fn heartbeat(&self, people: &[(String, Shown)], here: &[(String, Vec<String>)]) {
        let key = Self::people_key(&self.instance);
        let ttl = i64::try_from(self.heartbeat.as_millis() * 2).unwrap_or(i64::MAX);
        let mut pipe = redis::pipe();
        pipe.atomic().del(&key).ignore();
        let fields: Vec<(&str, &str)> = people
            .iter()
            .filter(|(_, s)| *s != Shown::Offline)
            .map(|(p, s)| (p.as_str(), s.as_str()))
            .collect();
        if !fields.is_empty() {
            pipe.hset_multiple(&key, &fields).ignore();
            pipe.pexpire(&key, ttl).ignore();
        }
        let here_key = Self::here_key(&self.instance);
        pipe.del(&here_key).ignore();
        let here: Vec<(&str, String)> = here
            .iter()
            .filter(|(_, apps)| !apps.is_empty())
            .map(|(p, apps)| (p.as_str(), serde_json::json!(apps).to_string()))
            .collect();
        if !here.is_empty() {
            pipe.hset_multiple(&here_key, &here).ignore();
            pipe.pexpire(&here_key, ttl).ignore();
        }
        pipe.zadd("wl:instances", &self.instance, now_ms()).ignore();
        let mut conn = self.conn.clone();
        let r = timed(pipe.query_async::<()>(&mut conn)).await;
        self.result(r);
    }

    /// See [`super::Bus::set_here`].
    pub async fn set_here(&self, person: &str, shown: Shown) {
        let key = Self::people_key(&self.instance);
        let mut conn = self.conn.clone();
        let r = if shown == Shown::Offline {
            timed(conn.hdel::<_, _, ()>(&key, person)).await
        } else {
            timed(conn.hset::<_, _, _, ()>(&key, person, shown.as_str())).await
        };
        self.result(r);
    }

    /// See [`super::Bus::set_here_apps`].
    pub async fn set_here_apps(&self, person: &str, apps: &[String]) {
        let key = Self::here_key(&self.instance);
        let mut conn = self.conn.clone();
        let r = if apps.is_empty() {
            timed(conn.hdel::<_, _, ()>(&key, person)).await
        } else {
            let ttl = i64::try_from(self.heartbeat.as_millis() * 2).unwrap_or(i64::MAX);
            let mut pipe = redis::pipe();
            pipe.atomic()
                .hset(&key, person, serde_json::json!(apps).to_string())
                .ignore()
                .pexpire(&key, ttl)
                .ignore();
            timed(pipe.query_async::<()>(&mut conn)).await
        };
        self.result(r);
    }

    /// See [`super::Bus::here_elsewhere`].
    pub async fn here_elsewhere(&self, people: &[String]) -> Vec<(String, String, Vec<String>)> {
        let mut found = Vec::new();
        for (instance, row) in self.fields_elsewhere(Self::here_key, people).await {
            for (p, apps) in people.iter().zip(row) {
                let apps: Vec<String> = apps
                    .and_then(|a| serde_json::from_str(&a).ok())
                    .unwrap_or_default();
                if !apps.is_empty() {
                    found.push((instance.clone(), p.clone(), apps));
                }
            }
        }
        found
    }

    /// `people`'s fields in the hash `key(instance)` of every other live instance, by instance
    /// (each row in the order of `people`; none when Redis does not answer).
    async fn fields_elsewhere(
        &self,
        key: fn(&str) -> String,
        people: &[String],
    ) -> Vec<(String, Vec<Option<String>>)> {
        if people.is_empty() {
            return Vec::new();
        }
        let Some(live) = self.live_others().await else {
            return Vec::new();
        };
        if live.is_empty() {
            return Vec::new();
        }
        let mut pipe = redis::pipe();
        for i in &live {
            pipe.cmd("HMGET").arg(key(i)).arg(people);
        }
        let mut conn = self.conn.clone();
        let r = timed(pipe.query_async::<Vec<Vec<Option<String>>>>(&mut conn)).await;
        live.into_iter()
            .zip(self.result(r).unwrap_or_default())
            .collect()
    }

    async fn live_others(&self) -> Option<Vec<String>> {
        let mut conn = self.conn.clone();
        let since = now_ms() - self.dead_after_ms();
        let r =
            timed(conn.zrangebyscore::<_, _, _, Vec<String>>("wl:instances", since, "+inf")).await;
        let mut live = self.result(r)?;
        live.retain(|i| *i != self.instance);
        Some(live)
    }

    /// See [`super::Bus::shown_elsewhere`].
    pub async fn shown_elsewhere(&self, people: &[String]) -> HashMap<String, Shown> {
        let mut found = HashMap::new();
        for (_, row) in self.fields_elsewhere(Self::people_key, people).await {
            for (p, s) in people.iter().zip(row) {
                if let Some(s) = s {
                    found.entry(p.clone()).or_insert_with(|| parse_shown(&s));
                }
            }
        }
        found
    }

    /// See [`super::Bus::claim_dead`].
    pub async fn claim_dead(&self) -> Vec<(String, String)> {
        let mut conn = self.conn.clone();
        let before = now_ms() - self.dead_after_ms();
        let r =
            timed(conn.zrangebyscore::<_, _, _, Vec<String>>("wl:instances", "-inf", before)).await;
        let mut people = Vec::new();
        for dead in self.result(r).unwrap_or_default() {
            if dead == self.instance {
                continue;
            }
            // ZREM answers 1 to one caller only: that instance sweeps.
            let claimed = timed(conn.zrem::<_, _, i64>("wl:instances", &dead)).await;
            if self.result(claimed) != Some(1) {
                continue;
            }
            let key = Self::people_key(&dead);
            let r = timed(conn.hkeys::<_, Vec<String>>(&key)).await;
            let gone = self.result(r).unwrap_or_default();
            let r = timed(conn.del::<_, ()>(&[key, Self::here_key(&dead)])).await;
            self.result(r);
            tracing::warn!(
                instance = %dead,
                people = gone.len(),
                "bus: an instance stopped answering; its people go offline"
            );
            people.extend(gone.into_iter().map(|p| (dead.clone(), p)));
        }
        people
    }

    /// See [`super::Bus::count_failure`].
    pub async fn count_failure(&self, c: Counter<'_>) -> Option<i64> {
        let mut conn = self.conn.clone();
        let mut inv = self.count_failure.prepare_invoke();
        inv.key(format!("wl:thr:n:{}", c.key))
            .key(format!("wl:thr:lock:{}", c.key))
            .arg(c.max)
            .arg(c.window_secs.max(1))
            .arg(c.lock_secs.max(1));
        let r = timed(inv.invoke_async::<i64>(&mut conn)).await;
        self.result(r).filter(|secs| *secs > 0)
    }

    /// See [`super::Bus::locked_for`].
    pub async fn locked_for(&self, keys: &[&str]) -> Option<(usize, i64)> {
        let mut pipe = redis::pipe();
        for k in keys {
            pipe.pttl(format!("wl:thr:lock:{k}"));
        }
        let mut conn = self.conn.clone();
        let r = timed(pipe.query_async::<Vec<i64>>(&mut conn)).await;
        self.result(r)?
            .into_iter()
            .enumerate()
            .filter(|(_, ms)| *ms > 0)
            .map(|(i, ms)| (i, (ms + 999) / 1000))
            .max_by_key(|(_, secs)| *secs)
    }

    /// See [`super::Bus::forget_failures`].
    pub async fn forget_failures(&self, key: &str) {
        let mut conn = self.conn.clone();
        let r = timed(conn.del::<_, ()>(format!("wl:thr:n:{key}"))).await;
        self.result(r);
    }

    /// See [`super::Bus::take_frame`].
    pub async fn take_frame(
        &self,
        person: &str,
        per_sec: u32,
        burst: u32,
    ) -> Option<Result<(), Duration>> {
        if self.is_degraded() {
            return None;
        }
        let mut conn = self.conn.clone();
        let mut inv = self.take_frame.prepare_invoke();
        inv.key(format!("wl:rate:{person}"))
            .arg(per_sec.max(1))
            .arg(burst.max(1));
        let r = timed(inv.invoke_async::<i64>(&mut conn)).await;
        let wait = self.result(r)?;
        Some(if wait <= 0 {
            Ok(())
        } else {
            Err(Duration::from_millis(u64::try_from(wait).unwrap_or(1)))
        })
    }
}

#[derive(Default)]
struct PublishHealth {
    failing: bool,
}

/// Publishes queued events, a batch per round trip.
async fn publisher(
    mut conn: ConnectionManager,
    instance: String,
    mut rx: mpsc::Receiver<Event>,
    mut health: PublishHealth,
) {
    while let Some(first) = rx.recv().await {
        let mut pipe = redis::pipe();
        let mut next = Some(first);
        let mut n = 0;
        while let Some(e) = next {
            let env = Envelope {
                i: instance.clone(),
                e,
            };
            if let Ok(text) = serde_json::to_string(&env) {
                pipe.publish(CHANNEL, text).ignore();
            }
            n += 1;
            next = if n < 256 { rx.try_recv().ok() } else { None };
        }
        match timed(pipe.query_async::<()>(&mut conn)).await {
            Ok(()) => {
                tracing::debug!(events = n, "bus: published");
                health.failing = false;
            }
            Err(cause) => {
                if !health.failing {
                    tracing::debug!(cause, "bus: publishing failed; events stay local");
                }
                health.failing = true;
            }
        }
    }
}
