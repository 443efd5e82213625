//! `POST /{version}/{phone_number_id}/messages`: a send in Meta's format, read by
//! the core (`from_meta`, then every RULES.md rule, errors located in the
//! caller's own format), then the road of `/api/messages/send`; and Meta's mark
//! as read (`"status": "read"`), passed to a Meta upstream.

use super::answer::{meta_error, relayed_or_unreachable, unknown_number};
use crate::api::send::{deliver, invalid, Envelope};
use crate::codes::ErrorCode;
use crate::config::{Client, Config, Dialect};
use crate::http::{error, idempotency_key, text_response};
use crate::{body, upstream};
use wasend::json::Value;
use wasend::meta::from_meta;
use wasend::meta::ingress::{meta_pointer, success_body, NOT_RELAYED};
use worker::{Env, Request, Response, Result};

pub(super) async fn post(
    req: Request,
    env: &Env,
    cfg: &Config,
    client: &Client,
    node: String,
) -> Result<Response> {
    let Ok(account) = cfg.graph.account_of(&node) else {
        return unknown_number(&node);
    };
    let key = match idempotency_key(&req) {
        Ok(k) => k,
        Err(r) => return r,
    };
    let bytes = match body::read(req, body::Kind::Json).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let body = match wasend::json::parse(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return error(
                400,
                ErrorCode::InvalidJson,
                &format!("the body is not json: {e}"),
                None,
            )
        }
    };
    if body["status"].as_str() == Some("read") {
        return mark_read(cfg, account, &bytes).await;
    }
    let payload = from_meta(&body, account);
    let result = wasend::validate(&payload, &wasend::Options::default());
    let Some(normalized) = result.payload.as_ref().filter(|_| result.valid) else {
        // Each error where the caller wrote it, in Meta's format.
        let located: Vec<wasend::Issue> = result
            .errors
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.path = meta_pointer(&body, &e.path);
                e
            })
            .collect();
        return invalid(&located);
    };
    let mut answer = deliver(
        env,
        cfg,
        client,
        key,
        &Envelope::of(normalized),
        normalized.to_json(),
    )
    .await?;
    if answer.status_code() != 200 {
        return Ok(answer);
    }
    let text = answer.text().await?;
    let sent = wasend::json::parse(text.as_bytes()).unwrap_or_default();
    let data = &sent["data"];
    let (Some(id), Some(to)) = (data["message_id"].as_str(), normalized["to"].as_str()) else {
        return error(
            502,
            ErrorCode::UpstreamError,
            "the send was answered without a message id",
            None,
        );
    };
    let input = body["to"].as_str().unwrap_or(to);
    let wa_id = data["wa_id"].as_str().unwrap_or(to);
    let r = text_response(200, &success_body(input, wa_id, id).to_json())?;
    for (name, value) in answer.headers() {
        if name.starts_with("ratelimit-")
            || name.starts_with("x-wasend-")
            || name == "idempotent-replayed"
        {
            r.headers().set(&name, &value)?;
        }
    }
    Ok(r)
}

/// Meta's mark as read: passed to a Meta upstream from the same phone number;
/// the sandbox takes it; the provider has no such call.
async fn mark_read(cfg: &Config, account: Option<&str>, bytes: &[u8]) -> Result<Response> {
    if body_message_id(bytes).is_none() {
        return error(
            400,
            ErrorCode::InvalidBody,
            "marking as read needs a `message_id`",
            None,
        );
    }
    match (&cfg.upstream, cfg.dialect) {
        (None, _) => {
            let r = text_response(200, r#"{"success":true}"#)?;
            r.headers().set("x-wasend-sandbox", "1")?;
            Ok(r)
        }
        (Some(up), Dialect::Meta) => {
            // The same number the account's sends leave from.
            let path = match upstream::target(cfg, "{}", account) {
                Ok(t) => t.path,
                Err((status, body)) => return text_response(status, &body.to_string()),
            };
            relayed_or_unreachable(
                upstream::relay(cfg, up, &path, &String::from_utf8_lossy(bytes)).await,
            )
        }
        (Some(_), Dialect::Provider) => meta_error(
            &NOT_RELAYED,
            "the provider has no mark-as-read call; nothing was sent",
        ),
    }
}

fn body_message_id(bytes: &[u8]) -> Option<String> {
    let v: Value = wasend::json::parse(bytes).ok()?;
    v["message_id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}
