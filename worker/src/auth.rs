//! Who a request is (`Authorization: Bearer`, the scheme in any case), and
//! failed authentications slowed down per client address: after
//! `AUTH_FAILURES_PER_MINUTE` (20) failures from one address within a minute,
//! that address's requests are answered 429 with `Retry-After` (the seconds until
//! its oldest failure is a minute old) before any token is looked at, so that a
//! right guess is refused too and guessing gains nothing.
//!
//! The count is kept in the isolate's memory: no storage call on any request, and
//! one request never waits on another's count. In production an address reaches
//! several isolates, so the figure is per isolate; tokens are long random secrets,
//! and this is the brake on guessing them, not the lock.

use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::http::error;
use serde_json::json;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use worker::{Request, Response, Result};

const WINDOW_MS: i64 = 60_000;
/// Addresses remembered at most; past it, those with no failure in the window go.
const ADDRESSES: usize = 10_000;

thread_local! {
    static FAILED: RefCell<HashMap<String, VecDeque<i64>>> = RefCell::new(HashMap::new());
}

/// Who presented a valid token.
pub struct Caller<'c> {
    pub client: Option<&'c Client>,
    pub admin: Option<&'c Client>,
}

/// The request's caller, or the answer instead: 429 while its address is held
/// for too many failures, 401 (counted as a failure) when no token is valid.
pub fn caller<'c>(
    req: &Request,
    cfg: &'c Config,
) -> std::result::Result<Caller<'c>, Result<Response>> {
    let address = address(req);
    let now = crate::gate::now();
    if let Some(secs) = held(cfg, &address, now) {
        return Err(slow_down(secs));
    }
    let auth = req.headers().get("authorization").ok().flatten();
    let who = Caller {
        client: cfg.client(auth.as_deref()),
        admin: cfg.admin(auth.as_deref()),
    };
    if who.client.is_none() && who.admin.is_none() {
        failed(cfg, &address, now);
        return Err(unauthorized());
    }
    Ok(who)
}

/// Runs `handler` for a request with a valid client token.
pub async fn authed<'a, F, Fut>(req: Request, cfg: &'a Config, handler: F) -> Result<Response>
where
    F: FnOnce(Request, &'a Client) -> Fut,
    Fut: std::future::Future<Output = Result<Response>>,
{
    match caller(&req, cfg) {
        Ok(Caller {
            client: Some(client),
            ..
        }) => handler(req, client).await,
        // An operator's token is not a client's.
        Ok(_) => unauthorized(),
        Err(r) => r,
    }
}

/// 401 with the challenge.
pub fn unauthorized() -> Result<Response> {
    let r = error(
        401,
        ErrorCode::Unauthorized,
        "a valid `Authorization: Bearer <client token>` is required",
        None,
    )?;
    r.headers().set("www-authenticate", "Bearer")?;
    Ok(r)
}

fn slow_down(secs: u64) -> Result<Response> {
    let r = error(
        429,
        ErrorCode::TooManyFailedAuthentications,
        &format!("too many failed authentications from this address; retry after {secs} s"),
        Some(json!({ "retry_after": secs })),
    )?;
    r.headers().set("retry-after", &secs.to_string())?;
    Ok(r)
}

/// The address a request comes from, as Cloudflare's edge names it.
fn address(req: &Request) -> String {
    req.headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Seconds until `address` may try again, when it failed too often.
fn held(cfg: &Config, address: &str, now: i64) -> Option<u64> {
    let most = usize::try_from(cfg.auth_failures_per_minute).ok()?;
    if most == 0 {
        return None;
    }
    FAILED.with(|f| {
        let mut f = f.borrow_mut();
        let times = f.get_mut(address)?;
        while times.front().is_some_and(|t| now - t >= WINDOW_MS) {
            times.pop_front();
        }
        if times.len() < most {
            return None;
        }
        let oldest = *times.front()?;
        let wait = WINDOW_MS - (now - oldest);
        Some(u64::try_from(wait).unwrap_or(0).div_ceil(1000).max(1))
    })
}

fn failed(cfg: &Config, address: &str, now: i64) {
    if cfg.auth_failures_per_minute == 0 {
        return;
    }
    FAILED.with(|f| {
        let mut f = f.borrow_mut();
        if f.len() >= ADDRESSES && !f.contains_key(address) {
            f.retain(|_, times| times.back().is_some_and(|t| now - t < WINDOW_MS));
            if f.len() >= ADDRESSES {
                f.clear();
            }
        }
        f.entry(address.to_owned()).or_default().push_back(now);
    });
}
