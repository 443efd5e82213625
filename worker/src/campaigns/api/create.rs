//! `POST /api/campaigns`: the request read in any of its forms (JSON rows, CSV,
//! NDJSON, counted as it arrives), the template looked up at the `Gate` (refused
//! as a send of it would be), and the list prepared by the campaign's own object;
//! a repeat with its `Idempotency-Key` finds the campaign the first one made.

use super::results::every_row;
use super::{invalid, not_found, owned};
use crate::campaigns::protocol::{Create, Creation, RowStatus, SkipReason, TemplateRef};
use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::gate::TemplateAnswer;
use crate::http::{error, json_response};
use crate::objects::{ask, campaign, gate, gate_name};
use serde_json::json;
use sha2::{Digest, Sha256};
use wasend::campaign::{count_rows, RowCounter, MAX_ROWS};
use worker::{Env, Request, Response, Result};

/// A campaign's id: the client's `Idempotency-Key`'s own (so that a retried
/// creation finds the campaign the first one made), else a fresh one.
pub(super) fn new_id(client: &Client, key: Option<&str>) -> String {
    let seed = match key {
        Some(k) => format!("key\n{}\n{k}", client.name),
        None => format!(
            "{}:{}:{}:{}",
            client.name,
            crate::gate::now(),
            js_sys::Math::random(),
            js_sys::Math::random()
        ),
    };
    format!(
        "cmp_{}",
        &crate::hex::encode(&Sha256::digest(seed.as_bytes()))[..24]
    )
}

/// A digest of what a creation asked for, to tell a repeat from a reuse of its key.
pub(super) fn fingerprint(r: &Request1) -> String {
    let mut h = Sha256::new();
    let start = r.start_at.map_or(String::new(), |t| t.to_string());
    let mapping = r
        .mapping
        .iter()
        .map(|(c, k)| format!("{c}={k}"))
        .collect::<Vec<_>>()
        .join("\n");
    for part in [
        r.name.as_str(),
        &r.template.name,
        &r.template.language,
        &start,
        r.default_region.as_deref().unwrap_or_default(),
        &mapping,
        &r.list,
    ] {
        h.update(part.len().to_le_bytes());
        h.update(part.as_bytes());
    }
    crate::hex::encode(&h.finalize())
}

pub(super) fn too_many_rows() -> Result<Response> {
    error(
        413,
        ErrorCode::ListTooLong,
        &format!("the list is over {MAX_ROWS} rows; nothing was created"),
        Some(json!({ "limit": MAX_ROWS })),
    )
}

/// What a request to create a campaign says, whichever its form.
pub(super) struct Request1 {
    name: String,
    template: TemplateRef,
    list: String,
    start_at: Option<i64>,
    mapping: Vec<(String, String)>,
    default_region: Option<String>,
}

pub(super) fn start_at(v: Option<&str>) -> std::result::Result<Option<i64>, String> {
    match v {
        None => Ok(None),
        Some(s) => wasend::numbers::rfc3339_ms(s).map(Some).ok_or_else(|| {
            format!("start_at must be an RFC 3339 time (2026-12-24T09:00:00Z), not {s:?}")
        }),
    }
}

