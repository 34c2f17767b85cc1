//! Detached CMS SignedData in the CAdES-BES shape, signed by the card, and its verification.
//!
//! Signed attributes: contentType (id-data), messageDigest (SHA-256 of the document bytes),
//! signingTime, and ESS signingCertificateV2 (SHA-256 of the signer certificate, with issuer and
//! serial). The signer is identified by issuer and serial; the signer certificate and its CA
//! certificates travel in the signature. `openssl cms -verify -binary -inform DER -purpose any`
//! accepts it; OpenSSL does not check signingCertificateV2, so [`verify`] does.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use cms::builder::{SignedDataBuilder, SignerInfoBuilder, create_signing_time_attribute};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::{Keypair, Signer, Verifier};
use spki::{AlgorithmIdentifierOwned, SignatureAlgorithmIdentifier};
use x509_cert::Certificate;
use x509_cert::attr::{Attribute, AttributeValue};
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, CertificatePolicies, KeyUsage, KeyUsages};
use x509_cert::serial_number::SerialNumber;

use crate::card::hpki::{HpkiCard, Variant, public_key};
use crate::card::{CardAccess, CardError, Pin};

/// id-aa-signingCertificateV2 (RFC 5035).
pub const ID_AA_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

/// ESSCertIDv2 with the default hash algorithm (SHA-256), so hashAlgorithm is left out (DER).
#[derive(Clone, Debug, Eq, PartialEq, der::Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

#[derive(Clone, Debug, Eq, PartialEq, der::Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

#[derive(Clone, Debug, Eq, PartialEq, der::Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// Why signing failed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(transparent)]
    Card(#[from] CardError),
    #[error("the signature could not be assembled: {0}")]
    Build(String),
}

impl SignError {
    pub fn key(&self) -> &'static str {
        match self {
            SignError::Card(e) => e.key(),
            SignError::Build(_) => "sign-build",
        }
    }
}

fn build_err(e: impl std::fmt::Display) -> SignError {
    SignError::Build(e.to_string())
}

/// The card as a `signature::Signer` for the CMS builder: `try_sign` receives the DER of the
/// signed attributes, which the card signs (hash here, pad here or on the card) with the PIN.
struct CardSigner<'a, A: CardAccess> {
    card: RefCell<&'a mut HpkiCard<A>>,
    pin: &'a Pin,
    cert_der: &'a [u8],
    key: VerifyingKey<Sha256>,
    error: RefCell<Option<CardError>>,
    variant: Cell<Option<Variant>>,
}

impl<A: CardAccess> Keypair for CardSigner<'_, A> {
    type VerifyingKey = VerifyingKey<Sha256>;
    fn verifying_key(&self) -> Self::VerifyingKey {
        self.key.clone()
    }
}

impl<A: CardAccess> SignatureAlgorithmIdentifier for CardSigner<'_, A> {
    type Params = der::AnyRef<'static>;
    const SIGNATURE_ALGORITHM_IDENTIFIER: spki::AlgorithmIdentifierRef<'static> =
        <SigningKey<Sha256> as SignatureAlgorithmIdentifier>::SIGNATURE_ALGORITHM_IDENTIFIER;
}

impl<A: CardAccess> Signer<Signature> for CardSigner<'_, A> {
    fn try_sign(&self, msg: &[u8]) -> Result<Signature, signature::Error> {
        match self.card.borrow_mut().sign(self.pin, self.cert_der, msg) {
            Ok((sig, variant)) => {
                self.variant.set(Some(variant));
                Ok(sig)
            }
            Err(e) => {
                *self.error.borrow_mut() = Some(e);
                Err(signature::Error::new())
            }
        }
    }
}

/// The ESS signingCertificateV2 attribute naming `cert` (whose DER is `cert_der`).
pub fn signing_certificate_v2(cert: &Certificate, cert_der: &[u8]) -> Result<Attribute, SignError> {
    let value = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(cert_der).to_vec()).map_err(build_err)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    cert.tbs_certificate.issuer.clone(),
                )],
                serial_number: cert.tbs_certificate.serial_number.clone(),
            }),
        }],
    };
    let mut values = SetOfVec::<AttributeValue>::new();
    values
        .insert(Any::from_der(&value.to_der().map_err(build_err)?).map_err(build_err)?)
        .map_err(build_err)?;
    Ok(Attribute {
        oid: ID_AA_SIGNING_CERTIFICATE_V2,
        values,
    })
}

