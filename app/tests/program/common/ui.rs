//! Driving the desktop program in tests: a demo folder with its simulator, signing in, waiting for
//! background work, opening an opinion by its applicant.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::Path;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ikensho::form::DateInput;
use ikensho::form::opinion::Answer;
use ikensho::i18n::Lang;
use ikensho::store::Store;
use ikensho_app::app::{IkenshoApp, Screen};
use ikensho_app::cli::demo::{Demo, prepare};

pub type H = Harness<'static, IkenshoApp>;

/// A demo folder in `dir` with its simulator running; the harness owns the store.
pub fn open(dir: &Path) -> (H, ikensho_testkit::sim::Simulator) {
    let Demo {
        sim,
        store,
        services,
        made,
    } = prepare(dir).unwrap();
    assert_eq!(made.len(), 3, "the three demo requests become drafts");
    (
        window(store, services, Lang::Ja, egui::vec2(1280.0, 860.0)),
        sim,
    )
}

/// The window on `store` with `services`, in `lang`, on a screen of `size` points.
pub fn window(
    store: Store,
    services: ikensho_app::app::Services,
    lang: Lang,
    size: egui::Vec2,
) -> H {
    Harness::builder()
        .with_size(size)
        .with_max_steps(40)
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| IkenshoApp::new(&cc.egui_ctx, store, lang, services))
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

