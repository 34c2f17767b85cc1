//! Opinions as drafts: create, open, autosave (item marks, list columns and search keys in the
//! same transaction), hand-over between clerk and physician, the versions and their diff.

use super::db::{Sql, params};
use jiff::civil::Date;

use super::audit::{self, Event};
use super::model::{
    Draft, INFO_COLUMNS, NewOpinion, OpenedOpinion, Origin, Saved, VersionInfo, info_from_row,
    version_from_row,
};
use super::state::{State, opinion_state, set_state};
use super::versions::{
    current_version, form, index_opinion, insert_version, marks_of, parse_body, serialise,
    set_origin, version_info, version_row,
};
use super::{Action, Result, Session, Store, StoreError, now};
use crate::form::changes::{ItemDiff, diff};
use crate::form::{Context, FormVersion, Opinion};

impl Store {
    /// The physician who writes a new opinion, and their name for 医師氏名.
    pub(super) fn physician_for(
        &self,
        session: &Session,
        asked: Option<i64>,
        previous: Option<i64>,
    ) -> Result<(Option<i64>, String)> {
        let physicians = self.physicians()?;
        let pick = |id: i64| physicians.iter().find(|p| p.id == id);
        let chosen = match asked {
            Some(id) => Some(pick(id).ok_or(StoreError::NotFound("physician"))?),
            None if session.roles().has(super::Role::Physician) => pick(session.user_id()),
            None => previous.and_then(pick).or(if physicians.len() == 1 {
                physicians.first()
            } else {
                None
            }),
        };
        Ok(chosen.map_or((None, String::new()), |p| (Some(p.id), p.name.clone())))
    }

