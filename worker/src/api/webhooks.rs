//! `POST /api/webhooks` (the upstream's signed events, in its dialect), `GET
//! /api/webhooks` (Meta's verification handshake) and `POST /api/sandbox/inbound` (the
//! sandbox's customer writing in): all end as the same `Gate` events.

use crate::codes::ErrorCode;
use crate::config::{constant_time_eq, Client, Config, Dialect};
use crate::gate::{self};
use crate::http::{error, json_response, text_response};
use crate::objects::{ask, gate};
use crate::{body, webhook};
use serde_json::json;
use worker::{Env, Request, Response, Result};

/// The longest `hub.challenge` echoed back (Meta's is a number).
const CHALLENGE_MAX: usize = 256;

/// `POST /api/webhooks`: the upstream's delivery events and customers' messages.
/// The signature is its only authentication (no client token, no CORS), checked
/// over the raw bytes before the body is parsed.
pub(crate) async fn webhook(req: Request, env: &Env, cfg: &Config) -> Result<Response> {
    match cfg.dialect {
        Dialect::Provider => provider_webhook(req, env, cfg).await,
        Dialect::Meta => meta_webhook(req, env, cfg).await,
    }
}

/// `GET /api/webhooks`: Meta's verification handshake. `hub.mode=subscribe` with
/// `hub.verify_token` equal to `META_VERIFY_TOKEN` (compared in constant time) is
/// answered 200 with the bare `hub.challenge`; anything else 403.
pub(crate) fn handshake(req: &Request, cfg: &Config) -> Result<Response> {
    let url = req.url()?;
    let (mut mode, mut token, mut challenge) = (None, None, None);
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "hub.mode" => mode = Some(v.into_owned()),
            "hub.verify_token" => token = Some(v.into_owned()),
            "hub.challenge" => challenge = Some(v.into_owned()),
            _ => {}
        }
    }
    let Some(expected) = &cfg.meta_verify_token else {
        return error(
            403,
            ErrorCode::WebhooksNotConfigured,
            "set META_VERIFY_TOKEN to answer meta's verification handshake",
            None,
        );
    };
    let presented = token.unwrap_or_default();
    let matches = constant_time_eq(presented.as_bytes(), expected.as_bytes());
    if mode.as_deref() != Some("subscribe") || !matches {
        return error(
            403,
            ErrorCode::Forbidden,
            "hub.mode must be subscribe and hub.verify_token this proxy's META_VERIFY_TOKEN",
            None,
        );
    }
    let challenge = challenge.unwrap_or_default();
    let printable = challenge.bytes().all(|b| b.is_ascii_graphic());
    if challenge.is_empty() || challenge.len() > CHALLENGE_MAX || !printable {
        return error(
            400,
            ErrorCode::InvalidEvent,
            "hub.challenge must be 1 to 256 printable characters",
            None,
        );
    }
    let r = text_response(200, &challenge)?;
    r.headers()
        .set("content-type", "text/plain; charset=utf-8")?;
    Ok(r)
}

/// The body of a webhook signed in the upstream's dialect (`X-Webhook-Signature`
/// under `WEBHOOK_SECRET`, or `X-Hub-Signature-256` under `META_APP_SECRET`),
/// checked over the raw bytes before anything parses it; else the refusal.
async fn signed_body(req: Request, cfg: &Config) -> std::result::Result<Vec<u8>, Result<Response>> {
    let (header, unset) = match cfg.dialect {
        Dialect::Provider => (
            "X-Webhook-Signature",
            "set WEBHOOK_SECRET to receive the provider's webhooks",
        ),
        Dialect::Meta => (
            "X-Hub-Signature-256",
            "set META_APP_SECRET to receive meta's webhooks",
        ),
    };
    let Some(secret) = webhook::secret(cfg) else {
        return Err(error(503, ErrorCode::WebhooksNotConfigured, unset, None));
    };
    let signature = req.headers().get(header).ok().flatten();
    let body = body::read(req, body::Kind::Event).await?;
    let signed = match cfg.dialect {
        Dialect::Provider => webhook::verify(secret, &body, signature.as_deref()),
        Dialect::Meta => webhook::verify_meta(secret, &body, signature.as_deref()),
    };
    if !signed {
        return Err(error(
            401,
            ErrorCode::BadSignature,
            &format!("{header} is missing or does not match the body"),
            None,
        ));
    }
    Ok(body)
}

/// Meta's envelope: every status and customer message in it, applied in order.
async fn meta_webhook(req: Request, env: &Env, cfg: &Config) -> Result<Response> {
    let body = match signed_body(req, cfg).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let events = match webhook::parse_envelope(&body, gate::now()) {
        Ok(e) => e,
        Err(e) => return error(400, ErrorCode::InvalidEvent, &e, None),
    };
    if events.is_empty() {
        return json_response(200, &json!({ "status": "ignored", "events": 0 }));
    }
    let count = events.len();
    let out: Vec<gate::Applied> = ask(&gate(env, cfg)?, gate::EventsOp { events }).await?;
    let applied = out.iter().filter(|a| a.applied).count();
    json_response(
        200,
        &json!({ "status": "ok", "events": count, "applied": applied, "unchanged": count - applied }),
    )
}

/// The provider's envelope, one event.
async fn provider_webhook(req: Request, env: &Env, cfg: &Config) -> Result<Response> {
    let body = match signed_body(req, cfg).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    match webhook::parse(&body, gate::now()) {
        Err(e) => error(400, ErrorCode::InvalidEvent, &e, None),
        Ok(None) => json_response(200, &json!({ "status": "ignored" })),
        Ok(Some(event)) => {
            let answers: Vec<gate::Applied> = ask(
                &gate(env, cfg)?,
                gate::EventsOp {
                    events: vec![event],
                },
            )
            .await?;
            let Some(out) = answers.into_iter().next() else {
                return error(500, ErrorCode::Internal, "the event was not applied", None);
            };
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
    // What they wrote and their profile name, when given, are text, as a webhook's are.
    let text_of = |key: &str| match body.as_object().and_then(|o| o.get(key)) {
        None => Ok(None),
        Some(v) => v.as_str().map(|s| Some(s.to_owned())).ok_or(key.to_owned()),
    };
    let (text, name) = match (text_of("text"), text_of("name")) {
        (Ok(text), Ok(name)) => (text, name),
        (Err(key), _) | (_, Err(key)) => {
            return error(
                400,
                ErrorCode::InvalidBody,
                &format!("`{key}` must be a string"),
                None,
            )
        }
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
            text,
            name,
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
