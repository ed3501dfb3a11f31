//! The bar's DOM: built once per shadow root ([`View::build`]), then brought up to date from
//! the state with [`View::render`]. Inputs (search box, text boxes) are never rebuilt, so what a
//! person is typing and where focus is survive every update; lists are rebuilt with focus kept.
//!
//! Every provider text (names, messages, activities) is set with `textContent`; links are real
//! `<a>` elements only for `http(s)` URLs.

use wl_controls_common::edge::dom::{
    focus_key, rebuild, set_attr as opt_attr, set_hidden as hidden, update_text as set_text,
};
use wl_controls_common::edge::js::{self, Document, Element, ShadowRoot};
use wl_controls_common::edge::time::short_time;

use crate::activity::{Row, Verb};
use crate::i18n::{Labels, PresenceName, decimal, fill};
use crate::protocol::Presence;
use crate::state::{Conversation, Friend, Link, Msg, Segment, State, Status, segments};

/// Which panel is open above the bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// Own presence and sign-out.
    Me,
    /// Friends list.
    Friends,
    /// Share this page.
    Share,
    /// Friends' activities.
    Activities,
}

impl Panel {
    /// The `data-id` of the panel's toggle button.
    pub fn key(self) -> &'static str {
        match self {
            Panel::Me => "me",
            Panel::Friends => "friends",
            Panel::Share => "share",
            Panel::Activities => "activities",
        }
    }

    /// Parses a `data-id`.
    pub fn parse(s: &str) -> Option<Panel> {
        [Panel::Me, Panel::Friends, Panel::Share, Panel::Activities]
            .into_iter()
            .find(|p| p.key() == s)
    }
}

/// The activities panel's content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Feed {
    /// Not asked for yet.
    #[default]
    Idle,
    /// Being fetched.
    Loading,
    /// Fetched.
    Rows(Vec<Row>),
    /// Failed, with the code.
    Failed(String),
}

/// What the bar shows besides the hub state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ui {
    /// Whether `WL.getSession()` has a session.
    pub signed_in: bool,
    /// `sign-in-enabled` (default true).
    pub sign_in_enabled: bool,
    /// The first-run tip is showing.
    pub tip: bool,
    /// The open panel.
    pub panel: Option<Panel>,
    /// Friends chosen in the share panel.
    pub share_selected: Vec<String>,
    /// The share panel's last result.
    pub share_status: Option<String>,
    /// The activities panel.
    pub feed: Feed,
    /// The conversation shown in front (narrow screens show only that one).
    pub front: Option<String>,
    /// A sign-in in progress from the bar's button.
    pub signing_in: bool,
    /// The last sign-in error code.
    pub login_error: Option<String>,
}

struct Window {
    with: String,
    section: Element,
    dot: Element,
    name: Element,
    pres: Element,
    min: Element,
    close: Element,
    more: Element,
    log: Element,
    typing: Element,
    textarea: Element,
    shown: Option<Vec<Msg>>,
}

/// The bar's elements.
pub struct View {
    doc: Document,
    root: ShadowRoot,
    l: &'static Labels,
    bar: Element,
    out: Element,
    prompt: Element,
    sign_in: Element,
    tip: Element,
    inside: Element,
    me_btn: Element,
    me_dot: Element,
    me_name: Element,
    friends_btn: Element,
    friends_count: Element,
    share_btn: Element,
    activities_btn: Element,
    status: Element,
    allow: Element,
    tabs: Element,
    me_panel: Element,
    me_title: Element,
    presence: Element,
    friends_panel: Element,
    search: Element,
    lists: Element,
    share_panel: Element,
    share_page: Element,
    share_text: Element,
    choices: Element,
    share_status: Element,
    activities_panel: Element,
    feed: Element,
    windows: Element,
    wins: Vec<Window>,
    live: Element,
}

const SVG: &str = "http://www.w3.org/2000/svg";

/// Creates `<tag class=…>` (an empty class is left out).
fn el(doc: &Document, tag: &str, class: &str) -> Element {
    let e = doc.create_element(tag);
    if !class.is_empty() {
        e.set_attribute("class", class);
    }
    e
}

/// Creates an element with text content.
fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> Element {
    let e = el(doc, tag, class);
    e.set_text_content(Some(text));
    e
}

/// A `<button type="button">` with a visible label, an action and an optional id.
fn button(doc: &Document, class: &str, label: &str, action: &str, id: Option<&str>) -> Element {
    let b = text_el(doc, "button", class, label);
    attr(&b, "type", "button");
    attr(&b, "data-action", action);
    if let Some(id) = id {
        attr(&b, "data-id", id);
    }
    b
}

/// Sets an attribute.
fn attr(e: &Element, name: &str, value: &str) {
    e.set_attribute(name, value);
}

