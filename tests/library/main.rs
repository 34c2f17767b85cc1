//! The library's tests against real components (a SQLite file, PDFs read back with poppler and
//! qpdf, pcscd with the virtual card, the hub simulator over TLS), in one test binary: one link
//! instead of ten, and one place to see what is covered.

mod atrest;
mod crash;
mod delivery;
mod fhir;
mod forms;
mod fuzzed;
mod house;
mod ikensyo;
mod locales;
mod outbox;
mod pdf;
mod rules;
mod server;
mod sign;
mod store;
mod workflow;
