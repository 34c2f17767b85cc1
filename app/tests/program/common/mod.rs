//! The shared fixtures, and the window's helpers (`ui`).
#![allow(dead_code, unused_imports)] // each test uses some

pub use ikensho_testkit::fixtures::*;
pub mod ui;
