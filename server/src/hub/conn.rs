//! One hub connection: waits for `hello`, then serves frames both ways until the client goes,
//! is found dead by the heartbeat, or breaks a rule that closes it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket};
use futures_util::SinkExt;
use tokio::sync::{Notify, mpsc};

use super::HubConfig;
use super::HubState;
use super::protocol::{self, ClientFrame, HubError, Message, close};
use super::rate::TokenBucket;
use super::registry::{ConnHandle, Out, SharedBucket};
use super::writer::{Cmd, DeliveredCmd};
use crate::error::AppError;
use crate::store::messages::{self as store, NewMessage};

/// How long the hub waits for the client's half of the closing handshake.
const CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The most queued frames written before one flush.
const BATCH: usize = 64;

/// How a connection ends.
enum End {
    /// The client went (or the socket failed): nothing more to send.
    Gone,
    /// The client closed saying its person signed out ([`close::SIGNED_OUT`]).
    SignedOut,
    /// The hub closes it with this code and reason.
    Close(u16, &'static str),
}

impl End {
    /// Whether the person may be back in a moment (a page change, a reconnect the hub asked
    /// for), so friends get the offline grace. Not after a sign-out, a revoked or expired token
    /// (4401), or a connection found dead (4408): friends see them offline at once.
    fn may_come_back(&self) -> bool {
        match self {
            End::Gone => true,
            End::SignedOut => false,
            End::Close(code, _) => !matches!(*code, close::UNAUTHORIZED | close::TIMEOUT),
        }
    }
}

/// The person behind an accepted `hello`; leaves the registry when dropped.
struct Session {
    state: HubState,
    person: String,
    friends: Arc<HashSet<String>>,
    token: String,
    conn_id: u64,
    /// The app whose page opened this connection (its token's client), and the friends
    /// written to on it so far: the first message to each starts a conversation
    /// (statistics, docs/statistics.md).
    app: String,
    started: HashSet<String>,
    /// The hub's offline grace when the connection opened.
    grace: std::time::Duration,
}

impl Drop for Session {
    /// Friends see the person as before for the grace (a page change), then as what is left;
    /// at once when the hub stops.
    fn drop(&mut self) {
        let hub = &self.state.hub;
        let runtime = tokio::runtime::Handle::try_current();
        match runtime {
            Ok(rt) if !self.grace.is_zero() && !*hub.stopping().borrow() => {
                hub.registry.linger(&self.person, self.conn_id);
                let (hub, person, id, grace) =
                    (hub.clone(), self.person.clone(), self.conn_id, self.grace);
                rt.spawn(async move {
                    tokio::time::sleep(grace).await;
                    hub.registry.expire(&person, id);
                });
            }
            _ => hub.registry.leave(&self.person, self.conn_id),
        }
    }
}

struct Conn {
    state: HubState,
    cfg: HubConfig,
    handle: ConnHandle,
    session: Option<Session>,
    /// The connection's own budget before `hello`, then the person's shared one.
    bucket: SharedBucket,
    refused: u32,
    last_heard: Instant,
    /// Queued messages with an id up to this were already sent by the resync.
    synced_last: i64,
}

/// Serves one upgraded WebSocket.
pub async fn run(state: HubState, mut socket: WebSocket) {
    let cfg = state.hub.config();
    let (tx, mut rx) = mpsc::channel(cfg.queue.max(1));
    let kill = Arc::new(Notify::new());
    let now = Instant::now();
    let mut conn = Conn {
        handle: ConnHandle {
            id: state.hub.next_conn_id(),
            tx,
            kill: kill.clone(),
            app: "".into(),
        },
        state,
        bucket: Arc::new(std::sync::Mutex::new(TokenBucket::new(
            cfg.frames_per_sec,
            cfg.burst,
            now,
        ))),
        cfg,
        session: None,
        refused: 0,
        last_heard: now,
        synced_last: 0,
    };
    let slot = conn.state.hub.take_slot(conn.cfg.max_conns);
    let end = if slot.is_some() {
        conn.serve(&mut socket, &mut rx, &kill).await
    } else {
        let e = HubError::HubFull;
        match send(&mut socket, e.frame(None)).await {
            Ok(()) => End::Close(close::HUB_FULL, e.code()),
            Err(end) => end,
        }
    };
    // Leave the registry before the close handshake (friends hear of it after the grace, or
    // at once when the person is gone for good).
    if let Some(s) = conn.session.as_mut()
        && !end.may_come_back()
    {
        s.grace = std::time::Duration::ZERO;
    }
    conn.session = None;
    if let End::Close(code, reason) = end {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        if socket.send(WsMessage::Close(Some(frame))).await.is_ok() {
            // The closing handshake: wait (briefly) for the client's Close, so the TCP close
            // does not reset the connection before the client has read our Close frame.
            let wait = async {
                while let Some(Ok(m)) = socket.recv().await {
                    if matches!(m, WsMessage::Close(_)) {
                        break;
                    }
                }
            };
            let _ = tokio::time::timeout(CLOSE_WAIT, wait).await;
        }
    }
}

async fn send(socket: &mut WebSocket, text: impl Into<Utf8Bytes>) -> Result<(), End> {
    socket
        .send(WsMessage::Text(text.into()))
        .await
        .map_err(|_| End::Gone)
}

impl Conn {
    async fn serve(
        &mut self,
        socket: &mut WebSocket,
        rx: &mut mpsc::Receiver<Out>,
        kill: &Notify,
    ) -> End {
        let started = Instant::now();
        let mut last_ping = started;
        let period = (self.cfg.ping_interval / 4).max(std::time::Duration::from_millis(5));
        let mut tick = tokio::time::interval(period);
        let mut stopping = self.state.hub.stopping();
        let mut resync = self.state.hub.resync();
        if *stopping.borrow_and_update() {
            return End::Close(close::GOING_AWAY, "the hub is stopping");
        }
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let step = tokio::select! {
                _ = kill.notified() => Err(End::Close(close::TOO_SLOW, "too many frames queued")),
                _ = stopping.changed() => Err(End::Close(close::GOING_AWAY, "the hub is stopping")),
                _ = resync.changed() => Err(End::Close(close::GOING_AWAY, "reconnect to resync")),
                incoming = socket.recv() => match incoming {
                    Some(Ok(msg)) => self.incoming(socket, msg).await,
                    Some(Err(e)) => Err(too_big(&e)),
                    None => Err(End::Gone),
                },
                Some(out) = rx.recv() => self.outgoing(socket, out, rx).await,
                _ = tick.tick() => {
                    let now = Instant::now();
                    if self.session.is_none() && now - started >= self.cfg.hello_timeout {
                        Err(End::Close(close::TIMEOUT, "no hello"))
                    } else if now - self.last_heard >= self.cfg.dead_after {
                        Err(End::Close(close::TIMEOUT, "no answer to heartbeats"))
                    } else if now - last_ping >= self.cfg.ping_interval {
                        last_ping = now;
                        self.heartbeat(socket).await
                    } else {
                        Ok(())
                    }
                }
            };
            if let Err(end) = step {
                return end;
            }
        }
    }

