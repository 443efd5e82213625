//! A campaign's storage: the campaign itself (one JSON row, `Meta`) and its rows,
//! each with its payload, status and outcome. Every change of a row is written
//! before the step it enables (a row is `sending` before it is handed to the
//! `Gate`), so that a runtime that dies anywhere leaves a state the next wake
//! can finish from.

use super::protocol::{
    CampaignStatus, Counts, ErrorClass, Recipient, RowError, RowStatus, SkipReason, TemplateRef,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use worker::{Result, SqlStorage, SqlStorageValue};

/// Rows inserted per statement (one JSON parameter each).
const INSERT_CHUNK: usize = 2_000;

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Meta {
    pub id: String,
    pub client: String,
    pub name: String,
    pub template: TemplateRef,
    pub definition: Value,
    pub gate: String,
    pub status: CampaignStatus,
    pub paused_reason: Option<String>,
    pub created: i64,
    pub start_at: i64,
    pub finished: Option<i64>,
    pub total: u64,
    pub valid: u64,
    /// Attempted and failed rows when it last resumed: the failure rate counts from there.
    pub base_attempted: u64,
    pub base_failed: u64,
    /// `campaign.completed` was posted (or there is nowhere to post it).
    pub reported: bool,
    pub report_attempts: u32,
    /// The creating request's digest, when it had an `Idempotency-Key`.
    #[serde(default)]
    pub fingerprint: Option<String>,
}

/// A row to send.
#[derive(Deserialize, Clone, Debug)]
pub struct Due {
    pub row: i64,
    pub payload: String,
    pub attempts: i64,
}

/// A row as first stored.
pub struct NewRow<'a> {
    pub row: u64,
    pub line: Option<u64>,
    pub recipient: Option<&'a str>,
    pub payload: Option<&'a str>,
    pub status: RowStatus,
    pub reason: Option<SkipReason>,
    pub error: Option<RowError>,
}

/// A row's outcome.
pub struct Outcome<'a> {
    pub status: RowStatus,
    pub reason: Option<SkipReason>,
    pub message_id: Option<&'a str>,
    pub error: Option<RowError>,
    pub next_at: i64,
    /// The attempt did not count (a limit, a paused template): given back.
    pub refund: bool,
}

#[derive(Deserialize)]
struct Stored {
    body: String,
}

#[derive(Deserialize)]
struct Counted {
    status: String,
    n: i64,
}

#[derive(Deserialize)]
struct Next {
    at: Option<i64>,
}

#[derive(Deserialize)]
struct RowRecord {
    row: i64,
    line: Option<i64>,
    recipient: Option<String>,
    status: String,
    reason: Option<String>,
    message_id: Option<String>,
    code: Option<String>,
    class: Option<String>,
    message: Option<String>,
    attempts: i64,
}

fn int(v: i64) -> SqlStorageValue {
    SqlStorageValue::from(v)
}

fn big(v: u64) -> SqlStorageValue {
    int(i64::try_from(v).unwrap_or(i64::MAX))
}

pub struct Store(pub SqlStorage);

impl Store {
    pub fn meta(&self) -> Result<Option<Meta>> {
        let rows: Vec<Stored> = self
            .0
            .exec("SELECT body FROM meta WHERE id = 1", vec![])?
            .to_array()?;
        match rows.first() {
            Some(r) => Ok(Some(serde_json::from_str(&r.body)?)),
            None => Ok(None),
        }
    }

    pub fn save(&self, meta: &Meta) -> Result<()> {
        self.0.exec(
            "INSERT INTO meta (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            vec![SqlStorageValue::from(serde_json::to_string(meta)?)],
        )?;
        Ok(())
    }

