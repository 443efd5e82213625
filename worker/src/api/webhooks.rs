//! `POST /api/webhooks` (the provider's signed events) and `POST /api/sandbox/inbound` (the
//! sandbox's customer writing in): both end as the same `Gate` event.

use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::gate::{self};
use crate::http::{error, json_response};
use crate::objects::{ask, gate};
use crate::{body, webhook};
use serde_json::json;
use worker::{Env, Request, Response, Result};

/// `POST /api/webhooks`: the provider's delivery events. The signature is its only
/// authentication (no client token, no CORS), checked before the body is parsed.
pub(crate) async fn webhook(req: Request, env: &Env, cfg: &Config) -> Result<Response> {
    let secret = match (&cfg.webhook_secret, cfg.sandbox()) {
        (Some(s), _) => s.clone(),
        (None, true) => webhook::SANDBOX_SECRET.to_owned(),
        (None, false) => {
            return error(
                503,
                ErrorCode::WebhooksNotConfigured,
                "set WEBHOOK_SECRET to receive the provider's webhooks",
                None,
            )
        }
    };
    let signature = req.headers().get("x-webhook-signature").ok().flatten();
    let body = match body::read(req, body::Kind::Event).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if !webhook::verify(&secret, &body, signature.as_deref()) {
        return error(
            401,
            ErrorCode::BadSignature,
            "X-Webhook-Signature is missing or does not match the body",
            None,
        );
    }
    match webhook::parse(&body, gate::now()) {
        Err(e) => error(400, ErrorCode::InvalidEvent, &e, None),
        Ok(None) => json_response(200, &json!({ "status": "ignored" })),
        Ok(Some(event)) => {
            let out: gate::Applied = ask(&gate(env, cfg)?, gate::EventOp { event }).await?;
            let mut body = json!({
                "status": if out.applied { "ok" } else { "duplicate" },
                "applied": out.applied,
            });
            if let Some(until) = out.window_open_until {
                body["window_open_until_ms"] = json!(until);
            }
            json_response(200, &body)
        }
    }
}

/// Sandbox only: a message from `from`, which opens its 24-hour window.
pub(crate) async fn inbound(
    req: Request,
    env: &Env,
    cfg: &Config,
    client: &Client,
) -> Result<Response> {
    if !cfg.sandbox() {
        return error(
            404,
            ErrorCode::NotFound,
            "the sandbox is off: an upstream key is configured",
            None,
        );
    }
    let body = match body::json(req, body::Kind::Json).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let check = wasend::phone::check(body["from"].as_str().unwrap_or_default(), None);
    let Some(number) = check.e164 else {
        return error(
            400,
            ErrorCode::InvalidPhone,
            "`from` must be a valid phone number",
            None,
        );
    };
    let applied: gate::Applied = ask(
        &gate(env, cfg)?,
        gate::Inbound {
            number: number.clone(),
            text: body["text"].as_str().map(str::to_owned),
            client: client.name.clone(),
        },
    )
    .await?;
    let r = json_response(
        200,
        &json!({ "data": { "from": number, "window_open_until_ms": applied.window_open_until } }),
    )?;
    r.headers().set("x-wasend-sandbox", "1")?;
    Ok(r)
}