/// Appends a child.
fn append(parent: &Element, child: &Element) {
    parent.append_child(child);
}

/// Sets the `class` attribute if it differs.
fn set_class(e: &Element, class: &str) {
    if e.get_attribute("class").as_deref() != Some(class) {
        e.set_attribute("class", class);
    }
}

/// The two-buddies logo (decorative).
fn logo(doc: &Document) -> Option<Element> {
    let svg = doc.create_element_ns(Some(SVG), "svg");
    attr(&svg, "viewBox", "0 0 24 24");
    attr(&svg, "aria-hidden", "true");
    attr(&svg, "focusable", "false");
    for (cx, cy, r, fill) in [("9", "7", "4", "#7FBA00"), ("16", "9", "3.2", "#00A4EF")] {
        let c = doc.create_element_ns(Some(SVG), "circle");
        attr(&c, "cx", cx);
        attr(&c, "cy", cy);
        attr(&c, "r", r);
        attr(&c, "fill", fill);
        append(&svg, &c);
    }
    for (d, fill) in [
        ("M1.5 21c0-4.4 3.4-7.5 7.5-7.5s7.5 3.1 7.5 7.5z", "#7FBA00"),
        (
            "M14 13.2c.6-.2 1.3-.3 2-.3 3.6 0 6.5 2.6 6.5 6.3h-5c-.3-2.5-1.6-4.6-3.5-6z",
            "#00A4EF",
        ),
    ] {
        let p = doc.create_element_ns(Some(SVG), "path");
        attr(&p, "d", d);
        attr(&p, "fill", fill);
        append(&svg, &p);
    }
    Some(svg)
}

/// A small decorative icon in `currentColor`, drawn from one path.
fn icon(doc: &Document, d: &str) -> Option<Element> {
    let svg = doc.create_element_ns(Some(SVG), "svg");
    attr(&svg, "viewBox", "0 0 24 24");
    attr(&svg, "aria-hidden", "true");
    attr(&svg, "focusable", "false");
    attr(&svg, "class", "ico");
    let p = doc.create_element_ns(Some(SVG), "path");
    attr(&p, "d", d);
    attr(&p, "fill", "currentColor");
    append(&svg, &p);
    Some(svg)
}

const FRIENDS_ICON: &str = "M9 11.5a3.75 3.75 0 1 0 0-7.5 3.75 3.75 0 0 0 0 7.5zM1.5 20c0-3.9 3.4-6.5 7.5-6.5s7.5 2.6 7.5 6.5zM16.5 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM17.4 13c3 .3 5.1 2.6 5.1 5.5V20h-4.6c0-2.7-1-5-2.9-6.6.8-.3 1.6-.4 2.4-.4z";
const SHARE_ICON: &str = "M13 4.5 21 11l-8 6.5V14c-4.6 0-7.6 1.4-10 4.8C4 13.7 7 10.4 13 9.6z";
const ACTIVITY_ICON: &str = "M4 5h16v2.2H4zm0 5.9h16v2.2H4zm0 5.9h11v2.2H4z";

fn dot(doc: &Document, p: Presence) -> Element {
    let d = el(doc, "span", "");
    attr(&d, "aria-hidden", "true");
    set_dot(&d, p);
    d
}

fn set_dot(d: &Element, p: Presence) {
    let class = match p {
        Presence::Available => "dot p-available",
        Presence::Busy => "dot p-busy",
        Presence::Away => "dot p-away",
        Presence::AppearOffline | Presence::Offline => "dot p-offline",
    };
    set_class(d, class);
    attr(d, "part", "presence");
}

fn panel(doc: &Document, id: &str, title: &str) -> (Element, Element, Element) {
    let p = el(doc, "section", "panel");
    attr(&p, "id", id);
    attr(&p, "part", "panel");
    attr(&p, "role", "region");
    attr(&p, "tabindex", "-1");
    let h = text_el(doc, "h2", "", title);
    let hid = [id, "-h"].concat();
    attr(&h, "id", &hid);
    attr(&p, "aria-labelledby", &hid);
    append(&p, &h);
    let body = el(doc, "div", "panel-body");
    append(&p, &body);
    hidden(&p, true);
    (p, h, body)
}

fn bar_button(
    doc: &Document,
    id: &str,
    label: &str,
    controls: &str,
    icon_path: &str,
) -> (Element, Element) {
    let b = el(doc, "button", "barbtn");
    if let Some(i) = icon(doc, icon_path) {
        append(&b, &i);
    }
    attr(&b, "type", "button");
    attr(&b, "data-action", "panel");
    attr(&b, "data-id", id);
    attr(&b, "data-key", id);
    attr(&b, "aria-expanded", "false");
    attr(&b, "aria-controls", controls);
    attr(&b, "part", "bar-button");
    let lbl = text_el(doc, "span", "lbl", label);
    append(&b, &lbl);
    (b, lbl)
}

