//! The hub route end to end on loopback: the real TLS 1.3 simulator with mandatory client
//! certificates, the real client, the store's outbox, the FHIR document signed with the virtual
//! HPKI card; and the refusals a clinic can meet (no client certificate, another CA, an
//! untrusted hub). `curl` calls the simulator as an independent client.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use crate::common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use der::EncodePem;
use ikensho::card::Pin;
use ikensho::hub::client::{HubClient, HubError, Terminal};
use ikensho::hub::fhir::{DocumentIds, document_bytes};
use ikensho::hub::outbox::{Answer, Backoff, deliver_due};
use ikensho::i18n::Locales;
use ikensho::store::{Durability, HubEvent, State};
use ikensho::workflow::{DeliveryOptions, Signer, delivery_pass, sign_and_queue};
use ikensho_testkit::hub_pki::{HubPki, der_pair};
use ikensho_testkit::sign_pki::TestPki;
use ikensho_testkit::sim::{Faults, Simulator};
use ikensho_testkit::virt::{Behaviour, VirtualCard, VirtualSource};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use zeroize::Zeroizing;

const INSTITUTION: &str = "1310123455";

struct World {
    _dir: tempfile::TempDir,
    dir: std::path::PathBuf,
    hub: HubPki,
    hpki: TestPki,
    sim: Simulator,
}

fn pem(c: &x509_cert::Certificate) -> String {
    c.to_pem(LineEnding::LF).unwrap()
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_owned();
    let hub = HubPki::generate(INSTITUTION, "T-0001").unwrap();
    let hpki = TestPki::generate("佐藤 一郎").unwrap();
    let sim = Simulator::start(
        &dir.join("sim"),
        0,
        &hub,
        vec![hpki.root.cert.clone()],
        Faults::default(),
    )
    .unwrap();
    sim.add_insurer(&ikensho_testkit::sim::demo_insurer())
        .unwrap();
    sim.add_request(INSTITUTION, &common::open_request("REQ-2026-000123"))
        .unwrap();
    // Files for curl and for the client.
    std::fs::write(dir.join("hub-ca.pem"), pem(&hub.ca.cert)).unwrap();
    std::fs::write(dir.join("terminal.pem"), pem(&hub.terminal.cert)).unwrap();
    std::fs::write(
        dir.join("terminal.key"),
        hub.terminal
            .key
            .to_pkcs8_pem(LineEnding::LF)
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    World {
        _dir: tmp,
        dir,
        hub,
        hpki,
        sim,
    }
}

fn terminal(issued: &ikensho_testkit::sign_pki::Issued) -> Terminal {
    let (cert, key) = der_pair(issued).unwrap();
    Terminal::from_der(vec![cert], key)
}

fn client(w: &World) -> HubClient {
    common::hub_client(&w.hub, &w.sim.url())
}

/// `openssl pkcs12 -export` of the world's terminal certificate and key into `out`.
fn openssl_p12(dir: &Path, out: &str, password: &str) {
    let made = Command::new("openssl")
        .current_dir(dir)
        .args([
            "pkcs12",
            "-export",
            "-in",
            "terminal.pem",
            "-inkey",
            "terminal.key",
            "-out",
            out,
        ])
        .arg("-passout")
        .arg(format!("pass:{password}"))
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
}

#[test]
fn request_to_signed_submission_to_receipt_to_accepted() {
    let w = world();
    let mut hub = client(&w);
    hub.health().unwrap();
    let open = hub.open_requests().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].request_id, "REQ-2026-000123");
    assert_eq!(hub.insurers().unwrap()[0].insurer_number, "131011");

    // The physician's opinion: finalised, then the workflow signs its FHIR bytes with the
    // (virtual) card and queues them; one delivery pass sends them.
    let mut p = common::people(&w.dir.join("ikensho.sqlite"), Durability::Normal);
    let (opinion, _) = common::store_example(&mut p, false);
    p.store
        .finalise(&p.doctor, opinion, &common::today())
        .unwrap();
    VirtualCard::create(
        &w.dir.join("card"),
        &w.hpki.physician.key,
        &w.hpki.physician.der(),
        "1234",
        Behaviour::default(),
    )
    .unwrap();
    let source = VirtualSource {
        dir: w.dir.join("card"),
    };
    let chain = [w.hpki.ca.der()];
    let signer = Signer {
        card: &source,
        reader: None,
        chain: &chain,
    };
    let pin = Pin::new(Zeroizing::new("1234".into())).unwrap();
    sign_and_queue(
        &mut p.store,
        &p.doctor,
        opinion,
        signer,
        &pin,
        false,
        &common::today(),
    )
    .unwrap();
    let queued = p.store.outbox(&p.doctor).unwrap().remove(0);
    assert_eq!(queued.opinion_id, opinion);
    let (doc, cms) = (queued.document.clone(), queued.signature.clone().unwrap());
    w.hpki.write(&w.dir.join("hpki")).unwrap();
    assert!(common::openssl_verify(
        &doc,
        &cms,
        &w.dir.join("hpki").join("root.pem")
    ));

    let pass = delivery_pass(
        &mut p.store,
        &p.doctor,
        &mut hub,
        jiff::Timestamp::now() + jiff::SignedDuration::from_secs(1),
        DeliveryOptions::default(),
    )
    .unwrap()
    .sent;
    assert_eq!(pass.delivered, 1, "{pass:?}");
    let row = p.store.outbox_row(&p.doctor, queued.id).unwrap();
    let receipt = row.receipt_id.clone().unwrap();
    assert_eq!(
        p.store.open_opinion(&p.doctor, opinion).unwrap().info.state,
        State::Sent
    );
    assert_eq!(w.sim.receipts().len(), 1);
    // The request is answered: no longer open.
    assert!(hub.open_requests().unwrap().is_empty());

    // A retry of the same key and bytes gets the same receipt, never a second copy.
    let again = hub
        .submit_bytes(&queued.idempotency_key, "REQ-2026-000123", &doc, Some(&cms))
        .unwrap();
    assert!(matches!(again, Answer::Received { ref receipt_id, .. } if *receipt_id == receipt));
    // Other bytes under the same key: 409, final.
    let other = hub
        .submit_bytes(&queued.idempotency_key, "REQ-2026-000123", b"{}", None)
        .unwrap();
    assert!(matches!(other, Answer::Refused { ref code } if code == "409"));
    // The same document without its signature (or with another) is another submission: 409.
    let unsigned = hub
        .submit_bytes(&queued.idempotency_key, "REQ-2026-000123", &doc, None)
        .unwrap();
    assert!(matches!(unsigned, Answer::Refused { ref code } if code == "409"));
    // Another institution replaying the key and the bytes learns no receipt.
    let other_clinic = w.hub.issue_terminal("1310999993", "T-2").unwrap();
    let replay = HubClient::new(
        &w.sim.url(),
        pem(&w.hub.ca.cert).as_bytes(),
        terminal(&other_clinic),
    )
    .unwrap()
    .submit_bytes(&queued.idempotency_key, "REQ-2026-000123", &doc, Some(&cms))
    .unwrap();
    assert!(
        matches!(replay, Answer::Refused { ref code } if code == "409"),
        "{replay:?}"
    );
    assert_eq!(w.sim.receipts().len(), 1);

    // The municipality accepts it; the status call says so.
    assert_eq!(hub.status(&receipt).unwrap().status, "received");
    w.sim.decide(&receipt, None).unwrap();
    assert_eq!(hub.status(&receipt).unwrap().status, "accepted");
    p.store.hub_event(opinion, &HubEvent::Accepted).unwrap();
    assert_eq!(
        p.store.open_opinion(&p.doctor, opinion).unwrap().info.state,
        State::Accepted
    );
}

