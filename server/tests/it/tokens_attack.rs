//! Issue 13, tokens and grants, attacked over real HTTP: a stolen refresh token used after its
//! rotation, a replayed code after refreshing, a grant shortened by re-consent, a token with
//! only `openid` asking for the profile, and the ID token checked against the JWKS as ES256;
//! and the one exception to reuse detection, a rotation retried because its answer was lost,
//! attacked from every side (too late, after use, twice, by a thief, concurrently).
//! Time moves with the provider's clock, never by sleeping.
use crate::common::{Flow, TestServer, expect_error};
use reqwest::{Response, StatusCode};
use serde_json::Value;
use wl_server::identity::tokens::ROTATION_RETRY_WINDOW;

const HOUR: i64 = 3600;

/// `POST /token` with a refresh token.
async fn refresh(f: &Flow, refresh_token: &str) -> Response {
    f.post_form(
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", "wl-demo"),
        ],
    )
    .await
}

/// Refreshes and returns the new (access, refresh) pair.
async fn rotate(f: &Flow, refresh_token: &str) -> (String, String) {
    let res = refresh(f, refresh_token).await;
    assert_eq!(res.status(), StatusCode::OK);
    let t: Value = res.json().await.unwrap();
    (
        t["access_token"].as_str().unwrap().to_owned(),
        t["refresh_token"].as_str().unwrap().to_owned(),
    )
}

/// An OAuth error answer with `error` = `code`.
async fn expect_oauth(res: Response, code: &str) -> String {
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"], code, "{v}");
    v["error_description"].as_str().unwrap().to_owned()
}

async fn expect_dead(f: &Flow, access: &str) {
    let res = f.me(access).await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "the access token is revoked"
    );
    expect_error(res, StatusCode::UNAUTHORIZED, "request_token_invalid").await;
}

