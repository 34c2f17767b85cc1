//! The desktop program driven by kittest (no display): the real app on a real demo folder — its
//! SQLite store, the hub simulator on loopback with client certificates, the virtual HPKI card —
//! found through its accessibility labels, as a clerk and a physician would use it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use crate::common;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use ikensho::form::opinion::Answer;
use ikensho::form::{DateInput, FormDef, FormVersion};
use ikensho::i18n::Lang;
use ikensho::store::outbox::Delivery;
use ikensho::store::{Action, State};
use ikensho_app::app::Screen;

use common::ui::*;

#[test]
fn the_list_shows_the_hub_requests_the_renewal_copied_forward_and_search() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    assert_eq!(h.state().screen, Screen::SignIn);
    sign_in(&mut h, "suzuki");
    assert_eq!(h.state().screen, Screen::List);
    // Three drafts from the hub and the renewal applicant's earlier opinion (on paper).
    assert_eq!(h.state().rows.len(), 4);
    h.get_by_label("山田 花子");
    h.get_by_label("REQ-DEMO-0003");
    h.get_by_label("鈴木 花子 さん ▼");
    h.get_by_label("紙で提出");
    // The 更新 request started from the earlier opinion: its items are marked as carried over.
    open_opinion(&mut h, "田中 一郎");
    let ed = h.state().editor.as_ref().unwrap();
    assert!(ed.previous.is_some());
    assert!(
        ed.marks
            .iter()
            .filter(|m| m.origin == Some(ikensho::store::Origin::Carried))
            .count()
            > 20
    );
    assert_eq!(
        ed.opinion.request.as_ref().unwrap().request_id,
        "REQ-DEMO-0002"
    );
    h.get_all_by_label("前回から引き継ぎ").next().unwrap();
    h.get_by_label("一覧に戻る").click();
    h.run();
    // Search narrows the list.
    h.get_by_role_and_label(Role::TextInput, "検索（氏名・かな・被保険者番号）")
        .focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "検索（氏名・かな・被保険者番号）")
        .type_text("たなか");
    h.run();
    assert_eq!(h.state().rows.len(), 2);
    assert!(h.state().rows.iter().all(|r| r.name == "田中 一郎"));
    sign_out(&mut h);
    assert!(h.state().session.is_none());
}

#[test]
fn a_wrong_password_is_refused_with_a_message_and_no_session() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    sign_in_with(&mut h, "sato", "not-the-password");
    assert_eq!(h.state().screen, Screen::SignIn);
    assert!(h.state().session.is_none());
    assert!(h.state().message.is_some());
}

/// 記入日 of the opinion in the editor.
fn written_date(h: &H) -> DateInput {
    match h
        .state()
        .editor
        .as_ref()
        .unwrap()
        .opinion
        .answers
        .get("written-date")
    {
        Some(Answer::Date(d)) => d.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_clerk_prepares_a_physician_fixes_signs_with_the_card_and_the_receipt_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();

    // ── The clerk ──
    sign_in(&mut h, "suzuki");
    assert!(!h.state().may(Action::Sign));
    open_opinion(&mut h, "山田 花子");
    let opinion_id = h.state().editor.as_ref().unwrap().opinion_id;
    // No signing for a clerk: the screen offers handing over, not review and signature.
    assert!(h.query_by_label("確認・署名へ").is_none());
    assert!(h.query_by_label("確定して署名・送信").is_none());
    h.get_by_label("医師に回す");
    // 記入日 typed with full-width digits, normalised when the field is left; the 西暦 beside it.
    let t = today();
    let parts = [
        (t.year() - 2018).to_string(),
        t.month().to_string(),
        t.day().to_string(),
    ];
    // 記入日 starts as today.
    let prefilled = written_date(&h);
    assert_eq!(prefilled, DateInput::from_date(t).unwrap());
    for (k, part) in parts.iter().enumerate() {
        // Typed again over what was there.
        h.get_all_by_role_and_label(Role::TextInput, "記入日")
            .nth(k)
            .unwrap()
            .focus();
        h.step();
        for _ in 0..4 {
            h.key_press(egui::Key::Backspace);
        }
        h.step();
        let wide: String = part
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
            .collect();
        h.get_all_by_role_and_label(Role::TextInput, "記入日")
            .nth(k)
            .unwrap()
            .type_text(&wide);
        h.step();
    }
    h.key_press(egui::Key::Tab);
    h.run();
    let written = written_date(&h);
    assert_eq!(written.year, parts[0]);
    assert_eq!(written.month, parts[1]);
    assert_eq!(written.day, parts[2], "full-width digits normalised");
    h.get_by_label(&format!("西暦 {t}"));
    // Autosaved: another connection reads the typed date.
    {
        let mut store = open_store(dir.path());
        let clerk = store.sign_in("suzuki", "ikensho-demo").unwrap();
        let saved = store.open_opinion(&clerk, opinion_id).unwrap();
        assert_eq!(
            saved.opinion.answers.get("written-date"),
            Some(&Answer::Date(written))
        );
    }
    // The rest of the draft, as the clerk typed it before; then hand it to the physician.
    h.get_by_label("一覧に戻る").click();
    h.run();
    clerk_prepares_the_rest(dir.path(), opinion_id);
    open_opinion(&mut h, "山田 花子");
    h.get_by_label("医師に回す").click();
    h.run();
    assert_eq!(h.state().screen, Screen::List);
    assert_eq!(
        open_store(dir.path()).state_of(opinion_id).unwrap(),
        State::AwaitingPhysician
    );
    sign_out(&mut h);

    // ── The physician ──
    sign_in(&mut h, "sato");
    assert!(h.state().may(Action::Sign));
    open_opinion(&mut h, "山田 花子");
    // The findings panel names the missing 診断名.
    h.get_by_label("要確認");
    let ed = h.state().editor.as_ref().unwrap();
    assert!(ed.report.has_errors());
    assert!(ed.report.findings.iter().any(|f| f.item == "diagnosis-1"));
    assert_eq!(ed.section, 0);
    // F8 jumps to the next item that needs attention until it reaches 診断名 1.
    f8_to(&mut h, "diagnosis-1");
    let form = FormDef::builtin(FormVersion::R8).unwrap();
    let disease = form.item("diagnosis-1").unwrap().section;
    let ed = h.state().editor.as_ref().unwrap();
    assert_eq!(ed.current.as_deref(), Some("diagnosis-1"));
    assert_eq!(ed.section, disease);
    let field = h.get_by_role_and_label(Role::TextInput, "診断名 1.");
    assert!(
        field.is_focused(),
        "the jump gives the field the keyboard focus"
    );
    // Japanese through the IME: preedit, Enter while composing, then the commit.
    h.event(egui::Event::Ime(egui::ImeEvent::Preedit {
        text: "あるつはいまーがたにんちしょう".into(),
        active_range_chars: None,
    }));
    h.step();
    h.key_press(egui::Key::Enter);
    h.step();
    assert!(
        h.get_by_role_and_label(Role::TextInput, "診断名 1.")
            .is_focused(),
        "Enter during composition does not move the focus"
    );
    assert_eq!(h.state().screen, Screen::Editor);
    h.event(egui::Event::Ime(egui::ImeEvent::Commit(
        "アルツハイマー型認知症".into(),
    )));
    h.run();
    assert_eq!(
        h.state()
            .editor
            .as_ref()
            .unwrap()
            .opinion
            .answers
            .get("diagnosis-1"),
        Some(&Answer::Text("アルツハイマー型認知症".into()))
    );
    assert!(
        h.get_by_role_and_label(Role::TextInput, "診断名 1.")
            .is_focused()
    );
    assert!(!h.state().editor.as_ref().unwrap().report.has_errors());
    // The clerk's entries are reviewed, then on to review and signature.
    to_review(&mut h, true);
    h.get_by_label_contains("電子で提出します");
    h.get_by_label("確定して署名・送信").click();
    h.run_steps(3);
    // The PIN dialog: the virtual card's reader and its tries left, then the masked PIN.
    wait_until(&mut h, "the card status", |a| a.review.card.is_some());
    h.get_by_label("PINの残り回数：15 回");
    h.get_by_role_and_label(Role::PasswordInput, "PIN").focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "PIN")
        .type_text("1234");
    h.step();
    h.get_by_label("署名して送信").click();
    h.step();
    wait_until(&mut h, "the signature and the receipt", |a| {
        a.screen == Screen::Outbox
            && a.outbox
                .iter()
                .any(|l| l.row.opinion_id == opinion_id && l.row.state == Delivery::Received)
    });
    let line = h
        .state()
        .outbox
        .iter()
        .find(|l| l.row.opinion_id == opinion_id)
        .unwrap()
        .clone();
    let receipt = line.row.receipt_id.clone().unwrap();
    // Shown short enough to read out; the whole number is in the store and the tooltip.
    h.get_by_label(&ikensho_app::app::screens::short_receipt(&receipt));
    h.get_by_label("受信済み");
    // What was sent is signed: openssl verifies it against the test root.
    let (store, doctor) = open_as_physician(dir.path());
    let (doc, cms) = store
        .signature(&doctor, line.row.version_id)
        .unwrap()
        .unwrap();
    assert!(common::openssl_verify(
        &doc,
        &cms,
        &dir.path().join("hpki").join("root.pem")
    ));
    assert_eq!(store.state_of(opinion_id).unwrap(), State::Sent);
}

