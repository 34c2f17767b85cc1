//! Opinions, their versions and states, autosave, item marks, finalising, copy-forward.

use jiff::civil::Date;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::audit::{self, Actor, Event};
use super::search::{keys_of, set_keys};
use super::{Action, Result, Session, Store, StoreError, now, sha256_hex};
use crate::form::changes::{ItemDiff, carry_forward, diff};
use crate::form::normalize::identifier;
use crate::form::opinion::ReadError;
use crate::form::validate::{date_of, ids};
use crate::form::{Applicant, Context, FormDef, FormVersion, Opinion, Request, validate};

/// Where an opinion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// 受付: a 作成依頼 taken in, nothing entered yet.
    Received,
    /// 事務入力中: a clerk is preparing the draft.
    ClerkEntry,
    /// 医師確認待ち: the draft is with the physician.
    AwaitingPhysician,
    /// 確定: finalised by the physician; the version is frozen.
    Finalised,
    /// 送信待ち: signed and queued for the hub.
    Queued,
    /// 送信済: the hub has it (receipt).
    Sent,
    /// 受理: the municipality accepted it.
    Accepted,
    /// 差し戻し: the municipality returned it; a new version answers it.
    Returned,
    /// 紙で提出: printed as final for the paper route.
    Paper,
}

impl State {
    pub const ALL: [State; 9] = [
        State::Received,
        State::ClerkEntry,
        State::AwaitingPhysician,
        State::Finalised,
        State::Queued,
        State::Sent,
        State::Accepted,
        State::Returned,
        State::Paper,
    ];

    /// The id stored and used in messages (`state-<id>` in the locales).
    pub fn id(self) -> &'static str {
        match self {
            State::Received => "received",
            State::ClerkEntry => "clerk-entry",
            State::AwaitingPhysician => "awaiting-physician",
            State::Finalised => "finalised",
            State::Queued => "queued",
            State::Sent => "sent",
            State::Accepted => "accepted",
            State::Returned => "returned",
            State::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.id() == s)
    }

    /// Whether the current version is a draft that can still be edited.
    pub fn is_draft(self) -> bool {
        matches!(
            self,
            State::Received | State::ClerkEntry | State::AwaitingPhysician
        )
    }

    /// Whether `self` may become `to`.
    pub fn may_become(self, to: State) -> bool {
        use State::*;
        matches!(
            (self, to),
            (Received, ClerkEntry | AwaitingPhysician | Finalised)
                | (ClerkEntry, AwaitingPhysician | Finalised)
                | (AwaitingPhysician, ClerkEntry | Finalised)
                | (Finalised, Queued | Paper | ClerkEntry | AwaitingPhysician)
                | (Queued, Sent | Finalised)
                | (Sent, Accepted | Returned)
                | (Returned, ClerkEntry | AwaitingPhysician)
        )
    }
}

/// Where an item's value came from, in an opinion started by copy-forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Carried over from the last opinion and not looked at yet.
    Carried,
    /// Carried over, then changed.
    Changed,
    /// Carried over and confirmed unchanged (確認済).
    Confirmed,
}

impl Origin {
    pub fn id(self) -> &'static str {
        match self {
            Origin::Carried => "carried",
            Origin::Changed => "changed",
            Origin::Confirmed => "confirmed",
        }
    }

    fn parse(s: &str) -> Option<Origin> {
        [Origin::Carried, Origin::Changed, Origin::Confirmed]
            .into_iter()
            .find(|o| o.id() == s)
    }
}

/// The marks of one item of a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemMark {
    pub item: String,
    pub origin: Option<Origin>,
    /// Changed by a clerk since a physician last reviewed it.
    pub clerk_pending: bool,
}

/// A new opinion: for whom, answering which 作成依頼, written by which physician.
#[derive(Debug, Clone, Default)]
pub struct NewOpinion {
    pub applicant: Applicant,
    pub request: Option<Request>,
    /// The physician's user id; default: the person signed in when a physician, or the clinic's
    /// only physician.
    pub physician: Option<i64>,
}

/// An editable version, as handed to the editor.
#[derive(Debug, Clone)]
pub struct Draft {
    pub opinion_id: i64,
    pub version_id: i64,
    /// Pass it to the next [`Store::autosave`]; a save from an older copy is refused.
    pub revision: i64,
    pub opinion: Opinion,
}

/// The outcome of a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub revision: i64,
    /// The items whose values changed with this save.
    pub changed: Vec<String>,
}

/// An opinion as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionInfo {
    pub id: i64,
    pub state: State,
    pub name: String,
    pub kana: String,
    pub insurer_number: String,
    pub insured_number: String,
    pub request_id: Option<String>,
    /// 記入日, or the day it was created while 記入日 is empty (ISO 8601).
    pub day: String,
    pub due_date: Option<String>,
    pub updated_at: String,
    /// The hub's reason for a 差し戻し.
    pub note: Option<String>,
    pub version_id: i64,
    pub version_number: i64,
    /// The request's 申請区分 (`new`, `renewal`, `change`), when there is a request.
    pub application_kind: Option<String>,
}

