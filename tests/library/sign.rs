//! Signing with the virtual HPKI card in process, and verifying with our verifier and with
//! `openssl cms -verify`. The same through the real pcscd is in `app/tests/program/pcsc.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use ikensho_testkit::fixtures as common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ikensho::card::hpki::{HpkiCard, PinStatus, Variant};
use ikensho::card::{CardAccess, CardError, Pin, Result as CardResult, Transport};
use ikensho::sign::cms::{Trust, VerifyError, load_trust_anchors, sign_document, verify};
use ikensho_testkit::sign_pki::TestPki;
use ikensho_testkit::virt::{Behaviour, Variants, VirtualCard};
use zeroize::Zeroizing;

const PIN: &str = "1234";

/// One test PKI per test run (three RSA keys take a moment), written to a folder for openssl.
fn pki() -> &'static (TestPki, PathBuf) {
    static CELL: OnceLock<(TestPki, PathBuf)> = OnceLock::new();
    CELL.get_or_init(|| {
        let pki = TestPki::generate("佐藤 一郎").unwrap();
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pki-{}", std::process::id()));
        pki.write(&dir).unwrap();
        (pki, dir)
    })
}

fn card(behaviour: Behaviour) -> (tempfile::TempDir, VirtualCard) {
    let (pki, _) = pki();
    let dir = tempfile::tempdir().unwrap();
    let card = VirtualCard::create(
        dir.path(),
        &pki.physician.key,
        &pki.physician.der(),
        PIN,
        behaviour,
    )
    .unwrap();
    (dir, card)
}

fn pin(s: &str) -> Pin {
    Pin::new(Zeroizing::new(s.to_owned())).unwrap()
}

/// Records the instruction bytes sent to the card (never the data).
struct Recording<'a> {
    card: &'a mut VirtualCard,
    sent: Vec<(u8, u8)>,
}

impl Transport for Recording<'_> {
    fn transmit(&mut self, command: &[u8]) -> CardResult<Vec<u8>> {
        self.sent.push((command[0], command[1]));
        self.card.transmit(command)
    }
}

impl CardAccess for Recording<'_> {
    fn exclusive(
        &mut self,
        f: &mut dyn FnMut(&mut dyn Transport) -> CardResult<()>,
    ) -> CardResult<()> {
        f(self)
    }
}

fn doc() -> Vec<u8> {
    br#"{"resourceType":"Bundle","type":"document","note":"\u4e3b\u6cbb\u533b"}"#.to_vec()
}

fn chain() -> Vec<Vec<u8>> {
    vec![pki().0.ca.der()]
}

fn openssl_verify(doc: &[u8], sig: &[u8]) -> bool {
    common::openssl_verify(doc, sig, &pki().1.join("root.pem"))
}

fn anchors() -> Vec<x509_cert::Certificate> {
    load_trust_anchors(&std::fs::read(pki().1.join("root.pem")).unwrap()).unwrap()
}

#[test]
fn a_signature_verifies_with_ours_and_openssl_and_a_changed_byte_fails_both() {
    let (_d, mut vc) = card(Behaviour::default());
    let mut card = HpkiCard::new(&mut vc);
    let cert = card.certificate().unwrap();
    assert_eq!(cert, pki().0.physician.der(), "certificate read in blocks");
    assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(15));
    let document = doc();
    let (sig, variant) = sign_document(&mut card, &pin(PIN), &cert, &chain(), &document).unwrap();
    assert_eq!(variant, Variant::A);
    let v = verify(&document, &sig, &Trust::now(&anchors())).unwrap();
    assert!(v.signer.contains("佐藤"), "{}", v.signer);
    assert_eq!(v.path_len, 3);
    assert!(openssl_verify(&document, &sig), "openssl cms -verify");

    let mut changed = document.clone();
    changed[10] ^= 0x01;
    assert_eq!(
        verify(&changed, &sig, &Trust::now(&anchors())),
        Err(VerifyError::DigestMismatch)
    );
    assert!(!openssl_verify(&changed, &sig));
    // Another root is not trusted.
    let other = TestPki::generate("x").unwrap();
    assert_eq!(
        verify(
            &document,
            &sig,
            &Trust::now(std::slice::from_ref(&other.root.cert))
        ),
        Err(VerifyError::Untrusted)
    );
}