#[test]
fn a_wrong_pin_shows_the_tries_left_and_is_never_retried() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    // A complete draft of 鈴木 次郎 (第2号) made by the physician.
    let id = complete_second_insured(dir.path());
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "鈴木 次郎");
    let ed = h.state().editor.as_ref().unwrap();
    assert!(!ed.report.has_errors(), "{:?}", ed.report);
    to_review(&mut h, false);
    h.get_by_label("確定して署名・送信").click();
    h.run_steps(3);
    wait_until(&mut h, "the card status", |a| a.review.card.is_some());
    h.get_by_role_and_label(Role::PasswordInput, "PIN").focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "PIN")
        .type_text("9999");
    h.get_by_label("署名して送信").click();
    h.step();
    wait_until(&mut h, "the card's answer", |a| {
        !a.review.signing && a.review.error.is_some() && !a.review.checking
    });
    h.get_by_label_contains("PINが違います。残りは14回です");
    h.get_by_label("PINの残り回数：14 回");
    // Still in the dialog with an empty PIN; nothing was queued and the card counted one try.
    assert!(h.state().review.pin_open);
    assert!(h.state().review.pin.is_empty());
    let card = ikensho_testkit::virt::VirtualCard::open(&dir.path().join("card")).unwrap();
    assert_eq!(card.tries_left(), 14);
    // Nothing was finalised: 確定 is recorded only with a signature.
    let (store, doctor) = open_as_physician(dir.path());
    assert!(store.state_of(id).unwrap().is_draft());
    assert!(
        store
            .outbox(&doctor)
            .unwrap()
            .iter()
            .all(|r| r.opinion_id != id)
    );
    h.get_by_label("キャンセル").click();
    h.run();
    assert!(!h.state().review.pin_open);
    // Back in the editor, the draft is editable exactly as before.
    h.get_by_label("編集に戻る").click();
    h.run();
    let ed = h.state().editor.as_ref().unwrap();
    assert!(ed.editable);
    assert!(ed.state.is_draft());
}

#[test]
fn ime_composition_in_the_notes_keeps_enter_out_of_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "山田 花子");
    let form = FormDef::builtin(FormVersion::R8).unwrap();
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("special-notes");
    h.run();
    assert_eq!(
        h.state().editor.as_ref().unwrap().section,
        form.item("special-notes").unwrap().section
    );
    let notes = h.get_by_role_and_label(Role::MultilineTextInput, "特記すべき事項");
    assert!(notes.is_focused());
    h.event(egui::Event::Ime(egui::ImeEvent::Preedit {
        text: "ひとりぐらし".into(),
        active_range_chars: None,
    }));
    h.step();
    // Composing text is not saved yet.
    assert!(h.state().composing);
    h.key_press(egui::Key::Enter);
    h.step();
    h.event(egui::Event::Ime(egui::ImeEvent::Commit("独居".into())));
    h.run();
    assert!(!h.state().composing);
    let ed = h.state().editor.as_ref().unwrap();
    assert_eq!(
        ed.opinion.answers.get("special-notes"),
        Some(&Answer::Text("独居".into())),
        "no newline from the Enter that confirmed the composition"
    );
    assert!(!ed.dirty, "saved once committed");
    let mut store = open_store(dir.path());
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    let saved = store.open_opinion(&doctor, ed.opinion_id).unwrap();
    assert_eq!(
        saved.opinion.answers.get("special-notes"),
        Some(&Answer::Text("独居".into()))
    );
}

#[test]
fn settings_are_for_administrators_and_zoom_and_language_apply_to_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    sign_in(&mut h, "suzuki");
    assert!(
        h.query_by_label("設定").is_none(),
        "a clerk has no settings"
    );
    // A+ zooms and is remembered in the data folder.
    h.get_by_label("A+").click();
    h.run();
    assert!((h.state().zoom - 1.125).abs() < 1e-6);
    assert!((open_store(dir.path()).display_settings().unwrap().zoom - 1.125).abs() < 1e-6);
    // English with one button, and back.
    h.get_by_label("English").click();
    h.run();
    h.get_by_label("Sending");
    h.get_by_label("日本語").click();
    h.run();
    sign_out(&mut h);

    // An administrator who writes no opinions lands on 設定.
    sign_in(&mut h, "kanri");
    assert_eq!(h.state().screen, Screen::Settings);
    // The demo pointed the settings at its simulator and certificates.
    let connection = &h.state().settings.connection;
    assert!(connection.hub_url.starts_with("https://127.0.0.1:"));
    assert!(connection.hub_ca_pem.contains("BEGIN CERTIFICATE"));
    assert_eq!(h.get_all_by_label_contains("設定済み").count(), 3);
    // A 医療機関コード of nine digits is refused with the reason; nothing is saved.
    let code = h.get_by_role_and_label(Role::TextInput, "医療機関コード");
    code.focus();
    h.step();
    h.key_press(egui::Key::Backspace);
    h.step();
    h.get_all_by_label("保存").next().unwrap().click();
    h.run();
    assert!(
        matches!(&h.state().settings.result, Some(Err(m)) if m.text(Lang::Ja).contains("医療機関コード"))
    );
    assert_eq!(
        open_store(dir.path())
            .clinic_settings()
            .unwrap()
            .institution_code,
        "1310123455"
    );
    // A check digit that does not match the usual rule is saved, with a word to check it.
    h.get_by_role_and_label(Role::TextInput, "医療機関コード")
        .focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "医療機関コード")
        .type_text("9");
    h.step();
    h.get_all_by_label("保存").next().unwrap().click();
    h.run();
    assert!(
        matches!(&h.state().settings.result, Some(Ok(m)) if m.text(Lang::Ja).contains("番号をご確認ください"))
    );
    assert_eq!(
        open_store(dir.path())
            .clinic_settings()
            .unwrap()
            .institution_code,
        "1310123459"
    );
    // A person added here can sign in.
    add_person_in_settings(
        &mut h,
        ("tanaka", "田中 花", "医療事務", "tanaka-password-1"),
    );
    assert!(matches!(&h.state().settings.result, Some(Ok(_))));
    let mut store = open_store(dir.path());
    let s = store.sign_in("tanaka", "tanaka-password-1").unwrap();
    assert!(s.is_clerk());
    drop(store);
    // Turned off, on again, and a new password, from here.
    click_in_view(&mut h, Role::ComboBox, "操作する利用者");
    h.get_by_label("tanaka — 田中 花").click();
    h.run();
    click_in_view(&mut h, Role::Button, "無効にする");
    assert!(matches!(&h.state().settings.result, Some(Ok(_))));
    assert!(
        open_store(dir.path())
            .sign_in("tanaka", "tanaka-password-1")
            .is_err()
    );
    click_in_view(&mut h, Role::Button, "有効に戻す");
    assert!(
        open_store(dir.path())
            .sign_in("tanaka", "tanaka-password-1")
            .is_ok()
    );
    h.get_by_role_and_label(Role::PasswordInput, "新しいパスワード")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, "新しいパスワード")
        .focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "新しいパスワード")
        .type_text("tanaka-password-2");
    click_in_view(&mut h, Role::Button, "パスワードを再設定");
    assert!(
        matches!(&h.state().settings.result, Some(Ok(m)) if m.text(Lang::Ja).contains("再設定しました"))
    );
    assert!(
        open_store(dir.path())
            .sign_in("tanaka", "tanaka-password-2")
            .is_ok()
    );
    // A physician account: the administrator's own password again, asked in a field of its own.
    add_person_in_settings(&mut h, ("kato", "加藤 医師", "医師", "kato-password-1"));
    assert!(
        matches!(&h.state().settings.result, Some(Err(p)) if p.text(Lang::Ja).contains("もう一度入力")),
        "refused without the administrator's password"
    );
    let again = "あなたのパスワード（確認のためもう一度。医師のアカウントに必要）";
    h.get_by_role_and_label(Role::PasswordInput, again)
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, again).focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, again)
        .type_text("ikensho-demo");
    // What was typed for the new person is still there.
    click_in_view(&mut h, Role::Button, "利用者を追加");
    assert!(matches!(&h.state().settings.result, Some(Ok(_))));
    let mut store = open_store(dir.path());
    assert!(store.sign_in("kato", "kato-password-1").is_ok());
}

