//! The application service: registering, editing and deleting apps, and their owners, with
//! every check on what an app says about itself (name, description, terms and privacy links,
//! logo, redirect URIs, origins, scopes). The CLI (`wl-server apps …`) and the developer portal
//! (`/developers`) both call it: the rules are written once, here. The rows are
//! [`crate::store::apps`], re-exported here.

use crate::crypto::random_hex;
use crate::error::AppError;
use crate::store::apps::{AppFields, InForce, LogoChange};
use crate::store::db::Db;

pub use crate::store::apps::{App, find, list, origin_registered};

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL, if it is one.
pub fn origin_of(uri: &str) -> Option<String> {
    let url = url::Url::parse(uri).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

/// Whether plain http is allowed for this host: loopback (127.0.0.0/8, `::1`) and `localhost`
/// (and its subdomains, which resolve to loopback, RFC 6761 §6.3).
fn loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

/// https, or http on a loopback host; otherwise says why not.
fn check_scheme(what: &str, value: &str, url: &url::Url) -> Result<(), AppError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback_host(url) => Ok(()),
        "http" => Err(AppError::Invalid(format!(
            "{what} `{value}` must use https: plain http is allowed only for loopback \
             (127.0.0.1, [::1]) and localhost"
        ))),
        _ => Err(AppError::Invalid(format!(
            "{what} `{value}` must be https (or http on loopback or localhost)"
        ))),
    }
}

/// Checks a redirect URI for registration: absolute, https (plain http only on loopback and
/// `localhost`), no fragment.
pub fn validate_redirect_uri(uri: &str) -> Result<(), AppError> {
    let url = url::Url::parse(uri)
        .map_err(|e| AppError::Invalid(format!("redirect URI `{uri}` is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.fragment().is_some() {
        return Err(AppError::Invalid(format!(
            "redirect URI `{uri}` must be http(s) without a #fragment"
        )));
    }
    check_scheme("redirect URI", uri, &url)
}

/// Checks an origin for registration: exactly `scheme://host[:port]`, https (plain http only
/// on loopback and `localhost`).
pub fn validate_origin(origin: &str) -> Result<(), AppError> {
    match origin_of(origin) {
        Some(o) if o == origin => {
            let url = url::Url::parse(origin)
                .map_err(|e| AppError::Invalid(format!("origin `{origin}`: {e}")))?;
            check_scheme("origin", origin, &url)
        }
        _ => Err(AppError::Invalid(format!(
            "origin `{origin}` must look like https://host[:port] (no path, no trailing slash)"
        ))),
    }
}

/// Whether the app may request `scope` (its developer chose the scopes it may request; none
/// chosen: every scope).
pub fn may_request(app: &App, scope: &str) -> bool {
    app.allowed_scopes
        .as_deref()
        .is_none_or(|list| list.split_whitespace().any(|s| s == scope))
}

/// The longest name, in characters.
pub const MAX_NAME: usize = 80;
/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 500;
/// The largest logo upload, in bytes.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;
/// The largest side of a stored logo, in pixels.
pub const LOGO_SIDE: u32 = 128;
/// The most redirect URIs (and origins) one app may have.
pub const MAX_URIS: usize = 20;

/// The field of an app a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `name`.
    Name,
    /// `description`.
    Description,
    /// `terms_url`.
    TermsUrl,
    /// `privacy_url`.
    PrivacyUrl,
    /// `redirect_uris`.
    RedirectUris,
    /// `origins`.
    Origins,
    /// `scopes`.
    Scopes,
    /// `logo`.
    Logo,
    /// `owner` (a username to add as an owner).
    Owner,
    /// `template_name` (an activity template's name).
    TemplateName,
    /// `template_text` (an activity template's text).
    TemplateText,
}

impl Field {
    /// The form field's name (and the CLI option's, with `-` for `_`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Description => "description",
            Self::TermsUrl => "terms_url",
            Self::PrivacyUrl => "privacy_url",
            Self::RedirectUris => "redirect_uris",
            Self::Origins => "origins",
            Self::Scopes => "scopes",
            Self::Logo => "logo",
            Self::Owner => "owner",
            Self::TemplateName => "template_name",
            Self::TemplateText => "template_text",
        }
    }
}