/// One version of an opinion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    pub id: i64,
    pub opinion_id: i64,
    pub number: i64,
    pub revision: i64,
    pub saved_at: String,
    pub body_hash: String,
    /// Why it is frozen (`finalised`), or `None` for a draft.
    pub frozen: Option<String>,
    pub frozen_at: Option<String>,
}

/// An opinion opened for reading or editing.
#[derive(Debug, Clone)]
pub struct OpenedOpinion {
    pub info: OpinionInfo,
    pub version: VersionInfo,
    pub opinion: Opinion,
    pub marks: Vec<ItemMark>,
}

/// What the hub said about a sent opinion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubEvent {
    /// The hub stored it and gave a receipt number.
    Received { receipt: String },
    /// The municipality accepted it.
    Accepted,
    /// The municipality returned it, with a reason.
    Returned { reason: String },
}

pub(crate) const INFO_COLUMNS: &str = "o.id, o.state, o.name, o.kana, o.insurer_number, \
    o.insured_number, o.request_id, o.day, o.due_date, o.updated_at, o.note, o.version_id, \
    o.version_number, o.application_kind";

/// A state column: the schema's CHECK allows only known ids, so anything else is a damaged row.
impl rusqlite::types::FromSql for State {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<State> {
        State::parse(v.as_str()?).ok_or(rusqlite::types::FromSqlError::InvalidType)
    }
}

pub(crate) fn info_from_row(r: &Row<'_>) -> rusqlite::Result<OpinionInfo> {
    Ok(OpinionInfo {
        id: r.get(0)?,
        state: r.get(1)?,
        name: r.get(2)?,
        kana: r.get(3)?,
        insurer_number: r.get(4)?,
        insured_number: r.get(5)?,
        request_id: r.get(6)?,
        day: r.get(7)?,
        due_date: r.get(8)?,
        updated_at: r.get(9)?,
        note: r.get(10)?,
        version_id: r.get::<_, Option<i64>>(11)?.unwrap_or(0),
        version_number: r.get::<_, Option<i64>>(12)?.unwrap_or(0),
        application_kind: r.get(13)?,
    })
}

/// A version row with its opinion's state.
struct VersionRow {
    opinion_id: i64,
    number: i64,
    body: String,
    body_hash: String,
    revision: i64,
    frozen: bool,
    state: State,
    current: bool,
}

fn version_row(tx: &rusqlite::Connection, version_id: i64) -> Result<VersionRow> {
    tx.prepare_cached(
        "SELECT v.opinion_id, v.number, v.body, v.body_hash, v.revision, v.frozen IS NOT NULL,
                o.state, o.version_id = v.id
         FROM versions v JOIN opinions o ON o.id = v.opinion_id WHERE v.id = ?1",
    )?
    .query_row([version_id], |r| {
        Ok(VersionRow {
            opinion_id: r.get(0)?,
            number: r.get(1)?,
            body: r.get(2)?,
            body_hash: r.get(3)?,
            revision: r.get(4)?,
            frozen: r.get(5)?,
            state: r.get(6)?,
            current: r.get(7)?,
        })
    })
    .optional()?
    .ok_or(StoreError::NotFound("version"))
}

fn current_version(conn: &rusqlite::Connection, opinion_id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT version_id FROM opinions WHERE id = ?1")?
        .query_row([opinion_id], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten()
        .ok_or(StoreError::NotFound("opinion"))
}

fn parse_body(body: &str) -> Result<Opinion> {
    serde_json::from_str(body).map_err(|e| {
        StoreError::Shape(ReadError::Json {
            line: e.line(),
            column: e.column(),
            detail: "stored version".to_owned(),
        })
    })
}

fn form(version: FormVersion) -> Result<&'static FormDef> {
    FormDef::builtin(version).map_err(|e| StoreError::Form(e.to_string()))
}

fn serialise(op: &Opinion) -> Result<(String, String)> {
    let body = serde_json::to_string(op).map_err(|e| StoreError::Form(e.to_string()))?;
    let hash = sha256_hex(body.as_bytes());
    Ok((body, hash))
}

pub(crate) fn set_state(
    tx: &Transaction<'_>,
    opinion_id: i64,
    from: State,
    to: State,
) -> Result<()> {
    if from == to {
        return Ok(());
    }
    if !from.may_become(to) {
        return Err(StoreError::Transition { from, to });
    }
    tx.prepare_cached("UPDATE opinions SET state = ?1, updated_at = ?2 WHERE id = ?3")?
        .execute(params![to.id(), now(), opinion_id])?;
    Ok(())
}

pub(crate) fn opinion_state(conn: &rusqlite::Connection, opinion_id: i64) -> Result<State> {
    conn.prepare_cached("SELECT state FROM opinions WHERE id = ?1")?
        .query_row([opinion_id], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotFound("opinion"))
}

