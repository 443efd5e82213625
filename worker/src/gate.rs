//! `Gate`: one Durable Object per upstream key (or one for the sandbox), the
//! single place every send of that key passes, and the place it is sent from.
//! Being one object, it sees every client and every edge location, and each
//! admission runs without interleaving (synchronous SQLite, no await between the
//! check and the insert): that is what makes the rate limit exact and an
//! idempotency key usable only once. Other requests run while a send awaits
//! the provider.
//!
//! State is in the object's SQLite storage: the admission times of the last
//! minute, the idempotency records of the last 24 hours, and (sandbox) when
//! each recipient last wrote.

use crate::codes::ErrorCode;
use crate::config::Config;
use crate::webhook::{self, Event};
use crate::{sandbox, templates, upstream};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasend::status::{self, Status};
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, SqlStorageValue,
    State,
};

/// The provider's limits (its send-API page); `RATE_PER_SECOND` and
/// `RATE_PER_MINUTE` change them for a provider plan with other numbers.
pub const PER_SECOND: u32 = 10;
pub const PER_MINUTE: u32 = 100;
/// Admission windows are this much longer than the provider's (`RATE_MARGIN_MS`
/// changes it): sends admitted here reach the provider later, not all equally
/// late, and the provider must never count eleven in any second of its own
/// clock. 100 ms was not enough under `benches/load.mjs` (a loaded workerd
/// delayed some requests 180 ms more than others); 500 ms costs little, since
/// the minute's limit (one send per 600 ms on average) binds long before.
pub const MARGIN_MS: u32 = 500;
const SECOND_MS: i64 = 1_000;
const MINUTE_MS: i64 = 60_000;
/// How long an idempotency key is remembered (documented in the README).
pub const KEY_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// A send still "in flight" after this long died with its Worker: its outcome is
/// unknown, and it is answered as a gateway timeout rather than sent again.
const IN_FLIGHT_MS: i64 = 120_000;
const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
/// The message log keeps 30 days.
const LOG_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// The sandbox's delivery timeline, after a send.
const SANDBOX_DELIVERED_MS: i64 = 2_000;
const SANDBOX_READ_MS: i64 = 5_000;

/// What the Worker asks of its `Gate`: one typed request per operation, written
/// by the Worker and read here with the same type.
#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// A validated send: admitted (or not) and, when admitted, sent from here.
    Send(Box<SendOp>),
    Inbound {
        number: String,
    },
    /// A verified webhook event.
    Event {
        event: Event,
    },
    Get {
        client: String,
        id: String,
    },
    List {
        client: String,
        limit: u32,
        cursor: Option<String>,
    },
    /// The approved templates in force, and where they come from.
    Templates,
    /// An operator's list of approved templates (`None`: back to the source's own).
    SetTemplates {
        definitions: Option<Vec<Value>>,
    },
}

#[derive(Serialize, Deserialize)]
pub struct SendOp {
    pub client: String,
    pub key: Option<String>,
    pub fingerprint: Option<String>,
    /// A free-form message's recipient, when the Worker learns inbound messages
    /// from webhooks: the answer then says whether their 24-hour window is open.
    pub window_of: Option<String>,
    /// The normalized payload, as sent.
    pub body: String,
    pub account: Option<String>,
    pub kind: String,
    pub recipient: String,
}

/// What the log keeps of a sent message.
pub struct Sent<'a> {
    pub id: &'a str,
    pub account: Option<&'a str>,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub key: Option<&'a str>,
    /// The recipient's WhatsApp id, when the provider's answer names it.
    pub wa_id: Option<String>,
}

/// One key for one person: the 24-hour window and the log's `identity` use it, so
/// that `+5215512345678` writing in opens the window for `+525512345678`.
fn person(number: &str) -> String {
    wasend::phone::identity(number).unwrap_or_else(|| number.to_owned())
}