/// One problem with what was submitted: the field, a stable code, and what to do, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field it is about.
    pub field: Field,
    /// A stable code (`redirect_uri_duplicate`, `logo_too_large`, …).
    pub code: &'static str,
    /// What is wrong, in plain words.
    pub message: String,
}

fn field_error(field: Field, code: &'static str, message: impl Into<String>) -> FieldError {
    let message: String = message.into();
    let mut chars = message.chars();
    let message = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => message,
    };
    FieldError {
        field,
        code,
        message,
    }
}

/// Why the application service refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppsError {
    /// What was submitted is not acceptable; nothing was saved.
    #[error("{}", .0.iter().map(|e| format!("{}: {} ({})", e.field.name(), e.message, e.code)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// There is no app with that client id.
    #[error("there is no app `{0}`")]
    NoSuchApp(String),
    /// Anything else (storage).
    #[error(transparent)]
    Other(#[from] AppError),
}

impl From<crate::store::DbError> for AppsError {
    fn from(e: crate::store::DbError) -> Self {
        Self::Other(AppError::Db(e))
    }
}

impl From<AppsError> for AppError {
    fn from(e: AppsError) -> Self {
        match e {
            AppsError::Other(e) => e,
            AppsError::NoSuchApp(_) => AppError::NotFound,
            e @ AppsError::Invalid(_) => AppError::Invalid(e.to_string()),
        }
    }
}

/// What a developer says about an app, as typed (the form's fields, the CLI's options):
/// [`register`] and [`edit`] check all of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppInput {
    /// The name people see on the consent screen.
    pub name: String,
    /// What the app does (may be empty).
    pub description: String,
    /// The terms-of-use URL (empty: none).
    pub terms_url: String,
    /// The privacy URL (empty: none).
    pub privacy_url: String,
    /// Exact redirect URIs (blank entries are ignored).
    pub redirect_uris: Vec<String>,
    /// Allowed browser origins (blank entries are ignored; none: the redirect URIs' origins).
    pub origins: Vec<String>,
    /// The scopes the app may request (`None`: every scope the provider knows).
    pub scopes: Option<Vec<String>>,
}

impl AppInput {
    /// The input that describes `app` as it is (the start of an edit).
    pub fn of(app: &App) -> Self {
        Self {
            name: app.name.clone(),
            description: app.description.clone(),
            terms_url: app.terms_url.clone().unwrap_or_default(),
            privacy_url: app.privacy_url.clone().unwrap_or_default(),
            redirect_uris: app.redirect_uris.clone(),
            origins: app.origins.clone(),
            scopes: app
                .allowed_scopes
                .as_ref()
                .map(|s| s.split_whitespace().map(str::to_owned).collect()),
        }
    }
}

/// What happens to the logo on a registration or an edit.
#[derive(Debug, Clone, Default)]
pub enum LogoInput {
    /// Nothing is uploaded: a new app has none, an edited one keeps its own.
    #[default]
    Keep,
    /// The logo is removed.
    Remove,
    /// These bytes were uploaded (checked and re-encoded by [`reencode_logo`]).
    Upload(Vec<u8>),
}

/// [`AppInput`] once checked.
#[derive(Debug)]
struct Checked {
    name: String,
    description: String,
    terms_url: Option<String>,
    privacy_url: Option<String>,
    redirect_uris: Vec<String>,
    origins: Vec<String>,
    scopes: Option<String>,
    logo: Option<Vec<u8>>,
}