#[test]
fn the_signing_ca_marks_certificate_policies_critical_and_we_accept_it() {
    let ca = &pki().0.ca.cert;
    let critical: Vec<String> = ca
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.critical)
        .map(|e| e.extn_id.to_string())
        .collect();
    assert!(critical.contains(&"2.5.29.32".to_owned()), "{critical:?}");
}

#[test]
fn a_wrong_pin_says_how_many_tries_remain_and_is_not_retried() {
    let (_d, mut vc) = card(Behaviour::default());
    let cert = pki().0.physician.der();
    let mut rec = Recording {
        card: &mut vc,
        sent: Vec::new(),
    };
    let mut card = HpkiCard::new(&mut rec);
    let err = sign_document(&mut card, &pin("9999"), &cert, &chain(), &doc()).unwrap_err();
    assert!(
        matches!(
            err,
            ikensho::sign::cms::SignError::Card(CardError::WrongPin { tries_left: 14 })
        ),
        "{err:?}"
    );
    let verifies = rec
        .sent
        .iter()
        .filter(|(cla, ins)| *cla == 0 && *ins == 0x20)
        .count();
    assert_eq!(verifies, 2, "one tries query and one VERIFY, no retry");
    assert!(
        !rec.sent.iter().any(|(_, ins)| *ins == 0x2A),
        "no signature attempted"
    );
    assert_eq!(vc.tries_left(), 14);
    // The counter is kept on disk: a reopened card remembers.
    // A right PIN resets it.
    let mut card = HpkiCard::new(&mut vc);
    sign_document(&mut card, &pin(PIN), &cert, &chain(), &doc()).unwrap();
    assert_eq!(vc.tries_left(), 15);
}

#[test]
fn a_blocked_card_says_so_and_gets_no_verify() {
    let (dir, mut vc) = card(Behaviour::default());
    vc.set_tries_left(1).unwrap();
    let cert = pki().0.physician.der();
    {
        let mut card = HpkiCard::new(&mut vc);
        assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(1));
        let err = card.sign(&pin("0000"), &cert, b"x").unwrap_err();
        assert_eq!(err, CardError::Blocked, "the last wrong try blocks");
    }
    // Reopened from its folder: still blocked; the right PIN is not even sent.
    let mut vc = VirtualCard::open(dir.path()).unwrap();
    assert_eq!(vc.tries_left(), 0);
    let mut rec = Recording {
        card: &mut vc,
        sent: Vec::new(),
    };
    let mut card = HpkiCard::new(&mut rec);
    assert_eq!(card.pin_status().unwrap(), PinStatus::Blocked);
    assert_eq!(
        card.sign(&pin(PIN), &cert, b"x").unwrap_err(),
        CardError::Blocked
    );
    let with_data = rec.sent.iter().filter(|(_, ins)| *ins == 0x20).count();
    assert_eq!(with_data, 2, "two tries queries, no VERIFY with a PIN");
}

#[test]
fn variant_b_no_extended_apdus_and_both_together() {
    let cert = pki().0.physician.der();
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
                no_extended: true,
                variants: Variants::AOnly,
                ..Behaviour::default()
            },
            Variant::A,
        ),
        (
            Behaviour {
                no_extended: true,
                variants: Variants::BOnly,
                ..Behaviour::default()
            },
            Variant::B,
        ),
    ] {
        let (_d, mut vc) = card(behaviour);
        let mut rec = Recording {
            card: &mut vc,
            sent: Vec::new(),
        };
        let mut card = HpkiCard::new(&mut rec);
        let (sig, variant) = sign_document(&mut card, &pin(PIN), &cert, &chain(), &doc()).unwrap();
        assert_eq!(variant, want, "{behaviour:?}");
        verify(&doc(), &sig, &Trust::now(&anchors())).unwrap();
        if behaviour.no_extended && want == Variant::A {
            assert!(rec.sent.contains(&(0x10, 0x2A)), "chained PSO");
        }
    }
}

