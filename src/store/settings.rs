//! Clinic settings: entered once by an administrator, filled into every new opinion.

use super::db::{Sql, params};
use serde::{Deserialize, Serialize};

use super::audit::{self, Event};
use super::{Action, Result, Session, Store, StoreError};
use crate::form::Clinic;
use crate::form::ident;
use crate::form::normalize::{identifier, is_blank};

/// The clinic's profile. The physicians are the people with the physician role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClinicSettings {
    /// 医療機関名
    pub name: String,
    /// 医療機関所在地
    pub address: String,
    /// 電話
    pub phone: String,
    /// FAX
    pub fax: String,
    /// 医療機関コード (10 digits with its check digit)
    pub institution_code: String,
    /// Print 医師氏名 on paper (記名, for municipalities that still accept 記名押印) instead of
    /// leaving it blank for the physician's own signature (自署, the R8 rule). Off by default.
    pub print_physician_name: bool,
    /// Minutes without a key or a pointer moved after which the window signs the person out
    /// (the draft is saved first); `None` is [`DEFAULT_IDLE_MINUTES`].
    pub idle_sign_out_minutes: Option<u32>,
    /// The 保険者番号 of the insurers that take 医見書's CSV file instead of paper (医見書's
    /// 「CSVファイルでの提出」): their opinions are offered as that file beside paper and the hub.
    pub csv_insurers: Vec<String>,
}

/// A list of 保険者番号 as typed (separated by spaces, commas or 、, full-width or not).
pub fn split_insurers(text: &str) -> Vec<String> {
    crate::form::normalize::nfkc_trim(text)
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '、'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The window signs out after this many idle minutes unless the clinic set otherwise.
pub const DEFAULT_IDLE_MINUTES: u32 = 15;
/// The longest idle time a clinic may set: a screen left open stays open at most this long.
pub const MAX_IDLE_MINUTES: u32 = 240;

impl ClinicSettings {
    /// Minutes without input after which the window signs out.
    pub fn idle_minutes(&self) -> u32 {
        self.idle_sign_out_minutes
            .unwrap_or(DEFAULT_IDLE_MINUTES)
            .clamp(1, MAX_IDLE_MINUTES)
    }

    /// Whether the insurer `insurer_number` takes 医見書's CSV file.
    pub fn takes_csv(&self, insurer_number: &str) -> bool {
        let n = identifier(insurer_number);
        !n.is_empty() && self.csv_insurers.iter().any(|i| identifier(i) == n)
    }

    /// The clinic part of an opinion written by `physician_name`.
    pub fn clinic(&self, physician_name: &str) -> Clinic {
        Clinic {
            name: self.name.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            fax: self.fax.clone(),
            institution_code: self.institution_code.clone(),
            physician_name: physician_name.to_owned(),
        }
    }

    /// The 医療機関コード is saved but its check digit does not match the usual rule, or its
    /// prefecture is not the one of the address: worth a second look.
    pub fn institution_code_doubtful(&self) -> bool {
        let code = identifier(&self.institution_code);
        if code.is_empty() {
            return false;
        }
        let check = matches!(
            ident::institution_code(&code),
            Err(ident::IdentProblem::CheckDigit { .. })
        );
        let prefecture = matches!(
            (ident::prefecture_of_code(&code), ident::prefecture_of_address(&self.address)),
            (Some(c), Some(a)) if c != a
        );
        check || prefecture
    }

    fn check(&self) -> Result<()> {
        // A wrong shape is refused; a check digit that does not match is only a warning (its rule
        // is learnt from data): `institution_code_doubtful` says so.
        let code = identifier(&self.institution_code);
        if !code.is_empty()
            && matches!(
                ident::institution_code(&code),
                Err(ident::IdentProblem::Shape { .. })
            )
        {
            return Err(StoreError::BadSetting {
                setting: "institution_code",
            });
        }
        if self
            .csv_insurers
            .iter()
            .map(|i| identifier(i))
            .any(|i| i.len() != 6 || !i.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(StoreError::BadSetting {
                setting: "csv_insurers",
            });
        }
        if self
            .idle_sign_out_minutes
            .is_some_and(|m| !(1..=MAX_IDLE_MINUTES).contains(&m))
        {
            return Err(StoreError::BadSetting {
                setting: "idle_sign_out_minutes",
            });
        }
        for (value, setting) in [(&self.phone, "phone"), (&self.fax, "fax")] {
            if !is_blank(value) && !ident::phone_ok(&identifier(value)) {
                return Err(StoreError::BadSetting { setting });
            }
        }
        Ok(())
    }
}

const CLINIC: &str = "clinic";
const CONNECTION: &str = "connection";
const DISPLAY: &str = "display";
const BACKUP: &str = "backup";

/// Where the automatic daily backups go (administrators set it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupSettings {
    /// The backup folder (another disk, a USB drive, a network share); empty: none yet.
    pub folder: String,
}

