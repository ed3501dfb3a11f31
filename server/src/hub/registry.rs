//! Who is online: each person's open connections (a queue per connection), their chosen
//! presence, and their friends (for presence fan-out). One mutex, never held across an await:
//! every send into a queue is `try_send`.
//!
//! "Here now" (issue 16): each connection knows its token's app; a person is *here* for an
//! app while they show online and have a connection from that app they haven't hidden from
//! friends (the connected-apps page). Each connection of a friend from that app is sent a
//! `here` frame (the whole list) whenever it changes. With a bus, each instance tells the
//! others which apps its people are here for ([`Note::Here`]) and keeps theirs
//! ([`Registry::set_remote_here`]), so a friend on another instance is listed too.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{Notify, mpsc};

use super::protocol::{self, HubError, Message, Shown, Status};
use super::rate::TokenBucket;

/// One person's frame budget, shared by all their connections.
pub type SharedBucket = Arc<Mutex<TokenBucket>>;

/// What a connection's queue carries.
#[derive(Debug, Clone)]
pub enum Out {
    /// A ready frame (the same text for every receiver; cloning shares the bytes).
    Frame(Utf8Bytes),
    /// A newly stored message.
    Message(Arc<Live>),
}

/// A newly stored message on its way to connections: rendered once for the recipient's side
/// and once for the sender's (whose copies carry `client_id`), and reported delivered once.
#[derive(Debug)]
pub struct Live {
    /// The message.
    pub msg: Message,
    /// The frame for the recipient's connections.
    pub to_recipient: Utf8Bytes,
    /// The frame for the sender's other connections.
    pub to_sender: Utf8Bytes,
    reported: AtomicBool,
}

impl Live {
    /// Renders a stored message for both sides.
    pub fn new(msg: Message) -> Self {
        Self {
            to_recipient: msg.json(&msg.to).to_string().into(),
            to_sender: msg.json(&msg.from).to_string().into(),
            msg,
            reported: AtomicBool::new(false),
        }
    }

    /// True for the first caller only: that connection reports the delivery.
    pub fn first_delivery(&self) -> bool {
        !self.reported.swap(true, Ordering::AcqRel)
    }
}

/// One open connection, as the registry reaches it.
#[derive(Debug, Clone)]
pub struct ConnHandle {
    /// Unique per hub.
    pub id: u64,
    /// Its outgoing queue.
    pub tx: mpsc::Sender<Out>,
    /// Woken when the queue overflowed: the connection closes (the client is too slow).
    pub kill: Arc<Notify>,
    /// The app of the connection's token (set at `hello`).
    pub app: Arc<str>,
}

