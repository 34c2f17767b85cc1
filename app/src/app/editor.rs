//! The opinion open in the editor and what is left to do in it: its answers, their findings, the
//! marks of copy-forward and of the clerk's entries, and the worklist that F8 walks. Drawing is in
//! `form_ui`; everything here is state and decisions about it.

use std::collections::HashMap;

use crate::form::normalize::nfkc_trim;
use crate::form::opinion::{Answer, DateInput, Editable};
use crate::form::validate::{Applies, date_of, ids, validate_shown};
use crate::form::wareki::ordinary_age;
use crate::form::{Context, FormDef, Opinion, Report, Severity};
use crate::store::{ItemMark, OpenedOpinion, Origin, State};

/// An opinion open in the editor.
pub struct Editor {
    pub opinion_id: i64,
    pub version_id: i64,
    pub revision: i64,
    pub version_number: i64,
    pub state: State,
    pub opinion: Opinion,
    pub form: &'static FormDef,
    /// Whether this copy may be edited (a draft, by someone who may edit).
    pub editable: bool,
    pub marks: Vec<ItemMark>,
    /// The last opinion, when this one was copied forward from it.
    pub previous: Option<Opinion>,
    /// The municipality's reason, after a 差し戻し.
    pub note: Option<String>,
    pub report: Report,
    /// Which items are shown and required now (the same pass as `report`).
    pub applies: Applies,
    /// The section shown.
    pub section: usize,
    /// The item to give the keyboard focus at the next frame.
    pub focus: Option<String>,
    /// The item that has the keyboard focus.
    pub current: Option<String>,
    /// Where F8 last went in the worklist.
    pub at: Option<Entry>,
    /// The item F8 (or a link) just went to, highlighted for a moment; the time is filled in
    /// when it is first drawn.
    pub flash: Option<(String, Option<f64>)>,
    /// The item whose help is open.
    pub help: Option<String>,
    /// Changed since the last save.
    pub dirty: bool,
    /// A save failed: why (the edit stays in memory and is saved again).
    pub save_error: Option<super::problem::Problem>,
    /// The opinion as last loaded or saved: what this window's own edits are counted from.
    pub base: crate::form::Opinion,
    /// Others who have this draft open (from the store's soft lock).
    pub others: Vec<crate::store::editing::Holder>,
    /// Someone saved this draft first: what they changed and this window's edits on top. No
    /// save is tried until the person chose how to go on.
    pub conflict: Option<Conflict>,
    /// The last edits are kept in this terminal's journal (the server was away), not yet on
    /// the server.
    pub kept_locally: bool,
    /// Heights kept for the findings under each item of the section shown: a finding that goes
    /// away leaves its line, so nothing below moves under the pointer.
    pub reserved: HashMap<String, f32>,
    pub reserved_for: Option<usize>,
    /// The 年齢 last worked out from 生年月日 and 記入日: the age follows them while it still
    /// holds this (or nothing), and stays as typed once someone typed another.
    auto_age: Option<String>,
    /// Whether the store holds an earlier opinion for this applicant (checked against
    /// 意見書作成回数); `None` until the window asked.
    pub earlier_opinion: Option<bool>,
}

/// A save refused because someone else saved the draft first.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// Who saved it (their name).
    pub by: String,
    /// The draft's revision now, to save on top of.
    pub revision: i64,
    /// What they saved.
    pub base: crate::form::Opinion,
    /// What they saved with this window's edits put on top.
    pub together: crate::form::changes::Reapplied,
}

/// What the editor asks the window to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorIntent {
    /// Mark copied-forward items as confirmed unchanged (確認済).
    Confirm(Vec<String>),
    /// The physician has looked at what the clerk entered.
    ReviewClerkItems,
    /// After a conflict: save this window's edits on top of what the other person saved.
    KeepMine,
    /// After a conflict: drop this window's edits and show what was saved.
    TakeTheirs,
}

/// Why an item needs attention, in the order F8 visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attention {
    /// A finding that blocks signing.
    Error,
    /// A finding to look at.
    Warning,
    /// Entered or changed by a clerk, not yet looked at by the physician.
    Clerk,
    /// Carried over from the last opinion, not yet confirmed.
    Carried,
}

impl Attention {
    pub const ALL: [Attention; 4] = [
        Attention::Error,
        Attention::Warning,
        Attention::Clerk,
        Attention::Carried,
    ];

