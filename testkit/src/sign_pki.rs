//! A test PKI shaped like HPKI, for the tests and the demo: a root (like the MHLW HPKI Root CA), a
//! signing CA whose certificatePolicies extension is **critical** (as the MEDIS CAs' is), and a
//! physician's signing certificate with keyUsage nonRepudiation. Never for real signatures.

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use const_oid::ObjectIdentifier;
use der::referenced::OwnedToRef;
use der::{Decode, Encode, EncodePem};
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use sha2::Sha256;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, KeyUsage, KeyUsages,
    SubjectKeyIdentifier, certpolicy::PolicyInformation,
};
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// The policy id the test CAs assert (an arc under the JAHIS HPKI policy 1.2.392.100495.1.5.1 is
/// what real cards carry; the test PKI uses a private-use arc so nobody mistakes it for real).
pub const TEST_POLICY: &str = "1.2.392.200119.99.1.1";

/// Why the test PKI could not be made.
#[derive(Debug, thiserror::Error)]
#[error("test PKI: {0}")]
pub struct PkiError(pub String);

pub(crate) fn err(e: impl std::fmt::Display) -> PkiError {
    PkiError(e.to_string())
}

/// An extension marked critical whatever its type's default: certificatePolicies (as on the MEDIS
/// CAs) and keyUsage.
#[derive(Clone, Debug)]
pub(crate) struct Critical<T>(pub(crate) T);

impl<T: const_oid::AssociatedOid> const_oid::AssociatedOid for Critical<T> {
    const OID: ObjectIdentifier = T::OID;
}

impl<T: Encode> Encode for Critical<T> {
    fn encoded_len(&self) -> der::Result<der::Length> {
        self.0.encoded_len()
    }
    fn encode(&self, w: &mut impl der::Writer) -> der::Result<()> {
        self.0.encode(w)
    }
}

impl<T: const_oid::AssociatedOid + Encode> AsExtension for Critical<T> {
    fn critical(&self, _: &Name, _: &[Extension]) -> bool {
        true
    }
}

/// A certificate and its key.
pub struct Issued {
    pub cert: Certificate,
    pub key: RsaPrivateKey,
}

impl Issued {
    pub fn der(&self) -> Vec<u8> {
        self.cert.to_der().unwrap_or_default()
    }
}

/// The certificates of the test PKI.
pub struct TestPki {
    pub root: Issued,
    pub ca: Issued,
    /// A CA below the signing CA, only when a [`Variation`] asks for one.
    pub sub: Option<Issued>,
    pub physician: Issued,
}

pub(crate) fn spki_of(key: &RsaPrivateKey) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
    let der = key.to_public_key().to_public_key_der().map_err(err)?;
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).map_err(err)
}

pub(crate) fn serial() -> Result<SerialNumber, PkiError> {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    bytes[0] &= 0x7F;
    bytes[0] |= 0x01;
    SerialNumber::new(&bytes).map_err(err)
}

fn policies(policy: &str) -> Result<Critical<CertificatePolicies>, PkiError> {
    Ok(Critical(CertificatePolicies(vec![PolicyInformation {
        policy_identifier: ObjectIdentifier::from_str(policy).map_err(err)?,
        policy_qualifiers: None,
    }])))
}

/// A CA's validity: from ten years ago for `n` years from now (so that signatures dated in the
/// past can be checked against it).
fn ca_years(n: u64) -> Result<Validity, PkiError> {
    let year = Duration::from_secs(365 * 24 * 3600);
    let now = SystemTime::now();
    validity(now - 10 * year, now + n as u32 * year)
}

pub(crate) fn years(n: u64) -> Result<Validity, PkiError> {
    Validity::from_now(Duration::from_secs(n * 365 * 24 * 3600)).map_err(err)
}

pub(crate) fn new_key() -> Result<RsaPrivateKey, PkiError> {
    RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(err)
}

/// How a test PKI differs from the usual one, for the verifier's tests.
#[derive(Debug, Clone, Default)]
pub struct Variation {
    /// The physician's certificate valid from..until (default: from now, five years).
    pub physician_validity: Option<(SystemTime, SystemTime)>,
    /// The physician's keyUsage (default: nonRepudiation).
    pub physician_usage: Option<KeyUsages>,
    /// The signing CA's keyUsage without keyCertSign.
    pub ca_without_cert_sign: bool,
    /// One more CA below the signing CA, which issues the physician's certificate (the signing
    /// CA's pathLenConstraint 0 forbids it).
    pub sub_ca: bool,
    /// The policy the signing CA and the physician assert (default [`TEST_POLICY`]).
    pub policy: Option<&'static str>,
}

fn validity(from: SystemTime, until: SystemTime) -> Result<Validity, PkiError> {
    Ok(Validity {
        not_before: Time::try_from(from).map_err(err)?,
        not_after: Time::try_from(until).map_err(err)?,
    })
}

