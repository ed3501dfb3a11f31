//! Usage statistics as stored (issue 15): daily counters per app and metric
//! (`stats_daily`) and the daily-actives sketches (`stats_actives`). Counts only: no row
//! names a person. [`crate::stats`] counts in memory and flushes here in batches.

use super::{Conn, Db, DbResult};

/// One counter increment: `value = value + n` for (app, day, metric).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Increment {
    /// The app.
    pub client_id: String,
    /// UTC days since 1970-01-01.
    pub day: i64,
    /// The metric's name (docs/statistics.md).
    pub metric: String,
    /// How much to add.
    pub n: i64,
}

/// One day's sketch of an app's active people, to merge into the stored one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SketchMerge {
    /// The app.
    pub client_id: String,
    /// UTC days since 1970-01-01.
    pub day: i64,
    /// The registers (merged by maximum, register by register).
    pub sketch: Vec<u8>,
}

/// Writes a batch in one transaction: counters added (`value = value + n`, so every instance
/// adds its own increments), sketches merged by register maximum. A sketch row is locked
/// before it is read (`UPDATE … SET sketch = sketch` takes PostgreSQL's row lock; SQLite's
/// write transaction holds the database), so two instances merging the same day lose nothing.
pub async fn flush(db: &Db, counts: &[Increment], sketches: &[SketchMerge]) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let c: &mut Conn = &mut tx;
    for i in counts {
        sqlx::query(
            "INSERT INTO stats_daily (client_id, day, metric, value) VALUES ($1, $2, $3, $4)
             ON CONFLICT (client_id, day, metric) DO UPDATE SET value = stats_daily.value + excluded.value",
        )
        .bind(&i.client_id)
        .bind(i.day)
        .bind(&i.metric)
        .bind(i.n)
        .execute(&mut *c)
        .await?;
    }
    for s in sketches {
        let locked = sqlx::query(
            "UPDATE stats_actives SET sketch = sketch WHERE client_id = $1 AND day = $2",
        )
        .bind(&s.client_id)
        .bind(s.day)
        .execute(&mut *c)
        .await?
        .rows_affected();
        if locked == 0 {
            let inserted = sqlx::query(
                "INSERT INTO stats_actives (client_id, day, sketch) VALUES ($1, $2, $3)
                 ON CONFLICT (client_id, day) DO NOTHING",
            )
            .bind(&s.client_id)
            .bind(s.day)
            .bind(&s.sketch)
            .execute(&mut *c)
            .await?
            .rows_affected();
            if inserted == 1 {
                continue;
            }
            // Another instance inserted it meanwhile: lock it and merge.
            sqlx::query(
                "UPDATE stats_actives SET sketch = sketch WHERE client_id = $1 AND day = $2",
            )
            .bind(&s.client_id)
            .bind(s.day)
            .execute(&mut *c)
            .await?;
        }
        let stored: Vec<u8> = sqlx::query_scalar(
            "SELECT sketch FROM stats_actives WHERE client_id = $1 AND day = $2",
        )
        .bind(&s.client_id)
        .bind(s.day)
        .fetch_one(&mut *c)
        .await?;
        let merged = merge_max(&stored, &s.sketch);
        sqlx::query("UPDATE stats_actives SET sketch = $3 WHERE client_id = $1 AND day = $2")
            .bind(&s.client_id)
            .bind(s.day)
            .bind(merged)
            .execute(&mut *c)
            .await?;
    }
    tx.commit().await
}

/// Register-wise maximum of two sketches (the longer one's tail kept).
fn merge_max(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = if a.len() >= b.len() {
        a.to_vec()
    } else {
        b.to_vec()
    };
    for (o, (x, y)) in out.iter_mut().zip(a.iter().zip(b.iter())) {
        *o = (*x).max(*y);
    }
    out
}

/// The counters of one app from day `from` to day `to` (inclusive): (day, metric, value),
/// by day then metric.
pub async fn counts(
    c: &mut Conn,
    client_id: &str,
    from: i64,
    to: i64,
) -> DbResult<Vec<(i64, String, i64)>> {
    sqlx::query_as(
        "SELECT day, metric, value FROM stats_daily
         WHERE client_id = $1 AND day >= $2 AND day <= $3 ORDER BY day, metric",
    )
    .bind(client_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await
}

/// The daily-actives sketches of one app from day `from` to day `to` (inclusive), by day.
pub async fn sketches(
    c: &mut Conn,
    client_id: &str,
    from: i64,
    to: i64,
) -> DbResult<Vec<(i64, Vec<u8>)>> {
    sqlx::query_as(
        "SELECT day, sketch FROM stats_actives
         WHERE client_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
    )
    .bind(client_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await
}

/// Deletes an app's statistics (when the app is deleted).
pub async fn delete_app(c: &mut Conn, client_id: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM stats_daily WHERE client_id = $1")
        .bind(client_id)
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM stats_actives WHERE client_id = $1")
        .bind(client_id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// The app of one of `person_id`'s grants.
pub async fn grant_app(c: &mut Conn, grant_id: &str, person_id: &str) -> DbResult<Option<String>> {
    sqlx::query_scalar("SELECT client_id FROM grants WHERE id = $1 AND person_id = $2")
        .bind(grant_id)
        .bind(person_id)
        .fetch_optional(c)
        .await
}

/// Which of an activity's links a click-through goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// The shared object's link (`/r/{id}`).
    Object,
    /// The action link (`/r/{id}/action`).
    Action,
    /// The "via <app>" link, the app's site (`/r/{id}/via`).
    Via,
}

/// The activity `id`'s app and its link of `kind`, when it has one (read from the database,
/// never from the request).
pub async fn activity_link(
    c: &mut Conn,
    id: &str,
    kind: LinkKind,
) -> DbResult<Option<(Option<String>, String)>> {
    let sql = match kind {
        LinkKind::Object => "SELECT client_id, object_href FROM activities WHERE id = $1",
        LinkKind::Action => "SELECT client_id, action_href FROM activities WHERE id = $1",
        LinkKind::Via => "SELECT client_id, via_href FROM activities WHERE id = $1",
    };
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as(sql).bind(id).fetch_optional(c).await?;
    Ok(row.and_then(|(app, href)| href.map(|h| (app, h))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_is_register_max() {
        assert_eq!(merge_max(&[1, 5, 0], &[3, 2, 0]), vec![3, 5, 0]);
        assert_eq!(merge_max(&[1], &[0, 4]), vec![1, 4]);
    }
}
