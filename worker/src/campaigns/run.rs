//! The alarm's loop: the next due rows, a batch at a time, through the `Gate`
//! (which admits each under the shared limits or says when to come back), each
//! answer settled by the core's failure table; then, when no row is left, the
//! campaign completes and its `campaign.completed` is posted.
//!
//! Exactly once rests on two things: a row is marked `sending` before it is
//! handed over, and a `sending` row found by a later run (its sender died) is
//! never sent blind: the `Gate` is asked what its key was answered (`Known`),
//! and only a key it never saw is queued again.

use super::protocol::{Action, CampaignStatus, RowError, RowStatus, SkipReason};
use super::rows::{Due, Meta, Outcome};
use super::{at_ms, Campaign};
use crate::codes::ErrorCode;
use crate::gate::{self, CampaignRow, Decision, Scope, SendOp, StatusCounts};
use crate::objects::ask;
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde_json::Value;
use sha2::{Digest, Sha256};
use wasend::failures::{line_for, FailureClass};
use wasend::retry::{self, Backoff, Next};
use worker::{Result, Stub};

/// How many times `campaign.completed` is tried (a minute apart, then longer).
pub const REPORT_ATTEMPTS: u32 = 5;
/// One alarm sends for at most this long, then hands over to the next.
const RUN_MS: i64 = 25_000;
/// Rows in flight to the `Gate` at once.
const BATCH: u32 = 10;
/// A limit this close is waited out in the loop rather than by a new alarm.
const INLINE_WAIT_MS: i64 = 2_000;
/// A `sending` row is looked at again after this long, if its run died (a live
/// run settles its own rows, and only one runs at a time).
const SENDING_MS: i64 = 5_000;
/// A key still in flight at the `Gate` is asked about again after this long.
const IN_FLIGHT_MS: i64 = 5_000;

/// What one row's answer means for the loop.
enum Step {
    Done,
    Failed,
    Later,
    Limited(i64),
    Pause(String),
}

pub fn key(campaign: &str, row: i64) -> String {
    format!("campaign:{campaign}:{row}")
}

fn fingerprint(payload: &str) -> String {
    crate::hex::encode(&Sha256::digest(payload.as_bytes()))
}

impl Campaign {
    pub(super) async fn run(&self) -> Result<()> {
        let store = self.store();
        let Some(mut meta) = store.meta()? else {
            return Ok(());
        };
        let start = gate::now();
        if meta.status == CampaignStatus::Scheduled {
            if start < meta.start_at {
                return self.state.storage().set_alarm(at_ms(meta.start_at)).await;
            }
            meta.status = meta.status.started();
            store.save(&meta)?;
        }
        let gate = self.env.durable_object("GATE")?.get_by_name(&meta.gate)?;
        self.settle_orphans(&gate, &meta).await?;
        // Up to BATCH rows in flight; a slow answer holds up only its own row.
        let mut inflight = FuturesUnordered::new();
        // A limit said: no new row before then.
        let mut hold: Option<i64> = None;
        // Paused, cancelled or out of time: the rows in flight finish, no new one starts.
        let mut stop = false;
        loop {
            let t = gate::now();
            if !stop {
                match store.meta()? {
                    Some(m) if m.status.sends() => meta = m,
                    _ => stop = true,
                }
                stop |= t - start >= RUN_MS;
            }
            if !stop && hold.is_none_or(|h| t >= h) {
                hold = None;
                let room = BATCH.saturating_sub(u32::try_from(inflight.len()).unwrap_or(BATCH));
                if room > 0 {
                    for d in store.due(RowStatus::Queued, t, room)? {
                        store.sending(d.row, t + SENDING_MS)?;
                        let (gate, client, id) = (&gate, meta.client.clone(), meta.id.clone());
                        inflight.push(async move {
                            let answer = self.send_row(gate, &client, &id, &d).await;
                            (d, answer)
                        });
                    }
                }
            }
            if inflight.is_empty() {
                if stop {
                    break;
                }
                let wake = match (hold, store.next_due()?) {
                    (Some(h), _) => h,
                    // A row in flight at the `Gate` is due for a look: what did its key get?
                    (None, Some(at)) if at <= t => {
                        self.settle_orphans(&gate, &meta).await?;
                        continue;
                    }
                    (None, Some(at)) => at,
                    (None, None) => break,
                };
                if wake - t <= INLINE_WAIT_MS && wake - start < RUN_MS {
                    sleep(wake - t).await;
                    continue;
                }
                return self.state.storage().set_alarm(at_ms(wake)).await;
            }
            let Some((d, answer)) = inflight.next().await else {
                continue;
            };
            let pause = match self.apply(&d, answer, &meta)? {
                Step::Limited(at) => {
                    hold = Some(hold.map_or(at, |h| h.max(at)));
                    None
                }
                Step::Failed => self.over_failure_rate(&meta)?,
                Step::Pause(why) => Some(why),
                Step::Done | Step::Later => None,
            };
            if let Some(why) = pause {
                self.act(Action::Pause, Some(why))?;
                stop = true;
            }
        }
        let still_running = store.meta()?.is_some_and(|m| m.status.sends());
        if still_running && gate::now() - start >= RUN_MS {
            // Out of time, not out of rows: the next alarm goes on.
            return self.state.storage().set_alarm(at_ms(gate::now())).await;
        }
        self.finish(&gate).await
    }

