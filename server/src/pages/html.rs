//! The provider's pages: sign-in, consent, connected apps, public profiles, errors. The markup
//! is written with [`maud`], which escapes every interpolated value (element text and attribute
//! values) by default: no text from a person or an app is ever spliced in raw. No scripts; styles
//! come from `/assets/provider.css`.

use maud::{DOCTYPE, Markup, html};

use crate::identity::scopes::ScopeSet;
use crate::pages::i18n::{self, M, fill, rich, t};

/// `23 Nov 2026` (UTC).
pub fn human_date(secs: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d, ..) = crate::clock::civil(secs);
    format!("{d} {} {y}", MONTHS[(m - 1).clamp(0, 11) as usize])
}

/// `23 Nov 2026, 14:05 UTC`.
pub fn human_time(secs: i64) -> String {
    let (_, _, _, h, mi, _) = crate::clock::civil(secs);
    format!("{}, {h:02}:{mi:02} UTC", human_date(secs))
}

/// The wl-connect logo (two people), decorative.
fn logo() -> Markup {
    html! {
        svg class="logo" width="28" height="28" viewBox="0 0 28 28" aria-hidden="true" {
            rect width="28" height="28" rx="7" fill="#0b63ce" {}
            circle cx="10" cy="11" r="4" fill="#fff" {}
            circle cx="18.5" cy="11" r="4" fill="#9cc8ff" {}
            path d="M4.5 22c.8-3.6 3-5.5 5.5-5.5s4.7 1.9 5.5 5.5z" fill="#fff" {}
            path d="M13 22c.8-3.6 3-5.5 5.5-5.5S23.2 18.4 24 22z" fill="#9cc8ff" {}
        }
    }
}

/// The tick in front of each scope, decorative.
fn check() -> Markup {
    html! {
        svg class="tick" width="18" height="18" viewBox="0 0 20 20" aria-hidden="true" {
            circle cx="10" cy="10" r="10" fill="#e6f0fc" {}
            path d="M6 10.5l2.6 2.6L14.2 7.5" fill="none" stroke="#0b63ce" stroke-width="2"
                stroke-linecap="round" stroke-linejoin="round" {}
        }
    }
}

/// The page shell: `<head>` with the title and the provider's stylesheet, and `body`.
pub(crate) fn layout(title: &str, body: Markup) -> String {
    shell(&fill(M::TitleSuffix, &[("title", title)]), &[], None, body)
}

/// The shell every provider page shares: `<head>` with `title` as it is, the provider's
/// stylesheet and then `stylesheets`, and `<body>` (with `body_class`) holding `body`. The
/// `<html>` element carries the request's locale ([`i18n::current`]): `lang` and `dir`.
pub(crate) fn shell(
    title: &str,
    stylesheets: &[&str],
    body_class: Option<&str>,
    body: Markup,
) -> String {
    let locale = i18n::current();
    html! {
        (DOCTYPE)
        html lang=(locale.tag()) dir=(locale.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="same-origin";
                title { (title) }
                link rel="stylesheet" href="/assets/provider.css";
                @for href in stylesheets {
                    link rel="stylesheet" href=(href);
                }
            }
            body class=[body_class] { (body) }
        }
    }
    .into_string()
}

/// The brand header at the top of every card.
pub(crate) fn brand() -> Markup {
    html! {
        header class="brand" { (logo()) span { "wl-connect" } }
    }
}

/// An app's icon: the first letter or digit of its name.
fn app_badge(name: &str) -> Markup {
    let initial = name
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_else(|| "?".into());
    html! {
        div class="app-icon" aria-hidden="true" { (initial) }
    }
}

/// A list of scopes, each with its tick.
fn scope_list(class: &str, scopes: &ScopeSet) -> Markup {
    html! {
        ul class=(class) {
            @for s in scopes.iter() {
                li { (check()) span { (i18n::catalogue::scope_description(s.name, s.description)) } }
            }
        }
    }
}