fn sha256_id() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: rfc5912::ID_SHA_256,
        parameters: None,
    }
}

/// Signs `document` with the card: a detached CMS SignedData (DER) carrying the signer
/// certificate `cert_der` and the CA certificates `chain`. The PIN is used once.
pub fn sign_document<A: CardAccess>(
    card: &mut HpkiCard<A>,
    pin: &Pin,
    cert_der: &[u8],
    chain: &[Vec<u8>],
    document: &[u8],
) -> Result<(Vec<u8>, Variant), SignError> {
    let cert = Certificate::from_der(cert_der).map_err(|_| CardError::Certificate)?;
    let key = VerifyingKey::<Sha256>::new(public_key(cert_der)?);
    let signer = CardSigner {
        card: RefCell::new(card),
        pin,
        cert_der,
        key,
        error: RefCell::new(None),
        variant: Cell::new(None),
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    });
    let digest = Sha256::digest(document);
    let eci = EncapsulatedContentInfo {
        econtent_type: rfc5911::ID_DATA,
        econtent: None,
    };
    let mut sib = SignerInfoBuilder::new(&signer, sid, sha256_id(), &eci, Some(&digest))
        .map_err(build_err)?;
    sib.add_signed_attribute(create_signing_time_attribute().map_err(build_err)?)
        .map_err(build_err)?;
    sib.add_signed_attribute(signing_certificate_v2(&cert, cert_der)?)
        .map_err(build_err)?;
    let mut sdb = SignedDataBuilder::new(&eci);
    sdb.add_digest_algorithm(sha256_id()).map_err(build_err)?;
    sdb.add_certificate(CertificateChoices::Certificate(cert.clone()))
        .map_err(build_err)?;
    for c in chain {
        let c = Certificate::from_der(c).map_err(build_err)?;
        sdb.add_certificate(CertificateChoices::Certificate(c))
            .map_err(build_err)?;
    }
    let built = sdb
        .add_signer_info::<_, Signature>(sib)
        .and_then(|b| b.build());
    if let Some(e) = signer.error.borrow_mut().take() {
        return Err(SignError::Card(e));
    }
    let ci = built.map_err(build_err)?;
    let der = ci.to_der().map_err(build_err)?;
    let variant = signer
        .variant
        .get()
        .ok_or_else(|| build_err("no signature"))?;
    Ok((der, variant))
}

/// Why a signature is not accepted. Each names what is wrong; none shows document content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("not a CMS signature")]
    NotCms,
    #[error("the signature carries the document instead of being detached")]
    NotDetached,
    #[error("there must be exactly one signer")]
    Signers,
    #[error("the signer's certificate is not in the signature")]
    NoSignerCertificate,
    #[error("unsupported algorithm {0}")]
    Algorithm(String),
    #[error("a signed attribute is missing: {0}")]
    MissingAttribute(&'static str),
    #[error("the document does not match the signature (digest differs)")]
    DigestMismatch,
    #[error("the signature value does not verify")]
    BadSignature,
    #[error("signingCertificateV2 does not name the signer's certificate")]
    SigningCertificateMismatch,
    #[error("no path from the signer's certificate to a trust anchor")]
    Untrusted,
    #[error("a certificate on the path was not valid at the signing time")]
    NotValidAtSigningTime,
    /// A certificate on the path has expired (or is not valid yet) now: with no trusted
    /// time-stamp, a signature is only as good as its certificates today.
    #[error("a certificate on the path is not valid at the time of verification")]
    NotValidNow,
    #[error("a certificate on the path is not a CA certificate")]
    NotCa,
    /// A CA on the path may not sign certificates (keyUsage without keyCertSign).
    #[error("a CA on the path may not sign certificates (keyUsage)")]
    CaKeyUsage,
    /// A CA's pathLenConstraint allows fewer CAs below it than the path has.
    #[error("the path is longer than a CA on it allows (pathLenConstraint)")]
    PathLength,
    #[error("unknown critical extension {0}")]
    CriticalExtension(String),
    /// The signer's certificate is not for electronic signatures (no nonRepudiation).
    #[error("the signer's certificate is not for signatures (keyUsage nonRepudiation)")]
    KeyUsage,
    /// The signer or a CA below the anchor does not assert the certificate policy required
    /// (the HPKI signing policy when the path ends at an HPKI root).
    #[error("a certificate on the path does not carry the policy {0}")]
    Policy(String),
    /// A certificate on the path is on its issuer's revocation list.
    #[error("a certificate on the path was revoked (serial {serial})")]
    Revoked { serial: String },
    /// A revocation list given to check with is unreadable or not signed by its issuer.
    #[error("the revocation list is unreadable or its signature does not verify")]
    BadCrl,
}