impl BackupSettings {
    /// The folder, when one is set.
    pub fn folder(&self) -> Option<std::path::PathBuf> {
        let f = self.folder.trim();
        (!f.is_empty()).then(|| std::path::PathBuf::from(f))
    }
}

/// Where the hub is, whom to trust and which card reader to use (administrators set them).
/// Certificates are kept as PEM text: they are public. The terminal's private key is not here
/// (`hub::terminal` keeps it in the data folder and its password in the OS keyring).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionSettings {
    /// The hub's base address (https://…).
    pub hub_url: String,
    /// The CA that issued the hub's server certificate (PEM).
    pub hub_ca_pem: String,
    /// The card reader to use; empty: the first one with a card.
    pub reader: String,
    /// The HPKI signing CA certificates sent with each signature (PEM).
    pub signing_chain_pem: String,
    /// The roots a signature is checked against (PEM): the MHLW HPKI roots in practice.
    pub trust_anchors_pem: String,
}

/// How the window looks on this machine; anyone signed in may change it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DisplaySettings {
    /// 1.0 is the default size; older eyes choose 1.25 or 1.5.
    pub zoom: f32,
}

impl Default for DisplaySettings {
    fn default() -> DisplaySettings {
        DisplaySettings { zoom: 1.0 }
    }
}

impl ConnectionSettings {
    fn check(&self) -> Result<()> {
        let url = self.hub_url.trim();
        if !url.is_empty() && !url.starts_with("https://") {
            return Err(StoreError::BadSetting { setting: "hub_url" });
        }
        for (pem, setting) in [
            (&self.hub_ca_pem, "hub_ca_pem"),
            (&self.signing_chain_pem, "signing_chain_pem"),
            (&self.trust_anchors_pem, "trust_anchors_pem"),
        ] {
            if !pem.trim().is_empty() && !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(StoreError::BadSetting { setting });
            }
        }
        Ok(())
    }
}

impl Store {
    /// The clinic settings (empty until an administrator enters them).
    pub fn clinic_settings(&self) -> Result<ClinicSettings> {
        self.setting(CLINIC)
    }

    fn setting<T: serde::de::DeserializeOwned + Default>(&self, key: &str) -> Result<T> {
        let text: Option<String> = self.db.query_opt(
            "SELECT value FROM settings WHERE key = ?1",
            params![key],
            |r| r.get(0),
        )?;
        Ok(text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    fn put_setting<T: Serialize>(
        &mut self,
        session: &Session,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        let text =
            serde_json::to_string(value).map_err(|_| StoreError::BadSetting { setting: key })?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, text],
            )?;
            audit::append(tx, &session.actor(), &Event::new("settings").detail(key))
        })
    }

    /// The hub, reader and certificate settings (empty until an administrator enters them).
    pub fn connection_settings(&self) -> Result<ConnectionSettings> {
        self.setting(CONNECTION)
    }

    /// Saves the hub, reader and certificate settings (administrators only). An address that is
    /// not https, or certificate text that is not PEM, is refused.
    pub fn set_connection_settings(
        &mut self,
        session: &Session,
        s: &ConnectionSettings,
    ) -> Result<()> {
        self.check(session, Action::Settings)?;
        s.check()?;
        self.put_setting(session, CONNECTION, s)
    }

    /// The display settings of this data folder.
    pub fn display_settings(&self) -> Result<DisplaySettings> {
        self.setting(DISPLAY)
    }

    /// Saves the display settings (anyone signed in). The zoom is kept between 0.75 and 2.
    pub fn set_display_settings(&mut self, session: &Session, s: &DisplaySettings) -> Result<()> {
        let s = DisplaySettings {
            zoom: if s.zoom.is_finite() {
                s.zoom.clamp(0.75, 2.0)
            } else {
                1.0
            },
        };
        self.put_setting(session, DISPLAY, &s)
    }

    /// Where the automatic backups go.
    pub fn backup_settings(&self) -> Result<BackupSettings> {
        self.setting(BACKUP)
    }

    /// Saves where the automatic backups go (administrators only). The folder is made when it
    /// is missing, so that a wrong path is told now rather than at the first backup.
    pub fn set_backup_settings(&mut self, session: &Session, s: &BackupSettings) -> Result<()> {
        self.check(session, Action::Settings)?;
        if let Some(folder) = s.folder() {
            crate::files::private_dir(&folder).map_err(|e| StoreError::io(&folder, &e))?;
        }
        self.put_setting(session, BACKUP, s)
    }

    /// Saves the clinic settings (administrators only). A 医療機関コード with a wrong check digit,
    /// or a phone number that is not one, is refused.
    pub fn set_clinic_settings(&mut self, session: &Session, s: &ClinicSettings) -> Result<()> {
        self.check(session, Action::Settings)?;
        s.check()?;
        self.put_setting(session, CLINIC, s)
    }
}
