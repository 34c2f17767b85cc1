//! Review and sign (physicians): a summary, the findings that block, the route (electronic or paper
//! from the municipality's readiness), then the PIN dialog — the reader chosen, the tries left
//! shown, the PIN masked — with progress while the card works on its own thread.

use egui::{RichText, Ui};
use zeroize::Zeroizing;

use super::form_ui::{self, value_text};
use super::paper::PrintKind;
use super::problem::{Problem, Said};
use super::work::{CardInfo, Job};
use super::{IkenshoApp, Intent, Screen, theme, widgets};
use crate::card::hpki::PinStatus;
use crate::card::{CardError, Pin};
use crate::form::Severity;
use crate::form::validate::{Finding, date_of, ids};
use crate::hub::flow::Route;
use crate::store::{Action, State};
use crate::workflow::WorkflowError;

/// What the PIN dialog asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinIntent {
    /// Open it: list the readers and ask the card how many tries are left.
    Open,
    /// Ask the card again (another reader chosen, or a card inserted).
    Recheck,
    /// Sign with the PIN typed.
    Submit,
    /// Close it; the PIN typed is wiped.
    Cancel,
}

/// The state of the review screen and its PIN dialog.
#[derive(Default)]
pub struct Review {
    pub route: Option<Result<Route, Problem>>,
    /// The insurer also takes 医見書's CSV file (設定).
    pub takes_csv: bool,
    /// What the paper would not show as typed (before a final print).
    pub print_findings: Vec<Finding>,
    /// The layout asked for these findings is still being made (its request number).
    pub laying_out: Option<u64>,
    pub pin_open: bool,
    pub readers: Vec<String>,
    pub reader: Option<String>,
    /// The reader picked in the list in this review (`None`: the one that holds the card);
    /// remembered on this terminal once its card answers.
    pub asked: Option<String>,
    pub card: Option<Result<CardInfo, CardError>>,
    pub checking: bool,
    pub pin: Zeroizing<String>,
    /// The physician has read that few tries are left.
    pub low_ok: bool,
    pub signing: bool,
    /// Why the last signature did not happen.
    pub error: Option<Problem>,
    /// Give the PIN field the focus (once the card answered).
    focus_pin: bool,
    /// The physician confirmed the items carried over from the last opinion as they are.
    pub confirm_carried: bool,
    /// Items whose text goes on to a continuation sheet on the R8 form.
    pub continuation: Vec<String>,
    /// The physician accepted the continuation sheet.
    pub allow_continuation: bool,
}

impl Review {
    pub(crate) fn readers_done(&mut self, r: Result<Vec<String>, CardError>) {
        match r {
            // Which reader is used is the card's answer (the one that holds it): not the first.
            Ok(list) => self.readers = list,
            Err(e) => self.card = Some(Err(e)),
        }
    }

    /// The card answered; the reader it is in is shown as the one used. `true` when the person
    /// chose that reader by hand (to be remembered).
    pub(crate) fn card_done(&mut self, r: Result<CardInfo, CardError>) -> bool {
        self.checking = false;
        self.focus_pin = r.is_ok();
        if let Ok(info) = &r {
            self.reader = Some(info.reader.clone());
        }
        let remember = self.asked.is_some() && r.is_ok();
        self.card = Some(r);
        remember
    }

    pub(crate) fn route_done(&mut self, r: Result<Route, super::problem::HubUnavailable>) {
        self.route = Some(r.map_err(Problem::Hub));
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
        let takes_csv = self
            .store
            .clinic_settings()
            .is_ok_and(|c| c.takes_csv(&ed.opinion.applicant.insurer_number));
        self.review = Review {
            takes_csv,
            ..Review::default()
        };
        let opts = crate::pdf::PrintOptions {
            print_physician_name: false,
            draft: false,
        };
        // What the paper would not show as typed: laid out on a thread.
        let written = date_of(&ed.opinion, ed.form, ids::WRITTEN_DATE);
        let insurer_number = ed.opinion.applicant.insurer_number.clone();
        self.review.laying_out = self.ask_layout(opts);
        match written {
            Some(written) => self.worker.start(
                &session,
                Job::Route {
                    insurer_number,
                    written,
                },
            ),
            None => {
                self.review.route = Some(Err(Said::new("app-route-needs-date").into()));
            }
        }
        self.screen = Screen::Review;
    }

