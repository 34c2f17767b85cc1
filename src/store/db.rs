//! One way for the store's modules to talk to either database: the embedded SQLite file or a
//! PostgreSQL server.
//!
//! The statements are written once, in the SQL both understand (`?1` parameters, `RETURNING`,
//! `ON CONFLICT`, `TRUE`/`FALSE`, `CAST`); for PostgreSQL the parameters become `$1`. Values go in
//! as [`Param`] and come out of a [`Row`] as [`Cell`], whatever the column's type is called on each
//! side (an SQLite integer is a PostgreSQL `BIGINT` or `BOOLEAN`).
//!
//! A write is one transaction ([`Db::transaction`]) in which writers take turns: SQLite's
//! `BEGIN IMMEDIATE`, and on the server a transaction-scoped advisory lock taken first, so that
//! the audit chain is appended in one order by every terminal and no two writers deadlock. Reads
//! outside a write see what was committed.

use std::cell::RefCell;
use std::collections::HashMap;

use super::{Result, StoreError};

/// A value given to a statement.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Bool(bool),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// What can be given to a statement as a parameter.
pub(crate) trait Param {
    fn value(&self) -> Value<'_>;
}

impl Param for i64 {
    fn value(&self) -> Value<'_> {
        Value::Int(*self)
    }
}
impl Param for bool {
    fn value(&self) -> Value<'_> {
        Value::Bool(*self)
    }
}
impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}
impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}
impl Param for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}
impl Param for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}
impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}
impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        match self {
            Some(v) => v.value(),
            None => Value::Null,
        }
    }
}
impl Param for Value<'_> {
    fn value(&self) -> Value<'_> {
        *self
    }
}

/// The parameters of a statement: `params![a, b, c]`.
macro_rules! params {
    () => { &[] as &[&dyn $crate::store::db::Param] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::db::Param),+] as &[&dyn $crate::store::db::Param] };
}
pub(crate) use params;

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(i),
            Value::Bool(b) => ValueRef::Integer(i64::from(b)),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl postgres::types::ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        use postgres::types::Type;
        let int = |i: i64, out: &mut bytes::BytesMut| match *ty {
            Type::INT8 => i.to_sql(ty, out),
            Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
            Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
            Type::BOOL => (i != 0).to_sql(ty, out),
            _ => Err(format!("an integer is not {ty}").into()),
        };
        match *self {
            Value::Null => Ok(postgres::types::IsNull::Yes),
            Value::Int(i) => int(i, out),
            Value::Bool(b) if *ty == Type::BOOL => b.to_sql(ty, out),
            Value::Bool(b) => int(i64::from(b), out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A cell as read, before it becomes the type asked for.
#[derive(Debug)]
pub(crate) enum Got {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    Blob(Vec<u8>),
}

impl Got {
    fn kind(&self) -> &'static str {
        match self {
            Got::Null => "null",
            Got::Int(_) => "integer",
            Got::Bool(_) => "boolean",
            Got::Text(_) => "text",
            Got::Blob(_) => "bytes",
        }
    }
}

impl Got {
    /// The value to write it again (into the other database).
    pub fn as_value(&self) -> Value<'_> {
        match self {
            Got::Null => Value::Null,
            Got::Int(i) => Value::Int(*i),
            Got::Bool(b) => Value::Bool(*b),
            Got::Text(t) => Value::Text(t),
            Got::Blob(b) => Value::Blob(b),
        }
    }
}

/// What a cell can be read as.
pub(crate) trait Cell: Sized {
    /// `None` when the cell is not of a kind this type is read from.
    fn from_got(got: Got) -> Option<Self>;
    const NAME: &'static str;
}

impl Cell for i64 {
    fn from_got(got: Got) -> Option<i64> {
        match got {
            Got::Int(i) => Some(i),
            Got::Bool(b) => Some(i64::from(b)),
            _ => None,
        }
    }
    const NAME: &'static str = "integer";
}
impl Cell for i32 {
    fn from_got(got: Got) -> Option<i32> {
        i64::from_got(got).and_then(|i| i32::try_from(i).ok())
    }
    const NAME: &'static str = "integer";
}
impl Cell for bool {
    fn from_got(got: Got) -> Option<bool> {
        match got {
            Got::Bool(b) => Some(b),
            Got::Int(i) => Some(i != 0),
            _ => None,
        }
    }
    const NAME: &'static str = "boolean";
}
impl Cell for String {
    fn from_got(got: Got) -> Option<String> {
        match got {
            Got::Text(s) => Some(s),
            _ => None,
        }
    }
    const NAME: &'static str = "text";
}
impl Cell for Vec<u8> {
    fn from_got(got: Got) -> Option<Vec<u8>> {
        match got {
            Got::Blob(b) => Some(b),
            Got::Text(s) => Some(s.into_bytes()),
            _ => None,
        }
    }
    const NAME: &'static str = "bytes";
}
impl<T: Cell> Cell for Option<T> {
    fn from_got(got: Got) -> Option<Option<T>> {
        match got {
            Got::Null => Some(None),
            got => T::from_got(got).map(Some),
        }
    }
    const NAME: &'static str = T::NAME;
}

