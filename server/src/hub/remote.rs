//! The hub across instances (with `--bus`; docs/scaling.md): the bus task that announces this
//! instance's presence changes, keeps its people in Redis with a heartbeat and sweeps dead
//! instances' people offline ([`start`]), and what arrives from the other instances
//! ([`inbound`]).

use std::collections::HashSet;
use std::sync::Arc;

use super::HubState;
use super::protocol::{Message, Shown, Status};
use super::registry::{Change, Live, Out};
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

async fn run(state: HubState, mut changes: tokio::sync::mpsc::UnboundedReceiver<Change>) {
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
                heartbeat(&state).await;
                state.hub.ask_to_resync();
            }
            c = changes.recv() => match c {
                Some(c) => change(&state, c).await,
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

/// Every sixth of the window: this instance's people into Redis, and the people of instances
/// that stopped answering offline (each dead instance is swept by one instance).
async fn heartbeat(state: &HubState) {
    let bus = state.hub.bus();
    bus.heartbeat(&state.hub.registry.visible()).await;
    let gone = bus.claim_dead().await;
    if gone.is_empty() {
        return;
    }
    let elsewhere = bus.shown_elsewhere(&gone).await;
    for person in gone {
        if elsewhere.contains_key(&person) || state.hub.registry.shown(&person) != Shown::Offline {
            continue;
        }
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
        Event::Token { .. } | Event::Grant { .. } => {}
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
