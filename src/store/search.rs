//! Finding opinions: by name, kana or 被保険者番号 (prefix match on the whole name or on the given
//! name), by state, and by date range.
//!
//! Each opinion has up to five search keys ([`super::keys`]) in one indexed table; a query is a
//! range scan on it.

use super::db::{Conn, PLAN_EACH_TIME, Param, Sql, params};
use jiff::civil::Date;

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

/// How many opinions sharing a search key make it "many" (see [`Store::search`]).
const MANY_MATCHES: i64 = 1000;

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
        let mut sql = format!("SELECT {INFO_COLUMNS} FROM opinions o WHERE TRUE");
        let mut args: Vec<Box<dyn Param>> = Vec::new();
        // The next parameter's mark: `?N`, numbered (the server's statements number them).
        let mark = |args: &mut Vec<Box<dyn Param>>, value: Box<dyn Param>| {
            args.push(value);
            format!("?{}", args.len())
        };
        let key = search_key(&q.text);
        let on_server = self.db.on(|c| Ok(matches!(c, Conn::Pg(..))))?;
        if !key.is_empty() {
            let end = prefix_end(&key);
            // On the server, a key that many opinions share (a common family name) is best
            // answered by going down the list in its order and keeping those that match; a
            // rare one by looking its few opinions up. Which, the count of matches says.
            let many = on_server
                && self.db.query_row(
                    "SELECT count(*) > ?3 FROM (SELECT 1 FROM search_keys
                         WHERE key >= ?1 AND key < ?2 LIMIT ?4) m",
                    params![key, end, MANY_MATCHES, MANY_MATCHES + 1],
                    |r| r.get::<bool>(0),
                )?;
            let (from, to) = (
                mark(&mut args, Box::new(key)),
                mark(&mut args, Box::new(end)),
            );
            let matches = format!(
                "o.id IN (SELECT opinion_id FROM search_keys WHERE key >= {from} AND key < {to})"
            );
            if many {
                // Not pulled up into a join: a hashed filter on the list's order.
                sql.push_str(&format!(" AND ({matches}) IS TRUE"));
            } else {
                sql.push_str(&format!(" AND {matches}"));
            }
        }
        if !q.states.is_empty() {
            let marks: Vec<String> = q
                .states
                .iter()
                .map(|s| mark(&mut args, Box::new(s.id())))
                .collect();
            sql.push_str(&format!(" AND o.state IN ({})", marks.join(",")));
        }
        if let Some(from) = q.from {
            let m = mark(&mut args, Box::new(from.to_string()));
            sql.push_str(&format!(" AND o.day >= {m}"));
        }
        if let Some(to) = q.to {
            let m = mark(&mut args, Box::new(to.to_string()));
            sql.push_str(&format!(" AND o.day <= {m}"));
        }
        let limit = if q.limit == 0 { 200 } else { q.limit };
        let m = mark(
            &mut args,
            Box::new(i64::try_from(limit).unwrap_or(i64::MAX)),
        );
        sql.push_str(&format!(" ORDER BY o.updated_at DESC, o.id DESC LIMIT {m}"));
        let params: Vec<&dyn Param> = args.iter().map(|b| b.as_ref()).collect();
        if on_server {
            // Planned with the values given: one plan kept for all would suit only some.
            sql.insert_str(0, PLAN_EACH_TIME);
        }
        self.db.query_all(&sql, &params, info_from_row)
    }
}
