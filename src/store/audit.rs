//! The audit trail: who did what to which opinion, when, with the hash of the version before and
//! after. Entries are numbered without gaps and chained: each entry's hash covers its content and
//! the previous entry's hash, and `audit_head` remembers the last one, so a changed, deleted,
//! inserted or reordered entry shows.
//!
//! Limits: someone who can write the file and knows this scheme can rewrite the whole chain from
//! the tampered entry on. `ikensho audit verify` prints the head hash so that it can be noted
//! elsewhere (on paper, in a backup) and compared later.

use std::collections::HashMap;
use std::io::Write;

use super::db::{Conn, Sql, Tx, params};

use super::{Action, Result, Session, Store, StoreError, now, sha256_hex};

/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who an entry is about: a person, or the program itself (`system`, for hub events).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Actor<'a> {
    pub user_id: Option<i64>,
    pub login: &'a str,
}

impl Actor<'static> {
    pub const SYSTEM: Actor<'static> = Actor {
        user_id: None,
        login: "system",
    };
}

struct Entry<'a> {
    seq: i64,
    at: &'a str,
    user_id: Option<i64>,
    login: &'a str,
    action: &'a str,
    opinion_id: Option<i64>,
    version_id: Option<i64>,
    detail: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
    prev: &'a str,
}

impl Entry<'_> {
    fn hash(&self) -> String {
        // A JSON array of the fields: unambiguous, and easy to recompute outside this program.
        let canonical = serde_json::json!([
            self.seq,
            self.at,
            self.user_id,
            self.login,
            self.action,
            self.opinion_id,
            self.version_id,
            self.detail,
            self.before,
            self.after,
            self.prev,
        ]);
        sha256_hex(canonical.to_string().as_bytes())
    }
}

/// What an audit entry says happened: the action, the opinion and version it concerns, a detail
/// (item ids, counts — never what was typed) and the hashes of the version before and after.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Event<'a> {
    action: &'a str,
    opinion_id: Option<i64>,
    version_id: Option<i64>,
    detail: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str) -> Event<'a> {
        Event {
            action,
            ..Event::default()
        }
    }
    pub fn opinion(self, id: i64) -> Self {
        Event {
            opinion_id: Some(id),
            ..self
        }
    }
    pub fn version(self, id: i64) -> Self {
        Event {
            version_id: Some(id),
            ..self
        }
    }
    pub fn detail(self, detail: &'a str) -> Self {
        Event { detail, ..self }
    }
    pub fn before(self, hash: &'a str) -> Self {
        Event {
            before: Some(hash),
            ..self
        }
    }
    pub fn after(self, hash: &'a str) -> Self {
        Event {
            after: Some(hash),
            ..self
        }
    }
    /// The version did not change: the same hash before and after.
    pub fn same(self, hash: &'a str) -> Self {
        self.before(hash).after(hash)
    }
}

/// Checks the trail of the database `conn` (the live store, or a backup before it is restored):
/// the chain, the head, and every version against what the trail recorded.
pub(crate) fn verify_chain(conn: &impl Sql) -> Result<AuditCheck> {
    let mut problems = Vec::new();
    let (mut last_seq, mut last_hash, mut entries) = (0i64, GENESIS.to_owned(), 0i64);
    let sql = "SELECT seq, at, user_id, login, action, opinion_id, version_id, detail,
                      before_hash, after_hash, prev, hash
               FROM audit ORDER BY seq";
    conn.each(sql, params![], |r| {
        let (at, login, action, detail): (String, String, String, String) =
            (r.get(1)?, r.get(3)?, r.get(4)?, r.get(7)?);
        let (before, after, prev, hash): (Option<String>, Option<String>, String, String) =
            (r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?);
        let entry = Entry {
            seq: r.get(0)?,
            at: &at,
            user_id: r.get(2)?,
            login: &login,
            action: &action,
            opinion_id: r.get(5)?,
            version_id: r.get(6)?,
            detail: &detail,
            before: before.as_deref(),
            after: after.as_deref(),
            prev: &prev,
        };
        entries += 1;
        if entry.seq != last_seq + 1 {
            problems.push(AuditProblem::Missing {
                from: last_seq + 1,
                to: entry.seq - 1,
            });
        } else if prev != last_hash {
            problems.push(AuditProblem::Broken { seq: entry.seq });
        }
        if entry.hash() != hash {
            problems.push(AuditProblem::Altered { seq: entry.seq });
        }
        last_seq = entry.seq;
        last_hash = hash;
        Ok(())
    })?;
    let head = head(conn)?;
    problems.extend(version_problems(conn)?);
    let (head_seq, head_hash) = head.unwrap_or((0, GENESIS.to_owned()));
    if head_seq > last_seq {
        problems.push(AuditProblem::TailMissing {
            last: last_seq,
            head: head_seq,
        });
    } else if head_hash != last_hash {
        problems.push(AuditProblem::HeadMismatch { seq: last_seq });
    }
    Ok(AuditCheck {
        entries,
        head: last_hash,
        problems,
    })
}

