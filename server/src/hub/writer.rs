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

/// Stores a batch in one transaction: each new message if its sender is under the cap
/// ([`MAX_MESSAGES`], counted from the store once and then in `counts`), and the delivery
/// marks. The ids stored (`None`: refused by the cap) and the messages newly marked delivered.
async fn store_batch(
    state: &HubState,
    new: &[NewMessage],
    ids: &[i64],
    now: i64,
    counts: &mut SentCounts,
) -> Result<(Vec<Option<i64>>, Vec<i64>), crate::store::DbError> {
    let mut tx = state.db.begin().await?;
    let mut stored = Vec::with_capacity(new.len());
    for m in new {
        let n = match counts.get_mut(&m.from) {
            Some(n) => n,
            None => {
                let n = store::sent_count(&mut tx, &m.from).await?;
                counts.entry(m.from.clone()).or_insert(n)
            }
        };
        if *n >= MAX_MESSAGES {
            stored.push(None);
            continue;
        }
        *n += 1;
        stored.push(Some(store::insert(&mut tx, m, now).await?));
    }
    let changed = if ids.is_empty() {
        Vec::new()
    } else {
        store::mark_delivered(&mut tx, ids, now).await?
    };
    tx.commit().await?;
    Ok((stored, changed))
}

async fn apply(
    state: &HubState,
    sends: Vec<SendCmd>,
    delivered: Vec<DeliveredCmd>,
    counts: SentCounts,
) -> SentCounts {
    let new: Vec<NewMessage> = sends.iter().map(|s| s.msg.clone()).collect();
    let ids: Vec<i64> = delivered.iter().map(|d| d.id).collect();
    let now = state.clock.now();
    let mut counts = counts;
    let result = store_batch(state, &new, &ids, now, &mut counts).await;
    // A failed transaction stored nothing: count again from the store next time.
    if result.is_err() {
        counts.clear();
    }
    let (stored, changed) = match result {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "hub: storing messages failed");
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
