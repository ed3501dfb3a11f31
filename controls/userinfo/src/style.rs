//! The `<wl-userinfo>` stylesheet (adopted into the shadow root; no inline styles). Not in the wasm:
//! the build copies it into `wl.js` (`www/src/paint-data.js`), which draws the control first.
//!
//! Defaults: name `#1B1B1B`, second line `#5C5C5C` (6.7:1 on white); monogram colours all at
//! least 4.5:1 against their white letter.

/// The CSS text.
pub const CSS: &str = concat!(
    ":host{display:inline-block;vertical-align:middle;max-width:100%;color:var(--wl-text,#1B1B1B);",
    "font:400 14px/1.3 var(--wl-font,",
    wl_controls_common::font_stack!(),
    ")}",
    ":host([hidden]),[hidden]{display:none!important}",
    ".u{--ps:var(--wl-picture-size,24px);display:inline-flex;align-items:center;gap:8px;max-width:100%;",
    "box-sizing:border-box;padding:var(--wl-padding,0);background:var(--wl-background,transparent);",
    "border-radius:var(--wl-radius,4px)}",
    ".full{--ps:var(--wl-picture-size,48px);gap:12px}",
    ".pic{flex:none;box-sizing:border-box;width:var(--ps);height:var(--ps);border-radius:var(--wl-picture-radius,50%);",
    "object-fit:cover;background:#E6E6E6}",
    ".mono{display:inline-flex;align-items:center;justify-content:center;color:#fff;",
    "background:var(--wl-accent,#0067B8);font-weight:600;font-size:calc(var(--ps)*.45)}",
    ".c1{background:#107C10}.c2{background:#8E562E}.c3{background:#A4262C}.c4{background:#5C2E91}",
    ".c5{background:#005B70}",
    ".tx{display:flex;flex-direction:column;min-width:0}",
    ".n{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;",
    "max-width:var(--wl-max-width,20em)}",
    ".full .n{font-size:16px}",
    ".st{color:var(--wl-muted,#5C5C5C);font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}",
    ".st:empty,.compact .st{display:none}",
    ".t-dark{color:var(--wl-text,#FFF)}.t-dark .st{color:var(--wl-muted,#C8C8C8)}",
    ".sk .pic,.sk .n{background:#E6E6E6;color:transparent;animation:wl-pulse 1.2s ease-in-out infinite alternate}",
    ".sk .n{width:7em;height:.9em;border-radius:4px}",
    ".sk img.pic{visibility:hidden}",
    "@keyframes wl-pulse{to{opacity:.45}}",
    "@media (prefers-reduced-motion:reduce){.sk .pic,.sk .n{animation:none}}",
);
