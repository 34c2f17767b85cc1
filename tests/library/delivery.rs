//! Exactly-once delivery under faults: 300 opinions sent while the simulator fails 30% of the
//! submissions (500, 503 and 429 with Retry-After, and connections dropped right after storing);
//! every opinion ends with exactly one receipt. Then the same while the sending process is killed
//! with SIGKILL midway and started again.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ikensho::hub::client::{HubClient, Terminal};
use ikensho::hub::outbox::{Backoff, DeliveryOptions, deliver_due};
use ikensho::store::outbox::Delivery;
use ikensho::store::{Durability, Store};
use ikensho_testkit::hub_pki::{HubPki, der_pair};
use ikensho_testkit::sim::{Faults, Simulator};

const INSTITUTION: &str = "1310123455";
const N: usize = 300;
const FAULTS: Faults = Faults {
    fail_share: 0.2,
    drop_after_store_share: 0.125,
    delay: Duration::ZERO,
};
const BACKOFF: Backoff = Backoff {
    base: Duration::from_millis(100),
    cap: Duration::from_secs(2),
};

/// A simulator with N open requests, and a store with N finalised opinions answering them, each
/// queued (unsigned: the insurer accepts that).
fn setup(dir: &Path, faults: Faults) -> (HubPki, Simulator) {
    let hub = HubPki::generate(INSTITUTION, "T-0001").unwrap();
    let sim = Simulator::start(&dir.join("sim"), 0, &hub, Vec::new(), Faults::default()).unwrap();
    sim.add_insurer(&ikensho_testkit::sim::demo_insurer())
        .unwrap();
    let mut p = common::people(&dir.join("ikensho.sqlite"), Durability::Normal);
    let requests: Vec<_> = (0..N)
        .map(|i| common::open_request(&format!("REQ-F-{i:04}")))
        .collect();
    sim.add_requests(INSTITUTION, &requests).unwrap();
    common::queue_many(&mut p, N, "REQ-F-");
    // Write what a separate sending process needs.
    let (cert, key) = der_pair(&hub.terminal).unwrap();
    std::fs::write(dir.join("terminal.der"), cert).unwrap();
    std::fs::write(dir.join("terminal.key.der"), key).unwrap();
    let ca = der::EncodePem::to_pem(&hub.ca.cert, rsa::pkcs8::LineEnding::LF).unwrap();
    std::fs::write(dir.join("hub-ca.pem"), ca).unwrap();
    sim.set_faults(faults);
    (hub, sim)
}

fn client(dir: &Path, url: &str) -> HubClient {
    let terminal = Terminal::from_der(
        vec![std::fs::read(dir.join("terminal.der")).unwrap()],
        std::fs::read(dir.join("terminal.key.der")).unwrap(),
    );
    HubClient::new(
        url,
        &std::fs::read(dir.join("hub-ca.pem")).unwrap(),
        terminal,
    )
    .unwrap()
}

