//! The Durable Objects' SQLite schemas, in numbered migrations applied once each,
//! in order, on an object's first wake after a deploy: `schema_version` says which
//! ran. A storage made before the versions were numbered (tables there, no
//! version) is brought up the same way: every step tolerates work already done,
//! read from the schema itself (`IF NOT EXISTS`, a column's presence), never from
//! an error's text. A migration that fails leaves the version where it was and
//! the object serving nothing but its error (`objects::unavailable`), never a
//! half-migrated schema.

use worker::{SqlStorage, SqlStorageValue};

/// One step of a migration.
#[derive(Clone, Copy, Debug)]
pub enum Step {
    /// A statement that is its own guard (`CREATE … IF NOT EXISTS`).
    Sql(&'static str),
    /// `ALTER TABLE {table} ADD COLUMN {column} {decl}`, skipped when the column exists.
    AddColumn {
        table: &'static str,
        column: &'static str,
        decl: &'static str,
    },
}

use Step::{AddColumn, Sql};

/// A migration: its steps. Its number is its place in the list, from 1.
pub type Migration = &'static [Step];

/// The `Gate`'s schema.
pub const GATE: &[Migration] = &[
    // 1: limits, keys, windows, the log, the sandbox's timeline.
    &[
        Sql("CREATE TABLE IF NOT EXISTS sends (ts INTEGER NOT NULL, client TEXT NOT NULL)"),
        Sql("CREATE INDEX IF NOT EXISTS sends_ts ON sends (ts)"),
        Sql("CREATE TABLE IF NOT EXISTS idem (client TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, \
         state TEXT NOT NULL, status INTEGER, body TEXT, created INTEGER NOT NULL, PRIMARY KEY (client, key))"),
        Sql("CREATE INDEX IF NOT EXISTS idem_created ON idem (created)"),
        Sql("CREATE TABLE IF NOT EXISTS inbound (number TEXT PRIMARY KEY, ts INTEGER NOT NULL)"),
        Sql("CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, client TEXT, account TEXT, type TEXT, recipient TEXT, \
         idempotency_key TEXT, created INTEGER NOT NULL, status TEXT NOT NULL, failure TEXT, updated INTEGER NOT NULL)"),
        Sql("CREATE INDEX IF NOT EXISTS messages_client ON messages (client, created, id)"),
        Sql("CREATE TABLE IF NOT EXISTS events (message_id TEXT NOT NULL, event TEXT NOT NULL, at INTEGER NOT NULL, \
         received INTEGER NOT NULL, reason TEXT, PRIMARY KEY (message_id, event))"),
        Sql("CREATE TABLE IF NOT EXISTS pending (id INTEGER PRIMARY KEY AUTOINCREMENT, due INTEGER NOT NULL, body TEXT NOT NULL)"),
    ],
    // 2: one identity per recipient, and the WhatsApp id when one is named.
    &[
        AddColumn { table: "messages", column: "identity", decl: "TEXT" },
        AddColumn { table: "messages", column: "wa_id", decl: "TEXT" },
    ],
    // 3: an operator's list of approved templates.
    &[Sql("CREATE TABLE IF NOT EXISTS templates (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL, updated INTEGER NOT NULL)")],
    // 4: the account's suppression list, one identity a person.
    &[Sql("CREATE TABLE IF NOT EXISTS suppressions (identity TEXT PRIMARY KEY, number TEXT NOT NULL, reason TEXT, \
       source TEXT NOT NULL, created INTEGER NOT NULL)")],
    // 5: campaigns: their index, and which row of which campaign a message is.
    &[
        AddColumn { table: "messages", column: "campaign", decl: "TEXT" },
        AddColumn { table: "messages", column: "campaign_row", decl: "INTEGER" },
        Sql("CREATE INDEX IF NOT EXISTS messages_campaign ON messages (campaign, campaign_row)"),
        Sql("CREATE TABLE IF NOT EXISTS campaigns (id TEXT PRIMARY KEY, client TEXT NOT NULL, created INTEGER NOT NULL, \
         done INTEGER NOT NULL DEFAULT 0)"),
        Sql("CREATE INDEX IF NOT EXISTS campaigns_client ON campaigns (client, created, id)"),
    ],
    // 6: who added each suppression.
    &[AddColumn { table: "suppressions", column: "added_by", decl: "TEXT" }],
    // 7: incoming messages seen, so that one delivered twice is applied once.
    &[
        Sql("CREATE TABLE IF NOT EXISTS incoming (message_id TEXT PRIMARY KEY, received INTEGER NOT NULL)"),
        Sql("CREATE INDEX IF NOT EXISTS incoming_received ON incoming (received)"),
    ],
    // 8: when each recipient was last sent to (the pair rate limit).
    &[Sql("CREATE TABLE IF NOT EXISTS pairs (identity TEXT PRIMARY KEY, last INTEGER NOT NULL)")],
    // 9: the apps' webhook subscriptions, and what waits to be forwarded to them.
    &[
        Sql("CREATE TABLE IF NOT EXISTS subscriptions (client TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL, \
         created INTEGER NOT NULL)"),
        Sql("CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, client TEXT NOT NULL, topic TEXT NOT NULL, \
         body TEXT NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, created INTEGER NOT NULL)"),
        Sql("CREATE INDEX IF NOT EXISTS outbox_topic ON outbox (client, topic, id)"),
        Sql("CREATE INDEX IF NOT EXISTS outbox_next ON outbox (next_at)"),
    ],
];

/// A `Campaign`'s schema: the campaign (one JSON row) and its rows.
pub const CAMPAIGN: &[Migration] = &[&[
    Sql("CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)"),
    Sql("CREATE TABLE IF NOT EXISTS rows (row INTEGER PRIMARY KEY, line INTEGER, recipient TEXT, payload TEXT, \
     status TEXT NOT NULL, reason TEXT, message_id TEXT, code TEXT, class TEXT, message TEXT, \
     attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0)"),
    Sql("CREATE INDEX IF NOT EXISTS rows_due ON rows (status, next_at, row)"),
]];

/// What a migration runs on: the object's SQLite, or a test's fake.
pub trait Store {
    fn exec(&self, statement: &str) -> Result<(), String>;
    /// The table's column names.
    fn columns(&self, table: &str) -> Result<Vec<String>, String>;
    /// The last migration applied (0: none).
    fn version(&self) -> Result<usize, String>;
    fn set_version(&self, version: usize) -> Result<(), String>;
}

#[derive(serde::Deserialize)]
struct Version {
    version: i64,
}

impl Store for SqlStorage {
    fn exec(&self, statement: &str) -> Result<(), String> {
        SqlStorage::exec(self, statement, vec![])
            .map(drop)
            .map_err(|e| e.to_string())
    }

