//! 設定 → 医見書からの取り込み (administrators): a CSV file that 日医's 医見書 wrote is chosen and
//! imported on a worker thread, with a progress bar and a button that stops it (nothing of the
//! file is kept then). Each file is summed up as the command line does: opinions, applicants,
//! rows imported before, and every refused row with its row, column and why.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use egui::{RichText, Ui};

use super::pick::PickFor;
use super::problem::{Problem, Said};
use super::settings::SettingsIntent;
use super::work::Job;
use super::{IkenshoApp, Screen, theme};
use crate::workflow::FileImport;

/// The refused rows shown under a file's summary; the rest are counted.
const SHOWN: usize = 50;

/// An import running on its thread, as the window sees it: how far it is, and the stop button.
#[derive(Debug, Default)]
pub struct ImportControl {
    pub cancel: AtomicBool,
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

/// What the import part of 設定 shows.
#[derive(Debug, Default)]
pub struct ImportForm {
    /// The file, as typed or chosen.
    pub path: String,
    /// The file being imported, and its progress.
    pub running: Option<(String, Arc<ImportControl>)>,
    /// What the last import did, or why it did not.
    pub last: Option<Result<FileImport, Problem>>,
    /// The bar or the answer just appeared: scrolled into view once (the button may sit at the
    /// screen's lower edge, and what it did would be drawn out of sight).
    pub reveal: bool,
}

impl IkenshoApp {
    /// Starts importing the file chosen (one at a time).
    pub(crate) fn start_import(&mut self) {
        let Some(session) = self.session.clone() else {
            return;
        };
        if self.settings.import.running.is_some() {
            return;
        }
        let path = PathBuf::from(self.settings.import.path.trim());
        if path.as_os_str().is_empty() {
            self.settings.import.last = Some(Err(Said::new("app-import-no-file").into()));
            return;
        }
        let file = crate::files::name_of(&path);
        let control = Arc::new(ImportControl::default());
        self.settings.import.last = None;
        self.settings.import.running = Some((file, control.clone()));
        self.settings.import.reveal = true;
        self.worker
            .start(&session, Job::ImportIkensyo { path, control });
    }

    /// Asks the running import to stop.
    pub(crate) fn cancel_import(&mut self) {
        if let Some((_, c)) = &self.settings.import.running {
            c.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// The import's answer came back.
    pub(crate) fn imported(&mut self, result: Result<FileImport, Problem>) {
        self.settings.import.running = None;
        self.settings.import.last = Some(result);
        self.settings.import.reveal = true;
    }

    /// The part of 設定 (and of the set-up guide) that imports 医見書's CSV.
    pub(crate) fn import_part(
        &mut self,
        ui: &mut Ui,
        intents: &mut Vec<SettingsIntent>,
        picks: &mut Vec<PickFor>,
    ) {
        let lang = self.lang;
        if self.screen != Screen::Guide {
            ui.strong(self.t("app-settings-import"));
        }
        ui.label(RichText::new(self.t("app-import-explain")).color(theme::MUTED));
        super::settings::path_field(
            ui,
            lang,
            "app-import-file",
            &mut self.settings.import.path,
            PickFor::IkensyoCsv,
            picks,
        );
        let reveal = std::mem::take(&mut self.settings.import.reveal);
        match &self.settings.import.running {
            Some((file, c)) => {
                let (done, total) = (
                    c.done.load(Ordering::Relaxed),
                    c.total.load(Ordering::Relaxed),
                );
                let fraction = if total == 0 {
                    0.0
                } else {
                    done as f32 / total as f32
                };
                let text = super::tr_args(
                    lang,
                    "import-progress",
                    &[
                        ("file", file.clone()),
                        ("done", done.to_string()),
                        ("total", total.to_string()),
                    ],
                );
                let bar = ui.add(
                    egui::ProgressBar::new(fraction)
                        .text(text.clone())
                        .desired_width(theme::FIELD_WIDTH.min(ui.available_width())),
                );
                bar.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &text)
                });
                if reveal {
                    bar.scroll_to_me(None);
                }
                let stopping = c.cancel.load(Ordering::Relaxed);
                if ui
                    .add_enabled(!stopping, egui::Button::new(self.t("app-import-cancel")))
                    .clicked()
                {
                    intents.push(SettingsIntent::CancelImport);
                }
                // The bar moves while the thread works.
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
            None => {
                if ui.button(self.t("app-import-start")).clicked() {
                    intents.push(SettingsIntent::ImportIkensyo);
                }
            }
        }
        let answer = match &self.settings.import.last {
            Some(Ok(r)) => Some(self.import_report(ui, r)),
            Some(Err(p)) => Some(ui.colored_label(theme::ERROR, p.text(lang))),
            None => None,
        };
        if let Some(answer) = answer.filter(|_| reveal) {
            answer.scroll_to_me(Some(egui::Align::Min));
        }
    }

    /// A file's summary, its refused rows (the first [`SHOWN`], then how many more) and what the
    /// form could not hold.
    /// Returns the summary's line.
    fn import_report(&self, ui: &mut Ui, r: &FileImport) -> egui::Response {
        let lang = self.lang;
        let Ok(locales) = crate::i18n::Locales::builtin() else {
            return ui.label(String::new());
        };
        let color = if r.refused.is_empty() {
            theme::OK
        } else {
            theme::ERROR
        };
        let summary = ui.colored_label(color, r.summary(locales, lang));
        for f in r.refused.iter().take(SHOWN) {
            ui.label(f.message(locales, lang, &r.source));
        }
        if r.refused.len() > SHOWN {
            ui.label(super::tr_args(
                lang,
                "app-import-more",
                &[("more", (r.refused.len() - SHOWN).to_string())],
            ));
        }
        for n in r.notes_by_column(locales, lang) {
            ui.label(RichText::new(n).color(theme::MUTED));
        }
        summary
    }
}
