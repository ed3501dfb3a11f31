//! Forged forms, attacked over real HTTP with hand-made cookie headers (issue 13, items 1, 8 and
//! 16's headers): a token the server never issued, another session's token, a pre-session
//! token against a signed-in form, a second cookie of the same name, a foreign or missing
//! `Origin`, `Sec-Fetch-Site: cross-site`; and the legitimate flows still work. Then the site
//! host's `//demo` redirect, and the `Referrer-Policy`/callback headers.
use std::collections::BTreeMap;

use reqwest::{Client, Response, StatusCode, header};

use crate::common::{Flow, TestServer, hidden, location, query};

/// A client that keeps no cookies and follows no redirects: each test writes the `Cookie`
/// header an attacker could make the browser send.
fn raw() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The browser's cookie jar for the provider's host, by hand.
#[derive(Default, Clone)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn take(&mut self, res: &Response) {
        for v in res.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let (kv, _) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = kv.split_once('=').unwrap();
            self.0.insert(k.to_owned(), val.to_owned());
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn with(&self, name: &str, value: &str) -> Self {
        let mut j = self.clone();
        j.0.insert(name.into(), value.into());
        j
    }
}

async fn get(srv: &TestServer, url: &str, jar: &mut Jar) -> Response {
    let url = if url.starts_with('/') {
        format!("{}{url}", srv.provider())
    } else {
        url.to_owned()
    };
    let res = raw()
        .get(url)
        .header(header::COOKIE, jar.header())
        .send()
        .await
        .unwrap();
    jar.take(&res);
    res
}