/// The trail against the head noted beside the file ([`super::witness`]): it must still reach
/// the highest entry noted there, with the same hash.
fn witness_problems(conn: &impl Sql, store: &std::path::Path) -> Result<Vec<AuditProblem>> {
    let Ok(Some((seq, hash))) = super::witness::highest(store) else {
        return Ok(Vec::new());
    };
    let last: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM audit", params![], |r| {
        r.get(0)
    })?;
    let at: Option<String> =
        conn.query_opt("SELECT hash FROM audit WHERE seq = ?1", params![seq], |r| {
            r.get(0)
        })?;
    Ok(match at {
        None if seq > last => vec![AuditProblem::RolledBack { noted: seq, last }],
        Some(h) if h != hash => vec![AuditProblem::WitnessMismatch { seq }],
        _ => Vec::new(),
    })
}

/// The last hash the trail recorded for each version (what its body was after that entry).
fn recorded_hashes(conn: &impl Sql) -> Result<HashMap<i64, String>> {
    conn.query_all(
        "SELECT version_id, after_hash FROM audit
         WHERE version_id IS NOT NULL AND after_hash IS NOT NULL ORDER BY seq",
        params![],
        |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
    )
    .map(|pairs| pairs.into_iter().collect())
}

/// Every version's body re-hashed against its stored hash, and that hash against the trail.
fn version_problems(conn: &impl Sql) -> Result<Vec<AuditProblem>> {
    let recorded = recorded_hashes(conn)?;
    let mut out = Vec::new();
    let sql = "SELECT id, body, body_hash FROM versions ORDER BY id";
    conn.each(sql, params![], |r| {
        let (version, body, hash): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if sha256_hex(body.as_bytes()) != hash {
            out.push(AuditProblem::VersionBody { version });
        } else if recorded.get(&version) != Some(&hash) {
            out.push(AuditProblem::VersionUnrecorded { version });
        }
        Ok(())
    })?;
    Ok(out)
}

/// Refuses a version whose body is not what the program wrote and the trail recorded
/// ([`StoreError::Tampered`]): nothing is finalised, signed, sent or printed from it.
pub(crate) fn check_version(
    conn: &impl Sql,
    version: i64,
    body: &str,
    body_hash: &str,
) -> Result<()> {
    let recorded: Option<String> = conn.query_opt(
        "SELECT after_hash FROM audit WHERE version_id = ?1 AND after_hash IS NOT NULL
             ORDER BY seq DESC LIMIT 1",
        params![version],
        |r| r.get(0),
    )?;
    if sha256_hex(body.as_bytes()) != body_hash || recorded.as_deref() != Some(body_hash) {
        return Err(StoreError::Tampered { version });
    }
    Ok(())
}

