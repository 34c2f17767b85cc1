//! Printing an opinion kept in the store, under the store's rules: anyone who may open an opinion
//! may print a draft copy (marked 下書き); only a physician prints the final one, which freezes the
//! version first (確定, with its checks) when it is still a draft, moves the opinion to 紙で提出,
//! and is audited with the SHA-256 of the PDF.

use crate::form::validate::Finding;
use crate::form::{Context, FormDef, FormVersion};
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

/// How a stored opinion is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredPrint {
    pub copy: Copy,
    /// Print 医師氏名 (記名) for municipalities that still accept it; `None` follows the clinic
    /// setting, which leaves it blank for the 自署 unless an administrator turned it on.
    pub print_physician_name: Option<bool>,
    /// The physician confirmed the items carried over from the last opinion as they are.
    pub confirm_carried: bool,
    /// The physician accepts that on an R8 form text goes on to a continuation sheet (別紙).
    pub allow_continuation: bool,
}

impl StoredPrint {
    pub fn draft() -> StoredPrint {
        StoredPrint {
            copy: Copy::Draft,
            print_physician_name: None,
            confirm_carried: false,
            allow_continuation: false,
        }
    }

    pub fn final_copy() -> StoredPrint {
        StoredPrint {
            copy: Copy::Final,
            ..StoredPrint::draft()
        }
    }
}

/// Why a stored opinion was not printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// On the R8 form text of these items does not fit its box and would go on to a
    /// continuation sheet: the R8 様式 has no 別紙 note and OCR municipalities ask that nothing be
    /// written outside the boxes, so the physician must accept it first.
    #[error("{} item(s) would go on to a continuation sheet", items.len())]
    Continuation { items: Vec<String> },
}

/// Prints the current version of opinion `opinion_id` as `how` says. The final copy of a draft is
/// made from the draft as it is, and recorded with its 確定 in one transaction
/// ([`Store::finish`]): a refusal (a clerk's entry not reviewed, a validation error, carried items
/// not confirmed, text going on to a 別紙 on the R8 form not accepted) leaves the draft as it was.
pub fn print_stored(
    store: &mut Store,
    session: &Session,
    opinion_id: i64,
    how: &StoredPrint,
    ctx: &Context,
) -> Result<Printed, PrintError> {
    let final_copy = how.copy == Copy::Final;
    if final_copy {
        // Refuse a clerk before anything happens.
        session.require(Action::PrintFinal)?;
    }
    let opened = store.open_opinion(session, opinion_id)?;
    let form = FormDef::builtin(opened.opinion.form_version)
        .map_err(|e| StoreError::Form(e.to_string()))?;
    let print_physician_name = match how.print_physician_name {
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
    if final_copy && !how.allow_continuation {
        let items = continuation_items(form, &printed.findings);
        if !items.is_empty() {
            return Err(PrintError::Continuation { items });
        }
    }
    let hash = crate::store::sha256_hex(&printed.bytes);
    if final_copy && opened.version.frozen.is_none() {
        store.finish(
            session,
            opinion_id,
            opened.version.revision,
            how.confirm_carried,
            ctx,
            Finish::Printed { pdf_sha256: &hash },
        )?;
    } else {
        store.record_print(session, opened.version.id, final_copy, &hash)?;
    }
    Ok(printed)
}

/// The items whose text goes on to a continuation sheet, on a form that has no 別紙 note (R8).
pub fn continuation_items(form: &FormDef, findings: &[Finding]) -> Vec<String> {
    if form.version != FormVersion::R8 {
        return Vec::new();
    }
    findings
        .iter()
        .filter(|f| f.message == super::msg::OVERFLOW)
        .map(|f| f.item.clone())
        .collect()
}