    fn columns(&self, table: &str) -> Result<Vec<String>, String> {
        // The statement's columns, whether or not the table has rows.
        SqlStorage::exec(self, &format!("SELECT * FROM {table} LIMIT 0"), vec![])
            .map(|c| c.column_names())
            .map_err(|e| e.to_string())
    }

    fn version(&self) -> Result<usize, String> {
        let e = |e: worker::Error| e.to_string();
        SqlStorage::exec(
            self,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
            vec![],
        )
        .map_err(e)?;
        let rows: Vec<Version> =
            SqlStorage::exec(self, "SELECT version FROM schema_version", vec![])
                .and_then(|c| c.to_array())
                .map_err(e)?;
        Ok(rows
            .first()
            .map_or(0, |r| usize::try_from(r.version).unwrap_or(usize::MAX)))
    }

    fn set_version(&self, version: usize) -> Result<(), String> {
        let e = |e: worker::Error| e.to_string();
        SqlStorage::exec(self, "DELETE FROM schema_version", vec![]).map_err(e)?;
        let v = i64::try_from(version).unwrap_or(i64::MAX);
        SqlStorage::exec(
            self,
            "INSERT INTO schema_version (version) VALUES (?)",
            vec![SqlStorageValue::from(v)],
        )
        .map(drop)
        .map_err(e)
    }
}

/// An object's schema: migrated on its first wake and, until that succeeds, again
/// on each request; meanwhile the object answers only why (`objects::unavailable`).
#[derive(Debug)]
pub struct Schema {
    migrations: &'static [Migration],
    failed: std::cell::RefCell<Option<String>>,
}

impl Schema {
    pub fn new(store: &impl Store, migrations: &'static [Migration]) -> Schema {
        Schema {
            migrations,
            failed: std::cell::RefCell::new(migrate(store, migrations).err()),
        }
    }

