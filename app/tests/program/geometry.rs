//! What a person can see and reach, not only what AccessKit can find: every section of both forms
//! with every conditional item shown, at a small window with the text enlarged, a usual one and a
//! large one, in Japanese and in English. Tab goes round each screen; every widget it reaches must
//! lie wholly inside the visible area of its panel at that moment (egui's clipped interaction
//! rectangle equals the widget's rectangle), and every choice and field of the form must be among
//! them, in reading order. The same for review, 送信状況, 設定, the list and sign-in.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use crate::common;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use ikensho::form::def::{Field, ItemKind};
use ikensho::form::opinion::ValueRef;
use ikensho::form::validate::shown_items;
use ikensho::form::{FormDef, FormVersion, Opinion};
use ikensho::i18n::{Lang, Locales};
use ikensho_app::app::{Intent, Screen};

use common::ui::*;

/// One widget the keyboard focus reached.
#[derive(Debug, Clone)]
struct Visit {
    role: Role,
    label: String,
    rect: egui::Rect,
    /// The part of `rect` inside the clip rectangle of its panel (egui's interact rectangle).
    visible: egui::Rect,
}

impl Visit {
    fn fully_visible(&self, screen: egui::Rect) -> bool {
        let tol = 0.5;
        (self.rect.min - self.visible.min).length() <= tol
            && (self.rect.max - self.visible.max).length() <= tol
            && screen.expand(tol).contains_rect(self.rect)
    }
}

/// Presses Tab from nothing focused until the focus comes round again (or `limit` presses), and
/// records every widget it reached.
fn tab_round<S>(h: &mut egui_kittest::Harness<'_, S>, limit: usize) -> Vec<Visit> {
    h.ctx
        .memory_mut(|m| m.surrender_focus(m.focused().unwrap_or(egui::Id::NULL)));
    h.run_steps(2);
    let mut visits = Vec::new();
    let mut first = None;
    for _ in 0..limit {
        h.key_press(egui::Key::Tab);
        h.run_steps(3);
        let Some(id) = h.ctx.memory(|m| m.focused()) else {
            continue;
        };
        if first == Some(id) {
            break;
        }
        first.get_or_insert(id);
        let Some(resp) = h.ctx.read_response(id) else {
            continue;
        };
        let node = h.query_by(move |n| n.locate().0 == id.accesskit_id());
        let (role, label) = node
            .map(|n| {
                let a = n.accesskit_node();
                (a.role(), a.label().unwrap_or_default())
            })
            .unwrap_or((Role::Unknown, String::new()));
        visits.push(Visit {
            role,
            label,
            rect: resp.rect,
            visible: resp.interact_rect,
        });
    }
    visits
}

/// Problems: widgets the focus reached that were not wholly visible, and buttons and choices
/// whose words were broken into a column (taller than three lines).
fn hidden(visits: &[Visit], screen: egui::Rect, what: &str) -> Vec<String> {
    let mut out: Vec<String> = visits
        .iter()
        .filter(|v| !v.fully_visible(screen))
        .map(|v| {
            format!(
                "{what}: {:?} 「{}」 at {:?} is only visible in {:?}",
                v.role, v.label, v.rect, v.visible
            )
        })
        .collect();
    out.extend(
        visits
            .iter()
            .filter(|v| {
                matches!(v.role, Role::Button | Role::CheckBox | Role::RadioButton)
                    && v.rect.height() > 3.0 * 32.0
            })
            .map(|v| {
                format!(
                    "{what}: {:?} 「{}」 is broken into a column at {:?}",
                    v.role, v.label, v.rect
                )
            }),
    );
    out
}

/// Problems: expected widgets (role, label) that Tab did not reach in this order.
fn missing(visits: &[Visit], expected: &[(Role, String)], what: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    for (role, label) in expected {
        match visits[at..]
            .iter()
            .position(|v| v.role == *role && v.label == *label)
        {
            Some(k) => at += k + 1,
            None => out.push(format!(
                "{what}: Tab never reached {role:?} 「{label}」 (in reading order)"
            )),
        }
    }
    out
}