    /// Sends a ping and checks the token is still valid (revoked or expired: closed, 4401).
    async fn heartbeat(&mut self, socket: &mut WebSocket) -> Result<(), End> {
        socket
            .send(WsMessage::Ping(Default::default()))
            .await
            .map_err(|_| End::Gone)?;
        let Some(token) = self.session.as_ref().map(|s| s.token.clone()) else {
            return Ok(());
        };
        let valid = crate::identity::tokens::validate_access(&self.state.tokens, &token)
            .await
            .map(|_| ());
        match valid {
            Err(AppError::InvalidToken | AppError::ExpiredToken) => {
                self.refuse(socket, HubError::Unauthorized, None).await
            }
            _ => Ok(()),
        }
    }

    async fn incoming(&mut self, socket: &mut WebSocket, msg: WsMessage) -> Result<(), End> {
        self.last_heard = Instant::now();
        let (text, len) = match &msg {
            WsMessage::Text(t) => (Some(t.as_str()), t.len()),
            WsMessage::Binary(b) => (None, b.len()),
            WsMessage::Ping(_) | WsMessage::Pong(_) => return Ok(()),
            WsMessage::Close(Some(f)) if f.code == close::SIGNED_OUT => {
                return Err(End::SignedOut);
            }
            WsMessage::Close(_) => return Err(End::Gone),
        };
        let taken = match self.shared_budget().await {
            Some(taken) => taken,
            None => self
                .bucket
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take(Instant::now()),
        };
        if let Err(wait) = taken {
            self.refused += 1;
            if self.refused >= self.cfg.max_refused {
                return Err(End::Close(close::FLOOD, "too many refused frames"));
            }
            let retry_after_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
            return self
                .refuse(socket, HubError::RateLimited { retry_after_ms }, None)
                .await;
        }
        if len > self.cfg.soft_frame_limit {
            return self.refuse(socket, HubError::FrameTooLarge, None).await;
        }
        let Some(text) = text else {
            let e = HubError::BadFrame("binary frames are not served".into());
            return self.refuse(socket, e, None).await;
        };
        let frame = match protocol::parse(text) {
            Ok(f) => f,
            Err(e) => return self.refuse(socket, e, None).await,
        };
        self.frame(socket, frame).await
    }

