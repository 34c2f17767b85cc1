//! Where the store is — the embedded file, or a PostgreSQL server that several terminals of one
//! clinic share — and a connection to the server that verifies it.
//!
//! A server location is a URL: `postgresql://ikensho@clinic-server:5432/ikensho?sslrootcert=CA.pem`.
//! The connection is TLS 1.3 only; the server's certificate must chain to the clinic's CA
//! (`sslrootcert`) and name the host (what libpq calls `verify-full`); a URL that asks for less
//! (`sslmode=disable`, `require`, `verify-ca`…) or carries a password is refused. The database
//! password is the terminal's, kept in the OS credential store, and is given to [`connect`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::{Result, StoreError};

/// Where the store is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The embedded SQLite file (the default, one PC).
    File(PathBuf),
    /// A PostgreSQL server.
    Server(ServerLocation),
}

/// A PostgreSQL server and database, and the CA its certificate must chain to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerLocation {
    pub host: String,
    pub port: u16,
    pub dbname: String,
    pub user: String,
    /// The clinic's CA (PEM), which signed the server's certificate.
    pub ca: PathBuf,
}

fn bad(reason: &'static str) -> StoreError {
    StoreError::BadLocation { reason }
}

fn decode(s: &str) -> Result<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| bad("encoding"))
}

impl Location {
    /// Reads `--store` / `IKENSHO_STORE`: a `postgresql://` (or `postgres://`) URL, or a file
    /// (a path, or `file:PATH`).
    pub fn parse(text: &str) -> Result<Location> {
        let text = text.trim();
        let rest = match text
            .strip_prefix("postgresql://")
            .or_else(|| text.strip_prefix("postgres://"))
        {
            Some(rest) => rest,
            None => {
                let path = text.strip_prefix("file:").unwrap_or(text);
                if path.is_empty() {
                    return Err(bad("empty"));
                }
                return Ok(Location::File(PathBuf::from(path)));
            }
        };
        let (authority_path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, dbname) = authority_path.split_once('/').ok_or(bad("database"))?;
        let (user, hostport) = authority.rsplit_once('@').ok_or(bad("user"))?;
        if user.contains(':') {
            // A password in the URL would sit in a settings file or a shell's history in clear.
            return Err(bad("password"));
        }
        // `host`, `host:port`, `[v6]` or `[v6]:port`.
        let (host, port) = match hostport.strip_prefix('[') {
            Some(v6) => {
                let (h, after) = v6.split_once(']').ok_or(bad("host"))?;
                match after.strip_prefix(':') {
                    Some(p) => (h, p.parse::<u16>().map_err(|_| bad("port"))?),
                    None if after.is_empty() => (h, 5432),
                    None => return Err(bad("host")),
                }
            }
            None => match hostport.split_once(':') {
                Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad("port"))?),
                None => (hostport, 5432),
            },
        };
        let mut ca = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                // libpq's verify-full: the only mode there is here.
                "sslmode" if v.split_once('-') == Some(("verify", "full")) => {}
                "sslmode" => return Err(bad("sslmode")),
                "sslrootcert" => ca = Some(PathBuf::from(decode(v)?)),
                "password" => return Err(bad("password")),
                _ => return Err(bad("parameter")),
            }
        }
        let (user, dbname) = (decode(user)?, decode(dbname)?);
        if host.is_empty() || user.is_empty() || dbname.is_empty() {
            return Err(bad("parts"));
        }
        Ok(Location::Server(ServerLocation {
            host: host.to_owned(),
            port,
            dbname,
            user,
            ca: ca.ok_or(bad("sslrootcert"))?,
        }))
    }
}