/// The signed-in person, with a small sign-out form (`label` on its button).
fn account(picture: &str, name: &str, detail: &str, csrf: &str, back: &str, label: &str) -> Markup {
    html! {
        div class="account" {
            img src=(picture) alt="" width="32" height="32";
            div {
                div class="who" { (name) }
                div class="muted" { (detail) }
            }
            form method="post" action="/signout" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="continue" value=(back);
                button type="submit" class="link" { (label) }
            }
        }
    }
}

/// What the sign-in page shows.
#[derive(Debug, Default)]
pub struct SigninView<'a> {
    /// The app being signed in to, if any.
    pub app_name: Option<&'a str>,
    /// Where to go after signing in (a local path).
    pub continue_to: &'a str,
    /// The CSRF token.
    pub csrf: &'a str,
    /// An error to show above the form.
    pub error: Option<&'a str>,
    /// The username to prefill.
    pub username: &'a str,
    /// Show the demo accounts hint.
    pub demo: bool,
}

/// The sign-in form.
pub fn signin_page(v: &SigninView<'_>) -> String {
    let fresh = v.username.is_empty();
    let body = html! {
        main class="card" {
            (brand())
            h1 { (t(M::SignIn)) }
            @match v.app_name {
                Some(app) => p class="sub" {
                    (rich(M::SignInToContinue, &[("app", html! { strong { (app) } })]))
                },
                None => p class="sub" { (t(M::SignInToManage)) },
            }
            @if let Some(err) = v.error {
                div class="alert" role="alert" { (err) }
            }
            form method="post" action="/signin" class="stack" {
                input type="hidden" name="csrf" value=(v.csrf);
                input type="hidden" name="continue" value=(v.continue_to);
                label for="username" { (t(M::Username)) }
                input id="username" name="username" autocomplete="username" autocapitalize="none"
                    spellcheck="false" required value=(v.username) autofocus[fresh];
                label for="password" { (t(M::Password)) }
                input id="password" name="password" type="password"
                    autocomplete="current-password" required autofocus[!fresh];
                button type="submit" class="primary" { (t(M::SignIn)) }
            }
            @if v.demo {
                p class="hint" {
                    strong { (t(M::DemoProvider)) }
                    " "
                    (rich(M::DemoHint, &[
                        ("alice", html! { code { "alice" } }),
                        ("bob", html! { code { "bob" } }),
                        ("demo", html! { code { "demo" } }),
                    ]))
                }
            }
        }
    };
    layout(t(M::SignIn), body)
}

/// What the consent screen shows.
#[derive(Debug)]
pub struct ConsentView<'a> {
    /// The app's name.
    pub app_name: &'a str,
    /// Where the answer goes (the redirect URI's origin).
    pub app_origin: &'a str,
    /// Signed-in person's display name.
    pub person_name: &'a str,
    /// Signed-in person's username.
    pub username: &'a str,
    /// Their picture URL.
    pub picture: &'a str,
    /// The scopes to ask for (those the app does not have yet).
    pub scopes: &'a ScopeSet,
    /// The app already has other scopes: the screen asks for more ("also").
    pub more: bool,
    /// The original authorization request's query string.
    pub request: &'a str,
    /// The CSRF token.
    pub csrf: &'a str,
    /// What the app says it does (empty: nothing is shown).
    pub description: &'a str,
    /// The app's logo (a local path), if it has one.
    pub logo: Option<&'a str>,
    /// The app's terms of use.
    pub terms_url: Option<&'a str>,
    /// The app's privacy statement.
    pub privacy_url: Option<&'a str>,
}

