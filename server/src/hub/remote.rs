//! The hub across instances (with `--bus`; docs/scaling.md): the bus task that announces this
//! instance's presence changes, keeps its people in Redis with a heartbeat and sweeps dead
//! instances' people offline ([`start`]), and what arrives from the other instances
//! ([`inbound`]).

use std::collections::HashSet;
use std::sync::Arc;

use super::HubState;
use super::protocol::{Message, Shown, Status};
use super::registry::{Change, Live, Note, Out};
use crate::bus::{Event, parse_shown};

/// Starts the bus task (once; nothing happens without a bus).
pub fn start(state: HubState) {
    if !state.hub.bus().shared() {
        return;
    }
    let Some(changes) = state.hub.registry.hand_changes_over() else {
        return;
    };
    tokio::spawn(run(state, changes));
}

async fn run(state: HubState, mut changes: tokio::sync::mpsc::UnboundedReceiver<Note>) {
    let window = state
        .hub
        .bus()
        .redis()
        .map_or(std::time::Duration::from_secs(45), |r| r.window());
    let mut tick = tokio::time::interval((window / 6).max(std::time::Duration::from_millis(50)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut recoveries = match state.hub.bus().redis() {
        Some(r) => r.recoveries(),
        None => return,
    };
    loop {
        tokio::select! {
            Ok(()) = recoveries.changed() => {
                tracing::info!("hub: the bus is back; connections reconnect to resync");
                state.hub.registry.forget_remote_here();
                heartbeat(&state).await;
                state.hub.ask_to_resync();
            }
            c = changes.recv() => match c {
                Some(Note::Presence(c)) => change(&state, c).await,
                Some(Note::Here { person, apps, friends }) => {
                    here_changed(&state, person, apps, &friends).await;
                }
                None => return,
            },
            _ = tick.tick() => heartbeat(&state).await,
        }
    }
}

/// A change here: recorded in Redis, then told to friends here and elsewhere, unless a person
/// who left here is still visible on another instance.
async fn change(state: &HubState, c: Change) {
    let bus = state.hub.bus();
    bus.set_here(&c.person, if c.here { c.shown } else { Shown::Offline })
        .await;
    if c.status.is_none() {
        // Joined or left here: friends already see what another instance shows of them.
        let elsewhere = bus
            .shown_elsewhere(std::slice::from_ref(&c.person))
            .await
            .get(&c.person)
            .copied();
        match elsewhere {
            Some(_) if !c.here => return,
            Some(shown) if shown == c.shown => return,
            _ => {}
        }
    }
    if c.changed {
        state.hub.registry.fan_out(&c.person, &c.friends, c.shown);
    }
    bus.publish(Event::Presence {
        person: c.person,
        shown: c.shown.as_str().to_owned(),
        status: c.status,
        friends: c.friends.iter().cloned().collect(),
    });
}

/// What `person` is here for on this instance changed: recorded in Redis and told to the
/// other instances (friends here have heard already).
async fn here_changed(
    state: &HubState,
    person: String,
    apps: Vec<String>,
    friends: &HashSet<String>,
) {
    let bus = state.hub.bus();
    bus.set_here_apps(&person, &apps).await;
    bus.publish(Event::Here {
        person,
        instance: bus.instance().to_owned(),
        apps,
        friends: friends.iter().cloned().collect(),
    });
}

/// Every sixth of the window: this instance's people into Redis, and the people of instances
/// that stopped answering offline (each dead instance is swept by one instance).
async fn heartbeat(state: &HubState) {
    let bus = state.hub.bus();
    let registry = &state.hub.registry;
    bus.heartbeat(&registry.visible(), &registry.visible_here())
        .await;
    let gone = bus.claim_dead().await;
    if gone.is_empty() {
        return;
    }
    let people: Vec<String> = gone.iter().map(|(_, p)| p.clone()).collect();
    let elsewhere = bus.shown_elsewhere(&people).await;
    for (instance, person) in gone {
        let friends = match state.db.conn().await {
            Ok(mut c) => crate::store::messages::friends(&mut c, &person)
                .await
                .map(|list| list.into_iter().map(|f| f.id).collect::<HashSet<String>>()),
            Err(e) => Err(e),
        };
        let Ok(friends) = friends else {
            tracing::warn!("hub: could not load a swept person's friends");
            continue;
        };
        // Here for nothing on the dead instance, on every instance.
        registry.set_remote_here(&person, &instance, &[], &friends);
        bus.publish(Event::Here {
            person: person.clone(),
            instance,
            apps: Vec::new(),
            friends: friends.iter().cloned().collect(),
        });
        if elsewhere.contains_key(&person) || registry.shown(&person) != Shown::Offline {
            continue;
        }
        state
            .hub
            .registry
            .fan_out(&person, &friends, Shown::Offline);
        bus.publish(Event::Presence {
            person,
            shown: Shown::Offline.as_str().to_owned(),
            status: None,
            friends: friends.into_iter().collect(),
        });
    }
}

/// An event from another instance, for the connections here (token events are the token
/// cache's: see [`crate::server`]).
pub fn inbound(state: &HubState, event: Event) {
    let registry = &state.hub.registry;
    match event {
        Event::Frame { person, frame } => {
            registry.push(&person, &Out::Frame(frame.into()), None);
        }
        Event::Message {
            id,
            from,
            to,
            text,
            at,
            client_id,
        } => {
            let live = Arc::new(Live::new(Message {
                id,
                from,
                to,
                text,
                at,
                client_id,
                delivered: false,
            }));
            let out = Out::Message(live.clone());
            registry.push(&live.msg.to, &out, None);
            registry.push(&live.msg.from, &out, None);
        }
        Event::Presence {
            person,
            shown,
            status,
            friends,
        } => {
            let shown = parse_shown(&shown);
            if let Some(s) = status {
                let before = registry.set_chosen(&person, s);
                if before.map(Status::shown) == Some(s.shown()) {
                    return;
                }
            }
            // Still here: friends here keep what this instance shows.
            let here = registry.shown(&person);
            let shown = if here != Shown::Offline && shown == Shown::Offline && status.is_none() {
                return;
            } else if status.is_some() && here != Shown::Offline {
                here
            } else {
                shown
            };
            let friends: HashSet<String> = friends.into_iter().collect();
            registry.fan_out(&person, &friends, shown);
        }
        Event::Here {
            person,
            instance,
            apps,
            friends,
        } => {
            let friends: HashSet<String> = friends.into_iter().collect();
            registry.set_remote_here(&person, &instance, &apps, &friends);
        }
        Event::Hidden {
            person,
            app,
            hidden,
        } => registry.set_hidden(&person, &app, hidden),
        Event::Token { .. } | Event::Grant { .. } => {}
    }
}

/// Before a connection joins: what its person's friends are here for on the other instances
/// (what this instance has not heard of yet, e.g. it started after them).
pub async fn here_elsewhere(state: &HubState, friends: &HashSet<String>) {
    let bus = state.hub.bus();
    if !bus.shared() || friends.is_empty() {
        return;
    }
    let list: Vec<String> = friends.iter().cloned().collect();
    for (instance, person, apps) in bus.here_elsewhere(&list).await {
        // Only this connection's person is known to be a friend; nobody else is told here.
        state
            .hub
            .registry
            .set_remote_here(&person, &instance, &apps, &HashSet::new());
    }
}

/// Adds friends' presence on other instances to what `welcome` says of them.
pub async fn friends_elsewhere(
    state: &HubState,
    known: &mut std::collections::HashMap<String, Shown>,
) {
    let bus = state.hub.bus();
    if !bus.shared() {
        return;
    }
    let offline: Vec<String> = known
        .iter()
        .filter(|(_, s)| **s == Shown::Offline)
        .map(|(id, _)| id.clone())
        .collect();
    for (id, shown) in bus.shown_elsewhere(&offline).await {
        known.insert(id, shown);
    }
}
