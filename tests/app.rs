//! The desktop program driven by kittest (no display): the real app on a real store made by
//! `ikensho demo --no-window`, found through its accessibility labels.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::process::Command;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ikensho::app::{IkenshoApp, Screen};
use ikensho::i18n::Lang;
use ikensho::store::Store;

fn demo_store(dir: &std::path::Path) -> Store {
    let out = Command::new(env!("CARGO_BIN_EXE_ikensho"))
        .arg("--data-dir")
        .arg(dir)
        .args(["demo", "--no-window"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("3 件"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Store::open(&dir.join("ikensho.sqlite")).unwrap()
}

fn harness(store: Store) -> Harness<'static, IkenshoApp> {
    Harness::builder()
        .with_size(egui::vec2(1100.0, 760.0))
        .build_eframe(move |cc| IkenshoApp::new(&cc.egui_ctx, store, Lang::Ja))
}

fn sign_in(h: &mut Harness<'static, IkenshoApp>, login: &str, password: &str) {
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

#[test]
fn the_demo_takes_in_the_hub_requests_and_a_clerk_signs_in_to_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut h = harness(store);
    h.run();
    assert_eq!(h.state().screen, Screen::SignIn);
    sign_in(&mut h, "suzuki", "ikensho-demo");
    assert_eq!(h.state().screen, Screen::List);
    assert_eq!(h.state().rows.len(), 3);
    h.get_by_label("山田 花子");
    h.get_by_label("REQ-DEMO-0003");
    h.get_by_label("鈴木 花子 さん");
    // Search narrows the list.
    h.get_by_role_and_label(Role::TextInput, "検索（氏名・かな・被保険者番号）")
        .focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "検索（氏名・かな・被保険者番号）")
        .type_text("たなか");
    h.run();
    assert_eq!(h.state().rows.len(), 1);
    assert_eq!(h.state().rows[0].name, "田中 一郎");
    // Signing out returns to the sign-in screen.
    h.get_by_label("サインアウト").click();
    h.run();
    assert_eq!(h.state().screen, Screen::SignIn);
    assert!(h.state().session.is_none());
}

#[test]
fn a_wrong_password_is_refused_with_a_message_and_no_session() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(demo_store(dir.path()));
    h.run();
    sign_in(&mut h, "sato", "not-the-password");
    assert_eq!(h.state().screen, Screen::SignIn);
    assert!(h.state().session.is_none());
    assert!(h.state().message.is_some());
}
