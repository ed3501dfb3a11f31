//! An app's usage statistics in the portal (issue 15): the page
//! `/developers/apps/{id}/stats?from=YYYY-MM-DD&to=YYYY-MM-DD` with server-drawn SVG charts
//! (each `role="img"` with a `<title>` and a `<desc>`, a data table under it; no script), its
//! CSV (`…/stats.csv`) and JSON (`…/stats.json`, and `/v1/apps/{id}/stats` for a bearer
//! token: [`crate::api::app_stats`]), and the counting click-through redirect
//! `/r/{activity_id}`. Owners only: anyone else gets 404 ([`super::owned_app`]). The numbers
//! come from the rollups ([`crate::stats::report`]).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};

use super::{Gate, owned_app};
use crate::error::{AppError, JsonError};
use crate::pages::PageError;
use crate::pages::i18n::{self, M, fill, number, t};
use crate::state::AppState;
use crate::stats::metric;
use crate::stats::report::{self, COLUMNS, Day, RangeQuery, Report, format_date};
use crate::store::stats::LinkKind;
use crate::web::redirect;

/// The portal's statistics routes and the click-through redirect.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/developers/apps/{id}/stats", get(page))
        .route("/developers/apps/{id}/stats.csv", get(csv))
        .route("/developers/apps/{id}/stats.json", get(json_session))
        .route("/developers/assets/stats.css", get(stylesheet))
        .route("/r/{activity_id}", get(click))
        .route("/r/{activity_id}/{which}", get(click_link))
}

fn continue_to(id: &str, suffix: &str) -> String {
    format!(
        "/developers/apps/{}/stats{suffix}",
        url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
    )
}

/// `GET /developers/apps/{id}/stats`.
async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, PageError> {
    let app = match owned_app(&state, &headers, &id, &continue_to(&id, "")).await? {
        Gate::Open(_, app) => app,
        Gate::SignIn(res) => return Ok(res),
    };
    let r = report::for_query(&state, &app.client_id, &q).await?;
    Ok(Html(stats_page(&app.client_id, &app.name, &r)).into_response())
}

