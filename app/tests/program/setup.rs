//! The first start on an empty data folder, as a clinic would go through it: the first
//! administrator and the recovery key, then the set-up guide — the clinic, a physician and a
//! clerk, the hub (the test hub standing in for the real one, chosen with the file dialog), the
//! terminal certificate with its connection test, the card reader with its card test (the
//! virtual card), the backup folder — and the physician's first opinion with the clinic in it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use crate::common;
use common::ui::{click_in_view as click, type_into};

use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ikensho::i18n::Lang;
use ikensho::store::atrest::Keeping;
use ikensho_app::app::Screen;
use ikensho_app::app::first_run::FirstRun;
use ikensho_app::app::lock::Root;
use ikensho_testkit::hub_pki::HubPki;
use ikensho_testkit::sign_pki::TestPki;
use ikensho_testkit::sim::{Faults, Simulator};
use ikensho_testkit::virt::{Behaviour, VirtualCard, VirtualSource};

type R = Harness<'static, Root>;

const INSTITUTION: &str = "1310123455";
const ADMIN_PASSWORD: &str = "kanri-no-pass-2026";
const DOCTOR_PASSWORD: &str = "yamada-no-pass-2026";

/// Clicks a button that starts work on a thread (a spinner turns while it runs): steps a few
/// frames instead of running until the window is still.
fn start(h: &mut R, label: &str) {
    h.get_by_role_and_label(Role::Button, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, label).click();
    h.run_steps(3);
}

