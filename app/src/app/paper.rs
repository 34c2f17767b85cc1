//! Paper: a preview of the form drawn from the same sheet the PDF is written from, and printing
//! into a PDF file (on a thread) that opens in the system's viewer. A draft copy carries 下書き; the
//! final copy comes from the review screen (physicians only, audited by the store).

use egui::{Pos2, Stroke, Ui, vec2};

use super::problem::Problem;
use super::work::Job;
use super::{IkenshoApp, Intent, Screen, theme, widgets};
use crate::i18n::Locales;
use crate::pdf::sheet::{Mark, PAGE_H, PAGE_W};
use crate::pdf::{PrintOptions, Sheet};
use crate::store::{Action, State};
use crate::workflow::{PrintedFile, StoredPrint, WorkflowError};

/// Millimetres per point.
const MM_PER_PT: f32 = 25.4 / 72.0;

/// The paper screen's state.
#[derive(Default)]
pub struct Paper {
    pub sheet: Option<Sheet>,
    /// A print is being made.
    pub waiting: bool,
    pub printed: Option<Result<PrintedFile, WorkflowError>>,
    /// Where a copy of the printed PDF was saved (名前を付けて保存), or why not.
    pub saved_as: Option<Result<std::path::PathBuf, super::problem::Problem>>,
    /// The system's viewer could not open the PDF: why.
    pub viewer_error: Option<Problem>,
    /// The preview is being laid out (its request number).
    pub laying_out: Option<u64>,
    /// The preview could not be laid out: why.
    pub layout_error: Option<Problem>,
    /// The opinion's insurer takes 医見書's CSV (設定), and the opinion is finalised: the file is
    /// offered beside the print.
    pub offers_csv: bool,
    /// 医見書's CSV written (where, and what it could not carry), or why not.
    pub csv: Option<Result<(std::path::PathBuf, Vec<crate::workflow::OpinionFinding>), Problem>>,
}

/// Which print is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintKind {
    /// A draft copy (下書き on every page).
    Draft,
    /// The final copy from the review, with what the physician confirmed there (finalises a
    /// draft, moves the opinion to 紙で提出).
    Final,
    /// The copy that went to the municipality, again (audited as a reprint).
    Reprint,
}

impl IkenshoApp {
    /// Lays out the opinion in the editor for the preview (a draft unless it is final).
    pub(crate) fn prepare_preview(&mut self) {
        let Some(ed) = &self.editor else {
            return;
        };
        let clinic = self.store.clinic_settings().unwrap_or_default();
        let print_physician_name = clinic.print_physician_name;
        self.paper.offers_csv = !ed.state.is_draft()
            && ed.state != State::Returned
            && clinic.takes_csv(&ed.opinion.applicant.insurer_number);
        self.paper.csv = None;
        let opts = PrintOptions {
            print_physician_name,
            draft: ed.state.is_draft(),
        };
        // Laid out on a thread; the screen shows a spinner until it is back.
        self.paper.sheet = None;
        self.paper.laying_out = self.ask_layout(opts);
    }

    /// Asks the worker to lay the editor's opinion out with `opts`; the request's number, to
    /// know its answer by ([`IkenshoApp::laid`]).
    pub(crate) fn ask_layout(&mut self, opts: PrintOptions) -> Option<u64> {
        let (Some(session), Some(ed)) = (self.session.clone(), &self.editor) else {
            return None;
        };
        self.layout_seq += 1;
        let job = Job::Layout {
            seq: self.layout_seq,
            form: ed.form,
            opinion: Box::new(ed.opinion.clone()),
            opts,
        };
        self.worker.start(&session, job);
        Some(self.layout_seq)
    }

    /// A layout came back: the preview's sheet, or the review's findings, when it is the one
    /// asked for last.
    pub(crate) fn laid(
        &mut self,
        seq: u64,
        result: Result<super::work::LaidOut, crate::pdf::PdfError>,
    ) {
        if self.paper.laying_out == Some(seq) {
            self.paper.laying_out = None;
            match result {
                Ok(laid) => self.paper.sheet = Some(laid.sheet),
                Err(e) => self.paper.layout_error = Some(Problem::Print(e)),
            }
        } else if self.review.laying_out == Some(seq) {
            self.review.laying_out = None;
            if let Some(ed) = &self.editor
                && let Ok(laid) = result
            {
                let findings = laid.findings;
                self.review.continuation = crate::workflow::continuation_items(ed.form, &findings);
                self.review.print_findings = findings;
            }
        }
    }

    pub(crate) fn printed(&mut self, r: Result<PrintedFile, WorkflowError>) {
        self.paper.waiting = false;
        if r.is_ok()
            && let Some(ed) = &mut self.editor
            && let Ok(state) = self.store.state_of(ed.opinion_id)
        {
            // A final print moves the opinion to 紙で提出.
            ed.state = state;
            ed.editable &= state.is_draft();
        }
        self.paper.printed = Some(r);
        if self.paper.sheet.is_none() && self.paper.laying_out.is_none() {
            self.prepare_preview();
        }
    }