/// The TLS settings: TLS 1.3, the clinic's CA as the only trust anchor, the host name checked.
fn tls(ca: &Path) -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let io = |e: std::io::Error| StoreError::io(ca, &e);
    let pem = std::fs::read(ca).map_err(io)?;
    let certs = crate::sign::cms::pem_certificates(&pem).ok_or(StoreError::ServerTls {
        detail: format!("{}: no certificate", ca.display()),
    })?;
    let mut roots = rustls::RootCertStore::empty();
    for c in &certs {
        let der = der::Encode::to_der(c).map_err(|e| StoreError::ServerTls {
            detail: e.to_string(),
        })?;
        roots
            .add(rustls::pki_types::CertificateDer::from(der))
            .map_err(|e| StoreError::ServerTls {
                detail: e.to_string(),
            })?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| StoreError::ServerTls {
            detail: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Why a connection failed, from the client's error: the server's certificate, the password, or
/// no server at all.
fn classify(e: &postgres::Error, loc: &ServerLocation) -> StoreError {
    if e.code() == Some(&postgres::error::SqlState::INVALID_PASSWORD)
        || e.code() == Some(&postgres::error::SqlState::INVALID_AUTHORIZATION_SPECIFICATION)
    {
        return StoreError::ServerSignIn {
            user: loc.user.clone(),
        };
    }
    // Walk the causes: a TLS error names the certificate problem.
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(t) = s.downcast_ref::<rustls::Error>() {
            return StoreError::ServerTls {
                detail: t.to_string(),
            };
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && let Some(t) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>())
        {
            return StoreError::ServerTls {
                detail: t.to_string(),
            };
        }
        source = s.source();
    }
    StoreError::ServerUnreachable {
        server: format!("{}:{}", loc.host, loc.port),
        detail: e.to_string(),
    }
}

/// A connection to the server at `loc`, verified, signed in with the terminal's `password`.
pub fn connect(loc: &ServerLocation, password: &str) -> Result<postgres::Client> {
    let tls = tls(&loc.ca)?;
    let mut cfg = postgres::Config::new();
    cfg.host(&loc.host)
        .port(loc.port)
        .dbname(&loc.dbname)
        .user(&loc.user)
        .password(password)
        .ssl_mode(postgres::config::SslMode::Require)
        // A server that went away is noticed within seconds, not at the kernel's TCP timeout
        // (minutes): the window says so and keeps the edits on the terminal meanwhile.
        .connect_timeout(Duration::from_secs(5))
        .tcp_user_timeout(Duration::from_secs(5))
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(5))
        .keepalives_interval(Duration::from_secs(2))
        .keepalives_retries(3)
        .application_name("ikensho");
    cfg.connect(tls).map_err(|e| classify(&e, loc))
}

/// The credential-store service under which each terminal keeps its database password, one
/// entry per server location.
const PASSWORD_SERVICE: &str = "ikensho-store-server";

fn password_entry(loc: &ServerLocation) -> Result<keyring::Entry> {
    keyring::Entry::new(PASSWORD_SERVICE, &loc.display()).map_err(|e| StoreError::CredentialStore {
        detail: e.to_string(),
    })
}

/// The file in a terminal's data folder that names the clinic server its store is on (the
/// address only, never a password), so that the window started from the desktop finds it.
pub const LOCATION_FILE: &str = "store-location.txt";

/// The server this terminal's data folder was pointed at, if any.
pub fn kept_location(data_dir: &Path) -> Option<Result<Location>> {
    let text = std::fs::read_to_string(data_dir.join(LOCATION_FILE)).ok()?;
    let line = text.lines().next().unwrap_or("").trim().to_owned();
    (!line.is_empty()).then(|| Location::parse(&line))
}

/// Points this terminal's data folder at the server `loc`.
pub fn keep_location(data_dir: &Path, loc: &ServerLocation) -> Result<()> {
    let path = data_dir.join(LOCATION_FILE);
    let io = |e: std::io::Error| StoreError::io(&path, &e);
    crate::files::private_dir(data_dir).map_err(io)?;
    let part = crate::files::with_suffix(&path, ".part");
    crate::files::write_private(&part, format!("{}\n", loc.url()).as_bytes()).map_err(io)?;
    std::fs::rename(&part, &path).map_err(io)
}

