//! Marks to PDF: one printpdf page per sheet page, the font embedded as a subset of the glyphs
//! used. Coordinates turn from millimetres-from-the-top into PDF points-from-the-bottom here.

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};

use super::fit::PT_PER_MM;
use super::font::Font;
use super::sheet::{Mark, PAGE_H, PAGE_W, Page};

fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

/// A point `x`, `y` millimetres from the top-left corner.
fn at(x: f32, y: f32) -> Point {
    Point {
        x: pt(x),
        y: pt(PAGE_H - y),
    }
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: level,
        icc_profile: None,
    })
}

fn page_ops(page: &Page, font: &FontId) -> Vec<Op> {
    let handle = || PdfFontHandle::External(font.clone());
    let mut ops = vec![Op::SaveGraphicsState];
    // Stamps first, so the form is printed over them.
    for m in &page.marks {
        if let Mark::Stamp {
            x,
            y,
            size,
            angle,
            text,
        } = m
        {
            let p = at(*x, *y);
            ops.extend([
                Op::SetFillColor {
                    col: grey(if *angle == 0.0 { 0.35 } else { 0.85 }),
                },
                Op::StartTextSection,
                Op::SetFont {
                    font: handle(),
                    size: Pt(*size),
                },
                Op::SetTextMatrix {
                    matrix: TextMatrix::TranslateRotate(p.x, p.y, *angle),
                },
                Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                },
                Op::EndTextSection,
            ]);
        }
    }
    ops.push(Op::SetFillColor { col: grey(0.0) });
    ops.push(Op::SetOutlineColor { col: grey(0.0) });
    ops.push(Op::StartTextSection);
    let mut size = None;
    for m in &page.marks {
        if let Mark::Text {
            x,
            y,
            size: s,
            text,
            ..
        } = m
        {
            if size != Some(*s) {
                ops.push(Op::SetFont {
                    font: handle(),
                    size: Pt(*s),
                });
                size = Some(*s);
            }
            let p = at(*x, *y);
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(p.x, p.y),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(text.clone())],
            });
        }
    }
    ops.push(Op::EndTextSection);
    let mut width = None;
    let mut thickness = |ops: &mut Vec<Op>, w: f32| {
        if width != Some(w) {
            ops.push(Op::SetOutlineThickness { pt: Pt(w) });
            width = Some(w);
        }
    };
    for m in &page.marks {
        match m {
            Mark::Rect { x, y, w, h, line } => {
                thickness(&mut ops, *line);
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: pt(*x),
                        y: pt(PAGE_H - y - h),
                        width: pt(*w),
                        height: pt(*h),
                        mode: Some(PaintMode::Stroke),
                        winding_order: None,
                    },
                });
            }
            Mark::Line {
                x1,
                y1,
                x2,
                y2,
                line,
            } => {
                thickness(&mut ops, *line);
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: at(*x1, *y1),
                                bezier: false,
                            },
                            LinePoint {
                                p: at(*x2, *y2),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            Mark::Ellipse { cx, cy, rx, ry } => {
                thickness(&mut ops, 0.6);
                let points = (0..48)
                    .map(|i| {
                        let t = i as f32 / 48.0 * std::f32::consts::TAU;
                        LinePoint {
                            p: at(cx + rx * t.cos(), cy + ry * t.sin()),
                            bezier: false,
                        }
                    })
                    .collect();
                ops.push(Op::DrawLine {
                    line: Line {
                        points,
                        is_closed: true,
                    },
                });
            }
            Mark::Text { .. } | Mark::Stamp { .. } => {}
        }
    }
    ops.push(Op::RestoreGraphicsState);
    ops
}

/// The PDF bytes of `pages`, titled `title`.
pub fn emit(pages: &[Page], font: &Font, title: &str) -> Vec<u8> {
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.creator = "ikensho".to_owned();
    doc.metadata.info.producer = "ikensho (printpdf)".to_owned();
    let id = doc.add_font(&font.parsed);
    let pdf_pages = pages
        .iter()
        .map(|p| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), page_ops(p, &id)))
        .collect();
    doc.with_pages(pdf_pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}