/// Delivers until nothing is left or `limit` passes. Returns whether everything was received.
fn deliver_all(store: &mut Store, hub: &mut HubClient, limit: Duration) -> bool {
    let start = Instant::now();
    let mut rng = fastrand::Rng::with_seed(7);
    let doctor = store.sign_in("sato", common::PASSWORD).unwrap();
    while start.elapsed() < limit {
        let rows = store.outbox(&doctor).unwrap();
        if rows.iter().all(|r| r.state == Delivery::Received) {
            return true;
        }
        assert!(
            rows.iter().all(|r| r.state != Delivery::Failed),
            "a row failed for good: {:?}",
            rows.iter()
                .find(|r| r.state == Delivery::Failed)
                .map(|r| &r.last_error)
        );
        deliver_due(
            store,
            &doctor,
            hub,
            jiff::Timestamp::now(),
            DeliveryOptions {
                lease: Duration::from_secs(5),
                limit: 64,
                backoff: BACKOFF,
            },
            &mut || rng.f64(),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Exactly one receipt per opinion, and each outbox row holds the receipt the hub gave its key.
fn check_exactly_once(dir: &Path, sim: &Simulator) {
    check_exactly_once_in(Store::open(&dir.join("ikensho.sqlite")).unwrap(), sim);
}

fn check_exactly_once_in(mut store: Store, sim: &Simulator) {
    let receipts = sim.receipts();
    assert_eq!(receipts.len(), N, "one stored submission per opinion");
    let requests: BTreeSet<&String> = receipts.iter().map(|r| &r.2).collect();
    assert_eq!(requests.len(), N, "no request answered twice");
    let doctor = store.sign_in("sato", common::PASSWORD).unwrap();
    let rows = store.outbox(&doctor).unwrap();
    assert_eq!(rows.len(), N);
    for row in rows {
        let (_, receipt, _) = receipts
            .iter()
            .find(|r| r.0 == row.idempotency_key)
            .expect("the hub stored this key");
        assert_eq!(row.state, Delivery::Received);
        assert_eq!(row.receipt_id.as_ref(), Some(receipt));
    }
    assert!(store.verify_audit().unwrap().problems.is_empty());
}

#[test]
fn three_hundred_opinions_through_thirty_percent_faults_each_received_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_hub, sim) = setup(dir.path(), FAULTS);
    let mut store = Store::open(&dir.path().join("ikensho.sqlite")).unwrap();
    let mut hub = client(dir.path(), &sim.url());
    assert!(deliver_all(&mut store, &mut hub, Duration::from_secs(180)));
    let doctor = store.sign_in("sato", common::PASSWORD).unwrap();
    let retried = store
        .outbox(&doctor)
        .unwrap()
        .iter()
        .filter(|r| r.attempts > 1)
        .count();
    assert!(retried > N / 10, "faults were met ({retried} rows retried)");
    check_exactly_once(dir.path(), &sim);
}

/// The sending process of the kill test: delivers until told to stop by being killed.
#[test]
#[ignore = "the child of delivery_survives_kill_9"]
fn delivery_child() {
    let (Some(dir), Some(url)) = (
        std::env::var_os("IKENSHO_DELIVERY_DIR"),
        std::env::var("IKENSHO_DELIVERY_URL").ok(),
    ) else {
        return;
    };
    let dir = Path::new(&dir);
    // A terminal of the clinic server, or the single PC's file.
    let mut store = match (
        std::env::var("IKENSHO_DELIVERY_STORE"),
        std::env::var("IKENSHO_DELIVERY_STORE_PASSWORD"),
    ) {
        (Ok(url), Ok(password)) => match ikensho::store::server::Location::parse(&url).unwrap() {
            ikensho::store::server::Location::Server(loc) => {
                Store::open_server(&loc, &password, dir).unwrap()
            }
            ikensho::store::server::Location::File(path) => Store::open(&path).unwrap(),
        },
        _ => Store::open(&dir.join("ikensho.sqlite")).unwrap(),
    };
    let mut hub = client(dir, &url);
    deliver_all(&mut store, &mut hub, Duration::from_secs(300));
    println!("done");
}

#[test]
fn delivery_survives_kill_9_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (_hub, sim) = setup(dir.path(), FAULTS);
    let exe = std::env::current_exe().unwrap();
    let spawn = || {
        Command::new(&exe)
            .args([
                "delivery::delivery_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("IKENSHO_DELIVERY_DIR", dir.path())
            .env("IKENSHO_DELIVERY_URL", sim.url())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // Kill the first sender once about a third is through.
    let mut first = spawn();
    let start = Instant::now();
    while sim.receipts().len() < N / 3 {
        assert!(start.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    first.kill().unwrap(); // SIGKILL, mid-send
    first.wait().unwrap();
    let at_kill = sim.receipts().len();
    assert!(at_kill < N, "killed midway ({at_kill})");
    // A new sender finishes the job.
    let mut second = spawn();
    let status = second.wait().unwrap();
    assert!(status.success());
    check_exactly_once(dir.path(), &sim);
}

/// Two terminals of one clinic deliver from the store on the server at once, each with its own
/// terminal certificate, through the same faults; one of them is killed with SIGKILL midway.
/// The other takes over what the dead one had claimed once its lease runs out, and every
/// opinion still ends with exactly one receipt. (Skipped without a test cluster unless
/// IKENSHO_REQUIRE_PG is set.)
#[test]
fn two_terminals_on_the_server_deliver_three_hundred_once_each_one_killed_midway() {
    let Some(backend) = common::Backend::server() else {
        return;
    };
    let common::Backend::Server { password, .. } = &backend else {
        unreachable!()
    };
    let dir = tempfile::tempdir().unwrap();
    let hub = HubPki::generate(INSTITUTION, "T-0001").unwrap();
    let sim = Simulator::start(
        &dir.path().join("sim"),
        0,
        &hub,
        Vec::new(),
        Faults::default(),
    )
    .unwrap();
    sim.add_insurer(&ikensho_testkit::sim::demo_insurer())
        .unwrap();
    let (store, _) = backend.new_store(dir.path(), "two_terminals_deliver");
    let on_server = store.server_location().unwrap().clone();
    let mut p = common::people_in(store);
    let requests: Vec<_> = (0..N)
        .map(|i| common::open_request(&format!("REQ-S-{i:04}")))
        .collect();
    sim.add_requests(INSTITUTION, &requests).unwrap();
    common::queue_many(&mut p, N, "REQ-S-");
    drop(p);
    // Each terminal its own folder and certificate, as the 介護WEBサービス issues them.
    let ca = der::EncodePem::to_pem(&hub.ca.cert, rsa::pkcs8::LineEnding::LF).unwrap();
    let second = hub.issue_terminal(INSTITUTION, "T-0002").unwrap();
    for (name, issued) in [("T-0001", &hub.terminal), ("T-0002", &second)] {
        let folder = dir.path().join(name);
        std::fs::create_dir_all(&folder).unwrap();
        let (cert, key) = der_pair(issued).unwrap();
        std::fs::write(folder.join("terminal.der"), cert).unwrap();
        std::fs::write(folder.join("terminal.key.der"), key).unwrap();
        std::fs::write(folder.join("hub-ca.pem"), &ca).unwrap();
    }
    sim.set_faults(FAULTS);
    let exe = std::env::current_exe().unwrap();
    let spawn = |name: &str| {
        Command::new(&exe)
            .args([
                "delivery::delivery_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("IKENSHO_DELIVERY_DIR", dir.path().join(name))
            .env("IKENSHO_DELIVERY_URL", sim.url())
            .env("IKENSHO_DELIVERY_STORE", on_server.url())
            .env("IKENSHO_DELIVERY_STORE_PASSWORD", password)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut first = spawn("T-0001");
    let mut second = spawn("T-0002");
    let start = Instant::now();
    while sim.receipts().len() < N / 3 {
        assert!(start.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    first.kill().unwrap(); // SIGKILL, with rows claimed
    first.wait().unwrap();
    assert!(sim.receipts().len() < N, "killed midway");
    let status = second.wait().unwrap();
    assert!(status.success());
    let senders = sim.senders();
    for name in ["T-0001", "T-0002"] {
        let n = senders.iter().filter(|(_, t)| t == name).count();
        assert!(n > 0, "{name} delivered with its own certificate ({n})");
    }
    assert_eq!(
        senders
            .iter()
            .filter(|(_, t)| t.starts_with("T-000"))
            .count(),
        N
    );
    let store = Store::open_server(&on_server, password, dir.path()).unwrap();
    check_exactly_once_in(store, &sim);
}