/// The terminal's database password for `loc` kept in the OS credential store, if there is one.
/// (On Linux without a desktop keyring the kernel's keyring keeps it until the next start of the
/// computer; then it is asked for again. Nothing is lost by that: it is only the password.)
pub fn kept_password(loc: &ServerLocation) -> Result<Option<zeroize::Zeroizing<String>>> {
    match password_entry(loc)?.get_password() {
        Ok(p) => Ok(Some(zeroize::Zeroizing::new(p))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(StoreError::CredentialStore {
            detail: e.to_string(),
        }),
    }
}

/// Keeps the terminal's database password for `loc` in the OS credential store, after checking
/// that the server takes it.
pub fn keep_password(loc: &ServerLocation, password: &str) -> Result<()> {
    drop(connect(loc, password)?);
    password_entry(loc)?
        .set_password(password)
        .map_err(|e| StoreError::CredentialStore {
            detail: e.to_string(),
        })
}

/// Forgets the password kept for `loc` (nothing kept is not an error).
pub fn forget_password(loc: &ServerLocation) -> Result<()> {
    match password_entry(loc)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(StoreError::CredentialStore {
            detail: e.to_string(),
        }),
    }
}

/// The channel on which the server tells every terminal what changed (schema V6).
const CHANGES: &str = "ikensho_changes";

/// A row another terminal (or this one) changed: its table and id, nothing of its content.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    pub table: String,
    pub id: i64,
}

/// Listens to what the terminals change on the server, on a connection of its own.
pub struct Listener {
    client: postgres::Client,
}

impl Listener {
    /// Listens on the store at `loc`.
    pub fn new(loc: &ServerLocation, password: &str) -> Result<Listener> {
        let mut client = connect(loc, password)?;
        client
            .batch_execute(&format!("LISTEN {CHANGES}"))
            .map_err(|e| server_error(&e))?;
        Ok(Listener { client })
    }

    /// Waits up to `timeout` for changes; returns those that came (none when the time ran out).
    /// A lost connection is [`StoreError::ServerGone`].
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<Change>> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut out = Vec::new();
        let first = self
            .client
            .notifications()
            .timeout_iter(timeout)
            .next()
            .map_err(|e| super::db::server_error(&e))?;
        let Some(first) = first else {
            if self.client.is_closed() {
                return Err(StoreError::ServerGone {
                    detail: "the listening connection closed".to_owned(),
                });
            }
            return Ok(out);
        };
        let rest: Vec<_> = self
            .client
            .notifications()
            .iter()
            .collect()
            .map_err(|e| super::db::server_error(&e))?;
        for n in std::iter::once(first).chain(rest) {
            if let Some((table, id)) = n.payload().split_once(':')
                && let Ok(id) = id.parse()
            {
                out.push(Change {
                    table: table.to_owned(),
                    id,
                });
            }
        }
        Ok(out)
    }
}

/// What a database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Nothing in its `public` schema.
    Nothing,
    /// An ikensho store at this schema version.
    Store(i64),
    /// Something else.
    Other,
}

/// The server address `url` with `ca` as its CA certificate (`sslrootcert`, encoded; one named
/// in `url` already is replaced): what the first start makes of the address and the file chosen
/// beside it, so that nobody types a path inside a URL.
pub fn with_ca(url: &str, ca: &Path) -> String {
    let url = url.trim();
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let ca = ca.to_string_lossy();
    let ca = percent_encoding::utf8_percent_encode(&ca, percent_encoding::NON_ALPHANUMERIC);
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some("sslrootcert"))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("sslrootcert={ca}"));
    format!("{base}?{}", pairs.join("&"))
}

impl ServerLocation {
    /// The location as `--store` takes it back (`Location::parse`), with its CA.
    pub fn url(&self) -> String {
        with_ca(&self.display(), &self.ca)
    }

    /// The location as shown to people (no password is ever part of it).
    pub fn display(&self) -> String {
        format!(
            "postgresql://{}@{}:{}/{}",
            self.user, self.host, self.port, self.dbname
        )
    }
}

/// What the database `client` is connected to holds.
pub fn holds(client: &mut postgres::Client) -> Result<Holds> {
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')",
            &[],
        )
        .map_err(|e| server_error(&e))?
        .get(0);
    if tables == 0 {
        return Ok(Holds::Nothing);
    }
    let ours = client
        .query_opt(
            "SELECT version FROM ikensho_schema WHERE application = 'ikensho'",
            &[],
        )
        .ok()
        .flatten();
    Ok(match ours {
        Some(row) => Holds::Store(row.get(0)),
        None => Holds::Other,
    })
}

