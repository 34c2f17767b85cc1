//! The hub's test PKI, for the simulator, the tests and the demo: a hub CA, the simulator's server
//! certificate (localhost, 127.0.0.1) and a terminal certificate whose subject carries the
//! institution (`O=<医療機関コード>`, `CN=<terminal id>`), as the hub expects.

use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use der::Encode;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::EncodePrivateKey;
use sha2::Sha256;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{ExtendedKeyUsage, SubjectAltName};
use x509_cert::name::Name;

use crate::sign_pki::{Issued, PkiError, err, new_key, serial, spki_of, years};

/// The three certificates of the hub's test PKI.
pub struct HubPki {
    pub ca: Issued,
    pub server: Issued,
    pub terminal: Issued,
}

fn leaf(ca: &Issued, subject: &str, server: bool) -> Result<Issued, PkiError> {
    let key = new_key()?;
    let signer = SigningKey::<Sha256>::new(ca.key.clone());
    let mut b = CertificateBuilder::new(
        Profile::Leaf {
            issuer: ca.cert.tbs_certificate.subject.clone(),
            enable_key_agreement: false,
            enable_key_encipherment: true,
            include_subject_key_identifier: true,
        },
        serial()?,
        years(3)?,
        Name::from_str(subject).map_err(err)?,
        spki_of(&key)?,
        &signer,
    )
    .map_err(err)?;
    let eku = if server {
        const_oid::db::rfc5280::ID_KP_SERVER_AUTH
    } else {
        const_oid::db::rfc5280::ID_KP_CLIENT_AUTH
    };
    b.add_extension(&ExtendedKeyUsage(vec![eku])).map_err(err)?;
    if server {
        b.add_extension(&SubjectAltName(vec![
            GeneralName::DnsName(der::asn1::Ia5String::new("localhost").map_err(err)?),
            GeneralName::IpAddress(
                der::asn1::OctetString::new(match IpAddr::V4(Ipv4Addr::LOCALHOST) {
                    IpAddr::V4(v4) => v4.octets().to_vec(),
                    IpAddr::V6(v6) => v6.octets().to_vec(),
                })
                .map_err(err)?,
            ),
        ]))
        .map_err(err)?;
    }
    Ok(Issued {
        cert: b.build::<rsa::pkcs1v15::Signature>().map_err(err)?,
        key,
    })
}

impl HubPki {
    /// A hub CA, a server certificate for the simulator on loopback, and one terminal certificate
    /// of the institution `institution_code`.
    pub fn generate(institution_code: &str, terminal_id: &str) -> Result<HubPki, PkiError> {
        let key = new_key()?;
        let name = Name::from_str("CN=ikensho TEST hub CA,O=ikensho test,C=JP").map_err(err)?;
        let signer = SigningKey::<Sha256>::new(key.clone());
        let b = CertificateBuilder::new(
            Profile::Root,
            serial()?,
            years(10)?,
            name,
            spki_of(&key)?,
            &signer,
        )
        .map_err(err)?;
        let ca = Issued {
            cert: b.build::<rsa::pkcs1v15::Signature>().map_err(err)?,
            key,
        };
        let server = leaf(&ca, "CN=localhost,O=ikensho hub simulator,C=JP", true)?;
        let terminal = terminal_of(&ca, institution_code, terminal_id)?;
        Ok(HubPki {
            ca,
            server,
            terminal,
        })
    }

    /// Another terminal certificate from this hub's CA, for the institution `institution_code`.
    pub fn issue_terminal(
        &self,
        institution_code: &str,
        terminal_id: &str,
    ) -> Result<Issued, PkiError> {
        terminal_of(&self.ca, institution_code, terminal_id)
    }
}

fn terminal_of(ca: &Issued, institution_code: &str, terminal_id: &str) -> Result<Issued, PkiError> {
    let clean = |s: &str| s.replace([',', '+', '=', '"', '\\', '<', '>', ';'], " ");
    leaf(
        ca,
        &format!(
            "CN={},O={},C=JP",
            clean(terminal_id),
            clean(institution_code)
        ),
        false,
    )
}