/// The consent screen.
pub fn consent_page(v: &ConsentView<'_>) -> String {
    let back = format!("/authorize?{}", v.request);
    let body = html! {
        main class="card" {
            (brand())
            div class="app-head" {
                @match v.logo {
                    Some(src) => img class="app-logo" src=(src) alt="" width="40" height="40";,
                    None => (app_badge(v.app_name)),
                }
                h1 { (rich(M::WouldLikeToConnect, &[("app", html! { strong { (v.app_name) } })])) }
            }
            @if !v.description.is_empty() {
                p class="app-desc" { (v.description) }
            }
            (account(v.picture, v.person_name, v.username, v.csrf, &back, t(M::NotYou)))
            p class="lead" {
                (fill(if v.more { M::ThisWillAlsoAllow } else { M::ThisWillAllow }, &[("app", v.app_name)]))
            }
            (scope_list("scopes", v.scopes))
            form method="post" action="/authorize/decision" {
                input type="hidden" name="csrf" value=(v.csrf);
                input type="hidden" name="request" value=(v.request);
                label class="remember" {
                    input type="checkbox" name="remember" value="1" checked;
                    " "
                    span { (t(M::RememberConnection)) small { (t(M::RememberHint)) } }
                }
                div class="actions" {
                    button type="submit" name="decision" value="deny" class="secondary" { (t(M::Deny)) }
                    button type="submit" name="decision" value="allow" class="primary" { (t(M::Allow)) }
                }
            }
            @if v.terms_url.is_some() || v.privacy_url.is_some() {
                p class="fine app-docs" { (app_docs(v)) }
            }
            p class="fine" {
                (rich(M::ReturnTo, &[
                    ("origin", html! { span class="origin" { (v.app_origin) } }),
                    ("connected", html! {
                        a href="/consent" target="_blank" rel="noopener" { (t(M::ConnectedApps)) }
                    }),
                ]))
            }
        }
    };
    layout(t(M::AllowAccess), body)
}

/// "Before you allow, read the app's terms of use and privacy statement." (either or both).
fn app_docs(v: &ConsentView<'_>) -> Markup {
    let link = |u: &str, key: M| {
        html! { a href=(u) target="_blank" rel="noopener noreferrer" { (t(key)) } }
    };
    let app = html! { (v.app_name) };
    match (v.terms_url, v.privacy_url) {
        (Some(terms), Some(privacy)) => rich(
            M::ReadTermsAndPrivacy,
            &[
                ("app", app),
                ("terms", link(terms, M::TermsOfUse)),
                ("privacy", link(privacy, M::PrivacyStatement)),
            ],
        ),
        (Some(terms), None) => rich(
            M::ReadTerms,
            &[("app", app), ("terms", link(terms, M::TermsOfUse))],
        ),
        (None, Some(privacy)) => rich(
            M::ReadPrivacy,
            &[
                ("app", app),
                ("privacy", link(privacy, M::PrivacyStatement)),
            ],
        ),
        (None, None) => html! {},
    }
}

/// One connected app on the consent page.
#[derive(Debug)]
pub struct ConnectedView<'a> {
    /// Grant id.
    pub grant_id: &'a str,
    /// App name.
    pub app_name: &'a str,
    /// Granted scopes.
    pub scopes: &'a ScopeSet,
    /// When first connected.
    pub created_at: i64,
    /// When access ends.
    pub expires_at: i64,
    /// Friends may see the person uses this app ("here now", `uses_this_app`).
    pub friends_see: bool,
}