fn text(lang: Lang, key: &str) -> String {
    Locales::builtin().unwrap().text(lang, key, None)
}

/// The widgets the editor must offer for the items of `section`, in reading order.
fn expected(form: &FormDef, op: &Opinion, section: usize, lang: Lang) -> Vec<(Role, String)> {
    let shown = shown_items(op, form);
    let mut out = Vec::new();
    for i in form.sections[section].items.clone() {
        let item = &form.items[i];
        if !shown[i] || item.kind == ItemKind::Note || item.kind == ItemKind::GregorianDate {
            continue;
        }
        if matches!(item.bind, Some(Field::RequestId | Field::ApplicationKind)) {
            continue;
        }
        let label = text(lang, &item.label_key());
        let choice = |c: &str| text(lang, &item.choice_label_key(c));
        match item.kind {
            ItemKind::Text | ItemKind::Number | ItemKind::Identifier => {
                out.push((Role::TextInput, label))
            }
            ItemKind::Multiline => out.push((Role::MultilineTextInput, label)),
            ItemKind::Single => {
                out.extend(item.choices.iter().map(|c| (Role::RadioButton, choice(c))))
            }
            ItemKind::ReiwaDate => out.extend((0..3).map(|_| (Role::TextInput, label.clone()))),
            ItemKind::WarekiDate | ItemKind::OnsetDate => {
                out.push((Role::ComboBox, label.clone()));
                out.extend((0..3).map(|_| (Role::TextInput, label.clone())));
            }
            ItemKind::Flag => out.push((Role::CheckBox, label)),
            ItemKind::Multi => {
                let selected: Vec<String> = match op.value(item) {
                    ValueRef::List(l) => l.to_vec(),
                    ValueRef::Marked(m) => m.selected.clone(),
                    _ => Vec::new(),
                };
                for c in &item.choices {
                    out.push((Role::CheckBox, choice(c)));
                    if item.emphasis && selected.contains(c) {
                        out.push((Role::CheckBox, text(lang, "app-emphasis")));
                    }
                }
            }
            ItemKind::TextList => {
                if let ValueRef::List(l) = op.value(item) {
                    for _ in l {
                        out.push((Role::TextInput, label.clone()));
                        out.push((Role::Button, text(lang, "app-remove")));
                    }
                }
                out.push((Role::Button, text(lang, "app-add")));
            }
            ItemKind::Note | ItemKind::GregorianDate => {}
        }
    }
    out
}

/// A window: its size in physical pixels, the zoom, the language.
#[derive(Debug, Clone, Copy)]
struct View {
    w: f32,
    h: f32,
    zoom: f32,
    lang: Lang,
}

impl View {
    fn screen(&self) -> egui::Rect {
        egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(self.w / self.zoom, self.h / self.zoom),
        )
    }
}

