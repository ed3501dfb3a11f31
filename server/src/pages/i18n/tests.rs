use super::*;
use crate::identity::scopes::{self, ScopeSet};
use crate::pages::html;

/// Messages whose text in a language is, rightly, the English one.
fn same_as_english(m: M, l: Locale) -> bool {
    catalogue::SAME_IN_ALL.contains(&m) || catalogue::SAME_AS_ENGLISH.contains(&(m, l))
}

#[test]
fn every_message_is_translated_in_every_locale() {
    for &m in M::ALL {
        let en = m.text(Locale::En);
        let holes = |s: &str| {
            let mut h: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                .collect();
            h.sort();
            h.dedup();
            h
        };
        for l in Locale::ALL {
            let text = m.text(l);
            assert!(!text.trim().is_empty(), "{m:?} is empty in {l:?}");
            if l != Locale::En && !same_as_english(m, l) {
                assert_ne!(text, en, "{m:?} is untranslated in {l:?}");
            }
            // The same holes, so no value is lost or left as `{name}`.
            assert_eq!(holes(text), holes(en), "{m:?} in {l:?}");
        }
    }
}

#[test]
fn every_scope_has_its_words() {
    for s in scopes::ALL {
        let en = with_locale(Locale::En, || {
            catalogue::scope_description(s.name, s.description)
        });
        assert_eq!(
            en, s.description,
            "{}: the catalogue's English is the table's",
            s.name
        );
        for l in &Locale::ALL[1..] {
            let t = with_locale(*l, || catalogue::scope_description(s.name, s.description));
            assert_ne!(t, s.description, "{} untranslated in {l:?}", s.name);
        }
    }
}

#[test]
fn discovery_advertises_exactly_the_locales() {
    assert_eq!(
        crate::identity::oauth::UI_LOCALES_SUPPORTED,
        Locale::ALL.map(Locale::tag)
    );
}

#[test]
fn ui_locales_first_supported_wins() {
    assert_eq!(from_ui_locales("fr", false), Some(Locale::Fr));
    assert_eq!(from_ui_locales("ja fr-CA de", false), Some(Locale::Fr));
    assert_eq!(from_ui_locales("  DE-ch  ", false), Some(Locale::De));
    assert_eq!(from_ui_locales("ja zh-Hant", false), None);
    assert_eq!(from_ui_locales("", false), None);
    // The pseudo-locale only when the operator allows it.
    assert_eq!(from_ui_locales("ar-XB fr", false), Some(Locale::Fr));
    assert_eq!(from_ui_locales("ar-XB fr", true), Some(Locale::Pseudo));
    assert_eq!(from_ui_locales("ar", true), None);
}

#[test]
fn accept_language_by_q_value() {
    fn al(v: &str) -> Option<Locale> {
        from_accept_language(v, false)
    }
    assert_eq!(al("de-CH,de;q=0.9,en;q=0.8"), Some(Locale::De));
    assert_eq!(al("ja,en;q=0.3,it;q=0.7"), Some(Locale::It));
    assert_eq!(
        al("en;q=0.5,es;q=0.5"),
        Some(Locale::En),
        "the first among equals"
    );
    assert_eq!(
        al("fr;q=0,es;q=0.1"),
        Some(Locale::Es),
        "q=0 is not acceptable"
    );
    assert_eq!(al("*"), None);
    assert_eq!(al("ja"), None);
    // Malformed entries are skipped, the rest still count.
    assert_eq!(al("fr;q=2,de;q=abc,it;q=0.5"), Some(Locale::It));
    assert_eq!(al("fr;q=0.1234,es;q=1.5, ;;;,,"), None);
    assert_eq!(al(";q=0.9,  , es-419 ; q=0.8"), Some(Locale::Es));
    assert_eq!(al(&"x,".repeat(10_000)), None);
    assert_eq!(al("ar-XB"), None);
    assert_eq!(from_accept_language("ar-XB", true), Some(Locale::Pseudo));
}

#[test]
fn negotiation_order() {
    assert_eq!(
        negotiate(Some("ui_locales=es"), Some("de"), false),
        Locale::Es
    );
    assert_eq!(
        negotiate(Some("ui_locales=ja"), Some("de"), false),
        Locale::De
    );
    assert_eq!(negotiate(Some("a=1"), None, false), Locale::En);
    assert_eq!(negotiate(None, Some("%%%"), false), Locale::En);
    assert_eq!(
        negotiate(Some("client_id=x&ui_locales=it%20fr"), None, false),
        Locale::It
    );
}

