//! `GET /api/health`: the mode, the versions and the limits in force.

use crate::config::Config;
use crate::http::json_response;
use serde_json::json;
use worker::{Response, Result};

pub(crate) fn health(cfg: &Config) -> Result<Response> {
    json_response(
        200,
        &json!({
            "status": "ok",
            "mode": if cfg.sandbox() { "sandbox" } else { "upstream" },
            "version": env!("CARGO_PKG_VERSION"),
            "phone_metadata": wasend::phone::METADATA_VERSION,
            "accounts": cfg.accounts,
            // What a page needs to estimate a campaign's time: the limits in force.
            "limits": {
                "per_second": cfg.per_second,
                "per_minute": cfg.per_minute,
                "campaign_share": cfg.campaign_share_pct,
                "campaign_per_second": cfg.campaign_limits().0,
                "campaign_per_minute": cfg.campaign_limits().1,
            },
        }),
    )
}
