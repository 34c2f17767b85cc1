//! The hub's part in the way of an opinion: 作成依頼 become drafts with the applicant filled in;
//! the route (electronic, or paper while the municipality is not on the hub by the 記入日); and
//! the statuses of what was received, polled until 受理 or 差し戻し — a 差し戻し opens a new
//! version with the municipality's reason kept on the opinion.

use jiff::civil::Date;

use super::client::{HubClient, HubError};
use super::wire::{Insurer, OpenRequest};
use crate::form::{Applicant, DateInput, Request};
use crate::store::outbox::Delivery;
use crate::store::{HubEvent, NewOpinion, Session, State, Store, StoreError};

/// Why a hub step did not complete.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Hub(#[from] HubError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What taking in the open requests did.
#[derive(Debug, Default)]
pub struct Intake {
    /// The new drafts' opinion ids.
    pub made: Vec<i64>,
    /// The requests that could not become drafts (by request id), and why; the others were
    /// taken in all the same.
    pub refused: Vec<(String, StoreError)>,
}

/// Makes a draft for every open request not answered by an opinion yet. A request that cannot
/// become a draft is reported in [`Intake::refused`] and does not stop the others.
pub fn drafts_from_requests(
    store: &mut Store,
    session: &Session,
    requests: &[OpenRequest],
    today: Date,
) -> Result<Intake, StoreError> {
    let mut intake = Intake::default();
    for r in requests {
        if store.has_request(&r.request_id)? {
            continue;
        }
        match draft_from_request(store, session, r, today) {
            Ok(id) => intake.made.push(id),
            // Refusals of this person or this store stop the intake; the rest concern this one
            // request (its data) and are reported with it.
            Err(e @ (StoreError::Refused { .. } | StoreError::Sqlite(_))) => return Err(e),
            Err(e) => intake.refused.push((r.request_id.clone(), e)),
        }
    }
    Ok(intake)
}

/// One open request as a draft (a renewal copied forward from the applicant's last opinion).
fn draft_from_request(
    store: &mut Store,
    session: &Session,
    r: &OpenRequest,
    today: Date,
) -> Result<i64, StoreError> {
    let birth = r
        .applicant
        .birth_date
        .parse::<Date>()
        .ok()
        .and_then(DateInput::from_date)
        .unwrap_or_default();
    let applicant = Applicant {
        name: r.applicant.name.clone(),
        kana: r.applicant.kana.clone(),
        sex: r.applicant.sex.clone(),
        birth_date: birth,
        postal_code: r.applicant.postal_code.clone(),
        address: r.applicant.address.clone(),
        phone: r.applicant.phone.clone(),
        insurer_number: r.insurer_number.clone(),
        insured_number: r.insured_number.clone(),
    };
    let request = Request {
        request_id: r.request_id.clone(),
        application_date: r.application_date.clone(),
        application_kind: r.application_kind.clone(),
        requested_date: r.requested_at.get(..10).unwrap_or_default().to_owned(),
        due_date: r.due_date.clone(),
    };
    // A renewal starts from the applicant's last opinion when there is one (copy-forward:
    // every carried item is marked until it is confirmed or changed).
    // The applicant is the request's: an address changed since then is not carried stale.
    if r.application_kind == "renewal" {
        match store.renew_from_request(session, &applicant, request.clone(), today) {
            Ok(draft) => return Ok(draft.opinion_id),
            Err(StoreError::NothingToRenew) => {}
            Err(e) => return Err(e),
        }
    }
    let draft = store.create_opinion(
        session,
        NewOpinion {
            applicant,
            request: Some(request),
            physician: None,
        },
        today,
    )?;
    Ok(draft.opinion_id)
}

/// How an opinion goes to its municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Through the hub; `signature_required` when the insurer takes only signed opinions.
    Electronic { signature_required: bool },
    /// On paper: the insurer is not on the hub by the 記入日 (`from` is its start date, if known).
    Paper { from: Option<Date> },
}

/// The route for an opinion to `insurer_number` written on `written`, from `/v1/insurers`.
pub fn route(insurers: &[Insurer], insurer_number: &str, written: Date) -> Route {
    let number = crate::form::normalize::identifier(insurer_number);
    let Some(i) = insurers.iter().find(|i| i.insurer_number == number) else {
        return Route::Paper { from: None };
    };
    match i.kiban_start_date.parse::<Date>() {
        Ok(start) if start <= written => Route::Electronic {
            signature_required: i.signature == "required",
        },
        Ok(start) => Route::Paper { from: Some(start) },
        Err(_) => Route::Paper { from: None },
    }
}

/// What one status poll changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Polled {
    pub accepted: usize,
    pub returned: usize,
    pub unchanged: usize,
    /// Opinions whose status could not be asked for or recorded this time (asked again at the
    /// next poll).
    pub failed: usize,
}

/// What the hub said of one received opinion.
enum Said {
    Accepted,
    Returned,
    Unchanged,
}

/// Asks the hub about every received opinion still 送信済: 受理 is recorded; 差し戻し is recorded
/// with the reason and opens a new version for `session` to correct. One opinion whose answer
/// fails does not stop the others ([`Polled::failed`]); the error is returned only when nothing
/// could be asked at all (the hub is down).
pub fn poll_statuses(
    store: &mut Store,
    session: &Session,
    hub: &HubClient,
) -> Result<Polled, FlowError> {
    let mut out = Polled::default();
    let mut first_error = None;
    let mut seen = std::collections::BTreeSet::new();
    // Newest first: only the latest queued version of each opinion speaks for it.
    for row in store.outbox(session)? {
        if !seen.insert(row.opinion_id) {
            continue;
        }
        let (Delivery::Received, Some(receipt)) = (row.state, row.receipt_id.as_deref()) else {
            continue;
        };
        if store.state_of(row.opinion_id)? != State::Sent {
            continue;
        }
        match poll_one(store, session, hub, row.opinion_id, receipt) {
            Ok(Said::Accepted) => out.accepted += 1,
            Ok(Said::Returned) => out.returned += 1,
            Ok(Said::Unchanged) => out.unchanged += 1,
            Err(e) => {
                tracing::warn!(opinion = row.opinion_id, error = %e, "status not asked");
                out.failed += 1;
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) if out.accepted + out.returned + out.unchanged == 0 => Err(e),
        _ => Ok(out),
    }
}

fn poll_one(
    store: &mut Store,
    session: &Session,
    hub: &HubClient,
    opinion_id: i64,
    receipt: &str,
) -> Result<Said, FlowError> {
    let status = hub.status(receipt)?;
    Ok(match status.status.as_str() {
        "accepted" => {
            store.hub_event(opinion_id, &HubEvent::Accepted)?;
            Said::Accepted
        }
        "returned" => {
            let reason = status.reason.unwrap_or_default();
            store.hub_event(opinion_id, &HubEvent::Returned { reason })?;
            store.reopen(session, opinion_id)?;
            Said::Returned
        }
        _ => Said::Unchanged,
    })
}
