//! The HPKI signing protocol (JAHIS HPKI対応ICカードガイドライン): select the 電子署名用 AP, read the
//! signer certificate, ask how many PIN tries are left, VERIFY, MSE SET, and PSO COMPUTE DIGITAL
//! SIGNATURE with the host doing the PKCS#1 v1.5 padding — or, on cards that refuse that, the
//! JPKI-style command where the card pads. Long commands are chained when the reader cannot carry
//! extended APDUs. Every signature is checked against the certificate's key before it is returned.

use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use sha2::Sha256;
use signature::Verifier;

use super::apdu::{Command, Response, Sw};
use super::{CardAccess, CardError, Pin, Result, Transport};

/// AID of the 電子署名用 AP (signing application).
pub const SIGNING_AID: [u8; 16] = [
    0xE8, 0x28, 0xBD, 0x08, 0x0F, 0xA0, 0x00, 0x00, 0x03, 0x91, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
];
pub const PIN_FID: [u8; 2] = [0x00, 0x02];
pub const KEY_FID: [u8; 2] = [0x00, 0x0C];
pub const CERT_FID: [u8; 2] = [0x00, 0x16];
/// VERIFY reference of the signing PIN.
pub const PIN_REF: u8 = 0x88;
/// DigestInfo prefix of SHA-256 (RFC 8017 §9.2).
pub const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
/// RSA-2048: the encoded message and the signature are 256 bytes.
pub const KEY_BYTES: usize = 256;

/// How many PIN tries the card has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinStatus {
    TriesLeft(u8),
    /// Verified already in this session (the card answered 90 00).
    Verified,
    Blocked,
}

/// Which signing command the card took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// PSO COMPUTE DIGITAL SIGNATURE over the host-padded block.
    A,
    /// The JPKI-style 80 2A 00 80 over the DigestInfo; the card pads.
    B,
}

/// Sends one command, following 61 xx (GET RESPONSE) and 6C xx (resend with Le) answers. A long
/// command goes as an extended APDU; when the transport says it cannot carry one, or the card
/// answers 67 00 (wrong length) to it, it is sent again in short form, chained (CLA bit 0x10).
pub fn exchange(t: &mut dyn Transport, c: &Command) -> Result<Response> {
    let resp = if c.is_extended() && !t.extended_apdus() {
        send_short(t, c)?
    } else {
        let r = raw(t, c)?;
        if c.is_extended() && r.sw == 0x6700 {
            send_short(t, c)?
        } else {
            r
        }
    };
    follow(t, c, resp)
}

/// The command in short APDUs: data over 255 bytes chained, Le at most 256.
fn send_short(t: &mut dyn Transport, c: &Command) -> Result<Response> {
    let chunks: Vec<&[u8]> = if c.data.is_empty() {
        vec![&[]]
    } else {
        c.data.chunks(255).collect()
    };
    let n = chunks.len();
    for (i, chunk) in chunks.into_iter().enumerate() {
        let last = i + 1 == n;
        let mut part =
            Command::new(if last { c.cla } else { c.cla | 0x10 }, c.ins, c.p1, c.p2).data(chunk);
        if last {
            part.le = c.le.map(|l| l.min(256));
            return raw(t, &part);
        }
        let r = raw(t, &part)?;
        if r.sw != 0x9000 {
            return Ok(r);
        }
    }
    Err(CardError::Malformed("chaining"))
}

fn follow(t: &mut dyn Transport, c: &Command, mut resp: Response) -> Result<Response> {
    for _ in 0..64 {
        match resp.status_word() {
            Sw::MoreData(n) => {
                let more = raw(
                    t,
                    &Command::new(0x00, 0xC0, 0, 0).le(if n == 0 { 256 } else { n as usize }),
                )?;
                let mut data = std::mem::take(&mut resp.data);
                data.extend_from_slice(&more.data);
                resp = Response { data, sw: more.sw };
            }
            Sw::WrongLe(n) => {
                let mut again = c.clone();
                again.le = Some(if n == 0 { 256 } else { n as usize });
                resp = raw(t, &again)?;
            }
            _ => return Ok(resp),
        }
    }
    Err(CardError::Malformed("response chain"))
}

