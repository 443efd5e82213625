//! The rate windows: every request to the provider takes a slot, and a send is
//! admitted only while the second's and the minute's windows (a margin longer
//! than the provider's) have room, across every client and location.

use super::protocol::Scope;
use super::{int, now, Count, Decision, Gate, Ts};
use worker::{Result, SqlStorageValue};

pub(super) const SECOND_MS: i64 = 1_000;
pub(super) const MINUTE_MS: i64 = 60_000;

/// One person, whichever WhatsApp-id form their number is written in.
fn pair_identity(recipient: &str) -> String {
    wasend::phone::identity(recipient).unwrap_or_else(|| recipient.to_owned())
}

/// How long until a limit admits another send, and which limit.
pub(super) type Wait = (i64, Scope);

impl Gate {
    pub(super) fn count(&self, query: &str, args: Vec<SqlStorageValue>) -> Result<u32> {
        let rows: Vec<Count> = self.sql().exec(query, args)?.to_array()?;
        Ok(rows
            .first()
            .map_or(0, |c| u32::try_from(c.n).unwrap_or(u32::MAX)))
    }

    /// Time until the `limit`-th most recent send in `window_ms` leaves the window.
    pub(super) fn wait(
        &self,
        window_ms: i64,
        limit: u32,
        t: i64,
        client: Option<&str>,
    ) -> Result<i64> {
        let (query, args) = match client {
            Some(c) => (
                "SELECT ts FROM sends WHERE ts > ? AND client = ? ORDER BY ts DESC LIMIT 1 OFFSET ?",
                vec![int(t - window_ms), SqlStorageValue::from(c), int(i64::from(limit) - 1)],
            ),
            None => (
                "SELECT ts FROM sends WHERE ts > ? ORDER BY ts DESC LIMIT 1 OFFSET ?",
                vec![int(t - window_ms), int(i64::from(limit) - 1)],
            ),
        };
        let rows: Vec<Ts> = self.sql().exec(query, args)?.to_array()?;
        Ok(rows.first().map_or(0, |r| r.ts + window_ms - t).max(1))
    }

    /// The limits a send is admitted under: a campaign's row only while the
    /// windows are under `CAMPAIGN_SHARE` of them, so that single sends (a code,
    /// a reply) still get through while a campaign runs at full speed.
    fn limits(&self, campaign: bool) -> (u32, u32) {
        if campaign {
            self.config.campaign_limits()
        } else {
            (self.config.per_second, self.config.per_minute)
        }
    }

    /// Admits a send: `Ok(remaining)` when it may go (its key, if any, now in
    /// flight), else the answer to give instead.
    pub(super) fn admit(
        &self,
        client: &str,
        key: Option<&str>,
        fingerprint: Option<&str>,
        campaign: bool,
    ) -> Result<std::result::Result<u32, Decision>> {
        let cfg = &self.config;
        let (per_second, per_minute) = self.limits(campaign);
        let t = now();
        let sql = self.sql();
        if let Some(d) = self.known(client, key, fingerprint)? {
            return Ok(Err(d));
        }
        let (in_second, in_minute, wait) =
            self.rate(client, (per_second, per_minute, cfg.client_per_minute), t)?;
        if let Some((retry_after_ms, scope)) = wait {
            return Ok(Err(Decision::Limited {
                retry_after_ms,
                scope,
            }));
        }
        self.take(client, t)?;
        if let (Some(key), Some(fp)) = (key, fingerprint) {
            sql.exec(
                "INSERT INTO idem (client, key, fingerprint, state, created) VALUES (?, ?, ?, 'in_flight', ?)",
                vec![SqlStorageValue::from(client), SqlStorageValue::from(key), SqlStorageValue::from(fp), int(t)],
            )?;
        }
        Ok(Ok(per_second
            .saturating_sub(in_second + 1)
            .min(per_minute.saturating_sub(in_minute + 1))))
    }

