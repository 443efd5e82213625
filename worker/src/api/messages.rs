//! `GET /api/messages` and `GET /api/messages/{id}`: a client's own sends, from the
//! `Gate`'s log.

use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::gate::{self};
use crate::http::{error, json_response};
use crate::objects::{ask, gate};
use crate::paging;
use serde_json::json;
use worker::{Env, Request, Response, Result};

/// `GET /api/messages/{id}`: one of the client's own messages, with its history.
pub(crate) async fn message(
    env: &Env,
    cfg: &Config,
    client: &Client,
    id: String,
) -> Result<Response> {
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
pub(crate) async fn list(
    req: Request,
    env: &Env,
    cfg: &Config,
    client: &Client,
) -> Result<Response> {
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