#[test]
fn removal_not_hpki_and_a_signature_that_does_not_match() {
    let cert = pki().0.physician.der();
    let (_d, mut vc) = card(Behaviour {
        remove_after_verify: true,
        ..Behaviour::default()
    });
    let err = HpkiCard::new(&mut vc)
        .sign(&pin(PIN), &cert, b"x")
        .unwrap_err();
    assert_eq!(err, CardError::Removed);

    let (_d, mut vc) = card(Behaviour {
        not_hpki: true,
        ..Behaviour::default()
    });
    assert_eq!(
        HpkiCard::new(&mut vc).certificate().unwrap_err(),
        CardError::NotHpki
    );

    let (_d, mut vc) = card(Behaviour {
        wrong_key: true,
        ..Behaviour::default()
    });
    let err = HpkiCard::new(&mut vc)
        .sign(&pin(PIN), &cert, b"x")
        .unwrap_err();
    assert_eq!(err, CardError::BadSignature);
}

#[test]
fn pin_shape_is_checked_and_never_printed() {
    assert!(Pin::new(Zeroizing::new("12".into())).is_err());
    assert!(Pin::new(Zeroizing::new("12345678901234567".into())).is_err());
    assert!(Pin::new(Zeroizing::new("12 4".into())).is_err());
    let p = pin("5678");
    assert!(!format!("{p:?}").contains("5678"));
}

/// The real MEDIS signing CA (certificatePolicies critical) chains to the MHLW HPKI Root CA V2
/// under our verifier. The public certificates are read from `../shared/data/hpki-public-certs`
/// (not committed); where that folder is absent the check cannot run and says so.
#[test]
fn the_real_medis_signing_ca_chains_to_the_mhlw_root_despite_critical_policies() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/hpki-public-certs");
    if !dir.exists() {
        eprintln!(
            "{} is absent: the public HPKI certificates are not on this machine",
            dir.display()
        );
        return;
    }
    let read = |n: &str| {
        load_trust_anchors(&std::fs::read(dir.join(n)).unwrap())
            .unwrap()
            .remove(0)
    };
    let root = read("mhlw_hpki_root_ca_v2.pem");
    let sign_ca = read("medis_sign_ca.pem");
    let critical: Vec<String> = sign_ca
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.critical)
        .map(|e| e.extn_id.to_string())
        .collect();
    assert!(critical.contains(&"2.5.29.32".to_owned()), "{critical:?}");
    ikensho::sign::cms::check_ca_link(&sign_ca, &root).unwrap();
    // And not to our test root.
    assert!(ikensho::sign::cms::check_ca_link(&sign_ca, &pki().0.root.cert).is_err());
}

// ── The stricter verifier ─────────────────────────────────────────────────────────────────────

const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

fn now() -> std::time::SystemTime {
    std::time::SystemTime::now()
}

fn since_epoch(t: std::time::SystemTime) -> std::time::Duration {
    t.duration_since(std::time::UNIX_EPOCH).unwrap()
}

fn varied(v: ikensho_testkit::sign_pki::Variation) -> TestPki {
    TestPki::generate_with("佐藤 一郎", &v).unwrap()
}

fn check(pki: &TestPki, sig: &[u8]) -> Result<ikensho::sign::cms::Verified, VerifyError> {
    verify(
        &doc(),
        sig,
        &Trust {
            policy: Some(ikensho_testkit::sign_pki::TEST_POLICY),
            ..Trust::now(std::slice::from_ref(&pki.root.cert))
        },
    )
}

