//! The draft store on a real SQLite file.
//!
//! - `autosave`: one save of a complete opinion with one item changed (WAL, `synchronous = FULL`,
//!   review marks and the audit entry included) in the encrypted store, against two baselines:
//!   the same save in an unencrypted copy of the store (the cost of encryption), and a bare
//!   durable SQLite commit of the same body in the same file system. Criterion reports medians; a separate pass
//!   of timed single saves prints the median and p99, which criterion does not give.
//! - `search`: queries among 100,000 opinions (1,000 under `cargo test --benches`), against the
//!   baseline of the same name match done as a full scan (`LIKE '%…%'`) without the key index.
//!
//! - `sign_in`: a sign-in with the right password, and one with a login that does not exist
//!   (the same work, so that the time does not tell which logins exist), against the baseline of
//!   the Argon2id check alone.
//!
//! On the clinic server (PostgreSQL over TLS on loopback: the test cluster of
//! `scripts/pg-test-cluster`, skipped without one unless `IKENSHO_REQUIRE_PG` is set):
//!
//! - `server autosave`: the same save on a server store, against a bare PostgreSQL commit of the
//!   same body over a connection of the same kind (TLS, same server); median and p99 printed.
//! - `server search`: the same queries among 100,000 opinions (1,000 under `cargo test --benches`)
//!   copied onto the server, against the full-scan baseline there.
//! - `two terminals`: two connections saving different drafts at once, against one connection
//!   saving alone: saves per second and p99 of each.
//!
//! The 100,000-opinion file is built once into `target/bench-data/` and reused.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use ikensho::form::{Answer, Applicant, DateInput, Opinion, Request};
use ikensho::store::{Durability, NewOpinion, Query, Session, State, Store};
use rusqlite::params;

use ikensho_testkit::fixtures as common;

use common::PASSWORD;

fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn example() -> Opinion {
    common::first_insured()
}

fn new_store(path: &Path, durability: Durability) -> (Store, Session, Session) {
    let p = common::people(path, durability);
    (p.store, p.doctor, p.clerk)
}

/// A draft holding the complete example, and a function that changes one item and saves.
struct Autosaver {
    store: Store,
    clerk: Session,
    version: i64,
    revision: i64,
    op: Opinion,
    n: u64,
}

impl Autosaver {
    fn new(path: &Path) -> Autosaver {
        let (store, _, clerk) = new_store(path, Durability::Full);
        Autosaver::on(store, clerk)
    }

    /// The same on a plain (unencrypted) copy of a new store: the baseline of encryption.
    fn new_plain(dir: &Path) -> Autosaver {
        let encrypted = dir.join("ikensho.sqlite");
        drop(new_store(&encrypted, Durability::Full));
        let plain = dir.join("plain.sqlite");
        common::export_plain(&encrypted, &plain);
        let mut store = Store::open(&plain).unwrap();
        assert!(!store.is_encrypted());
        let clerk = store.sign_in("suzuki", PASSWORD).unwrap();
        Autosaver::on(store, clerk)
    }

    fn on(mut store: Store, clerk: Session) -> Autosaver {
        // Without its 作成依頼: several drafts of one store (the terminals') answer none.
        let mut op = example();
        op.request = None;
        let new = NewOpinion {
            applicant: op.applicant.clone(),
            request: None,
            physician: None,
        };
        let draft = store
            .create_opinion(&clerk, new, jiff::civil::date(2026, 11, 21))
            .unwrap();
        let saved = store.autosave(&clerk, draft.version_id, 0, &op).unwrap();
        Autosaver {
            store,
            clerk,
            version: draft.version_id,
            revision: saved.revision,
            op,
            n: 0,
        }
    }

    fn save(&mut self) {
        self.n += 1;
        self.op
            .answers
            .insert("diagnosis-2", Answer::Text(format!("骨粗鬆症 {}", self.n)));
        let saved = self
            .store
            .autosave(&self.clerk, self.version, self.revision, &self.op)
            .unwrap();
        self.revision = saved.revision;
    }
}

/// The floor: a durable commit of the same body into a plain table, same pragmas.
struct BareCommit {
    conn: rusqlite::Connection,
    body: String,
    n: u64,
}

