//! Review and sign (physicians): a summary, the findings that block, the route (electronic or paper
//! from the municipality's readiness), then the PIN dialog — the reader chosen, the tries left
//! shown, the PIN masked — with progress while the card works on its own thread.

use egui::{RichText, Ui};
use zeroize::Zeroizing;

use super::editor::value_text;
use super::work::{CardInfo, Job};
use super::{IkenshoApp, Intent, Screen, theme};
use crate::card::Pin;
use crate::card::hpki::PinStatus;
use crate::form::validate::{date_of, ids};
use crate::form::{Context, Severity};
use crate::hub::flow::Route;
use crate::i18n::Locales;
use crate::pdf::stored::Copy;
use crate::store::{Action, State};

/// The state of the review screen and its PIN dialog.
#[derive(Default)]
pub struct Review {
    pub route: Option<Result<Route, String>>,
    /// What the paper would not show as typed (before a final print).
    pub print_warnings: Vec<String>,
    pub pin_open: bool,
    pub readers: Vec<String>,
    pub reader: Option<String>,
    pub card: Option<Result<CardInfo, String>>,
    pub checking: bool,
    pub pin: Zeroizing<String>,
    /// The physician has read that few tries are left.
    pub low_ok: bool,
    pub signing: bool,
    /// Why the last signature did not happen.
    pub error: Option<String>,
    /// Give the PIN field the focus (once the card answered).
    focus_pin: bool,
}

impl Review {
    pub(crate) fn readers_done(&mut self, r: Result<Vec<String>, String>) {
        match r {
            Ok(list) => {
                if self.reader.is_none() {
                    self.reader = list.first().cloned();
                }
                self.readers = list;
            }
            Err(e) => self.card = Some(Err(e)),
        }
    }

    pub(crate) fn card_done(&mut self, r: Result<CardInfo, String>) {
        self.checking = false;
        self.focus_pin = r.is_ok();
        self.card = Some(r);
    }

    pub(crate) fn route_done(&mut self, r: Result<Route, String>) {
        self.route = Some(r);
    }

    /// Tries left before the PIN is asked for; `None` while unknown or when the card cannot sign.
    pub fn tries(&self) -> Option<Option<u8>> {
        match &self.card {
            Some(Ok(CardInfo {
                status: PinStatus::TriesLeft(n),
                ..
            })) => Some(Some(*n)),
            Some(Ok(CardInfo {
                status: PinStatus::Verified,
                ..
            })) => Some(None),
            _ => None,
        }
    }
}

impl IkenshoApp {
    pub(crate) fn start_review(&mut self) {
        self.save_editor();
        let Some(ed) = &self.editor else {
            return;
        };
        let Some(session) = self.session.clone() else {
            return;
        };
        self.review = Review::default();
        if let Ok(locales) = Locales::builtin() {
            let d = crate::form::describe::Describer {
                locales,
                lang: self.lang,
                form: ed.form,
            };
            let opts = crate::pdf::PrintOptions {
                print_physician_name: false,
                draft: false,
            };
            self.review.print_warnings = crate::pdf::check(ed.form, &ed.opinion, opts)
                .map(|f| f.iter().map(|f| d.finding(f)).collect())
                .unwrap_or_default();
        }
        match date_of(&ed.opinion, ed.form, ids::WRITTEN_DATE) {
            Some(written) => self.worker.start(
                &session,
                Job::Route {
                    insurer_number: ed.opinion.applicant.insurer_number.clone(),
                    written,
                },
            ),
            None => self.review.route = Some(Err(self.t("app-route-needs-date"))),
        }
        self.screen = Screen::Review;
    }

