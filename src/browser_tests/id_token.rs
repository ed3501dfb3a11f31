//! The ID token's signature (issue 13, item 7): wl.js verifies it with Web Crypto against the
//! provider's JWKS before the core reads the claims. The fake provider (harness.js) signs for
//! real with an ES256 and an RS256 key; each attack below is a token an attacker could get to
//! the page (a forged `alg: none`, a key the provider never published, claims changed after
//! signing, one algorithm's header over another's key) and must end the sign-in with
//! `invalid_token` and no session.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::frame::{Frame, get, outcome, text};

/// Signs in once with the fake provider set up by `setup` (JS, before `WL.login`), answering
/// on BroadcastChannel; the outcome, the session afterwards and the last error's message.
async fn sign_in(setup: &str) -> wasm_bindgen::JsValue {
    let script = [
        "await T.init(20000);\n",
        setup,
        r#"
        var p = WL.login();
        var pop = T.last();
        if (!(await T.until(function () { return T.param(pop, "state"); }, 5000)))
          throw new Error("the popup never reached the provider");
        T.broadcast(T.answer(pop, "sig"));
        var done = await T.settled(p, 8000);
        var errors = T.events.filter(function (e) { return e.name === "wl.log" && e.arg.level === "error"; });
        return { done: done, session: WL.getSession(),
                 message: errors.length ? errors[errors.length - 1].arg.message : null };
        "#,
    ]
    .concat();
    Frame::open().await.run(&script).await
}

fn refused(r: &wasm_bindgen::JsValue) {
    assert_eq!(
        outcome(&get(r, "done")),
        ("rejected".into(), Some("invalid_token".into()))
    );
    assert!(get(r, "session").is_null(), "no session from a bad token");
}

#[wasm_bindgen_test]
async fn es256_and_rs256_tokens_signed_by_the_providers_keys_sign_in() {
    for alg in ["ES256", "RS256"] {
        let r = sign_in(&format!("T.alg = \"{alg}\";")).await;
        assert_eq!(
            outcome(&get(&r, "done")),
            ("fulfilled".into(), Some("at-sig".into())),
            "{alg}"
        );
    }
}

#[wasm_bindgen_test]
async fn alg_none_is_refused() {
    let r = sign_in(r#"T.idHeader = { alg: "none", typ: "JWT" };"#).await;
    refused(&r);
    let message = text(&r, "message").unwrap_or_default();
    assert!(
        message.contains("not a JWT signed with the provider's keys"),
        "{message}"
    );
}

#[wasm_bindgen_test]
async fn a_kid_the_provider_never_published_is_refused() {
    refused(&sign_in(r#"T.idHeader = { alg: "ES256", kid: "not-published" };"#).await);
}

#[wasm_bindgen_test]
async fn claims_changed_after_signing_are_refused() {
    refused(&sign_in(r#"T.idTampered = { sub: "mallory" };"#).await);
}

#[wasm_bindgen_test]
async fn one_algorithm_over_another_algorithms_key_is_refused() {
    // An RS256 header naming the EC key, and an HS256 header (the public key as an HMAC secret).
    refused(&sign_in(r#"T.idHeader = { alg: "RS256", kid: "ES256" };"#).await);
    refused(&sign_in(r#"T.alg = "RS256"; T.idHeader = { alg: "HS256", kid: "RS256" };"#).await);
}

#[wasm_bindgen_test]
async fn a_signed_token_that_names_nobody_is_refused() {
    // Signed by the provider's key, every other claim right, but no `sub` (REQUIRED by OpenID
    // Connect Core §2): it names nobody, and a renewal could not be held to the same person.
    let r = sign_in(r#"T.idTokenClaims = { sub: undefined };"#).await;
    refused(&r);
    let message = text(&r, "message").unwrap_or_default();
    assert!(message.contains("sub is missing"), "{message}");
}
