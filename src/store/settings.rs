//! Clinic settings: entered once by an administrator, filled into every new opinion.

use rusqlite::{OptionalExtension, params};
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
}

impl ClinicSettings {
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

    fn check(&self) -> Result<()> {
        let code = identifier(&self.institution_code);
        if !code.is_empty() && ident::institution_code(&code).is_err() {
            return Err(StoreError::BadSetting {
                setting: "institution_code",
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

impl Store {
    /// The clinic settings (empty until an administrator enters them).
    pub fn clinic_settings(&self) -> Result<ClinicSettings> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [CLINIC], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    /// Saves the clinic settings (administrators only). A 医療機関コード with a wrong check digit,
    /// or a phone number that is not one, is refused.
    pub fn set_clinic_settings(&mut self, session: &Session, s: &ClinicSettings) -> Result<()> {
        session.require(Action::Settings)?;
        s.check()?;
        let text =
            serde_json::to_string(s).map_err(|_| StoreError::BadSetting { setting: CLINIC })?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![CLINIC, text],
            )?;
            audit::append(tx, &session.actor(), &Event::new("settings").detail(CLINIC))
        })
    }
}
