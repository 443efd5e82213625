//! `Gate`: one Durable Object per upstream key (or one for the sandbox), the
//! single place every send of that key passes, and the place it is sent from.
//! Being one object, it sees every client and every edge location, and each
//! admission runs without interleaving (synchronous SQLite, no await between the
//! check and the insert): that is what makes the rate limit exact and an
//! idempotency key usable only once. Other requests run while a send awaits
//! the provider.
//!
//! State is in the object's SQLite storage (`schema.rs`, numbered migrations),
//! one concern a file: the rate windows (`limits.rs`), idempotency keys
//! (`keys.rs`), when each recipient last wrote (`windows.rs`), the message log
//! (`log.rs`), the sandbox's delivery timeline (`timeline.rs`); the Worker talks
//! to it in `protocol.rs`'s types, and `send` here puts them together.

mod campaigns;
mod forward;
mod keys;
mod limits;
mod log;
mod protocol;
mod suppressions;
mod timeline;
mod windows;

pub use log::Sent;
pub use protocol::*;

use crate::config::Config;
use crate::{templates, upstream};
use log::answered_wa_id;
use serde::Deserialize;
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, SqlStorageValue,
    State,
};

#[durable_object]
#[allow(missing_debug_implementations)]
pub struct Gate {
    state: State,
    config: Config,
    templates: templates::Registry,
    schema: crate::schema::Schema,
}

/// The clock, in the milliseconds the stored times use.
pub(crate) fn now() -> i64 {
    #[allow(clippy::cast_possible_wrap)]
    let t = worker::Date::now().as_millis() as i64;
    t
}

fn int(v: i64) -> SqlStorageValue {
    SqlStorageValue::from(v)
}

#[derive(Deserialize)]
struct Ts {
    ts: i64,
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

impl Gate {
    pub(super) fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    /// Applies an event to the log and, when it changed anything, queues it for
    /// the subscribers it concerns (the caller then sets the alarm: `schedule`).
    pub(super) fn apply(
        &self,
        event: &crate::webhook::Event,
        added_by: Option<&str>,
    ) -> Result<Applied> {
        let applied = self.log_event(event, added_by)?;
        if applied.applied {
            self.enqueue(event)?;
        }
        Ok(applied)
    }

