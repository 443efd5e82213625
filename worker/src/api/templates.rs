//! `GET /api/templates` and `/api/admin/templates`: the approved templates sends are
//! checked against, and an operator's list.

use crate::codes::ErrorCode;
use crate::config::Config;
use crate::gate::{self};
use crate::http::{error, json_response};
use crate::objects::{ask, gate};
use crate::{auth, body};
use serde_json::{json, Value};
use worker::{Env, Method, Request, Response, Result};

/// `GET /api/templates`: the approved templates sends are checked against, and
/// where they come from (`source`: `upstream`, `repository` or `operator`).
pub(crate) async fn templates(env: &Env, cfg: &Config) -> Result<Response> {
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
pub(crate) async fn admin_templates(req: Request, env: &Env, cfg: &Config) -> Result<Response> {
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
pub(crate) fn admin_list(v: wasend::json::Value) -> std::result::Result<Vec<Value>, String> {
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
