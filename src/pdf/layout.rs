//! The official two-page A4 layout of the 主治医意見書 (様式), for the R3 and R8 forms.
//!
//! The printed text here is the text of the 様式 itself — the same Japanese whatever the language
//! of the screen — so it is written here and not in `locales/`. Choices, units, eras and the
//! printed notes come from the form definition and its Japanese labels, so a choice added to a
//! form file is printed without a change here. Items the form does not have (the R3 consent line
//! on an R8 form) are simply not drawn; a test checks that every printed item of both forms is.

use crate::form::def::{FormDef, Item, ItemKind};
use crate::form::normalize::nfkc_trim;
use crate::form::opinion::{DateInput, Opinion, ValueRef};
use crate::form::validate::shown_items;
use crate::i18n::{Lang, Locales};

use super::fit::{FitBox, PT_PER_MM};
use super::font::Font;
use super::sheet::{Flow, Mark, PAGE_W, Page, Placed, place_text, style};

/// How much of the applicant's name the header of pages after the first lays out: more than its
/// 60 mm box shows at the smallest size.
const HEADER_NAME_CHARS: usize = 120;

const LEFT: f32 = 12.0;
const RIGHT: f32 = PAGE_W - 12.0;
const TOP: f32 = 10.0;

/// What the sheet needs besides the opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SheetOptions {
    /// Print 医師氏名 (記名) instead of leaving it blank for the physician's own signature (自署).
    pub print_physician_name: bool,
    /// A draft: 下書き on every page.
    pub draft: bool,
}

/// The two pages of the form and where each item's value went.
pub struct Sheet {
    pub pages: Vec<Page>,
    pub placed: Vec<Placed>,
}

/// Reads the opinion's values the way the paper shows them.
pub(crate) struct Values<'a> {
    pub form: &'a FormDef,
    pub op: &'a Opinion,
    shown: Vec<bool>,
    locales: &'a Locales,
}

impl<'a> Values<'a> {
    pub fn new(form: &'a FormDef, op: &'a Opinion, locales: &'a Locales) -> Values<'a> {
        Values {
            form,
            op,
            shown: shown_items(op, form),
            locales,
        }
    }

    pub fn item(&self, id: &str) -> Option<&'a Item> {
        self.form.item(id)
    }

    /// The value of an item that applies; an item that does not apply prints blank.
    fn value(&self, id: &str) -> ValueRef<'a> {
        match self.form.index_of(id) {
            Some(i) if self.shown[i] => self.op.value(&self.form.items[i]),
            _ => ValueRef::Empty,
        }
    }

    /// Text as typed (free text is never rewritten), or the normalised form of numbers and
    /// identifiers (full-width digits become ASCII).
    pub fn text(&self, id: &str) -> String {
        let value = self.value(id);
        let Some(s) = value.text() else {
            return String::new();
        };
        match self.item(id).map(|i| i.kind) {
            Some(ItemKind::Number | ItemKind::Identifier) => nfkc_trim(s),
            _ => s.trim_end().to_owned(),
        }
    }

    fn is(&self, id: &str, choice: &str) -> bool {
        let v = self.value(id);
        v.text() == Some(choice) || v.has(choice)
    }

    /// Underlined as the user marked it, even beside an unchecked box: that is a validation
    /// error which blocks the final copy, and a draft copy shows what was entered rather than
    /// silently dropping it.
    fn emphasized(&self, id: &str, choice: &str) -> bool {
        match self.value(id) {
            ValueRef::Marked(m) => m.emphasized.iter().any(|c| c == choice),
            _ => false,
        }
    }

    fn flag(&self, id: &str) -> bool {
        matches!(self.value(id), ValueRef::Flag(true))
    }

    fn date(&self, id: &str) -> Option<&'a DateInput> {
        match self.value(id) {
            ValueRef::Date(d) => Some(d),
            _ => None,
        }
    }

    pub fn ja(&self, key: &str) -> String {
        self.locales.text(Lang::Ja, key, None)
    }

    fn choice_label(&self, item: &Item, choice: &str) -> String {
        self.ja(&item.choice_label_key(choice))
    }
}

/// A text slot attached to a choice: その他（　）, 有（　）, 血圧（　）…
struct Attach<'s> {
    choice: &'s str,
    item: &'s str,
    width: f32,
}

fn attach<'s>(choice: &'s str, item: &'s str, width: f32) -> Attach<'s> {
    Attach {
        choice,
        item,
        width,
    }
}

struct Builder<'a> {
    v: &'a Values<'a>,
    font: &'a Font,
    pages: Vec<Page>,
    placed: Vec<Placed>,
    opts: SheetOptions,
}

