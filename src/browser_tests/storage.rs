//! The session's storage round trip in the real `sessionStorage` / `localStorage`.

use wasm_bindgen_test::wasm_bindgen_test;
use wl_connect::config::StorageKind;
use wl_connect::scope::Scopes;
use wl_connect::session::{self, STORAGE_KEY, Session, TokenResponse};

fn sample(client: &str) -> Session {
    let t = TokenResponse {
        access_token: "at =&1".into(),
        expires_in: Some(3600.0),
        scope: Some("openid wl.basic".into()),
        refresh_token: Some("rt".into()),
        id_token: None,
    };
    Session::from_token(client, t, &Scopes::default(), 1_700_000_000.0, None)
}

#[wasm_bindgen_test]
fn round_trip_in_session_and_local_storage() {
    for kind in [StorageKind::Session, StorageKind::Local] {
        let s = sample("app-1");
        session::store(kind, Some(&s));
        assert_eq!(session::load(kind, "app-1"), Some(s.clone()), "{kind:?}");
        assert_eq!(session::load(kind, "another-app"), None, "{kind:?}");
        session::store(kind, None);
        assert_eq!(session::load(kind, "app-1"), None, "{kind:?}");
    }
}

#[wasm_bindgen_test]
fn memory_storage_writes_nothing() {
    let w = web_sys::window().expect("window");
    let ss = w
        .session_storage()
        .expect("storage")
        .expect("sessionStorage");
    ss.remove_item(STORAGE_KEY).expect("remove");
    session::store(StorageKind::Memory, Some(&sample("app-1")));
    assert_eq!(ss.get_item(STORAGE_KEY).expect("get"), None);
    assert_eq!(session::load(StorageKind::Memory, "app-1"), None);
}