fn avatar(doc: &Document, f: &Friend) -> Element {
    let http = f
        .picture
        .as_deref()
        .filter(|p| p.starts_with("http://") || p.starts_with("https://"));
    match http {
        Some(src) => {
            let img = el(doc, "img", "avatar");
            attr(&img, "src", src);
            attr(&img, "alt", "");
            attr(&img, "part", "picture");
            img
        }
        None => {
            let initial: String = f.name.chars().take(1).collect();
            let m = text_el(doc, "span", "avatar", &initial);
            attr(&m, "aria-hidden", "true");
            attr(&m, "part", "picture");
            m
        }
    }
}

impl View {
    /// Builds the bar's skeleton in `root` (emptied first).
    pub fn build(root: &ShadowRoot, l: &'static Labels) -> Option<View> {
        let doc = root.owner_document()?;
        root.set_text_content(None);
        let bar = el(&doc, "div", "bar");
        attr(&bar, "part", "bar");
        attr(&bar, "role", "region");
        attr(&bar, "aria-label", l.messenger);
        attr(&bar, "lang", l.lang());

        // Signed out.
        let out = el(&doc, "div", "out");
        let brand = el(&doc, "span", "brand");
        if let Some(svg) = logo(&doc) {
            append(&brand, &svg);
        }
        append(&brand, &text_el(&doc, "span", "lbl", l.messenger));
        append(&out, &brand);
        let prompt = text_el(&doc, "span", "prompt", l.prompt);
        append(&out, &prompt);
        let sign_in = button(&doc, "primary", l.sign_in(), "signin", None);
        attr(&sign_in, "part", "button sign-in");
        attr(&sign_in, "data-key", "signin");
        append(&out, &sign_in);
        append(&bar, &out);

        // Signed in.
        let inside = el(&doc, "div", "in");
        let me_btn = el(&doc, "button", "barbtn");
        attr(&me_btn, "type", "button");
        attr(&me_btn, "data-action", "panel");
        attr(&me_btn, "data-id", "me");
        attr(&me_btn, "data-key", "me");
        attr(&me_btn, "aria-expanded", "false");
        attr(&me_btn, "aria-controls", "wl-p-me");
        attr(&me_btn, "part", "bar-button me");
        let me_dot = dot(&doc, Presence::Available);
        append(&me_btn, &me_dot);
        let me_name = text_el(&doc, "span", "me-name", "");
        append(&me_btn, &me_name);
        append(&inside, &me_btn);
        let (friends_btn, _) = bar_button(&doc, "friends", l.friends, "wl-p-friends", FRIENDS_ICON);
        let friends_count = text_el(&doc, "span", "count", "0");
        append(&friends_btn, &friends_count);
        append(&inside, &friends_btn);
        let (share_btn, _) = bar_button(&doc, "share", l.share, "wl-p-share", SHARE_ICON);
        append(&inside, &share_btn);
        let (activities_btn, _) = bar_button(
            &doc,
            "activities",
            l.activities,
            "wl-p-activities",
            ACTIVITY_ICON,
        );
        append(&inside, &activities_btn);
        let status = el(&doc, "span", "status");
        attr(&status, "role", "status");
        append(&inside, &status);
        let allow = button(&doc, "primary", l.allow, "consent", None);
        attr(&allow, "data-key", "consent");
        append(&inside, &allow);
        let tabs = el(&doc, "div", "tabs");
        attr(&tabs, "part", "tabs");
        append(&inside, &tabs);
        append(&bar, &inside);

        // The first-run tip.
        let tip = el(&doc, "div", "tip");
        attr(&tip, "role", "note");
        attr(&tip, "part", "tip");
        append(&tip, &text_el(&doc, "span", "", l.first_run));
        let got = button(&doc, "primary", l.got_it, "tip-dismiss", None);
        append(&tip, &got);
        hidden(&tip, true);

        // Me: presence and sign-out.
        let (me_panel, me_title, body) = panel(&doc, "wl-p-me", "");
        let lab = text_el(&doc, "label", "field", l.your_status);
        attr(&lab, "for", "wl-presence");
        append(&body, &lab);
        let presence = el(&doc, "select", "");
        attr(&presence, "id", "wl-presence");
        attr(&presence, "data-action", "presence");
        for p in Presence::CHOICES {
            let o = text_el(&doc, "option", "", l.presence(p));
            attr(&o, "value", p.as_str());
            append(&presence, &o);
        }
        append(&body, &presence);
        let actions = el(&doc, "div", "row-actions");
        append(
            &actions,
            &button(&doc, "primary", l.sign_out(), "signout", None),
        );
        append(&body, &actions);

        // Friends.
        let (friends_panel, _, body) = panel(&doc, "wl-p-friends", l.friends);
        let lab = text_el(&doc, "label", "field", l.search);
        attr(&lab, "for", "wl-search");
        append(&body, &lab);
        let search = el(&doc, "input", "");
        attr(&search, "type", "search");
        attr(&search, "id", "wl-search");
        attr(&search, "data-action", "search");
        attr(&search, "autocomplete", "off");
        append(&body, &search);
        let lists = el(&doc, "div", "");
        append(&body, &lists);

        // Share this page.
        let (share_panel, _, body) = panel(&doc, "wl-p-share", l.share_page);
        let share_page = text_el(&doc, "p", "muted", "");
        append(&body, &share_page);
        let form = el(&doc, "form", "");
        attr(&form, "data-action", "share");
        let lab = text_el(&doc, "label", "field", l.share_message);
        attr(&lab, "for", "wl-share-text");
        append(&form, &lab);
        let share_text = el(&doc, "textarea", "");
        attr(&share_text, "id", "wl-share-text");
        attr(&share_text, "rows", "2");
        attr(&share_text, "maxlength", "1000");
        append(&form, &share_text);
        let fs = el(&doc, "fieldset", "");
        append(&fs, &text_el(&doc, "legend", "", l.share_with));
        let choices = el(&doc, "div", "");
        append(&fs, &choices);
        append(&form, &fs);
        let actions = el(&doc, "div", "row-actions");
        let share_status = el(&doc, "p", "muted");
        attr(&share_status, "role", "status");
        append(&actions, &share_status);
        let submit = text_el(&doc, "button", "primary", l.share);
        attr(&submit, "type", "submit");
        append(&actions, &submit);
        append(&form, &actions);
        append(&body, &form);

        // Activities.
        let (activities_panel, _, body) = panel(&doc, "wl-p-activities", l.recent);
        let feed = el(&doc, "div", "");
        append(&body, &feed);

        let windows = el(&doc, "div", "windows");
        let live = el(&doc, "div", "sr");
        attr(&live, "aria-live", "polite");
        attr(&live, "aria-atomic", "true");

        // Reading and Tab order: the bar, then what opens above it (the layout is positioned,
        // so the order does not move anything on screen).
        for e in [
            &bar,
            &tip,
            &me_panel,
            &friends_panel,
            &share_panel,
            &activities_panel,
            &windows,
            &live,
        ] {
            let _ = root.append_child(e);
        }
        Some(View {
            doc,
            root: root.clone(),
            l,
            bar,
            out,
            prompt,
            sign_in,
            tip,
            inside,
            me_btn,
            me_dot,
            me_name,
            friends_btn,
            friends_count,
            share_btn,
            activities_btn,
            status,
            allow,
            tabs,
            me_panel,
            me_title,
            presence,
            friends_panel,
            search,
            lists,
            share_panel,
            share_page,
            share_text,
            choices,
            share_status,
            activities_panel,
            feed,
            windows,
            wins: Vec::new(),
            live,
        })
    }