impl ConnHandle {
    fn offer(&self, out: Out) -> bool {
        match self.tx.try_send(out) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.kill.notify_one();
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

#[derive(Debug)]
struct Online {
    conns: Vec<ConnHandle>,
    /// Connections that closed less than the hub's offline grace ago (id, app): friends still
    /// see the person online, and here for these apps, until they expire or a new connection
    /// from the same app takes their place (a page change: see [`Registry::linger`]).
    leaving: Vec<(u64, Arc<str>)>,
    friends: Arc<HashSet<String>>,
    bucket: SharedBucket,
    /// The apps the person hides from friends.
    hidden: HashSet<String>,
}

#[derive(Debug, Default)]
struct Map {
    online: HashMap<String, Online>,
    /// Chosen statuses, kept while the hub runs (so a page change keeps "busy").
    chosen: HashMap<String, Status>,
    /// With a bus: the apps people are here for on other instances, by person, then instance.
    remote_here: HashMap<String, HashMap<String, HashSet<Arc<str>>>>,
}

/// What a person is here for, on this instance and on all, before a change.
struct HereBefore {
    all: HashSet<Arc<str>>,
    local: HashSet<Arc<str>>,
}

impl Map {
    fn shown(&self, person: &str) -> Shown {
        if self.online.contains_key(person) {
            self.chosen.get(person).copied().unwrap_or_default().shown()
        } else {
            Shown::Offline
        }
    }

    /// The apps `person` is here for on any instance.
    fn here_apps(&self, person: &str) -> HashSet<Arc<str>> {
        let mut apps = self.local_here_apps(person);
        if let Some(remote) = self.remote_here.get(person) {
            apps.extend(remote.values().flatten().cloned());
        }
        apps
    }

    fn here_before(&self, person: &str) -> HereBefore {
        HereBefore {
            all: self.here_apps(person),
            local: self.local_here_apps(person),
        }
    }

    /// The apps `person` is here for on this instance: none while they show offline, else
    /// their connections' apps they don't hide.
    fn local_here_apps(&self, person: &str) -> HashSet<Arc<str>> {
        match self.online.get(person) {
            Some(o) if self.shown(person) != Shown::Offline => o
                .conns
                .iter()
                .map(|c| &c.app)
                .chain(o.leaving.iter().map(|(_, app)| app))
                .filter(|app| !o.hidden.contains(&***app))
                .cloned()
                .collect(),
            _ => HashSet::new(),
        }
    }

    /// `viewer`'s friends here for `app`, sorted.
    fn here_for(&self, viewer: &str, app: &str) -> Vec<String> {
        let Some(o) = self.online.get(viewer) else {
            return Vec::new();
        };
        let mut list: Vec<String> = o
            .friends
            .iter()
            .filter(|f| self.here_apps(f).contains(app))
            .cloned()
            .collect();
        list.sort();
        list
    }

    /// After a change of `person` (who was here for `before`): each friend's connection from
    /// an app whose list changed gets its new `here` frame.
    fn fan_out_here(&self, person: &str, friends: &HashSet<String>, before: &HashSet<Arc<str>>) {
        let after = self.here_apps(person);
        let changed: HashSet<&Arc<str>> = before.symmetric_difference(&after).collect();
        if changed.is_empty() {
            return;
        }
        for f in friends {
            let Some(o) = self.online.get(f) else {
                continue;
            };
            let mut frames: HashMap<&str, Utf8Bytes> = HashMap::new();
            for c in o.conns.iter().filter(|c| changed.contains(&c.app)) {
                let frame = frames
                    .entry(&*c.app)
                    .or_insert_with(|| protocol::here(&self.here_for(f, &c.app)).into());
                c.offer(Out::Frame(frame.clone()));
            }
        }
    }

    fn fan_out_presence(&self, person: &str, friends: &HashSet<String>, shown: Shown) {
        let frame: Utf8Bytes = protocol::presence(person, shown).into();
        for f in friends {
            if let Some(o) = self.online.get(f) {
                for c in &o.conns {
                    c.offer(Out::Frame(frame.clone()));
                }
            }
        }
    }
}

/// What a new connection learns when it joins.
#[derive(Debug, Clone)]
pub struct Joined {
    /// The person's chosen status.
    pub status: Status,
    /// Each friend's presence, by id.
    pub friends: HashMap<String, Shown>,
    /// The friends here now for the connection's app (its first `here` frame).
    pub here: Vec<String>,
    /// The person's frame budget, shared by all their connections.
    pub bucket: SharedBucket,
}

/// A presence change of a person with connections here, for the hub's bus task (with a bus,
/// the registry hands changes there instead of telling local friends itself: whether a person
/// who left here is offline depends on the other instances).
#[derive(Debug, Clone)]
pub struct Change {
    /// Who.
    pub person: String,
    /// Their friends.
    pub friends: Arc<HashSet<String>>,
    /// What friends see of them here now.
    pub shown: Shown,
    /// Their newly chosen status (a `presence` frame), if that is the change.
    pub status: Option<Status>,
    /// They still have a connection here.
    pub here: bool,
    /// What friends see of them here changed (false: the same status chosen again).
    pub changed: bool,
}

/// What the registry hands the hub's bus task (with a bus).
#[derive(Debug, Clone)]
pub enum Note {
    /// A presence change (see [`Change`]).
    Presence(Change),
    /// The apps `person` is here for on this instance changed ("here now").
    Here {
        /// Who.
        person: String,
        /// The apps, now (empty: here for none).
        apps: Vec<String>,
        /// Their friends (whose connections hear it).
        friends: Arc<HashSet<String>>,
    },
}

/// The hub's connection registry.
#[derive(Debug, Default)]
pub struct Registry {
    map: Mutex<Map>,
    /// With a bus: where presence and "here now" changes go (see [`Note`]).
    remote: std::sync::OnceLock<mpsc::UnboundedSender<Note>>,
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, Map> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a connection of `person` (who hides `hidden` apps from friends); the first one
    /// makes them visible to online friends and creates the person's frame budget (`bucket`).
    /// A person with `max_conns` connections already is refused
    /// ([`HubError::TooManyConnections`]) and nothing changes.
    pub fn join(
        &self,
        person: &str,
        friends: Arc<HashSet<String>>,
        hidden: HashSet<String>,
        conn: ConnHandle,
        max_conns: usize,
        bucket: impl FnOnce() -> TokenBucket,
    ) -> Result<Joined, HubError> {
        let mut map = self.lock();
        if map
            .online
            .get(person)
            .is_some_and(|o| o.conns.len() >= max_conns)
        {
            return Err(HubError::TooManyConnections(max_conns));
        }
        let before = map.shown(person);
        let here_before = map.here_before(person);
        let app = conn.app.clone();
        let online = map
            .online
            .entry(person.to_owned())
            .and_modify(|o| {
                o.friends = friends.clone();
                o.hidden = hidden.clone();
                // The page that closed this app's connection a moment ago is back (or the
                // next page of the same site): its place is taken.
                o.leaving.retain(|(_, a)| *a != app);
            })
            .or_insert_with(|| Online {
                conns: Vec::new(),
                leaving: Vec::new(),
                friends: friends.clone(),
                bucket: Arc::new(Mutex::new(bucket())),
                hidden,
            });
        online.conns.push(conn);
        let bucket = online.bucket.clone();
        let after = map.shown(person);
        if after != before {
            self.announce(&map, person, &friends, after, None, true);
        }
        self.here_changed(&map, person, &friends, &here_before);
        Ok(Joined {
            status: map.chosen.get(person).copied().unwrap_or_default(),
            friends: friends.iter().map(|f| (f.clone(), map.shown(f))).collect(),
            here: map.here_for(person, &app),
            bucket,
        })
    }

    /// How many connections `person` has open here (closed ones in their grace not counted); the
    /// tests' view, nothing in the hub asks it.
    #[cfg(test)]
    pub fn connections_of(&self, person: &str) -> usize {
        self.lock().online.get(person).map_or(0, |o| o.conns.len())
    }

    /// True while friends here hear of `person` from this registry: they have a connection
    /// here, open or closed within the grace.
    pub fn is_here(&self, person: &str) -> bool {
        self.lock().online.contains_key(person)
    }

    /// Removes a connection at once; when it was the person's last, friends see them go
    /// offline.
    pub fn leave(&self, person: &str, conn_id: u64) {
        self.linger(person, conn_id);
        self.expire(person, conn_id);
    }

    /// A connection closed, but friends keep seeing what they saw (online, here for its app)
    /// until [`Registry::expire`] or until a new connection of the person from the same app
    /// takes its place: a page change (the hub's offline grace) is not "offline then online"
    /// to friends. It gets no more frames.
    pub fn linger(&self, person: &str, conn_id: u64) {
        let mut map = self.lock();
        let Some(o) = map.online.get_mut(person) else {
            return;
        };
        if let Some(i) = o.conns.iter().position(|c| c.id == conn_id) {
            let gone = o.conns.remove(i);
            o.leaving.push((gone.id, gone.app));
        }
    }

    /// The grace of a closed connection ended: unless a new connection took its place, friends
    /// see what is left (offline when it was the person's last; no longer here for its app).
    pub fn expire(&self, person: &str, conn_id: u64) {
        let mut map = self.lock();
        let before = map.shown(person);
        let here_before = map.here_before(person);
        let Some(o) = map.online.get_mut(person) else {
            return;
        };
        let n = o.leaving.len();
        o.leaving.retain(|(id, _)| *id != conn_id);
        if o.leaving.len() == n {
            return;
        }
        let friends = o.friends.clone();
        if !o.conns.is_empty() || !o.leaving.is_empty() {
            self.here_changed(&map, person, &friends, &here_before);
            return;
        }
        map.online.remove(person);
        self.here_changed(&map, person, &friends, &here_before);
        if before != Shown::Offline {
            self.announce(&map, person, &friends, Shown::Offline, None, true);
        }
    }

    /// Sets the person's chosen status; friends hear of a visible change.
    pub fn set_status(&self, person: &str, status: Status) {
        let mut map = self.lock();
        let before = map.shown(person);
        let here_before = map.here_before(person);
        map.chosen.insert(person.to_owned(), status);
        let after = map.shown(person);
        let friends = map.online.get(person).map(|o| o.friends.clone());
        let shared = self.remote.get().is_some();
        if let (true, Some(friends)) = (after != before || shared, friends.clone()) {
            self.announce(&map, person, &friends, after, Some(status), after != before);
        }
        if let Some(friends) = friends {
            self.here_changed(&map, person, &friends, &here_before);
        }
    }

    /// `person` hides `app` from friends (or shows it again): friends' connections from that
    /// app hear of it at once when the person is online here.
    pub fn set_hidden(&self, person: &str, app: &str, hidden: bool) {
        let mut map = self.lock();
        let here_before = map.here_before(person);
        let Some(o) = map.online.get_mut(person) else {
            return;
        };
        if hidden {
            o.hidden.insert(app.to_owned());
        } else {
            o.hidden.remove(app);
        }
        let friends = o.friends.clone();
        self.here_changed(&map, person, &friends, &here_before);
    }

    /// After a change of `person`: friends' connections here hear of a changed "here now"
    /// list, and with a bus the other instances of a change in what `person` is here for on
    /// this one.
    fn here_changed(
        &self,
        map: &Map,
        person: &str,
        friends: &Arc<HashSet<String>>,
        before: &HereBefore,
    ) {
        map.fan_out_here(person, friends, &before.all);
        let Some(tx) = self.remote.get() else {
            return;
        };
        let local = map.local_here_apps(person);
        if local != before.local {
            let mut apps: Vec<String> = local.iter().map(|a| a.to_string()).collect();
            apps.sort();
            let _ = tx.send(Note::Here {
                person: person.to_owned(),
                apps,
                friends: friends.clone(),
            });
        }
    }

    /// What another instance says `person` is here for there (`apps` empty: for none, or the
    /// instance is gone); friends' connections here hear of a changed list.
    pub fn set_remote_here(
        &self,
        person: &str,
        instance: &str,
        apps: &[String],
        friends: &HashSet<String>,
    ) {
        let mut map = self.lock();
        let before = map.here_apps(person);
        if apps.is_empty() {
            if let Some(by_instance) = map.remote_here.get_mut(person) {
                by_instance.remove(instance);
                if by_instance.is_empty() {
                    map.remote_here.remove(person);
                }
            }
        } else {
            map.remote_here
                .entry(person.to_owned())
                .or_default()
                .insert(
                    instance.to_owned(),
                    apps.iter().map(|a| a.as_str().into()).collect(),
                );
        }
        map.fan_out_here(person, friends, &before);
    }

    /// Forgets what other instances said their people are here for (the bus was lost: what
    /// they published meanwhile never arrived; connections re-read it when they reconnect).
    pub fn forget_remote_here(&self) {
        self.lock().remote_here.clear();
    }

    /// Everyone here for some app on this instance, with the apps (sorted).
    pub fn visible_here(&self) -> Vec<(String, Vec<String>)> {
        let map = self.lock();
        map.online
            .keys()
            .filter_map(|p| {
                let mut apps: Vec<String> = map
                    .local_here_apps(p)
                    .iter()
                    .map(|a| a.to_string())
                    .collect();
                apps.sort();
                (!apps.is_empty()).then(|| (p.clone(), apps))
            })
            .collect()
    }

    /// Tells friends of a presence change: here at once (only when what they see `changed`),
    /// or through the bus task, which also carries a status chosen again.
    fn announce(
        &self,
        map: &Map,
        person: &str,
        friends: &Arc<HashSet<String>>,
        shown: Shown,
        status: Option<Status>,
        changed: bool,
    ) {
        match self.remote.get() {
            Some(tx) => {
                let _ = tx.send(Note::Presence(Change {
                    person: person.to_owned(),
                    friends: friends.clone(),
                    shown,
                    status,
                    here: map.online.contains_key(person),
                    changed,
                }));
            }
            None if changed => map.fan_out_presence(person, friends, shown),
            None => {}
        }
    }

    /// From now on presence changes go to the returned receiver (the hub's bus task), not
    /// straight to local friends, and so do changes of what people are here for. Only the
    /// first call gets a receiver.
    pub fn hand_changes_over(&self) -> Option<mpsc::UnboundedReceiver<Note>> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.remote.set(tx).ok().map(|()| rx)
    }

    /// Tells `person`'s friends with connections here that they show as `shown`.
    pub fn fan_out(&self, person: &str, friends: &HashSet<String>, shown: Shown) {
        self.lock().fan_out_presence(person, friends, shown);
    }

    /// Remembers a status `person` chose on another instance (its `presence` frames are the
    /// caller's to send); the one known before, if any. Their connections here follow it for "here now" (appearing offline is here for none).
    pub fn set_chosen(&self, person: &str, status: Status) -> Option<Status> {
        let mut map = self.lock();
        let here_before = map.here_before(person);
        let before = map.chosen.insert(person.to_owned(), status);
        if let Some(friends) = map.online.get(person).map(|o| o.friends.clone()) {
            self.here_changed(&map, person, &friends, &here_before);
        }
        before
    }

    /// The status `person` chose (the default, `available`, if none).
    pub fn chosen(&self, person: &str) -> Status {
        self.lock().chosen.get(person).copied().unwrap_or_default()
    }

    /// One frame from `person`'s budget when they are online here (shared by their
    /// connections); `None` when they have no connection here.
    pub fn take_frame(
        &self,
        person: &str,
        now: std::time::Instant,
    ) -> Option<Result<(), std::time::Duration>> {
        let bucket = self.lock().online.get(person)?.bucket.clone();
        let taken = bucket.lock().unwrap_or_else(|p| p.into_inner()).take(now);
        Some(taken)
    }

    /// What friends see of `person` here.
    pub fn shown(&self, person: &str) -> Shown {
        self.lock().shown(person)
    }

    /// Everyone with a connection here and what friends see of them.
    pub fn visible(&self) -> Vec<(String, Shown)> {
        let map = self.lock();
        map.online
            .keys()
            .map(|p| (p.clone(), map.shown(p)))
            .collect()
    }

    /// Offers `out` to every connection of `person` but `except`; how many took it.
    pub fn push(&self, person: &str, out: &Out, except: Option<u64>) -> usize {
        let map = self.lock();
        map.online.get(person).map_or(0, |o| {
            o.conns
                .iter()
                .filter(|c| Some(c.id) != except)
                .filter(|c| c.offer(out.clone()))
                .count()
        })
    }

    /// How many people are online.
    pub fn online_count(&self) -> usize {
        self.lock().online.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(id: u64) -> (ConnHandle, mpsc::Receiver<Out>) {
        let (tx, rx) = mpsc::channel(4);
        (
            ConnHandle {
                id,
                tx,
                kill: Arc::new(Notify::new()),
                app: "app".into(),
            },
            rx,
        )
    }

    /// The frames queued, but `here` frames (see [`here_frames`]).
    fn frames(rx: &mut mpsc::Receiver<Out>) -> Vec<String> {
        all_frames(rx)
            .into_iter()
            .filter(|f| !f.contains(r#""type":"here""#))
            .collect()
    }

    fn all_frames(rx: &mut mpsc::Receiver<Out>) -> Vec<String> {
        let mut v = Vec::new();
        while let Ok(Out::Frame(f)) = rx.try_recv() {
            v.push(f.to_string());
        }
        v
    }

    /// The `here` frames queued (the others dropped).
    fn here_frames(rx: &mut mpsc::Receiver<Out>) -> Vec<String> {
        all_frames(rx)
            .into_iter()
            .filter(|f| f.contains(r#""type":"here""#))
            .collect()
    }

    fn conn_of(id: u64, app: &str) -> (ConnHandle, mpsc::Receiver<Out>) {
        let (mut c, rx) = conn(id);
        c.app = app.into();
        (c, rx)
    }

    fn here(ids: &[&str]) -> String {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        protocol::here(&ids)
    }

    #[test]
    fn here_now_lists_friends_from_the_same_app_only() {
        let r = Registry::default();
        let (a, mut ra) = conn_of(1, "shop");
        let j = join(&r, "a", set(&["b", "c"]), a);
        assert!(j.here.is_empty());
        // b joins from another app: a sees b online, but not here.
        let (b, _rb) = conn_of(2, "news");
        join(&r, "b", set(&["a"]), b);
        assert!(here_frames(&mut ra).is_empty());
        // b opens the shop too: here.
        let (b2, _rb2) = conn_of(3, "shop");
        let j = join(&r, "b", set(&["a"]), b2);
        assert_eq!(j.here, vec!["a".to_owned()], "b's shop connection sees a");
        assert_eq!(here_frames(&mut ra), vec![here(&["b"])]);
        // c hides the shop before joining from it: never listed.
        let (_, _rc) = r_join_hidden(&r, "c", &["a"], &["shop"], 4, "shop");
        assert!(here_frames(&mut ra).is_empty());
        // c shows it again: listed; hides it: gone.
        r.set_hidden("c", "shop", false);
        assert_eq!(here_frames(&mut ra), vec![here(&["b", "c"])]);
        r.set_hidden("c", "shop", true);
        assert_eq!(here_frames(&mut ra), vec![here(&["b"])]);
        // b appears offline: not here; back: here.
        r.set_status("b", Status::AppearOffline);
        assert_eq!(here_frames(&mut ra), vec![here(&[])]);
        r.set_status("b", Status::Away);
        assert_eq!(here_frames(&mut ra), vec![here(&["b"])]);
        // b closes the shop tab but stays online on news: no longer here.
        r.leave("b", 3);
        assert_eq!(here_frames(&mut ra), vec![here(&[])]);
        assert_eq!(r.shown("b"), Shown::Away);
    }

    #[test]
    fn here_now_counts_friends_on_other_instances_and_tells_them_of_changes() {
        let r = Registry::default();
        let mut notes = r.hand_changes_over().unwrap();
        let (a, mut ra) = conn_of(1, "shop");
        join(&r, "a", set(&["b"]), a);
        // This instance tells the others that a is here for the shop.
        let here_notes = |notes: &mut mpsc::UnboundedReceiver<Note>| {
            let mut v = Vec::new();
            while let Ok(n) = notes.try_recv() {
                if let Note::Here { person, apps, .. } = n {
                    v.push((person, apps));
                }
            }
            v
        };
        assert_eq!(
            here_notes(&mut notes),
            vec![("a".to_owned(), vec!["shop".to_owned()])]
        );
        // b is here for the shop on instance i2, then also for news; a sees b once.
        r.set_remote_here("b", "i2", &["shop".into()], &set(&["a"]));
        assert_eq!(here_frames(&mut ra), vec![here(&["b"])]);
        r.set_remote_here("b", "i2", &["news".into(), "shop".into()], &set(&["a"]));
        assert!(
            here_frames(&mut ra).is_empty(),
            "the shop's list did not change"
        );
        // b on i3 as well; i2 goes away: still here through i3.
        r.set_remote_here("b", "i3", &["shop".into()], &set(&["a"]));
        r.set_remote_here("b", "i2", &[], &set(&["a"]));
        assert!(here_frames(&mut ra).is_empty());
        // A new shop connection of a's sees b at once.
        let (a2, _ra2) = conn_of(2, "shop");
        assert_eq!(join(&r, "a", set(&["b"]), a2).here, vec!["b".to_owned()]);
        assert!(
            here_notes(&mut notes).is_empty(),
            "a's apps here did not change"
        );
        r.set_remote_here("b", "i3", &[], &set(&["a"]));
        assert_eq!(here_frames(&mut ra), vec![here(&[])]);
        // A remote entry never makes a local change: a hides the shop here, and the others hear.
        r.set_hidden("a", "shop", true);
        assert_eq!(here_notes(&mut notes), vec![("a".to_owned(), vec![])]);
        assert_eq!(r.visible_here(), vec![]);
        r.set_hidden("a", "shop", false);
        assert_eq!(
            r.visible_here(),
            vec![("a".to_owned(), vec!["shop".to_owned()])]
        );
        r.set_remote_here("b", "i2", &["shop".into()], &set(&["a"]));
        r.forget_remote_here();
        let (a3, _ra3) = conn_of(3, "shop");
        assert!(join(&r, "a", set(&["b"]), a3).here.is_empty());
    }

    /// Joins `person` hiding `hidden`, with one connection from `app`.
    fn r_join_hidden(
        r: &Registry,
        person: &str,
        friends: &[&str],
        hidden: &[&str],
        id: u64,
        app: &str,
    ) -> (Joined, mpsc::Receiver<Out>) {
        let (c, rx) = conn_of(id, app);
        let j = r
            .join(
                person,
                set(friends),
                hidden.iter().map(|s| s.to_string()).collect(),
                c,
                8,
                || TokenBucket::new(20, 40, std::time::Instant::now()),
            )
            .unwrap();
        (j, rx)
    }

    fn join(r: &Registry, person: &str, friends: Arc<HashSet<String>>, c: ConnHandle) -> Joined {
        r.join(person, friends, HashSet::new(), c, 8, || {
            TokenBucket::new(20, 40, std::time::Instant::now())
        })
        .unwrap()
    }

    fn set(ids: &[&str]) -> Arc<HashSet<String>> {
        Arc::new(ids.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn presence_fans_out_to_online_friends_only() {
        let r = Registry::default();
        let (a, mut ra) = conn(1);
        let j = join(&r, "a", set(&["b"]), a);
        assert_eq!(j.friends["b"], Shown::Offline);
        let (b, _rb) = conn(2);
        let j = join(&r, "b", set(&["a"]), b);
        assert_eq!(j.friends["a"], Shown::Available);
        assert_eq!(
            frames(&mut ra),
            vec![protocol::presence("b", Shown::Available)]
        );
        // A second connection of b changes nothing for a.
        let (b2, _rb2) = conn(3);
        join(&r, "b", set(&["a"]), b2);
        assert!(frames(&mut ra).is_empty());
        r.set_status("b", Status::Busy);
        assert_eq!(frames(&mut ra), vec![protocol::presence("b", Shown::Busy)]);
        r.leave("b", 2);
        assert!(frames(&mut ra).is_empty());
        r.leave("b", 3);
        assert_eq!(
            frames(&mut ra),
            vec![protocol::presence("b", Shown::Offline)]
        );
        assert_eq!(r.online_count(), 1);
    }

    /// Friends a (connection 1) and b (connection 2) on the shop; a's queue (returned first)
    /// emptied.
    fn a_and_b_on_the_shop(r: &Registry) -> (mpsc::Receiver<Out>, mpsc::Receiver<Out>) {
        let (a, mut ra) = conn_of(1, "shop");
        join(r, "a", set(&["b"]), a);
        let (b, rb) = conn_of(2, "shop");
        join(r, "b", set(&["a"]), b);
        all_frames(&mut ra);
        (ra, rb)
    }

    #[test]
    fn a_page_change_within_the_grace_is_nothing_to_friends() {
        let r = Registry::default();
        let (mut ra, _rb) = a_and_b_on_the_shop(&r);
        // b's page closes its connection: friends see b as before, but it gets no frames
        // and no longer counts toward b's connection limit.
        r.linger("b", 2);
        assert!(all_frames(&mut ra).is_empty(), "no offline, no here change");
        assert_eq!(r.shown("b"), Shown::Available);
        assert!(r.is_here("b"));
        assert_eq!(r.connections_of("b"), 0);
        assert_eq!(r.push("b", &Out::Frame("x".into()), None), 0);
        // The next page of the shop connects: it takes the closed one's place.
        let (b2, _rb2) = conn_of(3, "shop");
        let j = join(&r, "b", set(&["a"]), b2);
        assert_eq!(j.here, vec!["a".to_owned()]);
        r.expire("b", 2);
        assert!(
            all_frames(&mut ra).is_empty(),
            "a heard nothing of the page change"
        );
        let mut here_now = r.visible_here();
        here_now.sort();
        let shop = || vec!["shop".to_owned()];
        assert_eq!(
            here_now,
            vec![("a".to_owned(), shop()), ("b".to_owned(), shop())]
        );
    }

    /// An attacker's client opens and closes its connection as fast as it can, the timers
    /// still pending: friends hear nothing, and the person keeps one leaving entry, not one per
    /// close.
    #[test]
    fn cycling_a_connection_is_no_storm_and_no_pile() {
        let r = Registry::default();
        let (mut ra, _rb) = a_and_b_on_the_shop(&r);
        let mut keep = Vec::new();
        for id in 3..1003 {
            r.linger("b", id - 1);
            let (c, rx) = conn_of(id, "shop");
            keep.push(rx);
            join(&r, "b", set(&["a"]), c);
        }
        assert!(all_frames(&mut ra).is_empty(), "no frame to friends");
        let leaving = |r: &Registry| r.lock().online.get("b").map(|o| o.leaving.len());
        assert_eq!(leaving(&r), Some(0));
        r.linger("b", 1002);
        assert_eq!(leaving(&r), Some(1));
        // Every pending timer fires: only the last one changes anything.
        for id in 2..1003 {
            r.expire("b", id);
        }
        assert_eq!(
            all_frames(&mut ra),
            vec![here(&[]), protocol::presence("b", Shown::Offline)]
        );
        assert!(!r.is_here("b"));
    }

    #[test]
    fn leaving_for_good_is_offline_once_the_grace_ends() {
        let r = Registry::default();
        let (mut ra, _rb) = a_and_b_on_the_shop(&r);
        r.linger("b", 2);
        assert!(all_frames(&mut ra).is_empty());
        r.expire("b", 2);
        assert_eq!(
            all_frames(&mut ra),
            vec![here(&[]), protocol::presence("b", Shown::Offline)]
        );
        assert!(!r.is_here("b"));
        // A second expiry (or one for an unknown connection) changes nothing.
        r.expire("b", 2);
        r.expire("b", 9);
        assert!(all_frames(&mut ra).is_empty());
    }

    #[test]
    fn another_app_does_not_take_a_closed_connection_s_place() {
        let r = Registry::default();
        let (mut ra, _rb) = a_and_b_on_the_shop(&r);
        // b leaves the shop for the news site within the grace: online all along, but no
        // longer here for the shop once the grace ends.
        r.linger("b", 2);
        let (b2, _rb2) = conn_of(3, "news");
        join(&r, "b", set(&["a"]), b2);
        assert!(all_frames(&mut ra).is_empty());
        r.expire("b", 2);
        assert_eq!(all_frames(&mut ra), vec![here(&[])]);
        assert_eq!(r.shown("b"), Shown::Available);
    }

    #[test]
    fn with_a_bus_the_offline_goes_out_when_the_grace_ends() {
        let r = Registry::default();
        let mut notes = r.hand_changes_over().unwrap();
        let (b, _rb) = conn_of(2, "shop");
        join(&r, "b", set(&["a"]), b);
        while notes.try_recv().is_ok() {}
        r.linger("b", 2);
        assert!(notes.try_recv().is_err(), "nothing while b may come back");
        r.expire("b", 2);
        let mut presence = None;
        while let Ok(n) = notes.try_recv() {
            if let Note::Presence(c) = n {
                presence = Some(c);
            }
        }
        let c = presence.expect("a presence note");
        assert_eq!((c.shown, c.here, c.changed), (Shown::Offline, false, true));
    }

    #[test]
    fn appear_offline_is_offline_to_friends() {
        let r = Registry::default();
        let (a, mut ra) = conn(1);
        join(&r, "a", set(&["b"]), a);
        r.set_status("b", Status::AppearOffline);
        let (b, _rb) = conn(2);
        join(&r, "b", set(&["a"]), b);
        assert!(frames(&mut ra).is_empty(), "b stays offline to a");
        r.leave("b", 2);
        assert!(frames(&mut ra).is_empty(), "no second offline");
    }

    #[test]
    fn a_full_queue_wakes_the_kill_switch() {
        let r = Registry::default();
        let (a, _ra) = conn(1);
        let kill = a.kill.clone();
        join(&r, "a", set(&[]), a);
        let out = Out::Frame("x".into());
        for _ in 0..4 {
            assert_eq!(r.push("a", &out, None), 1);
        }
        assert_eq!(r.push("a", &out, None), 0);
        let woken = kill.notified();
        tokio::pin!(woken);
        assert!(
            futures_ready(woken.as_mut()),
            "the kill switch holds a permit"
        );
        assert_eq!(r.push("a", &out, Some(1)), 0, "except skips the sender");
    }

    #[test]
    fn a_person_has_at_most_max_conns_sharing_one_bucket() {
        let r = Registry::default();
        let mut rxs = vec![];
        let mut first = None;
        for id in 0..3 {
            let (c, rx) = conn(id);
            rxs.push(rx);
            let j = r
                .join("a", set(&[]), HashSet::new(), c, 3, || {
                    TokenBucket::new(1, 2, std::time::Instant::now())
                })
                .unwrap();
            let b = first.get_or_insert_with(|| j.bucket.clone());
            assert!(Arc::ptr_eq(b, &j.bucket), "one bucket per person");
        }
        let (c, _rx) = conn(9);
        let e = r
            .join("a", set(&[]), HashSet::new(), c, 3, || {
                unreachable!("no new bucket")
            })
            .unwrap_err();
        assert_eq!(e, HubError::TooManyConnections(3));
        assert_eq!(r.connections_of("a"), 3);
        r.leave("a", 1);
        let (c, _rx) = conn(10);
        assert!(
            r.join("a", set(&[]), HashSet::new(), c, 3, || unreachable!())
                .is_ok()
        );
    }

    fn futures_ready(f: std::pin::Pin<&mut tokio::sync::futures::Notified<'_>>) -> bool {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        std::future::Future::poll(f, &mut cx).is_ready()
    }
}
