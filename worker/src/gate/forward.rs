//! Webhooks to the apps, Meta's way: a client subscribes a callback URL and an
//! app secret of its own, and each event the log applies (from either upstream,
//! or the sandbox) is forwarded to it as Meta's envelope, signed with
//! `X-Hub-Signature-256` under that secret: a message's statuses to the client
//! that sent it, a customer's messages to every subscriber. An outbox table holds
//! each until its callback takes it (2xx), tried again with backoff for up to
//! seven days (as Meta does), one at a time and in order per message, so a
//! message's `read` never overtakes its `delivered`.

use super::{int, now, Gate, Ts};
use crate::webhook::{self, Event, Origin};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use worker::Result;

/// Meta keeps trying a webhook for seven days; so does the outbox.
const GIVE_UP_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// The first retry's wait, doubled each time up to an hour.
const FIRST_RETRY_MS: i64 = 1_000;
const LONGEST_RETRY_MS: i64 = 60 * 60 * 1000;
/// A callback that does not answer within this is tried again later.
const CALLBACK_TIMEOUT_MS: u64 = 10_000;
/// Deliveries per alarm: the rest wait for the next.
const BATCH: i64 = 50;

/// A client's subscription, as it reads it (the secret never leaves).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Subscription {
    pub url: String,
    pub created: i64,
}

#[derive(Deserialize)]
struct Due {
    id: i64,
    url: String,
    secret: String,
    body: String,
    attempts: i64,
    created: i64,
}

#[derive(Deserialize)]
struct Owner {
    client: Option<String>,
    account: Option<String>,
    wa_id: Option<String>,
}

#[derive(Deserialize)]
struct Client {
    client: String,
}

impl Gate {
    pub(super) fn subscribe(&self, client: &str, url: &str, secret: &str) -> Result<Subscription> {
        let t = now();
        self.sql().exec(
            "INSERT INTO subscriptions (client, url, secret, created) VALUES (?, ?, ?, ?) \
             ON CONFLICT (client) DO UPDATE SET url = excluded.url, secret = excluded.secret, created = excluded.created",
            vec![client.into(), url.into(), secret.into(), int(t)],
        )?;
        Ok(Subscription {
            url: url.to_owned(),
            created: t,
        })
    }