#[test]
fn a_bad_signature_or_document_is_refused_with_the_items() {
    let w = world();
    let hub = client(&w);
    let a = hub
        .submit_bytes(
            "k-1",
            "REQ-2026-000123",
            b"{\"resourceType\":\"Bundle\"}",
            None,
        )
        .unwrap();
    assert!(
        matches!(a, Answer::Refused { ref code } if code == "422"),
        "{a:?}"
    );
    let op = common::first_insured();
    let doc = document_bytes(
        common::form(op.form_version),
        &op,
        &DocumentIds::new_now(),
        Locales::builtin().unwrap(),
    );
    let a = hub
        .submit_bytes("k-2", "REQ-2026-000123", &doc, Some(b"not a signature"))
        .unwrap();
    assert!(
        matches!(a, Answer::Refused { ref code } if code == "422"),
        "{a:?}"
    );
    // Another institution's request.
    w.sim
        .add_request("9999999999", &common::open_request("REQ-OTHER"))
        .unwrap();
    let a = hub.submit_bytes("k-3", "REQ-OTHER", &doc, None).unwrap();
    assert!(
        matches!(a, Answer::Refused { ref code } if code == "403"),
        "{a:?}"
    );
    assert!(w.sim.receipts().is_empty());
}

#[test]
fn refusals_no_client_certificate_another_ca_untrusted_hub_no_network() {
    let w = world();
    // A terminal certificate from another CA.
    let stranger = HubPki::generate(INSTITUTION, "T-9").unwrap();
    let c = HubClient::new(
        &w.sim.url(),
        pem(&w.hub.ca.cert).as_bytes(),
        terminal(&stranger.terminal),
    )
    .unwrap();
    assert_eq!(c.health().unwrap_err(), HubError::TerminalRefused);
    // A hub whose certificate is not from the CA the clinic configured.
    let c = HubClient::new(
        &w.sim.url(),
        pem(&stranger.ca.cert).as_bytes(),
        terminal(&w.hub.terminal),
    )
    .unwrap();
    assert_eq!(c.health().unwrap_err(), HubError::UntrustedHub);
    // Nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = HubClient::new(
        &format!("https://127.0.0.1:{port}"),
        pem(&w.hub.ca.cert).as_bytes(),
        terminal(&w.hub.terminal),
    )
    .unwrap();
    assert_eq!(c.health().unwrap_err(), HubError::NoNetwork);
    // curl: with the terminal certificate it gets in; without one it does not.
    let url = format!("{}/v1/health", w.sim.url());
    let with = curl(
        &w.dir,
        &["--cert", "terminal.pem", "--key", "terminal.key", &url],
    );
    assert!(
        with.status.success(),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&with.stdout), "ok");
    let without = curl(&w.dir, &[&url]);
    assert!(!without.status.success());
    // A TLS 1.2-only client is refused.
    let old = curl(
        &w.dir,
        &[
            "--tls-max",
            "1.2",
            "--cert",
            "terminal.pem",
            "--key",
            "terminal.key",
            &url,
        ],
    );
    assert!(!old.status.success());
}