    /// The labels in use.
    pub fn labels(&self) -> &'static Labels {
        self.l
    }

    /// Brings every element up to date with `s` and `ui` at time `now` (ms).
    pub fn render(&mut self, s: &State, ui: &Ui, now: f64) {
        let l = self.l;
        // The connection state, for styling and for tests (`data-link`).
        let link = match (&s.link, ui.signed_in) {
            (_, false) => "signed-out",
            (Link::Idle, _) => "idle",
            (Link::Connecting, _) => "connecting",
            (Link::Online, _) => "online",
            (Link::Reconnecting, _) => "reconnecting",
            (Link::NeedsConsent, _) => "needs-consent",
            (Link::Failed(_), _) => "failed",
        };
        attr(&self.bar, "data-link", link);
        hidden(&self.out, ui.signed_in);
        hidden(&self.inside, !ui.signed_in);
        hidden(&self.sign_in, !ui.sign_in_enabled);
        hidden(&self.tip, !ui.tip || ui.signed_in);
        opt_attr(&self.sign_in, "aria-busy", ui.signing_in.then_some("true"));
        let prompt = match &ui.login_error {
            Some(code) if !ui.signed_in => [l.prompt, " (", code, ")"].concat(),
            _ => l.prompt.into(),
        };
        set_text(&self.prompt, &prompt);

        if !ui.signed_in {
            for p in [
                &self.me_panel,
                &self.friends_panel,
                &self.share_panel,
                &self.activities_panel,
            ] {
                hidden(p, true);
            }
            self.sync_windows(&[], s, ui, now);
            return;
        }

        // The person and their presence.
        let me_name = s.me.as_ref().map(|m| m.name.as_str()).unwrap_or("");
        set_text(&self.me_name, me_name);
        set_text(&self.me_title, me_name);
        set_dot(&self.me_dot, s.presence);
        attr(&self.me_btn, "data-presence", s.presence.as_str());
        attr(
            &self.me_btn,
            "aria-label",
            &[me_name, " — ", l.your_status, ": ", l.presence(s.presence)].concat(),
        );
        if self.presence.value() != s.presence.as_str() {
            self.presence.set_value(s.presence.as_str());
        }
        let online = s.link == Link::Online;
        for b in [
            &self.me_btn,
            &self.friends_btn,
            &self.share_btn,
            &self.activities_btn,
        ] {
            hidden(b, !online && s.me.is_none());
        }

        // Connection status.
        let status = match &s.link {
            Link::Idle | Link::Online => String::new(),
            Link::Connecting => l.connecting.into(),
            Link::Reconnecting => l.reconnecting.into(),
            Link::NeedsConsent => l.needs_consent.into(),
            Link::Failed(code) => fill(l.unavailable, &[code]),
        };
        set_text(&self.status, &status);
        hidden(&self.allow, s.link != Link::NeedsConsent);

        // Panels.
        for (p, btn, panel) in [
            (Panel::Me, &self.me_btn, &self.me_panel),
            (Panel::Friends, &self.friends_btn, &self.friends_panel),
            (Panel::Share, &self.share_btn, &self.share_panel),
            (
                Panel::Activities,
                &self.activities_btn,
                &self.activities_panel,
            ),
        ] {
            let open = ui.panel == Some(p);
            attr(btn, "aria-expanded", if open { "true" } else { "false" });
            hidden(panel, !open);
        }

        let (here, on, off) = s.groups_with_here();
        let online_count = s.friends.iter().filter(|f| f.presence.is_online()).count();
        let online_count = decimal(online_count as u64);
        set_text(&self.friends_count, &online_count);
        attr(
            &self.friends_btn,
            "aria-label",
            &[l.friends, " (", &online_count, " ", l.online, ")"].concat(),
        );
        if ui.panel == Some(Panel::Friends) {
            self.render_friends(s, &here, &on, &off);
        }
        if ui.panel == Some(Panel::Share) {
            self.render_share(s, ui);
        }
        if ui.panel == Some(Panel::Activities) {
            self.render_feed(&ui.feed);
        }
        self.render_tabs(s);
        let expanded: Vec<&Conversation> =
            s.conversations.iter().filter(|c| !c.minimised).collect();
        self.sync_windows(&expanded, s, ui, now);
    }

    fn render_friends(&self, s: &State, here: &[&Friend], on: &[&Friend], off: &[&Friend]) {
        let doc = &self.doc;
        let l = self.l;
        rebuild(&self.root, &self.lists, |c| {
            if here.is_empty() && on.is_empty() && off.is_empty() {
                append(c, &text_el(doc, "p", "muted", l.no_match));
                return;
            }
            for (title, group) in [(l.here_now, here), (l.online, on), (l.offline_group, off)] {
                if group.is_empty() {
                    continue;
                }
                append(
                    c,
                    &text_el(
                        doc,
                        "h3",
                        "",
                        &[title, " (", &decimal(group.len() as u64), ")"].concat(),
                    ),
                );
                let ul = el(doc, "ul", "list");
                for f in group {
                    let li = el(doc, "li", "");
                    let b = el(doc, "button", "friend");
                    attr(&b, "type", "button");
                    attr(&b, "data-action", "open");
                    attr(&b, "data-id", &f.id);
                    attr(&b, "data-key", &["f-", &f.id].concat());
                    attr(&b, "data-presence", f.presence.as_str());
                    attr(&b, "part", "friend");
                    append(&b, &avatar(doc, f));
                    let who = el(doc, "span", "who");
                    append(&who, &text_el(doc, "span", "name", &f.name));
                    let pres = el(doc, "span", "pres");
                    append(&pres, &dot(doc, f.presence));
                    append(
                        &pres,
                        &text_el(doc, "span", "", &[" ", l.presence(f.presence)].concat()),
                    );
                    append(&who, &pres);
                    append(&b, &who);
                    if let Some(n) = s.conversation(&f.id).map(|c| c.unread).filter(|n| *n > 0) {
                        let badge = text_el(doc, "span", "badge", &decimal(n.into()));
                        append(
                            &badge,
                            &text_el(
                                doc,
                                "span",
                                "sr",
                                &[" ", fill(l.unread, &[""]).trim()].concat(),
                            ),
                        );
                        append(&b, &badge);
                    }
                    append(&li, &b);
                    append(&ul, &li);
                }
                append(c, &ul);
            }
        });
    }

    fn render_share(&self, s: &State, ui: &Ui) {
        let doc = &self.doc;
        let page = wl_controls_common::edge::dom::page_url(doc);
        set_text(&self.share_page, &page);
        set_text(&self.share_status, ui.share_status.as_deref().unwrap_or(""));
        let mut friends: Vec<&Friend> = s.friends.iter().collect();
        let fold = js::lower_case;
        friends.sort_by_key(|f| (!f.presence.is_online(), fold(&f.name)));
        rebuild(&self.root, &self.choices, |c| {
            for f in friends {
                let lab = el(doc, "label", "choice");
                let cb = el(doc, "input", "");
                attr(&cb, "type", "checkbox");
                attr(&cb, "data-action", "choose");
                attr(&cb, "data-id", &f.id);
                attr(&cb, "data-key", &["c-", &f.id].concat());
                cb.set_checked(ui.share_selected.contains(&f.id));
                append(&lab, &cb);
                append(&lab, &dot(doc, f.presence));
                append(&lab, &text_el(doc, "span", "", &f.name));
                append(c, &lab);
            }
        });
    }

    fn render_feed(&self, feed: &Feed) {
        let doc = &self.doc;
        let l = self.l;
        rebuild(&self.root, &self.feed, |c| match feed {
            Feed::Idle | Feed::Loading => append(c, &text_el(doc, "p", "muted", l.loading)),
            Feed::Failed(code) => append(
                c,
                &text_el(doc, "p", "muted", &fill(l.activities_failed, &[code])),
            ),
            Feed::Rows(rows) if rows.is_empty() => {
                append(c, &text_el(doc, "p", "muted", l.no_activities))
            }
            Feed::Rows(rows) => {
                let ul = el(doc, "ul", "list");
                for r in rows {
                    let li = el(doc, "li", "activity");
                    attr(&li, "part", "activity");
                    let head = el(doc, "p", "");
                    attr(&head, "class", "");
                    append(&head, &text_el(doc, "strong", "", &r.actor));
                    let verb = match r.verb {
                        Verb::Shared => l.shared_verb,
                        Verb::Posted => l.posted_verb,
                    };
                    append(&head, &text_el(doc, "span", "", &[" ", verb, " "].concat()));
                    let title = r.title.as_deref().or(r.url.as_deref()).unwrap_or("");
                    match &r.url {
                        Some(url) => {
                            let a = text_el(doc, "a", "", title);
                            attr(&a, "href", url);
                            attr(&a, "target", "_blank");
                            attr(&a, "rel", "noopener noreferrer");
                            append(&head, &a);
                        }
                        None => append(&head, &text_el(doc, "span", "", title)),
                    }
                    append(&li, &head);
                    if let Some(note) = &r.note {
                        append(&li, &text_el(doc, "span", "", note));
                    }
                    if let Some((label, url)) = &r.action {
                        let label = if label.is_empty() {
                            l.open_action
                        } else {
                            label
                        };
                        let a = text_el(doc, "a", "action", label);
                        attr(&a, "href", url);
                        attr(&a, "target", "_blank");
                        attr(&a, "rel", "noopener noreferrer");
                        attr(&a, "part", "activity-action");
                        append(&li, &a);
                    }
                    if let Some(p) = &r.published {
                        let when = text_el(doc, "span", "when", &short_time(p));
                        if let Some((app, url)) = &r.via {
                            append(&when, &text_el(doc, "span", "", " · "));
                            let (before, after) = l.via.split_once("{}").unwrap_or((l.via, ""));
                            append(&when, &text_el(doc, "span", "", before));
                            let a = text_el(doc, "a", "via", app);
                            attr(&a, "href", url);
                            attr(&a, "target", "_blank");
                            attr(&a, "rel", "noopener noreferrer");
                            append(&when, &a);
                            append(&when, &text_el(doc, "span", "", after));
                        }
                        append(&li, &when);
                    }
                    append(&ul, &li);
                }
                append(c, &ul);
            }
        });
    }

    fn render_tabs(&self, s: &State) {
        let doc = &self.doc;
        let l = self.l;
        rebuild(&self.root, &self.tabs, |c| {
            for conv in s.conversations.iter().filter(|c| c.minimised) {
                let Some(f) = s.friend(&conv.with) else {
                    continue;
                };
                let b = el(doc, "button", "barbtn tab");
                attr(&b, "type", "button");
                attr(&b, "data-action", "open");
                attr(&b, "data-id", &f.id);
                attr(&b, "data-key", &["tab-", &f.id].concat());
                attr(&b, "data-presence", f.presence.as_str());
                attr(&b, "part", "tab");
                let mut label = [
                    &fill(l.conversation, &[&f.name]),
                    " (",
                    l.presence(f.presence),
                    ")",
                ]
                .concat();
                append(&b, &dot(doc, f.presence));
                append(&b, &text_el(doc, "span", "tab-name", &f.name));
                if conv.unread > 0 {
                    let n = decimal(conv.unread.into());
                    let badge = text_el(doc, "span", "badge", &n);
                    attr(&badge, "part", "unread");
                    append(&b, &badge);
                    label.push_str(", ");
                    label.push_str(&fill(l.unread, &[&n]));
                }
                attr(&b, "aria-label", &label);
                append(c, &b);
            }
        });
    }

    fn sync_windows(&mut self, expanded: &[&Conversation], s: &State, ui: &Ui, now: f64) {
        // Remove windows no longer expanded.
        let keep: Vec<&str> = expanded.iter().map(|c| c.with.as_str()).collect();
        self.wins.retain(|w| {
            let k = keep.contains(&w.with.as_str());
            if !k {
                w.section.remove();
            }
            k
        });
        for conv in expanded {
            if !self.wins.iter().any(|w| w.with == conv.with) {
                let w = self.new_window(&conv.with);
                // Newest to the left of older ones (row-reverse container).
                append(&self.windows, &w.section);
                self.wins.push(w);
            }
        }
        let front = ui
            .front
            .clone()
            .filter(|f| keep.contains(&f.as_str()))
            .or_else(|| keep.last().map(|s| s.to_string()));
        let l = self.l;
        let doc = self.doc.clone();
        for w in &mut self.wins {
            let Some(conv) = expanded.iter().find(|c| c.with == w.with) else {
                continue;
            };
            let (name, presence) = s
                .friend(&w.with)
                .map(|f| (f.name.clone(), f.presence))
                .unwrap_or_else(|| (w.with.clone(), Presence::Offline));
            let class = if front.as_deref() == Some(w.with.as_str()) {
                "win front"
            } else {
                "win"
            };
            set_class(&w.section, class);
            attr(&w.section, "aria-label", &fill(l.conversation, &[&name]));
            attr(&w.section, "data-presence", presence.as_str());
            set_dot(&w.dot, presence);
            set_text(&w.name, &name);
            set_text(&w.pres, l.presence(presence));
            attr(&w.close, "aria-label", &fill(l.close, &[&name]));
            attr(&w.min, "aria-label", &[l.minimise, " — ", &name].concat());
            attr(&w.textarea, "aria-label", &fill(l.message_to, &[&name]));
            hidden(&w.more, !conv.more);
            opt_attr(&w.more, "aria-busy", conv.loading.then_some("true"));
            let typing = if conv.is_typing(now) {
                fill(l.typing, &[&name])
            } else {
                String::new()
            };
            set_text(&w.typing, &typing);
            if w.shown.as_ref() != Some(&conv.messages) {
                let was_last = w
                    .shown
                    .as_ref()
                    .and_then(|m| m.last().map(|m| (m.id, m.client_id.clone())));
                let now_last = conv.messages.last().map(|m| (m.id, m.client_id.clone()));
                let keep_scroll = was_last.is_some() && was_last == now_last;
                let top = w.log.scroll_top();
                render_log(&doc, &w.log, &conv.messages, &name, l);
                if keep_scroll {
                    w.log.set_scroll_top(top);
                } else {
                    w.log.set_scroll_top(w.log.scroll_height());
                }
                w.shown = Some(conv.messages.clone());
            }
        }
    }

    fn new_window(&self, with: &str) -> Window {
        let doc = &self.doc;
        let l = self.l;
        let section = el(doc, "section", "win");
        attr(&section, "role", "region");
        attr(&section, "part", "window");
        attr(&section, "data-id", with);
        let head = el(doc, "div", "win-head");
        let dot_el = dot(doc, Presence::Offline);
        append(&head, &dot_el);
        let who = el(doc, "span", "who");
        let name = text_el(doc, "span", "name", "");
        attr(&name, "part", "window-title");
        append(&who, &name);
        let pres = text_el(doc, "span", "pres", "");
        append(&who, &pres);
        append(&head, &who);
        let min = button(doc, "icon", "–", "minimise", Some(with));
        attr(&min, "data-key", &["min-", with].concat());
        append(&head, &min);
        let close = button(doc, "icon", "×", "close", Some(with));
        attr(&close, "data-key", &["close-", with].concat());
        append(&head, &close);
        append(&section, &head);
        let more = button(doc, "linkbtn", l.earlier, "more", Some(with));
        attr(&more, "data-key", &["more-", with].concat());
        append(&section, &more);
        let log = el(doc, "ol", "log");
        attr(&log, "part", "log");
        attr(&log, "tabindex", "0");
        attr(&log, "aria-label", fill(l.conversation, &[""]).trim());
        append(&section, &log);
        let typing = el(doc, "p", "typing");
        append(&section, &typing);
        let form = el(doc, "form", "compose");
        attr(&form, "data-action", "send");
        attr(&form, "data-id", with);
        let textarea = el(doc, "textarea", "");
        attr(&textarea, "data-action", "type");
        attr(&textarea, "data-id", with);
        attr(&textarea, "data-key", &["ta-", with].concat());
        attr(&textarea, "rows", "1");
        attr(&textarea, "maxlength", "2000");
        attr(&textarea, "part", "composer");
        append(&form, &textarea);
        let send = text_el(doc, "button", "primary", l.send);
        attr(&send, "type", "submit");
        append(&form, &send);
        append(&section, &form);
        Window {
            with: with.into(),
            section,
            dot: dot_el,
            name,
            pres,
            min,
            close,
            more,
            log,
            typing,
            textarea,
            shown: None,
        }
    }

    /// Announces text to screen readers (aria-live), even when the same text repeats.
    pub fn announce(&self, text: &str) {
        self.live.set_text_content(None);
        self.live.set_text_content(Some(text));
    }

    /// The text box of a conversation window.
    pub fn textarea(&self, with: &str) -> Option<Element> {
        self.wins
            .iter()
            .find(|w| w.with == with)
            .map(|w| w.textarea.clone())
    }

    /// Focuses a conversation's text box.
    pub fn focus_composer(&self, with: &str) {
        if let Some(t) = self.textarea(with) {
            t.focus();
        }
    }

    /// Focuses a conversation's tab (or the friends button when it has none).
    pub fn focus_tab(&self, with: &str) {
        if !focus_key(&self.tabs, &["tab-", with].concat()) {
            self.friends_btn.focus();
        }
    }

    /// Focuses a panel's toggle button.
    pub fn focus_toggle(&self, p: Panel) {
        match p {
            Panel::Me => &self.me_btn,
            Panel::Friends => &self.friends_btn,
            Panel::Share => &self.share_btn,
            Panel::Activities => &self.activities_btn,
        }
        .focus();
    }

    /// Focuses the first field of an opened panel.
    pub fn focus_panel(&self, p: Panel) {
        match p {
            Panel::Me => &self.presence,
            Panel::Friends => &self.search,
            Panel::Share => &self.share_text,
            Panel::Activities => &self.activities_panel,
        }
        .focus();
    }

    /// Focuses the sign-in button.
    pub fn focus_sign_in(&self) {
        self.sign_in.focus();
    }

    /// The share panel's message text.
    pub fn share_message(&self) -> String {
        self.share_text.value()
    }

    /// Empties the share panel's message.
    pub fn clear_share_message(&self) {
        self.share_text.set_value("");
    }
}

