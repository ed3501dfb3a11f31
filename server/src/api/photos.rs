//! Photo albums and photos (`wl.photos`: read and upload; Live Connect's separate
//! `wl.skydrive_update` is folded in, as `wl.contacts` covers adding contacts).
//!
//! - `GET /v1/me/albums`, `GET /v1/me/albums/{album_id}/photos`: OData collections (`$filter`,
//!   `$orderby`, `$top`, `$skip`, `$select`, `$count`), as every `/v1` collection.
//! - `POST /v1/me/albums`: `{ "name": "…", "description": "…" }` → 201 with the album.
//! - `POST /v1/me/albums/{album_id}/photos?name=…&description=…`: the body **is** the image
//!   (raw bytes, any `Content-Type: image/…` or `application/octet-stream`; no multipart). The
//!   type is read from the magic bytes (JPEG, PNG, GIF, WebP), never from the header; at most
//!   [`MAX_UPLOAD`] bytes and [`MAX_SIDE`] pixels a side (checked in the header, before
//!   decoding: a decompression bomb is refused without inflating it). The image is decoded and
//!   re-encoded (JPEG stays JPEG, the others become PNG; the first frame of an animation) in
//!   three sizes: `full` (≤ 2048 px), `normal` (≤ 320 px) and `thumbnail` (≤ 96 px). Nothing
//!   of the uploaded file is kept.
//! - `GET /v1/me/photos/{photo_id}`: one photo's metadata, with `source` (the full size),
//!   `picture` (the thumbnail) and `images` (`full`, `normal`, `thumbnail` URLs).
//! - `GET /v1/photos/{key}/{size}`: the image bytes, **without a token**: the URL is a
//!   capability (128 random bits, only ever shown to a token of the owner with `wl.photos`), so
//!   an `<img src>` works. `Cache-Control: private, max-age=31536000, immutable` (the bytes
//!   of a key never change), `X-Content-Type-Options: nosniff`, a `default-src 'none'` CSP and
//!   `Cross-Origin-Resource-Policy: cross-origin` (a site may show its person's photos).
//!
//! Errors: 400 `request_body_invalid` (a body that is not an image type), 413
//! `photo_too_large`, 415 `photo_type_unsupported` (magic bytes of no accepted type),
//! 400 `photo_dimensions_too_large`, 400 `photo_unreadable`, 400 `photo_empty`, 404
//! `resource_not_found` (an album or photo that is not the token's person's), 409
//! `resource_quota_exceeded` (per-person caps: [`crate::store::photos::MAX_ALBUMS`] albums,
//! [`crate::store::photos::MAX_PHOTOS`] photos, [`crate::store::photos::MAX_PHOTO_STORAGE`]
//! bytes). Nothing is written unless everything passed.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use image::ImageFormat;
use serde_json::Value;

use super::collections::{self, Collection, Place};
use super::error::{ApiError, ApiResult};
use crate::error::AppError;
use crate::identity::userinfo::Bearer;
use crate::images::{self, ImageProblem, ImageRules};
use crate::odata::{CompareOp, Expr, Value as OValue};
use crate::state::AppState;
use crate::store::photos::{
    self as store, ALBUM_ROWS, NewPhoto, PHOTO_ROWS, PhotoWriteError, Size,
};

/// The scope of every photo call.
pub const SCOPE: &str = "wl.photos";
/// `GET` and `POST /v1/me/albums`.
pub const ALBUMS: Place = Place {
    path: "/v1/me/albums",
    scope: SCOPE,
};
/// `GET` and `POST /v1/me/albums/{album_id}/photos`.
pub const ALBUM_PHOTOS: Place = Place {
    path: "/v1/me/albums/{album_id}/photos",
    scope: SCOPE,
};
/// `GET /v1/me/photos/{photo_id}`.
pub const PHOTO: Place = Place {
    path: "/v1/me/photos/{photo_id}",
    scope: SCOPE,
};
/// `GET /v1/photos/{key}/{size}` (no token: the key is the capability).
pub const IMAGE_PATH: &str = "/v1/photos/{key}/{size}";

/// The largest upload, in bytes.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// The largest width or height an upload's header may claim.
pub const MAX_SIDE: u32 = 5000;
/// The longest album or photo name, in characters.
pub const MAX_NAME: usize = 200;
/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 1000;

