//! One opinion to PDF bytes (layout, fitting and printpdf with the font subset), against the
//! baseline measured in the same run: printpdf alone writing the same, already laid-out pages.
//! The ratio is what our layout and fitting add. The file sizes are printed once. A megabyte of
//! 特記すべき事項 (hundreds of continuation pages) shows that fitting stays linear, against
//! printpdf writing those laid-out pages.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use criterion::{Criterion, criterion_group, criterion_main};
use ikensho::form::{FormDef, Opinion};
use ikensho::pdf::font::Font;
use ikensho::pdf::{PrintOptions, emit, render, sheet};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let first = Opinion::from_json(include_str!("../tests/data/valid-first-insured.json")).unwrap();
    let second =
        Opinion::from_json(include_str!("../tests/data/valid-second-insured.json")).unwrap();
    let form = FormDef::builtin(first.form_version).unwrap();
    let font = Font::builtin().unwrap();
    let opts = PrintOptions {
        print_physician_name: false,
        draft: false,
    };
    for (name, op) in [("first_insured", &first), ("second_insured", &second)] {
        let printed = render(form, op, opts).unwrap();
        eprintln!(
            "pdf size {name}: {} bytes ({:.1} KB), {} pages",
            printed.bytes.len(),
            printed.bytes.len() as f64 / 1024.0,
            printed.pages
        );
    }
    let laid_out = sheet(form, &first, opts).unwrap();

    let mut g = c.benchmark_group("pdf");
    g.bench_function("printpdf_only (baseline)", |b| {
        b.iter(|| emit::emit(black_box(&laid_out.pages), font, "主治医意見書"))
    });
    g.bench_function("layout_only", |b| {
        b.iter(|| sheet(form, black_box(&first), opts))
    });
    g.bench_function("opinion_to_pdf_first_insured", |b| {
        b.iter(|| render(form, black_box(&first), opts))
    });
    g.bench_function("opinion_to_pdf_second_insured", |b| {
        b.iter(|| render(form, black_box(&second), opts))
    });
    g.finish();

    let mut huge = first.clone();
    let line = "夜間の徘徊があり、家族が見守りを続けている。";
    huge.answers.insert(
        "special-notes",
        ikensho::form::Answer::Text(line.repeat(1_000_000 / line.chars().count())),
    );
    let huge_pages = sheet(form, &huge, opts).unwrap();
    eprintln!("a 1 MB 特記: {} pages", huge_pages.pages.len());
    let mut g = c.benchmark_group("pdf_1mb_notes");
    g.sample_size(10);
    g.bench_function("printpdf_only (baseline)", |b| {
        b.iter(|| emit::emit(black_box(&huge_pages.pages), font, "主治医意見書"))
    });
    g.bench_function("opinion_to_pdf", |b| {
        b.iter(|| render(form, black_box(&huge), opts))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