    /// Stores rows, a chunk a statement: the rows travel as one JSON parameter,
    /// read back by SQLite's `json_each`, instead of a statement a row.
    pub fn insert(&self, rows: &[NewRow<'_>]) -> Result<()> {
        for chunk in rows.chunks(INSERT_CHUNK) {
            let values: Vec<Value> = chunk
                .iter()
                .map(|r| {
                    let e = r.error.as_ref();
                    serde_json::json!([
                        r.row,
                        r.line,
                        r.recipient,
                        r.payload,
                        r.status.as_str(),
                        r.reason.map(SkipReason::as_str),
                        e.map(RowError::code),
                        e.map(|e| e.class.as_str()),
                        e.map(|e| &e.message),
                    ])
                })
                .collect();
            self.0.exec(
                "INSERT INTO rows (row, line, recipient, payload, status, reason, code, class, message) \
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), \
                 json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'), \
                 json_extract(value, '$[6]'), json_extract(value, '$[7]'), json_extract(value, '$[8]') \
                 FROM json_each(?)",
                vec![SqlStorageValue::from(serde_json::to_string(&values)?)],
            )?;
        }
        Ok(())
    }

    /// Rows of `status` due by `now`, in row order within their due time.
    pub fn due(&self, status: RowStatus, now: i64, limit: u32) -> Result<Vec<Due>> {
        self.0
            .exec(
                "SELECT row, payload, attempts FROM rows WHERE status = ? AND next_at <= ? ORDER BY next_at, row LIMIT ?",
                vec![
                    SqlStorageValue::from(status.as_str()),
                    int(now),
                    int(i64::from(limit)),
                ],
            )?
            .to_array()
    }

    /// When the next queued or in-flight row is due, if any is left.
    pub fn next_due(&self) -> Result<Option<i64>> {
        let rows: Vec<Next> = self
            .0
            .exec(
                "SELECT MIN(next_at) AS at FROM rows WHERE status IN ('queued', 'sending')",
                vec![],
            )?
            .to_array()?;
        Ok(rows.first().and_then(|r| r.at))
    }

    /// Marks a row `sending` (an attempt more) before it is handed to the `Gate`.
    pub fn sending(&self, row: i64, retry_at: i64) -> Result<()> {
        self.0.exec(
            "UPDATE rows SET status = 'sending', attempts = attempts + 1, next_at = ? WHERE row = ?",
            vec![int(retry_at), int(row)],
        )?;
        Ok(())
    }

    pub fn settle(&self, row: i64, o: &Outcome<'_>) -> Result<()> {
        let e = o.error.as_ref();
        self.0.exec(
            "UPDATE rows SET status = ?, reason = ?, message_id = COALESCE(?, message_id), code = ?, class = ?, \
             message = ?, next_at = ?, attempts = MAX(0, attempts - ?) WHERE row = ?",
            vec![
                SqlStorageValue::from(o.status.as_str()),
                SqlStorageValue::from(o.reason.map(SkipReason::as_str)),
                SqlStorageValue::from(o.message_id),
                SqlStorageValue::from(e.map(RowError::code)),
                SqlStorageValue::from(e.map(|e| e.class.as_str())),
                SqlStorageValue::from(e.map(|e| e.message.as_str())),
                int(o.next_at),
                int(i64::from(o.refund)),
                int(row),
            ],
        )?;
        Ok(())
    }

    /// Every queued row skipped as `cancelled` (rows in flight finish as they do).
    pub fn cancel_queued(&self) -> Result<()> {
        self.0.exec(
            "UPDATE rows SET status = 'skipped', reason = 'cancelled' WHERE status = 'queued'",
            vec![],
        )?;
        Ok(())
    }

    /// Queued rows held back (a wait, a backoff) are due again now.
    pub fn due_now(&self, now: i64) -> Result<()> {
        self.0.exec(
            "UPDATE rows SET next_at = ? WHERE status = 'queued' AND next_at > ?",
            vec![int(now), int(now)],
        )?;
        Ok(())
    }

    /// Rows handed to the `Gate` whose answer is not stored yet.
    pub fn counts_sending(&self) -> Result<u64> {
        let rows: Vec<Counted> = self
            .0
            .exec(
                "SELECT 'sending' AS status, count(*) AS n FROM rows WHERE status = 'sending'",
                vec![],
            )?
            .to_array()?;
        Ok(rows.first().map_or(0, |r| u64::try_from(r.n).unwrap_or(0)))
    }

    /// The rows at each of the campaign's own statuses.
    pub fn counts(&self) -> Result<Counts> {
        let rows: Vec<Counted> = self
            .0
            .exec(
                "SELECT status, count(*) AS n FROM rows GROUP BY status",
                vec![],
            )?
            .to_array()?;
        let mut c = Counts::default();
        for r in rows {
            let n = u64::try_from(r.n).unwrap_or(0);
            match RowStatus::parse(&r.status) {
                Some(RowStatus::Queued | RowStatus::Sending) => c.queued += n,
                Some(RowStatus::Sent | RowStatus::Delivered | RowStatus::Read) => c.sent += n,
                Some(RowStatus::Failed) => c.failed += n,
                Some(RowStatus::Skipped) => c.skipped += n,
                None => {}
            }
        }
        Ok(c)
    }

    /// Rows after `after` in row order; `status` filters: a row the log moved on
    /// (delivered, read, failed after sending) is `sent` here, so those filters
    /// read `sent` rows too, and the Worker keeps the ones the log says.
    pub fn page(
        &self,
        after: u64,
        limit: u32,
        status: Option<RowStatus>,
    ) -> Result<Vec<Recipient>> {
        let fetch = int(i64::from(limit));
        let records: Vec<RowRecord> = match status {
            Some(s) => {
                let (a, b) = match s {
                    RowStatus::Delivered | RowStatus::Read => (RowStatus::Sent, RowStatus::Sent),
                    RowStatus::Failed => (RowStatus::Failed, RowStatus::Sent),
                    other => (other, other),
                };
                self.0.exec(
                    "SELECT row, line, recipient, status, reason, message_id, code, class, message, attempts FROM rows \
                     WHERE row > ? AND status IN (?, ?) ORDER BY row LIMIT ?",
                    vec![
                        big(after),
                        SqlStorageValue::from(a.as_str()),
                        SqlStorageValue::from(b.as_str()),
                        fetch,
                    ],
                )?
            }
            None => self.0.exec(
                "SELECT row, line, recipient, status, reason, message_id, code, class, message, attempts FROM rows \
                 WHERE row > ? ORDER BY row LIMIT ?",
                vec![big(after), fetch],
            )?,
        }
        .to_array()?;
        Ok(records
            .into_iter()
            .map(|r| Recipient {
                row: u64::try_from(r.row).unwrap_or(0),
                line: r.line.and_then(|l| u64::try_from(l).ok()),
                to: r.recipient,
                status: RowStatus::parse(&r.status).unwrap_or(RowStatus::Queued),
                reason: r.reason.as_deref().and_then(SkipReason::parse),
                message_id: r.message_id,
                error: match (
                    r.code,
                    r.class.as_deref().and_then(ErrorClass::parse),
                    r.message,
                ) {
                    (Some(code), Some(class), Some(message)) => {
                        Some(RowError::stored(code, class, message))
                    }
                    _ => None,
                },
                attempts: u32::try_from(r.attempts).unwrap_or(0),
            })
            .collect())
    }
}
