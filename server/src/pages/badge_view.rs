//! The sharing badge's pages: the share form and the "Shared" confirmation. Server-rendered,
//! no scripts; the markup is written with [`maud`], which escapes every text from a person or
//! a link. Styles: the provider's stylesheet plus [`CSS`] (served at `/badge/badge.css`).

use maud::{Markup, html};

use crate::pages::html::{brand, layout};
use crate::pages::i18n::{M, fill, rich, t};
use crate::store::activities::Friend;

/// What the share form shows.
#[derive(Debug)]
pub struct ShareView<'a> {
    /// The signed-in person's display name.
    pub person_name: &'a str,
    /// Their username.
    pub username: &'a str,
    /// Their picture URL.
    pub picture: &'a str,
    /// The link to share (already checked: http or https).
    pub url: &'a str,
    /// The message so far.
    pub message: &'a str,
    /// Their friends.
    pub friends: &'a [Friend],
    /// The issuer (for friends' picture URLs).
    pub issuer: &'a str,
    /// Share with chosen friends only (else all).
    pub chosen: bool,
    /// The friends ticked so far.
    pub ticked: &'a [String],
    /// An error to show above the form.
    pub error: Option<&'a str>,
    /// The CSRF token.
    pub csrf: &'a str,
    /// This page's own path and query (where "Not you?" comes back to).
    pub here: &'a str,
}

/// The host of a URL, for the preview's heading.
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned())
}

/// The link's preview: its host, and the whole URL as a link (followed through `href`).
fn preview(url: &str, href: &str) -> Markup {
    html! {
        div class="preview" {
            div class="preview-host" { (host_of(url)) }
            a class="preview-url" href=(href) target="_blank" rel="noopener noreferrer" { (url) }
        }
    }
}

/// The badge page's shell inside the provider's: its stylesheet, the card, its heading and
/// `content`.
fn badge_page(title: &str, content: Markup) -> String {
    // A stylesheet link is allowed in the body; it keeps the shared page shell unchanged.
    let body = html! {
        link rel="stylesheet" href="/badge/badge.css";
        main class="card badge" {
            (brand())
            h1 { (title) }
            (content)
        }
    };
    layout(title, body)
}

/// The share form.
pub fn share_page(v: &ShareView<'_>) -> String {
    let count = match v.friends.len() {
        1 => t(M::OneFriend).to_owned(),
        n => fill(M::NFriends, &[("n", &crate::pages::i18n::number(n as i64))]),
    };
    let content = html! {
        p class="sub" { (t(M::WithYourFriends)) }
        div class="account" {
            img src=(v.picture) alt="" width="32" height="32";
            div {
                div class="who" { (v.person_name) }
                div class="muted" { (v.username) }
            }
            form method="post" action="/signout" {
                input type="hidden" name="csrf" value=(v.csrf);
                input type="hidden" name="continue" value=(v.here);
                button type="submit" class="link" { (t(M::NotYou)) }
            }
        }
        @if let Some(err) = v.error {
            div class="alert" role="alert" { (err) }
        }
        form method="post" action="/badge" class="stack share-form" {
            input type="hidden" name="csrf" value=(v.csrf);
            input type="hidden" name="url" value=(v.url);
            (preview(v.url, v.url))
            label for="message" { (t(M::Message)) " " span class="optional" { (t(M::Optional)) } }
            input id="message" name="message" maxlength="1000" value=(v.message)
                placeholder=(t(M::SaySomething)) autocomplete="off";
            div class="audience" role="group" aria-labelledby="share-with" {
                p id="share-with" class="group-label" { (t(M::ShareWith)) }
                label class="remember" {
                    input type="radio" name="audience" value="all" checked[!v.chosen];
                    " "
                    span { (t(M::AllMyFriends)) small { (count) } }
                }
                label class="remember" {
                    input type="radio" name="audience" value="chosen" checked[v.chosen];
                    " "
                    span {
                        (t(M::OnlyTicked))
                        small { (t(M::OnlyTickedHint)) }
                    }
                }
                @if v.friends.is_empty() {
                    p class="empty" { (t(M::NoFriends)) }
                } @else {
                    ul class="friends" {
                        @for f in v.friends {
                            li {
                                label class="friend" {
                                    input type="checkbox" name="to" value=(f.id)
                                        checked[v.ticked.contains(&f.id)];
                                    img src=(f.picture_url(v.issuer)) alt="" width="28" height="28";
                                    span { (f.name) }
                                }
                            }
                        }
                    }
                }
            }
            div class="actions" {
                button type="submit" class="primary" disabled[v.friends.is_empty()] { (t(M::Share)) }
            }
        }
        p class="fine" { (t(M::ShareAppears)) }
    };
    badge_page(t(M::ShareALink), content)
}