fn pair(t: &Value) -> (String, String) {
    (
        t["access_token"].as_str().unwrap().to_owned(),
        t["refresh_token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_rotated_refresh_token_used_again_revokes_its_whole_family() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let (a1, r1) = pair(&f.tokens("alice", "wl.basic wl.offline_access", true).await);
    let (a2, r2) = rotate(&f, &r1).await;
    let (a3, r3) = rotate(&f, &r2).await;
    assert_eq!(f.me(&a3).await.status(), StatusCode::OK);
    // Inside the retry window, and never retried: r1 is still reuse, since its successor r2
    // was presented (docs/security.md, "Tokens and grants").

    // Another sign-in of the same app (another device): the same grant, another family.
    let other = Flow::with_client(&srv, f.client.clone());
    let (b1, rb1) = pair(
        &other
            .tokens("alice", "wl.basic wl.offline_access", true)
            .await,
    );

    // The attacker replays the first refresh token, rotated long ago.
    let message = expect_oauth(refresh(&f, &r1).await, "invalid_grant").await;
    assert!(message.contains("already been used"), "{message}");

    // Every access and refresh token of that family is dead, the newest included.
    for access in [&a1, &a2, &a3] {
        expect_dead(&f, access).await;
    }
    expect_oauth(refresh(&f, &r3).await, "invalid_grant").await;
    expect_oauth(refresh(&f, &r2).await, "invalid_grant").await;

    // The other family of the grant is untouched.
    assert_eq!(f.me(&b1).await.status(), StatusCode::OK);
    let (b2, _) = rotate(&other, &rb1).await;
    assert_eq!(f.me(&b2).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_refresh_token_used_twice_at_once_leaves_one_live_pair_at_most() {
    // The legitimate client and the thief race with the same refresh token. Whatever order
    // the provider takes them in (the first rotates, the second is a retry of a rotation
    // whose pair nobody used yet), at most one of the pairs they get lives, and at most one
    // refresh token of the family.
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let (_, r1) = pair(&f.tokens("bob", "wl.basic wl.offline_access", true).await);
    let (x, y) = tokio::join!(refresh(&f, &r1), refresh(&f, &r1));
    let mut live = 0;
    for res in [x, y] {
        if res.status() == StatusCode::OK {
            let (access, _) = pair(&res.json().await.unwrap());
            if f.me(&access).await.status() == StatusCode::OK {
                live += 1;
            }
        } else {
            expect_oauth(res, "invalid_grant").await;
        }
    }
    assert!(live <= 1, "{live} live pairs");
    assert!(live_refresh_tokens(&srv, "bob").await <= 1);
}

/// The unrevoked refresh tokens `username` holds.
async fn live_refresh_tokens(srv: &TestServer, username: &str) -> i64 {
    let person = srv.person_id(username);
    srv.sql_i64(
        "SELECT COUNT(*) FROM tokens WHERE kind = 'refresh' AND revoked_at IS NULL AND person_id = $1",
        &[&person],
    )
    .await
}

#[tokio::test]
async fn a_rotation_whose_answer_was_lost_is_retried_once() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let (a1, r1) = pair(&f.tokens("alice", "wl.basic wl.offline_access", true).await);
    // The provider rotates; its answer never reaches the client.
    let (lost_access, lost_refresh) = rotate(&f, &r1).await;
    // Well inside the window: the test clock is the real one plus an offset, so the requests'
    // own time counts too (at `- 1` a slow machine crossed a second boundary and left it).
    srv.advance(ROTATION_RETRY_WINDOW - 10);

    // The client retries with the token it still holds: a fresh pair.
    let (a3, r3) = rotate(&f, &r1).await;
    assert_eq!(f.me(&a3).await.status(), StatusCode::OK);
    assert_eq!(
        f.me(&a1).await.status(),
        StatusCode::OK,
        "the pair the client holds keeps its access token"
    );
    // The pair it replaced is dead.
    expect_dead(&f, &lost_access).await;
    assert_eq!(live_refresh_tokens(&srv, "alice").await, 1, "r3 only");

    // Once only: the same token a third time is reuse, and ends the family.
    let message = expect_oauth(refresh(&f, &r1).await, "invalid_grant").await;
    assert!(message.contains("already been used"), "{message}");
    for access in [&a1, &a3] {
        expect_dead(&f, access).await;
    }
    expect_oauth(refresh(&f, &r3).await, "invalid_grant").await;
    expect_oauth(refresh(&f, &lost_refresh).await, "invalid_grant").await;
}

#[tokio::test]
async fn after_a_retry_the_client_goes_on_and_an_old_token_is_reuse() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let (_, r1) = pair(&f.tokens("alice", "wl.basic wl.offline_access", true).await);
    rotate(&f, &r1).await;
    let (_, r3) = rotate(&f, &r1).await;
    let (a4, r4) = rotate(&f, &r3).await;
    assert_eq!(f.me(&a4).await.status(), StatusCode::OK);
    // r3's successor was presented: presenting r3 again is reuse.
    expect_oauth(refresh(&f, &r3).await, "invalid_grant").await;
    expect_dead(&f, &a4).await;
    expect_oauth(refresh(&f, &r4).await, "invalid_grant").await;
}

#[tokio::test]
async fn a_retry_after_the_window_revokes_the_family() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let (a1, r1) = pair(&f.tokens("alice", "wl.basic wl.offline_access", true).await);
    let (a2, r2) = rotate(&f, &r1).await;
    srv.advance(ROTATION_RETRY_WINDOW);
    let message = expect_oauth(refresh(&f, &r1).await, "invalid_grant").await;
    assert!(message.contains("already been used"), "{message}");
    for access in [&a1, &a2] {
        expect_dead(&f, access).await;
    }
    expect_oauth(refresh(&f, &r2).await, "invalid_grant").await;
    assert_eq!(live_refresh_tokens(&srv, "alice").await, 0);
}

#[tokio::test]
async fn a_retry_after_the_successor_was_used_revokes_the_family() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let (_, r1) = pair(&f.tokens("alice", "wl.basic wl.offline_access", true).await);
    // The answer did arrive, somewhere: its access token is used at once.
    let (a2, r2) = rotate(&f, &r1).await;
    assert_eq!(f.me(&a2).await.status(), StatusCode::OK);
    expect_oauth(refresh(&f, &r1).await, "invalid_grant").await;
    expect_dead(&f, &a2).await;
    expect_oauth(refresh(&f, &r2).await, "invalid_grant").await;

    // The same through the successor refresh token: presented (rotated), then r1 again.
    let g = Flow::new(&srv);
    let (_, s1) = pair(&g.tokens("bob", "wl.basic wl.offline_access", true).await);
    let (_, s2) = rotate(&g, &s1).await;
    let (b3, s3) = rotate(&g, &s2).await;
    expect_oauth(refresh(&g, &s1).await, "invalid_grant").await;
    expect_dead(&g, &b3).await;
    expect_oauth(refresh(&g, &s3).await, "invalid_grant").await;
}