/// Writes the list columns and search keys of an opinion from its current content.
fn index_opinion(tx: &Transaction<'_>, opinion_id: i64, op: &Opinion, keys: bool) -> Result<()> {
    let a = &op.applicant;
    let day = date_of(op, form(op.form_version)?, ids::WRITTEN_DATE).map(|d| d.to_string());
    let due = op
        .request
        .as_ref()
        .map(|r| r.due_date.trim().to_owned())
        .filter(|d| !d.is_empty());
    let request_id = op
        .request
        .as_ref()
        .map(|r| r.request_id.trim().to_owned())
        .filter(|d| !d.is_empty());
    let kind = op
        .request
        .as_ref()
        .map(|r| r.application_kind.trim().to_owned())
        .filter(|k| !k.is_empty());
    tx.prepare_cached(
        "UPDATE opinions SET insurer_number = ?1, insured_number = ?2, name = ?3, kana = ?4,
             day = coalesce(?5, created_day), due_date = ?6,
             request_id = ?7, updated_at = ?8, application_kind = ?10
         WHERE id = ?9",
    )?
    .execute(params![
        identifier(&a.insurer_number),
        identifier(&a.insured_number),
        a.name.trim(),
        a.kana.trim(),
        day,
        due,
        request_id,
        now(),
        opinion_id,
        kind
    ])?;
    if keys {
        set_keys(tx, opinion_id, &keys_of(a))?;
    }
    Ok(())
}

fn insert_version(
    tx: &Transaction<'_>,
    opinion_id: i64,
    number: i64,
    op: &Opinion,
    session: &Session,
) -> Result<(i64, String)> {
    let (body, hash) = serialise(op)?;
    tx.prepare_cached(
        "INSERT INTO versions (opinion_id, number, body, body_hash, revision, saved_at, saved_by)
         VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
    )?
    .execute(params![
        opinion_id,
        number,
        body,
        hash,
        now(),
        session.user_id()
    ])?;
    let version_id = tx.last_insert_rowid();
    tx.prepare_cached("UPDATE opinions SET version_id = ?1, version_number = ?2 WHERE id = ?3")?
        .execute(params![version_id, number, opinion_id])?;
    Ok((version_id, hash))
}

fn set_origin(
    tx: &Transaction<'_>,
    version_id: i64,
    items: &[String],
    origin: Origin,
) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO item_marks (version_id, item, origin) VALUES (?1, ?2, ?3)
         ON CONFLICT (version_id, item) DO UPDATE SET origin = excluded.origin",
    )?;
    for item in items {
        st.execute(params![version_id, item, origin.id()])?;
    }
    Ok(())
}