    async fn send_row(&self, gate: &Stub, client: &str, id: &str, d: &Due) -> Result<Decision> {
        let payload: Value = serde_json::from_str(&d.payload).unwrap_or(Value::Null);
        let op = SendOp {
            client: client.to_owned(),
            key: Some(key(id, d.row)),
            fingerprint: Some(fingerprint(&d.payload)),
            window_of: None,
            body: d.payload.clone(),
            account: payload["whatsapp_account"].as_str().map(str::to_owned),
            kind: payload["type"].as_str().unwrap_or("template").to_owned(),
            recipient: payload["to"].as_str().unwrap_or_default().to_owned(),
            campaign: Some(CampaignRow {
                id: id.to_owned(),
                row: u64::try_from(d.row).unwrap_or(0),
            }),
        };
        ask(gate, op).await
    }

    /// Rows left `sending` by a run that died: what their keys were answered.
    async fn settle_orphans(&self, gate: &Stub, meta: &Meta) -> Result<()> {
        let store = self.store();
        let orphans = store.due(RowStatus::Sending, gate::now(), 1_000)?;
        for d in &orphans {
            let known: Result<Option<Decision>> = ask(
                gate,
                gate::Known {
                    client: meta.client.clone(),
                    key: key(&meta.id, d.row),
                    fingerprint: fingerprint(&d.payload),
                },
            )
            .await;
            match known {
                Ok(Some(decision)) => {
                    if let Step::Pause(why) = self.apply(d, Ok(decision), meta)? {
                        self.act(Action::Pause, Some(why))?;
                    }
                }
                // Never reached the `Gate`: nothing was sent.
                Ok(None) if meta.status == CampaignStatus::Cancelled => store.settle(
                    d.row,
                    &Outcome {
                        status: RowStatus::Skipped,
                        reason: Some(SkipReason::Cancelled),
                        message_id: None,
                        error: None,
                        next_at: 0,
                        refund: true,
                    },
                )?,
                Ok(None) => store.settle(d.row, &queued(gate::now(), true, None))?,
                // The `Gate` is unreachable now: asked again later.
                Err(_) => store.settle(d.row, &sending(gate::now() + SENDING_MS))?,
            }
        }
        Ok(())
    }

