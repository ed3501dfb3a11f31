//! The bar's state and its reducer: hub frames and the person's actions in, UI state and
//! effects (frames to send, announcements) out.
//!
//! Pure: no browser, no clock (times are passed in as milliseconds), tested natively.

use crate::persist::{Persisted, SavedWindow};
use crate::protocol::{
    ClientFrame, MAX_TEXT_CHARS, Person, Presence, ServerFrame, WireMessage, close,
};

/// How long "is typing…" stays after the last `typing` frame, in ms.
pub const TYPING_SHOWN_MS: f64 = 6_000.0;
/// The least time between two `typing` frames we send to one friend, in ms.
pub const TYPING_SEND_EVERY_MS: f64 = 3_000.0;
/// How many messages a history request asks for.
pub const HISTORY_PAGE: u32 = 50;

/// Where one of our messages is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Sent to the hub, not yet stored.
    Pending,
    /// Stored by the hub (`sent`).
    Sent,
    /// Reached one of the friend's connections (`delivered`).
    Delivered,
    /// Refused by the hub, with its code.
    Failed(String),
    /// A message from the friend.
    Received,
}

/// One message in a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    /// The hub's id once stored.
    pub id: Option<u64>,
    /// Our id for a message we sent.
    pub client_id: Option<String>,
    /// Whether the signed-in person wrote it.
    pub mine: bool,
    /// Text (shown as text only).
    pub text: String,
    /// RFC 3339 time (empty while pending).
    pub at: String,
    /// Where it is.
    pub status: Status,
}

/// An open (possibly minimised) conversation window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conversation {
    /// The friend's id.
    pub with: String,
    /// Messages, oldest first.
    pub messages: Vec<Msg>,
    /// Messages from the friend not yet seen in an expanded window.
    pub unread: u32,
    /// Shown as a tab only.
    pub minimised: bool,
    /// Whether older messages remain on the hub.
    pub more: bool,
    /// Whether a history request is in flight.
    pub loading: bool,
    /// Until when (ms) "is typing…" shows.
    pub typing_until: Option<f64>,
    /// When (ms) we last sent `typing` to this friend.
    pub typing_sent_at: Option<f64>,
}

impl Conversation {
    fn new(with: &str, minimised: bool) -> Self {
        Conversation {
            with: with.into(),
            minimised,
            ..Default::default()
        }
    }

    /// Whether the friend is typing at `now`.
    pub fn is_typing(&self, now: f64) -> bool {
        self.typing_until.is_some_and(|t| t > now)
    }

    /// The oldest stored message id shown.
    pub fn oldest_id(&self) -> Option<u64> {
        self.messages.iter().filter_map(|m| m.id).min()
    }

    /// Merges a message: an existing id or our own pending `client_id` is updated in place,
    /// anything else is inserted in id order (pending messages stay last). Returns whether it
    /// was new.
    fn merge(&mut self, m: Msg) -> bool {
        if let Some(id) = m.id
            && let Some(old) = self.messages.iter_mut().find(|x| x.id == Some(id))
        {
            if old.status == Status::Pending {
                old.status = Status::Sent;
            }
            return false;
        }
        if let Some(cid) = &m.client_id
            && let Some(old) = self
                .messages
                .iter_mut()
                .find(|x| x.client_id.as_deref() == Some(cid))
        {
            old.id = m.id.or(old.id);
            if !m.at.is_empty() {
                old.at = m.at;
            }
            if matches!(old.status, Status::Pending | Status::Failed(_)) {
                old.status = m.status;
            }
            self.sort();
            return false;
        }
        self.messages.push(m);
        self.sort();
        true
    }

    fn sort(&mut self) {
        // Stable: pending (no id) keep their order after every stored message.
        self.messages.sort_by_key(|m| m.id.unwrap_or(u64::MAX));
    }
}

/// The hub connection as the bar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Link {
    /// Not signed in (or no hub).
    #[default]
    Idle,
    /// Opening the socket / waiting for `welcome`.
    Connecting,
    /// `welcome` received.
    Online,
    /// Lost; trying again after a delay.
    Reconnecting,
    /// The session lacks `wl.messenger` (or the hub said `insufficient_scope`).
    NeedsConsent,
    /// Gave up, with a stable code (`unauthorized`, `unsupported_version`, `no_hub`, …).
    Failed(String),
}

/// A friend as the bar shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Friend {
    /// Id.
    pub id: String,
    /// Display name (text only).
    pub name: String,
    /// Picture URL.
    pub picture: Option<String>,
    /// Presence (never `appear_offline`: friends see `offline`).
    pub presence: Presence,
}

impl From<Person> for Friend {
    fn from(p: Person) -> Self {
        let presence = if p.presence == Presence::AppearOffline {
            Presence::Offline
        } else {
            p.presence
        };
        Friend {
            id: p.id,
            name: p.name,
            picture: p.picture,
            presence,
        }
    }
}

