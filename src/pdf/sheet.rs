//! The drawing of a sheet as plain data — text runs, boxes, rules and circles in millimetres from
//! the top-left corner of an A4 page — and `Flow`, which sets a row of labels, choices and slots
//! from left to right. The layout writes marks; `emit` turns them into PDF operations. Keeping the
//! drawing as data lets tests ask "is 女 circled?" without reading a PDF.

use super::fit::{FitBox, Fitted, PT_PER_MM, fit};
use super::font::Font;

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;

/// One thing drawn on a page. Lengths in millimetres, sizes in points; `y` grows downwards.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// Text with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    /// A stroked rectangle.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        line: f32,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        line: f32,
    },
    /// A stroked ellipse: the circle around a chosen 男・女 or era.
    Ellipse { cx: f32, cy: f32, rx: f32, ry: f32 },
    /// Grey text turned `angle` degrees anticlockwise about its start: the 下書き mark.
    Stamp {
        x: f32,
        y: f32,
        size: f32,
        angle: f32,
        text: String,
    },
}

/// Where an item's value went, and how its text fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub item: String,
    pub page: usize,
    /// For text slots: the fitted text. `None` for choices, dates and flags.
    pub fitted: Option<Fitted>,
    /// The whole text of the slot (for the continuation sheet when it did not fit).
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub marks: Vec<Mark>,
}

impl Page {
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: impl Into<String>) {
        self.marks.push(Mark::Text {
            x,
            y,
            size,
            text: text.into(),
        });
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, line: f32) {
        self.marks.push(Mark::Rect { x, y, w, h, line });
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, line: f32) {
        self.marks.push(Mark::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            line,
        });
    }

    pub fn vline(&mut self, x: f32, y1: f32, y2: f32, line: f32) {
        self.marks.push(Mark::Line {
            x1: x,
            y1,
            x2: x,
            y2,
            line,
        });
    }
}

/// Sizes and line widths of the sheet.
pub mod style {
    /// Printed labels.
    pub const LABEL_PT: f32 = 8.0;
    /// Headings of the numbered sections.
    pub const HEADING_PT: f32 = 9.5;
    /// Values written into the form, when they fit.
    pub const VALUE_PT: f32 = 9.0;
    /// The smallest size a value shrinks to.
    pub const MIN_PT: f32 = 6.0;
    /// Height of one row of labels and choices.
    pub const ROW_MM: f32 = 4.7;
    pub const THIN: f32 = 0.4;
    pub const THICK: f32 = 0.9;
}

/// Sets a row of pieces from left to right, starting a new row at `indent` when a piece does not
/// fit before `right`. Each piece moves as a whole.
pub struct Flow<'a> {
    pub page: &'a mut Page,
    pub font: &'a Font,
    pub placed: &'a mut Vec<Placed>,
    pub page_no: usize,
    pub left: f32,
    pub right: f32,
    pub indent: f32,
    pub x: f32,
    /// Top of the current row.
    pub top: f32,
    pub row: f32,
}