/// A WhatsApp id as a webhook or an answer writes it (`5215512345678`), in E.164.
pub fn wa_id(digits: &str) -> Option<String> {
    let d = digits.strip_prefix('+').unwrap_or(digits);
    (!d.is_empty() && d.len() <= 20 && d.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("+{d}"))
}

/// The WhatsApp id an answer names: Meta's `contacts[0].wa_id`, or the provider's
/// under `data`.
fn answered_wa_id(answer: &Value) -> Option<String> {
    [
        &answer["contacts"][0]["wa_id"],
        &answer["data"]["wa_id"],
        &answer["data"]["contacts"][0]["wa_id"],
    ]
    .into_iter()
    .find_map(|v| v.as_str().and_then(wa_id))
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Sent (or refused by the provider, or failed): the answer to give.
    Done {
        status: u16,
        body: String,
        retry_after: Option<u64>,
        remaining: u32,
        window_open: Option<bool>,
        /// Sent, but with something the client should know (a template left unchecked).
        warning: Option<String>,
    },
    /// Over a limit: try again after this long.
    Limited { retry_after_ms: i64, scope: String },
    /// Refused before sending (its template): the answer.
    Refused {
        status: u16,
        body: String,
        retry_after: Option<u64>,
    },
    /// The key's first request finished: its stored answer.
    Replay { status: u16, body: String },
    /// The key's first request is still running.
    InFlight,
    /// The key was used with another body.
    Mismatch,
}