impl BareCommit {
    fn new(path: &Path) -> BareCommit {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
            .unwrap();
        conn.pragma_update(None, "synchronous", "FULL").unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO t VALUES (1, '');",
        )
        .unwrap();
        BareCommit {
            conn,
            body: serde_json::to_string(&example()).unwrap(),
            n: 0,
        }
    }

    fn save(&mut self) {
        self.n += 1;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        tx.prepare_cached("UPDATE t SET body = ?1 || ?2 WHERE id = 1")
            .unwrap()
            .execute(params![self.body, self.n.to_string()])
            .unwrap();
        tx.commit().unwrap();
    }
}

fn percentiles(mut f: impl FnMut(), n: usize) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[n / 2], times[n * 99 / 100])
}

fn autosave(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut saver = Autosaver::new(&dir.path().join("autosave.sqlite"));
    let plain_dir = dir.path().join("plain");
    std::fs::create_dir_all(&plain_dir).unwrap();
    let mut plain = Autosaver::new_plain(&plain_dir);
    let mut bare = BareCommit::new(&dir.path().join("bare.sqlite"));

    if measuring() {
        let n = 2000;
        let (b50, b99) = percentiles(|| bare.save(), n);
        let (p50, p99) = percentiles(|| plain.save(), n);
        let (a50, a99) = percentiles(|| saver.save(), n);
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        println!("autosave latency over {n} single saves:");
        println!("  bare durable commit (baseline):  median {b50:?}  p99 {b99:?}");
        println!(
            "  autosave, unencrypted store:     median {p50:?}  p99 {p99:?}  ({:.2}x / {:.2}x bare)",
            ratio(p50, b50),
            ratio(p99, b99)
        );
        println!(
            "  autosave, encrypted store:       median {a50:?}  p99 {a99:?}  ({:.2}x / {:.2}x bare; {:.2}x / {:.2}x unencrypted)",
            ratio(a50, b50),
            ratio(a99, b99),
            ratio(a50, p50),
            ratio(a99, p99)
        );
    }

    let mut g = c.benchmark_group("autosave");
    g.bench_function("bare durable commit (baseline)", |b| b.iter(|| bare.save()));
    g.bench_function(
        "autosave one item changed, unencrypted store (baseline)",
        |b| b.iter(|| plain.save()),
    );
    g.bench_function("autosave one item changed", |b| b.iter(|| saver.save()));
    g.finish();
}

const FAMILY: [(&str, &str); 20] = [
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
    ("吉田", "よしだ"),
    ("山田", "やまだ"),
    ("佐々木", "ささき"),
    ("山口", "やまぐち"),
    ("松本", "まつもと"),
    ("井上", "いのうえ"),
    ("木村", "きむら"),
    ("林", "はやし"),
    ("斎藤", "さいとう"),
    ("清水", "しみず"),
];
const GIVEN: [(&str, &str); 16] = [
    ("花子", "はなこ"),
    ("太郎", "たろう"),
    ("一郎", "いちろう"),
    ("和子", "かずこ"),
    ("幸子", "さちこ"),
    ("節子", "せつこ"),
    ("茂", "しげる"),
    ("清", "きよし"),
    ("美代子", "みよこ"),
    ("勇", "いさむ"),
    ("博", "ひろし"),
    ("洋子", "ようこ"),
    ("正", "ただし"),
    ("恵子", "けいこ"),
    ("進", "すすむ"),
    ("久子", "ひさこ"),
];

