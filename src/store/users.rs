//! People, their roles, passwords (argon2id) and sessions.

use std::fmt;

use super::db::{Sql, Tx, params};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use super::audit::{self, Actor, Event};
use super::{Action, Result, Store, StoreError, now};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A role a person can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 医師: completes, finalises, signs, sends and prints final versions.
    Physician,
    /// 医療事務: takes in requests, prepares drafts. Never signs, sends or prints a final version.
    Clerk,
    /// 管理者: clinic settings, people, backups, the audit export.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Physician, Role::Clerk, Role::Admin];

    pub fn id(self) -> &'static str {
        match self {
            Role::Physician => "physician",
            Role::Clerk => "clerk",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == s.trim())
    }

    fn bit(self) -> u8 {
        match self {
            Role::Physician => 1,
            Role::Clerk => 2,
            Role::Admin => 4,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The roles of one person. Physician and clerk exclude each other; administrator goes with either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roles(u8);

impl Roles {
    pub fn of(roles: &[Role]) -> Roles {
        Roles(roles.iter().fold(0, |acc, r| acc | r.bit()))
    }

    pub fn has(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.has(*r))
    }

    fn to_db(self) -> String {
        self.iter().map(Role::id).collect::<Vec<_>>().join(",")
    }

    pub(crate) fn from_db(s: &str) -> Roles {
        Roles::of(&s.split(',').filter_map(Role::parse).collect::<Vec<_>>())
    }

    fn check(self) -> Result<()> {
        if self.0 == 0 {
            return Err(StoreError::NoRole);
        }
        if self.has(Role::Physician) && self.has(Role::Clerk) {
            return Err(StoreError::RoleConflict);
        }
        Ok(())
    }

    /// The role an action needs.
    pub fn needed(action: Action) -> Role {
        match action {
            Action::Open | Action::Edit => Role::Clerk,
            Action::Finalise
            | Action::Sign
            | Action::Send
            | Action::PrintFinal
            | Action::Review => Role::Physician,
            Action::ManageUsers | Action::Settings | Action::Administer => Role::Admin,
        }
    }

    /// Whether these roles allow `action`. Opening and editing drafts is for physicians and
    /// clerks; the administrator role alone does not see applicants.
    pub fn allow(self, action: Action) -> bool {
        match Roles::needed(action) {
            Role::Clerk => self.has(Role::Clerk) || self.has(Role::Physician),
            role => self.has(role),
        }
    }
}

/// A person signed in. Only [`Store::sign_in`] makes one; every call that reads or writes an
/// applicant's opinion takes it, and the store checks its roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    user_id: i64,
    login: String,
    name: String,
    roles: Roles,
}

impl Session {
    pub fn user_id(&self) -> i64 {
        self.user_id
    }
    pub fn login(&self) -> &str {
        &self.login
    }
    /// The name shown on screen; for a physician, the 医師氏名 of the opinions they write.
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn roles(&self) -> Roles {
        self.roles
    }
    pub fn is_clerk(&self) -> bool {
        self.roles.has(Role::Clerk)
    }

    pub(crate) fn actor(&self) -> Actor<'_> {
        Actor {
            user_id: Some(self.user_id),
            login: &self.login,
        }
    }
}

/// A person to add.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub roles: &'a [Role],
    pub password: &'a str,
}

/// A person as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub roles: Roles,
    pub active: bool,
}

/// Whether a password may be set: at least [`MIN_PASSWORD_CHARS`] characters, not all spaces
/// and not one character repeated.
pub fn password_acceptable(password: &str) -> bool {
    let mut chars = password.chars();
    let first = chars.clone().next();
    password.chars().count() >= MIN_PASSWORD_CHARS
        && !password.chars().all(char::is_whitespace)
        && !chars.all(|c| Some(c) == first)
}

fn hash_password(password: &str) -> Result<String> {
    if !password_acceptable(password) {
        return Err(StoreError::WeakPassword);
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| StoreError::Hash)
}

pub(crate) fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the login is unknown, so that the time taken does not tell
/// which logins exist: made once with the parameters of [`hash_password`] and kept as text, so
/// that the first unknown login of a process costs one check too, not a hash and a check.
pub(crate) fn decoy() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$zWpwDm6Khadzu/yDLspMSA$o0XO1WBke42cDWkDz+eegOHdgoVawQ4DH10id1lMrrQ"
}