/// Lays out `op` on the form `form`.
pub fn lay_out(
    form: &FormDef,
    op: &Opinion,
    locales: &Locales,
    font: &Font,
    opts: SheetOptions,
) -> Sheet {
    let v = Values::new(form, op, locales);
    let mut b = Builder {
        v: &v,
        font,
        pages: vec![Page::default(), Page::default()],
        placed: Vec::new(),
        opts,
    };
    b.page_one();
    b.page_two();
    b.continuation();
    Sheet {
        pages: b.pages,
        placed: b.placed,
    }
}

impl<'a> Builder<'a> {
    fn flow(&mut self, page: usize, left: f32, right: f32, top: f32) -> Flow<'_> {
        Flow::new(
            &mut self.pages[page],
            self.font,
            &mut self.placed,
            page,
            left,
            right,
            top,
        )
    }

    // ─────────────────────────── page 1 ───────────────────────────

    fn page_one(&mut self) {
        let v = self.v;
        // Title and 記入日.
        let title_pt = 15.0;
        let title = "主治医意見書";
        let tw = self.font.width(title) * title_pt / PT_PER_MM;
        self.pages[0].text((PAGE_W - tw) / 2.0, TOP + 6.5, title_pt, title);
        let mut f = self.flow(0, 128.0, RIGHT, TOP + 1.5);
        f.label("記入日");
        f.gap(2.0);
        reiwa_date(&mut f, v, "written-date");

        let y = self.applicant_table(TOP + 11.0);
        let y = self.physician_block(y + 1.0);
        let y = self.visits_table(y + 1.5);
        let y = self.disease_section(y + 2.0);
        let y = self.special_medical_section(y + 2.0);
        self.mind_section(y + 2.0);
        if self.opts.draft {
            self.draft_mark(0);
        }
    }

    fn applicant_table(&mut self, top: f32) -> f32 {
        let v = self.v;
        let (c1, c2, c3) = (25.0, 120.0, 136.0);
        let (r1, r2, r3, bottom) = (top, top + 6.0, top + 15.0, top + 24.0);
        let page = &mut self.pages[0];
        page.rect(LEFT, top, RIGHT - LEFT, bottom - top, style::THICK);
        page.vline(c1, top, bottom, style::THIN);
        page.vline(c2, top, bottom, style::THIN);
        page.vline(c3, top, bottom, style::THIN);
        page.hline(c1, c2, r2, style::THIN);
        page.hline(c1, c2, r3, style::THIN);
        page.text(LEFT + 2.0, top + 13.5, style::LABEL_PT, "申請者");

        // ふりがな and name.
        let mut f = self.flow(0, c1 + 1.0, c2 - 1.0, r1 + 0.6);
        f.label_sized("（ふりがな）", 7.0);
        let w = f.right - f.x;
        f.slot("applicant-kana", w, &v.text("applicant-kana"));
        self.place_item(
            0,
            "applicant-name",
            c1 + 3.0,
            r2 + 1.0,
            FitBox {
                width_mm: c2 - c1 - 6.0,
                height_mm: 7.0,
                max_pt: 13.0,
                min_pt: style::MIN_PT,
            },
            true,
        );

        // 生年月日 and age.
        let mut f = self.flow(0, c1 + 1.0, c2 - 1.0, r3 + 2.2);
        if let Some(item) = v.item("applicant-birth-date") {
            let date = v.date(&item.id);
            for (i, era) in item.eras.iter().enumerate() {
                if i > 0 {
                    f.label("・");
                }
                let label: String = v.ja(&format!("era-{}", era.id())).chars().take(1).collect();
                f.circled(date.is_some_and(|d| d.era == era.id()), &label);
            }
            f.gap(1.5);
            date_parts(&mut f, v, &item.id, date);
            f.label("生");
            f.mark_placed(&item.id);
        }
        f.gap(1.0);
        f.label("（");
        f.number_slot("applicant-age", 8.0, &v.text("applicant-age"));
        f.label("歳）");

        // 性別: 男・女, the chosen one circled.
        if let Some(item) = v.item("applicant-sex") {
            let mut f = Flow::new(
                &mut self.pages[0],
                self.font,
                &mut self.placed,
                0,
                c2 + 2.0,
                c3,
                top + 9.5,
            );
            for (i, c) in item.choices.iter().enumerate() {
                if i > 0 {
                    f.label("・");
                }
                f.circled(v.is(&item.id, c), &v.choice_label(item, c));
            }
            f.mark_placed(&item.id);
        }

        // 〒, address, 連絡先.
        let mut f = self.flow(0, c3 + 1.0, RIGHT - 1.0, r1 + 0.6);
        f.label("〒");
        f.slot(
            "applicant-postal-code",
            22.0,
            &v.text("applicant-postal-code"),
        );
        self.place_item(
            0,
            "applicant-address",
            c3 + 1.5,
            r2 - 0.2,
            FitBox {
                width_mm: RIGHT - c3 - 3.0,
                height_mm: 9.4,
                max_pt: style::VALUE_PT,
                min_pt: style::MIN_PT,
            },
            false,
        );
        let mut f = self.flow(0, c3 + 1.0, RIGHT - 1.0, r3 + 3.5);
        f.label("連絡先（");
        let w = f.right - f.x - 4.0;
        f.slot("applicant-phone", w, &v.text("applicant-phone"));
        f.label("）");
        bottom
    }

    fn physician_block(&mut self, top: f32) -> f32 {
        let v = self.v;
        let mut f = self.flow(0, LEFT, RIGHT, top);
        if let Some(item) = v.item("intro-note") {
            f.label(&v.ja(&item.label_key()));
        }
        if let Some(item) = v.item("consent") {
            // R3 only: 主治医として、本意見書が介護サービス計画作成等に利用されることに □同意する。 □同意しない。
            f.newline();
            f.label(&v.ja(&item.label_key()));
            f.gap(2.0);
            choices(&mut f, v, &item.id, &[]);
        }
        let y = f.bottom() + 0.5;

        // 医師氏名 / 医療機関名 電話 / 医療機関所在地 FAX.
        let rows = [y, y + 8.0, y + 13.5, y + 19.0];
        let mid = 136.0;
        let label_col = LEFT + 26.0;
        let page = &mut self.pages[0];
        page.rect(LEFT, y, RIGHT - LEFT, rows[3] - y, style::THICK);
        for r in &rows[1..3] {
            page.hline(LEFT, RIGHT, *r, style::THIN);
        }
        page.vline(label_col, y, rows[3], style::THIN);
        page.vline(mid, rows[1], rows[3], style::THIN);

        let mut f = self.flow(0, LEFT + 1.0, label_col, y + 1.6);
        f.label("医師氏名");
        let name = if self.opts.print_physician_name {
            v.text("physician-name")
        } else {
            String::new()
        };
        let mut f = self.flow(0, label_col + 2.0, RIGHT - 1.0, y + 1.6);
        f.slot("physician-name", 70.0, &name);
        let mut f = self.flow(0, LEFT + 1.0, label_col, rows[1] + 0.4);
        f.label("医療機関名");
        let mut f = self.flow(0, label_col + 1.0, mid - 1.0, rows[1] + 0.4);
        f.slot("clinic-name", mid - label_col - 3.0, &v.text("clinic-name"));
        let mut f = self.flow(0, mid + 1.0, RIGHT - 1.0, rows[1] + 0.4);
        f.label("電話（");
        let w = f.right - f.x - 4.0;
        f.slot("clinic-phone", w, &v.text("clinic-phone"));
        f.label("）");
        let mut f = self.flow(0, LEFT + 1.0, label_col, rows[2] + 0.4);
        f.label("医療機関所在地");
        let mut f = self.flow(0, label_col + 1.0, mid - 1.0, rows[2] + 0.4);
        f.slot(
            "clinic-address",
            mid - label_col - 3.0,
            &v.text("clinic-address"),
        );
        let mut f = self.flow(0, mid + 1.0, RIGHT - 1.0, rows[2] + 0.4);
        f.label("ＦＡＸ（");
        let w = f.right - f.x - 4.0;
        f.slot("clinic-fax", w, &v.text("clinic-fax"));
        f.label("）");
        rows[3]
    }

    fn visits_table(&mut self, top: f32) -> f32 {
        let v = self.v;
        let col = LEFT + 34.0;
        let mut f = self.flow(0, LEFT + 1.0, col, top + 0.3);
        f.label("(1) 最終診察日");
        let mut f = self.flow(0, col + 2.0, RIGHT - 1.0, top + 0.3);
        reiwa_date(&mut f, v, "last-exam-date");
        let r2 = top + 5.3;
        let mut f = self.flow(0, LEFT + 1.0, col, r2);
        f.label("(2) 意見書作成回数");
        let mut f = self.flow(0, col + 2.0, RIGHT - 1.0, r2);
        choices(&mut f, v, "opinion-count", &[]);
        let r3 = top + 10.3;
        let mut f = self.flow(0, LEFT + 1.0, col, r3);
        f.label("(3) 他科受診の有無");
        let mut f = self.flow(0, col + 2.0, RIGHT - 1.0, r3);
        choices(&mut f, v, "other-visits", &[]);
        f.newline();
        f.label("（有の場合）→");
        f.indent = f.x;
        choices(
            &mut f,
            v,
            "other-departments",
            &[attach("other", "other-departments-other", 24.0)],
        );
        let bottom = f.bottom() + 0.3;
        let page = &mut self.pages[0];
        page.rect(LEFT, top, RIGHT - LEFT, bottom - top, style::THICK);
        page.vline(col, top, bottom, style::THIN);
        page.hline(LEFT, RIGHT, r2, style::THIN);
        page.hline(LEFT, RIGHT, r3, style::THIN);
        bottom
    }

    /// A numbered section: its heading, the body written by `body`, and a frame around both.
    fn section(
        &mut self,
        page: usize,
        top: f32,
        heading: &str,
        body: impl FnOnce(&mut Flow<'_>, &Values<'_>),
    ) -> f32 {
        let v = self.v;
        let mut f = self.flow(page, LEFT + 1.5, RIGHT - 1.5, top + 0.5);
        f.paragraph(heading, style::HEADING_PT);
        f.newline();
        body(&mut f, v);
        let bottom = f.bottom() + 0.8;
        self.pages[page].rect(LEFT, top, RIGHT - LEFT, bottom - top, style::THICK);
        bottom
    }

    fn disease_section(&mut self, top: f32) -> f32 {
        let bottom_of_text = self.section(0, top, "1．傷病に関する意見", |f, v| {
            f.paragraph(
                "(1) 診断名（特定疾病または生活機能低下の直接の原因となっている傷病名については1．に記入）及び発症年月日",
                style::LABEL_PT,
            );
            for n in 1..=3 {
                f.newline();
                f.indent = f.left + 3.0;
                f.x = f.indent;
                f.label(&format!("{n}．"));
                let id = format!("diagnosis-{n}");
                f.slot(&id, 88.0, &v.text(&id));
                f.tab(f.left + 96.0);
                f.label("発症年月日（");
                onset_date(f, v, &format!("onset-{n}"));
                f.label("頃）");
            }
            f.indent = f.left;
            f.newline();
            f.label("(2) 症状としての安定性");
            f.gap(2.0);
            choices(f, v, "stability", &[]);
            f.newline();
            f.indent = f.left + 3.0;
            f.x = f.indent;
            f.label("（「不安定」とした場合、具体的な状況を記入）");
            let w = f.right - f.x;
            f.slot("stability-detail", w, &v.text("stability-detail"));
            f.indent = f.left;
            f.newline();
            f.paragraph(
                "(3) 生活機能低下の直接の原因となっている傷病または特定疾病の経過及び投薬内容を含む治療内容",
                style::LABEL_PT,
            );
            f.newline();
            f.paragraph(
                "〔最近（概ね6ヶ月以内）介護に影響のあったもの　及び　特定疾病についてはその診断の根拠等について記入〕",
                7.0,
            );
            f.newline();
        });
        // The box of (3), under the section's text.
        self.boxed_text(0, "course-treatment", top, bottom_of_text, 44.0)
    }

    /// A full-width box for a long text under a section's printed text, the section's frame
    /// extended around it. Returns the section's new bottom.
    fn boxed_text(
        &mut self,
        page: usize,
        item: &str,
        section_top: f32,
        text_bottom: f32,
        height: f32,
    ) -> f32 {
        let x = LEFT + 2.5;
        let w = RIGHT - LEFT - 5.0;
        let top_box = text_bottom - 0.8;
        self.pages[page].rect(x, top_box, w, height, style::THIN);
        self.place_item(
            page,
            item,
            x + 1.2,
            top_box + 0.8,
            FitBox {
                width_mm: w - 2.4,
                height_mm: height - 1.6,
                max_pt: style::VALUE_PT,
                min_pt: style::MIN_PT,
            },
            false,
        );
        let bottom = top_box + height + 1.5;
        self.extend_frame(page, section_top, bottom);
        bottom
    }

    /// Writes an item's text fitted into a box and records where it went.
    fn place_item(&mut self, page: usize, item: &str, x: f32, y: f32, b: FitBox, centre: bool) {
        let text = self.v.text(item);
        let fitted = place_text(&mut self.pages[page], self.font, &text, x, y, b, centre);
        self.placed.push(Placed {
            item: item.to_owned(),
            page,
            fitted,
            text,
        });
    }

    /// Replaces the last frame drawn for the section starting at `top` with one reaching `bottom`.
    fn extend_frame(&mut self, page: usize, top: f32, bottom: f32) {
        let marks = &mut self.pages[page].marks;
        if let Some(Mark::Rect { h, .. }) = marks.iter_mut().rev().find(
            |m| matches!(m, Mark::Rect { y, line, .. } if (*y - top).abs() < 0.01 && *line == style::THICK),
        ) {
            *h = bottom - top;
        }
    }

    fn special_medical_section(&mut self, top: f32) -> f32 {
        self.section(
            0,
            top,
            "2．特別な医療（過去14日間以内に受けた医療のすべてにチェック）",
            |f, v| {
                for (label, id) in [
                    ("処置内容", "special-procedures"),
                    ("特別な対応", "special-responses"),
                    ("失禁への対応", "special-incontinence"),
                ] {
                    f.indent = f.left;
                    f.x = f.left;
                    f.label(label);
                    f.tab(f.left + 22.0);
                    f.indent = f.left + 22.0;
                    choices(f, v, id, &[]);
                    f.indent = f.left;
                    f.newline();
                }
            },
        )
    }

    fn mind_section(&mut self, top: f32) -> f32 {
        self.section(0, top, "3．心身の状態に関する意見", |f, v| {
            f.label("(1) 日常生活の自立度等について");
            f.newline();
            labelled_choices(f, v, "・障害高齢者の日常生活自立度（寝たきり度）", "bedridden-level", 70.0, &[]);
            labelled_choices(f, v, "・認知症高齢者の日常生活自立度", "dementia-level", 70.0, &[]);
            f.paragraph(
                "(2) 認知症の中核症状（認知症以外の疾患で同様の症状を認める場合を含む）",
                style::LABEL_PT,
            );
            f.newline();
            labelled_choices(f, v, "・短期記憶", "short-term-memory", 70.0, &[]);
            labelled_choices(
                f,
                v,
                "・日常の意思決定を行うための認知能力",
                "decision-making",
                70.0,
                &[],
            );
            labelled_choices(f, v, "・自分の意思の伝達能力", "communication", 70.0, &[]);
            f.paragraph(
                "(3) 認知症の行動・心理症状（BPSD）（該当する項目全てチェック：認知症以外の疾患で同様の症状を認める場合を含む）",
                style::LABEL_PT,
            );
            f.newline();
            f.x = f.left + 3.0;
            choices(f, v, "bpsd", &[]);
            f.label("→");
            f.gap(1.0);
            f.indent = f.x;
            choices(f, v, "bpsd-items", &[attach("other", "bpsd-other", 26.0)]);
            f.indent = f.left;
            f.newline();
            f.label("(4) その他の精神・神経症状");
            f.newline();
            f.x = f.left + 3.0;
            choices(f, v, "psych-symptoms", &[]);
            f.label("〔症状名：");
            f.slot("psych-symptom-name", 58.0, &v.text("psych-symptom-name"));
            f.label("〕");
            f.newline();
            f.x = f.left + 3.0;
            f.label("専門医受診の有無");
            f.gap(2.0);
            choices(
                f,
                v,
                "specialist-visit",
                &[attach("yes", "specialist-visit-detail", 40.0)],
            );
        })
    }

    // ─────────────────────────── page 2 ───────────────────────────

    fn page_two(&mut self) {
        let top = self.page_header(1);
        let y = self.body_section(top + 1.0);
        let y = self.life_section(y + 2.0);
        self.notes_section(y + 2.0);
        if self.opts.draft {
            self.draft_mark(1);
        }
    }

    /// The header of a page after the first: the applicant's name and 記入日, as clinics expect.
    /// The name is a reminder here: at most what its box can show is laid out again on every page
    /// (a name too long for its box is printed whole once, on the continuation sheet, from page 1).
    pub(crate) fn page_header(&mut self, page: usize) -> f32 {
        let v = self.v;
        let name = v.text("applicant-name");
        let name: String = name.chars().take(HEADER_NAME_CHARS).collect();
        let mut f = self.flow(page, LEFT, RIGHT, TOP - 3.0);
        f.label("申請者氏名");
        f.gap(1.5);
        f.slot("applicant-name", 60.0, &name);
        f.tab(128.0);
        f.label("記入日");
        f.gap(2.0);
        reiwa_date(&mut f, v, "written-date");
        TOP + 3.0
    }

    fn body_section(&mut self, top: f32) -> f32 {
        self.section(1, top, "(5) 身体の状態", |f, v| {
            f.label("利き腕（");
            choices(f, v, "handedness", &[]);
            f.label("）");
            f.gap(2.0);
            f.label("身長＝");
            f.number_slot("height", 12.0, &v.text("height"));
            f.label(&unit(v, "height"));
            f.gap(2.0);
            f.label("体重＝");
            f.number_slot("weight", 12.0, &v.text("weight"));
            f.label(&unit(v, "weight"));
            f.gap(2.0);
            f.label("（過去6ヶ月の体重の変化");
            f.gap(1.0);
            choices(f, v, "weight-change", &[]);
            f.label("）");
            f.newline();
            flag(f, v, "limb-loss");
            f.label("（部位：");
            f.slot("limb-loss-site", 40.0, &v.text("limb-loss-site"));
            f.label("）");
            f.newline();
            flag(f, v, "paralysis");
            f.indent = f.left + 18.0;
            f.tab(f.indent);
            if let Some(item) = v.item("paralysis-sites") {
                for c in &item.choices {
                    f.fresh_row_if(c == "right-leg" || c == "other");
                    f.check(v.is(&item.id, c), &v.choice_label(item, c), false);
                    if c == "other" {
                        f.label("（部位：");
                        f.slot(
                            "paralysis-other-site",
                            30.0,
                            &v.text("paralysis-other-site"),
                        );
                        f.gap(1.0);
                        degree(f, v, "paralysis-other-degree");
                        f.label("）");
                    } else {
                        degree_in_parens(f, v, &format!("paralysis-{c}-degree"));
                    }
                }
                f.mark_placed(&item.id);
            }
            f.indent = f.left;
            f.newline();
            for id in ["muscle-weakness", "contracture", "joint-pain"] {
                site_and_degree(f, v, id);
            }
            flag(f, v, "ataxia");
            f.gap(2.0);
            if let Some(item) = v.item("ataxia-sides") {
                for (part, pair) in ["上肢", "下肢", "体幹"].iter().zip(item.choices.chunks(2))
                {
                    f.label(&format!("・{part}"));
                    f.gap(1.0);
                    for c in pair {
                        let label = v.choice_label(item, c);
                        let side = label.rsplit(' ').next().unwrap_or(&label).to_owned();
                        f.check(v.is(&item.id, c), &side, false);
                    }
                    f.gap(1.0);
                }
                f.mark_placed(&item.id);
            }
            f.newline();
            for id in ["pressure-ulcer", "other-skin"] {
                site_and_degree(f, v, id);
            }
        })
    }

    fn life_section(&mut self, top: f32) -> f32 {
        self.section(1, top, "4．生活機能とサービスに関する意見", |f, v| {
            f.label("(1) 移動");
            f.newline();
            labelled_choices(f, v, "屋外歩行", "outdoor-walking", 42.0, &[]);
            labelled_choices(f, v, "車いすの使用", "wheelchair", 42.0, &[]);
            labelled_choices(f, v, "歩行補助具・装具の使用（複数選択可）", "walking-aids", 58.0, &[]);
            f.label("(2) 栄養・食生活");
            f.newline();
            labelled_choices(f, v, "食事行為", "eating", 42.0, &[]);
            labelled_choices(f, v, "現在の栄養状態", "nutrition", 42.0, &[]);
            f.x = f.left + 3.0;
            f.label("→ 栄養・食生活上の留意点（");
            let w = f.right - f.x - 4.0;
            f.slot("nutrition-notes", w, &v.text("nutrition-notes"));
            f.label("）");
            f.newline();
            f.paragraph(
                "(3) 現在あるかまたは今後発生の可能性の高い状態とその対処方針",
                style::LABEL_PT,
            );
            f.newline();
            f.indent = f.left + 3.0;
            f.x = f.indent;
            choices(f, v, "conditions", &[attach("other", "conditions-other", 40.0)]);
            f.newline();
            f.label("→ 対処方針（");
            let w = f.right - f.x - 4.0;
            f.slot("conditions-policy", w, &v.text("conditions-policy"));
            f.label("）");
            f.indent = f.left;
            f.newline();
            headed_choices(
                f,
                v,
                "(4) サービス利用による生活機能の維持・改善の見通し",
                "improvement-outlook",
                &[],
            );
            headed_choices(
                f,
                v,
                "(5) 医学的管理の必要性（特に必要性の高いものには下線を引いて下さい。予防給付により提供されるサービスを含みます。）",
                "medical-services",
                &[attach("other", "medical-services-other", 40.0)],
            );
            headed_choices(
                f,
                v,
                "(6) サービス提供時における医学的観点からの留意事項（該当するものを選択するとともに、具体的に記載）",
                "care-notes",
                &[
                    attach("blood-pressure", "care-note-blood-pressure", 43.0),
                    attach("eating", "care-note-eating", 43.0),
                    attach("swallowing", "care-note-swallowing", 43.0),
                    attach("mobility", "care-note-mobility", 43.0),
                    attach("exercise", "care-note-exercise", 43.0),
                    attach("other", "care-note-other", 100.0),
                ],
            );
            headed_choices(
                f,
                v,
                "(7) 感染症の有無（有の場合は具体的に記入して下さい）",
                "infection",
                &[attach("yes", "infection-detail", 80.0)],
            );
        })
    }

    fn notes_section(&mut self, top: f32) -> f32 {
        let v = self.v;
        let note = v
            .form
            .items
            .iter()
            .find(|i| i.kind == ItemKind::Note && i.id.starts_with("notes-guidance"))
            .map(|i| v.ja(&i.label_key()));
        let bottom_of_text = self.section(1, top, "5．特記すべき事項", |f, _| {
            if let Some(note) = &note {
                f.paragraph(note, 7.0);
                f.newline();
            }
        });
        let height = PAGE_BOTTOM - bottom_of_text - 2.5;
        self.boxed_text(1, "special-notes", top, bottom_of_text, height)
    }

    /// The continuation sheet (別紙): the whole text of every item that did not fit its box,
    /// under the item's name, on as many pages as it takes. Nothing typed is ever left out.
    fn continuation(&mut self) {
        let v = self.v;
        let mut over: Vec<(String, String)> = Vec::new();
        for p in &self.placed {
            if p.fitted.as_ref().is_some_and(|f| f.over > 0)
                && !over.iter().any(|(i, _)| *i == p.item)
            {
                over.push((p.item.clone(), p.text.clone()));
            }
        }
        if over.is_empty() {
            return;
        }
        let mut page = self.new_page();
        let mut y = self.page_header(page) + 2.0;
        let title = "主治医意見書　別紙（欄に収まらなかった記載の全文）";
        self.pages[page].text(LEFT, y + 4.0, style::HEADING_PT, title);
        y += 8.0;
        let size = style::VALUE_PT;
        let lh = size * super::fit::LEADING / PT_PER_MM;
        let width_em = (RIGHT - LEFT - 4.0) * PT_PER_MM / size;
        for (id, text) in over {
            let Some(item) = v.item(&id) else { continue };
            let heading = format!(
                "【{}　{}】",
                v.ja(&v.form.sections[item.section].label_key()),
                v.ja(&item.label_key())
            );
            let printable = self.font.printable(&text);
            let lines = super::fit::wrap(self.font, &printable, width_em);
            for (i, line) in std::iter::once(heading).chain(lines).enumerate() {
                if y + lh > PAGE_BOTTOM {
                    page = self.new_page();
                    y = self.page_header(page) + 2.0;
                }
                let x = if i == 0 { LEFT } else { LEFT + 4.0 };
                let s = if i == 0 { style::LABEL_PT + 0.5 } else { size };
                self.pages[page].text(x, y + lh * 0.8, s, line);
                y += lh;
            }
            y += lh / 2.0;
        }
    }

    fn new_page(&mut self) -> usize {
        self.pages.push(Page::default());
        let page = self.pages.len() - 1;
        if self.opts.draft {
            self.draft_mark(page);
        }
        page
    }

    /// 下書き: a grey mark across the page and in its top margin.
    fn draft_mark(&mut self, page: usize) {
        let p = &mut self.pages[page];
        p.marks.push(Mark::Stamp {
            x: 45.0,
            y: 215.0,
            size: 90.0,
            angle: 35.0,
            text: "下書き".into(),
        });
        p.marks.push(Mark::Stamp {
            x: LEFT,
            y: 6.5,
            size: 10.0,
            angle: 0.0,
            text: "下書き（提出できません）".into(),
        });
    }
}