/// Signs out through the person's menu in the top bar (サインアウト sits in it, out of Tab's way).
pub fn sign_out(h: &mut H) {
    sign_out_in(h, Lang::Ja);
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

/// The demo folder's store with its physician signed in (to read what the window wrote).
pub fn open_as_physician(dir: &Path) -> (Store, ikensho::store::Session) {
    let mut store = open_store(dir);
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    (store, doctor)
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
    written_and_examined_today(&mut op);
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
    wait_until(h, "the route from the hub", |a| {
        a.review.route.is_some() && a.review.laying_out.is_none()
    });
}

/// A demo folder opened in a window of `w`×`h` physical pixels with the text zoomed by `zoom`
/// (saved as the display setting before the window starts, as a clinic would have it) in `lang`.
pub fn open_at(
    dir: &Path,
    w: f32,
    h: f32,
    zoom: f32,
    lang: Lang,
) -> (H, ikensho_testkit::sim::Simulator) {
    let Demo {
        sim,
        mut store,
        services,
        ..
    } = prepare(dir).unwrap();
    let admin = store.sign_in("kanri", "ikensho-demo").unwrap();
    store
        .set_display_settings(&admin, &ikensho::store::DisplaySettings { zoom })
        .unwrap();
    // kittest's screen is in points: the physical window divided by the zoom.
    (
        window(store, services, lang, egui::vec2(w / zoom, h / zoom)),
        sim,
    )
}

fn label(lang: Lang, key: &str) -> String {
    ikensho::i18n::Locales::builtin()
        .unwrap()
        .text(lang, key, None)
}

/// Signs in with the demo password, the labels read in `lang`.
pub fn sign_in_in(h: &mut H, login: &str, lang: Lang) {
    for (role, key, text) in [
        (Role::TextInput, "app-login", login),
        (Role::PasswordInput, "app-password", "ikensho-demo"),
    ] {
        h.get_by_role_and_label(role, &label(lang, key)).focus();
        h.step();
        h.get_by_role_and_label(role, &label(lang, key))
            .type_text(text);
        h.step();
    }
    h.key_press(egui::Key::Enter);
    h.run();
}

pub fn sign_out_in(h: &mut H, lang: Lang) {
    // The person's menu (「佐藤 一郎 さん ▼」), or on a very narrow window the main menu.
    let worklist = label(lang, "app-panel-worklist");
    let menu = format!("≡ {}", label(lang, "app-menu"));
    let person = h.query_by(move |n| {
        n.role() == Role::Button
            && n.label()
                .is_some_and(|l| l.ends_with('▼') && !l.starts_with(worklist.as_str()))
    });
    match person {
        Some(p) => p.click(),
        None => h.get_by_label(&menu).click(),
    }
    h.run();
    h.get_by_label(&label(lang, "app-sign-out")).click();
    h.run();
    assert_eq!(h.state().screen, Screen::SignIn);
}

/// A draft on `version`'s form for a 第2号 applicant called `name`, with every item answered and
/// every conditional item shown. Returns its opinion id.
pub fn full_draft(dir: &Path, version: ikensho::form::FormVersion, name: &str) -> i64 {
    let mut store = open_store(dir);
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    let base = super::second_insured();
    let day = match version {
        ikensho::form::FormVersion::R3 => jiff::civil::date(2026, 3, 20),
        ikensho::form::FormVersion::R8 => today(),
    };
    let mut applicant = base.applicant.clone();
    applicant.name = name.to_owned();
    let draft = store
        .create_opinion(
            &doctor,
            ikensho::store::NewOpinion {
                applicant,
                request: None,
                physician: None,
            },
            day,
        )
        .unwrap();
    let mut op = draft.opinion.clone();
    assert_eq!(op.form_version, version);
    let form = ikensho::form::FormDef::builtin(version).unwrap();
    super::answer_everything(&mut op, form);
    store
        .autosave(&doctor, draft.version_id, draft.revision, &op)
        .unwrap();
    draft.opinion_id
}

/// The demo's 第2号 draft (鈴木 次郎) completed by the physician, with no finding that blocks.
pub fn complete_second_insured(dir: &Path) -> i64 {
    let id = opinion_of(dir, "鈴木 次郎");
    let mut store = open_store(dir);
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    let opened = store.open_opinion(&doctor, id).unwrap();
    let mut op = super::second_insured();
    op.applicant = opened.opinion.applicant.clone();
    op.request = opened.opinion.request.clone();
    written_and_examined_today(&mut op);
    store
        .autosave(&doctor, opened.version.id, opened.version.revision, &op)
        .unwrap();
    id
}

/// The demo's 第2号 draft (鈴木 次郎) completed, finalised and queued with its FHIR document.
pub fn queue_one(dir: &Path) -> i64 {
    use ikensho::hub::fhir::{DocumentIds, document_bytes};
    let id = complete_second_insured(dir);
    let mut store = open_store(dir);
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    let op = store.open_opinion(&doctor, id).unwrap().opinion;
    store
        .finalise(&doctor, id, &ikensho::form::Context::today_in_japan())
        .unwrap();
    let form = ikensho::form::FormDef::builtin(op.form_version).unwrap();
    let doc = document_bytes(
        form,
        &op,
        &DocumentIds::new_now(),
        ikensho::i18n::Locales::builtin().unwrap(),
    );
    store.queue_for_sending(&doctor, id, Some(&doc)).unwrap();
    id
}

/// Scrolls a widget into view, as a person would, then clicks it where it is drawn.
pub fn click_in_view<S>(h: &mut Harness<'_, S>, role: Role, label: &str) {
    h.get_by_role_and_label(role, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(role, label).click();
    h.run();
}

/// Scrolls a field into view, gives it the focus and types `text` into it, as a person would.
pub fn type_into<S>(h: &mut Harness<'_, S>, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(role, label).focus();
    h.step();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

/// 記入日 and 最終診察日 today (as typed earlier on the screen).
pub fn written_and_examined_today(op: &mut ikensho::form::Opinion) {
    let d = DateInput::from_date(today()).unwrap();
    op.answers.insert("written-date", Answer::Date(d.clone()));
    op.answers.insert("last-exam-date", Answer::Date(d));
}

/// The demo's 更新 request for 田中 一郎, copied forward from his paper opinion: the draft's id.
pub fn renewal_draft(store: &Store, session: &ikensho::store::Session) -> i64 {
    store
        .search(session, &ikensho::store::Query::default())
        .unwrap()
        .into_iter()
        .find(|r| r.name == "田中 一郎" && r.state.is_draft())
        .unwrap()
        .id
}

/// A file dialog that answers with the paths given, in order, and keeps what it was asked for:
/// a native dialog cannot be driven without a desktop.
#[derive(Default)]
pub struct ScriptedPicker {
    pub answers: std::sync::Mutex<Vec<std::path::PathBuf>>,
    pub asked: std::sync::Mutex<Vec<(ikensho_app::app::pick::PickKind, String)>>,
}

impl ikensho_app::app::pick::Picker for ScriptedPicker {
    fn pick(
        &self,
        kind: &ikensho_app::app::pick::PickKind,
        title: &str,
    ) -> Option<std::path::PathBuf> {
        self.asked
            .lock()
            .unwrap()
            .push((kind.clone(), title.to_owned()));
        let mut answers = self.answers.lock().unwrap();
        (!answers.is_empty()).then(|| answers.remove(0))
    }
}

/// The window's dialogs answered with `answers`, in order.
pub fn script_picker(
    h: &mut H,
    answers: Vec<std::path::PathBuf>,
) -> std::sync::Arc<ScriptedPicker> {
    let picker = std::sync::Arc::new(ScriptedPicker {
        answers: std::sync::Mutex::new(answers),
        ..ScriptedPicker::default()
    });
    h.state_mut().worker.services.picker = picker.clone();
    picker
}
