//! Feeds (issue 17 §1): an app's owner sets an RSS or Atom feed on the app's portal page; the
//! provider polls it and turns each *new* entry into an activity for every person who allowed
//! the app to publish for them (an active consent including `wl.share`), shared with their
//! friends, with the entry's link as the action link and the app's site as "via".
//!
//! The poller ([`spawn_poller`]) wakes every [`FeedsConfig::tick`], claims the feeds that are
//! due (each is polled every [`FeedsConfig::interval`]) and fetches at most
//! [`FeedsConfig::concurrency`] at once. A fetch ([`fetch`]) is a conditional GET of http(s)
//! from public hosts only (unless [`FeedsConfig::allow_private`]), capped in size and time;
//! every failure is a stable code on the app's page and the poller goes on.

pub mod fetch;
pub mod parse;

use std::sync::Arc;
use std::time::Duration;

use crate::state::AppState;
use crate::store::activities::{self, Audience, Links, NewActivity};
use crate::store::feeds::{self as store, Feed, Outcome};

use fetch::{Fetched, Fetcher};

/// The most new entries one poll turns into activities (the rest wait for the next poll).
pub const MAX_NEW_PER_POLL: usize = 10;
/// The action link's label on an entry's activity.
pub const ACTION_NAME: &str = "Read more";
/// The template name recorded on an entry's activity.
pub const TEMPLATE: &str = "feed_entry";

/// The operator's feed settings.
#[derive(Debug, Clone)]
pub struct FeedsConfig {
    /// Run the background poller (off: feeds are only checked from the app's page).
    pub poll: bool,
    /// Fetch from private, loopback, link-local, … addresses too (`--feeds-allow-private`;
    /// never on a public provider: tests and local development only).
    pub allow_private: bool,
    /// Addresses fetched from though not public (tests: one loopback address stands in for a
    /// public host, so a redirect to another is still refused). Not a command-line option.
    pub exempt: Vec<std::net::IpAddr>,
    /// How often each feed is polled.
    pub interval: Duration,
    /// How often the poller looks for due feeds.
    pub tick: Duration,
    /// A fetch's time limit (connecting, redirects and the body).
    pub timeout: Duration,
    /// The largest feed read, in bytes.
    pub max_bytes: usize,
    /// Feeds fetched at once.
    pub concurrency: usize,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        Self {
            poll: true,
            allow_private: false,
            exempt: Vec::new(),
            interval: Duration::from_secs(15 * 60),
            tick: Duration::from_secs(10),
            timeout: Duration::from_secs(10),
            max_bytes: 1024 * 1024,
            concurrency: 4,
        }
    }
}

/// The feed settings and the fetcher built from them (in the provider state).
#[derive(Debug, Clone)]
pub struct Feeds {
    /// The settings.
    pub config: FeedsConfig,
    /// The HTTP client with the address rules.
    pub fetcher: Arc<Fetcher>,
}

impl Feeds {
    /// Builds the fetcher for `config`.
    pub fn new(config: FeedsConfig) -> Self {
        let fetcher = Arc::new(Fetcher::new(
            fetch::AddressRule {
                allow_private: config.allow_private,
                exempt: config.exempt.clone(),
            },
            config.timeout,
            config.max_bytes,
        ));
        Self { config, fetcher }
    }
}

/// What a poll found, for the page and the tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollResult {
    /// The stable code.
    pub status: &'static str,
    /// What the owner reads (English, for the log; the page says it from `status` and
    /// `values`).
    pub message: String,
    /// The values in the message, in the order the page's message for `status` names them.
    pub values: Vec<String>,
    /// Entries that became activities this time.
    pub new_entries: usize,
    /// Activities written.
    pub activities: usize,
}

/// Polls `feed` once (whether due or not) and records what it found on the app's page.
pub async fn poll(state: &AppState, feed: &Feed) -> Result<PollResult, crate::error::AppError> {
    let fetched = state
        .feeds
        .fetcher
        .get(
            &feed.url,
            feed.etag.as_deref(),
            feed.last_modified.as_deref(),
        )
        .await;
    let now_ms = state.clock.now_millis();
    let now = now_ms.div_euclid(1000);
    let (result, validators) = match fetched {
        Err(e) => (
            PollResult {
                status: e.code(),
                message: e.to_string(),
                values: e.values(),
                new_entries: 0,
                activities: 0,
            },
            None,
        ),
        Ok(Fetched::NotModified) => (
            PollResult {
                status: "not_modified",
                message: "Not modified since the last check.".into(),
                values: Vec::new(),
                new_entries: 0,
                activities: 0,
            },
            None,
        ),
        Ok(Fetched::Body {
            bytes,
            etag,
            last_modified,
        }) => match parse::entries(&bytes) {
            Err(e) => (
                PollResult {
                    status: e.code(),
                    message: e.to_string(),
                    values: e.values(),
                    new_entries: 0,
                    activities: 0,
                },
                None,
            ),
            Ok(entries) => {
                let (new_entries, written) =
                    publish(state, &feed.client_id, &entries, now_ms).await?;
                (
                    PollResult {
                        status: "ok",
                        message: format!(
                            "Entries read: {}, new: {new_entries}, activities written: {written}.",
                            entries.len()
                        ),
                        values: vec![
                            entries.len().to_string(),
                            new_entries.to_string(),
                            written.to_string(),
                        ],
                        new_entries,
                        activities: written,
                    },
                    Some((etag, last_modified)),
                )
            }
        },
    };
    let detail = serde_json::to_string(&result.values).unwrap_or_default();
    let outcome = Outcome {
        status: result.status,
        message: &result.message,
        detail: &detail,
        validators: validators
            .as_ref()
            .map(|(e, m)| (e.as_deref(), m.as_deref())),
        new_entries: result.new_entries as i64,
    };
    store::record(
        &mut *state.db.conn().await?,
        &feed.client_id,
        &feed.url,
        &outcome,
        now,
    )
    .await?;
    tracing::info!(app = %feed.client_id, status = result.status, new = result.new_entries, "feed polled");
    Ok(result)
}

