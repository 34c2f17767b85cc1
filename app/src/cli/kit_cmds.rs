//! The commands of the test world (the `demo` feature): `test-pki` and `vcard` (the virtual HPKI
//! card as a vpcd client).

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::card_cmds::{pem_certificates, read_line};
use super::error::{CliError, Outcome, UnknownValue};
use super::exit;
use super::store_cmds::Ctx;
use crate::card::Pin;
use ikensho_testkit::sign_pki::TestPki;
use ikensho_testkit::virt::{Behaviour, Variants, VirtualCard};

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

fn parse_variants(s: &str) -> Result<Variants, UnknownValue> {
    match s {
        "both" => Ok(Variants::Both),
        "a" | "A" => Ok(Variants::AOnly),
        "b" | "B" => Ok(Variants::BOnly),
        _ => Err(UnknownValue {
            what: "variants",
            value: s.to_owned(),
            expected: "both, a or b",
        }),
    }
}

pub fn test_pki(ctx: &Ctx<'_>, dir: &Path, name: &str) -> Outcome {
    TestPki::generate(name)?.write(dir)?;
    ctx.say(
        "cli-test-pki-written",
        &[("path", dir.display().to_string())],
    );
    Ok(exit::CLEAN)
}

pub fn vcard(ctx: &Ctx<'_>, a: VcardArgs) -> Outcome {
    let mut card = match &a.create_from {
        Some(pki) => {
            use rsa::pkcs8::DecodePrivateKey;
            let key_path = pki.join("physician.key.pem");
            let key_pem =
                std::fs::read_to_string(&key_path).map_err(|e| CliError::reading(&key_path, e))?;
            let key =
                rsa::RsaPrivateKey::from_pkcs8_pem(&key_pem).map_err(|_| CliError::NotPem {
                    path: key_path.clone(),
                })?;
            let cert_path = pki.join("physician.pem");
            let cert = pem_certificates(&cert_path)?
                .into_iter()
                .next()
                .and_then(|c| der::Encode::to_der(&c).ok())
                .ok_or(CliError::NotPem { path: cert_path })?;
            // The test card's PIN, one line of standard input, checked like a real PIN.
            let typed = Zeroizing::new(read_line());
            Pin::new(typed.clone())?;
            VirtualCard::create(&a.dir, &key, &cert, &typed, Behaviour::default())?
        }
        None => VirtualCard::open(&a.dir)?,
    };
    let mut b = card.behaviour();
    if let Some(v) = a.variants {
        b.variants = v;
    }
    b.no_extended |= a.no_extended;
    b.remove_after_verify |= a.remove_after_verify;
    b.wrong_key |= a.wrong_key;
    b.not_hpki |= a.not_hpki;
    card.set_behaviour(b)?;
    if let Some(n) = a.tries {
        card.set_tries_left(n)?;
    }
    if a.no_serve {
        return Ok(exit::CLEAN);
    }
    let stream = VirtualCard::connect_vpcd(&a.vpcd)?;
    ctx.say("cli-vcard-inserted", &[("vpcd", a.vpcd.clone())]);
    card.serve_vpcd(stream)?;
    ctx.say("cli-vcard-removed", &[]);
    Ok(exit::CLEAN)
}