fn curl(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("curl")
        .current_dir(dir)
        .args(["-sS", "--max-time", "10", "--cacert", "hub-ca.pem"])
        .args(args)
        .output()
        .expect("curl is installed (apt-get install curl)")
}

#[test]
fn requests_become_drafts_routes_follow_readiness_and_a_return_opens_a_new_version() {
    use ikensho::hub::flow::{Route, drafts_from_requests, poll_statuses, route};
    let w = world();
    let mut hub = client(&w);
    let mut p = common::people(&w.dir.join("ikensho.sqlite"), Durability::Normal);
    // 作成依頼 → a draft with the applicant filled in; asking again makes no second one.
    let requests = hub.open_requests().unwrap();
    let made = drafts_from_requests(
        &mut p.store,
        &p.clerk,
        &requests,
        jiff::civil::date(2026, 11, 20),
    )
    .unwrap()
    .made;
    assert_eq!(made.len(), 1);
    assert!(
        drafts_from_requests(
            &mut p.store,
            &p.clerk,
            &requests,
            jiff::civil::date(2026, 11, 20)
        )
        .unwrap()
        .made
        .is_empty()
    );
    let opinion = made[0];
    let opened = p.store.open_opinion(&p.doctor, opinion).unwrap();
    assert_eq!(opened.opinion.applicant.name, "山田 花子");
    assert_eq!(opened.opinion.applicant.birth_date.era, "showa");
    assert_eq!(
        opened.opinion.request.as_ref().unwrap().request_id,
        "REQ-2026-000123"
    );

    // Readiness: on the hub from 2026-04-01; a municipality joining later goes on paper until then.
    let insurers = hub.insurers().unwrap();
    assert_eq!(
        route(&insurers, "131011", jiff::civil::date(2026, 11, 20)),
        Route::Electronic {
            signature_required: false
        }
    );
    assert_eq!(
        route(&insurers, "131011", jiff::civil::date(2026, 3, 31)),
        Route::Paper {
            from: Some(jiff::civil::date(2026, 4, 1))
        }
    );
    assert_eq!(
        route(&insurers, "272000", jiff::civil::date(2026, 11, 20)),
        Route::Paper { from: None }
    );

    // The physician completes it (the example's answers), finalises and sends it unsigned.
    let mut op = common::first_insured();
    op.request = opened.opinion.request.clone();
    let saved = p
        .store
        .autosave(&p.doctor, opened.version.id, opened.version.revision, &op)
        .unwrap();
    let _ = saved;
    p.store
        .finalise(&p.doctor, opinion, &common::today())
        .unwrap();
    let form = common::form(op.form_version);
    let send = |p: &mut common::People, hub: &mut HubClient, op: &ikensho::form::Opinion| {
        let doc = document_bytes(
            form,
            op,
            &DocumentIds::new_now(),
            Locales::builtin().unwrap(),
        );
        p.store
            .queue_for_sending(&p.doctor, opinion, Some(&doc))
            .unwrap();
        let pass = deliver_due(
            &mut p.store,
            &p.doctor,
            hub,
            jiff::Timestamp::now() + jiff::SignedDuration::from_secs(1),
            DeliveryOptions {
                lease: Duration::from_secs(60),
                limit: 10,
                backoff: Backoff::default(),
            },
            &mut || 0.5,
        )
        .unwrap();
        let last = p.store.outbox(&p.doctor).unwrap()[0].last_error.clone();
        assert_eq!(pass.delivered, 1, "{pass:?} {last:?}");
    };
    send(&mut p, &mut hub, &op);
    assert_eq!(p.store.state_of(opinion).unwrap(), State::Sent);
    // Nothing decided yet.
    assert_eq!(
        poll_statuses(&mut p.store, &p.doctor, &hub)
            .unwrap()
            .unchanged,
        1
    );

    // 差し戻し: the reason is kept and a new version opens.
    let first_receipt = w.sim.receipts()[0].1.clone();
    w.sim
        .decide(&first_receipt, Some("診断名の記載が不足しています"))
        .unwrap();
    let polled = poll_statuses(&mut p.store, &p.doctor, &hub).unwrap();
    assert_eq!(polled.returned, 1);
    let reopened = p.store.open_opinion(&p.doctor, opinion).unwrap();
    assert_eq!(reopened.info.state, State::AwaitingPhysician);
    assert_eq!(
        reopened.info.note.as_deref(),
        Some("診断名の記載が不足しています")
    );
    assert_eq!(reopened.version.number, 2);

    // Corrected and sent again: a second receipt, then 受理.
    let mut fixed = reopened.opinion.clone();
    fixed.answers.insert(
        "diagnosis-2",
        ikensho::form::Answer::Text("高血圧症（内服加療中）".into()),
    );
    p.store
        .autosave(
            &p.doctor,
            reopened.version.id,
            reopened.version.revision,
            &fixed,
        )
        .unwrap();
    p.store
        .finalise(&p.doctor, opinion, &common::today())
        .unwrap();
    // The returned request is open again for the corrected version.
    assert_eq!(hub.open_requests().unwrap().len(), 1);
    send(&mut p, &mut hub, &fixed);
    let receipts = w.sim.receipts();
    assert_eq!(receipts.len(), 2);
    w.sim.decide(&receipts[1].1, None).unwrap();
    assert_eq!(
        poll_statuses(&mut p.store, &p.doctor, &hub)
            .unwrap()
            .accepted,
        1
    );
    assert_eq!(p.store.state_of(opinion).unwrap(), State::Accepted);
}