    /// Admits a send and, when admitted, sends it: here, in the one object every
    /// send of the key passes, so that the request leaves in the same turn as its
    /// admission. Sent from the calling Worker instead, requests admitted apart
    /// reached the provider bunched (a loaded Worker delays some more than others),
    /// and the provider counted 11 to 13 in a second under load.
    async fn send(&self, op: &SendOp) -> Result<Decision> {
        let cfg = &self.config;
        // A key's stored answer comes first: a retry replays what was answered, even
        // if the template has changed since.
        if let Some(d) = self.known(&op.client, op.key.as_deref(), op.fingerprint.as_deref())? {
            return Ok(d);
        }
        // Where it goes, in the upstream's dialect: an account this proxy does not
        // send from is refused before anything is counted.
        let target = match &cfg.upstream {
            Some(_) => match upstream::target(cfg, &op.body, op.account.as_deref()) {
                Ok(t) => Some(t),
                Err((status, body)) => {
                    return Ok(Decision::Refused {
                        status,
                        body: body.to_string(),
                        retry_after: None,
                    })
                }
            },
            None => None,
        };
        // Then the template, against its approved definition, before a rate slot is
        // taken: nothing the provider would refuse is sent.
        let mut warning = None;
        if op.kind == "template" {
            let payload = wasend::json::parse(op.body.as_bytes()).unwrap_or_default();
            match self
                .templates
                .check(&self.sql(), cfg, now(), &payload)
                .await
            {
                templates::Check::Passed { marketing } => {
                    if (marketing || op.campaign.is_some()) && self.is_suppressed(&op.recipient)? {
                        let body = crate::http::error_body(
                            crate::codes::ErrorCode::RecipientOptedOut,
                            "the recipient opted out of marketing messages; nothing was sent (DELETE /api/suppressions/{number} lifts it)",
                            None,
                        );
                        return Ok(Decision::Refused {
                            status: 409,
                            body: body.to_string(),
                            retry_after: None,
                        });
                    }
                }
                templates::Check::Unchecked(why) => {
                    warning = Some(format!("template not checked: {why}"));
                }
                templates::Check::Refused {
                    status,
                    body,
                    retry_after,
                } => {
                    return Ok(Decision::Refused {
                        status,
                        body: body.to_string(),
                        retry_after,
                    });
                }
            }
        }
        // The pair rate limit, then the windows, then both taken: no await between.
        if let Some(retry_after_ms) = self.pair_wait(&op.recipient, now())? {
            return Ok(Decision::Limited {
                retry_after_ms,
                scope: Scope::Pair,
            });
        }
        let remaining = match self.admit(
            &op.client,
            op.key.as_deref(),
            op.fingerprint.as_deref(),
            op.campaign.is_some(),
        )? {
            Ok(remaining) => remaining,
            Err(answer) => return Ok(answer),
        };
        self.take_pair(&op.recipient, now())?;
        let window_open = match &op.window_of {
            Some(number) => Some(self.window_open(number)?),
            None => None,
        };
        let (status, answer, retry_after, store) = match (&cfg.upstream, &target) {
            (Some(up), Some(target)) => {
                let slot = async || self.slot(&op.client, op.campaign.is_some()).ok();
                let o = upstream::forward(cfg, up, target, slot).await;
                (o.status, o.body, o.retry_after, o.store)
            }
            _ => {
                let a = self.sandbox(&op.body)?;
                (a.status, a.body, None, true)
            }
        };
        // A definite refusal sent nothing, so it holds no pair slot (Meta counts
        // what it accepted); an unknown outcome keeps it.
        if !store || (400..500).contains(&status) {
            self.release_pair(&op.recipient)?;
        }
        let body = cfg.redact(&answer.to_string());
        // "Stopped marketing messages" (131050) in the answer suppresses as its webhook does.
        if status != 200
            && wasend::failures::rule(None, answer["message"].as_str())
                .is_some_and(|r| r.suppresses)
        {
            let by = format!("send:{}", op.client);
            self.suppress(&op.recipient, answer["message"].as_str(), "failure", &by)?;
        }
        if let Some(key) = &op.key {
            if store {
                self.finish(&op.client, key, status, &body)?;
            } else {
                self.release(&op.client, key)?;
            }
        }
        if let Some(id) = answer["data"]["message_id"]
            .as_str()
            .filter(|_| status == 200)
        {
            let sent = Sent {
                id,
                account: op.account.as_deref(),
                kind: &op.kind,
                recipient: &op.recipient,
                key: op.key.as_deref(),
                wa_id: answered_wa_id(&answer),
                campaign: op.campaign.as_ref(),
            };
            self.record(&op.client, &sent, cfg.sandbox()).await?;
        }
        Ok(Decision::Done {
            status,
            body,
            retry_after,
            remaining,
            window_open,
            warning,
        })
    }
}

impl DurableObject for Gate {
    fn new(state: State, env: Env) -> Self {
        let schema = crate::schema::Schema::new(&state.storage().sql(), crate::schema::GATE);
        let config = Config::from_env(&env);
        Gate {
            state,
            config,
            templates: templates::Registry::default(),
            schema,
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        use crate::objects::answer;
        if let Err(why) = self.schema.ready(&self.sql()) {
            worker::console_error!("gate: {why}");
            return crate::objects::unavailable(&why);
        }
        let op: Op = crate::objects::read(&req.text().await?)?;
        match op {
            Op::Send(op) => answer::<SendOp>(&self.send(&op).await?),
            Op::Events(EventsOp { events }) => {
                let applied = events
                    .iter()
                    .map(|e| self.apply(e, None))
                    .collect::<Result<Vec<_>>>()?;
                self.schedule().await?;
                answer::<EventsOp>(&applied)
            }
            Op::Subscribe(Subscribe {
                client,
                url,
                secret,
            }) => answer::<Subscribe>(&self.subscribe(&client, &url, &secret)?),
            Op::GetSubscription(GetSubscription { client }) => {
                answer::<GetSubscription>(&self.subscription(&client)?)
            }
            Op::Unsubscribe(Unsubscribe { client }) => {
                answer::<Unsubscribe>(&self.unsubscribe(&client)?)
            }
            Op::Message(GetMessage { client, id }) => {
                answer::<GetMessage>(&self.message(&client, &id)?)
            }
            Op::Messages(ListMessages {
                client,
                limit,
                cursor,
            }) => answer::<ListMessages>(&self.list(&client, limit, cursor.as_ref())?),
            Op::Templates(_) => {
                let list = match self
                    .templates
                    .list(&self.sql(), &self.config, now(), false)
                    .await
                {
                    Ok(l) => TemplateList::Listed {
                        data: l.raw.clone(),
                        source: l.origin,
                    },
                    Err(error) => TemplateList::Unavailable { error },
                };
                answer::<ListTemplates>(&list)
            }
            Op::SetTemplates(SetTemplates { definitions }) => {
                templates::Registry::set_operator(&self.sql(), definitions.as_deref(), now())?;
                let l = self
                    .templates
                    .list(&self.sql(), &self.config, now(), false)
                    .await;
                answer::<SetTemplates>(&TemplateSource {
                    source: l.map_or(templates::Origin::Upstream, |l| l.origin),
                })
            }
            Op::Suppressions(_) => answer::<ListSuppressions>(&self.suppressions()?),
            Op::Suppress(Suppress {
                number,
                reason,
                client,
            }) => {
                let by = suppressions::by_client(&client);
                let added = self.suppress(&number, reason.as_deref(), "api", &by)?;
                answer::<Suppress>(&Added { added })
            }
            Op::Unsuppress(Unsuppress { number, by }) => {
                answer::<Unsuppress>(&self.unsuppress(&number, &by)?)
            }
            Op::Known(Known {
                client,
                key,
                fingerprint,
            }) => answer::<Known>(&self.known(&client, Some(&key), Some(&fingerprint))?),
            Op::TemplateFor(TemplateFor { name, language }) => {
                let found = match self
                    .templates
                    .definition(&self.sql(), &self.config, now(), &name, &language)
                    .await
                {
                    Ok((_, definition)) => TemplateAnswer::Found {
                        definition,
                        suppressed: self.suppressed_identities()?,
                    },
                    Err(templates::Check::Refused { status, body, .. }) => {
                        TemplateAnswer::Refused { status, body }
                    }
                    Err(_) => TemplateAnswer::Refused {
                        status: 503,
                        body: crate::http::error_body(
                            crate::codes::ErrorCode::TemplatesUnavailable,
                            "the approved templates cannot be listed; retry later",
                            None,
                        ),
                    },
                };
                answer::<TemplateFor>(&found)
            }
            Op::CampaignIndex(CampaignIndex {
                id,
                client,
                created,
            }) => answer::<CampaignIndex>(&self.index_campaign(&id, &client, created)?),
            Op::CampaignForget(CampaignForget { id, listed_before }) => answer::<CampaignForget>(
                &self.forget_campaign(&id, listed_before.unwrap_or(i64::MAX))?,
            ),
            Op::CampaignDone(CampaignDone { id }) => {
                answer::<CampaignDone>(&self.campaign_done(&id)?)
            }
            Op::Campaigns(ListCampaigns {
                client,
                limit,
                cursor,
            }) => answer::<ListCampaigns>(&self.campaigns(&client, limit, cursor.as_ref())?),
            Op::Unfinished(_) => answer::<Unfinished>(&self.unfinished_campaigns()?),
            Op::Deliveries(GetDeliveries { campaign, rows }) => {
                answer::<GetDeliveries>(&self.deliveries(&campaign, rows)?)
            }
            Op::DeliveryCounts(CountDeliveries { campaign }) => {
                answer::<CountDeliveries>(&self.delivery_counts(&campaign)?)
            }
            Op::Inbound(Inbound {
                number,
                text,
                name,
                client,
            }) => {
                // The sandbox's customer writing in: the same event as a webhook's.
                let event = crate::webhook::Event::Inbound {
                    from: number,
                    at: now(),
                    text,
                    message_id: None,
                    user_id: None,
                    name,
                };
                let applied = self.apply(&event, Some(&format!("sandbox:{client}")))?;
                self.schedule().await?;
                answer::<Inbound>(&applied)
            }
        }
    }

    /// The subscribers' webhooks due (`forward.rs`), then the sandbox's delivery
    /// events (`timeline.rs`), which sets the next alarm for both.
    async fn alarm(&self) -> Result<Response> {
        // Not on a schema it does not know: the platform tries the alarm again.
        self.schema.ready(&self.sql()).map_err(|why| {
            worker::console_error!("gate alarm: {why}");
            worker::Error::RustError(why)
        })?;
        self.deliver_outbox().await?;
        self.deliver_due().await
    }
}
