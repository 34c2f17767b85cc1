//! Writing finalised opinions as 医見書's CSV (FormatVersion 1.2), for an insurer that takes the
//! file instead of paper: every record checked before anything is written — a character that
//! code page 932 cannot hold, two opinions of one applicant on one 記入日 (医見書 refuses those
//! too) — and what the format cannot carry listed by opinion and item.

use super::WorkflowError;
use crate::form::FormVersion;
use crate::form::def::FormDef;
use crate::form::validate::{date_of, ids};
use crate::i18n::{Lang, Locales};
use crate::ikensyo::csv::{CsvError, write};
use crate::ikensyo::export::{ExportFinding, record};
use crate::ikensyo::mapping;
use crate::store::{Session, Store, StoreError};

/// Why nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// A character of an opinion that code page 932 has no code for.
    #[error("opinion {opinion_id}, column {column}: U+{code:04X} has no code in code page 932")]
    Unencodable {
        opinion_id: i64,
        column: usize,
        code: u32,
    },
    /// Two opinions of one applicant on one 記入日.
    #[error("opinions {first} and {second} share 被保険者番号 and 記入日")]
    SameDay { first: i64, second: i64 },
}

/// An opinion's finding, by its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionFinding {
    pub opinion_id: i64,
    pub finding: ExportFinding,
}

/// A file's bytes and what it could not carry.
#[derive(Debug, Clone)]
pub struct CsvFile {
    pub bytes: Vec<u8>,
    pub findings: Vec<OpinionFinding>,
}

/// The finalised opinions `ids`, in that order, written as a file of 医見書's CSV at `out`
/// (readable by its owner only), then recorded in the trail for each opinion. Nothing is written
/// when a record cannot be written as it is.
pub fn export_ikensyo_csv(
    store: &mut Store,
    session: &Session,
    ids: &[i64],
    out: &std::path::Path,
) -> Result<CsvFile, WorkflowError> {
    let r3 = FormDef::builtin(FormVersion::R3).map_err(|e| StoreError::Form(e.to_string()))?;
    let m = match mapping::builtin("1.2") {
        Some(Ok(m)) => m,
        Some(Err(e)) => return Err(StoreError::Form(e.to_string()).into()),
        None => return Err(StoreError::Form("1.2".into()).into()),
    };
    let opened = store.frozen_for_export(session, ids)?;
    let mut rows = Vec::with_capacity(opened.len());
    let mut findings = Vec::new();
    let mut keys: Vec<(String, Option<jiff::civil::Date>, i64)> = Vec::new();
    for o in &opened {
        let form = FormDef::builtin(o.opinion.form_version)
            .map_err(|e| StoreError::Form(e.to_string()))?;
        let at = o
            .version
            .frozen_at
            .as_deref()
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(jiff::Timestamp::now);
        let rec = record(&o.opinion, form, m, r3, at);
        let key = (
            crate::form::normalize::identifier(&o.opinion.applicant.insured_number),
            date_of(&o.opinion, form, ids::WRITTEN_DATE),
        );
        if let Some((_, _, first)) = keys
            .iter()
            .find(|(n, d, _)| !n.is_empty() && d.is_some() && (n, d) == (&key.0, &key.1))
        {
            return Err(ExportError::SameDay {
                first: *first,
                second: o.info.id,
            }
            .into());
        }
        keys.push((key.0, key.1, o.info.id));
        findings.extend(rec.findings.into_iter().map(|finding| OpinionFinding {
            opinion_id: o.info.id,
            finding,
        }));
        rows.push(rec.fields);
    }
    let bytes = write(&rows).map_err(|e| match e {
        CsvError::Unencodable { row, column, code } => {
            WorkflowError::Export(ExportError::Unencodable {
                opinion_id: opened.get(row - 1).map_or(0, |o| o.info.id),
                column,
                code,
            })
        }
        other => WorkflowError::Store(StoreError::Form(other.to_string())),
    })?;
    crate::files::write_private(out, &bytes).map_err(|source| WorkflowError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    let target = crate::files::name_of(out);
    let versions: Vec<_> = opened.iter().map(|o| &o.version).collect();
    if let Err(e) = store.record_export(session, &versions, &target) {
        // Not in the trail: not written either.
        let _ = std::fs::remove_file(out);
        return Err(e.into());
    }
    Ok(CsvFile { bytes, findings })
}

impl ExportError {
    /// The message in `lang`.
    pub fn message(&self, locales: &Locales, lang: Lang) -> String {
        match self {
            ExportError::Unencodable {
                opinion_id,
                column,
                code,
            } => {
                let ch = char::from_u32(*code).map(String::from).unwrap_or_default();
                let name = mapping::builtin("1.2")
                    .and_then(Result::ok)
                    .and_then(|m| m.column(*column))
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                locales.text_with(
                    lang,
                    "export-unencodable",
                    &[
                        ("id", opinion_id.to_string()),
                        ("column", column.to_string()),
                        ("name", name),
                        ("char", ch),
                        ("code", format!("U+{code:04X}")),
                    ],
                )
            }
            ExportError::SameDay { first, second } => locales.text_with(
                lang,
                "export-same-day",
                &[("first", first.to_string()), ("second", second.to_string())],
            ),
        }
    }
}

impl OpinionFinding {
    /// The finding in `lang`, naming the opinion and the item (its label on the form).
    pub fn message(&self, locales: &Locales, lang: Lang) -> String {
        let label = |item: &str| {
            FormDef::builtin(FormVersion::R8)
                .ok()
                .and_then(|f| f.item(item))
                .or_else(|| {
                    FormDef::builtin(FormVersion::R3)
                        .ok()
                        .and_then(|f| f.item(item))
                })
                .map_or_else(
                    || item.to_owned(),
                    |i| locales.text(lang, &i.label_key(), None),
                )
        };
        let id = ("id", self.opinion_id.to_string());
        match &self.finding {
            ExportFinding::NotCarried { item } => {
                locales.text_with(lang, "export-not-carried", &[id, ("item", label(item))])
            }
            ExportFinding::ChoiceNotCarried { item, choice } => locales.text_with(
                lang,
                "export-choice-not-carried",
                &[id, ("item", label(item)), ("choice", choice.clone())],
            ),
            ExportFinding::TooLong { column, max, found } => locales.text_with(
                lang,
                "export-too-long",
                &[
                    id,
                    ("column", column.to_string()),
                    ("max", max.to_string()),
                    ("found", found.to_string()),
                ],
            ),
        }
    }
}
