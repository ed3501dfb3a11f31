//! `WL.getProvider()` in wl.js with the real core: `invalid_request` before configuration,
//! then `{ issuer, api_base, messenger_hub }` from the discovery document (the hub `null` when
//! the document has no `wl_messenger_hub`), discovery fetched once and shared with the flows.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::frame::{Frame, get, text};

#[wasm_bindgen_test]
async fn get_provider_before_and_after_configuration() {
    let f = Frame::open().await;
    let r = f
        .run(
            r#"
            var out = {};
            out.before = await T.settled(WL.getProvider(), 5000);
            T.hub = "ws://127.0.0.1:9/v1/hub";
            await T.init(20000, true);
            out.after = await T.settled(WL.getProvider(), 5000);
            out.again = await T.settled(WL.getProvider(), 5000);
            out.discoveries = T.fetches.filter(function (x) {
              return /openid-configuration$/.test(x.url);
            }).length;
            out.issuer = T.issuer;
            return out;
            "#,
        )
        .await;
    let before = get(&r, "before");
    assert_eq!(text(&before, "state").as_deref(), Some("rejected"));
    assert_eq!(
        text(&get(&before, "value"), "code").as_deref(),
        Some("invalid_request")
    );
    let after = get(&r, "after");
    assert_eq!(text(&after, "state").as_deref(), Some("fulfilled"));
    let p = get(&after, "value");
    let issuer = text(&r, "issuer").expect("issuer");
    assert_eq!(text(&p, "issuer"), Some(issuer.clone()));
    assert_eq!(text(&p, "api_base"), Some(issuer + "/v1/"));
    assert_eq!(
        text(&p, "messenger_hub").as_deref(),
        Some("ws://127.0.0.1:9/v1/hub")
    );
    assert_eq!(
        get(&r, "discoveries").as_f64(),
        Some(1.0),
        "discovery is fetched once"
    );

    // A provider without a hub: messenger_hub is null.
    let f2 = Frame::open().await;
    let r2 = f2
        .run(
            r#"
            await T.init(20000, true);
            return await WL.getProvider();
            "#,
        )
        .await;
    assert!(get(&r2, "messenger_hub").is_null());
}