#[tokio::test]
async fn a_thief_retrying_inside_the_window_ends_the_family_at_the_next_refresh() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let (_, r1) = pair(&f.tokens("carol", "wl.basic wl.offline_access", true).await);
    // The client rotates and holds its new pair without using it yet; the thief, who copied
    // r1, presents it inside the window: to the provider that is a retry.
    let (client_access, client_refresh) = rotate(&f, &r1).await;
    let thief = Flow::with_client(&srv, reqwest::Client::new());
    let (thief_access, thief_refresh) = rotate(&thief, &r1).await;
    expect_dead(&f, &client_access).await;
    // The client's next refresh presents a successor revoked by the retry: reuse.
    let message = expect_oauth(refresh(&f, &client_refresh).await, "invalid_grant").await;
    assert!(message.contains("already been used"), "{message}");
    expect_dead(&f, &thief_access).await;
    expect_oauth(refresh(&thief, &thief_refresh).await, "invalid_grant").await;
    assert_eq!(live_refresh_tokens(&srv, "carol").await, 0);
}

#[tokio::test]
async fn a_code_replayed_after_refreshing_revokes_the_refreshed_tokens() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let code = f.code("alice", "wl.basic wl.offline_access", true).await;
    let res = f.exchange(&code).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (a1, r1) = pair(&res.json().await.unwrap());
    let (a2, r2) = rotate(&f, &r1).await;
    let (a3, r3) = rotate(&f, &r2).await;
    assert_eq!(f.me(&a3).await.status(), StatusCode::OK);

    // The code, intercepted, is replayed.
    let message = expect_oauth(f.exchange(&code).await, "invalid_grant").await;
    assert!(message.contains("already been used"), "{message}");

    for access in [&a1, &a2, &a3] {
        expect_dead(&f, access).await;
    }
    expect_oauth(refresh(&f, &r3).await, "invalid_grant").await;
}

