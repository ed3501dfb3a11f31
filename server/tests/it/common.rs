//! Shared test support: a real server on ephemeral loopback ports, a browser-like HTTP client
//! (cookie store, no automatic redirects) and the steps of the sign-in and consent flow.

use std::path::PathBuf;
use std::sync::OnceLock;

use reqwest::{Client, Response, StatusCode, header};
use serde_json::Value;
use wl_server::{Config, Running};

/// One signing key for the whole test binary.
pub fn shared_key() -> String {
    static KEY: OnceLock<String> = OnceLock::new();
    KEY.get_or_init(|| wl_server::identity::keys::generate_pem().expect("key"))
        .clone()
}

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let p = std::env::temp_dir().join(format!(
            "wl-server-test-{}",
            wl_server::crypto::random_hex(8)
        ));
        std::fs::create_dir_all(&p).expect("temp dir");
        Self(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        if let Some(url) = test_database() {
            let name = database_name(&self.0);
            on_admin(
                &url,
                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            );
        }
    }
}

/// The PostgreSQL server the suite runs against instead of SQLite: `WL_TEST_DATABASE`, an
/// admin URL (`postgres://wl@127.0.0.1:PORT/postgres`; `cargo xtask test` sets it for its
/// second run). Every test server then gets a database of its own, dropped with its folder.
pub fn test_database() -> Option<String> {
    std::env::var("WL_TEST_DATABASE")
        .ok()
        .filter(|u| !u.is_empty())
}

/// The database of the test folder `dir` (its random name, so a restart finds it again).
fn database_name(dir: &std::path::Path) -> String {
    let tail = dir.file_name().unwrap().to_string_lossy();
    format!("wl_{}", tail.trim_start_matches("wl-server-test-"))
}

/// Runs one statement on the admin database, on a thread of its own (callers may be inside a
/// runtime or not); an error is printed, not raised (a database that exists already).
fn on_admin(url: &str, sql: String) {
    let url = url.to_owned();
    std::thread::spawn(move || {
        use sqlx::Connection as _;
        sqlx::any::install_default_drivers();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut c = sqlx::AnyConnection::connect(&url)
                .await
                .expect("the test PostgreSQL");
            if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
                .execute(&mut c)
                .await
                && !e.to_string().contains("already exists")
            {
                panic!("{sql}: {e}");
            }
        });
    })
    .join()
    .expect("the admin statement");
}

/// The URL of `dir`'s own PostgreSQL database, created if needed (`None`: SQLite).
pub fn database_for(dir: &TempDir) -> Option<String> {
    let admin = test_database()?;
    let name = database_name(&dir.0);
    on_admin(&admin, format!("CREATE DATABASE \"{name}\""));
    let mut url = url::Url::parse(&admin).expect("WL_TEST_DATABASE is a URL");
    url.set_path(&format!("/{name}"));
    Some(url.to_string())
}

/// The running server plus its data directory.
pub struct TestServer {
    pub running: Running,
    pub dir: std::sync::Arc<TempDir>,
}

pub fn config(dir: &TempDir) -> Config {
    let site = dir.0.join("site");
    std::fs::create_dir_all(site.join("demo")).expect("site dir");
    Config {
        site_port: 0,
        provider_port: 0,
        data_dir: dir.0.join("data"),
        database: database_for(dir),
        site_dirs: vec![site],
        signing_key_pem: Some(shared_key()),
        db_connections: 2,
        ..Config::default()
    }
}

impl TestServer {
    pub async fn start() -> Self {
        let dir = TempDir::new();
        Self::start_with(config(&dir), std::sync::Arc::new(dir)).await
    }

    pub async fn start_with(config: Config, dir: std::sync::Arc<TempDir>) -> Self {
        let running = wl_server::start(config).await.expect("server starts");
        Self { running, dir }
    }

    pub fn provider(&self) -> String {
        self.running.provider_origin()
    }

    /// The discovery document, as JSON.
    pub async fn discovery(&self) -> serde_json::Value {
        reqwest::get(format!(
            "{}/.well-known/openid-configuration",
            self.provider()
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
    }

    pub fn site(&self) -> String {
        self.running.site_origin()
    }

    /// The id of the demo person with this username.
    pub fn person_id(&self, username: &str) -> String {
        wl_server::store::seed::demo_person_id(username)
    }

    /// One integer from SQL run on the server's database (`$1`, `$2`, … bound to `args`).
    pub async fn sql_i64(&self, sql: &str, args: &[&str]) -> i64 {
        let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned()));
        for a in args {
            q = q.bind(a.to_string());
        }
        q.fetch_one(&mut *self.running.state.db.conn().await.unwrap())
            .await
            .expect(sql)
    }

