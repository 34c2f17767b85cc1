//! Importing 日医 医見書's CSV: a file of 10,000 records (FormatVersion 1.2, code page 932,
//! written by hand as 医見書 does) into a new store, in one transaction with the trail (target:
//! under 5 s), against two baselines measured in the same run: reading the same file into fields
//! (the format's floor: decoding code page 932 and splitting), and a bare SQLite transaction that
//! inserts 10,000 opinion bodies into the same kind of file (the store's floor). The medians of
//! five imports and the ratios are printed; criterion keeps its own record. Under
//! `cargo test --benches`, 200 records once.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ikensho::ikensyo::csv::{decode, records};
use ikensho::store::Durability;
use ikensho::workflow::import_ikensyo_csv;
use ikensho_testkit::fixtures as common;
use ikensho_testkit::ikensyo::{file, record_1_2};

fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// `n` records of as many applicants, with the long texts a real opinion has.
fn big_file(n: usize) -> Vec<u8> {
    let course = "平成30年頃より物忘れが目立つ。\u{b}令和2年より内服加療中。".repeat(3);
    let rows: Vec<Vec<String>> = (0..n)
        .map(|i| {
            record_1_2(
                &format!("{:010}", 1_000_000 + i),
                &format!("2025{:02}{:02}", 1 + i % 12, 1 + i % 28),
                &[(43, course.as_str()), (121, "特記事項なし。")],
            )
        })
        .collect();
    file(&rows)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

fn bench(c: &mut Criterion) {
    let n = if measuring() { 10_000 } else { 200 };
    let bytes = big_file(n);
    let dir = tempfile::tempdir().unwrap();
    let k = std::cell::Cell::new(0);
    let fresh = || {
        k.set(k.get() + 1);
        common::people(
            &dir.path().join(format!("s{}.sqlite", k.get())),
            Durability::Full,
        )
    };
    let import = |p: &mut common::People| {
        let r =
            import_ikensyo_csv(&mut p.store, &p.admin, "big.csv", &bytes, &mut |_| true).unwrap();
        assert_eq!(r.imported, n);
    };
    let parse = || {
        let (text, _) = decode(&bytes).unwrap();
        let fields: usize = records(&text).map(|r| r.unwrap().fields.len()).sum();
        assert_eq!(fields, 121 * n);
    };
    let body = serde_json::to_string(&common::first_insured()).unwrap();
    let bare = |path: &std::path::Path| {
        let mut conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
        )
        .unwrap();
        let tx = conn.transaction().unwrap();
        for _ in 0..n {
            tx.execute("INSERT INTO t (body) VALUES (?1)", [&body])
                .unwrap();
        }
        tx.commit().unwrap();
    };
    if measuring() {
        let runs = 5;
        let mut imports = Vec::new();
        let mut parses = Vec::new();
        let mut bares = Vec::new();
        for i in 0..runs {
            let mut p = fresh();
            let t = Instant::now();
            import(&mut p);
            imports.push(t.elapsed());
            let t = Instant::now();
            parse();
            parses.push(t.elapsed());
            let path = dir.path().join(format!("bare{i}.sqlite"));
            let t = Instant::now();
            bare(&path);
            bares.push(t.elapsed());
        }
        let (i, p, b) = (median(imports), median(parses), median(bares));
        println!("import of {n} records of 医見書's CSV, median of {runs}:");
        println!("  reading the file into fields (baseline): {p:?}");
        println!("  bare SQLite insert of {n} bodies (baseline): {b:?}");
        println!(
            "  import into a new store: {i:?} ({:.1}× reading, {:.1}× bare insert; target 5 s)",
            i.as_secs_f64() / p.as_secs_f64(),
            i.as_secs_f64() / b.as_secs_f64()
        );
    }
    let mut g = c.benchmark_group("ikensyo");
    g.sample_size(10);
    g.bench_function("import", |b| {
        b.iter_batched(fresh, |mut p| import(&mut p), BatchSize::PerIteration)
    });
    g.bench_function("read the file (baseline)", |b| b.iter(parse));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
