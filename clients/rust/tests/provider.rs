//! `wl-connect-client` against the real provider: `wl-server serve` on ephemeral loopback
//! ports (started by the end-to-end crate's runner) with a temporary data directory, an app
//! registered with the operator CLI, and a scripted user agent (cookie jar, no redirects
//! followed) that signs a demo person in and allows the app, as the provider's HTTP tests do.

use std::process::Command;
use std::time::{Duration, SystemTime};
use wl_connect_client::{AuthorizationRequest, Client, Error, OData, Tokens, quote};
use wl_e2e::process::GroupChild;

const REDIRECT: &str = "http://127.0.0.1:4000/callback";

struct Provider {
    issuer: String,
    data: tempfile::TempDir,
    bin: std::path::PathBuf,
    _process: GroupChild,
}

impl Provider {
    fn start() -> Self {
        let bin = wl_e2e::paths::server_bin().expect("wl-server binary");
        let data = tempfile::Builder::new()
            .prefix("wl-rsclient-")
            .tempdir()
            .expect("temp dir");
        let log = data.path().join("server.log");
        let (process, _site, issuer) =
            wl_e2e::server::launch_instance(&bin, data.path(), &[], &[], &log)
                .expect("wl-server starts");
        Provider {
            issuer,
            data,
            bin,
            _process: process,
        }
    }

    fn cli(&self, args: &[&str]) -> String {
        let out = Command::new(&self.bin)
            .args(args)
            .arg("--data-dir")
            .arg(self.data.path())
            .output()
            .expect("wl-server CLI");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// A confidential app: (client id, secret).
    fn confidential_app(&self, name: &str) -> (String, String) {
        let id = self.cli(&["apps", "add", "--name", name, "--redirect-uri", REDIRECT]);
        let out = self.cli(&["apps", "secret", "new", "--client-id", &id]);
        let (_, secret) = out.split_once(' ').expect("ID SECRET");
        (id, secret.to_owned())
    }
}

/// A person's user agent without JavaScript.
struct Browser {
    http: reqwest::Client,
    issuer: String,
}

fn hidden(page: &str, name: &str) -> String {
    let needle = format!(r#"name="{name}" value=""#);
    let start = page
        .find(&needle)
        .unwrap_or_else(|| panic!("no field {name} in:\n{page}"))
        + needle.len();
    let end = start + page[start..].find('"').expect("closing quote");
    page[start..end]
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location header")
        .to_owned()
}

impl Browser {
    fn new(issuer: &str) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Browser {
            http,
            issuer: issuer.to_owned(),
        }
    }

    fn url(&self, u: &str) -> String {
        if u.starts_with('/') {
            format!("{}{u}", self.issuer)
        } else {
            u.to_owned()
        }
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// Sign in as `username` and allow when asked: the callback URL.
    async fn authorize(&self, url: &str, username: &str, decision: &str) -> String {
        let mut res = self.http.get(url).send().await.expect("GET authorize");
        if res.status() == 200 {
            let page = res.text().await.expect("page");
            if page.contains(r#"action="/signin""#) {
                let r = self
                    .post(
                        "/signin",
                        &[
                            ("csrf", &hidden(&page, "csrf")),
                            ("continue", &hidden(&page, "continue")),
                            ("username", username),
                            ("password", "demo"),
                        ],
                    )
                    .await;
                assert_eq!(r.status(), 303, "sign-in");
                res = self
                    .http
                    .get(self.url(&location(&r)))
                    .send()
                    .await
                    .expect("GET");
            } else {
                return self.decide(&page, decision).await;
            }
        }
        if res.status() == 302 {
            return location(&res);
        }
        assert_eq!(res.status(), 200, "the consent page");
        let page = res.text().await.expect("page");
        self.decide(&page, decision).await
    }

    async fn decide(&self, page: &str, decision: &str) -> String {
        let r = self
            .post(
                "/authorize/decision",
                &[
                    ("csrf", &hidden(page, "csrf")),
                    ("request", &hidden(page, "request")),
                    ("decision", decision),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "decision");
        location(&r)
    }
}

fn query_of(url: &str) -> String {
    assert!(url.starts_with(REDIRECT), "redirects to the app: {url}");
    url.split_once('?')
        .map(|(_, q)| q.to_owned())
        .unwrap_or_default()
}

async fn sign_in(p: &Provider, client: &Client, scope: &str) -> (AuthorizationRequest, String) {
    let pending = client
        .authorization_url(scope)
        .await
        .expect("authorize URL");
    let callback = Browser::new(&p.issuer)
        .authorize(&pending.url, "alice", "allow")
        .await;
    (pending, query_of(&callback))
}

fn param(query: &str, key: &str) -> String {
    form_urlencoded_get(query, key).unwrap_or_default()
}

fn form_urlencoded_get(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| v.to_owned())
    })
}