fn raw(t: &mut dyn Transport, c: &Command) -> Result<Response> {
    let bytes = zeroize::Zeroizing::new(c.to_bytes());
    // The command's Debug shows its header and length, never its data (a VERIFY carries the PIN).
    tracing::trace!(command = ?c, "to card");
    let answer = t.transmit(&bytes);
    let answer = match answer {
        Ok(a) => a,
        Err(e) => {
            tracing::debug!(error = %e, "card transport");
            return Err(e);
        }
    };
    let r = Response::parse(&answer).ok_or(CardError::Malformed("response"))?;
    tracing::trace!(
        sw = format_args!("{:04X}", r.sw),
        len = r.data.len(),
        "from card"
    );
    Ok(r)
}

fn expect_ok(r: Response, step: &'static str) -> Result<Vec<u8>> {
    match r.status_word() {
        Sw::Ok => Ok(r.data),
        Sw::Deactivated => Err(CardError::Deactivated),
        Sw::Blocked => Err(CardError::Blocked),
        _ => Err(CardError::Status { step, sw: r.sw }),
    }
}

/// SELECT the signing application; a card without it is not an HPKI card.
pub fn select_signing_ap(t: &mut dyn Transport) -> Result<()> {
    let r = exchange(
        t,
        &Command::new(0, 0xA4, 0x04, 0x00).data(&SIGNING_AID).le(0),
    )?;
    match r.status_word() {
        Sw::NotFound | Sw::Unsupported => Err(CardError::NotHpki),
        _ => expect_ok(r, "select-ap").map(drop),
    }
}

pub fn select_file(t: &mut dyn Transport, fid: [u8; 2], step: &'static str) -> Result<()> {
    let r = exchange(t, &Command::new(0, 0xA4, 0x02, 0x0C).data(&fid))?;
    expect_ok(r, step).map(drop)
}

/// Reads the signer certificate (DER): its first 4 bytes give the length, then 256-byte blocks.
pub fn read_certificate(t: &mut dyn Transport) -> Result<Vec<u8>> {
    select_signing_ap(t)?;
    select_file(t, CERT_FID, "select-certificate")?;
    let head = expect_ok(
        exchange(t, &Command::new(0, 0xB0, 0, 0).le(4))?,
        "read-certificate",
    )?;
    if head.len() < 4 || head[0] != 0x30 || head[1] != 0x82 {
        return Err(CardError::Certificate);
    }
    let total = u16::from_be_bytes([head[2], head[3]]) as usize + 4;
    let mut der = head;
    while der.len() < total {
        let offset = der.len() as u16;
        let want = (total - der.len()).min(256);
        let [hi, lo] = offset.to_be_bytes();
        let block = expect_ok(
            exchange(t, &Command::new(0, 0xB0, hi, lo).le(want))?,
            "read-certificate",
        )?;
        if block.is_empty() {
            return Err(CardError::Certificate);
        }
        der.extend_from_slice(&block);
    }
    der.truncate(total);
    Ok(der)
}

/// Asks how many PIN tries are left, without spending one.
pub fn pin_status(t: &mut dyn Transport) -> Result<PinStatus> {
    select_signing_ap(t)?;
    select_file(t, PIN_FID, "select-pin")?;
    query_pin(t)
}

fn query_pin(t: &mut dyn Transport) -> Result<PinStatus> {
    let r = exchange(t, &Command::new(0, 0x20, 0, PIN_REF))?;
    Ok(match r.status_word() {
        Sw::Ok => PinStatus::Verified,
        Sw::TriesLeft(0) | Sw::Blocked => PinStatus::Blocked,
        Sw::TriesLeft(n) => PinStatus::TriesLeft(n),
        _ => {
            return Err(CardError::Status {
                step: "pin-status",
                sw: r.sw,
            });
        }
    })
}

/// The encoded message of PKCS#1 v1.5 (EMSA-PKCS1-v1_5) for a SHA-256 digest, 256 bytes.
pub fn pkcs1_block(digest: &[u8; 32]) -> Vec<u8> {
    let t_len = SHA256_DIGEST_INFO.len() + 32;
    let mut em = vec![0xFF; KEY_BYTES];
    em[0] = 0x00;
    em[1] = 0x01;
    em[KEY_BYTES - t_len - 1] = 0x00;
    em[KEY_BYTES - t_len..KEY_BYTES - 32].copy_from_slice(&SHA256_DIGEST_INFO);
    em[KEY_BYTES - 32..].copy_from_slice(digest);
    em
}

