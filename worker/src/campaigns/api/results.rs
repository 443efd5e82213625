//! What became of a campaign's rows: its own table, with sent rows moved on by
//! the `Gate`'s message log (delivered, read, failed), as JSON pages or as one
//! spreadsheet-safe CSV.

use super::{invalid, not_found, owned};
use crate::campaigns::protocol::{Counts, Recipient, RowError, RowStatus, Rows, SkipReason};
use crate::codes::ErrorCode;
use crate::config::{Client, Config};
use crate::gate::{Deliveries, StatusCounts};
use crate::http::json_response;
use crate::objects::{ask, campaign, gate};
use crate::paging::{self, Bounds};
use serde_json::json;
use wasend::status::Status;
use worker::{Env, Request, Response, Result};

/// A page of a campaign's rows: up to 1,000, 100 when the request does not say.
pub(super) const RECIPIENTS: Bounds = Bounds {
    default: 100,
    max: 1_000,
};

/// Rows a results page reads from the campaign at once.
pub(super) const CSV_PAGE: u32 = 1_000;

/// The columns of a results CSV.
pub(super) const RESULT_COLUMNS: [&str; 10] = [
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

/// Every row of a campaign with `status` (all: `None`), a page at a time, each
/// page given to `each` with the log's word on it when `delivered` is asked.
pub(super) async fn every_row(
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
            crate::campaigns::protocol::ListRecipients {
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

/// Sent rows moved on by the log (delivered, read, failed after sending).
pub(super) async fn overlay(
    env: &Env,
    cfg: &Config,
    id: &str,
    rows: &mut [Recipient],
) -> Result<()> {
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
        crate::campaigns::protocol::ListRecipients {
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

pub(super) fn csv_fields(r: &Recipient) -> [String; 10] {
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
