//! Shared support for the browser end-to-end tests: the dev host and chromedriver as
//! process groups, a browser session with test helpers, the visitor's steps, axe-core, and the
//! small runner the `e2e` test binary uses.
#![deny(missing_docs)]

pub mod axe;
pub mod browser;
pub mod cluster;
pub mod driver;
pub mod error;
pub mod flow;
pub mod harness;
pub mod http;
pub mod layout_shift;
pub mod paths;
pub mod postgres;
pub mod process;
pub mod server;
pub mod static_site;

pub use browser::{Browser, Probe};
pub use error::{E2eError, Result, check};
pub use harness::{Case, Env};
pub use server::DevServer;