/// The client against an independent TLS server: `openssl s_server -tls1_3 -Verify 1` (a client
/// certificate required), with the terminal loaded from a .p12 made by `openssl pkcs12`.
#[test]
fn the_client_works_against_openssl_s_server_with_a_p12_terminal() {
    let w = world();
    let d = &w.dir;
    std::fs::write(d.join("server.pem"), pem(&w.hub.server.cert)).unwrap();
    std::fs::write(
        d.join("server.key"),
        w.hub
            .server
            .key
            .to_pkcs8_pem(LineEnding::LF)
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    openssl_p12(d, "terminal.p12", "terminal-pw");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new("openssl")
        .current_dir(d)
        .args(["s_server", "-quiet", "-www", "-tls1_3", "-Verify", "1"])
        .args([
            "-accept",
            &port.to_string(),
            "-cert",
            "server.pem",
            "-key",
            "server.key",
        ])
        .args(["-CAfile", "hub-ca.pem"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it listens.
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "s_server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let p12 = std::fs::read(d.join("terminal.p12")).unwrap();
    assert!(Terminal::from_p12(&p12, &Zeroizing::new("wrong".into())).is_err());
    let terminal = Terminal::from_p12(&p12, &Zeroizing::new("terminal-pw".into())).unwrap();
    let c = HubClient::new(
        &format!("https://127.0.0.1:{port}"),
        pem(&w.hub.ca.cert).as_bytes(),
        terminal,
    )
    .unwrap();
    let result = c.health();
    let _ = server.kill();
    let _ = server.wait();
    result.unwrap();
}

/// `ikensho hub-sim DIR`: makes its PKI and demo requests on first run, keeps them on restart, and
/// answers curl with the terminal certificate it made.
#[test]
fn the_hub_sim_command_serves_demo_requests_and_keeps_its_pki() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ikensho"))
            .args(["--lang", "en", "hub-sim"])
            .arg(dir.path())
            .args(["--port", "0"])
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("https://"))
            .unwrap_or_else(|| panic!("{line}"))
            .to_owned();
        (child, url)
    };
    let (mut child, url) = run();
    let pki = dir.path().join("pki");
    let ca_before = std::fs::read(pki.join("hub-ca.pem")).unwrap();
    let out = Command::new("curl")
        .current_dir(&pki)
        .args(["-sS", "--max-time", "10", "--cacert", "hub-ca.pem"])
        .args(["--cert", "terminal.pem", "--key", "terminal.key"])
        .arg(format!("{url}/v1/requests?status=open"))
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["requests"].as_array().unwrap().len(), 3);
    // A restart keeps the PKI and the store (no second set of demo requests).
    let (mut child, url) = run();
    let out = Command::new("curl")
        .current_dir(&pki)
        .args(["-sS", "--max-time", "10", "--cacert", "hub-ca.pem"])
        .args(["--cert", "terminal.pem", "--key", "terminal.key"])
        .arg(format!("{url}/v1/requests?status=open"))
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(std::fs::read(pki.join("hub-ca.pem")).unwrap(), ca_before);
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["requests"].as_array().unwrap().len(), 3);
}

