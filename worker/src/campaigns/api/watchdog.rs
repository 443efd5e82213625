//! The Cron Trigger's round: every unfinished campaign woken (its alarm re-armed
//! if it was lost), a finished one marked done, one never created forgotten, and
//! every campaign it could not wake kept with why.

use crate::campaigns::protocol::Woken;
use crate::config::Config;
use crate::gate::CampaignIds;
use crate::objects::{ask, campaign, gate};
use futures_util::future::join_all;
use worker::{Env, Result};

/// The Cron Trigger: every unfinished campaign is woken (its alarm re-armed if
/// it was lost), a finished one is marked done, one never created forgotten.
pub async fn watchdog(env: &Env, cfg: &Config) -> Result<Watched> {
    let g = gate(env, cfg)?;
    let ids: CampaignIds = ask(&g, crate::gate::Unfinished {}).await?;
    let woken = join_all(ids.ids.iter().map(|id| async {
        let w: Result<Woken> = match campaign(env, id) {
            Ok(stub) => ask(&stub, crate::campaigns::protocol::Wake {}).await,
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