/// A builder for a certificate `issuer` signs (with `signer`) for `key`, with the subject and
/// authority key identifiers.
fn issued_by<'s>(
    issuer: &Issued,
    signer: &'s SigningKey<Sha256>,
    subject: Name,
    validity: Validity,
    key: &RsaPrivateKey,
) -> Result<CertificateBuilder<'s, SigningKey<Sha256>>, PkiError> {
    let spki = spki_of(key)?;
    let mut b = CertificateBuilder::new(
        Profile::Manual {
            issuer: Some(issuer.cert.tbs_certificate.subject.clone()),
        },
        serial()?,
        validity,
        subject,
        spki.clone(),
        signer,
    )
    .map_err(err)?;
    b.add_extension(&SubjectKeyIdentifier::try_from(spki.owned_to_ref()).map_err(err)?)
        .map_err(err)?;
    b.add_extension(
        &AuthorityKeyIdentifier::try_from(
            issuer
                .cert
                .tbs_certificate
                .subject_public_key_info
                .owned_to_ref(),
        )
        .map_err(err)?,
    )
    .map_err(err)?;
    Ok(b)
}

/// A CA certificate issued by `issuer`: basicConstraints with `path_len`, keyCertSign and
/// cRLSign unless `cert_sign` is false, the policy, key identifiers.
fn ca_cert(
    name: &Name,
    issuer: &Issued,
    path_len: Option<u8>,
    cert_sign: bool,
    policy: &str,
) -> Result<Issued, PkiError> {
    let key = new_key()?;
    let signer = SigningKey::<Sha256>::new(issuer.key.clone());
    let mut b = issued_by(issuer, &signer, name.clone(), ca_years(10)?, &key)?;
    b.add_extension(&BasicConstraints {
        ca: true,
        path_len_constraint: path_len,
    })
    .map_err(err)?;
    let usage = if cert_sign {
        KeyUsages::KeyCertSign | KeyUsages::CRLSign
    } else {
        KeyUsages::DigitalSignature | KeyUsages::CRLSign
    };
    b.add_extension(&Critical(KeyUsage(usage))).map_err(err)?;
    b.add_extension(&policies(policy)?).map_err(err)?;
    Ok(Issued {
        cert: b.build::<rsa::pkcs1v15::Signature>().map_err(err)?,
        key,
    })
}

impl TestPki {
    /// Makes a new test PKI (three RSA-2048 keys: a second or two in a release build). The
    /// physician's name goes into the certificate's subject.
    pub fn generate(physician: &str) -> Result<TestPki, PkiError> {
        TestPki::generate_with(physician, &Variation::default())
    }

    /// [`TestPki::generate`] with the differences `v` asks for.
    pub fn generate_with(physician: &str, v: &Variation) -> Result<TestPki, PkiError> {
        let policy = v.policy.unwrap_or(TEST_POLICY);
        let root_key = new_key()?;
        let root_name =
            Name::from_str("CN=ikensho TEST HPKI Root CA,O=ikensho test,C=JP").map_err(err)?;
        let root_signer = SigningKey::<Sha256>::new(root_key.clone());
        let builder = CertificateBuilder::new(
            Profile::Root,
            serial()?,
            ca_years(20)?,
            root_name.clone(),
            spki_of(&root_key)?,
            &root_signer,
        )
        .map_err(err)?;
        let root = Issued {
            cert: builder.build::<rsa::pkcs1v15::Signature>().map_err(err)?,
            key: root_key,
        };

        let ca_name =
            Name::from_str("CN=ikensho TEST HPKI Signing CA,O=ikensho test,C=JP").map_err(err)?;
        let ca = ca_cert(&ca_name, &root, Some(0), !v.ca_without_cert_sign, policy)?;
        let sub = if v.sub_ca {
            let name =
                Name::from_str("CN=ikensho TEST HPKI Sub CA,O=ikensho test,C=JP").map_err(err)?;
            Some(ca_cert(&name, &ca, None, true, policy)?)
        } else {
            None
        };
        let issuer = sub.as_ref().unwrap_or(&ca);

        let key = new_key()?;
        let subject = Name::from_str(&format!(
            "CN={},O=ikensho test clinic,C=JP",
            physician.replace([',', '+', '=', '"', '\\', '<', '>', ';'], " ")
        ))
        .map_err(err)?;
        let issuer_signer = SigningKey::<Sha256>::new(issuer.key.clone());
        let valid = match v.physician_validity {
            Some((from, until)) => validity(from, until)?,
            None => years(5)?,
        };
        let mut builder = issued_by(issuer, &issuer_signer, subject, valid, &key)?;
        builder
            .add_extension(&BasicConstraints {
                ca: false,
                path_len_constraint: None,
            })
            .map_err(err)?;
        let usage = v.physician_usage.unwrap_or(KeyUsages::NonRepudiation);
        builder
            .add_extension(&Critical(KeyUsage(usage.into())))
            .map_err(err)?;
        builder.add_extension(&policies(policy)?).map_err(err)?;
        let physician = Issued {
            cert: builder.build::<rsa::pkcs1v15::Signature>().map_err(err)?,
            key,
        };
        Ok(TestPki {
            root,
            ca,
            sub,
            physician,
        })
    }

