//! `GET /{version}/{waba_id}/message_templates`: the approved templates sends are
//! checked against (the `Gate`'s, whatever their source), in Meta's paged shape:
//! `{"data", "paging": {"cursors": {"before", "after"}, "next"?}}`, `limit` at a
//! time from the cursor `after`.

use crate::codes::ErrorCode;
use crate::config::Config;
use crate::gate;
use crate::http::{error, json_response};
use crate::objects::{ask, gate};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use worker::{Env, Request, Response, Result};

/// Graph's default page, and the most one page holds.
const DEFAULT_LIMIT: usize = 25;
const MAX_LIMIT: usize = 1000;
/// Meta's limit of templates a business account may hold (its summary's).
const TEMPLATE_LIMIT: usize = 250;

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
    let (mut limit, mut after, mut summary) = (DEFAULT_LIMIT, 0usize, false);
    for (k, v) in url.query_pairs() {
        if k == "summary" {
            summary = true;
            continue;
        }
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
    let data: Vec<Value> = data.into_iter().map(as_graph_lists).collect();
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
    let mut page = json!({ "data": &data[start..end], "paging": paging });
    if summary {
        // Graph's `summary`, asked for by name: the counts of the whole list.
        page["summary"] = json!({
            "total_count": data.len(),
            "message_template_count": data.len(),
            "message_template_limit": TEMPLATE_LIMIT,
            "are_translations_complete": true,
        });
    }
    json_response(200, &page)
}

/// A template as Graph lists it (SDKs read these from every item): an `id`, one
/// the source did not give being a stable number of its name and language, and
/// a `parameter_format`, Meta's default (`POSITIONAL`) when the source left it out.
fn as_graph_lists(mut t: Value) -> Value {
    if t.get("parameter_format").is_none() {
        t["parameter_format"] = json!("POSITIONAL");
    }
    if t.get("id").is_none() {
        let key = format!(
            "{}/{}",
            t["name"].as_str().unwrap_or_default(),
            t["language"].as_str().unwrap_or_default()
        );
        let digest = Sha256::digest(key.as_bytes());
        let mut n = [0u8; 8];
        n.copy_from_slice(&digest[..8]);
        // Fifteen digits, as Meta's template ids have.
        let id = u64::from_be_bytes(n) % 900_000_000_000_000 + 100_000_000_000_000;
        t["id"] = json!(id.to_string());
    }
    t
}
