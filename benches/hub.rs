//! The hub route's speed. (1) One submission over mTLS — a new TLS 1.3 connection with the
//! terminal certificate and the POST — against `curl` posting the same bytes with the same
//! certificate, measured in the same run (target: under 1.5× curl). (2) 1,000 queued opinions
//! delivered to the simulator (target: under 15 s); 50 when run as a test (`cargo test --benches`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine;
use criterion::{Criterion, criterion_group, criterion_main};
use ikensho::hub::fhir::{DocumentIds, document_bytes};
use ikensho::hub::outbox::{Answer, Backoff, DeliveryOptions, deliver_due};
use ikensho::hub::wire::{OpenRequest, Submission};
use ikensho::i18n::Locales;
use ikensho::store::outbox::Delivery;
use ikensho::store::{Durability, Store};
use ikensho_testkit::hub_pki::HubPki;
use ikensho_testkit::sim::{Faults, Simulator};

const INSTITUTION: &str = "1310123455";

fn start_sim(dir: &Path, pki: &HubPki) -> Simulator {
    let sim = Simulator::start(dir, 0, pki, Vec::new(), Faults::default()).unwrap();
    sim.add_insurer(&ikensho_testkit::sim::demo_insurer())
        .unwrap();
    sim
}

fn bench(c: &mut Criterion) {
    let full = std::env::args().any(|a| a == "--bench");
    let dir = tempfile::tempdir().unwrap();
    let pki = HubPki::generate(INSTITUTION, "T-BENCH").unwrap();
    pki.write(&dir.path().join("pki")).unwrap();
    let sim = start_sim(&dir.path().join("sim"), &pki);
    sim.add_request(INSTITUTION, &common::open_request("REQ-ONE"))
        .unwrap();
    let op = common::first_insured();
    let doc = document_bytes(
        common::form(op.form_version),
        &op,
        &DocumentIds::new_now(),
        Locales::builtin().unwrap(),
    );
    // The first submission stores it; both clients then post the same key and bytes (200).
    let key = "bench-key-1";
    let first = common::hub_client(&pki, &sim.url())
        .submit_bytes(key, "REQ-ONE", &doc, None)
        .unwrap();
    assert!(matches!(first, Answer::Received { .. }), "{first:?}");
    let b64 = base64::engine::general_purpose::STANDARD;
    let body = serde_json::to_vec(&Submission {
        request_id: "REQ-ONE".into(),
        media_type: "application/fhir+json".into(),
        document: b64.encode(&doc),
        signature: None,
    })
    .unwrap();
    std::fs::write(dir.path().join("body.json"), &body).unwrap();
    let url = format!("{}/v1/opinions", sim.url());

    let mut g = c.benchmark_group("hub");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("curl_submit (baseline)", |b| {
        b.iter(|| {
            let out = Command::new("curl")
                .current_dir(dir.path().join("pki"))
                .args([
                    "-sS",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "--cacert",
                    "hub-ca.pem",
                ])
                .args(["--cert", "terminal.pem", "--key", "terminal.key"])
                .args(["-H", "Content-Type: application/json"])
                .args(["-H", &format!("Idempotency-Key: {key}")])
                .arg("--data-binary")
                .arg(format!("@{}", dir.path().join("body.json").display()))
                .arg(&url)
                .output()
                .unwrap();
            assert_eq!(String::from_utf8_lossy(&out.stdout), "200");
        })
    });
    g.bench_function("client_submit_new_connection", |b| {
        b.iter(|| {
            let a = common::hub_client(&pki, &sim.url())
                .submit_bytes(key, "REQ-ONE", &doc, None)
                .unwrap();
            assert!(matches!(a, Answer::Received { .. }));
        })
    });
    g.finish();

    // 1,000 queued opinions delivered: a prepared store copied for each run, a fresh simulator.
    let n = if full { 1000 } else { 50 };
    let template = dir.path().join("template.sqlite");
    common::queue_many(
        &mut common::people(&template, Durability::Normal),
        n,
        "REQ-B-",
    );
    let requests: Vec<OpenRequest> = (0..n)
        .map(|i| common::open_request(&format!("REQ-B-{i:04}")))
        .collect();
    let mut g = c.benchmark_group("outbox");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(if full { 60 } else { 5 }));
    g.bench_function(format!("deliver_{n}_queued"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for run in 0..iters {
                let run_dir = dir.path().join(format!("run-{run}-{}", fastrand::u64(..)));
                std::fs::create_dir_all(&run_dir).unwrap();
                let db = run_dir.join("ikensho.sqlite");
                std::fs::copy(&template, &db).unwrap();
                // Its key's description (the key file it names stays where it is).
                std::fs::copy(
                    ikensho::files::with_suffix(&template, ".keys"),
                    ikensho::files::with_suffix(&db, ".keys"),
                )
                .unwrap();
                let sim = start_sim(&run_dir.join("sim"), &pki);
                sim.add_requests(INSTITUTION, &requests).unwrap();
                let mut store = Store::open_with(&db, Durability::Full).unwrap();
                let doctor = store.sign_in("sato", common::PASSWORD).unwrap();
                let mut hub = common::hub_client(&pki, &sim.url());
                let start = Instant::now();
                loop {
                    let pass = deliver_due(
                        &mut store,
                        &doctor,
                        &mut hub,
                        jiff::Timestamp::now() + jiff::SignedDuration::from_secs(1),
                        DeliveryOptions {
                            lease: Duration::from_secs(60),
                            limit: 256,
                            backoff: Backoff::default(),
                        },
                        &mut || 0.5,
                    )
                    .unwrap();
                    if pass.delivered == 0 {
                        break;
                    }
                }
                total += start.elapsed();
                let doctor = store.sign_in("sato", common::PASSWORD).unwrap();
                assert!(
                    store
                        .outbox(&doctor)
                        .unwrap()
                        .iter()
                        .all(|r| r.state == Delivery::Received)
                );
                assert_eq!(sim.receipts().len(), n);
            }
            total
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