#[tokio::test]
async fn a_shortened_grant_ends_its_tokens_with_it() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    // Remembered: a one-year grant and refresh token; the access token lives one hour.
    let t = f.tokens("carol", "wl.basic wl.offline_access", true).await;
    let (a1, r1) = pair(&t);
    let expires_in = t["expires_in"].as_i64().unwrap();
    assert!((HOUR - 10..=HOUR).contains(&expires_in), "{expires_in}");

    // Carol re-consents with "Remember" unticked: the grant now ends in 3 hours.
    let again = Flow::with_client(&srv, f.client.clone());
    let res = again
        .get(&format!(
            "{}&prompt=consent",
            again.authorize_url("wl.basic wl.offline_access")
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    let res = again.decide(&page, "allow", false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let code = again.code_from(&res);
    assert_eq!(again.exchange(&code).await.status(), StatusCode::OK);

    // The earlier access token still works inside its hour.
    assert_eq!(f.me(&a1).await.status(), StatusCode::OK);

    // 2 h 50 min later the old refresh token (stored for a year) still renews, but the new
    // access token ends with the grant, 10 minutes later, not an hour later.
    srv.advance(3 * HOUR - 600);
    let res = refresh(&f, &r1).await;
    assert_eq!(res.status(), StatusCode::OK);
    let t: Value = res.json().await.unwrap();
    let (a2, r2) = pair(&t);
    let expires_in = t["expires_in"].as_i64().unwrap();
    assert!(
        (590..=600).contains(&expires_in),
        "capped by the grant: {expires_in}"
    );
    assert_eq!(f.me(&a2).await.status(), StatusCode::OK);

    // Past the grant's end: the access token and the refresh token are dead.
    srv.advance(601);
    for access in [&a1, &a2] {
        let res = f.me(access).await;
        expect_error(res, StatusCode::UNAUTHORIZED, "request_token_expired").await;
    }
    expect_oauth(refresh(&f, &r2).await, "invalid_grant").await;
}

#[tokio::test]
async fn a_token_with_only_openid_gets_only_sub() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let t = f.tokens("alice", "openid", true).await;
    let access = t["access_token"].as_str().unwrap();
    let alice = srv.person_id("alice");

    let info: Value = f
        .client
        .get(format!("{}/userinfo", srv.provider()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info, serde_json::json!({ "sub": alice }));

    // /v1/me answers the id only (trimmed, not refused: see docs/api.md).
    let res = f.me(access).await;
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me, serde_json::json!({ "id": alice }));
    // So does /v1/{id} for oneself.
    let own: Value = f
        .client
        .get(format!("{}/v1/{alice}", srv.provider()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(own, me);

    // The ID token carries no profile claim either.
    let jwks: Value = f.get("/jwks.json").await.json().await.unwrap();
    let claims = crate::provider::verify_id_token(t["id_token"].as_str().unwrap(), &jwks);
    assert_eq!(claims["sub"], alice.as_str());
    for claim in ["name", "given_name", "family_name", "picture", "email"] {
        assert!(claims.get(claim).is_none(), "{claim} in {claims}");
    }
}

#[tokio::test]
async fn profile_and_email_scopes_release_their_claims() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let t = f.tokens("alice", "openid profile", true).await;
    let access = t["access_token"].as_str().unwrap();
    let info: Value = f
        .client
        .get(format!("{}/userinfo", srv.provider()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["given_name"], "Alice");
    assert!(info.get("email").is_none(), "{info}");
    let me: Value = f.me(access).await.json().await.unwrap();
    assert_eq!(me["first_name"], "Alice");
    assert!(me.get("emails").is_none(), "{me}");

    let other = Flow::with_client(&srv, f.client.clone());
    let t = other.tokens("alice", "openid email", true).await;
    let access = t["access_token"].as_str().unwrap();
    let me: Value = f.me(access).await.json().await.unwrap();
    // The grant now holds profile and email; this token was issued for `openid email`.
    assert!(me.get("emails").is_some(), "{me}");
    assert!(me.get("name").is_none(), "{me}");
}

#[tokio::test]
async fn the_id_token_verifies_with_the_jwks_as_es256() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let t = f.tokens("alice", "openid wl.basic wl.emails", true).await;
    let d: Value = f
        .get("/.well-known/openid-configuration")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        d["id_token_signing_alg_values_supported"],
        serde_json::json!(["ES256"])
    );
    let jwks: Value = f
        .get(d["jwks_uri"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    let jwt = t["id_token"].as_str().unwrap();
    let claims = crate::provider::verify_id_token(jwt, &jwks);
    assert_eq!(claims["iss"], srv.provider());
    assert_eq!(claims["aud"], "wl-demo");
    assert_eq!(claims["nonce"], f.nonce);
    assert_eq!(claims["email"], "alice@example.net");

    // A forged token: claims changed under the same signature does not verify.
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = jwt.split('.').collect();
    let mut forged_claims = claims.clone();
    forged_claims["sub"] = serde_json::json!(srv.person_id("bob"));
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged_claims).unwrap()),
        parts[2]
    );
    let verified = std::panic::catch_unwind(|| crate::provider::verify_id_token(&forged, &jwks));
    assert!(verified.is_err(), "a forged ID token must not verify");

    // Every claim discovery lists is one the provider can release or a protocol claim.
    let supported: Vec<&str> = d["claims_supported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for claim in claims.as_object().unwrap().keys() {
        assert!(
            supported.contains(&claim.as_str()),
            "{claim} not in claims_supported"
        );
    }
}