    /// Settles a row by the `Gate`'s answer.
    fn apply(&self, d: &Due, answer: Result<Decision>, meta: &Meta) -> Result<Step> {
        let store = self.store();
        let t = gate::now();
        let attempts = d.attempts + 1;
        let (status, body, retry_after) = match answer {
            // The `Gate` did not answer: the key will tell, later.
            Err(_) => return Ok(Step::Later),
            Ok(
                Decision::Done {
                    status,
                    body,
                    retry_after,
                    ..
                }
                | Decision::Refused {
                    status,
                    body,
                    retry_after,
                },
            ) => (status, body, retry_after),
            Ok(Decision::Replay { status, body }) => (status, body, None),
            Ok(Decision::Limited {
                retry_after_ms,
                scope,
            }) => {
                let at = t + retry_after_ms.max(1);
                store.settle(d.row, &queued(at, true, None))?;
                // One recipient's pair limit holds that row only; the others go on.
                if scope == Scope::Pair {
                    return Ok(Step::Later);
                }
                return Ok(Step::Limited(at));
            }
            Ok(Decision::InFlight) => {
                store.settle(d.row, &sending(t + IN_FLIGHT_MS))?;
                return Ok(Step::Later);
            }
            Ok(Decision::Mismatch) => {
                let e = RowError::answered(
                    ErrorCode::IdempotencyKeyReused,
                    FailureClass::Permanent,
                    format!(
                        "the key {} was used with another payload",
                        key(&meta.id, d.row)
                    ),
                );
                store.settle(d.row, &failed(e))?;
                return Ok(Step::Failed);
            }
        };
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        if status == 200 {
            if let Some(id) = v["data"]["message_id"].as_str() {
                store.settle(
                    d.row,
                    &Outcome {
                        status: RowStatus::Sent,
                        reason: None,
                        message_id: Some(id),
                        error: None,
                        next_at: 0,
                        refund: false,
                    },
                )?;
                return Ok(Step::Done);
            }
        }
        // Every answer the Gate gives a row carries the Worker's code; one that
        // did not would still be the provider's refusal or its failure.
        let code = v["code"].as_str().and_then(ErrorCode::parse).unwrap_or(
            if (400..500).contains(&status) {
                ErrorCode::UpstreamRejected
            } else {
                ErrorCode::UpstreamError
            },
        );
        let message = v["message"].as_str().unwrap_or("the send failed");
        // The core's table and policy decide; the runner only carries it out.
        let line = line_for(Some(status), Some(code.as_str()), Some(message));
        let error = RowError::answered(code, line.class, message.to_owned());
        #[allow(clippy::cast_precision_loss)]
        let told = retry_after.map(|s| s as f64 * 1000.0);
        let attempt = u32::try_from(attempts).unwrap_or(u32::MAX);
        Ok(
            match retry::next(
                line,
                attempt,
                told,
                &Backoff::CAMPAIGN,
                js_sys::Math::random(),
            ) {
                Next::Retry { after_ms } => {
                    #[allow(clippy::cast_possible_truncation)]
                    let at = t + after_ms.ceil() as i64;
                    store.settle(d.row, &queued(at, false, Some(error)))?;
                    Step::Later
                }
                Next::Pause => {
                    // Not the row's fault: it waits for the campaign to resume.
                    store.settle(d.row, &queued(t, true, Some(error)))?;
                    Step::Pause(format!("the template was refused: {message}"))
                }
                Next::Skip => {
                    store.settle(
                        d.row,
                        &Outcome {
                            status: RowStatus::Skipped,
                            reason: Some(SkipReason::OptedOut),
                            message_id: None,
                            error: Some(error),
                            next_at: 0,
                            refund: true,
                        },
                    )?;
                    Step::Done
                }
                Next::Fail { gave_up } => {
                    let mut error = error;
                    if gave_up {
                        error.message = format!("gave up after {attempts} attempts: {message}");
                    }
                    store.settle(d.row, &failed(error))?;
                    Step::Failed
                }
            },
        )
    }

    /// The reason to pause, when too many of the rows attempted since the start
    /// (or the last resume) failed.
    fn over_failure_rate(&self, meta: &Meta) -> Result<Option<String>> {
        let c = self.store().counts()?;
        let attempted = (c.sent + c.failed).saturating_sub(meta.base_attempted);
        let failed = c.failed.saturating_sub(meta.base_failed);
        let limit = u64::from(self.config.campaign_max_failure_pct);
        let over = attempted >= u64::from(self.config.campaign_failure_min_rows)
            && failed * 100 > limit * attempted;
        Ok(over.then(|| {
            format!(
                "{failed} of {attempted} rows failed, over CAMPAIGN_MAX_FAILURE_RATE ({limit}%): paused to look at why"
            )
        }))
    }

