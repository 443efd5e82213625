//! The sandbox's delivery timeline: after a send, `delivered` and `read` events
//! due 2 and 5 seconds later, delivered by the object's alarm through the same
//! signature check and parsing as the provider's webhooks.

use super::{int, now, Gate, SandboxAnswer, Sent, Ts};
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
                    self.apply(&event, None)?;
                }
            }
            self.sql()
                .exec("DELETE FROM pending WHERE id = ?", vec![int(p.id)])?;
        }
        self.schedule().await?;
        Response::ok("ok")
    }

    /// Sets the alarm for the earliest pending sandbox event.
    pub(super) async fn schedule(&self) -> Result<()> {
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