/// What the DOM edge must do after a reducer step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send this frame to the hub.
    Send(ClientFrame),
    /// Announce a new message (aria-live): sender name and text.
    Announce {
        /// Who wrote it.
        from: String,
        /// What they wrote.
        text: String,
    },
    /// Move focus to this conversation's text box.
    FocusComposer(String),
    /// Move focus to this conversation's tab (after minimising).
    FocusTab(String),
    /// Move focus to the friends button (after closing a window).
    FocusFriends,
}

/// Why a message could not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// Nothing to send.
    #[error("the message is empty")]
    Empty,
    /// Over the hub's limit.
    #[error("the message is over {MAX_TEXT_CHARS} characters")]
    TooLong,
    /// Not connected to the hub.
    #[error("not connected")]
    Offline,
}

impl ComposeError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ComposeError::Empty => "message_empty",
            ComposeError::TooLong => "message_too_long",
            ComposeError::Offline => "not_connected",
        }
    }

    /// The human-readable message, as `Display` says it (without `core::fmt`, for the wasm).
    pub fn message(&self) -> &'static str {
        match self {
            ComposeError::Empty => "the message is empty",
            ComposeError::TooLong => "the message is over 2000 characters",
            ComposeError::Offline => "not connected",
        }
    }
}

/// Everything the bar shows while signed in.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// The signed-in person (after `welcome`).
    pub me: Option<Friend>,
    /// Own presence as chosen.
    pub presence: Presence,
    /// Friends, in `welcome` order.
    pub friends: Vec<Friend>,
    /// The friends online on this site now (the hub's last `here` frame).
    pub here: Vec<String>,
    /// Open conversation windows, in opening order.
    pub conversations: Vec<Conversation>,
    /// The largest message id seen (for `hello.since`).
    pub last_id: u64,
    /// The hub connection.
    pub link: Link,
    /// The friend search text.
    pub search: String,
    /// Prefix of our message client ids (random per page).
    pub client_prefix: String,
    /// Counter for client ids.
    pub next_client: u64,
    /// Presence the person chose on an earlier page (re-sent after `welcome`).
    wanted_presence: Option<Presence>,
    /// Case folding for search and sorting. Natively (and by default) Rust's Unicode
    /// `to_lowercase`; the browser edge passes JavaScript's `toLowerCase`, so the module does
    /// not carry Rust's Unicode case tables.
    pub fold: Option<fn(&str) -> String>,
}

impl State {
    /// A fresh state; `client_prefix` makes our message ids unique per page.
    pub fn new(client_prefix: &str) -> Self {
        State {
            client_prefix: client_prefix.into(),
            presence: Presence::Available,
            ..Default::default()
        }
    }

    /// Restores windows, `last_id` and the chosen presence saved by an earlier page.
    pub fn restore(&mut self, p: &Persisted) {
        self.last_id = self.last_id.max(p.last_id);
        self.wanted_presence = p.presence.as_deref().and_then(Presence::parse);
        for w in &p.windows {
            if self.conversation(&w.with).is_none() {
                let mut c = Conversation::new(&w.with, w.minimised);
                c.unread = w.unread;
                self.conversations.push(c);
            }
        }
    }

    /// What to save for the next page of the site.
    pub fn persisted(&self) -> Persisted {
        Persisted {
            v: 1,
            who: None,
            last_id: self.last_id,
            presence: Some(self.presence.as_str().into()),
            windows: self
                .conversations
                .iter()
                .map(|c| SavedWindow {
                    with: c.with.clone(),
                    minimised: c.minimised,
                    unread: c.unread,
                })
                .collect(),
        }
    }

    /// The `hello` frame for a (re)connection with `token`.
    pub fn hello(&mut self, token: &str) -> ClientFrame {
        self.link = Link::Connecting;
        ClientFrame::Hello {
            v: crate::protocol::VERSION,
            token: token.into(),
            since: (self.last_id > 0).then_some(self.last_id),
        }
    }

    /// A conversation by friend id.
    pub fn conversation(&self, with: &str) -> Option<&Conversation> {
        self.conversations.iter().find(|c| c.with == with)
    }

    fn conversation_mut(&mut self, with: &str) -> Option<&mut Conversation> {
        self.conversations.iter_mut().find(|c| c.with == with)
    }

    /// A friend by id.
    pub fn friend(&self, id: &str) -> Option<&Friend> {
        self.friends.iter().find(|f| f.id == id)
    }

    /// A friend's display name, or the id when unknown.
    pub fn name_of(&self, id: &str) -> String {
        self.friend(id)
            .map(|f| f.name.clone())
            .or_else(|| {
                self.me
                    .as_ref()
                    .filter(|m| m.id == id)
                    .map(|m| m.name.clone())
            })
            .unwrap_or_else(|| id.into())
    }

    /// Unread messages over every conversation.
    pub fn total_unread(&self) -> u32 {
        self.conversations.iter().map(|c| c.unread).sum()
    }

