//! wasend's Cloudflare Worker: the send proxy.
//!
//! `POST /api/messages/send` is the provider's own contract, made safe: clients
//! authenticate with their own bearer token (the provider's key stays here),
//! payloads are validated by the core before anything leaves, one Durable
//! Object per upstream key holds the provider's limits exactly and makes an
//! `Idempotency-Key` usable once, and upstream failures come back as definite
//! answers. With no `UPSTREAM_API_KEY` the built-in sandbox answers instead.
//! Everything outside `/api/*` is the composer page, served from `www/`.

mod auth;
mod body;
mod campaigns;
mod codes;
mod config;
mod gate;
mod hex;
mod http;
mod objects;
mod paging;
mod sandbox;
mod schema;
mod templates;
mod upstream;
mod webhook;

pub use campaigns::Campaign;
pub use gate::Gate;

use crate::auth::authed;
use crate::codes::ErrorCode;
use campaigns::api as campaign_api;
use config::{Client, Config};
use gate::{Decision, SendOp};
use http::{
    cors, error, idempotency_key, json_response, method_not_allowed, rate_headers, text_response,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wasend::campaign::Action;
use worker::{
    console_error, console_log, event, Context, Env, Method, Request, Response, Result,
    ScheduleContext, ScheduledEvent,
};

#[event(fetch)]
pub async fn main(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let cfg = Config::from_env(&env);
    let origin = req.headers().get("origin").ok().flatten();
    let path = req.path();
    let started = worker::Date::now().as_millis();
    let response = match route(req, &env, &cfg, &path).await {
        Ok(r) => r,
        // An object that cannot serve (its storage did not migrate): nothing was done.
        Err(e) if objects::unavailable_because(&e).is_some() => {
            let why = objects::unavailable_because(&e).unwrap_or_default();
            console_error!("storage unavailable on {path}: {}", cfg.redact(why));
            error(
                503,
                ErrorCode::StorageUnavailable,
                "the worker's storage is not ready (a schema migration failed; the operator's log says why); nothing was sent, retry later",
                None,
            )?
        }
        // Nothing may leave as a bare 500 with an exception's text.
        Err(e) => {
            console_log!("internal error on {path}: {}", cfg.redact(&e.to_string()));
            error(
                500,
                ErrorCode::Internal,
                "the worker failed on this request; nothing was sent",
                None,
            )?
        }
    };
    let response = if path.starts_with("/api/webhooks") {
        response
    } else {
        cors(&cfg, origin.as_deref(), allowed(&path), response)?
    };
    console_log!(
        "{} {path} {}ms",
        response.status_code(),
        worker::Date::now().as_millis().saturating_sub(started)
    );
    Ok(response)
}

/// The Cron Trigger (`wrangler.toml`): the campaigns' watchdog.
#[event(scheduled)]
pub async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let cfg = Config::from_env(&env);
    match campaign_api::watchdog(&env, &cfg).await {
        Ok(w) => {
            for (id, why) in &w.failed {
                console_error!(
                    "watchdog: campaign {id} could not be woken: {}",
                    cfg.redact(why)
                );
            }
            console_log!(
                "watchdog: {} campaigns awake, {} could not be woken",
                w.awake,
                w.failed.len()
            );
        }
        Err(e) => console_error!("watchdog failed: {}", cfg.redact(&e.to_string())),
    }
}

