//! The messenger hub: a WebSocket endpoint for presence and instant messages between friends
//! (protocol in `docs/messenger.md`).
//!
//! - [`protocol`]: frames and error codes (pure).
//! - [`rate`]: the token bucket, one per person (shared by their connections) (pure).
//! - the SQL: [`crate::store::messages`].
//! - [`registry`]: who is online, their presence and their connections' queues.
//! - [`writer`]: the one task that stores messages and hands them out in id order.
//! - [`conn`]: one connection, from `hello` to close.
//! - [`rest`]: the same over plain HTTP (`/v1/me/presence`, `/v1/me/conversations…`), for
//!   back ends with an (offline) token.

pub mod conn;
#[cfg(test)]
mod fixtures;
pub mod protocol;
pub mod rate;
pub mod registry;
pub mod remote;
pub mod rest;
pub mod writer;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::mpsc;

use axum::extract::FromRef;

use crate::clock::Clock;
use crate::identity::tokens::Tokens;
use crate::store::db::Db;
use registry::Registry;
use writer::Cmd;

/// Timings and limits of the hub. The defaults are the protocol's; tests shorten the timings.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// How often the hub sends a WebSocket ping.
    pub ping_interval: Duration,
    /// A connection silent this long (no pong, no frame) is closed as dead.
    pub dead_after: Duration,
    /// How long a connection may take to send an accepted `hello`.
    pub hello_timeout: Duration,
    /// Frames per second a person may send, sustained, over all their connections together.
    pub frames_per_sec: u32,
    /// Frames a person may send in a burst, over all their connections together.
    pub burst: u32,
    /// Rate-limited frames after which the connection is closed.
    pub max_refused: u32,
    /// Frames over this size are refused (`frame_too_large`), the connection kept.
    pub soft_frame_limit: usize,
    /// Frames over this size close the connection (1009).
    pub hard_frame_limit: usize,
    /// Frames queued for one connection before it is closed as too slow.
    pub queue: usize,
    /// Connections one person may have open at once; the next is closed (4409).
    pub max_conns_per_person: usize,
    /// Connections the hub serves at once; the next is closed (4503).
    pub max_conns: usize,
    /// How long friends keep seeing a person as they were after a connection closes (online,
    /// here for its app), so that going from one page of a site to the next is no "offline"
    /// and "online" again; zero: at once. Not while the hub stops.
    pub offline_grace: Duration,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            ping_interval: Duration::from_secs(20),
            dead_after: Duration::from_secs(45),
            hello_timeout: Duration::from_secs(10),
            frames_per_sec: 20,
            burst: 40,
            max_refused: 200,
            soft_frame_limit: 16 * 1024,
            hard_frame_limit: 64 * 1024,
            queue: 1024,
            max_conns_per_person: 8,
            max_conns: 10_000,
            offline_grace: Duration::from_secs(3),
        }
    }
}

/// The hub's shared state: configuration, the connection registry and the writer's queue.
pub struct Hub {
    config: RwLock<HubConfig>,
    /// Who is online.
    pub registry: Registry,
    writer_tx: mpsc::Sender<Cmd>,
    writer_rx: Mutex<Option<mpsc::Receiver<Cmd>>>,
    next_conn: AtomicU64,
    open: Arc<AtomicUsize>,
    stopping: tokio::sync::watch::Sender<bool>,
    bus: std::sync::OnceLock<crate::bus::Bus>,
    resync: tokio::sync::watch::Sender<u64>,
    /// Frame budgets of people who send over REST without a hub connection here.
    rest_buckets: Mutex<std::collections::HashMap<String, rate::TokenBucket>>,
}

impl Default for Hub {
    fn default() -> Self {
        let (writer_tx, writer_rx) = mpsc::channel(8192);
        Self {
            config: RwLock::new(HubConfig::default()),
            registry: Registry::default(),
            writer_tx,
            writer_rx: Mutex::new(Some(writer_rx)),
            next_conn: AtomicU64::new(1),
            open: Arc::new(AtomicUsize::new(0)),
            stopping: tokio::sync::watch::Sender::new(false),
            bus: std::sync::OnceLock::new(),
            resync: tokio::sync::watch::Sender::new(0),
            rest_buckets: Mutex::new(std::collections::HashMap::new()),
        }
    }
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("online", &self.registry.online_count())
            .field("open", &self.open_connections())
            .finish()
    }
}

