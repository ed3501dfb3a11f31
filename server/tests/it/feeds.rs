//! App feeds (issue 17 §1) over real HTTP: the owner sets an RSS or Atom feed on the app's
//! portal page, the provider fetches it from a real local feed server (a tiny HTTP server in
//! the test: RSS, then Atom, `304` on a conditional GET, malformed XML, a page that is not a
//! feed, an oversize one, one that never answers) and turns new entries into activities for
//! the people who allowed the app (`wl.share`) only, never twice; bad and private addresses
//! are refused (attack tests), each failure a stable code on the page.
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode as AxumStatus, header as h};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{Flow, TempDir, TestServer, config, hidden, location};
use wl_server::feeds::FeedsConfig;

/// The feed server's RSS document and its ETag (the test changes them).
#[derive(Default)]
struct Served {
    rss: String,
    etag: String,
    rss_gets: usize,
}

fn rss(items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title, link)| {
            format!("<item><guid>{guid}</guid><title>{title}</title><link>{link}</link></item>")
        })
        .collect();
    format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>{items}</channel></rss>"#
    )
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title><id>urn:news</id>
<entry><id>urn:news:1</id><title>Atom news</title><link rel="alternate" href="https://news.example.org/1"/></entry>
</feed>"#;

/// Starts the feed server on `ip` (a loopback address); returns its origin.
async fn feed_server(ip: IpAddr, served: Arc<Mutex<Served>>, redirect_to: String) -> String {
    let rss_state = served.clone();
    let app = Router::new()
        .route(
            "/rss",
            get(move |headers: HeaderMap| {
                let served = rss_state.clone();
                async move {
                    let mut s = served.lock().unwrap();
                    s.rss_gets += 1;
                    let tag = s.etag.clone();
                    if headers.get(h::IF_NONE_MATCH).and_then(|v| v.to_str().ok())
                        == Some(tag.as_str())
                    {
                        return (AxumStatus::NOT_MODIFIED, [(h::ETAG, tag)]).into_response();
                    }
                    (
                        [
                            (h::CONTENT_TYPE, "application/rss+xml".to_owned()),
                            (h::ETAG, tag),
                        ],
                        s.rss.clone(),
                    )
                        .into_response()
                }
            }),
        )
        .route(
            "/atom",
            get(|headers: HeaderMap| async move {
                // Validated by date only (no ETag): 304 to a matching If-Modified-Since.
                let stamp = "Wed, 02 Dec 2026 10:00:00 GMT";
                if headers
                    .get(h::IF_MODIFIED_SINCE)
                    .and_then(|v| v.to_str().ok())
                    == Some(stamp)
                {
                    return AxumStatus::NOT_MODIFIED.into_response();
                }
                (
                    [
                        (h::CONTENT_TYPE, "application/atom+xml"),
                        (h::LAST_MODIFIED, stamp),
                    ],
                    ATOM,
                )
                    .into_response()
            }),
        )
        .route(
            "/malformed",
            get(|| async { "<rss><channel><item><title>oops</channel>" }),
        )
        .route(
            "/html",
            get(|| async {
                (
                    [(h::CONTENT_TYPE, "text/html")],
                    "<html><body>Hi</body></html>",
                )
            }),
        )
        .route(
            "/big",
            get(|| async { format!("<rss><channel>{}</channel></rss>", " ".repeat(200_000)) }),
        )
        .route(
            "/hang",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                "late"
            }),
        )
        .route("/gone", get(|| async { AxumStatus::GONE }))
        .route(
            "/to-loopback",
            get(move || {
                let to = redirect_to.clone();
                async move {
                    Response::builder()
                        .status(302)
                        .header(h::LOCATION, to)
                        .body(axum::body::Body::empty())
                        .unwrap()
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// A provider whose feed fetcher reaches loopback only as the test allows: `allow_private`
/// (the operator setting), or only the exempt address.
async fn provider(allow_private: bool, exempt: Vec<IpAddr>) -> TestServer {
    let dir = TempDir::new();
    let mut cfg = config(&dir);
    cfg.feeds = FeedsConfig {
        poll: false,
        allow_private,
        exempt,
        timeout: Duration::from_secs(2),
        max_bytes: 64 * 1024,
        ..FeedsConfig::default()
    };
    TestServer::start_with(cfg, Arc::new(dir)).await
}

/// Alice, owner of the demo app, signed in to the portal.
async fn owner(srv: &TestServer) -> Flow {
    let mut c = srv.running.state.db.conn().await.unwrap();
    wl_server::store::apps::add_owner(&mut c, "wl-demo", &srv.person_id("alice"), 0)
        .await
        .unwrap();
    drop(c);
    let f = Flow::new(srv);
    let page = f.get("/developers").await.text().await.unwrap();
    let res = f.sign_in(&page, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    f
}

const PAGE: &str = "/developers/apps/wl-demo/feed";

/// Posts a form of the feed page (with its CSRF token and the provider's Origin).
async fn post(srv: &TestServer, f: &Flow, path: &str, url: Option<&str>) -> (StatusCode, String) {
    let page = f.get(PAGE).await.text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let mut form = vec![("csrf", csrf.as_str())];
    if let Some(u) = url {
        form.push(("url", u));
    }
    let res = f
        .client
        .post(format!("{}{path}", srv.provider()))
        .header("Origin", srv.provider())
        .form(&form)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn set_feed(srv: &TestServer, f: &Flow, url: &str) -> (StatusCode, String) {
    post(srv, f, PAGE, Some(url)).await
}

async fn check_now(srv: &TestServer, f: &Flow) -> String {
    let (status, html) = post(srv, f, &format!("{PAGE}/check"), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    html
}

/// The summaries of `who`'s feed written from the app's feed.
async fn feed_titles(srv: &TestServer, who: &str) -> Vec<String> {
    let api = srv.api(who, "wl.basic").await;
    let feed = api.json("/v1/me/feed?$filter=startswith(summary,'Alice%20Anderson%20via')&$orderby=published%20asc,id%20desc").await;
    feed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["object"]["name"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn new_entries_become_activities_for_allowed_people_once() {
    let srv = provider(true, vec![]).await;
    let served = Arc::new(Mutex::new(Served {
        rss: rss(&[
            ("g2", "Second", "https://blog.example.org/2"),
            ("g1", "First", "https://blog.example.org/1"),
        ]),
        etag: "\"v1\"".into(),
        rss_gets: 0,
    }));
    let origin = feed_server("127.0.0.1".parse().unwrap(), served.clone(), String::new()).await;
    // Alice allowed the app to share for her (wl.share); carol only let it read (wl.basic).
    srv.api("alice", "wl.basic wl.share").await;
    srv.api("carol", "wl.basic").await;
    let f = owner(&srv).await;

    let (status, html) = set_feed(&srv, &f, &format!("{origin}/rss")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("pending"), "{html}");
    let html = check_now(&srv, &f).await;
    assert!(
        html.contains(r#"<code class="feed-code">ok</code>"#),
        "{html}"
    );
    assert!(
        html.contains("Entries read: 2, new: 2, activities written: 2."),
        "{html}"
    );
    assert!(html.contains("2 entries published so far"), "{html}");

    // Bob (alice's and carol's friend) sees alice's two, oldest first; none for carol.
    assert_eq!(feed_titles(&srv, "bob").await, ["First", "Second"]);
    let bob = srv.api("bob", "wl.basic").await;
    let carol_id = srv.person_id("carol");
    assert_eq!(
        srv.sql_i64(
            "SELECT COUNT(*) FROM activities WHERE template = 'feed_entry' AND actor_id = $1",
            &[&carol_id]
        )
        .await,
        0,
        "carol did not allow wl.share"
    );
    let item: Value = bob
        .json("/v1/me/feed?$filter=object/name%20eq%20'First'")
        .await["data"][0]
        .clone();
    assert_eq!(item["action"]["href"], "https://blog.example.org/1");
    assert_eq!(item["action"]["name"], "Read more");
    assert_eq!(item["generator"]["href"], format!("{}/", srv.site()));
    let res = crate::common::browser()
        .get(item["action"]["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "https://blog.example.org/1");

    // Polled again: a conditional GET, answered 304; nothing new.
    let html = check_now(&srv, &f).await;
    assert!(
        html.contains(r#"<code class="feed-code">not_modified</code>"#),
        "{html}"
    );
    assert_eq!(served.lock().unwrap().rss_gets, 2);
    // A changed feed (new ETag) with one new entry: only that one is added.
    {
        let mut s = served.lock().unwrap();
        s.rss = rss(&[
            ("g3", "Third", "https://blog.example.org/3"),
            ("g2", "Second", "https://blog.example.org/2"),
            ("g1", "First", "https://blog.example.org/1"),
        ]);
        s.etag = "\"v2\"".into();
    }
    let html = check_now(&srv, &f).await;
    assert!(
        html.contains("Entries read: 3, new: 1, activities written: 1."),
        "{html}"
    );
    // The same entries again without validators (the server forgot them): no duplicates.
    served.lock().unwrap().etag = "\"v3\"".into();
    let html = check_now(&srv, &f).await;
    assert!(
        html.contains("Entries read: 3, new: 0, activities written: 0."),
        "{html}"
    );
    assert_eq!(feed_titles(&srv, "bob").await, ["First", "Second", "Third"]);

    // Atom too.
    let (status, _) = set_feed(&srv, &f, &format!("{origin}/atom")).await;
    assert_eq!(status, StatusCode::OK);
    let html = check_now(&srv, &f).await;
    assert!(
        html.contains("Entries read: 1, new: 1, activities written: 1."),
        "{html}"
    );
    assert!(html.contains("4 entries published so far"), "{html}");
    assert_eq!(
        feed_titles(&srv, "bob").await,
        ["First", "Second", "Third", "Atom news"]
    );
    // Its Last-Modified comes back as If-Modified-Since: 304.
    let html = check_now(&srv, &f).await;
    assert!(
        html.contains(r#"<code class="feed-code">not_modified</code>"#),
        "{html}"
    );
    assert_eq!(
        srv.sql_i64(
            "SELECT COUNT(*) FROM activities WHERE template = 'feed_entry'",
            &[]
        )
        .await,
        4
    );
}

#[tokio::test]
async fn the_background_poller_polls_a_feed_on_its_own() {
    let dir = TempDir::new();
    let mut cfg = config(&dir);
    cfg.feeds = FeedsConfig {
        poll: true,
        allow_private: true,
        tick: Duration::from_millis(100),
        timeout: Duration::from_secs(2),
        ..FeedsConfig::default()
    };
    let srv = TestServer::start_with(cfg, Arc::new(dir)).await;
    let served = Arc::new(Mutex::new(Served {
        rss: rss(&[("g1", "First", "https://blog.example.org/1")]),
        etag: "\"v1\"".into(),
        rss_gets: 0,
    }));
    let origin = feed_server("127.0.0.1".parse().unwrap(), served.clone(), String::new()).await;
    srv.api("alice", "wl.basic wl.share").await;
    let f = owner(&srv).await;
    let (status, _) = set_feed(&srv, &f, &format!("{origin}/rss")).await;
    assert_eq!(status, StatusCode::OK);
    // Nobody clicks "Check now": the poller finds it due and polls it, once per interval.
    let mut titles = Vec::new();
    for _ in 0..100 {
        titles = feed_titles(&srv, "bob").await;
        if !titles.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(titles, ["First"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        served.lock().unwrap().rss_gets,
        1,
        "not due again within the interval"
    );
}

#[tokio::test]
async fn broken_feeds_get_a_clear_status_and_the_poller_goes_on() {
    let srv = provider(true, vec![]).await;
    let served = Arc::new(Mutex::new(Served {
        rss: rss(&[("g1", "First", "https://blog.example.org/1")]),
        etag: "\"v1\"".into(),
        rss_gets: 0,
    }));
    let origin = feed_server("127.0.0.1".parse().unwrap(), served, String::new()).await;
    srv.api("alice", "wl.basic wl.share").await;
    let f = owner(&srv).await;
    for (path, code) in [
        ("/malformed", "feed_xml_invalid"),
        ("/html", "feed_not_a_feed"),
        ("/big", "feed_too_large"),
        ("/hang", "feed_timeout"),
        ("/gone", "feed_http_error"),
    ] {
        let (status, _) = set_feed(&srv, &f, &format!("{origin}{path}")).await;
        assert_eq!(status, StatusCode::OK);
        let started = std::time::Instant::now();
        let html = check_now(&srv, &f).await;
        assert!(
            html.contains(&format!(r#"<code class="feed-code">{code}</code>"#)),
            "{path}: {html}"
        );
        assert!(html.contains(r#"role="alert""#), "{path}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} took {:?}",
            started.elapsed()
        );
    }
    // The background round polls due feeds (a good one now) after all those failures.
    let (status, _) = set_feed(&srv, &f, &format!("{origin}/rss")).await;
    assert_eq!(status, StatusCode::OK);
    let polled = wl_server::feeds::poll_due(&srv.running.state)
        .await
        .unwrap();
    assert_eq!(polled, 1);
    let html = f.get(PAGE).await.text().await.unwrap();
    assert!(
        html.contains(r#"<code class="feed-code">ok</code>"#),
        "{html}"
    );
    // Not due again until the interval has passed: the next round polls nothing.
    assert_eq!(
        wl_server::feeds::poll_due(&srv.running.state)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn private_addresses_and_bad_urls_are_refused() {
    // 127.0.0.2 stands in for a public host; every other loopback address is private.
    let public: IpAddr = "127.0.0.2".parse().unwrap();
    let srv = provider(false, vec![public]).await;
    let served = Arc::new(Mutex::new(Served {
        rss: rss(&[("g1", "First", "https://blog.example.org/1")]),
        etag: "\"v1\"".into(),
        rss_gets: 0,
    }));
    let inside = feed_server("127.0.0.1".parse().unwrap(), served.clone(), String::new()).await;
    let port = inside.rsplit(':').next().unwrap().to_owned();
    let origin = feed_server(public, served.clone(), format!("{inside}/rss")).await;
    srv.api("alice", "wl.basic wl.share").await;
    let f = owner(&srv).await;

    // Refused when typed: not http(s), or a private address written as an address.
    for (url, code) in [
        ("ftp://example.org/feed", "feed_url_invalid"),
        ("javascript:alert(1)", "feed_url_invalid"),
        ("file:///etc/passwd", "feed_url_invalid"),
        ("not a url", "feed_url_invalid"),
        ("http://user:pw@example.org/feed", "feed_url_invalid"),
        (&format!("http://127.0.0.1:{port}/rss"), "feed_host_refused"),
        (&format!("http://[::1]:{port}/rss"), "feed_host_refused"),
        (
            &format!("http://2130706433:{port}/rss"),
            "feed_host_refused",
        ),
        (
            "http://169.254.169.254/latest/meta-data/",
            "feed_host_refused",
        ),
        ("http://10.0.0.1/feed", "feed_host_refused"),
    ] {
        let (status, html) = set_feed(&srv, &f, url).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        assert!(
            html.contains(&format!("<code>{code}</code>")),
            "{url}: {html}"
        );
        assert_eq!(
            srv.sql_i64("SELECT COUNT(*) FROM app_feeds", &[]).await,
            0,
            "{url}: nothing saved"
        );
    }
    // A name that resolves to a loopback address (localhost) is refused when fetched.
    let (status, _) = set_feed(&srv, &f, &format!("http://localhost:{port}/rss")).await;
    assert_eq!(status, StatusCode::OK);
    let html = check_now(&srv, &f).await;
    assert!(
        html.contains(r#"<code class="feed-code">feed_host_refused</code>"#),
        "{html}"
    );
    // A "public" feed that redirects to a loopback address is refused at the redirect.
    let (status, _) = set_feed(&srv, &f, &format!("{origin}/to-loopback")).await;
    assert_eq!(status, StatusCode::OK);
    let html = check_now(&srv, &f).await;
    assert!(
        html.contains(r#"<code class="feed-code">feed_host_refused</code>"#),
        "{html}"
    );
    // The loopback server was never asked; the "public" one works.
    assert_eq!(served.lock().unwrap().rss_gets, 0);
    let (status, _) = set_feed(&srv, &f, &format!("{origin}/rss")).await;
    assert_eq!(status, StatusCode::OK);
    let html = check_now(&srv, &f).await;
    assert!(
        html.contains(r#"<code class="feed-code">ok</code>"#),
        "{html}"
    );
    // One entry: the singular.
    assert!(html.contains("1 entry published so far"), "{html}");
    assert_eq!(served.lock().unwrap().rss_gets, 1);
    // Nobody else's page: bob does not own the app (404), and his form changes nothing.
    let bob = Flow::new(&srv);
    let page = bob.get("/developers").await.text().await.unwrap();
    bob.sign_in(&page, "bob", "demo").await;
    assert_eq!(bob.get(PAGE).await.status(), StatusCode::NOT_FOUND);
}