/// A store with `n` opinions: names from common families, 記入日 over two years, states spread
/// over 受付 / 事務入力中 / 医師確認待ち.
fn seeded(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("search-{n}.sqlite"));
    if Store::open(&path).is_ok() {
        let conn = common::raw(&path);
        let have: i64 = conn
            .query_row("SELECT count(*) FROM opinions", [], |r| r.get(0))
            .unwrap_or(0);
        if usize::try_from(have) == Ok(n) {
            return path;
        }
    }
    ikensho::store::atrest::forget(&path);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
    let (mut store, doctor, clerk) = new_store(&path, Durability::Normal);
    let mut rng = fastrand::Rng::with_seed(100_000);
    let start = jiff::civil::date(2025, 1, 1);
    for i in 0..n {
        let (f, fk) = FAMILY[rng.usize(..FAMILY.len())];
        let (g, gk) = GIVEN[rng.usize(..GIVEN.len())];
        let applicant = Applicant {
            name: format!("{f} {g}"),
            kana: format!("{fk} {gk}"),
            insurer_number: "131011".into(),
            insured_number: format!("{:010}", 1_000_000 + i),
            ..Default::default()
        };
        let kind = i % 3;
        let request = (kind == 0).then(|| Request {
            request_id: format!("REQ-{i:08}"),
            ..Default::default()
        });
        let new = NewOpinion {
            applicant,
            request,
            physician: None,
        };
        let who = if kind == 2 { &doctor } else { &clerk };
        let draft = store
            .create_opinion(who, new, jiff::civil::date(2026, 11, 21))
            .unwrap();
        if kind != 0 {
            let day = start
                .checked_add(jiff::Span::new().days(rng.i64(0..700)))
                .unwrap();
            let mut op = draft.opinion.clone();
            op.answers.insert(
                "written-date",
                Answer::Date(DateInput::from_date(day).unwrap()),
            );
            store.autosave(who, draft.version_id, 0, &op).unwrap();
        }
    }
    drop(store);
    path
}

/// Whether the benchmarks asked for on the command line (criterion's filter, `a|b`) include
/// `group`: building the 100,000-opinion file is skipped when they do not.
fn asked_for(group: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    filters.is_empty()
        || filters
            .iter()
            .any(|f| f.split('|').any(|part| group.contains(part)))
}

fn search(c: &mut Criterion) {
    if !asked_for("search among") {
        return;
    }
    let n = if measuring() { 100_000 } else { 1_000 };
    let path = seeded(n);
    let mut store = Store::open(&path).unwrap();
    let clerk = store.sign_in("suzuki", PASSWORD).unwrap();
    let conn = common::raw(&path);
    let text = |t: &str| Query {
        text: t.into(),
        ..Default::default()
    };
    let by_name = text("山田花");
    let by_kana = text("ヤマダ");
    let by_number = text(&format!("{:010}", 1_000_000 + n / 2));
    let by_state_and_month = Query {
        states: vec![State::ClerkEntry],
        from: Some(jiff::civil::date(2026, 3, 1)),
        to: Some(jiff::civil::date(2026, 3, 31)),
        ..Default::default()
    };
    assert!(!store.search(&clerk, &by_name).unwrap().is_empty());
    assert_eq!(store.search(&clerk, &by_number).unwrap().len(), 1);
    assert!(
        !store
            .search(&clerk, &by_state_and_month)
            .unwrap()
            .is_empty()
    );
    let scan = |pattern: &str| -> usize {
        let mut st = conn
            .prepare_cached(
                "SELECT id, name FROM opinions WHERE replace(name, ' ', '') LIKE ?1
                 ORDER BY updated_at DESC LIMIT 200",
            )
            .unwrap();
        st.query_map([pattern], |r| r.get::<_, i64>(0))
            .unwrap()
            .count()
    };
    assert_eq!(
        scan("%山田花%"),
        store.search(&clerk, &by_name).unwrap().len()
    );

    let mut g = c.benchmark_group(format!("search among {n} opinions"));
    g.bench_function("full scan LIKE '%山田花%' (baseline)", |b| {
        b.iter(|| scan(black_box("%山田花%")))
    });
    for (name, q) in [
        ("name prefix 山田花", &by_name),
        ("kana ヤマダ", &by_kana),
        ("被保険者番号", &by_number),
        ("事務入力中 in one month", &by_state_and_month),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| store.search(&clerk, black_box(q)).unwrap())
        });
    }
    g.finish();
}