    pub(super) fn subscription(&self, client: &str) -> Result<Option<Subscription>> {
        let rows: Vec<Subscription> = self
            .sql()
            .exec(
                "SELECT url, created FROM subscriptions WHERE client = ?",
                vec![client.into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next())
    }

    /// Ends a client's subscription and drops what was waiting for it.
    pub(super) fn unsubscribe(&self, client: &str) -> Result<bool> {
        let sql = self.sql();
        sql.exec("DELETE FROM outbox WHERE client = ?", vec![client.into()])?;
        let cursor = sql.exec(
            "DELETE FROM subscriptions WHERE client = ?",
            vec![client.into()],
        )?;
        Ok(cursor.rows_written() > 0)
    }

    /// Queues an applied event for the subscribers it concerns; `true` when it
    /// queued any (the caller then sets the alarm).
    pub(super) fn enqueue(&self, event: &Event) -> Result<bool> {
        let sql = self.sql();
        let graph = &self.config.graph;
        let (clients, topic, account, recipient): (Vec<String>, String, Option<String>, _) =
            match event {
                Event::Status {
                    message_id,
                    recipient,
                    ..
                } => {
                    let owner: Vec<Owner> = sql
                        .exec(
                            "SELECT m.client AS client, m.account AS account, m.wa_id AS wa_id FROM messages m \
                             JOIN subscriptions s ON s.client = m.client WHERE m.id = ?",
                            vec![message_id.as_str().into()],
                        )?
                        .to_array()?;
                    let Some(owner) = owner.into_iter().next() else {
                        return Ok(false);
                    };
                    let recipient = recipient.clone().or(owner.wa_id);
                    (
                        owner.client.into_iter().collect(),
                        format!("message:{message_id}"),
                        owner.account,
                        recipient,
                    )
                }
                Event::Inbound { from, .. } => {
                    let all: Vec<Client> = sql
                        .exec("SELECT client FROM subscriptions", vec![])?
                        .to_array()?;
                    (
                        all.into_iter().map(|c| c.client).collect(),
                        format!("from:{from}"),
                        None,
                        None,
                    )
                }
            };
        if clients.is_empty() {
            return Ok(false);
        }
        let phone_number_id = graph.sender(account.as_deref()).unwrap_or("0").to_owned();
        let origin = Origin {
            waba_id: graph.waba_id.as_deref().unwrap_or("0"),
            phone_number_id: &phone_number_id,
        };
        let event = match (event, recipient) {
            (
                Event::Status {
                    message_id,
                    status,
                    at,
                    reason,
                    ..
                },
                Some(r),
            ) => Event::Status {
                message_id: message_id.clone(),
                status: *status,
                at: *at,
                reason: reason.clone(),
                recipient: Some(r),
            },
            (e, _) => e.clone(),
        };
        let body = webhook::envelope(&event, &origin).to_string();
        let t = now();
        for client in clients {
            sql.exec(
                "INSERT INTO outbox (client, topic, body, attempts, next_at, created) VALUES (?, ?, ?, 0, ?, ?)",
                vec![client.into(), topic.as_str().into(), body.as_str().into(), int(t), int(t)],
            )?;
        }
        Ok(true)
    }

    /// When the outbox next has something due.
    pub(super) fn outbox_due(&self) -> Result<Option<i64>> {
        let rows: Vec<Ts> = self
            .sql()
            .exec("SELECT MIN(next_at) AS ts FROM outbox", vec![])?
            .to_array()
            .unwrap_or_default();
        Ok(rows.first().map(|r| r.ts))
    }

    /// Posts what is due, the oldest first, never an item while an older one of
    /// the same client and message waits.
    pub(super) async fn deliver_outbox(&self) -> Result<()> {
        let t = now();
        let due: Vec<Due> = self
            .sql()
            .exec(
                "SELECT o.id AS id, s.url AS url, s.secret AS secret, o.body AS body, o.attempts AS attempts, \
                 o.created AS created FROM outbox o JOIN subscriptions s ON s.client = o.client \
                 WHERE o.next_at <= ? AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.client = o.client \
                 AND p.topic = o.topic AND p.id < o.id) ORDER BY o.id LIMIT ?",
                vec![int(t), int(BATCH)],
            )?
            .to_array()?;
        for d in due {
            let taken = post(&d).await;
            let sql = self.sql();
            if taken {
                sql.exec("DELETE FROM outbox WHERE id = ?", vec![int(d.id)])?;
            } else if now() - d.created > GIVE_UP_MS {
                worker::console_error!("webhook to a subscriber given up after seven days");
                sql.exec("DELETE FROM outbox WHERE id = ?", vec![int(d.id)])?;
            } else {
                let wait = FIRST_RETRY_MS
                    .saturating_mul(1 << d.attempts.clamp(0, 22))
                    .min(LONGEST_RETRY_MS);
                sql.exec(
                    "UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?",
                    vec![int(now() + wait), int(d.id)],
                )?;
            }
        }
        Ok(())
    }
}

/// One signed post to a subscriber's callback; `true` when it took it (2xx).
async fn post(d: &Due) -> bool {
    let headers = worker::Headers::new();
    let signature = format!("sha256={}", webhook::sign(&d.secret, d.body.as_bytes()));
    if headers.set("content-type", "application/json").is_err()
        || headers.set("x-hub-signature-256", &signature).is_err()
    {
        return false;
    }
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Post)
        .with_headers(headers)
        .with_body(Some(d.body.as_str().into()));
    let Ok(req) = worker::Request::new_with_init(&d.url, &init) else {
        return false;
    };
    let fetch = worker::Fetch::Request(req);
    let send = Box::pin(fetch.send());
    let timer = Box::pin(worker::Delay::from(Duration::from_millis(
        CALLBACK_TIMEOUT_MS,
    )));
    let taken = match futures_util::future::select(send, timer).await {
        futures_util::future::Either::Left((Ok(r), _)) => (200..300).contains(&r.status_code()),
        _ => false,
    };
    taken
}
