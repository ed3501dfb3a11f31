//! The languages of the provider's pages (the developer portal's included): the [`Locale`]s (English, French, German, Spanish and
//! Italian, as the controls have; and an operator-only right-to-left pseudo-locale), how a
//! request's locale is negotiated, and the one message catalogue ([`M`], in [`catalogue`]).
//!
//! **Negotiation** ([`negotiate`], run as a middleware on the people-facing routes): OpenID's
//! `ui_locales` (space-separated, the first supported tag wins) on the query, or in the
//! `continue`/`request` form field a page carries the `/authorize` query in (so the choice
//! survives sign-in and consent); else `Accept-Language` by q-value; else English. Malformed
//! values are skipped, never an error. The locale is then held for the request (a task-local,
//! [`current`]); the page shell writes it into `<html lang dir>`.
//!
//! **Adding strings** (e.g. a new page): add one entry to the `catalogue!` list in
//! [`catalogue`] with all five languages (the macro does not compile without each), give it a
//! doc line, and render it with [`t`] (plain text) or [`rich`] (text with `{name}` holes filled
//! with markup, e.g. a bold app name). The tests check every entry is translated (no
//! non-English text equal to the English one unless listed in `SAME_IN_ALL`) and render every
//! page in every locale against the English text set.
//!
//! **Pseudo-locale** `ar-XB`: English wrapped in right-to-left overrides, `dir="rtl"`. Only when
//! the operator turns it on (`--pseudo-locale`, `WL_PSEUDO_LOCALE=1`); for checking the pages'
//! right-to-left layout.

pub mod catalogue;

use std::cell::Cell;
use std::sync::LazyLock;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use maud::{Markup, PreEscaped, html};

pub use catalogue::M;

use crate::state::AppState;

/// A language of the provider's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
    /// French.
    Fr,
    /// German.
    De,
    /// Spanish.
    Es,
    /// Italian.
    It,
    /// The right-to-left pseudo-locale `ar-XB` (operator setting only).
    Pseudo,
}

impl Locale {
    /// The real languages, in the catalogue's order.
    pub const ALL: [Locale; 5] = [Locale::En, Locale::Fr, Locale::De, Locale::Es, Locale::It];

    /// The BCP 47 tag (`<html lang>`).
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
            Locale::De => "de",
            Locale::Es => "es",
            Locale::It => "it",
            Locale::Pseudo => "ar-XB",
        }
    }

    /// The writing direction (`<html dir>`).
    pub const fn dir(self) -> &'static str {
        match self {
            Locale::Pseudo => "rtl",
            _ => "ltr",
        }
    }

    /// The locale of a language tag, matched on its primary language (`de-CH` → German),
    /// case-insensitively; `ar-XB` only when `pseudo` is allowed.
    pub fn from_tag(tag: &str, pseudo: bool) -> Option<Locale> {
        let tag = tag.trim();
        if pseudo && tag.eq_ignore_ascii_case("ar-XB") {
            return Some(Locale::Pseudo);
        }
        let primary = tag.split(['-', '_']).next()?;
        Locale::ALL
            .into_iter()
            .find(|l| primary.eq_ignore_ascii_case(l.tag()))
    }
}

/// The most tags or `Accept-Language` entries looked at (the rest are ignored).
const MAX_TAGS: usize = 32;

/// OpenID `ui_locales`: space-separated tags in order of preference; the first supported wins.
pub fn from_ui_locales(value: &str, pseudo: bool) -> Option<Locale> {
    value
        .split_ascii_whitespace()
        .take(MAX_TAGS)
        .find_map(|t| Locale::from_tag(t, pseudo))
}

/// `Accept-Language` (RFC 9110 §12.5.4): the supported language with the highest q-value (the
/// first listed among equals). Entries with a malformed q-value, or `q=0`, are skipped.
pub fn from_accept_language(value: &str, pseudo: bool) -> Option<Locale> {
    let mut best: Option<(u16, Locale)> = None;
    for entry in value.split(',').take(MAX_TAGS) {
        let mut parts = entry.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let mut q = Some(1000u16);
        for p in parts {
            let p = p.trim();
            if let Some(v) = p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")) {
                q = parse_q(v);
            }
        }
        let (Some(q), Some(l)) = (q, Locale::from_tag(tag, pseudo)) else {
            continue;
        };
        if q > 0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, l));
        }
    }
    best.map(|(_, l)| l)
}

/// A q-value in thousandths (`0`, `0.5`, `1.000`); `None` when malformed.
fn parse_q(v: &str) -> Option<u16> {
    let v = v.trim();
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{frac:0<3}").parse::<u16>().ok()?;
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The `ui_locales` parameter of a query string (`a=1&ui_locales=fr`), if any.
pub fn ui_locales_of_query(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "ui_locales")
        .map(|(_, v)| v.into_owned())
}

/// A request's locale: `ui_locales` in its query, else `Accept-Language`, else English.
pub fn negotiate(query: Option<&str>, accept_language: Option<&str>, pseudo: bool) -> Locale {
    query
        .and_then(ui_locales_of_query)
        .and_then(|v| from_ui_locales(&v, pseudo))
        .or_else(|| accept_language.and_then(|a| from_accept_language(a, pseudo)))
        .unwrap_or_default()
}