impl<'a> Flow<'a> {
    pub fn new(
        page: &'a mut Page,
        font: &'a Font,
        placed: &'a mut Vec<Placed>,
        page_no: usize,
        left: f32,
        right: f32,
        top: f32,
    ) -> Flow<'a> {
        Flow {
            page,
            font,
            placed,
            page_no,
            left,
            right,
            indent: left,
            x: left,
            top,
            row: style::ROW_MM,
        }
    }

    fn baseline(&self, size: f32) -> f32 {
        // Centre the em box in the row: BIZ UDGothic's ascent is about 0.88 em.
        self.top + self.row / 2.0 + size / PT_PER_MM * 0.35
    }

    pub fn width_of(&self, text: &str, size: f32) -> f32 {
        self.font.width(text) * size / PT_PER_MM
    }

    /// Starts a new row at the indent.
    pub fn newline(&mut self) {
        self.top += self.row;
        self.x = self.indent;
    }

    /// Moves to the start of the next row unless the current one is empty.
    pub fn fresh_row(&mut self) {
        if self.x > self.indent + 0.01 {
            self.newline();
        }
    }

    /// Makes room for `w` millimetres, starting a new row when needed.
    pub fn room(&mut self, w: f32) {
        if self.x + w > self.right + 0.01 && self.x > self.indent + 0.01 {
            self.newline();
        }
    }

    pub fn gap(&mut self, mm: f32) {
        self.x += mm;
    }

    /// Moves to column `x` (or to the next row when the row is already past it).
    pub fn tab(&mut self, x: f32) {
        if self.x > x + 0.01 {
            self.newline();
        }
        self.x = self.x.max(x);
    }

    /// A printed label, moved whole to the next row when it does not fit.
    pub fn label(&mut self, text: &str) {
        self.label_sized(text, style::LABEL_PT);
    }

    pub fn label_sized(&mut self, text: &str, size: f32) {
        let w = self.width_of(text, size);
        self.room(w);
        let y = self.baseline(size);
        self.page.text(self.x, y, size, text);
        self.x += w;
    }

    /// A long printed text wrapped over as many rows as it needs, from the current position: the
    /// first row in the room left on this one, the rest at the full width (each wrapped once).
    pub fn paragraph(&mut self, text: &str, size: f32) {
        let first_em = (self.right - self.x) * PT_PER_MM / size;
        let full_em = (self.right - self.indent) * PT_PER_MM / size;
        let lines = super::fit::wrap(self.font, text, first_em);
        let Some(first) = lines.first() else { return };
        let y = self.baseline(size);
        self.page.text(self.x, y, size, first.as_str());
        self.x += self.width_of(first, size);
        if lines.len() == 1 {
            return;
        }
        let rest = lines[1..].concat();
        for line in super::fit::wrap(self.font, &rest, full_em) {
            self.newline();
            let y = self.baseline(size);
            self.page.text(self.x, y, size, line.as_str());
            self.x += self.width_of(&line, size);
        }
    }

    /// A choice with its box: ■ when chosen, □ when not; underlined when `underline` (4.(5)).
    pub fn check(&mut self, checked: bool, label: &str, underline: bool) {
        let size = style::LABEL_PT;
        let mark = if checked { "■" } else { "□" };
        let w = self.width_of(mark, size) + self.width_of(label, size);
        self.room(w);
        let y = self.baseline(size);
        self.page.text(self.x, y, size, mark);
        let lx = self.x + self.width_of(mark, size);
        self.page.text(lx, y, size, label);
        if underline {
            let uy = y + 0.7;
            self.page
                .hline(lx, lx + self.width_of(label, size), uy, 0.5);
            self.page
                .hline(lx, lx + self.width_of(label, size), uy + 0.45, 0.5);
        }
        self.x += w + 1.6;
    }

    /// A printed choice that is circled when chosen (性別, 元号).
    pub fn circled(&mut self, chosen: bool, label: &str) {
        let size = style::LABEL_PT;
        let w = self.width_of(label, size);
        self.room(w);
        let y = self.baseline(size);
        self.page.text(self.x, y, size, label);
        if chosen {
            let cy = self.top + self.row / 2.0;
            self.page.marks.push(Mark::Ellipse {
                cx: self.x + w / 2.0,
                cy,
                rx: w / 2.0 + 0.6,
                ry: self.row / 2.0 - 0.1,
            });
        }
        self.x += w;
    }

    /// A blank of `width` millimetres, one row high, holding the value of `item` fitted into it.
    pub fn slot(&mut self, item: &str, width: f32, value: &str) {
        self.slot_aligned(item, width, value, false);
    }

    /// A blank for a number (a date part, the age, the height): the value centred in it.
    pub fn number_slot(&mut self, item: &str, width: f32, value: &str) {
        self.slot_aligned(item, width, value, true);
    }

    fn slot_aligned(&mut self, item: &str, width: f32, value: &str, centre: bool) {
        self.room(width);
        let b = FitBox {
            width_mm: width - 0.8,
            height_mm: self.row - 0.4,
            max_pt: style::VALUE_PT,
            min_pt: style::MIN_PT,
        };
        let shift = if centre {
            let w = self.font.width(value.trim()) * style::VALUE_PT / PT_PER_MM;
            ((b.width_mm - w) / 2.0).max(0.0)
        } else {
            0.0
        };
        let fitted = place_text(
            self.page,
            self.font,
            value,
            self.x + 0.4 + shift,
            self.top + 0.2,
            b,
            true,
        );
        self.placed.push(Placed {
            item: item.to_owned(),
            page: self.page_no,
            fitted,
            text: value.to_owned(),
        });
        self.x += width;
    }

    /// Records that a choice, flag or date item is on this page.
    pub fn mark_placed(&mut self, item: &str) {
        self.placed.push(Placed {
            item: item.to_owned(),
            page: self.page_no,
            fitted: None,
            text: String::new(),
        });
    }

    /// The bottom of the current row.
    pub fn bottom(&self) -> f32 {
        if self.x > self.indent + 0.01 {
            self.top + self.row
        } else {
            self.top
        }
    }
}

/// Writes `value` fitted into the box at (`x`, `y`) and returns how it fitted (`None` for a blank
/// value). A single-row box centres its text vertically.
pub fn place_text(
    page: &mut Page,
    font: &Font,
    value: &str,
    x: f32,
    y: f32,
    b: FitBox,
    centre: bool,
) -> Option<Fitted> {
    if value.trim().is_empty() {
        return None;
    }
    let printable = font.printable(value);
    let fitted = fit(font, &printable, b);
    let lh = fitted.line_height_mm();
    let block = lh * fitted.lines.len() as f32;
    let mut top = if centre {
        y + (b.height_mm - block).max(0.0) / 2.0
    } else {
        y
    };
    for line in &fitted.lines {
        if !line.is_empty() {
            // Baseline: the em box centred in the line height, ascent about 0.88 em.
            let base =
                top + (lh - fitted.size_pt / PT_PER_MM) / 2.0 + fitted.size_pt / PT_PER_MM * 0.88;
            page.text(x, base, fitted.size_pt, line.as_str());
        }
        top += lh;
    }
    Some(fitted)
}