impl Checked {
    fn fields(&self) -> AppFields<'_> {
        AppFields {
            name: &self.name,
            description: &self.description,
            terms_url: self.terms_url.as_deref(),
            privacy_url: self.privacy_url.as_deref(),
            allowed_scopes: self.scopes.as_deref(),
            redirect_uris: &self.redirect_uris,
            origins: &self.origins,
        }
    }
}

/// Entries with surrounding blanks trimmed and empty ones dropped.
fn entries(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The first entry that appears twice, if any.
fn duplicate(list: &[String]) -> Option<&str> {
    let mut seen = std::collections::HashSet::new();
    list.iter().map(String::as_str).find(|s| !seen.insert(*s))
}

/// An optional https link (terms, privacy): empty is none; otherwise https (http only on
/// loopback), absolute, no credentials.
fn check_link(field: Field, what: &str, value: &str) -> Result<Option<String>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let code = match field {
        Field::TermsUrl => "terms_url_invalid",
        _ => "privacy_url_invalid",
    };
    let url = url::Url::parse(value)
        .map_err(|e| field_error(field, code, format!("{what} `{value}` is not a URL: {e}")))?;
    check_scheme(what, value, &url).map_err(|e| field_error(field, code, e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(field_error(
            field,
            code,
            format!("{what} `{value}` must not contain a user name or password"),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// Checks everything an [`AppInput`] says, collecting every problem (one per field).
fn check(input: &AppInput, logo: &LogoInput) -> Result<Checked, AppsError> {
    let mut errors = Vec::new();
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        errors.push(field_error(
            Field::Name,
            "name_missing",
            "The app needs a name.",
        ));
    } else if name.chars().count() > MAX_NAME {
        errors.push(field_error(
            Field::Name,
            "name_too_long",
            format!("The name is too long: at most {MAX_NAME} characters."),
        ));
    } else if name.chars().any(char::is_control) {
        errors.push(field_error(
            Field::Name,
            "name_invalid",
            "The name must be one line of text.",
        ));
    }
    let description = input.description.trim().replace("\r\n", "\n");
    if description.chars().count() > MAX_DESCRIPTION {
        errors.push(field_error(
            Field::Description,
            "description_too_long",
            format!(
                "The description is too long: {} characters, at most {MAX_DESCRIPTION}.",
                description.chars().count()
            ),
        ));
    }
    let terms_url = check_link(Field::TermsUrl, "terms-of-use URL", &input.terms_url)
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        });
    let privacy_url = check_link(Field::PrivacyUrl, "privacy URL", &input.privacy_url)
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        });

    let redirect_uris = entries(&input.redirect_uris);
    if redirect_uris.is_empty() {
        errors.push(field_error(
            Field::RedirectUris,
            "redirect_uri_missing",
            "The app needs at least one redirect URI.",
        ));
    } else if redirect_uris.len() > MAX_URIS {
        errors.push(field_error(
            Field::RedirectUris,
            "redirect_uri_too_many",
            format!("At most {MAX_URIS} redirect URIs."),
        ));
    } else if let Some(d) = duplicate(&redirect_uris) {
        errors.push(field_error(
            Field::RedirectUris,
            "redirect_uri_duplicate",
            format!("The redirect URI `{d}` is listed twice: list each once."),
        ));
    } else if let Some(e) = redirect_uris
        .iter()
        .find_map(|u| validate_redirect_uri(u).err())
    {
        errors.push(field_error(
            Field::RedirectUris,
            "redirect_uri_invalid",
            e.to_string(),
        ));
    }

    let typed_origins = entries(&input.origins);
    let mut origins = typed_origins.clone();
    if typed_origins.len() > MAX_URIS {
        errors.push(field_error(
            Field::Origins,
            "origin_too_many",
            format!("At most {MAX_URIS} origins."),
        ));
    } else if let Some(d) = duplicate(&typed_origins) {
        errors.push(field_error(
            Field::Origins,
            "origin_duplicate",
            format!("The origin `{d}` is listed twice: list each once."),
        ));
    } else if let Some(e) = typed_origins.iter().find_map(|o| validate_origin(o).err()) {
        errors.push(field_error(Field::Origins, "origin_invalid", e.to_string()));
    } else if typed_origins.is_empty() {
        origins = redirect_uris.iter().filter_map(|u| origin_of(u)).collect();
    }
    origins.sort();
    origins.dedup();

    let scopes = match &input.scopes {
        None => None,
        Some(list) => {
            let list = entries(list);
            if list.is_empty() {
                errors.push(field_error(
                    Field::Scopes,
                    "scopes_missing",
                    "Pick at least one scope the app may request.",
                ));
                None
            } else if let Some(unknown) = list.iter().find(|s| super::scopes::find(s).is_none()) {
                errors.push(field_error(
                    Field::Scopes,
                    "scope_unknown",
                    format!("The scope `{unknown}` is not one this provider knows."),
                ));
                None
            } else {
                // In the provider's order, each once.
                let names: Vec<&str> = super::scopes::ALL
                    .iter()
                    .map(|s| s.name)
                    .filter(|n| list.iter().any(|s| s == n))
                    .collect();
                Some(names.join(" "))
            }
        }
    };

    let logo = match logo {
        LogoInput::Upload(bytes) => match reencode_logo(bytes) {
            Ok(png) => Some(png),
            Err(e) => {
                errors.push(e);
                None
            }
        },
        _ => None,
    };

    if !errors.is_empty() {
        return Err(AppsError::Invalid(errors));
    }
    Ok(Checked {
        name,
        description,
        terms_url,
        privacy_url,
        redirect_uris,
        origins,
        scopes,
        logo,
    })
}

