//! The draft store on a real SQLite file: roles, frozen versions, review marks, copy-forward and
//! diff, the audit chain (tampered with through the sqlite3 shell), search, backup and restore.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use std::path::{Path, PathBuf};

use ikensho::form::changes::Change;
use ikensho::form::{Answer, FormVersion, Request};
use ikensho::store::{
    Action, AuditProblem, ClinicSettings, Durability, HubEvent, NewOpinion, NewUser, Origin, Query,
    Role, Session, State, Store, StoreError,
};
use tempfile::TempDir;

use common::{Backend, PASSWORD};

ikensho_testkit::both!(
    a_clerk_is_refused_every_physician_action,
    roles_are_checked_when_people_are_added,
    items_a_clerk_changed_wait_for_the_physician,
    an_opinion_with_errors_cannot_be_finalised,
    a_frozen_version_never_changes_and_editing_makes_a_new_one,
    a_save_from_an_older_copy_is_refused,
    the_states_follow_the_way_of_an_opinion,
    copy_forward_starts_the_renewal_from_the_last_final_opinion,
    the_audit_trail_records_who_did_what_and_never_what_was_typed,
    the_audit_export_is_a_csv_an_inspector_can_open,
    search_finds_by_name_kana_number_state_and_date,
    finishing_records_the_confirmation_the_finalisation_and_the_signature_or_print_together,
    an_underline_on_no_service_blocks_finalising,
    a_renewal_request_brings_its_own_applicant,
    the_audit_export_shows_whose_opinion_only_to_those_who_open_them_and_no_formulas,
    a_frozen_body_changed_behind_the_programs_back_is_named_and_never_printed,
    wrong_passwords_slow_sign_in_down_then_lock_the_login_for_known_and_unknown_alike,
    a_deactivated_person_is_refused_at_once,
    physician_accounts_need_the_password_again_and_one_certificate_signs_for_each,
    an_open_opinion_shows_who_has_it_open_until_that_window_stops_answering,
    two_saves_of_one_draft_name_who_saved_first_and_put_both_together,
    a_common_name_and_a_rare_one_both_list_the_latest_first,
);

struct Clinic {
    dir: TempDir,
    raw: common::Raw,
    store: Store,
    admin: Session,
    doctor: Session,
    clerk: Session,
}

impl Clinic {
    fn path(&self) -> PathBuf {
        self.dir.path().join("ikensho.sqlite")
    }
}

fn settings() -> ClinicSettings {
    let c = common::first_insured().clinic;
    ClinicSettings {
        name: c.name,
        address: c.address,
        phone: c.phone,
        fax: c.fax,
        institution_code: c.institution_code,
        print_physician_name: false,
        idle_sign_out_minutes: None,
        csv_insurers: Vec::new(),
    }
}

fn setup() -> Clinic {
    setup_on(&Backend::File, "")
}

/// The clinic's store on the backend `b` (a database named after the test on the server).
fn setup_on(b: &Backend, name: &str) -> Clinic {
    let dir = tempfile::tempdir().unwrap();
    let (store, raw) = b.new_store(dir.path(), name);
    let common::People {
        mut store,
        admin,
        doctor,
        clerk,
    } = common::people_in(store);
    store.set_clinic_settings(&admin, &settings()).unwrap();
    Clinic {
        dir,
        raw,
        store,
        admin,
        doctor,
        clerk,
    }
}

fn today() -> jiff::civil::Date {
    common::today().today
}

/// A clerk takes in the request and types everything of the example; the physician reviews it.
/// Returns (opinion id, version id, revision).
fn prepared(c: &mut Clinic) -> (i64, i64, i64) {
    let example = common::first_insured();
    let draft = c
        .store
        .create_opinion(
            &c.clerk,
            NewOpinion {
                applicant: example.applicant.clone(),
                request: example.request.clone(),
                physician: None,
            },
            today(),
        )
        .unwrap();
    assert_eq!(
        draft.opinion.clinic, example.clinic,
        "clinic settings filled in"
    );
    let saved = c
        .store
        .autosave(&c.clerk, draft.version_id, draft.revision, &example)
        .unwrap();
    assert!(saved.changed.contains(&"diagnosis-1".to_owned()));
    (draft.opinion_id, draft.version_id, saved.revision)
}

fn finalised(c: &mut Clinic) -> (i64, i64) {
    let (opinion, version, _) = prepared(c);
    c.store.review_items(&c.doctor, version, &[]).unwrap();
    c.store
        .finalise(&c.doctor, opinion, &common::today())
        .unwrap();
    (opinion, version)
}

fn refused(r: Result<impl std::fmt::Debug, StoreError>, action: Action) {
    match r {
        Err(StoreError::Refused { action: a, .. }) => assert_eq!(a, action),
        other => panic!("expected a refusal of {action:?}, got {other:?}"),
    }
}

/// Changes the file around the program, as anyone holding the key could with a SQLite tool.
fn sqlite3(db: &Path, sql: &str) {
    common::outside(db, sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[test]
fn a_new_store_is_a_wal_file_with_the_latest_schema() {
    let c = setup();
    let conn = common::raw(&c.path());
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        version, 8,
        "V1 (people, opinions, audit), V2 (outbox), V3 (申請区分 in the list), V4 (sign-in throttle), \
         V5 (the physician's HPKI certificate), V6 (the server's notifications), V7 (who has it open), \
         V8 (opinions imported from another program)"
    );
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, 0x494B_4E53);
}

fn file_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn a_damaged_file_is_refused_and_left_untouched() {
    let mut c = setup();
    prepared(&mut c);
    let path = c.path();
    drop(c.store);
    // Overwrite the middle of the file (B-tree pages) with garbage.
    let mut bytes = file_bytes(&path);
    assert!(bytes.len() > 4 * 4096);
    for b in &mut bytes[2 * 4096 + 100..3 * 4096] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    match Store::open(&path) {
        Err(StoreError::Damaged { detail, .. }) => assert!(!detail.is_empty()),
        Err(e) => panic!("expected Damaged, got {e}"),
        Ok(_) => panic!("a damaged file was opened"),
    }
    assert_eq!(file_bytes(&path), bytes, "the file is left as it was");
}

#[test]
fn other_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "これはデータベースではありません\n".repeat(100)).unwrap();
    assert!(matches!(
        Store::open(&text),
        Err(StoreError::NotADatabase { .. })
    ));
    assert_eq!(
        file_bytes(&text),
        "これはデータベースではありません\n".repeat(100).as_bytes()
    );

    let other = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = file_bytes(&other);
    assert!(matches!(
        Store::open(&other),
        Err(StoreError::NotADatabase { .. })
    ));
    assert_eq!(
        file_bytes(&other),
        before,
        "another program's database is left as it was"
    );

    let c = setup();
    let path = c.path();
    drop(c.store);
    common::raw(&path)
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    match Store::open(&path) {
        Err(StoreError::TooNew { found, known, .. }) => assert_eq!((found, known), (99, 8)),
        other => panic!("expected TooNew, got {:?}", other.err()),
    }
}

fn a_clerk_is_refused_every_physician_action(b: Backend) {
    let mut c = setup_on(&b, "a_clerk_is_refused_every_physician_action");
    let (opinion, version, _) = prepared(&mut c);
    let ctx = common::today();
    refused(c.store.review_items(&c.clerk, version, &[]), Action::Review);
    refused(c.store.finalise(&c.clerk, opinion, &ctx), Action::Finalise);
    c.store.review_items(&c.doctor, version, &[]).unwrap();
    c.store.finalise(&c.doctor, opinion, &ctx).unwrap();
    refused(
        c.store
            .record_signature(&c.clerk, version, b"doc", b"sig", common::card_cert()),
        Action::Sign,
    );
    refused(
        c.store.queue_for_sending(&c.clerk, opinion, Some(b"doc")),
        Action::Send,
    );
    refused(
        c.store.record_print(&c.clerk, version, true, ""),
        Action::PrintFinal,
    );
    // A draft print is allowed, and recorded.
    c.store.record_print(&c.clerk, version, false, "").unwrap();
    // Administration is not theirs either.
    let new = NewUser {
        login: "x",
        name: "x",
        roles: &[Role::Clerk],
        password: PASSWORD,
    };
    refused(c.store.add_user(&c.clerk, &new, None), Action::ManageUsers);
    refused(
        c.store.set_clinic_settings(&c.clerk, &settings()),
        Action::Settings,
    );
    refused(
        c.store.backup(&c.clerk, &c.path().with_extension("bak")),
        Action::Administer,
    );
    refused(
        c.store.export_audit(
            &c.clerk,
            &mut Vec::new(),
            &Store::audit_columns().map(String::from),
        ),
        Action::Administer,
    );
    // An administrator alone does not see applicants.
    refused(c.store.open_opinion(&c.admin, opinion), Action::Open);
    refused(c.store.search(&c.admin, &Query::default()), Action::Open);
    // The state did not move through any refused call.
    let info = c.store.open_opinion(&c.doctor, opinion).unwrap().info;
    assert_eq!(info.state, State::Finalised);
    // And the physician can do all of it.
    c.store
        .record_signature(&c.doctor, version, b"doc", b"sig", common::card_cert())
        .unwrap();
    assert_eq!(
        c.store.signature(&c.doctor, version).unwrap(),
        Some((b"doc".to_vec(), b"sig".to_vec()))
    );
    c.store.queue_for_sending(&c.doctor, opinion, None).unwrap();
}

