//! One app's statistics for a date range, read from the rollups: the numbers behind the
//! portal's page, its CSV and the JSON API (one reading, three renderings).

use std::collections::BTreeMap;

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Sketch, day_of, metric};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{Conn, DbResult};

/// The longest range one report covers, in days.
pub const MAX_DAYS: i64 = 366;
/// The range when none is given: the last 30 days.
pub const DEFAULT_DAYS: i64 = 30;
/// Monthly actives: the distinct people of the last this many days.
pub const MONTH_DAYS: i64 = 30;

/// A bad `from`/`to`: the stable code `stats_range_invalid` and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RangeError(pub String);

impl RangeError {
    /// The stable code.
    pub const CODE: &'static str = "stats_range_invalid";
}

impl From<RangeError> for AppError {
    fn from(e: RangeError) -> Self {
        AppError::Page {
            status: StatusCode::BAD_REQUEST,
            code: RangeError::CODE,
            title: "Invalid date range",
            message: e.0,
        }
    }
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both optional: the last 30 days), as the page, the CSV
/// and both JSON answers take it.
#[derive(Debug, Default, Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The report of `client_id` for the query's range (today is the server clock's UTC day).
pub async fn for_query(
    state: &AppState,
    client_id: &str,
    q: &RangeQuery,
) -> Result<Report, AppError> {
    let today = day_of(state.clock.now());
    let (from, to) = range(q.from.as_deref(), q.to.as_deref(), today)?;
    let mut c = state.db.conn().await?;
    Ok(load(&mut c, client_id, from, to).await?)
}

/// `YYYY-MM-DD` as UTC days since 1970-01-01.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A day as `YYYY-MM-DD`.
pub fn format_date(day: i64) -> String {
    let (y, m, d, ..) = crate::clock::civil(day * 86_400);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The range asked for: `from` and `to` (inclusive, `YYYY-MM-DD`, either may be absent);
/// without them the [`DEFAULT_DAYS`] ending `today`.
pub fn range(from: Option<&str>, to: Option<&str>, today: i64) -> Result<(i64, i64), RangeError> {
    let parse = |name: &str, v: Option<&str>| -> Result<Option<i64>, RangeError> {
        match v.filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => parse_date(s).map(Some).ok_or_else(|| {
                RangeError(format!(
                    "{name}: {s:?} is not a date; give YYYY-MM-DD (for example {})",
                    format_date(today)
                ))
            }),
        }
    };
    let to_day = parse("to", to)?;
    let from_day = parse("from", from)?;
    let (from, to) = match (from_day, to_day) {
        (Some(f), Some(t)) => (f, t),
        (Some(f), None) => (f, (f + DEFAULT_DAYS - 1).min(today.max(f))),
        (None, Some(t)) => (t - DEFAULT_DAYS + 1, t),
        (None, None) => (today - DEFAULT_DAYS + 1, today),
    };
    if from > to {
        return Err(RangeError(format!(
            "from ({}) is after to ({}): give from ≤ to",
            format_date(from),
            format_date(to)
        )));
    }
    if to - from + 1 > MAX_DAYS {
        return Err(RangeError(format!(
            "the range {} to {} has {} days; at most {MAX_DAYS} at a time",
            format_date(from),
            format_date(to),
            to - from + 1
        )));
    }
    Ok((from, to))
}

/// One day's numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Day {
    /// UTC days since 1970-01-01.
    pub day: i64,
    /// Sign-ins (authorization codes redeemed).
    pub signins: i64,
    /// Consents given.
    pub consents: i64,
    /// Grants revoked.
    pub revocations: i64,
    /// Distinct people active that day (estimated).
    pub daily_actives: i64,
    /// Distinct people active in the 30 days ending that day (estimated).
    pub monthly_actives: i64,
    /// Activities published.
    pub activities: i64,
    /// Links shared.
    pub shares: i64,
    /// Click-throughs on shared links.
    pub clicks: i64,
    /// Messenger conversations started.
    pub conversations: i64,
    /// API calls (all endpoints and statuses).
    pub api_calls: i64,
    /// API calls answered with an error code.
    pub api_errors: i64,
}

/// The columns of [`Day`], in CSV and table order: (name, label, getter).
pub type Column = (&'static str, &'static str, fn(&Day) -> i64);