/// The terminal .p12 goes into the data folder (owner-only) and its password into the OS keyring,
/// never into the database; without a keyring the password is asked for.
#[test]
fn the_terminal_p12_is_kept_and_its_password_never_in_the_database() {
    use ikensho::hub::terminal::{forget_password, import_p12, load_terminal};
    let w = world();
    let d = &w.dir;
    openssl_p12(d, "given.p12", "Tm-Secret-8451");
    let data = d.join("data");
    let p = common::people(&data.join("ikensho.sqlite"), Durability::Full);
    drop(p);
    let account = format!("test-{}", std::process::id());
    let p12 = std::fs::read(d.join("given.p12")).unwrap();
    assert!(import_p12(&data, &account, &p12, &Zeroizing::new("wrong".into())).is_err());
    let imported = import_p12(
        &data,
        &account,
        &p12,
        &Zeroizing::new("Tm-Secret-8451".into()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&imported.path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    eprintln!("password in the OS keyring: {}", imported.in_keyring);
    // No file in the data folder holds the password.
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue;
        }
        let bytes = std::fs::read(path).unwrap();
        assert!(!bytes.windows(14).any(|w| w == b"Tm-Secret-8451"));
    }
    // With a keyring the terminal loads without asking; without one, the answer to the question.
    let asked = std::cell::Cell::new(false);
    let t = load_terminal(&data, &account, || {
        asked.set(true);
        Some(Zeroizing::new("Tm-Secret-8451".into()))
    })
    .unwrap();
    assert_eq!(asked.get(), !imported.in_keyring);
    let c = HubClient::new(&w.sim.url(), pem(&w.hub.ca.cert).as_bytes(), t).unwrap();
    c.health().unwrap();
    forget_password(&account);
    assert!(load_terminal(&data, &account, || None).is_err());
}

#[test]
fn one_status_the_hub_cannot_answer_does_not_stop_the_poll() {
    use ikensho::hub::flow::poll_statuses;
    let w = world();
    let mut hub = client(&w);
    let mut p = common::people(&w.dir.join("ikensho.sqlite"), Durability::Normal);
    common::queue_many(&mut p, 3, "REQ-P-");
    let requests: Vec<_> = (0..3)
        .map(|i| common::open_request(&format!("REQ-P-{i:04}")))
        .collect();
    w.sim.add_requests(INSTITUTION, &requests).unwrap();
    let pass = delivery_pass(
        &mut p.store,
        &p.doctor,
        &mut hub,
        jiff::Timestamp::now() + jiff::SignedDuration::from_secs(1),
        DeliveryOptions::default(),
    )
    .unwrap();
    assert_eq!(pass.sent.delivered, 3, "{pass:?}");
    let receipts = w.sim.receipts();
    // The hub loses the record of the first receipt (asking about it answers 404); the others
    // are decided.
    rusqlite::Connection::open(w.dir.join("sim").join("hub-sim.sqlite"))
        .unwrap()
        .execute(
            "DELETE FROM submissions WHERE receipt_id = ?1",
            [&receipts[0].1],
        )
        .unwrap();
    w.sim.decide(&receipts[1].1, None).unwrap();
    w.sim.decide(&receipts[2].1, None).unwrap();
    let polled = poll_statuses(&mut p.store, &p.doctor, &hub).unwrap();
    assert_eq!((polled.accepted, polled.failed), (2, 1), "{polled:?}");
    // When nothing can be asked at all, the poll says why.
    let down = HubClient::new(
        "https://127.0.0.1:9",
        pem(&w.hub.ca.cert).as_bytes(),
        terminal(&w.hub.terminal),
    )
    .unwrap();
    assert!(matches!(
        poll_statuses(&mut p.store, &p.doctor, &down),
        Err(ikensho::hub::flow::FlowError::Hub(HubError::NoNetwork))
    ));
}