/// Wrong passwords in a row after which each try waits longer (1 s, 2 s, 4 s…).
pub const THROTTLE_AFTER: i64 = 5;
/// Wrong passwords in a row after which the login is locked.
pub const LOCK_AFTER: i64 = 10;
/// How long a locked login stays locked.
pub const LOCK_MINUTES: i64 = 15;

/// Counts one more wrong password for `key` at `now` (locking at [`LOCK_AFTER`]); the count.
fn count_failure(tx: &Tx<'_>, key: &str, now: jiff::Timestamp) -> Result<i64> {
    // Unknown logins leave rows too: those a day old are forgotten.
    let day_ago = now - jiff::SignedDuration::from_hours(24);
    tx.execute(
        "DELETE FROM sign_in_failures WHERE last_at < ?1 AND locked_until IS NULL",
        params![day_ago.to_string()],
    )?;
    let failures: i64 = tx.query_row(
        "INSERT INTO sign_in_failures (login_key, failures, last_at) VALUES (?1, 1, ?2)
         ON CONFLICT (login_key) DO UPDATE SET failures = sign_in_failures.failures + 1, last_at = excluded.last_at
         RETURNING failures",
        params![key, now.to_string()],
        |r| r.get(0),
    )?;
    if failures >= LOCK_AFTER {
        let until = now + jiff::SignedDuration::from_mins(LOCK_MINUTES);
        tx.execute(
            "UPDATE sign_in_failures SET locked_until = ?1 WHERE login_key = ?2",
            params![until.to_string(), key],
        )?;
    }
    Ok(failures)
}

impl Store {
    /// The key a login is throttled under: a salted hash of it as typed (trimmed, case folded).
    fn login_key(&self, login: &str) -> Result<String> {
        let salt: Vec<u8> = self.db.query_row(
            "SELECT value FROM secrets WHERE name = 'sign-in-salt'",
            params![],
            |r| r.get(0),
        )?;
        let mut bytes = salt;
        bytes.extend_from_slice(login.trim().to_lowercase().as_bytes());
        Ok(super::sha256_hex(&bytes))
    }

