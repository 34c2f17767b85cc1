//! Opinions written before ikensho, taken in from another program (日医's 医見書, through its
//! CSV): each is stored as a frozen version in state 紙で提出, for the applicant of its 保険者番号
//! and 被保険者番号, so that the renewal's copy-forward starts from it. The trail says where each
//! came from (`import`, the file's name and row). What a record says is kept by its SHA-256, and a
//! record taken once is not taken again; neither is a second opinion of the same applicant on the
//! same 記入日 (医見書 itself never writes such a pair). One call takes one file, in one
//! transaction: all of it or, when cancelled or failed, nothing.

use jiff::civil::Date;

use super::audit::{self, Event};
use super::db::{Sql, Tx, params};
use super::state::State;
use super::versions::{form, index_opinion, insert_version};
use super::{Action, Result, Session, Store, StoreError, now};
use crate::form::Opinion;
use crate::form::normalize::identifier;

/// One opinion to take in.
#[derive(Debug, Clone)]
pub struct PastOpinion {
    /// The record's row in its file (from 1).
    pub row: usize,
    /// The SHA-256 (hex) of what the record says, without what changes from one export of the
    /// same opinion to the next (the moment of export).
    pub fingerprint: String,
    pub opinion: Opinion,
    /// 記入日 as the other program had it, also when the form's item cannot hold it (a date
    /// before 令和): the opinion is listed and ordered by it.
    pub written: Option<Date>,
}

/// What became of one [`PastOpinion`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PastOutcome {
    /// Stored as this opinion; `new_applicant` when the store held no opinion of the applicant.
    Imported {
        opinion_id: i64,
        new_applicant: bool,
    },
    /// The same record was imported before (from this file or another).
    Already { opinion_id: i64 },
    /// Another record of the same applicant and 記入日 was imported before: this one is not.
    SameDay { opinion_id: i64 },
}

impl Store {
    /// Takes in the opinions of one file (`source`, its name as the person knows it), in one
    /// transaction. `each(n)` is called before the `n`-th (from 0) and stops the import when it
    /// returns `false`: then nothing of the file is kept ([`StoreError::Cancelled`]).
    /// Administrators only. The opinions are not validated: they are what was submitted then.
    pub fn import_past(
        &mut self,
        session: &Session,
        source: &str,
        past: &[PastOpinion],
        each: &mut dyn FnMut(usize) -> bool,
    ) -> Result<Vec<PastOutcome>> {
        self.check(session, Action::Administer)?;
        let physicians = self.physicians()?;
        let today = crate::form::Context::today_in_japan().today;
        self.write(|tx| {
            let mut out = Vec::with_capacity(past.len());
            for (i, p) in past.iter().enumerate() {
                if !each(i) {
                    return Err(StoreError::Cancelled);
                }
                let named = p.opinion.clinic.physician_name.as_str();
                let physician = physicians
                    .iter()
                    .find(|u| !named.trim().is_empty() && same_name(&u.name, named))
                    .map(|u| u.id);
                out.push(import_one(tx, session, source, p, physician, today)?);
            }
            Ok(out)
        })
    }
}

