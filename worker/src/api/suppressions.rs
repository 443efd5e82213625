//! `/api/suppressions`: the account's opt-outs, added by anyone, lifted as the `Gate`
//! allows.

use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::gate::{self};
use crate::http::{error, json_response};
use crate::objects::{ask, gate};
use crate::{auth, body};
use serde_json::json;
use worker::{Env, Request, Response, Result};

/// A number as a client writes it, in E.164 by the core; a 400 that says why otherwise.
pub(crate) fn e164_of(input: &str) -> std::result::Result<String, Result<Response>> {
    let verdict = wasend::phone::check(input, None);
    verdict.e164.ok_or_else(|| {
        let why = verdict
            .errors
            .first()
            .map_or("not a phone number", |e| e.message.as_str());
        error(
            400,
            ErrorCode::InvalidPhone,
            &format!("`number` must be a phone number with its country code: {why}"),
            None,
        )
    })
}

/// `GET /api/suppressions`: the account's opted-out numbers, newest first.
pub(crate) async fn suppressions(env: &Env, cfg: &Config) -> Result<Response> {
    let list = ask(&gate(env, cfg)?, gate::ListSuppressions {}).await?;
    json_response(200, &json!({ "data": list }))
}

/// `POST /api/suppressions {"number", "reason"?}`: suppresses a number and every
/// WhatsApp-id form of it.
pub(crate) async fn suppress(
    req: Request,
    env: &Env,
    cfg: &Config,
    client: &Client,
) -> Result<Response> {
    let body = match body::json(req, body::Kind::Json).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(input) = body["number"].as_str() else {
        return error(
            400,
            ErrorCode::InvalidBody,
            "send {\"number\": \"+<number>\", \"reason\"?: \"…\"}",
            None,
        );
    };
    let number = match e164_of(input) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let reason = body["reason"]
        .as_str()
        .map(|r| r.chars().take(200).collect());
    let gate::Added { added } = ask(
        &gate(env, cfg)?,
        gate::Suppress {
            number: number.clone(),
            reason,
            client: client.name.clone(),
        },
    )
    .await?;
    let status = if added { 201 } else { 200 };
    json_response(
        status,
        &json!({ "data": { "number": number, "added": added } }),
    )
}

/// `DELETE /api/suppressions/{number}`: lifts a suppression, if `by` may.
pub(crate) async fn unsuppress(
    req: Request,
    env: &Env,
    cfg: &Config,
    input: String,
) -> Result<Response> {
    // An operator lifts any opt-out; a client only its own API entry.
    let by = match auth::caller(&req, cfg) {
        Ok(auth::Caller {
            admin: Some(admin), ..
        }) => gate::Lifter::Operator(admin.name.clone()),
        Ok(auth::Caller {
            client: Some(client),
            ..
        }) => gate::Lifter::Client(client.name.clone()),
        Ok(_) => return auth::unauthorized(),
        Err(r) => return r,
    };
    let number = match e164_of(&input) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let answer: gate::Unsuppressed = ask(
        &gate(env, cfg)?,
        gate::Unsuppress {
            number: number.clone(),
            by,
        },
    )
    .await?;
    match answer {
        gate::Unsuppressed::Removed => json_response(
            200,
            &json!({ "data": { "number": number, "removed": true } }),
        ),
        gate::Unsuppressed::NotSuppressed => error(
            404,
            ErrorCode::NotFound,
            &format!("{number} is not suppressed"),
            None,
        ),
        gate::Unsuppressed::Forbidden { source, added_by } => error(
            403,
            ErrorCode::Forbidden,
            &format!(
                "lifting an opt-out is an operator's decision: a client token lifts only a number it added itself through the api, and this one was added by {} ({source}); use one of ADMIN_TOKENS",
                added_by.as_deref().unwrap_or("an earlier version")
            ),
            Some(json!({ "source": source, "added_by": added_by })),
        ),
    }
}
