//! The sandbox's delivery timeline: after a send, `delivered` and `read` events
//! due 2 and 5 seconds later, delivered by the object's alarm through the same
//! signature check and parsing as the upstream's webhooks, in its dialect (the
//! provider's events, or Meta's envelopes under `X-Hub-Signature-256`).

use super::{int, now, Gate, SandboxAnswer, Sent, Ts};
use crate::config::Dialect;
use crate::{sandbox, webhook};
use serde::Deserialize;
use worker::{Response, Result, SqlStorageValue};

/// The sandbox's delivery timeline, after a send.
pub(super) const SANDBOX_DELIVERED_MS: i64 = 2_000;
pub(super) const SANDBOX_READ_MS: i64 = 5_000;

#[derive(Deserialize)]
struct Pending {
    id: i64,
    body: String,
}

impl Gate {
    /// Plans a sandbox send's `delivered` and `read` events.
    pub(super) async fn play(&self, m: &Sent<'_>, t: i64) -> Result<()> {
        let sql = self.sql();
        for (after, event) in [
            (SANDBOX_DELIVERED_MS, "message.delivered"),
            (SANDBOX_READ_MS, "message.read"),
        ] {
            // Named as WhatsApp names recipients: a Mexican mobile by its `521` id.
            let wa_id =
                wasend::phone::whatsapp_id(m.recipient).unwrap_or_else(|| m.recipient.to_owned());
            let wa_id = wa_id.trim_start_matches('+');
            let status = event.trim_start_matches("message.");
            let body = match self.config.dialect {
                Dialect::Provider => serde_json::json!({
                    "event": event,
                    "timestamp": (t + after) / 1000,
                    "data": { "message_id": m.id, "status": status, "recipient": wa_id },
                }),
                // Meta's envelope, as Meta would post it.
                Dialect::Meta => serde_json::json!({
                    "object": "whatsapp_business_account",
                    "entry": [{ "id": "sandbox", "changes": [{ "field": "messages", "value": {
                        "messaging_product": "whatsapp",
                        "metadata": { "display_phone_number": "15550000000", "phone_number_id": "sandbox" },
                        "statuses": [{ "id": m.id, "status": status, "timestamp": ((t + after) / 1000).to_string(), "recipient_id": wa_id }],
                    }}]}],
                }),
            };
            sql.exec(
                "INSERT INTO pending (due, body) VALUES (?, ?)",
                vec![int(t + after), SqlStorageValue::from(body.to_string())],
            )?;
        }
        self.schedule().await?;
        Ok(())
    }

    /// Delivers the due events through the webhook path: signed with the webhook
    /// secret, verified, read and applied as the provider's would be.
    pub(super) async fn deliver_due(&self) -> Result<Response> {
        let t = now();
        let due: Vec<Pending> = self
            .sql()
            .exec(
                "SELECT id, body FROM pending WHERE due <= ? ORDER BY due",
                vec![int(t)],
            )?
            .to_array()?;
        let cfg = &self.config;
        let secret = webhook::secret(cfg).unwrap_or(webhook::SANDBOX_SECRET);
        for p in due {
            let body = p.body.as_bytes();
            let signature = webhook::sign(secret, body);
            let events = match cfg.dialect {
                Dialect::Provider => webhook::verify(secret, body, Some(&signature))
                    .then(|| webhook::parse(body, t).ok().flatten())
                    .flatten()
                    .into_iter()
                    .collect(),
                Dialect::Meta => {
                    let header = format!("sha256={signature}");
                    webhook::verify_meta(secret, body, Some(&header))
                        .then(|| webhook::parse_envelope(body, t).ok())
                        .flatten()
                        .unwrap_or_default()
                }
            };
            for event in &events {
                self.apply(event, None)?;
            }
            self.sql()
                .exec("DELETE FROM pending WHERE id = ?", vec![int(p.id)])?;
        }
        self.schedule().await?;
        Response::ok("ok")
    }

    /// Sets the alarm for the earliest pending sandbox event or subscriber webhook.
    pub(super) async fn schedule(&self) -> Result<()> {
        let rows: Vec<Ts> = self
            .sql()
            .exec("SELECT MIN(due) AS ts FROM pending", vec![])?
            .to_array()
            .unwrap_or_default();
        let pending = rows.first().map(|r| r.ts);
        let next = match (pending, self.outbox_due()?) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(due) = next {
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

    pub(super) fn sandbox(&self, payload: &str) -> Result<SandboxAnswer> {
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
        let window_open = self.window_open(&to)?;
        let id = sandbox::message_id(&mut random);
        if self.config.dialect == Dialect::Meta {
            let (status, text) = sandbox::meta_answer(&value, window_open, &id);
            let o = crate::upstream::read_meta(status, &text);
            return Ok(SandboxAnswer {
                status: o.status,
                body: o.body,
            });
        }
        let a = sandbox::answer(&value, window_open, &id);
        Ok(SandboxAnswer {
            status: a.status,
            body: a.body,
        })
    }
}
