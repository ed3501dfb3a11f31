//! The portal's markup (maud escapes every interpolated value): the list of a developer's
//! apps, the registration and edit forms with an error next to each field, the delete
//! confirmation. No scripts; styles from `/assets/provider.css` and `/developers/portal.css`.

use maud::{Markup, html};

use crate::identity::app_templates::MAX_CUSTOM_TEXT;
use crate::identity::apps::{
    App, AppInput, AppTemplate, Field, FieldError, LOGO_SIDE, MAX_DESCRIPTION, MAX_LOGO_BYTES,
    MAX_NAME,
};
use crate::identity::scopes;
use crate::pages::html::brand;
use crate::pages::i18n::{M, fill, rich, t};
use crate::store::apps::InForce;

/// The signed-in developer, for the header of every portal page.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    /// Display name.
    pub name: &'a str,
    /// Username.
    pub username: &'a str,
    /// The CSRF token of the page's forms.
    pub csrf: &'a str,
}

/// A portal page: the provider's shell, the portal's header, `body`.
fn page(title: &str, who: &Who<'_>, back: &str, body: Markup) -> String {
    let page = html! {
        main class="card portal" {
            div class="portal-top" {
                (brand())
                nav aria-label=(t(M::DevPortal)) {
                    a href="/developers" { (t(M::DevYourApps)) }
                    span class="muted" { (who.name) " (" (who.username) ")" }
                    form method="post" action="/signout" {
                        input type="hidden" name="csrf" value=(who.csrf);
                        input type="hidden" name="continue" value=(back);
                        button type="submit" class="link" { (t(M::SignOut)) }
                    }
                }
            }
            (body)
        }
    };
    crate::pages::html::shell(
        &fill(M::DevTitle, &[("title", title)]),
        &["/developers/portal.css"],
        None,
        page,
    )
}

/// The app's logo, or its initial when it has none (decorative: the name is next to it).
pub fn app_logo(app: &App, size: u32) -> Markup {
    if app.has_logo {
        html! {
            img class="app-logo" src=(format!("/developers/apps/{}/logo.png", app.client_id))
                alt="" width=(size) height=(size);
        }
    } else {
        let initial = app
            .name
            .chars()
            .find(|c| c.is_alphanumeric())
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_else(|| "?".into());
        html! { div class="app-icon" aria-hidden="true" { (initial) } }
    }
}

/// `/developers`: the person's apps.
pub fn index_page(who: &Who<'_>, apps: &[App], notice: Option<&str>) -> String {
    let body = html! {
        div class="portal-head" {
            h1 { (t(M::DevYourApps)) }
            a class="button primary" href="/developers/apps/new" { (t(M::DevRegisterApp)) }
        }
        @if let Some(n) = notice {
            div class="notice" role="status" { (n) }
        }
        @if apps.is_empty() {
            p class="empty" {
                (rich(M::DevNoAppsYet, &[("wljs", html! { code { "wl.js" } })]))
            }
        } @else {
            ul class="apps" {
                @for app in apps {
                    li class="app" {
                        div class="app-row" {
                            (app_logo(app, 40))
                            div class="app-meta" {
                                h2 { a href=(format!("/developers/apps/{}", app.client_id)) { (app.name) } }
                                p class="muted" { (t(M::DevClientId)) " " code { (app.client_id) } }
                            }
                        }
                    }
                }
            }
        }
    };
    page(t(M::DevYourApps), who, "/developers", body)
}

/// The error for `field`, if any.
fn error_for(errors: &[FieldError], field: Field) -> Option<&FieldError> {
    errors.iter().find(|e| e.field == field)
}