    pub(super) fn insert_opinion(
        &mut self,
        session: &Session,
        op: &Opinion,
        physician_id: Option<i64>,
        renewal_of: Option<i64>,
        (carried, changed): (&[String], &[String]),
        action: &str,
    ) -> Result<Draft> {
        let state = if op.request.is_some() {
            State::Received
        } else if session.is_clerk() {
            State::ClerkEntry
        } else {
            State::AwaitingPhysician
        };
        self.write(|tx| {
            let at = now();
            let opinion_id: i64 = tx.query_row(
                "INSERT INTO opinions (state, day, created_day, physician_id, renewal_of, created_at,
                                       updated_at)
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?5) RETURNING id",
                params![
                    state.id(),
                    Context::today_in_japan().today.to_string(),
                    physician_id,
                    renewal_of,
                    at
                ],
                |r| r.get(0),
            )?;
            let (version_id, hash) = insert_version(tx, opinion_id, 1, op, session)?;
            index_opinion(tx, opinion_id, op, true)?;
            set_origin(tx, version_id, carried, Origin::Carried)?;
            set_origin(tx, version_id, changed, Origin::Changed)?;
            let detail = renewal_of.map(|v| format!("from version {v}")).unwrap_or_default();
            let event = Event::new(action)
                .opinion(opinion_id)
                .version(version_id)
                .detail(&detail)
                .after(&hash);
            audit::append(tx, &session.actor(), &event)?;
            Ok(Draft {
                opinion_id,
                version_id,
                revision: 0,
                opinion: op.clone(),
            })
        })
    }

    /// Creates a new opinion with the clinic settings and the physician filled in, on the form in
    /// force `today`.
    pub fn create_opinion(
        &mut self,
        session: &Session,
        new: NewOpinion,
        today: Date,
    ) -> Result<Draft> {
        self.check(session, Action::Edit)?;
        let form = form(FormVersion::for_date(today))?;
        let (physician_id, physician_name) = self.physician_for(session, new.physician, None)?;
        let mut op = Opinion::empty(form, false);
        op.applicant = new.applicant;
        op.request = new.request;
        op.clinic = self.clinic_settings()?.clinic(&physician_name);
        op.check_shape(form).map_err(StoreError::Shape)?;
        self.insert_opinion(session, &op, physician_id, None, (&[], &[]), "create")
    }

    /// Opens an opinion's current version (audited).
    pub fn open_opinion(&mut self, session: &Session, opinion_id: i64) -> Result<OpenedOpinion> {
        self.check(session, Action::Open)?;
        let version_id = current_version(&self.db, opinion_id)?;
        self.open_version(session, version_id)
    }

    /// The current version of an opinion for a use case that records what it does itself (a
    /// signature, a print): not audited as an open.
    pub(crate) fn read_current(&self, session: &Session, opinion_id: i64) -> Result<OpenedOpinion> {
        self.check(session, Action::Open)?;
        self.read_version(current_version(&self.db, opinion_id)?)
    }

    pub(super) fn read_version(&self, version_id: i64) -> Result<OpenedOpinion> {
        let row = version_row(&self.db, version_id)?;
        let info = self.db.query_row(
            &format!("SELECT {INFO_COLUMNS} FROM opinions o WHERE o.id = ?1"),
            params![row.opinion_id],
            info_from_row,
        )?;
        Ok(OpenedOpinion {
            info,
            version: version_info(&self.db, version_id)?,
            opinion: parse_body(&row.body)?,
            marks: marks_of(&self.db, version_id)?,
        })
    }

    /// Saves a draft version in place: one call per edit. `revision` is the one this copy was
    /// loaded or last saved at; a save from an older copy is refused ([`StoreError::Conflict`]).
    /// Items a clerk changes are marked for the physician's review; a carried-over item that
    /// changes is marked changed. Nothing is written when nothing changed.
    pub fn autosave(
        &mut self,
        session: &Session,
        version_id: i64,
        revision: i64,
        op: &Opinion,
    ) -> Result<Saved> {
        self.check(session, Action::Edit)?;
        let new_form = form(op.form_version)?;
        op.check_shape(new_form).map_err(StoreError::Shape)?;
        self.write(|tx| {
            let row = version_row(tx, version_id)?;
            if row.frozen || !row.state.is_draft() {
                return Err(StoreError::Frozen(version_id));
            }
            if row.revision != revision {
                return Err(StoreError::Conflict {
                    expected: revision,
                    found: row.revision,
                    by: row.saved_by,
                });
            }
            let old = parse_body(&row.body)?;
            let changed: Vec<String> = diff(form(old.form_version)?, &old, new_form, op)
                .into_iter()
                .map(|d| d.item)
                .collect();
            if changed.is_empty() && old == *op {
                return Ok(Saved { revision, changed });
            }
            let (body, hash) = serialise(op)?;
            tx.execute(
                "UPDATE versions SET body = ?1, body_hash = ?2, revision = revision + 1,
                     saved_at = ?3, saved_by = ?4
                 WHERE id = ?5",
                params![body, hash, now(), session.user_id(), version_id],
            )?;
            let clerk = session.is_clerk();
            for item in &changed {
                tx.execute(
                    "INSERT INTO item_marks (version_id, item, origin, clerk_pending)
                     VALUES (?1, ?2, NULL, ?3)
                     ON CONFLICT (version_id, item) DO UPDATE SET
                         origin = CASE WHEN item_marks.origin IS NULL THEN NULL
                                       ELSE 'changed' END,
                         clerk_pending = excluded.clerk_pending",
                    params![version_id, item, clerk],
                )?;
            }
            let keys_changed = old.applicant.name != op.applicant.name
                || old.applicant.kana != op.applicant.kana
                || old.applicant.insured_number != op.applicant.insured_number;
            index_opinion(tx, row.opinion_id, op, keys_changed)?;
            if row.state == State::Received {
                let to = if clerk {
                    State::ClerkEntry
                } else {
                    State::AwaitingPhysician
                };
                set_state(tx, row.opinion_id, row.state, to)?;
            }
            audit::append(
                tx,
                &session.actor(),
                &Event::new("change")
                    .opinion(row.opinion_id)
                    .version(version_id)
                    .detail(&changed.join(","))
                    .before(&row.body_hash)
                    .after(&hash),
            )?;
            Ok(Saved {
                revision: revision + 1,
                changed,
            })
        })
    }

    /// Moves a draft between the clerk and the physician (事務入力中 ⇄ 医師確認待ち).
    pub fn hand_over(&mut self, session: &Session, opinion_id: i64, to: State) -> Result<()> {
        self.check(session, Action::Edit)?;
        self.write(|tx| {
            let from = opinion_state(tx, opinion_id)?;
            if !(from.is_draft() && to.is_draft()) {
                return Err(StoreError::Transition { from, to });
            }
            set_state(tx, opinion_id, from, to)?;
            let detail = to.id();
            audit::append(
                tx,
                &session.actor(),
                &Event::new("hand-over").opinion(opinion_id).detail(detail),
            )
        })
    }

    /// The versions of an opinion, oldest first.
    pub fn versions(&self, session: &Session, opinion_id: i64) -> Result<Vec<VersionInfo>> {
        self.check(session, Action::Open)?;
        self.db.query_all(
            "SELECT id, opinion_id, number, revision, saved_at, body_hash, frozen, frozen_at
             FROM versions WHERE opinion_id = ?1 ORDER BY number",
            params![opinion_id],
            version_from_row,
        )
    }

    /// Opens one version (audited as an open).
    pub fn open_version(&mut self, session: &Session, version_id: i64) -> Result<OpenedOpinion> {
        self.check(session, Action::Open)?;
        let opened = self.read_version(version_id)?;
        self.write(|tx| {
            audit::append(
                tx,
                &session.actor(),
                &Event::new("open")
                    .opinion(opened.info.id)
                    .version(version_id)
                    .after(&opened.version.body_hash),
            )
        })?;
        Ok(opened)
    }

    /// The items that differ between two versions (of one opinion, or an opinion and the one it
    /// was renewed from), in printed order. Audited as an open of both.
    pub fn diff_versions(
        &mut self,
        session: &Session,
        before: i64,
        after: i64,
    ) -> Result<Vec<ItemDiff>> {
        let a = self.open_version(session, before)?;
        let b = self.open_version(session, after)?;
        Ok(diff(
            form(a.opinion.form_version)?,
            &a.opinion,
            form(b.opinion.form_version)?,
            &b.opinion,
        ))
    }
}
