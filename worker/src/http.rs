//! HTTP helpers: responses (the provider's error shape, CORS, rate-limit
//! headers) and the request header every send-like endpoint reads (`Idempotency-Key`).

use crate::codes::ErrorCode;
use crate::config::Config;
use serde_json::{json, Value};
use worker::{Headers, Request, Response, Result};

/// `{"message", "status": "error", "code", ...extra}` with `status`.
pub fn error(
    status: u16,
    code: ErrorCode,
    message: &str,
    extra: Option<Value>,
) -> Result<Response> {
    json_response(status, &error_body(code, message, extra))
}

/// The error body itself, for answers made in the Durable Object.
pub fn error_body(code: ErrorCode, message: &str, extra: Option<Value>) -> Value {
    let mut body = json!({ "message": message, "status": "error", "code": code });
    if let (Some(Value::Object(more)), Value::Object(b)) = (extra, &mut body) {
        b.extend(more);
    }
    body
}

pub fn json_response(status: u16, body: &impl serde::Serialize) -> Result<Response> {
    text_response(status, &serde_json::to_string(body)?)
}

pub fn text_response(status: u16, body: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    headers.set("cache-control", "no-store")?;
    headers.set("x-content-type-options", "nosniff")?;
    Ok(Response::from_bytes(body.as_bytes().to_vec())?
        .with_status(status)
        .with_headers(headers))
}

pub fn method_not_allowed(allow: &str) -> Result<Response> {
    let r = error(
        405,
        ErrorCode::MethodNotAllowed,
        &format!("method not allowed; use {allow}"),
        None,
    )?;
    r.headers().set("allow", allow)?;
    Ok(r)
}

/// Adds CORS headers when the request's `Origin` is one of `ALLOWED_ORIGINS`;
/// a foreign origin gets none (the browser then refuses the response). `allow`:
/// the methods the endpoint answers (its `Allow`, from the route table).
pub fn cors(
    cfg: &Config,
    origin: Option<&str>,
    allow: &str,
    response: Response,
) -> Result<Response> {
    if let Some(o) = origin.filter(|o| cfg.allowed_origins.iter().any(|a| a == o || a == "*")) {
        let h = response.headers();
        h.set("access-control-allow-origin", o)?;
        h.set(
            "access-control-allow-headers",
            "authorization, content-type, idempotency-key",
        )?;
        h.set("access-control-allow-methods", &format!("{allow}, OPTIONS"))?;
        h.set("access-control-expose-headers", "retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset, ratelimit-policy, idempotent-replayed, x-wasend-sandbox, x-wasend-warning")?;
        h.set("access-control-max-age", "600")?;
    }
    response.headers().append("vary", "Origin")?;
    Ok(response)
}

/// `RateLimit-*` headers (draft-ietf-httpapi-ratelimit-headers, first drafts'
/// field names, which clients commonly read) and `Retry-After` when limited.
pub fn rate_headers(
    cfg: &Config,
    response: &Response,
    remaining: u32,
    reset_s: u64,
    retry_after_s: Option<u64>,
) -> Result<()> {
    let h = response.headers();
    h.set(
        "ratelimit-policy",
        &format!("{};w=1, {};w=60", cfg.per_second, cfg.per_minute),
    )?;
    h.set("ratelimit-limit", &cfg.per_second.to_string())?;
    h.set("ratelimit-remaining", &remaining.to_string())?;
    h.set("ratelimit-reset", &reset_s.to_string())?;
    if let Some(s) = retry_after_s {
        h.set("retry-after", &s.to_string())?;
    }
    Ok(())
}

/// The request's `Idempotency-Key`, if it has one; a 400 when it is not 1 to 255
/// printable ASCII characters.
pub fn idempotency_key(req: &Request) -> std::result::Result<Option<String>, Result<Response>> {
    let key = req.headers().get("idempotency-key").ok().flatten();
    if let Some(k) = &key {
        if k.is_empty() || k.len() > 255 || !k.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            return Err(error(
                400,
                ErrorCode::InvalidIdempotencyKey,
                "Idempotency-Key must be 1 to 255 printable ascii characters",
                None,
            ));
        }
    }
    Ok(key)
}
