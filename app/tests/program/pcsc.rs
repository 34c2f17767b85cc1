//! Signing through the real pcscd: the virtual HPKI card connects to vpcd (vsmartcard-vpcd) as a
//! card in the reader "Virtual PCD 00 00", and the program talks to it through PC/SC like to a real
//! card. Needs pcscd running with vpcd (`scripts/test` and `.ci/run` start it). One card at a
//! time: the tests take a lock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use crate::common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use ikensho::card::choose::{self, Holds};
use ikensho::card::hpki::{HpkiCard, PinStatus, Variant};
use ikensho::card::pcsc::{PcscReader, PcscSource};
use ikensho::card::{CardError, CardSource, Pin};
use ikensho::sign::cms::{Trust, VerifyError, load_trust_anchors, sign_document, verify};
use ikensho_testkit::sign_pki::TestPki;
use ikensho_testkit::virt::{Behaviour, Variants, VirtualCard};
use zeroize::Zeroizing;

const READER: &str = "Virtual PCD 00 00";
/// Distinctive, so that a search of the logs for it means something.
const PIN: &str = "739154";

fn lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether pcscd is running. Without it a plain `cargo test` (no root to start it) skips these
/// tests and says so; `scripts/test` sets IKENSHO_REQUIRE_PCSCD, so there its absence fails.
fn pcscd() -> bool {
    if Path::new("/run/pcscd/pcscd.comm").exists() {
        return true;
    }
    let why = "pcscd is not running: run `bash scripts/test` (it starts pcscd), or `pcscd -f -i &`";
    assert!(std::env::var_os("IKENSHO_REQUIRE_PCSCD").is_none(), "{why}");
    eprintln!("skipped: {why}");
    false
}

fn pki() -> &'static (TestPki, PathBuf) {
    static CELL: OnceLock<(TestPki, PathBuf)> = OnceLock::new();
    CELL.get_or_init(|| {
        let pki = TestPki::generate("佐藤 一郎").unwrap();
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pcsc-pki-{}", std::process::id()));
        pki.write(&dir).unwrap();
        (pki, dir)
    })
}

fn new_card(dir: &Path, behaviour: Behaviour) -> VirtualCard {
    let (pki, _) = pki();
    VirtualCard::create(
        dir,
        &pki.physician.key,
        &pki.physician.der(),
        PIN,
        behaviour,
    )
    .unwrap()
}

fn pin(s: &str) -> Pin {
    Pin::new(Zeroizing::new(s.to_owned())).unwrap()
}

/// A virtual card in a vpcd slot, answering from a thread until taken out.
struct Inserted {
    slot: usize,
    socket: TcpStream,
    thread: Option<JoinHandle<VirtualCard>>,
}