impl VerifyError {
    pub fn key(&self) -> &'static str {
        match self {
            VerifyError::NotCms => "verify-not-cms",
            VerifyError::NotDetached => "verify-not-detached",
            VerifyError::Signers => "verify-signers",
            VerifyError::NoSignerCertificate => "verify-no-signer-certificate",
            VerifyError::Algorithm(_) => "verify-algorithm",
            VerifyError::MissingAttribute(_) => "verify-missing-attribute",
            VerifyError::DigestMismatch => "verify-digest-mismatch",
            VerifyError::BadSignature => "verify-bad-signature",
            VerifyError::SigningCertificateMismatch => "verify-signing-certificate",
            VerifyError::Untrusted => "verify-untrusted",
            VerifyError::NotValidAtSigningTime => "verify-not-valid",
            VerifyError::NotValidNow => "verify-not-valid-now",
            VerifyError::NotCa => "verify-not-ca",
            VerifyError::CaKeyUsage => "verify-ca-key-usage",
            VerifyError::PathLength => "verify-path-length",
            VerifyError::CriticalExtension(_) => "verify-critical-extension",
            VerifyError::KeyUsage => "verify-key-usage",
            VerifyError::Policy(_) => "verify-policy",
            VerifyError::Revoked { .. } => "verify-revoked",
            VerifyError::BadCrl => "verify-bad-crl",
        }
    }
}

/// The policy arc of HPKI signing certificates (署名用): the MEDIS signing CA asserts
/// 1.2.392.100495.1.5.1.1.3.1 under it, the authentication CA an arc `.1.5.1.2` instead.
pub const HPKI_SIGNING_POLICY_ARC: &str = "1.2.392.100495.1.5.1.1";

/// What a signature is checked against.
#[derive(Debug, Clone)]
pub struct Trust<'a> {
    pub anchors: &'a [Certificate],
    /// The time of the check (since the Unix epoch): every certificate on the path must be valid
    /// then as well as at signingTime (there is no trusted time-stamp to go by instead).
    pub at: Duration,
    /// The revocation lists to check with (the clinic's, from the HPKI CAs' repositories).
    pub crls: &'a [CertificateList],
    /// The policy arc the signer and the CAs below the anchor must assert. `None`: the HPKI
    /// signing arc when the path ends at an HPKI root ([`is_hpki_root`]), none otherwise.
    pub policy: Option<&'a str>,
}

impl<'a> Trust<'a> {
    /// Checked now against `anchors`, without revocation lists.
    pub fn now(anchors: &'a [Certificate]) -> Trust<'a> {
        Trust {
            anchors,
            at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default(),
            crls: &[],
            policy: None,
        }
    }
}

/// Whether revocation was checked for every certificate below the anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    /// Each certificate below the anchor was found on no current list of its issuer.
    Checked,
    /// At least one had no current revocation list to check with: said with the result.
    NotChecked,
}

/// A signature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signer certificate's subject (RFC 4514 text).
    pub signer: String,
    /// signingTime, seconds since the Unix epoch.
    pub signing_time: u64,
    /// Certificates from the signer to the trust anchor, both included.
    pub path_len: usize,
    pub revocation: Revocation,
}

/// The name a certificate is for: its subject's commonName (the whole subject when it has none).
pub fn subject_name(cert_der: &[u8]) -> Option<String> {
    let cert = Certificate::from_der(cert_der).ok()?;
    Some(common_name(&cert.tbs_certificate.subject))
}