/// Steps until `cond` holds of the open program, or fails after 20 s.
fn wait(h: &mut R, what: &str, cond: impl Fn(&ikensho_app::app::IkenshoApp) -> bool) {
    let start = std::time::Instant::now();
    loop {
        h.step();
        if h.state().app().is_some_and(&cond) {
            h.run();
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "waited 20 s for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn next(h: &mut R) {
    click(h, Role::Button, "次へ");
}

#[test]
fn the_set_up_guide_takes_an_empty_folder_to_the_physicians_first_opinion() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = dir.join("data");
    let path = data.join("ikensho.sqlite");
    // What the clinic was given: the hub's address and CA, the terminal's .p12 with its
    // password, the physician's HPKI card.
    let hub = HubPki::generate(INSTITUTION, "T-0001").unwrap();
    let sim = Simulator::start(&dir.join("sim"), 0, &hub, Vec::new(), Faults::default()).unwrap();
    let given = dir.join("given");
    std::fs::create_dir(&given).unwrap();
    let hub_ca = given.join("hub-ca.pem");
    std::fs::write(
        &hub_ca,
        der::EncodePem::to_pem(&hub.ca.cert, der::pem::LineEnding::LF).unwrap(),
    )
    .unwrap();
    let p12 = given.join("terminal.p12");
    std::fs::write(&p12, hub.terminal_p12("Tm-Pass-2291").unwrap()).unwrap();
    let hpki = TestPki::generate("山田 太郎").unwrap();
    let card_dir = dir.join("card");
    VirtualCard::create(
        &card_dir,
        &hpki.physician.key,
        &hpki.physician.der(),
        "1234",
        Behaviour::default(),
    )
    .unwrap();
    let usb = dir.join("usb").join("ikensho");
    std::fs::create_dir_all(&usb).unwrap();
    let picker = Arc::new(common::ui::ScriptedPicker {
        answers: std::sync::Mutex::new(vec![hub_ca.clone(), p12.clone(), usb.clone()]),
        ..common::ui::ScriptedPicker::default()
    });

    let services_picker = picker.clone();
    let services_data = data.clone();
    let first = FirstRun::new(
        path.clone(),
        Keeping::KeyFolder(dir.join("keys")),
        Lang::Ja,
        Box::new(move |store| {
            let mut s = ikensho_app::app::Services::from_store(store, &services_data);
            s.card = Arc::new(VirtualSource { dir: card_dir });
            s.card_given = true;
            s.picker = services_picker;
            s
        }),
    );
    let mut h: R = Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .with_max_steps(40)
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| Root::setup(&cc.egui_ctx, first));
    h.run();

    // The first start: this PC (the clinic server offered beside it), the first administrator.
    h.get_by_label("ikensho の準備");
    assert!(
        !h.get_by_label("院内サーバー（複数の端末で使う）")
            .accesskit_node()
            .is_disabled()
    );
    assert_eq!(
        h.get_by_label("このパソコン（暗号化して保存します）")
            .accesskit_node()
            .toggled(),
        Some(egui::accesskit::Toggled::True)
    );
    type_into(&mut h, Role::TextInput, "ログインID", "kanri");
    type_into(&mut h, Role::TextInput, "氏名", "管理 花子");
    type_into(&mut h, Role::PasswordInput, "パスワード", ADMIN_PASSWORD);
    type_into(
        &mut h,
        Role::PasswordInput,
        "パスワード（確認）",
        "something else",
    );
    click(&mut h, Role::Button, "データを作る");
    h.get_by_label("2つのパスワードが違います。もう一度入力してください。");
    assert!(!path.exists(), "nothing made yet");
    type_into(&mut h, Role::PasswordInput, "パスワード", ADMIN_PASSWORD);
    type_into(
        &mut h,
        Role::PasswordInput,
        "パスワード（確認）",
        ADMIN_PASSWORD,
    );
    click(&mut h, Role::Button, "データを作る");
    assert!(path.exists());
    // The recovery key, shown once; 次へ only once it was written down.
    h.get_by_label("回復キー（一度だけ表示します）");
    assert!(
        h.get_by_label("次へ（設定を続ける）")
            .accesskit_node()
            .is_disabled()
    );
    click(&mut h, Role::CheckBox, "回復キーを書き留めました");
    click(&mut h, Role::Button, "次へ（設定を続ける）");
    assert!(h.state().app().is_some(), "the program is open");
    assert_eq!(h.state().app().unwrap().screen, Screen::Guide);

    // 1. The clinic.
    h.get_by_label("準備 1/7：医療機関");
    for (label, text) in [
        ("医療機関名", "さくら内科クリニック"),
        ("所在地", "東京都千代田区千代田1-1"),
        ("電話", "03-1234-5678"),
        ("FAX", "03-1234-5679"),
        ("医療機関コード", INSTITUTION),
    ] {
        type_into(&mut h, Role::TextInput, label, text);
    }
    next(&mut h);

    // 2. The people: a physician (the administrator's password once more) and a clerk.
    h.get_by_label("準備 2/7：利用者");
    type_into(&mut h, Role::TextInput, "ログインID", "yamada");
    type_into(&mut h, Role::TextInput, "氏名", "山田 太郎");
    click(&mut h, Role::RadioButton, "医師");
    type_into(&mut h, Role::PasswordInput, "パスワード", DOCTOR_PASSWORD);
    type_into(
        &mut h,
        Role::PasswordInput,
        "あなたのパスワード（確認のためもう一度。医師のアカウントに必要）",
        ADMIN_PASSWORD,
    );
    click(&mut h, Role::Button, "利用者を追加");
    type_into(&mut h, Role::TextInput, "ログインID", "tanaka");
    type_into(&mut h, Role::TextInput, "氏名", "田中 一子");
    click(&mut h, Role::RadioButton, "医療事務");
    type_into(
        &mut h,
        Role::PasswordInput,
        "パスワード",
        "tanaka-no-pass-2026",
    );
    next(&mut h);
    let users = &h.state().app().unwrap().settings.users;
    assert_eq!(users.len(), 3, "{users:?}");

    // 3. The hub: its address typed, its CA chosen with the file dialog.
    h.get_by_label("準備 3/7：介護情報基盤（ハブ）と証明書");
    type_into(
        &mut h,
        Role::TextInput,
        "介護情報基盤のアドレス",
        &sim.url(),
    );
    click(
        &mut h,
        Role::Button,
        "選ぶ… — 介護情報基盤のCA証明書（PEMファイル）",
    );
    wait(&mut h, "the CA chosen", |a| {
        !a.settings.hub_ca_path.is_empty()
    });
    next(&mut h);

    // 4. The terminal certificate: a wrong password is said by the connection test; the right
    // one connects.
    h.get_by_label_contains("準備 4/7");
    click(&mut h, Role::Button, "選ぶ… — .p12 ファイル");
    wait(&mut h, "the .p12 chosen", |a| {
        !a.settings.p12_path.is_empty()
    });
    type_into(&mut h, Role::PasswordInput, ".p12 のパスワード", "wrong");
    start(&mut h, "接続テスト");
    wait(&mut h, "the test", |a| a.settings.connection_test.is_some());
    h.get_by_label_contains("パスワードが違うか");
    h.get_by_role_and_label(Role::PasswordInput, ".p12 のパスワード")
        .focus();
    h.step();
    for _ in 0.."wrong".len() {
        h.key_press(egui::Key::Backspace);
    }
    h.run();
    type_into(
        &mut h,
        Role::PasswordInput,
        ".p12 のパスワード",
        "Tm-Pass-2291",
    );
    start(&mut h, "接続テスト");
    wait(&mut h, "the test", |a| {
        !a.settings.connection_testing && a.settings.connection_test.is_some()
    });
    h.get_by_label_contains("ハブ）につながりました");
    next(&mut h);
    assert!(
        h.state().app().unwrap().worker.services.hub.is_some(),
        "sending works from now on"
    );

    // 5. The card: read without a PIN.
    h.get_by_label_contains("準備 5/7");
    start(&mut h, "カードを読む（PIN 不要）");
    wait(&mut h, "the card test", |a| {
        !a.settings.card_testing && a.settings.card_test.is_some()
    });
    h.get_by_label("医師資格証の名義：山田 太郎");
    h.get_by_label_contains("有効期限：");
    next(&mut h);

    // 6. The backup folder, chosen with the file dialog; the first backup is made at once.
    h.get_by_label_contains("準備 6/7");
    click(
        &mut h,
        Role::Button,
        "選ぶ… — 自動バックアップの保存先フォルダー",
    );
    wait(&mut h, "the folder chosen", |a| {
        !a.settings.backup_folder.is_empty()
    });
    next(&mut h);
    wait(&mut h, "the first backup", |a| !a.busy());
    let today = ikensho::form::Context::today_in_japan().today;
    assert!(usb.join(ikensho::store::daily::file_name(today)).exists());

    // 7. The opinions of 医見書, if the clinic used it: offered, and left for later here.
    h.get_by_label_contains("準備 7/7");
    h.get_by_label_contains("過去の主治医意見書を取り込めます");
    h.get_by_role_and_label(Role::Button, "CSV を取り込む");
    next(&mut h);

    // Done: to the sign-in screen.
    h.get_by_label("準備ができました");
    click(&mut h, Role::Button, "サインイン画面へ");
    let app = h.state().app().unwrap();
    assert_eq!(app.screen, Screen::SignIn);
    assert!(app.session.is_none());
    h.get_by_label_contains("準備が終わりました");

    // The physician signs in and writes the first opinion: the clinic is in it.
    type_into(&mut h, Role::TextInput, "ログインID", "yamada");
    type_into(&mut h, Role::PasswordInput, "パスワード", DOCTOR_PASSWORD);
    click(&mut h, Role::Button, "サインイン");
    assert_eq!(h.state().app().unwrap().screen, Screen::List);
    click(&mut h, Role::Button, "新しい意見書");
    let app = h.state().app().unwrap();
    assert_eq!(app.screen, Screen::Editor);
    let op = &app.editor.as_ref().unwrap().opinion;
    assert_eq!(op.clinic.name, "さくら内科クリニック");
    assert_eq!(op.clinic.institution_code, INSTITUTION);
    assert_eq!(op.clinic.phone, "03-1234-5678");
    assert_eq!(op.clinic.physician_name, "山田 太郎");

    // What the guide kept: the store opens with its key, the terminal is in the data folder.
    assert!(data.join(ikensho::hub::terminal::P12_FILE).exists());
    ikensho::hub::terminal::forget_password(&path.display().to_string());
    assert_eq!(
        picker.asked.lock().unwrap().len(),
        3,
        "three paths, each chosen with the dialog"
    );
}