impl Hub {
    /// The current configuration (read once per connection).
    pub fn config(&self) -> HubConfig {
        self.config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the configuration for connections opened from now on.
    pub fn configure(&self, config: HubConfig) {
        *self.config.write().unwrap_or_else(|p| p.into_inner()) = config;
    }

    /// Shares the hub with other instances over `bus` (once, before the first connection).
    pub fn set_bus(&self, bus: crate::bus::Bus) {
        let _ = self.bus.set(bus);
    }

    /// The bus ([`crate::bus::Bus::Local`] without one).
    pub fn bus(&self) -> &crate::bus::Bus {
        static LOCAL: crate::bus::Bus = crate::bus::Bus::Local;
        self.bus.get().unwrap_or(&LOCAL)
    }

    /// `person` hides `app` from friends (or shows it again): their connections here and on
    /// the other instances follow at once ("here now").
    pub fn set_hidden(&self, person: &str, app: &str, hidden: bool) {
        self.registry.set_hidden(person, app, hidden);
        self.bus().publish(crate::bus::Event::Hidden {
            person: person.to_owned(),
            app: app.to_owned(),
            hidden,
        });
    }

    /// Offers a ready frame to every connection of `person`, here and on the other instances.
    pub fn push_everywhere(&self, person: &str, frame: String) {
        let out = registry::Out::Frame(frame.as_str().into());
        self.registry.push(person, &out, None);
        self.bus().publish(crate::bus::Event::Frame {
            person: person.to_owned(),
            frame,
        });
    }

    /// Closes every connection with 1001 ("going away"), e.g. before the server stops, so
    /// clients reconnect (with backoff) instead of waiting for a heartbeat to fail.
    pub fn shut_down(&self) {
        self.stopping.send_replace(true);
    }

    fn stopping(&self) -> tokio::sync::watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    /// Closes every open connection with 1001, so clients reconnect and resync with `since`
    /// (the bus was lost: what other instances published meanwhile never arrived here).
    pub fn ask_to_resync(&self) {
        self.resync.send_modify(|n| *n += 1);
    }

    fn resync(&self) -> tokio::sync::watch::Receiver<u64> {
        self.resync.subscribe()
    }

    /// How many connections are open (with or without an accepted `hello`).
    pub fn open_connections(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }

    /// Takes one of the `max` connection slots, held until the [`Slot`] drops.
    fn take_slot(&self, max: usize) -> Option<Slot> {
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(self.open.clone()))
    }

