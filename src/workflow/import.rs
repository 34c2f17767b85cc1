//! Taking in the CSV that 日医's 医見書 writes of its opinions: each sound record becomes a frozen
//! opinion on the R3 form in state 紙で提出 (`Store::import_past`), matched to its applicant by
//! 保険者番号 and 被保険者番号, so that the next renewal copies forward from it. A record that does not
//! parse is refused with its row and column and imported as nothing; the rest goes on. A file is
//! one transaction: cancelled, it leaves nothing behind. A file imported again adds nothing twice.

use std::collections::HashSet;

use super::WorkflowError;
use crate::form::def::FormDef;
use crate::form::normalize::identifier;
use crate::form::{FormVersion, ReadError};
use crate::i18n::{Lang, Locales};
use crate::ikensyo::csv::{CsvError, decode_lines, records};
use crate::ikensyo::import::{Finding, RecordError, Unread, convert, ymd};
use crate::ikensyo::mapping::{self, Kind, Mapping};
use crate::store::{PastOpinion, PastOutcome, Session, Store, StoreError, sha256_hex};

/// Why a record was imported as nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Its bytes are not code page 932 text.
    Undecodable,
    /// It cannot be split into fields.
    Malformed,
    /// It has the wrong number of fields for its format.
    Columns { found: usize, expected: usize },
    /// Column 1 names a format this import does not read (`I1.2`: a 医師意見書 of the
    /// 障害者総合支援法, not a 主治医意見書).
    Format(String),
    /// A column holds what 医見書 does not write.
    Damaged(Unread),
    /// What it says does not make an opinion of the form.
    Shape(ReadError),
    /// An opinion of the same applicant on the same 記入日 was imported before (from this file
    /// or another): 医見書 never writes two.
    SameDay,
}

/// A record imported as nothing, where and why. Rows and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub row: usize,
    pub column: Option<usize>,
    /// The column's 項目, as 医見書's format names it (empty without a column).
    pub name: String,
    pub why: Refusal,
}

/// What a sound, imported record said that the form has no place for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Noted {
    pub row: usize,
    pub finding: Finding,
    /// The column's 項目, as 医見書's format names it.
    pub name: String,
}

/// What one file's import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileImport {
    /// The file's name, as the trail has it.
    pub source: String,
    /// Records read (empty lines are none).
    pub records: usize,
    /// Opinions stored.
    pub imported: usize,
    /// Records imported before: nothing added.
    pub already: usize,
    /// Applicants the store did not know before this file.
    pub new_applicants: usize,
    /// Applicants the store knew, to whom opinions were added.
    pub known_applicants: usize,
    pub refused: Vec<Refused>,
    pub notes: Vec<Noted>,
}

