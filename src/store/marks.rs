//! Item marks of a version: carried over from the last opinion (and confirmed or changed since),
//! and changed by a clerk (waiting for the physician's review).

use super::db::{Sql, params};

use super::audit::{self, Event};
use super::model::ItemMark;
use super::versions::{marks_of, pending, version_row};
use super::{Action, Result, Session, Store, StoreError};

impl Store {
    /// The marks of a version's items.
    pub fn marks(&self, session: &Session, version_id: i64) -> Result<Vec<ItemMark>> {
        self.check(session, Action::Open)?;
        marks_of(&self.db, version_id)
    }

    /// Marks carried-over items as confirmed unchanged (確認済).
    pub fn confirm_items(
        &mut self,
        session: &Session,
        version_id: i64,
        items: &[String],
    ) -> Result<()> {
        self.check(session, Action::Edit)?;
        let sql = "UPDATE item_marks SET origin = 'confirmed'
                   WHERE version_id = ?1 AND item = ?2 AND origin = 'carried'";
        self.update_marks(session, version_id, items, sql, "confirm")
    }

    /// A physician's review of items a clerk changed: clears their marks (all of them when
    /// `items` is empty).
    pub fn review_items(
        &mut self,
        session: &Session,
        version_id: i64,
        items: &[String],
    ) -> Result<()> {
        self.check(session, Action::Review)?;
        let all;
        let items = if items.is_empty() {
            all = pending(&self.db, version_id)?;
            &all
        } else {
            items
        };
        let sql = "UPDATE item_marks SET clerk_pending = FALSE WHERE version_id = ?1 AND item = ?2";
        self.update_marks(session, version_id, items, sql, "review")
    }

    /// Runs `sql` (parameters: version id, item id) for each item of a draft version, audited.
    fn update_marks(
        &mut self,
        session: &Session,
        version_id: i64,
        items: &[String],
        sql: &str,
        action: &str,
    ) -> Result<()> {
        self.write(|tx| {
            let row = version_row(tx, version_id)?;
            if row.frozen {
                return Err(StoreError::Frozen(version_id));
            }
            for item in items {
                tx.execute(sql, params![version_id, item])?;
            }
            audit::append(
                tx,
                &session.actor(),
                &Event::new(action)
                    .opinion(row.opinion_id)
                    .version(version_id)
                    .detail(&items.join(","))
                    .same(&row.body_hash),
            )
        })
    }
}