/// The certificate in DER and its key in PKCS#8 DER, as rustls takes them.
pub fn der_pair(i: &Issued) -> Result<(Vec<u8>, Vec<u8>), PkiError> {
    let cert = i.cert.to_der().map_err(err)?;
    let key = i.key.to_pkcs8_der().map_err(err)?.as_bytes().to_vec();
    Ok((cert, key))
}

/// The terminal certificate `i` with its CA `ca` and its key as a PKCS#12 (.p12) file under
/// `password`, as a hub operator hands it to a clinic.
pub fn p12(i: &Issued, ca: &Issued, password: &str) -> Result<Vec<u8>, PkiError> {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
    let (cert, key) = der_pair(i)?;
    let chain = PrivateKeyChain::new(
        b"ikensho-terminal".as_slice(),
        PrivateKey::from_der(&key).map_err(err)?,
        [
            Certificate::from_der(&cert).map_err(err)?,
            Certificate::from_der(&ca.cert.to_der().map_err(err)?).map_err(err)?,
        ],
    );
    let mut ks = KeyStore::new();
    ks.add_entry("terminal", KeyStoreEntry::PrivateKeyChain(chain));
    ks.writer(password).write().map_err(err)
}

impl HubPki {
    /// This hub's terminal certificate as a .p12 under `password`.
    pub fn terminal_p12(&self, password: &str) -> Result<Vec<u8>, PkiError> {
        p12(&self.terminal, &self.ca, password)
    }

    /// Writes the PKI into `dir` as PEM: `hub-ca.pem`, `hub-ca.key`, `server.pem`, `server.key`,
    /// `terminal.pem`, `terminal.key` (keys PKCS#8). Test material: never for a real hub.
    pub fn write(&self, dir: &std::path::Path) -> Result<(), PkiError> {
        use der::EncodePem;
        use rsa::pkcs8::LineEnding;
        ikensho::files::private_dir(dir).map_err(err)?;
        for (name, i) in [
            ("hub-ca", &self.ca),
            ("server", &self.server),
            ("terminal", &self.terminal),
        ] {
            std::fs::write(
                dir.join(format!("{name}.pem")),
                i.cert.to_pem(LineEnding::LF).map_err(err)?,
            )
            .map_err(err)?;
            let key = i.key.to_pkcs8_pem(LineEnding::LF).map_err(err)?;
            ikensho::files::write_private(&dir.join(format!("{name}.key")), key.as_bytes())
                .map_err(err)?;
        }
        Ok(())
    }

    /// Reads a PKI written by [`HubPki::write`].
    pub fn load(dir: &std::path::Path) -> Result<HubPki, PkiError> {
        use rsa::pkcs8::DecodePrivateKey;
        let read = |name: &str| -> Result<Issued, PkiError> {
            let pem = std::fs::read(dir.join(format!("{name}.pem"))).map_err(err)?;
            let cert = x509_cert::Certificate::load_pem_chain(&pem)
                .map_err(err)?
                .into_iter()
                .next()
                .ok_or_else(|| PkiError(format!("{name}.pem is empty")))?;
            let key = std::fs::read_to_string(dir.join(format!("{name}.key"))).map_err(err)?;
            let key = rsa::RsaPrivateKey::from_pkcs8_pem(&key).map_err(err)?;
            Ok(Issued { cert, key })
        };
        Ok(HubPki {
            ca: read("hub-ca")?,
            server: read("server")?,
            terminal: read("terminal")?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code
    use super::*;

    #[test]
    fn the_terminal_p12_opens_with_its_password_only() {
        let pki = HubPki::generate("1310123455", "T-1").unwrap();
        let p12 = pki.terminal_p12("Tm-Pass-2291").unwrap();
        let pw = |s: &str| zeroize::Zeroizing::new(s.to_owned());
        let t = ikensho::hub::client::Terminal::from_p12(&p12, &pw("Tm-Pass-2291"));
        let ca = der::EncodePem::to_pem(&pki.ca.cert, rsa::pkcs8::LineEnding::LF).unwrap();
        let c =
            ikensho::hub::client::HubClient::new("https://127.0.0.1:1", ca.as_bytes(), t.unwrap());
        assert!(c.is_ok(), "{:?}", c.err());
        assert!(ikensho::hub::client::Terminal::from_p12(&p12, &pw("wrong")).is_err());
    }
}