    /// With a bus, after `hello`: one frame from the person's budget shared by every
    /// instance (`None`: no bus, or Redis did not answer: the local budget decides).
    async fn shared_budget(&self) -> Option<Result<(), std::time::Duration>> {
        let person = &self.session.as_ref()?.person;
        let bus = self.state.hub.bus();
        if !bus.shared() {
            return None;
        }
        bus.take_frame(person, self.cfg.frames_per_sec, self.cfg.burst)
            .await
    }

    async fn refuse(
        &mut self,
        socket: &mut WebSocket,
        e: HubError,
        client_id: Option<&str>,
    ) -> Result<(), End> {
        send(socket, e.frame(client_id)).await?;
        match e.close_code() {
            Some(code) => Err(End::Close(code, e.code())),
            None => Ok(()),
        }
    }

    /// The client's session was renewed (`token`): the connection goes on under the new token
    /// when it is `me`'s, from this connection's app, with `wl.messenger`. Anything else ends
    /// it as a bad `hello` would (4401, or 4403 without the scope): a token of another person or
    /// app must not inherit this connection.
    async fn renewed(
        &mut self,
        socket: &mut WebSocket,
        me: &str,
        token: String,
    ) -> Result<(), End> {
        let checked = messenger_token(&self.state, &token).await.and_then(|info| {
            let app = self.session.as_ref().map(|s| s.app.as_str());
            if info.person_id == me && Some(info.client_id.as_str()) == app {
                Ok(())
            } else {
                Err(HubError::Unauthorized)
            }
        });
        match checked {
            Ok(()) => {
                if let Some(s) = self.session.as_mut() {
                    s.token = token;
                }
                Ok(())
            }
            Err(e) => self.refuse(socket, e, None).await,
        }
    }

    async fn frame(&mut self, socket: &mut WebSocket, frame: ClientFrame) -> Result<(), End> {
        let Some(me) = self.session.as_ref().map(|s| s.person.clone()) else {
            return match frame {
                ClientFrame::Hello { v, token, since } => self.hello(socket, v, token, since).await,
                _ => self.refuse(socket, HubError::NotReady, None).await,
            };
        };
        match frame {
            ClientFrame::Hello { .. } => {
                let e = HubError::BadFrame("`hello` was already accepted".into());
                self.refuse(socket, e, None).await
            }
            ClientFrame::Ping => send(socket, protocol::pong()).await,
            ClientFrame::Token { token } => self.renewed(socket, &me, token).await,
            ClientFrame::Presence { status } => {
                self.state.hub.registry.set_status(&me, status);
                Ok(())
            }
            ClientFrame::Typing { to } => {
                if !self.is_friend(&to) {
                    return self.refuse(socket, HubError::NotFriends, None).await;
                }
                self.state.hub.push_everywhere(&to, protocol::typing(&me));
                Ok(())
            }
            ClientFrame::Send {
                to,
                text,
                client_id,
            } => self.send_message(socket, me, to, text, client_id).await,
            ClientFrame::History {
                with,
                before,
                limit,
            } => self.history(socket, me, with, before, limit).await,
        }
    }

