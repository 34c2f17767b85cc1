//! The desktop program's frame time with a complete opinion open in the editor (kittest runs the
//! real app without a display: layout, widgets, tessellation), against the baseline measured in
//! the same run: a frame of an app that shows one label with the same fonts. Also a frame with a
//! keystroke (validation and autosave to SQLite), and the time from start to the first frame.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ikensho::form::Opinion;
use ikensho::i18n::Lang;
use ikensho::store::{NewOpinion, NewUser, Role as UserRole, Store};
use ikensho_app::app::{IkenshoApp, Screen, Services};

const PASSWORD: &str = "bench-password-1";

/// A store with one physician and the complete example opinion as a draft.
fn store(dir: &Path) -> Store {
    let mut store = ikensho_testkit::fixtures::new_store(&dir.join("ikensho.sqlite"));
    store
        .add_first_admin(&NewUser {
            login: "sato",
            name: "佐藤 一郎",
            roles: &[UserRole::Admin, UserRole::Physician],
            password: PASSWORD,
        })
        .unwrap();
    let doctor = store.sign_in("sato", PASSWORD).unwrap();
    let op = Opinion::from_json(include_str!("../../tests/data/valid-first-insured.json")).unwrap();
    let today = ikensho::form::Context::today_in_japan().today;
    let draft = store
        .create_opinion(
            &doctor,
            NewOpinion {
                applicant: op.applicant.clone(),
                request: op.request.clone(),
                physician: None,
            },
            today,
        )
        .unwrap();
    store
        .autosave(&doctor, draft.version_id, draft.revision, &op)
        .unwrap();
    store
}

fn services(dir: &Path) -> Services {
    Services {
        data_dir: dir.to_path_buf(),
        hub: None,
        hub_problem: None,
        card: std::sync::Arc::new(ikensho_testkit::virt::VirtualSource {
            dir: dir.join("card"),
        }),
        from_settings: false,
        chain: Vec::new(),
        poll: Duration::from_secs(3600),
        picker: std::sync::Arc::new(ikensho_app::app::pick::NativePicker),
        card_given: true,
    }
}

fn harness(dir: &Path) -> Harness<'static, IkenshoApp> {
    let store = Store::open(&dir.join("ikensho.sqlite")).unwrap();
    let services = services(dir);
    Harness::builder()
        .with_size(egui::vec2(1920.0, 1080.0))
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| IkenshoApp::new(&cc.egui_ctx, store, Lang::Ja, services))
}

/// One label with the same fonts: what any egui frame costs here.
struct Blank;

impl eframe::App for Blank {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| ui.label("主治医意見書"));
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    drop(store(dir.path()));

    let mut h = harness(dir.path());
    h.run();
    h.get_by_role_and_label(Role::TextInput, "ログインID")
        .focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "ログインID")
        .type_text("sato");
    h.get_by_role_and_label(Role::PasswordInput, "パスワード")
        .focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "パスワード")
        .type_text(PASSWORD);
    h.get_by_label("サインイン").click();
    h.run();
    h.get_by_label("開く").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Editor);
    assert!(!h.state().editor.as_ref().unwrap().report.has_errors());

    let mut blank = Harness::builder()
        .with_size(egui::vec2(1920.0, 1080.0))
        .build_eframe(|cc| {
            ikensho_app::app::theme::fonts(&cc.egui_ctx);
            Blank
        });
    blank.run();

    let mut g = c.benchmark_group("app");
    g.bench_function("blank_frame (baseline)", |b| b.iter(|| blank.step()));
    g.bench_function("editor_frame_complete_opinion", |b| b.iter(|| h.step()));
    // The section with the most items (4. 生活機能: rows of choices in columns).
    let form = h.state().editor.as_ref().unwrap().form;
    let largest = (0..form.sections.len())
        .max_by_key(|s| form.sections[*s].items.len())
        .unwrap();
    h.state_mut().editor.as_mut().unwrap().section = largest;
    h.run();
    g.bench_function("editor_frame_largest_section", |b| b.iter(|| h.step()));
    // A keystroke in 特記すべき事項: the edit, validation and the autosave.
    let id = "special-notes";
    h.state_mut().editor.as_mut().unwrap().jump_to(id);
    h.run();
    g.bench_function("editor_frame_with_keystroke", |b| {
        b.iter(|| {
            h.event(egui::Event::Text("あ".into()));
            h.step();
        })
    });
    assert!(!h.state().editor.as_ref().unwrap().dirty);
    g.sample_size(10);
    g.bench_function("start_to_first_frame", |b| {
        b.iter(|| {
            let mut h = harness(dir.path());
            h.step();
            h
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