/// A field error's words in the request's language: the service's English message (it names
/// the value typed), or in another language the catalogue's words for its code.
pub fn error_words(e: &FieldError) -> String {
    if crate::pages::i18n::current() == crate::pages::i18n::Locale::En {
        return e.message.clone();
    }
    let max = |n: usize| n.to_string();
    match e.code {
        "name_missing" => t(M::DevErrNameMissing).to_owned(),
        "name_too_long" => fill(M::DevErrNameTooLong, &[("max", &max(MAX_NAME))]),
        "name_invalid" => t(M::DevErrNameInvalid).to_owned(),
        "description_too_long" => fill(
            M::DevErrDescriptionTooLong,
            &[("max", &max(MAX_DESCRIPTION))],
        ),
        "redirect_uri_missing" => t(M::DevErrRedirectMissing).to_owned(),
        "redirect_uri_too_many" | "origin_too_many" => t(M::DevErrTooMany).to_owned(),
        "redirect_uri_duplicate" | "origin_duplicate" => t(M::DevErrDuplicate).to_owned(),
        "redirect_uri_invalid" | "origin_invalid" | "terms_url_invalid" | "privacy_url_invalid" => {
            t(M::DevErrUrl).to_owned()
        }
        "scopes_missing" => t(M::DevErrScopesMissing).to_owned(),
        "scope_unknown" => t(M::DevErrScopeUnknown).to_owned(),
        "logo_empty" => t(M::DevErrLogoEmpty).to_owned(),
        "logo_too_large" => fill(
            M::DevErrLogoTooLarge,
            &[("kb", &max(MAX_LOGO_BYTES / 1024))],
        ),
        "logo_type" => t(M::DevErrLogoType).to_owned(),
        "logo_unreadable" => t(M::DevErrLogoUnreadable).to_owned(),
        "owner_unknown" => t(M::DevErrOwnerUnknown).to_owned(),
        "template_name_invalid" => t(M::DevErrTemplateNameInvalid).to_owned(),
        "template_name_taken" => t(M::DevErrTemplateNameTaken).to_owned(),
        c if c.starts_with("template_") => t(M::DevErrTemplateText).to_owned(),
        _ => e.message.clone(),
    }
}

/// The error message under a field (`id` is what `aria-describedby` names).
fn field_error(errors: &[FieldError], field: Field) -> Markup {
    html! {
        @if let Some(e) = error_for(errors, field) {
            p class="field-error" id=(format!("{}-error", field.name())) {
                (error_words(e)) " " span class="code" { "(" (e.code) ")" }
            }
        }
    }
}

/// `aria-describedby` for a field: its hint and, when there is one, its error.
fn described(errors: &[FieldError], field: Field, hint: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{}-hint", field.name()));
    }
    if error_for(errors, field).is_some() {
        ids.push(format!("{}-error", field.name()));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// What the registration and edit forms show.
#[derive(Debug)]
pub struct FormView<'a> {
    /// What is in the fields (as typed, after a refused submission).
    pub input: &'a AppInput,
    /// Why the last submission was refused.
    pub errors: &'a [FieldError],
    /// The app being edited (`None`: a new one).
    pub app: Option<&'a App>,
}

