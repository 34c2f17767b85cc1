//! Where an opinion stands ([`State`]) and how it may move on: the state machine, and what the hub
//! says about a sent opinion ([`HubEvent`]).

use super::db::{Sql, Tx, params};

use super::audit::{self, Actor, Event};
use super::{Result, Store, StoreError, now};

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

/// A state column: the schema's CHECK allows only known ids, so anything else is a damaged row.
impl super::db::Cell for State {
    fn from_got(got: super::db::Got) -> Option<State> {
        match got {
            super::db::Got::Text(s) => State::parse(&s),
            _ => None,
        }
    }
    const NAME: &'static str = "state";
}

pub(super) fn set_state(tx: &Tx<'_>, opinion_id: i64, from: State, to: State) -> Result<()> {
    if from == to {
        return Ok(());
    }
    if !from.may_become(to) {
        return Err(StoreError::Transition { from, to });
    }
    tx.execute(
        "UPDATE opinions SET state = ?1, updated_at = ?2 WHERE id = ?3",
        params![to.id(), now(), opinion_id],
    )?;
    Ok(())
}

pub(super) fn opinion_state(conn: &impl Sql, opinion_id: i64) -> Result<State> {
    conn.query_opt(
        "SELECT state FROM opinions WHERE id = ?1",
        params![opinion_id],
        |r| r.get(0),
    )?
    .ok_or(StoreError::NotFound("opinion"))
}

/// Records a hub event inside a transaction (the outbox records a receipt in its own).
pub(super) fn hub_event_tx(tx: &Tx<'_>, opinion_id: i64, event: &HubEvent) -> Result<()> {
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

impl Store {
    /// Records what the hub said about a sent opinion (by the program, not a person).
    pub fn hub_event(&mut self, opinion_id: i64, event: &HubEvent) -> Result<()> {
        self.write(|tx| hub_event_tx(tx, opinion_id, event))
    }

    /// The state of an opinion (not audited: it shows nothing about the applicant).
    pub fn state_of(&self, opinion_id: i64) -> Result<State> {
        opinion_state(&self.db, opinion_id)
    }
}
