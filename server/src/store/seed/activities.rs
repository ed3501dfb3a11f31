//! Demo activities for the demo people, so feeds and `<wl-bar>`'s activity panel have
//! something to show on a fresh start.
//!
//! Who sees what (the seeded friend graph): alice's feed has bob's, grace's and mallory's
//! (mallory's text is markup, to prove it is shown as text); bob's feed has alice's, carol's
//! and dave's (dave's is shared with bob alone); carol and dave are not alice's friends, so
//! their activities never reach her.

use crate::error::AppError;
use crate::store::db::Db;
use crate::store::seed::{DEMO_CLIENT_ID, demo_person_id};

use crate::store::activities::share_summary;
use crate::store::activities::{Audience, NewActivity, insert_with_id, time_id};

/// One seeded activity: who, how long ago (seconds), and what.
struct Demo {
    actor: &'static str,
    ago: i64,
    kind: &'static str,
    object_type: &'static str,
    href: Option<&'static str>,
    name: Option<&'static str>,
    summary: Option<&'static str>,
    content: Option<&'static str>,
    template: Option<&'static str>,
    only: Option<&'static str>,
}

const DEMOS: &[Demo] = &[
    Demo {
        actor: "mallory",
        ago: 30 * 60,
        kind: "Create",
        object_type: "Note",
        href: None,
        name: None,
        summary: None,
        content: Some(r#"<script>alert("feed")</script><b>Is this bold?</b>"#),
        template: Some("status"),
        only: None,
    },
    Demo {
        actor: "carol",
        ago: 60 * 60,
        kind: "Create",
        object_type: "Note",
        href: None,
        name: None,
        summary: None,
        content: Some("Anyone up for lunch on Friday?"),
        template: Some("status"),
        only: None,
    },
    Demo {
        actor: "alice",
        ago: 2 * 3600,
        kind: "Create",
        object_type: "Note",
        href: None,
        name: None,
        summary: None,
        content: Some(
            "Trying the new wl-connect bar: my conversations follow me from page to page.",
        ),
        template: Some("status"),
        only: None,
    },
    Demo {
        actor: "bob",
        ago: 3 * 3600,
        kind: "Announce",
        object_type: "Link",
        href: Some("https://www.rust-lang.org/"),
        name: Some("Rust Programming Language"),
        summary: None,
        content: Some("Worth a look if you haven't tried it yet."),
        template: None,
        only: None,
    },
    Demo {
        actor: "dave",
        ago: 4 * 3600,
        kind: "Announce",
        object_type: "Link",
        href: Some("https://developer.mozilla.org/"),
        name: None,
        summary: None,
        content: Some("Bob, this is the site I mentioned."),
        template: None,
        only: Some("bob"),
    },
    Demo {
        actor: "grace",
        ago: 5 * 3600,
        kind: "Like",
        object_type: "Link",
        href: Some("https://webassembly.org/"),
        name: Some("WebAssembly"),
        summary: Some("likes WebAssembly"),
        content: None,
        template: Some("liked_link"),
        only: None,
    },
];

/// Seeds the demo activities once (when there are none yet and the demo people exist).
pub async fn ensure_demo_activities(db: &Db, now: i64) -> Result<(), AppError> {
    let (activities, people): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM activities), (SELECT COUNT(*) FROM people WHERE id = $1)",
    )
    .bind(demo_person_id("alice"))
    .fetch_one(&mut *db.conn().await?)
    .await?;
    if activities > 0 || people == 0 {
        return Ok(());
    }
    for (i, d) in DEMOS.iter().enumerate() {
        let actor_id = demo_person_id(d.actor);
        let actor_name: String =
            sqlx::query_scalar("SELECT display_name FROM people WHERE id = $1")
                .bind(&actor_id)
                .fetch_one(&mut *db.conn().await?)
                .await?;
        let summary = match (d.template, d.summary) {
            (_, Some(s)) => format!("{actor_name} {s}"),
            (Some("status"), None) => format!("{actor_name} posted an update"),
            _ => share_summary(&actor_name, d.name),
        };
        let published = now - d.ago;
        let activity = NewActivity {
            actor_id,
            kind: d.kind,
            object_type: d.object_type,
            object_href: d.href.map(str::to_owned),
            object_name: d.name.map(str::to_owned),
            summary,
            content: d.content.map(str::to_owned),
            template: d.template.map(Into::into),
            audience: match d.only {
                Some(who) => Audience::Chosen(vec![demo_person_id(who)]),
                None => Audience::Friends,
            },
            client_id: Some(DEMO_CLIENT_ID.to_owned()),
            published,
            links: Default::default(),
        };
        let id = time_id(published, 0, &format!("de{i:06x}"));
        match insert_with_id(db, &id, &activity).await {
            // Another instance starting on the same database seeds them too.
            Err(crate::store::DbError::Database(e)) if e.is_unique_violation() => return Ok(()),
            other => other?,
        }
    }
    tracing::info!(activities = DEMOS.len(), "seeded demo activities");
    Ok(())
}
