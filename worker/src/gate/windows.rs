//! When each recipient last wrote, for the 24-hour customer window: keyed on one
//! identity per person (`phone::identity`).

use super::{now, Gate, Ts};
use worker::{Result, SqlStorageValue};

pub(super) const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// One key for one person: the 24-hour window and the log's `identity` use it, so
/// that `+5215512345678` writing in opens the window for `+525512345678`.
pub(super) fn person(number: &str) -> String {
    wasend::phone::identity(number).unwrap_or_else(|| number.to_owned())
}

impl Gate {
    /// `number` wrote at `at`: its window is open for 24 hours from then.
    /// `number` wrote at `at`; answers when its window now closes. An event proves
    /// the customer wrote no later than it was received, and an older one never
    /// moves the window back.
    pub(super) fn wrote(&self, number: &str, at: i64) -> Result<i64> {
        let at = at.min(now());
        self.sql().exec(
            "INSERT INTO inbound (number, ts) VALUES (?, ?) ON CONFLICT (number) DO UPDATE SET ts = MAX(ts, excluded.ts)",
            vec![SqlStorageValue::from(person(number)), SqlStorageValue::from(at)],
        )?;
        let rows: Vec<Ts> = self
            .sql()
            .exec(
                "SELECT ts FROM inbound WHERE number = ?",
                vec![SqlStorageValue::from(person(number))],
            )?
            .to_array()?;
        Ok(rows.first().map_or(at, |r| r.ts) + WINDOW_MS)
    }

    pub(super) fn window_open(&self, number: &str) -> Result<bool> {
        let rows: Vec<Ts> = self
            .sql()
            .exec(
                "SELECT ts FROM inbound WHERE number = ?",
                vec![SqlStorageValue::from(person(number))],
            )?
            .to_array()?;
        Ok(rows.first().is_some_and(|r| now() - r.ts < WINDOW_MS))
    }
}