fn status_text(m: &Msg, l: &Labels) -> Option<String> {
    match &m.status {
        Status::Pending => Some(l.sending.into()),
        Status::Sent => Some(l.sent.into()),
        Status::Delivered => Some(l.delivered.into()),
        Status::Failed(code) => Some(fill(l.failed, &[code])),
        Status::Received => None,
    }
}

fn render_log(doc: &Document, log: &Element, messages: &[Msg], name: &str, l: &Labels) {
    log.set_text_content(None);
    if messages.is_empty() {
        let li = text_el(doc, "li", "empty muted", l.say_hello);
        append(log, &li);
        return;
    }
    for m in messages {
        let li = el(doc, "li", if m.mine { "msg mine" } else { "msg" });
        attr(&li, "part", if m.mine { "message mine" } else { "message" });
        if let Some(id) = m.id {
            attr(&li, "data-id", &decimal(id));
        }
        append(
            &li,
            &text_el(
                doc,
                "span",
                "sr",
                &[if m.mine { l.you } else { name }, ": "].concat(),
            ),
        );
        let bubble = el(doc, "span", "bubble");
        for seg in segments(&m.text) {
            match seg {
                Segment::Text(t) => {
                    bubble.append_child(&doc.create_text_node(&t));
                }
                Segment::Link(u) => {
                    let a = text_el(doc, "a", "", &u);
                    attr(&a, "href", &u);
                    attr(&a, "target", "_blank");
                    attr(&a, "rel", "noopener noreferrer");
                    append(&bubble, &a);
                }
            }
        }
        append(&li, &bubble);
        let time = short_time(&m.at);
        let status = if m.mine { status_text(m, l) } else { None };
        let meta_text = match (time.is_empty(), status) {
            (true, None) => String::new(),
            (false, None) => time,
            (true, Some(s)) => s,
            (false, Some(s)) => [time, " · ".into(), s].concat(),
        };
        if !meta_text.is_empty() {
            let meta = text_el(
                doc,
                "span",
                if matches!(m.status, Status::Failed(_)) {
                    "meta failed"
                } else {
                    "meta"
                },
                &meta_text,
            );
            if m.mine {
                let st = match &m.status {
                    Status::Pending => "pending",
                    Status::Sent => "sent",
                    Status::Delivered => "delivered",
                    Status::Failed(_) => "failed",
                    Status::Received => "received",
                };
                attr(&li, "data-status", st);
            }
            append(&li, &meta);
        }
        append(log, &li);
    }
}