fn roles_are_checked_when_people_are_added(b: Backend) {
    let mut c = setup_on(&b, "roles_are_checked_when_people_are_added");
    let both = NewUser {
        login: "both",
        name: "二役",
        roles: &[Role::Physician, Role::Clerk],
        password: PASSWORD,
    };
    assert!(matches!(
        c.store.add_user(&c.admin, &both, Some(PASSWORD)),
        Err(StoreError::RoleConflict)
    ));
    let short = NewUser {
        login: "short",
        name: "短い",
        roles: &[Role::Clerk],
        password: "1234567",
    };
    assert!(matches!(
        c.store.add_user(&c.admin, &short, Some(PASSWORD)),
        Err(StoreError::WeakPassword)
    ));
    let again = NewUser {
        login: "SATO",
        name: "同名",
        roles: &[Role::Clerk],
        password: PASSWORD,
    };
    assert!(matches!(
        c.store.add_user(&c.admin, &again, Some(PASSWORD)),
        Err(StoreError::LoginTaken(_))
    ));
    let first = NewUser {
        login: "late",
        name: "遅い",
        roles: &[Role::Admin],
        password: PASSWORD,
    };
    assert!(matches!(
        c.store.add_first_admin(&first),
        Err(StoreError::AlreadySetUp)
    ));
    assert!(matches!(
        c.store.sign_in("sato", "wrong password"),
        Err(StoreError::SignIn)
    ));
    assert!(matches!(
        c.store.sign_in("nobody", PASSWORD),
        Err(StoreError::SignIn)
    ));
    // A password typed into the login field by mistake is not kept in the audit trail.
    assert!(matches!(
        c.store.sign_in(PASSWORD, "sato"),
        Err(StoreError::SignIn)
    ));
    let logins: Vec<String> = c
        .raw
        .rows("SELECT login FROM audit WHERE action = 'sign-in-failed' ORDER BY seq")
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect();
    assert_eq!(logins, ["sato", "(unknown)", "(unknown)"]);
    let sato = c.store.physicians().unwrap();
    // Passwords: one's own, or anyone's for an administrator.
    let doctor_id = c.doctor.user_id();
    refused(
        c.store
            .set_password(&c.clerk, doctor_id, "another password"),
        Action::ManageUsers,
    );
    c.store
        .set_password(&c.clerk, c.clerk.user_id(), "a new clerk password")
        .unwrap();
    assert!(matches!(
        c.store.sign_in("suzuki", PASSWORD),
        Err(StoreError::SignIn)
    ));
    c.store.sign_in("suzuki", "a new clerk password").unwrap();
    c.store
        .set_password(&c.admin, doctor_id, "a new doctor password")
        .unwrap();
    c.store.sign_in("sato", "a new doctor password").unwrap();
    assert!(matches!(
        c.store.set_password(&c.admin, 9999, "whatever password"),
        Err(StoreError::NotFound("user"))
    ));
    assert!(matches!(
        c.store.set_active(&c.admin, 9999, false),
        Err(StoreError::NotFound("user"))
    ));
    c.store.set_active(&c.admin, sato[0].id, false).unwrap();
    assert!(matches!(
        c.store.sign_in("sato", "a new doctor password"),
        Err(StoreError::SignIn)
    ));
}

fn items_a_clerk_changed_wait_for_the_physician(b: Backend) {
    let mut c = setup_on(&b, "items_a_clerk_changed_wait_for_the_physician");
    let (opinion, version, revision) = prepared(&mut c);
    match c.store.finalise(&c.doctor, opinion, &common::today()) {
        Err(StoreError::Unreviewed { items }) => {
            assert!(items.contains(&"diagnosis-1".to_owned()));
            assert!(items.contains(&"last-exam-date".to_owned()));
        }
        other => panic!("expected Unreviewed, got {other:?}"),
    }
    // The physician edits one item: that counts as reviewing it.
    let mut op = c.store.open_opinion(&c.doctor, opinion).unwrap().opinion;
    op.answers.insert(
        "diagnosis-1",
        Answer::Text("アルツハイマー型認知症（中等度）".into()),
    );
    c.store.autosave(&c.doctor, version, revision, &op).unwrap();
    let marks = c.store.marks(&c.doctor, version).unwrap();
    let pending = |item: &str| marks.iter().any(|m| m.item == item && m.clerk_pending);
    assert!(!pending("diagnosis-1"));
    assert!(pending("diagnosis-2"));
    // Reviewing some leaves the rest.
    c.store
        .review_items(&c.doctor, version, &["diagnosis-2".to_owned()])
        .unwrap();
    assert!(matches!(
        c.store.finalise(&c.doctor, opinion, &common::today()),
        Err(StoreError::Unreviewed { items }) if !items.contains(&"diagnosis-2".to_owned())
    ));
    c.store.review_items(&c.doctor, version, &[]).unwrap();
    let v = c
        .store
        .finalise(&c.doctor, opinion, &common::today())
        .unwrap();
    assert_eq!(v.frozen.as_deref(), Some("finalised"));
}

fn an_opinion_with_errors_cannot_be_finalised(b: Backend) {
    let mut c = setup_on(&b, "an_opinion_with_errors_cannot_be_finalised");
    let (opinion, version, revision) = prepared(&mut c);
    let mut op = c.store.open_opinion(&c.doctor, opinion).unwrap().opinion;
    op.answers.remove("diagnosis-1");
    c.store.autosave(&c.doctor, version, revision, &op).unwrap();
    c.store.review_items(&c.doctor, version, &[]).unwrap();
    assert!(matches!(
        c.store.finalise(&c.doctor, opinion, &common::today()),
        Err(StoreError::NotValid(n)) if n >= 1
    ));
}

fn a_frozen_version_never_changes_and_editing_makes_a_new_one(b: Backend) {
    let mut c = setup_on(
        &b,
        "a_frozen_version_never_changes_and_editing_makes_a_new_one",
    );
    let (opinion, version) = finalised(&mut c);
    let before = c.store.open_opinion(&c.doctor, opinion).unwrap();
    let mut op = before.opinion.clone();
    op.answers
        .insert("diagnosis-1", Answer::Text("変更".into()));
    let rev = before.version.revision;
    assert!(matches!(
        c.store.autosave(&c.doctor, version, rev, &op),
        Err(StoreError::Frozen(v)) if v == version
    ));
    // Not even SQL written past the library changes it.
    let err = c
        .raw
        .execute(&format!(
            "UPDATE versions SET body = '{{}}' WHERE id = {version}"
        ))
        .unwrap_err();
    assert!(err.contains("frozen"), "{err}");
    assert!(
        c.raw
            .execute(&format!("DELETE FROM versions WHERE id = {version}"))
            .is_err()
    );
    if b.is_server() {
        // Nor does emptying the table, which PostgreSQL does past row triggers.
        let err = c.raw.execute("TRUNCATE versions CASCADE").unwrap_err();
        assert!(err.contains("frozen"), "{err}");
    }

    let draft = c.store.reopen(&c.doctor, opinion).unwrap();
    assert_ne!(draft.version_id, version);
    let saved = c
        .store
        .autosave(&c.doctor, draft.version_id, draft.revision, &op)
        .unwrap();
    assert_eq!(saved.changed, ["diagnosis-1"]);
    let versions = c.store.versions(&c.doctor, opinion).unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0].body_hash, before.version.body_hash,
        "version 1 unchanged"
    );
    assert_eq!(versions[1].number, 2);
    let info = c.store.open_opinion(&c.doctor, opinion).unwrap().info;
    assert_eq!(
        (info.version_id, info.version_number),
        (draft.version_id, 2)
    );
    let diff = c
        .store
        .diff_versions(&c.doctor, version, draft.version_id)
        .unwrap();
    assert_eq!(diff.len(), 1);
    assert_eq!(
        (diff[0].item.as_str(), diff[0].change),
        ("diagnosis-1", Change::Changed)
    );
}

fn a_save_from_an_older_copy_is_refused(b: Backend) {
    let mut c = setup_on(&b, "a_save_from_an_older_copy_is_refused");
    let (opinion, version, revision) = prepared(&mut c);
    let op = c.store.open_opinion(&c.clerk, opinion).unwrap().opinion;
    let mut a = op.clone();
    a.answers.insert("diagnosis-2", Answer::Text("A".into()));
    let mut b = op;
    b.answers.insert("diagnosis-2", Answer::Text("B".into()));
    c.store.autosave(&c.clerk, version, revision, &a).unwrap();
    assert!(matches!(
        c.store.autosave(&c.clerk, version, revision, &b),
        Err(StoreError::Conflict { expected, found, .. }) if found == expected + 1
    ));
    // Saving the same content again writes nothing.
    let same = c
        .store
        .autosave(&c.clerk, version, revision + 1, &a)
        .unwrap();
    assert_eq!(same.revision, revision + 1);
    assert!(same.changed.is_empty());
}

/// The soft lock: who has a draft open where, seen from another window (another connection,
/// as another terminal has); gone when that window lets go or stops answering.
fn an_open_opinion_shows_who_has_it_open_until_that_window_stops_answering(b: Backend) {
    use ikensho::store::editing::Holder;
    let mut c = setup_on(&b, "an_open_opinion_shows_who_has_it_open");
    let (opinion, _, _) = prepared(&mut c);
    let mut exam_room = c.store.checked_file().connect().unwrap();
    assert!(
        c.store
            .hold(&c.clerk, opinion, "受付", "window-a")
            .unwrap()
            .is_empty()
    );
    let clerk_there = Holder {
        opinion_id: opinion,
        name: "鈴木 事務".into(),
        terminal: "受付".into(),
    };
    let others = exam_room
        .hold(&c.doctor, opinion, "診察室", "window-b")
        .unwrap();
    assert_eq!(others, std::slice::from_ref(&clerk_there));
    // The list's view: every opinion someone else has open.
    assert_eq!(
        exam_room.holders(&c.doctor, "window-b").unwrap(),
        std::slice::from_ref(&clerk_there)
    );
    assert_eq!(
        c.store.holders(&c.clerk, "window-a").unwrap(),
        [Holder {
            opinion_id: opinion,
            name: "佐藤 一郎".into(),
            terminal: "診察室".into(),
        }]
    );
    // Renewing the lease changes nothing for the others.
    c.store.hold(&c.clerk, opinion, "受付", "window-a").unwrap();
    assert_eq!(exam_room.holders(&c.doctor, "window-b").unwrap().len(), 1);
    // A window that stops answering: its lease runs out (moved into the past here rather than
    // waited for), and it is gone for the others.
    c.raw
        .execute("UPDATE editing SET until_ms = until_ms - 3600000 WHERE token = 'window-a'")
        .unwrap();
    assert!(exam_room.holders(&c.doctor, "window-b").unwrap().is_empty());
    // A window that lets go is gone at once.
    c.store.hold(&c.clerk, opinion, "受付", "window-a").unwrap();
    c.store.release("window-a").unwrap();
    assert!(
        exam_room
            .hold(&c.doctor, opinion, "診察室", "window-b")
            .unwrap()
            .is_empty()
    );
}