pub(super) fn from_json(bytes: &[u8]) -> std::result::Result<Request1, String> {
    use wasend::json::Value as Json;
    let v = wasend::json::parse(bytes).map_err(|e| format!("the body is not json: {e}"))?;
    let t = &v["template"];
    let (Some(tn), Some(tl)) = (t["name"].as_str(), t["language"].as_str()) else {
        return Err("send {\"name\", \"template\": {\"name\", \"language\"}, \"rows\": [...]} (or \"csv\": \"...\")".into());
    };
    let list = match (&v["rows"], &v["csv"]) {
        (rows @ Json::Array(_), Json::Null) => rows.to_json(),
        (Json::Null, Json::String(csv)) => csv.clone(),
        (Json::Null, Json::Null) => {
            return Err("the campaign has no list: send \"rows\": [...] or \"csv\": \"...\"".into())
        }
        _ => {
            return Err(
                "send the list once: \"rows\" as an array of objects, or \"csv\" as text".into(),
            )
        }
    };
    let mapping = match &v["mapping"] {
        Json::Null => Vec::new(),
        Json::Object(m) => m
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|s| (k.to_owned(), s.to_owned()))
                    .ok_or_else(|| format!("mapping.{k} must be the name of a template input"))
            })
            .collect::<std::result::Result<_, _>>()?,
        _ => return Err("mapping must be an object: {\"column\": \"input\"}".into()),
    };
    let name = match &v["name"] {
        Json::Null => tn.to_owned(),
        Json::String(s) => s.clone(),
        _ => return Err("name must be a string".into()),
    };
    Ok(Request1 {
        name,
        template: TemplateRef {
            name: tn.to_owned(),
            language: tl.to_owned(),
        },
        list,
        start_at: start_at(v["start_at"].as_str())?,
        mapping,
        default_region: v["default_region"].as_str().map(str::to_owned),
    })
}

pub(super) fn from_query(
    url: &worker::Url,
    bytes: Vec<u8>,
) -> std::result::Result<Request1, String> {
    let mut name = None;
    let mut template = None;
    let mut language = None;
    let mut start = None;
    let mut region = None;
    let mut mapping = Vec::new();
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "name" => name = Some(v.into_owned()),
            "template" => template = Some(v.into_owned()),
            "language" => language = Some(v.into_owned()),
            "start_at" => start = Some(v.into_owned()),
            "default_region" => region = Some(v.into_owned()),
            // `map.<column>=<input>`
            k if k.starts_with("map.") => mapping.push((k[4..].to_owned(), v.into_owned())),
            _ => {}
        }
    }
    let (Some(tn), Some(tl)) = (template, language) else {
        return Err("name the template: ?template=NAME&language=LANG".into());
    };
    let list = String::from_utf8(bytes).map_err(|_| "the list is not utf-8 text".to_owned())?;
    Ok(Request1 {
        name: name.unwrap_or_else(|| tn.clone()),
        template: TemplateRef {
            name: tn,
            language: tl,
        },
        list,
        start_at: start_at(start.as_deref())?,
        mapping,
        default_region: region,
    })
}