/// Every screen a physician and an administrator use, at `view`.
fn every_screen_fits(view: View) {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _sim) = open_at(dir.path(), view.w, view.h, view.zoom, view.lang);
    let r8 = full_draft(dir.path(), FormVersion::R8, "幾何 八郎");
    let r3 = full_draft(dir.path(), FormVersion::R3, "幾何 三郎");
    let queued = queue_one(dir.path());
    h.run();
    let screen = view.screen();
    let mut problems = Vec::new();

    let visits = tab_round(&mut h, 60);
    problems.extend(hidden(&visits, screen, "sign-in"));
    sign_in_in(&mut h, "sato", view.lang);
    assert_eq!(h.state().screen, Screen::List);
    // The delivery loop sends the queued opinion and refreshes the list: let it settle first.
    wait_until(&mut h, "the queued opinion sent", |a| {
        a.rows
            .iter()
            .any(|r| r.id == queued && r.state != ikensho::store::State::Queued)
    });
    let visits = tab_round(&mut h, 200);
    problems.extend(hidden(&visits, screen, "list"));

    for (id, version) in [(r8, FormVersion::R8), (r3, FormVersion::R3)] {
        h.state_mut().request(Intent::Open(id));
        h.run();
        assert_eq!(h.state().screen, Screen::Editor);
        let form = FormDef::builtin(version).unwrap();
        for s in 0..form.sections.len() {
            h.state_mut().editor.as_mut().unwrap().section = s;
            h.run_steps(3);
            let what = format!(
                "{version:?} {}",
                text(view.lang, &form.sections[s].label_key())
            );
            let visits = tab_round(&mut h, 400);
            let op = h.state().editor.as_ref().unwrap().opinion.clone();
            problems.extend(hidden(&visits, screen, &what));
            problems.extend(missing(&visits, &expected(form, &op, s, view.lang), &what));
        }
    }

    // 確認と署名 of the R8 opinion, its 特記 over the box so that the continuation sheet waits
    // to be accepted: every button and the acceptance reached and visible.
    h.state_mut().request(Intent::Open(r8));
    h.run();
    h.state_mut()
        .editor
        .as_mut()
        .unwrap()
        .opinion
        .answers
        .insert(
            "special-notes",
            ikensho::form::Answer::Text(common::notes_over_the_box()),
        );
    h.state_mut().request(Intent::Review);
    h.run_steps(3);
    wait_until(&mut h, "the route", |a| {
        a.review.route.is_some() && a.review.laying_out.is_none()
    });
    assert!(!h.state().review.continuation.is_empty());
    let visits = tab_round(&mut h, 300);
    problems.extend(hidden(&visits, screen, "review"));
    problems.extend(missing(
        &visits,
        &[
            (
                Role::CheckBox,
                text(view.lang, "app-review-allow-continuation"),
            ),
            (Role::Button, text(view.lang, "app-back-to-editor")),
        ],
        "review",
    ));

    // 送信状況 with the queued opinion.
    h.state_mut().request(Intent::Show(Screen::Outbox));
    h.run();
    wait_until(&mut h, "the queued opinion", |a| !a.outbox.is_empty());
    let visits = tab_round(&mut h, 100);
    problems.extend(hidden(&visits, screen, "outbox"));
    problems.extend(missing(
        &visits,
        &[(Role::Button, text(view.lang, "app-open"))],
        "outbox",
    ));

    // 設定, as the administrator.
    sign_out_in(&mut h, view.lang);
    sign_in_in(&mut h, "kanri", view.lang);
    h.state_mut().request(Intent::Show(Screen::Settings));
    h.run();
    let visits = tab_round(&mut h, 200);
    problems.extend(hidden(&visits, screen, "settings"));
    problems.extend(missing(
        &visits,
        &[
            (Role::Button, text(view.lang, "app-save")),
            (Role::Button, text(view.lang, "app-add-person")),
            (Role::Button, text(view.lang, "app-import")),
            (Role::Button, text(view.lang, "app-conn-test")),
            (Role::Button, text(view.lang, "app-card-test")),
            (Role::Button, text(view.lang, "app-backup-folder-use")),
            (Role::Button, text(view.lang, "app-backup")),
        ],
        "settings",
    ));

    // The set-up guide, each part in turn, with its way on.
    let admin = h.state().session.clone().unwrap();
    h.state_mut().start_guide(admin);
    h.run();
    for step in 0..=ikensho_app::app::settings::Section::ALL.len() {
        h.state_mut().guide.step = step;
        h.run_steps(3);
        let what = format!("guide {}", step + 1);
        let visits = tab_round(&mut h, 200);
        problems.extend(hidden(&visits, screen, &what));
        let way_on = if step < ikensho_app::app::settings::Section::ALL.len() {
            vec![
                (Role::Button, text(view.lang, "app-guide-later")),
                (Role::Button, text(view.lang, "app-guide-next")),
            ]
        } else {
            vec![(Role::Button, text(view.lang, "app-guide-finish"))]
        };
        problems.extend(missing(&visits, &way_on, &what));
    }

    // The first start on an empty folder: every field and the button reached and visible.
    problems.extend(first_start_fits(&view));

    assert!(
        problems.is_empty(),
        "{} problems at {view:?}:\n{}",
        problems.len(),
        problems
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The first start's screen at `view`'s size (in points, as the zoom would make it).
fn first_start_fits(view: &View) -> Vec<String> {
    use ikensho_app::app::first_run::{FirstRun, Place};
    let mut problems = Vec::new();
    for place in [Place::ThisPc, Place::Server] {
        let dir = tempfile::tempdir().unwrap();
        let mut first = FirstRun::new(
            dir.path().join("ikensho.sqlite"),
            ikensho::store::atrest::Keeping::KeyFolder(dir.path().join("keys")),
            view.lang,
            Box::new(|_| unreachable!("nothing is made here")),
        );
        first.place = place;
        let mut h = egui_kittest::Harness::builder()
            .with_size(egui::vec2(view.w / view.zoom, view.h / view.zoom))
            .with_max_steps(40)
            .with_theme(egui::Theme::Light)
            .build_eframe(move |cc| ikensho_app::app::lock::Root::setup(&cc.egui_ctx, first));
        h.run();
        let visits = tab_round(&mut h, 60);
        let (what, expected) = match place {
            Place::ThisPc => (
                "first start",
                vec![
                    (Role::TextInput, text(view.lang, "app-login")),
                    (Role::TextInput, text(view.lang, "app-person-name")),
                    (Role::PasswordInput, text(view.lang, "app-password")),
                    (
                        Role::PasswordInput,
                        text(view.lang, "app-first-password-again"),
                    ),
                    (Role::Button, text(view.lang, "app-first-make")),
                ],
            ),
            Place::Server => (
                "first start on the clinic server",
                vec![
                    (Role::TextInput, text(view.lang, "app-first-server-url")),
                    (Role::TextInput, text(view.lang, "app-first-server-ca")),
                    (
                        Role::Button,
                        format!(
                            "{} — {}",
                            text(view.lang, "app-choose"),
                            text(view.lang, "app-first-server-ca")
                        ),
                    ),
                    (Role::PasswordInput, text(view.lang, "app-server-password")),
                    (Role::Button, text(view.lang, "app-first-connect")),
                ],
            ),
        };
        problems.extend(hidden(&visits, view.screen(), what));
        problems.extend(missing(&visits, &expected, what));
    }
    problems
}

const SMALL: (f32, f32, f32) = (1024.0, 700.0, 1.5);
/// The largest zoom offered, on the small window.
const SMALL_LARGEST: (f32, f32, f32) = (1024.0, 700.0, 2.0);
const USUAL: (f32, f32, f32) = (1280.0, 800.0, 1.0);
const LARGE: (f32, f32, f32) = (1920.0, 1080.0, 1.0);

fn at(size: (f32, f32, f32), lang: Lang) {
    every_screen_fits(View {
        w: size.0,
        h: size.1,
        zoom: size.2,
        lang,
    });
}

#[test]
fn small_window_enlarged_text_japanese() {
    at(SMALL, Lang::Ja);
}

#[test]
fn small_window_enlarged_text_english() {
    at(SMALL, Lang::En);
}

#[test]
fn small_window_largest_text_japanese() {
    at(SMALL_LARGEST, Lang::Ja);
}

#[test]
fn usual_window_japanese() {
    at(USUAL, Lang::Ja);
}

#[test]
fn usual_window_english() {
    at(USUAL, Lang::En);
}

#[test]
fn large_window_japanese() {
    at(LARGE, Lang::Ja);
}

#[test]
fn large_window_english() {
    at(LARGE, Lang::En);
}