    /// The Fluent key of its heading in the worklist.
    pub fn key(self) -> &'static str {
        match self {
            Attention::Error => "app-attention-error",
            Attention::Warning => "app-attention-warning",
            Attention::Clerk => "app-attention-clerk",
            Attention::Carried => "app-attention-carried",
        }
    }
}

/// One entry of the worklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Attention,
    pub item: String,
}

impl Editor {
    /// The editor over an opinion as the store opened it; `editable` when this person may edit
    /// it (a draft, by someone who may edit).
    pub fn new(opened: OpenedOpinion, form: &'static FormDef, editable: bool) -> Editor {
        let OpenedOpinion {
            info,
            version,
            opinion,
            marks,
        } = opened;
        let mut e = Editor {
            base: opinion.clone(),
            others: Vec::new(),
            conflict: None,
            kept_locally: false,
            opinion_id: info.id,
            version_id: version.id,
            revision: version.revision,
            version_number: version.number,
            state: info.state,
            opinion,
            form,
            editable,
            marks,
            previous: None,
            note: info.note,
            report: Report::default(),
            applies: Applies::default(),
            section: 0,
            focus: None,
            current: None,
            at: None,
            flash: None,
            help: None,
            dirty: false,
            save_error: None,
            reserved: HashMap::new(),
            reserved_for: None,
            auto_age: None,
            earlier_opinion: None,
        };
        e.auto_age = e.computed_age();
        e.revalidate();
        e
    }

    /// 満年齢 on 記入日 from 生年月日, when both can be read.
    fn computed_age(&self) -> Option<String> {
        let birth = date_of(&self.opinion, self.form, ids::BIRTH_DATE)?;
        let written = date_of(&self.opinion, self.form, ids::WRITTEN_DATE)?;
        ordinary_age(birth, written).map(|a| a.to_string())
    }

    /// Keeps 年齢 in step with 生年月日 and 記入日 unless someone typed another age; `true` when
    /// it changed.
    pub fn follow_age(&mut self) -> bool {
        let computed = self.computed_age();
        let Some(item) = self.form.item(ids::AGE) else {
            return false;
        };
        let auto = self.auto_age.clone();
        let mut changed = false;
        if let Some(new) = &computed
            && let Some(Editable::Answer(Answer::Text(s)) | Editable::Text(s)) =
                self.opinion.edit(item)
        {
            let typed = nfkc_trim(s);
            if (typed.is_empty() || Some(&typed) == auto.as_ref()) && typed != *new {
                *s = new.clone();
                changed = true;
            }
        }
        self.auto_age = computed;
        changed
    }

    /// A draft opened for writing: 記入日 today when it is empty, and 年齢 from it. `true` when
    /// anything was filled in (to be saved).
    pub fn prefill(&mut self, today: jiff::civil::Date) -> bool {
        if !self.editable {
            return false;
        }
        let mut changed = false;
        if let Some(item) = self.form.item(ids::WRITTEN_DATE)
            && let Some(Editable::Answer(Answer::Date(d))) = self.opinion.edit(item)
            && d.is_blank()
            && let Some(t) = DateInput::from_date(today)
        {
            *d = t;
            changed = true;
        }
        changed |= self.follow_age();
        if changed {
            self.dirty = true;
            self.revalidate();
        }
        changed
    }

    /// Validates again and works out which items apply (after every change).
    pub fn revalidate(&mut self) {
        let mut ctx = Context::today_in_japan();
        if let Some(e) = self.earlier_opinion {
            ctx = ctx.with_earlier_opinion(e);
        }
        (self.report, self.applies) = validate_shown(&self.opinion, self.form, &ctx);
    }

    pub fn mark(&self, id: &str) -> Option<&ItemMark> {
        self.marks.iter().find(|m| m.item == id)
    }

    pub fn shown(&self, index: usize) -> bool {
        self.applies.shown.get(index).copied().unwrap_or(true)
    }

    /// What an empty answer to item `index` would be now: 必須 (an error) or 推奨 (a warning).
    pub fn required(&self, index: usize) -> Option<Severity> {
        self.applies.required.get(index).copied().flatten()
    }

