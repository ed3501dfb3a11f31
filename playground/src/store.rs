//! The Playground's state as a yew `Reducible`: the settings (`wl_markup::state::State`, mirrored
//! in the URL), the event log, and what the preview frame reports.

use std::rc::Rc;
use wl_markup::state::{Background, State, Tab, normalise_scope};
use yew::Reducible;

/// How many log lines are kept.
const LOG_LINES: usize = 200;

/// One line of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// A running number (also the list key).
    pub n: u32,
    /// The event name (`auth.login`, `wl-error <wl-signin>`, …).
    pub name: String,
    /// Its detail as short JSON.
    pub detail: String,
}

/// Everything the UI renders from.
#[derive(Debug, Clone, PartialEq)]
pub struct Store {
    /// The settings (control, attributes, page scope, view).
    pub ui: State,
    /// The event log, oldest first.
    pub log: Vec<LogLine>,
    /// Counts the preview frame's (re)loads, so the elements are sent again after each.
    pub frame_loads: u32,
    /// Whether the preview has a session.
    pub signed_in: bool,
    next_line: u32,
}

impl Store {
    /// The store for a URL query.
    pub fn from_query(query: &str) -> Store {
        Store {
            ui: State::from_query(query),
            log: Vec::new(),
            frame_loads: 0,
            signed_in: false,
            next_line: 0,
        }
    }
}

/// What can happen.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Choose a control by tag.
    Choose(String),
    /// Set an attribute of the chosen control.
    SetAttr(&'static str, String),
    /// Set the page's `data-scope`.
    SetPageScope(String),
    /// Light or dark preview page.
    Background(Background),
    /// Phone-width preview or not.
    Narrow(bool),
    /// Show a tool.
    Tab(Tab),
    /// Reset the chosen control's attributes.
    ResetControl,
    /// The preview frame has (re)loaded.
    FrameReady,
    /// An event relayed from the preview.
    Event(String, String),
    /// Whether the preview has a session now.
    Session(bool),
    /// Empty the event log.
    ClearLog,
    /// The origin of the person's own site, as typed.
    SetSite(String),
    /// The client id of the person's own app, as typed.
    SetClientId(String),
    /// Whether the snippet draws the controls in the page before `wl.js` loads.
    Drawn(bool),
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Choose(tag) => s.ui.choose(&tag),
            Action::SetAttr(name, value) => s.ui.set(name, &value),
            Action::SetPageScope(scope) => s.ui.page_scope = normalise_scope(&scope),
            Action::Background(b) => s.ui.background = b,
            Action::Narrow(n) => s.ui.narrow = n,
            Action::Tab(t) => s.ui.tab = t,
            Action::ResetControl => {
                s.ui.values.remove(s.ui.control.tag);
            }
            Action::FrameReady => s.frame_loads += 1,
            Action::Event(name, detail) => {
                s.log.push(LogLine {
                    n: s.next_line,
                    name,
                    detail,
                });
                s.next_line += 1;
                if s.log.len() > LOG_LINES {
                    let extra = s.log.len() - LOG_LINES;
                    s.log.drain(..extra);
                }
            }
            Action::Session(on) => s.signed_in = on,
            Action::ClearLog => s.log.clear(),
            Action::SetSite(site) => s.ui.site = site,
            Action::SetClientId(id) => s.ui.client_id = id,
            Action::Drawn(on) => s.ui.drawn = on,
        }
        Rc::new(s)
    }
}
