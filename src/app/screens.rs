//! The top bar, sign-in, the list of opinions, the editor's frame and 送信状況.

use egui::{RichText, Ui};

use super::editor::EditorIntent;
use super::{IkenshoApp, Intent, Screen, theme};
use crate::store::outbox::Delivery;
use crate::store::{Action, State};

/// A striped table with the program's spacing.
fn table(id: &str) -> egui::Grid {
    egui::Grid::new(id)
        .striped(true)
        .spacing(egui::vec2(theme::GAP * 2.0, theme::GAP))
}

impl IkenshoApp {
    /// The column headings of a table, then the end of the row.
    fn header_row(&self, ui: &mut Ui, keys: &[&str]) {
        for key in keys {
            ui.strong(self.t(key));
        }
        ui.end_row();
    }

    pub(crate) fn top_bar(&mut self, ui: &mut Ui) {
        egui::Panel::top("top").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("ikensho").strong().color(theme::ACCENT));
                ui.separator();
                for (screen, key) in [
                    (Screen::List, "app-nav-list"),
                    (Screen::Outbox, "app-nav-outbox"),
                ] {
                    if ui
                        .selectable_label(self.screen == screen, self.t(key))
                        .clicked()
                    {
                        self.push(Intent::Show(screen));
                    }
                }
                if self.may(Action::Settings)
                    && ui
                        .selectable_label(
                            self.screen == Screen::Settings,
                            self.t("app-nav-settings"),
                        )
                        .clicked()
                {
                    self.push(Intent::Show(Screen::Settings));
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(self.t("app-sign-out")).clicked() {
                        self.push(Intent::SignOut);
                    }
                    let who = self
                        .session
                        .as_ref()
                        .map(|s| s.name().to_owned())
                        .unwrap_or_default();
                    ui.label(self.t_args("app-signed-in-as", &[("name", who)]));
                    ui.separator();
                    if ui.button(self.t("app-lang")).clicked() {
                        self.push(Intent::ToggleLang);
                    }
                    if ui
                        .button("A+")
                        .on_hover_text(self.t("app-zoom-in"))
                        .clicked()
                    {
                        self.push(Intent::Zoom(self.zoom + theme::ZOOM_STEP));
                    }
                    ui.label(format!("{:.0}%", self.zoom * 100.0));
                    if ui
                        .button("A−")
                        .on_hover_text(self.t("app-zoom-out"))
                        .clicked()
                    {
                        self.push(Intent::Zoom(self.zoom - theme::ZOOM_STEP));
                    }
                    ui.label(self.t("app-zoom"));
                });
            });
            self.banners(ui);
        });
    }

    fn banners(&mut self, ui: &mut Ui) {
        if let Some(m) = self.message.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(theme::ERROR, m);
                if ui.small_button(self.t("app-dismiss")).clicked() {
                    self.message = None;
                }
            });
        }
        if let Some(n) = self.notice.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(theme::OK, n);
                if ui.small_button(self.t("app-dismiss")).clicked() {
                    self.notice = None;
                }
            });
        }
    }

    pub(crate) fn sign_in_screen(&mut self, ui: &mut Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(self.t("app-title"));
            ui.add_space(theme::GAP * 2.0);
            let login_label = ui.label(self.t("app-login"));
            ui.add(egui::TextEdit::singleline(&mut self.login).desired_width(theme::FIELD_WIDTH))
                .labelled_by(login_label.id);
            let pw_label = ui.label(self.t("app-password"));
            let pw = ui
                .add(
                    egui::TextEdit::singleline(&mut *self.password)
                        .password(true)
                        .desired_width(theme::FIELD_WIDTH),
                )
                .labelled_by(pw_label.id);
            let enter = pw.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.add_space(theme::GAP);
            if ui.button(self.t("app-sign-in")).clicked() || enter {
                self.push(Intent::SignIn);
            }
            if let Some(m) = &self.message {
                ui.colored_label(theme::ERROR, m);
            }
            ui.add_space(theme::GAP * 2.0);
            if ui.button(self.t("app-lang")).clicked() {
                self.push(Intent::ToggleLang);
            }
        });
    }

    pub(crate) fn list_screen(&mut self, ui: &mut Ui) {
        ui.heading(self.t("app-list-title"));
        ui.horizontal(|ui| {
            let label = ui.label(self.t("app-search"));
            let r = ui
                .add(egui::TextEdit::singleline(&mut self.search).desired_width(theme::FIELD_WIDTH))
                .labelled_by(label.id);
            if r.changed() {
                self.push(Intent::Search);
            }
        });
        ui.add_space(theme::GAP);
        if self.rows.is_empty() {
            ui.colored_label(theme::MUTED, self.t("app-empty"));
            return;
        }
        let may_edit = self.may(Action::Edit);
        let rows = self.rows.clone();
        egui::ScrollArea::vertical().show(ui, |ui| {
            table("opinions").show(ui, |ui| {
                self.header_row(
                    ui,
                    &[
                        "app-col-state",
                        "app-col-name",
                        "app-col-day",
                        "app-col-due",
                        "app-col-request",
                        "app-col-actions",
                    ],
                );
                for row in &rows {
                    let state = self.t(&format!("state-{}", row.state.id()));
                    let color = match row.state {
                        State::Returned => theme::ERROR,
                        State::Accepted | State::Sent => theme::OK,
                        State::AwaitingPhysician => theme::ACCENT,
                        _ => theme::TEXT,
                    };
                    ui.colored_label(color, state);
                    ui.label(&row.name);
                    ui.label(&row.day);
                    ui.label(row.due_date.as_deref().unwrap_or("—"));
                    ui.label(row.request_id.as_deref().unwrap_or("—"));
                    ui.horizontal(|ui| {
                        let open = ui.button(self.t("app-open")).on_hover_text(&row.name);
                        if open.clicked() {
                            self.push(Intent::Open(row.id));
                        }
                        let done =
                            matches!(row.state, State::Accepted | State::Paper | State::Sent);
                        if may_edit && done && ui.button(self.t("app-renew")).clicked() {
                            self.push(Intent::Renew(row.id));
                        }
                        if let Some(note) = &row.note
                            && row.state == State::Returned
                        {
                            ui.colored_label(theme::ERROR, note);
                        }
                    });
                    ui.end_row();
                }
            });
        });
    }

    pub(crate) fn editor_screen(&mut self, ui: &mut Ui) {
        let lang = self.lang;
        let physician = self.may(Action::Sign);
        let clerk = self.session.as_ref().is_some_and(|s| s.is_clerk());
        let mut intents = Vec::new();
        let Some(ed) = self.editor.as_mut() else {
            return;
        };
        egui::Panel::left("sections")
            .default_size(theme::SIDE_WIDTH)
            .show(ui, |ui| {
                ui.add_space(theme::GAP);
                ed.sections_ui(ui, lang);
            });
        egui::Panel::right("findings")
            .default_size(theme::SIDE_WIDTH * 1.2)
            .show(ui, |ui| {
                ui.add_space(theme::GAP);
                ed.findings_ui(ui, lang, physician);
            });
        egui::Panel::bottom("editor-actions").show(ui, |ui| {
            ui.add_space(theme::GAP * 0.5);
            ui.horizontal_wrapped(|ui| {
                let sections = ed.form.sections.len();
                if ui
                    .add_enabled(
                        ed.section > 0,
                        egui::Button::new(super::tr(lang, "app-prev-section")),
                    )
                    .clicked()
                {
                    ed.section -= 1;
                }
                if ui
                    .add_enabled(
                        ed.section + 1 < sections,
                        egui::Button::new(super::tr(lang, "app-next-section")),
                    )
                    .clicked()
                {
                    ed.section += 1;
                }
                ui.separator();
                if ed.editable && clerk {
                    if ui.button(super::tr(lang, "app-hand-over")).clicked() {
                        intents.push(Intent::HandOver);
                    }
                } else if physician {
                    let pending = ed.marks.iter().any(|m| m.clerk_pending);
                    if ed.editable
                        && pending
                        && ui.button(super::tr(lang, "app-review-clerk")).clicked()
                    {
                        intents.push(Intent::Editor(EditorIntent::ReviewClerkItems));
                    }
                    let carried: Vec<String> = ed
                        .marks
                        .iter()
                        .filter(|m| m.origin == Some(crate::store::Origin::Carried))
                        .map(|m| m.item.clone())
                        .collect();
                    if ed.editable
                        && !carried.is_empty()
                        && ui.button(super::tr(lang, "app-confirm-all")).clicked()
                    {
                        intents.push(Intent::Editor(EditorIntent::Confirm(carried)));
                    }
                    if ed.state.is_draft() || ed.state == State::Finalised {
                        if ui.button(super::tr(lang, "app-to-review")).clicked() {
                            intents.push(Intent::Review);
                        }
                    } else if matches!(ed.state, State::Returned)
                        && ui.button(super::tr(lang, "app-reopen")).clicked()
                    {
                        intents.push(Intent::Reopen(ed.opinion_id));
                    }
                }
                if ui.button(super::tr(lang, "app-preview")).clicked() {
                    intents.push(Intent::Show(Screen::Paper));
                }
                if ui.button(super::tr(lang, "app-back-to-list")).clicked() {
                    intents.push(Intent::Show(Screen::List));
                }
            });
            ui.add_space(theme::GAP * 0.5);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.strong(&ed.opinion.applicant.name);
                ui.label(super::tr(lang, &format!("state-{}", ed.state.id())));
                ui.label(format!("v{}", ed.version_number));
                let saved = match (&ed.save_error, ed.dirty, ed.editable) {
                    (Some(e), _, _) => RichText::new(e.clone()).color(theme::ERROR),
                    (None, _, false) => {
                        RichText::new(super::tr(lang, "app-read-only")).color(theme::MUTED)
                    }
                    (None, true, true) => {
                        RichText::new(super::tr(lang, "app-saving")).color(theme::MUTED)
                    }
                    (None, false, true) => {
                        RichText::new(super::tr(lang, "app-saved")).color(theme::OK)
                    }
                };
                ui.label(saved);
            });
            if let Some(note) = &ed.note
                && matches!(
                    ed.state,
                    State::Returned | State::AwaitingPhysician | State::ClerkEntry
                )
            {
                ui.colored_label(
                    theme::ERROR,
                    format!("{}: {note}", super::tr(lang, "app-returned-reason")),
                );
            }
            ui.separator();
            let mut editor_intents = Vec::new();
            egui::ScrollArea::vertical()
                .id_salt(("editor", ed.section))
                .show(ui, |ui| {
                    ed.items_ui(ui, lang, &mut editor_intents);
                    ui.add_space(theme::GAP * 2.0);
                });
            intents.extend(editor_intents.into_iter().map(Intent::Editor));
        });
        for i in intents {
            self.push(i);
        }
    }

    pub(crate) fn outbox_screen(&mut self, ui: &mut Ui) {
        ui.heading(self.t("app-outbox-title"));
        if self.worker.services.hub.is_none() {
            let why = self
                .worker
                .services
                .hub_problem
                .clone()
                .unwrap_or_else(|| self.t("app-hub-not-set"));
            ui.colored_label(theme::WARNING, why);
        }
        ui.add_space(theme::GAP);
        if self.outbox.is_empty() {
            ui.colored_label(theme::MUTED, self.t("app-outbox-empty"));
            return;
        }
        let lines = self.outbox.clone();
        egui::ScrollArea::vertical().show(ui, |ui| {
            table("outbox").show(ui, |ui| {
                self.header_row(
                    ui,
                    &[
                        "app-col-name",
                        "app-col-version",
                        "app-col-delivery",
                        "app-col-receipt",
                        "app-col-state",
                        "app-col-actions",
                    ],
                );
                for line in &lines {
                    let row = &line.row;
                    ui.label(&line.name);
                    ui.label(format!("v{}", line.version_number));
                    let (text, color) = match row.state {
                        Delivery::Waiting if row.attempts == 0 => {
                            (self.t("app-delivery-waiting"), theme::MUTED)
                        }
                        Delivery::Waiting => (
                            self.t_args(
                                "app-delivery-retrying",
                                &[
                                    ("at", local_time(&row.next_attempt_at)),
                                    ("attempts", row.attempts.to_string()),
                                    ("error", row.last_error.clone().unwrap_or_default()),
                                ],
                            ),
                            theme::WARNING,
                        ),
                        Delivery::Sending => (self.t("app-delivery-sending"), theme::ACCENT),
                        Delivery::Received => (self.t("app-delivery-received"), theme::OK),
                        Delivery::Failed => (
                            self.t_args(
                                "app-delivery-failed",
                                &[("error", row.last_error.clone().unwrap_or_default())],
                            ),
                            theme::ERROR,
                        ),
                    };
                    ui.colored_label(color, text);
                    ui.label(row.receipt_id.as_deref().unwrap_or("—"));
                    let state = line
                        .opinion_state
                        .map(|s| self.t(&format!("state-{}", s.id())))
                        .unwrap_or_default();
                    ui.vertical(|ui| {
                        ui.add(egui::Label::new(state).wrap_mode(egui::TextWrapMode::Extend));
                        if let Some(note) = &line.note
                            && line.opinion_state != Some(State::Accepted)
                        {
                            ui.colored_label(theme::ERROR, note);
                        }
                    });
                    ui.horizontal(|ui| {
                        if ui.button(self.t("app-open")).clicked() {
                            self.push(Intent::Open(row.opinion_id));
                        }
                        if row.state == Delivery::Failed
                            && line.opinion_state == Some(State::Finalised)
                            && self.may(Action::Edit)
                            && ui.button(self.t("app-reopen")).clicked()
                        {
                            self.push(Intent::Reopen(row.opinion_id));
                        }
                    });
                    ui.end_row();
                }
            });
        });
        ui.add_space(theme::GAP);
        ui.colored_label(theme::MUTED, self.t("app-outbox-help"));
    }
}

/// A stored timestamp as local Japanese time (HH:MM:SS), or as stored when unreadable.
fn local_time(ts: &str) -> String {
    ts.parse::<jiff::Timestamp>()
        .map(|t| {
            t.to_zoned(crate::form::wareki::japan())
                .strftime("%m/%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| ts.to_owned())
}