    /// Completes a campaign with no row left, posts `campaign.completed`, and
    /// tells the `Gate` the watchdog may stop waking it.
    async fn finish(&self, gate: &Stub) -> Result<()> {
        let store = self.store();
        let Some(mut meta) = store.meta()? else {
            return Ok(());
        };
        let settled = store.next_due()?.is_none();
        match meta.status {
            CampaignStatus::Running if settled => {
                meta.status = meta.status.settled();
                meta.finished = Some(gate::now());
                store.save(&meta)?;
            }
            CampaignStatus::Cancelled
                if meta.finished.is_none() && store.counts_sending()? == 0 =>
            {
                meta.finished = Some(gate::now());
                store.save(&meta)?;
            }
            _ => {}
        }
        if !meta.status.is_final() || meta.finished.is_none() {
            return Ok(());
        }
        if !meta.reported && meta.report_attempts < REPORT_ATTEMPTS {
            let delivered = ask(
                gate,
                gate::CountDeliveries {
                    campaign: meta.id.clone(),
                },
            )
            .await;
            let report = match completed(self.summary(&meta)?, delivered) {
                Ok(summary) => self.report(&summary).await.map_err(|e| e.to_string()),
                Err(why) => Err(why),
            };
            match report {
                Ok(()) => meta.reported = true,
                Err(why) => {
                    worker::console_error!(
                        "campaign {}: campaign.completed not posted (attempt {} of {REPORT_ATTEMPTS}): {}",
                        meta.id,
                        meta.report_attempts + 1,
                        self.config.redact(&why)
                    );
                    meta.report_attempts += 1;
                    if meta.report_attempts < REPORT_ATTEMPTS {
                        let wait = 60_000 * i64::from(meta.report_attempts);
                        self.state
                            .storage()
                            .set_alarm(at_ms(gate::now() + wait))
                            .await?;
                    }
                }
            }
            store.save(&meta)?;
        }
        if meta.reported || meta.report_attempts >= REPORT_ATTEMPTS {
            ask(
                gate,
                gate::CampaignDone {
                    id: meta.id.clone(),
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Posts a signed `campaign.completed` to `CAMPAIGN_WEBHOOK_URL`, if set.
    async fn report(&self, summary: &super::protocol::Summary) -> Result<()> {
        let Some(url) = &self.config.campaign_webhook_url else {
            return Ok(());
        };
        let body = serde_json::json!({
            "event": "campaign.completed",
            "timestamp": String::from(js_sys::Date::new_0().to_iso_string()),
            "data": summary,
        })
        .to_string();
        let headers = worker::Headers::new();
        headers.set("content-type", "application/json")?;
        if let Some(secret) = &self.config.campaign_webhook_secret {
            headers.set(
                "x-webhook-signature",
                &crate::webhook::sign(secret, body.as_bytes()),
            )?;
        }
        let mut init = worker::RequestInit::new();
        init.with_method(worker::Method::Post)
            .with_headers(headers)
            .with_body(Some(body.into()));
        let req = worker::Request::new_with_init(url, &init)?;
        let fetch = worker::Fetch::Request(req);
        let send = Box::pin(fetch.send());
        let timer = Box::pin(sleep(10_000));
        let taken = match futures_util::future::select(send, timer).await {
            futures_util::future::Either::Left((Ok(r), _)) => (200..300).contains(&r.status_code()),
            _ => false,
        };
        if taken {
            Ok(())
        } else {
            Err(worker::Error::RustError(
                "campaign.completed was not taken".into(),
            ))
        }
    }
}

fn queued<'a>(next_at: i64, refund: bool, error: Option<RowError>) -> Outcome<'a> {
    Outcome {
        status: RowStatus::Queued,
        reason: None,
        message_id: None,
        error,
        next_at,
        refund,
    }
}

/// Still in flight at the `Gate` (the attempt given back): looked at again at `next_at`.
fn sending<'a>(next_at: i64) -> Outcome<'a> {
    Outcome {
        status: RowStatus::Sending,
        reason: None,
        message_id: None,
        error: None,
        next_at,
        refund: true,
    }
}

fn failed<'a>(error: RowError) -> Outcome<'a> {
    Outcome {
        status: RowStatus::Failed,
        reason: None,
        message_id: None,
        error: Some(error),
        next_at: 0,
        refund: false,
    }
}

async fn sleep(ms: i64) {
    let ms = u64::try_from(ms.max(1)).unwrap_or(1);
    worker::Delay::from(std::time::Duration::from_millis(ms)).await;
}

/// The summary `campaign.completed` carries: the campaign's own counts moved on
/// by the message log's. Without the log's counts there is no report to give (it
/// would say nothing was delivered): the caller tries again later.
fn completed(
    mut summary: super::protocol::Summary,
    delivered: Result<StatusCounts>,
) -> std::result::Result<super::protocol::Summary, String> {
    let delivered = delivered.map_err(|e| format!("the delivery counts could not be read: {e}"))?;
    summary.counts = super::api::merged(summary.counts, &delivered);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::protocol::{Counts, Summary, TemplateRef};

    fn summary() -> Summary {
        Summary {
            id: "cmp_1".into(),
            client: "a".into(),
            name: "n".into(),
            status: CampaignStatus::Completed,
            actions: vec![],
            template: TemplateRef {
                name: "t".into(),
                language: "en".into(),
            },
            total: 3,
            valid: 3,
            counts: Counts {
                sent: 3,
                ..Counts::default()
            },
            paused_reason: None,
            created: 0,
            start_at: 0,
            finished: Some(1),
        }
    }

    #[test]
    fn a_completion_report_is_never_made_of_counts_that_could_not_be_read() {
        let read = StatusCounts {
            delivered: 2,
            read: 1,
            failed: 0,
        };
        let c = completed(summary(), Ok(read)).expect("counts").counts;
        assert_eq!((c.sent, c.delivered, c.read), (0, 2, 1));
        let err = completed(summary(), Err(worker::Error::RustError("gate down".into())))
            .expect_err("no report with zero deliveries");
        assert!(err.contains("gate down"), "{err}");
    }
}