fn expect_code<T: std::fmt::Debug>(r: Result<T, Error>, code: &str, status: Option<u16>) {
    let e = r.expect_err("an error");
    assert_eq!((e.code(), e.status()), (code, status), "{e}");
}

/// One provider for the whole flow (starting it is the slow part): the code flow as a
/// confidential client, the API with OData, refresh, revoke and the attacks.
#[tokio::test(flavor = "multi_thread")]
async fn confidential_code_flow_against_the_provider() {
    let p = Provider::start();
    let (id, secret) = p.confidential_app("Rust back end");
    let client = Client::new(&p.issuer, &id)
        .with_secret(&secret)
        .with_redirect_uri(REDIRECT);

    // Discovery.
    let doc = client.discovery().await.expect("discovery");
    assert_eq!(doc.issuer, p.issuer);
    assert!(
        doc.token_endpoint_auth_methods_supported
            .iter()
            .any(|m| m == "client_secret_basic")
    );

    // The authorize URL carries PKCE and state; the verifier stays out of it.
    let pending = client.authorization_url("wl.basic").await.expect("url");
    assert!(pending.url.contains("code_challenge_method=S256"));
    assert!(pending.url.contains(&format!("state={}", pending.state)));
    assert!(!pending.url.contains(&pending.code_verifier));

    // The flow, then /v1/me and /v1/me/friends with OData.
    let (pending, query) = sign_in(&p, &client, "wl.basic wl.offline_access").await;
    let tokens = client
        .handle_callback(&query, &pending)
        .await
        .expect("exchange");
    assert!(tokens.access_token.starts_with("wlat_"));
    assert!(
        tokens
            .refresh_token
            .as_deref()
            .is_some_and(|r| r.starts_with("wlrt_"))
    );
    assert!(tokens.expires_at > SystemTime::now() + Duration::from_secs(3000));
    let me = client.api("me", &tokens).send().await.expect("me");
    assert_eq!(me["name"], "Alice Anderson");
    let picture = client
        .api("me/picture", &tokens)
        .query("suppress_redirects", "true")
        .send()
        .await
        .expect("picture");
    assert!(
        picture["location"]
            .as_str()
            .is_some_and(|l| l.starts_with(&format!("{}/pictures/", p.issuer))),
        "{picture}"
    );
    let all = client
        .api("me/friends", &tokens)
        .odata(OData::new().count())
        .send()
        .await
        .expect("friends");
    assert_eq!(
        all["count"].as_u64(),
        Some(all["data"].as_array().map_or(0, Vec::len) as u64)
    );
    assert!(all["count"].as_u64() >= Some(3));
    let bs = client
        .api("me/friends", &tokens)
        .odata(
            OData::new()
                .filter(format!("startswith(first_name,{})", quote("B")))
                .select(&["id", "first_name"])
                .orderby(&["first_name"])
                .top(10)
                .count(),
        )
        .send()
        .await
        .expect("friends B");
    assert_eq!(bs["count"], 1);
    assert_eq!(bs["data"][0]["first_name"], "Bob");
    assert_eq!(bs["data"][0].as_object().map(|o| o.len()), Some(2));
    let none = client
        .api("me/friends", &tokens)
        .odata(
            OData::new()
                .filter(format!("last_name eq {}", quote("O'Brien")))
                .count(),
        )
        .send()
        .await
        .expect("a quote inside a literal");
    assert_eq!(none["count"], 0);
    expect_code(
        client
            .api("me/friends", &tokens)
            .query("$filter", "first_name eq")
            .send()
            .await,
        "request_parameter_invalid",
        Some(400),
    );
    expect_code(
        client.api("me/contacts", &tokens).send().await,
        "insufficient_scope",
        Some(403),
    );

    // ensure_fresh: untouched while fresh, refreshed when about to expire.
    let same = client.ensure_fresh(tokens.clone()).await.expect("fresh");
    assert_eq!(same, tokens);
    let mut expiring = tokens.clone();
    expiring.expires_at = SystemTime::now() + Duration::from_secs(5);
    let fresh = client.ensure_fresh(expiring).await.expect("refresh");
    assert_ne!(fresh.refresh_token, tokens.refresh_token);
    assert_eq!(
        client.api("me", &fresh).send().await.expect("me")["first_name"],
        "Alice"
    );
    // The old refresh token is spent.
    expect_code(client.refresh(&tokens).await, "invalid_grant", Some(400));

    // Revoke: the access token stops working, then the grant.
    let (pending, query) = sign_in(&p, &client, "wl.basic wl.offline_access").await;
    let tokens = client
        .handle_callback(&query, &pending)
        .await
        .expect("exchange");
    client
        .revoke(&tokens.access_token, Some("access_token"))
        .await
        .expect("revoke");
    expect_code(
        client.api("me", &tokens).send().await,
        "request_token_invalid",
        Some(401),
    );
    client.revoke_tokens(&tokens).await.expect("revoke refresh");
    expect_code(client.refresh(&tokens).await, "invalid_grant", Some(400));

    // A bad secret: 401 invalid_client, the secret not in the message, the code not spent.
    let (pending, query) = sign_in(&p, &client, "wl.basic").await;
    let bad_secret = format!("wlcs_{}", "A".repeat(43));
    let bad = Client::new(&p.issuer, &id)
        .with_secret(&bad_secret)
        .with_redirect_uri(REDIRECT);
    let e = bad
        .handle_callback(&query, &pending)
        .await
        .expect_err("bad secret");
    assert_eq!((e.code(), e.status()), ("invalid_client", Some(401)));
    assert!(!e.to_string().contains("AAAA"), "{e}");
    // No secret at all for a confidential app.
    let public = Client::new(&p.issuer, &id).with_redirect_uri(REDIRECT);
    expect_code(
        public.handle_callback(&query, &pending).await,
        "invalid_client",
        Some(401),
    );
    let tokens = client
        .handle_callback(&query, &pending)
        .await
        .expect("the code survived the failed attempts");
    assert!(
        tokens.refresh_token.is_none(),
        "no wl.offline_access, no refresh token"
    );
    expect_code(client.refresh(&tokens).await, "no_refresh_token", None);

    // A tampered state: refused before anything is sent (the code still works after).
    let (pending, query) = sign_in(&p, &client, "wl.basic").await;
    let state = param(&query, "state");
    let tampered = query.replace(&format!("state={state}"), "state=forged");
    expect_code(
        client.handle_callback(&tampered, &pending).await,
        "state_mismatch",
        None,
    );
    // A code injected into another session (its state copied): PKCE refuses it at /token.
    let other = client.authorization_url("wl.basic").await.expect("url");
    let forged = AuthorizationRequest {
        state: pending.state.clone(),
        ..other
    };
    expect_code(
        client.handle_callback(&query, &forged).await,
        "invalid_grant",
        Some(400),
    );

    // A wrong redirect URI: the authorize endpoint refuses (no redirect to it), and a code
    // exchanged with another redirect URI is refused.
    let wrong = Client::new(&p.issuer, &id)
        .with_secret(&secret)
        .with_redirect_uri("http://127.0.0.1:4001/evil");
    let url = wrong.authorization_url("wl.basic").await.expect("url").url;
    let res = Browser::new(&p.issuer)
        .http
        .get(url)
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), 400);
    assert!(res.headers().get("location").is_none());
    let (pending, query) = sign_in(&p, &client, "wl.basic").await;
    expect_code(
        client
            .exchange_code_at(
                &param(&query, "code"),
                &param(&query, "state"),
                &pending,
                "http://127.0.0.1:4001/evil",
            )
            .await,
        "invalid_grant",
        Some(400),
    );

    // The person says no: the callback's error.
    let pending = client.authorization_url("wl.basic").await.expect("url");
    let callback = Browser::new(&p.issuer)
        .authorize(&pending.url, "grace", "deny")
        .await;
    expect_code(
        client.handle_callback(&query_of(&callback), &pending).await,
        "access_denied",
        None,
    );

    // A public app: PKCE only, refresh works the same.
    let pub_id = p.cli(&[
        "apps",
        "add",
        "--name",
        "Rust public",
        "--redirect-uri",
        REDIRECT,
    ]);
    let public = Client::new(&p.issuer, &pub_id).with_redirect_uri(REDIRECT);
    let (pending, query) = sign_in(&p, &public, "wl.basic wl.offline_access").await;
    let tokens: Tokens = public
        .handle_callback(&query, &pending)
        .await
        .expect("public");
    let fresh = public.refresh(&tokens).await.expect("refresh");
    assert_eq!(
        public.api("me", &fresh).send().await.expect("me")["name"],
        "Alice Anderson"
    );
    public.revoke_tokens(&fresh).await.expect("revoke");

    // No provider at all.
    let nobody = Client::new("http://127.0.0.1:9", "x").with_redirect_uri(REDIRECT);
    expect_code(nobody.discovery().await, "network_error", None);
}