/// Types a new person into 設定 (login, name, role, password) and presses 利用者を追加.
fn add_person_in_settings(h: &mut H, (login, name, role, password): (&str, &str, &str, &str)) {
    for (label, text) in [("ログインID", login), ("氏名", name)] {
        h.get_by_role_and_label(Role::TextInput, label).focus();
        h.step();
        h.get_by_role_and_label(Role::TextInput, label)
            .type_text(text);
    }
    click_in_view(h, Role::RadioButton, role);
    h.get_by_role_and_label(Role::PasswordInput, "パスワード")
        .focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "パスワード")
        .type_text(password);
    click_in_view(h, Role::Button, "利用者を追加");
}

#[test]
fn paper_preview_draft_pdf_and_the_final_print_for_the_paper_route() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let id = opinion_of(dir.path(), "山田 花子");
    clerk_prepares_the_rest(dir.path(), id);
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "山田 花子");
    h.get_by_label("用紙で見る・印刷").click();
    h.run_steps(2);
    assert_eq!(h.state().screen, Screen::Paper);
    wait_until(&mut h, "the preview", |a| a.paper.sheet.is_some());
    let sheet = h.state().paper.sheet.as_ref().unwrap();
    assert!(sheet.pages.len() >= 2);
    h.get_by_label("下書きをPDFにする").click();
    h.step();
    wait_until(&mut h, "the draft PDF", |a| a.paper.printed.is_some());
    let printed = h
        .state()
        .paper
        .printed
        .as_ref()
        .unwrap()
        .as_ref()
        .unwrap()
        .clone();
    let info = std::process::Command::new("pdfinfo")
        .arg(&printed.path)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 2);
    assert_eq!(pages, printed.pages);
    let text = std::process::Command::new("pdftotext")
        .args(["-raw"])
        .arg(&printed.path)
        .arg("-")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("下書き"));
    // The physician completes it and submits on paper: 確定, a final copy, 紙で提出.
    h.get_by_label("編集に戻る").click();
    h.run();
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("diagnosis-1");
    h.run();
    h.get_by_role_and_label(Role::TextInput, "診断名 1.")
        .type_text("アルツハイマー型認知症");
    h.run();
    to_review(&mut h, true);
    let ed = h.state().editor.as_ref().unwrap();
    assert!(!ed.report.has_errors(), "{:?}", ed.report);
    assert!(ed.marks.iter().all(|m| !m.clerk_pending));
    h.get_by_label("確定して紙で提出（印刷）").click();
    h.step();

    wait_until(&mut h, "the final PDF", |a| a.paper.printed.is_some());
    let printed = h
        .state()
        .paper
        .printed
        .as_ref()
        .unwrap()
        .as_ref()
        .unwrap()
        .clone();
    assert!(printed.path.to_string_lossy().ends_with("-final.pdf"));
    let text = std::process::Command::new("pdftotext")
        .args(["-raw"])
        .arg(&printed.path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("アルツハイマー型認知症"));
    assert!(!text.contains("下書き"));
    assert_eq!(open_store(dir.path()).state_of(id).unwrap(), State::Paper);
    // The paper copy can be printed again, and each print is in the audit trail.
    h.get_by_label("提出用をもう一度印刷する").click();
    h.step();
    wait_until(&mut h, "the reprint", |a| a.paper.printed.is_some());
    assert!(h.state().paper.printed.as_ref().unwrap().is_ok());
    let conn = ikensho_testkit::fixtures::raw(&dir.path().join("ikensho.sqlite"));
    let finals: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE opinion_id = ?1 AND action = 'print-final'",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(finals, 2);
}

#[test]
fn cancelling_the_pin_dialog_leaves_the_draft_editable_and_nothing_frozen() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let id = complete_second_insured(dir.path());
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "鈴木 次郎");
    to_review(&mut h, false);
    h.get_by_label("確定して署名・送信").click();
    h.run_steps(3);
    wait_until(&mut h, "the card status", |a| a.review.card.is_some());
    assert!(h.state().review.pin_open);
    h.get_by_label("キャンセル").click();
    h.run();
    assert!(!h.state().review.pin_open);
    // Nothing was finalised, signed or queued.
    let (store, doctor) = open_as_physician(dir.path());
    assert!(store.state_of(id).unwrap().is_draft());
    assert!(
        store
            .outbox(&doctor)
            .unwrap()
            .iter()
            .all(|r| r.opinion_id != id)
    );
    let mut store = open_store(dir.path());
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    let versions = store.versions(&doctor, id).unwrap();
    assert_eq!(versions.len(), 1);
    assert!(versions[0].frozen.is_none());
    // Back in the editor the draft is editable as before, and an edit is saved.
    h.get_by_label("編集に戻る").click();
    h.run();
    let ed = h.state().editor.as_ref().unwrap();
    assert!(ed.editable);
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("special-notes");
    h.run();
    h.get_by_role_and_label(Role::MultilineTextInput, "特記すべき事項")
        .type_text("追記");
    h.run();
    let saved = store.open_opinion(&doctor, id).unwrap();
    match saved.opinion.answers.get("special-notes") {
        Some(Answer::Text(t)) => assert!(t.ends_with("追記"), "{t}"),
        other => panic!("{other:?}"),
    }
}

/// The renewal of 田中 一郎 (the demo's 更新 request, copied forward), completed by the
/// physician but for what was carried over.
fn renewal_ready(dir: &std::path::Path) -> i64 {
    let mut store = open_store(dir);
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    let id = renewal_draft(&store, &doctor);
    let opened = store.open_opinion(&doctor, id).unwrap();
    let mut op = opened.opinion.clone();
    written_and_examined_today(&mut op);
    store
        .autosave(&doctor, opened.version.id, opened.version.revision, &op)
        .unwrap();
    store.review_items(&doctor, opened.version.id, &[]).unwrap();
    id
}

/// The R8 form has no 別紙 note: the editor says how much is over while typing, and the final
/// print and the signature wait for the physician to accept the continuation sheet.
#[test]
fn text_over_its_box_is_counted_and_the_final_print_waits_for_the_continuation_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let id = opinion_of(dir.path(), "山田 花子");
    clerk_prepares_the_rest(dir.path(), id);
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "山田 花子");
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("diagnosis-1");
    h.run();
    h.get_by_role_and_label(Role::TextInput, "診断名 1.")
        .type_text("アルツハイマー型認知症");
    h.run();
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("special-notes");
    h.run();
    let long = common::notes_over_the_box();
    h.get_by_role_and_label(Role::MultilineTextInput, "特記すべき事項")
        .type_text(&long);
    h.run();
    // What the clerk wrote and what the physician added.
    let n = match h
        .state()
        .editor
        .as_ref()
        .unwrap()
        .opinion
        .answers
        .get("special-notes")
    {
        Some(ikensho::form::Answer::Text(t)) => t.chars().count(),
        other => panic!("{other:?}"),
    };
    assert!(n > long.chars().count());
    h.get_by_label_contains(&format!("{n} 字（用紙の目安の約 400 字を約 {} 字超えています。小さい文字でも入りきらない分は別紙に続きます）", n - 400));
    to_review(&mut h, true);
    h.get_by_label_contains("次の項目は用紙の枠に入りきらず別紙に続きます：特記すべき事項。短くするか、下の「別紙に続くことを確認しました」");
    let paper = h.get_by_label("確定して紙で提出（印刷）");
    assert!(paper.accesskit_node().is_disabled());
    // 山田 花子's municipality takes opinions through the hub.
    assert!(
        h.get_by_label("確定して署名・送信")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_role_and_label(
        Role::CheckBox,
        "別紙に続くことを確認しました（枠に入りきらない記載を別紙に印刷します）",
    )
    .click();
    h.run();
    let paper = h.get_by_label("確定して紙で提出（印刷）");
    assert!(!paper.accesskit_node().is_disabled());
    paper.click();
    h.step();
    wait_until(&mut h, "the final PDF", |a| a.paper.printed.is_some());
    let printed = h
        .state()
        .paper
        .printed
        .as_ref()
        .unwrap()
        .as_ref()
        .unwrap()
        .clone();
    assert!(printed.pages > 2, "{}", printed.pages);
    assert_eq!(open_store(dir.path()).state_of(id).unwrap(), State::Paper);
}