/// A test that fails with a card inserted takes it out, so that the next test finds the slot
/// free.
impl Drop for Inserted {
    fn drop(&mut self) {
        let _ = self.socket.shutdown(std::net::Shutdown::Both);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn reader() -> PcscReader {
    slot_reader(0)
}

/// vpcd's readers: slot 0 is "Virtual PCD 00 00" on port 35963, slot 1 "… 00 01" on 35964.
fn slot_reader(slot: usize) -> PcscReader {
    PcscReader::open(Some(&format!("Virtual PCD 00 0{slot}"))).unwrap()
}

fn insert(card: VirtualCard) -> Inserted {
    insert_in(0, card)
}

fn insert_in(slot: usize, mut card: VirtualCard) -> Inserted {
    slot_reader(slot)
        .wait_for_empty(Duration::from_secs(10))
        .expect("the slot is free");
    let port = ikensho_testkit::virt::VPCD_PORT + slot as u16;
    let vpcd = format!("127.0.0.1:{port}");
    // vpcd takes a new card only once it has noticed the last one leave; after a card vanished
    // mid-transaction that can take a poll or two, so a card not seen in time is put in again.
    for _ in 0..5 {
        let socket = VirtualCard::connect_vpcd(&vpcd).unwrap();
        let theirs = socket.try_clone().unwrap();
        let thread = std::thread::spawn(move || {
            let _ = card.serve_vpcd(theirs);
            card
        });
        match slot_reader(slot).wait_for_card(Duration::from_secs(3)) {
            Ok(()) => {
                return Inserted {
                    slot,
                    socket,
                    thread: Some(thread),
                };
            }
            Err(_) => {
                let _ = socket.shutdown(std::net::Shutdown::Both);
                card = thread.join().unwrap();
                std::thread::sleep(Duration::from_millis(500));
            }
        }
    }
    panic!("pcscd never saw the virtual card in slot {slot}");
}

impl Inserted {
    fn take_out(mut self) -> VirtualCard {
        let _ = self.socket.shutdown(std::net::Shutdown::Both);
        let card = self.thread.take().unwrap().join().unwrap();
        let _ = slot_reader(self.slot).wait_for_empty(Duration::from_secs(10));
        card
    }
}

fn openssl_verify(doc: &[u8], sig: &[u8]) -> bool {
    common::openssl_verify(doc, sig, &pki().1.join("root.pem"))
}

fn anchors() -> Vec<x509_cert::Certificate> {
    load_trust_anchors(&std::fs::read(pki().1.join("root.pem")).unwrap()).unwrap()
}

fn document() -> Vec<u8> {
    "{\"resourceType\":\"Bundle\",\"title\":\"主治医意見書\"}"
        .as_bytes()
        .to_vec()
}

#[test]
fn signs_through_pcscd_and_both_verifiers_agree() {
    if !pcscd() {
        return;
    }
    let _g = lock();
    let dir = tempfile::tempdir().unwrap();
    let inserted = insert(new_card(dir.path(), Behaviour::default()));
    let mut card = HpkiCard::new(reader());
    let cert = card.certificate().unwrap();
    assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(15));
    let doc = document();
    let (sig, variant) =
        sign_document(&mut card, &pin(PIN), &cert, &[pki().0.ca.der()], &doc).unwrap();
    assert_eq!(variant, Variant::A);
    verify(&doc, &sig, &Trust::now(&anchors())).unwrap();
    assert!(openssl_verify(&doc, &sig));
    let mut changed = doc.clone();
    changed[3] ^= 0x20;
    assert_eq!(
        verify(&changed, &sig, &Trust::now(&anchors())),
        Err(VerifyError::DigestMismatch)
    );
    assert!(!openssl_verify(&changed, &sig));
    drop(card);
    inserted.take_out();
}

#[test]
fn wrong_pin_then_blocked_through_pcscd() {
    if !pcscd() {
        return;
    }
    let _g = lock();
    let dir = tempfile::tempdir().unwrap();
    let mut vc = new_card(dir.path(), Behaviour::default());
    vc.set_tries_left(2).unwrap();
    let inserted = insert(vc);
    let cert = pki().0.physician.der();
    let mut card = HpkiCard::new(reader());
    assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(2));
    assert_eq!(
        card.sign(&pin("000000"), &cert, b"x").unwrap_err(),
        CardError::WrongPin { tries_left: 1 }
    );
    assert_eq!(
        card.sign(&pin("000000"), &cert, b"x").unwrap_err(),
        CardError::Blocked
    );
    // Blocked: the right PIN is refused without being sent.
    assert_eq!(card.pin_status().unwrap(), PinStatus::Blocked);
    assert_eq!(
        card.sign(&pin(PIN), &cert, b"x").unwrap_err(),
        CardError::Blocked
    );
    drop(card);
    let vc = inserted.take_out();
    assert_eq!(vc.tries_left(), 0, "the counter is on the card");
}

#[test]
fn card_removed_between_verify_and_signature() {
    if !pcscd() {
        return;
    }
    let _g = lock();
    let dir = tempfile::tempdir().unwrap();
    let inserted = insert(new_card(
        dir.path(),
        Behaviour {
            remove_after_verify: true,
            ..Behaviour::default()
        },
    ));
    let cert = pki().0.physician.der();
    let mut card = HpkiCard::new(reader());
    let err = card.sign(&pin(PIN), &cert, b"x").unwrap_err();
    assert!(
        matches!(err, CardError::Removed | CardError::ReaderGone),
        "{err:?}"
    );
    drop(card);
    inserted.take_out();
}

