//! Idempotency keys: a key's first request is answered once, and every repeat
//! with the same payload gets that answer without a second send (24 hours).

use super::{int, now, Decision, Gate};
use crate::codes::ErrorCode;
use serde::Deserialize;
use worker::{Result, SqlStorageValue};

/// How long an idempotency key is remembered (documented in the README).
pub const KEY_TTL_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Deserialize)]
struct Record {
    fingerprint: String,
    state: String,
    status: Option<i64>,
    body: Option<String>,
    created: i64,
}

impl Gate {
    /// The answer an `Idempotency-Key` already has (a replay, a mismatch, still in
    /// flight), if it has one.
    pub(super) fn known(
        &self,
        client: &str,
        key: Option<&str>,
        fingerprint: Option<&str>,
    ) -> Result<Option<Decision>> {
        let t = now();
        let sql = self.sql();
        if let Some(key) = key {
            sql.exec(
                "DELETE FROM idem WHERE created < ?",
                vec![int(t - KEY_TTL_MS)],
            )?;
            let rows: Vec<Record> = sql
                .exec(
                    "SELECT fingerprint, state, status, body, created FROM idem WHERE client = ? AND key = ?",
                    vec![SqlStorageValue::from(client), SqlStorageValue::from(key)],
                )?
                .to_array()?;
            if let Some(r) = rows.first() {
                if Some(r.fingerprint.as_str()) != fingerprint {
                    return Ok(Some(Decision::Mismatch));
                }
                if r.state == "in_flight" {
                    // Longer than a send can take, it died with its runtime: its
                    // outcome is unknown, answered as a timeout, never sent again.
                    if t - r.created < crate::upstream::longest_send_ms(&self.config) {
                        return Ok(Some(Decision::InFlight));
                    }
                    let body = serde_json::json!({
                        "message": "the first request with this idempotency key never finished; whether it was sent is unknown",
                        "status": "error", "code": ErrorCode::UpstreamTimeout
                    })
                    .to_string();
                    self.finish(client, key, 504, &body)?;
                    return Ok(Some(Decision::Replay { status: 504, body }));
                }
                return Ok(Some(Decision::Replay {
                    status: u16::try_from(r.status.unwrap_or(500)).unwrap_or(500),
                    body: r.body.clone().unwrap_or_default(),
                }));
            }
        }
        Ok(None)
    }

    /// Frees a key whose send certainly did not reach the provider.
    pub(super) fn release(&self, client: &str, key: &str) -> Result<()> {
        self.sql().exec(
            "DELETE FROM idem WHERE client = ? AND key = ? AND state = 'in_flight'",
            vec![SqlStorageValue::from(client), SqlStorageValue::from(key)],
        )?;
        Ok(())
    }

    pub(super) fn finish(&self, client: &str, key: &str, status: u16, body: &str) -> Result<()> {
        self.sql().exec(
            "UPDATE idem SET state = 'done', status = ?, body = ? WHERE client = ? AND key = ?",
            vec![
                int(i64::from(status)),
                SqlStorageValue::from(body),
                SqlStorageValue::from(client),
                SqlStorageValue::from(key),
            ],
        )?;
        Ok(())
    }
}
