//! The developer portal (`/developers`, issue 15): registering, editing and deleting apps over
//! real HTTP, the bad inputs (each refused with an error next to its field and nothing saved),
//! owners only (anyone else gets 404), the consent screen showing what the app says about
//! itself, and the CLI doing the same through the same service.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::common::*;

/// A browser signed in to the provider as `username`.
async fn developer(srv: &TestServer, username: &str) -> Flow {
    let f = Flow::new(srv);
    let res = f.get("/developers").await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(
        page.contains(r#"action="/signin""#),
        "asks to sign in:\n{page}"
    );
    assert!(page.contains(r#"name="continue" value="/developers""#));
    let res = f.sign_in(&page, username, "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/developers");
    f
}

/// The CSRF token of the portal page at `path`.
async fn csrf_of(f: &Flow, path: &str) -> String {
    let res = f.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    hidden(&res.text().await.unwrap(), "csrf")
}

/// A PNG of `w` × `h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(w, h, image::Rgba([11, 99, 206, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A JPEG of `w` × `h` pixels.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 60]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// The registration/edit form's fields.
struct AppForm<'a> {
    name: &'a str,
    description: &'a str,
    redirect_uris: &'a str,
    origins: &'a str,
    scopes: &'a [&'a str],
    terms_url: &'a str,
    privacy_url: &'a str,
    logo: Option<(&'a str, Vec<u8>)>,
    remove_logo: bool,
}

impl Default for AppForm<'_> {
    fn default() -> Self {
        Self {
            name: "Recipes",
            description: "Share recipes with friends.",
            redirect_uris: "http://127.0.0.1:7/cb.html",
            origins: "",
            scopes: &["openid", "wl.basic"],
            terms_url: "https://recipes.example/terms",
            privacy_url: "https://recipes.example/privacy",
            logo: None,
            remove_logo: false,
        }
    }
}

async fn post_app(f: &Flow, path: &str, csrf: &str, a: AppForm<'_>) -> reqwest::Response {
    let mut form = Form::new()
        .text("csrf", csrf.to_owned())
        .text("name", a.name.to_owned())
        .text("description", a.description.to_owned())
        .text("redirect_uris", a.redirect_uris.to_owned())
        .text("origins", a.origins.to_owned())
        .text("terms_url", a.terms_url.to_owned())
        .text("privacy_url", a.privacy_url.to_owned());
    for s in a.scopes {
        form = form.text("scopes", (*s).to_owned());
    }
    form = match a.logo {
        Some((name, bytes)) => form.part("logo", Part::bytes(bytes).file_name(name.to_owned())),
        None => form.part("logo", Part::bytes(Vec::new()).file_name("")),
    };
    if a.remove_logo {
        form = form.text("remove_logo", "1");
    }
    f.client
        .post(format!("{}{path}", f.provider))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Registers an app as `f`'s person; returns its client id.
async fn register(f: &Flow, a: AppForm<'_>) -> String {
    let csrf = csrf_of(f, "/developers/apps/new").await;
    let res = post_app(f, "/developers/apps", &csrf, a).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let loc = location(&res);
    let id = loc
        .strip_prefix("/developers/apps/")
        .and_then(|r| r.strip_suffix("?registered=1"))
        .unwrap_or_else(|| panic!("{loc}"))
        .to_owned();
    assert_eq!(id.len(), 32);
    id
}

async fn apps_count(srv: &TestServer) -> i64 {
    srv.sql_i64("SELECT COUNT(*) FROM apps", &[]).await
}

#[tokio::test]
async fn register_edit_consent_and_delete() {
    let srv = TestServer::start().await;
    let f = developer(&srv, "alice").await;

    // The seed makes alice an owner of the demo app.
    let page = f.get("/developers").await.text().await.unwrap();
    assert!(
        page.contains("wl-connect demo") && page.contains("Register an app"),
        "{page}"
    );

    let id = register(
        &f,
        AppForm {
            logo: Some(("logo.png", png(300, 200))),
            ..Default::default()
        },
    )
    .await;
    let res = f.get(&format!("/developers/apps/{id}?registered=1")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("Your app is registered"), "{page}");
    assert!(
        page.contains(&format!(
            r#"id="client_id" type="text" readonly value="{id}""#
        )),
        "{page}"
    );
    assert!(page.contains(&format!(r#"href="/developers/apps/{id}/secrets""#)));
    assert!(page.contains(&format!(r#"href="/developers/apps/{id}/stats""#)));
    assert!(page.contains("<li><code>alice</code></li>"), "{page}");
    let list = f.get("/developers").await.text().await.unwrap();
    assert!(list.contains("Recipes") && list.contains(&id));

    // The logo was re-encoded: a PNG no larger than 128 × 128, aspect kept; public.
    let res = browser()
        .get(format!("{}/developers/apps/{id}/logo.png", srv.provider()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    let logo = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((logo.width(), logo.height()), (128, 85));

    // Stored as typed, scopes in the provider's order, the origin from the redirect URI.
    let app = wl_server::identity::apps::find(&mut srv.running.state.db.conn().await.unwrap(), &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.allowed_scopes.as_deref(), Some("openid wl.basic"));
    assert_eq!(app.origins, vec!["http://127.0.0.1:7".to_owned()]);
    assert_eq!(
        app.terms_url.as_deref(),
        Some("https://recipes.example/terms")
    );

    // The consent screen shows the logo, description, terms and privacy links.
    let mut flow = Flow::with_client(&srv, f.client.clone());
    flow.client_id = id.clone();
    flow.redirect_uri = "http://127.0.0.1:7/cb.html".into();
    let res = flow.get(&flow.authorize_url("openid wl.basic")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let consent = res.text().await.unwrap();
    assert!(
        consent.contains(&format!(r#"src="/developers/apps/{id}/logo.png""#)),
        "{consent}"
    );
    assert!(consent.contains("Share recipes with friends."));
    assert!(consent.contains(r#"href="https://recipes.example/terms""#));
    assert!(consent.contains(r#"href="https://recipes.example/privacy""#));
    // A scope the app may not request is refused.
    let res = flow.get(&flow.authorize_url("openid wl.contacts")).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let q = query(&location(&res));
    assert_eq!(q.get("error").map(String::as_str), Some("invalid_scope"));

    // Edit: a new name and description, the logo removed.
    let csrf = csrf_of(&f, &format!("/developers/apps/{id}")).await;
    let res = post_app(
        &f,
        &format!("/developers/apps/{id}"),
        &csrf,
        AppForm {
            name: "Recipes 2",
            description: "",
            terms_url: "",
            remove_logo: true,
            scopes: &["openid", "wl.basic", "wl.share"],
            ..Default::default()
        },
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/developers/apps/{id}?saved=1"));
    let page = f.get(&location(&res)).await.text().await.unwrap();
    assert!(
        page.contains("Changes saved.") && page.contains("Recipes 2"),
        "{page}"
    );
    let res = browser()
        .get(format!("{}/developers/apps/{id}/logo.png", srv.provider()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let app = wl_server::identity::apps::find(&mut srv.running.state.db.conn().await.unwrap(), &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((app.description.as_str(), app.terms_url), ("", None));
    assert_eq!(
        app.allowed_scopes.as_deref(),
        Some("openid wl.basic wl.share")
    );

    // Add an owner: bob then sees it; an unknown username is refused next to the field.
    let csrf = csrf_of(&f, &format!("/developers/apps/{id}")).await;
    let res = f
        .post_form(
            &format!("/developers/apps/{id}/owners"),
            &[("csrf", &csrf), ("username", "nobody-here")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("nobody with the username `nobody-here`") && page.contains("(owner_unknown)"),
        "{page}"
    );
    assert!(page.contains(r#"value="nobody-here""#));
    let res = f
        .post_form(
            &format!("/developers/apps/{id}/owners"),
            &[("csrf", &csrf), ("username", "bob")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let bob = developer(&srv, "bob").await;
    assert!(
        bob.get("/developers")
            .await
            .text()
            .await
            .unwrap()
            .contains("Recipes 2")
    );

    // Two people connect; then the delete page names what goes.
    let mut carol = Flow::new(&srv);
    carol.client_id = id.clone();
    carol.redirect_uri = "http://127.0.0.1:7/cb.html".into();
    let tokens = carol.tokens("carol", "openid wl.basic", true).await;
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    assert_eq!(carol.me(&access).await.status(), StatusCode::OK);
    let mut grace = Flow::new(&srv);
    grace.client_id = id.clone();
    grace.redirect_uri = "http://127.0.0.1:7/cb.html".into();
    grace.tokens("grace", "wl.basic", false).await;
    let grants = srv
        .sql_i64("SELECT COUNT(*) FROM grants WHERE client_id = $1", &[&id])
        .await;
    let tokens_n = srv
        .sql_i64("SELECT COUNT(*) FROM tokens WHERE client_id = $1", &[&id])
        .await;
    assert_eq!(grants, 2);
    assert!(tokens_n >= 2);
    let res = f.get(&format!("/developers/apps/{id}/delete")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("<strong>2 grants</strong>"), "{page}");
    assert!(
        page.contains(&format!("<strong>{tokens_n} tokens</strong>")),
        "{page}"
    );
    let csrf = hidden(&page, "csrf");
    // Without the token nothing happens.
    let res = f
        .post_form(
            &format!("/developers/apps/{id}/delete"),
            &[("csrf", "forged")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(carol.me(&access).await.status(), StatusCode::OK);
    let res = f
        .post_form(&format!("/developers/apps/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/developers?deleted=1");
    // The cached token is refused at once; nothing of the app is left.
    assert_eq!(carol.me(&access).await.status(), StatusCode::UNAUTHORIZED);
    for table in [
        "apps",
        "grants",
        "tokens",
        "auth_codes",
        "app_owners",
        "app_redirect_uris",
        "app_origins",
    ] {
        let n = srv
            .sql_i64(
                &format!("SELECT COUNT(*) FROM {table} WHERE client_id = $1"),
                &[&id],
            )
            .await;
        assert_eq!(n, 0, "{table}");
    }
    let page = f.get("/developers?deleted=1").await.text().await.unwrap();
    assert!(
        page.contains("The app was deleted") && !page.contains("Recipes 2"),
        "{page}"
    );
    assert_eq!(
        f.get(&format!("/developers/apps/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_input_is_refused_next_to_its_field_and_nothing_is_saved() {
    let srv = TestServer::start().await;
    let f = developer(&srv, "alice").await;
    let before = apps_count(&srv).await;
    let csrf = csrf_of(&f, "/developers/apps/new").await;

    // (form, the field's error text, its code)
    let big = {
        let mut b = png(8, 8);
        b.resize(300 * 1024, 0);
        b
    };
    let long = "x".repeat(501);
    let cases: Vec<(AppForm<'_>, &str, &str)> = vec![
        (
            AppForm {
                redirect_uris: "https://recipes.example/cb\nhttps://recipes.example/cb",
                ..Default::default()
            },
            "The redirect URI `https://recipes.example/cb` is listed twice",
            "redirect_uri_duplicate",
        ),
        (
            AppForm {
                redirect_uris: "http://recipes.example/cb",
                ..Default::default()
            },
            "must use https",
            "redirect_uri_invalid",
        ),
        (
            AppForm {
                logo: Some(("big.png", big)),
                ..Default::default()
            },
            "The logo is too large: 300 KB, at most 256 KB.",
            "logo_too_large",
        ),
        (
            AppForm {
                logo: Some(("logo.gif", b"GIF89a\x01\x00\x01\x00".to_vec())),
                ..Default::default()
            },
            "The logo must be a PNG or JPEG image.",
            "logo_type",
        ),
        (
            AppForm {
                logo: Some(("broken.png", b"\x89PNG\r\n\x1a\nnot really".to_vec())),
                ..Default::default()
            },
            "The logo could not be read as an image",
            "logo_unreadable",
        ),
        (
            AppForm {
                name: "  ",
                ..Default::default()
            },
            "The app needs a name.",
            "name_missing",
        ),
        (
            AppForm {
                description: &long,
                ..Default::default()
            },
            "The description is too long: 501 characters, at most 500.",
            "description_too_long",
        ),
        (
            AppForm {
                terms_url: "http://recipes.example/terms",
                ..Default::default()
            },
            "must use https",
            "terms_url_invalid",
        ),
        (
            AppForm {
                privacy_url: "javascript:alert(1)",
                ..Default::default()
            },
            "must be https",
            "privacy_url_invalid",
        ),
        (
            AppForm {
                origins: "https://a.example\nhttps://a.example",
                ..Default::default()
            },
            "The origin `https://a.example` is listed twice",
            "origin_duplicate",
        ),
        (
            AppForm {
                origins: "https://a.example/path",
                ..Default::default()
            },
            "no path, no trailing slash",
            "origin_invalid",
        ),
        (
            AppForm {
                scopes: &[],
                ..Default::default()
            },
            "Pick at least one scope",
            "scopes_missing",
        ),
        (
            AppForm {
                scopes: &["openid", "wl.everything"],
                ..Default::default()
            },
            "The scope `wl.everything` is not one this provider knows.",
            "scope_unknown",
        ),
    ];
    for (form, message, code) in cases {
        let typed_name = form.name.to_owned();
        let res = post_app(&f, "/developers/apps", &csrf, form).await;
        let status = res.status();
        let page = res.text().await.unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{code}: {page}");
        assert!(page.contains("Nothing was saved."), "{code}: {page}");
        assert!(page.contains(&format!("({code})")), "{code}: {page}");
        assert!(unescape(&page).contains(message), "{code}: {page}");
        if !code.starts_with("scope") {
            // (The scopes' fieldset names its error with aria-describedby instead.)
            assert!(page.contains(r#"aria-invalid="true""#), "{code}");
        } else {
            assert!(
                page.contains(r#"aria-describedby="scopes-error""#),
                "{code}"
            );
        }
        // What was typed is kept.
        if !typed_name.trim().is_empty() {
            assert!(page.contains(&format!(r#"value="{typed_name}""#)), "{code}");
        }
        assert_eq!(apps_count(&srv).await, before, "{code}: nothing saved");
    }

    // A JPEG is accepted (and stored as PNG); two problems at once are both shown.
    let id = register(
        &f,
        AppForm {
            logo: Some(("logo.jpg", jpeg(64, 64))),
            ..Default::default()
        },
    )
    .await;
    let res = browser()
        .get(format!("{}/developers/apps/{id}/logo.png", srv.provider()))
        .send()
        .await
        .unwrap();
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
    let res = post_app(
        &f,
        "/developers/apps",
        &csrf,
        AppForm {
            name: "",
            redirect_uris: "http://recipes.example/cb",
            ..Default::default()
        },
    )
    .await;
    let page = res.text().await.unwrap();
    assert!(
        page.contains("(name_missing)") && page.contains("(redirect_uri_invalid)"),
        "{page}"
    );

    // An edit with one bad field changes nothing, not even the good fields.
    let csrf = csrf_of(&f, &format!("/developers/apps/{id}")).await;
    let res = post_app(
        &f,
        &format!("/developers/apps/{id}"),
        &csrf,
        AppForm {
            name: "Renamed",
            redirect_uris: "http://127.0.0.1:7/new.html\nhttp://127.0.0.1:7/new.html",
            logo: Some(("logo.png", png(10, 10))),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("(redirect_uri_duplicate)") && page.contains(r#"value="Renamed""#),
        "{page}"
    );
    let app = wl_server::identity::apps::find(&mut srv.running.state.db.conn().await.unwrap(), &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.name, "Recipes");
    assert_eq!(
        app.redirect_uris,
        vec!["http://127.0.0.1:7/cb.html".to_owned()]
    );
    let logo = browser()
        .get(format!("{}/developers/apps/{id}/logo.png", srv.provider()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(logo, bytes, "the logo is unchanged");
}

#[tokio::test]
async fn only_owners_see_or_change_an_app() {
    let srv = TestServer::start().await;
    let bob = developer(&srv, "bob").await;
    let alice = developer(&srv, "alice").await;
    let before =
        wl_server::identity::apps::find(&mut srv.running.state.db.conn().await.unwrap(), "wl-demo")
            .await
            .unwrap()
            .unwrap();

    // bob owns nothing: the demo app (alice's) and a missing app answer the same 404.
    let page = bob.get("/developers").await.text().await.unwrap();
    assert!(
        page.contains("You don't own any apps yet") && !page.contains("wl-demo"),
        "{page}"
    );
    for path in [
        "/developers/apps/wl-demo",
        "/developers/apps/wl-demo/delete",
        "/developers/apps/no-such-app",
    ] {
        let res = bob.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(res.text().await.unwrap().contains("not_found"));
    }
    // With his own valid session token, bob's edit, owner and delete forms are refused.
    let csrf = csrf_of(&bob, "/developers/apps/new").await;
    let res = post_app(
        &bob,
        "/developers/apps/wl-demo",
        &csrf,
        AppForm {
            name: "Hijacked",
            redirect_uris: "https://evil.example/cb",
            ..Default::default()
        },
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = bob
        .post_form(
            "/developers/apps/wl-demo/owners",
            &[("csrf", &csrf), ("username", "bob")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = bob
        .post_form("/developers/apps/wl-demo/delete", &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let after =
        wl_server::identity::apps::find(&mut srv.running.state.db.conn().await.unwrap(), "wl-demo")
            .await
            .unwrap()
            .unwrap();
    assert_eq!(before, after);
    assert_eq!(
        srv.sql_i64(
            "SELECT COUNT(*) FROM app_owners WHERE client_id = 'wl-demo' AND person_id = $1",
            &[&srv.person_id("bob")]
        )
        .await,
        0
    );

    // alice's forms with bob's token (another session's) are refused too.
    let res = alice
        .post_form("/developers/apps/wl-demo/delete", &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A form sent from another site is refused before anything else.
    let alice_csrf = csrf_of(&alice, "/developers/apps/wl-demo").await;
    let res = alice
        .client
        .post(format!("{}/developers/apps/wl-demo/delete", srv.provider()))
        .header("origin", "http://127.0.0.1:9")
        .form(&[("csrf", alice_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(apps_count(&srv).await, 1);

    // Signed out: the portal asks to sign in; a form changes nothing.
    let stranger = browser();
    let res = stranger
        .get(format!("{}/developers/apps/wl-demo", srv.provider()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(
        page.contains(r#"action="/signin""#)
            && page.contains(r#"value="/developers/apps/wl-demo""#)
    );
    let res = stranger
        .post(format!("{}/developers/apps/wl-demo/delete", srv.provider()))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(apps_count(&srv).await, 1);
}

/// The CLI does what the portal does, through the same service (same checks, same messages).
#[tokio::test]
async fn cli_parity() {
    use std::process::Command;
    const BIN: &str = env!("CARGO_BIN_EXE_wl-server");
    let dir = TempDir::new();
    let data = dir.0.join("data");
    let mut base = vec!["--data-dir".to_owned(), data.to_str().unwrap().to_owned()];
    if let Some(db) = database_for(&dir) {
        base = vec!["--database".to_owned(), db];
    }
    let run = |args: &[&str]| {
        let out = Command::new(BIN).args(args).args(&base).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The people exist once a dev token is minted (it seeds them).
    assert!(run(&["dev-token"]).0);
    let logo_path = dir.0.join("logo.png");
    std::fs::write(&logo_path, png(200, 200)).unwrap();
    let (ok, out, err) = run(&[
        "apps",
        "add",
        "--name",
        "CLI app",
        "--redirect-uri",
        "http://127.0.0.1:7/cb",
        "--scope",
        "openid",
        "--scope",
        "wl.basic",
        "--description",
        "From the shell",
        "--privacy-url",
        "https://cli.example/privacy",
        "--logo",
        logo_path.to_str().unwrap(),
        "--owner",
        "alice",
    ]);
    assert!(ok, "{err}");
    let id = out.trim().to_owned();
    let (_, list, _) = run(&["apps", "list"]);
    assert!(
        list.contains(&id) && list.contains("scopes        openid wl.basic"),
        "{list}"
    );
    assert!(
        list.contains("owner         alice") && list.contains("logo          yes"),
        "{list}"
    );

    // The same refusals as the portal's.
    let (ok, _, err) = run(&[
        "apps",
        "add",
        "--name",
        "Dup",
        "--redirect-uri",
        "https://a.example/cb",
        "--redirect-uri",
        "https://a.example/cb",
    ]);
    assert!(
        !ok && err.contains("listed twice") && err.contains("redirect_uri_duplicate"),
        "{err}"
    );
    let (ok, _, err) = run(&[
        "apps",
        "add",
        "--name",
        "Http",
        "--redirect-uri",
        "http://a.example/cb",
    ]);
    assert!(!ok && err.contains("must use https"), "{err}");
    let (ok, _, err) = run(&[
        "apps",
        "add",
        "--name",
        "X",
        "--redirect-uri",
        "https://a.example/cb",
        "--owner",
        "nobody-here",
    ]);
    assert!(!ok && err.contains("owner_unknown"), "{err}");

    // Edit only what is given; owners; delete says what it revoked.
    let (ok, out, err) = run(&[
        "apps",
        "edit",
        "--client-id",
        &id,
        "--name",
        "CLI app 2",
        "--remove-logo",
        "--all-scopes",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("CLI app 2") && out.contains("scopes        (all)") && !out.contains("logo "),
        "{out}"
    );
    assert!(out.contains("description   From the shell"), "{out}");
    let (ok, out, _) = run(&["apps", "owners", "--client-id", &id, "--add", "bob"]);
    assert!(
        ok && {
            let mut owners: Vec<&str> = out.lines().collect();
            owners.sort_unstable();
            owners == ["alice", "bob"]
        },
        "{out}"
    );
    let (ok, _, err) = run(&[
        "apps",
        "templates",
        "--client-id",
        &id,
        "--add",
        "saved",
        "--text",
        "{actor} saved {recipe}",
    ]);
    assert!(!ok && err.contains("template_placeholder_unknown"), "{err}");
    let (ok, out, err) = run(&[
        "apps",
        "templates",
        "--client-id",
        &id,
        "--add",
        "saved",
        "--text",
        "{actor} saved {title}",
    ]);
    assert!(ok && out == "saved  {actor} saved {title}\n", "{out}{err}");
    let (ok, out, _) = run(&["apps", "templates", "--client-id", &id, "--remove", "saved"]);
    assert!(ok && out.is_empty(), "{out}");
    let (ok, out, err) = run(&["apps", "delete", "--client-id", &id]);
    assert!(
        ok && out.contains("revoked 0 grants and 0 tokens"),
        "{out}{err}"
    );
    let (ok, _, err) = run(&["apps", "delete", "--client-id", &id]);
    assert!(
        !ok && err.contains(&format!("there is no app `{id}`")),
        "{err}"
    );
}

async fn post_activity(
    srv: &TestServer,
    token: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let res = browser()
        .post(format!("{}/v1/me/activities", srv.provider()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

/// An app's own activity templates: validated (an unknown placeholder is refused next to the
/// field, nothing saved), previewed on the app page, and accepted by `POST /v1/me/activities`
/// for that app's tokens only.
#[tokio::test]
async fn custom_activity_templates() {
    let srv = TestServer::start().await;
    let f = developer(&srv, "alice").await;
    let csrf = csrf_of(&f, "/developers/apps/wl-demo").await;
    let count = || srv.sql_i64("SELECT COUNT(*) FROM app_templates", &[]);

    for (name, text, code) in [
        (
            "saved_recipe",
            "{actor} saved {recipe}",
            "template_placeholder_unknown",
        ),
        ("saved_recipe", "{actor} saved {title", "template_braces"),
        ("status", "{actor} is here", "template_name_taken"),
        (
            "Saved Recipe",
            "{actor} saved {title}",
            "template_name_invalid",
        ),
        ("saved_recipe", "", "template_text_missing"),
    ] {
        let res = f
            .post_form(
                "/developers/apps/wl-demo/templates",
                &[("csrf", &csrf), ("name", name), ("text", text)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        let page = res.text().await.unwrap();
        assert!(page.contains(&format!("({code})")), "{code}: {page}");
        if code == "template_placeholder_unknown" {
            assert!(
                page.contains(
                    "Unknown placeholder {recipe}: use {actor}, {title}, {link}, {message}."
                ),
                "{page}"
            );
            assert!(
                page.contains(r#"value="{actor} saved {recipe}""#),
                "typed text kept"
            );
        }
        assert_eq!(count().await, 0, "{code}: nothing saved");
    }

    let res = f
        .post_form(
            "/developers/apps/wl-demo/templates",
            &[
                ("csrf", &csrf),
                ("name", "saved_recipe"),
                ("text", "{actor} saved a recipe: {title}"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = f.get(&location(&res)).await.text().await.unwrap();
    assert!(page.contains("Template added."), "{page}");
    assert!(
        page.contains("Preview: Alice Anderson saved a recipe: Lemon tart"),
        "{page}"
    );
    // The same name twice is refused.
    let res = f
        .post_form(
            "/developers/apps/wl-demo/templates",
            &[
                ("csrf", &csrf),
                ("name", "saved_recipe"),
                ("text", "{actor} again"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count().await, 1);

    // The demo app's tokens may use it; it fills like the built-in ones.
    let token = srv.dev_token("alice", "wl.share").await;
    let (status, a) = post_activity(
        &srv,
        &token,
        serde_json::json!({ "template": "saved_recipe", "values": { "title": "Lemon tart" } }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(
        a["summary"], "Alice Anderson saved a recipe: Lemon tart",
        "{a}"
    );
    let (status, e) = post_activity(
        &srv,
        &token,
        serde_json::json!({ "template": "saved_recipe", "values": {} }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e.to_string().contains("needs a value for `{title}`"), "{e}");
    // Another app's tokens may not.
    let other_token = srv.other_app_token("alice", "wl.share").await;
    let (status, e) = post_activity(
        &srv,
        &other_token,
        serde_json::json!({ "template": "saved_recipe", "values": { "title": "x" } }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        e.to_string().contains("unknown template `saved_recipe`"),
        "{e}"
    );

    // Removed, it is unknown again.
    let res = f
        .post_form(
            "/developers/apps/wl-demo/templates/delete",
            &[("csrf", &csrf), ("name", "saved_recipe")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, _) = post_activity(
        &srv,
        &token,
        serde_json::json!({ "template": "saved_recipe", "values": { "title": "x" } }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A non-owner cannot add one.
    let bob = developer(&srv, "bob").await;
    let bob_csrf = csrf_of(&bob, "/developers").await;
    let res = bob
        .post_form(
            "/developers/apps/wl-demo/templates",
            &[("csrf", &bob_csrf), ("name", "x"), ("text", "{actor}")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(count().await, 0);
}