#[test]
fn a_renewal_lists_what_was_carried_over_and_is_finalised_only_after_an_explicit_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let id = renewal_ready(dir.path());
    sign_in(&mut h, "sato");
    h.state_mut().request(ikensho_app::app::Intent::Open(id));
    h.run();
    let ed = h.state().editor.as_ref().unwrap();
    assert!(!ed.report.has_errors(), "{:?}", ed.report);
    let carried: usize = ed.carried_by_section().iter().map(|(_, v)| v.len()).sum();
    assert!(carried > 20, "{carried}");
    // One section confirmed in the editor with 「この節は前回どおり」.
    let first = ed.carried_by_section()[0].clone();
    h.state_mut().editor.as_mut().unwrap().section = first.0;
    h.run();
    h.get_by_label_contains("この節は前回どおり").click();
    h.run();
    let ed = h.state().editor.as_ref().unwrap();
    assert!(ed.carried_in(first.0).is_empty());
    let left = carried - first.1.len();
    // The review lists the rest by section and the buttons wait for the confirmation.
    to_review(&mut h, false);
    h.get_by_label_contains(&format!("まだ確認していない項目が {left} 項目"));
    let paper = h.get_by_label("確定して紙で提出（印刷）");
    assert!(paper.accesskit_node().is_disabled());
    let before = paper.rect();
    h.get_by_label_contains("引き継いだ項目を確認するまで確定できません");
    h.get_by_label(&format!("前回どおりで確定：{left} 項目"))
        .click();
    h.run();
    let paper = h.get_by_label("確定して紙で提出（印刷）");
    assert!(!paper.accesskit_node().is_disabled());
    assert_eq!(
        paper.rect(),
        before,
        "ticking the confirmation moved the button under the pointer"
    );
    paper.click();
    h.step();
    wait_until(&mut h, "the final PDF", |a| a.paper.printed.is_some());
    assert!(h.state().paper.printed.as_ref().unwrap().is_ok());
    let mut store = open_store(dir.path());
    assert_eq!(store.state_of(id).unwrap(), State::Paper);
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    let v = store.open_opinion(&doctor, id).unwrap().version.id;
    let marks = store.marks(&doctor, v).unwrap();
    assert!(
        marks
            .iter()
            .all(|m| m.origin != Some(ikensho::store::Origin::Carried))
    );
}

#[test]
fn f8_walks_errors_warnings_clerk_entries_then_carried_items_and_the_panel_counts_them() {
    use ikensho_app::app::editor::Attention;
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    // The renewal of 田中 一郎 with a clerk's change; 最終診察日 is empty (an error).
    let id = {
        let mut store = open_store(dir.path());
        let clerk = store.sign_in("suzuki", "ikensho-demo").unwrap();
        let id = renewal_draft(&store, &clerk);
        let opened = store.open_opinion(&clerk, id).unwrap();
        let mut op = opened.opinion.clone();
        op.answers
            .insert("special-notes", Answer::Text("長女と同居。".into()));
        // FAX is 推奨: empty, it is a warning.
        op.clinic.fax.clear();
        store
            .autosave(&clerk, opened.version.id, opened.version.revision, &op)
            .unwrap();
        id
    };
    sign_in(&mut h, "sato");
    h.state_mut().request(ikensho_app::app::Intent::Open(id));
    h.run();
    let ed = h.state().editor.as_ref().unwrap();
    let list = ed.worklist(true);
    let counts = ikensho_app::app::editor::Editor::counts(&list);
    for kind in Attention::ALL {
        assert!(counts[&kind] > 0, "{kind:?}: {counts:?}");
    }
    // The panel shows each count.
    for (kind, text) in [
        (Attention::Error, "エラー"),
        (Attention::Warning, "警告"),
        (Attention::Clerk, "事務の入力"),
    ] {
        h.get_by_label(&format!("{text} {} 件", counts[&kind]));
    }
    h.get_by_label(&format!(
        "前回から引き継いで未確認 {} 項目",
        counts[&Attention::Carried]
    ));
    // F8 walks the list in its order — errors, warnings, clerk's entries, carried items — and
    // the panel says where it is; the item gets the keyboard focus.
    let mut seen = Vec::new();
    for (k, entry) in list.iter().enumerate() {
        h.key_press(egui::Key::F8);
        h.run();
        let ed = h.state().editor.as_ref().unwrap();
        let at = ed.at.clone().unwrap();
        assert_eq!(&at, entry, "step {k}");
        assert_eq!(ed.current.as_deref(), Some(at.item.as_str()));
        seen.push(at.kind);
        if k == 0 {
            h.get_by_label(&format!(
                "いま：エラー {} 件 の 1 件目",
                counts[&Attention::Error]
            ));
        }
    }
    assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    // Then round again from the first.
    h.key_press(egui::Key::F8);
    h.run();
    assert_eq!(h.state().editor.as_ref().unwrap().at.as_ref(), list.first());
}

#[test]
fn a_finding_that_clears_does_not_move_the_fields_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let id = opinion_of(dir.path(), "山田 花子");
    clerk_prepares_the_rest(dir.path(), id);
    // 最終診察日 left empty: an error under it.
    {
        let mut store = open_store(dir.path());
        let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
        let opened = store.open_opinion(&doctor, id).unwrap();
        let mut op = opened.opinion.clone();
        op.answers.remove("last-exam-date");
        store
            .autosave(&doctor, opened.version.id, opened.version.revision, &op)
            .unwrap();
    }
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "山田 花子");
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("last-exam-date");
    h.run();
    let findings = |h: &H| {
        h.state()
            .editor
            .as_ref()
            .unwrap()
            .report
            .for_item("last-exam-date")
            .count()
    };
    assert!(findings(&h) > 0);
    // The next item's first choice, where a click would land.
    let below = |h: &H| h.get_by_role_and_label(Role::RadioButton, "初回").rect();
    let before = below(&h);
    let t = today();
    for (k, part) in [
        (t.year() - 2018).to_string(),
        t.month().to_string(),
        t.day().to_string(),
    ]
    .iter()
    .enumerate()
    {
        h.get_all_by_role_and_label(Role::TextInput, "(1) 最終診察日")
            .nth(k)
            .unwrap()
            .focus();
        h.step();
        h.get_all_by_role_and_label(Role::TextInput, "(1) 最終診察日")
            .nth(k)
            .unwrap()
            .type_text(part);
        h.run();
        let now = below(&h);
        assert!(
            (now.min - before.min).length() < 0.5,
            "after typing part {k} the next item moved from {before:?} to {now:?}"
        );
    }
    assert_eq!(findings(&h), 0, "the finding cleared");
}

#[test]
fn signing_out_with_an_edit_that_could_not_be_saved_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "山田 花子");
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .jump_to("special-notes");
    h.run();
    // Another terminal saves the same draft meanwhile: this copy's next save is refused.
    {
        let mut store = open_store(dir.path());
        let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
        let id = h.state().editor.as_ref().unwrap().opinion_id;
        let opened = store.open_opinion(&doctor, id).unwrap();
        let mut op = opened.opinion.clone();
        op.answers
            .insert("special-notes", Answer::Text("別の端末".into()));
        store
            .autosave(&doctor, opened.version.id, opened.version.revision, &op)
            .unwrap();
    }
    h.get_by_role_and_label(Role::MultilineTextInput, "特記すべき事項")
        .type_text("独居");
    h.run();
    assert!(h.state().editor.as_ref().unwrap().save_error.is_some());
    assert!(h.state().unsaved());
    // サインアウト asks; キャンセル keeps everything as it was.
    h.get_by_label("佐藤 一郎 さん ▼").click();
    h.run();
    h.get_by_label("サインアウト").click();
    h.run();
    assert!(h.state().session.is_some());
    h.get_by_label_contains("保存できていない変更があります");
    h.get_by_label("キャンセル").click();
    h.run();
    assert!(h.state().session.is_some());
    assert_eq!(h.state().screen, Screen::Editor);
    // Signing out anyway, knowingly.
    h.get_by_label("佐藤 一郎 さん ▼").click();
    h.run();
    h.get_by_label("サインアウト").click();
    h.run();
    h.get_by_label("変更を捨ててサインアウト").click();
    h.run();
    assert!(h.state().session.is_none());
    assert_eq!(h.state().screen, Screen::SignIn);
}