#[test]
fn variant_b_and_no_extended_apdus_through_pcscd() {
    if !pcscd() {
        return;
    }
    let _g = lock();
    for (behaviour, want) in [
        (
            Behaviour {
                variants: Variants::BOnly,
                ..Behaviour::default()
            },
            Variant::B,
        ),
        (
            Behaviour {
                variants: Variants::AOnly,
                no_extended: true,
                ..Behaviour::default()
            },
            Variant::A,
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let inserted = insert(new_card(dir.path(), behaviour));
        let mut card = HpkiCard::new(reader());
        let cert = card.certificate().unwrap();
        let (sig, variant) = sign_document(
            &mut card,
            &pin(PIN),
            &cert,
            &[pki().0.ca.der()],
            &document(),
        )
        .unwrap();
        assert_eq!(variant, want);
        verify(&document(), &sig, &Trust::now(&anchors())).unwrap();
        drop(card);
        inserted.take_out();
    }
}

#[test]
fn not_an_hpki_card_no_card_and_no_such_reader() {
    if !pcscd() {
        return;
    }
    let _g = lock();
    let dir = tempfile::tempdir().unwrap();
    let inserted = insert(new_card(
        dir.path(),
        Behaviour {
            not_hpki: true,
            ..Behaviour::default()
        },
    ));
    let mut card = HpkiCard::new(reader());
    assert_eq!(card.certificate().unwrap_err(), CardError::NotHpki);
    drop(card);
    inserted.take_out();
    // The slot is empty now.
    assert_eq!(
        reader().wait_for_card(Duration::from_millis(800)),
        Err(CardError::NoCard)
    );
    assert!(matches!(
        PcscReader::open(Some("No Such Reader 99")).map(|_| ()),
        Err(CardError::UnknownReader(_))
    ));
}

fn ikensho(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> std::process::Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ikensho"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The PIN in every form a log could show it: as typed, as hex bytes with and without spaces.
fn pin_forms() -> Vec<String> {
    let hex: Vec<String> = PIN.bytes().map(|b| format!("{b:02X}")).collect();
    vec![
        PIN.to_owned(),
        hex.concat(),
        hex.concat().to_lowercase(),
        hex.join(" "),
        hex.join(" ").to_lowercase(),
        format!("{:?}", PIN.as_bytes()),
    ]
}

#[test]
fn the_command_line_signs_and_its_most_verbose_log_has_no_pin() {
    if !pcscd() {
        return;
    }
    let _g = lock();
    let dir = tempfile::tempdir().unwrap();
    let inserted = insert(new_card(&dir.path().join("card"), Behaviour::default()));
    let doc = dir.path().join("opinion.json");
    std::fs::write(&doc, document()).unwrap();
    let ca = pki().1.join("ca.pem");
    let out = ikensho(
        &[
            "-vv",
            "sign",
            doc.to_str().unwrap(),
            "--reader",
            READER,
            "--chain",
            ca.to_str().unwrap(),
        ],
        &format!("{PIN}\n"),
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("TRACE"), "the most verbose level was on");
    assert!(
        stderr.contains("00 20 00 88"),
        "VERIFY was logged (its header)"
    );
    for form in pin_forms() {
        assert!(!stderr.contains(&form), "the log shows the PIN as {form}");
        assert!(!stdout.contains(&form));
    }
    // The command line's own verifier and openssl accept the written signature.
    let sig = dir.path().join("opinion.json.p7s");
    let root = pki().1.join("root.pem");
    let v = ikensho(
        &[
            "verify",
            doc.to_str().unwrap(),
            sig.to_str().unwrap(),
            "--trust",
            root.to_str().unwrap(),
        ],
        "",
        &[],
    );
    assert_eq!(v.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&v.stderr).contains("失効は確認していません"),
        "{}",
        String::from_utf8_lossy(&v.stderr)
    );
    assert!(openssl_verify(&document(), &std::fs::read(&sig).unwrap()));
    // With the CAs' revocation lists: checked; with the physician on the CA's list: refused.
    {
        use der::Encode;
        let day = std::time::Duration::from_secs(24 * 3600);
        let now = std::time::SystemTime::now();
        let p = &pki().0;
        let write = |name: &str, crl: x509_cert::crl::CertificateList| {
            let path = dir.path().join(name);
            std::fs::write(&path, crl.to_der().unwrap()).unwrap();
            path
        };
        let root_crl = write(
            "root.crl",
            p.root.crl(&[], now - day, now + 7 * day).unwrap(),
        );
        let ca_crl = write("ca.crl", p.ca.crl(&[], now - day, now + 7 * day).unwrap());
        let revoked = write(
            "revoked.crl",
            p.ca.crl(&[&p.physician.cert], now - day, now + 7 * day)
                .unwrap(),
        );
        let with = |crl: &Path| {
            ikensho(
                &[
                    "verify",
                    doc.to_str().unwrap(),
                    sig.to_str().unwrap(),
                    "--trust",
                    root.to_str().unwrap(),
                    "--crl",
                    root_crl.to_str().unwrap(),
                    "--crl",
                    crl.to_str().unwrap(),
                ],
                "",
                &[],
            )
        };
        let ok = with(&ca_crl);
        assert_eq!(ok.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&ok.stderr)
                .contains("失効は、与えられた失効リストで確認しました")
        );
        let refused = with(&revoked);
        assert_eq!(refused.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("失効しています"),
            "{}",
            String::from_utf8_lossy(&refused.stderr)
        );
    }

    // A wrong PIN: the message says how many tries remain, and the PIN is not in it.
    let out = ikensho(
        &[
            "-vv",
            "--lang",
            "en",
            "sign",
            doc.to_str().unwrap(),
            "--reader",
            READER,
        ],
        "111111\n",
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("Wrong PIN. 14 tries left"), "{stderr}");
    assert!(!stderr.contains("111111"));
    inserted.take_out();
}