/// POSTs a form with `cookie` and extra headers (`Origin` etc.), as a browser would.
async fn post(
    srv: &TestServer,
    path: &str,
    cookie: &str,
    headers: &[(&str, &str)],
    form: &[(&str, &str)],
) -> Response {
    let mut req = raw()
        .post(format!("{}{path}", srv.provider()))
        .header(header::COOKIE, cookie)
        .form(form);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

/// Refused with `code` (a 403 error page naming it).
async fn refused(res: Response, code: &str) {
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body = res.text().await.unwrap();
    assert!(body.contains(code), "the page names {code}:\n{body}");
}

/// Signs `user` in by hand (GET the authorize URL, POST the sign-in form from the provider's
/// own origin) and returns the jar and the consent page.
async fn signed_in(srv: &TestServer, flow: &Flow, user: &str, scope: &str) -> (Jar, String) {
    let mut jar = Jar::default();
    let res = get(srv, &flow.authorize_url(scope), &mut jar).await;
    let page = res.text().await.unwrap();
    let res = post(
        srv,
        "/signin",
        &jar.header(),
        &[("origin", &srv.provider())],
        &[
            ("csrf", &hidden(&page, "csrf")),
            ("continue", &hidden(&page, "continue")),
            ("username", user),
            ("password", "demo"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in succeeds");
    jar.take(&res);
    assert!(jar.0.contains_key("wl_session"));
    let res = get(srv, &location(&res), &mut jar).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("Remember this connection"), "{page}");
    (jar, page)
}

fn decision<'a>(page: &'a str, csrf: &'a str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("request", hidden(page, "request")),
        ("decision", "allow".into()),
        ("remember", "1".into()),
    ]
}

async fn decide(
    srv: &TestServer,
    cookie: &str,
    headers: &[(&str, &str)],
    form: &[(&'static str, String)],
) -> Response {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post(srv, "/authorize/decision", cookie, headers, &form).await
}

async fn no_grant(srv: &TestServer, user: &str) {
    let pid = srv.person_id(user);
    let now = srv.running.state.clock.now();
    let grant = wl_server::identity::tokens::active_grant(
        &mut srv.running.state.db.conn().await.unwrap(),
        &pid,
        "wl-demo",
        now,
    )
    .await
    .unwrap();
    assert!(grant.is_none(), "no grant was made for {user}");
}

/// The issue's attack: a page on another port of the same host sets `wl_csrf` to a value of
/// its own and auto-submits the consent form with that value. Refused for its origin, and
/// refused for its token even when the attacker's request carries no `Origin` at all.
#[tokio::test]
async fn a_cookie_set_by_another_page_does_not_pass_the_consent_form() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let (jar, page) = signed_in(&srv, &flow, "alice", "wl.contacts wl.offline_access").await;
    let chosen = "A".repeat(43);
    let tossed = jar.with("wl_csrf", &chosen).header();
    let attacker = srv.site();
    let res = decide(
        &srv,
        &tossed,
        &[("origin", &attacker)],
        &decision(&page, &chosen),
    )
    .await;
    refused(res, "csrf_origin_refused").await;
    let res = decide(&srv, &tossed, &[], &decision(&page, &chosen)).await;
    refused(res, "csrf_invalid").await;
    // The old double-submit shape: the pre-session cookie's own value as the token.
    let own = jar.0["wl_csrf"].clone();
    let res = decide(&srv, &jar.header(), &[], &decision(&page, &own)).await;
    refused(res, "csrf_invalid").await;
    no_grant(&srv, "alice").await;

    // The page's own token, from the provider's own origin: granted.
    let token = hidden(&page, "csrf");
    let res = decide(
        &srv,
        &jar.header(),
        &[
            ("origin", &srv.provider()),
            ("sec-fetch-site", "same-origin"),
        ],
        &decision(&page, &token),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(query(&location(&res)).get("state"), Some(&flow.state));
}

#[tokio::test]
async fn tokens_the_server_never_issued_are_refused() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let (jar, page) = signed_in(&srv, &flow, "alice", "wl.basic").await;
    let real = hidden(&page, "csrf");
    assert_eq!(real.len(), 43);
    for forged in [
        String::new(),
        "x".into(),
        "A".repeat(43),
        wl_server::crypto::random_secret(""),
        format!("{}A", &real[..42]),
        real.to_uppercase(),
    ] {
        if forged == real {
            continue;
        }
        let res = decide(&srv, &jar.header(), &[], &decision(&page, &forged)).await;
        refused(res, "csrf_invalid").await;
    }
    no_grant(&srv, "alice").await;
}

#[tokio::test]
async fn another_sessions_token_is_refused() {
    let srv = TestServer::start().await;
    let (alice, alice_page) = signed_in(&srv, &Flow::new(&srv), "alice", "wl.basic").await;
    let (bob, bob_page) = signed_in(&srv, &Flow::new(&srv), "bob", "wl.basic").await;
    assert_ne!(hidden(&alice_page, "csrf"), hidden(&bob_page, "csrf"));
    // Bob's own token, in Alice's browser.
    let res = decide(
        &srv,
        &alice.header(),
        &[],
        &decision(&alice_page, &hidden(&bob_page, "csrf")),
    )
    .await;
    refused(res, "csrf_invalid").await;
    // Bob's pre-session cookie and its token (both genuinely issued, to Bob) in Alice's
    // browser: a signed-in form wants the session's token.
    let mut fresh = Jar::default();
    let signin = get(&srv, "/consent", &mut fresh)
        .await
        .text()
        .await
        .unwrap();
    let pre_token = hidden(&signin, "csrf");
    let tossed = alice.with("wl_csrf", &fresh.0["wl_csrf"]).header();
    let res = decide(&srv, &tossed, &[], &decision(&alice_page, &pre_token)).await;
    refused(res, "csrf_invalid").await;
    no_grant(&srv, "alice").await;
    drop(bob);
}

#[tokio::test]
async fn a_second_cookie_of_the_same_name_is_not_trusted() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let mut jar = Jar::default();
    let page = get(&srv, &flow.authorize_url("wl.basic"), &mut jar)
        .await
        .text()
        .await
        .unwrap();
    let token = hidden(&page, "csrf");
    let signin = |cookie: String| {
        let srv = &srv;
        let page = page.clone();
        let token = token.clone();
        async move {
            post(
                srv,
                "/signin",
                &cookie,
                &[],
                &[
                    ("csrf", &token),
                    ("continue", &hidden(&page, "continue")),
                    ("username", "alice"),
                    ("password", "demo"),
                ],
            )
            .await
        }
    };
    // An attacker's cookie of the same name, before or after the real one: neither is used.
    let real = format!("wl_csrf={}", jar.0["wl_csrf"]);
    let fake = format!("wl_csrf={}", "B".repeat(43));
    refused(signin(format!("{fake}; {real}")).await, "csrf_invalid").await;
    refused(signin(format!("{real}; {fake}")).await, "csrf_invalid").await;
    // The genuine cookie alone passes.
    assert_eq!(signin(real.clone()).await.status(), StatusCode::SEE_OTHER);

    // A second session cookie beside a real one: no one is signed in, so the consent form
    // acts for no one (back to sign in).
    let (jar, page) = signed_in(&srv, &Flow::new(&srv), "alice", "wl.basic").await;
    let two = format!("{}; wl_session={}", jar.header(), "C".repeat(43));
    let res = decide(&srv, &two, &[], &decision(&page, &hidden(&page, "csrf"))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&res).starts_with("/authorize?"),
        "{}",
        location(&res)
    );
    no_grant(&srv, "alice").await;
}

