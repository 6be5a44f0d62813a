//! One integration-test binary (it links once) that drives the real `handback` binary
//! through whole stories against real files. One module per area.

mod accessibility;
mod browser;
mod common;
mod concurrency;
mod config;
mod corrections;
mod crash;
mod desk;
mod directory;
mod documents;
mod export;
mod find;
mod hostile;
mod import;
mod import_excel;
mod import_wide;
pub mod ldap_server;
mod mail;
mod notify;
mod outcomes;
mod postgres;
mod register;
mod safety;
pub mod smtp_server;
mod sync;
mod web;
mod web_forms;
mod zone;