/// `GET /developers/apps/{id}/stats.csv`.
async fn csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, PageError> {
    let app = match owned_app(&state, &headers, &id, &continue_to(&id, ".csv")).await? {
        Gate::Open(_, app) => app,
        Gate::SignIn(res) => return Ok(res),
    };
    let r = report::for_query(&state, &app.client_id, &q).await?;
    let file = format!(
        "attachment; filename=\"stats-{}-{}.csv\"",
        format_date(r.from),
        format_date(r.to)
    );
    let mut res = (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        r.to_csv(),
    )
        .into_response();
    if let Ok(v) = header::HeaderValue::from_str(&file) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// `GET /developers/apps/{id}/stats.json`: the JSON for the signed-in owner (portal session).
async fn json_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, JsonError> {
    let person = crate::identity::sessions::current_person(&state.sessions(), &headers)
        .await?
        .ok_or(AppError::InvalidToken)?;
    let mut c = state.db.conn().await?;
    if !crate::store::apps::is_owner(&mut c, &id, &person.id).await? {
        return Err(AppError::NotFound.into());
    }
    drop(c);
    let r = report::for_query(&state, &id, &q).await?;
    Ok(r.json_response(&id))
}

/// `GET /r/{activity_id}`: counts a click-through on the activity's shared link and answers
/// `302` to exactly that link, as stored with the activity. The target never comes from the
/// request: an unknown id, or an activity without a link, is 404.
async fn click(
    State(state): State<AppState>,
    Path(activity_id): Path<String>,
) -> Result<Response, PageError> {
    click_to(&state, &activity_id, LinkKind::Object).await
}

/// `GET /r/{activity_id}/action` and `GET /r/{activity_id}/via` (issue 17): the same for the
/// activity's action link and its "via <app>" link (the app's site). Anything else is 404.
async fn click_link(
    State(state): State<AppState>,
    Path((activity_id, which)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let kind = match which.as_str() {
        "action" => LinkKind::Action,
        "via" => LinkKind::Via,
        _ => return Err(link_not_found()),
    };
    click_to(&state, &activity_id, kind).await
}

fn link_not_found() -> PageError {
    PageError(AppError::Page {
        status: StatusCode::NOT_FOUND,
        code: "link_not_found",
        title: "Link not found",
        message: "There's no shared link at this address.".into(),
    })
}

/// Counts a click-through for the activity's app and redirects to its link of `kind`.
async fn click_to(
    state: &AppState,
    activity_id: &str,
    kind: LinkKind,
) -> Result<Response, PageError> {
    let mut c = state.db.conn().await?;
    let found = crate::store::stats::activity_link(&mut c, activity_id, kind).await?;
    drop(c);
    // Stored links are checked http(s) when written; checked again here.
    let Some((app, href)) = found
        .filter(|(_, h)| url::Url::parse(h).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
    else {
        return Err(link_not_found());
    };
    if let Some(app) = app {
        state
            .tokens
            .stats
            .count(&app, metric::CLICKS, state.clock.now());
    }
    Ok(redirect(StatusCode::FOUND, &href))
}

/// `GET /developers/assets/stats.css`.
async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// The statistics page's own styles (next to the provider's stylesheet).
const CSS: &str = r#"body.stats{display:block;padding:20px 12px}
.stats main{max-width:960px;margin:0 auto;background:#fff;border-radius:14px;padding:24px 28px;box-shadow:0 1px 2px rgba(16,24,40,.06),0 8px 24px rgba(16,24,40,.08)}
.stats h1{font-size:24px;margin:4px 0 2px}.stats h2{font-size:18px;margin:28px 0 8px}
.stats .muted{color:var(--muted)}
.stats form.range{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:flex-end;margin:16px 0}
.stats form.range label{display:flex;flex-direction:column;font-size:13px;color:var(--muted);gap:4px}
.stats form.range input{font:inherit;padding:6px 8px;border:1px solid var(--line);border-radius:8px;color:var(--ink)}
.stats form.range button{font:inherit;padding:7px 16px;border:0;border-radius:8px;background:var(--blue);color:#fff;cursor:pointer}
.stats .exports a{margin-inline-end:16px;color:var(--blue)}
.stats .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:10px;margin:16px 0 0;padding:0;list-style:none}
.stats .tiles li{border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.stats .tiles b{display:block;font-size:22px}.stats .tiles span{font-size:13px;color:var(--muted)}
.stats figure{margin:0}.stats .chart-wrap{overflow-x:auto}.stats svg.chart{width:100%;height:auto;display:block}
.stats svg.chart{direction:ltr}
.stats .legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:6px 0;padding:0;list-style:none;font-size:13px}
.stats .legend i{display:inline-block;width:18px;height:4px;border-radius:2px;vertical-align:middle;margin-inline-end:6px}
.stats .table-wrap{overflow:auto;max-height:260px;border:1px solid var(--line);border-radius:8px;margin-top:8px}
.stats table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
.stats th,.stats td{padding:4px 10px;text-align:end;border-bottom:1px solid var(--line);white-space:nowrap}
.stats th:first-child,.stats td:first-child{text-align:start}
.stats thead th{position:sticky;top:0;background:#f7f9fc}
.stats .k0{background:#0b63ce}.stats .k1{background:#64748b}.stats .k2{background:#c2410c}.stats .k3{background:#b91c1c}
.stats .c0{background:#0b63ce}.stats .c1{background:#c2410c}.stats .c2{background:#15803d}.stats .c3{background:#7e22ce}
@media (max-width:640px){.stats svg.chart{min-width:600px}}
@media (max-width:480px){body.stats{padding:0}.stats main{border-radius:0;padding:18px 14px;box-shadow:none}}
"#;

/// Series colours (with a dash pattern each, so they differ without colour too).
const COLOURS: [&str; 4] = ["#0b63ce", "#c2410c", "#15803d", "#7e22ce"];
const DASHES: [&str; 4] = ["", "6 4", "2 3", "10 3 2 3"];
/// Status classes' colours: 2xx blue, 3xx grey, 4xx orange, 5xx red.
const CLASS_COLOURS: [&str; 4] = ["#0b63ce", "#64748b", "#c2410c", "#b91c1c"];

/// The chart's y-axis top: a round number at least `max`.
fn nice_max(max: i64) -> i64 {
    if max <= 4 {
        return 4;
    }
    let mut step = 1;
    while step * 10 < max {
        step *= 10;
    }
    for m in [1, 2, 5, 10] {
        if step * m >= max {
            return step * m;
        }
    }
    step * 10
}

/// A time-series chart of `columns` over the report's days, with its data table.
fn time_chart(id: &str, title: &str, r: &Report, columns: &[&report::Column]) -> Markup {
    const W: f64 = 720.0;
    const H: f64 = 220.0;
    const L: f64 = 48.0;
    const R: f64 = 12.0;
    const T: f64 = 12.0;
    const B: f64 = 28.0;
    let n = r.days.len().max(1);
    let max = columns
        .iter()
        .flat_map(|(_, _, get)| r.days.iter().map(get))
        .max()
        .unwrap_or(0);
    let top = nice_max(max);
    let x = |i: usize| {
        if n == 1 {
            L + (W - L - R) / 2.0
        } else {
            L + (W - L - R) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: i64| T + (H - T - B) * (1.0 - v as f64 / top as f64);
    let desc = columns
        .iter()
        .map(|(_, label, get)| {
            let total: i64 = r.days.iter().map(get).sum();
            let peak = r.days.iter().map(get).max().unwrap_or(0);
            fill(
                M::DevSeriesDesc,
                &[
                    ("label", col_label(label)),
                    ("total", &number(total)),
                    ("peak", &number(peak)),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let desc = fill(
        M::DevChartDesc,
        &[
            ("from", &day_date(r.from)),
            ("to", &day_date(r.to)),
            ("series", &desc),
        ],
    );
    let ticks = [0, top / 4, top / 2, top * 3 / 4, top];
    let label_days: Vec<usize> = if n <= 1 {
        vec![0]
    } else {
        vec![0, (n - 1) / 2, n - 1]
    };
    html! {
        section aria-labelledby=(format!("{id}-h")) {
            h2 id=(format!("{id}-h")) { (title) }
            figure {
                div class="chart-wrap" tabindex="0" role="group" aria-label=(fill(M::DevChartLabel, &[("title", title)])) {
                svg class="chart" viewBox=(format!("0 0 {W} {H}")) role="img"
                    aria-labelledby=(format!("{id}-t {id}-d")) {
                    title id=(format!("{id}-t")) { (title) }
                    desc id=(format!("{id}-d")) { (desc) }
                    @for t in ticks {
                        line x1=(L) x2=(W - R) y1=(y(t)) y2=(y(t)) stroke="#dde3ea" stroke-width="1" {}
                        text x=(L - 6.0) y=(y(t) + 4.0) text-anchor="end" font-size="11" fill="#5f6b7a" { (number(t)) }
                    }
                    @for &i in &label_days {
                        text x=(x(i)) y=(H - 8.0) font-size="11" fill="#5f6b7a"
                            text-anchor=(if i == 0 && n > 1 { "start" } else if i == n - 1 && n > 1 { "end" } else { "middle" }) {
                            (format_date(r.days.get(i).map_or(r.from, |d| d.day)))
                        }
                    }
                    @for (k, (_, _, get)) in columns.iter().enumerate() {
                        @let points = r.days.iter().enumerate()
                            .map(|(i, d)| format!("{:.1},{:.1}", x(i), y(get(d))))
                            .collect::<Vec<_>>().join(" ");
                        polyline points=(points) fill="none" stroke=(COLOURS[k % 4])
                            stroke-width="2" stroke-dasharray=(DASHES[k % 4])
                            stroke-linejoin="round" {}
                        @if n == 1 {
                            circle cx=(x(0)) cy=(y(get(&r.days[0]))) r="3" fill=(COLOURS[k % 4]) {}
                        }
                    }
                }
                }
                figcaption {
                    ul class="legend" {
                        @for (k, (_, label, _)) in columns.iter().enumerate() {
                            li { i class=(format!("c{}", k % 4)) {} (col_label(label)) }
                        }
                    }
                }
            }
            (day_table(title, r, columns))
        }
    }
}

fn day_table(title: &str, r: &Report, columns: &[&report::Column]) -> Markup {
    html! {
        div class="table-wrap" role="region" aria-label=(fill(M::DevDataLabel, &[("title", title)])) tabindex="0" {
            table {
                caption class="muted" { (fill(M::DevByDay, &[("title", title)])) }
                thead { tr {
                    th scope="col" { (t(M::DevDate)) }
                    @for (_, label, _) in columns { th scope="col" { (col_label(label)) } }
                } }
                tbody {
                    @for d in r.days.iter().rev() {
                        tr {
                            th scope="row" { (format_date(d.day)) }
                            @for (_, _, get) in columns { td { (number(get(d))) } }
                        }
                    }
                }
            }
        }
    }
}

/// The breakdown by endpoint: stacked horizontal bars (status classes), with its table.
fn endpoint_chart(r: &Report) -> Markup {
    const W: f64 = 720.0;
    const LABEL: f64 = 230.0;
    const ROW: f64 = 26.0;
    let shown: Vec<&report::Endpoint> = r.endpoints.iter().take(15).collect();
    let h = (shown.len().max(1) as f64) * ROW + 30.0;
    let top = nice_max(shown.iter().map(|e| e.total()).max().unwrap_or(0));
    let scale = |v: i64| (W - LABEL - 60.0) * v as f64 / top as f64;
    let classes = ["2xx", "3xx", "4xx", "5xx"];
    let desc = if shown.is_empty() {
        t(M::DevNoApiCalls).to_owned()
    } else {
        shown
            .iter()
            .map(|e| {
                fill(
                    M::DevEndpointCalls,
                    &[("endpoint", &e.endpoint), ("n", &number(e.total()))],
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    html! {
        section aria-labelledby="endpoints-h" {
            h2 id="endpoints-h" { (t(M::DevByEndpoint)) }
            figure {
                div class="chart-wrap" tabindex="0" role="group" aria-label=(fill(M::DevChartLabel, &[("title", t(M::DevByEndpoint))])) {
                svg class="chart" viewBox=(format!("0 0 {W} {h}")) role="img"
                    aria-labelledby="endpoints-t endpoints-d" {
                    title id="endpoints-t" { (t(M::DevByEndpoint)) }
                    desc id="endpoints-d" { (desc) }
                    @if shown.is_empty() {
                        text x="10" y="20" font-size="13" fill="#5f6b7a" { (t(M::DevNoApiCalls)) }
                    }
                    @for (i, e) in shown.iter().enumerate() {
                        @let yy = 8.0 + i as f64 * ROW;
                        text x=(LABEL - 8.0) y=(yy + 14.0) text-anchor="end" font-size="12" fill="#1b1f24" { (e.endpoint) }
                        @let (segs, end) = segments(LABEL, &e.by_class, scale);
                        @for (x0, w, k) in segs {
                            rect x=(format!("{x0:.1}")) y=(yy + 2.0) width=(format!("{w:.1}"))
                                height=(ROW - 8.0) fill=(CLASS_COLOURS[k]) {}
                        }
                        text x=(end + 6.0) y=(yy + 14.0) font-size="12" fill="#5f6b7a" { (number(e.total())) }
                    }
                }
                }
                figcaption {
                    ul class="legend" {
                        @for (k, c) in classes.iter().enumerate() { li { i class=(format!("k{k}")) {} (c) } }
                    }
                }
            }
            div class="table-wrap" role="region" aria-label=(fill(M::DevDataLabel, &[("title", t(M::DevByEndpoint))])) tabindex="0" {
                table {
                    caption class="muted" { (fill(M::DevEndpointCaption, &[("from", &day_date(r.from)), ("to", &day_date(r.to))])) }
                    thead { tr {
                        th scope="col" { (t(M::DevEndpoint)) }
                        @for c in classes { th scope="col" { (c) } }
                        th scope="col" { (t(M::DevTotal)) }
                    } }
                    tbody {
                        @for e in &r.endpoints {
                            tr {
                                th scope="row" { (e.endpoint) }
                                @for v in e.by_class { td { (number(v)) } }
                                td { (number(e.total())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The bars of one endpoint: (x, width, class) of each non-zero class, and where they end.
fn segments(
    start: f64,
    by_class: &[i64; 4],
    scale: impl Fn(i64) -> f64,
) -> (Vec<(f64, f64, usize)>, f64) {
    let mut x = start;
    let mut out = Vec::new();
    for (k, v) in by_class.iter().enumerate() {
        if *v > 0 {
            let w = scale(*v).max(1.0);
            out.push((x, w, k));
            x += w;
        }
    }
    (out, x)
}

fn counts_table(
    id: &str,
    title: &str,
    what: &str,
    rows: &std::collections::BTreeMap<String, i64>,
) -> Markup {
    html! {
        section aria-labelledby=(format!("{id}-h")) {
            h2 id=(format!("{id}-h")) { (title) }
            @if rows.is_empty() {
                p class="muted" { (t(M::DevNoneInRange)) }
            } @else {
                div class="table-wrap" role="region" aria-label=(fill(M::DevDataLabel, &[("title", title)])) tabindex="0" {
                    table {
                        thead { tr { th scope="col" { (what) } th scope="col" { (t(M::DevCount)) } } }
                        tbody {
                            @for (k, v) in rows { tr { th scope="row" { code { (k) } } td { (number(*v)) } } }
                        }
                    }
                }
            }
        }
    }
}

/// A day (days since 1970) as a date in the request's language.
fn day_date(day: i64) -> String {
    i18n::date(day * 86_400)
}

/// A column's label (its English in [`COLUMNS`]) in the request's language.
fn col_label(english: &str) -> &str {
    match i18n::key_of_english(english) {
        Some(k) => t(k),
        None => english,
    }
}

fn col(name: &str) -> &'static report::Column {
    COLUMNS.iter().find(|c| c.0 == name).unwrap_or(&COLUMNS[0])
}

/// The statistics page.
pub fn stats_page(client_id: &str, app_name: &str, r: &Report) -> String {
    let tiles: [(&str, i64); 6] = [
        (t(M::DevSignins), r.total(|d: &Day| d.signins)),
        (t(M::DevConsents), r.total(|d| d.consents)),
        (t(M::DevShares), r.total(|d| d.shares)),
        (t(M::DevClicks), r.total(|d| d.clicks)),
        (t(M::DevApiCalls), r.total(|d| d.api_calls)),
        (
            t(M::DevMonthlyActives),
            r.days.last().map_or(0, |d| d.monthly_actives),
        ),
    ];
    let q = format!("?from={}&to={}", format_date(r.from), format_date(r.to));
    let base = continue_to(client_id, "");
    let body = html! {
        main {
            (crate::pages::html::brand())
            p class="muted" { a href="/developers" { (t(M::DevYourApps)) } " › " (app_name) }
            h1 { (fill(M::DevStatsOf, &[("app", app_name)])) }
            p class="muted" {
                (fill(M::DevStatsRange, &[("from", &day_date(r.from)), ("to", &day_date(r.to))]))
            }
            form class="range" method="get" action=(base) {
                label { (t(M::DevFrom)) input type="date" name="from" value=(format_date(r.from)) required; }
                label { (t(M::DevTo)) input type="date" name="to" value=(format_date(r.to)) required; }
                button type="submit" { (t(M::DevShow)) }
            }
            p class="exports" {
                a href=(format!("{base}.csv{q}")) download { (t(M::DevDownloadCsv)) }
                a href=(format!("{base}.json{q}")) { "JSON" }
            }
            ul class="tiles" {
                @for (label, v) in tiles { li { b { (number(v)) } span { (label) } } }
            }
            (time_chart("people", t(M::DevChartPeople), r,
                &[col("signins"), col("consents"), col("revocations")]))
            (time_chart("actives", t(M::DevChartActives), r, &[col("daily_actives"), col("monthly_actives")]))
            (time_chart("sharing", t(M::DevChartSharing), r,
                &[col("activities"), col("shares"), col("clicks"), col("conversations")]))
            (time_chart("api", t(M::DevChartApi), r, &[col("api_calls"), col("api_errors")]))
            (endpoint_chart(r))
            (counts_table("errors", t(M::DevErrorsByCode), t(M::DevCode), &r.errors))
            (counts_table("scopes", t(M::DevScopesGranted), t(M::DevScope), &r.scopes))
        }
    };
    crate::pages::html::shell(
        &fill(
            M::TitleSuffix,
            &[("title", &fill(M::DevStatsOf, &[("app", app_name)]))],
        ),
        &["/developers/assets/stats.css"],
        Some("stats"),
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_maxima_and_thousands() {
        assert_eq!(nice_max(0), 4);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(130), 200);
        assert_eq!(nice_max(4_900), 5_000);
        assert_eq!(number(1_234_567), "1,234,567");
        assert_eq!(number(12), "12");
    }

    #[test]
    fn the_page_escapes_and_labels_its_charts() {
        let r = report::build(100, 102, &[(101, "signins".into(), 3)], &[]);
        let page = stats_page("app<1>", "<b>Evil</b>", &r);
        assert!(!page.contains("<b>Evil"));
        assert!(page.contains(r#"role="img""#));
        assert_eq!(page.matches("<title id=").count(), 5);
        assert_eq!(page.matches("<desc id=").count(), 5);
        assert!(page.contains("Sign-ins: total 3, highest day 3"));
        assert!(!page.contains("<script"));
    }
}