#[tokio::test]
async fn pre_session_cookies_the_server_did_not_sign_are_replaced() {
    let srv = TestServer::start().await;
    let mut jar = Jar::default().with("wl_csrf", &"D".repeat(43));
    let res = get(&srv, "/consent", &mut jar).await;
    let set: Vec<_> = res.headers().get_all(header::SET_COOKIE).iter().collect();
    assert_eq!(set.len(), 1, "a new, signed pre-session cookie");
    let value = &jar.0["wl_csrf"];
    assert_ne!(value, &"D".repeat(43));
    let (id, sig) = value.split_once('.').expect("id.signature");
    assert_eq!((id.len(), sig.len()), (43, 43));
    // Its cookie line: HttpOnly, SameSite=Lax, host-only, not Secure over plain http.
    let line = set[0].to_str().unwrap();
    assert!(line.contains("HttpOnly") && line.contains("SameSite=Lax") && line.contains("Path=/"));
    assert!(
        !line.contains("Domain") && !line.contains("Secure"),
        "{line}"
    );
    // A self-made id with a made-up token does not sign in.
    let res = post(
        &srv,
        "/signin",
        &format!("wl_csrf={}", "D".repeat(43)),
        &[],
        &[
            ("csrf", &"D".repeat(43)),
            ("username", "alice"),
            ("password", "demo"),
        ],
    )
    .await;
    refused(res, "csrf_invalid").await;
}

#[tokio::test]
async fn forms_from_another_origin_are_refused() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let mut jar = Jar::default();
    let page = get(&srv, &flow.authorize_url("wl.basic"), &mut jar)
        .await
        .text()
        .await
        .unwrap();
    let token = hidden(&page, "csrf");
    let cont = hidden(&page, "continue");
    let form = [
        ("csrf", token.as_str()),
        ("continue", cont.as_str()),
        ("username", "alice"),
        ("password", "demo"),
    ];
    let site = srv.site();
    let provider = srv.provider();
    let other_scheme = provider.replace("http://", "https://");
    for headers in [
        vec![("origin", site.as_str())],
        vec![("origin", "http://evil.example")],
        vec![("origin", "null")],
        vec![("origin", "null"), ("sec-fetch-site", "cross-site")],
        vec![("origin", "null"), ("sec-fetch-site", "same-site")],
        vec![("origin", other_scheme.as_str())],
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", site.as_str()), ("sec-fetch-site", "same-origin")],
    ] {
        let res = post(&srv, "/signin", &jar.header(), &headers, &form).await;
        refused(res, "csrf_origin_refused").await;
    }
    // The page says what happened, in words.
    let res = post(&srv, "/signin", &jar.header(), &[("origin", &site)], &form).await;
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("This form came from another site")
    );

    // Same origin, by `Origin` or by `Sec-Fetch-Site` alone, or no browser header at all (not
    // a browser: the token still decides): signed in.
    for headers in [
        vec![("origin", provider.as_str())],
        vec![("sec-fetch-site", "same-origin")],
        // What a browser sends from a page under `Referrer-Policy: no-referrer`.
        vec![("origin", "null"), ("sec-fetch-site", "same-origin")],
        vec![],
    ] {
        let res = post(&srv, "/signin", &jar.header(), &headers, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{headers:?}");
    }

    // Every state-changing form checks it: sign-out, remove access, the badge.
    let (jar, _) = signed_in(&srv, &Flow::new(&srv), "alice", "wl.basic").await;
    let mut jar2 = jar.clone();
    let consent = get(&srv, "/consent", &mut jar2).await.text().await.unwrap();
    let token = hidden(&consent, "csrf");
    let badge = format!("/badge?url={}", "https%3A%2F%2Fexample.com%2F");
    let badge_page = get(&srv, &badge, &mut jar2).await.text().await.unwrap();
    let badge_token = hidden(&badge_page, "csrf");
    for (path, form) in [
        ("/signout", vec![("csrf", token.as_str())]),
        (
            "/consent/revoke",
            vec![("csrf", token.as_str()), ("grant", "g")],
        ),
        (
            "/badge",
            vec![
                ("csrf", badge_token.as_str()),
                ("url", "https://example.com/"),
            ],
        ),
    ] {
        let res = post(&srv, path, &jar.header(), &[("origin", &site)], &form).await;
        refused(res, "csrf_origin_refused").await;
    }
    // The session is still there.
    let page = get(&srv, "/consent", &mut jar2).await.text().await.unwrap();
    assert!(page.contains("Alice"), "{page}");
}

