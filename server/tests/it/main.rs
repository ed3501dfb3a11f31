//! The server's integration tests: one binary (one link, one harness), a module per area.
//! Run one area with a filter, e.g. `cargo test -p wl-server --test it -- hub::`.
#![allow(clippy::unwrap_used)]
// Each area uses part of the shared support.
#![allow(dead_code)]

mod common;

mod activities;
mod activity_links;
mod badge;
mod cli;
mod contract;
mod csrf;
mod data_api;
mod data_formats;
mod data_write;
mod faults;
mod feeds;
mod here;
mod hosting;
mod hub;
mod i18n;
mod in_process;
mod layers;
mod limits;
mod manage;
mod media;
mod messenger_rest;
mod portal;
mod provider;
mod scale;
mod secrets;
mod stats;
mod tokens_attack;
