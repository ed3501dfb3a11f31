//! Uploaded images, checked before anything is kept: the one decoder the portal's logos
//! ([`crate::identity::apps::reencode_logo`]) and the photos ([`crate::api::photos`]) share.
//!
//! [`decode_checked`] refuses, in this order: an empty file, one over the byte limit, one whose
//! first bytes are not one of the allowed formats (the type is read from the magic bytes, never
//! from a `Content-Type` or a file name), one whose header claims more pixels a side than
//! allowed, or whose decoding would allocate more than allowed (a decompression bomb stops at
//! the header, before its pixels are inflated), and one that does not decode. What it returns
//! is pixels: callers re-encode them, so nothing of the uploaded file (metadata, trailing
//! bytes, a polyglot's other half) is ever served.

use image::{DynamicImage, ImageFormat};

/// What an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct ImageRules {
    /// The largest file, in bytes.
    pub max_bytes: usize,
    /// The largest width or height the header may claim, in pixels.
    pub max_side: u32,
    /// The most memory the decoder may allocate, in bytes.
    pub max_alloc: u64,
    /// The formats accepted (by magic bytes).
    pub formats: &'static [ImageFormat],
}

/// Why an upload was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    /// No bytes at all.
    #[error("the file is empty")]
    Empty,
    /// More bytes than [`ImageRules::max_bytes`].
    #[error("the file is too large: {} KB, at most {} KB", .size.div_ceil(1024), .max / 1024)]
    TooLarge {
        /// The upload's size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The magic bytes are not one of the allowed formats.
    #[error("the file is not an image of an accepted type")]
    Type,
    /// The header claims more pixels than allowed, or decoding would take too much memory.
    #[error("the image is too large: {0}")]
    Dimensions(String),
    /// The bytes do not decode as the format they start as.
    #[error("the file could not be read as an image: {0}")]
    Unreadable(String),
}

/// The format the magic bytes say, if it is one the decoder knows.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageFormat::Gif)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

/// Checks an upload against `rules` and decodes it (the first frame of an animation);
/// returns the pixels and the format the file was.
pub fn decode_checked(
    bytes: &[u8],
    rules: &ImageRules,
) -> Result<(DynamicImage, ImageFormat), ImageProblem> {
    if bytes.is_empty() {
        return Err(ImageProblem::Empty);
    }
    if bytes.len() > rules.max_bytes {
        return Err(ImageProblem::TooLarge {
            size: bytes.len(),
            max: rules.max_bytes,
        });
    }
    let format = sniff(bytes)
        .filter(|f| rules.formats.contains(f))
        .ok_or(ImageProblem::Type)?;
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(rules.max_side);
    limits.max_image_height = Some(rules.max_side);
    limits.max_alloc = Some(rules.max_alloc);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(l) => {
            ImageProblem::Dimensions(format!("{l} (at most {} pixels a side)", rules.max_side))
        }
        e => ImageProblem::Unreadable(e.to_string()),
    })?;
    Ok((img, format))
}

/// `img` scaled down to fit `side` × `side` (never up).
pub fn fit(img: &DynamicImage, side: u32) -> DynamicImage {
    if img.width() > side || img.height() > side {
        img.thumbnail(side, side)
    } else {
        img.clone()
    }
}

/// `img` written as a fresh PNG (RGBA) or JPEG (RGB, quality 85).
pub fn encode(img: &DynamicImage, format: ImageFormat) -> Result<Vec<u8>, ImageProblem> {
    let mut out = std::io::Cursor::new(Vec::new());
    let written = if format == ImageFormat::Jpeg {
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&img.to_rgb8())
    } else {
        img.to_rgba8().write_to(&mut out, ImageFormat::Png)
    };
    written.map_err(|e| ImageProblem::Unreadable(format!("re-encoding: {e}")))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_magic_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(ImageFormat::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageFormat::Jpeg));
        assert_eq!(sniff(b"GIF89a...."), Some(ImageFormat::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageFormat::WebP));
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b"<svg xmlns="), None);
        assert_eq!(sniff(b""), None);
    }
}