/// A terminal of a clinic whose data is on the clinic server: the first start connects to it
/// (its address and this terminal's password), keeps the address in the data folder for the next
/// starts and the command line, and goes to the sign-in screen; the people sign in there.
#[test]
fn the_first_start_connects_a_terminal_to_the_clinic_server() {
    use ikensho_testkit::fixtures as f;
    let Some(f::Backend::Server { loc, password, .. }) = f::Backend::server() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let db = f::fresh_store_database(&loc, &password, "first_start_server");
    {
        // The server as its administrator prepared it, with the clinic's people.
        let store =
            ikensho::store::Store::open_server(&db, &password, &tmp.path().join("admin")).unwrap();
        f::people_in(store);
    }
    let data = tmp.path().join("data");
    let services_data = data.clone();
    let mut first = FirstRun::new(
        data.join("ikensho.sqlite"),
        Keeping::KeyFolder(tmp.path().join("keys")),
        Lang::Ja,
        Box::new(move |store| ikensho_app::app::Services::from_store(store, &services_data)),
    );
    // The CA certificate is chosen with the file dialog beside the address, not typed into it.
    let picker = Arc::new(common::ui::ScriptedPicker {
        answers: std::sync::Mutex::new(vec![db.ca.clone()]),
        ..Default::default()
    });
    first.picker = picker.clone();
    let mut h: R = Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .with_max_steps(40)
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| Root::setup(&cc.egui_ctx, first));
    h.run();
    click(
        &mut h,
        Role::RadioButton,
        "院内サーバー（複数の端末で使う）",
    );
    // A wrong password: said, nothing kept.
    type_into(
        &mut h,
        Role::TextInput,
        "院内サーバーのアドレス（postgresql://…）",
        &db.display(),
    );
    click(
        &mut h,
        Role::Button,
        "選ぶ… — 院内サーバーの CA 証明書（.pem）",
    );
    for _ in 0..100 {
        if matches!(h.state(), Root::Setup(f) if !f.server_ca.is_empty()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    match h.state() {
        Root::Setup(f) => assert_eq!(f.server_ca, db.ca.display().to_string()),
        _ => panic!("still the first start"),
    }
    assert!(matches!(
        &picker.asked.lock().unwrap()[0].0,
        ikensho_app::app::pick::PickKind::Open { .. }
    ));
    type_into(
        &mut h,
        Role::PasswordInput,
        "端末のデータベースパスワード",
        "wrong",
    );
    click(
        &mut h,
        Role::CheckBox,
        "この端末に記憶する（OS の資格情報ストア）",
    );
    click(&mut h, Role::Button, "サーバーにつなぐ");
    assert!(h.state().app().is_none());
    assert!(!data.join(ikensho::store::server::LOCATION_FILE).exists());
    type_into(
        &mut h,
        Role::PasswordInput,
        "端末のデータベースパスワード",
        &password,
    );
    click(&mut h, Role::Button, "サーバーにつなぐ");
    let app = h.state().app().expect("connected");
    assert_eq!(app.screen, Screen::SignIn);
    assert!(app.store.is_on_server());
    h.get_by_label_contains("院内サーバーにつながりました");
    assert_eq!(
        ikensho::store::server::kept_location(&data)
            .unwrap()
            .unwrap(),
        ikensho::store::server::Location::Server(db.clone())
    );
    assert!(
        !data.join("ikensho.sqlite").exists(),
        "no data file on the terminal"
    );
    type_into(&mut h, Role::TextInput, "ログインID", "sato");
    type_into(&mut h, Role::PasswordInput, "パスワード", f::PASSWORD);
    click(&mut h, Role::Button, "サインイン");
    assert_eq!(h.state().app().unwrap().screen, Screen::List);
}
