//! `Gate`: one Durable Object per upstream key (or one for the sandbox), the
//! single place every send of that key passes. Being one object, it sees every
//! client and every edge location, and its requests run one at a time: that is
//! what makes the rate limit exact and an idempotency key usable only once.
//!
//! State is in the object's SQLite storage: the admission times of the last
//! minute, the idempotency records of the last 24 hours, and (sandbox) when
//! each recipient last wrote.

use crate::sandbox;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, SqlStorageValue,
    State,
};

/// The provider's limits (its send-API page); `RATE_PER_SECOND` and
/// `RATE_PER_MINUTE` change them for a provider plan with other numbers.
pub const PER_SECOND: u32 = 10;
pub const PER_MINUTE: u32 = 100;
/// Admission windows are this much longer than the provider's: sends admitted
/// here reach the upstream a few milliseconds later, not all equally late, and
/// the upstream must never count eleven in any second of its own clock.
pub const MARGIN_MS: i64 = 100;
const SECOND_MS: i64 = 1_000 + MARGIN_MS;
const MINUTE_MS: i64 = 60_000 + MARGIN_MS;
/// How long an idempotency key is remembered (documented in the README).
pub const KEY_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// A send still "in flight" after this long died with its Worker: its outcome is
/// unknown, and it is answered as a gateway timeout rather than sent again.
const IN_FLIGHT_MS: i64 = 120_000;
const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    Admit {
        client: String,
        key: Option<String>,
        fingerprint: Option<String>,
        per_second: u32,
        per_minute: u32,
        client_per_minute: u32,
    },
    Finish {
        client: String,
        key: String,
        status: u16,
        body: String,
    },
    Release {
        client: String,
        key: String,
    },
    Sandbox {
        payload: String,
    },
    Inbound {
        number: String,
    },
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Go ahead: the send is admitted (and its key, if any, is in flight).
    Go { remaining: u32, reset_s: u64 },
    /// Over a limit: try again after this long.
    Limited { retry_after_ms: i64, scope: String },
    /// The key's first request finished: its stored answer.
    Replay { status: u16, body: String },
    /// The key's first request is still running.
    InFlight,
    /// The key was used with another body.
    Mismatch,
}

#[derive(Serialize, Deserialize)]
pub struct SandboxAnswer {
    pub status: u16,
    pub body: Value,
}

#[durable_object]
#[allow(missing_debug_implementations)]
pub struct Gate {
    state: State,
}

fn now() -> i64 {
    #[allow(clippy::cast_possible_wrap)]
    let t = worker::Date::now().as_millis() as i64;
    t
}

fn int(v: i64) -> SqlStorageValue {
    SqlStorageValue::from(v)
}

#[derive(Deserialize)]
struct Ts {
    ts: i64,
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

#[derive(Deserialize)]
struct Record {
    fingerprint: String,
    state: String,
    status: Option<i64>,
    body: Option<String>,
    created: i64,
}

impl Gate {
    fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    fn count(&self, query: &str, args: Vec<SqlStorageValue>) -> Result<u32> {
        let rows: Vec<Count> = self.sql().exec(query, args)?.to_array()?;
        Ok(rows
            .first()
            .map_or(0, |c| u32::try_from(c.n).unwrap_or(u32::MAX)))
    }

    /// Time until the `limit`-th most recent send in `window_ms` leaves the window.
    fn wait(&self, window_ms: i64, limit: u32, t: i64, client: Option<&str>) -> Result<i64> {
        let (query, args) = match client {
            Some(c) => (
                "SELECT ts FROM sends WHERE ts > ? AND client = ? ORDER BY ts DESC LIMIT 1 OFFSET ?",
                vec![int(t - window_ms), SqlStorageValue::from(c), int(i64::from(limit) - 1)],
            ),
            None => (
                "SELECT ts FROM sends WHERE ts > ? ORDER BY ts DESC LIMIT 1 OFFSET ?",
                vec![int(t - window_ms), int(i64::from(limit) - 1)],
            ),
        };
        let rows: Vec<Ts> = self.sql().exec(query, args)?.to_array()?;
        Ok(rows.first().map_or(0, |r| r.ts + window_ms - t).max(1))
    }

