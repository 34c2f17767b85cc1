//! What the store hands out: opinions as listed, versions, an opened opinion, item marks, drafts
//! and saves; and how they are read from their rows.

use super::db::Row;

use super::state::State;
use crate::form::{Applicant, Opinion, Request};

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

    pub(super) fn parse(s: &str) -> Option<Origin> {
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

pub(super) const INFO_COLUMNS: &str = "o.id, o.state, o.name, o.kana, o.insurer_number, \
    o.insured_number, o.request_id, o.day, o.due_date, o.updated_at, o.note, o.version_id, \
    o.version_number, o.application_kind";

pub(super) fn info_from_row(r: &Row<'_>) -> super::Result<OpinionInfo> {
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
        version_id: r.get::<Option<i64>>(11)?.unwrap_or(0),
        version_number: r.get::<Option<i64>>(12)?.unwrap_or(0),
        application_kind: r.get(13)?,
    })
}

pub(super) fn version_from_row(r: &Row<'_>) -> super::Result<VersionInfo> {
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