/// The simulator as a server: a client that connects and says nothing is dropped after the
/// handshake timeout, and a connection over the cap is closed at once.
#[test]
fn the_simulator_drops_silent_clients_and_caps_connections() {
    use ikensho_testkit::sim::Limits;
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    let pki = HubPki::generate(INSTITUTION, "T-0001").unwrap();
    let start = |dir: &str, limits: Limits| {
        Simulator::start_with_limits(
            &tmp.path().join(dir),
            0,
            &pki,
            Vec::new(),
            Faults::default(),
            limits,
        )
        .unwrap()
    };
    let addr = |sim: &Simulator| sim.url().trim_start_matches("https://").to_owned();
    let closed_within = |stream: &mut std::net::TcpStream, limit: Duration| {
        stream.set_read_timeout(Some(limit)).unwrap();
        let t = std::time::Instant::now();
        let mut buf = [0u8; 16];
        matches!(stream.read(&mut buf), Ok(0) | Err(_)) && t.elapsed() < limit
    };
    let quick = start(
        "quick",
        Limits {
            handshake_timeout: Duration::from_millis(300),
            max_connections: 8,
        },
    );
    let mut silent = std::net::TcpStream::connect(addr(&quick)).unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(5)));

    let capped = start(
        "capped",
        Limits {
            handshake_timeout: Duration::from_secs(30),
            max_connections: 2,
        },
    );
    let held: Vec<_> = (0..2)
        .map(|_| std::net::TcpStream::connect(addr(&capped)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut third = std::net::TcpStream::connect(addr(&capped)).unwrap();
    assert!(closed_within(&mut third, Duration::from_secs(5)));
    // The held ones gone, a real client is served again.
    drop(held);
    let c = HubClient::new(
        &capped.url(),
        pem(&pki.ca.cert).as_bytes(),
        terminal(&pki.terminal),
    )
    .unwrap();
    let mut ok = false;
    for _ in 0..50 {
        if c.health().is_ok() {
            ok = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        ok,
        "the simulator serves again once the held connections are gone"
    );
}

/// The demo's municipality decides by itself a moment after each receipt: the first opinion is
/// accepted (受理), the next returned (差し戻し) with its reason shown in the list, and the
/// corrected new version, sent again, accepted — the whole way on screen.
#[test]
fn the_demo_hub_decides_by_itself_and_the_list_shows_both_ways() {
    use common::ui::{
        H, open, open_store, opinion_of, queue_one, sign_in, wait_until, written_and_examined_today,
    };
    use egui_kittest::kittest::Queryable as _;
    use ikensho_testkit::sim::DEMO_RETURN_REASON;
    let dir = tempfile::tempdir().unwrap();
    let (mut h, mut sim) = open(dir.path());
    sim.decide_by_itself(Duration::from_millis(300));
    let first = queue_one(dir.path());
    // The demo's 第1号 draft completed by the physician and queued after it.
    let second = opinion_of(dir.path(), "山田 花子");
    let queue = |id: i64, op: &mut ikensho::form::Opinion| {
        let mut store = open_store(dir.path());
        let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
        let opened = store.open_opinion(&doctor, id).unwrap();
        op.applicant = opened.opinion.applicant.clone();
        op.request = opened.opinion.request.clone();
        written_and_examined_today(op);
        store
            .autosave(&doctor, opened.version.id, opened.version.revision, op)
            .unwrap();
        store
            .finalise(&doctor, id, &ikensho::form::Context::today_in_japan())
            .unwrap();
        let form = ikensho::form::FormDef::builtin(op.form_version).unwrap();
        let doc = document_bytes(
            form,
            op,
            &DocumentIds::new_now(),
            Locales::builtin().unwrap(),
        );
        store.queue_for_sending(&doctor, id, Some(&doc)).unwrap();
    };
    let mut op = common::first_insured();
    queue(second, &mut op);
    sign_in(&mut h, "sato");
    let state_of = |h: &H, id: i64| h.state().rows.iter().find(|r| r.id == id).map(|r| r.state);
    wait_until(&mut h, "受理 and 差し戻し in the list", |a| {
        let s = |id| a.rows.iter().find(|r| r.id == id).map(|r| r.state);
        s(first) == Some(State::Accepted) && s(second) == Some(State::AwaitingPhysician)
    });
    // The reason is in the list, beside the opinion returned.
    let reason = h.get_by_label_contains(DEMO_RETURN_REASON);
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 860.0));
    assert!(screen.contains_rect(reason.rect()));
    assert_eq!(state_of(&h, first), Some(State::Accepted));
    // A new version, corrected and sent again: accepted this time.
    let mut store = open_store(dir.path());
    let doctor = store.sign_in("sato", "ikensho-demo").unwrap();
    assert_eq!(
        store.open_opinion(&doctor, second).unwrap().version.number,
        2
    );
    drop(store);
    let mut fixed = common::first_insured();
    fixed.answers.insert(
        "diagnosis-2",
        ikensho::form::opinion::Answer::Text("高血圧症（内服加療中）".into()),
    );
    queue(second, &mut fixed);
    wait_until(&mut h, "the new version accepted", |a| {
        a.rows
            .iter()
            .any(|r| r.id == second && r.state == State::Accepted)
    });
    assert_eq!(sim.receipts().len(), 3);
}

