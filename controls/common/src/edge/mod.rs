//! The kit's browser edge: the built-ins the controls call ([`js`], declared here instead of
//! `web-sys`/`js-sys` for a smaller module), guards that undo on drop (DOM listeners,
//! [`listener`]; timers, [`timer`]), the one
//! shadow-root builder with constructed style sheets, elements, text and events ([`dom`]), the
//! logos as inline SVG ([`logo`]), [`cell::Slot`], a control's state, and the time ([`time`]).

pub mod cell;
pub mod dom;
pub mod js;
pub mod listener;
pub mod logo;
pub mod time;
pub mod timer;