/// Checks an uploaded logo and re-encodes it: PNG or JPEG, at most [`MAX_LOGO_BYTES`], that
/// decodes (dimensions at most 4096 × 4096), scaled down to fit [`LOGO_SIDE`] × [`LOGO_SIDE`]
/// and written as a fresh PNG (nothing of the uploaded file is kept: no metadata, no trailing
/// bytes).
pub fn reencode_logo(bytes: &[u8]) -> Result<Vec<u8>, FieldError> {
    use crate::images::{self, ImageProblem, ImageRules};
    use image::ImageFormat;
    const RULES: ImageRules = ImageRules {
        max_bytes: MAX_LOGO_BYTES,
        max_side: 4096,
        max_alloc: 64 * 1024 * 1024,
        formats: &[ImageFormat::Png, ImageFormat::Jpeg],
    };
    let problem = |p: ImageProblem| match p {
        ImageProblem::Empty => field_error(Field::Logo, "logo_empty", "The logo file is empty."),
        ImageProblem::TooLarge { size, max } => field_error(
            Field::Logo,
            "logo_too_large",
            format!(
                "The logo is too large: {} KB, at most {} KB.",
                size.div_ceil(1024),
                max / 1024
            ),
        ),
        ImageProblem::Type => field_error(
            Field::Logo,
            "logo_type",
            "The logo must be a PNG or JPEG image.",
        ),
        ImageProblem::Dimensions(e) | ImageProblem::Unreadable(e) => field_error(
            Field::Logo,
            "logo_unreadable",
            format!("The logo could not be read as an image: {e}"),
        ),
    };
    let (img, _) = images::decode_checked(bytes, &RULES).map_err(problem)?;
    images::encode(&images::fit(&img, LOGO_SIDE), ImageFormat::Png).map_err(problem)
}

/// Registers an app and returns it; with `owner` (a person id), that person owns it.
pub async fn register(
    db: &Db,
    input: &AppInput,
    logo: &LogoInput,
    owner: Option<&str>,
    now: i64,
) -> Result<App, AppsError> {
    let checked = check(input, logo)?;
    let client_id = random_hex(16);
    crate::store::apps::insert(
        db,
        &client_id,
        &checked.fields(),
        checked.logo.as_deref(),
        owner,
        now,
    )
    .await?;
    find(&mut *db.conn().await?, &client_id)
        .await?
        .ok_or_else(|| AppsError::Other(AppError::Internal("app vanished".into())))
}