    fn is_friend(&self, id: &str) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.friends.contains(id))
    }

    async fn send_message(
        &mut self,
        socket: &mut WebSocket,
        me: String,
        to: String,
        text: String,
        client_id: String,
    ) -> Result<(), End> {
        if !self.is_friend(&to) {
            return self
                .refuse(socket, HubError::NotFriends, Some(&client_id))
                .await;
        }
        let friend = to.clone();
        let msg = NewMessage {
            from: me,
            to,
            text,
            client_id: client_id.clone(),
        };
        let stored = super::send_message(&self.state, msg, self.handle.id).await;
        if stored.is_ok()
            && let Some(s) = self.session.as_mut()
            && s.started.insert(friend)
        {
            let now = self.state.clock.now();
            let metric = crate::stats::metric::CONVERSATIONS;
            self.state.tokens.stats.count(&s.app, metric, now);
        }
        match stored {
            Ok((id, at)) => send(socket, protocol::sent(&client_id, id, at)).await,
            Err(e) => self.refuse(socket, e, Some(&client_id)).await,
        }
    }

    async fn history(
        &mut self,
        socket: &mut WebSocket,
        me: String,
        with: String,
        before: Option<u64>,
        limit: Option<u32>,
    ) -> Result<(), End> {
        if !self.is_friend(&with) {
            return self.refuse(socket, HubError::NotFriends, None).await;
        }
        let before = before.map_or(i64::MAX, |b| i64::try_from(b).unwrap_or(i64::MAX));
        let limit = protocol::history_limit(limit);
        let found = match self.state.db.conn().await {
            Ok(mut c) => store::history(&mut c, &me, &with, before, limit).await,
            Err(e) => Err(e),
        };
        match found {
            Ok((messages, more)) => {
                send(socket, protocol::history(&me, &with, &messages, more)).await
            }
            _ => self.refuse(socket, HubError::Server, None).await,
        }
    }

    /// Writes what is queued (up to [`BATCH`] frames) with one flush; messages to this person
    /// are then reported delivered.
    async fn outgoing(
        &mut self,
        socket: &mut WebSocket,
        first: Out,
        rx: &mut mpsc::Receiver<Out>,
    ) -> Result<(), End> {
        let Some(me) = self.session.as_ref().map(|s| s.person.clone()) else {
            return Ok(());
        };
        let mut reached = Vec::new();
        let mut next = Some(first);
        let mut written = 0;
        while let Some(out) = next {
            let text = match out {
                Out::Frame(f) => Some(f),
                Out::Message(live) if live.msg.id <= self.synced_last => None,
                Out::Message(live) if live.msg.to == me => {
                    if live.first_delivery() {
                        reached.push(live.clone());
                    }
                    Some(live.to_recipient.clone())
                }
                Out::Message(live) => Some(live.to_sender.clone()),
            };
            if let Some(text) = text {
                socket
                    .feed(WsMessage::Text(text))
                    .await
                    .map_err(|_| End::Gone)?;
                written += 1;
            }
            next = if written < BATCH {
                rx.try_recv().ok()
            } else {
                None
            };
        }
        socket.flush().await.map_err(|_| End::Gone)?;
        let messages: Vec<&Message> = reached.iter().map(|l| &l.msg).collect();
        self.report_delivered(&messages).await;
        Ok(())
    }

    async fn report_delivered(&self, messages: &[impl AsRef<Message>]) {
        let list: Vec<DeliveredCmd> = messages
            .iter()
            .map(AsRef::as_ref)
            .map(|m| DeliveredCmd {
                id: m.id,
                from: m.from.clone(),
                to: m.to.clone(),
            })
            .collect();
        if !list.is_empty() {
            self.state.hub.submit(Cmd::Delivered(list)).await;
        }
    }

    async fn hello(
        &mut self,
        socket: &mut WebSocket,
        v: u64,
        token: Option<String>,
        since: Option<u64>,
    ) -> Result<(), End> {
        if v != protocol::VERSION {
            return self
                .refuse(socket, HubError::UnsupportedVersion, None)
                .await;
        }
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return self.refuse(socket, HubError::Unauthorized, None).await;
        };
        let loaded = load(&self.state, &token).await;
        let who = match loaded {
            Ok(w) => w,
            Err(e) => return self.refuse(socket, e, None).await,
        };
        let friends: Arc<HashSet<String>> =
            Arc::new(who.friends.iter().map(|f| f.id.clone()).collect());
        let registry = &self.state.hub.registry;
        let (per_sec, burst) = (self.cfg.frames_per_sec, self.cfg.burst);
        self.handle.app = who.app.as_str().into();
        super::remote::here_elsewhere(&self.state, &friends).await;
        let joined = match registry.join(
            &who.id,
            friends.clone(),
            who.hidden.iter().cloned().collect(),
            self.handle.clone(),
            self.cfg.max_conns_per_person,
            || TokenBucket::new(per_sec, burst, Instant::now()),
        ) {
            Ok(j) => j,
            Err(e) => return self.refuse(socket, e, None).await,
        };
        self.bucket = joined.bucket.clone();
        self.session = Some(Session {
            state: self.state.clone(),
            person: who.id.clone(),
            friends,
            token,
            conn_id: self.handle.id,
            app: who.app.clone(),
            started: HashSet::new(),
            grace: self.cfg.offline_grace,
        });
        let mut presence = joined.friends.clone();
        super::remote::friends_elsewhere(&self.state, &mut presence).await;
        let issuer = &self.state.issuer;
        let friends: Vec<protocol::Friend> = who
            .friends
            .iter()
            .map(|f| protocol::Friend {
                id: f.id.clone(),
                name: f.name.clone(),
                picture: format!("{issuer}/pictures/{}.svg", f.picture_key),
                presence: presence
                    .get(&f.id)
                    .copied()
                    .unwrap_or(protocol::Shown::Offline),
            })
            .collect();
        let welcome = protocol::welcome(&who.id, &who.name, joined.status, &friends, who.last_id);
        send(socket, welcome).await?;
        send(socket, protocol::here(&joined.here)).await?;
        self.resync(socket, who.id, who.last_id, since).await
    }

    /// After `welcome`: what the client missed, oldest first, then `synced`.
    async fn resync(
        &mut self,
        socket: &mut WebSocket,
        me: String,
        last_id: i64,
        since: Option<u64>,
    ) -> Result<(), End> {
        let since = since.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
        let backlog = backlog(&self.state, &me, since, last_id).await;
        let backlog = match backlog {
            Ok(b) => b,
            _ => return self.refuse(socket, HubError::Server, None).await,
        };
        let mut last = last_id.max(since.unwrap_or(0));
        let mut reached = Vec::new();
        for m in backlog {
            send(socket, m.json(&me).to_string()).await?;
            last = last.max(m.id);
            if m.to == me && !m.delivered {
                reached.push(m);
            }
        }
        self.synced_last = last;
        self.report_delivered(&reached).await;
        send(socket, protocol::synced(last)).await
    }
}

