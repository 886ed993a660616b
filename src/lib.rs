//! casebinder: a family's special-education records, read into a local catalog, offline.
//!
//! Data flows one way: scan → extract → catalog → (timeline, checks, binder) → output.
//! `main.rs` only calls [`commands::run`].

pub mod binder;
pub mod case;
pub mod catalog;
pub mod checks;
pub mod classify;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod day;
pub mod desk;
pub mod error;
pub mod extract;
pub mod failpoint;
pub mod filing;
pub mod layout;
pub mod output;
pub mod panic_guard;
pub mod picture;
pub mod query;
pub mod sample;
pub mod scan;
pub mod timeline;