/// Where no keyring keeps the terminal certificate's password, the window asks for it at
/// sign-in (a wrong one is said so and asked again), keeps it in memory for the rest of the run,
/// and asks again at the next sign-in when it was put off.
#[test]
fn without_a_kept_password_the_window_asks_for_the_terminals_at_sign_in() {
    use common::ui::{H, sign_in, sign_out, window};
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable as _;
    use ikensho::i18n::Lang;
    use ikensho_app::app::Services;
    use ikensho_app::app::problem::HubUnavailable;
    use ikensho_app::cli::demo::{Demo, prepare};

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let Demo {
        sim: _sim, store, ..
    } = prepare(dir).unwrap();
    // The hub operator's .p12, put in place with no keyring to keep its password (the account
    // is this new folder's, which no keyring has heard of).
    let pki = HubPki::load(&dir.join("hub").join("pki")).unwrap();
    ikensho::files::write_private(
        &dir.join(ikensho::hub::terminal::P12_FILE),
        &pki.terminal_p12("Tm-Pass-2291").unwrap(),
    )
    .unwrap();
    let services = Services::from_store(&store, dir);
    assert!(services.hub.is_none());
    assert!(matches!(
        services.hub_problem,
        Some(HubUnavailable::NeedsPassword)
    ));
    let mut h = window(store, services, Lang::Ja, egui::vec2(1280.0, 860.0));
    h.run();
    sign_in(&mut h, "sato");
    assert!(h.state().terminal_pw.open, "asked at sign-in");
    h.get_by_label("端末証明書のパスワード");
    let type_password = |h: &mut H, pw: &str| {
        h.get_by_role_and_label(Role::PasswordInput, ".p12 のパスワード")
            .focus();
        h.step();
        h.get_by_role_and_label(Role::PasswordInput, ".p12 のパスワード")
            .type_text(pw);
        h.run();
        eprintln!("typed {:?}", h.state().terminal_pw.password.as_str());
        let b = h.get_by_label("証明書を開く");
        eprintln!("button at {:?}", b.rect());
        b.click();
        h.run();
        eprintln!(
            "mid {:?} {}",
            h.state().terminal_pw.password.as_str(),
            h.state().terminal_pw.open
        );
        if h.state().terminal_pw.open && !h.state().terminal_pw.password.is_empty() {
            #[cfg(feature = "snapshots")]
            h.render().unwrap().save("/tmp/tp.png").unwrap();
            let b = h.get_by_label("証明書を開く");
            eprintln!("button now at {:?}", b.rect());
            b.click();
            h.run();
        }
        eprintln!(
            "after {:?} {}",
            h.state().terminal_pw.password.as_str(),
            h.state().terminal_pw.open
        );
    };
    // Not kept: this test leaves nothing in the machine's keyring.
    h.get_by_label("この端末に記憶する（OS の資格情報ストア）")
        .click();
    h.run();
    assert!(!h.state().terminal_pw.remember);
    type_password(&mut h, "wrong-one");
    assert!(
        h.state().terminal_pw.open,
        "a wrong password is asked again"
    );
    h.get_by_label_contains("パスワードが違うか");
    assert!(h.state().terminal_pw.password.is_empty(), "wiped after use");
    assert!(h.state().worker.services.hub.is_none());
    type_password(&mut h, "Tm-Pass-2291");
    assert!(!h.state().terminal_pw.open);
    h.get_by_label_contains("端末証明書を読み込みました");
    let hub = h.state().worker.services.hub.clone().expect("the hub now");
    hub.health().unwrap();
    // Kept for the rest of the run: the next person is not asked.
    sign_out(&mut h);
    sign_in(&mut h, "suzuki");
    assert!(!h.state().terminal_pw.open);
    assert!(h.state().worker.services.hub.is_some());

    // Another start of the program: put off, it stays unavailable and says why, and the next
    // sign-in asks again.
    drop(h);
    let store = common::ui::open_store(dir);
    let services = Services::from_store(&store, dir);
    let mut h = window(store, services, Lang::Ja, egui::vec2(1280.0, 860.0));
    h.run();
    sign_in(&mut h, "sato");
    assert!(h.state().terminal_pw.open);
    h.get_by_label("あとで").click();
    h.run();
    assert!(!h.state().terminal_pw.open);
    assert!(h.state().worker.services.hub.is_none());
    let said =
        ikensho_app::app::problem::Problem::Hub(HubUnavailable::NeedsPassword).text(Lang::Ja);
    assert!(said.contains("端末証明書のパスワード"), "{said}");
    sign_out(&mut h);
    sign_in(&mut h, "sato");
    assert!(
        h.state().terminal_pw.open,
        "asked again at the next sign-in"
    );
}