async fn route(req: Request, env: &Env, cfg: &Config, path: &str) -> Result<Response> {
    let method = req.method();
    // `worker` reads a method it has no variant for (QUERY, BREW) as GET: compare
    // with the request's own spelling so that those are refused, not served.
    if req.inner().method() != method.as_ref() {
        return method_not_allowed(allowed(path));
    }
    if method == Method::Options && path.starts_with("/api/") {
        return Ok(Response::empty()?.with_status(204));
    }
    match path {
        "/api/health" => match method {
            Method::Get | Method::Head => health(cfg),
            _ => method_not_allowed(allowed(path)),
        },
        "/api/messages/send" => match method {
            Method::Post => authed(req, cfg, |req, client| send(req, env, cfg, client)).await,
            _ => method_not_allowed(allowed(path)),
        },
        "/api/templates" => match method {
            Method::Get => authed(req, cfg, |_, _| templates(env, cfg)).await,
            _ => method_not_allowed(allowed(path)),
        },
        "/api/webhooks" => match method {
            Method::Post => webhook(req, env, cfg).await,
            _ => method_not_allowed(allowed(path)),
        },
        "/api/messages" => match method {
            Method::Get => authed(req, cfg, |req, client| list(req, env, cfg, client)).await,
            _ => method_not_allowed(allowed(path)),
        },
        p if p.starts_with("/api/messages/") => match method {
            Method::Get => {
                // `%XX` decoded (ids carry `+`, `/` and `=`); a malformed escape stays as written.
                let id =
                    percent_encoding::percent_decode_str(p.trim_start_matches("/api/messages/"))
                        .decode_utf8_lossy()
                        .into_owned();
                authed(req, cfg, |_, client| message(env, cfg, client, id)).await
            }
            _ => method_not_allowed(allowed(path)),
        },
        "/api/admin/templates" => match method {
            Method::Get | Method::Put | Method::Delete => admin_templates(req, env, cfg).await,
            _ => method_not_allowed(allowed(path)),
        },
        "/api/suppressions" => match method {
            Method::Get => authed(req, cfg, |_, _| suppressions(env, cfg)).await,
            Method::Post => authed(req, cfg, |req, client| suppress(req, env, cfg, client)).await,
            _ => method_not_allowed(allowed(path)),
        },
        p if p.starts_with("/api/suppressions/") => match method {
            Method::Delete => {
                let number = percent_encoding::percent_decode_str(
                    p.trim_start_matches("/api/suppressions/"),
                )
                .decode_utf8_lossy()
                .into_owned();
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
                unsuppress(env, cfg, number, by).await
            }
            _ => method_not_allowed(allowed(path)),
        },
        "/api/campaigns" => match method {
            Method::Get => {
                authed(req, cfg, |req, client| {
                    campaign_api::list(req, env, cfg, client)
                })
                .await
            }
            Method::Post => {
                authed(req, cfg, |req, client| {
                    campaign_api::create(req, env, cfg, client)
                })
                .await
            }
            _ => method_not_allowed(allowed(path)),
        },
        p if p.starts_with("/api/campaigns/") => {
            let rest = &p["/api/campaigns/".len()..];
            let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
            let id = id.to_owned();
            match (tail, method) {
                ("", Method::Get) => {
                    authed(req, cfg, |_, client| {
                        campaign_api::get(env, cfg, client, &id)
                    })
                    .await
                }
                ("recipients", Method::Get) => {
                    authed(req, cfg, |req, client| {
                        campaign_api::recipients(req, env, cfg, client, &id)
                    })
                    .await
                }
                (tail, Method::Post) if Action::parse(tail).is_some() => {
                    let action = Action::parse(tail).unwrap_or(Action::Cancel);
                    authed(req, cfg, |_, client| {
                        campaign_api::act(env, cfg, client, &id, action)
                    })
                    .await
                }
                ("" | "recipients" | "pause" | "resume" | "cancel", _) => {
                    method_not_allowed(allowed(path))
                }
                _ => error(
                    404,
                    ErrorCode::NotFound,
                    &format!("no such endpoint: {path}"),
                    None,
                ),
            }
        }
        "/api/sandbox/inbound" => match method {
            Method::Post => authed(req, cfg, |req, client| inbound(req, env, cfg, client)).await,
            _ => method_not_allowed(allowed(path)),
        },
        _ => error(
            404,
            ErrorCode::NotFound,
            &format!("no such endpoint: {path}"),
            None,
        ),
    }
}

/// The methods an endpoint answers (the `Allow` of its 405).
fn allowed(path: &str) -> &'static str {
    match path {
        "/api/health" => "GET, HEAD",
        "/api/messages/send" | "/api/webhooks" | "/api/sandbox/inbound" => "POST",
        "/api/admin/templates" => "GET, PUT, DELETE",
        "/api/suppressions" | "/api/campaigns" => "GET, POST",
        p if p.starts_with("/api/campaigns/")
            && (p.ends_with("/pause") || p.ends_with("/resume") || p.ends_with("/cancel")) =>
        {
            "POST"
        }
        p if p.starts_with("/api/suppressions/") => "DELETE",
        _ => "GET",
    }
}