/// Two windows save one draft: the second is refused with the name of who saved first, and
/// what that person changed and what this window typed are put together without losing either.
fn two_saves_of_one_draft_name_who_saved_first_and_put_both_together(b: Backend) {
    use ikensho::form::changes::reapply;
    let mut c = setup_on(&b, "two_saves_of_one_draft");
    let (opinion, version, revision) = prepared(&mut c);
    let mut exam_room = c.store.checked_file().connect().unwrap();
    let base = c.store.open_opinion(&c.clerk, opinion).unwrap().opinion;
    // The clerk changes 診断名2 and 3; the physician, from the same copy, 3 and the 連絡先.
    let mut clerk = base.clone();
    clerk
        .answers
        .insert("diagnosis-2", Answer::Text("受付で".into()));
    clerk
        .answers
        .insert("diagnosis-3", Answer::Text("受付の値".into()));
    let mut doctor = base.clone();
    doctor
        .answers
        .insert("diagnosis-3", Answer::Text("医師の値".into()));
    doctor.applicant.phone = "03-1234-5678".into();
    c.store
        .autosave(&c.clerk, version, revision, &clerk)
        .unwrap();
    match exam_room.autosave(&c.doctor, version, revision, &doctor) {
        Err(StoreError::Conflict { by, found, .. }) => {
            assert_eq!(by, "鈴木 事務");
            assert_eq!(found, revision + 1);
        }
        other => panic!("{other:?}"),
    }
    let theirs = exam_room.open_opinion(&c.doctor, opinion).unwrap();
    let form = ikensho::form::FormDef::builtin(base.form_version).unwrap();
    let together = reapply(form, &base, &doctor, &theirs.opinion);
    assert_eq!(together.theirs, ["diagnosis-2", "diagnosis-3"]);
    assert_eq!(together.mine, ["applicant-phone", "diagnosis-3"]);
    assert_eq!(together.both, ["diagnosis-3"]);
    let text = |id: &str| match together.opinion.answers.get(id) {
        Some(Answer::Text(t)) => t.clone(),
        other => panic!("{id}: {other:?}"),
    };
    assert_eq!(text("diagnosis-2"), "受付で");
    assert_eq!(text("diagnosis-3"), "医師の値");
    assert_eq!(together.opinion.applicant.phone, "03-1234-5678");
    // Saved on top of what is stored now, it goes through.
    exam_room
        .autosave(
            &c.doctor,
            version,
            theirs.version.revision,
            &together.opinion,
        )
        .unwrap();
    let now = c.store.open_opinion(&c.clerk, opinion).unwrap().opinion;
    assert_eq!(now, together.opinion);
}

/// Search by a name that many opinions share (past the server's threshold for going down the
/// list instead of looking each up) and by a rare one: the same answer as the list's order.
fn a_common_name_and_a_rare_one_both_list_the_latest_first(b: Backend) {
    let mut c = setup_on(&b, "a_common_name_and_a_rare_one");
    for i in 0..1100 {
        let given = if i % 55 == 0 { "太郎" } else { "花子" };
        let applicant = ikensho::form::Applicant {
            name: format!("山田 {given}"),
            kana: "やまだ".into(),
            insured_number: format!("{:010}", 5_000_000 + i),
            ..Default::default()
        };
        c.store
            .create_opinion(
                &c.clerk,
                NewOpinion {
                    applicant,
                    ..Default::default()
                },
                today(),
            )
            .unwrap();
    }
    let ids = |c: &Clinic, text: &str| -> Vec<i64> {
        c.store
            .search(
                &c.clerk,
                &Query {
                    text: text.into(),
                    ..Query::default()
                },
            )
            .unwrap()
            .iter()
            .map(|o| o.id)
            .collect()
    };
    let expected = |c: &Clinic, cond: &str| -> Vec<i64> {
        c.raw
            .rows(&format!(
                "SELECT id FROM opinions WHERE {cond} ORDER BY updated_at DESC, id DESC LIMIT 200"
            ))
            .into_iter()
            .map(|r| r[0].as_deref().unwrap().parse().unwrap())
            .collect()
    };
    let common = ids(&c, "山田");
    assert_eq!(common.len(), 200);
    assert_eq!(common, expected(&c, "name LIKE '山田%'"));
    assert_eq!(ids(&c, "ヤマダ"), common);
    let rare = ids(&c, "山田太");
    assert_eq!(rare.len(), 20);
    assert_eq!(rare, expected(&c, "name = '山田 太郎'"));
}

fn the_states_follow_the_way_of_an_opinion(b: Backend) {
    let mut c = setup_on(&b, "the_states_follow_the_way_of_an_opinion");
    let (opinion, _) = finalised(&mut c);
    let state = |c: &mut Clinic| c.store.open_opinion(&c.doctor, opinion).unwrap().info.state;
    assert!(matches!(
        c.store.queue_for_sending(&c.doctor, opinion, None),
        Err(StoreError::Unsigned)
    ));
    c.store
        .queue_for_sending(&c.doctor, opinion, Some(b"doc"))
        .unwrap();
    assert_eq!(state(&mut c), State::Queued);
    assert!(matches!(
        c.store.hub_event(opinion, &HubEvent::Accepted),
        Err(StoreError::Transition {
            from: State::Queued,
            to: State::Accepted
        })
    ));
    c.store
        .hub_event(
            opinion,
            &HubEvent::Received {
                receipt: "R-1".into(),
            },
        )
        .unwrap();
    assert_eq!(state(&mut c), State::Sent);
    c.store
        .hub_event(
            opinion,
            &HubEvent::Returned {
                reason: "診断名の記載漏れ".into(),
            },
        )
        .unwrap();
    let info = c.store.open_opinion(&c.doctor, opinion).unwrap().info;
    assert_eq!(info.state, State::Returned);
    assert_eq!(info.note.as_deref(), Some("診断名の記載漏れ"));
    let draft = c.store.reopen(&c.clerk, opinion).unwrap();
    assert_eq!(state(&mut c), State::ClerkEntry);
    c.store
        .hand_over(&c.clerk, opinion, State::AwaitingPhysician)
        .unwrap();
    assert_eq!(state(&mut c), State::AwaitingPhysician);
    c.store
        .finalise(&c.doctor, opinion, &common::today())
        .unwrap();
    c.store
        .record_print(&c.doctor, draft.version_id, true, "")
        .unwrap();
    assert_eq!(state(&mut c), State::Paper);
    assert!(matches!(
        c.store.reopen(&c.doctor, opinion),
        Err(StoreError::Transition {
            from: State::Paper,
            ..
        })
    ));
}

fn copy_forward_starts_the_renewal_from_the_last_final_opinion(b: Backend) {
    let mut c = setup_on(
        &b,
        "copy_forward_starts_the_renewal_from_the_last_final_opinion",
    );
    let (old_opinion, old_version) = finalised(&mut c);
    c.store
        .record_print(&c.doctor, old_version, true, "")
        .unwrap();
    let example = common::first_insured();
    let next_year = jiff::civil::date(2027, 11, 20);
    let request = Request {
        request_id: "REQ-2027-000001".into(),
        application_date: "2027-11-01".into(),
        application_kind: "renewal".into(),
        requested_date: "2027-11-02".into(),
        due_date: "2027-11-16".into(),
    };
    // A clerk starts it; the 被保険者番号 may be typed full-width.
    let draft = c
        .store
        .renew(
            &c.clerk,
            &example.applicant.insurer_number,
            "0000012345",
            Some(request.clone()),
            next_year,
        )
        .unwrap();
    let op = &draft.opinion;
    assert_eq!(op.form_version, FormVersion::R8);
    let date = |id: &str| match op.answers.get(id) {
        Some(Answer::Date(d)) => (
            d.era.clone(),
            d.year.clone(),
            d.month.clone(),
            d.day.clone(),
        ),
        other => panic!("{id}: {other:?}"),
    };
    assert_eq!(
        date("written-date"),
        ("reiwa".into(), "9".into(), "11".into(), "20".into())
    );
    assert!(op.answers.get("last-exam-date").is_none());
    assert_eq!(
        op.answers.get("opinion-count"),
        Some(&Answer::Text("repeat".into()))
    );
    assert_eq!(
        op.answers.get("applicant-age"),
        Some(&Answer::Text("86".into()))
    );
    assert_eq!(op.request.as_ref(), Some(&request));
    assert_eq!(op.clinic.physician_name, "佐藤 一郎");
    assert_eq!(
        op.answers.get("diagnosis-1"),
        example.answers.get("diagnosis-1")
    );

    let marks = c.store.marks(&c.clerk, draft.version_id).unwrap();
    let origin = |item: &str| marks.iter().find(|m| m.item == item).and_then(|m| m.origin);
    assert_eq!(origin("diagnosis-1"), Some(Origin::Carried));
    assert_eq!(origin("applicant-name"), Some(Origin::Carried));
    assert_eq!(origin("written-date"), None);
    assert_eq!(
        origin("clinic-name"),
        None,
        "clinic items come from the settings"
    );

    let mut edited = op.clone();
    edited
        .answers
        .insert("diagnosis-2", Answer::Text("骨粗鬆症（圧迫骨折後）".into()));
    c.store
        .autosave(&c.clerk, draft.version_id, draft.revision, &edited)
        .unwrap();
    c.store
        .confirm_items(&c.clerk, draft.version_id, &["diagnosis-1".to_owned()])
        .unwrap();
    let marks = c.store.marks(&c.clerk, draft.version_id).unwrap();
    let mark = |item: &str| marks.iter().find(|m| m.item == item).cloned().unwrap();
    assert_eq!(mark("diagnosis-2").origin, Some(Origin::Changed));
    assert!(mark("diagnosis-2").clerk_pending);
    assert_eq!(mark("diagnosis-1").origin, Some(Origin::Confirmed));
    assert_eq!(mark("diagnosis-3").origin, Some(Origin::Carried));

    assert_eq!(
        c.store.renewed_from(draft.opinion_id).unwrap(),
        Some(old_version)
    );
    let diff = c
        .store
        .diff_versions(&c.clerk, old_version, draft.version_id)
        .unwrap();
    let change = |item: &str| diff.iter().find(|d| d.item == item).map(|d| d.change);
    assert_eq!(change("written-date"), Some(Change::Changed));
    assert_eq!(change("last-exam-date"), Some(Change::Removed));
    assert_eq!(change("diagnosis-2"), Some(Change::Changed));
    assert_eq!(change("request-id"), Some(Change::Changed));
    assert_eq!(change("diagnosis-1"), None);
    assert_eq!(change("applicant-name"), None);
    assert_ne!(draft.opinion_id, old_opinion);

    // An applicant with no final opinion has nothing to renew from.
    assert!(matches!(
        c.store
            .renew(&c.clerk, "131011", "9999999999", None, next_year),
        Err(StoreError::NothingToRenew)
    ));
}

