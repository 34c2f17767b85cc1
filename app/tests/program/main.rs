//! The program's tests, in one test binary (one link of egui instead of six): the window's
//! journeys driven through AccessKit (`app`), the geometry of every screen at several sizes
//! (`geometry`), the screens' snapshots (`snapshots`, behind the feature of that name), the
//! command line (`cli`), the hub (`hub`) and the card through the real pcscd (`pcsc`).

mod common;

mod app;
mod cli;
mod geometry;
mod hub;
mod pcsc;
mod secrets;
mod setup;
mod snapshots;
