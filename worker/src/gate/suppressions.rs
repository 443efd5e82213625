//! The suppression list of the account (the upstream key this object serves):
//! numbers that opted out, each kept as one identity so that every WhatsApp-id
//! variant of a number is suppressed with it. A stop keyword in an incoming
//! message, a 131050 failure ("stopped marketing messages") or an explicit add
//! puts a number here; no marketing template and no campaign row reaches it.
//!
//! Anyone may add a number; lifting one is a compliance decision: an operator
//! (`ADMIN_TOKENS`) lifts any entry, a client only one it added itself through
//! the API (its own mistake), never a customer's stop keyword, a 131050 or
//! another client's entry. Each entry says who added it (`added_by`).

use super::windows::person;
use super::{now, Gate};
use serde::{Deserialize, Serialize};
use worker::{Result, SqlStorageValue};

#[derive(Serialize, Deserialize)]
pub struct Suppression {
    pub number: String,
    pub identity: String,
    pub reason: Option<String>,
    /// `inbound` (a stop keyword), `failure` (131050) or `api`.
    pub source: String,
    /// Who: `client:<name>` (the API), `message:<id>` (the incoming message with the
    /// stop keyword, or the message that failed with 131050), `sandbox:<client>` (the
    /// sandbox's inbound endpoint); `None` for entries made before it was recorded.
    pub added_by: Option<String>,
    pub created: i64,
}

/// Who asks to lift a suppression.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Lifter {
    /// One of `ADMIN_TOKENS`: may lift any entry.
    Operator(String),
    /// A client token: may lift only what it added itself through the API.
    Client(String),
}

/// What became of a request to lift a suppression.
#[derive(Serialize, Deserialize, Debug)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Unsuppressed {
    Removed,
    NotSuppressed,
    /// A client asked to lift an entry it did not add through the API.
    Forbidden {
        source: String,
        added_by: Option<String>,
    },
}

/// The `added_by` of a client's own API entry.
pub fn by_client(name: &str) -> String {
    format!("client:{name}")
}

impl Gate {
    /// Suppresses `number` (E.164); `false` when it already was.
    pub(super) fn suppress(
        &self,
        number: &str,
        reason: Option<&str>,
        source: &str,
        added_by: &str,
    ) -> Result<bool> {
        let cursor = self.sql().exec(
            "INSERT INTO suppressions (identity, number, reason, source, added_by, created) VALUES (?, ?, ?, ?, ?, ?) \
             ON CONFLICT (identity) DO NOTHING",
            vec![
                SqlStorageValue::from(person(number)),
                SqlStorageValue::from(number),
                SqlStorageValue::from(reason),
                SqlStorageValue::from(source),
                SqlStorageValue::from(added_by),
                SqlStorageValue::from(now()),
            ],
        )?;
        Ok(cursor.rows_written() > 0)
    }

    /// Lifts the suppression of `number` (any of its WhatsApp-id forms), if `by` may.
    pub(super) fn unsuppress(&self, number: &str, by: &Lifter) -> Result<Unsuppressed> {
        let Some(entry) = self.suppression(number)? else {
            return Ok(Unsuppressed::NotSuppressed);
        };
        if let Lifter::Client(name) = by {
            let own = entry.source == "api" && entry.added_by.as_deref() == Some(&by_client(name));
            if !own {
                return Ok(Unsuppressed::Forbidden {
                    source: entry.source,
                    added_by: entry.added_by,
                });
            }
        }
        self.sql().exec(
            "DELETE FROM suppressions WHERE identity = ?",
            vec![SqlStorageValue::from(entry.identity)],
        )?;
        Ok(Unsuppressed::Removed)
    }

    fn suppression(&self, number: &str) -> Result<Option<Suppression>> {
        let rows: Vec<Suppression> = self
            .sql()
            .exec(
                "SELECT number, identity, reason, source, added_by, created FROM suppressions WHERE identity = ?",
                vec![SqlStorageValue::from(person(number))],
            )?
            .to_array()?;
        Ok(rows.into_iter().next())
    }

    pub(super) fn is_suppressed(&self, number: &str) -> Result<bool> {
        Ok(self.suppression(number)?.is_some())
    }

    pub(super) fn suppressions(&self) -> Result<Vec<Suppression>> {
        self.sql()
            .exec(
                "SELECT number, identity, reason, source, added_by, created FROM suppressions ORDER BY created DESC",
                vec![],
            )?
            .to_array()
    }

    /// Every suppressed identity, for a campaign's list to skip.
    pub(super) fn suppressed_identities(&self) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Identity {
            identity: String,
        }
        let rows: Vec<Identity> = self
            .sql()
            .exec("SELECT identity FROM suppressions", vec![])?
            .to_array()?;
        Ok(rows.into_iter().map(|r| r.identity).collect())
    }
}
