//! The database schema, as numbered migrations (`PRAGMA user_version` counts them).
//! A migration, once released, never changes: a new one is appended instead.

use rusqlite_migration::{M, Migrations};

/// SQLite `application_id` of an ikensho database ("IKNS").
pub const APPLICATION_ID: i32 = 0x494B_4E53;

const V1: &str = r#"
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    roles         TEXT NOT NULL,            -- comma-separated: physician, clerk, admin
    password_hash TEXT NOT NULL,            -- argon2id PHC string
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE opinions (
    id             INTEGER PRIMARY KEY,
    state          TEXT NOT NULL CHECK (state IN ('received', 'clerk-entry',
                       'awaiting-physician', 'finalised', 'queued', 'sent', 'accepted',
                       'returned', 'paper')),
    insurer_number TEXT NOT NULL DEFAULT '',  -- normalised (NFKC, digits only)
    insured_number TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL DEFAULT '',  -- as typed, for lists
    kana           TEXT NOT NULL DEFAULT '',
    request_id     TEXT,                      -- hub 依頼番号
    day            TEXT NOT NULL,             -- 記入日, or created_day while 記入日 is empty
    created_day    TEXT NOT NULL,             -- the day the opinion was created (JST)
    due_date       TEXT,
    physician_id   INTEGER REFERENCES users(id),
    version_id     INTEGER,                   -- the current (latest) version
    version_number INTEGER NOT NULL DEFAULT 1,
    renewal_of     INTEGER,                   -- the version this one was copied forward from
    note           TEXT,                      -- the hub's reason for 差し戻し
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX opinions_request ON opinions(request_id) WHERE request_id IS NOT NULL;
CREATE INDEX opinions_applicant ON opinions(insurer_number, insured_number);
CREATE INDEX opinions_state_updated ON opinions(state, updated_at);
CREATE INDEX opinions_day ON opinions(day);
CREATE INDEX opinions_updated ON opinions(updated_at);

-- Prefix-searchable keys of an opinion: full name, given name, kana, given kana, 被保険者番号.
CREATE TABLE search_keys (
    key        TEXT NOT NULL,
    opinion_id INTEGER NOT NULL REFERENCES opinions(id),
    PRIMARY KEY (key, opinion_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX search_keys_opinion ON search_keys(opinion_id);

CREATE TABLE versions (
    id         INTEGER PRIMARY KEY,
    opinion_id INTEGER NOT NULL REFERENCES opinions(id),
    number     INTEGER NOT NULL,
    body       TEXT NOT NULL,                 -- the Opinion, compact JSON
    body_hash  TEXT NOT NULL,                 -- SHA-256 of body, hex
    revision   INTEGER NOT NULL,              -- counts saves of this version
    saved_at   TEXT NOT NULL,
    saved_by   INTEGER REFERENCES users(id),
    frozen     TEXT CHECK (frozen IN ('finalised', 'signed', 'sent', 'printed')),
    frozen_at  TEXT,
    UNIQUE (opinion_id, number)
) STRICT;

-- A frozen version never changes and is never deleted, whoever asks.
CREATE TRIGGER versions_frozen_update BEFORE UPDATE ON versions WHEN OLD.frozen IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'ikensho: frozen version'); END;
CREATE TRIGGER versions_frozen_delete BEFORE DELETE ON versions WHEN OLD.frozen IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'ikensho: frozen version'); END;

-- Per item of a version: where its value came from (copy-forward) and whether a clerk changed it
-- since a physician last reviewed it.
CREATE TABLE item_marks (
    version_id    INTEGER NOT NULL REFERENCES versions(id),
    item          TEXT NOT NULL,
    origin        TEXT CHECK (origin IN ('carried', 'changed', 'confirmed')),
    clerk_pending INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (version_id, item)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER item_marks_frozen_insert BEFORE INSERT ON item_marks
WHEN (SELECT frozen FROM versions WHERE id = NEW.version_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'ikensho: frozen version'); END;
CREATE TRIGGER item_marks_frozen_update BEFORE UPDATE ON item_marks
WHEN (SELECT frozen FROM versions WHERE id = OLD.version_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'ikensho: frozen version'); END;

CREATE TABLE signatures (
    id            INTEGER PRIMARY KEY,
    version_id    INTEGER NOT NULL REFERENCES versions(id),
    document      BLOB NOT NULL,              -- the exact bytes that were signed
    document_hash TEXT NOT NULL,
    cms           BLOB NOT NULL,              -- detached CMS SignedData, DER
    signed_by     INTEGER NOT NULL REFERENCES users(id),
    signed_at     TEXT NOT NULL
) STRICT;

-- The audit trail: append-only, each entry hashed over its content and the previous hash.
CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER,
    login       TEXT NOT NULL,
    action      TEXT NOT NULL,
    opinion_id  INTEGER,
    version_id  INTEGER,
    detail      TEXT NOT NULL,
    before_hash TEXT,
    after_hash  TEXT,
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'ikensho: the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'ikensho: the audit trail is append-only'); END;
CREATE TABLE audit_head (
    one  INTEGER PRIMARY KEY CHECK (one = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
"#;

/// The outbox: one row per version queued for the hub, with its exact bytes (never changed once
/// queued), its idempotency key, and the state of its delivery.
const V2: &str = r#"
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    opinion_id      INTEGER NOT NULL REFERENCES opinions (id),
    version_id      INTEGER NOT NULL UNIQUE REFERENCES versions (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    request_id      TEXT,
    document        BLOB NOT NULL,
    signature       BLOB,
    state           TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (state IN ('waiting', 'sending', 'received', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    receipt_id      TEXT,
    received_at     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE TRIGGER outbox_bytes_fixed
BEFORE UPDATE OF opinion_id, version_id, idempotency_key, request_id, document, signature ON outbox
BEGIN SELECT RAISE(ABORT, 'ikensho: queued bytes never change'); END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
BEGIN SELECT RAISE(ABORT, 'ikensho: outbox rows are kept'); END;
"#;

/// The 申請区分 of each opinion's request, for the list (filled from the current versions).
const V3: &str = r#"
ALTER TABLE opinions ADD COLUMN application_kind TEXT;
UPDATE opinions SET application_kind = (
    SELECT nullif(json_extract(v.body, '$.request.application_kind'), '')
    FROM versions v WHERE v.id = opinions.version_id
);
"#;

/// Wrong passwords in a row per login (a salted hash of the login as typed, so that an unknown
/// login is throttled the same way and a password typed into the login field is not kept).
const V4: &str = r#"
CREATE TABLE sign_in_failures (
    login_key    TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_at      TEXT NOT NULL,
    locked_until TEXT
) STRICT;
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
INSERT INTO secrets (name, value) VALUES ('sign-in-salt', randomblob(16));
"#;

/// The HPKI certificate a physician signs with, bound to the account at the first signature (or
/// by an administrator): its SHA-256 and subject name.
const V5: &str = r#"
ALTER TABLE users ADD COLUMN hpki_cert_sha256 TEXT;
ALTER TABLE users ADD COLUMN hpki_subject TEXT;
"#;

/// The triggers that keep frozen versions, the audit trail and queued documents unchanged, as
/// the migrations made them: made again at every open and after a restore, so that a trigger
/// dropped with the sqlite3 shell (or missing from a backup) is back before anything is written.
pub(crate) const TRIGGERS: &str = r#"
CREATE TRIGGER IF NOT EXISTS versions_frozen_update BEFORE UPDATE ON versions
WHEN OLD.frozen IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'ikensho: frozen version'); END;
CREATE TRIGGER IF NOT EXISTS versions_frozen_delete BEFORE DELETE ON versions
WHEN OLD.frozen IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'ikensho: frozen version'); END;
CREATE TRIGGER IF NOT EXISTS item_marks_frozen_insert BEFORE INSERT ON item_marks
WHEN (SELECT frozen FROM versions WHERE id = NEW.version_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'ikensho: frozen version'); END;
CREATE TRIGGER IF NOT EXISTS item_marks_frozen_update BEFORE UPDATE ON item_marks
WHEN (SELECT frozen FROM versions WHERE id = OLD.version_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'ikensho: frozen version'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'ikensho: the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'ikensho: the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS outbox_bytes_fixed
BEFORE UPDATE OF opinion_id, version_id, idempotency_key, request_id, document, signature ON outbox
BEGIN SELECT RAISE(ABORT, 'ikensho: queued bytes never change'); END;
CREATE TRIGGER IF NOT EXISTS outbox_no_delete BEFORE DELETE ON outbox
BEGIN SELECT RAISE(ABORT, 'ikensho: outbox rows are kept'); END;
"#;

const LIST: &[M<'static>] = &[
    M::up(V1).comment("users, opinions, versions, marks, audit"),
    M::up(V2).comment("outbox"),
    M::up(V3).comment("application kind in the list"),
    M::up(V4).comment("sign-in throttling"),
    M::up(V5).comment("the physician's HPKI certificate"),
    M::up(V6).comment("changes told to other terminals (the server's; nothing in a file)"),
    M::up(V7).comment("who has an opinion open, and until when"),
    M::up(V8).comment("opinions taken in from another program"),
];

/// On a server, changes are told to the other terminals (see `schema_pg`); a file has one
/// terminal, and nothing to tell. The version is kept in step with the server's.
const V6: &str = "SELECT 1;";

/// Who has an opinion open where (a soft lock): one row per window that has it open, kept
/// alive while that window answers and gone when it stops (`until_ms`, the store's clock).
const V7: &str = r#"
CREATE TABLE editing (
    opinion_id INTEGER NOT NULL REFERENCES opinions (id),
    token      TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    terminal   TEXT NOT NULL,
    until_ms   INTEGER NOT NULL,
    PRIMARY KEY (opinion_id, token)
);
CREATE INDEX editing_until ON editing (until_ms);
"#;

/// Opinions taken in from another program (日医's 医見書, its CSV): one row per record taken,
/// by the SHA-256 of what the record says, so that a file imported again adds nothing twice;
/// the file's name and the record's row, for the trail.
const V8: &str = r#"
CREATE TABLE imported (
    fingerprint TEXT PRIMARY KEY,
    opinion_id  INTEGER NOT NULL REFERENCES opinions (id),
    source      TEXT NOT NULL,
    source_row  INTEGER NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX imported_opinion ON imported (opinion_id);
"#;

/// Every migration, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(LIST)
}

/// The schema version this program writes.
pub fn latest() -> i64 {
    i64::try_from(LIST.len()).unwrap_or(i64::MAX)
}
