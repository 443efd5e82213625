//! The message log: every send through the proxy and every status event, kept 30
//! days, folded into a status by the core's order, read by the client that sent.

use super::protocol::{Applied, Message, MessagePage};
use super::windows::person;
use super::{int, now, Gate};
use crate::paging::{newest_first, page, Keyset, NEWEST_FIRST};
use crate::webhook::Event;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasend::status::{self, Status};
use worker::{Result, SqlStorageValue};

/// The message log keeps 30 days.
const LOG_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// What the log keeps of a sent message.
pub struct Sent<'a> {
    pub id: &'a str,
    pub account: Option<&'a str>,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub key: Option<&'a str>,
    /// The recipient's WhatsApp id, when the provider's answer names it.
    pub wa_id: Option<String>,
    /// The campaign and row it was sent for.
    pub campaign: Option<&'a super::protocol::CampaignRow>,
}

/// A WhatsApp id as a webhook or an answer writes it (`5215512345678`), in E.164.
pub fn wa_id(digits: &str) -> Option<String> {
    let d = digits.strip_prefix('+').unwrap_or(digits);
    (!d.is_empty() && d.len() <= 20 && d.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("+{d}"))
}

/// The WhatsApp id an answer names: Meta's `contacts[0].wa_id`, or the provider's
/// under `data`.
pub(super) fn answered_wa_id(answer: &Value) -> Option<String> {
    [
        &answer["contacts"][0]["wa_id"],
        &answer["data"]["wa_id"],
        &answer["data"]["contacts"][0]["wa_id"],
    ]
    .into_iter()
    .find_map(|v| v.as_str().and_then(wa_id))
}

/// A logged message, as stored and as its client reads it.
#[derive(Deserialize, Serialize)]
pub struct MessageRow {
    pub id: String,
    pub account: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub recipient: Option<String>,
    /// The recipient as one person (`phone::identity`: WhatsApp-id variants are one).
    pub identity: Option<String>,
    /// The WhatsApp id the provider's answer or a webhook named, when one did.
    pub wa_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub created: i64,
    pub status: Status,
    pub failure: Option<String>,
    pub updated: i64,
}

/// One status event of a logged message.
#[derive(Deserialize, Serialize)]
pub struct EventRow {
    pub event: Status,
    pub at: i64,
    pub reason: Option<String>,
}

#[derive(Deserialize)]
struct RecipientRow {
    recipient: Option<String>,
}

impl Gate {
    /// The number a logged message went to.
    fn recipient_of(&self, message_id: &str) -> Result<Option<String>> {
        let rows: Vec<RecipientRow> = self
            .sql()
            .exec(
                "SELECT recipient FROM messages WHERE id = ?",
                vec![SqlStorageValue::from(message_id)],
            )?
            .to_array()?;
        Ok(rows.into_iter().next().and_then(|r| r.recipient))
    }

