//! The clinic's use cases, one function each, the same for the window, the command line and the
//! tests: sign an opinion and queue it for the hub ([`sign_and_queue`]), print it to a file
//! ([`print_draft`], [`print_final`]), one delivery pass ([`delivery_pass`]: send what is due, then
//! ask about what was received) and taking in the hub's 作成依頼 ([`take_in_requests`]).
//!
//! Each changes the store in one transaction where it can: a signature is recorded, the version
//! frozen and the document queued together, and a final print freezes the version with the
//! print's hash. Errors stay typed ([`WorkflowError`]) until they are shown, in the language of
//! that moment ([`WorkflowError::message`]).

mod delivery;
mod export;
mod import;
mod print;
mod sign;

use std::path::PathBuf;

pub use crate::hub::outbox::DeliveryOptions;
pub use delivery::{DeliveryPass, delivery_pass, take_in_requests};
pub use export::{CsvFile, ExportError, OpinionFinding, export_ikensyo_csv};
pub use import::{FileImport, Noted, Progress, Refusal, Refused, import_ikensyo_csv};
pub use print::{
    Copy, PrintedFile, StoredCopy, StoredPrint, Target, continuation_items, print_draft,
    print_final, print_stored, prints_path, write_whole,
};
pub use sign::{Signer, sign_and_queue};

use crate::card::CardError;
use crate::hub::client::HubError;
use crate::hub::flow::FlowError;
use crate::i18n::{Lang, Locales};
use crate::pdf::PdfError;
use crate::sign::cms::SignError;
use crate::store::StoreError;

/// Why a use case did not complete. Nothing it would have changed in the store is changed.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The card or the signature (a wrong PIN is [`WorkflowError::wrong_pin`]).
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error(transparent)]
    Hub(#[from] HubError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// On the R8 form the text of these items does not fit its box and would go on to a
    /// continuation sheet: the R8 様式 has no 別紙 note and OCR municipalities ask that nothing be
    /// written outside the boxes, so the physician must accept it first.
    #[error("{} item(s) would go on to a continuation sheet", items.len())]
    Continuation { items: Vec<String> },
    /// 医見書's CSV could not be written as the opinions say.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The PDF could not be written.
    #[error("{}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl From<CardError> for WorkflowError {
    fn from(e: CardError) -> WorkflowError {
        WorkflowError::Sign(SignError::Card(e))
    }
}

impl From<FlowError> for WorkflowError {
    fn from(e: FlowError) -> WorkflowError {
        match e {
            FlowError::Hub(h) => WorkflowError::Hub(h),
            FlowError::Store(s) => WorkflowError::Store(s),
        }
    }
}

/// Where a message about a continuation sheet asks the physician to accept it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asker {
    /// The window's tick box 「別紙に続くことを確認しました」.
    Window,
    /// The command line's `--allow-continuation`.
    CommandLine,
}

impl WorkflowError {
    /// The card refused the PIN (the window asks again; nothing retries by itself).
    pub fn wrong_pin(&self) -> bool {
        matches!(
            self,
            WorkflowError::Sign(SignError::Card(CardError::WrongPin { .. }))
        )
    }

    /// The message for the user in `lang`, naming what is wrong and where.
    pub fn message(&self, locales: &Locales, lang: Lang, asker: Asker) -> String {
        match self {
            WorkflowError::Store(e) => crate::store::describe::error(locales, lang, e),
            WorkflowError::Sign(SignError::Card(e)) => locales.text_with(lang, e.key(), &e.args()),
            WorkflowError::Sign(e) => {
                locales.text_with(lang, e.key(), &[("detail", e.to_string())])
            }
            WorkflowError::Hub(e) => locales.text_with(lang, e.key(), &e.args()),
            WorkflowError::Pdf(e) => locales.text(lang, e.key(), None),
            WorkflowError::Continuation { items } => {
                let key = match asker {
                    Asker::Window => "app-review-continuation",
                    Asker::CommandLine => "print-continuation-refused",
                };
                crate::pdf::continuation_message(locales, lang, key, items)
            }
            WorkflowError::Export(e) => e.message(locales, lang),
            WorkflowError::Write { path, source } => {
                crate::i18n::io_message(locales, lang, "err-io", path, source)
            }
        }
    }
}
