//! `GET /{version}/{waba_id}/message_templates`: the approved templates sends are
//! checked against (the `Gate`'s, whatever their source), in Meta's paged shape:
//! `{"data", "paging": {"cursors": {"before", "after"}, "next"?}}`, `limit` at a
//! time from the cursor `after`.

use crate::codes::ErrorCode;
use crate::config::Config;
use crate::gate;
use crate::http::{error, json_response};
use crate::objects::{ask, gate};
use serde_json::json;
use worker::{Env, Request, Response, Result};

/// Graph's default page, and the most one page holds.
const DEFAULT_LIMIT: usize = 25;
const MAX_LIMIT: usize = 1000;

pub(super) async fn list(req: Request, env: &Env, cfg: &Config, node: String) -> Result<Response> {
    if cfg.graph.waba_id.as_ref().is_some_and(|w| *w != node) {
        return error(
            404,
            ErrorCode::UnknownAccount,
            &format!("business account {node} is not this proxy's"),
            None,
        );
    }
    let url = req.url()?;
    let (mut limit, mut after) = (DEFAULT_LIMIT, 0usize);
    for (k, v) in url.query_pairs() {
        let n = wasend::numbers::digits_u64(&v).and_then(|n| usize::try_from(n).ok());
        match (k.as_ref(), n) {
            ("limit", Some(n)) if (1..=MAX_LIMIT).contains(&n) => limit = n,
            ("after", Some(n)) => after = n,
            ("limit" | "after", _) => {
                return error(
                    400,
                    ErrorCode::InvalidCursor,
                    &format!("`{k}` must be a number this list gave"),
                    None,
                )
            }
            _ => {}
        }
    }
    let data = match ask(&gate(env, cfg)?, gate::ListTemplates {}).await? {
        gate::TemplateList::Listed { data, .. } => data,
        gate::TemplateList::Unavailable { error: why } => {
            return error(503, ErrorCode::TemplatesUnavailable, &why, None)
        }
    };
    let start = after.min(data.len());
    let end = (start + limit).min(data.len());
    let mut paging =
        json!({ "cursors": { "before": start.to_string(), "after": end.to_string() } });
    if end < data.len() {
        let mut next = url.clone();
        next.query_pairs_mut()
            .clear()
            .append_pair("limit", &limit.to_string())
            .append_pair("after", &end.to_string());
        paging["next"] = json!(next.to_string());
    }
    json_response(200, &json!({ "data": &data[start..end], "paging": paging }))
}