/// The last entry's number and hash (`None` before the first entry).
pub(crate) fn head(conn: &impl Sql) -> Result<Option<(i64, String)>> {
    conn.query_opt(
        "SELECT seq, hash FROM audit_head WHERE one = 1",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Appends one entry inside the caller's transaction.
pub(crate) fn append(tx: &Tx<'_>, actor: &Actor<'_>, event: &Event<'_>) -> Result<()> {
    let Event {
        action,
        opinion_id,
        version_id,
        detail,
        before,
        after,
    } = *event;
    let known = match tx.known_head() {
        Some(known) => known,
        None => head(tx)?,
    };
    let (last, prev) = known.unwrap_or((0, GENESIS.to_owned()));
    let at = now();
    let entry = Entry {
        seq: last + 1,
        at: &at,
        user_id: actor.user_id,
        login: actor.login,
        action,
        opinion_id,
        version_id,
        detail,
        before,
        after,
        prev: &prev,
    };
    let hash = entry.hash();
    let on_server = tx.on(|c| Ok(matches!(c, Conn::Pg(..))))?;
    // The entry and the head: one statement (one round trip) on the server, two in a file.
    let insert = if on_server {
        "WITH entry AS (
             INSERT INTO audit (seq, at, user_id, login, action, opinion_id, version_id, detail,
                                before_hash, after_hash, prev, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             RETURNING seq, hash)
         INSERT INTO audit_head (one, seq, hash) SELECT 1, seq, hash FROM entry
         ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash"
    } else {
        "INSERT INTO audit (seq, at, user_id, login, action, opinion_id, version_id, detail,
                            before_hash, after_hash, prev, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    };
    tx.execute(
        insert,
        params![
            entry.seq,
            at,
            actor.user_id,
            actor.login,
            action,
            opinion_id,
            version_id,
            detail,
            before,
            after,
            prev,
            hash
        ],
    )?;
    if !on_server {
        tx.execute(
            "INSERT INTO audit_head (one, seq, hash) VALUES (1, ?1, ?2)
             ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            params![entry.seq, hash],
        )?;
    }
    tx.noted_head((entry.seq, hash));
    Ok(())
}

/// One thing wrong with the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditProblem {
    /// The entry's content does not match its hash: it was edited.
    Altered { seq: i64 },
    /// The entry does not follow the one before it: entries were inserted, deleted or reordered.
    Broken { seq: i64 },
    /// Entries numbered `from..=to` are gone.
    Missing { from: i64, to: i64 },
    /// The trail ends at `last` but the head says it reached `head`: the last entries were deleted.
    TailMissing { last: i64, head: i64 },
    /// The head's hash is not the last entry's.
    HeadMismatch { seq: i64 },
    /// The version's body no longer matches its own hash: it was changed outside the program.
    VersionBody { version: i64 },
    /// The version's hash is not the last one the trail recorded for it: its body and hash were
    /// changed together outside the program.
    VersionUnrecorded { version: i64 },
    /// The head noted beside the file reached entry `noted`, but the trail ends at `last`: the
    /// trail (and its head inside the file) was rolled back, or an older file put in its place.
    RolledBack { noted: i64, last: i64 },
    /// Entry `seq` is not the one noted beside the file: the trail was rewritten from there.
    WitnessMismatch { seq: i64 },
}

/// The result of checking the whole trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheck {
    pub entries: i64,
    /// The hash of the last entry, to note elsewhere and compare later.
    pub head: String,
    pub problems: Vec<AuditProblem>,
}

impl AuditCheck {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A row of the CSV export.
const CSV_COLUMNS: [&str; 14] = [
    "seq",
    "at_jst",
    "login",
    "name",
    "action",
    "opinion_id",
    "version_id",
    "insurer_number",
    "insured_number",
    "detail",
    "before_hash",
    "after_hash",
    "prev",
    "hash",
];

impl Store {
    /// Recomputes every entry's hash and the chain, and names what is wrong. Needs no session:
    /// it reads hashes and numbers, nothing about applicants.
    ///
    /// The trail and its head are read in one snapshot: on a server, a terminal that died just
    /// after sending its COMMIT may see it carried out between two reads, which must not look
    /// like a cut tail.
    pub fn verify_audit(&self) -> Result<AuditCheck> {
        let witness = &self.witness;
        self.db.snapshot(|tx| {
            let mut check = verify_chain(tx)?;
            check.problems.extend(witness_problems(tx, witness)?);
            Ok(check)
        })
    }