    /// Logs a message the provider took; in the sandbox, schedules its delivery.
    pub(super) async fn record(&self, client: &str, m: &Sent<'_>, sandbox: bool) -> Result<()> {
        let t = now();
        let sql = self.sql();
        sql.exec(
            "DELETE FROM messages WHERE created < ?",
            vec![int(t - LOG_MS)],
        )?;
        sql.exec(
            "INSERT INTO messages (id, client, account, type, recipient, identity, wa_id, idempotency_key, created, status, updated, \
             campaign, campaign_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?) ON CONFLICT (id) DO UPDATE SET client = excluded.client, \
             account = excluded.account, type = excluded.type, recipient = excluded.recipient, \
             identity = excluded.identity, wa_id = COALESCE(excluded.wa_id, messages.wa_id), \
             idempotency_key = excluded.idempotency_key, created = excluded.created, campaign = excluded.campaign, \
             campaign_row = excluded.campaign_row",
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
                SqlStorageValue::from(m.campaign.map(|c| c.id.as_str())),
                SqlStorageValue::from(
                    m.campaign
                        .map(|c| i64::try_from(c.row).unwrap_or(i64::MAX)),
                ),
            ],
        )?;
        sql.exec(
            "INSERT INTO events (message_id, event, at, received) VALUES (?, 'sent', ?, ?) ON CONFLICT DO NOTHING",
            vec![SqlStorageValue::from(m.id), int(t), int(t)],
        )?;
        self.restatus(m.id)?;
        // Meta's `sent` webhook, for a subscriber: the upstream took it.
        let queued = self.enqueue(&Event::Status {
            message_id: m.id.to_owned(),
            status: Status::Sent,
            at: t,
            reason: None,
            recipient: Some(m.wa_id.clone().unwrap_or_else(|| m.recipient.to_owned())),
        })?;
        if sandbox {
            self.play(m, t).await?;
        } else if queued {
            // Only a send a subscriber waits for costs the alarm's storage reads.
            self.schedule().await?;
        }
        Ok(())
    }

    /// Recomputes a message's status from all its events (the lattice).
    pub(super) fn restatus(&self, id: &str) -> Result<()> {
        let events: Vec<EventRow> = self
            .sql()
            .exec(
                "SELECT event, at, reason FROM events WHERE message_id = ?",
                vec![SqlStorageValue::from(id)],
            )?
            .to_array()?;
        let (status, failure) = status::fold(events.iter().map(|e| (e.event, e.reason.as_deref())));
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

    /// Applies a verified event (`added_by`: who an opt-out it causes is recorded
    /// as added by, when not the event's own message); not applied when it was a
    /// duplicate.
    pub(super) fn log_event(&self, event: &Event, added_by: Option<&str>) -> Result<Applied> {
        let sql = self.sql();
        match event {
            Event::Inbound {
                from,
                at,
                text,
                message_id,
                ..
            } => {
                // The same incoming message again (a provider's retry, or a replay of
                // a signed body) changes nothing: not the window, not the opt-outs.
                if let Some(id) = message_id {
                    if !self.first_time_incoming(id)? {
                        return Ok(Applied::duplicate());
                    }
                }
                let until = self.wrote(from, *at)?;
                if text
                    .as_deref()
                    .is_some_and(|t| wasend::optout::is_stop(t, &self.config.stop_keywords))
                {
                    let by = match (added_by, message_id) {
                        (Some(by), _) => by.to_owned(),
                        (None, Some(id)) => format!("message:{id}"),
                        (None, None) => "webhook".to_owned(),
                    };
                    self.suppress(from, Some("replied with a stop keyword"), "inbound", &by)?;
                }
                Ok(Applied {
                    applied: true,
                    window_open_until: Some(until),
                })
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
                // "Stopped marketing messages" (131050) suppresses the recipient.
                if *status == Status::Failed
                    && wasend::failures::rule(None, reason.as_deref()).is_some_and(|r| r.suppresses)
                {
                    if let Some(number) = self.recipient_of(message_id)? {
                        let by = format!("message:{message_id}");
                        self.suppress(&number, reason.as_deref(), "failure", &by)?;
                    }
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
                Ok(Applied {
                    applied: fresh,
                    window_open_until: None,
                })
            }
        }
    }

    /// Records an incoming message's id; `false` when it was already recorded.
    fn first_time_incoming(&self, id: &str) -> Result<bool> {
        let t = now();
        let sql = self.sql();
        sql.exec(
            "DELETE FROM incoming WHERE received < ?",
            vec![int(t - LOG_MS)],
        )?;
        let cursor = sql.exec(
            "INSERT INTO incoming (message_id, received) VALUES (?, ?) ON CONFLICT DO NOTHING",
            vec![SqlStorageValue::from(id), int(t)],
        )?;
        Ok(cursor.rows_written() > 0)
    }

    pub(super) fn message(&self, client: &str, id: &str) -> Result<Option<Message>> {
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
        history.sort_by_key(|e| (e.event.rank(), e.at));
        Ok(Some(Message {
            message: m,
            history,
        }))
    }

    pub(super) fn list(
        &self,
        client: &str,
        limit: u32,
        cursor: Option<&Keyset>,
    ) -> Result<MessagePage> {
        let limit = limit.clamp(1, NEWEST_FIRST.max);
        let (query, args) = newest_first(
            "SELECT id, account, type, recipient, identity, wa_id, idempotency_key, created, status, failure, updated \
             FROM messages WHERE client = ?",
            vec![SqlStorageValue::from(client)],
            cursor,
            limit,
        );
        let rows: Vec<MessageRow> = self.sql().exec(&query, args)?.to_array()?;
        let (data, next_cursor) = page(rows, limit, |m| Keyset {
            created: m.created,
            id: m.id.clone(),
        });
        Ok(MessagePage { data, next_cursor })
    }
}