const RULES: ImageRules = ImageRules {
    max_bytes: MAX_UPLOAD,
    max_side: MAX_SIDE,
    max_alloc: 128 * 1024 * 1024,
    formats: &[
        ImageFormat::Jpeg,
        ImageFormat::Png,
        ImageFormat::Gif,
        ImageFormat::WebP,
    ],
};

impl From<PhotoWriteError> for ApiError {
    fn from(e: PhotoWriteError) -> Self {
        match e {
            PhotoWriteError::NoAlbum => AppError::NotFound.into(),
            PhotoWriteError::Full(message) => AppError::Page {
                status: StatusCode::CONFLICT,
                code: crate::store::collections::CapError::CODE,
                title: "Storage full",
                message,
            }
            .into(),
            PhotoWriteError::Db(e) => e.into(),
        }
    }
}

fn photo_error(status: StatusCode, code: &'static str, message: String) -> ApiError {
    AppError::Page {
        status,
        code,
        title: "Photo refused",
        message,
    }
    .into()
}

impl From<ImageProblem> for ApiError {
    fn from(p: ImageProblem) -> Self {
        let message = format!(
            "{}{}",
            p.to_string().get(..1).unwrap_or("").to_uppercase(),
            p.to_string().get(1..).unwrap_or("")
        );
        match p {
            ImageProblem::Empty => photo_error(StatusCode::BAD_REQUEST, "photo_empty", message),
            ImageProblem::TooLarge { .. } => {
                photo_error(StatusCode::PAYLOAD_TOO_LARGE, "photo_too_large", message)
            }
            ImageProblem::Type => photo_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "photo_type_unsupported",
                "The file must be a JPEG, PNG, GIF or WebP image (its content is checked, not its name or Content-Type).".into(),
            ),
            ImageProblem::Dimensions(_) => {
                photo_error(StatusCode::BAD_REQUEST, "photo_dimensions_too_large", message)
            }
            ImageProblem::Unreadable(_) => {
                photo_error(StatusCode::BAD_REQUEST, "photo_unreadable", message)
            }
        }
    }
}

fn scope(tok: &crate::identity::tokens::TokenInfo) -> ApiResult<()> {
    if tok.scopes.contains(SCOPE) {
        Ok(())
    } else {
        Err(AppError::InsufficientScope(SCOPE).into())
    }
}