/// A name's commonName (the whole name as text when it has none).
fn common_name(name: &x509_cert::name::Name) -> String {
    let cn = name
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == const_oid::db::rfc4519::CN)
        .find_map(|atv| {
            der::asn1::Utf8StringRef::try_from(&atv.value)
                .map(|s| s.as_str().to_owned())
                .or_else(|_| {
                    der::asn1::PrintableStringRef::try_from(&atv.value)
                        .map(|s| s.as_str().to_owned())
                })
                .ok()
        });
    cn.unwrap_or_else(|| name.to_string())
}

/// Whom a card's certificate is for, who issued it and until when it is valid: what the card
/// test in the window shows, read without a PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub name: String,
    pub issuer: String,
    pub not_after: jiff::Timestamp,
}

/// How many days before its end a certificate is said to expire soon.
pub const EXPIRY_WARNING_DAYS: i64 = 90;

impl Holder {
    /// Of the certificate `cert_der` (none when it cannot be read).
    pub fn of(cert_der: &[u8]) -> Option<Holder> {
        let cert = Certificate::from_der(cert_der).ok()?;
        let tbs = &cert.tbs_certificate;
        let end = tbs.validity.not_after.to_unix_duration();
        Some(Holder {
            name: common_name(&tbs.subject),
            issuer: common_name(&tbs.issuer),
            not_after: jiff::Timestamp::from_second(i64::try_from(end.as_secs()).ok()?).ok()?,
        })
    }

    /// Whole days left at `now` (negative once expired).
    pub fn days_left(&self, now: jiff::Timestamp) -> i64 {
        (self.not_after.as_second() - now.as_second()).div_euclid(86_400)
    }

    /// Whether to warn at `now`: expired, or within [`EXPIRY_WARNING_DAYS`].
    pub fn expires_soon(&self, now: jiff::Timestamp) -> bool {
        self.days_left(now) < EXPIRY_WARNING_DAYS
    }
}

/// Whether `cert` is an HPKI root (the MHLW HPKI Root CA).
pub fn is_hpki_root(cert: &Certificate) -> bool {
    cert.tbs_certificate
        .subject
        .to_string()
        .contains("MHLW HPKI Root CA")
}

/// Reads a revocation list, PEM (`X509 CRL`) or DER.
pub fn load_crl(bytes: &[u8]) -> Result<CertificateList, VerifyError> {
    let der = match der::pem::decode_vec(bytes) {
        Ok(("X509 CRL", der)) => der,
        Ok(_) => return Err(VerifyError::BadCrl),
        Err(_) => bytes.to_vec(),
    };
    CertificateList::from_der(&der).map_err(|_| VerifyError::BadCrl)
}

/// Reads PEM certificates (one or more in a file) as trust anchors.
pub fn load_trust_anchors(pem: &[u8]) -> Result<Vec<Certificate>, VerifyError> {
    pem_certificates(pem).ok_or(VerifyError::NotCms)
}

/// The certificates of a PEM file (one or more), or `None` when it holds none that read.
///
/// x509-cert 0.2.5's `load_pem_chain` subtracts past zero on input that is empty once its
/// trailing line ends are cut (found by the `cms_verify` fuzz target): such input is refused
/// here first.
pub fn pem_certificates(pem: &[u8]) -> Option<Vec<Certificate>> {
    if pem.iter().all(|b| matches!(b, b'\r' | b'\n')) {
        return None;
    }
    Certificate::load_pem_chain(pem).ok()
}

fn attr<'a>(
    attrs: &'a [Attribute],
    oid: ObjectIdentifier,
    name: &'static str,
) -> Result<&'a Any, VerifyError> {
    attrs
        .iter()
        .find(|a| a.oid == oid)
        .and_then(|a| a.values.iter().next())
        .ok_or(VerifyError::MissingAttribute(name))
}

/// Extensions this verifier understands; any other marked critical makes a certificate unusable.
/// certificatePolicies is among them: real HPKI CAs mark it critical.
const KNOWN_CRITICAL: [&str; 6] = [
    "2.5.29.19", // basicConstraints
    "2.5.29.15", // keyUsage
    "2.5.29.32", // certificatePolicies
    "2.5.29.37", // extKeyUsage
    "2.5.29.17", // subjectAltName
    "2.5.29.36", // policyConstraints
];