#[test]
fn no_card_service_is_a_clear_error() {
    // pcsc-lite's client library finds pcscd through this socket path.
    let out = ikensho(
        &["sign", "/etc/hostname", "--reader", READER],
        "",
        &[("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("pcscd"), "{stderr}");
    assert!(stderr.contains("動いていません"), "{stderr}");
}

const FIRST: &str = READER;
const SECOND: &str = "Virtual PCD 00 01";

fn source(remember_in: &Path) -> PcscSource {
    PcscSource {
        remember_in: Some(remember_in.to_path_buf()),
        configured: None,
        wait: Duration::from_secs(3),
    }
}

/// `ikensho sign` in `data_dir` without naming a reader (or naming `reader`).
fn sign_here(data_dir: &Path, doc: &Path, reader: Option<&str>) -> (Option<i32>, String) {
    let ca = pki().1.join("ca.pem");
    let mut args = vec![
        "--data-dir",
        data_dir.to_str().unwrap(),
        "sign",
        doc.to_str().unwrap(),
        "--chain",
        ca.to_str().unwrap(),
    ];
    if let Some(r) = reader {
        args.extend(["--reader", r]);
    }
    let out = ikensho(&args, &format!("{PIN}\n"), &[]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_reader_with_the_card_is_found_and_two_cards_are_a_question() {
    if !pcscd() {
        return;
    }
    let _g = lock();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let doc = dir.path().join("opinion.json");
    std::fs::write(&doc, document()).unwrap();
    // The card in the second of two readers: found there, said, and the signature is good.
    let second = insert_in(
        1,
        new_card(&dir.path().join("card-b"), Behaviour::default()),
    );
    let src = source(&data);
    let looks = src.look().unwrap();
    let holds = |r: &str| looks.iter().find(|l| l.reader == r).unwrap().holds.clone();
    assert_eq!(holds(FIRST), Holds::Nothing);
    assert_eq!(holds(SECOND), Holds::Hpki);
    assert_eq!(src.open(None).unwrap().1, SECOND);
    let (code, stderr) = sign_here(&data, &doc, None);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("カードリーダー: {SECOND}")),
        "{stderr}"
    );
    let sig = dir.path().join("opinion.json.p7s");
    assert!(openssl_verify(&document(), &std::fs::read(&sig).unwrap()));
    std::fs::remove_file(&sig).unwrap();
    assert_eq!(
        choose::remembered(&data),
        None,
        "found, not chosen: nothing to remember"
    );

    // A second card in the first reader: the program asks which, and signs nothing.
    let first = insert_in(
        0,
        new_card(&dir.path().join("card-a"), Behaviour::default()),
    );
    assert_eq!(
        src.open(None).map(|(_, r)| r).unwrap_err(),
        CardError::SeveralCards(vec![FIRST.to_owned(), SECOND.to_owned()])
    );
    let (code, stderr) = sign_here(&data, &doc, None);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("二つ以上") && stderr.contains(FIRST) && stderr.contains(SECOND),
        "{stderr}"
    );
    assert!(!sig.exists());
    // Named once: signed there, and remembered for the next time.
    let (code, stderr) = sign_here(&data, &doc, Some(FIRST));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(choose::remembered(&data).as_deref(), Some(FIRST));
    let (code, stderr) = sign_here(&data, &doc, None);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("カードリーダー: {FIRST}")),
        "{stderr}"
    );
    // The card chosen before taken out: the one left is used.
    let a = first.take_out();
    let (code, stderr) = sign_here(&data, &doc, None);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("カードリーダー: {SECOND}")),
        "{stderr}"
    );
    let b = second.take_out();
    assert_eq!(a.tries_left(), 15);
    assert_eq!(b.tries_left(), 15);
    // No card at all: said so once the wait is over.
    assert_eq!(
        source(&data).open(None).map(|(_, r)| r).unwrap_err(),
        CardError::NoCard
    );
}

