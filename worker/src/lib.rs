//! wasend's Cloudflare Worker: the send proxy.
//!
//! `POST /api/messages/send` is the provider's own contract, made safe: clients
//! authenticate with their own bearer token (the provider's key stays here),
//! payloads are validated by the core before anything leaves, one Durable
//! Object per upstream key holds the provider's limits exactly and makes an
//! `Idempotency-Key` usable once, and upstream failures come back as definite
//! answers. With no `UPSTREAM_API_KEY` the built-in sandbox answers instead.
//! Everything outside `/api/*` is the composer page, served from `www/`.

mod api;
mod auth;
mod body;
mod campaigns;
mod codes;
mod config;
mod gate;
mod graph;
mod hex;
mod http;
mod objects;
mod paging;
mod routes;
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
use config::Config;
use http::{cors, error, method_not_allowed};
use routes::Endpoint;
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
    let graph = graph::is_graph_path(&path);
    let routed = if graph {
        graph::handle(req, &env, &cfg, &path).await
    } else {
        route(req, &env, &cfg, &path).await
    };
    let response = match routed {
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
    let response = if graph {
        // Meta's shape for what failed before a handler answered.
        graph::shaped(response).await?
    } else if path.starts_with("/api/webhooks") {
        response
    } else {
        cors(&cfg, origin.as_deref(), &routes::allowed(&path), response)?
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
    let Some((route, param)) = routes::find(path) else {
        return error(
            404,
            ErrorCode::NotFound,
            &format!("no such endpoint: {path}"),
            None,
        );
    };
    let method = req.method();
    // `worker` reads a method it has no variant for (QUERY, BREW) as GET: compare
    // with the request's own spelling so that those are refused, not served.
    if req.inner().method() != method.as_ref() {
        return method_not_allowed(&route.allow());
    }
    if method == Method::Options {
        return Ok(Response::empty()?.with_status(204));
    }
    if !route.methods.contains(&method) {
        return method_not_allowed(&route.allow());
    }
    // `%XX` decoded (message ids carry `+`, `/` and `=`); a malformed escape stays as written.
    let param = percent_encoding::percent_decode_str(param)
        .decode_utf8_lossy()
        .into_owned();
    match route.endpoint {
        Endpoint::Health => api::health::health(cfg),
        Endpoint::Send => {
            authed(req, cfg, |req, client| {
                api::send::send(req, env, cfg, client)
            })
            .await
        }
        Endpoint::Messages => {
            authed(req, cfg, |req, client| {
                api::messages::list(req, env, cfg, client)
            })
            .await
        }
        Endpoint::Message => {
            authed(req, cfg, |_, client| {
                api::messages::message(env, cfg, client, param)
            })
            .await
        }
        Endpoint::Templates => authed(req, cfg, |_, _| api::templates::templates(env, cfg)).await,
        Endpoint::AdminTemplates => api::templates::admin_templates(req, env, cfg).await,
        Endpoint::Webhooks if method == Method::Get => api::webhooks::handshake(&req, cfg),
        Endpoint::Webhooks => api::webhooks::webhook(req, env, cfg).await,
        Endpoint::SandboxInbound => {
            authed(req, cfg, |req, client| {
                api::webhooks::inbound(req, env, cfg, client)
            })
            .await
        }
        Endpoint::Suppressions if method == Method::Get => {
            authed(req, cfg, |_, _| api::suppressions::suppressions(env, cfg)).await
        }
        Endpoint::Suppressions => {
            authed(req, cfg, |req, client| {
                api::suppressions::suppress(req, env, cfg, client)
            })
            .await
        }
        Endpoint::Suppression => api::suppressions::unsuppress(req, env, cfg, param).await,
        Endpoint::Subscriptions => {
            authed(req, cfg, |req, client| {
                api::subscriptions::subscriptions(req, env, cfg, client)
            })
            .await
        }
        Endpoint::Campaigns if method == Method::Get => {
            authed(req, cfg, |req, client| {
                campaign_api::list(req, env, cfg, client)
            })
            .await
        }
        Endpoint::Campaigns => {
            authed(req, cfg, |req, client| {
                campaign_api::create(req, env, cfg, client)
            })
            .await
        }
        Endpoint::Campaign => {
            authed(req, cfg, |_, client| {
                campaign_api::get(env, cfg, client, &param)
            })
            .await
        }
        Endpoint::Recipients => {
            authed(req, cfg, |req, client| {
                campaign_api::recipients(req, env, cfg, client, &param)
            })
            .await
        }
        Endpoint::Act(action) => {
            authed(req, cfg, |_, client| {
                campaign_api::act(env, cfg, client, &param, action)
            })
            .await
        }
    }
}

// The memory grows by an eighth of itself, not a page at a time (wasm/alloc).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: wasend_alloc::Allocator = wasend_alloc::Allocator::new();
