//! A test PKI shaped like HPKI, for the tests and the demo: a root (like the MHLW HPKI Root CA), a
//! signing CA whose certificatePolicies extension is **critical** (as the MEDIS CAs' is), and a
//! physician's signing certificate with keyUsage nonRepudiation. Never for real signatures.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

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
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, KeyUsage, KeyUsages,
    SubjectKeyIdentifier, certpolicy::PolicyInformation,
};
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

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

/// The three certificates of the test PKI.
pub struct TestPki {
    pub root: Issued,
    pub ca: Issued,
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

fn policies() -> Result<Critical<CertificatePolicies>, PkiError> {
    Ok(Critical(CertificatePolicies(vec![PolicyInformation {
        policy_identifier: ObjectIdentifier::from_str(TEST_POLICY).map_err(err)?,
        policy_qualifiers: None,
    }])))
}

pub(crate) fn years(n: u64) -> Result<Validity, PkiError> {
    Validity::from_now(Duration::from_secs(n * 365 * 24 * 3600)).map_err(err)
}

pub(crate) fn new_key() -> Result<RsaPrivateKey, PkiError> {
    RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(err)
}

impl TestPki {
    /// Makes a new test PKI (three RSA-2048 keys: a second or two in a release build). The
    /// physician's name goes into the certificate's subject.
    pub fn generate(physician: &str) -> Result<TestPki, PkiError> {
        let root_key = new_key()?;
        let root_name =
            Name::from_str("CN=ikensho TEST HPKI Root CA,O=ikensho test,C=JP").map_err(err)?;
        let root_signer = SigningKey::<Sha256>::new(root_key.clone());
        let builder = CertificateBuilder::new(
            Profile::Root,
            serial()?,
            years(20)?,
            root_name.clone(),
            spki_of(&root_key)?,
            &root_signer,
        )
        .map_err(err)?;
        let root = Issued {
            cert: builder.build::<rsa::pkcs1v15::Signature>().map_err(err)?,
            key: root_key,
        };

        let ca_key = new_key()?;
        let ca_name =
            Name::from_str("CN=ikensho TEST HPKI Signing CA,O=ikensho test,C=JP").map_err(err)?;
        let mut builder = CertificateBuilder::new(
            Profile::SubCA {
                issuer: root_name,
                path_len_constraint: Some(0),
            },
            serial()?,
            years(10)?,
            ca_name.clone(),
            spki_of(&ca_key)?,
            &root_signer,
        )
        .map_err(err)?;
        builder.add_extension(&policies()?).map_err(err)?;
        let ca = Issued {
            cert: builder.build::<rsa::pkcs1v15::Signature>().map_err(err)?,
            key: ca_key,
        };

        let key = new_key()?;
        let subject = Name::from_str(&format!(
            "CN={},O=ikensho test clinic,C=JP",
            physician.replace([',', '+', '=', '"', '\\', '<', '>', ';'], " ")
        ))
        .map_err(err)?;
        let ca_signer = SigningKey::<Sha256>::new(ca.key.clone());
        let spki = spki_of(&key)?;
        let mut builder = CertificateBuilder::new(
            Profile::Manual {
                issuer: Some(ca_name),
            },
            serial()?,
            years(5)?,
            subject,
            spki.clone(),
            &ca_signer,
        )
        .map_err(err)?;
        builder
            .add_extension(&SubjectKeyIdentifier::try_from(spki.owned_to_ref()).map_err(err)?)
            .map_err(err)?;
        builder
            .add_extension(
                &AuthorityKeyIdentifier::try_from(
                    ca.cert
                        .tbs_certificate
                        .subject_public_key_info
                        .owned_to_ref(),
                )
                .map_err(err)?,
            )
            .map_err(err)?;
        builder
            .add_extension(&BasicConstraints {
                ca: false,
                path_len_constraint: None,
            })
            .map_err(err)?;
        builder
            .add_extension(&Critical(KeyUsage(KeyUsages::NonRepudiation.into())))
            .map_err(err)?;
        builder.add_extension(&policies()?).map_err(err)?;
        let physician = Issued {
            cert: builder.build::<rsa::pkcs1v15::Signature>().map_err(err)?,
            key,
        };
        Ok(TestPki {
            root,
            ca,
            physician,
        })
    }

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