    /// Refuses a sign-in for `key` while it is locked or waiting, without looking at the
    /// password (the same for every login, known or not).
    fn refuse_if_throttled(&self, key: &str, now: jiff::Timestamp) -> Result<()> {
        let row: Option<(i64, String, Option<String>)> = self.db.query_opt(
            "SELECT failures, last_at, locked_until FROM sign_in_failures WHERE login_key = ?1",
            params![key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let Some((failures, last_at, locked_until)) = row else {
            return Ok(());
        };
        let time = |s: &str| s.parse::<jiff::Timestamp>().unwrap_or(now);
        if let Some(until) = locked_until.as_deref().map(time)
            && until > now
        {
            let minutes = ((now.duration_until(until).as_secs() + 59) / 60).max(1);
            return Err(StoreError::Locked { minutes });
        }
        if (THROTTLE_AFTER..LOCK_AFTER).contains(&failures) {
            let wait = jiff::SignedDuration::from_secs(1 << (failures - THROTTLE_AFTER));
            let allowed = time(&last_at) + wait;
            if allowed > now {
                let seconds = now.duration_until(allowed).as_secs().max(1);
                return Err(StoreError::TooSoon { seconds });
            }
        }
        Ok(())
    }

    /// Checks that the person of `session` may do `action` now: still active, and holding the
    /// role in the store today (a person deactivated or a role removed since the sign-in takes
    /// effect at the next call, not the next sign-in).
    pub fn check(&self, session: &Session, action: Action) -> Result<()> {
        let now: Option<(bool, String)> = self.db.query_opt(
            "SELECT active, roles FROM users WHERE id = ?1",
            params![session.user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        match now {
            Some((true, roles)) if Roles::from_db(&roles).allow(action) => Ok(()),
            Some((true, _)) => Err(StoreError::Refused {
                login: session.login.clone(),
                action,
                needed: Roles::needed(action),
            }),
            _ => Err(StoreError::NoLongerActive {
                login: session.login.clone(),
            }),
        }
    }

    /// Lifts the wrong-password count and any lock of `login` (administrators), audited.
    pub fn unlock_sign_in(&mut self, session: &Session, login: &str) -> Result<()> {
        self.check(session, Action::ManageUsers)?;
        let key = self.login_key(login)?;
        let detail = login.trim().to_owned();
        self.write(|tx| {
            tx.execute(
                "DELETE FROM sign_in_failures WHERE login_key = ?1",
                params![&key],
            )?;
            audit::append(
                tx,
                &session.actor(),
                &Event::new("unlock-sign-in").detail(&detail),
            )
        })
    }

    /// Whether anyone has an account yet.
    pub fn has_users(&self) -> Result<bool> {
        self.db
            .query_row("SELECT EXISTS (SELECT 1 FROM users)", params![], |r| {
                r.get(0)
            })
    }

    /// Creates the first administrator of a new store. Refused once anyone exists.
    pub fn add_first_admin(&mut self, user: &NewUser<'_>) -> Result<i64> {
        let hash = hash_password(user.password)?;
        let mut roles = Roles::of(user.roles);
        roles.0 |= Role::Admin.bit();
        roles.check()?;
        self.write(|tx| {
            let any: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM users)", params![], |r| {
                    r.get(0)
                })?;
            if any {
                return Err(StoreError::AlreadySetUp);
            }
            let id = insert_user(tx, user, roles, &hash)?;
            let actor = Actor {
                user_id: Some(id),
                login: user.login,
            };
            audit::append(
                tx,
                &actor,
                &Event::new("user-add").detail(roles.to_db().as_str()),
            )?;
            Ok(id)
        })
    }

    /// Adds a person (administrators only). A physician account needs the administrator's own
    /// password again (`confirm`): whoever holds a physician account may sign.
    pub fn add_user(
        &mut self,
        session: &Session,
        user: &NewUser<'_>,
        confirm: Option<&str>,
    ) -> Result<i64> {
        self.check(session, Action::ManageUsers)?;
        let roles = Roles::of(user.roles);
        roles.check()?;
        if roles.has(Role::Physician) {
            self.reauthenticate(session, confirm)?;
        }
        let hash = hash_password(user.password)?;
        self.write(|tx| {
            let id = insert_user(tx, user, roles, &hash)?;
            let detail = format!("{} {}", user.login, roles.to_db());
            audit::append(
                tx,
                &session.actor(),
                &Event::new("user-add").detail(&detail),
            )?;
            Ok(id)
        })
    }

    /// Checks the password of the person signed in, entered again (audited when wrong).
    fn reauthenticate(&mut self, session: &Session, confirm: Option<&str>) -> Result<()> {
        let confirm = confirm.ok_or(StoreError::ReauthNeeded)?;
        let hash: String = self.db.query_row(
            "SELECT password_hash FROM users WHERE id = ?1",
            params![session.user_id],
            |r| r.get(0),
        )?;
        if password_matches(confirm, &hash) {
            return Ok(());
        }
        self.write(|tx| audit::append(tx, &session.actor(), &Event::new("reauth-failed")))?;
        Err(StoreError::ReauthFailed)
    }

    /// Binds the HPKI certificate `cert` to a physician's account (administrators, with their
    /// password again): when the certificate's name is not the account's, or after a new card.
    /// Signatures with any other certificate are refused from then on.
    pub fn bind_certificate(
        &mut self,
        session: &Session,
        user_id: i64,
        cert: super::SignerCert<'_>,
        confirm: &str,
    ) -> Result<()> {
        self.check(session, Action::ManageUsers)?;
        self.reauthenticate(session, Some(confirm))?;
        let sha = super::sha256_hex(cert.der);
        self.write(|tx| {
            let roles: Option<String> = tx.query_opt(
                "SELECT roles FROM users WHERE id = ?1",
                params![user_id],
                |r| r.get(0),
            )?;
            if !roles.is_some_and(|r| Roles::from_db(&r).has(Role::Physician)) {
                return Err(StoreError::NotFound("physician"));
            }
            tx.execute(
                "UPDATE users SET hpki_cert_sha256 = ?1, hpki_subject = ?2 WHERE id = ?3",
                params![sha, cert.name, user_id],
            )?;
            audit::append(
                tx,
                &session.actor(),
                &Event::new("hpki-bound").detail(&format!("user {user_id} cert {sha}")),
            )
        })
    }

    /// Sets a person's password: their own, or anyone's for an administrator.
    pub fn set_password(&mut self, session: &Session, user_id: i64, password: &str) -> Result<()> {
        if user_id != session.user_id {
            self.check(session, Action::ManageUsers)?;
        }
        let hash = hash_password(password)?;
        let detail = format!("user {user_id}");
        self.update_user(
            session,
            user_id,
            "password_hash",
            &hash,
            "password",
            &detail,
        )
    }

    /// Turns an account off or on again (administrators only). Accounts are never deleted: the
    /// audit trail names them.
    pub fn set_active(&mut self, session: &Session, user_id: i64, active: bool) -> Result<()> {
        self.check(session, Action::ManageUsers)?;
        let detail = format!("user {user_id} active={active}");
        self.update_user(session, user_id, "active", &active, "user-active", &detail)
    }

    /// Sets one column of a person's row, audited; the column name is one of ours, never input.
    fn update_user(
        &mut self,
        session: &Session,
        user_id: i64,
        column: &'static str,
        value: &dyn super::db::Param,
        action: &str,
        detail: &str,
    ) -> Result<()> {
        self.write(|tx| {
            let sql = format!("UPDATE users SET {column} = ?1 WHERE id = ?2");
            if tx.execute(&sql, params![value, user_id])? == 0 {
                return Err(StoreError::NotFound("user"));
            }
            audit::append(tx, &session.actor(), &Event::new(action).detail(detail))
        })
    }

    /// Signs a person in. A wrong password and an unknown login give the same error, and both are
    /// recorded in the audit trail. After [`THROTTLE_AFTER`] wrong passwords in a row for a login
    /// each try waits longer ([`StoreError::TooSoon`]); after [`LOCK_AFTER`] the login is locked
    /// for [`LOCK_MINUTES`] ([`StoreError::Locked`], audited) unless an administrator unlocks it.
    /// An unknown login is counted and answered the same way.
    pub fn sign_in(&mut self, login: &str, password: &str) -> Result<Session> {
        let key = self.login_key(login)?;
        let now = jiff::Timestamp::now();
        self.refuse_if_throttled(&key, now)?;
        let row: Option<(i64, String, String, String, bool, String)> = self.db.query_opt(
            "SELECT id, login, display_name, roles, active, password_hash
                 FROM users WHERE lower(login) = lower(?1)",
            params![login.trim()],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        let ok = match &row {
            Some(r) => password_matches(password, &r.5),
            None => {
                // Same work as a real check, then a refusal.
                let _ = password_matches(password, decoy());
                false
            }
        };
        match row {
            Some((user_id, login, name, roles, true, _)) if ok => {
                let session = Session {
                    user_id,
                    login,
                    name,
                    roles: Roles::from_db(&roles),
                };
                self.write(|tx| {
                    tx.execute(
                        "DELETE FROM sign_in_failures WHERE login_key = ?1",
                        params![&key],
                    )?;
                    audit::append(tx, &session.actor(), &Event::new("sign-in"))
                })?;
                Ok(session)
            }
            _ => {
                // An unknown login is not recorded as typed: people type passwords into the login
                // field by mistake.
                let actor = Actor {
                    user_id: row.as_ref().map(|r| r.0),
                    login: row.as_ref().map_or("(unknown)", |r| r.1.as_str()),
                };
                self.write(|tx| {
                    audit::append(tx, &actor, &Event::new("sign-in-failed"))?;
                    let failures = count_failure(tx, &key, now)?;
                    if failures == LOCK_AFTER {
                        audit::append(tx, &actor, &Event::new("sign-in-locked"))?;
                    }
                    Ok(())
                })?;
                Err(StoreError::SignIn)
            }
        }
    }

    /// Everyone with an account (administrators only).
    pub fn users(&self, session: &Session) -> Result<Vec<UserInfo>> {
        self.check(session, Action::ManageUsers)?;
        self.user_list(false)
    }

    /// The active physicians: whose names can stand as 医師氏名.
    pub fn physicians(&self) -> Result<Vec<UserInfo>> {
        Ok(self
            .user_list(true)?
            .into_iter()
            .filter(|u| u.roles.has(Role::Physician))
            .collect())
    }

    fn user_list(&self, active_only: bool) -> Result<Vec<UserInfo>> {
        self.db.query_all(
            "SELECT id, login, display_name, roles, active FROM users
             WHERE active OR NOT ?1 ORDER BY id",
            params![active_only],
            |r| {
                Ok(UserInfo {
                    id: r.get(0)?,
                    login: r.get(1)?,
                    name: r.get(2)?,
                    roles: Roles::from_db(&r.get::<String>(3)?),
                    active: r.get(4)?,
                })
            },
        )
    }
}

fn insert_user(tx: &Tx<'_>, user: &NewUser<'_>, roles: Roles, hash: &str) -> Result<i64> {
    let login = user.login.trim();
    if login.is_empty() || user.name.trim().is_empty() {
        return Err(StoreError::BadSetting { setting: "login" });
    }
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE lower(login) = lower(?1))",
        params![login],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::LoginTaken(login.to_owned()));
    }
    tx.query_row(
        "INSERT INTO users (login, display_name, roles, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![login, user.name.trim(), roles.to_db(), hash, now()],
        |r| r.get(0),
    )
}