/// The fields of an app, shared by the registration and edit forms.
fn app_fields(v: &FormView<'_>) -> Markup {
    let e = v.errors;
    let input = v.input;
    let all = input.scopes.is_none();
    let ticked = |name: &str| {
        all || input
            .scopes
            .as_ref()
            .is_some_and(|l| l.iter().any(|s| s == name))
    };
    html! {
        @if !e.is_empty() {
            div class="alert" role="alert" {
                (t(if e.len() == 1 { M::DevFixField } else { M::DevFixFields }))
            }
        }
        label for="name" { (t(M::DevName)) }
        input id="name" name="name" type="text" required maxlength=(MAX_NAME) value=(input.name)
            aria-invalid=[error_for(e, Field::Name).map(|_| "true")]
            aria-describedby=[described(e, Field::Name, false)];
        (field_error(e, Field::Name))

        label for="description" { (t(M::DevDescription)) " " span class="opt" { (t(M::Optional)) } }
        textarea id="description" name="description" rows="3"
            aria-invalid=[error_for(e, Field::Description).map(|_| "true")]
            aria-describedby=[described(e, Field::Description, true)] { (input.description) }
        p class="field-hint" id="description-hint" {
            (fill(M::DevDescriptionHint, &[("max", &MAX_DESCRIPTION.to_string())]))
        }
        (field_error(e, Field::Description))

        label for="redirect_uris" { (t(M::DevRedirectUris)) }
        textarea id="redirect_uris" name="redirect_uris" rows="3" required spellcheck="false" dir="ltr"
            aria-invalid=[error_for(e, Field::RedirectUris).map(|_| "true")]
            aria-describedby=[described(e, Field::RedirectUris, true)] {
            (input.redirect_uris.join("\n"))
        }
        p class="field-hint" id="redirect_uris-hint" {
            (t(M::DevRedirectUrisHint))
        }
        (field_error(e, Field::RedirectUris))

        label for="origins" { (t(M::DevOrigins)) " " span class="opt" { (t(M::Optional)) } }
        textarea id="origins" name="origins" rows="2" spellcheck="false" dir="ltr"
            aria-invalid=[error_for(e, Field::Origins).map(|_| "true")]
            aria-describedby=[described(e, Field::Origins, true)] {
            (input.origins.join("\n"))
        }
        p class="field-hint" id="origins-hint" {
            (rich(M::DevOriginsHint, &[("example", html! { code { "https://app.example" } })]))
        }
        (field_error(e, Field::Origins))

        fieldset class="scopes-pick"
            aria-describedby=[described(e, Field::Scopes, false)] {
            legend { (t(M::DevScopesLegend)) }
            @for s in scopes::ALL {
                label class="check" {
                    input type="checkbox" name="scopes" value=(s.name) checked[ticked(s.name)];
                    span { code { (s.name) } " " span class="muted" { (crate::pages::i18n::catalogue::scope_description(s.name, s.description)) } }
                }
            }
        }
        (field_error(e, Field::Scopes))

        label for="terms_url" { (t(M::DevTermsUrl)) " " span class="opt" { (t(M::Optional)) } }
        input id="terms_url" name="terms_url" type="url" dir="ltr" value=(input.terms_url)
            placeholder="https://app.example/terms"
            aria-invalid=[error_for(e, Field::TermsUrl).map(|_| "true")]
            aria-describedby=[described(e, Field::TermsUrl, false)];
        (field_error(e, Field::TermsUrl))

        label for="privacy_url" { (t(M::DevPrivacyUrl)) " " span class="opt" { (t(M::Optional)) } }
        input id="privacy_url" name="privacy_url" type="url" dir="ltr" value=(input.privacy_url)
            placeholder="https://app.example/privacy"
            aria-invalid=[error_for(e, Field::PrivacyUrl).map(|_| "true")]
            aria-describedby=[described(e, Field::PrivacyUrl, false)];
        (field_error(e, Field::PrivacyUrl))

        label for="logo" { (t(M::DevLogo)) " " span class="opt" { (t(M::Optional)) } }
        @if let Some(app) = v.app.filter(|a| a.has_logo) {
            div class="logo-now" {
                (app_logo(app, 48))
                label class="check" {
                    input type="checkbox" name="remove_logo" value="1";
                    " " (t(M::DevRemoveLogo))
                }
            }
        }
        input id="logo" name="logo" type="file" accept="image/png,image/jpeg"
            aria-invalid=[error_for(e, Field::Logo).map(|_| "true")]
            aria-describedby=[described(e, Field::Logo, true)];
        p class="field-hint" id="logo-hint" {
            (fill(M::DevLogoHint, &[("kb", &(MAX_LOGO_BYTES / 1024).to_string()), ("side", &LOGO_SIDE.to_string())]))
            @if !e.is_empty() { " " (t(M::DevLogoAgain)) }
        }
        (field_error(e, Field::Logo))
    }
}

/// `/developers/apps/new`.
pub fn new_page(who: &Who<'_>, v: &FormView<'_>) -> String {
    let body = html! {
        p class="crumbs" { a href="/developers" { (t(M::DevYourApps)) } " › " (t(M::DevRegister)) }
        h1 { (t(M::DevRegisterApp)) }
        form class="stack app-form" method="post" action="/developers/apps"
            enctype="multipart/form-data" novalidate {
            input type="hidden" name="csrf" value=(who.csrf);
            (app_fields(v))
            div class="actions" {
                a class="button secondary" href="/developers" { (t(M::DevCancel)) }
                button type="submit" class="primary" { (t(M::DevRegister)) }
            }
        }
    };
    page(t(M::DevRegisterApp), who, "/developers/apps/new", body)
}

