//! The hub's side of the day: one delivery pass (send what is due, then ask about what was
//! received), and taking in the hub's 作成依頼 as drafts.

use jiff::civil::Date;

use crate::hub::client::HubClient;
use crate::hub::flow::{Intake, Polled, drafts_from_requests, poll_statuses};
use crate::hub::outbox::{DeliveryOptions, Pass, deliver_due};
use crate::store::{Session, Store};

use super::WorkflowError;

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
    let sent = deliver_due(store, session, hub, now, options, &mut jitter)?;
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