/// `POST /api/campaigns`: a JSON body with `rows` (or `csv`), or a CSV/NDJSON
/// body with the template in the query.
pub async fn create(req: Request, env: &Env, cfg: &Config, client: &Client) -> Result<Response> {
    let url = req.url()?;
    let key = match crate::http::idempotency_key(&req) {
        Ok(k) => k,
        Err(r) => return r,
    };
    // Rows are counted as the body arrives: a list over the limit is refused at
    // its first row too many, not after 10 MB have been read.
    let json = crate::body::media_type(&req) == "application/json";
    let mut counter = if json {
        RowCounter::request()
    } else {
        RowCounter::list()
    };
    let watch = |chunk: &[u8]| {
        counter.feed(chunk);
        counter.over().then(too_many_rows)
    };
    let bytes = match crate::body::read_watched(req, crate::body::Kind::List, watch).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let parsed = if json {
        from_json(&bytes)
    } else {
        from_query(&url, bytes)
    };
    let r = match parsed {
        Ok(r) => r,
        Err(why) => return invalid(&why),
    };
    // What the stream's count could not see (a request's list written oddly) is
    // counted again as the core will read it, before anything is stored.
    if count_rows(&r.list) > MAX_ROWS {
        return too_many_rows();
    }
    // A region the phone metadata does not have is the request's mistake, said before
    // anything is stored (as every face refuses it: `OptionsError`'s message).
    if let Some(region) = &r.default_region {
        if let Err(e) = wasend::Options::default().default_region(region) {
            return invalid(&format!("default_region: {e}"));
        }
    }
    let name_len = r.name.chars().count();
    if name_len == 0 || name_len > 200 {
        return invalid("name must be 1 to 200 characters");
    }
    let g = gate(env, cfg)?;
    let answer: TemplateAnswer = ask(
        &g,
        crate::gate::TemplateFor {
            name: r.template.name.clone(),
            language: r.template.language.clone(),
        },
    )
    .await?;
    let (definition, suppressed) = match answer {
        TemplateAnswer::Found {
            definition,
            suppressed,
        } => (definition, suppressed),
        TemplateAnswer::Refused { status, body } => return json_response(status, &body),
    };
    let id = new_id(client, key.as_deref());
    let digest = key.as_ref().map(|_| fingerprint(&r));
    // Listed first: a campaign whose creation dies half-way is found by the
    // watchdog (and forgotten if it never came to be).
    ask(
        &g,
        crate::gate::CampaignIndex {
            id: id.clone(),
            client: client.name.clone(),
            created: crate::gate::now(),
        },
    )
    .await?;
    let created: Creation = ask(
        &campaign(env, &id)?,
        Create {
            id: id.clone(),
            client: client.name.clone(),
            name: r.name,
            template: r.template,
            definition,
            list: r.list,
            mapping: r.mapping,
            suppressed,
            start_at: r.start_at,
            default_region: r.default_region,
            gate: gate_name(cfg),
            fingerprint: digest.clone(),
        },
    )
    .await?;
    match created {
        Creation::Created {
            summary,
            issues,
            skipped,
        } => {
            let body = json!({ "data": {
                "id": summary.id, "status": summary.status, "total": summary.total,
                "valid": summary.valid, "issues": issues, "skipped": skipped, "campaign": summary,
            }});
            let resp = json_response(201, &body)?;
            resp.headers()
                .set("location", &format!("/api/campaigns/{id}"))?;
            Ok(resp)
        }
        Creation::Refused { issues } => {
            ask(
                &g,
                crate::gate::CampaignForget {
                    id,
                    listed_before: None,
                },
            )
            .await?;
            let first = issues
                .first()
                .and_then(|i| i["message"].as_str())
                .unwrap_or("the list cannot be read");
            error(
                400,
                ErrorCode::InvalidList,
                &format!("the list does not fit the template: {first}; nothing was created"),
                Some(json!({ "errors": issues })),
            )
        }
        // The key's first request made it: the same campaign, not a second one.
        Creation::Exists { fingerprint } if fingerprint.is_some() && fingerprint == digest => {
            replay(env, cfg, client, &id).await
        }
        Creation::Exists { .. } => error(
            422,
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key made a campaign from another request",
            None,
        ),
    }
}

/// A repeated creation's answer: the campaign its key made, each row not sent
/// with its first problem as stored (an invalid row's in `issues`, its column in
/// the message; any other's in `skipped`, a duplicate without `of`), `200` and
/// `Idempotent-Replayed: true`.
pub(super) async fn replay(env: &Env, cfg: &Config, client: &Client, id: &str) -> Result<Response> {
    let Some(summary) = owned(env, cfg, client, id).await? else {
        return not_found();
    };
    let (mut issues, mut skipped) = (Vec::new(), Vec::new());
    every_row(env, cfg, id, Some(RowStatus::Skipped), false, |rows| {
        for r in rows {
            let (Some(e), Some(reason)) = (r.error.as_ref(), r.reason) else {
                // Cancelled before its turn: not a problem of the list.
                continue;
            };
            let mut entry = json!({ "row": r.row, "code": e.code(), "message": e.message });
            if let Some(line) = r.line {
                entry["line"] = line.into();
            }
            if reason == SkipReason::Invalid {
                issues.push(entry);
            } else {
                skipped.push(entry);
            }
        }
    })
    .await?;
    let body = json!({ "data": {
        "id": summary.id, "status": summary.status, "total": summary.total,
        "valid": summary.valid, "issues": issues, "skipped": skipped, "campaign": summary,
    }});
    let resp = json_response(200, &body)?;
    resp.headers().set("idempotent-replayed", "true")?;
    resp.headers()
        .set("location", &format!("/api/campaigns/{id}"))?;
    Ok(resp)
}