#[test]
fn rich_escapes_the_text_and_keeps_the_markup() {
    let m = with_locale(Locale::Fr, || {
        rich(
            M::WouldLikeToConnect,
            &[("app", maud::html! { strong { "<A&B>" } })],
        )
    });
    assert_eq!(
        m.into_string(),
        "<strong>&lt;A&amp;B&gt;</strong> souhaite se connecter à votre compte"
    );
}

#[test]
fn dates_in_every_locale() {
    let at = 1_290_510_000; // 23 Nov 2010, 11:00 UTC
    let d = |l| with_locale(l, || (date(at), date_time(at)));
    assert_eq!(
        d(Locale::En),
        ("23 Nov 2010".into(), "23 Nov 2010, 11:00 UTC".into())
    );
    assert_eq!(
        d(Locale::Fr),
        ("23 nov. 2010".into(), "23 nov. 2010 à 11:00 UTC".into())
    );
    assert_eq!(d(Locale::De).0, "23. Nov. 2010");
    assert_eq!(d(Locale::It).1, "23 nov 2010, ore 11:00 UTC");
    assert_eq!(d(Locale::Pseudo).0, "23 Nov 2010");
}

#[test]
fn numbers_in_every_locale() {
    let cases = [
        (Locale::En, ["7", "1,234", "12,345", "-1,234,567"]),
        (
            Locale::Fr,
            [
                "7",
                "1\u{202f}234",
                "12\u{202f}345",
                "-1\u{202f}234\u{202f}567",
            ],
        ),
        (Locale::De, ["7", "1.234", "12.345", "-1.234.567"]),
        (Locale::Es, ["7", "1234", "12.345", "-1.234.567"]),
        (Locale::It, ["7", "1.234", "12.345", "-1.234.567"]),
    ];
    for (l, want) in cases {
        let got = with_locale(l, || [7, 1234, 12345, -1_234_567].map(number));
        assert_eq!(got, want, "{l:?}");
    }
}

#[test]
fn pseudo_locale_wraps_text_not_holes() {
    let t = M::WouldLikeToConnect.text(Locale::Pseudo);
    assert_eq!(
        t,
        "{app}\u{202E} would like to connect to your account\u{202C}"
    );
    assert_eq!(Locale::Pseudo.dir(), "rtl");
    assert_eq!(Locale::Fr.dir(), "ltr");
}

/// The text between tags of a page (entities left as they are), trimmed, non-empty.
fn texts(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(end) = rest.find('<') {
        let text = rest[..end].trim();
        if !text.is_empty() {
            out.push(text.to_owned());
        }
        rest = match rest[end..].find('>') {
            Some(close) => &rest[end + close + 1..],
            None => "",
        };
    }
    out
}

/// Every page in `l`: sign-in (with an app, with an error, with the demo hint), consent (both
/// documents, "also"), connected apps (with apps, and empty), a profile, errors.
fn pages(l: Locale) -> Vec<String> {
    with_locale(l, || {
        let scopes = ScopeSet::parse(
            "openid wl.signin profile wl.basic email wl.emails wl.contacts wl.share wl.messenger \
             wl.photos wl.calendars wl.calendars_update offline_access wl.offline_access",
        )
        .unwrap();
        let consent = |terms, privacy, more| {
            html::consent_page(&html::ConsentView {
                app_name: "Zed",
                app_origin: "http://127.0.0.1:9",
                person_name: "Alice",
                username: "alice",
                picture: "/p.svg",
                scopes: &scopes,
                more,
                request: "client_id=x",
                csrf: "t",
                description: "",
                logo: None,
                terms_url: terms,
                privacy_url: privacy,
            })
        };
        let friends = vec![crate::store::activities::Friend {
            id: "f".into(),
            name: "Zed".into(),
            picture_key: "k".into(),
        }];
        let apps = [html::ConnectedView {
            grant_id: "g",
            app_name: "Zed",
            scopes: &scopes,
            created_at: 0,
            expires_at: 0,
            friends_see: true,
        }];
        let mut all = vec![
            html::signin_page(&html::SigninView {
                app_name: Some("Zed"),
                demo: true,
                error: Some(t(M::WrongPassword)),
                ..Default::default()
            }),
            html::signin_page(&html::SigninView::default()),
            consent(Some("/t"), Some("/p"), true),
            consent(Some("/t"), None, false),
            consent(None, Some("/p"), false),
            html::connected_apps_page(
                "Alice",
                "/p.svg",
                "t",
                Some(&fill(M::AppRemoved, &[("app", "Zed")])),
                &apps,
            ),
            html::connected_apps_page("Alice", "/p.svg", "t", None, &[]),
            html::profile_page("Alice", "/p.svg"),
            html::error_page(t(M::PageNotFound), t(M::NothingHere), "not_found"),
            crate::pages::invitations::markup(
                "Alice",
                "/p.svg",
                "alice@example.net",
                "t",
                Some(t(M::InvitationAccepted)),
                &[crate::store::invitations::Invitation {
                    id: "i".into(),
                    inviter_id: "z".into(),
                    inviter_name: "Zed".into(),
                    email: "alice@example.net".into(),
                    status: "pending".into(),
                    created_at: 0,
                    decided_at: None,
                }],
            ),
            crate::pages::invitations::markup(
                "Alice",
                "/p.svg",
                "alice@example.net",
                "t",
                None,
                &[],
            ),
            crate::pages::badge_view::share_page(&crate::pages::badge_view::ShareView {
                person_name: "Alice",
                username: "alice",
                picture: "/p.svg",
                url: "https://example.net/a",
                message: "",
                friends: &friends,
                issuer: "http://127.0.0.1:9",
                chosen: true,
                ticked: &[],
                error: Some(t(M::TickOne)),
                csrf: "t",
                here: "/badge",
            }),
            crate::pages::badge_view::share_page(&crate::pages::badge_view::ShareView {
                person_name: "Alice",
                username: "alice",
                picture: "/p.svg",
                url: "https://example.net/a",
                message: "",
                friends: &[],
                issuer: "http://127.0.0.1:9",
                chosen: false,
                ticked: &[],
                error: None,
                csrf: "t",
                here: "/badge",
            }),
            crate::pages::badge_view::shared_page(
                "https://example.net/a",
                "/r/x",
                Some("Look"),
                &fill(M::AllYourFriends, &[("n", "3")]),
            ),
        ];
        all.extend(portal_pages());
        all
    })
}