fn marks_of(conn: &rusqlite::Connection, version_id: i64) -> Result<Vec<ItemMark>> {
    let mut st = conn.prepare_cached(
        "SELECT item, origin, clerk_pending FROM item_marks WHERE version_id = ?1",
    )?;
    let rows = st.query_map([version_id], |r| {
        let origin: Option<String> = r.get(1)?;
        Ok(ItemMark {
            item: r.get(0)?,
            origin: origin.as_deref().and_then(Origin::parse),
            clerk_pending: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn version_info(conn: &rusqlite::Connection, version_id: i64) -> Result<VersionInfo> {
    conn.prepare_cached(
        "SELECT id, opinion_id, number, revision, saved_at, body_hash, frozen, frozen_at
         FROM versions WHERE id = ?1",
    )?
    .query_row([version_id], version_from_row)
    .optional()?
    .ok_or(StoreError::NotFound("version"))
}

fn version_from_row(r: &Row<'_>) -> rusqlite::Result<VersionInfo> {
    Ok(VersionInfo {
        id: r.get(0)?,
        opinion_id: r.get(1)?,
        number: r.get(2)?,
        revision: r.get(3)?,
        saved_at: r.get(4)?,
        body_hash: r.get(5)?,
        frozen: r.get(6)?,
        frozen_at: r.get(7)?,
    })
}

impl Store {
    /// The physician who writes a new opinion, and their name for 医師氏名.
    fn physician_for(
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

    fn insert_opinion(
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
            tx.execute(
                "INSERT INTO opinions (state, day, created_day, physician_id, renewal_of, created_at,
                                       updated_at)
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?5)",
                params![
                    state.id(),
                    Context::today_in_japan().today.to_string(),
                    physician_id,
                    renewal_of,
                    at
                ],
            )?;
            let opinion_id = tx.last_insert_rowid();
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
        session.require(Action::Edit)?;
        let form = form(FormVersion::for_date(today))?;
        let (physician_id, physician_name) = self.physician_for(session, new.physician, None)?;
        let mut op = Opinion::empty(form, false);
        op.applicant = new.applicant;
        op.request = new.request;
        op.clinic = self.clinic_settings()?.clinic(&physician_name);
        op.check_shape(form).map_err(StoreError::Shape)?;
        self.insert_opinion(session, &op, physician_id, None, (&[], &[]), "create")
    }

    /// Starts a renewal for the applicant from their latest final version: 記入日 today,
    /// 最終診察日 empty, 意見書作成回数 2回目以上, the request replaced by `request`, and every item
    /// that was carried over marked so.
    pub fn renew(
        &mut self,
        session: &Session,
        insurer_number: &str,
        insured_number: &str,
        request: Option<Request>,
        today: Date,
    ) -> Result<Draft> {
        self.renew_with(
            session,
            insurer_number,
            insured_number,
            request,
            None,
            today,
        )
    }

    /// A renewal for a 更新 作成依頼: as [`Store::renew`], but the applicant comes from the
    /// request (the municipality's data wins: an address that changed since the last opinion is
    /// not carried over stale). An item whose value differs from the last opinion is marked as
    /// changed, and shows the earlier value; a value the request leaves empty is carried over.
    pub fn renew_from_request(
        &mut self,
        session: &Session,
        applicant: &Applicant,
        request: Request,
        today: Date,
    ) -> Result<Draft> {
        self.renew_with(
            session,
            &applicant.insurer_number,
            &applicant.insured_number,
            Some(request),
            Some(applicant),
            today,
        )
    }

    fn renew_with(
        &mut self,
        session: &Session,
        insurer_number: &str,
        insured_number: &str,
        request: Option<Request>,
        applicant: Option<&Applicant>,
        today: Date,
    ) -> Result<Draft> {
        session.require(Action::Edit)?;
        let found: Option<(i64, String, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT v.id, v.body, o.physician_id FROM versions v
                 JOIN opinions o ON o.id = v.opinion_id
                 WHERE o.insurer_number = ?1 AND o.insured_number = ?2 AND v.frozen IS NOT NULL
                 ORDER BY v.frozen_at DESC, v.id DESC LIMIT 1",
                params![identifier(insurer_number), identifier(insured_number)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (from_version, body, previous_physician) = found.ok_or(StoreError::NothingToRenew)?;
        let previous = parse_body(&body)?;
        let from_form = form(previous.form_version)?;
        let to_form = form(FormVersion::for_date(today))?;
        let (physician_id, physician_name) =
            self.physician_for(session, None, previous_physician)?;
        let clinic = self.clinic_settings()?.clinic(&physician_name);
        let (mut op, mut carried) = carry_forward(from_form, &previous, to_form, today, clinic);
        op.request = request;
        let mut changed = Vec::new();
        if let Some(a) = applicant {
            let carried_op = op.clone();
            op.applicant = merged_applicant(&carried_op.applicant, a);
            for item in to_form.items.iter().filter(|i| is_applicant_field(i.bind)) {
                if !same_value(carried_op.value(item), op.value(item)) {
                    changed.push(item.id.clone());
                }
            }
            carried.retain(|id| !changed.contains(id));
        }
        self.insert_opinion(
            session,
            &op,
            physician_id,
            Some(from_version),
            (&carried, &changed),
            "renew",
        )
    }

    /// Opens an opinion's current version (audited).
    pub fn open_opinion(&mut self, session: &Session, opinion_id: i64) -> Result<OpenedOpinion> {
        session.require(Action::Open)?;
        let version_id = current_version(&self.conn, opinion_id)?;
        let opened = self.read_version(version_id)?;
        self.write(|tx| {
            audit::append(
                tx,
                &session.actor(),
                &Event::new("open")
                    .opinion(opinion_id)
                    .version(version_id)
                    .after(&opened.version.body_hash),
            )
        })?;
        Ok(opened)
    }

    fn read_version(&self, version_id: i64) -> Result<OpenedOpinion> {
        let row = version_row(&self.conn, version_id)?;
        let info = self
            .conn
            .prepare_cached(&format!(
                "SELECT {INFO_COLUMNS} FROM opinions o WHERE o.id = ?1"
            ))?
            .query_row([row.opinion_id], info_from_row)?;
        Ok(OpenedOpinion {
            info,
            version: version_info(&self.conn, version_id)?,
            opinion: parse_body(&row.body)?,
            marks: marks_of(&self.conn, version_id)?,
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
        session.require(Action::Edit)?;
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
            tx.prepare_cached(
                "UPDATE versions SET body = ?1, body_hash = ?2, revision = revision + 1,
                     saved_at = ?3, saved_by = ?4
                 WHERE id = ?5",
            )?
            .execute(params![body, hash, now(), session.user_id(), version_id])?;
            let clerk = session.is_clerk();
            let mut mark = tx.prepare_cached(
                "INSERT INTO item_marks (version_id, item, origin, clerk_pending)
                 VALUES (?1, ?2, NULL, ?3)
                 ON CONFLICT (version_id, item) DO UPDATE SET
                     origin = CASE WHEN origin IS NULL THEN NULL ELSE 'changed' END,
                     clerk_pending = excluded.clerk_pending",
            )?;
            for item in &changed {
                mark.execute(params![version_id, item, clerk])?;
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
        session.require(Action::Edit)?;
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

    /// The marks of a version's items.
    pub fn marks(&self, session: &Session, version_id: i64) -> Result<Vec<ItemMark>> {
        session.require(Action::Open)?;
        marks_of(&self.conn, version_id)
    }

    /// Marks carried-over items as confirmed unchanged (確認済).
    pub fn confirm_items(
        &mut self,
        session: &Session,
        version_id: i64,
        items: &[String],
    ) -> Result<()> {
        session.require(Action::Edit)?;
        let sql = "UPDATE item_marks SET origin = 'confirmed'
                   WHERE version_id = ?1 AND item = ?2 AND origin = 'carried'";
        self.update_marks(session, version_id, items, sql, "confirm")
    }

    /// A physician's review of items a clerk changed: clears their marks (all of them when
    /// `items` is empty).
    pub fn review_items(
        &mut self,
        session: &Session,
        version_id: i64,
        items: &[String],
    ) -> Result<()> {
        session.require(Action::Review)?;
        let all;
        let items = if items.is_empty() {
            all = pending(&self.conn, version_id)?;
            &all
        } else {
            items
        };
        let sql = "UPDATE item_marks SET clerk_pending = 0 WHERE version_id = ?1 AND item = ?2";
        self.update_marks(session, version_id, items, sql, "review")
    }

    /// Runs `sql` (parameters: version id, item id) for each item of a draft version, audited.
    fn update_marks(
        &mut self,
        session: &Session,
        version_id: i64,
        items: &[String],
        sql: &str,
        action: &str,
    ) -> Result<()> {
        self.write(|tx| {
            let row = version_row(tx, version_id)?;
            if row.frozen {
                return Err(StoreError::Frozen(version_id));
            }
            let mut st = tx.prepare_cached(sql)?;
            for item in items {
                st.execute(params![version_id, item])?;
            }
            audit::append(
                tx,
                &session.actor(),
                &Event::new(action)
                    .opinion(row.opinion_id)
                    .version(version_id)
                    .detail(&items.join(","))
                    .same(&row.body_hash),
            )
        })
    }

    /// Finalises (確定) the current draft: physicians only, no item waiting for review, no
    /// validation error. The version is frozen from here on.
    pub fn finalise(
        &mut self,
        session: &Session,
        opinion_id: i64,
        ctx: &Context,
    ) -> Result<VersionInfo> {
        session.require(Action::Finalise)?;
        self.write(|tx| {
            let version_id = finalise_tx(tx, session, opinion_id, ctx)?;
            version_info(tx, version_id)
        })
    }

    /// Finishes the current version in one transaction, so that 確定 is recorded only together
    /// with what finishes it: a draft is finalised (the checks of [`Store::finalise`]; it must
    /// still be at `revision`, the copy that was signed or printed), then the signature is
    /// recorded and the opinion queued for sending, or the final print is recorded (紙で提出).
    /// Items carried over from the last opinion and not confirmed refuse it
    /// ([`StoreError::Unconfirmed`]) unless `confirm_carried` (the physician confirmed them all
    /// as before: 前回どおり), which is recorded in the same transaction. When anything is refused
    /// nothing changes, and the draft stays editable.
    pub fn finish(
        &mut self,
        session: &Session,
        opinion_id: i64,
        revision: i64,
        confirm_carried: bool,
        ctx: &Context,
        how: Finish<'_>,
    ) -> Result<VersionInfo> {
        session.require(Action::Finalise)?;
        match how {
            Finish::Signed { .. } => {
                session.require(Action::Sign)?;
                session.require(Action::Send)?;
            }
            Finish::Printed { .. } => session.require(Action::PrintFinal)?,
        }
        self.write(|tx| {
            let version_id = current_version(tx, opinion_id)?;
            let row = version_row(tx, version_id)?;
            if !row.frozen {
                if row.revision != revision {
                    return Err(StoreError::Conflict {
                        expected: revision,
                        found: row.revision,
                    });
                }
                let op = parse_body(&row.body)?;
                let form = form(op.form_version)?;
                let shown = crate::form::validate::shown_items(&op, form);
                let carried: Vec<String> = carried(tx, version_id)?
                    .into_iter()
                    .filter(|id| form.index_of(id).is_some_and(|i| shown[i]))
                    .collect();
                if !carried.is_empty() {
                    if !confirm_carried {
                        return Err(StoreError::Unconfirmed { items: carried });
                    }
                    tx.prepare_cached(
                        "UPDATE item_marks SET origin = 'confirmed'
                         WHERE version_id = ?1 AND origin = 'carried'",
                    )?
                    .execute([version_id])?;
                    audit::append(
                        tx,
                        &session.actor(),
                        &Event::new("confirm")
                            .opinion(opinion_id)
                            .version(version_id)
                            .detail(&carried.join(","))
                            .same(&row.body_hash),
                    )?;
                }
                finalise_tx(tx, session, opinion_id, ctx)?;
            }
            match how {
                Finish::Signed { document, cms } => {
                    sign_tx(tx, session, version_id, document, cms)?;
                    queue_tx(tx, session, opinion_id, None)?;
                }
                Finish::Printed { pdf_sha256 } => {
                    print_tx(tx, session, version_id, true, pdf_sha256)?;
                }
            }
            version_info(tx, version_id)
        })
    }

    /// Starts a new version from a frozen one (確定 but not sent or printed yet, or 差し戻し).
    pub fn reopen(&mut self, session: &Session, opinion_id: i64) -> Result<Draft> {
        session.require(Action::Edit)?;
        self.write(|tx| {
            let old_id = current_version(tx, opinion_id)?;
            let row = version_row(tx, old_id)?;
            let to = if session.is_clerk() {
                State::ClerkEntry
            } else {
                State::AwaitingPhysician
            };
            if !row.frozen {
                return Err(StoreError::Transition {
                    from: row.state,
                    to,
                });
            }
            set_state(tx, opinion_id, row.state, to)?;
            let op = parse_body(&row.body)?;
            let (version_id, hash) = insert_version(tx, opinion_id, row.number + 1, &op, session)?;
            tx.prepare_cached(
                "INSERT INTO item_marks (version_id, item, origin, clerk_pending)
                 SELECT ?1, item, origin, 0 FROM item_marks WHERE version_id = ?2",
            )?
            .execute(params![version_id, old_id])?;
            audit::append(
                tx,
                &session.actor(),
                &Event::new("new-version")
                    .opinion(opinion_id)
                    .version(version_id)
                    .detail(&format!("from version {old_id}"))
                    .before(&row.body_hash)
                    .after(&hash),
            )?;
            Ok(Draft {
                opinion_id,
                version_id,
                revision: 0,
                opinion: op,
            })
        })
    }

    /// Records the HPKI signature over `document` (the exact bytes that were signed) for a
    /// finalised version. Physicians only.
    pub fn record_signature(
        &mut self,
        session: &Session,
        version_id: i64,
        document: &[u8],
        cms: &[u8],
    ) -> Result<()> {
        session.require(Action::Sign)?;
        self.write(|tx| sign_tx(tx, session, version_id, document, cms))
    }

    /// The latest signature of a version: the signed bytes and the CMS.
    pub fn signature(&self, version_id: i64) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT document, cms FROM signatures WHERE version_id = ?1 ORDER BY id DESC LIMIT 1",
                [version_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Queues the finalised version for sending (送信待ち): one outbox row with the exact bytes to
    /// send and a new idempotency key, in the same transaction. Physicians only. A signed version
    /// sends the signed document and its signature; an unsigned one (an insurer that accepts it)
    /// needs `unsigned_document`, else it is refused as unsigned.
    pub fn queue_for_sending(
        &mut self,
        session: &Session,
        opinion_id: i64,
        unsigned_document: Option<&[u8]>,
    ) -> Result<super::outbox::Queued> {
        session.require(Action::Send)?;
        self.write(|tx| queue_tx(tx, session, opinion_id, unsigned_document))
    }

    /// Records a print with the SHA-256 of the PDF. A final print (for the paper route) needs a
    /// physician and a finalised version, and moves the opinion to 紙で提出 (printing it again
    /// later is recorded as another final print); a draft print is only recorded.
    pub fn record_print(
        &mut self,
        session: &Session,
        version_id: i64,
        final_print: bool,
        pdf_sha256: &str,
    ) -> Result<()> {
        session.require(if final_print {
            Action::PrintFinal
        } else {
            Action::Open
        })?;
        self.write(|tx| print_tx(tx, session, version_id, final_print, pdf_sha256))
    }

    /// Records what the hub said about a sent opinion (by the program, not a person).
    pub fn hub_event(&mut self, opinion_id: i64, event: &HubEvent) -> Result<()> {
        self.write(|tx| hub_event_tx(tx, opinion_id, event))
    }

    /// The versions of an opinion, oldest first.
    pub fn versions(&self, session: &Session, opinion_id: i64) -> Result<Vec<VersionInfo>> {
        session.require(Action::Open)?;
        let mut st = self.conn.prepare_cached(
            "SELECT id, opinion_id, number, revision, saved_at, body_hash, frozen, frozen_at
             FROM versions WHERE opinion_id = ?1 ORDER BY number",
        )?;
        let rows = st.query_map([opinion_id], version_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Opens one version (audited as an open).
    pub fn open_version(&mut self, session: &Session, version_id: i64) -> Result<OpenedOpinion> {
        session.require(Action::Open)?;
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

    /// Whether this clinic's store holds an opinion for the same applicant (保険者番号 and
    /// 被保険者番号) made before this one: checked against 意見書作成回数.
    pub fn has_earlier_opinion(&self, session: &Session, opinion_id: i64) -> Result<bool> {
        session.require(Action::Open)?;
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM opinions o, opinions me
                            WHERE me.id = ?1 AND o.id <> me.id AND me.insured_number <> ''
                              AND o.insurer_number = me.insurer_number
                              AND o.insured_number = me.insured_number
                              AND o.created_at <= me.created_at)",
            [opinion_id],
            |r| r.get(0),
        )?)
    }

    /// The version an opinion was copied forward from, if it was.
    pub fn renewed_from(&self, opinion_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT renewal_of FROM opinions WHERE id = ?1",
                [opinion_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }
}

/// Whether a form item is bound to one of the applicant's fields.
fn is_applicant_field(bind: Option<crate::form::def::Field>) -> bool {
    use crate::form::def::Field::*;
    matches!(
        bind,
        Some(
            ApplicantName
                | ApplicantKana
                | ApplicantSex
                | ApplicantBirthDate
                | ApplicantPostalCode
                | ApplicantAddress
                | ApplicantPhone
                | InsurerNumber
                | InsuredNumber
        )
    )
}

/// The applicant of a renewal: the request's data, or what was carried over where the request
/// leaves a field empty.
fn merged_applicant(carried: &Applicant, request: &Applicant) -> Applicant {
    let pick = |new: &String, old: &String| {
        if crate::form::normalize::is_blank(new) {
            old.clone()
        } else {
            new.clone()
        }
    };
    Applicant {
        name: pick(&request.name, &carried.name),
        kana: pick(&request.kana, &carried.kana),
        sex: pick(&request.sex, &carried.sex),
        birth_date: if request.birth_date.is_blank() {
            carried.birth_date.clone()
        } else {
            request.birth_date.clone()
        },
        postal_code: pick(&request.postal_code, &carried.postal_code),
        address: pick(&request.address, &carried.address),
        phone: pick(&request.phone, &carried.phone),
        insurer_number: pick(&request.insurer_number, &carried.insurer_number),
        insured_number: pick(&request.insured_number, &carried.insured_number),
    }
}

/// Whether two values say the same once normalised: full-width digits, spaces and hyphens in
/// numbers, a date typed in other digits.
fn same_value(
    a: crate::form::opinion::ValueRef<'_>,
    b: crate::form::opinion::ValueRef<'_>,
) -> bool {
    use crate::form::normalize::nfkc_trim;
    use crate::form::opinion::ValueRef;
    let squash = |s: &str| -> String {
        nfkc_trim(s)
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')'))
            .collect()
    };
    match (a, b) {
        (ValueRef::Text(x), ValueRef::Text(y)) => squash(x) == squash(y),
        (ValueRef::Date(x), ValueRef::Date(y)) => {
            let day = |d: &crate::form::DateInput| {
                crate::form::WarekiDate::parse(&d.era, &d.year, &d.month, &d.day, false)
                    .ok()
                    .and_then(|w| w.to_date().ok())
            };
            match (day(x), day(y)) {
                (Some(p), Some(q)) => p == q,
                _ => x == y,
            }
        }
        (x, y) => x == y,
    }
}

/// How [`Store::finish`] finishes an opinion.
#[derive(Debug, Clone, Copy)]
pub enum Finish<'a> {
    /// Signed with the HPKI card: `document` is the exact bytes that were signed; the opinion is
    /// queued for sending with them.
    Signed { document: &'a [u8], cms: &'a [u8] },
    /// The final paper copy was printed (the SHA-256 of its PDF): 紙で提出.
    Printed { pdf_sha256: &'a str },
}

/// Finalises the current draft of `opinion_id` inside a transaction; returns its version id.
fn finalise_tx(
    tx: &Transaction<'_>,
    session: &Session,
    opinion_id: i64,
    ctx: &Context,
) -> Result<i64> {
    let version_id = current_version(tx, opinion_id)?;
    let row = version_row(tx, version_id)?;
    if row.frozen {
        return Err(StoreError::Frozen(version_id));
    }
    if !row.state.may_become(State::Finalised) {
        return Err(StoreError::Transition {
            from: row.state,
            to: State::Finalised,
        });
    }
    let waiting = pending(tx, version_id)?;
    if !waiting.is_empty() {
        return Err(StoreError::Unreviewed { items: waiting });
    }
    let op = parse_body(&row.body)?;
    let report = validate(&op, form(op.form_version)?, ctx);
    let errors = report.count(crate::form::Severity::Error);
    if errors > 0 {
        return Err(StoreError::NotValid(errors));
    }
    tx.prepare_cached("UPDATE versions SET frozen = 'finalised', frozen_at = ?1 WHERE id = ?2")?
        .execute(params![now(), version_id])?;
    set_state(tx, opinion_id, row.state, State::Finalised)?;
    audit::append(
        tx,
        &session.actor(),
        &Event::new("finalise")
            .opinion(opinion_id)
            .version(version_id)
            .same(&row.body_hash),
    )?;
    Ok(version_id)
}

/// Records a signature of a finalised current version inside a transaction.
fn sign_tx(
    tx: &Transaction<'_>,
    session: &Session,
    version_id: i64,
    document: &[u8],
    cms: &[u8],
) -> Result<()> {
    let row = version_row(tx, version_id)?;
    if !row.frozen || row.state != State::Finalised || !row.current {
        return Err(StoreError::Transition {
            from: row.state,
            to: State::Queued,
        });
    }
    let doc_hash = sha256_hex(document);
    tx.execute(
        "INSERT INTO signatures (version_id, document, document_hash, cms, signed_by, signed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            version_id,
            document,
            doc_hash,
            cms,
            session.user_id(),
            now()
        ],
    )?;
    audit::append(
        tx,
        &session.actor(),
        &Event::new("sign")
            .opinion(row.opinion_id)
            .version(version_id)
            .detail(&format!("document {doc_hash}"))
            .same(&row.body_hash),
    )
}

/// Queues the finalised current version inside a transaction (see [`Store::queue_for_sending`]).
fn queue_tx(
    tx: &Transaction<'_>,
    session: &Session,
    opinion_id: i64,
    unsigned_document: Option<&[u8]>,
) -> Result<super::outbox::Queued> {
    let version_id = current_version(tx, opinion_id)?;
    let row = version_row(tx, version_id)?;
    if !row.frozen || !row.state.may_become(State::Queued) {
        return Err(StoreError::Transition {
            from: row.state,
            to: State::Queued,
        });
    }
    let signed: Option<(Vec<u8>, Vec<u8>)> = tx
        .query_row(
            "SELECT document, cms FROM signatures WHERE version_id = ?1
             ORDER BY id DESC LIMIT 1",
            [version_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (document, signature) = match (signed, unsigned_document) {
        (Some((doc, cms)), _) => (doc, Some(cms)),
        (None, Some(doc)) => (doc.to_vec(), None),
        (None, None) => return Err(StoreError::Unsigned),
    };
    set_state(tx, opinion_id, row.state, State::Queued)?;
    let queued =
        super::outbox::insert(tx, opinion_id, version_id, &document, signature.as_deref())?;
    audit::append(
        tx,
        &session.actor(),
        &Event::new("send")
            .opinion(opinion_id)
            .version(version_id)
            .detail(if signature.is_some() {
                "signed"
            } else {
                "unsigned"
            })
            .same(&row.body_hash),
    )?;
    Ok(queued)
}

/// Records a print inside a transaction (see [`Store::record_print`]).
fn print_tx(
    tx: &Transaction<'_>,
    session: &Session,
    version_id: i64,
    final_print: bool,
    pdf_sha256: &str,
) -> Result<()> {
    let row = version_row(tx, version_id)?;
    if final_print {
        // A reprint of the paper copy is allowed (and audited); anything else must be a frozen
        // current version on its way to paper.
        let reprint = row.state == State::Paper;
        if !row.frozen || !row.current || !(reprint || row.state.may_become(State::Paper)) {
            return Err(StoreError::Transition {
                from: row.state,
                to: State::Paper,
            });
        }
        if !reprint {
            set_state(tx, row.opinion_id, row.state, State::Paper)?;
        }
    }
    let detail = format!("pdf-sha256={pdf_sha256}");
    audit::append(
        tx,
        &session.actor(),
        &Event::new(if final_print {
            "print-final"
        } else {
            "print-draft"
        })
        .opinion(row.opinion_id)
        .version(version_id)
        .detail(&detail)
        .same(&row.body_hash),
    )
}

/// The items of a version carried over and not confirmed yet.
fn carried(conn: &rusqlite::Connection, version_id: i64) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT item FROM item_marks WHERE version_id = ?1 AND origin = 'carried' ORDER BY item",
    )?;
    let rows = st.query_map([version_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Items of a version waiting for a physician's review.
fn pending(conn: &rusqlite::Connection, version_id: i64) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT item FROM item_marks WHERE version_id = ?1 AND clerk_pending ORDER BY item",
    )?;
    let rows = st.query_map([version_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a hub event inside a transaction (the outbox records a receipt in its own).
pub(crate) fn hub_event_tx(
    tx: &rusqlite::Transaction<'_>,
    opinion_id: i64,
    event: &HubEvent,
) -> Result<()> {
    let from = opinion_state(tx, opinion_id)?;
    let (to, detail, note) = match event {
        HubEvent::Received { receipt } => (State::Sent, format!("receipt {receipt}"), None),
        HubEvent::Accepted => (State::Accepted, String::new(), None),
        HubEvent::Returned { reason } => (State::Returned, String::new(), Some(reason)),
    };
    if !from.may_become(to) {
        return Err(StoreError::Transition { from, to });
    }
    set_state(tx, opinion_id, from, to)?;
    if let Some(reason) = note {
        tx.execute(
            "UPDATE opinions SET note = ?1 WHERE id = ?2",
            params![reason, opinion_id],
        )?;
    }
    audit::append(
        tx,
        &Actor::SYSTEM,
        &Event::new(to.id()).opinion(opinion_id).detail(&detail),
    )
}