    fn admit(
        &self,
        client: &str,
        key: Option<&str>,
        fingerprint: Option<&str>,
        limits: (u32, u32, u32),
    ) -> Result<Decision> {
        let (per_second, per_minute, client_per_minute) = limits;
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
                    return Ok(Decision::Mismatch);
                }
                if r.state == "in_flight" {
                    if t - r.created < IN_FLIGHT_MS {
                        return Ok(Decision::InFlight);
                    }
                    let body = serde_json::json!({
                        "message": "the first request with this idempotency key never finished; whether it was sent is unknown",
                        "status": "error", "code": "upstream_timeout"
                    })
                    .to_string();
                    self.finish(client, key, 504, &body)?;
                    return Ok(Decision::Replay { status: 504, body });
                }
                return Ok(Decision::Replay {
                    status: u16::try_from(r.status.unwrap_or(500)).unwrap_or(500),
                    body: r.body.clone().unwrap_or_default(),
                });
            }
        }
        sql.exec("DELETE FROM sends WHERE ts <= ?", vec![int(t - MINUTE_MS)])?;
        let in_second = self.count(
            "SELECT COUNT(*) AS n FROM sends WHERE ts > ?",
            vec![int(t - SECOND_MS)],
        )?;
        let in_minute = self.count("SELECT COUNT(*) AS n FROM sends", vec![])?;
        let mut waits = Vec::new();
        if in_second >= per_second {
            waits.push((self.wait(SECOND_MS, per_second, t, None)?, "second"));
        }
        if in_minute >= per_minute {
            waits.push((self.wait(MINUTE_MS, per_minute, t, None)?, "minute"));
        }
        if client_per_minute > 0 {
            let mine = self.count(
                "SELECT COUNT(*) AS n FROM sends WHERE client = ?",
                vec![SqlStorageValue::from(client)],
            )?;
            if mine >= client_per_minute {
                waits.push((
                    self.wait(MINUTE_MS, client_per_minute, t, Some(client))?,
                    "client",
                ));
            }
        }
        if let Some((retry_after_ms, scope)) = waits.into_iter().max_by_key(|(w, _)| *w) {
            return Ok(Decision::Limited {
                retry_after_ms,
                scope: scope.to_owned(),
            });
        }
        sql.exec(
            "INSERT INTO sends (ts, client) VALUES (?, ?)",
            vec![int(t), SqlStorageValue::from(client)],
        )?;
        if let (Some(key), Some(fp)) = (key, fingerprint) {
            sql.exec(
                "INSERT INTO idem (client, key, fingerprint, state, created) VALUES (?, ?, ?, 'in_flight', ?)",
                vec![SqlStorageValue::from(client), SqlStorageValue::from(key), SqlStorageValue::from(fp), int(t)],
            )?;
        }
        let remaining = per_second
            .saturating_sub(in_second + 1)
            .min(per_minute.saturating_sub(in_minute + 1));
        Ok(Decision::Go {
            remaining,
            reset_s: 1,
        })
    }

    fn finish(&self, client: &str, key: &str, status: u16, body: &str) -> Result<()> {
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

    fn window_open(&self, number: &str) -> Result<bool> {
        let rows: Vec<Ts> = self
            .sql()
            .exec(
                "SELECT ts FROM inbound WHERE number = ?",
                vec![SqlStorageValue::from(number)],
            )?
            .to_array()?;
        Ok(rows.first().is_some_and(|r| now() - r.ts < WINDOW_MS))
    }

    fn sandbox(&self, payload: &str) -> Result<SandboxAnswer> {
        let Ok(value) = wasend::json::parse(payload.as_bytes()) else {
            return Ok(SandboxAnswer {
                status: 400,
                body: serde_json::json!({"message": "payload is not json", "status": "error"}),
            });
        };
        let to = value["to"].as_str().unwrap_or_default().to_owned();
        let mut random = || {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let b = (js_sys::Math::random() * 256.0) as u8;
            b
        };
        let a = sandbox::answer(
            &value,
            self.window_open(&to)?,
            &sandbox::message_id(&mut random),
        );
        Ok(SandboxAnswer {
            status: a.status,
            body: a.body,
        })
    }
}

impl DurableObject for Gate {
    fn new(state: State, _env: Env) -> Self {
        let sql = state.storage().sql();
        for ddl in [
            "CREATE TABLE IF NOT EXISTS sends (ts INTEGER NOT NULL, client TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS sends_ts ON sends (ts)",
            "CREATE TABLE IF NOT EXISTS idem (client TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, \
             state TEXT NOT NULL, status INTEGER, body TEXT, created INTEGER NOT NULL, PRIMARY KEY (client, key))",
            "CREATE INDEX IF NOT EXISTS idem_created ON idem (created)",
            "CREATE TABLE IF NOT EXISTS inbound (number TEXT PRIMARY KEY, ts INTEGER NOT NULL)",
        ] {
            // A failure here resurfaces on the first query, as a 500 the Worker maps.
            let _ = sql.exec(ddl, vec![]);
        }
        Gate { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let op: Op = req.json().await?;
        let out = match op {
            Op::Admit {
                client,
                key,
                fingerprint,
                per_second,
                per_minute,
                client_per_minute,
            } => serde_json::to_value(self.admit(
                &client,
                key.as_deref(),
                fingerprint.as_deref(),
                (per_second, per_minute, client_per_minute),
            )?)?,
            Op::Finish {
                client,
                key,
                status,
                body,
            } => {
                self.finish(&client, &key, status, &body)?;
                Value::Null
            }
            Op::Release { client, key } => {
                self.sql().exec(
                    "DELETE FROM idem WHERE client = ? AND key = ? AND state = 'in_flight'",
                    vec![
                        SqlStorageValue::from(client.as_str()),
                        SqlStorageValue::from(key.as_str()),
                    ],
                )?;
                Value::Null
            }
            Op::Sandbox { payload } => serde_json::to_value(self.sandbox(&payload)?)?,
            Op::Inbound { number } => {
                self.sql().exec(
                    "INSERT INTO inbound (number, ts) VALUES (?, ?) ON CONFLICT (number) DO UPDATE SET ts = excluded.ts",
                    vec![SqlStorageValue::from(number.as_str()), int(now())],
                )?;
                Value::Null
            }
        };
        Response::from_json(&out)
    }
}
