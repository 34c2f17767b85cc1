//! Working on one store from several windows: who has a draft open (the soft lock the store
//! keeps, [`crate::store::editing`]), and a save refused because someone saved the draft first —
//! what they changed is shown, and this window's own edits are put on top of it, not lost.

use std::path::Path;

use egui::{RichText, Ui};

use super::editor::{Conflict, Editor, EditorIntent};
use super::problem::Problem;
use super::{IkenshoApp, theme};
use crate::form::describe::Describer;
use crate::i18n::{Lang, Locales};
use crate::store::StoreError;
use crate::store::editing::{Holder, RENEW_EVERY};

/// This terminal's name as the others see it ("診察室"): `IKENSHO_TERMINAL`, else the first line
/// of `terminal-name.txt` in the data folder, else the computer's name.
pub fn terminal_name(data_dir: &Path) -> String {
    let named = std::env::var("IKENSHO_TERMINAL").ok().or_else(|| {
        std::fs::read_to_string(data_dir.join("terminal-name.txt"))
            .ok()
            .and_then(|t| t.lines().next().map(str::to_owned))
    });
    let host = || {
        std::env::var("COMPUTERNAME")
            .ok()
            .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
            .or_else(|| std::env::var("HOSTNAME").ok())
    };
    named
        .or_else(host)
        .map(|n| n.trim().chars().take(40).collect::<String>())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "?".to_owned())
}