/// Nobody touches the window for the clinic's idle time: it signs out, says so on the sign-in
/// screen, and the draft that was being written is saved.
#[test]
fn an_idle_window_signs_out_and_keeps_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    sign_in(&mut h, "suzuki");
    open_opinion(&mut h, "山田 花子");
    let id = h.state().editor.as_ref().unwrap().opinion_id;
    {
        let ed = h.state_mut().editor.as_mut().unwrap();
        ed.opinion
            .answers
            .insert("diagnosis-1", Answer::Text("脳梗塞".into()));
        ed.dirty = true;
    }
    h.step();
    let now = h.ctx.input(|i| i.time);
    // 14 minutes: still signed in.
    h.input_mut().time = Some(now + 14.0 * 60.0);
    h.step();
    h.run();
    assert!(h.state().session.is_some());
    // 15 minutes and a bit: signed out, with a word on the sign-in screen.
    h.input_mut().time = Some(now + 15.0 * 60.0 + 1.0);
    h.step();
    h.run();
    assert_eq!(h.state().screen, Screen::SignIn);
    assert!(h.state().session.is_none());
    h.get_by_label("しばらく操作がなかったため、自動でサインアウトしました。入力中の下書きは保存してあります。");
    let mut store = open_store(dir.path());
    let clerk = store.sign_in("suzuki", "ikensho-demo").unwrap();
    let saved = store.open_opinion(&clerk, id).unwrap().opinion;
    assert_eq!(
        saved.answers.get("diagnosis-1"),
        Some(&Answer::Text("脳梗塞".into()))
    );
}

/// A megabyte in 特記: the review's check of the paper and the preview are laid out on a thread;
/// the window goes on drawing (a spinner says what it waits for), and the result comes back.
#[test]
fn a_megabyte_of_notes_is_laid_out_off_the_windows_thread() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let id = opinion_of(dir.path(), "山田 花子");
    clerk_prepares_the_rest(dir.path(), id);
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "山田 花子");
    let notes = "夜間の徘徊があり家族が見守りを続けている。".repeat((1 << 20) / 60 + 1);
    assert!(notes.len() >= 1 << 20);
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .opinion
        .answers
        .insert("special-notes", Answer::Text(notes));
    h.state_mut().request(ikensho_app::app::Intent::Review);
    // One frame: the review is asked of a thread in it, and its answer can be taken in only at
    // the start of a later frame, however fast the thread is.
    h.step();
    assert_eq!(h.state().screen, Screen::Review);
    assert!(h.state().review.laying_out.is_some(), "asked of a thread");
    h.get_by_label("用紙に収まるかを確かめています…");
    // The window keeps answering while the thread works.
    let mut frames = 0;
    let started = std::time::Instant::now();
    while h.state().review.laying_out.is_some() {
        h.step();
        frames += 1;
        assert!(
            started.elapsed() < std::time::Duration::from_secs(300),
            "the layout never came back"
        );
        // Frames come as often as a person's input would bring them; a long pause between
        // them would let the layout (a tenth of a second here) finish between two frames.
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert!(frames > 1, "frames were drawn while it was laid out");
    // Far over its box: the R8 form asks to accept the continuation sheet.
    assert!(!h.state().review.continuation.is_empty());
}

/// Two terminals on the clinic server: the physician's list shows the clerk's hand-over, made on
/// another connection, within a second and without anyone touching the window. (Skipped without
/// a test cluster unless IKENSHO_REQUIRE_PG is set.)
#[test]
fn the_list_shows_what_another_terminal_did_within_a_second() {
    use ikensho_app::cli::demo::{Demo, prepare};
    let Some(backend) = ikensho_testkit::fixtures::Backend::server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let Demo {
        sim: _sim,
        store: mut file,
        services,
        made,
    } = prepare(dir.path()).unwrap();
    let (mut server, _) = backend.new_store(dir.path(), "window_live_list");
    file.copy_into(&mut server).unwrap();
    drop(file);
    let mut reception = server.checked_file().connect().unwrap();
    let mut h = window(server, services, Lang::Ja, egui::vec2(1280.0, 860.0));
    sign_in(&mut h, "sato");
    wait_until(&mut h, "the list", |a| {
        a.screen == Screen::List && !a.rows.is_empty()
    });
    let id = made[0];
    assert_ne!(
        h.state().rows.iter().find(|r| r.id == id).unwrap().state,
        State::AwaitingPhysician
    );
    let clerk = reception.sign_in("suzuki", "ikensho-demo").unwrap();
    let started = std::time::Instant::now();
    reception
        .hand_over(&clerk, id, State::AwaitingPhysician)
        .unwrap();
    wait_until(&mut h, "the hand-over in the list", |a| {
        a.rows
            .iter()
            .any(|r| r.id == id && r.state == State::AwaitingPhysician)
    });
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");
}

/// Two windows on one store (as two terminals have): the physician sees in the list and in the
/// editor that the clerk has the draft open at reception; the clerk saves first; the physician's
/// typing is then refused, shown with who saved and what, and put on top of the clerk's change
/// with one button — both kept, nothing typed lost.
#[test]
fn two_terminals_on_one_draft_see_each_other_and_lose_nothing() {
    use ikensho_app::cli::demo::{Demo, prepare};
    let dir = tempfile::tempdir().unwrap();
    let Demo {
        sim: _sim,
        store,
        services,
        made,
    } = prepare(dir.path()).unwrap();
    let mut reception = store.checked_file().connect().unwrap();
    let clerk = reception.sign_in("suzuki", "ikensho-demo").unwrap();
    let id = made[0];
    reception.hold(&clerk, id, "受付", "reception").unwrap();
    let size = egui::vec2(1280.0, 860.0);
    let mut h = window(store, services, Lang::Ja, size);
    sign_in(&mut h, "sato");
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
    let note = "● 鈴木 花子さんが受付の端末で編集中";
    assert!(screen.contains_rect(h.get_by_label(note).rect()));
    let name = h
        .state()
        .rows
        .iter()
        .find(|r| r.id == id)
        .unwrap()
        .name
        .clone();
    open_opinion(&mut h, &name);
    assert!(screen.contains_rect(h.get_by_label(note).rect()));
    // The physician's window holds it too, as reception sees.
    let seen = reception.holders(&clerk, "reception").unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (seen[0].name.as_str(), seen[0].opinion_id),
        ("佐藤 一郎", id)
    );

    // Reception saves a change first, from the copy both opened.
    let opened = reception.open_opinion(&clerk, id).unwrap();
    let mut theirs = opened.opinion.clone();
    theirs.answers.insert(
        "diagnosis-2",
        ikensho::form::opinion::Answer::Text("受付で追加".into()),
    );
    reception
        .autosave(&clerk, opened.version.id, opened.version.revision, &theirs)
        .unwrap();
    // The physician types 連絡先: the save is refused, and what happened is shown.
    h.get_by_role_and_label(Role::TextInput, "連絡先").focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "連絡先")
        .type_text("03-1111-2222");
    h.run();
    let ed = h.state().editor.as_ref().unwrap();
    let conflict = ed.conflict.as_ref().expect("the refused save is shown");
    assert_eq!(conflict.by, "鈴木 花子");
    assert_eq!(conflict.together.theirs, ["diagnosis-2"]);
    assert_eq!(conflict.together.mine, ["applicant-phone"]);
    assert!(h.state().unsaved());
    for label in [
        "鈴木 花子さんが、この下書きを他の端末で先に保存しました。この画面の入力はまだ保存されていませんが、失われていません。",
        "鈴木 花子さんが変更した項目：診断名 2.",
        "相手の変更にこの画面の入力を重ねて保存",
        "相手の版を開く（この画面の入力は捨てる）",
    ] {
        let node = h
            .query_by_label(label)
            .or_else(|| h.query_by_label_contains(label))
            .unwrap_or_else(|| panic!("{label}"));
        assert!(screen.contains_rect(node.rect()), "{label} in view");
    }
    h.get_by_label("相手の変更にこの画面の入力を重ねて保存")
        .click();
    h.run();
    let ed = h.state().editor.as_ref().unwrap();
    assert!(ed.conflict.is_none() && !ed.dirty && ed.save_error.is_none());
    let stored = reception.open_opinion(&clerk, id).unwrap().opinion;
    assert!(stored.applicant.phone.ends_with("03-1111-2222"));
    assert_eq!(stored.applicant, ed.opinion.applicant);
    assert_eq!(
        stored.answers.get("diagnosis-2"),
        Some(&ikensho::form::opinion::Answer::Text("受付で追加".into()))
    );
    // Back to the list: the physician's window lets go of it.
    h.state_mut()
        .request(ikensho_app::app::Intent::Show(Screen::List));
    h.run();
    assert!(reception.holders(&clerk, "reception").unwrap().is_empty());
}