/// What the app page shows besides the form.
#[derive(Debug)]
pub struct AppPage<'a> {
    /// The app as stored.
    pub app: &'a App,
    /// Its owners' usernames.
    pub owners: &'a [String],
    /// A notice (saved, registered, owner added).
    pub notice: Option<&'a str>,
    /// The username typed in the add-owner form, and why it was refused.
    pub owner_error: Option<(&'a str, &'a FieldError)>,
    /// The app's own activity templates, each with its preview.
    pub templates: &'a [(AppTemplate, String)],
    /// A refused template: the name and text typed, and why.
    pub template_form: Option<(&'a str, &'a str, &'a [FieldError])>,
}

/// `/developers/apps/{id}`: the client id, links to its secrets and statistics, the edit form,
/// the owners, and the way to delete it.
pub fn app_page(who: &Who<'_>, p: &AppPage<'_>, v: &FormView<'_>) -> String {
    let app = p.app;
    let base = format!("/developers/apps/{}", app.client_id);
    let body = html! {
        p class="crumbs" { a href="/developers" { (t(M::DevYourApps)) } " › " (app.name) }
        div class="app-head" {
            (app_logo(app, 40))
            h1 { (app.name) }
        }
        @if let Some(n) = p.notice {
            div class="notice" role="status" { (n) }
        }
        label for="client_id" { (t(M::DevClientId)) }
        input id="client_id" type="text" readonly value=(app.client_id) class="copy" dir="ltr"
            aria-describedby="client_id-hint" spellcheck="false";
        p class="field-hint" id="client_id-hint" {
            (rich(M::DevClientIdHint, &[("init", html! { code { "WL.init({ client_id })" } })]))
        }
        nav class="app-links" aria-label=(t(M::DevThisApp)) {
            a class="button secondary" href=(format!("{base}/secrets")) { (t(M::DevSecrets)) }
            a class="button secondary" href=(format!("{base}/stats")) { (t(M::DevStatistics)) }
            a class="button secondary" href=(format!("{base}/feed")) { (t(M::FeedTitle)) }
        }

        h2 class="section" { (t(M::DevSettings)) }
        form class="stack app-form" method="post" action=(base)
            enctype="multipart/form-data" novalidate {
            input type="hidden" name="csrf" value=(who.csrf);
            (app_fields(v))
            div class="actions" {
                button type="submit" class="primary" { (t(M::DevSaveChanges)) }
            }
        }

        h2 class="section" { (t(M::DevOwners)) }
        p class="muted" { (t(M::DevOwnersHint)) }
        ul class="owners" {
            @for o in p.owners { li { code { (o) } } }
        }
        form class="stack owner-form" method="post" action=(format!("{base}/owners")) {
            input type="hidden" name="csrf" value=(who.csrf);
            label for="owner" { (t(M::DevAddOwnerBy)) }
            @let typed = p.owner_error.map(|(t, _)| t).unwrap_or("");
            @let err = p.owner_error.map(|(_, e)| e);
            input id="owner" name="username" type="text" autocapitalize="none" spellcheck="false"
                required value=(typed)
                aria-invalid=[err.map(|_| "true")]
                aria-describedby=[err.map(|_| "owner-error")];
            @if let Some(e) = err {
                p class="field-error" id="owner-error" {
                    (error_words(e)) " " span class="code" { "(" (e.code) ")" }
                }
            }
            button type="submit" class="secondary" { (t(M::DevAddOwner)) }
        }

        h2 class="section" { (t(M::DevTemplates)) }
        p class="muted" {
            (rich(M::DevTemplatesHint, &[
                ("post", html! { code { "POST /v1/me/activities" } }),
                ("field", html! { code { "\"template\": \"name\"" } }),
                ("shared_link", html! { code { "shared_link" } }),
                ("liked_link", html! { code { "liked_link" } }),
                ("status", html! { code { "status" } }),
                ("actor", html! { code { "{actor}" } }),
                ("title", html! { code { "{title}" } }),
                ("link", html! { code { "{link}" } }),
                ("message", html! { code { "{message}" } }),
            ]))
        }
        @if !p.templates.is_empty() {
            ul class="templates" {
                @for (t, preview) in p.templates {
                    li {
                        div { code { (t.name) } " " span class="muted" { (t.text) } }
                        div class="preview" { (crate::pages::i18n::t(M::DevPreview)) " " (preview) }
                        form method="post" action=(format!("{base}/templates/delete")) {
                            input type="hidden" name="csrf" value=(who.csrf);
                            input type="hidden" name="name" value=(t.name);
                            button type="submit" class="link" { (crate::pages::i18n::t(M::DevRemove)) " " span class="sr" { (t.name) } }
                        }
                    }
                }
            }
        }
        @let (t_name, t_text, t_errors) = p.template_form.unwrap_or(("", "", &[]));
        form class="stack template-form" method="post" action=(format!("{base}/templates")) {
            input type="hidden" name="csrf" value=(who.csrf);
            label for="template_name" { (t(M::DevTemplateName)) }
            input id="template_name" name="name" type="text" required spellcheck="false"
                autocapitalize="none" maxlength="40" value=(t_name) placeholder="saved_recipe"
                aria-invalid=[error_for(t_errors, Field::TemplateName).map(|_| "true")]
                aria-describedby=[described(t_errors, Field::TemplateName, false)];
            (field_error(t_errors, Field::TemplateName))
            label for="template_text" { (t(M::DevText)) }
            input id="template_text" name="text" type="text" required maxlength=(MAX_CUSTOM_TEXT)
                value=(t_text) placeholder="{actor} saved a recipe: {title}"
                aria-invalid=[error_for(t_errors, Field::TemplateText).map(|_| "true")]
                aria-describedby=[described(t_errors, Field::TemplateText, false)];
            (field_error(t_errors, Field::TemplateText))
            button type="submit" class="secondary" { (t(M::DevAddTemplate)) }
        }

        h2 class="section" { (t(M::DevDelete)) }
        p class="muted" {
            (t(M::DevDeleteHint))
        }
        a class="button danger" href=(format!("{base}/delete")) { (t(M::DevDeleteThisApp)) }
    };
    page(&app.name, who, &base, body)
}

