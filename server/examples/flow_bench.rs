//! Load for the whole authorize → token exchange against a running `wl-server`:
//! `cargo run --release -p wl-server --example flow_bench -- PROVIDER_ORIGIN SITE_ORIGIN [SECONDS] [CONCURRENCY]`
//!
//! Each worker signs in once as a demo person and allows the demo app; then it loops
//! `GET /authorize` (302 with a code, consent already given) + `POST /token` (PKCE), and the
//! tool prints exchanges per second and p50/p99 latency of one full exchange.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode, header};

fn hidden(html: &str, name: &str) -> String {
    let needle = format!(r#"name="{name}" value=""#);
    let start = html.find(&needle).expect("field") + needle.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end]
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn authorize_url(provider: &str, redirect: &str, verifier: &str) -> String {
    let q: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", "wl-demo")
        .append_pair("redirect_uri", redirect)
        .append_pair("scope", "openid wl.basic")
        .append_pair("state", "s")
        .append_pair("nonce", "n")
        .append_pair(
            "code_challenge",
            &wl_server::identity::pkce::s256_challenge(verifier),
        )
        .append_pair("code_challenge_method", "S256")
        .finish();
    format!("{provider}/authorize?{q}")
}

async fn worker(provider: String, redirect: String, user: String, until: Instant) -> Vec<Duration> {
    let c = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let verifier = wl_server::crypto::random_secret("bench-");
    let url = authorize_url(&provider, &redirect, &verifier);
    // Sign in and consent once.
    let page = c.get(&url).send().await.unwrap().text().await.unwrap();
    let res = c
        .post(format!("{provider}/signin"))
        .form(&[
            ("csrf", hidden(&page, "csrf")),
            ("continue", hidden(&page, "continue")),
            ("username", user),
            ("password", "demo".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in");
    let res = c.get(&url).send().await.unwrap();
    if res.status() == StatusCode::OK {
        let page = res.text().await.unwrap();
        let form = [
            ("csrf", hidden(&page, "csrf")),
            ("request", hidden(&page, "request")),
            ("decision", "allow".into()),
            ("remember", "1".into()),
        ];
        c.post(format!("{provider}/authorize/decision"))
            .form(&form)
            .send()
            .await
            .unwrap();
    }
    let mut times = Vec::new();
    while Instant::now() < until {
        let t = Instant::now();
        let res = c.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
        let loc = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
        let code = url::Url::parse(&loc)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "code")
            .unwrap()
            .1
            .into_owned();
        let form = [
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &redirect),
            ("client_id", "wl-demo"),
            ("code_verifier", &verifier),
        ];
        let res = c
            .post(format!("{provider}/token"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        res.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    times
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(provider), Some(site)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: flow_bench PROVIDER_ORIGIN SITE_ORIGIN [SECONDS] [CONCURRENCY]");
        std::process::exit(2);
    };
    let secs: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let conc: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(8);
    let users = [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken",
        "laura", "mike", "nina", "oscar", "peggy",
    ];
    let redirect = format!("{site}/callback.html");
    let until = Instant::now() + Duration::from_secs(secs) + Duration::from_millis(500);
    let start = Instant::now();
    let tasks: Vec<_> = (0..conc)
        .map(|i| {
            tokio::spawn(worker(
                provider.clone(),
                redirect.clone(),
                users[i % users.len()].into(),
                until,
            ))
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "authorize->token exchanges: {} in {:.1}s = {:.0}/s, p50 {:.2}ms, p99 {:.2}ms (concurrency {conc})",
        all.len(),
        elapsed,
        all.len() as f64 / elapsed,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3
    );
}