    /// The CA certificates a signature carries (the signing CA, and the sub-CA when there is one).
    pub fn chain(&self) -> Vec<Vec<u8>> {
        let mut out = vec![self.ca.der()];
        if let Some(sub) = &self.sub {
            out.push(sub.der());
        }
        out
    }

    /// A detached CMS signature of `document` by the physician's key in software (as the card
    /// makes it), with the signingTime `at`: for the verifier's tests (a back-dated signature).
    pub fn sign_at(&self, document: &[u8], at: SystemTime) -> Result<Vec<u8>, PkiError> {
        use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
        use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
        use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
        use sha2::Digest;
        let cert = &self.physician.cert;
        let signer = SigningKey::<Sha256>::new(self.physician.key.clone());
        let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        });
        let eci = EncapsulatedContentInfo {
            econtent_type: const_oid::db::rfc5911::ID_DATA,
            econtent: None,
        };
        let sha256 = spki::AlgorithmIdentifierOwned {
            oid: const_oid::db::rfc5912::ID_SHA_256,
            parameters: None,
        };
        let digest = Sha256::digest(document);
        let mut sib = SignerInfoBuilder::new(&signer, sid, sha256.clone(), &eci, Some(&digest))
            .map_err(err)?;
        let time = der::Any::encode_from(&Time::try_from(at).map_err(err)?).map_err(err)?;
        let mut values = der::asn1::SetOfVec::new();
        values.insert(time).map_err(err)?;
        sib.add_signed_attribute(x509_cert::attr::Attribute {
            oid: const_oid::db::rfc5911::ID_SIGNING_TIME,
            values,
        })
        .map_err(err)?;
        let der = cert.to_der().map_err(err)?;
        sib.add_signed_attribute(
            ikensho::sign::cms::signing_certificate_v2(cert, &der).map_err(err)?,
        )
        .map_err(err)?;
        let mut sdb = SignedDataBuilder::new(&eci);
        sdb.add_digest_algorithm(sha256).map_err(err)?;
        sdb.add_certificate(CertificateChoices::Certificate(cert.clone()))
            .map_err(err)?;
        for c in self.chain() {
            sdb.add_certificate(CertificateChoices::Certificate(
                Certificate::from_der(&c).map_err(err)?,
            ))
            .map_err(err)?;
        }
        let ci = sdb
            .add_signer_info::<_, rsa::pkcs1v15::Signature>(sib)
            .and_then(|b| b.build())
            .map_err(err)?;
        ci.to_der().map_err(err)
    }
}

impl Issued {
    /// A revocation list signed by this CA, listing `revoked`, current from `this_update` to
    /// `next_update`.
    pub fn crl(
        &self,
        revoked: &[&Certificate],
        this_update: SystemTime,
        next_update: SystemTime,
    ) -> Result<CertificateList, PkiError> {
        use signature::{SignatureEncoding, Signer};
        let alg = spki::AlgorithmIdentifierOwned {
            oid: const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            parameters: Some(der::asn1::Null.into()),
        };
        let list: Vec<RevokedCert> = revoked
            .iter()
            .map(|c| {
                Ok(RevokedCert {
                    serial_number: c.tbs_certificate.serial_number.clone(),
                    revocation_date: Time::try_from(this_update).map_err(err)?,
                    crl_entry_extensions: None,
                })
            })
            .collect::<Result<_, PkiError>>()?;
        let tbs = TbsCertList {
            version: x509_cert::Version::V2,
            signature: alg.clone(),
            issuer: self.cert.tbs_certificate.subject.clone(),
            this_update: Time::try_from(this_update).map_err(err)?,
            next_update: Some(Time::try_from(next_update).map_err(err)?),
            revoked_certificates: (!list.is_empty()).then_some(list),
            crl_extensions: None,
        };
        let sig = SigningKey::<Sha256>::new(self.key.clone())
            .try_sign(&tbs.to_der().map_err(err)?)
            .map_err(err)?;
        Ok(CertificateList {
            tbs_cert_list: tbs,
            signature_algorithm: alg,
            signature: der::asn1::BitString::from_bytes(&sig.to_vec()).map_err(err)?,
        })
    }
}

impl TestPki {
    /// Writes `root.pem`, `ca.pem`, `physician.pem` and `physician.key.pem` (PKCS#8) into `dir`.
    pub fn write(&self, dir: &Path) -> Result<(), PkiError> {
        ikensho::files::private_dir(dir).map_err(err)?;
        for (name, issued) in [
            ("root", &self.root),
            ("ca", &self.ca),
            ("physician", &self.physician),
        ] {
            let pem = issued.cert.to_pem(LineEnding::LF).map_err(err)?;
            std::fs::write(dir.join(format!("{name}.pem")), pem).map_err(err)?;
        }
        let key = self
            .physician
            .key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(err)?;
        ikensho::files::write_private(&dir.join("physician.key.pem"), key.as_bytes()).map_err(err)
    }
}
