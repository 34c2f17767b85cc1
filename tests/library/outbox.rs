//! The outbox on a real SQLite file: queued bytes never change, retries wait (backoff, Retry-After),
//! refusals that cannot change are final, a worker that dies mid-send leaves the row due again
//! with the same idempotency key, and a receipt moves the opinion to 送信済. The submitter here is a
//! script; the mTLS client against the hub simulator is the real one (issue 6, next).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use std::collections::VecDeque;
use std::time::Duration;

use ikensho::hub::outbox::{Answer, Backoff, DeliveryOptions, Pass, Submit, deliver_due};
use ikensho::store::outbox::{Delivery, OutboxRow};
use ikensho::store::{Durability, State};

struct Script {
    answers: VecDeque<Answer>,
    seen: Vec<(String, Vec<u8>)>,
}

impl Submit for Script {
    fn submit(&mut self, row: &OutboxRow) -> Answer {
        self.seen
            .push((row.idempotency_key.clone(), row.document.clone()));
        self.answers.pop_front().expect("an answer scripted")
    }
}

fn later(code: &str, after: Option<u64>) -> Answer {
    Answer::Later {
        retry_after: after.map(Duration::from_secs),
        code: code.into(),
    }
}

const LEASE: Duration = Duration::from_secs(60);
const BACKOFF: Backoff = Backoff {
    base: Duration::from_secs(2),
    cap: Duration::from_secs(600),
};

fn t0() -> jiff::Timestamp {
    jiff::Timestamp::now() + jiff::SignedDuration::from_secs(1)
}

fn at(t: jiff::Timestamp, secs: i64) -> jiff::Timestamp {
    t + jiff::SignedDuration::from_secs(secs)
}

/// A finalised, signed opinion queued for sending. Returns (people, opinion id, outbox id).
fn queued(dir: &std::path::Path) -> (common::People, i64, i64) {
    let mut p = common::people(&dir.join("ikensho.sqlite"), Durability::Normal);
    let (opinion, version) = common::store_example(&mut p, false);
    p.store
        .finalise(&p.doctor, opinion, &common::today())
        .unwrap();
    p.store
        .record_signature(
            &p.doctor,
            version,
            b"{\"document\":1}",
            b"CMS",
            common::card_cert(),
        )
        .unwrap();
    let q = p.store.queue_for_sending(&p.doctor, opinion, None).unwrap();
    assert_eq!(q.idempotency_key.len(), 36);
    (p, opinion, q.outbox_id)
}

/// One delivery pass at `now` for the physician signed in, with the tests' lease and backoff.
fn deliver(
    p: &mut common::People,
    script: &mut Script,
    now: jiff::Timestamp,
    jitter: &mut dyn FnMut() -> f64,
) -> Pass {
    let options = DeliveryOptions {
        lease: LEASE,
        limit: 10,
        backoff: BACKOFF,
    };
    deliver_due(&mut p.store, &p.doctor, script, now, options, jitter).unwrap()
}

fn state(p: &mut common::People, opinion: i64) -> State {
    p.store.open_opinion(&p.doctor, opinion).unwrap().info.state
}

#[test]
fn retries_wait_then_a_receipt_makes_it_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, opinion, id) = queued(dir.path());
    assert_eq!(state(&mut p, opinion), State::Queued);
    let row = p.store.outbox_row(&p.doctor, id).unwrap();
    assert_eq!(row.document, b"{\"document\":1}");
    assert_eq!(row.signature.as_deref(), Some(&b"CMS"[..]));
    let mut script = Script {
        answers: VecDeque::from([
            later("503", Some(30)),
            later("connection-dropped", None),
            Answer::Received {
                receipt_id: "RCPT-1".into(),
                received_at: "2026-11-21T10:00:00+09:00".into(),
            },
        ]),
        seen: Vec::new(),
    };
    let t = t0();
    let mut half = || 0.5;
    let pass = deliver(&mut p, &mut script, t, &mut half);
    assert_eq!(pass.retrying, 1);
    let row = p.store.outbox_row(&p.doctor, id).unwrap();
    assert_eq!((row.state, row.attempts), (Delivery::Waiting, 1));
    assert_eq!(row.last_error.as_deref(), Some("503"));
    // Not before Retry-After (30 s).
    let pass = deliver(&mut p, &mut script, at(t, 29), &mut half);
    assert_eq!(pass, Default::default());
    deliver(&mut p, &mut script, at(t, 31), &mut half);
    // Second failure: backoff of attempt 2 is 2–4 s (here 3 s).
    let pass = deliver(&mut p, &mut script, at(t, 33), &mut half);
    assert_eq!(pass, Default::default());
    let pass = deliver(&mut p, &mut script, at(t, 35), &mut half);
    assert_eq!(pass.delivered, 1);
    let row = p.store.outbox_row(&p.doctor, id).unwrap();
    assert_eq!(
        (row.state, row.receipt_id.as_deref()),
        (Delivery::Received, Some("RCPT-1"))
    );
    assert_eq!(state(&mut p, opinion), State::Sent);
    // Every attempt carried the same key and the same bytes.
    assert_eq!(script.seen.len(), 3);
    assert!(script.seen.windows(2).all(|w| w[0] == w[1]));
    assert!(p.store.verify_audit().unwrap().problems.is_empty());
}