/// The developer portal's pages for a signed-in developer: the index (with an app and a notice,
/// and empty), registration (with a refused field), an app (with a notice, an owner error and
/// templates), its deletion, its secrets (public; new, rotated, revoked and used ones), its
/// statistics (with data, and empty).
fn portal_pages() -> Vec<String> {
    use crate::identity::apps::{AppInput, Field, FieldError};
    use crate::identity::client_auth::NewSecret;
    use crate::pages::developers::{feeds, secrets, stats, view};
    use crate::store::secrets::SecretRow;
    let who = view::Who {
        name: "Alice",
        username: "alice",
        csrf: "t",
    };
    let app = crate::store::apps::App {
        client_id: "c1".into(),
        name: "Zed".into(),
        redirect_uris: vec!["https://example.net/a".into()],
        has_logo: true,
        ..Default::default()
    };
    let input = AppInput {
        name: "Zed".into(),
        ..Default::default()
    };
    let errors = [FieldError {
        field: Field::Name,
        code: "name_missing",
        message: "The app needs a name.".into(),
    }];
    let form = |errors| view::FormView {
        input: &input,
        errors,
        app: Some(&app),
    };
    let templates = [(
        crate::store::apps::AppTemplate {
            name: "saved".into(),
            text: "{actor}".into(),
        },
        "Alice".to_owned(),
    )];
    let owners = ["alice".to_owned()];
    let page = view::AppPage {
        app: &app,
        owners: &owners,
        notice: Some(t(M::DevSaved)),
        owner_error: Some(("bob", &errors[0])),
        templates: &templates,
        template_form: None,
    };
    let day = 20_000;
    let rows = |n| SecretRow {
        id: "s1".into(),
        created_at: day * 86_400,
        expires_at: None,
        revoked_at: None,
        last_used_at: n,
    };
    let secrets = [
        rows(Some(day * 86_400 + 60)),
        SecretRow {
            expires_at: Some(day * 86_400 + 7200),
            ..rows(None)
        },
        SecretRow {
            expires_at: Some(day * 86_400 - 1),
            ..rows(None)
        },
        SecretRow {
            revoked_at: Some(day * 86_400),
            ..rows(None)
        },
    ];
    let made = NewSecret {
        id: "s2".into(),
        secret: "wlcs_x".into(),
        old_until: Some(day * 86_400 + 3600),
    };
    let now = day * 86_400 + 3600;
    let report = crate::stats::report::build(
        day,
        day + 2,
        &[
            (day, "signins".into(), 3),
            (day + 1, "api_calls".into(), 1200),
            (day + 1, "api_errors".into(), 2),
        ],
        &[],
    );
    let empty = crate::stats::report::build(day, day, &[], &[]);
    vec![
        view::index_page(&who, std::slice::from_ref(&app), Some(t(M::DevAppDeleted))),
        view::index_page(&who, &[], None),
        view::new_page(
            &who,
            &view::FormView {
                app: None,
                ..form(&errors)
            },
        ),
        view::app_page(&who, &page, &form(&[])),
        view::delete_page(
            &who,
            &app,
            crate::store::apps::InForce {
                grants: 1,
                tokens: 3,
            },
        ),
        secrets::secrets_page(&app, &[], "t", now, &secrets::Shown::default()),
        secrets::secrets_page(
            &app,
            &secrets,
            "t",
            now,
            &secrets::Shown {
                new: Some(&made),
                notice: Some(fill(M::DevSecretRevoked, &[("id", "s1")])),
                error: Some(fill(M::DevOverlapInvalid, &[("max", "168")])),
            },
        ),
        stats::stats_page("c1", "Zed", &report),
        stats::stats_page("c1", "Zed", &empty),
        feeds::feed_page(&app, None, "t", &feeds::Shown::default()),
        feeds::feed_page(
            &app,
            Some(&crate::store::feeds::Feed {
                client_id: "c1".into(),
                url: "https://example.net/a".into(),
                etag: None,
                last_modified: None,
                status: "ok".into(),
                message: "Entries read: 3, new: 1, activities written: 1.".into(),
                detail: r#"["3","1","1"]"#.into(),
                entries_seen: 3,
                checked_at: Some(now),
                next_at: now,
            }),
            "t",
            &feeds::Shown {
                notice: Some(t(M::FeedSaved).into()),
                ..Default::default()
            },
        ),
    ]
}