/// Every per-day column.
pub const COLUMNS: &[Column] = &[
    ("signins", "Sign-ins", |d| d.signins),
    ("consents", "New consents", |d| d.consents),
    ("revocations", "Revocations", |d| d.revocations),
    ("daily_actives", "Daily active people", |d| d.daily_actives),
    ("monthly_actives", "Monthly active people", |d| {
        d.monthly_actives
    }),
    ("activities", "Activities", |d| d.activities),
    ("shares", "Shares", |d| d.shares),
    ("clicks", "Click-throughs", |d| d.clicks),
    ("conversations", "Conversations started", |d| {
        d.conversations
    }),
    ("api_calls", "API calls", |d| d.api_calls),
    ("api_errors", "API errors", |d| d.api_errors),
];

/// An endpoint's calls by status class over the range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoint {
    /// `GET /v1/me`.
    pub endpoint: String,
    /// Calls answered 2xx, 3xx, 4xx, 5xx.
    pub by_class: [i64; 4],
}

impl Endpoint {
    /// Every call.
    pub fn total(&self) -> i64 {
        self.by_class.iter().sum()
    }
}

/// One app's statistics over a range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// First day.
    pub from: i64,
    /// Last day.
    pub to: i64,
    /// Every day of the range, in order (days without events are zeros).
    pub days: Vec<Day>,
    /// API calls by endpoint, most called first.
    pub endpoints: Vec<Endpoint>,
    /// API errors by code, over the range.
    pub errors: BTreeMap<String, i64>,
    /// Scopes granted on consents, over the range.
    pub scopes: BTreeMap<String, i64>,
}

/// Reads the app's rollups for `from..=to` (and the sketches of the 29 days before, for the
/// monthly actives).
pub async fn load(c: &mut Conn, client_id: &str, from: i64, to: i64) -> DbResult<Report> {
    let counts = crate::store::stats::counts(c, client_id, from, to).await?;
    let sketches = crate::store::stats::sketches(c, client_id, from - (MONTH_DAYS - 1), to).await?;
    Ok(build(from, to, &counts, &sketches))
}

/// The report from rows (see [`load`]).
pub fn build(
    from: i64,
    to: i64,
    counts: &[(i64, String, i64)],
    sketches: &[(i64, Vec<u8>)],
) -> Report {
    let mut days: Vec<Day> = (from..=to)
        .map(|day| Day {
            day,
            ..Day::default()
        })
        .collect();
    let mut endpoints: BTreeMap<String, [i64; 4]> = BTreeMap::new();
    let mut errors = BTreeMap::new();
    let mut scopes = BTreeMap::new();
    for (day, name, value) in counts {
        let Some(d) = usize::try_from(day - from)
            .ok()
            .and_then(|i| days.get_mut(i))
        else {
            continue;
        };
        let v = *value;
        match name.as_str() {
            metric::SIGNINS => d.signins += v,
            metric::CONSENTS => d.consents += v,
            metric::REVOCATIONS => d.revocations += v,
            metric::ACTIVITIES => d.activities += v,
            metric::SHARES => d.shares += v,
            metric::CLICKS => d.clicks += v,
            metric::CONVERSATIONS => d.conversations += v,
            other => {
                if let Some(rest) = other.strip_prefix(metric::API) {
                    d.api_calls += v;
                    if let Some((endpoint, class)) = rest.rsplit_once(':') {
                        let i = match class {
                            "2xx" => 0,
                            "3xx" => 1,
                            "4xx" => 2,
                            _ => 3,
                        };
                        endpoints.entry(endpoint.to_owned()).or_default()[i] += v;
                    }
                } else if let Some(code) = other.strip_prefix(metric::ERROR) {
                    d.api_errors += v;
                    *errors.entry(code.to_owned()).or_default() += v;
                } else if let Some(scope) = other.strip_prefix(metric::SCOPE) {
                    *scopes.entry(scope.to_owned()).or_default() += v;
                }
            }
        }
    }
    // Sketches by day, then a sliding 30-day merge for the monthly actives.
    let first = from - (MONTH_DAYS - 1);
    let mut by_day: Vec<Option<&[u8]>> = vec![None; (to - first + 1) as usize];
    for (day, s) in sketches {
        if let Some(slot) = usize::try_from(day - first)
            .ok()
            .and_then(|i| by_day.get_mut(i))
        {
            *slot = Some(s);
        }
    }
    for d in &mut days {
        let i = (d.day - first) as usize;
        if let Some(s) = by_day[i] {
            d.daily_actives = Sketch(s.to_vec()).estimate() as i64;
        }
        let mut month = Sketch::default();
        let mut any = false;
        for s in by_day[i + 1 - MONTH_DAYS as usize..=i].iter().flatten() {
            month.merge(s);
            any = true;
        }
        if any {
            d.monthly_actives = month.estimate() as i64;
        }
    }
    let mut endpoints: Vec<Endpoint> = endpoints
        .into_iter()
        .map(|(endpoint, by_class)| Endpoint { endpoint, by_class })
        .collect();
    endpoints.sort_by(|a, b| b.total().cmp(&a.total()).then(a.endpoint.cmp(&b.endpoint)));
    Report {
        from,
        to,
        days,
        endpoints,
        errors,
        scopes,
    }
}

