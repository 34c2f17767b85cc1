//! Signing one opinion with the virtual HPKI card: in process, and through the real pcscd (vpcd),
//! against the baseline measured in the same run: the same RSA-2048 signature made directly with
//! the key (no card protocol, no CMS). Without pcscd the pcscd case is skipped with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ikensho::card::Pin;
use ikensho::card::hpki::HpkiCard;
use ikensho::card::pcsc::PcscReader;
use ikensho::sign::cms::sign_document;
use ikensho_testkit::sign_pki::TestPki;
use ikensho_testkit::virt::{Behaviour, VirtualCard};
use rsa::pkcs1v15::SigningKey;
use sha2::Sha256;
use signature::Signer;
use std::hint::black_box;
use zeroize::Zeroizing;

const PIN: &str = "1234";

fn bench(c: &mut Criterion) {
    let doc = include_bytes!("../tests/data/valid-first-insured.json").to_vec();
    let pki = TestPki::generate("ベンチ 医師").unwrap();
    let cert = pki.physician.der();
    let chain = vec![pki.ca.der()];
    let pin = || Pin::new(Zeroizing::new(PIN.to_owned())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut vc = VirtualCard::create(
        &dir.path().join("card"),
        &pki.physician.key,
        &cert,
        PIN,
        Behaviour::default(),
    )
    .unwrap();

    let mut g = c.benchmark_group("sign");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    let key = SigningKey::<Sha256>::new(pki.physician.key.clone());
    g.bench_function("rsa_sign_only (baseline)", |b| {
        b.iter(|| key.sign(black_box(&doc)))
    });
    g.bench_function("opinion_in_process_card", |b| {
        b.iter(|| {
            let mut card = HpkiCard::new(&mut vc);
            sign_document(&mut card, &pin(), &cert, &chain, black_box(&doc)).unwrap()
        })
    });

    if !std::path::Path::new("/run/pcscd/pcscd.comm").exists() {
        eprintln!("pcscd is not running: the sign-through-pcscd benchmark is skipped");
        g.finish();
        return;
    }
    let socket = VirtualCard::connect_vpcd("127.0.0.1:35963").unwrap();
    let theirs = socket.try_clone().unwrap();
    let thread = std::thread::spawn(move || {
        let _ = vc.serve_vpcd(theirs);
    });
    let reader = PcscReader::open(Some("Virtual PCD 00 00")).unwrap();
    reader.wait_for_card(Duration::from_secs(10)).unwrap();
    let mut card = HpkiCard::new(reader);
    g.bench_function("opinion_through_pcscd", |b| {
        b.iter(|| sign_document(&mut card, &pin(), &cert, &chain, black_box(&doc)).unwrap())
    });
    g.finish();
    drop(card);
    let _ = socket.shutdown(std::net::Shutdown::Both);
    let _ = thread.join();
    let _ = PcscReader::open(Some("Virtual PCD 00 00"))
        .and_then(|r| r.wait_for_empty(Duration::from_secs(10)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
