//! Photo albums and photos as stored (`wl.photos`): the rows behind `GET /v1/me/albums` and
//! `GET /v1/me/albums/{id}/photos` (OData collections, see [`crate::api::photos`]), the writes,
//! and the image bytes by their unguessable key.
//!
//! A photo's three sizes are BLOBs in the database (at this scale that is simpler than a file
//! store and keeps a write all-or-nothing). Per person: at most [`MAX_ALBUMS`] albums,
//! [`MAX_PHOTOS`] photos and [`MAX_PHOTO_STORAGE`] bytes of images; the checks and the insert
//! are one statement under the person's row lock, so racing uploads cannot pass a cap together.

use sqlx::Row as _;

use super::collections::{Column, Source, number, string};
use super::{Conn, Db, DbError, DbResult};
use crate::crypto::random_hex;

/// The most albums one person may have.
pub const MAX_ALBUMS: i64 = 1_000;
/// The most photos one person may have.
pub const MAX_PHOTOS: i64 = 1_000;
/// The most image bytes (all sizes) one person may store: 200 MiB.
pub const MAX_PHOTO_STORAGE: i64 = 200 * 1024 * 1024;

/// The sizes a photo is stored in, with their URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// At most 2048 px a side.
    Full,
    /// At most 320 px a side.
    Normal,
    /// At most 96 px a side.
    Thumbnail,
}

impl Size {
    /// The size named in a URL (`full`, `normal`, `thumbnail`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "full" => Some(Self::Full),
            "normal" => Some(Self::Normal),
            "thumbnail" => Some(Self::Thumbnail),
            _ => None,
        }
    }

    /// The largest side, in pixels.
    pub fn side(self) -> u32 {
        match self {
            Self::Full => 2048,
            Self::Normal => 320,
            Self::Thumbnail => 96,
        }
    }

    fn column(self) -> &'static str {
        match self {
            Self::Full => "full_image",
            Self::Normal => "normal_image",
            Self::Thumbnail => "thumb_image",
        }
    }
}

/// Albums: `$2`'s, with their photo counts.
pub const ALBUM_ROWS: Source = Source::new(
    &[
        string("id", "a.id"),
        string("name", "a.name"),
        string("description", "a.description"),
        string("type", "'album'"),
        number(
            "count",
            "(SELECT COUNT(*) FROM photos ph WHERE ph.album_id = a.id)",
        ),
        string("from/id", "a.owner_id"),
        string(
            "from/name",
            "(SELECT p.display_name FROM people p WHERE p.id = a.owner_id)",
        ),
        string("created_time", "@utc(a.created_at)"),
        string("updated_time", "@utc(a.updated_at)"),
    ],
    "FROM albums a WHERE a.owner_id = $2",
    "id",
);

const PHOTO_COLUMNS: &[Column] = &[
    string("id", "ph.id"),
    string("name", "ph.name"),
    string("description", "ph.description"),
    string("parent_id", "ph.album_id"),
    string("type", "'photo'"),
    string("mime_type", "ph.content_type"),
    number("width", "ph.width"),
    number("height", "ph.height"),
    number("size", "ph.bytes"),
    string("source", "$1 || '/v1/photos/' || ph.media_key || '/full'"),
    string(
        "picture",
        "$1 || '/v1/photos/' || ph.media_key || '/thumbnail'",
    ),
    string(
        "images/full",
        "$1 || '/v1/photos/' || ph.media_key || '/full'",
    ),
    string(
        "images/normal",
        "$1 || '/v1/photos/' || ph.media_key || '/normal'",
    ),
    string(
        "images/thumbnail",
        "$1 || '/v1/photos/' || ph.media_key || '/thumbnail'",
    ),
    string("created_time", "@utc(ph.created_at)"),
    string("updated_time", "@utc(ph.updated_at)"),
];

/// Photos: `$2`'s (the API narrows them to one album with `parent_id`).
pub const PHOTO_ROWS: Source =
    Source::new(PHOTO_COLUMNS, "FROM photos ph WHERE ph.owner_id = $2", "id");

/// Why a write was refused (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum PhotoWriteError {
    /// The album is not the person's (or does not exist).
    #[error("no such album")]
    NoAlbum,
    /// A per-person cap: what is full, in words.
    #[error("{0}")]
    Full(String),
    /// A storage failure.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Creates an album for `owner_id`; returns its id.