#[test]
fn the_window_uses_the_reader_with_the_card_and_remembers_the_one_chosen() {
    use common::ui::*;
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    use ikensho::i18n::Lang;
    use ikensho_app::app::Screen;
    use ikensho_app::cli::demo::{Demo, prepare};

    if !pcscd() {
        return;
    }
    let _g = lock();
    let dir = tempfile::tempdir().unwrap();
    let Demo {
        sim: _sim,
        store,
        mut services,
        ..
    } = prepare(dir.path()).unwrap();
    services.card = std::sync::Arc::new(source(dir.path()));
    // The demo physician's card in the second reader, another physician's in the first.
    let demo_card = VirtualCard::open(&dir.path().join("card")).unwrap();
    let second = insert_in(1, demo_card);
    let mut h = window(store, services, Lang::Ja, egui::vec2(1280.0, 860.0));
    h.run();
    complete_second_insured(dir.path());
    sign_in(&mut h, "sato");
    open_opinion(&mut h, "鈴木 次郎");
    to_review(&mut h, false);
    let open_dialog = |h: &mut H| {
        h.get_by_label("確定して署名・送信").click();
        h.run_steps(3);
        wait_until(h, "the card status", |a| {
            a.review.card.is_some() && !a.review.checking
        });
    };
    open_dialog(&mut h);
    assert!(matches!(h.state().review.card, Some(Ok(_))));
    assert_eq!(h.state().review.reader.as_deref(), Some(SECOND));
    h.get_by_label("キャンセル").click();
    h.run();

    let first = insert_in(0, new_card(&dir.path().join("other"), Behaviour::default()));
    open_dialog(&mut h);
    assert_eq!(
        h.state().review.card,
        Some(Err(CardError::SeveralCards(vec![
            FIRST.to_owned(),
            SECOND.to_owned()
        ])))
    );
    h.get_by_label_contains("使うカードリーダーを選んでください");
    // The physician picks the second reader in the list.
    h.get_by_role_and_label(Role::ComboBox, "カードリーダー")
        .click();
    h.run();
    h.get_by_label(SECOND).click();
    h.run_steps(3);
    wait_until(&mut h, "the card in the reader chosen", |a| {
        matches!(a.review.card, Some(Ok(_))) && !a.review.checking
    });
    assert_eq!(choose::remembered(dir.path()).as_deref(), Some(SECOND));
    h.get_by_label("キャンセル").click();
    h.run();
    // In the next review the chosen reader is taken at once, though both hold cards; the
    // signature is made there and the opinion is queued.
    h.get_by_label("編集に戻る").click();
    h.run();
    to_review(&mut h, false);
    assert_eq!(h.state().review.asked, None);
    open_dialog(&mut h);
    assert_eq!(h.state().review.reader.as_deref(), Some(SECOND));
    h.get_by_role_and_label(Role::PasswordInput, "PIN").focus();
    h.step();
    h.get_by_role_and_label(Role::PasswordInput, "PIN")
        .type_text(ikensho_testkit::demo::DEMO_PIN);
    h.get_by_label("署名して送信").click();
    h.step();
    wait_until(&mut h, "signed and queued", |a| a.screen == Screen::Outbox);
    let other = first.take_out();
    let demo = second.take_out();
    assert_eq!(
        other.tries_left(),
        15,
        "the other card was never asked for its PIN"
    );
    assert_eq!(demo.tries_left(), 15, "the demo card took the right PIN");
}