fn check_extensions(cert: &Certificate) -> Result<(), VerifyError> {
    for ext in cert.tbs_certificate.extensions.iter().flatten() {
        if ext.critical && !KNOWN_CRITICAL.contains(&ext.extn_id.to_string().as_str()) {
            return Err(VerifyError::CriticalExtension(ext.extn_id.to_string()));
        }
    }
    Ok(())
}

fn extension<T: for<'a> Decode<'a> + const_oid::AssociatedOid>(cert: &Certificate) -> Option<T> {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == T::OID)
        .and_then(|e| T::from_der(e.extn_value.as_bytes()).ok())
}

fn valid_at(cert: &Certificate, t: Duration) -> bool {
    let v = &cert.tbs_certificate.validity;
    v.not_before.to_unix_duration() <= t && t <= v.not_after.to_unix_duration()
}

fn rsa_key(cert: &Certificate) -> Result<RsaPublicKey, VerifyError> {
    let der = cert.to_der().map_err(|_| VerifyError::NotCms)?;
    public_key(&der).map_err(|_| VerifyError::Algorithm("public key".into()))
}

/// Whether `issuer`'s key made `sig` over `tbs` with the algorithm `oid`.
fn signed_by(tbs: &[u8], sig: Option<&[u8]>, oid: ObjectIdentifier, issuer: &Certificate) -> bool {
    let Ok(key) = rsa_key(issuer) else {
        return false;
    };
    let Some(Ok(sig)) = sig.map(Signature::try_from) else {
        return false;
    };
    if oid == rfc5912::SHA_256_WITH_RSA_ENCRYPTION {
        VerifyingKey::<Sha256>::new(key).verify(tbs, &sig).is_ok()
    } else if oid == rfc5912::SHA_384_WITH_RSA_ENCRYPTION {
        VerifyingKey::<Sha384>::new(key).verify(tbs, &sig).is_ok()
    } else if oid == rfc5912::SHA_512_WITH_RSA_ENCRYPTION {
        VerifyingKey::<Sha512>::new(key).verify(tbs, &sig).is_ok()
    } else {
        false
    }
}

/// Checks that `issuer` signed `cert`.
fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return false;
    };
    signed_by(
        &tbs,
        cert.signature.as_bytes(),
        cert.signature_algorithm.oid,
        issuer,
    )
}

/// Checks one link of a path: `issuer` signed `cert`, is a CA, and neither carries a critical
/// extension this verifier does not understand (certificatePolicies, critical on real HPKI CAs,
/// is understood).
pub fn check_ca_link(cert: &Certificate, issuer: &Certificate) -> Result<(), VerifyError> {
    check_extensions(cert)?;
    check_extensions(issuer)?;
    if !extension::<BasicConstraints>(issuer).is_some_and(|b| b.ca) {
        return Err(VerifyError::NotCa);
    }
    if issued_by(cert, issuer) {
        Ok(())
    } else {
        Err(VerifyError::Untrusted)
    }
}

