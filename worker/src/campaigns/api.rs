//! The campaigns' HTTP face: `/api/campaigns…` for a client token, each client
//! seeing and steering its own campaigns only. The Worker looks the template up
//! at the `Gate` (refused as a send of it would be), has the campaign's object
//! prepare and keep the list, and reads what became of sent rows from the
//! `Gate`'s log; the Cron Trigger's watchdog is here too.

use super::protocol::{
    Action, Change, Counts, Create, Creation, Recipient, RowError, RowStatus, Rows, SkipReason,
    Summary, TemplateRef, Woken,
};
use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::gate::{CampaignIds, Deliveries, StatusCounts, TemplateAnswer};
use crate::http::{error, json_response};
use crate::objects::{ask, campaign, gate, gate_name};
use crate::paging::{self, Bounds, Keyset};
use futures_util::future::join_all;
use serde_json::json;
use sha2::{Digest, Sha256};
use wasend::campaign::{count_rows, RowCounter, MAX_ROWS};
use wasend::status::Status;
use worker::{Env, Request, Response, Result};

/// A page of a campaign's rows: up to 1,000, 100 when the request does not say.
const RECIPIENTS: Bounds = Bounds {
    default: 100,
    max: 1_000,
};

/// Rows a results page reads from the campaign at once.
const CSV_PAGE: u32 = 1_000;
/// The columns of a results CSV.
const RESULT_COLUMNS: [&str; 10] = [
    "row",
    "line",
    "to",
    "status",
    "reason",
    "message_id",
    "error_code",
    "error_class",
    "error_message",
    "attempts",
];

/// The counts with sent rows moved on by the log: delivered, read, or failed
/// after the provider took them.
pub fn merged(mut c: Counts, d: &StatusCounts) -> Counts {
    let moved = (d.delivered + d.read + d.failed).min(c.sent);
    c.sent -= moved;
    c.delivered = d.delivered;
    c.read = d.read;
    c.failed += d.failed;
    c
}

