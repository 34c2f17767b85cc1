//! Delivering the outbox: claim what is due, hand each row to a submitter (the mTLS client, or a
//! test double), and record the answer — a receipt, a later retry (exponential backoff with
//! jitter, never before the hub's Retry-After), or a final refusal for answers that cannot change
//! by retrying (400, 403, 409, 413, 422). The idempotency key and the bytes of a row never change, so a
//! retry after a lost answer or a restart is answered by the hub with the same receipt.

use std::time::Duration;

use crate::store::outbox::OutboxRow;
use crate::store::{Session, Store, StoreError};

/// What the hub answered to one submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// 201 (stored) or 200 (the same key and bytes again): the receipt.
    Received {
        receipt_id: String,
        received_at: String,
    },
    /// Not now: a 5xx, 429, a dropped connection, no network. `code` names the class.
    Later {
        retry_after: Option<Duration>,
        code: String,
    },
    /// An answer that does not change by retrying the same bytes: 422 (document or signature
    /// invalid), 409 (another document under this key, or the request already answered), 403
    /// (terminal certificate not registered, or another institution's request), 413 (the body is
    /// over the hub's limit), 400 (a request the hub cannot read).
    Refused { code: String },
}

/// The longest Retry-After honoured: a hub that asks for more is asked again after a day (a
/// larger value would overflow the time of the next attempt).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// How an HTTP status (and its Retry-After, capped at [`MAX_RETRY_AFTER`]) is treated.
pub fn classify(status: u16, retry_after: Option<Duration>) -> Option<Answer> {
    let retry_after = retry_after.map(|r| r.min(MAX_RETRY_AFTER));
    match status {
        200 | 201 => None,
        400 | 403 | 409 | 413 | 422 => Some(Answer::Refused {
            code: status.to_string(),
        }),
        _ => Some(Answer::Later {
            retry_after,
            code: status.to_string(),
        }),
    }
}

/// Sends one outbox row to the hub.
pub trait Submit {
    fn submit(&mut self, row: &OutboxRow) -> Answer;
}

/// Exponential backoff with jitter: attempt n waits between half and all of
/// `min(cap, base × 2^(n-1))`, and never less than the hub's Retry-After.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(15 * 60),
        }
    }
}

impl Backoff {
    /// The wait before the next attempt after `attempts` tries; `jitter` in 0..1.
    pub fn delay(&self, attempts: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        let exp = attempts.saturating_sub(1).min(30);
        let full = self.base.saturating_mul(1u32 << exp).min(self.cap);
        let jittered = full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0));
        retry_after.map_or(jittered, |r| {
            let r = r.min(MAX_RETRY_AFTER);
            r.max(jittered.min(r.saturating_add(self.base)))
        })
    }
}

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

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Delivers what is due at `now`: at most `limit` rows, each claimed for `lease` first, so that
/// a worker that dies mid-send leaves the row to be sent again (same key) when the lease ends.
pub fn deliver_due(
    store: &mut Store,
    session: &Session,
    submit: &mut dyn Submit,
    now: jiff::Timestamp,
    options: DeliveryOptions,
    jitter: &mut dyn FnMut() -> f64,
) -> Result<Pass, StoreError> {
    let DeliveryOptions {
        lease,
        limit,
        backoff,
    } = options;
    let mut pass = Pass::default();
    for row in store.claim_due(session, now, lease, limit)? {
        match submit.submit(&row) {
            Answer::Received {
                receipt_id,
                received_at,
            } => {
                store.delivered(row.id, &receipt_id, &received_at)?;
                pass.delivered += 1;
            }
            Answer::Later { retry_after, code } => {
                let attempts = u32::try_from(row.attempts).unwrap_or(u32::MAX);
                let wait = backoff.delay(attempts, retry_after, jitter());
                let at = now + jiff::SignedDuration::try_from(wait).unwrap_or_default();
                store.retry_at(row.id, at, &code)?;
                pass.retrying += 1;
            }
            Answer::Refused { code } => {
                store.delivery_failed(row.id, &code)?;
                pass.failed += 1;
            }
        }
    }
    Ok(pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_jittered_and_honours_retry_after() {
        let b = Backoff {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(60),
        };
        assert_eq!(b.delay(1, None, 1.0), Duration::from_secs(1));
        assert_eq!(b.delay(1, None, 0.0), Duration::from_millis(500));
        assert_eq!(b.delay(4, None, 1.0), Duration::from_secs(8));
        assert_eq!(b.delay(30, None, 1.0), Duration::from_secs(60));
        assert_eq!(b.delay(u32::MAX, None, 0.0), Duration::from_secs(30));
        // Never before Retry-After.
        assert!(b.delay(1, Some(Duration::from_secs(7)), 0.0) >= Duration::from_secs(7));
        assert!(b.delay(1, Some(Duration::from_secs(7)), 1.0) <= Duration::from_secs(8));
    }

    #[test]
    fn statuses_that_cannot_change_are_final() {
        for s in [400, 403, 409, 413, 422] {
            assert!(
                matches!(classify(s, None), Some(Answer::Refused { .. })),
                "{s}"
            );
        }
        for s in [404, 408, 429, 500, 502, 503] {
            assert!(
                matches!(classify(s, None), Some(Answer::Later { .. })),
                "{s}"
            );
        }
        assert_eq!(classify(201, None), None);
    }

    #[test]
    fn a_huge_retry_after_is_capped_and_never_overflows() {
        let huge = Some(Duration::from_secs(u64::MAX));
        match classify(503, huge) {
            Some(Answer::Later { retry_after, .. }) => {
                assert_eq!(retry_after, Some(MAX_RETRY_AFTER))
            }
            other => panic!("{other:?}"),
        }
        let b = Backoff::default();
        for jitter in [0.0, 0.5, 1.0] {
            let wait = b.delay(u32::MAX, huge, jitter);
            assert!(wait >= MAX_RETRY_AFTER && wait <= MAX_RETRY_AFTER + b.base);
            // The time of the next attempt can be computed.
            let at = jiff::Timestamp::now() + jiff::SignedDuration::try_from(wait).unwrap();
            assert!(at > jiff::Timestamp::now());
        }
    }
}
