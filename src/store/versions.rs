//! The versions of an opinion as rows: reading one with its opinion's state, the current one, a
//! body and its hash, a new version, the list columns and search keys written from the content,
//! and the item marks.

use super::db::{Sql, Tx, params};

use super::keys::{keys_of, set_keys};
use super::model::{ItemMark, Origin, VersionInfo, version_from_row};
use super::state::State;
use super::{Result, Session, StoreError, now, sha256_hex};
use crate::form::normalize::identifier;
use crate::form::opinion::ReadError;
use crate::form::validate::{date_of, ids};
use crate::form::{FormDef, FormVersion, Opinion};

/// A version row with its opinion's state.
pub(super) struct VersionRow {
    pub opinion_id: i64,
    pub number: i64,
    pub body: String,
    pub body_hash: String,
    pub revision: i64,
    pub frozen: bool,
    pub state: State,
    pub current: bool,
    /// Who saved it last (their name; empty when nobody is recorded).
    pub saved_by: String,
}

pub(super) fn version_row(tx: &impl Sql, version_id: i64) -> Result<VersionRow> {
    tx.query_opt(
        "SELECT v.opinion_id, v.number, v.body, v.body_hash, v.revision, v.frozen IS NOT NULL,
                o.state, o.version_id = v.id, COALESCE(u.display_name, '')
         FROM versions v JOIN opinions o ON o.id = v.opinion_id
              LEFT JOIN users u ON u.id = v.saved_by
         WHERE v.id = ?1",
        params![version_id],
        |r| {
            Ok(VersionRow {
                opinion_id: r.get(0)?,
                number: r.get(1)?,
                body: r.get(2)?,
                body_hash: r.get(3)?,
                revision: r.get(4)?,
                frozen: r.get(5)?,
                state: r.get(6)?,
                current: r.get(7)?,
                saved_by: r.get(8)?,
            })
        },
    )?
    .ok_or(StoreError::NotFound("version"))
}

pub(super) fn current_version(conn: &impl Sql, opinion_id: i64) -> Result<i64> {
    conn.query_opt(
        "SELECT version_id FROM opinions WHERE id = ?1",
        params![opinion_id],
        |r| r.get::<Option<i64>>(0),
    )?
    .flatten()
    .ok_or(StoreError::NotFound("opinion"))
}

pub(super) fn parse_body(body: &str) -> Result<Opinion> {
    serde_json::from_str(body).map_err(|e| {
        StoreError::Shape(ReadError::Json {
            line: e.line(),
            column: e.column(),
            detail: "stored version".to_owned(),
        })
    })
}

pub(super) fn form(version: FormVersion) -> Result<&'static FormDef> {
    FormDef::builtin(version).map_err(|e| StoreError::Form(e.to_string()))
}

pub(super) fn serialise(op: &Opinion) -> Result<(String, String)> {
    let body = serde_json::to_string(op).map_err(|e| StoreError::Form(e.to_string()))?;
    let hash = sha256_hex(body.as_bytes());
    Ok((body, hash))
}

/// Writes the list columns and search keys of an opinion from its current content.
pub(super) fn index_opinion(tx: &Tx<'_>, opinion_id: i64, op: &Opinion, keys: bool) -> Result<()> {
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
    tx.execute(
        "UPDATE opinions SET insurer_number = ?1, insured_number = ?2, name = ?3, kana = ?4,
             day = coalesce(?5, created_day), due_date = ?6,
             request_id = ?7, updated_at = ?8, application_kind = ?10
         WHERE id = ?9",
        params![
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
        ],
    )?;
    if keys {
        set_keys(tx, opinion_id, &keys_of(a))?;
    }
    Ok(())
}

pub(super) fn insert_version(
    tx: &Tx<'_>,
    opinion_id: i64,
    number: i64,
    op: &Opinion,
    session: &Session,
) -> Result<(i64, String)> {
    let (body, hash) = serialise(op)?;
    let version_id: i64 = tx.query_row(
        "INSERT INTO versions (opinion_id, number, body, body_hash, revision, saved_at, saved_by)
         VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6) RETURNING id",
        params![opinion_id, number, body, hash, now(), session.user_id()],
        |r| r.get(0),
    )?;
    tx.execute(
        "UPDATE opinions SET version_id = ?1, version_number = ?2 WHERE id = ?3",
        params![version_id, number, opinion_id],
    )?;
    Ok((version_id, hash))
}

pub(super) fn set_origin(
    tx: &Tx<'_>,
    version_id: i64,
    items: &[String],
    origin: Origin,
) -> Result<()> {
    for item in items {
        tx.execute(
            "INSERT INTO item_marks (version_id, item, origin) VALUES (?1, ?2, ?3)
             ON CONFLICT (version_id, item) DO UPDATE SET origin = excluded.origin",
            params![version_id, item, origin.id()],
        )?;
    }
    Ok(())
}

pub(super) fn marks_of(conn: &impl Sql, version_id: i64) -> Result<Vec<ItemMark>> {
    conn.query_all(
        "SELECT item, origin, clerk_pending FROM item_marks WHERE version_id = ?1",
        params![version_id],
        |r| {
            let origin: Option<String> = r.get(1)?;
            Ok(ItemMark {
                item: r.get(0)?,
                origin: origin.as_deref().and_then(Origin::parse),
                clerk_pending: r.get(2)?,
            })
        },
    )
}

pub(super) fn version_info(conn: &impl Sql, version_id: i64) -> Result<VersionInfo> {
    conn.query_opt(
        "SELECT id, opinion_id, number, revision, saved_at, body_hash, frozen, frozen_at
         FROM versions WHERE id = ?1",
        params![version_id],
        version_from_row,
    )?
    .ok_or(StoreError::NotFound("version"))
}

/// The items of a version carried over and not confirmed yet.
pub(super) fn carried(conn: &impl Sql, version_id: i64) -> Result<Vec<String>> {
    conn.query_all(
        "SELECT item FROM item_marks WHERE version_id = ?1 AND origin = 'carried' ORDER BY item",
        params![version_id],
        |r| r.get(0),
    )
}

/// Items of a version waiting for a physician's review.
pub(super) fn pending(conn: &impl Sql, version_id: i64) -> Result<Vec<String>> {
    conn.query_all(
        "SELECT item FROM item_marks WHERE version_id = ?1 AND clerk_pending ORDER BY item",
        params![version_id],
        |r| r.get(0),
    )
}
