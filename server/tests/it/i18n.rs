//! The provider's pages in every language (issue 17 §3): `ui_locales` on `/authorize` (carried
//! through sign-in and consent), `Accept-Language` by q-value, English otherwise; malformed
//! values never fail a page; `<html lang dir>`; discovery's `ui_locales_supported`; the
//! right-to-left pseudo-locale only when the operator turns it on.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, HeaderMap, HeaderValue};

use crate::common::*;

/// A browser that sends `Accept-Language: value` (raw bytes) with every request.
fn browser_speaking(value: &[u8]) -> reqwest::Client {
    let mut h = HeaderMap::new();
    h.insert(ACCEPT_LANGUAGE, HeaderValue::from_bytes(value).unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(h)
        .build()
        .unwrap()
}

/// Signs `flow` in as alice from the sign-in page at `url`; the page the sign-in leads to.
async fn sign_in_then_follow(flow: &Flow, url: &str) -> (String, String) {
    let res = flow.get(url).await;
    assert_eq!(res.status(), StatusCode::OK);
    let signin = res.text().await.unwrap();
    let res = flow.sign_in(&signin, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let next = location(&res);
    let res = flow.get(&next).await;
    assert_eq!(res.status(), StatusCode::OK, "{next}");
    (signin, res.text().await.unwrap())
}

#[tokio::test]
async fn ui_locales_fr_survives_sign_in_to_a_french_consent_screen() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let url = format!("{}&ui_locales=fr", flow.authorize_url("openid wl.basic"));
    let (signin, consent) = sign_in_then_follow(&flow, &url).await;
    assert!(
        signin.starts_with(r#"<!DOCTYPE html><html lang="fr" dir="ltr">"#),
        "{signin}"
    );
    assert!(
        signin.contains("<title>Connexion · wl-connect</title>"),
        "{signin}"
    );
    assert!(signin.contains("Nom d’utilisateur"));
    assert!(signin.contains("pour continuer vers <strong>"), "{signin}");
    assert!(consent.starts_with(r#"<!DOCTYPE html><html lang="fr" dir="ltr">"#));
    assert!(
        consent.contains("souhaite se connecter à votre compte"),
        "{consent}"
    );
    assert!(consent.contains("Voir les informations de votre profil et votre liste d’amis"));
    assert!(consent.contains(">Autoriser</button>"));
    assert!(consent.contains(">Refuser</button>"));
    assert!(!consent.contains("would like to connect"));
    // Allowing in French signs in as in English: a code the app exchanges.
    let res = flow.decide(&consent, "allow", true).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let code = flow.code_from(&res);
    let res = flow.exchange(&code).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_failed_sign_in_answers_in_the_language_of_the_request() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let url = format!("{}&ui_locales=es", flow.authorize_url("openid"));
    let page = flow.get(&url).await.text().await.unwrap();
    let res = flow.sign_in(&page, "alice", "wrong").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"<html lang="es" dir="ltr">"#), "{page}");
    assert!(
        page.contains("El nombre de usuario y la contraseña no coinciden."),
        "{page}"
    );
    // A field over the limit: the message and its stable code.
    let long = "a".repeat(401);
    let res = flow.sign_in(&page, &long, "demo").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Ese nombre de usuario es demasiado largo")
            && page.contains("(Código de error: signin_field_too_long)"),
        "{page}"
    );
}

#[tokio::test]
async fn accept_language_picks_by_q_value() {
    let srv = TestServer::start().await;
    let flow = Flow::with_client(&srv, browser_speaking(b"de-CH,de;q=0.9,en;q=0.8"));
    let res = flow.get(&flow.authorize_url("openid")).await;
    assert!(
        res.headers()
            .get_all(reqwest::header::VARY)
            .iter()
            .any(|v| v == "Accept-Language"),
        "{:?}",
        res.headers()
    );
    let (_, consent) = sign_in_then_follow(&flow, &flow.authorize_url("openid wl.basic")).await;
    assert!(consent.contains(r#"<html lang="de" dir="ltr">"#));
    assert!(
        consent.contains("möchte sich mit Ihrem Konto verbinden"),
        "{consent}"
    );
    assert!(consent.contains(">Erlauben</button>"));
    // ui_locales wins over the header.
    let url = format!(
        "{}&ui_locales=it%20fr",
        flow.authorize_url("openid wl.basic")
    );
    let res = flow.get(&url).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"<html lang="it" dir="ltr">"#), "{page}");
    assert!(
        page.contains("vorrebbe collegarsi al tuo account"),
        "{page}"
    );
    // The connected apps, in a lower-ranked but only supported language.
    let flow_it = Flow::with_client(&srv, browser_speaking(b"ja, it;q=0.2"));
    let (_, apps) = sign_in_then_follow(&flow_it, "/consent").await;
    assert!(
        apps.contains("<title>App collegate · wl-connect</title>"),
        "{apps}"
    );
}

#[tokio::test]
async fn unsupported_or_malformed_choices_fall_back_to_english() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    for (ui, header) in [
        ("ja", &b"ja, zh-Hant;q=0.9"[..]),
        ("%FF%FE", b";;;q=,,,*;q=abc, fr;q=9"),
        ("", b"\xff\xfe latin-1 \xe9"),
        ("x%00y", b"fr;q=0"),
        (&"de-".repeat(3000), b"en;q=0.1"),
    ] {
        let client = browser_speaking(header);
        let url = format!("{}&ui_locales={ui}", flow.authorize_url("openid"));
        let res = client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{ui:?} {header:?}");
        let page = res.text().await.unwrap();
        if ui.starts_with("de-") {
            // A long list: its first tag counts.
            assert!(page.contains(r#"<html lang="de""#), "{page}");
            continue;
        }
        assert!(
            page.contains(r#"<html lang="en" dir="ltr">"#),
            "{ui:?}: {page}"
        );
        assert!(page.contains(">Sign in</button>"));
    }
}

#[tokio::test]
async fn error_pages_and_404_are_translated() {
    let srv = TestServer::start().await;
    let client = browser_speaking(b"fr-FR,fr;q=0.9");
    let res = client
        .get(format!("{}/no/such/page", srv.provider()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"<html lang="fr" dir="ltr">"#), "{page}");
    assert!(page.contains("Page introuvable") && page.contains("Il n’y a rien à cette adresse."));
    assert!(
        page.contains("Code d’erreur : <code>not_found</code>"),
        "{page}"
    );
    // An app that isn't registered: the title and advice in French, the code as it is.
    let res = client
        .get(format!(
            "{}/authorize?client_id=nobody&response_type=code",
            srv.provider()
        ))
        .send()
        .await
        .unwrap();
    let page = res.text().await.unwrap();
    assert!(page.contains("Cette app n’est pas enregistrée"), "{page}");
    assert!(page.contains("<code>unknown_client</code>"), "{page}");
}

#[tokio::test]
async fn discovery_advertises_the_languages() {
    let srv = TestServer::start().await;
    let d = srv.discovery().await;
    assert_eq!(
        d["ui_locales_supported"],
        serde_json::json!(["en", "fr", "de", "es", "it"])
    );
}

#[tokio::test]
async fn the_pseudo_locale_is_only_there_when_the_operator_turns_it_on() {
    let srv = TestServer::start().await;
    let flow = Flow::new(&srv);
    let url = format!("{}&ui_locales=ar-XB", flow.authorize_url("openid"));
    let page = flow.get(&url).await.text().await.unwrap();
    assert!(page.contains(r#"<html lang="en" dir="ltr">"#), "{page}");

    let dir = TempDir::new();
    let mut config = config(&dir);
    config.pseudo_locale = true;
    let srv = TestServer::start_with(config, std::sync::Arc::new(dir)).await;
    let flow = Flow::new(&srv);
    let url = format!("{}&ui_locales=ar-XB", flow.authorize_url("openid"));
    let page = flow.get(&url).await.text().await.unwrap();
    assert!(page.contains(r#"<html lang="ar-XB" dir="rtl">"#), "{page}");
    assert!(page.contains("\u{202E}Sign in\u{202C}"), "{page}");
}

#[tokio::test]
async fn the_developer_portal_answers_in_spanish() {
    let srv = TestServer::start().await;
    let flow = Flow::with_client(&srv, browser_speaking(b"es-ES,es;q=0.9,en;q=0.5"));
    // Signed out: the sign-in page, in Spanish, continuing to the portal.
    let res = flow.get("/developers").await;
    assert_eq!(res.status(), StatusCode::OK);
    let signin = res.text().await.unwrap();
    assert!(signin.contains(r#"<html lang="es" dir="ltr">"#), "{signin}");
    assert!(signin.contains("Iniciar sesión"));
    let res = flow.sign_in(&signin, "alice", "demo").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/developers");

    let res = flow.get("/developers").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()
            .get_all(reqwest::header::VARY)
            .iter()
            .any(|v| v == "Accept-Language"),
        "{:?}",
        res.headers()
    );
    let page = res.text().await.unwrap();
    assert!(
        page.starts_with(r#"<!DOCTYPE html><html lang="es" dir="ltr">"#),
        "{page}"
    );
    assert!(page.contains("<title>Tus apps · Portal para desarrolladores · wl-connect</title>"));
    assert!(page.contains("<h1>Tus apps</h1>"), "{page}");
    assert!(page.contains(">Registrar una app</a>"));
    assert!(page.contains(">Cerrar sesión</button>"), "{page}");
    assert!(!page.contains("Your apps"), "{page}");
    assert!(!page.contains("Register an app"));

    let page = flow.get("/developers/apps/new").await.text().await.unwrap();
    assert!(page.contains(r#"<html lang="es" dir="ltr">"#));
    assert!(page.contains("URI de redirección"), "{page}");
    assert!(page.contains("Ámbitos que la app puede solicitar"));
    assert!(!page.contains("Redirect URIs"));

    // Another person's (or no) app: 404, in Spanish.
    let res = flow.get("/developers/apps/nope/stats").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let page = res.text().await.unwrap();
    assert!(page.contains("App no encontrada"), "{page}");
    let res = flow.get("/r/nope").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let page = res.text().await.unwrap();
    assert!(page.contains("Enlace no encontrado"), "{page}");

    // The same address in English for an English browser (`ui_locales` wins over the header).
    let page = flow
        .get("/developers?ui_locales=en")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(page.contains("<h1>Your apps</h1>"));
}