    /// One text from SQL run on the server's database.
    pub async fn sql_text(&self, sql: &str, args: &[&str]) -> String {
        let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_owned()));
        for a in args {
            q = q.bind(a.to_string());
        }
        q.fetch_one(&mut *self.running.state.db.conn().await.unwrap())
            .await
            .expect(sql)
    }

    /// Runs SQL on the server's database; the rows it changed.
    pub async fn sql_exec(&self, sql: &str, args: &[&str]) -> u64 {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
        for a in args {
            q = q.bind(a.to_string());
        }
        q.execute(&mut *self.running.state.db.conn().await.unwrap())
            .await
            .expect(sql)
            .rows_affected()
    }

    pub fn redirect_uri(&self) -> String {
        format!("{}/callback.html", self.site())
    }

    /// Moves the provider's clock forward.
    pub fn advance(&self, secs: i64) {
        self.running.state.clock.advance(secs);
    }
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Reads a hidden form field's value out of a page.
pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!(r#"name="{name}" value=""#);
    let start = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no field {name} in page:\n{html}"))
        + needle.len();
    let end = start + html[start..].find('"').expect("closing quote");
    unescape(&html[start..end])
}

pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

pub fn location(res: &Response) -> String {
    res.headers()
        .get(header::LOCATION)
        .expect("a Location header")
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// The query parameters of an absolute URL.
pub fn query(url: &str) -> std::collections::HashMap<String, String> {
    url::Url::parse(url)
        .expect("absolute URL")
        .query_pairs()
        .into_owned()
        .collect()
}

/// One authorization attempt by an app: PKCE verifier, state, nonce.
pub struct Flow {
    pub client: Client,
    pub provider: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub verifier: String,
    pub state: String,
    pub nonce: String,
}

impl Flow {
    pub fn new(srv: &TestServer) -> Self {
        Self::with_client(srv, browser())
    }

    pub fn with_client(srv: &TestServer, client: Client) -> Self {
        Self {
            client,
            provider: srv.provider(),
            client_id: "wl-demo".into(),
            redirect_uri: srv.redirect_uri(),
            verifier: wl_server::crypto::random_secret("v-"),
            state: wl_server::crypto::random_hex(8),
            nonce: wl_server::crypto::random_hex(8),
        }
    }

    pub fn authorize_url(&self, scope: &str) -> String {
        let challenge = wl_server::identity::pkce::s256_challenge(&self.verifier);
        let q: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", scope)
            .append_pair("state", &self.state)
            .append_pair("nonce", &self.nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("display", "popup")
            .finish();
        format!("{}/authorize?{q}", self.provider)
    }

    pub async fn get(&self, url: &str) -> Response {
        let url = if url.starts_with('/') {
            format!("{}{url}", self.provider)
        } else {
            url.to_owned()
        };
        self.client.get(url).send().await.expect("GET")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.provider))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// Submits the sign-in form found in `page`.
    pub async fn sign_in(&self, page: &str, username: &str, password: &str) -> Response {
        let csrf = hidden(page, "csrf");
        let cont = hidden(page, "continue");
        self.post_form(
            "/signin",
            &[
                ("csrf", &csrf),
                ("continue", &cont),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    /// Submits the consent form found in `page`.
    pub async fn decide(&self, page: &str, decision: &str, remember: bool) -> Response {
        let csrf = hidden(page, "csrf");
        let request = hidden(page, "request");
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("request", request.as_str()),
            ("decision", decision),
        ];
        if remember {
            form.push(("remember", "1"));
        }
        self.post_form("/authorize/decision", &form).await
    }

    /// Exchanges a code at `/token`.
    pub async fn exchange(&self, code: &str) -> Response {
        self.exchange_with(code, &self.verifier).await
    }

    pub async fn exchange_with(&self, code: &str, verifier: &str) -> Response {
        self.post_form(
            "/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &self.redirect_uri),
                ("client_id", &self.client_id),
                ("code_verifier", verifier),
            ],
        )
        .await
    }

    /// Authorize → sign in → consent (Allow) and return the code from the redirect.
    pub async fn code(&self, username: &str, scope: &str, remember: bool) -> String {
        let res = self.get(&self.authorize_url(scope)).await;
        let res = if res.status() == StatusCode::OK {
            let page = res.text().await.expect("body");
            if page.contains(r#"action="/signin""#) {
                let res = self.sign_in(&page, username, "demo").await;
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in succeeds");
                self.get(&location(&res)).await
            } else {
                return self.consent_and_code(&page, remember).await;
            }
        } else {
            res
        };
        if res.status() == StatusCode::FOUND {
            return self.code_from(&res);
        }
        assert_eq!(res.status(), StatusCode::OK, "consent page");
        let page = res.text().await.expect("body");
        self.consent_and_code(&page, remember).await
    }

    async fn consent_and_code(&self, page: &str, remember: bool) -> String {
        assert!(
            page.contains("Remember this connection"),
            "consent page:\n{page}"
        );
        let res = self.decide(page, "allow", remember).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        self.code_from(&res)
    }

    pub fn code_from(&self, res: &Response) -> String {
        let loc = location(res);
        assert!(
            loc.starts_with(&self.redirect_uri),
            "redirects to the app: {loc}"
        );
        let q = query(&loc);
        assert_eq!(q.get("state"), Some(&self.state), "state echoed");
        q.get("code")
            .cloned()
            .unwrap_or_else(|| panic!("a code in {loc}"))
    }

    /// The whole flow; returns the token response.
    pub async fn tokens(&self, username: &str, scope: &str, remember: bool) -> Value {
        let code = self.code(username, scope, remember).await;
        let res = self.exchange(&code).await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("token JSON")
    }

    pub async fn me(&self, token: &str) -> Response {
        self.client
            .get(format!("{}/v1/me", self.provider))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET /v1/me")
    }
}

impl TestServer {
    /// A bearer token for `username` and the demo app with `scope`, minted directly (what
    /// `wl-server dev-token` prints), for API tests that are not about the sign-in flow.
    pub async fn dev_token(&self, username: &str, scope: &str) -> String {
        wl_server::identity::tokens::dev_token(
            &self.running.state.tokens,
            username,
            "wl-demo",
            scope,
        )
        .await
        .expect("dev token")
    }

    /// A token of `scope` for `username`, issued to a newly registered app other than
    /// `wl-demo` (for checks that one app's token does not pass for another's).
    pub async fn other_app_token(&self, username: &str, scope: &str) -> String {
        let other = wl_server::identity::apps::add(
            &self.running.state.db,
            "Other",
            &["http://127.0.0.1:7/cb".into()],
            &[],
            0,
        )
        .await
        .expect("another app");
        wl_server::identity::tokens::dev_token(
            &self.running.state.tokens,
            username,
            &other.client_id,
            scope,
        )
        .await
        .expect("another app's token")
    }

    /// An API client for `username` with a token of `scope`.
    pub async fn api(&self, username: &str, scope: &str) -> Api {
        Api {
            client: browser(),
            provider: self.provider(),
            token: self.dev_token(username, scope).await,
        }
    }
}

/// A bearer-token client of the `/v1` APIs (no redirects followed).
pub struct Api {
    pub client: Client,
    pub provider: String,
    pub token: String,
}

impl Api {
    /// The absolute URL of a provider path (absolute URLs pass unchanged).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{path}", self.provider)
        } else {
            path.to_owned()
        }
    }

    /// A request with the token.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&self.token)
    }

    /// GET with the token.
    pub async fn get(&self, path: &str) -> Response {
        self.request(reqwest::Method::GET, path)
            .send()
            .await
            .expect("GET")
    }

    /// GET and expect 200 JSON.
    pub async fn json(&self, path: &str) -> Value {
        let res = self.get(path).await;
        let status = res.status();
        let body = res.text().await.expect("body");
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        serde_json::from_str(&body).expect("JSON")
    }

    /// POST a JSON body with the token.
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(reqwest::Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("POST")
    }
}

/// Reads an error answer: asserts the status and the `{error: {code, message}}` shape with
/// `code`, and returns the message.
pub async fn expect_error(res: Response, status: StatusCode, code: &str) -> String {
    let got = res.status();
    let body = res.text().await.expect("body");
    assert_eq!(got, status, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("JSON error: {body}"));
    assert_eq!(v["error"]["code"], code, "{v}");
    v["error"]["message"]
        .as_str()
        .expect("a message")
        .to_owned()
}

/// `wl-server dev-token --user USER --scope SCOPE --data-dir DATA` (the CLI, on a data folder a
/// running provider process may share): the access token it prints.
pub fn cli_dev_token(data: &std::path::Path, user: &str, scope: &str) -> String {
    cli_dev_token_in(data, None, user, scope)
}

/// [`cli_dev_token`] with `--database URL` when the provider runs on PostgreSQL.
pub fn cli_dev_token_in(
    data: &std::path::Path,
    database: Option<&str>,
    user: &str,
    scope: &str,
) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wl-server"));
    cmd.args(["dev-token", "--user", user, "--scope", scope, "--data-dir"])
        .arg(data);
    if let Some(url) = database {
        cmd.args(["--database", url]);
    }
    let out = cmd.output().expect("dev-token");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}