impl AsRef<Message> for Message {
    fn as_ref(&self) -> &Message {
        self
    }
}

/// The messages to send on joining: those after `since` (a resync), or everything
/// undelivered plus what was stored while the person joined (after `last_id`).
async fn backlog(
    state: &HubState,
    person: &str,
    since: Option<i64>,
    last_id: i64,
) -> Result<Vec<Message>, crate::store::DbError> {
    let mut c = state.db.conn().await?;
    match since {
        Some(s) => store::since(&mut c, person, s).await,
        None => {
            let mut list = store::undelivered(&mut c, person).await?;
            list.extend(store::since(&mut c, person, last_id).await?);
            list.sort_by_key(|m| m.id);
            list.dedup_by_key(|m| m.id);
            Ok(list)
        }
    }
}

/// Who a `hello` token stands for.
struct Who {
    app: String,
    /// The apps the person hides from friends ("here now").
    hidden: Vec<String>,
    id: String,
    name: String,
    friends: Vec<store::Friend>,
    last_id: i64,
}

/// What a live access token that grants `wl.messenger` says; `unauthorized` for one that is
/// missing, expired or revoked, `insufficient_scope` without the scope.
async fn messenger_token(
    state: &HubState,
    token: &str,
) -> Result<Arc<crate::identity::tokens::TokenInfo>, HubError> {
    let info = crate::identity::tokens::validate_access(&state.tokens, token)
        .await
        .map_err(|e| match e {
            AppError::InvalidToken | AppError::ExpiredToken => HubError::Unauthorized,
            _ => HubError::Server,
        })?;
    if !info.scopes.contains("wl.messenger") {
        return Err(HubError::InsufficientScope);
    }
    Ok(info)
}

async fn load(state: &HubState, token: &str) -> Result<Who, HubError> {
    let info = messenger_token(state, token).await?;
    let found = async {
        let mut c = state.db.conn().await?;
        let Some(person) = crate::identity::people::by_id(&mut c, &info.person_id).await? else {
            return Ok(None);
        };
        Ok::<_, crate::store::DbError>(Some(Who {
            app: info.client_id.clone(),
            hidden: crate::store::visibility::hidden_apps(&mut c, &person.id).await?,
            friends: store::friends(&mut c, &person.id).await?,
            last_id: store::last_id(&mut c, &person.id).await?,
            id: person.id,
            name: person.display_name,
        }))
    }
    .await;
    match found {
        Ok(Some(w)) => Ok(w),
        Ok(None) => Err(HubError::Unauthorized),
        Err(e) => {
            tracing::error!(error = %e, "hub: loading a person failed");
            Err(HubError::Server)
        }
    }
}

/// A read error: a frame over the hard limit closes with 1009, anything else means gone.
fn too_big(e: &axum::Error) -> End {
    let text = e.to_string();
    if text.contains("Space limit exceeded") {
        End::Close(close::TOO_BIG, "frame too large")
    } else {
        End::Gone
    }
}