    pub(crate) fn print(&mut self, kind: PrintKind) {
        let (Some(s), Some(ed)) = (self.session.clone(), &self.editor) else {
            return;
        };
        let id = ed.opinion_id;
        self.save_editor();
        let how = match kind {
            PrintKind::Draft => StoredPrint::draft(),
            PrintKind::Final => StoredPrint {
                confirm_carried: self.review.confirm_carried,
                allow_continuation: self.review.allow_continuation,
                ..StoredPrint::final_copy()
            },
            // What went to the municipality, as it was.
            PrintKind::Reprint => StoredPrint {
                allow_continuation: true,
                ..StoredPrint::final_copy()
            },
        };
        self.worker.start(
            &s,
            Job::Print {
                opinion_id: id,
                how,
            },
        );
        self.paper.waiting = true;
        self.paper.printed = None;
        self.paper.viewer_error = None;
        if kind == PrintKind::Final {
            // The preview and the result are of the final copy now.
            self.paper.sheet = None;
            self.show(Screen::Paper);
        }
    }

    pub(crate) fn paper_screen(&mut self, ui: &mut Ui) {
        ui.heading(self.t("app-paper-title"));
        let paper_state = self.editor.as_ref().map(|e| e.state) == Some(State::Paper);
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    !self.paper.waiting,
                    egui::Button::new(self.t("app-print-draft")),
                )
                .clicked()
            {
                self.push(Intent::Print(PrintKind::Draft));
            }
            // The copy that went to the municipality, again (audited as a reprint).
            if paper_state
                && self.may(Action::PrintFinal)
                && ui
                    .add_enabled(
                        !self.paper.waiting,
                        egui::Button::new(self.t("app-reprint")),
                    )
                    .clicked()
            {
                self.push(Intent::Print(PrintKind::Reprint));
            }
            if self.paper.offers_csv
                && self.may(Action::PrintFinal)
                && ui.button(self.t("app-export-csv")).clicked()
            {
                self.push(Intent::Pick(super::pick::PickFor::SaveCsv));
            }
            if ui.button(self.t("app-back-to-editor")).clicked() {
                self.push(Intent::Show(Screen::Editor));
            }
        });
        if self.paper.waiting {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(self.t("app-printing"));
            });
        }
        match &self.paper.csv {
            Some(Ok((path, findings))) => {
                ui.colored_label(
                    theme::OK,
                    self.t_args(
                        "app-export-csv-done",
                        &[("path", path.display().to_string())],
                    ),
                );
                if let Ok(l) = Locales::builtin() {
                    for f in findings {
                        ui.colored_label(theme::WARNING, f.message(l, self.lang));
                    }
                }
            }
            Some(Err(e)) => {
                ui.colored_label(theme::ERROR, e.text(self.lang));
            }
            None => {}
        }
        let mut open = None;
        let mut save_as = false;
        match &self.paper.printed {
            Some(Ok(p)) => {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        theme::OK,
                        self.t_args(
                            "app-printed",
                            &[
                                ("path", p.path.display().to_string()),
                                ("pages", p.pages.to_string()),
                            ],
                        ),
                    );
                    if ui.button(self.t("app-open-viewer")).clicked() {
                        open = Some(p.path.clone());
                    }
                    if ui.button(self.t("app-save-pdf-as")).clicked() {
                        save_as = true;
                    }
                });
                if let Some(r) = &self.paper.saved_as {
                    match r {
                        Ok(path) => ui.colored_label(
                            theme::OK,
                            self.t_args(
                                "app-pdf-saved-as",
                                &[("path", path.display().to_string())],
                            ),
                        ),
                        Err(e) => ui.colored_label(theme::ERROR, e.text(self.lang)),
                    };
                }
                if let Some(e) = &self.paper.viewer_error {
                    ui.horizontal_wrapped(|ui| {
                        ui.colored_label(theme::ERROR, e.text(self.lang));
                        if let Some(dir) = p.path.parent()
                            && ui.button(self.t("app-open-folder")).clicked()
                        {
                            open = Some(dir.to_path_buf());
                        }
                    });
                }
                if let (Ok(locales), Ok(form)) =
                    (Locales::builtin(), crate::form::FormDef::builtin(p.form))
                {
                    let d = crate::form::describe::Describer {
                        locales,
                        lang: self.lang,
                        form,
                    };
                    for f in &p.findings {
                        ui.colored_label(theme::WARNING, d.finding(f));
                    }
                }
            }
            Some(Err(e)) => {
                ui.colored_label(theme::ERROR, super::problem::workflow_text(e, self.lang));
            }
            None => {}
        }
        if let Some(path) = open {
            self.push(Intent::OpenViewer(path));
        }
        if save_as {
            self.push(Intent::Pick(super::pick::PickFor::SavePdf));
        }
        ui.separator();
        if let Some(p) = &self.paper.layout_error {
            ui.colored_label(theme::ERROR, p.text(self.lang));
        }
        let Some(sheet) = &self.paper.sheet else {
            if self.paper.laying_out.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(self.t("app-paper-laying-out"));
                });
            }
            return;
        };
        widgets::scrolled(ui, "paper", |ui| {
            let width = ui.available_width().min(900.0);
            for page in &sheet.pages {
                draw_page(ui, page, width);
                ui.add_space(theme::GAP * 2.0);
            }
        });
    }
}

