//! The ingress's answers in Meta's shapes: any refusal of the Worker's own API,
//! rewritten as Meta's error object with the Meta code the core gives it
//! (`wasend::meta::ingress::refusal_for`), the Worker's answer kept under
//! `wasend`, and the headers a client acts on (`Retry-After`, `RateLimit-*`).

use crate::http::text_response;
use wasend::json::{Map, Value};
use wasend::meta::ingress::{error_body, refusal_for, MetaRefusal};
use worker::{Response, Result};

/// Headers of the Worker's answer a Meta-shaped answer keeps.
const KEPT: [&str; 7] = [
    "allow",
    "retry-after",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "x-wasend-warning",
    "x-wasend-sandbox",
];

/// An `fbtrace_id`, unique per answer as Meta's are.
fn fbtrace_id() -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let tail: String = (0..22)
        .map(|_| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let i = (js_sys::Math::random() * 64.0) as usize;
            char::from(B64[i.min(63)])
        })
        .collect();
    format!("A{tail}")
}

/// Marks an answer already in Meta's shape, which [`to_meta`] passes as it is.
const FINAL: &str = "x-wasend-graph-final";

/// Meta's error object for `refusal`, the Worker's own words in `details`.
pub fn meta_error(refusal: &MetaRefusal, details: &str) -> Result<Response> {
    let mut wasend = Map::new();
    wasend.insert("message", Value::from(details));
    wasend.insert("status", Value::from("error"));
    let body = error_body(refusal, &Value::Object(wasend), &fbtrace_id());
    let r = text_response(refusal.status, &body.to_json())?;
    r.headers().set(FINAL, "1")?;
    Ok(r)
}

/// A relayed call's outcome: the upstream's own answer, passed as it is, or 502
/// `upstream_unreachable` when none came.
pub fn relayed_or_unreachable(
    outcome: std::result::Result<(u16, String), String>,
) -> Result<Response> {
    match outcome {
        Ok((status, text)) => relayed(status, &text),
        Err(why) => crate::http::error(
            502,
            crate::codes::ErrorCode::UpstreamUnreachable,
            &format!("cannot reach meta: {why}"),
            None,
        ),
    }
}

/// A phone number id this proxy does not send from: Graph's unknown object.
pub fn unknown_number(node: &str) -> Result<Response> {
    crate::http::error(
        404,
        crate::codes::ErrorCode::UnknownAccount,
        &format!("phone number id {node} is not one this proxy sends from"),
        None,
    )
}

/// An upstream's own answer in Meta's shape (a relayed call), passed as it is.
pub fn relayed(status: u16, text: &str) -> Result<Response> {
    let r = text_response(status, text)?;
    r.headers().set(FINAL, "1")?;
    Ok(r)
}

/// The Worker's answer as Meta's: a success passes as it is (the handlers write
/// Meta's success themselves), a refusal becomes Meta's error object.
pub async fn to_meta(mut answer: Response) -> Result<Response> {
    let status = answer.status_code();
    if answer.headers().get(FINAL)?.is_some() {
        answer.headers().delete(FINAL)?;
        return Ok(answer);
    }
    if status < 400 {
        return Ok(answer);
    }
    let text = answer.text().await.unwrap_or_default();
    let body = wasend::json::parse(text.as_bytes()).unwrap_or_else(|_| {
        let mut m = Map::new();
        m.insert("message", Value::from(text.as_str()));
        Value::Object(m)
    });
    let refusal = refusal_for(status, &body);
    let r = text_response(
        refusal.status,
        &error_body(&refusal, &body, &fbtrace_id()).to_json(),
    )?;
    for name in KEPT {
        if let Some(v) = answer.headers().get(name)? {
            r.headers().set(name, &v)?;
        }
    }
    if refusal.code == 190 {
        // Graph's challenge for a bad token.
        r.headers().set(
            "www-authenticate",
            "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token\"",
        )?;
    }
    Ok(r)
}
