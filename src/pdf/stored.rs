//! Printing an opinion kept in the store, under the store's rules: anyone who may open an opinion
//! may print a draft copy (marked 下書き); only a physician prints the final one, which freezes the
//! version first (確定, with its checks) when it is still a draft, moves the opinion to 紙で提出,
//! and is audited with the SHA-256 of the PDF.

use crate::form::{Context, FormDef};
use crate::store::{Action, Finish, Session, Store, StoreError};

use super::{PdfError, PrintOptions, Printed, render};

/// Which copy to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copy {
    /// For reading or checking: 下書き on every page; any role that may open the opinion.
    Draft,
    /// The copy that goes to the municipality: physicians only.
    Final,
}

/// Why a stored opinion was not printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

/// Prints the current version of opinion `opinion_id`. `print_physician_name` prints 医師氏名
/// (記名) for municipalities that still accept it; `None` follows the clinic setting, which
/// leaves it blank for the 自署 unless an administrator turned it on. The final copy of a draft is
/// made from the draft as it is, and recorded with its 確定 in one transaction
/// ([`Store::finish`]): a refusal (a clerk's entry not reviewed, a validation error, carried items
/// not confirmed unless `confirm_carried`) leaves the draft as it was.
pub fn print_stored(
    store: &mut Store,
    session: &Session,
    opinion_id: i64,
    copy: Copy,
    print_physician_name: Option<bool>,
    confirm_carried: bool,
    ctx: &Context,
) -> Result<Printed, PrintError> {
    let final_copy = copy == Copy::Final;
    if final_copy {
        // Refuse a clerk before anything happens.
        session.require(Action::PrintFinal)?;
    }
    let opened = store.open_opinion(session, opinion_id)?;
    let form = FormDef::builtin(opened.opinion.form_version)
        .map_err(|e| StoreError::Form(e.to_string()))?;
    let print_physician_name = match print_physician_name {
        Some(p) => p,
        None => store.clinic_settings()?.print_physician_name,
    };
    let printed = render(
        form,
        &opened.opinion,
        PrintOptions {
            print_physician_name,
            draft: !final_copy,
        },
    )?;
    let hash = crate::store::sha256_hex(&printed.bytes);
    if final_copy && opened.version.frozen.is_none() {
        store.finish(
            session,
            opinion_id,
            opened.version.revision,
            confirm_carried,
            ctx,
            Finish::Printed { pdf_sha256: &hash },
        )?;
    } else {
        store.record_print(session, opened.version.id, final_copy, &hash)?;
    }
    Ok(printed)
}