/// How long until a limit admits another send, and which limit.
type Wait = (i64, &'static str);

#[derive(Serialize, Deserialize)]
pub struct SandboxAnswer {
    pub status: u16,
    pub body: Value,
}

/// A page cursor, `<created>.<id>` of the last item shown: stable under new sends.
/// `None` for anything else (the Worker answers 400 `invalid_cursor` to it).
pub fn parse_cursor(cursor: &str) -> Option<(i64, String)> {
    let (t, id) = cursor.split_once('.')?;
    let t = i64::try_from(wasend::numbers::digits_u64(t)?).ok()?;
    (!id.is_empty()).then(|| (t, id.to_owned()))
}

#[durable_object]
#[allow(missing_debug_implementations)]
pub struct Gate {
    state: State,
    env: Env,
    config: Config,
    templates: templates::Registry,
}

/// The clock, in the milliseconds the stored times use.
pub(crate) fn now() -> i64 {
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

#[derive(Deserialize, Serialize)]
struct MessageRow {
    id: String,
    account: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    recipient: Option<String>,
    /// The recipient as one person (`phone::identity`: WhatsApp-id variants are one).
    identity: Option<String>,
    /// The WhatsApp id the provider's answer or a webhook named, when one did.
    wa_id: Option<String>,
    idempotency_key: Option<String>,
    created: i64,
    status: String,
    failure: Option<String>,
    updated: i64,
}

#[derive(Deserialize, Serialize)]
struct EventRow {
    event: String,
    at: i64,
    reason: Option<String>,
}

#[derive(Deserialize)]
struct Pending {
    id: i64,
    body: String,
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

    /// The answer an `Idempotency-Key` already has (a replay, a mismatch, still in
    /// flight), if it has one.
    fn known(
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
                    if t - r.created < IN_FLIGHT_MS {
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

    /// Admits a send: `Ok(remaining)` when it may go (its key, if any, now in
    /// flight), else the answer to give instead.
    fn admit(
        &self,
        client: &str,
        key: Option<&str>,
        fingerprint: Option<&str>,
    ) -> Result<std::result::Result<u32, Decision>> {
        let cfg = &self.config;
        let (per_second, per_minute) = (cfg.per_second, cfg.per_minute);
        let t = now();
        let sql = self.sql();
        if let Some(d) = self.known(client, key, fingerprint)? {
            return Ok(Err(d));
        }
        let (in_second, in_minute, wait) =
            self.rate(client, (per_second, per_minute, cfg.client_per_minute), t)?;
        if let Some((retry_after_ms, scope)) = wait {
            return Ok(Err(Decision::Limited {
                retry_after_ms,
                scope: scope.to_owned(),
            }));
        }
        self.take(client, t)?;
        if let (Some(key), Some(fp)) = (key, fingerprint) {
            sql.exec(
                "INSERT INTO idem (client, key, fingerprint, state, created) VALUES (?, ?, ?, 'in_flight', ?)",
                vec![SqlStorageValue::from(client), SqlStorageValue::from(key), SqlStorageValue::from(fp), int(t)],
            )?;
        }
        Ok(Ok(per_second
            .saturating_sub(in_second + 1)
            .min(per_minute.saturating_sub(in_minute + 1))))
    }

    /// Counts a request to the provider at `t` in every window.
    fn take(&self, client: &str, t: i64) -> Result<()> {
        self.sql().exec(
            "INSERT INTO sends (ts, client) VALUES (?, ?)",
            vec![int(t), SqlStorageValue::from(client)],
        )?;
        Ok(())
    }

    /// Admits a send and, when admitted, sends it: here, in the one object every
    /// send of the key passes, so that the request leaves in the same turn as its
    /// admission. Sent from the calling Worker instead, requests admitted apart
    /// reached the provider bunched (a loaded Worker delays some more than others),
    /// and the provider counted 11 to 13 in a second under load.
    async fn send(&self, op: &SendOp) -> Result<Decision> {
        let cfg = &self.config;
        // A key's stored answer comes first: a retry replays what was answered, even
        // if the template has changed since.
        if let Some(d) = self.known(&op.client, op.key.as_deref(), op.fingerprint.as_deref())? {
            return Ok(d);
        }
        // Then the template, against its approved definition, before a rate slot is
        // taken: nothing the provider would refuse is sent.
        let mut warning = None;
        if op.kind == "template" {
            let payload = wasend::json::parse(op.body.as_bytes()).unwrap_or_default();
            match self
                .templates
                .check(&self.sql(), cfg, now(), &payload)
                .await
            {
                templates::Check::Passed => {}
                templates::Check::Unchecked(why) => {
                    warning = Some(format!("template not checked: {why}"));
                }
                templates::Check::Refused {
                    status,
                    body,
                    retry_after,
                } => {
                    return Ok(Decision::Refused {
                        status,
                        body: body.to_string(),
                        retry_after,
                    });
                }
            }
        }
        let remaining =
            match self.admit(&op.client, op.key.as_deref(), op.fingerprint.as_deref())? {
                Ok(remaining) => remaining,
                Err(answer) => return Ok(answer),
            };
        let window_open = match &op.window_of {
            Some(number) => Some(self.window_open(number)?),
            None => None,
        };
        let (status, answer, retry_after, store) = match &cfg.upstream {
            None => {
                let a = self.sandbox(&op.body)?;
                (a.status, a.body, None, true)
            }
            Some(up) => {
                let slot = async || self.slot(&op.client).ok();
                let o = upstream::forward(cfg, up, &op.body, slot).await;
                (o.status, o.body, o.retry_after, o.store)
            }
        };
        let body = cfg.redact(&answer.to_string());
        if let Some(key) = &op.key {
            if store {
                self.finish(&op.client, key, status, &body)?;
            } else {
                self.release(&op.client, key)?;
            }
        }
        if let Some(id) = answer["data"]["message_id"]
            .as_str()
            .filter(|_| status == 200)
        {
            let sent = Sent {
                id,
                account: op.account.as_deref(),
                kind: &op.kind,
                recipient: &op.recipient,
                key: op.key.as_deref(),
                wa_id: answered_wa_id(&answer),
            };
            self.record(&op.client, &sent, cfg.sandbox()).await?;
        }
        Ok(Decision::Done {
            status,
            body,
            retry_after,
            remaining,
            window_open,
            warning,
        })
    }

    /// Frees a key whose send certainly did not reach the provider.
    fn release(&self, client: &str, key: &str) -> Result<()> {
        self.sql().exec(
            "DELETE FROM idem WHERE client = ? AND key = ? AND state = 'in_flight'",
            vec![SqlStorageValue::from(client), SqlStorageValue::from(key)],
        )?;
        Ok(())
    }

    /// A retry of an admitted send is another request upstream, so it takes a slot
    /// in the provider's windows too (not in the client's: the client asked once).
    /// Returns 0 when the slot is taken, else the milliseconds to wait.
    fn slot(&self, client: &str) -> Result<i64> {
        let t = now();
        let limits = (self.config.per_second, self.config.per_minute, 0);
        if let (_, _, Some((wait, _))) = self.rate(client, limits, t)? {
            return Ok(wait);
        }
        self.take(client, t)?;
        Ok(0)
    }

    /// The sends in the last second and minute, and the longest wait any limit imposes.
    fn rate(
        &self,
        client: &str,
        limits: (u32, u32, u32),
        t: i64,
    ) -> Result<(u32, u32, Option<Wait>)> {
        let (per_second, per_minute, client_per_minute) = limits;
        let margin = i64::from(self.config.rate_margin_ms);
        let (second_ms, minute_ms) = (SECOND_MS + margin, MINUTE_MS + margin);
        self.sql()
            .exec("DELETE FROM sends WHERE ts <= ?", vec![int(t - minute_ms)])?;
        let in_second = self.count(
            "SELECT COUNT(*) AS n FROM sends WHERE ts > ?",
            vec![int(t - second_ms)],
        )?;
        let in_minute = self.count("SELECT COUNT(*) AS n FROM sends", vec![])?;
        let mut waits = Vec::new();
        if in_second >= per_second {
            waits.push((self.wait(second_ms, per_second, t, None)?, "second"));
        }
        if in_minute >= per_minute {
            waits.push((self.wait(minute_ms, per_minute, t, None)?, "minute"));
        }
        if client_per_minute > 0 {
            let mine = self.count(
                "SELECT COUNT(*) AS n FROM sends WHERE client = ?",
                vec![SqlStorageValue::from(client)],
            )?;
            if mine >= client_per_minute {
                waits.push((
                    self.wait(minute_ms, client_per_minute, t, Some(client))?,
                    "client",
                ));
            }
        }
        Ok((
            in_second,
            in_minute,
            waits.into_iter().max_by_key(|(w, _)| *w),
        ))
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

    /// Logs a message the provider took; in the sandbox, schedules its delivery.
    async fn record(&self, client: &str, m: &Sent<'_>, sandbox: bool) -> Result<()> {
        let t = now();
        let sql = self.sql();
        sql.exec(
            "DELETE FROM messages WHERE created < ?",
            vec![int(t - LOG_MS)],
        )?;
        sql.exec(
            "INSERT INTO messages (id, client, account, type, recipient, identity, wa_id, idempotency_key, created, status, updated) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?) ON CONFLICT (id) DO UPDATE SET client = excluded.client, \
             account = excluded.account, type = excluded.type, recipient = excluded.recipient, \
             identity = excluded.identity, wa_id = COALESCE(excluded.wa_id, messages.wa_id), \
             idempotency_key = excluded.idempotency_key, created = excluded.created",
            vec![
                SqlStorageValue::from(m.id),
                SqlStorageValue::from(client),
                SqlStorageValue::from(m.account),
                SqlStorageValue::from(m.kind),
                SqlStorageValue::from(m.recipient),
                SqlStorageValue::from(person(m.recipient)),
                SqlStorageValue::from(m.wa_id.clone()),
                SqlStorageValue::from(m.key),
                int(t),
                int(t),
            ],
        )?;
        sql.exec(
            "INSERT INTO events (message_id, event, at, received) VALUES (?, 'sent', ?, ?) ON CONFLICT DO NOTHING",
            vec![SqlStorageValue::from(m.id), int(t), int(t)],
        )?;
        self.restatus(m.id)?;
        if sandbox {
            for (after, event) in [
                (SANDBOX_DELIVERED_MS, "message.delivered"),
                (SANDBOX_READ_MS, "message.read"),
            ] {
                let body = serde_json::json!({
                    "event": event,
                    "timestamp": (t + after) / 1000,
                    // Named as WhatsApp names recipients: a Mexican mobile by its `521` id.
                    "data": { "message_id": m.id, "status": event.trim_start_matches("message."),
                              "recipient": wasend::phone::whatsapp_id(m.recipient).unwrap_or_else(|| m.recipient.to_owned()).trim_start_matches('+') },
                });
                sql.exec(
                    "INSERT INTO pending (due, body) VALUES (?, ?)",
                    vec![int(t + after), SqlStorageValue::from(body.to_string())],
                )?;
            }
            self.schedule().await?;
        }
        Ok(())
    }

    /// Sets the alarm for the earliest pending sandbox event.
    async fn schedule(&self) -> Result<()> {
        let rows: Vec<Ts> = self
            .sql()
            .exec("SELECT MIN(due) AS ts FROM pending", vec![])?
            .to_array()
            .unwrap_or_default();
        if let Some(due) = rows.first().map(|r| r.ts) {
            let storage = self.state.storage();
            let current = storage.get_alarm().await?;
            if current.is_none_or(|c| c > due) {
                // An absolute time: `ScheduledTime::from(i64)` would read it as an offset.
                #[allow(clippy::cast_precision_loss)]
                let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(due as f64));
                storage.set_alarm(worker::ScheduledTime::new(at)).await?;
            }
        }
        Ok(())
    }

    /// Recomputes a message's status from all its events (the lattice).
    fn restatus(&self, id: &str) -> Result<()> {
        let events: Vec<EventRow> = self
            .sql()
            .exec(
                "SELECT event, at, reason FROM events WHERE message_id = ?",
                vec![SqlStorageValue::from(id)],
            )?
            .to_array()?;
        let (status, failure) = status::fold(
            events
                .iter()
                .filter_map(|e| Some((Status::parse(&e.event)?, e.reason.as_deref()))),
        );
        self.sql().exec(
            "UPDATE messages SET status = ?, failure = ?, updated = ? WHERE id = ?",
            vec![
                SqlStorageValue::from(status.as_str()),
                SqlStorageValue::from(failure),
                int(now()),
                SqlStorageValue::from(id),
            ],
        )?;
        Ok(())
    }

    /// Applies a verified event; `false` when it was a duplicate.
    fn apply(&self, event: &Event) -> Result<bool> {
        let sql = self.sql();
        match event {
            Event::Inbound { from, at } => {
                sql.exec(
                    "INSERT INTO inbound (number, ts) VALUES (?, ?) ON CONFLICT (number) DO UPDATE SET ts = MAX(ts, excluded.ts)",
                    vec![SqlStorageValue::from(person(from)), int(*at)],
                )?;
                Ok(true)
            }
            Event::Status {
                message_id,
                status,
                at,
                reason,
                recipient,
            } => {
                let t = now();
                // Statuses of messages sent around the proxy are logged too, without an owner.
                sql.exec(
                    "INSERT INTO messages (id, created, status, updated) VALUES (?, ?, 'sent', ?) ON CONFLICT (id) DO NOTHING",
                    vec![SqlStorageValue::from(message_id.as_str()), int(*at), int(t)],
                )?;
                let cursor = sql.exec(
                    "INSERT INTO events (message_id, event, at, received, reason) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    vec![
                        SqlStorageValue::from(message_id.as_str()),
                        SqlStorageValue::from(status.as_str()),
                        int(*at),
                        int(t),
                        SqlStorageValue::from(reason.clone()),
                    ],
                )?;
                let fresh = cursor.rows_written() > 0;
                if fresh {
                    self.restatus(message_id)?;
                }
                if let Some(id) = recipient.as_deref().and_then(wa_id) {
                    sql.exec(
                        "UPDATE messages SET wa_id = ? WHERE id = ?",
                        vec![
                            SqlStorageValue::from(id),
                            SqlStorageValue::from(message_id.as_str()),
                        ],
                    )?;
                }
                Ok(fresh)
            }
        }
    }

    fn message(&self, client: &str, id: &str) -> Result<Option<Value>> {
        let rows: Vec<MessageRow> = self
            .sql()
            .exec(
                "SELECT id, account, type, recipient, identity, wa_id, idempotency_key, created, status, failure, updated \
                 FROM messages WHERE id = ? AND client = ?",
                vec![SqlStorageValue::from(id), SqlStorageValue::from(client)],
            )?
            .to_array()?;
        let Some(m) = rows.into_iter().next() else {
            return Ok(None);
        };
        let mut history: Vec<EventRow> = self
            .sql()
            .exec(
                "SELECT event, at, reason FROM events WHERE message_id = ? ORDER BY at",
                vec![SqlStorageValue::from(id)],
            )?
            .to_array()?;
        // In the core's status order: the provider's clock and ours need not agree.
        history.sort_by_key(|e| (Status::parse(&e.event).map_or(u8::MAX, Status::rank), e.at));
        let mut v = serde_json::to_value(&m)?;
        v["history"] = serde_json::to_value(history)?;
        Ok(Some(v))
    }

    fn list(&self, client: &str, limit: u32, cursor: Option<&str>) -> Result<Value> {
        let limit = limit.clamp(1, 100);
        let after = cursor.and_then(parse_cursor);
        let fetch = i64::from(limit) + 1;
        let rows: Vec<MessageRow> = match &after {
            Some((t, id)) => self.sql().exec(
                "SELECT id, account, type, recipient, identity, wa_id, idempotency_key, created, status, failure, updated FROM messages \
                 WHERE client = ? AND (created < ? OR (created = ? AND id < ?)) ORDER BY created DESC, id DESC LIMIT ?",
                vec![SqlStorageValue::from(client), int(*t), int(*t), SqlStorageValue::from(id.as_str()), int(fetch)],
            )?,
            None => self.sql().exec(
                "SELECT id, account, type, recipient, identity, wa_id, idempotency_key, created, status, failure, updated FROM messages \
                 WHERE client = ? ORDER BY created DESC, id DESC LIMIT ?",
                vec![SqlStorageValue::from(client), int(fetch)],
            )?,
        }
        .to_array()?;
        let more = rows.len() > limit as usize;
        let page: Vec<&MessageRow> = rows.iter().take(limit as usize).collect();
        let next = if more {
            page.last().map(|m| format!("{}.{}", m.created, m.id))
        } else {
            None
        };
        Ok(serde_json::json!({ "data": page, "next_cursor": next }))
    }

    fn window_open(&self, number: &str) -> Result<bool> {
        let rows: Vec<Ts> = self
            .sql()
            .exec(
                "SELECT ts FROM inbound WHERE number = ?",
                vec![SqlStorageValue::from(person(number))],
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
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        for ddl in [
            "CREATE TABLE IF NOT EXISTS sends (ts INTEGER NOT NULL, client TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS sends_ts ON sends (ts)",
            "CREATE TABLE IF NOT EXISTS idem (client TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, \
             state TEXT NOT NULL, status INTEGER, body TEXT, created INTEGER NOT NULL, PRIMARY KEY (client, key))",
            "CREATE INDEX IF NOT EXISTS idem_created ON idem (created)",
            "CREATE TABLE IF NOT EXISTS inbound (number TEXT PRIMARY KEY, ts INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, client TEXT, account TEXT, type TEXT, recipient TEXT, \
             idempotency_key TEXT, created INTEGER NOT NULL, status TEXT NOT NULL, failure TEXT, updated INTEGER NOT NULL)",
            "CREATE INDEX IF NOT EXISTS messages_client ON messages (client, created, id)",
            // Columns added after the first release: an error here means they exist.
            "ALTER TABLE messages ADD COLUMN identity TEXT",
            "ALTER TABLE messages ADD COLUMN wa_id TEXT",
            "CREATE TABLE IF NOT EXISTS events (message_id TEXT NOT NULL, event TEXT NOT NULL, at INTEGER NOT NULL, \
             received INTEGER NOT NULL, reason TEXT, PRIMARY KEY (message_id, event))",
            "CREATE TABLE IF NOT EXISTS pending (id INTEGER PRIMARY KEY AUTOINCREMENT, due INTEGER NOT NULL, body TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS templates (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL, updated INTEGER NOT NULL)",
        ] {
            // A failure here resurfaces on the first query, as a 500 the Worker maps.
            let _ = sql.exec(ddl, vec![]);
        }
        let config = Config::from_env(&env);
        Gate {
            state,
            env,
            config,
            templates: templates::Registry::default(),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let op: Op = req.json().await?;
        let out = match op {
            Op::Send(op) => serde_json::to_value(self.send(&op).await?)?,
            Op::Event { event } => serde_json::json!({ "applied": self.apply(&event)? }),
            Op::Get { client, id } => self.message(&client, &id)?.unwrap_or(Value::Null),
            Op::List {
                client,
                limit,
                cursor,
            } => self.list(&client, limit, cursor.as_deref())?,
            Op::Templates => match self
                .templates
                .list(&self.sql(), &self.config, now(), false)
                .await
            {
                Ok(l) => serde_json::json!({ "data": l.raw, "source": l.origin.as_str() }),
                Err(why) => serde_json::json!({ "error": why }),
            },
            Op::SetTemplates { definitions } => {
                templates::Registry::set_operator(&self.sql(), definitions.as_deref(), now())?;
                let l = self
                    .templates
                    .list(&self.sql(), &self.config, now(), false)
                    .await;
                serde_json::json!({ "source": l.map_or("upstream", |l| l.origin.as_str()) })
            }
            Op::Inbound { number } => {
                self.sql().exec(
                    "INSERT INTO inbound (number, ts) VALUES (?, ?) ON CONFLICT (number) DO UPDATE SET ts = excluded.ts",
                    vec![SqlStorageValue::from(person(&number)), int(now())],
                )?;
                Value::Null
            }
        };
        Response::from_json(&out)
    }

    /// Delivers the sandbox's due events through the webhook path: signed with the
    /// webhook secret, verified, read and applied as the provider's would be.
    async fn alarm(&self) -> Result<Response> {
        let t = now();
        let due: Vec<Pending> = self
            .sql()
            .exec(
                "SELECT id, body FROM pending WHERE due <= ? ORDER BY due",
                vec![int(t)],
            )?
            .to_array()?;
        let secret = self
            .env
            .secret("WEBHOOK_SECRET")
            .map(|s| s.to_string())
            .or_else(|_| self.env.var("WEBHOOK_SECRET").map(|v| v.to_string()))
            .unwrap_or_else(|_| webhook::SANDBOX_SECRET.to_owned());
        for p in due {
            let signature = webhook::sign(&secret, p.body.as_bytes());
            if webhook::verify(&secret, p.body.as_bytes(), Some(&signature)) {
                if let Ok(Some(event)) = webhook::parse(p.body.as_bytes(), t) {
                    self.apply(&event)?;
                }
            }
            self.sql()
                .exec("DELETE FROM pending WHERE id = ?", vec![int(p.id)])?;
        }
        self.schedule().await?;
        Response::ok("ok")
    }
}