/// Verifies a detached CMS signature over `document` as `trust` says: the digest, the signature
/// value, signingCertificateV2, nonRepudiation, and a path from the signer to a trust anchor
/// whose certificates are valid at the signing time and now, whose CAs may sign certificates
/// within their pathLenConstraint, which asserts the signing policy (HPKI's under an HPKI root),
/// and none of which is on a revocation list given; whether revocation was checked is said.
pub fn verify(
    document: &[u8],
    signature: &[u8],
    trust: &Trust<'_>,
) -> Result<Verified, VerifyError> {
    let ci = ContentInfo::from_der(signature).map_err(|_| VerifyError::NotCms)?;
    if ci.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(VerifyError::NotCms);
    }
    let sd: SignedData = ci.content.decode_as().map_err(|_| VerifyError::NotCms)?;
    if sd.encap_content_info.econtent.is_some() {
        return Err(VerifyError::NotDetached);
    }
    let [si] = sd.signer_infos.0.as_slice() else {
        return Err(VerifyError::Signers);
    };
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let SignerIdentifier::IssuerAndSerialNumber(ias) = &si.sid else {
        return Err(VerifyError::NoSignerCertificate);
    };
    let signer = certs
        .iter()
        .find(|c| {
            c.tbs_certificate.issuer == ias.issuer
                && c.tbs_certificate.serial_number == ias.serial_number
        })
        .ok_or(VerifyError::NoSignerCertificate)?;
    if si.digest_alg.oid != rfc5912::ID_SHA_256 {
        return Err(VerifyError::Algorithm(si.digest_alg.oid.to_string()));
    }
    let alg = si.signature_algorithm.oid;
    if alg != rfc5912::RSA_ENCRYPTION && alg != rfc5912::SHA_256_WITH_RSA_ENCRYPTION {
        return Err(VerifyError::Algorithm(alg.to_string()));
    }
    let attrs = si
        .signed_attrs
        .as_ref()
        .ok_or(VerifyError::MissingAttribute("signedAttrs"))?;
    let list: Vec<Attribute> = attrs.iter().cloned().collect();

    let content_type = attr(&list, rfc5911::ID_CONTENT_TYPE, "contentType")?;
    if content_type.decode_as::<ObjectIdentifier>().ok() != Some(rfc5911::ID_DATA) {
        return Err(VerifyError::MissingAttribute("contentType"));
    }
    let digest: OctetString = attr(&list, rfc5911::ID_MESSAGE_DIGEST, "messageDigest")?
        .decode_as()
        .map_err(|_| VerifyError::MissingAttribute("messageDigest"))?;
    if digest.as_bytes() != Sha256::digest(document).as_slice() {
        return Err(VerifyError::DigestMismatch);
    }
    let time = attr(&list, rfc5911::ID_SIGNING_TIME, "signingTime")?;
    let signing_time =
        x509_cert::time::Time::from_der(&time.to_der().map_err(|_| VerifyError::NotCms)?)
            .map_err(|_| VerifyError::MissingAttribute("signingTime"))?
            .to_unix_duration();

    // The signature over the DER of the signed attributes (as a SET OF).
    let signed = attrs.to_der().map_err(|_| VerifyError::NotCms)?;
    let sig =
        Signature::try_from(si.signature.as_bytes()).map_err(|_| VerifyError::BadSignature)?;
    VerifyingKey::<Sha256>::new(rsa_key(signer)?)
        .verify(&signed, &sig)
        .map_err(|_| VerifyError::BadSignature)?;

    // ESS signingCertificateV2 names this very certificate.
    let scv2: SigningCertificateV2 =
        attr(&list, ID_AA_SIGNING_CERTIFICATE_V2, "signingCertificateV2")?
            .decode_as()
            .map_err(|_| VerifyError::MissingAttribute("signingCertificateV2"))?;
    let signer_der = signer.to_der().map_err(|_| VerifyError::NotCms)?;
    let first = scv2
        .certs
        .first()
        .ok_or(VerifyError::SigningCertificateMismatch)?;
    if first
        .hash_algorithm
        .as_ref()
        .is_some_and(|a| a.oid != rfc5912::ID_SHA_256)
        || first.cert_hash.as_bytes() != Sha256::digest(&signer_der).as_slice()
    {
        return Err(VerifyError::SigningCertificateMismatch);
    }

    // keyUsage: nonRepudiation (contentCommitment), as on an HPKI signing certificate.
    if !extension::<KeyUsage>(signer).is_some_and(|ku| ku.0.contains(KeyUsages::NonRepudiation)) {
        return Err(VerifyError::KeyUsage);
    }

    let path = build_path(signer, &certs, trust.anchors)?;
    check_path(&path, signing_time, trust)?;
    let revocation = check_revocation(&path, trust)?;
    Ok(Verified {
        signer: signer.tbs_certificate.subject.to_string(),
        signing_time: signing_time.as_secs(),
        path_len: path.len(),
        revocation,
    })
}

