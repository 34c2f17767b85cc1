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

use ikensho::card::hpki::{HpkiCard, PinStatus, Variant};
use ikensho::card::pcsc::PcscReader;
use ikensho::card::{CardError, Pin};
use ikensho::sign::cms::{Trust, VerifyError, load_trust_anchors, sign_document, verify};
use ikensho_testkit::sign_pki::TestPki;
use ikensho_testkit::virt::{Behaviour, Variants, VirtualCard};
use zeroize::Zeroizing;

const READER: &str = "Virtual PCD 00 00";
const VPCD: &str = "127.0.0.1:35963";
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

/// A virtual card in the vpcd slot, answering from a thread until taken out.
struct Inserted {
    socket: TcpStream,
    thread: JoinHandle<VirtualCard>,
}

fn reader() -> PcscReader {
    PcscReader::open(Some(READER)).unwrap()
}

fn insert(mut card: VirtualCard) -> Inserted {
    reader()
        .wait_for_empty(Duration::from_secs(10))
        .expect("the slot is free");
    // vpcd takes a new card only once it has noticed the last one leave; after a card vanished
    // mid-transaction that can take a poll or two, so a card not seen in time is put in again.
    for _ in 0..5 {
        let socket = VirtualCard::connect_vpcd(VPCD).unwrap();
        let theirs = socket.try_clone().unwrap();
        let thread = std::thread::spawn(move || {
            let _ = card.serve_vpcd(theirs);
            card
        });
        match reader().wait_for_card(Duration::from_secs(3)) {
            Ok(()) => return Inserted { socket, thread },
            Err(_) => {
                let _ = socket.shutdown(std::net::Shutdown::Both);
                card = thread.join().unwrap();
                std::thread::sleep(Duration::from_millis(500));
            }
        }
    }
    panic!("pcscd never saw the virtual card in {READER}");
}

impl Inserted {
    fn take_out(self) -> VirtualCard {
        let _ = self.socket.shutdown(std::net::Shutdown::Both);
        let card = self.thread.join().unwrap();
        let _ = reader().wait_for_empty(Duration::from_secs(10));
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
