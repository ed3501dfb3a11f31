//! The provider's pages: sign-in, consent, connected apps, errors. Every text that comes from
//! a person or an app goes through [`escape`]. No scripts; styles come from `/assets/provider.css`.

use std::fmt::Write as _;

use crate::identity::scopes::ScopeSet;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

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

const LOGO: &str = r##"<svg class="logo" width="28" height="28" viewBox="0 0 28 28" aria-hidden="true"><rect width="28" height="28" rx="7" fill="#0b63ce"/><circle cx="10" cy="11" r="4" fill="#fff"/><circle cx="18.5" cy="11" r="4" fill="#9cc8ff"/><path d="M4.5 22c.8-3.6 3-5.5 5.5-5.5s4.7 1.9 5.5 5.5z" fill="#fff"/><path d="M13 22c.8-3.6 3-5.5 5.5-5.5S23.2 18.4 24 22z" fill="#9cc8ff"/></svg>"##;

const CHECK: &str = r##"<svg class="tick" width="18" height="18" viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="10" fill="#e6f0fc"/><path d="M6 10.5l2.6 2.6L14.2 7.5" fill="none" stroke="#0b63ce" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>"##;

pub(crate) fn layout(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title} · wl-connect</title>
<link rel="stylesheet" href="/assets/provider.css">
</head>
<body>
{body}
</body>
</html>
"#,
        title = escape(title),
    )
}

