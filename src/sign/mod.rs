//! Detached CMS signatures (RFC 5652) in the CAdES-BES shape, made by the physician's HPKI card,
//! and their verification: digest, signature, ESS signingCertificateV2 and the path to the
//! configured trust anchors. See `../shared/specs/hub-api.md` (The signature).

pub mod cms;
