//! The suppression list of the account (the upstream key this object serves):
//! numbers that opted out, each kept as one identity so that every WhatsApp-id
//! variant of a number is suppressed with it. A stop keyword in an incoming
//! message, a 131050 failure ("stopped marketing messages") or an explicit add
//! puts a number here; no marketing template and no campaign row reaches it.

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
    pub created: i64,
}

impl Gate {
    /// Suppresses `number` (E.164); `false` when it already was.
    pub(super) fn suppress(
        &self,
        number: &str,
        reason: Option<&str>,
        source: &str,
    ) -> Result<bool> {
        let cursor = self.sql().exec(
            "INSERT INTO suppressions (identity, number, reason, source, created) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (identity) DO NOTHING",
            vec![
                SqlStorageValue::from(person(number)),
                SqlStorageValue::from(number),
                SqlStorageValue::from(reason),
                SqlStorageValue::from(source),
                SqlStorageValue::from(now()),
            ],
        )?;
        Ok(cursor.rows_written() > 0)
    }

    /// Lifts the suppression of `number` (any of its WhatsApp-id forms); `false` when there was none.
    pub(super) fn unsuppress(&self, number: &str) -> Result<bool> {
        let cursor = self.sql().exec(
            "DELETE FROM suppressions WHERE identity = ?",
            vec![SqlStorageValue::from(person(number))],
        )?;
        Ok(cursor.rows_written() > 0)
    }

    pub(super) fn is_suppressed(&self, number: &str) -> Result<bool> {
        let rows: Vec<Suppression> = self
            .sql()
            .exec(
                "SELECT number, identity, reason, source, created FROM suppressions WHERE identity = ?",
                vec![SqlStorageValue::from(person(number))],
            )?
            .to_array()?;
        Ok(!rows.is_empty())
    }

    pub(super) fn suppressions(&self) -> Result<Vec<Suppression>> {
        self.sql()
            .exec(
                "SELECT number, identity, reason, source, created FROM suppressions ORDER BY created DESC",
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
