//! handback: an equipment register and checkout tracker for an IT department.
//!
//! Layers call one way: the command line (`src/cli`, in the binary) calls [`domain`], which
//! runs each operation in one transaction through [`store`], the only place SQL lives.
//! [`render`] turns the typed values of [`model`] into tables, CSV, JSON and documents;
//! nothing in this library prints. [`directory`] reads people from Active Directory or
//! another LDAP server (`sync ldap`) and knows nothing of the register; [`mail`] sends
//! e-mail notices over SMTP and knows nothing of it either.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod directory;
pub mod docs;
pub mod domain;
pub mod error;
pub mod files;
pub mod i18n;
pub mod import;
pub mod mail;
pub mod model;
pub mod refusal;
pub mod render;
pub mod store;
pub mod validate;
pub mod zone;

pub use error::{Error, Result};
