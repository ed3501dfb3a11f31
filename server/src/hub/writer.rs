//! The one writer of messages: it stores `send`s and delivery marks in batches (one SQLite
//! transaction per batch, on a blocking thread) and then pushes them to the registry in id
//! order, so every connection sees a conversation's messages in the order they were stored.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::HubState;
use super::protocol::{self, HubError, Message};
use super::registry::{Live, Out};
use crate::store::collections::MAX_MESSAGES;
use crate::store::messages::{self as store, NewMessage};

/// The most commands stored in one transaction.
const BATCH: usize = 512;

/// A `send` to store.
#[derive(Debug)]
pub struct SendCmd {
    /// The message.
    pub msg: NewMessage,
    /// The connection it came from (it gets `sent`, not a copy).
    pub origin: u64,
    /// Answered with `(id, at)` once stored.
    pub reply: oneshot::Sender<Result<(i64, i64), HubError>>,
}

/// A message that reached one of its recipient's connections.
#[derive(Debug, Clone)]
pub struct DeliveredCmd {
    /// The message id.
    pub id: i64,
    /// Its sender (told `delivered`).
    pub from: String,
    /// Its recipient.
    pub to: String,
}

/// What the writer is asked to do.
#[derive(Debug)]
pub enum Cmd {
    /// Store a message.
    Send(SendCmd),
    /// Mark messages delivered.
    Delivered(Vec<DeliveredCmd>),
}

/// Messages each person has stored, as far as the writer has counted: loaded from the store
/// on a person's first `send`, then kept up to date here (the writer is the only one storing
/// messages), so the per-person cap costs no count per message.
type SentCounts = HashMap<String, i64>;

/// Runs the writer until every sender is gone.
pub async fn run(state: HubState, mut rx: mpsc::Receiver<Cmd>) {
    let mut counts = SentCounts::new();
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(c) => batch.push(c),
                Err(_) => break,
            }
        }
        let mut sends = Vec::new();
        let mut delivered = Vec::new();
        for c in batch {
            match c {
                Cmd::Send(s) => sends.push(s),
                Cmd::Delivered(d) => delivered.extend(d),
            }
        }
        counts = apply(&state, sends, delivered, counts).await;
    }
}

async fn apply(
    state: &HubState,
    sends: Vec<SendCmd>,
    delivered: Vec<DeliveredCmd>,
    counts: SentCounts,
) -> SentCounts {
    let new: Vec<NewMessage> = sends.iter().map(|s| s.msg.clone()).collect();
    let ids: Vec<i64> = delivered.iter().map(|d| d.id).collect();
    let st = state.clone();
    let now = state.clock.now();
    let result = tokio::task::spawn_blocking(move || {
        let mut counts = counts;
        let stored = st.db.with(|c| {
            let stored = if new.is_empty() {
                Vec::new()
            } else {
                store::insert(c, &new, now, |tx, m| {
                    let n = match counts.get_mut(&m.from) {
                        Some(n) => n,
                        None => {
                            let n = store::sent_count(tx, &m.from)?;
                            counts.entry(m.from.clone()).or_insert(n)
                        }
                    };
                    if *n >= MAX_MESSAGES {
                        return Ok(false);
                    }
                    *n += 1;
                    Ok(true)
                })?
            };
            let changed = if ids.is_empty() {
                Vec::new()
            } else {
                store::mark_delivered(c, &ids, now)?
            };
            Ok::<_, crate::store::DbError>((stored, changed))
        });
        // A failed transaction stored nothing: count again from the store next time.
        if stored.is_err() {
            counts.clear();
        }
        (stored, counts)
    })
    .await;
    let (result, counts) = match result {
        Ok((r, counts)) => (Ok(r), counts),
        Err(e) => (Err(e), SentCounts::new()),
    };
    let (stored, changed) = match result {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "hub: storing messages failed");
            for s in sends {
                let _ = s.reply.send(Err(HubError::Server));
            }
            return counts;
        }
        Err(e) => {
            tracing::error!(error = %e, "hub: the storing task failed");
            for s in sends {
                let _ = s.reply.send(Err(HubError::Server));
            }
            return counts;
        }
    };
    let hub = &state.hub;
    for (s, id) in sends.into_iter().zip(stored) {
        let Some(id) = id else {
            let _ = s.reply.send(Err(HubError::StorageFull(MAX_MESSAGES)));
            continue;
        };
        let live = Arc::new(Live::new(Message {
            id,
            from: s.msg.from,
            to: s.msg.to,
            text: s.msg.text,
            at: now,
            client_id: Some(s.msg.client_id),
            delivered: false,
        }));
        let msg = &live.msg;
        let out = Out::Message(live.clone());
        // The sending connection hears `sent` first, then the others get their copies.
        let _ = s.reply.send(Ok((id, now)));
        hub.registry.push(&msg.to, &out, None);
        hub.registry.push(&msg.from, &out, Some(s.origin));
        hub.bus().publish(crate::bus::Event::Message {
            id,
            from: msg.from.clone(),
            to: msg.to.clone(),
            text: msg.text.clone(),
            at: now,
            client_id: msg.client_id.clone(),
        });
    }
    // Several connections of the recipient may report the same message: tell the sender once.
    let mut changed: HashSet<i64> = changed.into_iter().collect();
    for d in delivered.into_iter().filter(|d| changed.remove(&d.id)) {
        hub.push_everywhere(&d.from, protocol::delivered(d.id, &d.to));
    }
    counts
}
