//! The domain of the 主治医意見書: the form definition, the Opinion value, validation, 和暦 dates
//! and identifiers. Nothing here knows about windows, storage or the network.

pub mod changes;
pub mod charset;
pub mod def;
pub mod describe;
pub mod ident;
pub mod normalize;
pub mod opinion;
pub mod validate;
pub mod wareki;

pub use def::{FormDef, FormLoadError, FormVersion, Item, ItemKind, Section, Severity};
pub use opinion::{
    Answer, Applicant, Clinic, DateInput, Editable, Marked, Opinion, ReadError, Request,
};
pub use validate::{Context, Finding, Fix, Report, apply_fix, validate};
pub use wareki::{Era, WarekiDate, age_on};