fn import_one(
    tx: &Tx<'_>,
    session: &Session,
    source: &str,
    p: &PastOpinion,
    physician: Option<i64>,
    today: Date,
) -> Result<PastOutcome> {
    if let Some(opinion_id) = tx.query_opt(
        "SELECT opinion_id FROM imported WHERE fingerprint = ?1",
        params![p.fingerprint],
        |r| r.get(0),
    )? {
        return Ok(PastOutcome::Already { opinion_id });
    }
    let a = &p.opinion.applicant;
    let (insurer, insured) = (identifier(&a.insurer_number), identifier(&a.insured_number));
    let day = p.written.unwrap_or(today).to_string();
    if !insured.is_empty()
        && p.written.is_some()
        && let Some(opinion_id) = tx.query_opt(
            "SELECT o.id FROM imported i JOIN opinions o ON o.id = i.opinion_id
             WHERE o.insurer_number = ?1 AND o.insured_number = ?2 AND o.day = ?3",
            params![insurer, insured, day],
            |r| r.get(0),
        )?
    {
        return Ok(PastOutcome::SameDay { opinion_id });
    }
    let new_applicant = insured.is_empty()
        || !tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM opinions
                            WHERE insurer_number = ?1 AND insured_number = ?2)",
            params![insurer, insured],
            |r| r.get(0),
        )?;
    // Written then: ordered among the applicant's opinions by its 記入日 (midnight in Japan).
    let at = now();
    let written_at = p
        .written
        .and_then(|d| d.to_zoned(crate::form::wareki::japan()).ok())
        .map_or_else(|| at.clone(), |z| z.timestamp().to_string());
    form(p.opinion.form_version)?;
    let opinion_id: i64 = tx.query_row(
        "INSERT INTO opinions (state, day, created_day, physician_id, created_at, updated_at)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5) RETURNING id",
        params![State::Paper.id(), day, physician, written_at, at],
        |r| r.get(0),
    )?;
    let (version_id, hash) = insert_version(tx, opinion_id, 1, &p.opinion, session)?;
    index_opinion(tx, opinion_id, &p.opinion, true)?;
    // The 依頼番号 of another program is the insurer's number on its paper request, not a hub
    // 作成依頼: kept in the opinion as written, never taken as the hub's (nor refused for
    // another opinion having the same).
    tx.execute(
        "UPDATE opinions SET request_id = NULL WHERE id = ?1",
        params![opinion_id],
    )?;
    tx.execute(
        "UPDATE versions SET frozen = 'printed', frozen_at = ?1 WHERE id = ?2",
        params![written_at, version_id],
    )?;
    let row = i64::try_from(p.row).unwrap_or(i64::MAX);
    tx.execute(
        "INSERT INTO imported (fingerprint, opinion_id, source, source_row, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![p.fingerprint, opinion_id, source, row, at],
    )?;
    audit::append(
        tx,
        &session.actor(),
        &Event::new("import")
            .opinion(opinion_id)
            .version(version_id)
            .detail(&format!("{source}:{}", p.row))
            .after(&hash),
    )?;
    Ok(PastOutcome::Imported {
        opinion_id,
        new_applicant,
    })
}

/// Whether two names are the same person's as typed in two programs: spaces (half or full
/// width) do not count.
fn same_name(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    squeeze(a) == squeeze(b)
}

impl Store {
    /// The current version of each opinion, frozen, to be written into a file for another
    /// program (医見書's CSV for an insurer that takes it): physicians only, as for a final print.
    /// Each is checked against the trail (nothing changed outside the program goes out).
    pub fn frozen_for_export(
        &self,
        session: &Session,
        opinion_ids: &[i64],
    ) -> Result<Vec<super::model::OpenedOpinion>> {
        self.check(session, Action::PrintFinal)?;
        let mut out = Vec::with_capacity(opinion_ids.len());
        for &id in opinion_ids {
            let opened = self.read_current(session, id)?;
            if opened.version.frozen.is_none() {
                return Err(StoreError::NotFinal { opinion_id: id });
            }
            let row = super::versions::version_row(&self.db, opened.version.id)?;
            audit::check_version(&self.db, opened.version.id, &row.body, &row.body_hash)?;
            out.push(opened);
        }
        Ok(out)
    }

    /// Records in the trail that these versions were written into `target` (`export`).
    pub fn record_export(
        &mut self,
        session: &Session,
        versions: &[&super::model::VersionInfo],
        target: &str,
    ) -> Result<()> {
        self.check(session, Action::PrintFinal)?;
        self.write(|tx| {
            for v in versions {
                audit::append(
                    tx,
                    &session.actor(),
                    &Event::new("export")
                        .opinion(v.opinion_id)
                        .version(v.id)
                        .detail(target)
                        .same(&v.body_hash),
                )?;
            }
            Ok(())
        })
    }
}