pub(crate) fn brand() -> String {
    format!(r#"<header class="brand">{LOGO}<span>wl-connect</span></header>"#)
}

fn app_badge(name: &str) -> String {
    let initial = name
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_else(|| "?".into());
    format!(
        r#"<div class="app-icon" aria-hidden="true">{}</div>"#,
        escape(&initial)
    )
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
    let mut body = String::from(r#"<main class="card">"#);
    body.push_str(&brand());
    body.push_str("<h1>Sign in</h1>");
    match v.app_name {
        Some(app) => {
            let _ = write!(
                body,
                r#"<p class="sub">to continue to <strong>{}</strong></p>"#,
                escape(app)
            );
        }
        None => body.push_str(r#"<p class="sub">to manage your wl-connect account</p>"#),
    }
    if let Some(err) = v.error {
        let _ = write!(
            body,
            r#"<div class="alert" role="alert">{}</div>"#,
            escape(err)
        );
    }
    let _ = write!(
        body,
        r#"<form method="post" action="/signin" class="stack">
<input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="continue" value="{cont}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="{user}"{autofocus_user}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required{autofocus_pass}>
<button type="submit" class="primary">Sign in</button>
</form>"#,
        csrf = escape(v.csrf),
        cont = escape(v.continue_to),
        user = escape(v.username),
        autofocus_user = if v.username.is_empty() {
            " autofocus"
        } else {
            ""
        },
        autofocus_pass = if v.username.is_empty() {
            ""
        } else {
            " autofocus"
        },
    );
    if v.demo {
        body.push_str(
            r#"<p class="hint"><strong>Demo provider.</strong> Sign in as <code>alice</code>, <code>bob</code> or any other demo person — every password is <code>demo</code>.</p>"#,
        );
    }
    body.push_str("</main>");
    layout("Sign in", &body)
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
}

/// The consent screen.
pub fn consent_page(v: &ConsentView<'_>) -> String {
    let app = escape(v.app_name);
    let mut body = String::from(r#"<main class="card">"#);
    body.push_str(&brand());
    let _ = write!(
        body,
        r#"<div class="app-head">{badge}<h1><strong>{app}</strong> would like to connect to your account</h1></div>
<div class="account"><img src="{pic}" alt="" width="32" height="32"><div><div class="who">{name}</div><div class="muted">{user}</div></div>
<form method="post" action="/signout"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="continue" value="/authorize?{req}"><button type="submit" class="link">Not you?</button></form></div>
<p class="lead">This will {also}allow {app} to:</p>
<ul class="scopes">"#,
        badge = app_badge(v.app_name),
        pic = escape(v.picture),
        name = escape(v.person_name),
        user = escape(v.username),
        csrf = escape(v.csrf),
        req = escape(v.request),
        also = if v.more { "also " } else { "" },
    );
    for s in v.scopes.iter() {
        let _ = write!(
            body,
            r#"<li>{CHECK}<span>{}</span></li>"#,
            escape(s.description)
        );
    }
    let _ = write!(
        body,
        r#"</ul>
<form method="post" action="/authorize/decision">
<input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="request" value="{req}">
<label class="remember"><input type="checkbox" name="remember" value="1" checked> <span>Remember this connection<small>Untick to allow access for 3 hours only.</small></span></label>
<div class="actions"><button type="submit" name="decision" value="deny" class="secondary">Deny</button><button type="submit" name="decision" value="allow" class="primary">Allow</button></div>
</form>
<p class="fine">You'll return to <span class="origin">{origin}</span>. You can remove this app's access at any time on the <a href="/consent" target="_blank" rel="noopener">Connected apps</a> page.</p>
</main>"#,
        csrf = escape(v.csrf),
        req = escape(v.request),
        origin = escape(v.app_origin),
    );
    layout("Allow access?", &body)
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
}

/// The connected-apps (consent management) page.
pub fn connected_apps_page(
    person_name: &str,
    picture: &str,
    csrf: &str,
    notice: Option<&str>,
    apps: &[ConnectedView<'_>],
) -> String {
    let mut body = String::from(r#"<main class="card wide">"#);
    body.push_str(&brand());
    let _ = write!(
        body,
        r#"<h1>Connected apps</h1>
<div class="account"><img src="{pic}" alt="" width="32" height="32"><div><div class="who">{name}</div><div class="muted">These apps can use your wl-connect account.</div></div>
<form method="post" action="/signout"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="continue" value="/consent"><button type="submit" class="link">Sign out</button></form></div>"#,
        pic = escape(picture),
        name = escape(person_name),
        csrf = escape(csrf),
    );
    if let Some(n) = notice {
        let _ = write!(
            body,
            r#"<div class="notice" role="status">{}</div>"#,
            escape(n)
        );
    }
    if apps.is_empty() {
        body.push_str(r#"<p class="empty">You haven't connected any apps yet. When you allow an app to use your account, it appears here and you can remove it at any time.</p>"#);
    }
    body.push_str(r#"<ul class="apps">"#);
    for a in apps {
        let _ = write!(
            body,
            r#"<li class="app"><div class="app-row">{badge}<div class="app-meta"><h2>{name}</h2><p class="muted">Connected {since} · access until {until}</p></div></div>
<ul class="scopes compact">"#,
            badge = app_badge(a.app_name),
            name = escape(a.app_name),
            since = escape(&human_date(a.created_at)),
            until = escape(&human_time(a.expires_at)),
        );
        for s in a.scopes.iter() {
            let _ = write!(
                body,
                r#"<li>{CHECK}<span>{}</span></li>"#,
                escape(s.description)
            );
        }
        let _ = write!(
            body,
            r#"</ul><form method="post" action="/consent/revoke"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="grant" value="{grant}"><button type="submit" class="danger">Remove access</button></form></li>"#,
            csrf = escape(csrf),
            grant = escape(a.grant_id),
        );
    }
    body.push_str("</ul></main>");
    layout("Connected apps", &body)
}

/// A person's public profile page.
pub fn profile_page(name: &str, picture: &str) -> String {
    let body = format!(
        r#"<main class="card">{brand}<div class="profile"><img src="{pic}" alt="" width="72" height="72"><h1>{name}</h1><p class="muted">wl-connect member</p></div></main>"#,
        brand = brand(),
        pic = escape(picture),
        name = escape(name),
    );
    layout(name, &body)
}

/// An error page on the provider.
pub fn error_page(title: &str, message: &str, code: &str) -> String {
    let body = format!(
        r#"<main class="card">{brand}<div class="err-icon" aria-hidden="true">!</div><h1>{title}</h1><p class="lead">{message}</p><p class="fine">Error code: <code>{code}</code>. You can close this window.</p></main>"#,
        brand = brand(),
        title = escape(title),
        message = escape(message),
        code = escape(code),
    );
    layout(title, &body)
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
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<img src=x onerror="alert('1')">&"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(human_date(1_290_510_000), "23 Nov 2010");
        assert_eq!(human_time(1_290_510_000), "23 Nov 2010, 11:00 UTC");
    }

    #[test]
    fn consent_page_escapes_app_name() {
        let scopes = ScopeSet::parse("openid wl.basic").unwrap();
        let page = consent_page(&ConsentView {
            app_name: "<script>x</script>",
            app_origin: "http://a",
            person_name: "<img src=x onerror=alert(1)>",
            username: "mallory",
            picture: "/p.svg",
            scopes: &scopes,
            more: false,
            request: "a=1&b=2",
            csrf: "t",
        });
        assert!(!page.contains("<script>x"));
        assert!(!page.contains("<img src=x"));
        assert!(page.contains("Remember this connection"));
        assert!(page.contains(r#"name="remember" value="1" checked"#));
    }
}
