//! The sharing badge's icons (issue 17 §1), at the paths Messenger Connect's badge markup
//! used on `js.live.net`: `/static/img/SharingBadge16x16White.png` (the one the markup
//! shows), and the 22 px and orange variants (`SharingBadge{16x16,22x22}{White,Orange}.png`).
//! Drawn by the provider (two friends, the second behind the first) and encoded as PNG once;
//! any site may show them (`Cross-Origin-Resource-Policy: cross-origin`).

use std::sync::OnceLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

/// The icons' route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/static/img/{file}", get(icon))
}

/// The badge's file names, with each one's size and background.
const ICONS: [(&str, u32, Background); 4] = [
    ("SharingBadge16x16White.png", 16, Background::White),
    ("SharingBadge22x22White.png", 22, Background::White),
    ("SharingBadge16x16Orange.png", 16, Background::Orange),
    ("SharingBadge22x22Orange.png", 22, Background::Orange),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Background {
    White,
    Orange,
}

/// `GET /static/img/{file}`: one of [`ICONS`], else 404.
async fn icon(Path(file): Path<String>) -> Response {
    static CACHE: [OnceLock<Vec<u8>>; 4] = [const { OnceLock::new() }; 4];
    let Some(i) = ICONS.iter().position(|(name, ..)| *name == file) else {
        return (StatusCode::NOT_FOUND, "no such icon").into_response();
    };
    let (_, size, bg) = ICONS[i];
    let png = CACHE[i].get_or_init(|| draw(size, bg));
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
        ],
        png.clone(),
    )
        .into_response()
}

/// Draws the icon: a rounded square of the background with two people (heads and
/// shoulders), 4×4 supersampled.
fn draw(size: u32, bg: Background) -> Vec<u8> {
    const SS: u32 = 4;
    let (back, front, behind) = match bg {
        Background::White => ([255, 255, 255], [11, 99, 206], [21, 128, 61]),
        Background::Orange => ([242, 112, 19], [255, 255, 255], [255, 226, 196]),
    };
    let s = size as f32;
    let mut img = image::RgbaImage::new(size, size);
    for y in 0..size {
        for x in 0..size {
            let mut acc = [0f32; 4];
            for sy in 0..SS {
                for sx in 0..SS {
                    let px = (x as f32 + (sx as f32 + 0.5) / SS as f32) / s;
                    let py = (y as f32 + (sy as f32 + 0.5) / SS as f32) / s;
                    let colour = shade(px, py, back, front, behind);
                    if let Some(c) = colour {
                        acc[0] += f32::from(c[0]);
                        acc[1] += f32::from(c[1]);
                        acc[2] += f32::from(c[2]);
                        acc[3] += 255.0;
                    }
                }
            }
            let n = (SS * SS) as f32;
            let a = acc[3] / n;
            let px = if a > 0.0 {
                let k = acc[3] / 255.0;
                [
                    (acc[0] / k).round() as u8,
                    (acc[1] / k).round() as u8,
                    (acc[2] / k).round() as u8,
                    a.round() as u8,
                ]
            } else {
                [0, 0, 0, 0]
            };
            img.put_pixel(x, y, image::Rgba(px));
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    // Encoding a small in-memory image cannot fail.
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

/// The colour at (x, y) in the unit square, `None` outside the rounded square.
fn shade(x: f32, y: f32, back: [u8; 3], front: [u8; 3], behind: [u8; 3]) -> Option<[u8; 3]> {
    let r = 0.2;
    let (cx, cy) = (x.clamp(r, 1.0 - r), y.clamp(r, 1.0 - r));
    if (x - cx).powi(2) + (y - cy).powi(2) > r * r {
        return None;
    }
    let person = |hx: f32, hy: f32, hr: f32, bx: f32, by: f32, br: f32| {
        let head = (x - hx).powi(2) + (y - hy).powi(2) <= hr * hr;
        let body = y <= 0.86 && (x - bx).powi(2) + (y - by).powi(2) <= br * br;
        head || body
    };
    if person(0.4, 0.36, 0.15, 0.4, 0.94, 0.3) {
        return Some(front);
    }
    if person(0.66, 0.3, 0.13, 0.66, 0.84, 0.25) {
        return Some(behind);
    }
    Some(back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_are_pngs_of_their_size() {
        for (name, size, bg) in ICONS {
            let png = draw(size, bg);
            let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap();
            assert_eq!((img.width(), img.height()), (size, size), "{name}");
        }
    }
}