/// A row of a result, from either database.
pub(crate) enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// The cell at `index` as a `T`.
    pub fn get<T: Cell>(&self, index: usize) -> Result<T> {
        let got = self.got(index)?;
        let kind = got.kind();
        T::from_got(got).ok_or(StoreError::Column {
            index,
            expected: T::NAME,
            found: kind,
        })
    }

    /// The first `n` cells as they are.
    pub fn cells(&self, n: usize) -> Result<Vec<Got>> {
        (0..n).map(|i| self.got(i)).collect()
    }

    fn got(&self, index: usize) -> Result<Got> {
        match self {
            Row::Lite(r) => {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(index)? {
                    ValueRef::Null => Got::Null,
                    ValueRef::Integer(i) => Got::Int(i),
                    ValueRef::Real(f) => Got::Text(f.to_string()),
                    ValueRef::Text(t) => Got::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Got::Blob(b.to_vec()),
                })
            }
            Row::Pg(r) => {
                use postgres::types::Type;
                let ty = r.columns().get(index).map(|c| c.type_().clone()).ok_or(
                    StoreError::Column {
                        index,
                        expected: "a column",
                        found: "none",
                    },
                )?;
                let e = |e: postgres::Error| server_error(&e);
                Ok(match ty {
                    Type::INT8 => r.try_get::<_, Option<i64>>(index).map_err(e)?.map(Got::Int),
                    Type::INT4 => r
                        .try_get::<_, Option<i32>>(index)
                        .map_err(e)?
                        .map(|i| Got::Int(i.into())),
                    Type::INT2 => r
                        .try_get::<_, Option<i16>>(index)
                        .map_err(e)?
                        .map(|i| Got::Int(i.into())),
                    Type::BOOL => r
                        .try_get::<_, Option<bool>>(index)
                        .map_err(e)?
                        .map(Got::Bool),
                    Type::BYTEA => r
                        .try_get::<_, Option<Vec<u8>>>(index)
                        .map_err(e)?
                        .map(Got::Blob),
                    _ => r
                        .try_get::<_, Option<String>>(index)
                        .map_err(e)?
                        .map(Got::Text),
                }
                .unwrap_or(Got::Null))
            }
        }
    }
}

/// A server error as the store says it: the server's message, never the statement's values.
pub(crate) fn server_error(e: &postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        // The server shutting down or restarting (class 57), or the connection broken (08).
        let code = db.code().code();
        if code.starts_with("57P") || code.starts_with("08") {
            return StoreError::ServerGone {
                detail: db.message().to_owned(),
            };
        }
        // The triggers' refusals read like SQLite's.
        return StoreError::ServerQuery {
            detail: db.message().to_owned(),
        };
    }
    // The connection closed, or its socket failed (the server went away mid-statement).
    let io = std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>());
    if e.is_closed() || io {
        return StoreError::ServerGone {
            detail: e.to_string(),
        };
    }
    StoreError::ServerQuery {
        detail: e.to_string(),
    }
}

