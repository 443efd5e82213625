//! `Campaign`: one Durable Object per campaign, holding its rows in its own
//! SQLite (`rows.rs`) and sending them from its alarm (`run.rs`) through the
//! account's `Gate`, the one limiter every send shares. Each row goes with the
//! idempotency key `campaign:<id>:<row>`, so that a row handed to the `Gate`
//! twice (an alarm fired twice, a runtime restarted mid-send) is sent once: the
//! second time, the `Gate` answers what the first was answered.
//!
//! An alarm can be lost (a platform that drops one after six failed retries, a
//! local runtime that keeps none across a restart), so every request to the
//! object re-arms an unfinished campaign's alarm, and the Worker's Cron Trigger
//! wakes every unfinished campaign the `Gate` lists.

pub mod api;
pub mod protocol;
mod rows;
mod run;

use crate::config::Config;
use protocol::{
    Act, Action, CampaignOp, CampaignStatus, Change, Create, Creation, GetCampaign, ListRecipients,
    RowError, RowStatus, Rows, SkipReason, Summary, Wake, Woken,
};
use rows::{Meta, NewRow, Store};
use std::cell::Cell;
use wasend::campaign::{ListOptions, Outcome};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

#[durable_object]
#[allow(missing_debug_implementations)]
pub struct Campaign {
    state: State,
    env: Env,
    config: Config,
    /// The alarm's loop is running in this instance (a second one returns at once).
    running: Cell<bool>,
    schema: crate::schema::Schema,
}

impl Campaign {
    fn store(&self) -> Store {
        Store(self.state.storage().sql())
    }

    fn summary(&self, meta: &Meta) -> Result<Summary> {
        Ok(Summary {
            id: meta.id.clone(),
            client: meta.client.clone(),
            name: meta.name.clone(),
            status: meta.status,
            actions: meta.status.actions(),
            template: meta.template.clone(),
            total: meta.total,
            valid: meta.valid,
            counts: self.store().counts()?,
            paused_reason: meta.paused_reason.clone(),
            created: meta.created,
            start_at: meta.start_at,
            finished: meta.finished,
        })
    }

