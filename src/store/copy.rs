//! Moving a whole store from one database to another — the single PC's file to the clinic
//! server and back (`ikensho store copy`): opinions, versions, item marks, signatures, the
//! outbox, settings, people and the audit chain, row for row with their ids, in one transaction
//! on the target. The copy's trail is verified before it is reported done.

use super::audit::AuditCheck;
use super::db::{Param, Sql, Value, params};
use super::{Result, Store, StoreError};

/// The tables in the order their references allow, with the columns both schemas have.
const TABLES: [(&str, &str); 13] = [
    (
        "users",
        "id, login, display_name, roles, password_hash, active, created_at, hpki_cert_sha256, \
         hpki_subject",
    ),
    (
        "opinions",
        "id, state, insurer_number, insured_number, name, kana, request_id, day, created_day, \
         due_date, physician_id, version_id, version_number, renewal_of, note, created_at, \
         updated_at, application_kind",
    ),
    ("search_keys", "key, opinion_id"),
    // Written unfrozen, then frozen once their marks are in (a frozen version takes no marks).
    (
        "versions",
        "id, opinion_id, number, body, body_hash, revision, saved_at, saved_by",
    ),
    ("item_marks", "version_id, item, origin, clerk_pending"),
    (
        "signatures",
        "id, version_id, document, document_hash, cms, signed_by, signed_at",
    ),
    (
        "audit",
        "seq, at, user_id, login, action, opinion_id, version_id, detail, before_hash, \
         after_hash, prev, hash",
    ),
    ("audit_head", "one, seq, hash"),
    ("settings", "key, value"),
    (
        "outbox",
        "id, opinion_id, version_id, idempotency_key, request_id, document, signature, state, \
         attempts, next_attempt_at, last_error, receipt_id, received_at, created_at, updated_at",
    ),
    (
        "sign_in_failures",
        "login_key, failures, last_at, locked_until",
    ),
    ("secrets", "name, value"),
    (
        "imported",
        "fingerprint, opinion_id, source, source_row, imported_at",
    ),
];

/// The tables whose `id` the server numbers (its sequences move past the copied ids).
const NUMBERED: [&str; 5] = ["users", "opinions", "versions", "signatures", "outbox"];

/// What a copy moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// Rows per table, in [`TABLES`] order.
    pub rows: Vec<(&'static str, u64)>,
    /// The copy's audit trail, verified.
    pub audit: AuditCheck,
}

impl Store {
    /// Whether the store holds nothing yet: no people, no opinions, no trail.
    pub fn is_empty(&self) -> Result<bool> {
        self.db.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM opinions)
                    AND NOT EXISTS (SELECT 1 FROM audit)",
            params![],
            |r| r.get(0),
        )
    }

    /// Copies everything of this store into `target`, which must be empty (a new file, or a
    /// database just set up), in one transaction: the target holds all of it or nothing. The
    /// target's trail is then verified; a copy that is not intact is an error
    /// ([`StoreError::BackupNotIntact`]).
    ///
    /// The source is read in one consistent view: what others write in it meanwhile is either
    /// all in the copy or not at all.
    pub fn copy_into(&mut self, target: &mut Store) -> Result<Copied> {
        if !target.is_empty()? {
            return Err(StoreError::NotEmpty {
                store: target.path.display().to_string(),
            });
        }
        let on_server = target.is_on_server();
        let rows = self.db.snapshot(|source| {
            target.write(|tx| {
                // The target's own sign-in salt gives way to the source's (the throttle's keys
                // depend on it).
                tx.execute("DELETE FROM secrets", params![])?;
                let mut rows = Vec::with_capacity(TABLES.len());
                for (table, columns) in TABLES {
                    let n = columns.split(',').count();
                    let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
                    let insert = format!(
                        "INSERT INTO {table} ({columns}) VALUES ({})",
                        marks.join(", ")
                    );
                    let mut count = 0u64;
                    source.each(&format!("SELECT {columns} FROM {table}"), params![], |r| {
                        let cells = r.cells(n)?;
                        let values: Vec<Value<'_>> = cells.iter().map(|c| c.as_value()).collect();
                        let args: Vec<&dyn Param> =
                            values.iter().map(|v| v as &dyn Param).collect();
                        tx.execute(&insert, &args)?;
                        count += 1;
                        Ok(())
                    })?;
                    if table == "item_marks" {
                        // Now the versions that were frozen are frozen again.
                        source.each(
                            "SELECT id, frozen, frozen_at FROM versions WHERE frozen IS NOT NULL",
                            params![],
                            |r| {
                                let (id, frozen, at): (i64, String, Option<String>) =
                                    (r.get(0)?, r.get(1)?, r.get(2)?);
                                tx.execute(
                                    "UPDATE versions SET frozen = ?1, frozen_at = ?2 WHERE id = ?3",
                                    params![frozen, at, id],
                                )?;
                                Ok(())
                            },
                        )?;
                    }
                    rows.push((table, count));
                }
                if on_server {
                    for table in NUMBERED {
                        tx.execute(
                            &format!(
                                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                           coalesce(max(id), 0) + 1, false) FROM {table}"
                            ),
                            params![],
                        )?;
                    }
                }
                Ok(rows)
            })
        })?;
        let audit = super::audit::verify_chain(&target.db)?;
        if !audit.is_intact() {
            return Err(StoreError::BackupNotIntact {
                path: target.path.clone(),
                problems: audit.problems.len(),
            });
        }
        // The target's trail starts where the source's stands: noted as its head from here.
        let seq = audit.entries;
        if let Err(e) = super::witness::reset(&target.witness, seq, &audit.head) {
            tracing::warn!(error = %e, "the copy's audit head could not be noted");
        }
        target.noted = seq;
        Ok(Copied { rows, audit })
    }
}