/// `?N` as `$N`, outside quoted text and identifiers.
pub(crate) fn pg_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '?') => {
                out.push('$');
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// The statements a server connection has prepared, by their text (at most this many kept).
const PREPARED_KEPT: usize = 256;

/// A server connection and the statements it has prepared.
pub(crate) struct Pg {
    pub client: postgres::Client,
    stmts: HashMap<String, postgres::Statement>,
}

impl Pg {
    pub fn new(client: postgres::Client) -> Pg {
        Pg {
            client,
            stmts: HashMap::new(),
        }
    }
}

/// What runs statements on the server: a connection, or a transaction on it.
pub(crate) trait PgRun {
    fn prepare(&mut self, sql: &str) -> std::result::Result<postgres::Statement, postgres::Error>;
    fn query(
        &mut self,
        st: &postgres::Statement,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> std::result::Result<Vec<postgres::Row>, postgres::Error>;
    fn execute(
        &mut self,
        st: &postgres::Statement,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> std::result::Result<u64, postgres::Error>;
    fn each(
        &mut self,
        st: &postgres::Statement,
        params: Vec<Value<'_>>,
        f: &mut dyn FnMut(&postgres::Row) -> Result<()>,
    ) -> Result<()>;
}

macro_rules! pg_run {
    ($t:ty) => {
        impl PgRun for $t {
            fn prepare(
                &mut self,
                sql: &str,
            ) -> std::result::Result<postgres::Statement, postgres::Error> {
                <$t>::prepare(self, sql)
            }
            fn query(
                &mut self,
                st: &postgres::Statement,
                params: &[&(dyn postgres::types::ToSql + Sync)],
            ) -> std::result::Result<Vec<postgres::Row>, postgres::Error> {
                <$t>::query(self, st, params)
            }
            fn execute(
                &mut self,
                st: &postgres::Statement,
                params: &[&(dyn postgres::types::ToSql + Sync)],
            ) -> std::result::Result<u64, postgres::Error> {
                <$t>::execute(self, st, params)
            }
            fn each(
                &mut self,
                st: &postgres::Statement,
                params: Vec<Value<'_>>,
                f: &mut dyn FnMut(&postgres::Row) -> Result<()>,
            ) -> Result<()> {
                use postgres::fallible_iterator::FallibleIterator;
                let mut rows = <$t>::query_raw(self, st, params).map_err(|e| server_error(&e))?;
                while let Some(row) = rows.next().map_err(|e| server_error(&e))? {
                    f(&row)?;
                }
                Ok(())
            }
        }
    };
}
pg_run!(postgres::Client);

/// Begins a statement the server plans anew each time with the values given, instead of
/// keeping one plan for all values (a search whose best plan depends on how many match).
pub(crate) const PLAN_EACH_TIME: &str = "/* planned each time */ ";

fn prepared(
    run: &mut dyn PgRun,
    stmts: &mut HashMap<String, postgres::Statement>,
    sql: &str,
) -> Result<postgres::Statement> {
    if let Some(st) = stmts.get(sql) {
        return Ok(st.clone());
    }
    if sql.starts_with(PLAN_EACH_TIME) {
        return run.prepare(&pg_sql(sql)).map_err(|e| server_error(&e));
    }
    let st = run.prepare(&pg_sql(sql)).map_err(|e| server_error(&e))?;
    if stmts.len() >= PREPARED_KEPT {
        stmts.clear();
    }
    stmts.insert(sql.to_owned(), st.clone());
    Ok(st)
}

fn values<'a>(params: &'a [&'a dyn Param]) -> Vec<Value<'a>> {
    params.iter().map(|p| p.value()).collect()
}

fn pg_params<'a>(values: &'a [Value<'a>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
    values
        .iter()
        .map(|v| v as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

fn lite_params<'a>(values: &'a [Value<'a>]) -> Vec<&'a dyn rusqlite::ToSql> {
    values.iter().map(|v| v as &dyn rusqlite::ToSql).collect()
}

/// The connection (or transaction) a statement runs on.
pub(crate) enum Conn<'c> {
    Lite(&'c rusqlite::Connection),
    Pg(
        &'c mut dyn PgRun,
        &'c mut HashMap<String, postgres::Statement>,
    ),
}

/// Runs statements: the connection ([`Db`]) or a write transaction on it ([`Tx`]).
pub(crate) trait Sql {
    /// Runs `run` on the connection (or transaction) underneath.
    fn on<R>(&self, run: impl FnOnce(Conn<'_>) -> Result<R>) -> Result<R>;

    /// Calls `f` with each row in turn (not all kept in memory at once).
    fn each(
        &self,
        sql: &str,
        params: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let vals = values(params);
        self.on(|conn| match conn {
            Conn::Lite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let mut rows = st.query(lite_params(&vals).as_slice())?;
                while let Some(r) = rows.next()? {
                    f(&Row::Lite(r))?;
                }
                Ok(())
            }
            Conn::Pg(run, stmts) => {
                let st = prepared(run, stmts, sql)?;
                run.each(&st, vals.clone(), &mut |r| f(&Row::Pg(r)))
            }
        })
    }

    /// Every row, each read by `f`.
    fn query_all<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row read by `f`, if there is one.
    fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let vals = values(params);
        self.on(|conn| match conn {
            Conn::Lite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let mut rows = st.query(lite_params(&vals).as_slice())?;
                match rows.next()? {
                    Some(r) => Ok(Some(f(&Row::Lite(r))?)),
                    None => Ok(None),
                }
            }
            Conn::Pg(run, stmts) => {
                let st = prepared(run, stmts, sql)?;
                let rows = run
                    .query(&st, &pg_params(&vals))
                    .map_err(|e| server_error(&e))?;
                rows.first().map(|r| f(&Row::Pg(r))).transpose()
            }
        })
    }

    /// The first row read by `f`; no row is [`StoreError::NotFound`] of `what`.
    fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, f)?
            .ok_or(StoreError::NotFound("row"))
    }

    /// Runs a statement; returns how many rows it changed.
    fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize> {
        let vals = values(params);
        self.on(|conn| match conn {
            Conn::Lite(c) => Ok(c
                .prepare_cached(sql)?
                .execute(lite_params(&vals).as_slice())?),
            Conn::Pg(run, stmts) => {
                let st = prepared(run, stmts, sql)?;
                let n = run
                    .execute(&st, &pg_params(&vals))
                    .map_err(|e| server_error(&e))?;
                Ok(usize::try_from(n).unwrap_or(usize::MAX))
            }
        })
    }
}

/// The connection to the store's database.
pub(crate) enum Db {
    Lite(rusqlite::Connection),
    Pg(Box<RefCell<Pg>>),
}

/// The key of the advisory lock that writers on the server take in turn ("ikensho" in ASCII).
const WRITER_LOCK: i64 = 0x0069_6b65_6e73_686f;

/// How a transaction on the server begins.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Begin {
    /// A write: writers take turns from the start, and the trail's head is read once the turn
    /// is this one's (each statement sees what was committed before it began), for the audit
    /// entry to chain on — all three in one round trip. Committed at the end.
    Write,
    /// A consistent read-only view, rolled back at the end.
    Snapshot,
}

impl Begin {
    fn sql(self) -> String {
        match self {
            Begin::Write => format!(
                "BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK});
                 SELECT seq, hash FROM audit_head WHERE one = 1"
            ),
            Begin::Snapshot => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY".to_owned(),
        }
    }
}

/// Runs `f` in a transaction on the server begun as `begin` says, then `COMMIT`s a write or
/// rolls a snapshot back; on an error, always rolls back.
fn pg_transaction<T>(
    client: &mut postgres::Client,
    stmts: &mut HashMap<String, postgres::Statement>,
    begin: Begin,
    f: impl FnOnce(&Tx<'_>) -> Result<T>,
) -> Result<(T, Option<Head>)> {
    let answers = client
        .simple_query(&begin.sql())
        .map_err(|e| server_error(&e))?;
    let mut known = None;
    if begin == Begin::Write {
        // The head's row (seq, hash) is the last statement's answer; none when the trail is
        // empty.
        known = Some(None);
        for m in &answers {
            if let postgres::SimpleQueryMessage::Row(r) = m
                && r.len() == 2
                && let (Some(seq), Some(hash)) = (r.get(0), r.get(1))
                && let Ok(seq) = seq.parse::<i64>()
            {
                known = Some(Some((seq, hash.to_owned())));
            }
        }
    }
    let result = {
        let tx = Tx {
            inner: TxInner::Pg(RefCell::new(PgTx { tx: client, stmts })),
            head: RefCell::new(None),
            known: RefCell::new(known),
        };
        f(&tx).map(|out| (out, tx.head.into_inner()))
    };
    match result {
        Ok(out) => {
            let end = match begin {
                Begin::Write => "COMMIT",
                Begin::Snapshot => "ROLLBACK",
            };
            client.batch_execute(end).map_err(|e| server_error(&e))?;
            Ok(out)
        }
        Err(e) => {
            // A connection that went away has rolled back on its own.
            let _ = client.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

impl Db {
    /// Runs `f` in one write transaction: all of it is committed, or none. Returns what `f`
    /// returned and the audit head it left ([`Tx::noted_head`]), if it appended to the trail.
    pub fn transaction<T>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T>,
    ) -> Result<(T, Option<Head>)> {
        match self {
            Db::Lite(conn) => {
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let tx = Tx {
                    inner: TxInner::Lite(tx),
                    head: RefCell::new(None),
                    known: RefCell::new(None),
                };
                let out = f(&tx)?;
                let head = tx.head.into_inner();
                if let TxInner::Lite(tx) = tx.inner {
                    tx.commit()?;
                }
                Ok((out, head))
            }
            Db::Pg(pg) => {
                let Pg { client, stmts } = pg.get_mut();
                pg_transaction(client, stmts, Begin::Write, f)
            }
        }
    }

    /// Runs `f` on one consistent view of the store that nothing written meanwhile changes (a
    /// copy of a store others keep working in; the trail and its head checked against each
    /// other): SQLite's deferred read transaction, PostgreSQL's `REPEATABLE READ`. `f` only
    /// reads. On the server the connection is borrowed for the transaction (a row callback that
    /// asks the same connection again is refused as busy).
    pub fn snapshot<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        match self {
            Db::Lite(conn) => {
                let tx = conn.unchecked_transaction()?;
                let tx = Tx {
                    inner: TxInner::Lite(tx),
                    head: RefCell::new(None),
                    known: RefCell::new(None),
                };
                let out = f(&tx)?;
                if let TxInner::Lite(tx) = tx.inner {
                    tx.rollback()?;
                }
                Ok(out)
            }
            Db::Pg(pg) => {
                let mut pg = pg.try_borrow_mut().map_err(|_| busy())?;
                let Pg { client, stmts } = &mut *pg;
                pg_transaction(client, stmts, Begin::Snapshot, f).map(|(out, _)| out)
            }
        }
    }

    /// The SQLite connection, for what only a file has (backups, keys, pragmas).
    pub fn lite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Lite(c) => Some(c),
            Db::Pg(_) => None,
        }
    }
}

fn busy() -> StoreError {
    // A row callback that asks the same connection again: a bug here, never the user's.
    StoreError::ServerQuery {
        detail: "the connection is busy with another statement".to_owned(),
    }
}

impl Sql for Db {
    fn on<R>(&self, run: impl FnOnce(Conn<'_>) -> Result<R>) -> Result<R> {
        match self {
            Db::Lite(c) => run(Conn::Lite(c)),
            Db::Pg(p) => {
                let mut p = p.try_borrow_mut().map_err(|_| busy())?;
                let Pg { client, stmts } = &mut *p;
                run(Conn::Pg(client, stmts))
            }
        }
    }
}

/// A bare SQLite connection (a backup being checked before it is restored).
impl Sql for rusqlite::Connection {
    fn on<R>(&self, run: impl FnOnce(Conn<'_>) -> Result<R>) -> Result<R> {
        run(Conn::Lite(self))
    }
}

/// A server connection inside a transaction, and its prepared statements.
pub(crate) struct PgTx<'a> {
    tx: &'a mut postgres::Client,
    stmts: &'a mut HashMap<String, postgres::Statement>,
}

/// The audit trail's head: its last entry's number and hash.
pub(crate) type Head = (i64, String);

/// A transaction (see [`Db::transaction`]).
pub(crate) struct Tx<'a> {
    inner: TxInner<'a>,
    /// The head the trail was left at by what was appended in this transaction.
    head: RefCell<Option<Head>>,
    /// The trail's head as this transaction knows it (read as it began, then as appended), or
    /// `None` when it must be asked: `Some(None)` is a trail with no entry yet.
    known: RefCell<Option<Option<Head>>>,
}

enum TxInner<'a> {
    Lite(rusqlite::Transaction<'a>),
    Pg(RefCell<PgTx<'a>>),
}

impl Tx<'_> {
    /// Notes the head an append left (read back after the commit, without asking again).
    pub(crate) fn noted_head(&self, head: Head) {
        *self.known.borrow_mut() = Some(Some(head.clone()));
        *self.head.borrow_mut() = Some(head);
    }

    /// The trail's head, when this transaction knows it without asking.
    pub(crate) fn known_head(&self) -> Option<Option<Head>> {
        self.known.borrow().clone()
    }
}

impl Sql for Tx<'_> {
    fn on<R>(&self, run: impl FnOnce(Conn<'_>) -> Result<R>) -> Result<R> {
        match &self.inner {
            TxInner::Lite(t) => run(Conn::Lite(t)),
            TxInner::Pg(p) => {
                let mut p = p.try_borrow_mut().map_err(|_| busy())?;
                let PgTx { tx, stmts } = &mut *p;
                run(Conn::Pg(&mut **tx, stmts))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pg_sql;

    #[test]
    fn parameters_are_numbered_the_servers_way_outside_quotes() {
        assert_eq!(
            pg_sql("SELECT a FROM t WHERE b = ?1 AND c IN (?2, ?10) AND d = '?3' AND \"e?\" = ?4"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $10) AND d = '?3' AND \"e?\" = $4"
        );
    }
}
