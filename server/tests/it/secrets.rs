//! Confidential clients (issue 15): the back-end walkthrough of docs/confidential-clients.md
//! over real HTTP and the real CLI, the attacks on client authentication, and the portal's
//! secrets page.

use reqwest::StatusCode;
use reqwest::header;
use serde_json::Value;

use crate::common::{Flow, TestServer, browser, database_for, hidden, location};

/// Runs `wl-server ARGS --data-dir DIR [--database URL]` on the test server's data; its stdout.
fn cli(srv: &TestServer, args: &[&str]) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wl-server"));
    cmd.args(args).arg("--data-dir").arg(srv.dir.0.join("data"));
    if let Some(url) = database_for(&srv.dir) {
        cmd.args(["--database", &url]);
    }
    let out = cmd.output().expect("wl-server runs");
    assert!(
        out.status.success(),
        "wl-server {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Like [`cli`], for a command that must fail: its stderr.
fn cli_fails(srv: &TestServer, args: &[&str]) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wl-server"));
    cmd.args(args).arg("--data-dir").arg(srv.dir.0.join("data"));
    if let Some(url) = database_for(&srv.dir) {
        cmd.args(["--database", &url]);
    }
    let out = cmd.output().expect("wl-server runs");
    assert!(!out.status.success(), "wl-server {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `apps secret new|rotate`'s `ID SECRET`.
fn id_and_secret(out: &str) -> (String, String) {
    let (id, secret) = out.trim().split_once(' ').expect("ID SECRET");
    assert!(
        secret.starts_with("wlcs_") && secret.len() == 5 + 43,
        "{out}"
    );
    (id.to_owned(), secret.to_owned())
}

/// A server-side HTTP client: no cookies, no Origin header, no redirects followed.
fn back_end() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

const REDIRECT: &str = "http://127.0.0.1:4000/callback";

/// Registers an app with the CLI, as the walkthrough does; its client id.
fn register(srv: &TestServer, name: &str) -> String {
    cli(
        srv,
        &["apps", "add", "--name", name, "--redirect-uri", REDIRECT],
    )
    .trim()
    .to_owned()
}

fn flow_for(srv: &TestServer, client_id: &str) -> Flow {
    let mut f = Flow::new(srv);
    f.client_id = client_id.to_owned();
    f.redirect_uri = REDIRECT.to_owned();
    f
}

async fn oauth_error(res: reqwest::Response, status: StatusCode, error: &str) -> String {
    let got = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"], error, "{v}");
    v["error_description"].as_str().unwrap().to_owned()
}

/// docs/confidential-clients.md, step by step: register with the CLI, make a secret, the
/// authorize URL (a person signs in and allows), the code exchange with HTTP Basic from the
/// back end, a call with the token, refresh, revoke.
#[tokio::test]
async fn the_walkthrough_a_back_end_runs_the_code_flow_and_refresh() {
    let srv = TestServer::start().await;
    let provider = srv.provider();
    // 1. Register and make a secret.
    let client_id = register(&srv, "Back end");
    let (secret_id, secret) = id_and_secret(&cli(
        &srv,
        &["apps", "secret", "new", "--client-id", &client_id],
    ));
    let list = cli(&srv, &["apps", "secret", "list", "--client-id", &client_id]);
    assert!(list.contains(&secret_id) && list.contains("live") && list.contains("last-used=never"));
    assert!(
        !list.contains(&secret),
        "the list never shows a secret: {list}"
    );

    // The discovery document names the methods.
    let d = srv.discovery().await;
    let methods = serde_json::json!(["none", "client_secret_basic", "client_secret_post"]);
    assert_eq!(d["token_endpoint_auth_methods_supported"], methods);
    assert_eq!(d["revocation_endpoint_auth_methods_supported"], methods);

    // 2. The person's browser goes to the authorize URL; the back end gets the code.
    let f = flow_for(&srv, &client_id);
    let code = f.code("alice", "wl.basic wl.offline_access", false).await;

    // 3. The back end exchanges it, authenticating with HTTP Basic.
    let http = back_end();
    let res = http
        .post(format!("{provider}/token"))
        .basic_auth(&client_id, Some(&secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &f.verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let t: Value = res.json().await.unwrap();
    let access = t["access_token"].as_str().unwrap().to_owned();
    let refresh = t["refresh_token"].as_str().unwrap().to_owned();

    // 4. It calls the API with the token.
    let me = http
        .get(format!("{provider}/v1/me"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    // 5. Refresh, with client_secret_post this time.
    let res = http
        .post(format!("{provider}/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let t2: Value = res.json().await.unwrap();
    let refresh2 = t2["refresh_token"].as_str().unwrap().to_owned();

    // 6. Revoke the refresh token (Basic); it no longer refreshes.
    let res = http
        .post(format!("{provider}/revoke"))
        .basic_auth(&client_id, Some(&secret))
        .form(&[("token", &refresh2)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = http
        .post(format!("{provider}/token"))
        .basic_auth(&client_id, Some(&secret))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh2),
        ])
        .send()
        .await
        .unwrap();
    oauth_error(res, StatusCode::BAD_REQUEST, "invalid_grant").await;

    // The list shows it was used.
    let list = cli(&srv, &["apps", "secret", "list", "--client-id", &client_id]);
    assert!(!list.contains("last-used=never"), "{list}");
}

/// Exchanges `code` with HTTP Basic `(id, secret)`.
async fn exchange_basic(
    srv: &TestServer,
    f: &Flow,
    code: &str,
    id: &str,
    secret: &str,
) -> reqwest::Response {
    back_end()
        .post(format!("{}/token", srv.provider()))
        .basic_auth(id, Some(secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &f.verifier),
        ])
        .send()
        .await
        .unwrap()
}

async fn refuses_client(res: reqwest::Response, challenged: bool) -> String {
    let challenge = res
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_owned());
    let message = oauth_error(res, StatusCode::UNAUTHORIZED, "invalid_client").await;
    if challenged {
        assert!(
            challenge
                .as_deref()
                .is_some_and(|c| c.starts_with("Basic ")),
            "{challenge:?}"
        );
    } else {
        assert_eq!(challenge, None, "a browser never gets a Basic challenge");
    }
    message
}

#[tokio::test]
async fn attacks_on_client_authentication_are_refused() {
    let srv = TestServer::start().await;
    let provider = srv.provider();
    let db = &srv.running.state.db;
    let now = srv.running.state.clock.now();
    use wl_server::identity::client_auth;
    let app_a = register(&srv, "App A");
    let app_b = register(&srv, "App B");
    let a = client_auth::create(db, &app_a, now).await.unwrap();
    let b = client_auth::create(db, &app_b, now).await.unwrap();
    let f = flow_for(&srv, &app_b);
    let code = f.code("alice", "wl.basic wl.offline_access", false).await;

    // A's secret for B, either method.
    let m = refuses_client(
        exchange_basic(&srv, &f, &code, &app_b, &a.secret).await,
        true,
    )
    .await;
    assert!(m.contains("wrong, revoked or expired"), "{m}");
    let res = back_end()
        .post(format!("{provider}/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &f.verifier),
            ("client_id", &app_b),
            ("client_secret", &a.secret),
        ])
        .send()
        .await
        .unwrap();
    refuses_client(res, true).await;
    // No secret at all for a confidential client.
    let res = f.exchange(&code).await;
    let m = refuses_client(res, true).await;
    assert!(m.contains("confidential"), "{m}");
    // The secret in the query string, even with a good one in Basic.
    let res = back_end()
        .post(format!("{provider}/token?client_secret={}", b.secret))
        .basic_auth(&app_b, Some(&b.secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let m = oauth_error(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(m.contains("never accepted in the URL"), "{m}");
    // The right secret from a browser (an Origin header, even the app's own).
    let res = back_end()
        .post(format!("{provider}/token"))
        .header(header::ORIGIN, "http://127.0.0.1:4000")
        .basic_auth(&app_b, Some(&b.secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let m = refuses_client(res, false).await;
    assert!(m.contains("browser"), "{m}");
    // Two methods at once; a form client_id other than Basic's; a malformed header.
    let res = back_end()
        .post(format!("{provider}/token"))
        .basic_auth(&app_b, Some(&b.secret))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_secret", &b.secret),
        ])
        .send()
        .await
        .unwrap();
    oauth_error(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = back_end()
        .post(format!("{provider}/token"))
        .basic_auth(&app_b, Some(&b.secret))
        .form(&[("grant_type", "refresh_token"), ("client_id", &app_a)])
        .send()
        .await
        .unwrap();
    oauth_error(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = back_end()
        .post(format!("{provider}/token"))
        .header(header::AUTHORIZATION, "Basic not-base64!")
        .form(&[("grant_type", "refresh_token")])
        .send()
        .await
        .unwrap();
    refuses_client(res, true).await;

    // PKCE stays required for a confidential client: the right secret without the verifier,
    // or with another one, buys nothing.
    let res = back_end()
        .post(format!("{provider}/token"))
        .basic_auth(&app_b, Some(&b.secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    let m = oauth_error(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(m.contains("code_verifier"), "{m}");

    // None of that spent the code: with B's own secret it buys tokens.
    let res = exchange_basic(&srv, &f, &code, &app_b, &b.secret).await;
    assert_eq!(res.status(), StatusCode::OK);
    let t: Value = res.json().await.unwrap();
    let refresh = t["refresh_token"].as_str().unwrap().to_owned();
    let g = flow_for(&srv, &app_b);
    let code2 = g.code("alice", "wl.basic", false).await;
    let res = exchange_basic(&srv, &f, &code2, &app_b, &b.secret).await;
    let m = oauth_error(res, StatusCode::BAD_REQUEST, "invalid_grant").await;
    assert!(m.contains("PKCE"), "{m}");
    let refresh_with = |secret: String, rt: String| {
        let provider = provider.clone();
        let app_b = app_b.clone();
        async move {
            back_end()
                .post(format!("{provider}/token"))
                .basic_auth(&app_b, Some(&secret))
                .form(&[("grant_type", "refresh_token"), ("refresh_token", &rt)])
                .send()
                .await
                .unwrap()
        }
    };

    // Rotation with a one-hour window: the old secret still works inside it…
    let rotated = client_auth::rotate(db, &app_b, 3600, now).await.unwrap();
    assert_eq!(rotated.old_until, Some(now + 3600));
    let res = refresh_with(b.secret.clone(), refresh.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let refresh: String = res.json::<Value>().await.unwrap()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // …and not after it; the new one does.
    srv.advance(3601);
    refuses_client(refresh_with(b.secret.clone(), refresh.clone()).await, true).await;
    let res = refresh_with(rotated.secret.clone(), refresh.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let refresh: String = res.json::<Value>().await.unwrap()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();

    // Revoked: refused at once, for /token and /revoke alike.
    let later = srv.running.state.clock.now();
    client_auth::revoke(db, &app_b, &rotated.id, later)
        .await
        .unwrap();
    refuses_client(
        refresh_with(rotated.secret.clone(), refresh.clone()).await,
        true,
    )
    .await;
    let res = back_end()
        .post(format!("{provider}/revoke"))
        .basic_auth(&app_b, Some(&rotated.secret))
        .form(&[("token", &refresh)])
        .send()
        .await
        .unwrap();
    refuses_client(res, true).await;
    // Revoking the last secret leaves the app confidential: no secret is still refused.
    let res = back_end()
        .post(format!("{provider}/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
            ("client_id", &app_b),
        ])
        .send()
        .await
        .unwrap();
    let m = refuses_client(res, true).await;
    assert!(m.contains("confidential"), "{m}");
    // Revoking twice, or another app's secret, is refused and changes nothing.
    assert!(
        client_auth::revoke(db, &app_b, &rotated.id, later)
            .await
            .is_err()
    );
    assert!(client_auth::revoke(db, &app_b, &a.id, later).await.is_err());
    // A's secret is untouched by all of B's: it still authenticates A (a wrong grant, but past
    // client authentication).
    let res = back_end()
        .post(format!("{provider}/token"))
        .basic_auth(&app_a, Some(&a.secret))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "wlrt_nope"),
        ])
        .send()
        .await
        .unwrap();
    oauth_error(res, StatusCode::BAD_REQUEST, "invalid_grant").await;
    // A public client (the demo app) still needs no secret, and is not challenged from a page.
    let res = back_end()
        .post(format!("{provider}/token"))
        .header(header::ORIGIN, "http://127.0.0.1:9")
        .form(&[("grant_type", "refresh_token"), ("client_id", "wl-demo")])
        .send()
        .await
        .unwrap();
    refuses_client(res, false).await;
}

#[tokio::test]
async fn the_cli_checks_its_input() {
    let srv = TestServer::start().await;
    let app = register(&srv, "CLI app");
    let err = cli_fails(
        &srv,
        &["apps", "secret", "new", "--client-id", "no-such-app"],
    );
    assert!(err.contains("No app has the client id"), "{err}");
    let err = cli_fails(
        &srv,
        &[
            "apps",
            "secret",
            "rotate",
            "--client-id",
            &app,
            "--overlap-hours",
            "9999",
        ],
    );
    assert!(err.contains("between 0 and 720 hours"), "{err}");
    let err = cli_fails(
        &srv,
        &[
            "apps",
            "secret",
            "revoke",
            "--client-id",
            &app,
            "--id",
            "abc",
        ],
    );
    assert!(err.contains("no unrevoked secret"), "{err}");
    // Rotation with no overlap stops the old secret at once.
    let (old_id, _) = id_and_secret(&cli(&srv, &["apps", "secret", "new", "--client-id", &app]));
    let (new_id, _) = id_and_secret(&cli(
        &srv,
        &[
            "apps",
            "secret",
            "rotate",
            "--client-id",
            &app,
            "--overlap-hours",
            "0",
        ],
    ));
    let list = cli(&srv, &["apps", "secret", "list", "--client-id", &app]);
    let line = |id: &str| list.lines().find(|l| l.starts_with(id)).unwrap().to_owned();
    assert!(line(&old_id).contains("expired="), "{list}");
    assert!(line(&new_id).contains(" live "), "{list}");
    cli(
        &srv,
        &[
            "apps",
            "secret",
            "revoke",
            "--client-id",
            &app,
            "--id",
            &new_id,
        ],
    );
    let list = cli(&srv, &["apps", "secret", "list", "--client-id", &app]);
    assert!(
        list.lines()
            .find(|l| l.starts_with(&new_id))
            .unwrap()
            .contains("revoked=")
    );
}

/// Signs `username` in on the page at `path` (which shows the sign-in form); the page again.
async fn signed_in_page(f: &Flow, path: &str, username: &str) -> String {
    let res = f.get(path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"action="/signin""#), "{page}");
    let res = f.sign_in(&page, username, "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), path);
    let res = f.get(path).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

async fn count(srv: &TestServer, app: &str) -> i64 {
    srv.sql_i64(
        "SELECT COUNT(*) FROM client_secrets WHERE client_id = $1",
        &[app],
    )
    .await
}

fn secret_in(page: &str) -> String {
    let start = page.find("value=\"wlcs_").expect("a secret on the page") + 7;
    page[start..start + 48].to_owned()
}

#[tokio::test]
async fn the_portal_page_makes_rotates_and_revokes_secrets_for_owners_only() {
    let srv = TestServer::start().await;
    let db = &srv.running.state.db;
    let app = register(&srv, "Portal app");
    let now = srv.running.state.clock.now();
    wl_server::store::apps::add_owner(
        &mut db.conn().await.unwrap(),
        &app,
        &srv.person_id("alice"),
        now,
    )
    .await
    .unwrap();
    let path = format!("/developers/apps/{app}/secrets");
    let owner = Flow::with_client(&srv, browser());
    let page = signed_in_page(&owner, &path, "alice").await;
    assert!(
        page.contains("This app is public") && page.contains("New secret"),
        "{page}"
    );
    let csrf = hidden(&page, "csrf");

    // New secret: shown once, with the warning; usable at /token at once.
    let res = owner
        .post_form(&format!("{path}/new"), &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    let page = res.text().await.unwrap();
    let secret = secret_in(&page);
    assert!(page.contains("shown only this once"), "{page}");
    let res = owner.get(&path).await;
    let again = res.text().await.unwrap();
    assert!(
        !again.contains(&secret) && !again.contains("wlcs_"),
        "shown only once"
    );
    assert!(again.contains("This app is confidential") && again.contains("Live"));
    let res = back_end()
        .post(format!("{}/token", srv.provider()))
        .basic_auth(&app, Some(&secret))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "wlrt_nope"),
        ])
        .send()
        .await
        .unwrap();
    oauth_error(res, StatusCode::BAD_REQUEST, "invalid_grant").await;

    // Rotate with a bad overlap: an error on the form, nothing saved.
    assert_eq!(count(&srv, &app).await, 1);
    for bad in ["", "-1", "721", "1.5", "lots"] {
        let res = owner
            .post_form(
                &format!("{path}/rotate"),
                &[("csrf", &csrf), ("overlap_hours", bad)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
        let page = res.text().await.unwrap();
        assert!(
            page.contains("role=\"alert\"") && page.contains("Nothing was changed"),
            "{page}"
        );
        assert!(!page.contains("value=\"wlcs_"));
    }
    assert_eq!(count(&srv, &app).await, 1);
    // Rotate: a new secret; the old one works until the window's end.
    let res = owner
        .post_form(
            &format!("{path}/rotate"),
            &[("csrf", &csrf), ("overlap_hours", "2")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    let rotated = secret_in(&page);
    assert_ne!(rotated, secret);
    assert!(
        page.contains("keep working until") && page.contains("(rotated)"),
        "{page}"
    );
    assert_eq!(count(&srv, &app).await, 2);

    // Revoke: the form names the secret's id; a redirect with a notice.
    let ids: Vec<String> = page
        .match_indices("name=\"secret\" value=\"")
        .map(|(i, m)| page[i + m.len()..].split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "a revoke form per live secret");
    let res = owner
        .post_form(
            &format!("{path}/revoke"),
            &[("csrf", &csrf), ("secret", &ids[0])],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = owner.get(&location(&res)).await;
    let page = res.text().await.unwrap();
    assert!(
        page.contains(&format!("Secret {} is revoked", ids[0])),
        "{page}"
    );
    assert!(page.contains("Revoked "));
    // Again: a clear error.
    let res = owner
        .post_form(
            &format!("{path}/revoke"),
            &[("csrf", &csrf), ("secret", &ids[0])],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("no unrevoked secret"));

    // Without the CSRF token: refused, nothing made.
    let res = owner
        .post_form(&format!("{path}/new"), &[("csrf", "forged")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // From another site: refused.
    let res = owner
        .client
        .post(format!("{}{path}/new", srv.provider()))
        .header(header::ORIGIN, "http://127.0.0.1:9")
        .form(&[("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&srv, &app).await, 2);

    // A non-owner: 404 on the page and on every form, and nothing changes.
    let other = Flow::with_client(&srv, browser());
    let res = other.get(&path).await;
    let page = res.text().await.unwrap();
    let res = other.sign_in(&page, "bob", "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = other.get(&path).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let page = other.get("/consent").await.text().await.unwrap();
    let bob_csrf = hidden(&page, "csrf");
    for (action, form) in [
        ("new", vec![("csrf", bob_csrf.as_str())]),
        (
            "rotate",
            vec![("csrf", bob_csrf.as_str()), ("overlap_hours", "0")],
        ),
        (
            "revoke",
            vec![("csrf", bob_csrf.as_str()), ("secret", ids[1].as_str())],
        ),
    ] {
        let res = other.post_form(&format!("{path}/{action}"), &form).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(count(&srv, &app).await, 2);
    let live = srv
        .sql_i64(
            "SELECT COUNT(*) FROM client_secrets WHERE client_id = $1 AND revoked_at IS NULL",
            &[&app],
        )
        .await;
    assert_eq!(live, 1);
}