/// Changes an app to what `input` says (all of it: every field is replaced), and its logo as
/// `logo` says; returns it as stored.
pub async fn edit(
    db: &Db,
    client_id: &str,
    input: &AppInput,
    logo: &LogoInput,
) -> Result<App, AppsError> {
    let checked = check(input, logo)?;
    let change = match (logo, &checked.logo) {
        (_, Some(png)) => LogoChange::Set(png),
        (LogoInput::Remove, None) => LogoChange::Remove,
        _ => LogoChange::Keep,
    };
    if !crate::store::apps::update(db, client_id, &checked.fields(), change).await? {
        return Err(AppsError::NoSuchApp(client_id.to_owned()));
    }
    find(&mut *db.conn().await?, client_id)
        .await?
        .ok_or_else(|| AppsError::NoSuchApp(client_id.to_owned()))
}

/// What deleting the app would revoke now (the confirmation step names it).
pub async fn deletion_preview(db: &Db, client_id: &str, now: i64) -> Result<InForce, AppsError> {
    Ok(crate::store::apps::in_force(&mut *db.conn().await?, client_id, now).await?)
}

/// Deletes an app: every grant, token and code issued to it goes in the same transaction, and
/// the token caches (this instance's and, over the bus, the others') forget its grants. Returns
/// what was in force just before.
pub async fn delete(tokens: &super::tokens::Tokens, client_id: &str) -> Result<InForce, AppsError> {
    let now = tokens.clock.now();
    let before = deletion_preview(&tokens.db, client_id, now).await?;
    let Some(grant_ids) = crate::store::apps::delete(&tokens.db, client_id).await? else {
        return Err(AppsError::NoSuchApp(client_id.to_owned()));
    };
    for g in &grant_ids {
        tokens.tokens.forget_grant(g);
    }
    tracing::info!(client_id, grants = grant_ids.len(), "app deleted");
    Ok(before)
}

/// Makes the person with `username` an owner of the app; returns their person id.
pub async fn add_owner(
    db: &Db,
    client_id: &str,
    username: &str,
    now: i64,
) -> Result<String, AppsError> {
    if find(&mut *db.conn().await?, client_id).await?.is_none() {
        return Err(AppsError::NoSuchApp(client_id.to_owned()));
    }
    let person_id = person_named(db, username).await?;
    crate::store::apps::add_owner(&mut *db.conn().await?, client_id, &person_id, now).await?;
    Ok(person_id)
}

/// The id of the person with `username` (who is to own an app); `owner_unknown` if nobody.
pub async fn person_named(db: &Db, username: &str) -> Result<String, AppsError> {
    let username = username.trim();
    match super::people::by_username(&mut *db.conn().await?, username).await? {
        Some((person, _)) => Ok(person.id),
        None => Err(AppsError::Invalid(vec![field_error(
            Field::Owner,
            "owner_unknown",
            format!("There is nobody with the username `{username}`."),
        )])),
    }
}

/// The apps the person owns, by name.
pub async fn owned_by(db: &Db, person_id: &str) -> Result<Vec<App>, AppsError> {
    let mut c = db.conn().await?;
    let ids = crate::store::apps::owned_by(&mut c, person_id).await?;
    let mut apps = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(app) = find(&mut c, &id).await? {
            apps.push(app);
        }
    }
    Ok(apps)
}

/// The usernames of the app's owners, oldest first.
pub async fn owner_usernames(db: &Db, client_id: &str) -> Result<Vec<String>, AppsError> {
    let mut c = db.conn().await?;
    let ids = crate::store::apps::owners(&mut c, client_id).await?;
    let mut names = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(p) = super::people::by_id(&mut c, &id).await? {
            names.push(p.username);
        }
    }
    Ok(names)
}

pub use crate::store::apps::AppTemplate;