/// How far an import is: `done` of `total` records stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// Imports one file of 医見書's CSV (`bytes`, read from the file named `source`) in one
/// transaction. `progress` is told how far it is and stops it by returning `false`: then nothing
/// of the file is kept (`StoreError::Cancelled`). Administrators only.
pub fn import_ikensyo_csv(
    store: &mut Store,
    session: &Session,
    source: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<FileImport, WorkflowError> {
    let form = FormDef::builtin(FormVersion::R3).map_err(|e| StoreError::Form(e.to_string()))?;
    // The built-in mappings are checked by the tests; one that does not load is a bug, said once.
    for format in mapping::FORMATS {
        if let Some(Err(e)) = mapping::builtin(format) {
            return Err(StoreError::Form(e.to_string()).into());
        }
    }
    let decoded = decode_lines(bytes);
    let mut report = FileImport {
        source: source.to_owned(),
        ..FileImport::default()
    };
    let mut refused: Vec<Refused> = decoded
        .undecodable
        .iter()
        .map(|&row| Refused {
            row,
            column: None,
            name: String::new(),
            why: Refusal::Undecodable,
        })
        .collect();
    let mut past = Vec::new();
    let mut notes = Vec::new();
    for record in records(&decoded.text) {
        report.records += 1;
        let record = match record {
            Ok(r) => r,
            Err(CsvError::Malformed { row, .. }) => {
                refused.push(Refused {
                    row,
                    column: None,
                    name: String::new(),
                    why: Refusal::Malformed,
                });
                continue;
            }
            Err(_) => continue,
        };
        match take(&record.fields, form) {
            Ok((p, found, m)) => {
                notes.extend(found.into_iter().map(|finding| Noted {
                    row: record.row,
                    name: column_name(m, Some(finding.column)),
                    finding,
                }));
                past.push(PastOpinion {
                    row: record.row,
                    ..p
                });
            }
            Err((column, why)) => refused.push(Refused {
                row: record.row,
                column,
                name: mapping::builtin(record.fields.first().map_or("", String::as_str))
                    .and_then(Result::ok)
                    .map(|m| column_name(m, column))
                    .unwrap_or_default(),
                why,
            }),
        }
    }
    report.records += decoded.undecodable.len();
    let total = past.len();
    let outcomes = store.import_past(session, source, &past, &mut |done| {
        progress(Progress { done, total })
    })?;
    progress(Progress { done: total, total });
    let mut new = HashSet::new();
    let mut known = HashSet::new();
    let mut imported_rows = HashSet::new();
    for (p, outcome) in past.iter().zip(&outcomes) {
        let a = &p.opinion.applicant;
        let key = (identifier(&a.insurer_number), identifier(&a.insured_number));
        match outcome {
            PastOutcome::Imported { new_applicant, .. } => {
                report.imported += 1;
                imported_rows.insert(p.row);
                if *new_applicant || new.contains(&key) {
                    new.insert(key);
                } else {
                    known.insert(key);
                }
            }
            PastOutcome::Already { .. } => report.already += 1,
            PastOutcome::SameDay { .. } => refused.push(Refused {
                row: p.row,
                column: None,
                name: String::new(),
                why: Refusal::SameDay,
            }),
        }
    }
    report.new_applicants = new.len();
    report.known_applicants = known.len();
    refused.sort_by_key(|r| r.row);
    report.refused = refused;
    notes.retain(|n| imported_rows.contains(&n.row));
    report.notes = notes;
    Ok(report)
}

/// A record taken: the opinion to store, what was not taken, and the mapping that read it.
type Taken = (PastOpinion, Vec<Finding>, &'static Mapping);

/// One record as an opinion to store, with what was not taken; or why it is refused, and in
/// which column.
fn take(fields: &[String], form: &FormDef) -> Result<Taken, (Option<usize>, Refusal)> {
    let format = fields.first().map(String::as_str).unwrap_or_default();
    let Some(Ok(m)) = mapping::builtin(format) else {
        return Err((Some(1), Refusal::Format(format.to_owned())));
    };
    let converted = convert(fields, m, form).map_err(|e| match e {
        RecordError::Columns { found, expected } => (None, Refusal::Columns { found, expected }),
        RecordError::Format(f) => (Some(1), Refusal::Format(f)),
    })?;
    if let Some(bad) = converted.findings.iter().find(|f| f.unread.is_damage()) {
        return Err((Some(bad.column), Refusal::Damaged(bad.unread.clone())));
    }
    converted
        .opinion
        .check_shape(form)
        .map_err(|e| (column_of(&e, m), Refusal::Shape(e)))?;
    let written = m
        .column
        .iter()
        .find(|c| c.to.as_deref() == Some(crate::form::validate::ids::WRITTEN_DATE))
        .and_then(|c| fields.get(c.n - 1))
        .and_then(|v| ymd(v));
    Ok((
        PastOpinion {
            row: 0,
            fingerprint: fingerprint(fields, m),
            opinion: converted.opinion,
            written,
        },
        converted.findings,
        m,
    ))
}

/// The 項目 of column `n` in `m`.
fn column_name(m: &Mapping, n: Option<usize>) -> String {
    n.and_then(|n| m.column(n))
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

impl Refused {
    /// What was refused, where and why, in `lang`; `file` names the file.
    pub fn message(&self, locales: &Locales, lang: Lang, file: &str) -> String {
        let at = place(locales, lang, file, self.row, self.column, &self.name);
        let (key, mut a) = match &self.why {
            Refusal::Undecodable => ("import-refused-undecodable", vec![]),
            Refusal::Malformed => ("import-refused-malformed", vec![]),
            Refusal::Columns { found, expected } => (
                "import-refused-columns",
                vec![
                    ("found", found.to_string()),
                    ("expected", expected.to_string()),
                ],
            ),
            Refusal::Format(f) => ("import-refused-format", vec![("format", f.clone())]),
            Refusal::Damaged(Unread::Date(v)) => {
                ("import-refused-date", vec![("value", v.clone())])
            }
            Refusal::Damaged(Unread::Flags(v)) => {
                ("import-refused-flags", vec![("value", v.clone())])
            }
            Refusal::Damaged(u) => ("import-refused-code", vec![("value", unread_value(u))]),
            Refusal::Shape(e) => ("import-refused-shape", vec![("detail", e.to_string())]),
            Refusal::SameDay => ("import-refused-same-day", vec![]),
        };
        a.push(("where", at));
        locales.text_with(lang, key, &a)
    }
}

impl Noted {
    /// What the form could not hold of an imported row, in `lang`.
    pub fn message(&self, locales: &Locales, lang: Lang, file: &str) -> String {
        let at = place(
            locales,
            lang,
            file,
            self.row,
            Some(self.finding.column),
            &self.name,
        );
        let (key, mut a) = match &self.finding.unread {
            Unread::NoChoice { position } => (
                "import-note-no-choice",
                vec![("position", position.to_string())],
            ),
            Unread::UnknownOnset => ("import-note-unknown-onset", vec![]),
            Unread::BeforeReiwa(v) => ("import-note-before-reiwa", vec![("value", v.clone())]),
            Unread::Disagrees(v) => ("import-note-disagrees", vec![("value", v.clone())]),
            u => ("import-note-not-carried", vec![("value", unread_value(u))]),
        };
        a.push(("where", at));
        locales.text_with(lang, key, &a)
    }
}

impl FileImport {
    /// What the form could not hold, one line per column and kind of finding (the first row it
    /// was seen on, and how many more rows say the same), in `lang`.
    pub fn notes_by_column(&self, locales: &Locales, lang: Lang) -> Vec<String> {
        let mut seen: Vec<(&Noted, usize)> = Vec::new();
        for n in &self.notes {
            let alike = |m: &&Noted| {
                m.finding.column == n.finding.column
                    && std::mem::discriminant(&m.finding.unread)
                        == std::mem::discriminant(&n.finding.unread)
            };
            match seen.iter_mut().find(|(m, _)| alike(m)) {
                Some((_, more)) => *more += 1,
                None => seen.push((n, 0)),
            }
        }
        seen.into_iter()
            .map(|(n, more)| {
                let note = n.message(locales, lang, &self.source);
                if more == 0 {
                    note
                } else {
                    locales.text_with(
                        lang,
                        "import-note-more",
                        &[("note", note), ("more", more.to_string())],
                    )
                }
            })
            .collect()
    }

    /// The file's summary line, in `lang`.
    pub fn summary(&self, locales: &Locales, lang: Lang) -> String {
        locales.text_with(
            lang,
            "import-summary",
            &[
                ("file", self.source.clone()),
                ("records", self.records.to_string()),
                ("imported", self.imported.to_string()),
                ("new", self.new_applicants.to_string()),
                ("known", self.known_applicants.to_string()),
                ("already", self.already.to_string()),
                ("refused", self.refused.len().to_string()),
            ],
        )
    }
}

/// 「FILE の N 行目 M 列目（項目）」
fn place(
    locales: &Locales,
    lang: Lang,
    file: &str,
    row: usize,
    column: Option<usize>,
    name: &str,
) -> String {
    let mut a = vec![("file", file.to_owned()), ("row", row.to_string())];
    match column {
        Some(c) => {
            a.push(("column", c.to_string()));
            a.push(("name", name.to_owned()));
            locales.text_with(lang, "import-where-column", &a)
        }
        None => locales.text_with(lang, "import-where", &a),
    }
}

/// The value an [`Unread`] is about, as read.
fn unread_value(u: &Unread) -> String {
    match u {
        Unread::Code(v)
        | Unread::Date(v)
        | Unread::Flags(v)
        | Unread::NotCarried(v)
        | Unread::BeforeReiwa(v)
        | Unread::Disagrees(v) => v.chars().take(40).collect(),
        Unread::NoChoice { position } => position.to_string(),
        Unread::UnknownOnset => "不詳".to_owned(),
    }
}

/// What a record says, as a SHA-256: every field but those that change from one export of the
/// same opinion to the next (the format, the writing program, the moment of export).
fn fingerprint(fields: &[String], m: &Mapping) -> String {
    let mut said = String::new();
    for (c, f) in m.column.iter().zip(fields) {
        if !matches!(c.kind, Kind::Fixed | Kind::Timestamp | Kind::NotCarried) {
            said.push_str(f);
        }
        said.push('\u{1f}');
    }
    sha256_hex(said.as_bytes())
}

/// The column whose item a shape problem points at (`/answers/<item>…`).
fn column_of(e: &ReadError, m: &Mapping) -> Option<usize> {
    let ReadError::Shape { pointer, .. } = e else {
        return None;
    };
    let item = pointer.trim_start_matches('/').split('/').nth(1)?;
    m.column
        .iter()
        .find(|c| c.to.as_deref() == Some(item))
        .map(|c| c.n)
}