/// Turns the new entries (oldest first, at most [`MAX_NEW_PER_POLL`]) into activities of
/// every person who allowed the app, published at `now_ms` (the poll's one clock reading);
/// returns (new entries, activities written).
async fn publish(
    state: &AppState,
    client_id: &str,
    entries: &[parse::Entry],
    now_ms: i64,
) -> Result<(usize, usize), crate::error::AppError> {
    let now = now_ms.div_euclid(1000);
    let mut c = state.db.conn().await?;
    let Some(app) = crate::store::apps::find(&mut c, client_id).await? else {
        return Ok((0, 0));
    };
    let people = store::allowed_people(&mut c, client_id, now).await?;
    let via = crate::api::activities::handlers::site_of(&app);
    let mut fresh = Vec::new();
    // Feeds list the newest first: the newest new ones are taken, published oldest first.
    for e in entries {
        if fresh.len() >= MAX_NEW_PER_POLL {
            break;
        }
        let key = entry_key(&e.key);
        if store::mark_entry(&mut c, client_id, &key, now).await? {
            fresh.push(e);
        }
    }
    drop(c);
    let mut written = 0;
    // One poll's activities share `published`; their ids carry the poll's millisecond plus the
    // publishing order (the oldest entry first), so every reader sees them in that order, and
    // after an earlier poll's.
    for (order, e) in (0_i64..).zip(fresh.iter().rev()) {
        for person in &people {
            let Some(actor) =
                crate::identity::people::by_id(&mut *state.db.conn().await?, person).await?
            else {
                continue;
            };
            let title = e.title.clone();
            let summary = match &title {
                Some(t) => format!("{} via {}: {t}", actor.display_name, app.name),
                None => format!("{} via {}", actor.display_name, app.name),
            };
            let a = NewActivity {
                actor_id: person.clone(),
                kind: if e.link.is_some() {
                    "Announce"
                } else {
                    "Create"
                },
                object_type: if e.link.is_some() { "Link" } else { "Note" },
                object_href: e.link.clone(),
                object_name: title,
                summary,
                content: None,
                template: Some(TEMPLATE.into()),
                audience: Audience::Friends,
                client_id: Some(client_id.to_owned()),
                published: now,
                links: Links {
                    action_href: e.link.clone(),
                    action_name: e.link.as_ref().map(|_| ACTION_NAME.to_owned()),
                    via_href: via.clone(),
                },
            };
            let millis = (now_ms.rem_euclid(1000) + order).min(999);
            let id = activities::time_id(now, millis, &crate::crypto::random_hex(4));
            match activities::insert_as(&state.db, &id, &a).await {
                Ok(_) => {
                    written += 1;
                    state
                        .tokens
                        .stats
                        .published(Some(client_id), e.link.is_some(), now);
                }
                // A person at the cap gets no more; the others still do.
                Err(crate::store::collections::CapError::Full(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok((fresh.len(), written))
}

/// The stored key of an entry: the SHA-256 (hex) of its guid, id or link (bounded length).
fn entry_key(key: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::crypto::hex(&Sha256::digest(key.as_bytes()))
}

/// Polls the due feeds once: claims each (so two instances never poll one twice) and fetches
/// at most `concurrency` at once. Returns how many were polled.
pub async fn poll_due(state: &AppState) -> Result<usize, crate::error::AppError> {
    let now = state.clock.now();
    let cfg = &state.feeds.config;
    let due = store::due(&mut *state.db.conn().await?, now, 64).await?;
    let next = now + cfg.interval.as_secs() as i64;
    let limit = Arc::new(tokio::sync::Semaphore::new(cfg.concurrency.max(1)));
    let mut set = tokio::task::JoinSet::new();
    for feed in due {
        if !store::claim(&mut *state.db.conn().await?, &feed.client_id, now, next).await? {
            continue;
        }
        let (state, limit) = (state.clone(), limit.clone());
        set.spawn(async move {
            let _permit = limit.acquire_owned().await;
            if let Err(e) = poll(&state, &feed).await {
                tracing::warn!(app = %feed.client_id, error = %e, "feed poll failed; next time");
            }
        });
    }
    let mut polled = 0;
    while set.join_next().await.is_some() {
        polled += 1;
    }
    Ok(polled)
}

/// Starts the background poller (when [`FeedsConfig::poll`] is on); it stops with `stop`.
pub fn spawn_poller(
    state: AppState,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if !state.feeds.config.poll {
            return;
        }
        let mut tick = tokio::time::interval(state.feeds.config.tick);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.wait_for(|s| *s) => break,
            }
            tokio::select! {
                r = poll_due(&state) => if let Err(e) = r {
                    tracing::warn!(error = %e, "feed poller: a round failed; next tick");
                },
                _ = stop.wait_for(|s| *s) => break,
            }
        }
    })
}