/// `/developers/apps/{id}/delete`: what deleting revokes, and the button that does it.
pub fn delete_page(who: &Who<'_>, app: &App, in_force: InForce) -> String {
    let base = format!("/developers/apps/{}", app.client_id);
    let plural = |n: i64, one: M, many: M| {
        if n == 1 {
            t(one).to_owned()
        } else {
            fill(many, &[("n", &crate::pages::i18n::number(n))])
        }
    };
    let body = html! {
        p class="crumbs" { a href="/developers" { (t(M::DevYourApps)) } " › " a href=(base) { (app.name) } " › " (t(M::DevDelete)) }
        h1 { (fill(M::DevDeleteApp, &[("app", &app.name)])) }
        p class="lead" { (t(M::DevCantBeUndone)) }
        ul class="revokes" {
            li { strong { (plural(in_force.grants, M::DevOneGrant, M::DevNGrants)) }
                " " (t(M::DevGrantsAre)) }
            li { strong { (plural(in_force.tokens, M::DevOneToken, M::DevNTokens)) }
                " " (t(M::DevTokensAre)) }
        }
        p { (rich(M::DevIdStops, &[("id", html! { code { (app.client_id) } })])) }
        form method="post" action=(format!("{base}/delete")) {
            input type="hidden" name="csrf" value=(who.csrf);
            div class="actions" {
                a class="button secondary" href=(base) { (t(M::DevCancel)) }
                button type="submit" class="danger-solid" { (t(M::DevDeleteAndRevoke)) }
            }
        }
    };
    page(
        &fill(M::DevDeleteApp, &[("app", &app.name)]),
        who,
        &base,
        body,
    )
}