/// The app's own activity templates, by name.
pub async fn templates(db: &Db, client_id: &str) -> Result<Vec<AppTemplate>, AppsError> {
    Ok(crate::store::apps::templates(&mut *db.conn().await?, client_id).await?)
}

/// The text of the app's own activity template `name`, if it has one.
pub async fn custom_template(
    db: &Db,
    client_id: &str,
    name: &str,
) -> Result<Option<String>, AppError> {
    Ok(crate::store::apps::template(&mut *db.conn().await?, client_id, name).await?)
}

/// Adds an activity template to the app: a name (`a-z`, digits, `_`, at most 40, not a
/// built-in template's) and one line of text whose placeholders are only
/// [`super::app_templates::CUSTOM_PLACEHOLDERS`].
pub async fn add_template(
    db: &Db,
    client_id: &str,
    name: &str,
    text: &str,
    now: i64,
) -> Result<AppTemplate, AppsError> {
    use super::app_templates as templates;
    let name = name.trim();
    let text = text.trim();
    let mut errors = Vec::new();
    let name_ok = !name.is_empty()
        && name.len() <= 40
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !name_ok {
        errors.push(field_error(
            Field::TemplateName,
            "template_name_invalid",
            "The name must start with a-z and use only a-z, 0-9 and _ (at most 40).",
        ));
    } else if templates::BUILT_IN.contains(&name) {
        errors.push(field_error(
            Field::TemplateName,
            "template_name_taken",
            format!("The name `{name}` is a built-in template's: choose another."),
        ));
    }
    if let Err((code, message)) = templates::check_custom(text) {
        errors.push(field_error(Field::TemplateText, code, message));
    }
    if !errors.is_empty() {
        return Err(AppsError::Invalid(errors));
    }
    if !crate::store::apps::add_template(&mut *db.conn().await?, client_id, name, text, now).await?
    {
        return Err(AppsError::Invalid(vec![field_error(
            Field::TemplateName,
            "template_name_taken",
            format!("The app already has a template `{name}`."),
        )]));
    }
    Ok(AppTemplate {
        name: name.to_owned(),
        text: text.to_owned(),
    })
}

/// Removes one of the app's activity templates; false when it had none of that name.
pub async fn remove_template(db: &Db, client_id: &str, name: &str) -> Result<bool, AppsError> {
    Ok(crate::store::apps::remove_template(&mut *db.conn().await?, client_id, name).await?)
}