    /// Friends matching the search who are online on this site now ("Here now"), sorted by
    /// name. [`State::groups`] leaves them out of its online group.
    pub fn here_now(&self) -> Vec<&Friend> {
        self.groups_with_here().0
    }

    /// Friends matching the search, split into (online, offline), each sorted by name; the
    /// online group leaves out those under "Here now" ([`State::here_now`]).
    pub fn groups(&self) -> (Vec<&Friend>, Vec<&Friend>) {
        let (_, on, off) = self.groups_with_here();
        (on, off)
    }

    /// The three groups (here now, online elsewhere, offline).
    pub fn groups_with_here(&self) -> (Vec<&Friend>, Vec<&Friend>, Vec<&Friend>) {
        let fold = self.fold.unwrap_or(fold_default);
        let q = fold(self.search.trim());
        let mut matching: Vec<(String, &Friend)> = self
            .friends
            .iter()
            .map(|f| (fold(&f.name), f))
            .filter(|(name, _)| contains(name, &q))
            .collect();
        matching.sort_by(|a, b| a.0.cmp(&b.0));
        let (on, off): (Vec<&Friend>, Vec<&Friend>) = matching
            .into_iter()
            .map(|(_, f)| f)
            .partition(|f| f.presence.is_online());
        let (here, on) = on.into_iter().partition(|f| self.here.contains(&f.id));
        (here, on, off)
    }

    /// Applies one hub frame at time `now` (ms).
    pub fn apply(&mut self, frame: ServerFrame, now: f64) -> Vec<Effect> {
        let mut fx = Vec::new();
        match frame {
            ServerFrame::Welcome { me, friends, .. } => {
                self.link = Link::Online;
                let me = Friend::from(me.clone());
                self.presence = if me.presence == Presence::Offline {
                    Presence::AppearOffline
                } else {
                    me.presence
                };
                self.me = Some(me);
                self.friends = friends.into_iter().map(Friend::from).collect();
                // The hub's `here` frame follows.
                self.here.clear();
                let known: Vec<String> = self.friends.iter().map(|f| f.id.clone()).collect();
                self.conversations.retain(|c| known.contains(&c.with));
                if let Some(p) = self.wanted_presence.take()
                    && p != self.presence
                {
                    self.presence = p;
                    fx.push(Effect::Send(ClientFrame::Presence { status: p }));
                }
                let ids: Vec<String> = self
                    .conversations
                    .iter()
                    .filter(|c| c.messages.is_empty())
                    .map(|c| c.with.clone())
                    .collect();
                for with in ids {
                    fx.extend(self.request_history(&with));
                }
            }
            ServerFrame::Message(m) => self.incoming(m, &mut fx),
            ServerFrame::Sent { client_id, id, at } => {
                self.last_id = self.last_id.max(id);
                for c in &mut self.conversations {
                    if let Some(m) = c
                        .messages
                        .iter_mut()
                        .find(|m| m.client_id.as_deref() == Some(client_id.as_str()))
                    {
                        m.id = Some(id);
                        m.at = at.clone();
                        if m.status == Status::Pending {
                            m.status = Status::Sent;
                        }
                        c.sort();
                        break;
                    }
                }
            }
            ServerFrame::Delivered { id, .. } => {
                for c in &mut self.conversations {
                    if let Some(m) = c.messages.iter_mut().find(|m| m.id == Some(id)) {
                        m.status = Status::Delivered;
                    }
                }
            }
            ServerFrame::Synced { last_id } => {
                self.last_id = self.last_id.max(last_id);
            }
            ServerFrame::Presence { id, status } => {
                if let Some(f) = self.friends.iter_mut().find(|f| f.id == id) {
                    f.presence = if status == Presence::AppearOffline {
                        Presence::Offline
                    } else {
                        status
                    };
                }
            }
            ServerFrame::Here { friends } => self.here = friends,
            ServerFrame::Typing { from } => {
                if let Some(c) = self.conversation_mut(&from) {
                    c.typing_until = Some(now + TYPING_SHOWN_MS);
                }
            }
            ServerFrame::History {
                with,
                messages,
                more,
            } => {
                let me = self.me.as_ref().map(|m| m.id.clone()).unwrap_or_default();
                if let Some(c) = self.conversation_mut(&with) {
                    c.loading = false;
                    c.more = more;
                    for m in messages {
                        let mine = m.from == me;
                        c.merge(Msg::from_wire(m, mine));
                    }
                }
            }
            ServerFrame::Error {
                code, client_id, ..
            } => {
                if let Some(cid) = client_id {
                    for c in &mut self.conversations {
                        if let Some(m) = c
                            .messages
                            .iter_mut()
                            .find(|m| m.client_id.as_deref() == Some(cid.as_str()))
                        {
                            m.status = Status::Failed(code.clone());
                        }
                    }
                } else if code == "insufficient_scope" {
                    self.link = Link::NeedsConsent;
                } else if matches!(code.as_str(), "unauthorized" | "unsupported_version") {
                    self.link = Link::Failed(code);
                }
            }
            ServerFrame::Pong | ServerFrame::Unknown => {}
        }
        fx
    }

