//! Time from the browser: now, and a local short time for an RFC 3339 string (JavaScript's
//! `Date` and `Intl`, without a time zone table in the wasm).

use crate::edge::js::{self, JsDate};

/// Milliseconds since the epoch.
#[inline]
pub fn now() -> f64 {
    js::date_now()
}

/// A local short time (`14:05`, or `02:05 PM` where the browser's locale says so) for an
/// RFC 3339 string; empty for an empty or invalid one.
#[inline]
pub fn short_time(rfc3339: &str) -> String {
    if rfc3339.is_empty() {
        return String::new();
    }
    let d = JsDate::new(rfc3339);
    if d.get_time().is_nan() {
        return String::new();
    }
    let opts = js::object_of(&[("hour", Some("2-digit")), ("minute", Some("2-digit"))]);
    d.to_locale_time_string("default", &opts)
}