#[tokio::test]
async fn the_legitimate_forms_still_work() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let (mut jar, page) = signed_in(&srv, &flow, "alice", "wl.basic").await;
    let me = [("origin", srv.provider())];
    let me: Vec<(&str, &str)> = me.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = decide(
        &srv,
        &jar.header(),
        &me,
        &decision(&page, &hidden(&page, "csrf")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let code = query(&location(&res))["code"].clone();
    assert_eq!(flow.exchange(&code).await.status(), StatusCode::OK);

    // The badge shares.
    let badge = "/badge?url=https%3A%2F%2Fexample.com%2F";
    let page = get(&srv, badge, &mut jar).await.text().await.unwrap();
    let res = post(
        &srv,
        "/badge",
        &jar.header(),
        &me,
        &[
            ("csrf", &hidden(&page, "csrf")),
            ("url", "https://example.com/"),
            ("audience", "all"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/badge/shared?id="));

    // Remove access, then sign out.
    let page = get(&srv, "/consent", &mut jar).await.text().await.unwrap();
    let token = hidden(&page, "csrf");
    let grant = hidden(&page, "grant");
    let res = post(
        &srv,
        "/consent/revoke",
        &jar.header(),
        &me,
        &[("csrf", &token), ("grant", &grant)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    no_grant(&srv, "alice").await;
    let mut old = jar.clone();
    let res = post(
        &srv,
        "/signout",
        &jar.header(),
        &me,
        &[("csrf", &token), ("continue", "/consent")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    jar.take(&res);
    let page = get(&srv, "/consent", &mut jar).await.text().await.unwrap();
    assert!(page.contains(r#"action="/signin""#), "signed out");
    // The old session cookie is dead on the server too.
    let page = get(&srv, "/consent", &mut old).await.text().await.unwrap();
    assert!(
        page.contains(r#"action="/signin""#),
        "the old cookie signs no one in"
    );
}

/// A sign-in page left open in another tab still signs in once the person is signed in.
#[tokio::test]
async fn a_sign_in_page_left_open_still_works() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let mut jar = Jar::default();
    let old = get(&srv, &flow.authorize_url("wl.basic"), &mut jar)
        .await
        .text()
        .await
        .unwrap();
    let res = flow_signin(&srv, &jar, &old).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    jar.take(&res);
    let res = flow_signin(&srv, &jar, &old).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

async fn flow_signin(srv: &TestServer, jar: &Jar, page: &str) -> Response {
    post(
        srv,
        "/signin",
        &jar.header(),
        &[("origin", &srv.provider())],
        &[
            ("csrf", &hidden(page, "csrf")),
            ("continue", &hidden(page, "continue")),
            ("username", "alice"),
            ("password", "demo"),
        ],
    )
    .await
}

/// The CSRF key is kept with the data: a form opened before a restart still sends after it.
#[tokio::test]
async fn open_forms_survive_a_restart() {
    let dir = std::sync::Arc::new(crate::common::TempDir::new());
    let srv = TestServer::start_with(crate::common::config(&dir), dir.clone()).await;
    let mut jar = Jar::default();
    let page = get(&srv, "/consent", &mut jar).await.text().await.unwrap();
    srv.running.shutdown().await;
    let srv = TestServer::start_with(crate::common::config(&dir), dir).await;
    let res = post(
        &srv,
        "/signin",
        &jar.header(),
        &[],
        &[
            ("csrf", &hidden(&page, "csrf")),
            ("continue", "/consent"),
            ("username", "alice"),
            ("password", "demo"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

/// Item 8: `GET //demo` on the site host answered `Location: //demo/`, which a browser follows
/// to the host `demo`. The redirect is built from the path: one leading `/`.
#[tokio::test]
async fn directory_redirects_never_leave_the_site() {
    let srv = TestServer::start().await;
    std::fs::create_dir_all(srv.dir.0.join("site").join("evil.example")).unwrap();
    for (path, want) in [
        ("/demo", "/demo/"),
        ("//demo", "/demo/"),
        ("///demo", "/demo/"),
        ("//evil.example", "/evil.example/"),
        ("/%2Fevil.example", "/%2Fevil.example/"),
    ] {
        let res = raw()
            .get(format!("{}{path}", srv.site()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY, "{path}");
        let loc = location(&res);
        assert_eq!(loc, want, "{path}");
        assert!(!loc.starts_with("//") && !loc.starts_with("/\\"), "{loc}");
    }
    // A backslash is refused outright.
    let res = raw()
        .get(format!("{}/%5Cevil.example", srv.site()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

/// Item 16: `Referrer-Policy` on every answer of the provider and the dev host, and
/// `callback.html` with its own CSP and `X-Frame-Options`.
#[tokio::test]
async fn referrer_policy_everywhere_and_the_callback_page_locked_down() {
    let srv = TestServer::start().await;
    let p = srv.provider();
    let flow = Flow::new(&srv);
    let token = srv.dev_token("alice", "wl.basic").await;
    let mut answers = Vec::new();
    for path in [
        "/.well-known/openid-configuration",
        "/jwks.json",
        "/",
        "/consent",
        "/nothing-here",
        "/assets/provider.css",
    ] {
        answers.push((
            path.to_owned(),
            raw().get(format!("{p}{path}")).send().await.unwrap(),
        ));
    }
    answers.push((
        "authorize".into(),
        raw()
            .get(flow.authorize_url("wl.basic"))
            .send()
            .await
            .unwrap(),
    ));
    answers.push((
        "/v1/me".into(),
        raw()
            .get(format!("{p}/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    ));
    answers.push((
        "/v1/me (no token)".into(),
        raw().get(format!("{p}/v1/me")).send().await.unwrap(),
    ));
    answers.push((
        "/token".into(),
        raw()
            .post(format!("{p}/token"))
            .form(&[("grant_type", "x")])
            .send()
            .await
            .unwrap(),
    ));
    for (path, res) in &answers {
        assert_eq!(
            res.headers()
                .get(header::REFERRER_POLICY)
                .map(|v| v.to_str().unwrap()),
            Some("same-origin"),
            "provider {path} ({})",
            res.status()
        );
    }

    let site = srv.dir.0.join("site");
    std::fs::write(
        site.join("callback.html"),
        "<!doctype html><script src=\"callback.js\"></script>",
    )
    .unwrap();
    std::fs::write(site.join("callback.js"), "// answer").unwrap();
    std::fs::write(site.join("demo").join("index.html"), "<!doctype html>demo").unwrap();
    let s = srv.site();
    let cb = raw()
        .get(format!("{s}/callback.html?code=c&state=s"))
        .send()
        .await
        .unwrap();
    assert_eq!(cb.status(), StatusCode::OK);
    let csp = cb.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    assert_eq!(cb.headers()[header::X_FRAME_OPTIONS], "DENY");
    let versioned = raw()
        .get(format!("{s}/v1/callback.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(versioned.headers()[header::X_FRAME_OPTIONS], "DENY");
    // Other pages of the site may be framed (the Playground's preview is a frame).
    let demo = raw().get(format!("{s}/demo/")).send().await.unwrap();
    assert!(demo.headers().get(header::X_FRAME_OPTIONS).is_none());
    for res in [&cb, &versioned, &demo] {
        assert_eq!(res.headers()[header::REFERRER_POLICY], "no-referrer");
    }
    for path in ["/callback.js", "/missing", "/demo", "/healthz"] {
        let res = raw().get(format!("{s}{path}")).send().await.unwrap();
        assert_eq!(
            res.headers()[header::REFERRER_POLICY],
            "no-referrer",
            "site {path}"
        );
    }
}
