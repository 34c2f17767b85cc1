//! The use cases as the window and the command line call them: a print written whole to a file
//! (named after the opinion in a folder, or where asked), a refused final print that leaves no
//! file, and signing refused to a clerk before the card is touched.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::sync::atomic::{AtomicUsize, Ordering};

use ikensho::card::{CardAccess, CardError, CardSource, Pin};
use ikensho::store::{Action, Durability, State, StoreError};
use ikensho::workflow::{
    Copy, Signer, StoredPrint, Target, WorkflowError, print_draft, print_final, prints_path,
    sign_and_queue,
};
use ikensho_testkit::fixtures as common;
use zeroize::Zeroizing;

#[test]
fn prints_go_whole_into_the_file_asked_for_or_named_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = common::people(&dir.path().join("ikensho.sqlite"), Durability::Normal);
    let (id, _) = common::store_example(&mut c, false);

    // A draft copy where the user asked.
    let asked = dir.path().join("見本.pdf");
    let draft = print_draft(&mut c.store, &c.clerk, id, None, Target::File(&asked)).unwrap();
    assert_eq!(draft.path, asked);
    assert_eq!(draft.pages, 2);
    assert!(std::fs::read(&asked).unwrap().starts_with(b"%PDF-"));

    // The final copy into the prints folder (made when missing), named after opinion and version.
    let prints = dir.path().join("prints");
    let fin = print_final(
        &mut c.store,
        &c.doctor,
        id,
        &StoredPrint::final_copy(),
        Target::Folder(&prints),
        &common::today(),
    )
    .unwrap();
    assert_eq!(fin.path, prints_path(&prints, id, 1, Copy::Final));
    let bytes = std::fs::read(&fin.path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(c.store.state_of(id).unwrap(), State::Paper);
    // No part file is left behind.
    let names: Vec<String> = std::fs::read_dir(&prints)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![format!("opinion-{id}-v1-final.pdf")]);
    #[cfg(unix)]
    {
        let mode = common::mode;
        assert_eq!(mode(&prints), 0o700, "the prints folder");
        assert_eq!(mode(&fin.path), 0o600, "a final print");
        assert_eq!(mode(&asked), 0o600, "a draft print");
    }
}

#[test]
fn a_refused_final_print_writes_no_file_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = common::people(&dir.path().join("ikensho.sqlite"), Durability::Normal);
    let (id, _) = common::store_example(&mut c, true);
    let to = dir.path().join("final.pdf");
    // A clerk may not print the final copy.
    match print_final(
        &mut c.store,
        &c.clerk,
        id,
        &StoredPrint::final_copy(),
        Target::File(&to),
        &common::today(),
    ) {
        Err(WorkflowError::Store(StoreError::Refused { action, .. })) => {
            assert_eq!(action, Action::PrintFinal)
        }
        other => panic!("{other:?}"),
    }
    // The physician has not reviewed the clerk's entries yet: refused too.
    assert!(matches!(
        print_final(
            &mut c.store,
            &c.doctor,
            id,
            &StoredPrint::final_copy(),
            Target::File(&to),
            &common::today(),
        ),
        Err(WorkflowError::Store(StoreError::Unreviewed { .. }))
    ));
    assert!(!to.exists());
    assert!(!dir.path().join("final.pdf.part").exists());
    assert_eq!(c.store.state_of(id).unwrap(), State::ClerkEntry);
}

/// A card source that counts how often a card was asked for, and has none.
struct Counting(AtomicUsize);

impl CardSource for Counting {
    fn readers(&self) -> Result<Vec<String>, CardError> {
        Ok(Vec::new())
    }

    fn open(&self, _: Option<&str>) -> Result<(Box<dyn CardAccess + Send>, String), CardError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Err(CardError::NoCard)
    }
}

#[test]
fn a_clerk_cannot_sign_and_the_card_is_never_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = common::people(&dir.path().join("ikensho.sqlite"), Durability::Normal);
    let (id, _) = common::store_example(&mut c, false);
    let source = Counting(AtomicUsize::new(0));
    let signer = Signer {
        card: &source,
        reader: None,
        chain: &[],
    };
    let pin = Pin::new(Zeroizing::new("1234".to_owned())).unwrap();
    let refused = sign_and_queue(
        &mut c.store,
        &c.clerk,
        id,
        signer,
        &pin,
        false,
        &common::today(),
    );
    assert!(
        matches!(
            refused,
            Err(WorkflowError::Store(StoreError::Refused {
                action: Action::Sign,
                ..
            }))
        ),
        "{refused:?}"
    );
    assert_eq!(source.0.load(Ordering::SeqCst), 0);
    // A physician gets as far as the card, which is missing: nothing is finalised or queued.
    let missing = sign_and_queue(
        &mut c.store,
        &c.doctor,
        id,
        signer,
        &pin,
        false,
        &common::today(),
    );
    assert!(
        matches!(missing, Err(WorkflowError::Sign(_))),
        "{missing:?}"
    );
    assert_eq!(source.0.load(Ordering::SeqCst), 1);
    assert_eq!(c.store.state_of(id).unwrap(), State::AwaitingPhysician);
    assert!(c.store.outbox(&c.doctor).unwrap().is_empty());
}

#[test]
fn a_request_that_cannot_become_a_draft_does_not_stop_the_others() {
    use ikensho::hub::flow::drafts_from_requests;
    let dir = tempfile::tempdir().unwrap();
    let mut c = common::people(&dir.path().join("ikensho.sqlite"), Durability::Normal);
    let mut bad = common::open_request("REQ-BAD-1");
    bad.applicant.sex = "not-a-sex".into();
    let requests = [
        common::open_request("REQ-OK-1"),
        bad,
        common::open_request("REQ-OK-2"),
    ];
    let intake = drafts_from_requests(
        &mut c.store,
        &c.clerk,
        &requests,
        jiff::civil::date(2026, 11, 20),
    )
    .unwrap();
    assert_eq!(intake.made.len(), 2);
    assert_eq!(intake.refused.len(), 1);
    assert_eq!(intake.refused[0].0, "REQ-BAD-1");
    assert!(matches!(intake.refused[0].1, StoreError::Shape(_)));
    // Taking in again makes nothing twice, and tries the refused one again.
    let again = drafts_from_requests(
        &mut c.store,
        &c.clerk,
        &requests,
        jiff::civil::date(2026, 11, 20),
    )
    .unwrap();
    assert!(again.made.is_empty());
    assert_eq!(again.refused.len(), 1);
}