/// The path from the signer to a trust anchor (both included), through the certificates the
/// signature carries.
fn build_path(
    signer: &Certificate,
    certs: &[Certificate],
    anchors: &[Certificate],
) -> Result<Vec<Certificate>, VerifyError> {
    let mut path = vec![signer.clone()];
    for _ in 0..8 {
        let Some(current) = path.last() else {
            return Err(VerifyError::Untrusted);
        };
        if anchors.iter().any(|a| a == current) {
            return Ok(path);
        }
        if let Some(anchor) = anchors.iter().find(|a| issued_by(current, a)) {
            path.push(anchor.clone());
            return Ok(path);
        }
        let Some(next) = certs
            .iter()
            .find(|c| !path.contains(c) && issued_by(current, c))
        else {
            return Err(VerifyError::Untrusted);
        };
        path.push(next.clone());
    }
    Err(VerifyError::Untrusted)
}

/// Every certificate on `path` valid at signingTime and now, no critical extension unknown;
/// every CA a CA that may sign certificates, within its pathLenConstraint; the policy asserted.
fn check_path(
    path: &[Certificate],
    signing_time: Duration,
    trust: &Trust<'_>,
) -> Result<(), VerifyError> {
    for (i, cert) in path.iter().enumerate() {
        check_extensions(cert)?;
        if !valid_at(cert, signing_time) {
            return Err(VerifyError::NotValidAtSigningTime);
        }
        if !valid_at(cert, trust.at) {
            return Err(VerifyError::NotValidNow);
        }
        if i == 0 {
            continue;
        }
        let Some(bc) = extension::<BasicConstraints>(cert).filter(|b| b.ca) else {
            return Err(VerifyError::NotCa);
        };
        if !extension::<KeyUsage>(cert).is_some_and(|ku| ku.0.contains(KeyUsages::KeyCertSign)) {
            return Err(VerifyError::CaKeyUsage);
        }
        // The CAs between the signer and this one.
        let below = i - 1;
        if bc
            .path_len_constraint
            .is_some_and(|n| below > usize::from(n))
        {
            return Err(VerifyError::PathLength);
        }
    }
    let anchor = path.last().ok_or(VerifyError::Untrusted)?;
    let arc = match trust.policy {
        Some(arc) => Some(arc),
        None => is_hpki_root(anchor).then_some(HPKI_SIGNING_POLICY_ARC),
    };
    if let Some(arc) = arc {
        // The signer and the CAs below the anchor (the root itself asserts no policy).
        for cert in &path[..path.len() - 1] {
            let asserted = extension::<CertificatePolicies>(cert).is_some_and(|p| {
                p.0.iter().any(|i| {
                    let oid = i.policy_identifier.to_string();
                    oid == arc || oid.starts_with(&format!("{arc}."))
                })
            });
            if !asserted {
                return Err(VerifyError::Policy(arc.to_owned()));
            }
        }
    }
    Ok(())
}

/// Each certificate below the anchor against its issuer's revocation list, when one was given:
/// a list must be signed by that issuer (else [`VerifyError::BadCrl`]) and current at the time of
/// the check to count.
fn check_revocation(path: &[Certificate], trust: &Trust<'_>) -> Result<Revocation, VerifyError> {
    let mut all = true;
    for pair in path.windows(2) {
        let [cert, issuer] = pair else { continue };
        let mut checked = false;
        for crl in trust
            .crls
            .iter()
            .filter(|c| c.tbs_cert_list.issuer == issuer.tbs_certificate.subject)
        {
            let tbs = crl
                .tbs_cert_list
                .to_der()
                .map_err(|_| VerifyError::BadCrl)?;
            if !signed_by(
                &tbs,
                crl.signature.as_bytes(),
                crl.signature_algorithm.oid,
                issuer,
            ) {
                return Err(VerifyError::BadCrl);
            }
            let serial = &cert.tbs_certificate.serial_number;
            if crl
                .tbs_cert_list
                .revoked_certificates
                .iter()
                .flatten()
                .any(|r| &r.serial_number == serial)
            {
                return Err(VerifyError::Revoked {
                    serial: serial.to_string(),
                });
            }
            let from = crl.tbs_cert_list.this_update.to_unix_duration();
            let until = crl.tbs_cert_list.next_update.map(|t| t.to_unix_duration());
            if from <= trust.at && until.is_none_or(|u| trust.at <= u) {
                checked = true;
            }
        }
        all &= checked;
    }
    Ok(if all {
        Revocation::Checked
    } else {
        Revocation::NotChecked
    })
}
