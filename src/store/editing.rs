//! Who has an opinion open, and where: a soft lock. A window that opens a draft holds it for a
//! short lease and renews the lease while it runs; a window that closes lets it go, and one that
//! stops answering (a crash, a pulled cable) loses it when the lease runs out. Nothing is
//! refused because of it: the others are told "佐藤 一郎さんが診察室の端末で編集中", and a save
//! over someone else's is still refused by the draft's revision.
//!
//! Leases run on the store's clock (the server's, for every terminal alike), so terminals whose
//! clocks differ still agree on when a lease ran out.

use std::time::Duration;

use super::db::{Conn, Sql, params};
use super::{Action, Result, Session, Store};

/// How long a hold lasts without a sign of life from its window.
pub const LEASE: Duration = Duration::from_secs(30);

/// How often a window that holds an opinion renews the lease (well inside [`LEASE`]).
pub const RENEW_EVERY: Duration = Duration::from_secs(10);

/// A new name for one window in the store's note of who has what open (random, never reused).
pub fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Someone who has an opinion open in another window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub opinion_id: i64,
    /// The person's name as the store has it.
    pub name: String,
    /// The terminal's name (e.g. 診察室).
    pub terminal: String,
}

/// The store's clock in milliseconds since 1970: the server's on PostgreSQL.
fn clock_ms(db: &impl Sql) -> Result<i64> {
    let sql = db.on(|c| {
        Ok(match c {
            Conn::Lite(_) => "SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)",
            Conn::Pg(..) => "SELECT CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)",
        })
    })?;
    db.query_row(sql, params![], |r| r.get(0))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Store {
    /// Holds `opinion_id` for the window `token` on `terminal` for [`LEASE`] from now (a new
    /// hold, or a renewed one), lets go of every lease that ran out, and returns the others who
    /// have it open.
    pub fn hold(
        &mut self,
        session: &Session,
        opinion_id: i64,
        terminal: &str,
        token: &str,
    ) -> Result<Vec<Holder>> {
        self.check(session, Action::Open)?;
        self.write(|tx| {
            let now = clock_ms(tx)?;
            tx.execute("DELETE FROM editing WHERE until_ms < ?1", params![now])?;
            tx.execute(
                "INSERT INTO editing (opinion_id, token, user_id, terminal, until_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (opinion_id, token) DO UPDATE SET
                     user_id = excluded.user_id, terminal = excluded.terminal,
                     until_ms = excluded.until_ms",
                params![
                    opinion_id,
                    token,
                    session.user_id(),
                    terminal,
                    now.saturating_add(millis(LEASE))
                ],
            )?;
            holders(tx, Some(opinion_id), token, now)
        })
    }

    /// Lets go of everything the window `token` holds (the editor closed, the person signed
    /// out, the window closed).
    pub fn release(&mut self, token: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM editing WHERE token = ?1", params![token])?;
            Ok(())
        })
    }

    /// Who has which opinion open in windows other than `token`, leases that ran out left out.
    pub fn holders(&self, session: &Session, token: &str) -> Result<Vec<Holder>> {
        self.check(session, Action::Open)?;
        let now = clock_ms(&self.db)?;
        holders(&self.db, None, token, now)
    }
}

/// The holders of `opinion` (of every opinion when `None`) in windows other than `token` whose
/// lease is still running at `now`, one per person and terminal.
fn holders(db: &impl Sql, opinion: Option<i64>, token: &str, now: i64) -> Result<Vec<Holder>> {
    let select = "SELECT DISTINCT e.opinion_id, u.display_name, e.terminal
                  FROM editing e JOIN users u ON u.id = e.user_id
                  WHERE e.token <> ?1 AND e.until_ms >= ?2";
    let order = "ORDER BY e.opinion_id, u.display_name, e.terminal";
    let row = |r: &super::db::Row<'_>| {
        Ok(Holder {
            opinion_id: r.get(0)?,
            name: r.get(1)?,
            terminal: r.get(2)?,
        })
    };
    match opinion {
        Some(id) => db.query_all(
            &format!("{select} AND e.opinion_id = ?3 {order}"),
            params![token, now, id],
            row,
        ),
        None => db.query_all(&format!("{select} {order}"), params![token, now], row),
    }
}