/// The confirmation after sharing. Its links go through `through`, the provider's
/// click-through redirect to exactly `url` (`/r/{activity_id}`, docs/statistics.md).
pub fn shared_page(url: &str, through: &str, message: Option<&str>, recipients: &str) -> String {
    let content = html! {
        div class="notice" role="status" {
            (fill(M::NowInFeedOf, &[("recipients", recipients)]))
        }
        (preview(url, through))
        @if let Some(m) = message {
            p class="said" { (m) }
        }
        p class="fine" {
            (rich(M::CloseOrGoBack, &[("back", html! {
                a href=(through) rel="noopener noreferrer" { (t(M::GoBackToPage)) }
            })]))
        }
    };
    badge_page(t(M::Shared), content)
}

/// The badge pages' own styles (on top of the provider's stylesheet).
pub const CSS: &str = r#".badge h1{margin-bottom:2px}
.preview{border:1px solid var(--line);border-radius:10px;padding:10px 12px;margin:14px 0 10px;background:#f8fafc;min-width:0}
.preview-host{font-weight:600;font-size:14px;overflow-wrap:anywhere}
.preview-url{display:block;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;color:var(--blue);overflow-wrap:anywhere;margin-top:2px}
.optional{font-weight:400;color:var(--muted)}
.audience{margin:6px 0 0}
.group-label{font-size:13px;font-weight:600;margin:6px 0 8px}
.audience .remember{margin:0 0 10px}
.friends{list-style:none;margin:0 0 6px;padding:0;max-height:min(440px,60vh);overflow:auto;border:1px solid var(--line);border-radius:10px}
.friends li+li{border-top:1px solid var(--line)}
.friend{display:flex;align-items:center;gap:10px;margin:0;padding:8px 12px;font-weight:500;font-size:14px;cursor:pointer}
.friend:hover{background:#f5f8fc}
.friend input{width:18px;height:18px;margin:0;accent-color:var(--blue);flex:none}
.friend img{border-radius:50%;flex:none}
.friend span{min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.share-form .actions{margin-top:12px}
.share-form .primary:disabled{opacity:.5;cursor:not-allowed}
.badge .notice{margin:10px 0 0}
.said{margin:0;padding:4px 12px;font-size:14.5px;border-inline-start:3px solid var(--line);white-space:pre-wrap;overflow-wrap:anywhere}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(friends: &'a [Friend], ticked: &'a [String]) -> ShareView<'a> {
        ShareView {
            person_name: "<img src=x onerror=alert(1)>",
            username: "mallory",
            picture: "/p.svg",
            url: "https://example.org/?a=1&b=\"<x>\"",
            message: "<script>alert(1)</script>",
            friends,
            issuer: "http://127.0.0.1:1",
            chosen: true,
            ticked,
            error: Some("<b>err</b>"),
            csrf: "t",
            here: "/badge?url=x",
        }
    }

    #[test]
    fn share_page_escapes_everything() {
        let friends = [Friend {
            id: "f1".into(),
            name: "<i>Bob</i>".into(),
            picture_key: "k".into(),
        }];
        let ticked = ["f1".to_owned()];
        let page = share_page(&view(&friends, &ticked));
        assert!(!page.contains("<img src=x"));
        assert!(!page.contains("<script>"));
        assert!(!page.contains("<i>Bob"));
        assert!(!page.contains("<b>err"));
        assert!(page.contains("&lt;script&gt;"));
        assert!(page.contains(r#"value="f1" checked"#));
        assert!(page.contains(r#"value="chosen" checked"#));
        assert!(!page.contains("disabled"));
        // A quote in the link cannot end the attribute it is in.
        assert!(page.contains(r#"href="https://example.org/?a=1&amp;b=&quot;&lt;x&gt;&quot;""#));
        assert!(page.contains(r#"name="url" value="https://example.org/?a=1&amp;b=&quot;"#));
        assert!(page.contains(r#"<small>1 friend</small>"#));
    }

    #[test]
    fn no_friends_disables_share() {
        let page = share_page(&view(&[], &[]));
        assert!(page.contains(r#"class="primary" disabled"#));
    }

    #[test]
    fn shared_page_escapes() {
        let page = shared_page("https://e.org/\"<x>", "/r/a\"<", Some("<b>hi</b>"), "<Bob>");
        assert!(!page.contains("<b>hi"));
        assert!(!page.contains("<Bob>"));
        assert!(page.contains(r#"href="/r/a&quot;&lt;" rel="noopener noreferrer""#));
        assert!(page.contains("https://e.org/&quot;&lt;x&gt;</a>"));
        assert!(page.contains("<h1>Shared</h1>"));
        assert!(page.contains("Shared"));
    }
}