#[test]
fn copy_forward_carries_an_r3_opinion_onto_the_r8_form() {
    let r3 = common::r3_first_insured();
    let r3_form = common::form(FormVersion::R3);
    let r8_form = common::form(FormVersion::R8);
    let (next, carried) =
        ikensho::form::changes::carry_forward(r3_form, &r3, r8_form, today(), r3.clinic.clone());
    assert_eq!(next.form_version, FormVersion::R8);
    assert!(
        next.answers.get("consent").is_none(),
        "R8 has no consent line"
    );
    next.check_shape(r8_form).unwrap();
    assert!(carried.contains(&"diagnosis-1".to_owned()));
    assert!(!carried.contains(&"consent".to_owned()));
    assert!(!carried.contains(&"clinic-name".to_owned()));
}

fn the_audit_trail_records_who_did_what_and_never_what_was_typed(b: Backend) {
    let mut c = setup_on(
        &b,
        "the_audit_trail_records_who_did_what_and_never_what_was_typed",
    );
    let (opinion, version) = finalised(&mut c);
    c.store.open_opinion(&c.clerk, opinion).unwrap();
    type Row = (
        String,
        String,
        Option<i64>,
        Option<i64>,
        String,
        Option<String>,
        Option<String>,
    );
    let int = |v: &Option<String>| v.as_deref().map(|n| n.parse::<i64>().unwrap());
    let rows: Vec<Row> = c
        .raw
        .rows("SELECT login, action, opinion_id, version_id, detail, before_hash, after_hash FROM audit ORDER BY seq")
        .into_iter()
        .map(|r| {
            (
                r[0].clone().unwrap(),
                r[1].clone().unwrap(),
                int(&r[2]),
                int(&r[3]),
                r[4].clone().unwrap(),
                r[5].clone(),
                r[6].clone(),
            )
        })
        .collect();
    let actions: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r.2 == Some(opinion))
        .map(|r| (r.0.as_str(), r.1.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("suzuki", "create"),
            ("suzuki", "change"),
            ("sato", "review"),
            ("sato", "finalise"),
            ("suzuki", "open"),
        ]
    );
    let change = rows.iter().find(|r| r.1 == "change").unwrap();
    assert_eq!(change.3, Some(version));
    assert!(change.5.is_some() && change.6.is_some() && change.5 != change.6);
    assert!(change.4.contains("diagnosis-1"));
    let everything = format!("{rows:?}");
    for secret in ["山田", "はなこ", "0000012345", "アルツハイマー", PASSWORD] {
        assert!(
            !everything.contains(secret),
            "the audit trail holds {secret}"
        );
    }
    assert!(c.store.verify_audit().unwrap().is_intact());
}

#[test]
fn audit_verify_names_entries_changed_deleted_or_reordered_in_the_sqlite3_shell() {
    let mut c = setup();
    finalised(&mut c);
    let check = c.store.verify_audit().unwrap();
    assert!(check.is_intact(), "{:?}", check.problems);
    let n = check.entries;
    assert!(n >= 8);
    let db = c.path();
    let backup = c.dir.path().join("clean.sqlite");
    c.store.backup(&c.admin, &backup).unwrap();
    drop(c.store);
    let fresh = |from: &Path| {
        // The file put back from outside: a rollback the head noted beside it would catch;
        // here the trail inside is what is checked.
        let _ = std::fs::remove_file(ikensho::store::witness::path(&db));
        std::fs::copy(from, &db).unwrap();
        let _ = std::fs::remove_file(db.with_extension("sqlite-wal"));
        let _ = std::fs::remove_file(db.with_extension("sqlite-shm"));
    };
    let verify = |sql: &str| {
        sqlite3(
            &db,
            &format!("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; {sql}"),
        );
        Store::open(&db).unwrap().verify_audit().unwrap().problems
    };

    fresh(&backup);
    let p = verify("UPDATE audit SET login = 'mallory' WHERE seq = 5;");
    assert_eq!(p, [AuditProblem::Altered { seq: 5 }]);

    fresh(&backup);
    let p = verify("DELETE FROM audit WHERE seq = 4;");
    assert_eq!(p, [AuditProblem::Missing { from: 4, to: 4 }]);

    fresh(&backup);
    // Swap the content of two entries, keeping their numbers.
    let p = verify(
        "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (3, 4);
         UPDATE audit SET (at, user_id, login, action, opinion_id, version_id, detail, before_hash, after_hash, prev, hash)
           = (SELECT at, user_id, login, action, opinion_id, version_id, detail, before_hash, after_hash, prev, hash FROM t WHERE seq = 4) WHERE seq = 3;
         UPDATE audit SET (at, user_id, login, action, opinion_id, version_id, detail, before_hash, after_hash, prev, hash)
           = (SELECT at, user_id, login, action, opinion_id, version_id, detail, before_hash, after_hash, prev, hash FROM t WHERE seq = 3) WHERE seq = 4;",
    );
    assert!(p.contains(&AuditProblem::Broken { seq: 3 }), "{p:?}");
    assert!(p.contains(&AuditProblem::Altered { seq: 3 }), "{p:?}");

    fresh(&backup);
    let p = verify(&format!("DELETE FROM audit WHERE seq = {};", n));
    assert_eq!(
        p,
        [AuditProblem::TailMissing {
            last: n - 1,
            head: n
        }]
    );
}

fn the_audit_export_is_a_csv_an_inspector_can_open(b: Backend) {
    let mut c = setup_on(&b, "the_audit_export_is_a_csv_an_inspector_can_open");
    let (opinion, _) = finalised(&mut c);
    let header = Store::audit_columns().map(String::from);
    let mut out = Vec::new();
    let n = c.store.export_audit(&c.admin, &mut out, &header).unwrap();
    assert!(
        out.starts_with("\u{feff}".as_bytes()),
        "UTF-8 BOM for spreadsheets"
    );
    let mut r = csv::Reader::from_reader(&out[3..]);
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        Store::audit_columns()
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), n);
    let finalise = rows.iter().find(|r| &r[4] == "finalise").unwrap();
    assert_eq!(&finalise[2], "sato");
    assert_eq!(&finalise[3], "佐藤 一郎");
    assert_eq!(finalise[5].parse::<i64>().unwrap(), opinion);
    // An administrator who writes no opinions does not see whose opinion it was.
    assert_eq!(&finalise[7], "131011");
    assert_eq!(&finalise[8], "");
    assert!(
        regex::Regex::new(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
            .unwrap()
            .is_match(&finalise[1])
    );
    // The export itself is recorded.
    let check = c.store.verify_audit().unwrap();
    assert!(check.is_intact());
    assert_eq!(check.entries as usize, n + 1);
}

fn applicant(name: &str, kana: &str, insured: &str) -> ikensho::form::Applicant {
    ikensho::form::Applicant {
        name: name.into(),
        kana: kana.into(),
        insurer_number: "131011".into(),
        insured_number: insured.into(),
        ..Default::default()
    }
}