/// Whether two names are the same person's name as written: spaces (also the ideographic one)
/// and width differences do not count.
fn same_name(a: &str, b: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let fold = |s: &str| -> String { s.nfkc().filter(|c| !c.is_whitespace()).collect() };
    let (a, b) = (fold(a), fold(b));
    !a.is_empty() && a == b
}

/// At a signature, inside its transaction: the card's certificate must be the one bound to the
/// signer's account. The first signature binds it when its name is the account's (audited);
/// otherwise an administrator binds it first ([`Store::bind_certificate`]).
pub(crate) fn check_certificate(
    tx: &Tx<'_>,
    session: &Session,
    cert: super::SignerCert<'_>,
) -> Result<()> {
    let sha = super::sha256_hex(cert.der);
    let (bound, name): (Option<String>, String) = tx.query_row(
        "SELECT hpki_cert_sha256, display_name FROM users WHERE id = ?1",
        params![session.user_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    match bound {
        Some(b) if b == sha => Ok(()),
        Some(_) => Err(StoreError::OtherCertificate),
        None if same_name(cert.name, &name) => {
            tx.execute(
                "UPDATE users SET hpki_cert_sha256 = ?1, hpki_subject = ?2 WHERE id = ?3",
                params![sha, cert.name, session.user_id],
            )?;
            audit::append(
                tx,
                &session.actor(),
                &Event::new("hpki-bound").detail(&format!("user {} cert {sha}", session.user_id)),
            )
        }
        None => Err(StoreError::CertificateName {
            on_card: cert.name.to_owned(),
            account: name,
        }),
    }
}

#[cfg(test)]
mod password_tests {
    #![allow(clippy::unwrap_used)]
    use super::password_acceptable;

    #[test]
    fn the_decoy_is_a_hash_of_todays_parameters() {
        use argon2::password_hash::phc::PasswordHash;
        let decoy = PasswordHash::new(super::decoy()).unwrap();
        let real = super::hash_password("some password 1").unwrap();
        let real = PasswordHash::new(&real).unwrap();
        assert_eq!(decoy.algorithm, real.algorithm);
        assert_eq!(decoy.params, real.params);
        assert!(!super::password_matches("decoy password", super::decoy()));
    }

    #[test]
    fn eight_characters_not_all_spaces_nor_one_repeated() {
        for ok in [
            "correct horse",
            "adminpass1",
            "パスワード１２３",
            "ab      ",
        ] {
            assert!(password_acceptable(ok), "{ok:?}");
        }
        for weak in [
            "short",
            "        ",
            "aaaaaaaaaaaa",
            "１１１１１１１１",
            "\t\t\t\t\t\t\t\t",
            "",
        ] {
            assert!(!password_acceptable(weak), "{weak:?}");
        }
    }
}
