//! The outbox: what is queued for the hub, delivered exactly once. A row holds the exact bytes
//! (document and signature) and an idempotency key fixed when the version was queued; a trigger
//! refuses any change to them. Delivery claims a due row for a lease, then records a receipt, a
//! later retry, or a final failure. A row left `sending` by a crash is due again when its lease
//! ends, and the hub answers the retry with the same receipt (same key, same bytes).

use std::time::Duration;

use super::db::{Sql, Tx, params};

use super::audit::{self, Actor, Event};
use super::state::{HubEvent, State, hub_event_tx, opinion_state, set_state};
use super::{Action, Result, Session, Store, StoreError};

/// What `queue_for_sending` made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub outbox_id: i64,
    pub idempotency_key: String,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Waiting for its first or next attempt.
    Waiting,
    /// Claimed by a delivery worker (until its lease ends).
    Sending,
    /// The hub stored it and gave a receipt.
    Received,
    /// The hub refused it for good (422, 409, 403): the user must act.
    Failed,
}

impl Delivery {
    fn parse(s: &str) -> Delivery {
        match s {
            "sending" => Delivery::Sending,
            "received" => Delivery::Received,
            "failed" => Delivery::Failed,
            _ => Delivery::Waiting,
        }
    }
}

/// One outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub opinion_id: i64,
    pub version_id: i64,
    pub idempotency_key: String,
    pub request_id: Option<String>,
    pub document: Vec<u8>,
    pub signature: Option<Vec<u8>>,
    pub state: Delivery,
    pub attempts: i64,
    pub next_attempt_at: String,
    /// An error code (HTTP status or transport class), never a message with data in it.
    pub last_error: Option<String>,
    pub receipt_id: Option<String>,
}

/// An outbox row with what the 送信状況 screen shows beside it: whose opinion, which version
/// and where the opinion stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub row: OutboxRow,
    /// The number of the version sent (v1, v2 after a 差し戻し…).
    pub version_number: i64,
    pub name: String,
    pub opinion_state: State,
    /// The opinion's note (the hub's reason for a 差し戻し).
    pub note: Option<String>,
}

fn ts(t: jiff::Timestamp) -> String {
    t.to_string()
}

pub(crate) fn insert(
    tx: &Tx<'_>,
    opinion_id: i64,
    version_id: i64,
    document: &[u8],
    signature: Option<&[u8]>,
) -> Result<Queued> {
    let key = uuid::Uuid::new_v4().to_string();
    let now = ts(jiff::Timestamp::now());
    let request: Option<String> = tx
        .query_opt(
            "SELECT request_id FROM opinions WHERE id = ?1",
            params![opinion_id],
            |r| r.get(0),
        )?
        .flatten();
    let outbox_id = tx.query_row(
        "INSERT INTO outbox (opinion_id, version_id, idempotency_key, request_id, document,
                             signature, next_attempt_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7) RETURNING id",
        params![
            opinion_id, version_id, key, request, document, signature, now
        ],
        |r| r.get(0),
    )?;
    Ok(Queued {
        outbox_id,
        idempotency_key: key,
    })
}

const COLUMNS: &str =
    "id, opinion_id, version_id, idempotency_key, request_id, document, signature,
                       state, attempts, next_attempt_at, last_error, receipt_id";

fn row(r: &super::db::Row<'_>) -> Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.get(0)?,
        opinion_id: r.get(1)?,
        version_id: r.get(2)?,
        idempotency_key: r.get(3)?,
        request_id: r.get(4)?,
        document: r.get(5)?,
        signature: r.get(6)?,
        state: Delivery::parse(&r.get::<String>(7)?),
        attempts: r.get(8)?,
        next_attempt_at: r.get(9)?,
        last_error: r.get(10)?,
        receipt_id: r.get(11)?,
    })
}

impl Store {
    /// Whether an opinion already answers the hub request `request_id`.
    pub fn has_request(&self, request_id: &str) -> Result<bool> {
        self.db.query_row(
            "SELECT EXISTS (SELECT 1 FROM opinions WHERE request_id = ?1)",
            params![request_id],
            |r| r.get(0),
        )
    }

    /// Every outbox row, newest first (the 送信状況 screen).
    pub fn outbox(&self, session: &Session) -> Result<Vec<OutboxRow>> {
        self.check(session, Action::Open)?;
        self.db.query_all(
            &format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC"),
            params![],
            row,
        )
    }