fn sign_in(c: &mut Criterion) {
    use argon2::password_hash::phc::PasswordHash;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let mut p = common::people(&dir.path().join("ikensho.sqlite"), Durability::Full);
    let hash = argon2::Argon2::default()
        .hash_password(PASSWORD.as_bytes())
        .unwrap()
        .to_string();
    let parsed = PasswordHash::new(&hash).unwrap();
    let mut g = c.benchmark_group("sign_in");
    g.sample_size(20);
    g.bench_function("argon2id check alone (baseline)", |b| {
        b.iter(|| {
            argon2::Argon2::default()
                .verify_password(PASSWORD.as_bytes(), &parsed)
                .is_ok()
        })
    });
    g.bench_function("sign in", |b| {
        b.iter(|| black_box(p.store.sign_in("sato", PASSWORD).unwrap()))
    });
    // A new unknown login each time: the throttle (which answers at once) is not what is timed.
    let mut n = 0u64;
    g.bench_function("unknown login", |b| {
        b.iter(|| {
            n += 1;
            assert!(p.store.sign_in(&format!("nobody-{n}"), PASSWORD).is_err());
        })
    });
    g.finish();
}

/// The floor on the server: a commit of the same body into a plain table, over a connection of
/// the same kind as the store's.
struct BarePg {
    client: postgres::Client,
    body: String,
    n: u64,
}

impl BarePg {
    fn new(loc: &ikensho::store::server::ServerLocation, password: &str) -> BarePg {
        let mut client = ikensho::store::server::connect(loc, password).unwrap();
        client
            .batch_execute(
                "CREATE TABLE bare (id BIGINT PRIMARY KEY, body TEXT);
                 INSERT INTO bare VALUES (1, '');",
            )
            .unwrap();
        BarePg {
            client,
            body: serde_json::to_string(&example()).unwrap(),
            n: 0,
        }
    }

    fn save(&mut self) {
        self.n += 1;
        let mut tx = self.client.transaction().unwrap();
        tx.execute(
            "UPDATE bare SET body = $1 || $2 WHERE id = 1",
            &[&self.body, &self.n.to_string()],
        )
        .unwrap();
        tx.commit().unwrap();
    }
}

/// A new server store named `name` with its people, or `None` without a test cluster.
fn server_store(
    dir: &Path,
    name: &str,
) -> Option<(Store, ikensho::store::server::ServerLocation, String)> {
    let backend = common::Backend::server()?;
    let (store, raw) = backend.new_store(dir, name);
    let common::Raw::Server(owner, password) = raw else {
        unreachable!()
    };
    Some((store, owner, password))
}

fn server_autosave(c: &mut Criterion) {
    if !asked_for("server autosave") {
        return;
    }
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let Some((store, owner, password)) = server_store(dir.path(), "bench_autosave") else {
        println!("server autosave: no test cluster (scripts/pg-test-cluster), skipped");
        return;
    };
    let p = common::people_in(store);
    let mut saver = Autosaver::on(p.store, p.clerk);
    let mut bare = BarePg::new(&owner, &password);
    if measuring() {
        let n = 2000;
        let (b50, b99) = percentiles(|| bare.save(), n);
        let (a50, a99) = percentiles(|| saver.save(), n);
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        println!("server autosave latency over {n} single saves (PostgreSQL, TLS on loopback):");
        println!("  bare commit of the same body (baseline): median {b50:?}  p99 {b99:?}");
        println!(
            "  autosave one item changed:               median {a50:?}  p99 {a99:?}  ({:.2}x / {:.2}x bare)",
            ratio(a50, b50),
            ratio(a99, b99)
        );
    }
    let mut g = c.benchmark_group("server autosave");
    g.bench_function("bare commit of the same body (baseline)", |b| {
        b.iter(|| bare.save())
    });
    g.bench_function("autosave one item changed", |b| b.iter(|| saver.save()));
    g.finish();
}