pub async fn insert_album(
    db: &Db,
    owner_id: &str,
    name: &str,
    description: Option<&str>,
    now: i64,
) -> Result<String, PhotoWriteError> {
    let id = format!("album.{}", random_hex(8));
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, owner_id).await?;
    let written = sqlx::query(
        "INSERT INTO albums (id, owner_id, name, description, created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, $5
         WHERE (SELECT COUNT(*) FROM albums WHERE owner_id = $2) < $6",
    )
    .bind(&id)
    .bind(owner_id)
    .bind(name)
    .bind(description)
    .bind(now)
    .bind(MAX_ALBUMS)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        return Err(PhotoWriteError::Full(format!(
            "You have the most albums allowed ({MAX_ALBUMS}); nothing was added."
        )));
    }
    tx.commit().await?;
    Ok(id)
}

/// True when `album_id` is one of `owner_id`'s albums.
pub async fn album_is_owned(c: &mut Conn, owner_id: &str, album_id: &str) -> DbResult<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM albums WHERE id = $1 AND owner_id = $2")
            .bind(album_id)
            .bind(owner_id)
            .fetch_optional(c)
            .await?
            .is_some(),
    )
}

/// A checked, re-encoded photo, ready to store.
#[derive(Debug, Clone)]
pub struct NewPhoto {
    /// Its name (a file name or a title).
    pub name: String,
    /// A description, if given.
    pub description: Option<String>,
    /// `image/jpeg` or `image/png`: the type of all three sizes.
    pub content_type: &'static str,
    /// Width of the full size.
    pub width: u32,
    /// Height of the full size.
    pub height: u32,
    /// The full size.
    pub full: Vec<u8>,
    /// The 320 px size.
    pub normal: Vec<u8>,
    /// The 96 px size.
    pub thumbnail: Vec<u8>,
}

impl NewPhoto {
    /// The bytes the photo counts against the storage cap.
    pub fn bytes(&self) -> i64 {
        (self.full.len() + self.normal.len() + self.thumbnail.len()) as i64
    }
}

/// Stores a photo in `album_id` (one of `owner_id`'s albums); returns its id.
pub async fn insert_photo(
    db: &Db,
    owner_id: &str,
    album_id: &str,
    new: &NewPhoto,
    now: i64,
) -> Result<String, PhotoWriteError> {
    let id = format!("photo.{}", random_hex(8));
    let mut tx = db.begin().await?;
    super::lock_person(&mut tx, owner_id).await?;
    if !album_is_owned(&mut tx, owner_id, album_id).await? {
        return Err(PhotoWriteError::NoAlbum);
    }
    let written = sqlx::query(
        "INSERT INTO photos (id, owner_id, album_id, name, description, media_key, content_type,
             width, height, bytes, full_image, normal_image, thumb_image, created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14
         WHERE (SELECT COUNT(*) FROM photos WHERE owner_id = $2) < $15
           AND (SELECT COALESCE(SUM(bytes), 0) FROM photos WHERE owner_id = $2) + $10 <= $16",
    )
    .bind(&id)
    .bind(owner_id)
    .bind(album_id)
    .bind(&new.name)
    .bind(&new.description)
    .bind(random_hex(16))
    .bind(new.content_type)
    .bind(i64::from(new.width))
    .bind(i64::from(new.height))
    .bind(new.bytes())
    .bind(&new.full)
    .bind(&new.normal)
    .bind(&new.thumbnail)
    .bind(now)
    .bind(MAX_PHOTOS)
    .bind(MAX_PHOTO_STORAGE)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        return Err(PhotoWriteError::Full(format!(
            "You have stored the most photos allowed ({MAX_PHOTOS} photos, {} MB); nothing was added.",
            MAX_PHOTO_STORAGE / (1024 * 1024)
        )));
    }
    sqlx::query("UPDATE albums SET updated_at = $2 WHERE id = $1")
        .bind(album_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The bytes and content type of one size of the photo whose key is `media_key`.
pub async fn image(
    c: &mut Conn,
    media_key: &str,
    size: Size,
) -> DbResult<Option<(String, Vec<u8>)>> {
    let sql = format!(
        "SELECT content_type, {} FROM photos WHERE media_key = $1",
        size.column()
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(media_key)
        .fetch_optional(c)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((row.try_get(0)?, row.try_get(1)?)))
}

/// How many photos `owner_id` has (for the tests' "nothing saved half-way").
pub async fn count(c: &mut Conn, owner_id: &str) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM photos WHERE owner_id = $1")
        .bind(owner_id)
        .fetch_one(c)
        .await
}