    /// How long until `recipient` may be sent to again under the pair rate limit
    /// (`None`: now). Checked and taken ([`Gate::take_pair`]) in one turn of the
    /// object, with no wait between, so two sends to one person cannot both pass.
    pub(super) fn pair_wait(&self, recipient: &str, t: i64) -> Result<Option<i64>> {
        let interval = i64::from(self.config.pair_min_interval_ms);
        if interval == 0 {
            return Ok(None);
        }
        let sql = self.sql();
        sql.exec("DELETE FROM pairs WHERE last <= ?", vec![int(t - interval)])?;
        let identity = pair_identity(recipient);
        let rows: Vec<Ts> = sql
            .exec(
                "SELECT last AS ts FROM pairs WHERE identity = ?",
                vec![SqlStorageValue::from(identity)],
            )?
            .to_array()?;
        Ok(rows.first().map(|r| (r.ts + interval - t).max(1)))
    }

    /// Records a send to `recipient` at `t` for the pair rate limit.
    pub(super) fn take_pair(&self, recipient: &str, t: i64) -> Result<()> {
        if self.config.pair_min_interval_ms == 0 {
            return Ok(());
        }
        let identity = pair_identity(recipient);
        self.sql().exec(
            "INSERT INTO pairs (identity, last) VALUES (?, ?) ON CONFLICT (identity) DO UPDATE SET last = excluded.last",
            vec![SqlStorageValue::from(identity), int(t)],
        )?;
        Ok(())
    }

    /// Frees `recipient`'s pair slot: the send that took it sent nothing.
    pub(super) fn release_pair(&self, recipient: &str) -> Result<()> {
        if self.config.pair_min_interval_ms == 0 {
            return Ok(());
        }
        let identity = pair_identity(recipient);
        self.sql().exec(
            "DELETE FROM pairs WHERE identity = ?",
            vec![SqlStorageValue::from(identity)],
        )?;
        Ok(())
    }

    /// Counts a request to the provider at `t` in every window.
    pub(super) fn take(&self, client: &str, t: i64) -> Result<()> {
        self.sql().exec(
            "INSERT INTO sends (ts, client) VALUES (?, ?)",
            vec![int(t), SqlStorageValue::from(client)],
        )?;
        Ok(())
    }

    /// A retry of an admitted send is another request upstream, so it takes a slot
    /// in the provider's windows too (not in the client's: the client asked once).
    /// Returns 0 when the slot is taken, else the milliseconds to wait.
    pub(super) fn slot(&self, client: &str, campaign: bool) -> Result<i64> {
        let t = now();
        let (per_second, per_minute) = self.limits(campaign);
        let limits = (per_second, per_minute, 0);
        if let (_, _, Some((wait, _))) = self.rate(client, limits, t)? {
            return Ok(wait);
        }
        self.take(client, t)?;
        Ok(0)
    }

    /// The sends in the last second and minute, and the longest wait any limit imposes.
    pub(super) fn rate(
        &self,
        client: &str,
        limits: (u32, u32, u32),
        t: i64,
    ) -> Result<(u32, u32, Option<Wait>)> {
        let (per_second, per_minute, client_per_minute) = limits;
        let margin = i64::from(self.config.rate_margin_ms);
        let (second_ms, minute_ms) = (SECOND_MS + margin, MINUTE_MS + margin);
        self.sql()
            .exec("DELETE FROM sends WHERE ts <= ?", vec![int(t - minute_ms)])?;
        let in_second = self.count(
            "SELECT COUNT(*) AS n FROM sends WHERE ts > ?",
            vec![int(t - second_ms)],
        )?;
        let in_minute = self.count("SELECT COUNT(*) AS n FROM sends", vec![])?;
        let mut waits = Vec::new();
        if in_second >= per_second {
            waits.push((self.wait(second_ms, per_second, t, None)?, Scope::Second));
        }
        if in_minute >= per_minute {
            waits.push((self.wait(minute_ms, per_minute, t, None)?, Scope::Minute));
        }
        if client_per_minute > 0 {
            let mine = self.count(
                "SELECT COUNT(*) AS n FROM sends WHERE client = ?",
                vec![SqlStorageValue::from(client)],
            )?;
            if mine >= client_per_minute {
                waits.push((
                    self.wait(minute_ms, client_per_minute, t, Some(client))?,
                    Scope::Client,
                ));
            }
        }
        Ok((
            in_second,
            in_minute,
            waits.into_iter().max_by_key(|(w, _)| *w),
        ))
    }
}