/// 設定's connection test tells each thing that can be wrong in plain words: the hub not
/// reachable, this terminal's certificate refused, the hub's certificate not trusted, the .p12
/// password wrong; and the card test reads whom the card is for without a PIN.
#[test]
fn the_connection_test_and_the_card_test_say_what_they_found() {
    use common::ui::{sign_in, wait_until, window};
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable as _;
    use ikensho::i18n::Lang;
    use ikensho_app::cli::demo::{Demo, prepare};

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let Demo {
        sim,
        store,
        services,
        ..
    } = prepare(dir).unwrap();
    let pki = HubPki::load(&dir.join("hub").join("pki")).unwrap();
    let good = dir.join("given.p12");
    std::fs::write(&good, pki.terminal_p12("Tm-Pass-2291").unwrap()).unwrap();
    let other = HubPki::generate(INSTITUTION, "T-OTHER").unwrap();
    let foreign = dir.join("foreign.p12");
    std::fs::write(&foreign, other.terminal_p12("Tm-Pass-2291").unwrap()).unwrap();
    let hub_ca = dir.join("hub-ca.pem");
    std::fs::write(&hub_ca, pem(&pki.ca.cert)).unwrap();
    let wrong_ca = dir.join("other-ca.pem");
    std::fs::write(&wrong_ca, pem(&other.ca.cert)).unwrap();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };

    let mut h = window(store, services, Lang::Ja, egui::vec2(1280.0, 860.0));
    h.run();
    sign_in(&mut h, "kanri");
    let test = |h: &mut common::ui::H, url: &str, ca: &Path, p12: &Path, pw: &str| {
        {
            let s = &mut h.state_mut().settings;
            s.connection.hub_url = url.to_owned();
            s.hub_ca_path = ca.display().to_string();
            s.p12_path = p12.display().to_string();
            s.p12_password = Zeroizing::new(pw.to_owned());
        }
        h.run();
        // The test runs on a thread with a spinner: a few frames, then wait for it.
        h.get_by_role_and_label(Role::Button, "接続テスト")
            .scroll_to_me();
        h.run();
        h.get_by_role_and_label(Role::Button, "接続テスト").click();
        h.run_steps(3);
        wait_until(h, "the connection test", |a| {
            !a.settings.connection_testing && a.settings.connection_test.is_some()
        });
        h.run();
    };
    let url = sim.url();
    test(&mut h, &url, &hub_ca, &good, "Tm-Pass-2291");
    h.get_by_label_contains("ハブ）につながりました");
    test(&mut h, &url, &hub_ca, &good, "not-the-password");
    h.get_by_label_contains("パスワードが違うか");
    test(&mut h, &url, &hub_ca, &foreign, "Tm-Pass-2291");
    h.get_by_label_contains("この端末の証明書を受け付けませんでした");
    test(&mut h, &url, &wrong_ca, &good, "Tm-Pass-2291");
    h.get_by_label_contains("設定した CA 証明書では確かめられません");
    test(
        &mut h,
        &format!("https://127.0.0.1:{closed}"),
        &hub_ca,
        &good,
        "Tm-Pass-2291",
    );
    h.get_by_label_contains("ハブにつながりません");

    // The card test: the demo physician's card, read without a PIN.
    h.get_by_role_and_label(Role::Button, "カードを読む（PIN 不要）")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, "カードを読む（PIN 不要）")
        .click();
    h.run_steps(3);
    wait_until(&mut h, "the card test", |a| {
        !a.settings.card_testing && a.settings.card_test.is_some()
    });
    h.run();
    h.get_by_label("医師資格証の名義：佐藤 一郎");
    h.get_by_label_contains("有効期限：");
    h.get_by_label_contains("発行元：");
    let card = ikensho_testkit::virt::VirtualCard::open(&dir.join("card")).unwrap();
    assert_eq!(card.tries_left(), 15, "no PIN was asked of the card");
}