    /// Everything left to look at, in the order F8 walks it: errors, warnings, (for a physician)
    /// the clerk's entries, then the items carried over and not confirmed — each in printed order.
    pub fn worklist(&self, physician: bool) -> Vec<Entry> {
        let mut severities: HashMap<&str, (bool, bool)> = HashMap::new();
        for f in &self.report.findings {
            let e = severities.entry(f.item.as_str()).or_default();
            match f.severity {
                Severity::Error => e.0 = true,
                Severity::Warning => e.1 = true,
            }
        }
        let marks: HashMap<&str, &ItemMark> =
            self.marks.iter().map(|m| (m.item.as_str(), m)).collect();
        let mut out = Vec::new();
        for kind in Attention::ALL {
            for (i, item) in self.form.items.iter().enumerate() {
                if !self.shown(i) {
                    continue;
                }
                let id = item.id.as_str();
                let hit = match kind {
                    Attention::Error => severities.get(id).is_some_and(|s| s.0),
                    Attention::Warning => severities.get(id).is_some_and(|s| s.1),
                    Attention::Clerk => physician && marks.get(id).is_some_and(|m| m.clerk_pending),
                    Attention::Carried => marks
                        .get(id)
                        .is_some_and(|m| m.origin == Some(Origin::Carried)),
                };
                if hit {
                    out.push(Entry {
                        kind,
                        item: item.id.clone(),
                    });
                }
            }
        }
        out
    }

    /// How many entries of each kind a worklist holds.
    pub fn counts(list: &[Entry]) -> HashMap<Attention, usize> {
        let mut counts: HashMap<Attention, usize> =
            Attention::ALL.iter().map(|k| (*k, 0)).collect();
        for e in list {
            *counts.entry(e.kind).or_default() += 1;
        }
        counts
    }

    fn key(&self, e: &Entry) -> (Attention, usize) {
        (e.kind, self.form.index_of(&e.item).unwrap_or(usize::MAX))
    }

    /// Goes to the entry after the one F8 went to last (wrapping round); `false` when the list
    /// is empty.
    pub fn jump_next(&mut self, physician: bool) -> bool {
        let list = self.worklist(physician);
        let next = match &self.at {
            Some(at) => {
                let here = self.key(at);
                list.iter()
                    .find(|e| self.key(e) > here)
                    .or_else(|| list.first())
            }
            None => list.first(),
        }
        .cloned();
        match next {
            Some(e) => {
                self.jump_to(&e.item);
                self.at = Some(e);
                true
            }
            None => {
                self.at = None;
                false
            }
        }
    }

    /// Where F8 stands in `list`: its entry's kind, its place among the entries of that kind,
    /// and how many there are — when the entry is still on the list.
    pub fn position(&self, list: &[Entry]) -> Option<(Attention, usize, usize)> {
        let at = self.at.as_ref()?;
        let same: Vec<&Entry> = list.iter().filter(|e| e.kind == at.kind).collect();
        let k = same.iter().position(|e| e.item == at.item)?;
        Some((at.kind, k + 1, same.len()))
    }

    /// Shows the section of `id`, gives the item the focus and highlights it for a moment.
    pub fn jump_to(&mut self, id: &str) {
        if let Some(item) = self.form.item(id) {
            self.section = item.section;
            self.focus = Some(id.to_owned());
            self.current = Some(id.to_owned());
            self.flash = Some((id.to_owned(), None));
        }
    }

    /// Answered items among those required now in a section: (answered, required).
    pub fn progress(&self, section: usize) -> (usize, usize) {
        let Some(s) = self.form.sections.get(section) else {
            return (0, 0);
        };
        let mut done = 0;
        let mut all = 0;
        for i in s.items.clone() {
            if self.required(i).is_none() {
                continue;
            }
            all += 1;
            if self.opinion.value(&self.form.items[i]).is_answered() {
                done += 1;
            }
        }
        (done, all)
    }

    pub fn section_has(&self, section: usize, severity: Severity) -> bool {
        self.report.findings.iter().any(|f| {
            f.severity == severity
                && self
                    .form
                    .item(&f.item)
                    .is_some_and(|item| item.section == section)
        })
    }

    /// The shown items of `section` carried over from the last opinion and not confirmed yet.
    pub fn carried_in(&self, section: usize) -> Vec<String> {
        let Some(s) = self.form.sections.get(section) else {
            return Vec::new();
        };
        s.items
            .clone()
            .filter(|i| self.shown(*i))
            .map(|i| &self.form.items[i])
            .filter(|item| {
                self.mark(&item.id)
                    .is_some_and(|m| m.origin == Some(Origin::Carried))
            })
            .map(|item| item.id.clone())
            .collect()
    }