impl Report {
    /// Sum of a column over the range.
    pub fn total(&self, get: fn(&Day) -> i64) -> i64 {
        self.days.iter().map(get).sum()
    }

    /// The JSON form (the API's answer).
    pub fn to_json(&self, client_id: &str) -> Value {
        let days: Vec<Value> = self
            .days
            .iter()
            .map(|d| {
                let mut o = serde_json::Map::new();
                o.insert("date".into(), json!(format_date(d.day)));
                for (name, _, get) in COLUMNS {
                    o.insert((*name).into(), json!(get(d)));
                }
                Value::Object(o)
            })
            .collect();
        let endpoints: Vec<Value> = self
            .endpoints
            .iter()
            .map(|e| {
                json!({
                    "endpoint": e.endpoint,
                    "2xx": e.by_class[0], "3xx": e.by_class[1],
                    "4xx": e.by_class[2], "5xx": e.by_class[3],
                    "total": e.total(),
                })
            })
            .collect();
        let mut totals = serde_json::Map::new();
        for (name, _, get) in COLUMNS {
            if !name.ends_with("_actives") {
                totals.insert((*name).into(), json!(self.total(*get)));
            }
        }
        json!({
            "client_id": client_id,
            "from": format_date(self.from),
            "to": format_date(self.to),
            "totals": totals,
            "days": days,
            "endpoints": endpoints,
            "errors": self.errors,
            "scopes": self.scopes,
        })
    }

    /// [`Self::to_json`] as an HTTP answer (never cached).
    pub fn json_response(&self, client_id: &str) -> Response {
        (
            [(header::CACHE_CONTROL, "no-store")],
            Json(self.to_json(client_id)),
        )
            .into_response()
    }

    /// The CSV form: one row per day (RFC 4180; the header names the columns).
    pub fn to_csv(&self) -> String {
        let mut out = String::from("date");
        for (name, _, _) in COLUMNS {
            out.push(',');
            out.push_str(name);
        }
        out.push_str("\r\n");
        for d in &self.days {
            out.push_str(&format_date(d.day));
            for (_, _, get) in COLUMNS {
                out.push(',');
                out.push_str(&get(d).to_string());
            }
            out.push_str("\r\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_bad_ones_are_refused() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(
            parse_date("2026-12-03").map(format_date).as_deref(),
            Some("2026-12-03")
        );
        assert_eq!(
            parse_date("2024-02-29").map(format_date).as_deref(),
            Some("2024-02-29")
        );
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01x",
            "2026-01-00",
            "+026-01-01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn ranges() {
        let today = parse_date("2026-12-03").unwrap();
        assert_eq!(range(None, None, today), Ok((today - 29, today)));
        let e = range(Some("2026-12-05"), Some("2026-12-01"), today).unwrap_err();
        assert!(e.0.contains("after"), "{e}");
        let e = range(Some("2024-01-01"), Some("2026-01-01"), today).unwrap_err();
        assert!(e.0.contains("at most 366"), "{e}");
        let e = range(Some("yesterday"), None, today).unwrap_err();
        assert!(e.0.contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn build_sums_families_and_fills_gaps() {
        let counts = vec![
            (10, "signins".to_owned(), 2),
            (10, "api:GET /v1/me:2xx".to_owned(), 5),
            (11, "api:GET /v1/me:4xx".to_owned(), 1),
            (11, "error:request_token_expired".to_owned(), 1),
            (11, "scope:wl.basic".to_owned(), 1),
        ];
        let mut s = Sketch::default();
        s.add(1 << 40);
        let r = build(9, 12, &counts, &[(3, s.0.clone()), (10, s.0)]);
        assert_eq!(r.days.len(), 4);
        assert_eq!(r.days[1].signins, 2);
        assert_eq!(r.days[1].api_calls, 5);
        assert_eq!(r.days[2].api_errors, 1);
        assert_eq!(r.endpoints[0].by_class, [5, 0, 1, 0]);
        assert_eq!(r.scopes["wl.basic"], 1);
        assert_eq!(r.days[1].daily_actives, 1);
        // Day 3's sketch is within 30 days of day 9 only.
        assert_eq!(r.days[0].monthly_actives, 1);
        assert_eq!(r.days[3].monthly_actives, 1);
        assert!(r.to_csv().starts_with("date,signins,consents"));
    }
}