#[test]
fn no_page_shows_english_in_another_locale() {
    let english: Vec<Vec<String>> = pages(Locale::En).iter().map(|p| texts(p)).collect();
    // What is the same in every language: names, codes, the brand, punctuation.
    let names = [
        "example.net",
        "https://example.net/a",
        "Look",
        "Zed",
        "Alice",
        "Alice · wl-connect",
        "alice",
        "bob",
        "demo",
        "wl-connect",
        "not_found",
        "http://127.0.0.1:9",
        "Z",
        "·",
        ":",
        ".",
        // The portal's: the developer, ids, code (wire names, placeholders, status classes).
        "Alice (alice)",
        "c1",
        "s1",
        "› Zed",
        "Secret",
        "3 tokens",
        "(name_missing)",
        "saved",
        "{actor}",
        "wl.js",
        "https://app.example",
        "WL.init({ client_id })",
        "POST /v1/me/activities",
        "&quot;template&quot;: &quot;name&quot;",
        "shared_link",
        "liked_link",
        "status",
        "{title}",
        // The feed page: its status code, and its title in German and Italian ("Feed" there too).
        "ok",
        "Feed · Zed · wl-connect",
        "{link}",
        "{message}",
        "2xx",
        "3xx",
        "4xx",
        "5xx",
        "JSON",
    ];
    let mut shown = Vec::new();
    for l in &Locale::ALL[1..] {
        for (i, page) in pages(*l).iter().enumerate() {
            assert!(page.contains(&format!("<html lang=\"{}\" dir=\"ltr\">", l.tag())));
            for text in texts(page) {
                if names.contains(&text.as_str())
                    || scopes::ALL.iter().any(|s| s.name == text)
                    || !text.chars().any(char::is_alphabetic)
                    || catalogue::SAME_AS_ENGLISH.iter().any(|(m, sl)| {
                        sl == l && m.text(*l) == text.strip_suffix(" · wl-connect").unwrap_or(&text)
                    })
                {
                    continue;
                }
                if english[i].contains(&text) {
                    shown.push(format!("page {i} in {l:?}: {text:?}"));
                }
            }
        }
    }
    assert!(shown.is_empty(), "English shown: {shown:#?}");
    for page in pages(Locale::Pseudo) {
        assert!(page.contains("<html lang=\"ar-XB\" dir=\"rtl\">"), "{page}");
    }
}

/// An invitation answered before says how in every language (its message names the status).
#[test]
fn an_answered_invitation_says_how_in_every_language() {
    for status in ["accepted", "declined", "cancelled"] {
        let english = format!("This invitation is no longer pending (it was {status}).");
        for l in Locale::ALL {
            let (title, message) = with_locale(l, || {
                crate::pages::localized_error("Invitation already answered", &english)
            });
            assert_eq!(title, M::InvitationAnswered.text(l), "{l:?}");
            assert!(
                l == Locale::En || message != english,
                "{status} in {l:?}: {message}"
            );
            assert!(message.contains("("), "{message}");
        }
    }
}