    fn incoming(&mut self, m: WireMessage, fx: &mut Vec<Effect>) {
        let me = self.me.as_ref().map(|p| p.id.clone()).unwrap_or_default();
        let mine = m.from == me;
        let with = if mine { m.to.clone() } else { m.from.clone() };
        let is_new = m.id > self.last_id;
        self.last_id = self.last_id.max(m.id);
        if self.friend(&with).is_none() {
            return;
        }
        if self.conversation(&with).is_none() {
            // A message opens its conversation as a tab with an unread count.
            self.conversations.push(Conversation::new(&with, true));
            if !mine {
                fx.extend(self.request_history(&with));
            }
        }
        let text = m.text.clone();
        let Some(c) = self.conversation_mut(&with) else {
            return;
        };
        let added = c.merge(Msg::from_wire(m, mine));
        if !mine && added {
            c.typing_until = None;
            if is_new {
                if c.minimised {
                    c.unread += 1;
                }
                let from = self.name_of(&with);
                fx.push(Effect::Announce { from, text });
            }
        }
    }

    fn request_history(&mut self, with: &str) -> Vec<Effect> {
        let Some(c) = self.conversation_mut(with) else {
            return Vec::new();
        };
        if c.loading {
            return Vec::new();
        }
        c.loading = true;
        let before = c.oldest_id();
        vec![Effect::Send(ClientFrame::History {
            with: with.into(),
            before,
            limit: Some(HISTORY_PAGE),
        })]
    }

    /// Opens (or expands) the conversation with `with`: unread cleared, focus to its text box,
    /// history asked for when none is loaded yet.
    pub fn open(&mut self, with: &str) -> Vec<Effect> {
        let mut fx = Vec::new();
        if self.friend(with).is_none() {
            return fx;
        }
        if self.conversation(with).is_none() {
            self.conversations.push(Conversation::new(with, false));
        }
        let online = self.link == Link::Online;
        if let Some(c) = self.conversation_mut(with) {
            c.minimised = false;
            c.unread = 0;
            if online && c.messages.is_empty() && !c.loading {
                fx.extend(self.request_history(with));
            }
        }
        fx.push(Effect::FocusComposer(with.into()));
        fx
    }

    /// Asks for older messages of one conversation.
    pub fn load_more(&mut self, with: &str) -> Vec<Effect> {
        if self.link != Link::Online {
            return Vec::new();
        }
        self.request_history(with)
    }

    /// Minimises a window to its tab.
    pub fn minimise(&mut self, with: &str) -> Vec<Effect> {
        match self.conversation_mut(with) {
            Some(c) => {
                c.minimised = true;
                vec![Effect::FocusTab(with.into())]
            }
            None => Vec::new(),
        }
    }

    /// Closes a window.
    pub fn close(&mut self, with: &str) -> Vec<Effect> {
        self.conversations.retain(|c| c.with != with);
        vec![Effect::FocusFriends]
    }

    /// Chooses own presence.
    pub fn set_presence(&mut self, p: Presence) -> Vec<Effect> {
        self.presence = p;
        if self.link == Link::Online {
            vec![Effect::Send(ClientFrame::Presence { status: p })]
        } else {
            self.wanted_presence = Some(p);
            Vec::new()
        }
    }

    /// The person typed in a window at `now`: a `typing` frame at most every few seconds.
    pub fn typed(&mut self, with: &str, now: f64) -> Vec<Effect> {
        let online = self.link == Link::Online;
        match self.conversation_mut(with) {
            Some(c)
                if online
                    && c.typing_sent_at
                        .is_none_or(|t| now - t >= TYPING_SEND_EVERY_MS) =>
            {
                c.typing_sent_at = Some(now);
                vec![Effect::Send(ClientFrame::Typing { to: with.into() })]
            }
            _ => Vec::new(),
        }
    }

    /// Checks a message to send: trimmed, not empty, within the limit, and connected.
    pub fn compose_check(&self, text: &str) -> Result<String, ComposeError> {
        let text = text.trim();
        // As the hub's rule (docs/messenger.md): nothing but white space and control characters.
        if text
            .chars()
            .all(|c| c.is_whitespace() || c.is_control() || c == '\u{feff}')
        {
            return Err(ComposeError::Empty);
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(ComposeError::TooLong);
        }
        if self.link != Link::Online {
            return Err(ComposeError::Offline);
        }
        Ok(text.into())
    }