    /// Writes the audit trail as CSV (UTF-8 with a BOM, so that spreadsheet programs read the
    /// Japanese), for an inspection (運営指導). Administrators only; the export is itself audited.
    /// `header` gives the column titles in the user's language.
    pub fn export_audit(
        &mut self,
        session: &Session,
        out: &mut dyn Write,
        header: &[String; 14],
    ) -> Result<usize> {
        self.check(session, Action::Administer)?;
        let io = |e: std::io::Error| StoreError::io(std::path::Path::new("-"), &e);
        out.write_all("\u{feff}".as_bytes()).map_err(io)?;
        let mut w = csv::Writer::from_writer(out);
        let csv_err = |e: csv::Error| StoreError::io(std::path::Path::new("-"), &e.into());
        w.write_record(header).map_err(csv_err)?;
        let jst = crate::form::wareki::japan();
        // The 被保険者番号 says whose opinion it was: only for someone who may open opinions.
        let shows_insured = session.roles().allow(Action::Open);
        let mut n = 0;
        {
            let sql = "SELECT a.seq, a.at, a.login, u.display_name, a.action, a.opinion_id,
                              a.version_id, o.insurer_number, o.insured_number, a.detail,
                              a.before_hash, a.after_hash, a.prev, a.hash
                       FROM audit a
                       LEFT JOIN users u ON u.id = a.user_id
                       LEFT JOIN opinions o ON o.id = a.opinion_id
                       ORDER BY a.seq";
            self.db.each(sql, params![], |r| {
                let at: String = r.get(1)?;
                let at = at
                    .parse::<jiff::Timestamp>()
                    .map(|t| {
                        t.to_zoned(jst.clone())
                            .strftime("%Y-%m-%d %H:%M:%S")
                            .to_string()
                    })
                    .unwrap_or(at);
                let text = |i: usize| -> Result<String> {
                    Ok(spreadsheet_text(
                        r.get::<Option<String>>(i)?.unwrap_or_default(),
                    ))
                };
                let num = |i: usize| -> Result<String> {
                    Ok(r.get::<Option<i64>>(i)?
                        .map(|n| n.to_string())
                        .unwrap_or_default())
                };
                let record = [
                    num(0)?,
                    at,
                    text(2)?,
                    text(3)?,
                    text(4)?,
                    num(5)?,
                    num(6)?,
                    text(7)?,
                    if shows_insured {
                        text(8)?
                    } else {
                        String::new()
                    },
                    text(9)?,
                    text(10)?,
                    text(11)?,
                    text(12)?,
                    text(13)?,
                ];
                w.write_record(&record).map_err(csv_err)?;
                n += 1;
                Ok(())
            })?;
        }
        w.flush().map_err(io)?;
        self.write(|tx| {
            let detail = format!("{n} entries");
            append(
                tx,
                &session.actor(),
                &Event::new("export-audit").detail(&detail),
            )
        })?;
        Ok(n)
    }

    /// The column ids of the CSV export, for callers that build the header.
    pub fn audit_columns() -> [&'static str; 14] {
        CSV_COLUMNS
    }
}

/// A cell a spreadsheet shows as the text it is: one that begins like a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, so opening the export never runs it.
fn spreadsheet_text(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_text;

    #[test]
    fn cells_that_look_like_formulas_are_shown_as_text() {
        for cell in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            let shown = spreadsheet_text(cell.to_owned());
            assert!(shown.starts_with('\''), "{cell:?}");
            assert_eq!(&shown[1..], cell);
        }
        for cell in ["sato", "佐藤 一郎", "0000012345", ""] {
            assert_eq!(spreadsheet_text(cell.to_owned()), cell);
        }
    }
}
