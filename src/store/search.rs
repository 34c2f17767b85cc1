//! Finding opinions: by name, kana or 被保険者番号 (prefix match on the whole name or on the given
//! name), by state, and by date range.
//!
//! Each opinion has up to five search keys ([`super::keys`]) in one indexed table; a query is a
//! range scan on it.

use jiff::civil::Date;
use rusqlite::ToSql;

use super::keys::search_key;
use super::model::{INFO_COLUMNS, OpinionInfo, info_from_row};
use super::state::State;
use super::{Action, Result, Session, Store};

/// What to look for. Empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The beginning of a name, a given name, a kana reading or a 被保険者番号.
    pub text: String,
    /// Only these states (none: all).
    pub states: Vec<State>,
    /// 記入日 (or the day of creation while 記入日 is empty) from this day …
    pub from: Option<Date>,
    /// … to this day, inclusive.
    pub to: Option<Date>,
    /// At most this many results, most recently changed first (0: 200).
    pub limit: usize,
}

/// The smallest string greater than every string that starts with `prefix`.
fn prefix_end(prefix: &str) -> String {
    let mut s = prefix.to_owned();
    s.push(char::MAX);
    s
}

impl Store {
    /// Opinions matching `q`, most recently changed first. Not audited as an open: a list shows
    /// names and states, not the opinion.
    pub fn search(&self, session: &Session, q: &Query) -> Result<Vec<OpinionInfo>> {
        self.check(session, Action::Open)?;
        let mut sql = format!("SELECT {INFO_COLUMNS} FROM opinions o WHERE 1");
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        let key = search_key(&q.text);
        if !key.is_empty() {
            sql.push_str(
                " AND o.id IN (SELECT opinion_id FROM search_keys WHERE key >= ? AND key < ?)",
            );
            let end = prefix_end(&key);
            args.push(Box::new(key));
            args.push(Box::new(end));
        }
        if !q.states.is_empty() {
            let marks = vec!["?"; q.states.len()].join(",");
            sql.push_str(&format!(" AND o.state IN ({marks})"));
            for s in &q.states {
                args.push(Box::new(s.id()));
            }
        }
        if let Some(from) = q.from {
            sql.push_str(" AND o.day >= ?");
            args.push(Box::new(from.to_string()));
        }
        if let Some(to) = q.to {
            sql.push_str(" AND o.day <= ?");
            args.push(Box::new(to.to_string()));
        }
        sql.push_str(" ORDER BY o.updated_at DESC, o.id DESC LIMIT ?");
        let limit = if q.limit == 0 { 200 } else { q.limit };
        args.push(Box::new(i64::try_from(limit).unwrap_or(i64::MAX)));
        let mut st = self.conn.prepare_cached(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
        let rows = st.query_map(params.as_slice(), info_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