    /// Every carried item not confirmed yet, by section (sections without any left out).
    pub fn carried_by_section(&self) -> Vec<(usize, Vec<String>)> {
        (0..self.form.sections.len())
            .map(|s| (s, self.carried_in(s)))
            .filter(|(_, items)| !items.is_empty())
            .collect()
    }

    /// The clerk's entries not reviewed yet.
    pub fn clerk_pending(&self) -> usize {
        self.marks.iter().filter(|m| m.clerk_pending).count()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::form::FormVersion;
    use crate::store::{OpinionInfo, VersionInfo};

    fn editor(birth: DateInput) -> Editor {
        let form = FormDef::builtin(FormVersion::R8).unwrap();
        let mut op = Opinion::empty(form, false);
        op.applicant.birth_date = birth;
        let info = OpinionInfo {
            id: 1,
            state: State::ClerkEntry,
            name: String::new(),
            kana: String::new(),
            insurer_number: String::new(),
            insured_number: String::new(),
            request_id: None,
            day: String::new(),
            due_date: None,
            updated_at: String::new(),
            note: None,
            version_id: 1,
            version_number: 1,
            application_kind: None,
        };
        let version = VersionInfo {
            id: 1,
            opinion_id: 1,
            number: 1,
            revision: 0,
            saved_at: String::new(),
            body_hash: String::new(),
            frozen: None,
            frozen_at: None,
        };
        let opened = OpenedOpinion {
            info,
            version,
            opinion: op,
            marks: Vec::new(),
        };
        Editor::new(opened, form, true)
    }

    fn age(ed: &Editor) -> Option<String> {
        match ed.opinion.answers.get(ids::AGE) {
            Some(Answer::Text(s)) => Some(s.clone()),
            _ => None,
        }
    }

    fn set_written(ed: &mut Editor, d: DateInput) {
        let item = ed.form.item(ids::WRITTEN_DATE).unwrap();
        if let Some(Editable::Answer(Answer::Date(w))) = ed.opinion.edit(item) {
            *w = d;
        }
    }

    #[test]
    fn a_new_draft_is_written_today_and_the_age_follows_the_dates_until_someone_types_one() {
        let mut ed = editor(DateInput::new("showa", "40", "8", "15"));
        assert!(ed.prefill(jiff::civil::date(2026, 12, 1)));
        assert!(ed.dirty);
        assert_eq!(
            ed.opinion.answers.get(ids::WRITTEN_DATE),
            Some(&Answer::Date(DateInput::new("reiwa", "8", "12", "1")))
        );
        assert_eq!(age(&ed).as_deref(), Some("61"));
        // The age printed is the ordinary 満年齢: not yet a year older on the day before the
        // birthday (the law's age, for 第1号/第2号, already is), a year older on the birthday.
        set_written(&mut ed, DateInput::new("reiwa", "9", "8", "14"));
        assert!(!ed.follow_age());
        assert_eq!(age(&ed).as_deref(), Some("61"));
        set_written(&mut ed, DateInput::new("reiwa", "9", "8", "15"));
        assert!(ed.follow_age());
        assert_eq!(age(&ed).as_deref(), Some("62"));
        // An age someone typed stays.
        let item = ed.form.item(ids::AGE).unwrap();
        if let Some(Editable::Answer(Answer::Text(s))) = ed.opinion.edit(item) {
            *s = "70".into();
        }
        set_written(&mut ed, DateInput::new("reiwa", "10", "8", "14"));
        assert!(!ed.follow_age());
        assert_eq!(age(&ed).as_deref(), Some("70"));
    }

    #[test]
    fn a_filled_date_or_a_read_only_copy_is_left_as_it_is() {
        let mut ed = editor(DateInput::new("showa", "40", "8", "15"));
        set_written(&mut ed, DateInput::new("reiwa", "8", "11", "20"));
        ed.prefill(jiff::civil::date(2026, 12, 1));
        assert_eq!(
            ed.opinion.answers.get(ids::WRITTEN_DATE),
            Some(&Answer::Date(DateInput::new("reiwa", "8", "11", "20")))
        );
        let mut ro = editor(DateInput::new("showa", "40", "8", "15"));
        ro.editable = false;
        assert!(!ro.prefill(jiff::civil::date(2026, 12, 1)));
        assert_eq!(ro.opinion.answers.get(ids::WRITTEN_DATE), None);
    }
}