/// The format of a data directory from before ES256: a throwaway 1024-bit RSA key (PKCS#8),
/// made for this test only, never used to sign anything.
const OLD_RSA_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAMhT5VfqUW/b4ovU\nTYijv+ZrX2GA5xNp/bSMtV9C5BP2wHlJMCzY0o+ez9Yf0ekLZm1IXrGH06JsugHz\nKjI9aZqbiPK/MeEjVjqTRpYsIDLSUw3ecjtrSvhndIgT50CSO5YZHoUCyq6PHpFF\nhWuS7Ojcm47d5i+FnioHK/OUMopBAgMBAAECgYB8N/mYgEWrNQ/PYQAK4G8YNDBa\nx5GB6lFVaYL15QaEkpdbHdTvmitGv1VlEyoYdec3kI6XSwAiUYUtvFjH+mjGShwz\nd1QvLxHuJiZ+6WST7jp4AvYbRzc0lzpl09qFuUE3up+fYEDiWC6W4eFTKY823Jm9\nN5Knee1cvCDX8mpzoQJBAPZ6p/DeIikQSZJzyqfMH4tLOXquGl9jy9MRrr049rOJ\ntq0nifFd2ZUzZOyKJKqkJSE5g4u4wT6ATWlfSSkojg0CQQDQEN12OWXuqZeZkfdZ\nhSPnMyGMwz7io1rNhD4NxJduV9vlHwuzGCzZDfCc0EHct0ffNfyL8eTH36S+K0i3\nmdQFAkEAwNwYrJAjip4D82RHHiTKSeQChcvVNu6PfghIAiegYbtQBQz7ErGsnuIo\nBi3RovPtWaH3HEzkaFNcPycfx+TDwQJBAITQXy2aUhDYvObQoB3KuTJaFy5ta3Ts\nZYgOxDWxqiBLgRhuit9VrTsYhOD0pzYm4IABTCZg0HMttVGW+6IHVakCQD3mH4Nw\ngIDwgc/hInY/uYuainhQzejwGEPVSLwIBIrm4MOsyFyiueyGNF9IEjynWq+H525i\n+zJJf5Y5+OBPPEE=\n-----END PRIVATE KEY-----\n";

#[tokio::test]
async fn an_rsa_key_in_an_old_data_dir_is_replaced_by_an_es256_key() {
    let dir = std::sync::Arc::new(crate::common::TempDir::new());
    let mut config = crate::common::config(&dir);
    config.signing_key_pem = None;
    {
        let db = match &config.database {
            Some(url) => wl_server::store::db::Db::connect(url, 1).await.unwrap(),
            None => wl_server::store::db::Db::open(&config.data_dir, 1)
                .await
                .unwrap(),
        };
        wl_server::store::meta::insert_signing_key(&mut db.conn().await.unwrap(), OLD_RSA_KEY)
            .await
            .unwrap();
        db.close().await;
    }
    let srv = TestServer::start_with(config.clone(), dir.clone()).await;
    let f = Flow::new(&srv);
    let jwks: Value = f.get("/jwks.json").await.json().await.unwrap();
    assert_eq!(jwks["keys"][0]["kty"], "EC");
    let stored =
        wl_server::store::meta::signing_key(&mut srv.running.state.db.conn().await.unwrap())
            .await
            .unwrap()
            .unwrap();
    assert_ne!(stored, OLD_RSA_KEY, "the RSA key is gone from the database");
    assert!(wl_server::identity::keys::is_p256_pem(&stored));
    let t = f.tokens("alice", "openid", true).await;
    crate::provider::verify_id_token(t["id_token"].as_str().unwrap(), &jwks);
    srv.running.shutdown().await;

    // The new key is kept: the next start publishes the same one.
    let srv = TestServer::start_with(config, dir.clone()).await;
    let again: Value = Flow::new(&srv)
        .get("/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, jwks);
}