/// An expired certificate with a signingTime put back into its validity: valid then, not now.
#[test]
fn an_expired_certificate_with_a_back_dated_signing_time_is_refused() {
    let pki = varied(ikensho_testkit::sign_pki::Variation {
        physician_validity: Some((now() - 3 * 365 * DAY, now() - DAY)),
        ..Default::default()
    });
    let back = now() - 2 * 365 * DAY;
    let sig = pki.sign_at(&doc(), back).unwrap();
    assert_eq!(check(&pki, &sig), Err(VerifyError::NotValidNow));
    // Checked as of a day within its validity, it verifies: only the time of the check differs.
    let then = verify(
        &doc(),
        &sig,
        &Trust {
            at: since_epoch(back + DAY),
            policy: Some(ikensho_testkit::sign_pki::TEST_POLICY),
            ..Trust::now(std::slice::from_ref(&pki.root.cert))
        },
    );
    assert!(then.is_ok(), "{then:?}");
}

#[test]
fn a_signer_without_non_repudiation_a_ca_without_cert_sign_and_too_long_a_path_are_refused() {
    use ikensho_testkit::sign_pki::Variation;
    let pki = varied(Variation {
        physician_usage: Some(x509_cert::ext::pkix::KeyUsages::DigitalSignature),
        ..Default::default()
    });
    assert_eq!(
        check(&pki, &pki.sign_at(&doc(), now()).unwrap()),
        Err(VerifyError::KeyUsage)
    );
    let pki = varied(Variation {
        ca_without_cert_sign: true,
        ..Default::default()
    });
    assert_eq!(
        check(&pki, &pki.sign_at(&doc(), now()).unwrap()),
        Err(VerifyError::CaKeyUsage)
    );
    // The signing CA's pathLenConstraint 0 allows no CA below it.
    let pki = varied(Variation {
        sub_ca: true,
        ..Default::default()
    });
    assert_eq!(
        check(&pki, &pki.sign_at(&doc(), now()).unwrap()),
        Err(VerifyError::PathLength)
    );
}

#[test]
fn the_policy_is_required_of_the_signer_and_its_cas_and_hpki_roots_are_known() {
    use ikensho_testkit::sign_pki::Variation;
    let pki = varied(Variation {
        policy: Some("1.2.392.200119.99.9.9"),
        ..Default::default()
    });
    let sig = pki.sign_at(&doc(), now()).unwrap();
    assert_eq!(
        check(&pki, &sig),
        Err(VerifyError::Policy(
            ikensho_testkit::sign_pki::TEST_POLICY.into()
        ))
    );
    // Asked for its own arc, the same signature verifies.
    let own = verify(
        &doc(),
        &sig,
        &Trust {
            policy: Some("1.2.392.200119.99"),
            ..Trust::now(std::slice::from_ref(&pki.root.cert))
        },
    );
    assert!(own.is_ok(), "{own:?}");
    // The test root is not an HPKI root (no policy asked for by default); the MHLW root is.
    assert!(!ikensho::sign::cms::is_hpki_root(&pki.root.cert));
    let mhlw = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/hpki-public-certs/mhlw_hpki_root_ca_v2.pem");
    if let Ok(pem) = std::fs::read(&mhlw) {
        let root = x509_cert::Certificate::load_pem_chain(&pem).unwrap();
        assert!(ikensho::sign::cms::is_hpki_root(&root[0]));
    }
}

