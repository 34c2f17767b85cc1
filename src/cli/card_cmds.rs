//! The card and signature commands: `readers`, `sign`, `verify`, and for tests and the demo
//! `test-pki` and `vcard` (the virtual HPKI card as a vpcd client).

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Duration;

use zeroize::Zeroizing;

use super::exit;
use super::store_cmds::{Ctx, Outcome, read_secret};
use crate::card::hpki::{HpkiCard, PinStatus};
use crate::card::pcsc::{PcscReader, readers};
use crate::card::virt::{Behaviour, Variants, VirtualCard};
use crate::card::{CardError, Pin};
use crate::sign::cms::{load_trust_anchors, sign_document, verify};
use crate::sign::pki::TestPki;

#[derive(clap::Args, Debug)]
pub struct SignArgs {
    /// The document to sign (its exact bytes are signed).
    doc: PathBuf,
    /// The card reader (see `ikensho readers`); default: the only one.
    #[arg(long)]
    reader: Option<String>,
    /// CA certificates (PEM) to include with the signer's certificate.
    #[arg(long)]
    chain: Option<PathBuf>,
    /// Where to write the signature (default: DOC.p7s).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    doc: PathBuf,
    signature: PathBuf,
    /// Trust anchors (PEM, one or more certificates).
    #[arg(long)]
    trust: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct VcardArgs {
    /// The card's folder (card.json, key.pem, cert.der).
    dir: PathBuf,
    /// Make a new card in DIR from a test PKI folder (see `ikensho test-pki`); its PIN is read
    /// from standard input.
    #[arg(long)]
    create_from: Option<PathBuf>,
    /// Signing commands the card answers: both, a or b.
    #[arg(long, value_parser = parse_variants)]
    variants: Option<Variants>,
    /// Refuse extended-length APDUs (the host must chain).
    #[arg(long)]
    no_extended: bool,
    /// Take the card out right after a successful VERIFY.
    #[arg(long)]
    remove_after_verify: bool,
    /// Sign with a key that is not the certificate's.
    #[arg(long)]
    wrong_key: bool,
    /// Not an HPKI card (no signing application).
    #[arg(long)]
    not_hpki: bool,
    /// Set the PIN tries left.
    #[arg(long)]
    tries: Option<u8>,
    /// vpcd's address.
    #[arg(long, default_value = "127.0.0.1:35963")]
    vpcd: String,
    /// Only create or change the card; do not connect to vpcd.
    #[arg(long)]
    no_serve: bool,
}

fn parse_variants(s: &str) -> Result<Variants, String> {
    match s {
        "both" => Ok(Variants::Both),
        "a" | "A" => Ok(Variants::AOnly),
        "b" | "B" => Ok(Variants::BOnly),
        _ => Err(format!("unknown variants '{s}' (use both, a or b)")),
    }
}

fn card_fail(ctx: &Ctx<'_>, e: &CardError) -> u8 {
    ctx.say(e.key(), &e.args());
    match e {
        CardError::NoService
        | CardError::NoReader
        | CardError::UnknownReader(_)
        | CardError::NoCard => exit::UNREADABLE,
        _ => exit::FAILED,
    }
}

fn read_file(ctx: &Ctx<'_>, p: &Path) -> Result<Vec<u8>, u8> {
    std::fs::read(p).map_err(|e| {
        ctx.say(
            "err-io",
            &[("path", p.display().to_string()), ("detail", e.to_string())],
        );
        exit::UNREADABLE
    })
}

pub fn list_readers(ctx: &Ctx<'_>) -> Outcome {
    let names = readers().map_err(|e| card_fail(ctx, &e))?;
    if names.is_empty() {
        return Err(card_fail(ctx, &CardError::NoReader));
    }
    for n in names {
        println!("{n}");
    }
    Ok(exit::CLEAN)
}

/// Reads one line of standard input (a confirmation), trimmed.
fn read_line() -> String {
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    line.trim().to_owned()
}

pub fn sign(ctx: &Ctx<'_>, a: SignArgs) -> Outcome {
    let document = read_file(ctx, &a.doc)?;
    let chain: Vec<Vec<u8>> = match &a.chain {
        Some(p) => {
            let pem = read_file(ctx, p)?;
            x509_cert::Certificate::load_pem_chain(&pem)
                .map_err(|_| {
                    ctx.say("verify-not-pem", &[("path", p.display().to_string())]);
                    exit::UNREADABLE
                })?
                .iter()
                .filter_map(|c| der::Encode::to_der(c).ok())
                .collect()
        }
        None => Vec::new(),
    };
    let fail = |e: CardError| card_fail(ctx, &e);
    let reader = PcscReader::open(a.reader.as_deref()).map_err(fail)?;
    ctx.say("cli-sign-reader", &[("reader", reader.name())]);
    reader
        .wait_for_card(Duration::from_secs(10))
        .map_err(fail)?;
    let mut card = HpkiCard::new(reader);
    let cert = card.certificate().map_err(fail)?;
    match card.pin_status().map_err(fail)? {
        PinStatus::Blocked => return Err(fail(CardError::Blocked)),
        PinStatus::TriesLeft(n) => {
            ctx.say("cli-sign-tries", &[("tries", n.to_string())]);
            if n < 3 {
                ctx.say("cli-sign-confirm-low", &[("tries", n.to_string())]);
                if !matches!(read_line().as_str(), "yes" | "はい" | "y") {
                    ctx.say("cli-sign-cancelled", &[]);
                    return Err(exit::FAILED);
                }
            }
        }
        PinStatus::Verified => {}
    }
    let typed = read_secret(&ctx.locales.text(ctx.lang, "cli-sign-pin", None)).map_err(|e| {
        ctx.say("err-io", &[("path", "-".into()), ("detail", e.to_string())]);
        exit::UNREADABLE
    })?;
    let pin = Pin::new(typed).map_err(fail)?;
    let (sig, _) =
        sign_document(&mut card, &pin, &cert, &chain, &document).map_err(|e| match e {
            crate::sign::cms::SignError::Card(c) => fail(c),
            other => {
                ctx.say(other.key(), &[("detail", other.to_string())]);
                exit::FAILED
            }
        })?;
    drop(pin);
    let out = a.output.unwrap_or_else(|| {
        let mut p = a.doc.clone().into_os_string();
        p.push(".p7s");
        PathBuf::from(p)
    });
    std::fs::write(&out, sig).map_err(|e| {
        ctx.say(
            "cli-cannot-write",
            &[
                ("path", out.display().to_string()),
                ("detail", e.to_string()),
            ],
        );
        exit::UNREADABLE
    })?;
    ctx.say("cli-sign-written", &[("path", out.display().to_string())]);
    Ok(exit::CLEAN)
}

pub fn verify_cmd(ctx: &Ctx<'_>, a: VerifyArgs) -> Outcome {
    let document = read_file(ctx, &a.doc)?;
    let sig = read_file(ctx, &a.signature)?;
    let pem = read_file(ctx, &a.trust)?;
    let anchors = load_trust_anchors(&pem).map_err(|_| {
        ctx.say("verify-not-pem", &[("path", a.trust.display().to_string())]);
        exit::UNREADABLE
    })?;
    match verify(&document, &sig, &anchors) {
        Ok(v) => {
            ctx.say(
                "cli-verify-ok",
                &[
                    ("signer", v.signer),
                    (
                        "time",
                        jiff::Timestamp::from_second(v.signing_time as i64)
                            .map(|t| {
                                t.to_zoned(crate::form::wareki::japan())
                                    .strftime("%Y-%m-%d %H:%M:%S JST")
                                    .to_string()
                            })
                            .unwrap_or_default(),
                    ),
                ],
            );
            Ok(exit::CLEAN)
        }
        Err(e) => {
            ctx.say(e.key(), &[("detail", e.to_string())]);
            Err(exit::ERRORS)
        }
    }
}

pub fn test_pki(ctx: &Ctx<'_>, dir: &Path, name: &str) -> Outcome {
    let pki = TestPki::generate(name).map_err(|e| {
        ctx.say("cli-test-pki-failed", &[("detail", e.to_string())]);
        exit::FAILED
    })?;
    pki.write(dir).map_err(|e| {
        ctx.say("cli-test-pki-failed", &[("detail", e.to_string())]);
        exit::UNREADABLE
    })?;
    ctx.say(
        "cli-test-pki-written",
        &[("path", dir.display().to_string())],
    );
    Ok(exit::CLEAN)
}

pub fn vcard(ctx: &Ctx<'_>, a: VcardArgs) -> Outcome {
    let fail = |e: CardError| card_fail(ctx, &e);
    let mut card = match &a.create_from {
        Some(pki) => {
            use rsa::pkcs8::DecodePrivateKey;
            let key_pem = std::fs::read_to_string(pki.join("physician.key.pem")).map_err(|e| {
                ctx.say(
                    "err-io",
                    &[
                        ("path", pki.display().to_string()),
                        ("detail", e.to_string()),
                    ],
                );
                exit::UNREADABLE
            })?;
            let key = rsa::RsaPrivateKey::from_pkcs8_pem(&key_pem).map_err(|_| exit::UNREADABLE)?;
            let cert_pem = read_file(ctx, &pki.join("physician.pem"))?;
            let cert = x509_cert::Certificate::load_pem_chain(&cert_pem)
                .ok()
                .and_then(|c| c.into_iter().next())
                .and_then(|c| der::Encode::to_der(&c).ok())
                .ok_or(exit::UNREADABLE)?;
            // The test card's PIN, one line of standard input, checked like a real PIN.
            let typed = Zeroizing::new(read_line());
            Pin::new(typed.clone()).map_err(fail)?;
            VirtualCard::create(&a.dir, &key, &cert, &typed, Behaviour::default()).map_err(fail)?
        }
        None => VirtualCard::open(&a.dir).map_err(fail)?,
    };
    let mut b = card.behaviour();
    if let Some(v) = a.variants {
        b.variants = v;
    }
    b.no_extended |= a.no_extended;
    b.remove_after_verify |= a.remove_after_verify;
    b.wrong_key |= a.wrong_key;
    b.not_hpki |= a.not_hpki;
    card.set_behaviour(b).map_err(fail)?;
    if let Some(n) = a.tries {
        card.set_tries_left(n).map_err(fail)?;
    }
    if a.no_serve {
        return Ok(exit::CLEAN);
    }
    let stream = VirtualCard::connect_vpcd(&a.vpcd).map_err(fail)?;
    ctx.say("cli-vcard-inserted", &[("vpcd", a.vpcd.clone())]);
    card.serve_vpcd(stream).map_err(fail)?;
    ctx.say("cli-vcard-removed", &[]);
    Ok(exit::CLEAN)
}