    fn create(&self, c: &Create) -> Result<Creation> {
        let store = self.store();
        if let Some(meta) = store.meta()? {
            return Ok(Creation::Exists {
                fingerprint: meta.fingerprint,
            });
        }
        let definition =
            match wasend::TemplateDefinition::from_value(&wasend::json::Value::from(&c.definition))
            {
                Ok(d) => d,
                Err(e) => {
                    return Ok(Creation::Refused {
                        issues: vec![list_issue(
                            wasend::Code::InvalidFormat,
                            &format!("the approved definition cannot be read: {e}"),
                        )],
                    })
                }
            };
        let mut options = wasend::Options::default();
        if let Some(region) = &c.default_region {
            match options.clone().default_region(region) {
                Ok(o) => options = o,
                Err(e) => {
                    return Ok(Creation::Refused {
                        issues: vec![list_issue(wasend::Code::InvalidEnum, &e.to_string())],
                    })
                }
            }
        }
        let list = ListOptions {
            options,
            mapping: c.mapping.clone(),
            suppressed: c.suppressed.clone(),
        };
        let prepared = wasend::campaign::prepare(&c.list, &definition, &list);
        let value = |v: wasend::json::Value| serde_json::Value::from(&v);
        if prepared.list_failed() || prepared.rows.is_empty() {
            let mut issues: Vec<serde_json::Value> = prepared
                .issues
                .iter()
                .filter(|i| i.row.is_none())
                .map(|i| value(i.to_value()))
                .collect();
            if issues.is_empty() {
                issues.push(list_issue(wasend::Code::Required, "the list has no rows"));
            }
            return Ok(Creation::Refused { issues });
        }
        // A row's first problem is its reason; every problem is in the answer.
        let mut first = std::collections::HashMap::new();
        for i in &prepared.issues {
            if let Some(r) = i.row {
                first.entry(r).or_insert(i);
            }
        }
        let issues = prepared
            .issues
            .iter()
            .map(|i| value(i.to_value()))
            .collect();
        let skipped = prepared
            .skipped()
            .iter()
            .map(|s| value(s.to_value()))
            .collect();
        let mut rows = Vec::with_capacity(prepared.rows.len());
        for r in &prepared.rows {
            let (status, payload, reason, error) = match &r.outcome {
                Outcome::Ready { payload, .. } => {
                    (RowStatus::Queued, Some(payload.as_str()), None, None)
                }
                Outcome::Invalid => {
                    let e = first.get(&r.row).map(|i| {
                        RowError::invalid(
                            i.issue.code,
                            match &i.column {
                                Some(c) => format!("column {c}: {}", i.issue.message),
                                None => i.issue.message.clone(),
                            },
                        )
                    });
                    (RowStatus::Skipped, None, Some(SkipReason::Invalid), e)
                }
                Outcome::Duplicate { .. } | Outcome::OptedOut => {
                    let reason = if r.outcome == Outcome::OptedOut {
                        SkipReason::OptedOut
                    } else {
                        SkipReason::Duplicate
                    };
                    // The same code and class as a row found opted out when its turn comes.
                    let e = r.skipped().map(RowError::skipped);
                    (RowStatus::Skipped, None, Some(reason), e)
                }
            };
            rows.push(NewRow {
                row: r.row as u64,
                line: r.line.map(|l| l as u64),
                recipient: r.recipient.as_deref(),
                payload,
                status,
                reason,
                error,
            });
        }
        store.insert(&rows)?;
        let now = crate::gate::now();
        let start_at = c.start_at.unwrap_or(now).max(now);
        let meta = Meta {
            id: c.id.clone(),
            client: c.client.clone(),
            name: c.name.clone(),
            template: c.template.clone(),
            definition: c.definition.clone(),
            gate: c.gate.clone(),
            status: CampaignStatus::initial(start_at <= now),
            paused_reason: None,
            created: now,
            start_at,
            finished: None,
            total: prepared.summary.total as u64,
            valid: prepared.summary.valid as u64,
            base_attempted: 0,
            base_failed: 0,
            reported: false,
            report_attempts: 0,
            fingerprint: c.fingerprint.clone(),
        };
        // The campaign exists once its rows do: stored last.
        store.save(&meta)?;
        Ok(Creation::Created {
            summary: Box::new(self.summary(&meta)?),
            issues,
            skipped,
        })
    }

    /// Does `action`, if the core's machine lets it change the campaign.
    fn act(&self, action: Action, reason: Option<String>) -> Result<Option<Summary>> {
        let store = self.store();
        let Some(mut meta) = store.meta()? else {
            return Ok(None);
        };
        let now = crate::gate::now();
        if let Change::To(to) = meta.status.on(action, meta.start_at <= now) {
            if action == Action::Resume {
                // A resumed campaign is judged on what it does from now on.
                let c = store.counts()?;
                meta.base_attempted = c.sent + c.failed;
                meta.base_failed = c.failed;
                store.due_now(now)?;
            }
            meta.status = to;
            meta.paused_reason = reason.filter(|_| to == CampaignStatus::Paused);
            if to == CampaignStatus::Cancelled {
                store.cancel_queued()?;
            }
            store.save(&meta)?;
        }
        Ok(Some(self.summary(&meta)?))
    }

    /// The check on every wake: an unfinished campaign has an alarm.
    async fn ensure_alarm(&self) -> Result<Woken> {
        let Some(meta) = self.store().meta()? else {
            return Ok(Woken {
                exists: false,
                done: true,
            });
        };
        let work = self.has_work(&meta)?;
        if work && self.state.storage().get_alarm().await?.is_none() {
            let at = if meta.status == CampaignStatus::Scheduled {
                meta.start_at
            } else {
                crate::gate::now()
            };
            self.state.storage().set_alarm(at_ms(at)).await?;
        }
        Ok(Woken {
            exists: true,
            done: !work && meta.status != CampaignStatus::Paused,
        })
    }