fn health(cfg: &Config) -> Result<Response> {
    json_response(
        200,
        &json!({
            "status": "ok",
            "mode": if cfg.sandbox() { "sandbox" } else { "upstream" },
            "version": env!("CARGO_PKG_VERSION"),
            "phone_metadata": wasend::phone::METADATA_VERSION,
            "accounts": cfg.accounts,
            // What a page needs to estimate a campaign's time: the limits in force.
            "limits": {
                "per_second": cfg.per_second,
                "per_minute": cfg.per_minute,
                "campaign_share": cfg.campaign_share_pct,
                "campaign_per_second": cfg.campaign_limits().0,
                "campaign_per_minute": cfg.campaign_limits().1,
            },
        }),
    )
}

use objects::{ask, gate};

async fn send(req: Request, env: &Env, cfg: &Config, client: &Client) -> Result<Response> {
    let key = match idempotency_key(&req) {
        Ok(k) => k,
        Err(r) => return r,
    };
    let bytes = match body::read(req, body::Kind::Json).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let result = wasend::validate_json(&bytes, &wasend::Options::default());
    let Some(payload) = result.payload.as_ref().filter(|_| result.valid) else {
        let first = result
            .errors
            .first()
            .map_or(String::new(), |e| format!(": {} at {}", e.message, e.path));
        let errors = serde_json::to_value(&result.errors).unwrap_or(Value::Null);
        return error(
            400,
            ErrorCode::InvalidPayload,
            &format!("payload is invalid ({} errors){first}", result.errors.len()),
            Some(json!({ "errors": errors })),
        );
    };
    let body = payload.to_json();
    let fingerprint = key
        .as_ref()
        .map(|_| hex::encode(&Sha256::digest(body.as_bytes())));
    let stub = gate(env, cfg)?;
    // With webhooks, the Worker sees customers write, so it knows their 24-hour windows.
    let free_form = payload["type"].as_str() != Some("template");
    let window_of = (free_form && !cfg.sandbox() && cfg.webhook_secret.is_some())
        .then(|| payload["to"].as_str())
        .flatten();
    let decision: Decision = ask(
        &stub,
        SendOp {
            client: client.name.clone(),
            key: key.clone(),
            fingerprint,
            window_of: window_of.map(str::to_owned),
            body,
            account: payload["whatsapp_account"].as_str().map(str::to_owned),
            kind: payload["type"].as_str().unwrap_or_default().to_owned(),
            recipient: payload["to"].as_str().unwrap_or_default().to_owned(),
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
            };
            let r = error(
                429,
                ErrorCode::RateLimited,
                &format!("over the limit of {what}; retry after {secs} s"),
                Some(json!({ "retry_after": secs })),
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

/// `POST /api/webhooks`: the provider's delivery events. The signature is its only
/// authentication (no client token, no CORS), checked before the body is parsed.
async fn webhook(req: Request, env: &Env, cfg: &Config) -> Result<Response> {
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

/// `GET /api/messages/{id}`: one of the client's own messages, with its history.
async fn message(env: &Env, cfg: &Config, client: &Client, id: String) -> Result<Response> {
    let m = ask(
        &gate(env, cfg)?,
        gate::GetMessage {
            client: client.name.clone(),
            id,
        },
    )
    .await?;
    let Some(m) = m else {
        // Another client's message is as absent as one that never was.
        return error(
            404,
            ErrorCode::NotFound,
            "no message with this id was sent by this client",
            None,
        );
    };
    json_response(200, &json!({ "data": m }))
}

/// `GET /api/messages?limit=&cursor=`: the client's recent sends, newest first.
async fn list(req: Request, env: &Env, cfg: &Config, client: &Client) -> Result<Response> {
    let (limit, cursor) =
        match paging::query(&req.url()?, paging::NEWEST_FIRST, paging::Keyset::parse) {
            Ok(p) => p,
            Err(r) => return r,
        };
    let page = ask(
        &gate(env, cfg)?,
        gate::ListMessages {
            client: client.name.clone(),
            limit,
            cursor,
        },
    )
    .await?;
    json_response(200, &page)
}

/// `GET /api/templates`: the approved templates sends are checked against, and
/// where they come from (`source`: `upstream`, `repository` or `operator`).
async fn templates(env: &Env, cfg: &Config) -> Result<Response> {
    let (data, source) = match ask(&gate(env, cfg)?, gate::ListTemplates {}).await? {
        gate::TemplateList::Listed { data, source } => (data, source),
        gate::TemplateList::Unavailable { error: why } => {
            return error(502, ErrorCode::UpstreamError, &why, None)
        }
    };
    let r = json_response(200, &json!({ "data": data, "source": source }))?;
    // Templates change rarely; a minute of staleness is the page's to live with.
    r.headers().set("cache-control", "private, max-age=60")?;
    if cfg.sandbox() {
        r.headers().set("x-wasend-sandbox", "1")?;
    }
    Ok(r)
}

/// `/api/admin/templates`, for `ADMIN_TOKENS` only: `PUT` replaces the approved
/// templates with a list of Meta template objects (each read by the core; one it
/// cannot read refuses the whole list), `DELETE` goes back to the source's own,
/// `GET` lists them.
async fn admin_templates(req: Request, env: &Env, cfg: &Config) -> Result<Response> {
    match auth::caller(&req, cfg) {
        Ok(auth::Caller { admin: Some(_), .. }) => {}
        Ok(_) => {
            return error(
                403,
                ErrorCode::Forbidden,
                "a client token cannot change the approved templates; use one of ADMIN_TOKENS",
                None,
            )
        }
        Err(r) => return r,
    }
    let definitions = match req.method() {
        Method::Get => return templates(env, cfg).await,
        Method::Delete => None,
        _ => {
            let list = match body::json(req, body::Kind::Json).await {
                Ok(v) => v,
                Err(r) => return r,
            };
            match admin_list(list) {
                Ok(list) => Some(list),
                Err(why) => return error(400, ErrorCode::InvalidBody, &why, None),
            }
        }
    };
    let n = definitions.as_ref().map_or(0, Vec::len);
    let answer = ask(&gate(env, cfg)?, gate::SetTemplates { definitions }).await?;
    json_response(
        200,
        &json!({ "data": { "templates": n, "source": answer.source } }),
    )
}

/// An operator's list: a JSON array (or `{"data": [...]}`) of definitions the core
/// reads, no two with one name and language.
fn admin_list(v: wasend::json::Value) -> std::result::Result<Vec<Value>, String> {
    use wasend::json::Value as Json;
    let list = match v {
        Json::Array(a) => a,
        Json::Object(mut m) => match m.remove("data") {
            Some(Json::Array(a)) => a,
            _ => {
                return Err(
                    "send a json array of template definitions (or {\"data\": [...]})".into(),
                )
            }
        },
        _ => return Err("send a json array of template definitions".into()),
    };
    let mut seen = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let def = wasend::TemplateDefinition::from_value(t)
            .map_err(|e| format!("definition {i}: {e}"))?;
        let id = (def.name, def.language);
        if seen.contains(&id) {
            return Err(format!(
                "definition {i}: {} ({}) is listed twice",
                id.0, id.1
            ));
        }
        seen.push(id);
    }
    Ok(list.iter().map(Value::from).collect())
}

/// A number as a client writes it, in E.164 by the core; a 400 that says why otherwise.
fn e164_of(input: &str) -> std::result::Result<String, Result<Response>> {
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
async fn suppressions(env: &Env, cfg: &Config) -> Result<Response> {
    let list = ask(&gate(env, cfg)?, gate::ListSuppressions {}).await?;
    json_response(200, &json!({ "data": list }))
}

/// `POST /api/suppressions {"number", "reason"?}`: suppresses a number and every
/// WhatsApp-id form of it.
async fn suppress(req: Request, env: &Env, cfg: &Config, client: &Client) -> Result<Response> {
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
async fn unsuppress(env: &Env, cfg: &Config, input: String, by: gate::Lifter) -> Result<Response> {
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

/// Sandbox only: a message from `from`, which opens its 24-hour window.
async fn inbound(req: Request, env: &Env, cfg: &Config, client: &Client) -> Result<Response> {
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