fn search_finds_by_name_kana_number_state_and_date(b: Backend) {
    let mut c = setup_on(&b, "search_finds_by_name_kana_number_state_and_date");
    let people = [
        ("山田 花子", "やまだ はなこ", "0000012345"),
        ("山田 太郎", "ヤマダ タロウ", "0000012346"),
        ("髙橋 一", "たかはし はじめ", "0000099999"),
    ];
    let mut ids = Vec::new();
    for (name, kana, number) in people {
        let d = c
            .store
            .create_opinion(
                &c.clerk,
                NewOpinion {
                    applicant: applicant(name, kana, number),
                    ..Default::default()
                },
                today(),
            )
            .unwrap();
        ids.push(d.opinion_id);
    }
    let find = |c: &Clinic, text: &str| -> Vec<i64> {
        let mut v: Vec<i64> = c
            .store
            .search(
                &c.clerk,
                &Query {
                    text: text.into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect();
        v.sort();
        v
    };
    assert_eq!(find(&c, "山田"), [ids[0], ids[1]]);
    assert_eq!(find(&c, "山田花"), [ids[0]], "spaces do not matter");
    assert_eq!(find(&c, "花子"), [ids[0]], "given name");
    assert_eq!(
        find(&c, "ヤマダ"),
        [ids[0], ids[1]],
        "katakana finds hiragana"
    );
    assert_eq!(find(&c, "ﾀﾛｳ"), [ids[1]], "half-width kana, given name");
    assert_eq!(find(&c, "たか"), [ids[2]]);
    assert_eq!(
        find(&c, "０００００１２３"),
        [ids[0], ids[1]],
        "full-width digits"
    );
    assert_eq!(find(&c, "0000099999"), [ids[2]]);
    assert!(find(&c, "佐藤").is_empty());
    assert_eq!(find(&c, "").len(), 3);

    // Typing a name into the draft makes it findable.
    let opened = c.store.open_opinion(&c.clerk, ids[2]).unwrap();
    let mut op = opened.opinion.clone();
    op.applicant.name = "高橋 一".into();
    op.answers
        .insert("written-date", common::answer_date("reiwa", "8", "10", "1"));
    c.store
        .autosave(&c.clerk, opened.version.id, opened.version.revision, &op)
        .unwrap();
    assert_eq!(find(&c, "高橋"), [ids[2]]);
    assert!(find(&c, "髙橋").is_empty());

    let q = |states: Vec<State>, from, to| Query {
        states,
        from,
        to,
        ..Default::default()
    };
    let hits = c
        .store
        .search(&c.clerk, &q(vec![State::ClerkEntry], None, None))
        .unwrap();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0].id, ids[2], "most recently changed first");
    let hits = c
        .store
        .search(&c.clerk, &q(vec![State::Finalised], None, None))
        .unwrap();
    assert!(hits.is_empty());
    let october = q(
        vec![],
        Some(jiff::civil::date(2026, 10, 1)),
        Some(jiff::civil::date(2026, 10, 31)),
    );
    let hits = c.store.search(&c.clerk, &october).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        [ids[2]],
        "by 記入日"
    );
}