    /// `Err(why)` while the schema is not where this code needs it (the
    /// migration is tried again first).
    pub fn ready(&self, store: &impl Store) -> Result<(), String> {
        if self.failed.borrow().is_some() {
            *self.failed.borrow_mut() = migrate(store, self.migrations).err();
        }
        match &*self.failed.borrow() {
            Some(why) => Err(why.clone()),
            None => Ok(()),
        }
    }
}

/// Brings the storage to the last of `migrations`, and says why it could not:
/// the version stays at the last migration that completed, to be tried again.
pub fn migrate(store: &impl Store, migrations: &[Migration]) -> Result<(), String> {
    let at = store
        .version()
        .map_err(|e| format!("the schema version cannot be read: {e}"))?;
    if at > migrations.len() {
        // A rollback past a migration: this code does not know the schema it would serve.
        return Err(format!(
            "the storage is at schema version {at}, newer than this worker's {}",
            migrations.len()
        ));
    }
    for (i, steps) in migrations.iter().enumerate().skip(at) {
        let n = i + 1;
        for step in *steps {
            let done = match *step {
                Sql(statement) => store.exec(statement),
                AddColumn {
                    table,
                    column,
                    decl,
                } => match store.columns(table) {
                    Ok(columns) if columns.iter().any(|c| c == column) => Ok(()),
                    Ok(_) => store.exec(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}")),
                    Err(e) => Err(e),
                },
            };
            done.map_err(|e| format!("schema migration {n} failed: {e}"))?;
        }
        store
            .set_version(n)
            .map_err(|e| format!("schema migration {n} ran but was not recorded: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Tables as column lists; while `broken`, a statement containing `fail` fails.
    #[derive(Default)]
    struct Fake {
        tables: RefCell<Vec<(String, Vec<String>)>>,
        version: RefCell<usize>,
        ran: RefCell<Vec<String>>,
        fixed: std::cell::Cell<bool>,
    }

    impl Store for Fake {
        fn exec(&self, statement: &str) -> Result<(), String> {
            self.ran.borrow_mut().push(statement.to_owned());
            if statement.contains("fail") && !self.fixed.get() {
                return Err("no such thing".into());
            }
            let words: Vec<&str> = statement.split_whitespace().collect();
            let mut tables = self.tables.borrow_mut();
            match words.as_slice() {
                ["ALTER", "TABLE", t, "ADD", "COLUMN", c, ..] => {
                    let Some((_, cols)) = tables.iter_mut().find(|(n, _)| n == t) else {
                        return Err(format!("no such table: {t}"));
                    };
                    if cols.iter().any(|x| x == c) {
                        return Err(format!("duplicate column name: {c}"));
                    }
                    cols.push((*c).to_owned());
                }
                ["CREATE", "TABLE", "IF", "NOT", "EXISTS", t, ..]
                    if !tables.iter().any(|(n, _)| n == t) =>
                {
                    tables.push(((*t).to_owned(), vec!["id".to_owned()]));
                }
                _ => {}
            }
            Ok(())
        }

        fn columns(&self, table: &str) -> Result<Vec<String>, String> {
            self.tables
                .borrow()
                .iter()
                .find(|(n, _)| n == table)
                .map(|(_, c)| c.clone())
                .ok_or_else(|| format!("no such table: {table}"))
        }

        fn version(&self) -> Result<usize, String> {
            Ok(*self.version.borrow())
        }

        fn set_version(&self, version: usize) -> Result<(), String> {
            *self.version.borrow_mut() = version;
            Ok(())
        }
    }

    const ADD: Step = AddColumn {
        table: "t",
        column: "c",
        decl: "TEXT",
    };

    #[test]
    fn applies_each_migration_once_and_records_it() {
        let store = Fake::default();
        let migrations: &[Migration] = &[&[Sql("CREATE TABLE IF NOT EXISTS t (id)")], &[ADD]];
        assert_eq!(migrate(&store, migrations), Ok(()));
        assert_eq!(*store.version.borrow(), 2);
        let ran = store.ran.borrow().len();
        assert_eq!(migrate(&store, migrations), Ok(()));
        assert_eq!(store.ran.borrow().len(), ran, "nothing runs twice");
    }

    #[test]
    fn a_column_already_there_is_read_from_the_schema_not_from_an_error() {
        // A storage from before the versions: the table and the column exist.
        let store = Fake::default();
        store
            .tables
            .borrow_mut()
            .push(("t".into(), vec!["id".into(), "c".into()]));
        let migrations: &[Migration] = &[&[Sql("CREATE TABLE IF NOT EXISTS t (id)")], &[ADD]];
        assert_eq!(migrate(&store, migrations), Ok(()));
        assert!(store.ran.borrow().iter().all(|s| !s.starts_with("ALTER")));
        assert_eq!(*store.version.borrow(), 2);
    }

    #[test]
    fn a_failed_migration_is_reported_and_leaves_the_version() {
        let store = Fake::default();
        let migrations: &[Migration] = &[
            &[Sql("CREATE TABLE IF NOT EXISTS t (id)")],
            &[ADD, Sql("CREATE INDEX fail ON t (c)")],
        ];
        let err = migrate(&store, migrations).expect_err("fails");
        assert_eq!(err, "schema migration 2 failed: no such thing");
        assert_eq!(*store.version.borrow(), 1, "not recorded as done");
        // Tried again once the step can run, it completes: the column is not added twice.
        store.fixed.set(true);
        assert_eq!(migrate(&store, migrations), Ok(()));
        assert_eq!(*store.version.borrow(), 2);
    }

    #[test]
    fn an_object_serves_only_once_its_schema_is_in_place() {
        static BROKEN: &[Migration] = &[&[Sql("CREATE INDEX fail ON t (c)")]];
        let store = Fake::default();
        let schema = Schema::new(&store, BROKEN);
        assert_eq!(
            schema.ready(&store),
            Err("schema migration 1 failed: no such thing".to_owned())
        );
        assert_eq!(*store.version.borrow(), 0);
        store.fixed.set(true);
        assert_eq!(
            schema.ready(&store),
            Ok(()),
            "tried again on the next request"
        );
        assert_eq!(*store.version.borrow(), 1);
    }

    #[test]
    fn a_storage_newer_than_the_code_is_refused() {
        let store = Fake::default();
        let newer = GATE.len() + 1;
        *store.version.borrow_mut() = newer;
        let err = migrate(&store, GATE).expect_err("newer");
        assert!(
            err.contains(&format!("schema version {newer}, newer than this worker's")),
            "{err}"
        );
    }

    #[test]
    fn every_added_column_is_declared_once() {
        for migrations in [GATE, CAMPAIGN] {
            let mut seen = Vec::new();
            for step in migrations.iter().flat_map(|m| m.iter()) {
                if let AddColumn { table, column, .. } = step {
                    assert!(!seen.contains(&(table, column)), "{table}.{column}");
                    seen.push((table, column));
                }
            }
        }
    }
}
