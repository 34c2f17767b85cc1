//! When the clinic server cannot be reached: the window says so plainly, keeps every edit in
//! this terminal's journal ([`crate::store::journal`]) instead of trying the server at each key,
//! looks for the server again in the background, and when it is back saves what was kept, in
//! order, in the name of whoever typed it. A list that could not be read again says from when it
//! is, instead of passing for the current one.

use std::sync::mpsc::{Receiver, TryRecvError};

use egui::{RichText, Ui};

use super::problem::Problem;
use super::{IkenshoApp, theme};
use crate::store::journal::Pending;
use crate::store::{Store, StoreError};

/// How often the server is looked for while it is away (seconds).
const RETRY_EVERY: f64 = 3.0;

/// The server is away.
pub struct Lost {
    /// Since when (HH:MM in Japan), for the banner.
    pub since: String,
    /// When to look for it next (egui's clock).
    next_try: f64,
    /// A look under way: a new connection, or why there is none.
    probe: Option<Receiver<Result<Store, StoreError>>>,
    /// How many drafts the journal keeps, for the banner: counted when the server went away
    /// and when an edit is kept, not at every frame (the journal is read and decrypted whole).
    kept: usize,
}

fn clock_now() -> String {
    jiff::Timestamp::now()
        .to_zoned(crate::form::wareki::japan())
        .strftime("%H:%M")
        .to_string()
}

impl IkenshoApp {
    /// Notes that the server went away (the first time: since now).
    pub(crate) fn server_lost(&mut self) {
        if self.lost.is_none() {
            self.lost = Some(Lost {
                since: clock_now(),
                next_try: 0.0,
                probe: None,
                kept: self.kept_count(),
            });
        }
    }

    /// How many drafts the journal keeps.
    fn kept_count(&self) -> usize {
        self.journal
            .as_ref()
            .and_then(|j| j.pending().ok())
            .map_or(0, |p| p.len())
    }

    /// Whether the server is away.
    pub fn is_offline(&self) -> bool {
        self.lost.is_some()
    }

    /// Keeps the editor's unsaved content in the journal (the server is away). `false` when
    /// there is no journal or it could not be written: the edit then stays unsaved, in memory.
    pub(crate) fn keep_locally(&mut self) -> bool {
        let (Some(s), Some(ed), Some(journal)) = (&self.session, &mut self.editor, &self.journal)
        else {
            return false;
        };
        let kept = journal.put(Pending {
            login: s.login().to_owned(),
            opinion_id: ed.opinion_id,
            version_id: ed.version_id,
            revision: ed.revision,
            base: ed.base.clone(),
            mine: ed.opinion.clone(),
            at: jiff::Timestamp::now().to_string(),
        });
        match kept {
            Ok(()) => {
                ed.dirty = false;
                ed.kept_locally = true;
                ed.save_error = None;
                let kept = self.kept_count();
                if let Some(lost) = &mut self.lost {
                    lost.kept = kept;
                }
                true
            }
            Err(e) => {
                ed.save_error = Some(Problem::Store(e));
                false
            }
        }
    }

    /// While the server is away: looks for it every few seconds on a thread of its own (a
    /// connection attempt may take seconds); when it answers, works on with the new connection
    /// and saves what was kept.
    pub(crate) fn look_for_server(&mut self, now: f64) {
        let Some(lost) = &mut self.lost else {
            return;
        };
        if let Some(rx) = &lost.probe {
            match rx.try_recv() {
                Ok(Ok(store)) => {
                    self.store = store;
                    self.lost = None;
                    self.server_back();
                }
                Ok(Err(_)) | Err(TryRecvError::Disconnected) => {
                    lost.probe = None;
                    lost.next_try = now + RETRY_EVERY;
                }
                Err(TryRecvError::Empty) => {}
            }
            return;
        }
        if now < lost.next_try {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let checked = self.store.checked_file();
        let repaint = self.repaint.clone();
        std::thread::spawn(move || {
            let _ = tx.send(checked.connect());
            repaint.request_repaint();
        });
        lost.probe = Some(rx);
    }

    /// The server answers again: what was kept is saved, the lists are read again.
    fn server_back(&mut self) {
        let kept = self
            .journal
            .as_ref()
            .and_then(|j| j.pending().ok())
            .is_some_and(|p| !p.is_empty());
        let said = if kept {
            "app-server-back"
        } else {
            "app-server-back-nothing-kept"
        };
        self.notify(super::problem::Said::new(said), self.screen);
        self.replay_journal();
        match self.screen {
            super::Screen::List => self.refresh_list(),
            super::Screen::Outbox => self.refresh_outbox(),
            _ => {}
        }
    }

    /// Saves what the journal keeps for the person signed in, oldest first. The draft open in
    /// the editor is saved by the editor; another that someone changed meanwhile is opened,
    /// with both sides shown ([`super::together`]), and the rest waits for it.
    pub(crate) fn replay_journal(&mut self) {
        let (Some(s), Some(journal)) = (self.session.clone(), &self.journal) else {
            return;
        };
        let pending = match journal.pending() {
            Ok(p) => p,
            Err(e) => return self.problem(e),
        };
        for p in pending.into_iter().filter(|p| p.login == s.login()) {
            if let Some(ed) = &mut self.editor
                && ed.version_id == p.version_id
            {
                ed.dirty = true;
                self.save_editor();
                if self.lost.is_some()
                    || self.editor.as_ref().is_some_and(|ed| ed.conflict.is_some())
                {
                    return;
                }
                continue;
            }
            match self.store.autosave(&s, p.version_id, p.revision, &p.mine) {
                Ok(_) => {
                    if let Some(j) = &self.journal
                        && let Err(e) = j.remove(p.version_id)
                    {
                        return self.problem(e);
                    }
                }
                Err(e) if e.is_server_lost() => return self.server_lost(),
                Err(StoreError::Conflict { .. }) => {
                    // Someone saved it meanwhile: opened with this terminal's content on top.
                    self.open(p.opinion_id);
                    if let Some(ed) = &mut self.editor
                        && ed.version_id == p.version_id
                    {
                        ed.base = p.base;
                        ed.opinion = p.mine;
                        ed.revision = p.revision;
                        ed.dirty = true;
                        ed.kept_locally = true;
                        ed.revalidate();
                        self.save_editor();
                    }
                    return;
                }
                // Finalised or turned into a new version meanwhile: the kept content stays in
                // the journal, and the message says why it was not saved.
                Err(e) => return self.problem(e),
            }
        }
    }

    /// At the top of every screen while the server is away.
    pub(crate) fn offline_banner(&self, ui: &mut Ui) {
        let Some(lost) = &self.lost else {
            return;
        };
        let kept = lost.kept;
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, theme::ERROR))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new(self.t_args(
                        "app-server-lost",
                        &[("since", lost.since.clone()), ("kept", kept.to_string())],
                    ))
                    .color(theme::ERROR)
                    .strong(),
                );
                if let Some(at) = &self.rows_as_of
                    && self.screen == super::Screen::List
                {
                    ui.label(self.t_args("app-list-as-of", &[("at", at.clone())]));
                }
            });
    }
}

/// Whether `problem` is the server gone away (said by the banner, not as a message).
pub(crate) fn is_lost(problem: &Problem) -> bool {
    match problem {
        Problem::Store(e) | Problem::Workflow(crate::workflow::WorkflowError::Store(e)) => {
            e.is_server_lost()
        }
        _ => false,
    }
}

/// The time a list was read, as the banner says it.
pub(crate) fn read_at() -> String {
    clock_now()
}