    pub(crate) fn review_screen(&mut self, ui: &mut Ui) {
        let Some(ed) = &self.editor else {
            return;
        };
        let l = form_ui::locales();
        let lang = self.lang;
        let errors = ed.report.count(Severity::Error);
        let pending = ed.clerk_pending();
        let carried = ed.carried_by_section();
        let carried_n: usize = carried.iter().map(|(_, v)| v.len()).sum();
        let physician = self.may(Action::Sign);
        let frozen_ok = ed.state.is_draft() || ed.state == State::Finalised;
        let route = &self.review.route;
        let electronic = matches!(route, Some(Ok(Route::Electronic { .. })));
        let ready_but_carried = errors == 0 && pending == 0 && physician && frozen_ok;
        let mut sign = false;
        let mut paper = false;
        let mut back = false;
        let mut confirm = self.review.confirm_carried;
        let mut allow = self.review.allow_continuation;
        let continuation = !self.review.continuation.is_empty();
        // The actions never scroll away; nor does the confirmation they wait for.
        egui::Panel::bottom("review-actions").show(ui, |ui| {
            ui.add_space(theme::GAP * 0.5);
            if carried_n > 0 {
                ui.checkbox(
                    &mut confirm,
                    self.t_args(
                        "app-review-confirm-carried",
                        &[("count", carried_n.to_string())],
                    ),
                );
            }
            if continuation {
                ui.checkbox(&mut allow, self.t("app-review-allow-continuation"));
            }
            // The continuation sheet is accepted before signing too: the municipality may read
            // a signed opinion on the form it prints from it.
            let ready = ready_but_carried
                && self.review.laying_out.is_none()
                && (carried_n == 0 || confirm)
                && (!continuation || allow);
            ui.horizontal_wrapped(|ui| {
                if electronic
                    && ui
                        .add_enabled(ready, egui::Button::new(self.t("app-sign-and-send")))
                        .clicked()
                {
                    sign = true;
                }
                if ui
                    .add_enabled(ready, egui::Button::new(self.t("app-final-print")))
                    .clicked()
                {
                    paper = true;
                }
                if ui.button(self.t("app-back-to-editor")).clicked() {
                    back = true;
                }
            });
            // The line is kept once there is something carried over: ticking the confirmation
            // must not move the buttons under the pointer.
            if carried_n > 0 {
                let why = if !confirm && errors == 0 && pending == 0 {
                    self.t("app-review-carried-needed")
                } else {
                    " ".to_owned()
                };
                ui.colored_label(theme::WARNING, why);
            }
            ui.add_space(theme::GAP * 0.5);
        });
        let mut jump = None;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(self.t("app-review-title"));
            widgets::scrolled(ui, ("review", ed.version_id), |ui| {
                let d = crate::form::describe::Describer {
                    locales: l,
                    lang,
                    form: ed.form,
                };
                if errors > 0 {
                    ui.colored_label(
                        theme::ERROR,
                        self.t_args("app-review-errors", &[("errors", errors.to_string())]),
                    );
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
                            jump = Some(f.item.clone());
                        }
                    }
                } else {
                    let warnings = ed.report.count(Severity::Warning);
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
                // Nothing signed unseen: what was carried over and not confirmed, by section,
                // and an explicit confirmation.
                if carried_n > 0 {
                    ui.add_space(theme::GAP);
                    ui.colored_label(
                        theme::WARNING,
                        self.t_args("app-review-carried", &[("count", carried_n.to_string())]),
                    );
                    for (section, items) in &carried {
                        let title = l.text(lang, &ed.form.sections[*section].label_key(), None);
                        ui.label(RichText::new(title).strong());
                        for id in items {
                            let Some(item) = ed.form.item(id) else {
                                continue;
                            };
                            ui.horizontal_wrapped(|ui| {
                                if ui.link(l.text(lang, &item.label_key(), None)).clicked() {
                                    jump = Some(id.clone());
                                }
                                let v = value_text(l, lang, ed.form, item, ed.opinion.value(item));
                                ui.label(if v.is_empty() { "—".to_owned() } else { v });
                            });
                        }
                    }
                }
                if continuation {
                    // The R8 form: text outside the boxes is what OCR municipalities send back.
                    egui::Frame::group(ui.style())
                        .stroke(egui::Stroke::new(2.0, theme::ERROR))
                        .show(ui, |ui| {
                            ui.colored_label(
                                theme::ERROR,
                                crate::pdf::continuation_message(
                                    l,
                                    lang,
                                    "app-review-continuation",
                                    &self.review.continuation,
                                ),
                            );
                        });
                }
                if self.review.laying_out.is_some() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(self.t("app-review-laying-out"));
                    });
                }
                for f in &self.review.print_findings {
                    ui.colored_label(theme::WARNING, d.finding(f));
                }
                ui.separator();
                ui.strong(self.t("app-route"));
                match route {
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
                    Some(Err(p)) => {
                        ui.colored_label(theme::WARNING, p.text(lang));
                    }
                }
                if self.review.takes_csv {
                    ui.label(self.t("app-route-csv"));
                }
                ui.separator();
                // What will be signed: every section's content, compactly.
                ui.strong(self.t("app-review-summary"));
                if let Some(r) = &ed.opinion.request {
                    ui.label(self.t_args(
                        "app-request-due",
                        &[
                            ("request", r.request_id.clone()),
                            ("due", r.due_date.clone()),
                        ],
                    ));
                }
                for section in &ed.form.sections {
                    ui.add_space(theme::GAP * 0.5);
                    ui.label(RichText::new(l.text(lang, &section.label_key(), None)).strong());
                    for i in section.items.clone() {
                        let item = &ed.form.items[i];
                        if !ed.shown(i) || !item.has_value() {
                            continue;
                        }
                        let v = value_text(l, lang, ed.form, item, ed.opinion.value(item));
                        if v.is_empty() {
                            continue;
                        }
                        // One wrapped line per item: the label muted, the value beside it.
                        let font = egui::TextStyle::Body.resolve(ui.style());
                        let mut job = egui::text::LayoutJob::default();
                        job.append(
                            &l.text(lang, &item.label_key(), None),
                            0.0,
                            egui::TextFormat::simple(font.clone(), theme::MUTED),
                        );
                        job.append(&v, theme::GAP, egui::TextFormat::simple(font, theme::TEXT));
                        ui.label(job);
                    }
                }
            });
        });
        self.review.confirm_carried = confirm;
        self.review.allow_continuation = allow;
        if back {
            self.push(Intent::Show(Screen::Editor));
        }
        if let Some(item) = jump {
            if let Some(ed) = &mut self.editor {
                ed.jump_to(&item);
            }
            self.push(Intent::Show(Screen::Editor));
        }
        if sign {
            self.push(Intent::Pin(PinIntent::Open));
        }
        if paper {
            self.push(Intent::Print(PrintKind::Final));
        }
    }

    /// Carries out what the PIN dialog asked for.
    pub(crate) fn pin_intent(&mut self, intent: PinIntent) {
        match intent {
            PinIntent::Open => self.open_pin_dialog(),
            PinIntent::Recheck => self.check_card(),
            PinIntent::Submit => self.submit_pin(),
            PinIntent::Cancel => {
                self.review.pin_open = false;
                self.review.pin = Zeroizing::new(String::new());
            }
        }
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
                reader: self.review.asked.clone(),
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
                reader: self.review.asked.clone(),
            },
        );
    }

    /// The PIN dialog, over everything else while it is open.
    pub(crate) fn pin_dialog(&mut self, ctx: &egui::Context) {
        if !self.review.pin_open {
            return;
        }
        let lang = self.lang;
        let mut cancel = false;
        let mut submit = false;
        let mut recheck = false;
        let screen = ctx.content_rect();
        egui::Modal::new(egui::Id::unique("pin-dialog")).show(ctx, |ui| {
            ui.set_width((theme::FIELD_WIDTH * 1.6).min(screen.width() - theme::GAP * 6.0));
            // On a small window with large text the dialog scrolls; its buttons stay reachable.
            let enter = egui::ScrollArea::vertical()
                .max_height(screen.height() - theme::GAP * 22.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    ui.heading(self.t("app-pin-title"));
                    ui.add_space(theme::GAP);
                    // The reader.
                    let reader_label = ui.label(self.t("app-pin-reader"));
                    let review = &mut self.review;
                    let current = review.reader.as_deref().unwrap_or("—");
                    let mut chosen = None;
                    egui::ComboBox::from_id_salt("reader")
                        .selected_text(current)
                        .width(theme::FIELD_WIDTH * 1.4)
                        .show_ui(ui, |ui| {
                            for r in &review.readers {
                                if ui
                                    .selectable_label(review.reader.as_deref() == Some(r), r)
                                    .clicked()
                                {
                                    chosen = Some(r.clone());
                                }
                            }
                        })
                        .response
                        .labelled_by(reader_label.id);
                    if let Some(r) = chosen {
                        review.reader = Some(r.clone());
                        review.asked = Some(r);
                        recheck = true;
                    }
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
                            Some(Err(e)) => {
                                ui.colored_label(theme::ERROR, Problem::Card(e.clone()).text(lang));
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
                    let signing = self.review.signing;
                    let pin = ui
                        .add_enabled_ui(!signing, |ui| {
                            super::widgets::secret_field(
                                ui,
                                &mut self.review.pin,
                                egui::Id::unique("pin-field"),
                                theme::FIELD_WIDTH,
                            )
                        })
                        .inner
                        .labelled_by(pin_label.id);
                    if std::mem::take(&mut self.review.focus_pin) {
                        pin.request_focus();
                    }
                    let enter = pin.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    widgets::keep_focus_visible(ui);
                    enter
                })
                .inner;
            // Why the signature did not happen, and the buttons, stay below the scrolling part:
            // always in sight (a line appearing inside it would be cut off until the next event).
            if let Some(e) = &self.review.error {
                ui.colored_label(theme::ERROR, e.text(lang));
            }
            let tries = self.review.tries();
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
            ui.horizontal_wrapped(|ui| {
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
            self.push(Intent::Pin(PinIntent::Recheck));
        }
        if cancel {
            self.push(Intent::Pin(PinIntent::Cancel));
        }
        if submit {
            self.push(Intent::Pin(PinIntent::Submit));
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
                        confirm_carried: self.review.confirm_carried,
                    },
                );
            }
            Err(e) => self.review.error = Some(Problem::Card(e)),
        }
    }

    pub(crate) fn signed(&mut self, opinion_id: i64, result: Result<(), WorkflowError>) {
        self.review.signing = false;
        match result {
            Ok(()) => {
                self.review.pin_open = false;
                self.notify(Said::new("app-signed-queued"), Screen::Outbox);
                self.worker.nudge();
                if let Some(ed) = &mut self.editor
                    && ed.opinion_id == opinion_id
                {
                    ed.state = State::Queued;
                    ed.editable = false;
                }
                self.push(Intent::Show(Screen::Outbox));
            }
            Err(e) => {
                let pin_wrong = e.wrong_pin();
                self.review.error = Some(Problem::Workflow(e));
                self.review.low_ok = false;
                // Show the tries left again; never try the PIN again by ourselves.
                if pin_wrong || self.review.card.is_some() {
                    self.check_card();
                }
            }
        }
    }
}