#[test]
fn a_refusal_that_cannot_change_is_final_and_the_opinion_can_be_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, opinion, id) = queued(dir.path());
    let mut script = Script {
        answers: VecDeque::from([Answer::Refused { code: "422".into() }]),
        seen: Vec::new(),
    };
    let pass = deliver(&mut p, &mut script, t0(), &mut || 0.0);
    assert_eq!(pass.failed, 1);
    let row = p.store.outbox_row(&p.doctor, id).unwrap();
    assert_eq!(
        (row.state, row.last_error.as_deref()),
        (Delivery::Failed, Some("422"))
    );
    assert_eq!(state(&mut p, opinion), State::Finalised);
    // Never claimed again.
    let pass = deliver(&mut p, &mut script, at(t0(), 3600), &mut || 0.0);
    assert_eq!(pass, Default::default());
    // The physician makes a new version.
    p.store.reopen(&p.doctor, opinion).unwrap();
}

#[test]
fn a_worker_that_dies_mid_send_leaves_the_row_due_again_with_the_same_key() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, _, id) = queued(dir.path());
    let t = t0();
    let claimed = p.store.claim_due(&p.doctor, t, LEASE, 10).unwrap();
    assert_eq!(claimed.len(), 1);
    let key = claimed[0].idempotency_key.clone();
    // The worker dies here. A reopened store sees the row claimed until the lease ends.
    drop(p);
    let mut store = ikensho::store::Store::open(&dir.path().join("ikensho.sqlite")).unwrap();
    let doctor = store.sign_in("sato", common::PASSWORD).unwrap();
    assert!(
        store
            .claim_due(&doctor, at(t, 30), LEASE, 10)
            .unwrap()
            .is_empty()
    );
    let again = store.claim_due(&doctor, at(t, 61), LEASE, 10).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].idempotency_key, key);
    assert_eq!(again[0].attempts, 2);
    assert_eq!(
        store.outbox_row(&doctor, id).unwrap().state,
        Delivery::Sending
    );
}

#[test]
fn queued_bytes_cannot_be_changed_even_around_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let (p, _, id) = queued(dir.path());
    drop(p);
    let db = dir.path().join("ikensho.sqlite");
    for sql in [
        format!("UPDATE outbox SET document = x'00' WHERE id = {id};"),
        format!("UPDATE outbox SET idempotency_key = 'x' WHERE id = {id};"),
        format!("DELETE FROM outbox WHERE id = {id};"),
    ] {
        let refused = common::outside(&db, &sql).expect_err(&sql);
        assert!(
            refused.to_string().contains("ikensho:"),
            "{sql}: refused for another reason: {refused}"
        );
    }
}

#[test]
fn unsigned_needs_the_document_and_a_clerk_cannot_queue() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = common::people(&dir.path().join("ikensho.sqlite"), Durability::Normal);
    let (opinion, _) = common::store_example(&mut p, false);
    p.store
        .finalise(&p.doctor, opinion, &common::today())
        .unwrap();
    assert!(
        p.store
            .queue_for_sending(&p.clerk, opinion, Some(b"d"))
            .is_err()
    );
    assert!(matches!(
        p.store.queue_for_sending(&p.doctor, opinion, None),
        Err(ikensho::store::StoreError::Unsigned)
    ));
    let q = p
        .store
        .queue_for_sending(&p.doctor, opinion, Some(b"unsigned document"))
        .unwrap();
    let row = p.store.outbox_row(&p.doctor, q.outbox_id).unwrap();
    assert_eq!(row.signature, None);
    assert_eq!(row.request_id.as_deref(), Some("REQ-2026-000123"));
}

#[test]
fn sending_status_names_every_row_however_many_opinions_came_after() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, opinion, id) = queued(dir.path());
    // More opinions after it than a list shows at once (the screen once took the names from
    // the list's first page, and older rows lost theirs).
    let applicant = common::first_insured().applicant;
    for _ in 0..205 {
        p.store
            .create_opinion(
                &p.doctor,
                ikensho::store::NewOpinion {
                    applicant: applicant.clone(),
                    request: None,
                    physician: None,
                },
                jiff::civil::date(2026, 11, 21),
            )
            .unwrap();
    }
    let entries = p.store.outbox_entries(&p.doctor).unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!((e.row.id, e.row.opinion_id), (id, opinion));
    let info = p.store.open_opinion(&p.doctor, opinion).unwrap().info;
    assert!(!info.name.is_empty());
    assert_eq!(e.name, info.name);
    assert_eq!(e.opinion_state, State::Queued);
    assert_eq!(e.version_number, 1);
    assert_eq!(e.note, None);
    // Read for someone signed in, like every read of the signed bytes.
    assert_eq!(e.row, p.store.outbox_row(&p.doctor, id).unwrap());
}