fn server_error(e: &postgres::Error) -> StoreError {
    StoreError::ServerQuery {
        detail: e
            .as_db_error()
            .map_or_else(|| e.to_string(), |d| d.message().to_owned()),
    }
}

/// Applies the migrations the store at `client` lacks, each in its own transaction with its
/// version; returns the version. A store from a newer ikensho is refused.
pub fn migrate(client: &mut postgres::Client, loc: &ServerLocation) -> Result<i64> {
    let latest = super::schema::latest();
    let Holds::Store(mut version) = holds(client)? else {
        return Err(StoreError::ServerNotStore {
            database: loc.display(),
        });
    };
    if version > latest {
        return Err(StoreError::TooNew {
            path: PathBuf::from(loc.display()),
            found: version,
            known: latest,
        });
    }
    for (n, sql) in super::schema_pg::MIGRATIONS.iter().enumerate() {
        let n = i64::try_from(n).unwrap_or(i64::MAX) + 1;
        if n <= version {
            continue;
        }
        let mut tx = client.transaction().map_err(|e| server_error(&e))?;
        tx.batch_execute(sql).map_err(|e| {
            if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
                // A terminal's role may not change the schema: the owner brings it up to date.
                StoreError::ServerBehind {
                    database: loc.display(),
                    found: version,
                    known: latest,
                }
            } else {
                server_error(&e)
            }
        })?;
        tx.execute(
            "UPDATE ikensho_schema SET version = $1 WHERE application = 'ikensho'",
            &[&n],
        )
        .map_err(|e| server_error(&e))?;
        tx.commit().map_err(|e| server_error(&e))?;
        version = n;
    }
    Ok(version)
}

/// Whether `name` is a plain PostgreSQL role name (written into `GRANT`, which takes no
/// parameters): lower-case ASCII letters, digits and `_`, not starting with a digit.
fn plain_role(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit()
}

