//! ikensho's program: the window ([`app`]) and the command line ([`cli`]) over the library.
//! See ARCHITECTURE.md for the map.

// The library's modules, under the names the program's code uses.
use ikensho::{card, files, form, hub, i18n, ikensyo, pdf, sign, store, workflow};

pub mod app;
pub mod cli;
