//! The `<wl-signin>` stylesheet (adopted into the shadow root; no inline styles). Not in the wasm:
//! the build copies it into `wl.js` (`www/src/paint-data.js`), which draws the control first.
//!
//! Colours meet WCAG AA (4.5:1) for the label in every theme and state:
//! blue `#fff` on `#0067B8` 5.7:1 (hover `#005DA6` 6.6:1), white `#5E5E5E` on `#fff` 6.4:1
//! (hover `#F5F5F5` 5.9:1), dark `#fff` on `#2F2F2F` 13.6:1, light `#1B1B1B` on `#F3F3F3` 15.6:1.
//! The dark theme's edge `#6E6E6E` keeps the button's outline visible on dark pages too (3.3:1
//! against `#1F1F1F`, 5:1 against white; WCAG 1.4.11 asks 3:1 for UI boundaries).

use wl_controls_common::attrs::Size;

/// The button's height in CSS pixels for each `size`: the `--h` of `.b`, `.s-small` and
/// `.s-large` in [`CSS`] (a test holds them together). A page that draws the button itself
/// reserves this much before the button's sheet has arrived (`wl_markup::first_paint::reserve`).
pub fn height(size: Size) -> u16 {
    match size {
        Size::Small => 32,
        Size::Medium => 41,
        Size::Large => 48,
    }
}

/// The CSS text.
pub const CSS: &str = concat!(
    ":host{display:inline-block;vertical-align:middle;max-width:100%}",
    ":host([hidden]),[hidden]{display:none!important}",
    ".b{--h:41px;--fs:15px;--ls:20px;--px:12px;--gap:12px;--r:var(--wl-radius,4px);",
    "box-sizing:border-box;display:inline-flex;align-items:center;justify-content:center;",
    "gap:var(--gap);max-width:100%;min-height:var(--h);margin:0;padding:0 var(--px);",
    "border:1px solid var(--bd);border-radius:var(--r);background:var(--bg);color:var(--fg);",
    "font:600 var(--fs)/1.25 var(--wl-font,",
    wl_controls_common::font_stack!(),
    ");letter-spacing:0;text-align:center;white-space:nowrap;cursor:pointer;",
    "user-select:none;-webkit-user-select:none;-webkit-tap-highlight-color:transparent;",
    "transition:background-color .12s,border-color .12s,box-shadow .12s}",
    // `#0000001f`: black at 31/255 ≈ .12 alpha, shorter than `rgba(0,0,0,.12)` (it pays for the
    // logical `padding-inline-start` below: the sign-in page got 16 B smaller, not larger).
    ".b:hover{background:var(--bgh);box-shadow:0 1px 2px #0000001f}",
    ".b:active{background:var(--bga);box-shadow:none}",
    ".b:focus{outline:none}",
    ".b:focus-visible{outline:2px solid var(--wl-focus,#0F6CBD);outline-offset:2px;box-shadow:0 0 0 2px #fff}",
    ".s-small{--h:32px;--fs:13px;--ls:16px;--px:10px;--gap:8px}",
    ".s-large{--h:48px;--fs:17px;--ls:22px;--px:16px;--gap:14px}",
    ".p-pill{--r:calc(var(--h)/2);--px:calc(var(--h)*.45)}",
    ".t-blue{--bg:var(--wl-accent,#0067B8);--bgh:#005DA6;--bga:#004E8C;--fg:#fff;--bd:transparent}",
    // A page's own --wl-accent gets matching hover/active shades where color-mix() exists.
    "@supports (color:color-mix(in srgb,red,blue)){.t-blue{--bgh:color-mix(in srgb,var(--bg) 90%,#000);",
    "--bga:color-mix(in srgb,var(--bg) 78%,#000)}}",
    ".t-white{--bg:#fff;--bgh:#F5F5F5;--bga:#EBEBEB;--fg:#5E5E5E;--bd:#8C8C8C}",
    ".t-dark{--bg:#2F2F2F;--bgh:#3D3D3D;--bga:#474747;--fg:#fff;--bd:#6E6E6E}",
    ".t-light{--bg:#F3F3F3;--bgh:#EAEAEA;--bga:#E0E0E0;--fg:#1B1B1B;--bd:#D1D1D1}",
    ".ic{display:inline-flex;flex:none;min-width:var(--lz,var(--ls));min-height:var(--lz,var(--ls))}",
    // The logo has both marks (`www/src/paint-data.js`): the brand's class shows one, or none.
    ".g-windows .m,.g-messenger .w,.g-none .ic{display:none}",
    ".logo{display:block;width:var(--lz,var(--ls));height:var(--lz,var(--ls))}",
    ".fr{stroke:var(--tile,var(--bg));stroke-width:1.1px}",
    // Blue: the mark sits on a white tile at the start of the button (the start: right to left,
    // the right side).
    ".t-blue{--tile:#fff}",
    ".t-blue:not(.g-none):not(.busy){padding-inline-start:3px}",
    ".t-blue .ic{padding:calc((var(--h) - 8px - var(--lz,var(--ls)))/2);background:#fff;",
    "border-radius:max(calc(var(--r) - 2px),1px)}",
    // In a pill the tile is a disc: a square fits it with room to spare at ≤ 56 % of its diameter
    // (its diagonal then leaves ≥ 10 % clear), instead of touching it in the small size.
    ".t-blue.p-pill{--lz:min(var(--ls),calc((var(--h) - 8px)*.56))}",
    ".l{overflow:hidden;text-overflow:ellipsis}",
    ".vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;",
    "clip:rect(0 0 0 0);white-space:nowrap}",
    ".sp{display:none;box-sizing:border-box;flex:none;width:var(--ls);height:var(--ls);",
    "border:2px solid currentColor;border-right-color:transparent;border-radius:50%;",
    "animation:wl-spin .8s linear infinite}",
    ".busy{cursor:progress}",
    ".busy .sp{display:inline-block}",
    ".busy .ic{display:none}",
    // The page's own first paint (a declarative shadow root, `wl_markup::first_paint`): its
    // button opens an empty popover when clicked before `wl.js` runs, which `wl.js` reads as
    // that click; meanwhile the button looks busy, as it does while a sign-in starts. Rules of
    // their own, so that a browser without `:has()` drops only them.
    ".b.b:has(~:popover-open){cursor:progress;padding-inline-start:var(--px)}",
    ".b:has(~:popover-open) .sp{display:inline-block}",
    ".b:has(~:popover-open) .ic{display:none}",
    "@keyframes wl-spin{to{transform:rotate(360deg)}}",
    "@media (prefers-reduced-motion:reduce){.sp{animation-duration:3s}.b{transition:none}}",
    "@media (forced-colors:active){.b{border-color:ButtonText}.b:focus-visible{outline-color:Highlight}}",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heights_are_the_sheets() {
        for (size, rule) in [
            (Size::Medium, ".b{--h:"),
            (Size::Small, ".s-small{--h:"),
            (Size::Large, ".s-large{--h:"),
        ] {
            let decl = format!("{rule}{}px;", height(size));
            assert!(CSS.contains(&decl), "{decl}");
        }
        // No other rule sets the height.
        assert_eq!(CSS.matches("--h:").count(), 3);
    }
}