fn server_search(c: &mut Criterion) {
    if !asked_for("server search") {
        return;
    }
    let n = if measuring() { 100_000 } else { 1_000 };
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let Some(backend) = common::Backend::server() else {
        println!("server search: no test cluster (scripts/pg-test-cluster), skipped");
        return;
    };
    let common::Backend::Server {
        loc,
        terminals,
        password,
    } = &backend
    else {
        unreachable!()
    };
    // The seeded file, copied onto a new database as `ikensho store copy` does.
    let mut file = Store::open(&seeded(n)).unwrap();
    let db = common::fresh_database(loc, password, "bench_search");
    ikensho::store::server::init(&db, password, terminals).unwrap();
    let mut store = Store::open_server(&db, password, dir.path()).unwrap();
    file.copy_into(&mut store).unwrap();
    drop(file);
    let clerk = store.sign_in("suzuki", PASSWORD).unwrap();
    let mut raw = ikensho::store::server::connect(&db, password).unwrap();
    raw.batch_execute("ANALYZE").unwrap();
    let text = |t: &str| Query {
        text: t.into(),
        ..Default::default()
    };
    let by_name = text("山田花");
    let by_kana = text("ヤマダ");
    let by_number = text(&format!("{:010}", 1_000_000 + n / 2));
    let by_state_and_month = Query {
        states: vec![State::ClerkEntry],
        from: Some(jiff::civil::date(2026, 3, 1)),
        to: Some(jiff::civil::date(2026, 3, 31)),
        ..Default::default()
    };
    assert_eq!(store.search(&clerk, &by_number).unwrap().len(), 1);
    let scan_sql = "SELECT id, name FROM opinions WHERE replace(name, ' ', '') LIKE $1
                    ORDER BY updated_at DESC LIMIT 200";
    let scan = |raw: &mut postgres::Client, pattern: &str| -> usize {
        raw.query(scan_sql, &[&pattern]).unwrap().len()
    };
    assert_eq!(
        scan(&mut raw, "%山田花%"),
        store.search(&clerk, &by_name).unwrap().len()
    );
    let mut g = c.benchmark_group(format!("server search among {n} opinions"));
    g.bench_function("full scan LIKE '%山田花%' (baseline)", |b| {
        b.iter(|| scan(&mut raw, black_box("%山田花%")))
    });
    for (name, q) in [
        ("name prefix 山田花", &by_name),
        ("kana ヤマダ", &by_kana),
        ("被保険者番号", &by_number),
        ("事務入力中 in one month", &by_state_and_month),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| store.search(&clerk, black_box(q)).unwrap())
        });
    }
    g.finish();
}

/// `per` saves by each of `savers` at once, each on its own connection (thread); returns the
/// saves per second over all and the p99 of single saves.
fn concurrent(savers: &mut [Autosaver], per: usize) -> (f64, Duration) {
    let started = Instant::now();
    let mut times: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = savers
            .iter_mut()
            .map(|saver| {
                s.spawn(move || {
                    (0..per)
                        .map(|_| {
                            let t = Instant::now();
                            saver.save();
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let took = started.elapsed();
    times.sort();
    let n = times.len();
    (n as f64 / took.as_secs_f64(), times[n * 99 / 100])
}

fn two_terminals(c: &mut Criterion) {
    if !asked_for("two terminals") {
        return;
    }
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let Some((store, _, _)) = server_store(dir.path(), "bench_two_terminals") else {
        println!("two terminals: no test cluster (scripts/pg-test-cluster), skipped");
        return;
    };
    let other = store.checked_file().connect().unwrap();
    let p = common::people_in(store);
    let clerk = p.clerk.clone();
    let mut alone = vec![Autosaver::on(p.store, p.clerk)];
    let mut both = vec![
        Autosaver::on(other, clerk.clone()),
        Autosaver::on(alone[0].store.checked_file().connect().unwrap(), clerk),
    ];
    if measuring() {
        let per = 1000;
        let (one_rate, one_p99) = concurrent(&mut alone, 2 * per);
        let (two_rate, two_p99) = concurrent(&mut both, per);
        println!("saves on the server, {} in all:", 2 * per);
        println!("  one terminal alone (baseline): {one_rate:.0} saves/s  p99 {one_p99:?}");
        println!(
            "  two terminals at once:         {two_rate:.0} saves/s  p99 {two_p99:?}  ({:.2}x the throughput, {:.2}x the p99)",
            two_rate / one_rate,
            two_p99.as_secs_f64() / one_p99.as_secs_f64()
        );
    }
    let mut g = c.benchmark_group("two terminals");
    g.sample_size(10);
    g.bench_function("one terminal, 40 saves (baseline)", |b| {
        b.iter(|| concurrent(&mut alone, 40))
    });
    g.bench_function("two terminals, 20 saves each at once", |b| {
        b.iter(|| concurrent(&mut both, 20))
    });
    g.finish();
}

criterion_group!(
    benches,
    autosave,
    search,
    sign_in,
    server_autosave,
    server_search,
    two_terminals
);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