/// A network cable between the window and the clinic server that the test can pull out and
/// plug in again: a TCP relay on loopback. Pulled, it cuts every connection through it and
/// refuses new ones, as a server gone away does.
struct Cable {
    port: u16,
    plugged: std::sync::Arc<std::sync::atomic::AtomicBool>,
    open: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Cable {
    fn to(server_port: u16) -> Cable {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let plugged = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let open = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (p, o) = (plugged.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if !p.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = std::net::TcpStream::connect(("127.0.0.1", server_port)) else {
                    continue;
                };
                let mut open = o.lock().unwrap();
                open.push(client.try_clone().unwrap());
                open.push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                }
            }
        });
        Cable {
            port,
            plugged,
            open,
        }
    }

    fn pull(&self) {
        self.plugged
            .store(false, std::sync::atomic::Ordering::SeqCst);
        for s in self.open.lock().unwrap().drain(..) {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }

    fn plug(&self) {
        self.plugged
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The clinic server goes away while the physician writes: the window says so, keeps each edit
/// in the terminal's journal (owner-only, not in clear), and saves it when the server is back —
/// in the same window, and after the window was closed meanwhile, at the next sign-in. (Skipped
/// without a test cluster unless IKENSHO_REQUIRE_PG is set.)
#[test]
fn the_server_going_away_loses_nothing_typed() {
    use ikensho_app::cli::demo::{Demo, prepare};
    let Some(backend) = ikensho_testkit::fixtures::Backend::server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let Demo {
        sim: _sim,
        store: mut file,
        services,
        made,
    } = prepare(dir.path()).unwrap();
    let (mut server, _) = backend.new_store(dir.path(), "window_offline");
    file.copy_into(&mut server).unwrap();
    drop(file);
    let ikensho_testkit::fixtures::Backend::Server { password, .. } = &backend else {
        unreachable!()
    };
    // The window reaches the server through the cable.
    let direct = server.checked_file();
    let there = server.server_location().unwrap().clone();
    drop(server);
    let cable = Cable::to(there.port);
    let through = ikensho::store::server::ServerLocation {
        port: cable.port,
        ..there
    };
    let data = services.data_dir.clone();
    let window_store = ikensho::store::Store::open_server(&through, password, &data).unwrap();
    let mut h = window(window_store, services, Lang::Ja, egui::vec2(1280.0, 860.0));
    sign_in(&mut h, "sato");
    let id = made[0];
    let name = h
        .state()
        .rows
        .iter()
        .find(|r| r.id == id)
        .unwrap()
        .name
        .clone();
    open_opinion(&mut h, &name);
    let phone = |h: &H| {
        h.state()
            .editor
            .as_ref()
            .unwrap()
            .opinion
            .applicant
            .phone
            .clone()
    };
    let mut reader = direct.connect().unwrap();
    let doctor = reader.sign_in("sato", "ikensho-demo").unwrap();
    let stored_phone = |reader: &mut ikensho::store::Store| {
        reader
            .open_opinion(&doctor, id)
            .unwrap()
            .opinion
            .applicant
            .phone
    };

    // The cable is pulled; the physician types on.
    cable.pull();
    h.get_by_role_and_label(Role::TextInput, "連絡先").focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "連絡先")
        .type_text(" 内線1");
    h.run();
    wait_until(&mut h, "the window to notice", |a| a.is_offline());
    h.run();
    let ed = h.state().editor.as_ref().unwrap();
    assert!(ed.kept_locally && !ed.dirty, "kept on the terminal");
    assert!(!h.state().unsaved(), "nothing only in memory");
    let banner = h.get_by_label_contains("院内サーバーにつながりません");
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 860.0));
    assert!(screen.contains_rect(banner.rect()));
    let typed = phone(&h);
    assert!(typed.ends_with(" 内線1"));
    assert_ne!(stored_phone(&mut reader), typed);
    // The journal: in the data folder, the owner's only, no patient data in clear.
    let journal = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "journal"))
        .expect("a journal in the data folder");
    assert_eq!(ikensho_testkit::fixtures::mode(&journal), 0o600);
    let bytes = std::fs::read(&journal).unwrap();
    for secret in [typed.as_str(), name.as_str(), "内線"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} in clear"
        );
    }

    // Plugged in again: the window finds the server and saves what it kept.
    cable.plug();
    wait_until(&mut h, "the server back", |a| !a.is_offline());
    h.run();
    assert_eq!(stored_phone(&mut reader), typed);
    assert!(!journal.exists(), "nothing left waiting");
    // It says so, and that what was kept is saved.
    h.get_by_label_contains("この端末に保存していた入力をサーバーに保存しました");

    // Sending goes on too: an opinion queued now is sent by this window's delivery, whose
    // connection was cut with the others.
    let second = h
        .state()
        .rows
        .iter()
        .find(|r| r.name == "鈴木 次郎")
        .unwrap()
        .id;
    {
        use ikensho::hub::fhir::{DocumentIds, document_bytes};
        let opened = reader.open_opinion(&doctor, second).unwrap();
        let mut op = common::second_insured();
        op.applicant = opened.opinion.applicant.clone();
        op.request = opened.opinion.request.clone();
        written_and_examined_today(&mut op);
        reader
            .autosave(&doctor, opened.version.id, opened.version.revision, &op)
            .unwrap();
        reader
            .finalise(&doctor, second, &ikensho::form::Context::today_in_japan())
            .unwrap();
        let form = FormDef::builtin(op.form_version).unwrap();
        let doc = document_bytes(
            form,
            &op,
            &DocumentIds::new_now(),
            ikensho::i18n::Locales::builtin().unwrap(),
        );
        reader
            .queue_for_sending(&doctor, second, Some(&doc))
            .unwrap();
    }
    let started = std::time::Instant::now();
    while reader.state_of(second).unwrap() != State::Sent {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "not sent after the server came back: {:?}",
            reader.state_of(second)
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    // Pulled again, typed, and the window closed before the server came back.
    cable.pull();
    h.get_by_role_and_label(Role::TextInput, "連絡先").focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "連絡先")
        .type_text(" 2");
    h.run();
    wait_until(&mut h, "the window to notice", |a| a.is_offline());
    let typed = phone(&h);
    assert!(typed.ends_with(" 内線1 2"));
    drop(h);
    assert!(journal.exists());
    cable.plug();
    // The next start of the window on this terminal: at sign-in, what waited is saved.
    let again = ikensho::store::Store::open_server(&through, password, &data).unwrap();
    let mut h = window(
        again,
        ikensho_app::app::Services::from_store(&direct.connect().unwrap(), &data),
        Lang::Ja,
        egui::vec2(1280.0, 860.0),
    );
    sign_in(&mut h, "sato");
    assert_eq!(stored_phone(&mut reader), typed);
    assert!(!journal.exists());
}

/// The person's menu opens a box that says which ikensho this is: the version, the forms it
/// writes and the day it was built, wholly in view; it closes again.
#[test]
fn the_about_box_names_the_version_and_the_forms() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    sign_in(&mut h, "sato");
    h.get_by_label("佐藤 一郎 さん ▼").click();
    h.run();
    h.get_by_label("このプログラムについて").click();
    h.run();
    assert!(h.state().about);
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 860.0));
    for text in [env!("CARGO_PKG_VERSION"), "R8", "R3", "built: "] {
        let node = h.get_by_label_contains(text);
        assert!(screen.contains_rect(node.rect()), "{text}");
    }
    h.get_by_label("閉じる").click();
    h.run();
    assert!(!h.state().about);
}

