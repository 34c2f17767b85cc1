//! The top bar, sign-in, the list of opinions, the editor's frame and 送信状況. Every screen fits
//! the window it is given: panels fold away when the form needs the room, tables become stacked
//! rows when their columns do not fit, and the actions sit in bars that do not scroll away.

use egui::{Align, Layout, RichText, Ui};

use super::problem::Problem;
use super::{IkenshoApp, Intent, Screen, theme, widgets};
use crate::store::outbox::Delivery;
use crate::store::{Action, State};

/// A striped table with the program's spacing.
fn table(id: &str) -> egui::Grid {
    egui::Grid::new(id)
        .striped(true)
        .spacing(egui::vec2(theme::GAP * 2.0, theme::GAP))
}

/// Below this width (points) the list and 送信状況 show each row as a block of its own.
const TABLE_MIN: f32 = 1100.0;

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
            let nav = self.nav_items();
            let name = self
                .session
                .as_ref()
                .map(|s| s.name().to_owned())
                .unwrap_or_default();
            let account = self.t_args("app-account", &[("name", name)]);
            let lang = self.t("app-lang");
            let zoom_label = self.t("app-zoom");
            let menu = format!("≡ {}", self.t("app-menu"));
            let gap = ui.spacing().item_spacing.x;
            let bw = |t: &str| widgets::button_width(ui, t) + gap;
            let zoom_w = bw("A−") + bw("A+") + widgets::text_width(ui, "200%") + gap * 2.0;
            let person_w = bw(&lang) + bw(&account) + gap * 2.0;
            let nav_w: f32 = nav.iter().map(|(_, t)| bw(t)).sum::<f32>()
                + widgets::text_width(ui, "ikensho")
                + gap * 2.0;
            let avail = ui.available_width();
            // As much as fits, the zoom always: the places, then the person, fold into a menu.
            let tier = if avail >= nav_w + person_w + zoom_w + bw(&zoom_label) {
                Tier::Full
            } else if avail >= nav_w + person_w + zoom_w {
                Tier::NoZoomLabel
            } else if avail >= bw(&menu) + person_w + zoom_w {
                Tier::PlacesInMenu
            } else {
                Tier::AllInMenu
            };
            ui.horizontal(|ui| {
                if matches!(tier, Tier::Full | Tier::NoZoomLabel) {
                    ui.label(RichText::new("ikensho").strong().color(theme::ACCENT));
                    ui.separator();
                    for (screen, text) in &nav {
                        if ui.selectable_label(self.screen == *screen, text).clicked() {
                            self.push(Intent::Show(*screen));
                        }
                    }
                } else {
                    ui.menu_button(menu.as_str(), |ui| {
                        for (screen, text) in &nav {
                            if ui.selectable_label(self.screen == *screen, text).clicked() {
                                self.push(Intent::Show(*screen));
                                ui.close();
                            }
                        }
                        if tier == Tier::AllInMenu {
                            ui.separator();
                            if ui.button(lang.as_str()).clicked() {
                                self.push(Intent::ToggleLang);
                                ui.close();
                            }
                            if ui.button(self.t("app-sign-out")).clicked() {
                                self.push(Intent::SignOut);
                                ui.close();
                            }
                            if ui.button(self.t("app-about")).clicked() {
                                self.push(Intent::About(true));
                                ui.close();
                            }
                        }
                    });
                }
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    // The zoom at the far right, drawn first: A+ and A− never move.
                    if ui
                        .button("A+")
                        .on_hover_text(self.t("app-zoom-in"))
                        .clicked()
                    {
                        self.push(Intent::Zoom(self.zoom + theme::ZOOM_STEP));
                    }
                    let percent = format!("{:.0}%", self.zoom * 100.0);
                    ui.add_sized(
                        [
                            widgets::text_width(ui, "200%"),
                            ui.spacing().interact_size.y,
                        ],
                        egui::Label::new(percent),
                    );
                    if ui
                        .button("A−")
                        .on_hover_text(self.t("app-zoom-out"))
                        .clicked()
                    {
                        self.push(Intent::Zoom(self.zoom - theme::ZOOM_STEP));
                    }
                    if tier == Tier::Full {
                        ui.label(zoom_label.as_str());
                    }
                    if tier != Tier::AllInMenu {
                        ui.separator();
                        if ui.button(lang.as_str()).clicked() {
                            self.push(Intent::ToggleLang);
                        }
                        // Sign-out sits in the person's menu: Tab cannot reach it by accident.
                        ui.menu_button(account.as_str(), |ui| {
                            if ui.button(self.t("app-sign-out")).clicked() {
                                self.push(Intent::SignOut);
                                ui.close();
                            }
                            if ui.button(self.t("app-about")).clicked() {
                                self.push(Intent::About(true));
                                ui.close();
                            }
                        });
                    }
                });
            });
            self.banners(ui);
        });
    }

    /// The places of the top bar this person may go to.
    fn nav_items(&self) -> Vec<(Screen, String)> {
        let mut v = Vec::new();
        if self.may(Action::Open) {
            v.push((Screen::List, self.t("app-nav-list")));
            v.push((Screen::Outbox, self.t("app-nav-outbox")));
        }
        if self.may(Action::Settings) {
            v.push((Screen::Settings, self.t("app-nav-settings")));
        }
        v
    }

    fn banners(&mut self, ui: &mut Ui) {
        if let Some(m) = &self.message {
            let text = m.text(self.lang);
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(theme::ERROR, text);
                if ui.small_button(self.t("app-dismiss")).clicked() {
                    self.push(Intent::Dismiss);
                }
            });
        }
        if let Some(n) = &self.notice {
            let text = n.text(self.lang);
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(theme::OK, text);
                if ui.small_button(self.t("app-dismiss")).clicked() {
                    self.push(Intent::DismissNotice);
                }
            });
        }
    }

    pub(crate) fn sign_in_screen(&mut self, ui: &mut Ui) {
        widgets::scrolled(ui, "sign-in", |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space((ui.available_height() * 0.1).clamp(theme::GAP, 60.0));
                ui.heading(self.t("app-title"));
                ui.add_space(theme::GAP * 2.0);
                let width = theme::FIELD_WIDTH.min(ui.available_width());
                let login_label = ui.label(self.t("app-login"));
                let login = ui
                    .add(egui::TextEdit::singleline(&mut self.login).desired_width(width))
                    .labelled_by(login_label.id);
                // The first keys typed go into ログインID.
                if std::mem::take(&mut self.focus_login) {
                    login.request_focus();
                }
                let pw_label = ui.label(self.t("app-password"));
                let pw = widgets::secret_field(
                    ui,
                    &mut self.password,
                    egui::Id::unique("sign-in-password"),
                    width,
                )
                .labelled_by(pw_label.id);
                let enter = pw.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.add_space(theme::GAP);
                if ui.button(self.t("app-sign-in")).clicked() || enter {
                    self.push(Intent::SignIn);
                }
                if let Some(m) = &self.message {
                    ui.colored_label(theme::ERROR, m.text(self.lang));
                }
                if let Some(n) = &self.notice {
                    ui.colored_label(theme::OK, n.text(self.lang));
                }
                ui.add_space(theme::GAP * 2.0);
                if ui.button(self.t("app-lang")).clicked() {
                    self.push(Intent::ToggleLang);
                }
            });
        });
    }

    pub(crate) fn list_screen(&mut self, ui: &mut Ui) {
        ui.heading(self.t("app-list-title"));
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(self.t("app-search"));
            let w = theme::FIELD_WIDTH.min(ui.available_width());
            let r = ui
                .add(egui::TextEdit::singleline(&mut self.search).desired_width(w))
                .labelled_by(label.id);
            if r.changed() {
                self.push(Intent::Search);
            }
            // An opinion asked for on paper (no request from the hub): the applicant is typed in
            // the editor.
            if self.may(Action::Edit) && ui.button(self.t("app-new-opinion")).clicked() {
                self.push(Intent::NewOpinion);
            }
        });
        ui.add_space(theme::GAP);
        if self.rows.is_empty() {
            ui.colored_label(theme::MUTED, self.t("app-empty"));
            return;
        }
        let may_edit = self.may(Action::Edit);
        let wide = ui.available_width() >= TABLE_MIN;
        let today = crate::form::Context::today_in_japan().today.to_string();
        let mut intents = Vec::new();
        let rows = &self.rows;
        let holders = &self.holders;
        let lang = self.lang;
        let t = |k: &str| super::tr(self.lang, k);
        widgets::scrolled(ui, "list", |ui| {
            // `cells`: a table row (the actions share one cell) or a stacked block (every part
            // flows on its own, so the buttons wrap to the next line instead of leaving the panel).
            let mut row_ui = |ui: &mut Ui, row: &crate::store::OpinionInfo, cells: bool| {
                let state = t(&format!("state-{}", row.state.id()));
                let color = match row.state {
                    State::Returned => theme::ERROR,
                    State::Accepted | State::Sent => theme::OK,
                    State::AwaitingPhysician => theme::ACCENT,
                    _ => theme::TEXT,
                };
                let overdue = row.state.is_draft()
                    && row.due_date.as_deref().is_some_and(|d| d < today.as_str());
                ui.colored_label(color, state);
                ui.label(RichText::new(&row.name).strong());
                let kind = row
                    .application_kind
                    .as_deref()
                    .map(|k| t(&format!("choice-application-kind-{k}")))
                    .unwrap_or_else(|| "—".to_owned());
                ui.label(kind);
                ui.label(&row.day);
                let due = row.due_date.as_deref().unwrap_or("—");
                if overdue {
                    ui.label(
                        RichText::new(format!("{due} {}", t("app-overdue")))
                            .color(theme::ERROR)
                            .strong(),
                    );
                } else {
                    ui.label(due);
                }
                ui.label(row.request_id.as_deref().unwrap_or("—"));
                let actions = |ui: &mut Ui| {
                    let open = ui.button(t("app-open")).on_hover_text(&row.name);
                    if open.clicked() {
                        intents.push(Intent::Open(row.id));
                    }
                    let done = matches!(row.state, State::Accepted | State::Paper | State::Sent);
                    if may_edit && done && ui.button(t("app-renew")).clicked() {
                        intents.push(Intent::Renew(row.id));
                    }
                    // The municipality's reason, on the returned opinion and on the new version
                    // made from it until that is sent.
                    if let Some(note) = &row.note
                        && (row.state == State::Returned || row.state.is_draft())
                    {
                        // Cut to the cell in the table (whole on hover and in the editor).
                        let text = RichText::new(format!("{}: {note}", t("app-returned-reason")))
                            .color(theme::ERROR);
                        ui.scope(|ui| {
                            ui.set_max_width(REASON_WIDTH);
                            ui.add(egui::Label::new(text).truncate())
                                .on_hover_text(note);
                        });
                    }
                    let open_elsewhere: Vec<_> =
                        holders.iter().filter(|h| h.opinion_id == row.id).collect();
                    if !open_elsewhere.is_empty() {
                        ui.colored_label(
                            theme::ACCENT,
                            format!("● {}", super::together::held_by(lang, &open_elsewhere)),
                        );
                    }
                };
                action_cell(ui, cells, actions);
            };
            if wide {
                table("opinions").show(ui, |ui| {
                    self.header_row(
                        ui,
                        &[
                            "app-col-state",
                            "app-col-name",
                            "app-col-kind",
                            "app-col-day",
                            "app-col-due",
                            "app-col-request",
                            "app-col-actions",
                        ],
                    );
                    for row in rows {
                        row_ui(ui, row, true);
                        ui.end_row();
                    }
                });
            } else {
                for row in rows {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal_wrapped(|ui| row_ui(ui, row, false));
                    });
                }
            }
        });
        for i in intents {
            self.push(i);
        }
    }

    pub(crate) fn editor_screen(&mut self, ui: &mut Ui) {
        let lang = self.lang;
        let physician = self.may(Action::Sign);
        let width = ui.available_width();
        // The form comes first: the side panels fold away when it would get less than its room.
        let show_sections = self
            .panels
            .sections
            .unwrap_or(width >= theme::EDITOR_MIN + theme::SECTIONS_WIDTH);
        let show_worklist = self
            .panels
            .worklist
            .unwrap_or(width >= theme::EDITOR_MIN + theme::SECTIONS_WIDTH + theme::WORKLIST_WIDTH);
        let mut intents = Vec::new();
        let mut editor_intents = Vec::new();
        egui::Panel::bottom("editor-actions").show(ui, |ui| {
            ui.add_space(theme::GAP * 0.5);
            self.editor_actions(ui, &mut intents, show_sections);
            ui.add_space(theme::GAP * 0.5);
        });
        let Some(ed) = self.editor.as_mut() else {
            return;
        };
        // What is left to look at, worked out once a frame.
        let list = ed.worklist(physician);
        let side = |default: f32| {
            let max = (width * theme::SIDE_SHARE * 1.4).max(180.0);
            (default.min(width * theme::SIDE_SHARE).max(160.0), max)
        };
        if show_sections {
            let (default, max) = side(theme::SECTIONS_WIDTH);
            egui::Panel::left("sections")
                .resizable(true)
                .default_size(default)
                .size_range(150.0..=max)
                .show(ui, |ui| {
                    ui.add_space(theme::GAP);
                    widgets::scrolled(ui, "sections", |ui| ed.sections_ui(ui, lang));
                });
        }
        if show_worklist {
            let (default, max) = side(theme::WORKLIST_WIDTH);
            egui::Panel::right("worklist")
                .resizable(true)
                .default_size(default)
                .size_range(170.0..=max)
                .show(ui, |ui| {
                    ui.add_space(theme::GAP);
                    ed.worklist_ui(ui, lang, physician, &list, &mut editor_intents);
                });
        }
        let mut toggle = (false, false);
        egui::CentralPanel::default().show(ui, |ui| {
            if !show_sections {
                // Without the section list: the sections in one row with the picker.
                ui.horizontal(|ui| {
                    section_steps(ui, ed, lang, |ui, ed| ed.section_picker(ui, lang));
                });
            }
            ui.horizontal_wrapped(|ui| {
                ui.strong(&ed.opinion.applicant.name);
                if width >= theme::EDITOR_MIN {
                    ui.label(super::tr(lang, &format!("state-{}", ed.state.id())));
                    ui.label(format!("v{}", ed.version_number));
                }
                let saved = match (&ed.save_error, ed.dirty, ed.editable) {
                    (Some(_), _, _) if ed.conflict.is_some() => {
                        RichText::new(super::tr(lang, "app-conflict-short")).color(theme::ERROR)
                    }
                    (None, false, true) if ed.kept_locally => {
                        RichText::new(super::tr(lang, "app-kept-locally")).color(theme::ERROR)
                    }
                    (Some(e), _, _) => RichText::new(e.text(lang)).color(theme::ERROR),
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
                ui.separator();
                // The side panels, shown or folded away by the person; the section list only
                // where there is room for it (else the picker below stands in for it).
                if show_sections || width >= theme::EDITOR_MIN + theme::SECTIONS_WIDTH {
                    let sections = format!(
                        "{} {}",
                        if show_sections { "◀" } else { "▶" },
                        super::tr(lang, "app-panel-sections")
                    );
                    if ui
                        .add(egui::Button::new(sections).selected(show_sections))
                        .clicked()
                    {
                        toggle.0 = true;
                    }
                }
                let total = list.len();
                let worklist = super::tr_args(
                    lang,
                    "app-panel-worklist-count",
                    &[("count", total.to_string())],
                );
                if show_worklist || width >= theme::EDITOR_MIN + theme::WORKLIST_WIDTH {
                    if ui
                        .add(
                            egui::Button::new(format!(
                                "{worklist} {}",
                                if show_worklist { "▶" } else { "◀" }
                            ))
                            .selected(show_worklist),
                        )
                        .on_hover_ui(|ui| {
                            ui.label(super::editor::Editor::worklist_summary(
                                lang, physician, &list,
                            ));
                        })
                        .clicked()
                    {
                        toggle.1 = true;
                    }
                } else {
                    // A narrow window: the worklist opens over the form.
                    ui.menu_button(format!("{worklist} ▼"), |ui| {
                        ui.set_width(theme::WORKLIST_WIDTH.min(width * 0.9));
                        ui.set_max_height(ui.ctx().content_rect().height() * 0.7);
                        ed.worklist_ui(ui, lang, physician, &list, &mut editor_intents);
                    });
                }
                let next_key = if width >= theme::EDITOR_MIN {
                    "app-next-attention"
                } else {
                    "app-next-attention-short"
                };
                if !show_worklist
                    && ui
                        .button(super::tr(lang, next_key))
                        .on_hover_text(super::tr(lang, "app-next-attention"))
                        .clicked()
                {
                    ed.jump_next(physician);
                }
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
            ed.together_ui(ui, lang, &mut editor_intents);
            ui.separator();
            // Each opinion and section keeps its own place: a newly opened one starts at the top.
            let salt = ("editor", ed.version_id, ed.section);
            widgets::scrolled(ui, salt, |ui| {
                ed.items_ui(ui, lang, &mut editor_intents);
                ui.add_space(theme::GAP * 2.0);
            });
        });
        if toggle.0 {
            intents.push(Intent::TogglePanel {
                sections: true,
                shown: show_sections,
            });
        }
        if toggle.1 {
            intents.push(Intent::TogglePanel {
                sections: false,
                shown: show_worklist,
            });
        }
        intents.extend(editor_intents.into_iter().map(Intent::Editor));
        for i in intents {
            self.push(i);
        }
    }

    /// The editor's action bar: the sections (when the section list is shown; else they sit by
    /// the section picker), what this person does next, paper, back.
    fn editor_actions(&mut self, ui: &mut Ui, intents: &mut Vec<Intent>, with_steps: bool) {
        let lang = self.lang;
        let physician = self.may(Action::Sign);
        let clerk = self.session.as_ref().is_some_and(|s| s.is_clerk());
        let Some(ed) = self.editor.as_mut() else {
            return;
        };
        ui.horizontal_wrapped(|ui| {
            if with_steps {
                section_steps(ui, ed, lang, |_, _| {});
                ui.separator();
            }
            if ed.editable && clerk {
                if ui.button(super::tr(lang, "app-hand-over")).clicked() {
                    intents.push(Intent::HandOver);
                }
            } else if physician {
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
    }

    pub(crate) fn outbox_screen(&mut self, ui: &mut Ui) {
        ui.heading(self.t("app-outbox-title"));
        if self.worker.services.hub.is_none() {
            let why = match &self.worker.services.hub_problem {
                Some(p) => Problem::Hub(p.clone()).text(self.lang),
                None => self.t("app-hub-not-set"),
            };
            ui.colored_label(theme::WARNING, why);
        }
        ui.add_space(theme::GAP);
        if self.outbox.is_empty() {
            ui.colored_label(theme::MUTED, self.t("app-outbox-empty"));
            return;
        }
        let wide = ui.available_width() >= TABLE_MIN;
        let may_edit = self.may(Action::Edit);
        let lang = self.lang;
        let t = |k: &str| super::tr(lang, k);
        let ta = |k: &str, a: &[(&str, String)]| super::tr_args(lang, k, a);
        let mut intents = Vec::new();
        let lines = &self.outbox;
        widgets::scrolled(ui, "outbox", |ui| {
            let mut row_ui = |ui: &mut Ui,
                              line: &crate::store::outbox::OutboxEntry,
                              cells: bool| {
                let row = &line.row;
                ui.label(RichText::new(&line.name).strong());
                ui.label(format!("v{}", line.version_number));
                let (text, color) = match row.state {
                    Delivery::Waiting if row.attempts == 0 => {
                        (t("app-delivery-waiting"), theme::MUTED)
                    }
                    Delivery::Waiting => (
                        ta(
                            "app-delivery-retrying",
                            &[
                                ("at", local_time(&row.next_attempt_at)),
                                ("attempts", row.attempts.to_string()),
                                ("error", row.last_error.clone().unwrap_or_default()),
                            ],
                        ),
                        theme::WARNING,
                    ),
                    Delivery::Sending => (t("app-delivery-sending"), theme::ACCENT),
                    Delivery::Received => (t("app-delivery-received"), theme::OK),
                    Delivery::Failed => (
                        ta(
                            "app-delivery-failed",
                            &[("error", row.last_error.clone().unwrap_or_default())],
                        ),
                        theme::ERROR,
                    ),
                };
                ui.colored_label(color, text);
                match row.receipt_id.as_deref() {
                    Some(r) => {
                        ui.label(short_receipt(r))
                            .on_hover_text(ta("app-receipt-full", &[("receipt", r.to_owned())]));
                    }
                    None => {
                        ui.label("—");
                    }
                }
                let state = t(&format!("state-{}", line.opinion_state.id()));
                let state_ui = |ui: &mut Ui| {
                    ui.label(state.as_str());
                    if let Some(note) = &line.note
                        && line.opinion_state != State::Accepted
                    {
                        ui.colored_label(theme::ERROR, note);
                    }
                };
                if cells {
                    ui.vertical(|ui| {
                        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                        state_ui(ui);
                    });
                } else {
                    state_ui(ui);
                }
                let actions = |ui: &mut Ui| {
                    if ui.button(t("app-open")).clicked() {
                        intents.push(Intent::Open(row.opinion_id));
                    }
                    if row.state == Delivery::Failed
                        && line.opinion_state == State::Finalised
                        && may_edit
                        && ui.button(t("app-reopen")).clicked()
                    {
                        intents.push(Intent::Reopen(row.opinion_id));
                    }
                };
                action_cell(ui, cells, actions);
            };
            if wide {
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
                    for line in lines {
                        row_ui(ui, line, true);
                        ui.end_row();
                    }
                });
            } else {
                for line in lines {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal_wrapped(|ui| row_ui(ui, line, false));
                    });
                }
            }
            ui.add_space(theme::GAP);
            ui.colored_label(theme::MUTED, t("app-outbox-help"));
        });
        for i in intents {
            self.push(i);
        }
    }
}

/// ← 前の節, whatever goes between (the picker), 次の節 →.
fn section_steps(
    ui: &mut Ui,
    ed: &mut super::editor::Editor,
    lang: crate::i18n::Lang,
    between: impl FnOnce(&mut Ui, &mut super::editor::Editor),
) {
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
    between(ui, ed);
    if ui
        .add_enabled(
            ed.section + 1 < sections,
            egui::Button::new(super::tr(lang, "app-next-section")),
        )
        .clicked()
    {
        ed.section += 1;
    }
}

/// A receipt number short enough to read out on the telephone: its last 8 letters and digits in
/// two groups of four (the whole number is in the tooltip and in the store).
pub fn short_receipt(r: &str) -> String {
    let alnum: Vec<char> = r.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if alnum.len() <= 8 {
        return r.to_owned();
    }
    let tail: String = alnum[alnum.len() - 8..].iter().collect();
    format!("…{}-{}", &tail[..4], &tail[4..])
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

/// How much of the top bar fits the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Full,
    NoZoomLabel,
    PlacesInMenu,
    AllInMenu,
}

/// The section list and worklist as the person chose them (`None`: as the width allows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Panels {
    pub sections: Option<bool>,
    pub worklist: Option<bool>,
}

/// How wide the municipality's reason may be in a row of the list (points).
const REASON_WIDTH: f32 = 260.0;

/// A row's buttons: in a table cell side by side, their words never broken; stacked, they flow
/// and wrap to the next line instead of leaving the panel.
fn action_cell(ui: &mut Ui, cells: bool, actions: impl FnOnce(&mut Ui)) {
    if cells {
        ui.horizontal(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            actions(ui);
        });
    } else {
        actions(ui);
    }
}