fn id_ok(id: &str) -> bool {
    id.len() == 28
        && id.starts_with("cmp_")
        && id[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A campaign's id: the client's `Idempotency-Key`'s own (so that a retried
/// creation finds the campaign the first one made), else a fresh one.
fn new_id(client: &Client, key: Option<&str>) -> String {
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
fn fingerprint(r: &Request1) -> String {
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

fn not_found() -> Result<Response> {
    error(
        404,
        ErrorCode::NotFound,
        "no campaign with this id was created by this client",
        None,
    )
}

fn too_many_rows() -> Result<Response> {
    error(
        413,
        ErrorCode::ListTooLong,
        &format!("the list is over {MAX_ROWS} rows; nothing was created"),
        Some(json!({ "limit": MAX_ROWS })),
    )
}

fn invalid(message: &str) -> Result<Response> {
    error(400, ErrorCode::InvalidCampaign, message, None)
}

/// What a request to create a campaign says, whichever its form.
struct Request1 {
    name: String,
    template: TemplateRef,
    list: String,
    start_at: Option<i64>,
    mapping: Vec<(String, String)>,
    default_region: Option<String>,
}

fn start_at(v: Option<&str>) -> std::result::Result<Option<i64>, String> {
    match v {
        None => Ok(None),
        Some(s) => wasend::numbers::rfc3339_ms(s).map(Some).ok_or_else(|| {
            format!("start_at must be an RFC 3339 time (2026-12-24T09:00:00Z), not {s:?}")
        }),
    }
}

fn from_json(bytes: &[u8]) -> std::result::Result<Request1, String> {
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
                    .map(|s| (k.clone(), s.to_owned()))
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

fn from_query(url: &worker::Url, bytes: Vec<u8>) -> std::result::Result<Request1, String> {
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

/// Every row of a campaign with `status` (all: `None`), a page at a time, each
/// page given to `each` with the log's word on it when `delivered` is asked.
async fn every_row(
    env: &Env,
    cfg: &Config,
    id: &str,
    status: Option<RowStatus>,
    delivered: bool,
    mut each: impl FnMut(&[Recipient]),
) -> Result<()> {
    let object = campaign(env, id)?;
    let mut after = 0;
    loop {
        let page: Option<Rows> = ask(
            &object,
            super::protocol::ListRecipients {
                limit: CSV_PAGE,
                after,
                status,
            },
        )
        .await?;
        let Some(mut page) = page else {
            return Ok(());
        };
        if delivered {
            overlay(env, cfg, id, &mut page.rows).await?;
        }
        each(&page.rows);
        match (page.more, page.rows.last()) {
            (true, Some(last)) => after = last.row,
            _ => return Ok(()),
        }
    }
}

/// A repeated creation's answer: the campaign its key made, each row not sent
/// with its first problem as stored (an invalid row's in `issues`, its column in
/// the message; any other's in `skipped`, a duplicate without `of`), `200` and
/// `Idempotent-Replayed: true`.
async fn replay(env: &Env, cfg: &Config, client: &Client, id: &str) -> Result<Response> {
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

/// The campaign, if this client created it, with its counts moved on by the log.
async fn owned(env: &Env, cfg: &Config, client: &Client, id: &str) -> Result<Option<Summary>> {
    if !id_ok(id) {
        return Ok(None);
    }
    let summary: Option<Summary> =
        ask(&campaign(env, id)?, super::protocol::GetCampaign {}).await?;
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

/// Sent rows moved on by the log (delivered, read, failed after sending).
async fn overlay(env: &Env, cfg: &Config, id: &str, rows: &mut [Recipient]) -> Result<()> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(());
    };
    let d: Deliveries = ask(
        &gate(env, cfg)?,
        crate::gate::GetDeliveries {
            campaign: id.to_owned(),
            rows: Some((first.row, last.row)),
        },
    )
    .await?;
    for delivery in d.rows {
        let Some(r) = rows
            .iter_mut()
            .find(|r| r.row == delivery.row && r.status == RowStatus::Sent)
        else {
            continue;
        };
        match delivery.status {
            Status::Delivered => r.status = RowStatus::Delivered,
            Status::Read => r.status = RowStatus::Read,
            Status::Failed => {
                r.status = RowStatus::Failed;
                let message = delivery
                    .failure
                    .unwrap_or_else(|| "the provider reported a failure".to_owned());
                let class = wasend::failures::classify(None, Some(&message));
                r.error = Some(RowError::answered(
                    ErrorCode::DeliveryFailed,
                    class,
                    message,
                ));
            }
            Status::Sent => {}
        }
    }
    Ok(())
}

/// `GET /api/campaigns/{id}/recipients?limit=&cursor=&status=`; with `Accept:
/// text/csv`, every row as CSV.
pub async fn recipients(
    req: Request,
    env: &Env,
    cfg: &Config,
    client: &Client,
    id: &str,
) -> Result<Response> {
    if owned(env, cfg, client, id).await?.is_none() {
        return not_found();
    }
    let url = req.url()?;
    // Row order, the cursor the last row shown.
    let (limit, after) = match paging::query(&url, RECIPIENTS, wasend::numbers::digits_u64) {
        Ok((limit, after)) => (limit, after.unwrap_or(0)),
        Err(r) => return r,
    };
    let mut status = None;
    for (k, v) in url.query_pairs().filter(|(k, _)| k == "status") {
        match RowStatus::filters().find(|s| s.as_str() == v) {
            Some(s) => status = Some(s),
            None => {
                let names: Vec<&str> = RowStatus::filters().map(RowStatus::as_str).collect();
                return invalid(&format!("{k} must be one of {}", names.join(", ")));
            }
        }
    }
    let csv = req
        .headers()
        .get("accept")
        .ok()
        .flatten()
        .is_some_and(|a| a.contains("text/csv"));
    if csv {
        let mut out = wasend::campaign::csv_record(&RESULT_COLUMNS);
        every_row(env, cfg, id, None, true, |rows| {
            for r in rows {
                out.push_str(&wasend::campaign::csv_record(&csv_fields(r)));
            }
        })
        .await?;
        let resp = Response::ok(out)?;
        resp.headers()
            .set("content-type", "text/csv; charset=utf-8")?;
        resp.headers().set("x-content-type-options", "nosniff")?;
        resp.headers().set(
            "content-disposition",
            &format!("attachment; filename=\"{id}.csv\""),
        )?;
        return Ok(resp);
    }
    let page: Option<Rows> = ask(
        &campaign(env, id)?,
        super::protocol::ListRecipients {
            limit,
            after,
            status,
        },
    )
    .await?;
    let Some(mut page) = page else {
        return not_found();
    };
    overlay(env, cfg, id, &mut page.rows).await?;
    let next = page
        .rows
        .last()
        .filter(|_| page.more)
        .map(|r| r.row.to_string());
    let shown: Vec<&Recipient> = page
        .rows
        .iter()
        .filter(|r| status.is_none_or(|s| r.status == s))
        .collect();
    json_response(200, &json!({ "data": shown, "next_cursor": next }))
}

fn csv_fields(r: &Recipient) -> [String; 10] {
    let e = r.error.as_ref();
    [
        r.row.to_string(),
        r.line.map_or(String::new(), |l| l.to_string()),
        r.to.clone().unwrap_or_default(),
        r.status.as_str().to_owned(),
        r.reason.map_or("", SkipReason::as_str).to_owned(),
        r.message_id.clone().unwrap_or_default(),
        e.map_or("", RowError::code).to_owned(),
        e.map_or("", |e| e.class.as_str()).to_owned(),
        e.map_or(String::new(), |e| e.message.clone()),
        r.attempts.to_string(),
    ]
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
    let changed: Option<Summary> =
        ask(&campaign(env, id)?, super::protocol::Act { action }).await?;
    match owned(env, cfg, client, id).await? {
        Some(s) if changed.is_some() => json_response(200, &json!({ "data": s })),
        _ => not_found(),
    }
}

/// The Cron Trigger: every unfinished campaign is woken (its alarm re-armed if
/// it was lost), a finished one is marked done, one never created forgotten.
pub async fn watchdog(env: &Env, cfg: &Config) -> Result<Watched> {
    let g = gate(env, cfg)?;
    let ids: CampaignIds = ask(&g, crate::gate::Unfinished {}).await?;
    let woken = join_all(ids.ids.iter().map(|id| async {
        let w: Result<Woken> = match campaign(env, id) {
            Ok(stub) => ask(&stub, super::protocol::Wake {}).await,
            Err(e) => Err(e),
        };
        (id.clone(), w)
    }))
    .await;
    let watched = Watched::of(woken);
    for id in watched.forget.clone() {
        // Not one being created this minute: that one exists in a moment.
        let listed_before = Some(crate::gate::now() - 600_000);
        ask(&g, crate::gate::CampaignForget { id, listed_before }).await?;
    }
    for id in watched.done.clone() {
        ask(&g, crate::gate::CampaignDone { id }).await?;
    }
    Ok(watched)
}

/// What one watchdog round found, campaign by campaign.
#[derive(Debug, Default, PartialEq)]
pub struct Watched {
    /// Unfinished and awake, their alarms set.
    pub awake: usize,
    /// Never created: dropped from the index.
    pub forget: Vec<String>,
    /// Nothing left to do: no longer woken.
    pub done: Vec<String>,
    /// Could not be woken, and why: tried again on the next round.
    pub failed: Vec<(String, String)>,
}

impl Watched {
    fn of(woken: Vec<(String, Result<Woken>)>) -> Watched {
        let mut w = Watched::default();
        for (id, answer) in woken {
            match answer {
                Ok(Woken { exists: false, .. }) => w.forget.push(id),
                Ok(Woken { done: true, .. }) => w.done.push(id),
                Ok(_) => w.awake += 1,
                Err(e) => w.failed.push((id, e.to_string())),
            }
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watchdog_keeps_every_failure_it_meets() {
        let woken = vec![
            (
                "a".to_owned(),
                Ok(Woken {
                    exists: true,
                    done: false,
                }),
            ),
            (
                "b".to_owned(),
                Ok(Woken {
                    exists: false,
                    done: true,
                }),
            ),
            (
                "c".to_owned(),
                Ok(Woken {
                    exists: true,
                    done: true,
                }),
            ),
            (
                "d".to_owned(),
                Err(worker::Error::RustError("object unavailable".into())),
            ),
        ];
        assert_eq!(
            Watched::of(woken),
            Watched {
                awake: 1,
                forget: vec!["b".into()],
                done: vec!["c".into()],
                failed: vec![("d".into(), "object unavailable".into())],
            }
        );
    }
}
