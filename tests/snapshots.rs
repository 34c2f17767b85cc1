//! Snapshots of the screens in Japanese, rendered by kittest with wgpu on a software renderer:
//! the list, the editor, the findings panel after a jump, the PIN dialog and 送信状況. Behind the
//! `snapshots` feature (`.ci/run` turns it on). Rewrite the baselines in `tests/snapshots/` with
//! `UPDATE_SNAPSHOTS=true cargo test --features snapshots --test snapshots`, and look at them.
#![cfg(feature = "snapshots")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use egui::accesskit::Role;
use egui_kittest::SnapshotOptions;
use egui_kittest::kittest::Queryable;
use ikensho::app::Screen;
use ikensho::form::DateInput;
use ikensho::form::opinion::Answer;
use ikensho::store::outbox::Delivery;

use common::ui::*;

/// Fixed dates on every draft, so that the pictures do not change with the day they are taken.
fn fix_dates(dir: &std::path::Path) {
    let mut store = open_store(dir);
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    let day = DateInput::new("reiwa", "8", "11", "20");
    for row in store
        .search(&doctor, &ikensho::store::Query::default())
        .unwrap()
    {
        if !row.state.is_draft() {
            continue;
        }
        let opened = store.open_opinion(&doctor, row.id).unwrap();
        let mut op = opened.opinion.clone();
        op.answers.insert("written-date", Answer::Date(day.clone()));
        if op.answers.get("last-exam-date").is_some() {
            op.answers
                .insert("last-exam-date", Answer::Date(day.clone()));
        }
        store
            .autosave(&doctor, opened.version.id, opened.version.revision, &op)
            .unwrap();
    }
}

#[test]
fn the_screens_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    sign_in(&mut h, "sato");
    let id = opinion_of(dir.path(), "山田 花子");
    clerk_prepares_the_rest(dir.path(), id);
    fix_dates(dir.path());
    h.get_by_label("一覧").click();
    h.run();
    h.snapshot("list");

    open_opinion(&mut h, "山田 花子");
    h.run();
    h.snapshot("editor");

    // F8 to the missing 診断名: the findings panel and the item with its error.
    f8_to(&mut h, "diagnosis-1");
    h.snapshot("findings");

    h.event(egui::Event::Ime(egui::ImeEvent::Commit(
        "アルツハイマー型認知症".into(),
    )));
    h.run();
    to_review(&mut h, true);
    h.get_by_label("確定して署名・送信").click();
    h.run_steps(3);
    wait_until(&mut h, "the card status", |a| {
        a.review.card.is_some() && !a.review.readers.is_empty()
    });
    h.snapshot("pin-dialog");

    h.get_by_role_and_label(Role::PasswordInput, "PIN").focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "PIN")
        .type_text("1234");
    h.get_by_label("署名して送信").click();
    h.step();
    wait_until(&mut h, "the receipt", |a| {
        a.screen == Screen::Outbox
            && a.outbox
                .iter()
                .any(|l| l.row.opinion_id == id && l.row.state == Delivery::Received)
    });
    h.run();
    // The receipt number is random: allow for its pixels and no more.
    h.snapshot_options("outbox", &SnapshotOptions::new().max_failed_pixels(6_000));
}