/// The connected-apps (consent management) page.
pub fn connected_apps_page(
    person_name: &str,
    picture: &str,
    csrf: &str,
    notice: Option<&str>,
    apps: &[ConnectedView<'_>],
) -> String {
    let body = html! {
        main class="card wide" {
            (brand())
            h1 { (t(M::ConnectedApps)) }
            (account(picture, person_name, t(M::TheseAppsCanUse), csrf, "/consent", t(M::SignOut)))
            @if let Some(n) = notice {
                div class="notice" role="status" { (n) }
            }
            @if apps.is_empty() {
                p class="empty" { (t(M::NoApps)) }
            }
            ul class="apps" {
                @for a in apps {
                    li class="app" {
                        div class="app-row" {
                            (app_badge(a.app_name))
                            div class="app-meta" {
                                h2 { (a.app_name) }
                                p class="muted" {
                                    (fill(M::ConnectedSince, &[
                                        ("date", &i18n::date(a.created_at)),
                                        ("until", &i18n::date_time(a.expires_at)),
                                    ]))
                                }
                            }
                        }
                        (scope_list("scopes compact", a.scopes))
                        form method="post" action="/consent/visibility" class="visibility" {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="grant" value=(a.grant_id);
                            label class="remember" {
                                input type="checkbox" name="visible" value="1" checked[a.friends_see];
                                " "
                                span {
                                    (fill(M::LetFriendsSee, &[("app", a.app_name)]))
                                    small { (t(M::LetFriendsSeeHint)) }
                                }
                            }
                            button type="submit" class="secondary small" { (t(M::Save)) }
                        }
                        form method="post" action="/consent/revoke" {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="grant" value=(a.grant_id);
                            button type="submit" class="danger" { (t(M::RemoveAccess)) }
                        }
                    }
                }
            }
        }
    };
    layout(t(M::ConnectedApps), body)
}

/// A person's public profile page.
pub fn profile_page(name: &str, picture: &str) -> String {
    let body = html! {
        main class="card" {
            (brand())
            div class="profile" {
                img src=(picture) alt="" width="72" height="72";
                h1 { (name) }
                p class="muted" { (t(M::Member)) }
            }
        }
    };
    layout(name, body)
}

/// An error page on the provider.
pub fn error_page(title: &str, message: &str, code: &str) -> String {
    let body = html! {
        main class="card" {
            (brand())
            div class="err-icon" aria-hidden="true" { "!" }
            h1 { (title) }
            p class="lead" { (message) }
            p class="fine" { (rich(M::ErrorCodeLine, &[("code", html! { code { (code) } })])) }
        }
    };
    layout(title, body)
}

/// The stylesheet of every provider page.
pub const CSS: &str = r#":root{--blue:#0b63ce;--blue-dark:#0a53ad;--ink:#1b1f24;--muted:#5f6b7a;--line:#dde3ea;--bg:#f2f5f9;--red:#c4314b;color-scheme:light}
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg);min-height:100vh;display:flex;flex-direction:column;align-items:center;padding:20px 12px}
.card{width:100%;max-width:400px;background:#fff;border-radius:14px;box-shadow:0 1px 2px rgba(16,24,40,.06),0 8px 24px rgba(16,24,40,.08);padding:24px 28px}
.card.wide{max-width:560px}
.brand{display:flex;align-items:center;gap:8px;font-weight:600;font-size:14px;color:var(--muted);margin-bottom:14px}
.logo{flex:none}
h1{font-size:21px;line-height:1.3;font-weight:600;margin:0 0 4px}
h2{font-size:16px;margin:0}
.sub,.lead{margin:0 0 16px;color:var(--muted)}
.lead{margin:14px 0 8px;color:var(--ink)}
.stack{display:flex;flex-direction:column}
label{font-size:13px;font-weight:600;margin:6px 0 4px}
input[type=text],input:not([type]),input[type=password]{height:42px;border:1px solid #c5ced9;border-radius:8px;padding:0 12px;font:inherit;margin-bottom:8px;background:#fff}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #9cc8ff;outline-offset:1px;border-color:var(--blue)}
button{font:inherit;font-weight:600;border-radius:8px;height:42px;padding:0 18px;cursor:pointer;border:1px solid transparent}
.primary{background:var(--blue);color:#fff}
.primary:hover{background:var(--blue-dark)}
.secondary{background:#fff;color:var(--ink);border-color:#c5ced9}
.secondary:hover{background:#f5f7fa}
.danger{background:#fff;color:var(--red);border-color:#e9b8c1;height:36px;font-size:14px}
.danger:hover{background:#fdf2f4}
.stack .primary{margin-top:10px}
.link{background:none;border:0;color:var(--blue);height:auto;padding:4px;font-weight:500;font-size:14px}
.link:hover{text-decoration:underline}
.alert{background:#fdf2f4;border:1px solid #f1c4cd;color:#8a1c30;border-radius:8px;padding:10px 12px;margin:0 0 12px;font-size:14px}
.notice{background:#eef7ee;border:1px solid #bfe0c0;color:#1d5c20;border-radius:8px;padding:10px 12px;margin:12px 0 0;font-size:14px}
.hint{margin:16px 0 0;padding:10px 12px;background:#f5f8fc;border-radius:8px;font-size:13px;color:var(--muted)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em;background:#eef2f7;border-radius:4px;padding:1px 4px;color:var(--ink)}
.app-head{display:flex;align-items:center;gap:12px}
.app-head h1{font-size:18px;font-weight:500}
.app-head strong{font-weight:700}
.app-logo{flex:none;border-radius:10px;object-fit:contain}
.app-desc{margin:10px 0 0;font-size:14px;color:var(--muted);white-space:pre-line;overflow-wrap:anywhere}
.app-icon{flex:none;width:40px;height:40px;border-radius:10px;background:linear-gradient(135deg,#5b8def,#0b63ce);color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700;font-size:18px}
.account{display:flex;align-items:center;gap:10px;margin-top:14px;padding:8px 10px;border:1px solid var(--line);border-radius:10px}
.account img{border-radius:50%;flex:none}
.account>div{flex:1;min-width:0}
.account form{margin:0}
.who{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.muted{color:var(--muted);font-size:13px;margin:0}
.scopes{list-style:none;margin:0 0 12px;padding:0}
.scopes li{display:flex;gap:10px;align-items:flex-start;padding:5px 0}
.scopes .tick{flex:none;margin-top:1px}
.scopes.compact li{font-size:14px;padding:3px 0}
.remember{display:flex;gap:10px;align-items:flex-start;font-weight:500;font-size:14px;margin:4px 0 14px;cursor:pointer}
.remember input{width:18px;height:18px;margin:1px 0 0;accent-color:var(--blue);flex:none}
.remember small{display:block;color:var(--muted);font-weight:400;font-size:12.5px}
.actions{display:flex;gap:10px}
.actions button{flex:1}
.fine{font-size:12.5px;color:var(--muted);margin:14px 0 0}
.fine a{color:var(--blue)}
.origin{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.apps{list-style:none;margin:16px 0 0;padding:0}
.app{border:1px solid var(--line);border-radius:12px;padding:14px 16px;margin-bottom:12px}
.app-row{display:flex;gap:12px;align-items:center;margin-bottom:8px}
.app-meta{min-width:0}
.app form{margin:4px 0 0}
.visibility{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;margin:8px 0 4px!important}
.visibility .remember{margin:0;flex:1 1 220px}
.small{height:32px;font-size:13px;padding:0 14px}
.empty{color:var(--muted);margin:16px 0 0}
.profile{text-align:center}.profile img{border-radius:50%;margin:6px 0 10px}
.err-icon{width:44px;height:44px;border-radius:50%;background:#fdf2f4;color:var(--red);display:flex;align-items:center;justify-content:center;font-weight:700;font-size:22px;margin-bottom:12px}
@media (max-width:480px){body{padding:0;background:#fff}.card,.card.wide{box-shadow:none;border-radius:0;padding:20px 18px;max-width:none}}
@media (max-height:560px){body{padding-top:8px}.card{padding-top:18px;padding-bottom:18px}.brand{margin-bottom:10px}}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(human_date(1_290_510_000), "23 Nov 2010");
        assert_eq!(human_time(1_290_510_000), "23 Nov 2010, 11:00 UTC");
    }

    /// A value an attacker controls: markup, and a quote that would end an attribute.
    const EVIL: &str = r#"<script>alert(1)</script>" onfocus="x"#;
    const EVIL_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onfocus=&quot;x";

    /// Nothing of `EVIL` survives raw, and its escaped form is there `n` times or more.
    fn assert_escaped(page: &str, at_least: usize) {
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains(r#"" onfocus"#), "{page}");
        assert!(page.matches(EVIL_ESCAPED).count() >= at_least, "{page}");
    }

    #[test]
    fn signin_page_escapes_app_name_error_and_fields() {
        let page = signin_page(&SigninView {
            app_name: Some(EVIL),
            continue_to: EVIL,
            csrf: EVIL,
            error: Some(EVIL),
            username: EVIL,
            demo: true,
        });
        assert_escaped(&page, 5);
        assert!(page.contains(r#"<input type="hidden" name="csrf" value="&lt;script"#));
        assert!(page.contains(r#"required value="&lt;script"#));
        // A prefilled username moves the focus to the password.
        assert!(page.contains(r#"autocomplete="current-password" required autofocus>"#));
        assert!(page.contains("<strong>Demo provider.</strong> Sign in as <code>alice</code>"));
    }

    #[test]
    fn consent_page_escapes_app_name() {
        let scopes = ScopeSet::parse("openid wl.basic").unwrap();
        let page = consent_page(&ConsentView {
            app_name: EVIL,
            app_origin: EVIL,
            person_name: EVIL,
            username: EVIL,
            picture: EVIL,
            scopes: &scopes,
            more: true,
            request: "a=1&b=\"2\"",
            csrf: "t",
            description: EVIL,
            logo: Some(EVIL),
            terms_url: Some(EVIL),
            privacy_url: Some(EVIL),
        });
        // The app name (heading, lead, links), origin, person, username, picture, description,
        // logo, terms and privacy links.
        assert_escaped(&page, 11);
        assert!(page.contains(r#"<a href="&lt;script"#), "{page}");
        assert!(page.contains(r#"value="/authorize?a=1&amp;b=&quot;2&quot;""#));
        assert!(page.contains(r#"name="request" value="a=1&amp;b=&quot;2&quot;""#));
        assert!(page.contains("This will also allow "));
        assert!(page.contains("Remember this connection"));
        assert!(page.contains(r#"name="remember" value="1" checked"#));
    }

    #[test]
    fn connected_apps_page_escapes_names_and_notice() {
        let scopes = ScopeSet::parse("wl.basic").unwrap();
        let apps = [ConnectedView {
            grant_id: EVIL,
            app_name: EVIL,
            scopes: &scopes,
            created_at: 0,
            expires_at: 0,
            friends_see: true,
        }];
        let page = connected_apps_page(EVIL, EVIL, EVIL, Some(EVIL), &apps);
        // Person, picture, CSRF (three times), notice, app name (twice), grant (twice).
        assert_escaped(&page, 10);
        assert!(page.contains(r#"name="visible" value="1" checked"#));
        assert!(page.contains(r#"<div class="app-icon" aria-hidden="true">S</div>"#));
        assert!(!page.contains(r#"class="empty""#));
        let empty = connected_apps_page("A", "/p.svg", "t", None, &[]);
        assert!(empty.contains(r#"class="empty""#));
    }

    #[test]
    fn profile_and_error_pages_escape() {
        assert_escaped(&profile_page(EVIL, EVIL), 3);
        assert_escaped(&error_page(EVIL, EVIL, EVIL), 4);
    }

    #[test]
    fn page_shell() {
        let page = error_page("Oops", "It broke.", "bad");
        assert!(page.starts_with(
            "<!DOCTYPE html><html lang=\"en\" dir=\"ltr\"><head><meta charset=\"utf-8\">"
        ));
        assert!(page.contains("<title>Oops · wl-connect</title>"));
        assert!(page.contains(r#"<link rel="stylesheet" href="/assets/provider.css">"#));
        assert!(page.contains(r#"<header class="brand"><svg class="logo""#));
        assert!(!page.contains("style="), "no inline styles (CSP)");
        assert!(!page.contains("<script"), "no scripts (CSP)");
    }
}
