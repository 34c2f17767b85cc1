//! Validating one complete opinion, against reading the same opinion from its JSON file as the
//! baseline measured in the same run (the GUI does both on every autosave).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use criterion::{Criterion, criterion_group, criterion_main};
use ikensho::form::{Context, FormDef, Opinion, validate};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let text = include_str!("../tests/data/valid-first-insured.json");
    let op = Opinion::from_json(text).expect("example");
    let form = FormDef::builtin(op.form_version).expect("form");
    let ctx = Context::new(jiff::civil::date(2026, 11, 21));
    assert!(validate(&op, form, &ctx).findings.is_empty());
    let second = Opinion::from_json(include_str!("../tests/data/valid-second-insured.json"))
        .expect("example");

    let mut g = c.benchmark_group("opinion");
    g.bench_function("parse_json (baseline)", |b| {
        b.iter(|| Opinion::from_json(black_box(text)))
    });
    g.bench_function("validate_first_insured", |b| {
        b.iter(|| validate(black_box(&op), form, &ctx))
    });
    g.bench_function("validate_second_insured", |b| {
        b.iter(|| validate(black_box(&second), form, &ctx))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
