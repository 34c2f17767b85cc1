//! Paper: a preview of the form drawn from the same sheet the PDF is written from, and printing
//! into a PDF file (on a thread) that opens in the system's viewer. A draft copy carries 下書き; the
//! final copy comes from the review screen (physicians only, audited by the store).

use egui::{Pos2, Stroke, Ui, vec2};

use super::work::{Job, PrintedFile, open_in_viewer};
use super::{IkenshoApp, Screen, theme};
use crate::pdf::sheet::{Mark, PAGE_H, PAGE_W};
use crate::pdf::stored::Copy;
use crate::pdf::{PrintOptions, Sheet};

/// Millimetres per point.
const MM_PER_PT: f32 = 25.4 / 72.0;

/// The paper screen's state.
#[derive(Default)]
pub struct Paper {
    pub sheet: Option<Sheet>,
    /// A print is being made.
    pub waiting: bool,
    pub printed: Option<Result<PrintedFile, String>>,
}

impl IkenshoApp {
    /// Lays out the opinion in the editor for the preview (a draft unless it is final).
    pub(crate) fn prepare_preview(&mut self) {
        let Some(ed) = &self.editor else {
            return;
        };
        let print_physician_name = self
            .store
            .clinic_settings()
            .map(|c| c.print_physician_name)
            .unwrap_or(false);
        let opts = PrintOptions {
            print_physician_name,
            draft: ed.state.is_draft(),
        };
        self.paper.sheet = crate::pdf::sheet(ed.form, &ed.opinion, opts).ok();
    }

    pub(crate) fn printed(&mut self, r: Result<PrintedFile, String>) {
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
        if self.paper.sheet.is_none() {
            self.prepare_preview();
        }
    }

    pub(crate) fn paper_screen(&mut self, ui: &mut Ui) {
        ui.heading(self.t("app-paper-title"));
        ui.horizontal_wrapped(|ui| {
            let draft = ui.add_enabled(
                !self.paper.waiting,
                egui::Button::new(self.t("app-print-draft")),
            );
            if draft.clicked()
                && let (Some(s), Some(ed)) = (self.session.clone(), &self.editor)
            {
                let id = ed.opinion_id;
                self.save_editor();
                self.paper.printed = None;
                self.worker.start(
                    &s,
                    Job::Print {
                        opinion_id: id,
                        copy: Copy::Draft,
                    },
                );
                self.paper.waiting = true;
            }
            if ui.button(self.t("app-back-to-editor")).clicked() {
                self.screen = Screen::Editor;
            }
        });
        if self.paper.waiting {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(self.t("app-printing"));
            });
        }
        match self.paper.printed.clone() {
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
                    if ui.button(self.t("app-open-viewer")).clicked()
                        && let Err(e) = open_in_viewer(&p.path)
                    {
                        self.message = Some(e.to_string());
                    }
                });
                for w in &p.warnings {
                    ui.colored_label(theme::WARNING, w);
                }
            }
            Some(Err(m)) => {
                ui.colored_label(theme::ERROR, m);
            }
            None => {}
        }
        ui.separator();
        let Some(sheet) = &self.paper.sheet else {
            return;
        };
        egui::ScrollArea::vertical().show(ui, |ui| {
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
    for m in &page.marks {
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