/// The bottom edge of the content area.
pub const PAGE_BOTTOM: f32 = super::sheet::PAGE_H - 10.0;

impl Flow<'_> {
    /// Starts a new row when `cond` holds and the row is not empty.
    fn fresh_row_if(&mut self, cond: bool) {
        if cond {
            self.fresh_row();
        }
    }
}

fn unit(v: &Values<'_>, id: &str) -> String {
    v.item(id)
        .and_then(|i| i.unit.as_ref())
        .map(|u| v.ja(&format!("unit-{u}")))
        .unwrap_or_default()
}

/// Every choice of `id`, with its box (■ chosen, □ not), and the text slot attached to a choice.
fn choices(f: &mut Flow<'_>, v: &Values<'_>, id: &str, attached: &[Attach<'_>]) {
    let Some(item) = v.item(id) else { return };
    for c in &item.choices {
        let label = v.choice_label(item, c);
        let slot = attached
            .iter()
            .find(|a| a.choice == c && v.item(a.item).is_some());
        if let Some(a) = slot {
            // The choice and its （　） stay on one row.
            let size = style::LABEL_PT;
            f.room(f.width_of(&format!("□{label}（）"), size) + a.width);
        }
        f.check(v.is(id, c), &label, v.emphasized(id, c));
        if let Some(a) = slot {
            {
                f.x -= 1.6;
                f.label("（");
                f.slot(a.item, a.width, &v.text(a.item));
                f.label("）");
                f.gap(1.6);
            }
        }
    }
    f.mark_placed(id);
}

/// A numbered heading on its rows, then the item's choices indented under it, then a new row.
fn headed_choices(
    f: &mut Flow<'_>,
    v: &Values<'_>,
    heading: &str,
    id: &str,
    attached: &[Attach<'_>],
) {
    f.paragraph(heading, style::LABEL_PT);
    f.newline();
    f.indent = f.left + 3.0;
    f.x = f.indent;
    choices(f, v, id, attached);
    f.indent = f.left;
    f.newline();
}

/// A label in a column of `col` millimetres, then the item's choices, then a new row.
fn labelled_choices(
    f: &mut Flow<'_>,
    v: &Values<'_>,
    label: &str,
    id: &str,
    col: f32,
    attached: &[Attach<'_>],
) {
    let left = f.left;
    f.x = left + 3.0;
    f.label(label);
    f.tab(left + 3.0 + col);
    f.indent = left + 3.0 + col;
    choices(f, v, id, attached);
    f.indent = left;
    f.newline();
}

fn flag(f: &mut Flow<'_>, v: &Values<'_>, id: &str) {
    if let Some(item) = v.item(id) {
        f.check(v.flag(id), &v.ja(&item.label_key()), false);
        f.x -= 1.6;
        f.mark_placed(id);
    }
}

/// 程度：□軽 □中 □重
fn degree(f: &mut Flow<'_>, v: &Values<'_>, id: &str) {
    f.label("程度：");
    choices(f, v, id, &[]);
    f.x -= 1.6;
}

fn degree_in_parens(f: &mut Flow<'_>, v: &Values<'_>, id: &str) {
    f.x -= 1.6;
    f.label("（");
    degree(f, v, id);
    f.label("）");
    f.gap(2.0);
}

/// □筋力の低下（部位：　程度：□軽 □中 □重）
fn site_and_degree(f: &mut Flow<'_>, v: &Values<'_>, id: &str) {
    flag(f, v, id);
    f.label("（部位：");
    let site = format!("{id}-site");
    f.slot(&site, 46.0, &v.text(&site));
    f.gap(1.0);
    degree(f, v, &format!("{id}-degree"));
    f.label("）");
    f.newline();
}

/// 令和　年　月　日, the era printed.
fn reiwa_date(f: &mut Flow<'_>, v: &Values<'_>, id: &str) {
    f.label("令和");
    f.gap(0.8);
    date_parts(f, v, id, v.date(id));
    f.mark_placed(id);
}

/// 　年　月　日 with the typed numbers in their slots.
fn date_parts(f: &mut Flow<'_>, v: &Values<'_>, id: &str, date: Option<&DateInput>) {
    let part = |s: Option<&String>| s.map(|s| nfkc_trim(s)).unwrap_or_default();
    let _ = v;
    f.number_slot(id, 7.0, &part(date.map(|d| &d.year)));
    f.label("年");
    f.number_slot(id, 6.0, &part(date.map(|d| &d.month)));
    f.label("月");
    f.number_slot(id, 6.0, &part(date.map(|d| &d.day)));
    f.label("日");
}

/// 昭和・平成・令和　年　月　日 (the chosen era circled), for the onset of a diagnosis.
fn onset_date(f: &mut Flow<'_>, v: &Values<'_>, id: &str) {
    let Some(item) = v.item(id) else { return };
    let date = v.date(id);
    for (i, era) in item.eras.iter().enumerate() {
        if i > 0 {
            f.label("・");
        }
        f.circled(
            date.is_some_and(|d| d.era == era.id()),
            &v.ja(&format!("era-{}", era.id())),
        );
    }
    f.gap(0.8);
    date_parts(f, v, id, date);
    f.mark_placed(id);
}
