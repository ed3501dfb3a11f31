//! The bar's one constructed style sheet. Themes (`theme` = blue, white, dark, light) only set
//! custom properties, so a page can restyle with the same properties or `::part(…)`.
//!
//! Contrast (WCAG AA ≥ 4.5:1 for text): blue bar #FFFFFF on #0067B8 5.6:1; white/light bar
//! #1B1B1B on #FFFFFF/#F3F3F3 ≥ 15:1; dark bar #FFFFFF on #1F1F1F 16:1; muted #5C5C5C on white
//! 6.7:1, #C8C8C8 on #2B2B2B 8.4:1; own bubble #FFFFFF on #0067B8 5.6:1 (dark: on #0F548C 7.6:1).

/// The style sheet.
pub const CSS: &str = r#"
:host {
  --wl-bar-bg: #0067B8; --wl-bar-fg: #FFFFFF; --wl-bar-border: #005A9E;
  --wl-bar-hover: #004E8C;
  --wl-panel-bg: #FFFFFF; --wl-panel-fg: #1B1B1B; --wl-panel-border: #D1D1D1;
  --wl-muted: #5C5C5C; --wl-accent: #0067B8; --wl-accent-fg: #FFFFFF;
  --wl-focus: #0F6CBD; --wl-bubble-bg: #F0F0F0; --wl-hover: #F0F0F0;
  --wl-available: #107C10; --wl-busy: #C50F1F; --wl-away: #B7791F; --wl-offline: #8A8886;
  position: fixed; inset-inline: 0; bottom: 0; z-index: 2147483000;
  font-family: var(--wl-font, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif);
  font-size: 14px; line-height: 1.35; color: var(--wl-panel-fg);
  display: block;
}
:host([theme="white"]) { --wl-bar-bg: #FFFFFF; --wl-bar-fg: #1B1B1B; --wl-bar-border: #D1D1D1; --wl-bar-hover: #F0F0F0; }
:host([theme="light"]) { --wl-bar-bg: #F3F3F3; --wl-bar-fg: #1B1B1B; --wl-bar-border: #D1D1D1; --wl-bar-hover: #E1E1E1; }
:host([theme="dark"]) {
  --wl-bar-bg: #1F1F1F; --wl-bar-fg: #FFFFFF; --wl-bar-border: #3D3D3D; --wl-bar-hover: #333333;
  --wl-panel-bg: #2B2B2B; --wl-panel-fg: #F3F3F3; --wl-panel-border: #4A4A4A; --wl-muted: #C8C8C8;
  --wl-accent: #0F548C; --wl-focus: #62ABF5; --wl-bubble-bg: #3B3B3B; --wl-hover: #3B3B3B;
  color-scheme: dark;
  --wl-available: #54B054; --wl-busy: #F1707B; --wl-away: #F2C661; --wl-offline: #A19F9D;
}
[hidden] { display: none !important; }
* { box-sizing: border-box; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button, input, textarea, select { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 2px solid var(--wl-focus); outline-offset: 2px; }

.bar {
  display: flex; align-items: center; gap: 4px; min-height: 44px; padding: 4px 8px;
  background: var(--wl-bar-bg); color: var(--wl-bar-fg); border-top: 1px solid var(--wl-bar-border);
  box-shadow: 0 -2px 8px rgba(0,0,0,.12);
}
.bar :focus-visible { outline-color: currentColor; }
.out, .in { display: flex; align-items: center; gap: 4px; flex: 1 1 auto; min-width: 0; }
.brand { display: inline-flex; align-items: center; gap: 6px; font-weight: 600; margin-inline-end: 8px; white-space: nowrap; }
.brand svg { width: 20px; height: 20px; flex: none; }
.prompt { flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.barbtn {
  display: inline-flex; align-items: center; gap: 6px; height: 34px; padding: 0 10px; border: 0;
  border-radius: var(--wl-radius, 4px); background: transparent; color: var(--wl-bar-fg); white-space: nowrap;
}
.barbtn:hover, .barbtn[aria-expanded="true"] { background: var(--wl-bar-hover); }
.primary {
  height: 32px; padding: 0 14px; border: 1px solid transparent; border-radius: var(--wl-radius, 4px);
  background: var(--wl-accent); color: var(--wl-accent-fg); font-weight: 600; white-space: nowrap;
}
:host(:not([theme])) .bar .primary, :host([theme="blue"]) .bar .primary { background: #FFFFFF; color: #0067B8; }
.primary:hover { filter: brightness(1.08); }
.me-name { max-width: 12em; overflow: hidden; text-overflow: ellipsis; }
.status { font-size: 13px; padding: 0 6px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.count {
  display: inline-block; min-width: 20px; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600;
  text-align: center; line-height: 20px; background: var(--wl-bar-hover); color: var(--wl-bar-fg);
}
.badge {
  display: inline-block; min-width: 20px; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 700;
  text-align: center; line-height: 20px; background: #C50F1F; color: #FFFFFF;
}
.tabs { display: flex; gap: 4px; margin-inline-start: auto; overflow-x: auto; overflow-y: hidden; scrollbar-width: none; min-width: 0; }
.ico { width: 18px; height: 18px; flex: none; }
.tab .tab-name { max-width: 9em; overflow: hidden; text-overflow: ellipsis; }
.spacer { flex: 1 1 auto; }

.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; flex: none; border: 2px solid var(--wl-offline); background: transparent; }
.dot.p-available { background: var(--wl-available); border-color: var(--wl-available); }
.dot.p-busy { background: var(--wl-busy); border-color: var(--wl-busy); }
.dot.p-away { background: var(--wl-away); border-color: var(--wl-away); }
.bar .dot { box-shadow: 0 0 0 2px var(--wl-bar-bg); }
:host(:not([theme])) .bar .dot, :host([theme="blue"]) .bar .dot, :host(:not([theme])) .win-head .dot, :host([theme="blue"]) .win-head .dot { box-shadow: 0 0 0 2px #FFFFFF; }

.tip {
  position: absolute; z-index: 2; inset-inline-start: 8px; bottom: 52px; max-width: min(360px, calc(100vw - 16px)); padding: 12px 14px;
  display: flex; gap: 12px; align-items: center;
  background: var(--wl-panel-bg); color: var(--wl-panel-fg); border: 1px solid var(--wl-panel-border);
  border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.18);
}

.panel {
  position: absolute; z-index: 2; inset-inline-start: 8px; bottom: 52px; width: 320px; max-width: calc(100vw - 16px); max-height: min(70vh, 460px);
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--wl-panel-bg); color: var(--wl-panel-fg); border: 1px solid var(--wl-panel-border);
  border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.18);
}
.panel h2 { font-size: 15px; margin: 0; padding: 12px 14px 8px; }
.panel-body { overflow-y: auto; padding: 0 14px 12px; }
.panel label.field { display: block; font-size: 13px; color: var(--wl-muted); margin: 4px 0; }
.panel input[type="search"], .panel textarea, .panel select {
  width: 100%; padding: 6px 8px; border: 1px solid var(--wl-panel-border); border-radius: 4px;
  background: var(--wl-panel-bg); color: var(--wl-panel-fg);
}
.panel h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--wl-muted); margin: 12px 0 4px; }
.list { list-style: none; margin: 0; padding: 0; }
.friend {
  display: flex; align-items: center; gap: 8px; width: 100%; padding: 6px; border: 0; border-radius: 6px;
  background: transparent; text-align: start;
}
.friend:hover { background: var(--wl-hover); }
.avatar {
  width: 28px; height: 28px; border-radius: 50%; flex: none; object-fit: cover; display: inline-flex;
  align-items: center; justify-content: center; background: var(--wl-accent); color: #FFFFFF; font-weight: 600; font-size: 13px;
}
.who { display: flex; flex-direction: column; min-width: 0; flex: 1 1 auto; }
.who .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.who .pres { font-size: 12px; color: var(--wl-muted); }
.muted { color: var(--wl-muted); }
.row-actions { display: flex; gap: 8px; justify-content: flex-end; align-items: center; margin-top: 10px; }
.choice { display: flex; align-items: center; gap: 8px; padding: 4px 0; }
fieldset { border: 0; margin: 8px 0 0; padding: 0; }
legend { font-size: 13px; color: var(--wl-muted); padding: 0; }
.activity { padding: 8px 0; border-top: 1px solid var(--wl-panel-border); }
.activity:first-child { border-top: 0; }
.activity a { color: var(--wl-link, var(--wl-accent)); overflow-wrap: anywhere; }
:host([theme="dark"]) .activity a, :host([theme="dark"]) .msg a { color: #8CC8FF; }
.activity p { margin: 0 0 2px; }
.activity > span { display: block; overflow-wrap: anywhere; }
.panel:focus { outline: none; }
.activity .when { display: block; font-size: 12px; color: var(--wl-muted); }
.activity a.action { display: inline-block; margin: 4px 0 2px; padding: 3px 10px; border: 1px solid var(--wl-accent); border-radius: 999px; font-size: 12px; font-weight: 600; text-decoration: none; }
.activity a.action:hover, .activity a.action:focus-visible { background: var(--wl-accent); color: #fff; }
.linkbtn { border: 0; background: transparent; padding: 4px 0; color: var(--wl-panel-fg); text-decoration: underline; }

.windows { position: absolute; inset-inline-end: 8px; bottom: 52px; display: flex; flex-direction: row-reverse; gap: 8px; align-items: flex-end; pointer-events: none; }
.win {
  pointer-events: auto; width: 300px; height: 380px; display: flex; flex-direction: column; overflow: hidden;
  background: var(--wl-panel-bg); color: var(--wl-panel-fg); border: 1px solid var(--wl-panel-border);
  border-radius: 8px 8px 8px 8px; box-shadow: 0 4px 16px rgba(0,0,0,.18);
}
.win-head { display: flex; align-items: center; gap: 8px; padding: 6px; padding-inline-start: 10px; background: var(--wl-bar-bg); color: var(--wl-bar-fg); }
.win-head .who .pres { color: inherit; opacity: .9; }
.win-head :focus-visible { outline-color: currentColor; }
.icon { width: 30px; height: 30px; border: 0; border-radius: 4px; background: transparent; color: inherit; font-size: 18px; line-height: 1; }
.icon:hover { background: var(--wl-bar-hover); }
.log { list-style: none; margin: 0; padding: 8px 10px; overflow-y: auto; flex: 1 1 auto; display: flex; flex-direction: column; gap: 6px; }
.msg { max-width: 85%; align-self: flex-start; }
.msg.mine { align-self: flex-end; text-align: end; }
.bubble { display: inline-block; padding: 6px 10px; border-radius: 12px; background: var(--wl-bubble-bg); white-space: pre-wrap; overflow-wrap: anywhere; text-align: start; }
.msg.mine .bubble { background: var(--wl-accent); color: var(--wl-accent-fg); }
.msg.mine .bubble a { color: inherit; }
.meta { display: block; font-size: 11px; color: var(--wl-muted); margin-top: 2px; }
.meta.failed { color: var(--wl-busy); }
.typing { min-height: 1.4em; margin: 0; padding: 0 10px; font-size: 12px; font-style: italic; color: var(--wl-muted); }
.compose { display: flex; gap: 6px; padding: 8px; border-top: 1px solid var(--wl-panel-border); }
.compose textarea {
  flex: 1 1 auto; resize: none; height: 38px; padding: 8px; border: 1px solid var(--wl-panel-border); border-radius: 4px;
  background: var(--wl-panel-bg); color: var(--wl-panel-fg);
}
.empty { margin: auto; text-align: center; font-size: 13px; }

@media (max-width: 600px) {
  .barbtn .lbl { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .me-name { max-width: 5em; }
  .tab .tab-name { max-width: 4.5em; }
  .barbtn { padding: 0 8px; }
  .prompt { white-space: normal; font-size: 13px; line-height: 1.2; }
  .brand .lbl { display: none; }
  .windows { inset-inline-start: 8px; }
  .win { width: 100%; height: min(380px, calc(100vh - 120px)); }
  .win:not(.front) { display: none; }
  .panel { inset-inline: 8px; width: auto; }
}
@media (forced-colors: active) {
  .dot { forced-color-adjust: none; }
  .bar, .panel, .win, .tip { border: 1px solid CanvasText; }
}
@media (prefers-reduced-motion: no-preference) {
  .panel, .win, .tip { animation: wl-rise .12s ease-out; }
  @keyframes wl-rise { from { transform: translateY(6px); opacity: 0; } to { transform: none; opacity: 1; } }
}
"#;