/// The whole signing sequence in one session: SELECT AP, SELECT PIN, tries (a blocked card gets no
/// VERIFY), SELECT key, MSE, VERIFY, PSO (variant A, else B). Returns the signature and the variant.
/// A wrong PIN ends the sequence with the tries left; the program never tries again by itself.
pub fn sign_digest(
    t: &mut dyn Transport,
    pin: &Pin,
    digest: &[u8; 32],
) -> Result<(Vec<u8>, Variant)> {
    select_signing_ap(t)?;
    select_file(t, PIN_FID, "select-pin")?;
    if query_pin(t)? == PinStatus::Blocked {
        return Err(CardError::Blocked);
    }
    select_file(t, KEY_FID, "select-key")?;
    let r = exchange(
        t,
        &Command::new(0, 0x22, 0x41, 0xB6).data(&[0x84, 0x02, KEY_FID[0], KEY_FID[1]]),
    )?;
    expect_ok(r, "mse")?;
    let r = exchange(t, &Command::new(0, 0x20, 0, PIN_REF).data(pin.bytes()))?;
    match r.status_word() {
        Sw::Ok => {}
        Sw::TriesLeft(0) | Sw::Blocked => return Err(CardError::Blocked),
        Sw::TriesLeft(n) => return Err(CardError::WrongPin { tries_left: n }),
        _ => {
            return Err(CardError::Status {
                step: "verify",
                sw: r.sw,
            });
        }
    }
    let em = zeroize::Zeroizing::new(pkcs1_block(digest));
    let r = exchange(t, &Command::new(0, 0x2A, 0x9E, 0x9A).data(&em).le(256))?;
    if r.status_word() == Sw::Ok {
        return Ok((r.data, Variant::A));
    }
    if r.status_word() != Sw::Unsupported {
        return Err(CardError::Status {
            step: "sign",
            sw: r.sw,
        });
    }
    let mut info = SHA256_DIGEST_INFO.to_vec();
    info.extend_from_slice(digest);
    let r = exchange(t, &Command::new(0x80, 0x2A, 0x00, 0x80).data(&info).le(256))?;
    Ok((expect_ok(r, "sign")?, Variant::B))
}

/// The public key of a certificate (DER).
pub fn public_key(cert_der: &[u8]) -> Result<RsaPublicKey> {
    use der::{Decode, Encode};
    let cert = x509_cert::Certificate::from_der(cert_der).map_err(|_| CardError::Certificate)?;
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|_| CardError::Certificate)?;
    RsaPublicKey::from_public_key_der(&spki).map_err(|_| CardError::Certificate)
}

/// Checks a signature over `message` (SHA-256, PKCS#1 v1.5) with the certificate's key.
pub fn check_signature(key: &RsaPublicKey, message: &[u8], sig: &[u8]) -> Result<Signature> {
    let sig = Signature::try_from(sig).map_err(|_| CardError::BadSignature)?;
    VerifyingKey::<Sha256>::new(key.clone())
        .verify(message, &sig)
        .map_err(|_| CardError::BadSignature)?;
    Ok(sig)
}

/// A card in a reader, seen from the signing side: its certificate, the PIN tries, and signing a
/// message (hashed here) with a PIN, the result checked against the certificate.
pub struct HpkiCard<A: CardAccess> {
    pub access: A,
}

impl<A: CardAccess> HpkiCard<A> {
    pub fn new(access: A) -> HpkiCard<A> {
        HpkiCard { access }
    }

    pub fn certificate(&mut self) -> Result<Vec<u8>> {
        self.access.session(&mut |t| read_certificate(t))
    }

    pub fn pin_status(&mut self) -> Result<PinStatus> {
        self.access.session(&mut |t| pin_status(t))
    }

    /// Signs `message` (SHA-256, PKCS#1 v1.5) with the PIN, once. The signature is checked
    /// against `cert_der`'s key: one that does not verify is an error, never a result.
    pub fn sign(
        &mut self,
        pin: &Pin,
        cert_der: &[u8],
        message: &[u8],
    ) -> Result<(Signature, Variant)> {
        use sha2::Digest;
        let key = public_key(cert_der)?;
        let digest: [u8; 32] = Sha256::digest(message).into();
        let (sig, variant) = self.access.session(&mut |t| sign_digest(t, pin, &digest))?;
        Ok((check_signature(&key, message, &sig)?, variant))
    }
}