/// The administrator chooses the backup folder in 設定: the day's backup is made at once and at
/// each day's first sign-in, and 設定 says when the last one was, or warns when the folder is
/// gone or the last backup is old.
#[test]
fn the_days_backup_is_made_at_sign_in_and_settings_warn_when_it_is_missing_or_old() {
    use ikensho::store::daily::file_name;
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let folder = dir.path().join("usb").join("ikensho-backups");
    let today = today();
    sign_in(&mut h, "kanri");
    assert_eq!(h.state().screen, Screen::Settings);
    h.get_by_label_contains("保存先フォルダーが決まっていない");
    click_in_view(
        &mut h,
        Role::TextInput,
        "自動バックアップの保存先フォルダー",
    );
    h.get_by_role_and_label(Role::TextInput, "自動バックアップの保存先フォルダー")
        .type_text(&folder.display().to_string());
    click_in_view(&mut h, Role::Button, "この保存先にする");
    wait_until(&mut h, "the first backup", |a| !a.busy());
    h.run();
    let made = folder.join(file_name(today));
    assert!(made.exists());
    h.get_by_label_contains("本日の自動バックアップを作りました");
    h.get_by_label(&format!("最後の自動バックアップ：{today}"));
    assert!(!h.state().settings.backups.warns());

    // The drive unplugged: said at the next sign-in, and 設定 warns; nothing made elsewhere.
    std::fs::remove_dir_all(&folder).unwrap();
    sign_out(&mut h);
    sign_in(&mut h, "kanri");
    wait_until(&mut h, "the day's backup tried", |a| !a.busy());
    h.run();
    h.get_by_label_contains("自動バックアップができませんでした");
    h.get_by_label_contains("保存先フォルダーが見つかりません");
    assert!(!folder.exists());

    // Back, with only a backup of three days ago, on a disk that refuses today's: 設定 says
    // the last one is old.
    std::fs::create_dir_all(&folder).unwrap();
    let three_days_ago = today.checked_sub(jiff::Span::new().days(3)).unwrap();
    std::fs::write(folder.join(file_name(three_days_ago)), b"an old backup").unwrap();
    std::fs::create_dir(folder.join(format!("{}.part", file_name(today)))).unwrap();
    sign_out(&mut h);
    sign_in(&mut h, "kanri");
    wait_until(&mut h, "the day's backup tried", |a| !a.busy());
    h.run();
    h.get_by_label_contains("自動バックアップができませんでした");
    h.get_by_label(&format!("最後の自動バックアップ：{three_days_ago}"));
    h.get_by_label_contains("最後のバックアップから2日以上たっています");
    assert!(!made.exists());
}

/// A backup asked for in 設定 is written on a thread (the window draws on meanwhile) and said
/// with where it went; one into a folder that is not there is refused in words.
#[test]
fn a_backup_asked_for_in_settings_is_made_off_the_windows_thread() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    sign_in(&mut h, "kanri");
    assert_eq!(h.state().screen, Screen::Settings);
    let dest = dir.path().join("copy.sqlite");
    type_into(
        &mut h,
        Role::TextInput,
        "保存先のファイル",
        &dest.display().to_string(),
    );
    let backup = |h: &mut H| {
        h.get_by_role_and_label(Role::Button, "バックアップを作る")
            .scroll_to_me();
        h.run();
        h.get_by_role_and_label(Role::Button, "バックアップを作る")
            .click();
        h.run_steps(3);
    };
    backup(&mut h);
    wait_until(&mut h, "the backup", |a| !a.settings.backing_up);
    h.run();
    h.get_by_label_contains("バックアップを作りました");
    let bytes = std::fs::read(&dest).unwrap();
    assert!(bytes.len() > 4096);
    assert!(
        !bytes.starts_with(b"SQLite format 3"),
        "the copy is encrypted"
    );

    let nowhere = dir.path().join("not-there").join("copy.sqlite");
    h.state_mut().settings.backup_path.clear();
    type_into(
        &mut h,
        Role::TextInput,
        "保存先のファイル",
        &nowhere.display().to_string(),
    );
    backup(&mut h);
    wait_until(&mut h, "the refused backup", |a| !a.settings.backing_up);
    h.run();
    assert!(matches!(h.state().settings.result, Some(Err(_))));
    assert!(!nowhere.exists());

    // A backup still being written is shown as such when 設定 is shown again: its button stays
    // disabled, so that no second backup starts beside it.
    h.state_mut().settings.backing_up = true;
    h.state_mut()
        .request(ikensho_app::app::Intent::Show(Screen::List));
    h.run();
    h.state_mut()
        .request(ikensho_app::app::Intent::Show(Screen::Settings));
    h.run_steps(3);
    assert!(h.state().settings.backing_up);
    let button = h.get_by_role_and_label(Role::Button, "バックアップを作る");
    assert!(button.accesskit_node().is_disabled());
}

/// Every path in 設定 can be chosen with the platform's dialog ("選ぶ…", one per field, heard
/// with its field's name), and a printed PDF saved where the person says.
#[test]
fn paths_are_chosen_with_the_file_dialog_and_a_pdf_is_saved_as() {
    use ikensho_app::app::pick::PickKind;
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let ca = dir.path().join("hub").join("pki").join("hub-ca.pem");
    let usb = dir.path().join("usb");
    let picker = script_picker(&mut h, vec![ca.clone(), usb.clone()]);
    sign_in(&mut h, "kanri");
    click_in_view(
        &mut h,
        Role::Button,
        "選ぶ… — 介護情報基盤のCA証明書（PEMファイル）",
    );
    wait_until(&mut h, "the CA chosen", |a| !a.busy());
    assert_eq!(h.state().settings.hub_ca_path, ca.display().to_string());
    click_in_view(
        &mut h,
        Role::Button,
        "選ぶ… — 自動バックアップの保存先フォルダー",
    );
    wait_until(&mut h, "the folder chosen", |a| !a.busy());
    assert_eq!(h.state().settings.backup_folder, usb.display().to_string());
    {
        let asked = picker.asked.lock().unwrap();
        assert!(matches!(asked[0].0, PickKind::Open { .. }), "{asked:?}");
        assert_eq!(asked[0].1, "介護情報基盤のCA証明書（PEMファイル）");
        assert_eq!(asked[1].0, PickKind::Folder);
    }
    // Cancelled (nothing chosen): the field keeps what it had.
    click_in_view(
        &mut h,
        Role::Button,
        "選ぶ… — 自動バックアップの保存先フォルダー",
    );
    wait_until(&mut h, "the dialog closed", |a| !a.busy());
    assert_eq!(h.state().settings.backup_folder, usb.display().to_string());
    sign_out(&mut h);

    // A draft PDF, saved as a copy where the physician says.
    let copy = dir.path().join("山田さんの意見書.pdf");
    picker.answers.lock().unwrap().push(copy.clone());
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "山田 花子");
    h.get_by_label("用紙で見る・印刷").click();
    h.run_steps(2);
    wait_until(&mut h, "the preview", |a| a.paper.sheet.is_some());
    h.get_by_label("下書きをPDFにする").click();
    h.step();
    wait_until(&mut h, "the draft PDF", |a| a.paper.printed.is_some());
    click_in_view(&mut h, Role::Button, "名前を付けて保存…");
    wait_until(&mut h, "the copy saved", |a| a.paper.saved_as.is_some());
    h.run();
    let printed = h
        .state()
        .paper
        .printed
        .as_ref()
        .unwrap()
        .as_ref()
        .unwrap()
        .path
        .clone();
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&printed).unwrap()
    );
    // The copy holds the opinion: the clinic's account only, like the one in the data folder.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    h.get_by_label_contains("PDF のコピーを保存しました");
}

