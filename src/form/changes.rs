//! Copy-forward at renewal and the item-by-item difference between two opinions.
//!
//! Both work on the form's items, so a value kept in the applicant or clinic part of the Opinion
//! (a bound item) is compared and carried like any answer.

use jiff::civil::Date;

use super::def::{Field, FormDef};
use super::opinion::{Answer, Clinic, DateInput, Editable, Opinion, ValueRef};
use super::validate::{date_of, ids};
use super::wareki::ordinary_age;

/// Items reset at renewal instead of carried: 記入日 (today), 最終診察日 (empty), 意見書作成回数
/// (2回目以上) and the age (counted again from the birth date).
pub const RESET_AT_RENEWAL: [&str; 4] = [
    ids::WRITTEN_DATE,
    ids::LAST_EXAM_DATE,
    OPINION_COUNT,
    ids::AGE,
];

const OPINION_COUNT: &str = "opinion-count";

/// What changed in one item between two opinions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Empty before, answered after.
    Added,
    /// Answered before, empty after.
    Removed,
    /// Answered in both, with different values.
    Changed,
}

/// One item that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDiff {
    pub item: String,
    pub change: Change,
}

/// Whether two values are the same answer: two empty values are equal whatever their shape.
pub fn same_value(a: ValueRef<'_>, b: ValueRef<'_>) -> bool {
    match (a.is_answered(), b.is_answered()) {
        (false, false) => true,
        (true, true) => a == b,
        _ => false,
    }
}

/// The items whose values differ between `before` (on `form_before`) and `after` (on
/// `form_after`), in the printed order of `form_after`, then items only `form_before` has.
pub fn diff(
    form_before: &FormDef,
    before: &Opinion,
    form_after: &FormDef,
    after: &Opinion,
) -> Vec<ItemDiff> {
    let mut out = Vec::new();
    let mut push = |id: &str, a: ValueRef<'_>, b: ValueRef<'_>| {
        let change = match (a.is_answered(), b.is_answered()) {
            (false, false) => return,
            (false, true) => Change::Added,
            (true, false) => Change::Removed,
            (true, true) if a == b => return,
            (true, true) => Change::Changed,
        };
        out.push(ItemDiff {
            item: id.to_owned(),
            change,
        });
    };
    for item in form_after.items.iter().filter(|i| i.has_value()) {
        let old = form_before
            .item(&item.id)
            .map_or(ValueRef::Empty, |i| before.value(i));
        push(&item.id, old, after.value(item));
    }
    for item in form_before.items.iter().filter(|i| i.has_value()) {
        if form_after.item(&item.id).is_none() {
            push(&item.id, before.value(item), ValueRef::Empty);
        }
    }
    out
}

/// A renewal's starting point: `previous` (on `from`) carried onto `to` as of `today`.
/// Answers of items that `to` lacks, or has with another type, are dropped; the request is
/// cleared; [`RESET_AT_RENEWAL`] items are reset; the clinic part is `clinic` (today's clinic
/// settings). Returns the new opinion and the ids of the items whose values were carried over
/// (answered and unchanged; the clinic items are not counted).
pub fn carry_forward(
    from: &FormDef,
    previous: &Opinion,
    to: &FormDef,
    today: Date,
    clinic: Clinic,
) -> (Opinion, Vec<String>) {
    let mut next = Opinion::empty(to, false);
    next.applicant = previous.applicant.clone();
    next.clinic = clinic;
    for (id, answer) in previous.answers.iter() {
        let same_kind = match (from.item(id), to.item(id)) {
            (Some(a), Some(b)) => a.kind == b.kind && a.bind.is_none() && b.bind.is_none(),
            _ => false,
        };
        if same_kind && !RESET_AT_RENEWAL.contains(&id.as_str()) {
            next.answers.insert(id.clone(), answer.clone());
        }
    }
    if let Some(d) = DateInput::from_date(today) {
        next.answers.insert(ids::WRITTEN_DATE, Answer::Date(d));
    }
    next.answers
        .insert(OPINION_COUNT, Answer::Text("repeat".to_owned()));
    let birth = date_of(&next, to, ids::BIRTH_DATE);
    if let Some(age) = birth.and_then(|b| ordinary_age(b, today)) {
        next.answers.insert(ids::AGE, Answer::Text(age.to_string()));
    }
    let carried = to
        .items
        .iter()
        .filter(|item| item.has_value() && !RESET_AT_RENEWAL.contains(&item.id.as_str()))
        .filter(|item| !item.bind.is_some_and(Field::is_clinic))
        .filter(|item| {
            let old = from
                .item(&item.id)
                .map_or(ValueRef::Empty, |i| previous.value(i));
            old.is_answered() && same_value(old, next.value(item))
        })
        .map(|item| item.id.clone())
        .collect();
    (next, carried)
}

/// A draft saved from two places at once, put together again: what the other person saved
/// (`theirs`), with this person's own changes since `base` (what both last had) applied on top.
#[derive(Debug, Clone, PartialEq)]
pub struct Reapplied {
    /// `theirs` with this person's changed items set to this person's values.
    pub opinion: Opinion,
    /// The items the other person changed since `base`.
    pub theirs: Vec<String>,
    /// The items this person changed since `base` (kept, in `opinion`).
    pub mine: Vec<String>,
    /// The items both changed, to different values: this person's value is in `opinion`, the
    /// other's is the one to look at before saving.
    pub both: Vec<String>,
}

/// Puts this person's unsaved changes (`mine`, from `base`) on top of what another window saved
/// meanwhile (`theirs`, from the same `base`), all on `form`. Nothing this person typed is
/// dropped: every item that differs from `base` in `mine` has `mine`'s value in the result.
pub fn reapply(form: &FormDef, base: &Opinion, mine: &Opinion, theirs: &Opinion) -> Reapplied {
    let ids = |d: Vec<ItemDiff>| d.into_iter().map(|d| d.item).collect::<Vec<_>>();
    let theirs_items = ids(diff(form, base, form, theirs));
    let mine_items = ids(diff(form, base, form, mine));
    let mut out = theirs.clone();
    let mut source = mine.clone();
    let mut both = Vec::new();
    for id in &mine_items {
        let Some(item) = form.item(id) else {
            continue;
        };
        if theirs_items.contains(id) && !same_value(mine.value(item), theirs.value(item)) {
            both.push(id.clone());
        }
        if item.bind.is_none() && mine.answers.get(id).is_none() {
            out.answers.remove(id);
            continue;
        }
        match (out.edit(item), source.edit(item)) {
            (Some(Editable::Text(to)), Some(Editable::Text(from))) => to.clone_from(from),
            (Some(Editable::Date(to)), Some(Editable::Date(from))) => to.clone_from(from),
            (Some(Editable::Answer(to)), Some(Editable::Answer(from))) => to.clone_from(from),
            _ => {}
        }
    }
    Reapplied {
        opinion: out,
        theirs: theirs_items,
        mine: mine_items,
        both,
    }
}