#[test]
fn backup_and_restore_while_the_store_is_open() {
    let mut c = setup();
    let (opinion, _) = finalised(&mut c);
    let copy = c.dir.path().join("backup").join("2026-11-21.sqlite");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    c.store.backup(&c.admin, &copy).unwrap();
    // The copy is a complete store on its own.
    {
        let mut b = common::open_copy(&copy, &c.path());
        assert!(b.verify_audit().unwrap().is_intact());
        let s = b.sign_in("sato", PASSWORD).unwrap();
        assert_eq!(
            b.open_opinion(&s, opinion).unwrap().info.state,
            State::Finalised
        );
    }
    // Work goes on after the backup …
    let later = c
        .store
        .create_opinion(
            &c.clerk,
            NewOpinion {
                applicant: applicant("後藤 次郎", "ごとう じろう", "0000055555"),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
    // … and is gone after the restore, which another open connection sees at once.
    assert!(matches!(
        common::restore(&c.path(), &copy, "kanri", "wrong password"),
        Err(StoreError::SignIn)
    ));
    assert!(matches!(
        common::restore(&c.path(), &copy, "suzuki", PASSWORD),
        Err(StoreError::Refused { .. })
    ));
    let restored = common::restore(&c.path(), &copy, "kanri", PASSWORD).unwrap();
    let previous = restored
        .previous
        .expect("the store before the restore is kept");
    assert!(matches!(
        c.store.open_opinion(&c.clerk, later.opinion_id),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        c.store.open_opinion(&c.clerk, opinion).unwrap().info.state,
        State::Finalised
    );
    let check = c.store.verify_audit().unwrap();
    assert!(check.is_intact(), "{:?}", check.problems);
    // The kept copy still has the later opinion.
    let mut kept = common::open_copy(&previous, &c.path());
    let s = kept.sign_in("suzuki", PASSWORD).unwrap();
    assert!(kept.open_opinion(&s, later.opinion_id).is_ok());
}

#[test]
fn restore_replaces_a_damaged_store_and_keeps_the_damaged_file() {
    let mut c = setup();
    finalised(&mut c);
    let copy = c.dir.path().join("copy.sqlite");
    c.store.backup(&c.admin, &copy).unwrap();
    let path = c.path();
    drop(c.store);
    let mut bytes = file_bytes(&path);
    for b in &mut bytes[2 * 4096 + 100..3 * 4096] {
        *b = 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    assert!(Store::open(&path).is_err());
    let restored = common::restore(&path, &copy, "kanri", PASSWORD).unwrap();
    let kept = restored.previous.unwrap();
    assert_eq!(
        file_bytes(&kept),
        bytes,
        "the damaged file is kept as it was"
    );
    let store = Store::open(&path).unwrap();
    assert!(store.verify_audit().unwrap().is_intact());
}

#[test]
fn a_backup_taken_while_another_connection_saves_is_consistent() {
    let mut c = setup();
    let (opinion, version, revision) = prepared(&mut c);
    c.store
        .hand_over(&c.clerk, opinion, State::AwaitingPhysician)
        .unwrap();
    let path = c.path();
    let writer = std::thread::spawn(move || {
        let mut store = Store::open(&path).unwrap();
        let clerk = store.sign_in("suzuki", PASSWORD).unwrap();
        let mut op = store.open_opinion(&clerk, opinion).unwrap().opinion;
        let mut rev = revision;
        for n in 0..200 {
            op.answers
                .insert("diagnosis-2", Answer::Text(format!("保存 {n}")));
            rev = store.autosave(&clerk, version, rev, &op).unwrap().revision;
        }
        rev
    });
    let mut copies = Vec::new();
    while !writer.is_finished() || copies.len() < 3 {
        let copy = c.dir.path().join(format!("during-{}.sqlite", copies.len()));
        c.store.backup(&c.admin, &copy).unwrap();
        copies.push(copy);
    }
    let last = writer.join().unwrap();
    assert_eq!(last, revision + 200);
    for copy in copies {
        let mut b = common::open_copy(&copy, &c.path());
        assert!(b.verify_audit().unwrap().is_intact());
        let s = b.sign_in("sato", PASSWORD).unwrap();
        let o = b.open_opinion(&s, opinion).unwrap();
        assert!(o.version.revision >= revision && o.version.revision <= last);
    }
}

fn finishing_records_the_confirmation_the_finalisation_and_the_signature_or_print_together(
    b: Backend,
) {
    use ikensho::store::Finish;
    let mut c = setup_on(
        &b,
        "finishing_records_the_confirmation_the_finalisation_and_the_signature_or_print_together",
    );
    let (_, old_version) = finalised(&mut c);
    c.store
        .record_print(&c.doctor, old_version, true, "")
        .unwrap();
    // The physician renews and completes it; only the items carried over are left to look at.
    let next_year = jiff::civil::date(2027, 11, 20);
    let ctx = ikensho::form::Context::new(next_year);
    let draft = c
        .store
        .renew(&c.doctor, "131011", "0000012345", None, next_year)
        .unwrap();
    let mut op = draft.opinion.clone();
    op.answers.insert(
        "last-exam-date",
        common::answer_date("reiwa", "9", "11", "10"),
    );
    let saved = c
        .store
        .autosave(&c.doctor, draft.version_id, draft.revision, &op)
        .unwrap();
    let id = draft.opinion_id;
    let printed = Finish::Printed { pdf_sha256: "ab12" };
    // Carried items not confirmed: refused, and nothing changes.
    match c
        .store
        .finish(&c.doctor, id, saved.revision, false, &ctx, printed)
    {
        Err(StoreError::Unconfirmed { items }) => assert!(items.len() > 20, "{items:?}"),
        other => panic!("expected Unconfirmed, got {other:?}"),
    }
    assert!(c.store.state_of(id).unwrap().is_draft());
    let versions = c.store.versions(&c.doctor, id).unwrap();
    assert!(versions.iter().all(|v| v.frozen.is_none()));
    // From an older copy than the one stored: refused.
    assert!(matches!(
        c.store
            .finish(&c.doctor, id, saved.revision - 1, true, &ctx, printed),
        Err(StoreError::Conflict { .. })
    ));
    // A clerk: refused.
    refused(
        c.store
            .finish(&c.clerk, id, saved.revision, true, &ctx, printed),
        Action::Finalise,
    );
    // Confirmed as before, with the final print: 確定 and 紙で提出 at once, every carried item
    // confirmed, and the confirmation in the audit trail.
    let v = c
        .store
        .finish(&c.doctor, id, saved.revision, true, &ctx, printed)
        .unwrap();
    assert!(v.frozen.is_some());
    assert_eq!(c.store.state_of(id).unwrap(), State::Paper);
    let marks = c.store.marks(&c.doctor, draft.version_id).unwrap();
    assert!(marks.iter().all(|m| m.origin != Some(Origin::Carried)));
    assert!(
        marks
            .iter()
            .filter(|m| m.origin == Some(Origin::Confirmed))
            .count()
            > 20
    );
    let order: Vec<String> = c
        .raw
        .rows(&format!(
            "SELECT action FROM audit WHERE opinion_id = {id} ORDER BY seq"
        ))
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect();
    assert!(
        order.ends_with(&["confirm".into(), "finalise".into(), "print-final".into()]),
        "{order:?}"
    );

    // A signature: 確定, the signature and the outbox row in one step.
    let mut example = common::first_insured();
    example.request = Some(Request {
        request_id: "REQ-2026-000999".into(),
        ..example.request.unwrap()
    });
    let draft = c
        .store
        .create_opinion(
            &c.doctor,
            NewOpinion {
                applicant: example.applicant.clone(),
                request: example.request.clone(),
                physician: None,
            },
            today(),
        )
        .unwrap();
    let (id2, v2) = (draft.opinion_id, draft.version_id);
    let rev = c
        .store
        .autosave(&c.doctor, v2, draft.revision, &example)
        .unwrap()
        .revision;
    // The list knows its 申請区分.
    let info = c.store.open_opinion(&c.doctor, id2).unwrap().info;
    let kind = example.request.as_ref().unwrap().application_kind.clone();
    assert_eq!(info.application_kind, Some(kind));
    let signed = Finish::Signed {
        document: b"the document",
        cms: b"the signature",
        cert: common::card_cert(),
    };
    c.store
        .finish(&c.doctor, id2, rev, false, &common::today(), signed)
        .unwrap();
    assert_eq!(c.store.state_of(id2).unwrap(), State::Queued);
    assert_eq!(
        c.store.signature(&c.doctor, v2).unwrap(),
        Some((b"the document".to_vec(), b"the signature".to_vec()))
    );
    assert!(
        c.store
            .outbox(&c.doctor)
            .unwrap()
            .iter()
            .any(|r| r.opinion_id == id2)
    );
}

/// An underline (特に必要性が高い) on a service that is not chosen is an error, so the opinion
/// is never finalised, printed or sent with the underline dropped from the paper or the document.
fn an_underline_on_no_service_blocks_finalising(b: Backend) {
    let mut c = setup_on(&b, "an_underline_on_no_service_blocks_finalising");
    let (opinion, version, revision) = prepared(&mut c);
    c.store.review_items(&c.doctor, version, &[]).unwrap();
    let mut op = c.store.open_opinion(&c.doctor, opinion).unwrap().opinion;
    op.answers.insert(
        "medical-services",
        Answer::Marked(ikensho::form::Marked {
            selected: vec![],
            emphasized: vec!["day-rehab".into()],
        }),
    );
    c.store.autosave(&c.doctor, version, revision, &op).unwrap();
    assert!(matches!(
        c.store.finalise(&c.doctor, opinion, &common::today()),
        Err(StoreError::NotValid(n)) if n >= 1
    ));
    assert!(c.store.state_of(opinion).unwrap().is_draft());
}

/// A 更新 作成依頼 takes the applicant from the request: an address that changed since the last
/// opinion is not carried over stale, and shows as a change (with the earlier value); what the
/// request says in other digits, or leaves empty, stays carried over.
fn a_renewal_request_brings_its_own_applicant(b: Backend) {
    let mut c = setup_on(&b, "a_renewal_request_brings_its_own_applicant");
    let (_, old_version) = finalised(&mut c);
    c.store
        .record_print(&c.doctor, old_version, true, "")
        .unwrap();
    let last = common::first_insured().applicant;
    let mut from_request = last.clone();
    from_request.address = "東京都千代田区一番町5-6 ハイツ101".into();
    from_request.phone = "０３－００００－００００".into(); // the same number, typed full-width
    from_request.kana = String::new(); // the request leaves it empty
    let request = Request {
        request_id: "REQ-2027-000002".into(),
        application_date: "2027-11-01".into(),
        application_kind: "renewal".into(),
        requested_date: "2027-11-02".into(),
        due_date: "2027-11-16".into(),
    };
    let draft = c
        .store
        .renew_from_request(
            &c.clerk,
            &from_request,
            request,
            jiff::civil::date(2027, 11, 20),
        )
        .unwrap();
    let a = &draft.opinion.applicant;
    assert_eq!(a.address, from_request.address);
    assert_eq!(
        a.kana, last.kana,
        "an empty field of the request is carried over"
    );
    let marks = c.store.marks(&c.clerk, draft.version_id).unwrap();
    let origin = |item: &str| marks.iter().find(|m| m.item == item).and_then(|m| m.origin);
    assert_eq!(origin("applicant-address"), Some(Origin::Changed));
    assert_eq!(origin("applicant-phone"), Some(Origin::Carried));
    assert_eq!(origin("applicant-kana"), Some(Origin::Carried));
    assert_eq!(origin("applicant-name"), Some(Origin::Carried));
}

#[test]
fn an_empty_data_file_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ikensho.sqlite");
    std::fs::write(&db, b"").unwrap();
    {
        match Store::open(&db) {
            Err(StoreError::Empty { path }) => assert_eq!(path, db),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("an empty file was opened"),
        }
        assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
    }
    // No file at all: only the set-up makes one.
    std::fs::remove_file(&db).unwrap();
    assert!(matches!(Store::open(&db), Err(StoreError::Missing { .. })));
    assert!(Store::create(&db, &common::keeping(&db), None).is_ok());
    assert!(matches!(
        Store::create(&db, &common::keeping(&db), None),
        Err(StoreError::Exists { .. })
    ));
}

#[cfg(unix)]
#[test]
fn the_store_its_side_files_backups_and_kept_copies_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = common::mode;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = data.join("ikensho.sqlite");
    let mut c = common::people(&db, Durability::Full);
    common::store_example(&mut c, false);
    assert_eq!(mode(&data), 0o700, "the data folder");
    assert_eq!(mode(&db), 0o600, "the store");
    for side in ["ikensho.sqlite-wal", "ikensho.sqlite-shm"] {
        assert_eq!(mode(&data.join(side)), 0o600, "{side}");
    }
    let backup = tmp.path().join("backup.sqlite");
    c.store.backup(&c.admin, &backup).unwrap();
    assert_eq!(mode(&backup), 0o600, "a backup");
    drop(c);
    let restored = common::restore(&db, &backup, "kanri", common::PASSWORD).unwrap();
    let kept = restored.previous.unwrap();
    assert_eq!(mode(&kept), 0o600, "the copy kept at a restore");
    // A store left readable by others (an older ikensho, a copy) is tightened when opened.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(Store::open(&db).unwrap());
    assert_eq!(mode(&db), 0o600);
}

fn the_audit_export_shows_whose_opinion_only_to_those_who_open_them_and_no_formulas(b: Backend) {
    let mut c = setup_on(
        &b,
        "the_audit_export_shows_whose_opinion_only_to_those_who_open_them_and_no_formulas",
    );
    finalised(&mut c);
    // The clinic's director: administrator and physician. A name that looks like a formula.
    c.store
        .add_user(
            &c.admin,
            &NewUser {
                login: "incho",
                name: "=HYPERLINK(\"http://x\",\"院長\")",
                roles: &[Role::Admin, Role::Physician],
                password: common::PASSWORD,
            },
            Some(common::PASSWORD),
        )
        .unwrap();
    let director = c.store.sign_in("incho", common::PASSWORD).unwrap();
    let header = Store::audit_columns().map(String::from);
    let mut out = Vec::new();
    c.store.export_audit(&director, &mut out, &header).unwrap();
    let mut r = csv::Reader::from_reader(&out[3..]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let finalise = rows.iter().find(|r| &r[4] == "finalise").unwrap();
    assert_eq!(&finalise[8], "0000012345");
    let sign_in = rows
        .iter()
        .find(|r| &r[2] == "incho" && &r[4] == "sign-in")
        .unwrap();
    assert!(sign_in[3].starts_with("'="), "{}", &sign_in[3]);
    assert!(
        rows.iter()
            .flat_map(|r| r.iter().map(str::to_owned).collect::<Vec<_>>())
            .all(|cell| !cell.starts_with(['=', '+', '-', '@']))
    );
}

/// Someone drops the trigger that keeps a finalised version unchanged and edits it with the
/// sqlite3 shell: the audit check names the version, and nothing is printed, signed or sent
/// from it. Changing the hash along with the body is noticed against the trail.
fn a_frozen_body_changed_behind_the_programs_back_is_named_and_never_printed(b: Backend) {
    use ikensho::store::AuditProblem;
    let mut c = setup_on(
        &b,
        "a_frozen_body_changed_behind_the_programs_back_is_named_and_never_printed",
    );
    let (opinion, version) = finalised(&mut c);
    assert!(c.store.verify_audit().unwrap().is_intact());
    // Whoever can drop (or turn off) the trigger first: the file's key holder, the tables' owner.
    let off = if b.is_server() {
        "ALTER TABLE versions DISABLE TRIGGER versions_frozen_update;"
    } else {
        "DROP TRIGGER versions_frozen_update;"
    };
    c.raw
        .execute(&format!(
            "{off} UPDATE versions SET body = replace(body, '高血圧症', '健康') WHERE frozen IS NOT NULL;"
        ))
        .unwrap();
    let check = c.store.verify_audit().unwrap();
    assert_eq!(
        check.problems,
        vec![AuditProblem::VersionBody { version }],
        "{check:?}"
    );
    let tampered = |r: Result<(), StoreError>| match r {
        Err(StoreError::Tampered { version: v }) => assert_eq!(v, version),
        other => panic!("{other:?}"),
    };
    tampered(
        c.store
            .record_print(&c.doctor, version, true, "0".repeat(64).as_str()),
    );
    tampered(
        c.store
            .record_signature(&c.doctor, version, b"doc", b"cms", common::card_cert())
            .map(drop),
    );
    tampered(
        c.store
            .queue_for_sending(&c.doctor, opinion, Some(b"doc"))
            .map(drop),
    );
    assert_eq!(c.store.state_of(opinion).unwrap(), State::Finalised);

    // The hash rewritten to match the new body: the trail still knows what it was.
    let body = c
        .raw
        .one(&format!("SELECT body FROM versions WHERE id = {version}"))
        .unwrap();
    let hash = ikensho::store::sha256_hex(body.as_bytes());
    c.raw
        .execute(&format!(
            "UPDATE versions SET body_hash = '{hash}' WHERE id = {version};"
        ))
        .unwrap();
    let check = c.store.verify_audit().unwrap();
    assert_eq!(
        check.problems,
        vec![AuditProblem::VersionUnrecorded { version }],
        "{check:?}"
    );
    tampered(
        c.store
            .record_print(&c.doctor, version, true, "0".repeat(64).as_str()),
    );
}

/// Time passes for the throttle: the last wrong password moved an hour back.
fn an_hour_later(raw: &common::Raw) {
    let earlier = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1)).to_string();
    raw.execute(&format!(
        "UPDATE sign_in_failures SET last_at = '{earlier}'"
    ))
    .unwrap();
}

fn wrong_passwords_slow_sign_in_down_then_lock_the_login_for_known_and_unknown_alike(b: Backend) {
    let mut c = setup_on(
        &b,
        "wrong_passwords_slow_sign_in_down_then_lock_the_login_for_known_and_unknown_alike",
    );
    for login in ["sato", "nobody"] {
        for _ in 0..ikensho::store::THROTTLE_AFTER {
            assert!(matches!(
                c.store.sign_in(login, "wrong password"),
                Err(StoreError::SignIn)
            ));
        }
        // Now even the right password waits (the password is not looked at).
        assert!(matches!(
            c.store.sign_in(login, common::PASSWORD),
            Err(StoreError::TooSoon { seconds: 1 })
        ));
        // After the wait, on to ten wrong ones in a row: locked for 15 minutes.
        for _ in ikensho::store::THROTTLE_AFTER..ikensho::store::LOCK_AFTER {
            an_hour_later(&c.raw);
            assert!(matches!(
                c.store.sign_in(login, "wrong password"),
                Err(StoreError::SignIn)
            ));
        }
        an_hour_later(&c.raw);
        assert!(matches!(
            c.store.sign_in(login, common::PASSWORD),
            Err(StoreError::Locked { minutes: 15 })
        ));
    }
    // The lock is audited, and an administrator lifts it at once.
    let header = Store::audit_columns().map(String::from);
    let mut out = Vec::new();
    c.store.export_audit(&c.admin, &mut out, &header).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.matches(",sign-in-locked,").count(), 2, "{text}");
    refused(
        c.store.unlock_sign_in(&c.doctor, "sato"),
        Action::ManageUsers,
    );
    c.store.unlock_sign_in(&c.admin, "SATO ").unwrap();
    assert!(c.store.sign_in("sato", common::PASSWORD).is_ok());
    // A right password clears the count.
    for _ in 0..4 {
        let _ = c.store.sign_in("sato", "wrong password");
    }
    assert!(c.store.sign_in("sato", common::PASSWORD).is_ok());
    assert!(matches!(
        c.store.sign_in("sato", "wrong password"),
        Err(StoreError::SignIn)
    ));
    assert!(c.store.sign_in("sato", common::PASSWORD).is_ok());
}

