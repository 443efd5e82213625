//! The Durable Objects' SQLite schemas, in numbered migrations applied once each,
//! in order, on an object's first wake after a deploy: `schema_version` says which
//! ran. A storage made before the versions were numbered (tables there, no
//! version) is brought up the same way: every step tolerates work already done.

use worker::{Result, SqlStorage, SqlStorageValue};

/// A migration: its statements. Its number is its place in the list, from 1.
pub type Migration = &'static [&'static str];

/// The `Gate`'s schema.
pub const GATE: &[Migration] = &[
    // 1: limits, keys, windows, the log, the sandbox's timeline.
    &[
        "CREATE TABLE IF NOT EXISTS sends (ts INTEGER NOT NULL, client TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS sends_ts ON sends (ts)",
        "CREATE TABLE IF NOT EXISTS idem (client TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, \
         state TEXT NOT NULL, status INTEGER, body TEXT, created INTEGER NOT NULL, PRIMARY KEY (client, key))",
        "CREATE INDEX IF NOT EXISTS idem_created ON idem (created)",
        "CREATE TABLE IF NOT EXISTS inbound (number TEXT PRIMARY KEY, ts INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, client TEXT, account TEXT, type TEXT, recipient TEXT, \
         idempotency_key TEXT, created INTEGER NOT NULL, status TEXT NOT NULL, failure TEXT, updated INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS messages_client ON messages (client, created, id)",
        "CREATE TABLE IF NOT EXISTS events (message_id TEXT NOT NULL, event TEXT NOT NULL, at INTEGER NOT NULL, \
         received INTEGER NOT NULL, reason TEXT, PRIMARY KEY (message_id, event))",
        "CREATE TABLE IF NOT EXISTS pending (id INTEGER PRIMARY KEY AUTOINCREMENT, due INTEGER NOT NULL, body TEXT NOT NULL)",
    ],
    // 2: one identity per recipient, and the WhatsApp id when one is named.
    &[
        "ALTER TABLE messages ADD COLUMN identity TEXT",
        "ALTER TABLE messages ADD COLUMN wa_id TEXT",
    ],
    // 3: an operator's list of approved templates.
    &["CREATE TABLE IF NOT EXISTS templates (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL, updated INTEGER NOT NULL)"],
    // 4: the account's suppression list, one identity a person.
    &["CREATE TABLE IF NOT EXISTS suppressions (identity TEXT PRIMARY KEY, number TEXT NOT NULL, reason TEXT, \
       source TEXT NOT NULL, created INTEGER NOT NULL)"],
    // 5: campaigns: their index, and which row of which campaign a message is.
    &[
        "ALTER TABLE messages ADD COLUMN campaign TEXT",
        "ALTER TABLE messages ADD COLUMN campaign_row INTEGER",
        "CREATE INDEX IF NOT EXISTS messages_campaign ON messages (campaign, campaign_row)",
        "CREATE TABLE IF NOT EXISTS campaigns (id TEXT PRIMARY KEY, client TEXT NOT NULL, created INTEGER NOT NULL, \
         done INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX IF NOT EXISTS campaigns_client ON campaigns (client, created, id)",
    ],
    // 6: who added each suppression.
    &["ALTER TABLE suppressions ADD COLUMN added_by TEXT"],
    // 7: incoming messages seen, so that one delivered twice is applied once.
    &[
        "CREATE TABLE IF NOT EXISTS incoming (message_id TEXT PRIMARY KEY, received INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS incoming_received ON incoming (received)",
    ],
];

/// A `Campaign`'s schema: the campaign (one JSON row) and its rows.
pub const CAMPAIGN: &[Migration] = &[&[
    "CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rows (row INTEGER PRIMARY KEY, line INTEGER, recipient TEXT, payload TEXT, \
     status TEXT NOT NULL, reason TEXT, message_id TEXT, code TEXT, class TEXT, message TEXT, \
     attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS rows_due ON rows (status, next_at, row)",
]];

#[derive(serde::Deserialize)]
struct Version {
    version: i64,
}

/// Brings the storage to the last of `migrations`. A statement whose work is
/// already done (a column that exists) is skipped; any other failure stops at
/// that version, to be tried again on the next wake, and surfaces on the first query.
pub fn migrate(sql: &SqlStorage, migrations: &[Migration]) -> Result<()> {
    sql.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
        vec![],
    )?;
    let rows: Vec<Version> = sql
        .exec("SELECT version FROM schema_version", vec![])?
        .to_array()?;
    let at = rows
        .first()
        .map_or(0, |r| usize::try_from(r.version).unwrap_or(0));
    for (i, statements) in migrations.iter().enumerate().skip(at) {
        for statement in *statements {
            if let Err(e) = sql.exec(statement, vec![]) {
                if !e.to_string().contains("duplicate column") {
                    return Err(e);
                }
            }
        }
        let version = i64::try_from(i + 1).unwrap_or(i64::MAX);
        sql.exec("DELETE FROM schema_version", vec![])?;
        sql.exec(
            "INSERT INTO schema_version (version) VALUES (?)",
            vec![SqlStorageValue::from(version)],
        )?;
    }
    Ok(())
}