/// Draws one page of the sheet `width` points wide.
fn draw_page(ui: &mut Ui, page: &crate::pdf::sheet::Page, width: f32) {
    let scale = width / PAGE_W;
    let (rect, _) = ui.allocate_exact_size(vec2(width, PAGE_H * scale), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, theme::PAPER);
    painter.rect_stroke(
        rect,
        0.0,
        Stroke::new(1.0, theme::MUTED),
        egui::StrokeKind::Outside,
    );
    let at = |x: f32, y: f32| Pos2::new(rect.left() + x * scale, rect.top() + y * scale);
    let line = |w: f32| Stroke::new((w * scale * 0.35).max(0.6), theme::INK);
    // The 下書き mark first and faint, so that it never covers what is written.
    let stamps = page
        .marks
        .iter()
        .filter(|m| matches!(m, Mark::Stamp { .. }));
    let rest = page
        .marks
        .iter()
        .filter(|m| !matches!(m, Mark::Stamp { .. }));
    for m in stamps.chain(rest) {
        match m {
            Mark::Text { x, y, size, text } => {
                let px = size * MM_PER_PT * scale;
                painter.text(
                    at(*x, *y),
                    egui::Align2::LEFT_BOTTOM,
                    text,
                    egui::FontId::proportional(px),
                    theme::INK,
                );
            }
            Mark::Rect {
                x,
                y,
                w,
                h,
                line: l,
            } => {
                painter.rect_stroke(
                    egui::Rect::from_min_max(at(*x, *y), at(x + w, y + h)),
                    0.0,
                    line(*l),
                    egui::StrokeKind::Middle,
                );
            }
            Mark::Line {
                x1,
                y1,
                x2,
                y2,
                line: l,
            } => {
                painter.line_segment([at(*x1, *y1), at(*x2, *y2)], line(*l));
            }
            Mark::Ellipse { cx, cy, rx, ry } => {
                painter.add(egui::Shape::ellipse_stroke(
                    at(*cx, *cy),
                    vec2(rx * scale, ry * scale),
                    line(0.4),
                ));
            }
            Mark::Stamp {
                x,
                y,
                size,
                angle,
                text,
            } => {
                let px = size * MM_PER_PT * scale;
                let galley = painter.layout_no_wrap(
                    text.clone(),
                    egui::FontId::proportional(px),
                    theme::STAMP,
                );
                let shape = egui::epaint::TextShape::new(at(*x, *y), galley, theme::STAMP)
                    .with_angle(-angle.to_radians());
                painter.add(shape);
            }
        }
    }
}

impl IkenshoApp {
    /// The name proposed for the next CSV file: 医見書's (`<事業所番号>_<yyyyMMdd><NN>.csv`), the
    /// office number of the opinion shown, its count going on from the files written today.
    pub(crate) fn csv_file_name(&self) -> String {
        let today = crate::form::Context::today_in_japan().today;
        let office = self.editor.as_ref().map_or(String::new(), |ed| {
            crate::form::normalize::identifier(&ed.opinion.clinic.institution_code)
        });
        crate::ikensyo::file_name(&office, today, self.csv_written_on(today) + 1)
    }

    /// How many CSV files this window wrote on `day`.
    fn csv_written_on(&self, day: jiff::civil::Date) -> u32 {
        match self.csv_written {
            Some((d, n)) if d == day => n,
            _ => 0,
        }
    }

    /// A CSV file was written: the next one's proposed name counts on.
    pub(crate) fn count_csv_written(&mut self) {
        let today = crate::form::Context::today_in_japan().today;
        self.csv_written = Some((today, self.csv_written_on(today) + 1));
    }

    /// Writes 医見書's CSV of the opinion shown at `path` (chosen in the dialog), on a thread.
    pub(crate) fn export_csv(&mut self, path: std::path::PathBuf) {
        let (Some(session), Some(ed)) = (self.session.clone(), &self.editor) else {
            return;
        };
        self.paper.csv = None;
        let opinion_id = ed.opinion_id;
        self.worker
            .start(&session, super::work::Job::ExportCsv { opinion_id, path });
    }
}