    /// Rows to send or settle, or a report to post.
    fn has_work(&self, meta: &Meta) -> Result<bool> {
        Ok(match meta.status {
            CampaignStatus::Scheduled | CampaignStatus::Running => true,
            // Rows in flight when it paused or was cancelled still get their answer.
            CampaignStatus::Paused => self.store().counts_sending()? > 0,
            CampaignStatus::Completed | CampaignStatus::Cancelled => {
                self.store().counts_sending()? > 0
                    || (!meta.reported && meta.report_attempts < run::REPORT_ATTEMPTS)
            }
        })
    }
}

/// A problem of the list as a whole, shaped as the core's row issues.
/// An issue of the list itself: its path is the list's, `""` (as the core's are).
fn list_issue(code: wasend::Code, message: &str) -> serde_json::Value {
    serde_json::json!({ "code": code.as_str(), "path": "", "message": message })
}

/// An absolute time for `set_alarm`.
fn at_ms(ms: i64) -> worker::ScheduledTime {
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    worker::ScheduledTime::new(date)
}

impl DurableObject for Campaign {
    fn new(state: State, env: Env) -> Self {
        let schema = crate::schema::Schema::new(&state.storage().sql(), crate::schema::CAMPAIGN);
        let config = Config::from_env(&env);
        Campaign {
            state,
            env,
            config,
            running: Cell::new(false),
            schema,
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        use crate::objects::answer;
        if let Err(why) = self.schema.ready(&self.state.storage().sql()) {
            worker::console_error!("campaign: {why}");
            return crate::objects::unavailable(&why);
        }
        let op: CampaignOp = crate::objects::read(&req.text().await?)?;
        let out = match op {
            CampaignOp::Create(c) => answer::<Create>(&self.create(&c)?),
            CampaignOp::Get(_) => {
                let summary = match self.store().meta()? {
                    Some(m) => Some(self.summary(&m)?),
                    None => None,
                };
                answer::<GetCampaign>(&summary)
            }
            CampaignOp::Recipients(ListRecipients {
                limit,
                after,
                status,
            }) => {
                let page = match self.store().meta()? {
                    Some(_) => {
                        let limit = limit.max(1);
                        let mut rows = self.store().page(after, limit + 1, status)?;
                        let more = rows.len() > limit as usize;
                        rows.truncate(limit as usize);
                        Some(Rows { rows, more })
                    }
                    None => None,
                };
                answer::<ListRecipients>(&page)
            }
            CampaignOp::Act(Act { action }) => {
                let reason = (action == Action::Pause).then(|| "paused by the client".to_owned());
                let s = self.act(action, reason)?;
                if action != Action::Pause {
                    // Now, not at the time the alarm was set for (a scheduled start, a
                    // backoff): a resumed campaign goes on, a cancelled one settles and finishes.
                    self.state
                        .storage()
                        .set_alarm(at_ms(crate::gate::now()))
                        .await?;
                }
                answer::<Act>(&s)
            }
            CampaignOp::Wake(_) => answer::<Wake>(&self.ensure_alarm().await?),
        };
        // Whatever woke it: an unfinished campaign leaves with its alarm set.
        self.ensure_alarm().await?;
        out
    }

    async fn alarm(&self) -> Result<Response> {
        // Not on a schema it does not know: the platform tries the alarm again.
        self.schema
            .ready(&self.state.storage().sql())
            .map_err(|why| {
                worker::console_error!("campaign alarm: {why}");
                worker::Error::RustError(why)
            })?;
        if self.running.replace(true) {
            return Response::ok("already running");
        }
        let result = self.run().await;
        self.running.set(false);
        // A failed run is tried again by the platform; the wake check backs it up.
        result?;
        self.ensure_alarm().await?;
        Response::ok("ok")
    }
}