/// Makes the store's schema in the empty database at `loc` (`ikensho store init`), as the
/// role in `loc`, who owns the tables; the terminals connect as `terminals`, who may only read
/// and write rows: not turn a trigger off, truncate a table, change the schema or the audit
/// trail. A database that holds anything — an ikensho store or not — is refused and left as it
/// is.
pub fn init(loc: &ServerLocation, password: &str, terminals: &str) -> Result<i64> {
    if !plain_role(terminals) {
        return Err(StoreError::ServerNoRole {
            role: terminals.to_owned(),
        });
    }
    let mut client = connect(loc, password)?;
    match holds(&mut client)? {
        Holds::Nothing => {}
        Holds::Store(version) => {
            return Err(StoreError::ServerHasStore {
                database: loc.display(),
                version,
            });
        }
        Holds::Other => {
            return Err(StoreError::ServerNotStore {
                database: loc.display(),
            });
        }
    }
    let known: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
            &[&terminals],
        )
        .map_err(|e| server_error(&e))?
        .get(0);
    if !known {
        return Err(StoreError::ServerNoRole {
            role: terminals.to_owned(),
        });
    }
    // The terminals' rights on every table and sequence the owner makes from here on (the
    // migrations of later versions too), then the schema itself.
    client
        .batch_execute(&format!(
            "CREATE TABLE ikensho_schema (
                 application TEXT PRIMARY KEY,
                 version     BIGINT NOT NULL
             );
             INSERT INTO ikensho_schema (application, version) VALUES ('ikensho', 0);
             REVOKE ALL ON ikensho_schema FROM PUBLIC;
             GRANT SELECT ON ikensho_schema TO {terminals};
             ALTER DEFAULT PRIVILEGES IN SCHEMA public
                 GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {terminals};
             ALTER DEFAULT PRIVILEGES IN SCHEMA public
                 GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {terminals};"
        ))
        .map_err(|e| server_error(&e))?;
    let version = migrate(&mut client, loc)?;
    // The trail is only ever appended to, by anyone.
    client
        .batch_execute(&format!("REVOKE UPDATE, DELETE ON audit FROM {terminals}"))
        .map_err(|e| server_error(&e))?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_ca_chosen_beside_the_address_goes_into_it() {
        let ca = Path::new("/home/clinic/院内 CA&1.pem");
        for typed in [
            "postgresql://term@192.168.1.10:5432/ikensho",
            "postgresql://term@192.168.1.10:5432/ikensho?sslrootcert=/old.pem",
            " postgresql://term@192.168.1.10:5432/ikensho?sslmode=verify-full ",
        ] {
            let url = with_ca(typed, ca);
            let Location::Server(loc) = Location::parse(&url).unwrap() else {
                panic!("{url}")
            };
            assert_eq!(loc.ca, ca, "{url}");
            assert_eq!(loc.host, "192.168.1.10");
            assert_eq!(loc.dbname, "ikensho");
        }
    }

    #[test]
    fn a_terminal_remembers_which_server_its_store_is_on() {
        let dir = tempfile::tempdir().unwrap();
        assert!(kept_location(dir.path()).is_none());
        let loc = ServerLocation {
            host: "192.168.1.10".into(),
            port: 5432,
            dbname: "ikensho".into(),
            user: "ikensho_terminal".into(),
            ca: "/etc/ikensho/clinic ca.pem".into(),
        };
        keep_location(dir.path(), &loc).unwrap();
        let text = std::fs::read_to_string(dir.path().join(LOCATION_FILE)).unwrap();
        assert!(!text.contains("password"));
        assert_eq!(
            kept_location(dir.path()).unwrap().unwrap(),
            Location::Server(loc)
        );
    }

    #[test]
    fn urls_are_read_and_anything_less_than_verify_full_is_refused() {
        let loc = Location::parse(
            "postgresql://ikensho@clinic-server:5433/ikensho?sslmode=verify-full&sslrootcert=/etc/ikensho/ca.pem",
        )
        .unwrap();
        assert_eq!(
            loc,
            Location::Server(ServerLocation {
                host: "clinic-server".into(),
                port: 5433,
                dbname: "ikensho".into(),
                user: "ikensho".into(),
                ca: "/etc/ikensho/ca.pem".into(),
            })
        );
        // What `url` writes, `parse` reads back (a CA path with spaces and slashes too).
        let there = ServerLocation {
            ca: "/etc/ikensho/clinic ca.pem".into(),
            ..match &loc {
                Location::Server(s) => s.clone(),
                Location::File(_) => unreachable!(),
            }
        };
        assert_eq!(
            Location::parse(&there.url()).unwrap(),
            Location::Server(there)
        );
        assert!(matches!(
            Location::parse("postgres://u@h/db?sslrootcert=ca.pem"),
            Ok(Location::Server(ServerLocation { port: 5432, .. }))
        ));
        assert_eq!(
            Location::parse("/var/lib/ikensho/ikensho.sqlite").unwrap(),
            Location::File("/var/lib/ikensho/ikensho.sqlite".into())
        );
        assert_eq!(
            Location::parse("file:ikensho.sqlite").unwrap(),
            Location::File("ikensho.sqlite".into())
        );
        for (url, reason) in [
            (
                "postgresql://u@h/db?sslmode=require&sslrootcert=ca.pem",
                "sslmode",
            ),
            (
                "postgresql://u@h/db?sslmode=disable&sslrootcert=ca.pem",
                "sslmode",
            ),
            (
                "postgresql://u@h/db?sslmode=verify-ca&sslrootcert=ca.pem",
                "sslmode",
            ),
            ("postgresql://u:secret@h/db?sslrootcert=ca.pem", "password"),
            (
                "postgresql://u@h/db?password=x&sslrootcert=ca.pem",
                "password",
            ),
            ("postgresql://u@h/db", "sslrootcert"),
            ("postgresql://u@h:port/db?sslrootcert=ca.pem", "port"),
            ("postgresql://h/db?sslrootcert=ca.pem", "user"),
            ("postgresql://u@h?sslrootcert=ca.pem", "database"),
            ("", "empty"),
        ] {
            match Location::parse(url) {
                Err(StoreError::BadLocation { reason: r }) => assert_eq!(r, reason, "{url}"),
                other => panic!("{url}: {other:?}"),
            }
        }
    }
}