#[test]
fn revocation_lists_revoke_are_current_or_not_checked_and_must_be_signed_by_their_ca() {
    use ikensho::sign::cms::Revocation;
    let (pki, dir) = pki();
    let (_d, mut vc) = card(Behaviour::default());
    let mut card = HpkiCard::new(&mut vc);
    let cert = card.certificate().unwrap();
    let (sig, _) = sign_document(&mut card, &pin(PIN), &cert, &chain(), &doc()).unwrap();
    let anchors = anchors();
    let with = |crls: &[x509_cert::crl::CertificateList]| {
        verify(
            &doc(),
            &sig,
            &Trust {
                crls,
                ..Trust::now(&anchors)
            },
        )
    };
    // None given: verified, and said that revocation was not checked.
    assert_eq!(with(&[]).unwrap().revocation, Revocation::NotChecked);
    let week = now() + 7 * DAY;
    let ca_empty = pki.ca.crl(&[], now() - DAY, week).unwrap();
    let root_empty = pki.root.crl(&[], now() - DAY, week).unwrap();
    // One list for the signer but none for the CA: still not checked all the way.
    assert_eq!(
        with(std::slice::from_ref(&ca_empty)).unwrap().revocation,
        Revocation::NotChecked
    );
    assert_eq!(
        with(&[ca_empty.clone(), root_empty.clone()])
            .unwrap()
            .revocation,
        Revocation::Checked
    );
    // The physician revoked.
    let revoked = pki
        .ca
        .crl(&[&pki.physician.cert], now() - DAY, week)
        .unwrap();
    assert!(matches!(
        with(&[revoked.clone(), root_empty.clone()]),
        Err(VerifyError::Revoked { .. })
    ));
    // A list past its next update counts for nothing.
    let stale = pki.ca.crl(&[], now() - 30 * DAY, now() - DAY).unwrap();
    assert_eq!(
        with(&[stale, root_empty.clone()]).unwrap().revocation,
        Revocation::NotChecked
    );
    // A list in the CA's name signed by another key is refused.
    let mut forged = ca_empty.clone();
    forged.signature = root_empty.signature.clone();
    assert_eq!(
        with(&[forged, root_empty.clone()]),
        Err(VerifyError::BadCrl)
    );
    // OpenSSL reads our list and checks its signature with the CA; we read it back as PEM too.
    use der::Encode;
    let crl_der = dir.join("revoked.crl");
    std::fs::write(&crl_der, revoked.to_der().unwrap()).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["crl", "-inform", "DER", "-noout", "-in"])
        .arg(&crl_der)
        .arg("-CAfile")
        .arg(dir.join("ca.pem"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("verify OK"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pem = der::pem::encode_string(
        "X509 CRL",
        der::pem::LineEnding::LF,
        &revoked.to_der().unwrap(),
    )
    .unwrap();
    assert_eq!(
        ikensho::sign::cms::load_crl(pem.as_bytes()).unwrap(),
        revoked
    );
    assert_eq!(
        ikensho::sign::cms::load_crl(b"not a list"),
        Err(VerifyError::BadCrl)
    );
}

/// Found by the `cms_verify` fuzz target: x509-cert's PEM reader subtracts past zero on input
/// that is nothing but line ends. Refused as not PEM, no panic.
#[test]
fn trust_anchors_of_nothing_but_line_ends_are_refused() {
    for input in [&b""[..], b"\n", b"\r\n\r\n", b"\r"] {
        assert_eq!(
            load_trust_anchors(input),
            Err(VerifyError::NotCms),
            "{input:?}"
        );
        assert!(ikensho::sign::cms::pem_certificates(input).is_none());
    }
}

/// The card test reads, without a PIN, whom the card is for, who issued it and until when; it
/// warns from 90 days before the end.
#[test]
fn the_card_holder_issuer_and_expiry_are_read_without_a_pin() {
    use ikensho::sign::cms::Holder;
    let pki = &pki().0;
    let (_dir, vc) = card(Behaviour::default());
    let mut card = HpkiCard::new(vc);
    let cert = card.certificate().unwrap();
    assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(15));
    let h = Holder::of(&cert).unwrap();
    assert_eq!(h.name, "佐藤 一郎");
    let ca = ikensho::sign::cms::subject_name(&der::Encode::to_der(&pki.ca.cert).unwrap()).unwrap();
    assert_eq!(h.issuer, ca);
    let now = jiff::Timestamp::now();
    assert!(h.days_left(now) > 300, "{}", h.days_left(now));
    assert!(!h.expires_soon(now));
    let day = jiff::SignedDuration::from_hours(24);
    let near = h.not_after.checked_sub(day * 89).unwrap();
    assert!(h.expires_soon(near));
    let far = h.not_after.checked_sub(day * 91).unwrap();
    assert!(!h.expires_soon(far));
    assert!(h.days_left(h.not_after.checked_add(day).unwrap()) < 0);
    assert!(Holder::of(b"not a certificate").is_none());
}
