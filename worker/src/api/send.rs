//! `POST /api/messages/send`: a payload validated by the core, then sent through the `Gate`
//! (its idempotency key, limits, template check and log), answered as the provider answers,
//! with the rate headers.

use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::gate::{self, Decision, SendOp};
use crate::http::{error, idempotency_key, rate_headers, text_response};
use crate::objects::{ask, gate};
use crate::{body, hex};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use worker::{Env, Request, Response, Result};

pub(crate) async fn send(
    req: Request,
    env: &Env,
    cfg: &Config,
    client: &Client,
) -> Result<Response> {
    let key = match idempotency_key(&req) {
        Ok(k) => k,
        Err(r) => return r,
    };
    let bytes = match body::read(req, body::Kind::Json).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    // A payload already in the normalized text is forwarded as its own bytes.
    let normalized = wasend::normalize_json(&bytes, &wasend::Options::default());
    let Some(text) = normalized.text() else {
        return invalid(&normalized.result.errors);
    };
    // The envelope is read off the tape: no tree is built for a send.
    let envelope = Envelope {
        kind: normalized.field("type").unwrap_or_default(),
        to: normalized.field("to").unwrap_or_default(),
        account: normalized.field("whatsapp_account"),
    };
    deliver(env, cfg, client, key, &envelope, text.to_owned()).await
}

/// 400 `invalid_payload` with every error, the first named in the message.
pub(crate) fn invalid(errors: &[wasend::Issue]) -> Result<Response> {
    let first = errors
        .first()
        .map_or(String::new(), |e| format!(": {} at {}", e.message, e.path));
    let list = serde_json::to_value(errors).unwrap_or(Value::Null);
    error(
        400,
        ErrorCode::InvalidPayload,
        &format!("payload is invalid ({} errors){first}", errors.len()),
        Some(json!({ "errors": list })),
    )
}

/// What the send road reads of a normalized payload besides its text.
pub(crate) struct Envelope<'p> {
    pub kind: &'p str,
    pub to: &'p str,
    pub account: Option<&'p str>,
}

impl<'p> Envelope<'p> {
    /// The envelope of a normalized payload held as a tree (the Meta ingress's).
    pub(crate) fn of(payload: &'p wasend::json::Value) -> Self {
        Envelope {
            kind: payload["type"].as_str().unwrap_or_default(),
            to: payload["to"].as_str().unwrap_or_default(),
            account: payload["whatsapp_account"].as_str(),
        }
    }
}

/// Sends a validated, normalized payload (`body` is its text) through the `Gate`
/// (its idempotency key, limits, template check and log), answered as the
/// provider answers, with the rate headers: the one road of `/api/messages/send`
/// and the Meta ingress.
pub(crate) async fn deliver(
    env: &Env,
    cfg: &Config,
    client: &Client,
    key: Option<String>,
    payload: &Envelope<'_>,
    body: String,
) -> Result<Response> {
    let fingerprint = key
        .as_ref()
        .map(|_| hex::encode(&Sha256::digest(body.as_bytes())));
    let stub = gate(env, cfg)?;
    // With webhooks, the Worker sees customers write, so it knows their 24-hour windows.
    let free_form = payload.kind != "template";
    let window_of = (free_form && !cfg.sandbox() && crate::webhook::secret(cfg).is_some())
        .then_some(payload.to);
    let decision: Decision = ask(
        &stub,
        SendOp {
            client: client.name.clone(),
            key: key.clone(),
            fingerprint,
            window_of: window_of.map(str::to_owned),
            body,
            account: payload.account.map(str::to_owned),
            kind: payload.kind.to_owned(),
            recipient: payload.to.to_owned(),
            campaign: None,
        },
    )
    .await?;
    let (status, text, retry_after, remaining, window_open, warning) = match decision {
        Decision::Done {
            status,
            body,
            retry_after,
            remaining,
            window_open,
            warning,
        } => (status, body, retry_after, remaining, window_open, warning),
        Decision::Refused {
            status,
            body,
            retry_after,
        } => {
            let r = text_response(status, &body)?;
            if let Some(s) = retry_after {
                r.headers().set("retry-after", &s.to_string())?;
            }
            return Ok(r);
        }
        Decision::Limited {
            retry_after_ms,
            scope,
        } => {
            let secs = u64::try_from(retry_after_ms.max(1))
                .unwrap_or(1)
                .div_ceil(1000);
            let what = match scope {
                gate::Scope::Second => format!("{} messages a second", cfg.per_second),
                gate::Scope::Minute => format!("{} messages a minute", cfg.per_minute),
                gate::Scope::Client => format!(
                    "{} messages a minute for this client",
                    cfg.client_per_minute
                ),
                gate::Scope::Pair => format!(
                    "one message to the same recipient every {} ms",
                    cfg.pair_min_interval_ms
                ),
            };
            let r = error(
                429,
                ErrorCode::RateLimited,
                &format!("over the limit of {what}; retry after {secs} s"),
                Some(json!({ "retry_after": secs, "scope": scope })),
            )?;
            rate_headers(cfg, &r, 0, secs, Some(secs))?;
            return Ok(r);
        }
        Decision::Replay { status, body } => {
            let r = text_response(status, &body)?;
            r.headers().set("idempotent-replayed", "true")?;
            return Ok(r);
        }
        Decision::InFlight => {
            let r = error(
                409,
                ErrorCode::IdempotencyInFlight,
                "a request with this Idempotency-Key is still being processed; retry later",
                None,
            )?;
            r.headers().set("retry-after", "1")?;
            return Ok(r);
        }
        Decision::Mismatch => {
            return error(
                422,
                ErrorCode::IdempotencyKeyReused,
                "this Idempotency-Key was used with a different payload",
                None,
            );
        }
    };
    let r = text_response(status, &text)?;
    rate_headers(cfg, &r, remaining, 1, retry_after)?;
    if window_open == Some(false) {
        r.headers().append(
            "x-wasend-warning",
            "the recipient has not written in the last 24 hours (no incoming-message webhook): the provider may refuse a free-form message; use a template",
        )?;
    }
    if let Some(w) = warning {
        r.headers().append("x-wasend-warning", &w)?;
    }
    if cfg.sandbox() {
        r.headers().set("x-wasend-sandbox", "1")?;
    }
    Ok(r)
}
