//! The hub's side of the day: one delivery pass (send what is due, then ask about what was
//! received), and taking in the hub's 作成依頼 as drafts.

use std::time::Duration;

use jiff::civil::Date;

use crate::hub::client::HubClient;
use crate::hub::flow::{Intake, Polled, drafts_from_requests, poll_statuses};
use crate::hub::outbox::{Backoff, Pass, deliver_due};
use crate::store::{Session, Store};

use super::WorkflowError;

/// How a delivery pass sends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeliveryOptions {
    /// How long a row is claimed while it is sent: a worker that dies mid-send leaves it to be
    /// sent again (with the same idempotency key) once the lease ends.
    pub lease: Duration,
    /// At most this many rows per pass.
    pub limit: usize,
    pub backoff: Backoff,
}

impl Default for DeliveryOptions {
    fn default() -> DeliveryOptions {
        DeliveryOptions {
            lease: Duration::from_secs(120),
            limit: 20,
            backoff: Backoff::default(),
        }
    }
}

/// What a delivery pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryPass {
    pub sent: Pass,
    pub polled: Polled,
}

impl DeliveryPass {
    /// Whether anything moved (a list on screen should be read again).
    pub fn changed(&self) -> bool {
        self.sent.delivered
            + self.sent.retrying
            + self.sent.failed
            + self.polled.accepted
            + self.polled.returned
            + self.polled.failed
            > 0
    }
}

/// Sends what is due at `now`, then asks the hub about every received opinion still 送信済: 受理
/// is recorded; a 差し戻し is recorded with the reason and opens a new version for `session`.
pub fn delivery_pass(
    store: &mut Store,
    session: &Session,
    hub: &mut HubClient,
    now: jiff::Timestamp,
    options: DeliveryOptions,
) -> Result<DeliveryPass, WorkflowError> {
    let mut jitter = || rand::random::<f64>();
    let sent = deliver_due(
        store,
        hub,
        now,
        options.lease,
        options.limit,
        options.backoff,
        &mut jitter,
    )?;
    let polled = poll_statuses(store, session, hub)?;
    Ok(DeliveryPass { sent, polled })
}

/// Makes a draft for every open 作成依頼 on the hub not answered by an opinion yet (a renewal
/// starts from the applicant's last opinion); a request that cannot become a draft is reported
/// and does not stop the others.
pub fn take_in_requests(
    store: &mut Store,
    session: &Session,
    hub: &HubClient,
    today: Date,
) -> Result<Intake, WorkflowError> {
    let requests = hub.open_requests()?;
    Ok(drafts_from_requests(store, session, &requests, today)?)
}
