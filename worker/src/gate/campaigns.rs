//! The campaigns of this account, as the `Gate` knows them: an index (for a
//! client's list, and for the watchdog that wakes every unfinished one), and what
//! the log says became of each row sent (delivered, read, failed), read by the
//! campaign's row number rather than copied into the campaign.

use super::protocol::{CampaignIds, Deliveries, Delivery, StatusCounts};
use super::{int, Gate};
use crate::paging::{newest_first, page, Keyset, NEWEST_FIRST};
use serde::Deserialize;
use wasend::status::Status;
use worker::{Result, SqlStorageValue};

#[derive(Deserialize)]
struct Indexed {
    id: String,
    created: i64,
}

#[derive(Deserialize)]
struct Counted {
    status: Status,
    n: i64,
}

#[derive(Deserialize)]
struct LogRow {
    campaign_row: i64,
    status: Status,
    failure: Option<String>,
}

impl Gate {
    pub(super) fn index_campaign(&self, id: &str, client: &str, created: i64) -> Result<()> {
        self.sql().exec(
            "INSERT INTO campaigns (id, client, created) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
            vec![
                SqlStorageValue::from(id),
                SqlStorageValue::from(client),
                int(created),
            ],
        )?;
        Ok(())
    }

    pub(super) fn forget_campaign(&self, id: &str, listed_before: i64) -> Result<()> {
        self.sql().exec(
            "DELETE FROM campaigns WHERE id = ? AND created < ?",
            vec![SqlStorageValue::from(id), int(listed_before)],
        )?;
        Ok(())
    }

    pub(super) fn campaign_done(&self, id: &str) -> Result<()> {
        self.sql().exec(
            "UPDATE campaigns SET done = 1 WHERE id = ?",
            vec![SqlStorageValue::from(id)],
        )?;
        Ok(())
    }

    /// A client's campaigns, newest first, as the message log's pages.
    pub(super) fn campaigns(
        &self,
        client: &str,
        limit: u32,
        cursor: Option<&Keyset>,
    ) -> Result<CampaignIds> {
        let limit = limit.clamp(1, NEWEST_FIRST.max);
        let (query, args) = newest_first(
            "SELECT id, created FROM campaigns WHERE client = ?",
            vec![SqlStorageValue::from(client)],
            cursor,
            limit,
        );
        let rows: Vec<Indexed> = self.sql().exec(&query, args)?.to_array()?;
        let (rows, next_cursor) = page(rows, limit, |r| Keyset {
            created: r.created,
            id: r.id.clone(),
        });
        Ok(CampaignIds {
            ids: rows.into_iter().map(|r| r.id).collect(),
            next_cursor,
        })
    }

    pub(super) fn unfinished_campaigns(&self) -> Result<CampaignIds> {
        let rows: Vec<Indexed> = self
            .sql()
            .exec(
                "SELECT id, created FROM campaigns WHERE done = 0 ORDER BY created",
                vec![],
            )?
            .to_array()?;
        Ok(CampaignIds {
            ids: rows.into_iter().map(|r| r.id).collect(),
            next_cursor: None,
        })
    }

    pub(super) fn deliveries(
        &self,
        campaign: &str,
        rows: Option<(u64, u64)>,
    ) -> Result<Deliveries> {
        let n = |x: u64| int(i64::try_from(x).unwrap_or(i64::MAX));
        let found: Vec<LogRow> = match rows {
            Some((from, to)) => self.sql().exec(
                "SELECT campaign_row, status, failure FROM messages WHERE campaign = ? AND campaign_row BETWEEN ? AND ?",
                vec![SqlStorageValue::from(campaign), n(from), n(to)],
            )?,
            None => self.sql().exec(
                "SELECT campaign_row, status, failure FROM messages WHERE campaign = ?",
                vec![SqlStorageValue::from(campaign)],
            )?,
        }
        .to_array()?;
        Ok(Deliveries {
            rows: found
                .into_iter()
                .map(|r| Delivery {
                    row: u64::try_from(r.campaign_row).unwrap_or(0),
                    status: r.status,
                    failure: r.failure,
                })
                .collect(),
        })
    }

    pub(super) fn delivery_counts(&self, campaign: &str) -> Result<StatusCounts> {
        let rows: Vec<Counted> = self
            .sql()
            .exec(
                "SELECT status, count(*) AS n FROM messages WHERE campaign = ? GROUP BY status",
                vec![SqlStorageValue::from(campaign)],
            )?
            .to_array()?;
        let mut c = StatusCounts::default();
        for r in rows {
            let n = u64::try_from(r.n).unwrap_or(0);
            match r.status {
                Status::Delivered => c.delivered = n,
                Status::Read => c.read = n,
                Status::Failed => c.failed = n,
                Status::Sent => {}
            }
        }
        Ok(c)
    }
}
