//! The campaigns' HTTP face: `/api/campaigns…` for a client token, each client
//! seeing and steering its own campaigns only: here, reading one or a page of
//! them and steering one; `create.rs` reads a creation request and has the
//! campaign's object prepare the list, `results.rs` reads what became of its rows
//! (the campaign's own table moved on by the `Gate`'s log), `watchdog.rs` is the
//! Cron Trigger's round.

mod create;
mod results;
mod watchdog;

pub use create::create;
pub use results::{merged, recipients};
pub use watchdog::watchdog;

use crate::campaigns::protocol::{Action, Change, Summary};
use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::gate::{CampaignIds, StatusCounts, TemplateAnswer};
use crate::http::{error, json_response};
use crate::objects::{ask, campaign, gate};
use crate::paging::{self, Keyset};
use futures_util::future::join_all;
use serde_json::json;
use worker::{Env, Request, Response, Result};

pub(super) fn id_ok(id: &str) -> bool {
    id.len() == 28
        && id.starts_with("cmp_")
        && id[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(super) fn not_found() -> Result<Response> {
    error(
        404,
        ErrorCode::NotFound,
        "no campaign with this id was created by this client",
        None,
    )
}

pub(super) fn invalid(message: &str) -> Result<Response> {
    error(400, ErrorCode::InvalidCampaign, message, None)
}

/// The campaign, if this client created it, with its counts moved on by the log.
pub(super) async fn owned(
    env: &Env,
    cfg: &Config,
    client: &Client,
    id: &str,
) -> Result<Option<Summary>> {
    if !id_ok(id) {
        return Ok(None);
    }
    let summary: Option<Summary> = ask(
        &campaign(env, id)?,
        crate::campaigns::protocol::GetCampaign {},
    )
    .await?;
    let Some(mut s) = summary.filter(|s| s.client == client.name) else {
        return Ok(None);
    };
    let d: StatusCounts = ask(
        &gate(env, cfg)?,
        crate::gate::CountDeliveries {
            campaign: id.to_owned(),
        },
    )
    .await?;
    s.counts = merged(s.counts, &d);
    Ok(Some(s))
}

/// `GET /api/campaigns/{id}`.
pub async fn get(env: &Env, cfg: &Config, client: &Client, id: &str) -> Result<Response> {
    match owned(env, cfg, client, id).await? {
        Some(s) => json_response(200, &json!({ "data": s })),
        None => not_found(),
    }
}

/// `GET /api/campaigns?limit=&cursor=`: the client's campaigns, newest first.
pub async fn list(req: Request, env: &Env, cfg: &Config, client: &Client) -> Result<Response> {
    // A campaigns page's cursor is `<created>.<campaign id>`.
    let cursor = |c: &str| Keyset::parse(c).filter(|k| id_ok(&k.id));
    let (limit, cursor) = match paging::query(&req.url()?, paging::NEWEST_FIRST, cursor) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let ids: CampaignIds = ask(
        &gate(env, cfg)?,
        crate::gate::ListCampaigns {
            client: client.name.clone(),
            limit,
            cursor,
        },
    )
    .await?;
    let found = join_all(ids.ids.iter().map(|id| owned(env, cfg, client, id))).await;
    let mut data = Vec::new();
    for s in found {
        if let Some(s) = s? {
            data.push(s);
        }
    }
    json_response(
        200,
        &json!({ "data": data, "next_cursor": ids.next_cursor }),
    )
}

/// `POST /api/campaigns/{id}/pause|resume|cancel`. Asking for the state a
/// campaign is in answers it as it is; a finished campaign cannot change.
pub async fn act(
    env: &Env,
    cfg: &Config,
    client: &Client,
    id: &str,
    action: Action,
) -> Result<Response> {
    let Some(s) = owned(env, cfg, client, id).await? else {
        return not_found();
    };
    match s.status.on(action, true) {
        Change::Already => return json_response(200, &json!({ "data": s })),
        Change::Final => {
            return error(
                409,
                ErrorCode::CampaignState,
                &format!("the campaign is {}: it cannot change", s.status.as_str()),
                None,
            )
        }
        Change::To(_) => {}
    }
    if let Action::Resume = action {
        // The template may have been paused or changed while the campaign was.
        let answer: TemplateAnswer = ask(
            &gate(env, cfg)?,
            crate::gate::TemplateFor {
                name: s.template.name.clone(),
                language: s.template.language.clone(),
            },
        )
        .await?;
        if let TemplateAnswer::Refused { status, body } = answer {
            return json_response(status, &body);
        }
    }
    let changed: Option<Summary> = ask(
        &campaign(env, id)?,
        crate::campaigns::protocol::Act { action },
    )
    .await?;
    match owned(env, cfg, client, id).await? {
        Some(s) if changed.is_some() => json_response(200, &json!({ "data": s })),
        _ => not_found(),
    }
}
