//! ikensho: the 主治医意見書 (attending physician's opinion for 要介護認定) — fill, validate,
//! print, sign and send. See ARCHITECTURE.md for the map.

pub mod card;
pub mod files;
pub mod form;
pub mod hub;
pub mod i18n;
pub mod ikensyo;
pub mod pdf;
pub mod sign;
pub mod store;
pub mod workflow;
