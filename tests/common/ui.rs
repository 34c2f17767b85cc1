//! Driving the desktop program in tests: a demo folder with its simulator, signing in, waiting for
//! background work, opening an opinion by its applicant.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::Path;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ikensho::app::{IkenshoApp, Screen};
use ikensho::cli::demo::{Demo, prepare};
use ikensho::form::DateInput;
use ikensho::form::opinion::Answer;
use ikensho::i18n::Lang;
use ikensho::store::Store;

pub type H = Harness<'static, IkenshoApp>;

/// A demo folder in `dir` with its simulator running; the harness owns the store.
pub fn open(dir: &Path) -> (H, ikensho::hub::sim::Simulator) {
    let Demo {
        sim,
        store,
        services,
        made,
    } = prepare(dir).unwrap();
    assert_eq!(made.len(), 3, "the three demo requests become drafts");
    let h = Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .with_max_steps(40)
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| IkenshoApp::new(&cc.egui_ctx, store, Lang::Ja, services));
    (h, sim)
}

pub fn sign_in(h: &mut H, login: &str) {
    sign_in_with(h, login, "ikensho-demo");
}

/// Types the login and password and presses サインイン.
pub fn sign_in_with(h: &mut H, login: &str, password: &str) {
    h.get_by_role_and_label(Role::TextInput, "ログインID")
        .focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "ログインID")
        .type_text(login);
    h.get_by_role_and_label(Role::PasswordInput, "パスワード")
        .focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "パスワード")
        .type_text(password);
    h.step();
    h.get_by_label("サインイン").click();
    h.run();
}

pub fn sign_out(h: &mut H) {
    h.get_by_label("サインアウト").click();
    h.run();
    assert_eq!(h.state().screen, Screen::SignIn);
}

/// Steps until `cond` holds (background work: the card, the hub), or fails after 20 s.
pub fn wait_until(h: &mut H, what: &str, cond: impl Fn(&IkenshoApp) -> bool) {
    for _ in 0..1000 {
        h.step();
        if cond(h.state()) {
            h.run_steps(3);
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out waiting for {what}");
}

/// Opens the opinion of `name` from the list.
pub fn open_opinion(h: &mut H, name: &str) {
    let i = h.state().rows.iter().position(|r| r.name == name).unwrap();
    h.get_all_by_label("開く").nth(i).unwrap().click();
    h.run();
    assert_eq!(h.state().screen, Screen::Editor);
    assert_eq!(
        h.state().editor.as_ref().unwrap().opinion.applicant.name,
        name
    );
}

pub fn today() -> jiff::civil::Date {
    ikensho::form::Context::today_in_japan().today
}

pub fn open_store(dir: &Path) -> Store {
    Store::open(&dir.join("ikensho.sqlite")).unwrap()
}

/// The example's answers on the 山田 draft, as the clerk had typed them — all but 診断名 1.
pub fn clerk_prepares_the_rest(dir: &Path, opinion_id: i64) {
    let mut store = open_store(dir);
    let clerk = store.sign_in("suzuki", "ikensho-demo").unwrap();
    let opened = store.open_opinion(&clerk, opinion_id).unwrap();
    let mut op = opened.opinion.clone();
    let example = super::first_insured();
    for (id, answer) in example.answers.iter() {
        op.answers.insert(id.clone(), answer.clone());
    }
    // Typed earlier on the screen; today as the date written and examined.
    let d = DateInput::from_date(today()).unwrap();
    op.answers.insert("written-date", Answer::Date(d.clone()));
    op.answers.insert("last-exam-date", Answer::Date(d));
    op.answers.remove("diagnosis-1");
    store
        .autosave(&clerk, opened.version.id, opened.version.revision, &op)
        .unwrap();
}

/// The id of the opinion of `name`, found in the store.
pub fn opinion_of(dir: &Path, name: &str) -> i64 {
    let mut store = open_store(dir);
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    let rows = store
        .search(&doctor, &ikensho::store::Query::default())
        .unwrap();
    rows.iter().find(|r| r.name == name).unwrap().id
}

/// Presses F8 until `item` has the editor's attention (at most 40 times).
pub fn f8_to(h: &mut H, item: &str) {
    for _ in 0..40 {
        h.key_press(egui::Key::F8);
        h.run();
        if h.state().editor.as_ref().unwrap().current.as_deref() == Some(item) {
            return;
        }
    }
}

/// Goes from the editor to 確認と署名 (after reviewing the clerk's entries when `clerk_entries`)
/// and waits for the route from the hub.
pub fn to_review(h: &mut H, clerk_entries: bool) {
    if clerk_entries {
        h.get_by_label("事務の入力を確認済みにする").click();
        h.run();
    }
    h.get_by_label("確認・署名へ").click();
    h.run_steps(3);
    assert_eq!(h.state().screen, Screen::Review);
    wait_until(h, "the route from the hub", |a| a.review.route.is_some());
}