tokio::task_local! {
    static CURRENT: Cell<Locale>;
    static PSEUDO: bool;
}

/// The locale of the request being answered (English outside one).
pub fn current() -> Locale {
    CURRENT.try_with(Cell::get).unwrap_or_default()
}

/// A handler that learns a better choice (the `ui_locales` of an `/authorize` query carried in a
/// form field, `query`) switches the request to it.
pub fn prefer_query(query: &str) {
    let pseudo = PSEUDO.try_with(|p| *p).unwrap_or(false);
    if let Some(l) = ui_locales_of_query(query).and_then(|v| from_ui_locales(&v, pseudo)) {
        let _ = CURRENT.try_with(|c| c.set(l));
    }
}

/// Runs `f` with `locale` as the current one (tests, and rendering outside a request).
pub fn with_locale<R>(locale: Locale, f: impl FnOnce() -> R) -> R {
    CURRENT.sync_scope(Cell::new(locale), f)
}

/// The middleware: negotiates the request's locale and answers it in that locale (with
/// `Vary: Accept-Language`).
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let locale = negotiate(req.uri().query(), accept, state.pseudo_locale);
    let pseudo = state.pseudo_locale;
    let mut res = PSEUDO
        .scope(pseudo, CURRENT.scope(Cell::new(locale), next.run(req)))
        .await;
    // The same address answers in another language for another `Accept-Language`.
    res.headers_mut().append(
        header::VARY,
        header::HeaderValue::from_static("Accept-Language"),
    );
    res
}

/// The catalogue's key whose English text is `english`, if any (error titles and messages made
/// in English elsewhere are shown in the request's language this way).
pub fn key_of_english(english: &str) -> Option<M> {
    M::ALL
        .iter()
        .copied()
        .find(|m| m.text(Locale::En) == english)
}

/// `key` in the current locale.
pub fn t(key: M) -> &'static str {
    key.text(current())
}

/// `key` in the current locale with each `{name}` replaced by `value` (plain text).
pub fn fill(key: M, args: &[(&str, &str)]) -> String {
    let mut out = t(key).to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// `key` in the current locale as markup: its text escaped, each `{name}` replaced by the
/// markup given for it (a bold app name, a link).
pub fn rich(key: M, args: &[(&str, Markup)]) -> Markup {
    let mut out = String::new();
    let mut rest = t(key);
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        out.push_str(&html! { (rest[..start]) }.into_string());
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, m)) => out.push_str(&m.0),
            None => out.push_str(&html! { (rest[start..=start + len]) }.into_string()),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(&html! { (rest) }.into_string());
    PreEscaped(out)
}

/// The pseudo-locale's text of every key: English with each run of text between `{holes}`
/// wrapped in a right-to-left override (U+202E … U+202C), so it reads reversed like a
/// right-to-left script while the holes (names, links) stay as they are.
pub(crate) static PSEUDO_TEXT: LazyLock<Vec<String>> = LazyLock::new(|| {
    M::ALL
        .iter()
        .map(|m| {
            let en = m.text(Locale::En);
            let mut out = String::new();
            let mut rest = en;
            let wrap = |s: &str, out: &mut String| {
                if !s.trim().is_empty() {
                    out.push('\u{202E}');
                    out.push_str(s);
                    out.push('\u{202C}');
                } else {
                    out.push_str(s);
                }
            };
            while let Some(start) = rest.find('{') {
                let Some(len) = rest[start..].find('}') else {
                    break;
                };
                wrap(&rest[..start], &mut out);
                out.push_str(&rest[start..=start + len]);
                rest = &rest[start + len + 1..];
            }
            wrap(rest, &mut out);
            out
        })
        .collect()
});

/// An integer written for the request's locale: thousands grouped with `,` in English, a narrow
/// no-break space in French, `.` in German and Italian, and in Spanish `.` from five digits
/// on (CLDR's minimum grouping: `1234`, `12.345`).
pub fn number(n: i64) -> String {
    let (sep, min_digits) = match current() {
        Locale::En | Locale::Pseudo => (",", 4),
        Locale::Fr => ("\u{202f}", 4),
        Locale::De | Locale::It => (".", 4),
        Locale::Es => (".", 5),
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && digits.len() >= min_digits && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A date (`23 Nov 2026`, `23 nov. 2026`, `23. Nov. 2026`, …; UTC) in the current locale.
pub fn date(secs: i64) -> String {
    let (y, m, d, ..) = crate::clock::civil(secs);
    // The pseudo-locale's dates stay English (no override marks inside a date).
    let l = match current() {
        Locale::Pseudo => Locale::En,
        l => l,
    };
    let month = M::MonthsShort
        .text(l)
        .split(' ')
        .nth((m - 1).clamp(0, 11) as usize)
        .unwrap_or_default();
    M::DateFormat
        .text(l)
        .replace("{d}", &d.to_string())
        .replace("{m}", month)
        .replace("{y}", &y.to_string())
}

/// A date and time (`23 Nov 2026, 14:05 UTC`) in the current locale.
pub fn date_time(secs: i64) -> String {
    let (_, _, _, h, mi, _) = crate::clock::civil(secs);
    fill(
        M::DateTimeFormat,
        &[("date", &date(secs)), ("time", &format!("{h:02}:{mi:02}"))],
    )
}

#[cfg(test)]
mod tests;