/// A person deactivated while signed in is refused at the next call, not the next sign-in.
fn a_deactivated_person_is_refused_at_once(b: Backend) {
    let mut c = setup_on(&b, "a_deactivated_person_is_refused_at_once");
    let (opinion, _) = finalised(&mut c);
    assert!(c.store.open_opinion(&c.doctor, opinion).is_ok());
    let doctor_id = c.doctor.user_id();
    c.store.set_active(&c.admin, doctor_id, false).unwrap();
    for r in [
        c.store.open_opinion(&c.doctor, opinion).map(drop),
        c.store.search(&c.doctor, &Query::default()).map(drop),
        c.store.reopen(&c.doctor, opinion).map(drop),
    ] {
        match r {
            Err(StoreError::NoLongerActive { login }) => assert_eq!(login, "sato"),
            other => panic!("{other:?}"),
        }
    }
    c.store.set_active(&c.admin, doctor_id, true).unwrap();
    assert!(c.store.open_opinion(&c.doctor, opinion).is_ok());
}

/// A backup whose trail or versions were changed is not restored, and the live store is left as
/// it was; a protective trigger dropped with the sqlite3 shell is back at the next open.
#[test]
fn a_changed_backup_is_not_restored_and_dropped_triggers_come_back() {
    let mut c = setup();
    let (opinion, version) = finalised(&mut c);
    let backup = c.dir.path().join("backup.sqlite");
    c.store.backup(&c.admin, &backup).unwrap();
    sqlite3(
        &backup,
        "DROP TRIGGER versions_frozen_update;
         UPDATE versions SET body = replace(body, '高血圧症', '健康') WHERE frozen IS NOT NULL;",
    );
    let db = c.path();
    drop(c.store);
    match common::restore(&db, &backup, "kanri", common::PASSWORD) {
        Err(StoreError::BackupNotIntact { problems, .. }) => assert_eq!(problems, 1),
        other => panic!("{other:?}"),
    }
    let siblings = std::fs::read_dir(c.dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("before-restore")
        })
        .count();
    assert_eq!(siblings, 0, "nothing was moved aside");
    let mut store = Store::open(&db).unwrap();
    assert!(store.verify_audit().unwrap().is_intact());
    let doctor = store.sign_in("sato", common::PASSWORD).unwrap();
    assert_eq!(
        store.open_opinion(&doctor, opinion).unwrap().version.id,
        version
    );
    drop(store);

    // The live store's trigger dropped while the program was closed: back when it opens.
    sqlite3(&db, "DROP TRIGGER versions_frozen_update;");
    drop(Store::open(&db).unwrap());
    let refused = common::outside(
        &db,
        "UPDATE versions SET body = body || ' ' WHERE frozen IS NOT NULL;",
    )
    .expect_err("the trigger refuses the change again");
    assert!(refused.to_string().contains("frozen version"), "{refused}");
}

/// A restore is decided by an administrator of the live store (not of the backup file, whose
/// passwords may be old), with its sign-in throttle, and written in the live trail before the
/// swap.
#[test]
fn a_restore_asks_the_live_stores_administrator_and_is_in_its_trail_first() {
    let mut c = setup();
    let backup = c.dir.path().join("backup.sqlite");
    c.store.backup(&c.admin, &backup).unwrap();
    let kanri = c
        .store
        .users(&c.admin)
        .unwrap()
        .into_iter()
        .find(|u| u.login == "kanri")
        .unwrap()
        .id;
    let new_password = "a new password for kanri";
    c.store.set_password(&c.admin, kanri, new_password).unwrap();
    let db = c.path();
    drop(c.store);
    // The backup's (old) password is not the live store's.
    assert!(matches!(
        common::restore(&db, &backup, "kanri", PASSWORD),
        Err(StoreError::SignIn)
    ));
    // A physician of the live store is no administrator.
    assert!(matches!(
        common::restore(&db, &backup, "sato", PASSWORD),
        Err(StoreError::Refused { .. })
    ));
    let restored = common::restore(&db, &backup, "kanri", new_password).unwrap();
    // The store as it was holds the refusal and the restore in its own trail.
    let kept = common::raw(&restored.previous.unwrap());
    let actions: Vec<String> = kept
        .prepare("SELECT action FROM audit ORDER BY seq DESC LIMIT 4")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(actions[0], "restore", "{actions:?}");
    assert!(
        actions.contains(&"sign-in-failed".to_owned()),
        "{actions:?}"
    );
}

/// The trail and its head inside the file rolled back together (what an older copy of the file
/// would show): consistent in itself, but the head kept beside the file reached further.
#[test]
fn a_trail_rolled_back_with_its_head_is_caught_by_the_head_kept_beside_the_file() {
    let mut c = setup();
    prepared(&mut c);
    let db = c.path();
    let keep: i64 = common::raw(&db)
        .query_row("SELECT max(seq) FROM audit", [], |r| r.get(0))
        .unwrap();
    // Later entries that touch no version: sign-ins.
    for _ in 0..3 {
        c.store.sign_in("sato", PASSWORD).unwrap();
    }
    let noted: i64 = common::raw(&db)
        .query_row("SELECT max(seq) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert!(c.store.verify_audit().unwrap().is_intact());
    sqlite3(
        &db,
        &format!(
            "DROP TRIGGER audit_no_delete;
             DELETE FROM audit WHERE seq > {keep};
             UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit WHERE seq = {keep});"
        ),
    );
    drop(c.store);
    let store = Store::open(&db).unwrap();
    let check = store.verify_audit().unwrap();
    assert_eq!(
        check.problems,
        vec![AuditProblem::RolledBack { noted, last: keep }],
        "{check:?}"
    );
    // Without the file beside it, the same trail looks whole: that file is what caught it.
    std::fs::remove_file(ikensho::store::witness::path(&db)).unwrap();
    assert!(store.verify_audit().unwrap().is_intact());
}

/// A backup swapped for another file, or whose trail was cut and chained again, is not what its
/// manifest says was written: nothing is restored from it.
#[test]
fn a_backup_that_is_not_what_its_manifest_says_is_not_restored() {
    let mut c = setup();
    prepared(&mut c);
    let first = c.dir.path().join("first.sqlite");
    c.store.backup(&c.admin, &first).unwrap();
    let manifest =
        std::fs::read_to_string(ikensho::files::with_suffix(&first, ".manifest.json")).unwrap();
    assert!(manifest.contains("audit_head"), "{manifest}");
    c.store.sign_in("sato", PASSWORD).unwrap();
    let second = c.dir.path().join("second.sqlite");
    c.store.backup(&c.admin, &second).unwrap();
    let db = c.path();
    // Swapped: the second file under the first's name (and manifest).
    std::fs::copy(&second, &first).unwrap();
    assert!(matches!(
        common::restore(&db, &first, "kanri", PASSWORD),
        Err(StoreError::BackupMismatch { .. })
    ));
    // Cut: the second's last entries removed and its head set back: intact in itself.
    sqlite3(
        &second,
        "DROP TRIGGER audit_no_delete;
         DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);
         UPDATE audit_head SET seq = (SELECT max(seq) FROM audit),
                               hash = (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1);",
    );
    assert!(matches!(
        common::restore(&db, &second, "kanri", PASSWORD),
        Err(StoreError::BackupMismatch { .. })
    ));
    // The live store is as it was, and still intact.
    assert!(c.store.verify_audit().unwrap().is_intact());
}

