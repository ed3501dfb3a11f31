//! The WebSocket to the messenger hub (docs/messenger.md): open, send text frames, hear frames
//! and the close code. Listeners are removed and the socket closed when dropped.

use crate::protocol::close;
use wl_controls_common::edge::js::{self, WebSocket};
use wl_controls_common::edge::listener::Listener;

/// Errors opening the hub connection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    /// The URL is not a `ws:`/`wss:` URL the browser accepts.
    #[error("the messenger hub URL is not a WebSocket URL: {0}")]
    BadUrl(String),
}

impl HubError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            HubError::BadUrl(_) => "no_hub",
        }
    }
}

/// `WebSocket.OPEN`.
const OPEN: u16 = 1;

/// An open (or opening) hub connection.
pub struct Socket {
    ws: WebSocket,
    _listeners: Vec<Listener>,
}

impl Socket {
    /// Opens `url`; `on_open` runs once connected, `on_text` for every text frame, `on_close`
    /// with the close code when the connection ends (1006 when it failed without one).
    pub fn open(
        url: &str,
        mut on_open: impl FnMut() + 'static,
        mut on_text: impl FnMut(String) + 'static,
        mut on_close: impl FnMut(u16) + 'static,
    ) -> Result<Socket, HubError> {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("ws://") || lower.starts_with("wss://")) {
            return Err(HubError::BadUrl(url.into()));
        }
        let ws = WebSocket::new(url).map_err(|_| HubError::BadUrl(url.into()))?;
        let listeners = vec![
            Listener::new(&ws, "open", move |_| on_open()),
            // A `MessageEvent`'s `data`: text frames only (the hub sends no binary ones).
            Listener::new(&ws, "message", move |e| {
                if let Some(text) = js::get(&e, "data").as_string() {
                    on_text(text);
                }
            }),
            // A `CloseEvent`'s `code`.
            Listener::new(&ws, "close", move |e| {
                let code = js::get(&e, "code").as_f64().map_or(1006, |c| c as u16);
                on_close(code);
            }),
        ];
        Ok(Socket {
            ws,
            _listeners: listeners,
        })
    }

    /// Sends one text frame if the socket is open (frames before `open` are dropped: the
    /// reducer re-sends what matters after `welcome`).
    pub fn send(&self, text: &str) -> bool {
        self.ws.ready_state() == OPEN && self.ws.send_with_str(text).is_ok()
    }

    /// Closes the connection because the person signed out ([`close::SIGNED_OUT`]): the hub
    /// tells friends "offline" at once instead of after its offline grace.
    pub fn close_signed_out(self) {
        let _ = self.ws.close_with_code(close::SIGNED_OUT);
    }
}

impl Drop for Socket {
    /// Closes with [`close::NORMAL`] (a no-op once the socket is closing).
    fn drop(&mut self) {
        let _ = self.ws.close_with_code(close::NORMAL);
    }
}