    /// The `send` frame for `text` to `to`, with the next client id (no window: for a
    /// recipient the reducer does not know, whom the hub refuses with `not_friends`).
    pub fn send_frame(&mut self, to: &str, text: &str) -> ClientFrame {
        self.next_client += 1;
        let client_id = [
            self.client_prefix.as_str(),
            "-",
            &crate::i18n::decimal(self.next_client),
        ]
        .concat();
        ClientFrame::Send {
            to: to.into(),
            text: text.into(),
            client_id,
        }
    }

    /// Sends `text` to `with`: a pending message in the window and the `send` frame.
    pub fn compose(&mut self, with: &str, text: &str) -> Result<Vec<Effect>, ComposeError> {
        let text = self.compose_check(text)?;
        if self.friend(with).is_none() {
            return Err(ComposeError::Offline);
        }
        let frame = self.send_frame(with, &text);
        let ClientFrame::Send { client_id, .. } = &frame else {
            return Ok(Vec::new());
        };
        if self.conversation(with).is_none() {
            self.conversations.push(Conversation::new(with, true));
        }
        if let Some(c) = self.conversation_mut(with) {
            c.typing_sent_at = None;
            c.merge(Msg {
                id: None,
                client_id: Some(client_id.clone()),
                mine: true,
                text,
                at: String::new(),
                status: Status::Pending,
            });
        }
        Ok(vec![Effect::Send(frame)])
    }

    /// The connection was lost (not by us): pending messages stay pending, typing clears.
    pub fn disconnected(&mut self) {
        if self.link == Link::Online || self.link == Link::Connecting {
            self.link = Link::Reconnecting;
        }
        for c in &mut self.conversations {
            c.typing_until = None;
            c.loading = false;
        }
    }

    /// The hub closed the connection with a WebSocket close code: what to do next.
    pub fn closed_with(&mut self, code: u16) -> Reconnect {
        let fatal = match code {
            close::UNSUPPORTED_VERSION => Some("unsupported_version"),
            close::UNAUTHORIZED => Some("unauthorized"),
            close::INSUFFICIENT_SCOPE => None,
            _ => {
                self.disconnected();
                return Reconnect::Later;
            }
        };
        self.disconnected();
        match fatal {
            Some(code) => self.link = Link::Failed(code.into()),
            None => self.link = Link::NeedsConsent,
        }
        Reconnect::No
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn fold_default(s: &str) -> String {
    s.to_lowercase()
}

#[cfg(target_arch = "wasm32")]
fn fold_default(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// Whether to reconnect after a close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconnect {
    /// After the backoff delay.
    Later,
    /// Not until something changes (sign-in, consent).
    No,
}

impl Msg {
    fn from_wire(m: WireMessage, mine: bool) -> Self {
        Msg {
            id: Some(m.id),
            client_id: m.client_id,
            mine,
            text: m.text,
            at: m.at,
            status: if mine { Status::Sent } else { Status::Received },
        }
    }
}

/// Text split into plain runs and `http(s)` links (a link is shown as a real `<a>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Plain text.
    Text(String),
    /// An `http://` or `https://` URL.
    Link(String),
}

/// Splits message text into plain text and links; only `http(s)://` words become links.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut plain = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            plain.push(' ');
        }
        // Whitespace other than spaces (newlines) stays inside words; split those too.
        let mut first = true;
        for line in word.split('\n') {
            if !first {
                plain.push('\n');
            }
            first = false;
            let is_link = (line.starts_with("http://") || line.starts_with("https://"))
                && line.len() > "https://".len();
            if is_link {
                if !plain.is_empty() {
                    out.push(Segment::Text(std::mem::take(&mut plain)));
                }
                out.push(Segment::Link(line.into()));
            } else {
                plain.push_str(line);
            }
        }
    }
    if !plain.is_empty() {
        out.push(Segment::Text(plain));
    }
    out
}

/// Whether `needle` is in `hay` (empty: always), compared bytewise: UTF-8 is self-synchronising,
/// so this is `str::contains`, without the string searcher that links `core::fmt`.
fn contains(hay: &str, needle: &str) -> bool {
    needle.is_empty()
        || hay
            .as_bytes()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
}

