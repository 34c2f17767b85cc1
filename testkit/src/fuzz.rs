//! The bodies of the fuzz targets (`fuzz/fuzz_targets/`), shared with the test that replays their
//! corpora on stable (`tests/library/fuzzed.rs`). Each takes arbitrary bytes and must return
//! without panicking, hanging or growing without bound; what it returns does not matter.
//! Test code: a test world that cannot be made panics.
#![allow(clippy::expect_used)]

use std::sync::OnceLock;

use ikensho::card::apdu::{Command, Response};
use ikensho::card::{CardError, Transport, hpki};
use ikensho::form::{Context, FormDef, Opinion, validate};
use ikensho::hub::wire;
use ikensho::i18n::Locales;
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode};

/// A target's body.
pub type Body = fn(&[u8]);

/// The targets, by the name of their corpus folder.
pub const TARGETS: [(&str, Body); 6] = [
    ("opinion_json", opinion_json),
    ("form_toml", form_toml),
    ("apdu", apdu),
    ("hpki_read", hpki_read),
    ("cms_verify", cms_verify),
    ("hub_wire", hub_wire),
];

/// An opinion file: read, checked against its form, validated.
pub fn opinion_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(op) = Opinion::from_json(text) else {
        return;
    };
    let Ok(form) = FormDef::builtin(op.form_version) else {
        return;
    };
    if op.check_shape(form).is_ok() {
        let ctx = Context::new(jiff::civil::date(2026, 11, 21));
        let _ = validate(&op, form, &ctx).worst();
        let _ = op.to_json();
    }
}

/// A form definition (TOML) checked against itself and the locales.
pub fn form_toml(data: &[u8]) {
    let (Ok(text), Ok(locales)) = (std::str::from_utf8(data), Locales::builtin()) else {
        return;
    };
    let _ = FormDef::parse("fuzz.toml", text, locales);
}

/// Command and response APDUs as bytes.
pub fn apdu(data: &[u8]) {
    if let Some(r) = Response::parse(data) {
        let _ = r.status_word();
        assert_eq!(r.to_bytes(), data, "a response reads back as it was");
    }
    if let Some(c) = Command::parse(data) {
        let _ = c.to_bytes();
    }
}

/// A card whose answers are the fuzz data: each a length (one byte below 0x80, else two with
/// the top bit cleared) and that many bytes. No data left: the card was taken out.
struct Scripted<'a> {
    data: &'a [u8],
}

impl Transport for Scripted<'_> {
    fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, CardError> {
        let (&first, rest) = self.data.split_first().ok_or(CardError::Removed)?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let (&second, rest) = rest.split_first().ok_or(CardError::Removed)?;
            ((usize::from(first & 0x7F) << 8) | usize::from(second), rest)
        };
        let len = len.min(rest.len());
        let (answer, rest) = rest.split_at(len);
        self.data = rest;
        Ok(answer.to_vec())
    }
}

/// The HPKI card's sequences against a card that answers anything: reading the certificate
/// (GET RESPONSE chains, wrong Le, long files) and the PIN status.
pub fn hpki_read(data: &[u8]) {
    let _ = hpki::read_certificate(&mut Scripted { data });
    let _ = hpki::pin_status(&mut Scripted { data });
}

/// Makes what the targets share before the fuzzer's clock runs (the test PKI's keys take
/// seconds under the address sanitizer).
pub fn init() {
    let _ = test_world();
}

/// The test root and the signing CA, made once.
fn test_world() -> &'static (Vec<Certificate>, Vec<u8>) {
    static WORLD: OnceLock<(Vec<Certificate>, Vec<u8>)> = OnceLock::new();
    WORLD.get_or_init(|| {
        let pki = crate::sign_pki::TestPki::generate("テスト 医師").expect("test PKI");
        let anchors = vec![pki.root.cert.clone()];
        let ca = pki.ca.cert.to_der().expect("DER");
        (anchors, ca)
    })
}

/// A detached CMS signature (the first byte says how much of the rest is the document) verified
/// against the test root; and the bytes as a certificate and as PEM trust anchors.
pub fn cms_verify(data: &[u8]) {
    let (anchors, ca_der) = test_world();
    if let Some((&split, rest)) = data.split_first() {
        let (doc, sig) = rest.split_at(usize::from(split).min(rest.len()));
        let _ = ikensho::sign::cms::verify(doc, sig, &ikensho::sign::cms::Trust::now(anchors));
    }
    if let Ok(cert) = Certificate::from_der(data)
        && let Ok(ca) = Certificate::from_der(ca_der)
    {
        let _ = ikensho::sign::cms::check_ca_link(&cert, &ca);
        let _ = ikensho::sign::cms::check_ca_link(&ca, &cert);
    }
    let _ = ikensho::sign::cms::load_trust_anchors(data);
}

/// What the hub answers: open requests, insurers (and the route they give), receipts, statuses,
/// problems; and a receipt id put into a URL path.
pub fn hub_wire(data: &[u8]) {
    let _ = serde_json::from_slice::<wire::OpenRequests>(data);
    if let Ok(insurers) = serde_json::from_slice::<Vec<wire::Insurer>>(data) {
        for i in &insurers {
            let _ = ikensho::hub::flow::route(
                &insurers,
                &i.insurer_number,
                jiff::civil::date(2026, 11, 21),
            );
        }
    }
    let _ = serde_json::from_slice::<wire::Receipt>(data);
    let _ = serde_json::from_slice::<wire::OpinionStatus>(data);
    let _ = serde_json::from_slice::<wire::Problem>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let path = ikensho::hub::client::status_path(text);
        let segment = path.strip_prefix("/v1/opinions/").unwrap_or("/");
        assert!(
            !segment.contains(['/', '?', '#']) && segment != ".." && segment != ".",
            "{path}"
        );
    }
}