/// A name or description: trimmed, no control characters, at most `max` characters.
pub(crate) fn text(field: &str, value: &str, max: usize) -> ApiResult<String> {
    let s = value.trim();
    if s.chars().count() > max {
        return Err(ApiError::body(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(ApiError::body(field, "must not contain control characters"));
    }
    Ok(s.to_owned())
}

fn album_photos(album_id: &str) -> Collection {
    Collection::new(ALBUM_PHOTOS, &PHOTO_ROWS).within(
        format!("/v1/me/albums/{album_id}/photos"),
        SCOPE,
        Some(Expr::Compare {
            field: "parent_id".into(),
            op: CompareOp::Eq,
            value: OValue::String(album_id.to_owned()),
        }),
    )
}

/// `GET /v1/me/albums`.
pub async fn list_albums(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    collections::query(
        &state,
        &tok,
        raw.as_deref(),
        &Collection::new(ALBUMS, &ALBUM_ROWS),
    )
    .await
}

/// `POST /v1/me/albums`.
pub async fn create_album(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    scope(&tok)?;
    let map = super::calendars::json_object(&headers, body, "{\"name\":\"Holidays\"}")?;
    let mut name = None;
    let mut description = None;
    for (key, value) in &map {
        let s = match value {
            Value::String(s) => Some(s.as_str()),
            Value::Null => None,
            _ => return Err(ApiError::body(key, "must be a string")),
        };
        match key.as_str() {
            "name" => name = s.map(|s| text(key, s, MAX_NAME)).transpose()?,
            "description" => description = s.map(|s| text(key, s, MAX_DESCRIPTION)).transpose()?,
            k => {
                return Err(ApiError::body(
                    k,
                    "is not an album field you can set (known: name, description)",
                ));
            }
        }
    }
    let name = name
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::body("name", "an album needs a name"))?;
    let description = description.filter(|d| !d.is_empty());
    let id = store::insert_album(
        &state.db,
        &tok.person_id,
        &name,
        description.as_deref(),
        state.clock.now(),
    )
    .await?;
    let album = collections::item(
        &state,
        &tok.person_id,
        &Collection::new(ALBUMS, &ALBUM_ROWS),
        &id,
    )
    .await?
    .ok_or_else(|| AppError::Internal(format!("album {id} vanished after insert")))?;
    Ok((StatusCode::CREATED, Json(album)).into_response())
}

/// `GET /v1/me/albums/{album_id}/photos`.
pub async fn list_photos(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(album_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    scope(&tok)?;
    if !store::album_is_owned(&mut *state.db.conn().await?, &tok.person_id, &album_id).await? {
        return Err(AppError::NotFound.into());
    }
    collections::query(&state, &tok, raw.as_deref(), &album_photos(&album_id)).await
}

/// Decodes, checks and re-encodes an upload in the three sizes (CPU work: run off the async
/// threads).
fn prepare(bytes: &[u8], name: String, description: Option<String>) -> ApiResult<NewPhoto> {
    let (img, format) = images::decode_checked(bytes, &RULES)?;
    let (out, content_type) = if format == ImageFormat::Jpeg {
        (ImageFormat::Jpeg, "image/jpeg")
    } else {
        (ImageFormat::Png, "image/png")
    };
    let full = images::fit(&img, Size::Full.side());
    let normal = images::fit(&full, Size::Normal.side());
    let thumbnail = images::fit(&normal, Size::Thumbnail.side());
    Ok(NewPhoto {
        name,
        description,
        content_type,
        width: full.width(),
        height: full.height(),
        full: images::encode(&full, out)?,
        normal: images::encode(&normal, out)?,
        thumbnail: images::encode(&thumbnail, out)?,
    })
}

/// `POST /v1/me/albums/{album_id}/photos`: the body is the image.
pub async fn upload(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(album_id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    scope(&tok)?;
    if !store::album_is_owned(&mut *state.db.conn().await?, &tok.person_id, &album_id).await? {
        return Err(AppError::NotFound.into());
    }
    let mut name = None;
    let mut description = None;
    for (k, v) in url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "name" => name = Some(text("name", &v, MAX_NAME)?),
            "description" => description = Some(text("description", &v, MAX_DESCRIPTION)?),
            _ => {}
        }
    }
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !(media.starts_with("image/") || media == "application/octet-stream") {
        return Err(ApiError::BodyInvalid {
            field: None,
            message: format!(
                "the body must be the image itself (Content-Type: image/jpeg, image/png, image/gif or image/webp), not '{media}'"
            ),
        });
    }
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::from(ImageProblem::TooLarge {
                size: MAX_UPLOAD + 1,
                max: MAX_UPLOAD,
            })
        } else {
            ApiError::BodyInvalid {
                field: None,
                message: format!("the body could not be read ({e})"),
            }
        }
    })?;
    let name = name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Photo".to_owned());
    let description = description.filter(|d| !d.is_empty());
    let photo = tokio::task::spawn_blocking(move || prepare(&body, name, description))
        .await
        .map_err(|e| AppError::Internal(format!("photo worker: {e}")))??;
    let id = store::insert_photo(
        &state.db,
        &tok.person_id,
        &album_id,
        &photo,
        state.clock.now(),
    )
    .await?;
    let created = collections::item(&state, &tok.person_id, &album_photos(&album_id), &id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("photo {id} vanished after insert")))?;
    let mut res = (StatusCode::CREATED, Json(created)).into_response();
    if let Ok(loc) = HeaderValue::from_str(&format!("{}/v1/me/photos/{id}", state.issuer)) {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(res)
}

/// `GET /v1/me/photos/{photo_id}`.
pub async fn get_photo(
    State(state): State<AppState>,
    Bearer(tok): Bearer,
    Path(photo_id): Path<String>,
) -> ApiResult<Response> {
    scope(&tok)?;
    let photo = collections::item(
        &state,
        &tok.person_id,
        &Collection::new(PHOTO, &PHOTO_ROWS),
        &photo_id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Json(photo).into_response())
}

/// `GET /v1/photos/{key}/{size}`: the image (no token; the key is the capability).
pub async fn image(
    State(state): State<AppState>,
    Path((key, size)): Path<(String, String)>,
) -> ApiResult<Response> {
    let size = Size::parse(&size).ok_or(AppError::NotFound)?;
    // A key is 32 lowercase hex digits: anything else is not looked up.
    if key.len() != 32
        || !key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(AppError::NotFound.into());
    }
    let (content_type, bytes) = store::image(&mut *state.db.conn().await?, &key, size)
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = if content_type == "image/jpeg" {
        "image/jpeg"
    } else {
        "image/png"
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
        ],
        bytes,
    )
        .into_response())
}