/// The administrator restores a backup from 設定: the password again, a confirmation, and the
/// window closes its store, restores with the library's checks, keeps the data as it was beside
/// and opens again at the sign-in screen with the backup's data.
#[test]
fn a_backup_is_restored_from_the_window() {
    use ikensho_app::app::lock::Root;
    let dir = tempfile::tempdir().unwrap();
    let ikensho_app::cli::demo::Demo {
        sim: _sim,
        mut store,
        services,
        ..
    } = ikensho_app::cli::demo::prepare(dir.path()).unwrap();
    let admin = store.sign_in("kanri", "ikensho-demo").unwrap();
    let backup = dir.path().join("before.sqlite");
    store.backup(&admin, &backup).unwrap();
    let before = store.clinic_settings().unwrap();
    let mut changed = before.clone();
    changed.name = "名前を変えた医院".into();
    store.set_clinic_settings(&admin, &changed).unwrap();
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .with_max_steps(40)
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| {
            Root::Open(Box::new(ikensho_app::app::IkenshoApp::new(
                &cc.egui_ctx,
                store,
                Lang::Ja,
                services,
            )))
        });
    h.run();
    let picker = std::sync::Arc::new(ScriptedPicker {
        answers: std::sync::Mutex::new(vec![backup.clone()]),
        ..ScriptedPicker::default()
    });
    h.state_mut().app_mut().unwrap().worker.services.picker = picker;
    type_into(&mut h, Role::TextInput, "ログインID", "kanri");
    type_into(&mut h, Role::PasswordInput, "パスワード", "ikensho-demo");
    click_in_view(&mut h, Role::Button, "サインイン");
    assert_eq!(h.state().app().unwrap().screen, Screen::Settings);
    click_in_view(&mut h, Role::Button, "選ぶ… — 戻すバックアップのファイル");
    for _ in 0..100 {
        h.step();
        if !h.state().app().unwrap().settings.restore.path.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    // Without the password again: said, nothing done.
    click_in_view(&mut h, Role::Button, "このバックアップから戻す…");
    h.get_by_label("あなたのパスワードをもう一度入力してください。");
    type_into(
        &mut h,
        Role::PasswordInput,
        "あなたのパスワード（もう一度。バックアップでも管理者であること）",
        "ikensho-demo",
    );
    click_in_view(&mut h, Role::Button, "このバックアップから戻す…");
    h.get_by_label_contains("よろしいですか");
    click_in_view(&mut h, Role::Button, "戻す");
    h.run();
    let app = h.state().app().expect("open again after the restore");
    assert_eq!(app.screen, Screen::SignIn);
    assert!(app.session.is_none());
    h.get_by_label_contains("から戻しました");
    let store = ikensho::store::Store::open(&dir.path().join("ikensho.sqlite")).unwrap();
    assert_eq!(
        store.clinic_settings().unwrap(),
        before,
        "the backup's data"
    );
    assert!(store.verify_audit().unwrap().is_intact());
    let kept_beside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("ikensho.sqlite.before-restore")
        });
    assert!(kept_beside, "the data as it was is kept beside");
}

/// 設定 → 医見書からの取り込み: the administrator chooses 医見書's CSV with the dialog and imports
/// it on a thread; the summary and each refused row (row, column, why) are shown. A big file
/// stopped with 中止 while the bar moves leaves nothing of it in the store.
#[test]
fn ikensyo_csv_is_imported_and_stopped_from_settings() {
    use ikensho_testkit::ikensyo::{file, record_1_2};
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let small = dir.path().join("1310112345_2025091001.csv");
    std::fs::write(
        &small,
        file(&[
            record_1_2("0000012345", "20250910", &[]),
            record_1_2("0000067890", "20250911", &[(30, "2025091")]),
            record_1_2("0000067891", "20250912", &[]),
        ]),
    )
    .unwrap();
    let big = dir.path().join("big.csv");
    let rows: Vec<Vec<String>> = (0..20_000)
        .map(|i| record_1_2(&format!("{:010}", 100_000 + i), "20250910", &[]))
        .collect();
    std::fs::write(&big, file(&rows)).unwrap();
    let count = |dir: &std::path::Path| {
        let (store, s) = open_as_physician(dir);
        store
            .search(&s, &ikensho::store::Query::default())
            .unwrap()
            .len()
    };
    let before = count(dir.path());
    let picker = script_picker(&mut h, vec![small.clone(), big.clone()]);
    sign_in(&mut h, "kanri");
    click_in_view(&mut h, Role::Button, "選ぶ… — 医見書の CSV ファイル");
    wait_until(&mut h, "the file chosen", |a| !a.busy());
    assert_eq!(h.state().settings.import.path, small.display().to_string());
    assert!(matches!(
        picker.asked.lock().unwrap()[0].0,
        ikensho_app::app::pick::PickKind::Open { .. }
    ));
    click_in_view(&mut h, Role::Button, "CSV を取り込む");
    wait_until(&mut h, "the import", |a| a.settings.import.last.is_some());
    h.get_by_label_contains("3 行を読み、意見書 2 件を取り込みました");
    h.get_by_label_contains("2 行目 30 列目（最終診察日）: 「2025091」は日付として読めない");
    assert_eq!(count(dir.path()), before + 2);

    // The big one, stopped while it runs.
    click_in_view(&mut h, Role::Button, "選ぶ… — 医見書の CSV ファイル");
    wait_until(&mut h, "the file chosen", |a| !a.busy());
    // The bar asks to be drawn again while it moves: a few frames, not run().
    h.get_by_role_and_label(Role::Button, "CSV を取り込む")
        .click();
    h.run_steps(3);
    assert!(h.state().settings.import.running.is_some());
    h.get_by_role(Role::ProgressIndicator);
    h.get_by_role_and_label(Role::Button, "中止").click();
    h.run_steps(3);
    wait_until(&mut h, "the import stopped", |a| {
        a.settings.import.last.is_some()
    });
    h.get_by_label_contains("中止しました。何も取り込まれていません。");
    assert_eq!(count(dir.path()), before + 2);
}

/// An insurer that takes 医見書's CSV (設定): the review says so, and the finalised opinion's
/// paper screen writes the file where the physician says, with nothing the format lost unsaid.
#[test]
fn a_csv_insurer_gets_the_file_from_the_paper_screen() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open(dir.path());
    h.run();
    let out = dir.path().join("1310123455_2026120201.csv");
    let second = dir.path().join("again.csv");
    let picker = script_picker(&mut h, vec![out.clone(), second.clone()]);
    {
        let store = &mut h.state_mut().store;
        let admin = store.sign_in("kanri", "ikensho-demo").unwrap();
        let mut c = store.clinic_settings().unwrap();
        let sato = store.sign_in("sato", "ikensho-demo").unwrap();
        let paper = store
            .search(
                &sato,
                &ikensho::store::Query {
                    states: vec![State::Paper],
                    ..Default::default()
                },
            )
            .unwrap();
        // A 保険者番号 is six digits: anything else is refused, naming the setting.
        c.csv_insurers = ikensho::store::split_insurers("131011、12345");
        assert!(matches!(
            store.set_clinic_settings(&admin, &c),
            Err(ikensho::store::StoreError::BadSetting {
                setting: "csv_insurers"
            })
        ));
        c.csv_insurers = vec![paper[0].insurer_number.clone()];
        store.set_clinic_settings(&admin, &c).unwrap();
    }
    sign_in(&mut h, "sato");
    let i = h
        .state()
        .rows
        .iter()
        .position(|r| r.state == State::Paper)
        .unwrap();
    h.get_all_by_label("開く").nth(i).unwrap().click();
    h.run();
    h.get_by_label("用紙で見る・印刷").click();
    h.run_steps(2);
    wait_until(&mut h, "the preview", |a| a.paper.sheet.is_some());
    click_in_view(&mut h, Role::Button, "医見書 CSV を書き出す…");
    wait_until(&mut h, "the file written", |a| a.paper.csv.is_some());
    h.get_by_label_contains("に医見書の CSV を書き出しました");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\"1.2\","));
    assert!(bytes.ends_with(b"\"\r\n"));
    assert_eq!(bytes.windows(2).filter(|w| w == b"\r\n").count(), 1);

    // The dialog proposed 医見書's name: the 事業所番号 written in the file, today, 01; the
    // next file of the day counts on.
    let today = ikensho::form::Context::today_in_japan()
        .today
        .strftime("%Y%m%d")
        .to_string();
    let proposed = |n: usize| match &picker.asked.lock().unwrap()[n].0 {
        ikensho_app::app::pick::PickKind::Save { name } => name.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(proposed(0), format!("1310123455_{today}01.csv"));
    click_in_view(&mut h, Role::Button, "医見書 CSV を書き出す…");
    wait_until(&mut h, "the second file", |_| second.exists());
    assert_eq!(proposed(1), format!("1310123455_{today}02.csv"));
}