/// The chat message sharing `link` with an optional note, within the hub's length limit.
pub fn share_text(link: &str, message: &str) -> String {
    let message = message.trim();
    if message.is_empty() {
        return link.chars().take(MAX_TEXT_CHARS).collect();
    }
    let room = MAX_TEXT_CHARS.saturating_sub(link.chars().count() + 1);
    let note: String = message.chars().take(room).collect();
    if note.is_empty() {
        link.chars().take(MAX_TEXT_CHARS).collect()
    } else {
        [note.as_str(), "\n", link].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::parse;

    fn welcome(s: &mut State) -> Vec<Effect> {
        s.apply(
            parse(
                r#"{"type":"welcome","v":1,"me":{"id":"a","name":"Alice","presence":"available"},
                "friends":[{"id":"b","name":"Bob","presence":"available"},
                           {"id":"c","name":"<img src=x onerror=alert(1)>","presence":"offline"},
                           {"id":"d","name":"Dora","presence":"away"}],"last_id":0}"#,
            )
            .unwrap(),
            0.0,
        )
    }

    fn msg(id: u64, from: &str, to: &str, text: &str) -> ServerFrame {
        ServerFrame::Message(WireMessage {
            id,
            from: from.into(),
            to: to.into(),
            text: text.into(),
            at: "2026-11-23T14:00:00Z".into(),
            client_id: None,
        })
    }

    fn online() -> State {
        let mut s = State::new("p");
        welcome(&mut s);
        s
    }

    #[test]
    fn welcome_goes_online_and_groups_friends() {
        let s = online();
        assert_eq!(s.link, Link::Online);
        let (on, off) = s.groups();
        let names = |v: &[&Friend]| v.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&on), ["Bob", "Dora"]);
        assert_eq!(names(&off), ["<img src=x onerror=alert(1)>"]);
    }

    #[test]
    fn here_frames_make_the_here_now_group() {
        let mut s = online();
        assert!(s.here_now().is_empty());
        s.apply(
            ServerFrame::Here {
                friends: vec!["d".into(), "b".into(), "stranger".into()],
            },
            0.0,
        );
        let names = |v: &[&Friend]| v.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        // Sorted by name; ids that are not friends are ignored; not repeated under Online.
        assert_eq!(names(&s.here_now()), ["Bob", "Dora"]);
        assert!(s.groups().0.is_empty());
        // The search applies to it too.
        s.search = "bo".into();
        assert_eq!(names(&s.here_now()), ["Bob"]);
        s.search.clear();
        // A friend who goes offline leaves it even before the next `here`.
        s.apply(
            ServerFrame::Presence {
                id: "b".into(),
                status: Presence::Offline,
            },
            0.0,
        );
        assert_eq!(names(&s.here_now()), ["Dora"]);
        // The whole list is replaced by each frame.
        s.apply(ServerFrame::Here { friends: vec![] }, 0.0);
        assert!(s.here_now().is_empty());
        assert_eq!(names(&s.groups().0), ["Dora"]);
        // A new welcome forgets it until the hub's next `here`.
        s.apply(
            ServerFrame::Here {
                friends: vec!["d".into()],
            },
            0.0,
        );
        let welcome = parse(
            r#"{"type":"welcome","v":1,"me":{"id":"a","name":"A","presence":"available"},"friends":[{"id":"d","name":"Dora","presence":"away"}],"last_id":0}"#,
        )
        .unwrap();
        s.apply(welcome, 0.0);
        assert!(s.here_now().is_empty());
        assert_eq!(
            s.apply(parse(r#"{"type":"here","friends":["d"]}"#).unwrap(), 0.0),
            vec![]
        );
        assert_eq!(names(&s.here_now()), ["Dora"]);
    }

    #[test]
    fn search_filters_case_insensitively() {
        let mut s = online();
        s.search = "  dO ".into();
        let (on, off) = s.groups();
        assert_eq!(on.len(), 1);
        assert_eq!(on[0].name, "Dora");
        assert!(off.is_empty());
        s.search = "zzz".into();
        assert_eq!(s.groups(), (vec![], vec![]));
    }

    #[test]
    fn presence_frames_move_friends_between_groups() {
        let mut s = online();
        s.apply(
            ServerFrame::Presence {
                id: "b".into(),
                status: Presence::Busy,
            },
            0.0,
        );
        assert_eq!(s.friend("b").unwrap().presence, Presence::Busy);
        s.apply(
            ServerFrame::Presence {
                id: "b".into(),
                status: Presence::Offline,
            },
            0.0,
        );
        let (on, off) = s.groups();
        assert_eq!(on.len(), 1);
        assert_eq!(off.len(), 2);
    }

    #[test]
    fn an_incoming_message_opens_a_tab_with_an_unread_count_and_is_announced() {
        let mut s = online();
        let fx = s.apply(msg(5, "b", "a", "hello"), 0.0);
        let c = s.conversation("b").unwrap();
        assert!(c.minimised);
        assert_eq!(c.unread, 1);
        assert_eq!(c.messages[0].status, Status::Received);
        assert!(fx.contains(&Effect::Announce {
            from: "Bob".into(),
            text: "hello".into()
        }));
        // History for the rest of the conversation.
        assert!(
            fx.iter().any(
                |e| matches!(e, Effect::Send(ClientFrame::History { with, .. }) if with == "b")
            )
        );
        s.apply(msg(6, "b", "a", "again"), 0.0);
        assert_eq!(s.total_unread(), 2);
        assert_eq!(s.last_id, 6);
        // The same message again (resync) is neither counted nor announced.
        let fx = s.apply(msg(6, "b", "a", "again"), 0.0);
        assert!(fx.is_empty());
        assert_eq!(s.total_unread(), 2);
        // Opening clears it and focuses the text box.
        let fx = s.open("b");
        assert_eq!(s.total_unread(), 0);
        assert!(fx.contains(&Effect::FocusComposer("b".into())));
        // An expanded window does not count.
        s.apply(msg(7, "b", "a", "seen"), 0.0);
        assert_eq!(s.total_unread(), 0);
    }

    #[test]
    fn a_sent_message_goes_pending_sent_delivered() {
        let mut s = online();
        s.open("b");
        let fx = s.compose("b", "  hi bob ").unwrap();
        let Effect::Send(ClientFrame::Send {
            to,
            text,
            client_id,
        }) = &fx[0]
        else {
            panic!("{fx:?}")
        };
        assert_eq!(
            (to.as_str(), text.as_str(), client_id.as_str()),
            ("b", "hi bob", "p-1")
        );
        assert_eq!(
            s.conversation("b").unwrap().messages[0].status,
            Status::Pending
        );
        s.apply(
            ServerFrame::Sent {
                client_id: "p-1".into(),
                id: 10,
                at: "t".into(),
            },
            0.0,
        );
        let m = &s.conversation("b").unwrap().messages[0];
        assert_eq!((m.id, &m.status), (Some(10), &Status::Sent));
        // The echo of our own message (other connection) does not duplicate it.
        let mut echo = WireMessage {
            id: 10,
            from: "a".into(),
            to: "b".into(),
            text: "hi bob".into(),
            at: "t".into(),
            client_id: Some("p-1".into()),
        };
        s.apply(ServerFrame::Message(echo.clone()), 0.0);
        echo.client_id = None;
        s.apply(ServerFrame::Message(echo), 0.0);
        assert_eq!(s.conversation("b").unwrap().messages.len(), 1);
        s.apply(
            ServerFrame::Delivered {
                id: 10,
                to: "b".into(),
            },
            0.0,
        );
        assert_eq!(
            s.conversation("b").unwrap().messages[0].status,
            Status::Delivered
        );
        assert_eq!(s.last_id, 10);
    }

    #[test]
    fn compose_refuses_empty_long_and_offline() {
        let mut s = online();
        assert_eq!(s.compose("b", "   "), Err(ComposeError::Empty));
        assert_eq!(s.compose("b", "\r\u{1}\u{feff}"), Err(ComposeError::Empty));
        assert_eq!(
            s.compose("b", &"x".repeat(2001)),
            Err(ComposeError::TooLong)
        );
        assert!(s.compose("b", &"é".repeat(2000)).is_ok());
        s.disconnected();
        assert_eq!(s.compose("b", "hi"), Err(ComposeError::Offline));
        assert_eq!(ComposeError::Offline.code(), "not_connected");
    }

    #[test]
    fn a_refused_send_is_marked_failed_with_its_code() {
        let mut s = online();
        s.compose("b", "hi").unwrap();
        s.apply(
            parse(r#"{"type":"error","code":"rate_limited","message":"slow","client_id":"p-1","retry_after_ms":50}"#)
                .unwrap(),
            0.0,
        );
        assert_eq!(
            s.conversation("b").unwrap().messages[0].status,
            Status::Failed("rate_limited".into())
        );
    }

    #[test]
    fn history_merges_in_order_and_marks_mine() {
        let mut s = online();
        s.open("b");
        s.apply(msg(9, "b", "a", "newest"), 0.0);
        s.apply(
            ServerFrame::History {
                with: "b".into(),
                messages: vec![
                    WireMessage {
                        id: 3,
                        from: "a".into(),
                        to: "b".into(),
                        text: "first".into(),
                        at: String::new(),
                        client_id: None,
                    },
                    WireMessage {
                        id: 9,
                        from: "b".into(),
                        to: "a".into(),
                        text: "newest".into(),
                        at: String::new(),
                        client_id: None,
                    },
                ],
                more: true,
            },
            0.0,
        );
        let c = s.conversation("b").unwrap();
        let ids: Vec<_> = c.messages.iter().map(|m| m.id).collect();
        assert_eq!(ids, [Some(3), Some(9)]);
        assert!(c.messages[0].mine && !c.messages[1].mine);
        assert!(c.more && !c.loading);
        let fx = s.load_more("b");
        assert_eq!(
            fx,
            [Effect::Send(ClientFrame::History {
                with: "b".into(),
                before: Some(3),
                limit: Some(HISTORY_PAGE)
            })]
        );
        // A second click while loading asks nothing.
        assert!(s.load_more("b").is_empty());
    }

    #[test]
    fn typing_shows_for_a_while_and_is_throttled_when_sent() {
        let mut s = online();
        s.open("b");
        s.apply(ServerFrame::Typing { from: "b".into() }, 1_000.0);
        let c = s.conversation("b").unwrap();
        assert!(c.is_typing(2_000.0));
        assert!(!c.is_typing(1_000.0 + TYPING_SHOWN_MS));
        assert_eq!(s.typed("b", 0.0).len(), 1);
        assert!(s.typed("b", 1_000.0).is_empty());
        assert_eq!(s.typed("b", TYPING_SEND_EVERY_MS).len(), 1);
        // A message from the friend ends their typing.
        s.apply(ServerFrame::Typing { from: "b".into() }, 1_000.0);
        s.apply(msg(4, "b", "a", "done"), 1_500.0);
        assert!(!s.conversation("b").unwrap().is_typing(1_600.0));
    }

    #[test]
    fn windows_persist_and_restore_across_pages() {
        let mut s = online();
        s.open("b");
        s.open("d");
        s.minimise("d");
        s.apply(msg(12, "d", "a", "psst"), 0.0);
        s.set_presence(Presence::Busy);
        let saved = s.persisted();
        let text = saved.to_json();

        let mut next = State::new("q");
        next.restore(&crate::persist::Persisted::parse(&text).unwrap());
        assert_eq!(next.last_id, 12);
        assert_eq!(
            next.hello("tok"),
            ClientFrame::Hello {
                v: 1,
                token: "tok".into(),
                since: Some(12)
            }
        );
        let fx = welcome(&mut next);
        let withs: Vec<_> = next
            .conversations
            .iter()
            .map(|c| (c.with.as_str(), c.minimised, c.unread))
            .collect();
        assert_eq!(withs, [("b", false, 0), ("d", true, 1)]);
        // Chosen presence re-sent, history asked for both windows.
        assert!(fx.contains(&Effect::Send(ClientFrame::Presence {
            status: Presence::Busy
        })));
        let histories = fx
            .iter()
            .filter(|e| matches!(e, Effect::Send(ClientFrame::History { .. })))
            .count();
        assert_eq!(histories, 2);
        assert_eq!(next.presence, Presence::Busy);
    }

    #[test]
    fn windows_of_people_no_longer_friends_are_dropped() {
        let mut s = State::new("p");
        s.restore(&crate::persist::Persisted {
            v: 1,
            who: None,
            last_id: 0,
            presence: None,
            windows: vec![SavedWindow {
                with: "zed".into(),
                minimised: false,
                unread: 0,
            }],
        });
        welcome(&mut s);
        assert!(s.conversations.is_empty());
    }

    #[test]
    fn close_codes_decide_reconnection() {
        let mut s = online();
        assert_eq!(s.closed_with(1006), Reconnect::Later);
        assert_eq!(s.link, Link::Reconnecting);
        assert_eq!(s.closed_with(4403), Reconnect::No);
        assert_eq!(s.link, Link::NeedsConsent);
        assert_eq!(s.closed_with(4401), Reconnect::No);
        assert_eq!(s.link, Link::Failed("unauthorized".into()));
    }

    #[test]
    fn own_appear_offline_comes_back_from_welcome() {
        let mut s = State::new("p");
        s.apply(
            parse(r#"{"type":"welcome","v":1,"me":{"id":"a","name":"A","presence":"offline"},"friends":[],"last_id":3}"#)
                .unwrap(),
            0.0,
        );
        assert_eq!(s.presence, Presence::AppearOffline);
    }

    #[test]
    fn links_are_split_out_of_text() {
        assert_eq!(
            segments("see https://example.com/a?b=1 now"),
            [
                Segment::Text("see ".into()),
                Segment::Link("https://example.com/a?b=1".into()),
                Segment::Text(" now".into())
            ]
        );
        assert_eq!(
            segments("note\nhttp://x.test/"),
            [
                Segment::Text("note\n".into()),
                Segment::Link("http://x.test/".into())
            ]
        );
        assert_eq!(
            segments("javascript:alert(1) https://"),
            [Segment::Text("javascript:alert(1) https://".into())]
        );
    }

    #[test]
    fn contains_is_str_contains() {
        for (hay, needle) in [
            ("bob brown", "bro"),
            ("bob brown", ""),
            ("", ""),
            ("", "a"),
            ("émile", "mil"),
            ("émile", "é"),
            ("ab", "abc"),
            ("zoë", "ë"),
        ] {
            assert_eq!(
                contains(hay, needle),
                hay.contains(needle),
                "{hay} / {needle}"
            );
        }
    }

    #[test]
    fn compose_error_messages_are_their_display() {
        for e in [
            ComposeError::Empty,
            ComposeError::TooLong,
            ComposeError::Offline,
        ] {
            assert_eq!(e.message(), e.to_string());
        }
    }

    #[test]
    fn share_text_keeps_the_link_whole_within_the_limit() {
        assert_eq!(share_text("http://s/p", "  "), "http://s/p");
        assert_eq!(share_text("http://s/p", "look"), "look\nhttp://s/p");
        let long = share_text("http://s/p", &"x".repeat(5000));
        assert_eq!(long.chars().count(), MAX_TEXT_CHARS);
        assert!(long.ends_with("\nhttp://s/p"));
    }
}