    /// Every outbox row with its opinion's name, state and note and its version's number,
    /// newest first, in one read (the 送信状況 screen).
    pub fn outbox_entries(&self, session: &Session) -> Result<Vec<OutboxEntry>> {
        self.check(session, Action::Open)?;
        // The version and its opinion come as a derived table whose column names are none of
        // the outbox's, so that the outbox's columns are read by the same list as elsewhere.
        self.db.query_all(
            &format!(
                "SELECT {COLUMNS}, number, name, opinion_state, note
                 FROM outbox
                 JOIN (SELECT v.id AS sent_version, v.number, o.name, o.state AS opinion_state,
                              o.note
                       FROM versions v JOIN opinions o ON o.id = v.opinion_id) AS sent
                   ON sent.sent_version = outbox.version_id
                 ORDER BY outbox.id DESC"
            ),
            params![],
            |r| {
                Ok(OutboxEntry {
                    row: row(r)?,
                    version_number: r.get(12)?,
                    name: r.get(13)?,
                    opinion_state: r.get(14)?,
                    note: r.get(15)?,
                })
            },
        )
    }

    /// One outbox row.
    pub fn outbox_row(&self, session: &Session, id: i64) -> Result<OutboxRow> {
        self.check(session, Action::Open)?;
        self.db
            .query_opt(
                &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
                params![id],
                row,
            )?
            .ok_or(StoreError::NotFound("outbox"))
    }

    /// Claims up to `limit` rows due at `now` for `lease`: waiting rows whose time has come, and
    /// sending rows whose lease has run out (a worker that died). Each claim counts an attempt.
    /// The rows hold the signed bytes: read for someone signed in, like every other read.
    pub fn claim_due(
        &mut self,
        session: &Session,
        now: jiff::Timestamp,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<OutboxRow>> {
        self.check(session, Action::Open)?;
        let until = ts(now + jiff::SignedDuration::try_from(lease).unwrap_or_default());
        self.write(|tx| {
            let ids: Vec<i64> = tx.query_all(
                "SELECT id FROM outbox WHERE state IN ('waiting', 'sending')
                 AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
                params![ts(now), i64::try_from(limit).unwrap_or(i64::MAX)],
                |r| r.get(0),
            )?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                tx.execute(
                    "UPDATE outbox SET state = 'sending', attempts = attempts + 1,
                     next_attempt_at = ?1, updated_at = ?2 WHERE id = ?3",
                    params![until, ts(now), id],
                )?;
                out.push(tx.query_row(
                    &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
                    params![id],
                    row,
                )?);
            }
            Ok(out)
        })
    }

    /// The hub stored the opinion: the receipt is kept, the opinion becomes 送信済.
    pub fn delivered(&mut self, id: i64, receipt_id: &str, received_at: &str) -> Result<()> {
        self.write(|tx| {
            let (opinion_id, state): (i64, String) = tx.query_row(
                "SELECT opinion_id, state FROM outbox WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if Delivery::parse(&state) == Delivery::Received {
                return Ok(());
            }
            tx.execute(
                "UPDATE outbox SET state = 'received', receipt_id = ?1, received_at = ?2,
                 last_error = NULL, updated_at = ?3 WHERE id = ?4",
                params![receipt_id, received_at, ts(jiff::Timestamp::now()), id],
            )?;
            hub_event_tx(
                tx,
                opinion_id,
                &HubEvent::Received {
                    receipt: receipt_id.to_owned(),
                },
            )
        })
    }

    /// Not delivered this time: try again at `at`. `error` is a code (status or transport class).
    pub fn retry_at(&mut self, id: i64, at: jiff::Timestamp, error: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'waiting', next_attempt_at = ?1, last_error = ?2,
                 updated_at = ?3 WHERE id = ?4 AND state IN ('waiting', 'sending')",
                params![ts(at), error, ts(jiff::Timestamp::now()), id],
            )?;
            Ok(())
        })
    }

    /// The hub refused the opinion for good (an answer that cannot change by retrying): the row
    /// is marked for the user, and the opinion goes back to 確定 so that it can be corrected (a
    /// new version) or printed for the paper route.
    pub fn delivery_failed(&mut self, id: i64, error: &str) -> Result<()> {
        self.write(|tx| {
            let opinion_id: i64 = tx.query_row(
                "SELECT opinion_id FROM outbox WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )?;
            tx.execute(
                "UPDATE outbox SET state = 'failed', last_error = ?1, updated_at = ?2
                 WHERE id = ?3 AND state IN ('waiting', 'sending')",
                params![error, ts(jiff::Timestamp::now()), id],
            )?;
            if opinion_state(tx, opinion_id)? == State::Queued {
                set_state(tx, opinion_id, State::Queued, State::Finalised)?;
            }
            audit::append(
                tx,
                &Actor::SYSTEM,
                &Event::new("send-failed").opinion(opinion_id).detail(error),
            )
        })
    }
}