/// The portal's own styles (on top of the provider's stylesheet).
pub const CSS: &str = r#".card.portal{max-width:760px}
.portal-top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px;margin-bottom:8px}
.portal-top .brand{margin:0}
.portal-top nav{display:flex;align-items:center;gap:12px;font-size:14px;flex-wrap:wrap}
.portal-top nav form{margin:0}
.portal-top nav a,.crumbs a,.app-meta a{color:var(--blue)}
.portal-head{display:flex;align-items:center;justify-content:space-between;gap:12px;flex-wrap:wrap;margin:8px 0}
.crumbs{font-size:13px;color:var(--muted);margin:8px 0}
a.button{display:inline-flex;align-items:center;justify-content:center;text-decoration:none;font-weight:600;border-radius:8px;height:42px;padding:0 18px;border:1px solid transparent}
a.button.secondary{border-color:#c5ced9;color:var(--ink)}
a.button.danger{font-size:15px;border-color:#e9b8c1;color:var(--red)}
.card.portal .actions button,.card.portal a.button{height:auto;min-height:42px;padding:8px 18px;text-align:center;line-height:1.25}
.app-form .actions .primary{margin-top:0}
.card.portal .app-head h1{font-size:21px;font-weight:600}
.danger-solid{background:var(--red);color:#fff}
.danger-solid:hover{background:#a3263d}
textarea,input[type=url]{border:1px solid #c5ced9;border-radius:8px;padding:8px 12px;font:inherit;margin-bottom:4px;background:#fff}
input[type=url]{height:42px}
textarea{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;resize:vertical}
textarea#description{font-family:inherit;font-size:15px}
textarea:focus-visible,input[type=file]:focus-visible,input[type=checkbox]:focus-visible{outline:3px solid #9cc8ff;outline-offset:1px}
[aria-invalid=true]{border-color:var(--red)}
.field-hint{font-size:12.5px;color:var(--muted);margin:0 0 8px}
.field-error{font-size:13.5px;color:#8a1c30;margin:0 0 10px;font-weight:500}
.field-error .code{font-weight:400;color:var(--muted);font-size:12px}
.opt{font-weight:400;color:var(--muted)}
fieldset.scopes-pick{border:1px solid var(--line);border-radius:10px;margin:10px 0 6px;padding:8px 12px}
fieldset.scopes-pick legend{font-size:13px;font-weight:600;padding:0 4px}
label.check{display:flex;gap:8px;align-items:flex-start;font-weight:400;font-size:14px;margin:5px 0}
label.check input{width:16px;height:16px;margin:2px 0 0;accent-color:var(--blue);flex:none}
.logo-now{display:flex;align-items:center;gap:12px;margin:4px 0 8px}
.app-logo{border-radius:10px;flex:none;object-fit:contain;background:#fff}
.app-form .actions,.card.portal .actions{margin-top:14px}
.actions a.button{flex:1}
input.copy{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;width:100%;background:#f5f8fc}
.app-links{display:flex;gap:10px;margin:6px 0 4px;flex-wrap:wrap}
h2.section{font-size:17px;margin:26px 0 6px;padding-top:14px;border-top:1px solid var(--line)}
.owners{margin:8px 0;padding-inline-start:20px}
.owner-form{max-width:360px}
.owner-form .secondary{align-self:flex-start}
.revokes{margin:6px 0 12px;padding-inline-start:20px}
.revokes li{margin:4px 0}
input[type=file]{margin:4px 0}
.templates{list-style:none;padding:0;margin:8px 0}
.templates li{border:1px solid var(--line);border-radius:10px;padding:8px 12px;margin-bottom:8px;overflow-wrap:anywhere}
.templates form{margin:0}
.preview{font-size:14px;margin:4px 0}
.template-form{max-width:480px}
.template-form .secondary{align-self:flex-start}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
"#;