    fn next_conn_id(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// Starts the writer task on first use (the state is built outside any runtime).
    fn ensure_writer(&self, state: &HubState) {
        let rx = self
            .writer_rx
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(rx) = rx {
            tokio::spawn(writer::run(state.clone(), rx));
        }
    }

    pub(crate) async fn submit(&self, cmd: Cmd) -> bool {
        self.writer_tx.send(cmd).await.is_ok()
    }

    /// One frame from `person`'s budget for a REST call: with a bus, the budget every instance
    /// shares; else their hub connections' budget here, or (no connection here) a REST one
    /// with the same rate. `Err(wait)`: over the budget.
    pub async fn take_rest_frame(&self, person: &str) -> Result<(), Duration> {
        let cfg = self.config();
        let bus = self.bus();
        if bus.shared()
            && let Some(taken) = bus.take_frame(person, cfg.frames_per_sec, cfg.burst).await
        {
            return taken;
        }
        let now = std::time::Instant::now();
        if let Some(taken) = self.registry.take_frame(person, now) {
            return taken;
        }
        let mut buckets = self.rest_buckets.lock().unwrap_or_else(|p| p.into_inner());
        // Forget full buckets now and then, so the map stays as small as the active senders.
        if buckets.len() > 10_000 {
            buckets.clear();
        }
        buckets
            .entry(person.to_owned())
            .or_insert_with(|| rate::TokenBucket::new(cfg.frames_per_sec, cfg.burst, now))
            .take(now)
    }
}

/// Stores a message as a hub `send` does, over a connection or over REST (the caller checked
/// that the two are friends and took a frame from the sender's budget): checks the text, hands
/// it to the writer (per-person cap, ids in storing order, live delivery to the recipient's
/// connections and the sender's others but `origin`, here and across instances) and answers
/// its id and time (Unix seconds).
pub async fn send_message(
    state: &HubState,
    msg: crate::store::messages::NewMessage,
    origin: u64,
) -> Result<(i64, i64), protocol::HubError> {
    use protocol::HubError;
    protocol::check_text(&msg.text)?;
    state.hub.ensure_writer(state);
    let (reply, answer) = tokio::sync::oneshot::channel();
    let cmd = Cmd::Send(writer::SendCmd { msg, origin, reply });
    if state.hub.submit(cmd).await {
        answer.await.unwrap_or(Err(HubError::Server))
    } else {
        Err(HubError::Server)
    }
}

/// One open connection's place in the hub's count.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What the hub needs of the provider: an axum `FromRef` sub-state of
/// [`crate::state::AppState`], so the hub does not know the whole state. Cheap to clone.
#[derive(Clone, Debug)]
pub struct HubState {
    /// The hub itself.
    pub hub: Arc<Hub>,
    /// The database.
    pub db: Arc<Db>,
    /// The clock.
    pub clock: Arc<Clock>,
    /// The issuer (for picture URLs).
    pub issuer: Arc<str>,
    /// Access-token validation.
    pub tokens: Tokens,
}

/// The hub's routes, for any router state the [`HubState`] can be taken from.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    HubState: FromRef<S>,
{
    Router::new()
        .route("/v1/hub", get(upgrade))
        .route(
            "/v1/me/presence",
            get(rest::presence).put(rest::set_presence),
        )
        .route("/v1/me/conversations", get(rest::conversations))
        .route(
            "/v1/me/conversations/{friend_id}/messages",
            get(rest::history).post(rest::send),
        )
}

/// `GET /v1/hub`: the WebSocket upgrade. Authentication comes in the first frame, so a plain
/// page cannot open a connection on a visitor's behalf (no cookie is looked at). A request that
/// is no WebSocket upgrade gets the `/v1` JSON error (400 `request_parameter_invalid`), as the
/// OpenAPI document says, not axum's plain-text rejection.
async fn upgrade(
    State(state): State<HubState>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => {
            // The `/v1` error shape (`crate::api::error`, which the hub may not import).
            let message = format!(
                "Upgrade: /v1/hub takes only a WebSocket upgrade request: {}",
                rejection.body_text()
            );
            return (
                axum::http::StatusCode::BAD_REQUEST,
                [(axum::http::header::CACHE_CONTROL, "no-store")],
                axum::Json(serde_json::json!({
                    "error": { "code": "request_parameter_invalid", "message": message }
                })),
            )
                .into_response();
        }
    };
    state.hub.ensure_writer(&state);
    let limit = state.hub.config().hard_frame_limit;
    ws.max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| conn::run(state, socket))
}

#[cfg(test)]
mod tests {
    use super::HubConfig;

    /// docs/messenger.md and docs/deploy.md state the offline grace a site gets by default.
    #[test]
    fn the_docs_state_the_default_offline_grace() {
        let grace = HubConfig::default().offline_grace;
        let secs = format!("for {} s", grace.as_secs());
        let ms = format!("default {}", grace.as_millis());
        let messenger = include_str!("../../../docs/messenger.md");
        let deploy = include_str!("../../../docs/deploy.md");
        assert!(messenger.contains(&secs), "docs/messenger.md: {secs}");
        assert!(deploy.contains(&ms), "docs/deploy.md: {ms}");
    }
}
