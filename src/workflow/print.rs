//! Printing an opinion kept in the store, under the store's rules: anyone who may open an opinion
//! may print a draft copy (marked 下書き); only a physician prints the final one, which freezes the
//! version first (確定, with its checks) when it is still a draft, moves the opinion to 紙で提出,
//! and is audited with the SHA-256 of the PDF.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::form::validate::Finding;
use crate::form::{Context, FormDef, FormVersion};
use crate::pdf::{PrintOptions, Printed, render};
use crate::store::{Action, Finish, Session, Store, StoreError};

use super::WorkflowError;

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

/// A PDF written to a file.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedFile {
    pub path: PathBuf,
    pub pages: usize,
    /// What the paper does not show as typed.
    pub findings: Vec<Finding>,
    /// The form it was printed on (to name the findings' items).
    pub form: FormVersion,
}

/// A stored opinion printed in memory.
#[derive(Debug, Clone)]
pub struct StoredCopy {
    pub printed: Printed,
    /// The form it was printed on (to name the findings' items).
    pub form: FormVersion,
    /// The number of the version printed (v1, v2 after a 差し戻し…).
    pub version_number: i64,
}

/// Prints the current version of opinion `opinion_id` as `how` says, in memory. The final copy of
/// a draft is made from the draft as it is, and recorded with its 確定 in one transaction
/// ([`Store::finish`]): a refusal (a clerk's entry not reviewed, a validation error, carried items
/// not confirmed, text going on to a 別紙 on the R8 form not accepted) leaves the draft as it was.
pub fn print_stored(
    store: &mut Store,
    session: &Session,
    opinion_id: i64,
    how: &StoredPrint,
    ctx: &Context,
) -> Result<StoredCopy, WorkflowError> {
    let final_copy = how.copy == Copy::Final;
    if final_copy {
        // Refuse a clerk before anything happens.
        store.check(session, Action::PrintFinal)?;
    }
    let opened = store.read_current(session, opinion_id)?;
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
            return Err(WorkflowError::Continuation { items });
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
    Ok(StoredCopy {
        printed,
        form: form.version,
        version_number: opened.version.number,
    })
}

/// Where a print goes.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// This file (replaced when it exists).
    File(&'a Path),
    /// A file in this folder named after the opinion, its version and the copy
    /// ([`prints_path`]); the folder is made when missing.
    Folder(&'a Path),
}

/// The file in `dir` for a print of version `number` of opinion `opinion_id`.
pub fn prints_path(dir: &Path, opinion_id: i64, number: i64, copy: Copy) -> PathBuf {
    let kind = match copy {
        Copy::Draft => "draft",
        Copy::Final => "final",
    };
    dir.join(format!("opinion-{opinion_id}-v{number}-{kind}.pdf"))
}

/// Prints a draft copy (下書き on every page) of opinion `opinion_id` to `to`.
pub fn print_draft(
    store: &mut Store,
    session: &Session,
    opinion_id: i64,
    print_physician_name: Option<bool>,
    to: Target<'_>,
) -> Result<PrintedFile, WorkflowError> {
    let how = StoredPrint {
        print_physician_name,
        ..StoredPrint::draft()
    };
    print_to(
        store,
        session,
        opinion_id,
        &how,
        to,
        &Context::today_in_japan(),
    )
}

/// Prints the final copy of opinion `opinion_id` to `to` (physicians only; a draft is finalised
/// with it, in one transaction). `how.copy` is taken as [`Copy::Final`].
pub fn print_final(
    store: &mut Store,
    session: &Session,
    opinion_id: i64,
    how: &StoredPrint,
    to: Target<'_>,
    ctx: &Context,
) -> Result<PrintedFile, WorkflowError> {
    let how = StoredPrint {
        copy: Copy::Final,
        ..*how
    };
    print_to(store, session, opinion_id, &how, to, ctx)
}

fn print_to(
    store: &mut Store,
    session: &Session,
    opinion_id: i64,
    how: &StoredPrint,
    to: Target<'_>,
    ctx: &Context,
) -> Result<PrintedFile, WorkflowError> {
    let StoredCopy {
        printed,
        form,
        version_number,
    } = print_stored(store, session, opinion_id, how, ctx)?;
    let path = match to {
        Target::File(p) => p.to_path_buf(),
        Target::Folder(dir) => {
            crate::files::private_dir(dir).map_err(|source| WorkflowError::Write {
                path: dir.to_path_buf(),
                source,
            })?;
            prints_path(dir, opinion_id, version_number, how.copy)
        }
    };
    write_whole(&path, &printed.bytes)?;
    Ok(PrintedFile {
        path,
        pages: printed.pages,
        findings: printed.findings,
        form,
    })
}

/// Writes beside the destination (the owner's only), syncs, then renames: a PDF is there whole or
/// not at all.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), WorkflowError> {
    let part = crate::files::with_suffix(path, ".part");
    let result = (|| {
        let mut f = crate::files::create_private(&part)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&part, path)
    })();
    result.map_err(|source| {
        let _ = std::fs::remove_file(&part);
        WorkflowError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// The items whose text goes on to a continuation sheet, on a form that has no 別紙 note (R8).
pub fn continuation_items(form: &FormDef, findings: &[Finding]) -> Vec<String> {
    if form.version != FormVersion::R8 {
        return Vec::new();
    }
    findings
        .iter()
        .filter(|f| f.message == crate::pdf::msg::OVERFLOW)
        .map(|f| f.item.clone())
        .collect()
}
