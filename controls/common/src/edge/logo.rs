//! Brand logos' shapes, for the build: `xtask/src/build/paint.rs` writes both marks into the
//! sign-in button's first paint (`www/src/paint-data.js`), and its `g-<brand>` class shows one.
//!
//! Colours are SVG presentation attributes, not `style`, so a strict CSP is fine; the stylesheet
//! may still override them through the classes on the shapes.

use crate::attrs::Brand;

/// One SVG shape: its tag and attributes.
pub type Shape = (&'static str, &'static [(&'static str, &'static str)]);

/// The logo's `<svg>` attributes (both first paints: `www/src/paint-data.js` and the one a page
/// holds, `wl_markup::first_paint`).
pub const SVG: &[(&str, &str)] = &[
    ("class", "logo"),
    ("viewBox", "0 0 21 21"),
    ("aria-hidden", "true"),
    ("focusable", "false"),
    ("part", "logo"),
];

/// The marks inside it, in order, each a `<g>` of [`shapes`] with its class.
pub const MARKS: [(Brand, &str); 2] = [(Brand::Windows, "w"), (Brand::Messenger, "m")];

/// The four squares (red, green, blue, yellow), 21×21 like the usual sign-in button mark.
const WINDOWS: &[Shape] = &[
    (
        "rect",
        &[
            ("x", "0"),
            ("y", "0"),
            ("width", "10"),
            ("height", "10"),
            ("fill", "#F25022"),
        ],
    ),
    (
        "rect",
        &[
            ("x", "11"),
            ("y", "0"),
            ("width", "10"),
            ("height", "10"),
            ("fill", "#7FBA00"),
        ],
    ),
    (
        "rect",
        &[
            ("x", "0"),
            ("y", "11"),
            ("width", "10"),
            ("height", "10"),
            ("fill", "#00A4EF"),
        ],
    ),
    (
        "rect",
        &[
            ("x", "11"),
            ("y", "11"),
            ("width", "10"),
            ("height", "10"),
            ("fill", "#FFB900"),
        ],
    ),
];

/// Two buddies, green behind blue; the front one is outlined in the tile colour (`.fr`).
const MESSENGER: &[Shape] = &[
    (
        "circle",
        &[
            ("cx", "7.6"),
            ("cy", "5.4"),
            ("r", "3.9"),
            ("fill", "#5DB847"),
        ],
    ),
    (
        "path",
        &[
            ("d", "M.6 18.4c0-4.7 3.1-7.9 7-7.9s7 3.2 7 7.9z"),
            ("fill", "#5DB847"),
        ],
    ),
    (
        "circle",
        &[
            ("class", "fr"),
            ("cx", "13.6"),
            ("cy", "8.6"),
            ("r", "4.2"),
            ("fill", "#1E88E5"),
        ],
    ),
    (
        "path",
        &[
            ("class", "fr"),
            ("d", "M6.2 21c0-4.9 3.3-8.2 7.4-8.2s7.4 3.3 7.4 8.2z"),
            ("fill", "#1E88E5"),
        ],
    ),
];

/// The shapes of a brand's mark; empty for [`Brand::None`].
pub fn shapes(brand: Brand) -> &'static [Shape] {
    match brand {
        Brand::Windows => WINDOWS,
        Brand::Messenger => MESSENGER,
        Brand::None => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_is_four_squares() {
        let s = shapes(Brand::Windows);
        assert_eq!(s.len(), 4);
        assert!(s.iter().all(|(tag, _)| *tag == "rect"));
    }

    #[test]
    fn messenger_is_two_people_and_none_is_empty() {
        let s = shapes(Brand::Messenger);
        assert_eq!(s.iter().filter(|(t, _)| *t == "circle").count(), 2);
        assert!(shapes(Brand::None).is_empty());
    }
}
