//! Snapshots of every screen, rendered by kittest with wgpu on a software renderer: at a small
//! window with the text at 150 %, a usual and a large window in Japanese, and the usual one in
//! English. Behind the `snapshots` feature (`.ci/run` turns it on). Rewrite the baselines in
//! `tests/snapshots/` with `UPDATE_SNAPSHOTS=true cargo test -p ikensho-app --features
//! demo,snapshots --test program snapshots`, and look at every one of them before committing.
#![cfg(feature = "snapshots")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use crate::common;

use egui::accesskit::Role;
use egui_kittest::SnapshotOptions;
use egui_kittest::kittest::Queryable;
use ikensho::form::opinion::Answer;
use ikensho::form::{DateInput, FormDef, FormVersion};
use ikensho::i18n::{Lang, Locales};
use ikensho::store::outbox::Delivery;
use ikensho_app::app::{Intent, Screen};

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

fn t(lang: Lang, key: &str) -> String {
    Locales::builtin().unwrap().text(lang, key, None)
}

/// Every screen at one window size, zoom and language.
fn every_screen(w: f32, h: f32, zoom: f32, lang: Lang) {
    let tag = format!(
        "{w}x{h}-{:.0}-{}",
        zoom * 100.0,
        match lang {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    );
    let shot = |h: &mut H, name: &str| h.snapshot(format!("{name}-{tag}"));
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open_at(dir.path(), w, h, zoom, lang);
    let full = full_draft(dir.path(), FormVersion::R8, "見本 花子");
    let id = opinion_of(dir.path(), "山田 花子");
    clerk_prepares_the_rest(dir.path(), id);
    fix_dates(dir.path());
    h.run();
    shot(&mut h, "sign-in");

    sign_in_in(&mut h, "sato", lang);
    shot(&mut h, "list");

    h.state_mut().request(Intent::Open(id));
    h.run();
    shot(&mut h, "editor");

    // F8 to the missing 診断名: the worklist and the item with its error.
    f8_to(&mut h, "diagnosis-1");
    shot(&mut h, "findings");

    // The section with the most choices, every item answered: choices in columns.
    h.state_mut().request(Intent::Open(full));
    h.run();
    let form = FormDef::builtin(FormVersion::R8).unwrap();
    let largest = (0..form.sections.len())
        .max_by_key(|s| form.sections[*s].items.len())
        .unwrap();
    h.state_mut().editor.as_mut().unwrap().section = largest;
    h.run();
    shot(&mut h, "choices");

    h.state_mut().request(Intent::Open(id));
    h.run();
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("diagnosis-1");
    h.run();
    h.event(egui::Event::Text("アルツハイマー型認知症".into()));
    h.run();
    // 特記 far over its box: the review asks to accept the continuation sheet (R8).
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("special-notes");
    h.run();
    h.event(egui::Event::Text(common::notes_over_the_box()));
    h.run();
    h.state_mut().request(Intent::Editor(
        ikensho_app::app::editor::EditorIntent::ReviewClerkItems,
    ));
    h.state_mut().request(Intent::Review);
    h.run_steps(3);
    wait_until(&mut h, "the route from the hub", |a| {
        a.review.route.is_some() && a.review.laying_out.is_none()
    });
    shot(&mut h, "review");

    h.get_by_label(&t(lang, "app-review-allow-continuation"))
        .click();
    h.run();
    h.get_by_label(&t(lang, "app-sign-and-send")).click();
    h.run_steps(3);
    wait_until(&mut h, "the card status", |a| {
        a.review.card.is_some() && !a.review.readers.is_empty() && !a.review.checking
    });
    shot(&mut h, "pin-dialog");

    h.get_by_role_and_label(Role::PasswordInput, "PIN").focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "PIN")
        .type_text("1234");
    h.get_by_label(&t(lang, "app-pin-sign")).click();
    h.step();
    wait_until(&mut h, "the receipt", |a| {
        a.screen == Screen::Outbox
            && a.outbox
                .iter()
                .any(|l| l.row.opinion_id == id && l.row.state == Delivery::Received)
    });
    h.run();
    // The receipt number is random: allow for its pixels and no more.
    h.snapshot_options(
        format!("outbox-{tag}"),
        &SnapshotOptions::new().max_failed_pixels(3_000),
    );

    h.state_mut().request(Intent::Open(id));
    h.run();
    h.state_mut().request(Intent::Show(Screen::Paper));
    // A spinner repaints until the preview is back: steps, not `run`.
    h.run_steps(2);
    wait_until(&mut h, "the preview", |a| a.paper.sheet.is_some());
    shot(&mut h, "paper");

    sign_out_in(&mut h, lang);
    sign_in_in(&mut h, "kanri", lang);
    assert_eq!(h.state().screen, Screen::Settings);
    // The simulator's port changes with every run: its address is masked.
    let url = h
        .get_by_role_and_label(Role::TextInput, &t(lang, "app-hub-url"))
        .rect();
    h.mask(url);
    shot(&mut h, "settings");

    // Two windows on one draft: reception has it open and saves first; this window's typing is
    // refused and shown with both sides.
    sign_out_in(&mut h, lang);
    sign_in_in(&mut h, "sato", lang);
    let mut reception = open_store(dir.path());
    let clerk = reception.sign_in("suzuki", "ikensho-demo").unwrap();
    reception.hold(&clerk, full, "受付", "reception").unwrap();
    h.state_mut().request(Intent::Open(full));
    h.run();
    let opened = reception.open_opinion(&clerk, full).unwrap();
    let mut theirs = opened.opinion.clone();
    theirs
        .answers
        .insert("diagnosis-2", Answer::Text("受付で追加した病名".into()));
    reception
        .autosave(&clerk, opened.version.id, opened.version.revision, &theirs)
        .unwrap();
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("diagnosis-3");
    h.run();
    h.event(egui::Event::Text("高血圧症".into()));
    h.run();
    assert!(h.state().editor.as_ref().unwrap().conflict.is_some());
    shot(&mut h, "conflict");
}

#[test]
fn every_screen_small_window_text_at_150_percent() {
    every_screen(1024.0, 700.0, 1.5, Lang::Ja);
}

#[test]
fn every_screen_usual_window() {
    every_screen(1280.0, 800.0, 1.0, Lang::Ja);
}

#[test]
fn every_screen_large_window() {
    every_screen(1920.0, 1080.0, 1.0, Lang::Ja);
}

#[test]
fn every_screen_usual_window_in_english() {
    every_screen(1280.0, 800.0, 1.0, Lang::En);
}