/// "佐藤 一郎さんが診察室の端末で編集中", one line per holder.
pub fn held_by(lang: Lang, holders: &[&Holder]) -> String {
    holders
        .iter()
        .map(|h| {
            super::tr_args(
                lang,
                "app-held-by",
                &[("name", h.name.clone()), ("terminal", h.terminal.clone())],
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl IkenshoApp {
    /// Keeps the store's note of which draft this window has open in step with the editor:
    /// held while it is shown (or reviewed, or printed), renewed every [`RENEW_EVERY`], let go
    /// when the person goes elsewhere. `now` is egui's clock in seconds.
    pub(crate) fn sync_hold(&mut self, now: f64) {
        if self.lost.is_some() {
            // Nobody to tell while the server is away; the lease runs out there meanwhile.
            return;
        }
        let on_it = matches!(
            self.screen,
            super::Screen::Editor | super::Screen::Review | super::Screen::Paper
        );
        let want = self
            .editor
            .as_ref()
            .filter(|ed| ed.editable && on_it && self.session.is_some())
            .map(|ed| ed.opinion_id);
        let due = match self.held {
            Some((id, at)) => Some(id) != want || now - at >= RENEW_EVERY.as_secs_f64(),
            None => want.is_some(),
        };
        if !due {
            return;
        }
        if self.held.is_some_and(|(id, _)| Some(id) != want) {
            self.release_hold();
        }
        let (Some(id), Some(s)) = (want, self.session.clone()) else {
            return;
        };
        match self.store.hold(&s, id, &self.terminal, &self.token) {
            Ok(others) => {
                if let Some(ed) = &mut self.editor {
                    ed.others = others;
                }
            }
            // Only a note for the others: the editing goes on without it.
            Err(e) => tracing::warn!(error = %e, "the open draft could not be noted"),
        }
        self.held = Some((id, now));
    }

    /// Lets go of whatever this window holds.
    pub(crate) fn release_hold(&mut self) {
        if self.held.take().is_some()
            && let Err(e) = self.store.release(&self.token)
        {
            tracing::warn!(error = %e, "the open draft could not be let go");
        }
    }

    /// Who has which opinion open elsewhere, for the list.
    pub(crate) fn refresh_holders(&mut self) {
        if let Some(s) = &self.session {
            self.holders = self.store.holders(s, &self.token).unwrap_or_default();
        }
    }

    /// A save was refused because someone saved the draft first: reads what they saved and
    /// puts this window's own edits on top, to be looked at and saved again.
    pub(crate) fn on_conflict(&mut self, e: StoreError) {
        let by = match &e {
            StoreError::Conflict { by, .. } => by.clone(),
            _ => String::new(),
        };
        let (Some(s), Some(ed)) = (&self.session, &mut self.editor) else {
            return;
        };
        ed.save_error = Some(Problem::Store(e));
        match self.store.open_opinion(s, ed.opinion_id) {
            Ok(theirs) if theirs.version.id == ed.version_id => {
                let together =
                    crate::form::changes::reapply(ed.form, &ed.base, &ed.opinion, &theirs.opinion);
                ed.conflict = Some(Conflict {
                    by,
                    revision: theirs.version.revision,
                    base: theirs.opinion,
                    together,
                });
            }
            // Finalised or made a new version meanwhile: nothing to save on top of; the edits
            // stay in memory and the message says what happened.
            Ok(_) => {}
            Err(e) => ed.save_error = Some(Problem::Store(e)),
        }
    }

    /// What the conflict panel asked for.
    pub(crate) fn conflict_intent(&mut self, intent: &EditorIntent) {
        let Some(ed) = self.editor.as_mut() else {
            return;
        };
        match intent {
            EditorIntent::KeepMine => {
                let Some(c) = ed.conflict.take() else {
                    return;
                };
                ed.opinion = c.together.opinion;
                ed.base = c.base;
                ed.revision = c.revision;
                ed.save_error = None;
                ed.dirty = true;
                ed.revalidate();
                self.save_editor();
                if let (Some(s), Some(ed)) = (&self.session, &mut self.editor)
                    && let Ok(m) = self.store.marks(s, ed.version_id)
                {
                    ed.marks = m;
                }
            }
            EditorIntent::TakeTheirs => {
                let id = ed.opinion_id;
                if std::mem::take(&mut ed.kept_locally)
                    && let Some(j) = &self.journal
                    && let Err(e) = j.remove(ed.version_id)
                {
                    return self.problem(e);
                }
                ed.conflict = None;
                ed.dirty = false;
                self.open(id);
            }
            _ => {}
        }
    }
}

impl Editor {
    /// Above the form: who else has this draft open, and a save refused because someone saved
    /// it first (what they changed, what is kept of this window's, and the two ways on).
    pub fn together_ui(&self, ui: &mut Ui, lang: Lang, intents: &mut Vec<EditorIntent>) {
        if !self.others.is_empty() {
            let others: Vec<&Holder> = self.others.iter().collect();
            ui.colored_label(theme::ACCENT, format!("● {}", held_by(lang, &others)))
                .on_hover_text(super::tr(lang, "app-held-by-hint"));
        }
        let Some(c) = &self.conflict else {
            return;
        };
        let Ok(locales) = Locales::builtin() else {
            return;
        };
        let d = Describer {
            locales,
            lang,
            form: self.form,
        };
        let names = |ids: &[String]| {
            if ids.is_empty() {
                "—".to_owned()
            } else {
                ids.iter()
                    .map(|id| d.item_label(id))
                    .collect::<Vec<_>>()
                    .join("、")
            }
        };
        let by = if c.by.is_empty() { "?" } else { c.by.as_str() };
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, theme::ERROR))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new(super::tr_args(
                        lang,
                        "app-conflict-title",
                        &[("by", by.to_owned())],
                    ))
                    .strong()
                    .color(theme::ERROR),
                );
                let line = |key: &str, ids: &[String]| {
                    super::tr_args(lang, key, &[("items", names(ids)), ("by", by.to_owned())])
                };
                ui.label(line("app-conflict-theirs", &c.together.theirs));
                ui.label(line("app-conflict-mine", &c.together.mine));
                if !c.together.both.is_empty() {
                    ui.colored_label(theme::ERROR, line("app-conflict-both", &c.together.both));
                }
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .button(super::tr(lang, "app-conflict-keep-mine"))
                        .clicked()
                    {
                        intents.push(EditorIntent::KeepMine);
                    }
                    if ui
                        .button(super::tr(lang, "app-conflict-take-theirs"))
                        .on_hover_text(super::tr(lang, "app-conflict-take-theirs-hint"))
                        .clicked()
                    {
                        intents.push(EditorIntent::TakeTheirs);
                    }
                });
            });
    }
}

/// Whether `e` is a save refused because the draft was saved elsewhere first.
pub(crate) fn is_conflict(e: &StoreError) -> bool {
    matches!(e, StoreError::Conflict { .. })
}