    pub(crate) fn review_screen(&mut self, ui: &mut Ui) {
        let Some(ed) = &self.editor else {
            return;
        };
        let l = match Locales::builtin() {
            Ok(l) => l,
            Err(_) => return,
        };
        let lang = self.lang;
        ui.heading(self.t("app-review-title"));
        ui.add_space(theme::GAP);
        let mut intents = Vec::new();
        egui::Grid::new("summary")
            .spacing(egui::vec2(theme::GAP * 2.0, theme::GAP * 0.6))
            .show(ui, |ui| {
                for id in [
                    "applicant-name",
                    "applicant-kana",
                    "applicant-birth-date",
                    "applicant-age",
                    "insurer-number",
                    "insured-number",
                    "written-date",
                    "diagnosis-1",
                    "physician-name",
                ] {
                    if let Some(item) = ed.form.item(id) {
                        ui.label(RichText::new(l.text(lang, &item.label_key(), None)).strong());
                        let v = value_text(l, lang, ed.form, item, ed.opinion.value(item));
                        ui.label(if v.is_empty() { "—".to_owned() } else { v });
                        ui.end_row();
                    }
                }
                if let Some(r) = &ed.opinion.request {
                    ui.label(RichText::new(self.t("app-col-request")).strong());
                    ui.label(format!(
                        "{}（{} {}）",
                        r.request_id,
                        self.t("app-col-due"),
                        r.due_date
                    ));
                    ui.end_row();
                }
            });
        ui.separator();
        let errors = ed.report.count(Severity::Error);
        let warnings = ed.report.count(Severity::Warning);
        let pending = ed.marks.iter().filter(|m| m.clerk_pending).count();
        if errors > 0 {
            ui.colored_label(
                theme::ERROR,
                self.t_args("app-review-errors", &[("errors", errors.to_string())]),
            );
            let d = crate::form::describe::Describer {
                locales: l,
                lang,
                form: ed.form,
            };
            for f in ed
                .report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
            {
                if ui
                    .link(format!("{} — {}", d.item_path(&f.item), d.finding(f)))
                    .clicked()
                {
                    intents.push(f.item.clone());
                }
            }
        } else {
            ui.colored_label(
                theme::OK,
                self.t_args("app-review-ok", &[("warnings", warnings.to_string())]),
            );
        }
        if pending > 0 {
            ui.colored_label(
                theme::WARNING,
                self.t_args("app-review-pending", &[("count", pending.to_string())]),
            );
        }
        for w in &self.review.print_warnings {
            ui.colored_label(theme::WARNING, w);
        }
        ui.separator();
        ui.strong(self.t("app-route"));
        let route = self.review.route.clone();
        match &route {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(self.t("app-route-asking"));
                });
            }
            Some(Ok(Route::Electronic { signature_required })) => {
                ui.label(self.t(if *signature_required {
                    "app-route-electronic-signed"
                } else {
                    "app-route-electronic"
                }));
            }
            Some(Ok(Route::Paper { from })) => {
                let from = from
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".to_owned());
                ui.label(self.t_args("app-route-paper", &[("from", from)]));
            }
            Some(Err(m)) => {
                ui.colored_label(theme::WARNING, m);
            }
        }
        ui.add_space(theme::GAP);
        let ready = errors == 0 && pending == 0;
        let physician = self.may(Action::Sign);
        let frozen_ok = ed.state.is_draft() || ed.state == State::Finalised;
        let electronic = matches!(route, Some(Ok(Route::Electronic { .. })));
        let mut sign = false;
        let mut paper = false;
        ui.horizontal_wrapped(|ui| {
            if electronic
                && ui
                    .add_enabled(
                        ready && physician && frozen_ok,
                        egui::Button::new(self.t("app-sign-and-send")),
                    )
                    .clicked()
            {
                sign = true;
            }
            if ui
                .add_enabled(
                    ready && physician && frozen_ok,
                    egui::Button::new(self.t("app-final-print")),
                )
                .clicked()
            {
                paper = true;
            }
            if ui.button(self.t("app-back-to-editor")).clicked() {
                self.screen = Screen::Editor;
            }
        });
        if let Some(item) = intents.into_iter().next() {
            if let Some(ed) = &mut self.editor {
                ed.jump_to(&item);
            }
            self.screen = Screen::Editor;
        }
        if sign {
            self.finalise_then(|app| app.open_pin_dialog());
        }
        if paper {
            self.finalise_then(|app| {
                if let (Some(s), Some(ed)) = (app.session.clone(), &app.editor) {
                    let id = ed.opinion_id;
                    app.worker.start(
                        &s,
                        Job::Print {
                            opinion_id: id,
                            copy: Copy::Final,
                        },
                    );
                    // The preview and the result are of the final copy now.
                    app.paper.waiting = true;
                    app.paper.printed = None;
                    app.paper.sheet = None;
                    app.screen = Screen::Paper;
                }
            });
        }
    }

    /// Finalises the draft (確定) unless it already is, then goes on.
    fn finalise_then(&mut self, then: impl FnOnce(&mut IkenshoApp)) {
        let (Some(s), Some(ed)) = (self.session.clone(), &mut self.editor) else {
            return;
        };
        if ed.state.is_draft() {
            match self
                .store
                .finalise(&s, ed.opinion_id, &Context::today_in_japan())
            {
                Ok(_) => {
                    ed.state = State::Finalised;
                    ed.editable = false;
                }
                Err(e) => return self.store_error(&e),
            }
        }
        then(self);
    }

    fn open_pin_dialog(&mut self) {
        let Some(s) = self.session.clone() else {
            return;
        };
        self.review.pin_open = true;
        self.review.error = None;
        self.review.card = None;
        self.review.low_ok = false;
        self.review.checking = true;
        self.worker.start(&s, Job::Readers);
        self.worker.start(
            &s,
            Job::CardStatus {
                reader: self.review.reader.clone(),
            },
        );
    }

    fn check_card(&mut self) {
        let Some(s) = self.session.clone() else {
            return;
        };
        self.review.checking = true;
        self.worker.start(
            &s,
            Job::CardStatus {
                reader: self.review.reader.clone(),
            },
        );
    }

    /// The PIN dialog, over everything else while it is open.
    pub(crate) fn pin_dialog(&mut self, ctx: &egui::Context) {
        if !self.review.pin_open {
            return;
        }
        let mut cancel = false;
        let mut submit = false;
        let mut recheck = false;
        egui::Modal::new(egui::Id::unique("pin-dialog")).show(ctx, |ui| {
            ui.set_width(theme::FIELD_WIDTH * 1.6);
            ui.heading(self.t("app-pin-title"));
            ui.add_space(theme::GAP);
            // The reader.
            let reader_label = ui.label(self.t("app-pin-reader"));
            let current = self.review.reader.clone().unwrap_or_else(|| "—".to_owned());
            let readers = self.review.readers.clone();
            egui::ComboBox::from_id_salt("reader")
                .selected_text(current)
                .width(theme::FIELD_WIDTH * 1.4)
                .show_ui(ui, |ui| {
                    for r in readers {
                        if ui
                            .selectable_label(self.review.reader.as_deref() == Some(&r), &r)
                            .clicked()
                        {
                            self.review.reader = Some(r);
                            recheck = true;
                        }
                    }
                })
                .response
                .labelled_by(reader_label.id);
            // The card.
            if self.review.checking {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(self.t("app-pin-checking"));
                });
            } else {
                match &self.review.card {
                    Some(Ok(info)) => match info.status {
                        PinStatus::TriesLeft(n) => {
                            let color = if n < 3 { theme::ERROR } else { theme::TEXT };
                            ui.colored_label(
                                color,
                                self.t_args("app-pin-tries", &[("tries", n.to_string())]),
                            );
                        }
                        PinStatus::Verified => {
                            ui.label(self.t("app-pin-verified"));
                        }
                        PinStatus::Blocked => {
                            ui.colored_label(theme::ERROR, self.t("card-blocked"));
                        }
                    },
                    Some(Err(m)) => {
                        ui.colored_label(theme::ERROR, m);
                    }
                    None => {}
                }
                if ui.small_button(self.t("app-pin-recheck")).clicked() {
                    recheck = true;
                }
            }
            let tries = self.review.tries();
            if let Some(Some(n)) = tries
                && n < 3
            {
                let low = self.t_args("app-pin-low", &[("tries", n.to_string())]);
                ui.checkbox(&mut self.review.low_ok, low);
            }
            ui.add_space(theme::GAP);
            let pin_label = ui.label(self.t("app-pin"));
            let pin = ui
                .add_enabled(
                    !self.review.signing,
                    egui::TextEdit::singleline(&mut *self.review.pin)
                        .password(true)
                        .desired_width(theme::FIELD_WIDTH),
                )
                .labelled_by(pin_label.id);
            if std::mem::take(&mut self.review.focus_pin) {
                pin.request_focus();
            }
            let enter = pin.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if let Some(e) = &self.review.error {
                ui.colored_label(theme::ERROR, e);
            }
            let low_needed = matches!(tries, Some(Some(n)) if n < 3);
            let can_sign = tries.is_some()
                && !self.review.pin.is_empty()
                && !self.review.signing
                && (!low_needed || self.review.low_ok);
            ui.add_space(theme::GAP);
            if self.review.signing {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(self.t("app-pin-signing"));
                });
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(can_sign, egui::Button::new(self.t("app-pin-sign")))
                    .clicked()
                    || (enter && can_sign)
                {
                    submit = true;
                }
                if ui
                    .add_enabled(
                        !self.review.signing,
                        egui::Button::new(self.t("app-cancel")),
                    )
                    .clicked()
                {
                    cancel = true;
                }
            });
        });
        if recheck {
            self.check_card();
        }
        if cancel {
            self.review.pin_open = false;
            self.review.pin = Zeroizing::new(String::new());
        }
        if submit {
            self.submit_pin();
        }
    }

    fn submit_pin(&mut self) {
        let (Some(s), Some(ed)) = (self.session.clone(), &self.editor) else {
            return;
        };
        let typed = Zeroizing::new(std::mem::take(&mut *self.review.pin));
        match Pin::new(typed) {
            Ok(pin) => {
                self.review.signing = true;
                self.review.error = None;
                let opinion_id = ed.opinion_id;
                self.worker.start(
                    &s,
                    Job::SignAndQueue {
                        opinion_id,
                        reader: self.review.reader.clone(),
                        pin,
                    },
                );
            }
            Err(e) => self.review.error = Some(super::work::card_text(self.lang, &e)),
        }
    }

    pub(crate) fn signed(&mut self, opinion_id: i64, result: Result<(), String>, pin_wrong: bool) {
        self.review.signing = false;
        match result {
            Ok(()) => {
                self.review.pin_open = false;
                self.notice = Some(self.t("app-signed-queued"));
                self.worker.nudge();
                if let Some(ed) = &mut self.editor
                    && ed.opinion_id == opinion_id
                {
                    ed.state = State::Queued;
                }
                self.push(Intent::Show(Screen::Outbox));
            }
            Err(m) => {
                self.review.error = Some(m);
                self.review.low_ok = false;
                // Show the tries left again; never try the PIN again by ourselves.
                if pin_wrong || self.review.card.is_some() {
                    self.check_card();
                }
            }
        }
    }
}