/// Making a physician account needs the administrator's password again; the first signature binds
/// the card's certificate to the account when its name is the account's, and no other
/// certificate signs for it after; an administrator binds a card whose name differs.
fn physician_accounts_need_the_password_again_and_one_certificate_signs_for_each(b: Backend) {
    use ikensho::store::SignerCert;
    let mut c = setup_on(
        &b,
        "physician_accounts_need_the_password_again_and_one_certificate_signs_for_each",
    );
    // Made while 佐藤 一郎 is the clinic's only physician.
    let (opinion, v1) = finalised(&mut c);
    let tanaka = NewUser {
        login: "tanaka",
        name: "田中　次郎",
        roles: &[Role::Physician],
        password: PASSWORD,
    };
    assert!(matches!(
        c.store.add_user(&c.admin, &tanaka, None),
        Err(StoreError::ReauthNeeded)
    ));
    assert!(matches!(
        c.store
            .add_user(&c.admin, &tanaka, Some("not the password")),
        Err(StoreError::ReauthFailed)
    ));
    let tanaka_id = c.store.add_user(&c.admin, &tanaka, Some(PASSWORD)).unwrap();

    // 佐藤 一郎's first signature binds the card; another card is refused after.
    c.store
        .record_signature(&c.doctor, v1, b"doc", b"cms", common::card_cert())
        .unwrap();
    // A correction: a new version to sign.
    c.store.reopen(&c.doctor, opinion).unwrap();
    let v2 = c
        .store
        .finalise(&c.doctor, opinion, &common::today())
        .unwrap()
        .id;
    let other = SignerCert {
        der: b"another card",
        name: "佐藤 一郎",
    };
    assert!(matches!(
        c.store
            .record_signature(&c.doctor, v2, b"doc", b"cms", other),
        Err(StoreError::OtherCertificate)
    ));
    assert!(c.store.signature(&c.doctor, v2).unwrap().is_none());

    // 田中 次郎 holds a card made out to another name: refused until an administrator binds it.
    let doctor2 = c.store.sign_in("tanaka", PASSWORD).unwrap();
    let card = SignerCert {
        der: b"tanaka's card",
        name: "TANAKA JIRO",
    };
    match c.store.record_signature(&doctor2, v2, b"doc", b"cms", card) {
        Err(StoreError::CertificateName { on_card, account }) => {
            assert_eq!(
                (on_card.as_str(), account.as_str()),
                ("TANAKA JIRO", "田中　次郎")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        c.store
            .bind_certificate(&c.doctor, tanaka_id, card, PASSWORD),
        Err(StoreError::Refused { .. })
    ));
    assert!(matches!(
        c.store.bind_certificate(&c.admin, tanaka_id, card, "wrong"),
        Err(StoreError::ReauthFailed)
    ));
    c.store
        .bind_certificate(&c.admin, tanaka_id, card, PASSWORD)
        .unwrap();
    c.store
        .record_signature(&doctor2, v2, b"doc", b"cms", card)
        .unwrap();
    let check = c.store.verify_audit().unwrap();
    assert!(check.is_intact());
}

/// The day's automatic backup: written once a day into the folder (checked, with its
/// manifest, recorded in the trail as the program's), and the old ones rotated away.
#[test]
fn the_daily_backup_is_written_once_a_day_and_old_ones_rotate_away() {
    use ikensho::store::daily::{Daily, Keep, backups, file_name};
    let c = setup();
    let live = c.path();
    let mut store = c.store;
    let folder = c.dir.path().join("backups");
    let today = jiff::civil::date(2026, 12, 2);
    // A folder that is not there (a USB drive not plugged in) is said, and not made.
    assert!(matches!(
        store.daily_backup(&folder, today, Keep::default()),
        Err(ikensho::store::StoreError::FolderMissing { .. })
    ));
    assert!(!folder.exists());
    std::fs::create_dir(&folder).unwrap();
    let Daily::Written { path, removed } =
        store.daily_backup(&folder, today, Keep::default()).unwrap()
    else {
        panic!("written")
    };
    assert!(removed.is_empty());
    assert_eq!(path, folder.join(file_name(today)));
    assert_eq!(common::mode(&path), 0o600);
    // Encrypted under the store's key, like any backup, and intact.
    let key = ikensho::store::atrest::kept_key(&live).unwrap().unwrap();
    assert!(
        Store::open_unlocked(&path, ikensho::store::Unlock::Key(&key), Durability::Full)
            .unwrap()
            .verify_audit()
            .unwrap()
            .is_intact()
    );
    // Once a day.
    assert_eq!(
        store.daily_backup(&folder, today, Keep::default()).unwrap(),
        Daily::Done(path.clone())
    );
    // Forty older ones (as earlier days left them) and a file of the clinic's own.
    for i in 1..=40 {
        let day = today.checked_sub(jiff::Span::new().days(i)).unwrap();
        std::fs::copy(&path, folder.join(file_name(day))).unwrap();
    }
    std::fs::write(folder.join("memo.txt"), "keep me").unwrap();
    let tomorrow = today.tomorrow().unwrap();
    let Daily::Written { removed, .. } = store
        .daily_backup(&folder, tomorrow, Keep::default())
        .unwrap()
    else {
        panic!("written")
    };
    let left: Vec<jiff::civil::Date> = backups(&folder).unwrap().iter().map(|(d, _)| *d).collect();
    // Fourteen days, and the newest of November (the 30th, among the fourteen already) and of
    // October (the 31st).
    assert_eq!(left.len(), 15, "{left:?}");
    assert!(left.contains(&jiff::civil::date(2026, 10, 31)));
    assert_eq!(removed.len(), 40 + 2 - 15);
    assert!(folder.join("memo.txt").exists());
    let actions: Vec<String> = c
        .raw
        .rows("SELECT action, login FROM audit WHERE action = 'backup'")
        .into_iter()
        .map(|r| r[1].clone().unwrap_or_default())
        .collect();
    assert_eq!(actions.len(), 2, "{actions:?}");
}

/// When the window closes after a day's work, today's backup is written again (over the
/// morning's); after sign-ins and reads only, it is not.
#[test]
fn the_backup_at_the_end_of_the_day_holds_the_days_work() {
    use ikensho::store::daily::{Daily, Keep, file_name};
    let mut c = setup();
    let folder = c.dir.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    let today = jiff::civil::date(2026, 12, 2);
    c.store
        .daily_backup(&folder, today, Keep::default())
        .unwrap();
    let morning = std::fs::read(folder.join(file_name(today))).unwrap();
    // Only a sign-in and a read since: nothing to write again.
    let doctor = c.store.sign_in("sato", common::PASSWORD).unwrap();
    let _ = c.store.search(&doctor, &Default::default()).unwrap();
    assert!(!c.store.changed_since_backup().unwrap());
    assert_eq!(
        c.store
            .daily_backup_again(&folder, today, Keep::default())
            .unwrap(),
        None
    );
    // A draft written: the evening's backup replaces the morning's and holds it.
    let (opinion, _, _) = prepared(&mut c);
    assert!(c.store.changed_since_backup().unwrap());
    let again = c
        .store
        .daily_backup_again(&folder, today, Keep::default())
        .unwrap();
    assert!(matches!(again, Some(Daily::Written { .. })), "{again:?}");
    let evening = std::fs::read(folder.join(file_name(today))).unwrap();
    assert_ne!(morning, evening);
    assert!(!c.store.changed_since_backup().unwrap());
    let key = ikensho::store::atrest::kept_key(&c.path())
        .unwrap()
        .unwrap();
    let copy = Store::open_unlocked(
        &folder.join(file_name(today)),
        ikensho::store::Unlock::Key(&key),
        Durability::Full,
    )
    .unwrap();
    assert!(copy.state_of(opinion).is_ok(), "the day's draft is in it");
    // The folder is set by administrators only, and made when missing.
    let elsewhere = c.dir.path().join("usb").join("ikensho");
    let setting = ikensho::store::BackupSettings {
        folder: elsewhere.display().to_string(),
    };
    assert!(c.store.set_backup_settings(&c.doctor, &setting).is_err());
    c.store.set_backup_settings(&c.admin, &setting).unwrap();
    assert!(elsewhere.is_dir());
    assert_eq!(c.store.backup_settings().unwrap(), setting);
}

/// A file problem is said in the reader's language at the moment it is shown, not in the
/// system's English frozen when it happened.
#[test]
fn a_file_problem_is_said_in_the_language_shown() {
    use ikensho::i18n::{Lang, Locales};
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("usb").join("ikensho-backups");
    let e = ikensho::store::daily::backups(&missing).unwrap_err();
    assert!(
        matches!(&e, StoreError::Io { kind, .. } if *kind == std::io::ErrorKind::NotFound),
        "{e:?}"
    );
    let locales = Locales::builtin().unwrap();
    let ja = ikensho::store::describe::error(locales, Lang::Ja, &e);
    let en = ikensho::store::describe::error(locales, Lang::En, &e);
    assert!(ja.contains("ファイルまたはフォルダがありません"), "{ja}");
    assert!(en.contains("no such file or folder"), "{en}");
    assert!(ja.contains("ikensho-backups") && en.contains("ikensho-backups"));
}