/// Registers an app with a name, redirect URIs and origins only (tests, scripts): the same
/// checks as [`register`].
pub async fn add(
    db: &Db,
    name: &str,
    redirect_uris: &[String],
    origins: &[String],
    now: i64,
) -> Result<App, AppError> {
    let input = AppInput {
        name: name.to_owned(),
        redirect_uris: redirect_uris.to_vec(),
        origins: origins.to_vec(),
        ..Default::default()
    };
    Ok(register(db, &input, &LogoInput::Keep, None, now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/callback.html").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("https://example.com/a").as_deref(),
            Some("https://example.com")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert!(validate_origin("http://localhost:3000").is_ok());
        assert!(validate_origin("http://localhost:3000/").is_err());
        assert!(validate_redirect_uri("http://a/cb#x").is_err());
    }

    #[test]
    fn https_except_loopback_and_localhost() {
        for ok in [
            "https://example.com/cb",
            "http://127.0.0.1:8080/callback.html",
            "http://127.8.9.10/cb",
            "http://[::1]:3000/cb",
            "http://localhost:3000/cb",
            "http://app.localhost/cb",
        ] {
            assert!(validate_redirect_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/cb",
            "http://128.0.0.1/cb",
            "http://10.0.0.1/cb",
            "http://localhost.example.com/cb",
            "http://[::2]/cb",
            "ftp://localhost/cb",
        ] {
            let e = validate_redirect_uri(bad).unwrap_err().to_string();
            assert!(e.contains(bad), "{bad}: {e}");
        }
        assert!(validate_origin("https://example.com").is_ok());
        assert!(validate_origin("http://127.0.0.1:5173").is_ok());
        let e = validate_origin("http://example.com")
            .unwrap_err()
            .to_string();
        assert!(e.contains("must use https"), "{e}");
    }

    /// A PNG of `w` × `h` (one colour).
    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([1, 2, 3, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// A PNG whose header claims `w` × `h` pixels, with almost no data behind it.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let start = out.len();
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let crc = crc32(&out[start..]);
            out.extend_from_slice(&crc.to_be_bytes());
        }
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xFFFF_FFFFu32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(
            &mut out,
            b"IDAT",
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        );
        chunk(&mut out, b"IEND", &[]);
        out
    }

    #[test]
    fn logos_are_checked_and_reencoded() {
        // Scaled down to fit 128 × 128, aspect kept; small ones keep their size.
        let out = reencode_logo(&png(512, 256)).unwrap();
        let img = image::load_from_memory(&out).unwrap();
        assert_eq!((img.width(), img.height()), (128, 64));
        let img = image::load_from_memory(&reencode_logo(&png(20, 30)).unwrap()).unwrap();
        assert_eq!((img.width(), img.height()), (20, 30));
        // Bytes after the image are not kept (the output is a fresh encoding).
        let mut trailing = png(16, 16);
        trailing.extend_from_slice(b"<script>alert(1)</script>");
        let out = reencode_logo(&trailing).unwrap();
        assert!(!out.windows(7).any(|w| w == b"<script"));

        let code = |bytes: &[u8]| reencode_logo(bytes).unwrap_err().code;
        assert_eq!(code(&[]), "logo_empty");
        assert_eq!(code(&vec![0u8; MAX_LOGO_BYTES + 1]), "logo_too_large");
        assert_eq!(code(b"GIF89a\x01\x00\x01\x00"), "logo_type");
        assert_eq!(
            code(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "logo_type"
        );
        assert_eq!(code(b"\xff\xd8\xff\xe0 not a jpeg"), "logo_unreadable");
        // A decompression bomb: a header claiming 60000 × 60000 is refused before decoding.
        assert_eq!(code(&png_claiming(60_000, 60_000)), "logo_unreadable");
        assert_eq!(code(&png_claiming(5000, 10)), "logo_unreadable");
    }

    #[test]
    fn field_errors_have_codes_and_nothing_half_checked() {
        let good = AppInput {
            name: "App".into(),
            redirect_uris: vec!["https://a.example/cb".into()],
            ..Default::default()
        };
        assert!(check(&good, &LogoInput::Keep).is_ok());
        let bad = AppInput {
            name: String::new(),
            description: "x".repeat(MAX_DESCRIPTION + 1),
            terms_url: "ftp://a.example/t".into(),
            redirect_uris: vec![
                "https://a.example/cb".into(),
                " https://a.example/cb ".into(),
            ],
            origins: vec!["https://a.example/".into()],
            scopes: Some(vec!["wl.nope".into()]),
            ..Default::default()
        };
        let Err(AppsError::Invalid(errors)) = check(&bad, &LogoInput::Upload(b"GIF8".to_vec()))
        else {
            panic!("refused");
        };
        let codes: Vec<&str> = errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                "name_missing",
                "description_too_long",
                "terms_url_invalid",
                "redirect_uri_duplicate",
                "origin_invalid",
                "scope_unknown",
                "logo_type"
            ]
        );
        assert!(
            errors
                .iter()
                .all(|e| e.message.starts_with(char::is_uppercase))
        );
    }

    #[test]
    fn allowed_scopes() {
        let mut app = App::default();
        assert!(may_request(&app, "wl.contacts"));
        app.allowed_scopes = Some("openid wl.basic".into());
        assert!(may_request(&app, "wl.basic"));
        assert!(!may_request(&app, "wl.contacts"));
        assert!(!may_request(&app, "wl"));
    }
}
