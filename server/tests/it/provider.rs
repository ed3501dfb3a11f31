//! The reference provider over real HTTP: every endpoint's happy path and each error path of
//! issue 3 (sign-in, consent, codes, PKCE, tokens, revocation, throttling, CSRF, CORS, COOP).
use crate::common::{Flow, TestServer, browser, hidden, location, query};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{StatusCode, header};
use serde_json::Value;

const YEAR: i64 = 365 * 86_400;
const THREE_HOURS: i64 = 3 * 3600;
const HOUR: i64 = 3600;

fn assert_invalid_token(res: &reqwest::Response, code: &str) {
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let www = res
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .expect("WWW-Authenticate")
        .to_str()
        .unwrap();
    assert!(www.starts_with(r#"Bearer error="invalid_token""#), "{www}");
    let _ = code;
}

async fn error_code(res: reqwest::Response) -> String {
    let v: Value = res.json().await.expect("error JSON");
    v["error"]["code"]
        .as_str()
        .or(v["error"].as_str())
        .expect("error code")
        .to_owned()
}

#[tokio::test]
async fn discovery_and_jwks() {
    let srv = TestServer::start().await;
    let c = browser();
    let d = srv.discovery().await;
    let iss = srv.provider();
    assert_eq!(d["issuer"], iss);
    assert_eq!(d["authorization_endpoint"], format!("{iss}/authorize"));
    assert_eq!(d["token_endpoint"], format!("{iss}/token"));
    assert_eq!(d["userinfo_endpoint"], format!("{iss}/userinfo"));
    assert_eq!(d["revocation_endpoint"], format!("{iss}/revoke"));
    assert_eq!(d["wl_api_base"], format!("{iss}/v1/"));
    assert_eq!(
        d["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    let jwks: Value = c
        .get(d["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "EC");
    assert_eq!(key["crv"], "P-256");
    assert_eq!(key["alg"], "ES256");
    assert!(key.get("d").is_none(), "no private part in the JWKS");
    assert_eq!(
        d["id_token_signing_alg_values_supported"],
        serde_json::json!(["ES256"])
    );
    assert!(key["kid"].as_str().is_some_and(|k| !k.is_empty()));
    for origin in [srv.provider(), srv.site()] {
        assert_eq!(
            c.get(format!("{origin}/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
    }
}

/// Verifies an ES256 ID token against the JWKS with `p256` and returns its claims.
pub(crate) fn verify_id_token(jwt: &str, jwks: &Value) -> Value {
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{Signature, VerifyingKey};
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "ES256");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .expect("the header's kid is in the JWKS");
    assert_eq!(key["kty"], "EC");
    assert_eq!(key["crv"], "P-256");
    let mut sec1 = vec![4u8];
    sec1.extend(URL_SAFE_NO_PAD.decode(key["x"].as_str().unwrap()).unwrap());
    sec1.extend(URL_SAFE_NO_PAD.decode(key["y"].as_str().unwrap()).unwrap());
    let vk = VerifyingKey::from_sec1_bytes(&sec1).expect("a P-256 point");
    let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    vk.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig)
        .expect("ID token signature verifies");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
}

#[tokio::test]
async fn full_flow_sign_in_consent_token_and_apis() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);

    // No provider session: the sign-in form, unframeable, with a CSRF token and the demo hint.
    let res = f.get(&f.authorize_url("openid wl.basic wl.emails")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(res.headers().get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert!(
        res.headers().get("cross-origin-opener-policy").is_none(),
        "COOP only when asked for"
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("wl-connect demo"), "names the app");
    assert!(page.contains("every password is <code>demo</code>"));
    assert!(!hidden(&page, "csrf").is_empty());

    // Sign in: a session cookie (HttpOnly, SameSite=Lax), back to /authorize.
    let res = f.sign_in(&page, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("wl_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(location(&res).starts_with("/authorize?"));

    // The consent screen: app name, each scope in words, Remember ticked, Allow/Deny.
    let res = f.get(&location(&res)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    for words in [
        "wl-connect demo",
        "Sign you in with your wl-connect account",
        "See your profile info and your list of friends",
        "See your email addresses",
    ] {
        assert!(page.contains(words), "consent page shows {words:?}");
    }
    assert!(page.contains(r#"name="remember" value="1" checked"#));
    assert!(page.contains(r#"value="allow""#) && page.contains(r#"value="deny""#));

    let res = f.decide(&page, "allow", true).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let code = f.code_from(&res);

    let res = f.exchange(&code).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers().get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    let t: Value = res.json().await.unwrap();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["scope"], "openid wl.basic wl.emails");
    let expires_in = t["expires_in"].as_i64().unwrap();
    assert!(
        (HOUR - 10..=HOUR).contains(&expires_in),
        "access tokens live 1 hour even when remembered, got {expires_in}"
    );
    assert!(
        t.get("refresh_token").is_none(),
        "no refresh token without offline access"
    );
    let access = t["access_token"].as_str().unwrap();

    // The ID token: signed with the published key, with iss, sub, aud, exp, iat, nonce, name.
    let jwks: Value = f.get("/jwks.json").await.json().await.unwrap();
    let claims = verify_id_token(t["id_token"].as_str().unwrap(), &jwks);
    assert_eq!(claims["iss"], srv.provider());
    assert_eq!(claims["aud"], "wl-demo");
    assert_eq!(claims["nonce"], f.nonce);
    assert_eq!(claims["name"], "Alice Anderson");
    assert_eq!(claims["email"], "alice@example.net");
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());

    // /v1/me and /userinfo.
    let res = f.me(access).await;
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["id"], claims["sub"]);
    assert_eq!(me["name"], "Alice Anderson");
    assert_eq!(me["first_name"], "Alice");
    assert_eq!(me["last_name"], "Anderson");
    assert_eq!(me["locale"], "en_US");
    assert_eq!(me["emails"]["preferred"], "alice@example.net");
    assert!(me["link"].as_str().unwrap().starts_with(&srv.provider()));
    assert!(me["updated_time"].as_str().unwrap().ends_with("+0000"));
    let picture = me["picture"].as_str().unwrap();
    assert!(
        picture.starts_with(&format!("{}/pictures/", srv.provider())) && picture.len() > 60,
        "unguessable: {picture}"
    );
    let pic = browser().get(picture).send().await.unwrap();
    assert_eq!(pic.status(), StatusCode::OK, "pictures need no token");
    assert_eq!(
        pic.headers().get(header::CONTENT_TYPE).unwrap(),
        "image/svg+xml"
    );
    assert!(pic.text().await.unwrap().contains(">AA</text>"));

    let ui: Value = f
        .client
        .get(format!("{}/userinfo", srv.provider()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ui["sub"], me["id"]);
    assert_eq!(ui["email"], "alice@example.net");

    // A friend's profile (wl.basic): bob is alice's friend; a stranger is not found.
    let bob_id = srv.person_id("bob");
    let res = f
        .client
        .get(format!("{}/v1/{bob_id}", srv.provider()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bob: Value = res.json().await.unwrap();
    assert_eq!(bob["first_name"], "Bob");
    assert!(bob.get("emails").is_none());
    let stranger = srv.person_id("trent");
    let res = f
        .client
        .get(format!("{}/v1/{stranger}", srv.provider()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(res).await, "resource_not_found");
}

#[tokio::test]
async fn unticked_remember_gives_three_hours_then_expires() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let t = f.tokens("bob", "wl.basic", false).await;
    let expires_in = t["expires_in"].as_i64().unwrap();
    assert!(
        (HOUR - 10..=HOUR).contains(&expires_in),
        "the access token: 1 hour, got {expires_in}"
    );
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(f.me(access).await.status(), StatusCode::OK);

    srv.advance(HOUR + 1);
    let res = f.me(access).await;
    assert_invalid_token(&res, "request_token_expired");
    assert_eq!(error_code(res).await, "request_token_expired");

    // The grant (3 hours) still stands: no consent screen yet.
    let res = f.get(&f.authorize_url("wl.basic")).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    srv.advance(THREE_HOURS - HOUR);

    // The grant expired too: the consent screen comes back.
    let res = f.get(&f.authorize_url("wl.basic")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Remember this connection")
    );
}

#[tokio::test]
async fn unexpired_grant_skips_consent_but_new_scopes_ask_again() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    f.tokens("alice", "openid wl.basic", true).await;

    let res = f.get(&f.authorize_url("wl.basic")).await;
    assert_eq!(
        res.status(),
        StatusCode::FOUND,
        "covered scopes: straight back to the app"
    );
    let code = f.code_from(&res);
    assert_eq!(f.exchange(&code).await.status(), StatusCode::OK);

    let res = f.get(&f.authorize_url("wl.basic wl.contacts")).await;
    assert_eq!(res.status(), StatusCode::OK, "a new scope needs consent");
    let page = res.text().await.unwrap();
    assert!(page.contains("See your contacts and their details"));
    // Just-in-time consent lists only the scope the app does not have yet.
    assert!(page.contains("This will also allow"), "{page}");
    assert_eq!(
        page.matches("<li>").count(),
        1,
        "only wl.contacts is asked: {page}"
    );
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_state() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let page = f
        .get(&f.authorize_url("wl.basic"))
        .await
        .text()
        .await
        .unwrap();
    let res = f.sign_in(&page, "alice", "demo").await;
    let page = f.get(&location(&res)).await.text().await.unwrap();
    let res = f.decide(&page, "deny", true).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let loc = location(&res);
    assert!(loc.starts_with(&f.redirect_uri));
    let q = query(&loc);
    assert_eq!(q["error"], "access_denied");
    assert_eq!(q["state"], f.state);
    assert!(!q.contains_key("code"));
}

#[tokio::test]
async fn unknown_client_and_wrong_redirect_uri_stay_on_the_provider() {
    let srv = TestServer::start().await;
    let mut f = Flow::new(&srv);
    f.client_id = "no-such-app".into();
    let res = f.get(&f.authorize_url("wl.basic")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.headers().get(header::LOCATION).is_none(),
        "never redirected"
    );
    assert_eq!(res.headers().get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    let page = res.text().await.unwrap();
    assert!(page.contains("isn't registered") && page.contains("unknown_client"));

    let mut f = Flow::new(&srv);
    f.redirect_uri = format!("{}/evil.html", srv.site());
    let res = f.get(&f.authorize_url("wl.basic")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get(header::LOCATION).is_none());
    assert!(res.text().await.unwrap().contains("redirect_uri_mismatch"));

    // Prefix of a registered URI is not a match either.
    let mut f = Flow::new(&srv);
    f.redirect_uri = format!("{}/callback.html?x=1", srv.site());
    assert_eq!(
        f.get(&f.authorize_url("wl.basic")).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn pkce_is_required_and_checked() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    // No code_challenge: an OAuth error back at the (valid) redirect URI.
    let url = f
        .authorize_url("wl.basic")
        .replace("code_challenge_method=S256", "code_challenge_method=plain");
    let res = f.get(&url).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let q = query(&location(&res));
    assert_eq!(q["error"], "invalid_request");
    assert_eq!(q["state"], f.state);

    // A verifier that does not match the challenge.
    let code = f.code("alice", "wl.basic", true).await;
    let res = f
        .exchange_with(&code, &wl_server::crypto::random_secret("other-"))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"], "invalid_grant");
    assert!(v["error_description"].as_str().unwrap().contains("PKCE"));
    // The failed attempt used the code up.
    assert_eq!(f.exchange(&code).await.status(), StatusCode::BAD_REQUEST);

    // No verifier at all.
    let code = f.code("alice", "wl.basic", true).await;
    let res = f
        .post_form(
            "/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", &f.redirect_uri),
                ("client_id", "wl-demo"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
}

#[tokio::test]
async fn code_reuse_fails_and_revokes_what_it_issued() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let code = f.code("alice", "wl.basic", true).await;
    let t: Value = f.exchange(&code).await.json().await.unwrap();
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(f.me(access).await.status(), StatusCode::OK);

    let res = f.exchange(&code).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_grant");
    assert_invalid_token(&f.me(access).await, "request_token_invalid");
}

#[tokio::test]
async fn expired_code_is_refused() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let code = f.code("alice", "wl.basic", true).await;
    srv.advance(61);
    let res = f.exchange(&code).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"], "invalid_grant");
    assert!(v["error_description"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn token_endpoint_errors_follow_rfc6749() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let res = f
        .post_form(
            "/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", "x"),
                ("client_id", "nope"),
                ("redirect_uri", "x"),
                ("code_verifier", "x"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
    let res = f
        .post_form(
            "/token",
            &[("grant_type", "password"), ("client_id", "wl-demo")],
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"],
        "unsupported_grant_type"
    );
    let res = f
        .post_form(
            "/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", "bogus"),
                ("client_id", "wl-demo"),
                ("redirect_uri", &f.redirect_uri),
                ("code_verifier", &f.verifier),
            ],
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_grant");
    // Wrong redirect_uri at the token endpoint.
    let code = f.code("alice", "wl.basic", true).await;
    let res = f
        .post_form(
            "/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("client_id", "wl-demo"),
                (
                    "redirect_uri",
                    &format!("{}/demo/callback.html", srv.site()),
                ),
                ("code_verifier", &f.verifier),
            ],
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_grant");
}

#[tokio::test]
async fn refresh_tokens_only_with_offline_access() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let t = f.tokens("alice", "wl.basic", true).await;
    assert!(t.get("refresh_token").is_none());

    for offline in ["wl.offline_access", "offline_access"] {
        let f = Flow::new(&srv);
        let t = f
            .tokens("bob", &format!("openid wl.basic {offline}"), true)
            .await;
        let rt = t["refresh_token"]
            .as_str()
            .expect("refresh token with offline access")
            .to_owned();
        let res = f
            .post_form(
                "/token",
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &rt),
                    ("client_id", "wl-demo"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let t2: Value = res.json().await.unwrap();
        assert_ne!(t2["access_token"], t["access_token"]);
        assert_eq!(
            f.me(t2["access_token"].as_str().unwrap()).await.status(),
            StatusCode::OK
        );
        let rt2 = t2["refresh_token"].as_str().expect("rotated refresh token");
        assert_ne!(rt2, rt);
        // The old refresh token was rotated out.
        let res = f
            .post_form(
                "/token",
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &rt),
                    ("client_id", "wl-demo"),
                ],
            )
            .await;
        assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_grant");
    }
}

#[tokio::test]
async fn revoke_endpoint_and_tampered_tokens() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let t = f.tokens("alice", "wl.basic", true).await;
    let access = t["access_token"].as_str().unwrap().to_owned();
    assert_eq!(f.me(&access).await.status(), StatusCode::OK);

    // Missing and tampered tokens.
    let res = f
        .client
        .get(format!("{}/v1/me", srv.provider()))
        .send()
        .await
        .unwrap();
    assert_invalid_token(&res, "request_token_invalid");
    assert_eq!(error_code(res).await, "request_token_invalid");
    let mut tampered = access.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let res = f.me(&String::from_utf8(tampered).unwrap()).await;
    assert_invalid_token(&res, "request_token_invalid");
    assert_eq!(error_code(res).await, "request_token_invalid");

    let res = f
        .post_form("/revoke", &[("token", &access), ("client_id", "wl-demo")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = f.me(&access).await;
    assert_invalid_token(&res, "request_token_invalid");
    // Unknown tokens are fine (RFC 7009 §2.2).
    assert_eq!(
        f.post_form(
            "/revoke",
            &[("token", "whatever"), ("client_id", "wl-demo")]
        )
        .await
        .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn consent_page_lists_and_revokes_connections() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let t = f.tokens("alice", "openid wl.basic", true).await;
    let access = t["access_token"].as_str().unwrap();

    let res = f.get("/consent").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    let page = res.text().await.unwrap();
    assert!(page.contains("Connected apps") && page.contains("wl-connect demo"));
    assert!(page.contains("See your profile info and your list of friends"));
    assert!(page.contains("access until"));
    let grant = hidden(&page, "grant");
    let csrf = hidden(&page, "csrf");

    // Without the CSRF token, nothing happens.
    let res = f
        .post_form("/consent/revoke", &[("grant", &grant), ("csrf", "forged")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(f.me(access).await.status(), StatusCode::OK);

    let res = f
        .post_form("/consent/revoke", &[("grant", &grant), ("csrf", &csrf)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = f.get(&location(&res)).await.text().await.unwrap();
    assert!(page.contains("can no longer use your account"));
    assert!(page.contains("haven't connected any apps"));
    assert_invalid_token(&f.me(access).await, "request_token_invalid");

    // And consent is asked again.
    let res = f.get(&f.authorize_url("openid wl.basic")).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn consent_page_needs_sign_in() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let page = f.get("/consent").await.text().await.unwrap();
    assert!(page.contains(r#"action="/signin""#));
    let res = f.sign_in(&page, "bob", "demo").await;
    assert_eq!(location(&res), "/consent");
    let page = f.get("/consent").await.text().await.unwrap();
    assert!(page.contains("Bob Baker"));
}

#[tokio::test]
async fn failed_sign_ins_are_throttled() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let page = f
        .get(&f.authorize_url("wl.basic"))
        .await
        .text()
        .await
        .unwrap();
    for i in 1..=5 {
        let res = f.sign_in(&page, "alice", "wrong").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
        let body = res.text().await.unwrap();
        if i < 5 {
            assert!(body.contains("don't match"), "{body}");
        } else {
            assert!(body.contains("Too many failed sign-in attempts"));
        }
    }
    // Locked, even with the right password.
    let res = f.sign_in(&page, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.unwrap().contains("seconds and try again"));
    // Another person is not affected.
    assert_eq!(
        f.sign_in(&page, "bob", "demo").await.status(),
        StatusCode::SEE_OTHER
    );

    srv.advance(61);
    assert_eq!(
        f.sign_in(&page, "alice", "demo").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn forms_without_csrf_are_rejected() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let page = f
        .get(&f.authorize_url("wl.basic"))
        .await
        .text()
        .await
        .unwrap();
    let cont = hidden(&page, "continue");
    let res = f
        .post_form(
            "/signin",
            &[
                ("continue", &cont),
                ("username", "alice"),
                ("password", "demo"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("csrf_invalid"));
    // A fresh client has no CSRF cookie: a copied token does not help.
    let other = Flow::new(&srv);
    let csrf = hidden(&page, "csrf");
    let res = other
        .post_form(
            "/signin",
            &[
                ("csrf", &csrf),
                ("continue", &cont),
                ("username", "alice"),
                ("password", "demo"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The consent decision too.
    let res = f.sign_in(&page, "alice", "demo").await;
    let page = f.get(&location(&res)).await.text().await.unwrap();
    let request = hidden(&page, "request");
    let res = f
        .post_form(
            "/authorize/decision",
            &[
                ("csrf", "nope"),
                ("request", &request),
                ("decision", "allow"),
                ("remember", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn restart_keeps_grants_and_tokens() {
    let dir = std::sync::Arc::new(crate::common::TempDir::new());
    let srv = TestServer::start_with(crate::common::config(&dir), dir.clone()).await;
    let f = Flow::new(&srv);
    let t = f.tokens("alice", "wl.basic wl.offline_access", true).await;
    let access = t["access_token"].as_str().unwrap().to_owned();
    let refresh = t["refresh_token"].as_str().unwrap().to_owned();
    let kid: Value = f.get("/jwks.json").await.json().await.unwrap();
    srv.running.shutdown().await;

    let srv = TestServer::start_with(crate::common::config(&dir), dir.clone()).await;
    let f2 = Flow::with_client(&srv, f.client.clone());
    assert_eq!(
        f2.me(&access).await.status(),
        StatusCode::OK,
        "old token still works"
    );
    let kid2: Value = f2.get("/jwks.json").await.json().await.unwrap();
    assert_eq!(
        kid["keys"][0]["kid"], kid2["keys"][0]["kid"],
        "same signing key"
    );
    let res = f2
        .post_form(
            "/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &refresh),
                ("client_id", "wl-demo"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn cors_for_registered_origins_only() {
    let srv = TestServer::start().await;
    let c = browser();
    let site = srv.site();
    // Preflight for /token from the demo app's origin.
    let res = c
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/token", srv.provider()),
        )
        .header(header::ORIGIN, &site)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    assert_eq!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap()
            .to_str()
            .unwrap(),
        site
    );
    assert!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_HEADERS)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Authorization")
    );

    // Another origin gets nothing.
    let res = c
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/token", srv.provider()),
        )
        .header(header::ORIGIN, "http://127.0.0.1:9")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none()
    );

    // Discovery and /v1 from the site's origin; the 401 challenge is readable by script.
    let res = c
        .get(format!(
            "{}/.well-known/openid-configuration",
            srv.provider()
        ))
        .header(header::ORIGIN, &site)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap()
            .to_str()
            .unwrap(),
        site
    );
    let res = c
        .get(format!("{}/v1/me", srv.provider()))
        .header(header::ORIGIN, &site)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap()
            .to_str()
            .unwrap(),
        site
    );
    assert!(
        res.headers()
            .get(header::ACCESS_CONTROL_EXPOSE_HEADERS)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("WWW-Authenticate")
    );

    // A code exchange from the app's origin works; from another registered origin it is refused.
    let other = wl_server::identity::apps::add(
        &srv.running.state.db,
        "Other app",
        &["http://127.0.0.1:7/cb".into()],
        &[],
        0,
    )
    .await
    .unwrap();
    assert_eq!(other.origins, vec!["http://127.0.0.1:7".to_owned()]);
    let f = Flow::new(&srv);
    let code = f.code("alice", "wl.basic", true).await;
    let res = f
        .client
        .post(format!("{}/token", srv.provider()))
        .header(header::ORIGIN, "http://127.0.0.1:7")
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &f.redirect_uri),
            ("client_id", "wl-demo"),
            ("code_verifier", &f.verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
    let code = f.code("alice", "wl.basic", true).await;
    let res = f
        .client
        .post(format!("{}/token", srv.provider()))
        .header(header::ORIGIN, &site)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &f.redirect_uri),
            ("client_id", "wl-demo"),
            ("code_verifier", &f.verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap()
            .to_str()
            .unwrap(),
        site
    );
}

#[tokio::test]
async fn coop_flag_adds_the_header_to_provider_pages() {
    let dir = std::sync::Arc::new(crate::common::TempDir::new());
    let mut cfg = crate::common::config(&dir);
    cfg.provider_coop = true;
    let srv = TestServer::start_with(cfg, dir).await;
    let f = Flow::new(&srv);
    let res = f.get(&f.authorize_url("wl.basic")).await;
    assert_eq!(
        res.headers().get("cross-origin-opener-policy").unwrap(),
        "same-origin"
    );
    let mut bad = Flow::new(&srv);
    bad.client_id = "nope".into();
    let res = bad.get(&bad.authorize_url("wl.basic")).await;
    assert_eq!(
        res.headers().get("cross-origin-opener-policy").unwrap(),
        "same-origin",
        "error pages too"
    );
    let res = f.get("/consent").await;
    assert_eq!(
        res.headers().get("cross-origin-opener-policy").unwrap(),
        "same-origin"
    );
}

#[tokio::test]
async fn insufficient_scope_for_friends() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let t = f.tokens("alice", "openid", true).await;
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(f.me(access).await.status(), StatusCode::OK);
    let me: Value = f.me(access).await.json().await.unwrap();
    assert!(me.get("emails").is_none(), "no emails without wl.emails");
    let bob_id = srv.person_id("bob");
    let res = f
        .client
        .get(format!("{}/v1/{bob_id}", srv.provider()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let www = res
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        www,
        r#"Bearer error="insufficient_scope", scope="wl.basic""#
    );
    assert_eq!(error_code(res).await, "insufficient_scope");
}

#[tokio::test]
async fn mallory_is_always_text() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let page = f
        .get(&f.authorize_url("wl.basic"))
        .await
        .text()
        .await
        .unwrap();
    let res = f.sign_in(&page, "mallory", "demo").await;
    let page = f.get(&location(&res)).await.text().await.unwrap();
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!page.contains("<img src=x"));
    let t = f.tokens("mallory", "wl.basic", true).await;
    let me: Value = f
        .me(t["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["name"], "<img src=x onerror=alert(1)>");
    let svg = browser()
        .get(me["picture"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!svg.contains("<img"));
}

#[tokio::test]
async fn site_serves_dirs_in_order_gzip_and_rewrites_the_provider_origin() {
    let srv = TestServer::start().await;
    let site_dir = srv.dir.0.join("site");
    std::fs::write(
        site_dir.join("index.html"),
        r#"<script src="/wl.js" data-authority="http://127.0.0.1:8081"></script>"#.repeat(20),
    )
    .unwrap();
    std::fs::write(site_dir.join("x.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(site_dir.join("demo/index.html"), "demo").unwrap();
    let c = reqwest::Client::builder()
        .no_gzip()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = c.get(format!("{}/", srv.site())).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(
        body.contains(&format!(r#"data-authority="{}""#, srv.provider())),
        "{body}"
    );
    assert!(!body.contains("8081") || srv.provider().ends_with(":8081"));

    let res = c
        .get(format!("{}/index.html", srv.site()))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get(header::CONTENT_ENCODING).unwrap(), "gzip");

    let res = c
        .get(format!("{}/x.wasm", srv.site()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/wasm"
    );
    let res = c.get(format!("{}/demo", srv.site())).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        c.get(format!("{}/demo/", srv.site()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "demo"
    );
    assert_eq!(
        c.get(format!("{}/missing.js", srv.site()))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = c
        .get(format!("{}/%2e%2e/data/wl.sqlite3", srv.site()))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
}

#[tokio::test]
async fn site_dirs_first_hit_wins() {
    let dir = std::sync::Arc::new(crate::common::TempDir::new());
    let mut cfg = crate::common::config(&dir);
    let first = dir.0.join("first");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::write(first.join("a.txt"), "first").unwrap();
    std::fs::write(dir.0.join("site/a.txt"), "second").unwrap();
    std::fs::write(dir.0.join("site/b.txt"), "only second").unwrap();
    cfg.site_dirs.insert(0, first);
    let srv = TestServer::start_with(cfg, dir).await;
    let c = browser();
    assert_eq!(
        c.get(format!("{}/a.txt", srv.site()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "first"
    );
    assert_eq!(
        c.get(format!("{}/b.txt", srv.site()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "only second"
    );
}

#[tokio::test]
async fn prompt_none_and_picture_redirect() {
    let srv = TestServer::start().await;
    let f = Flow::new(&srv);
    let res = f
        .get(&format!("{}&prompt=none", f.authorize_url("wl.basic")))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let q = query(&location(&res));
    assert_eq!(q["error"], "login_required");
    assert_eq!(q["state"], f.state);

    let t = f.tokens("alice", "wl.basic", true).await;
    let res = f
        .get(&format!("{}&prompt=none", f.authorize_url("wl.basic")))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(
        query(&location(&res)).contains_key("code"),
        "signed in with a grant: a code"
    );
    let res = f
        .get(&format!("{}&prompt=none", f.authorize_url("wl.contacts")))
        .await;
    assert_eq!(query(&location(&res))["error"], "consent_required");

    let access = t["access_token"].as_str().unwrap();
    let res = f
        .client
        .get(format!("{}/v1/me/picture", srv.provider()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(location(&res).contains("/pictures/"));
    let res = f
        .client
        .get(format!("{}/v1/me/nothing-here", srv.provider()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
