//! People, their roles, passwords (argon2id) and sessions.

use std::fmt;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::{OptionalExtension, params};

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

    /// Refuses `action` unless the roles allow it.
    pub fn require(&self, action: Action) -> Result<()> {
        if self.roles.allow(action) {
            Ok(())
        } else {
            Err(StoreError::Refused {
                login: self.login.clone(),
                action,
                needed: Roles::needed(action),
            })
        }
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

fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
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
/// which logins exist.
fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never valid").unwrap_or_default())
}

impl Store {
    /// Whether anyone has an account yet.
    pub fn has_users(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?)
    }

    /// Creates the first administrator of a new store. Refused once anyone exists.
    pub fn add_first_admin(&mut self, user: &NewUser<'_>) -> Result<i64> {
        let hash = hash_password(user.password)?;
        let mut roles = Roles::of(user.roles);
        roles.0 |= Role::Admin.bit();
        roles.check()?;
        self.write(|tx| {
            let any: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?;
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

    /// Adds a person (administrators only).
    pub fn add_user(&mut self, session: &Session, user: &NewUser<'_>) -> Result<i64> {
        session.require(Action::ManageUsers)?;
        let roles = Roles::of(user.roles);
        roles.check()?;
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

    /// Sets a person's password: their own, or anyone's for an administrator.
    pub fn set_password(&mut self, session: &Session, user_id: i64, password: &str) -> Result<()> {
        if user_id != session.user_id {
            session.require(Action::ManageUsers)?;
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
        session.require(Action::ManageUsers)?;
        let detail = format!("user {user_id} active={active}");
        self.update_user(session, user_id, "active", &active, "user-active", &detail)
    }

    /// Sets one column of a person's row, audited; the column name is one of ours, never input.
    fn update_user(
        &mut self,
        session: &Session,
        user_id: i64,
        column: &'static str,
        value: &dyn rusqlite::ToSql,
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
    /// recorded in the audit trail.
    pub fn sign_in(&mut self, login: &str, password: &str) -> Result<Session> {
        let row: Option<(i64, String, String, String, bool, String)> = self
            .conn
            .query_row(
                "SELECT id, login, display_name, roles, active, password_hash
                 FROM users WHERE login = ?1",
                [login.trim()],
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
            )
            .optional()?;
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
                self.write(|tx| audit::append(tx, &session.actor(), &Event::new("sign-in")))?;
                Ok(session)
            }
            _ => {
                // An unknown login is not recorded as typed: people type passwords into the login
                // field by mistake.
                let actor = Actor {
                    user_id: row.as_ref().map(|r| r.0),
                    login: row.as_ref().map_or("(unknown)", |r| r.1.as_str()),
                };
                self.write(|tx| audit::append(tx, &actor, &Event::new("sign-in-failed")))?;
                Err(StoreError::SignIn)
            }
        }
    }

    /// Everyone with an account (administrators only).
    pub fn users(&self, session: &Session) -> Result<Vec<UserInfo>> {
        session.require(Action::ManageUsers)?;
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
        let mut st = self.conn.prepare_cached(
            "SELECT id, login, display_name, roles, active FROM users
             WHERE active OR NOT ?1 ORDER BY id",
        )?;
        let rows = st.query_map([active_only], |r| {
            Ok(UserInfo {
                id: r.get(0)?,
                login: r.get(1)?,
                name: r.get(2)?,
                roles: Roles::from_db(&r.get::<_, String>(3)?),
                active: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn insert_user(
    tx: &rusqlite::Transaction<'_>,
    user: &NewUser<'_>,
    roles: Roles,
    hash: &str,
) -> Result<i64> {
    let login = user.login.trim();
    if login.is_empty() || user.name.trim().is_empty() {
        return Err(StoreError::BadSetting { setting: "login" });
    }
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE login = ?1)",
        [login],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::LoginTaken(login.to_owned()));
    }
    tx.execute(
        "INSERT INTO users (login, display_name, roles, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![login, user.name.trim(), roles.to_db(), hash, now()],
    )?;
    Ok(tx.last_insert_rowid())
}
