//! The Worker's configuration, read from its bindings (see `wrangler.toml` and
//! `.dev.vars.example`). Secrets and vars are read alike, so a test can pass any
//! of them with `wrangler dev --var`.

use worker::Env;

/// A client allowed in by `CLIENT_TOKENS` (`name:token` or a bare `token`).
#[derive(Clone, Debug)]
pub struct Client {
    pub name: String,
    token: String,
}

#[derive(Clone)]
pub struct Config {
    /// `None` runs the built-in sandbox instead of an upstream provider.
    pub upstream: Option<Upstream>,
    /// Which API the upstream speaks (`UPSTREAM_DIALECT`).
    pub dialect: Dialect,
    /// Meta's version and identifiers (`META_*`).
    pub graph: Graph,
    pub clients: Vec<Client>,
    pub allowed_origins: Vec<String>,
    /// The accounts a sender may pick (`whatsapp_account`): `WHATSAPP_ACCOUNTS`, or
    /// in the Meta dialect the names of `META_PHONE_NUMBER_IDS`.
    pub accounts: Vec<String>,
    /// Signs the provider's webhooks.
    pub webhook_secret: Option<String>,
    /// Meta's app secret, which signs Meta's webhooks (`META_APP_SECRET`).
    pub meta_app_secret: Option<String>,
    /// What Meta's verification handshake must present (`META_VERIFY_TOKEN`).
    pub meta_verify_token: Option<String>,
    /// Sends per minute one client may make (0: no per-client limit).
    pub client_per_minute: u32,
    pub per_second: u32,
    pub per_minute: u32,
    /// The least time between two sends to one recipient (`PAIR_MIN_INTERVAL_MS`;
    /// Meta's pair rate limit, 6,000 in the Meta dialect, 0: none).
    pub pair_min_interval_ms: u32,
    pub upstream_timeout_ms: u32,
    /// How much longer than the provider's the admission windows are.
    pub rate_margin_ms: u32,
    /// `ADMIN_TOKENS`: who may replace the approved templates at run time.
    pub admins: Vec<Client>,
    /// Where approved templates come from (`TEMPLATE_SOURCE`).
    pub template_source: TemplateSource,
    /// `TEMPLATE_CHECK=strict`: no template send when the list cannot be had.
    pub template_check_strict: bool,
    /// How long the provider's template list is trusted (`TEMPLATES_TTL_S`, 300).
    pub templates_ttl_ms: i64,
    /// Stop keywords beside the built-in ones (`STOP_KEYWORDS`, comma-separated).
    pub stop_keywords: Vec<String>,
    /// A campaign pauses itself when more than this percentage of its attempted
    /// rows failed (`CAMPAIGN_MAX_FAILURE_RATE`, 20)…
    pub campaign_max_failure_pct: u32,
    /// …once this many were attempted (`CAMPAIGN_FAILURE_MIN_ROWS`, 50).
    pub campaign_failure_min_rows: u32,
    /// The share of the limits campaigns may fill, in percent (`CAMPAIGN_SHARE`,
    /// 80): the rest is kept for single sends.
    pub campaign_share_pct: u32,
    /// Failed authentications one address may make in a minute before its requests
    /// are answered 429 (`AUTH_FAILURES_PER_MINUTE`, 20; 0: never).
    pub auth_failures_per_minute: u32,
    /// Where a finished campaign's `campaign.completed` is posted.
    pub campaign_webhook_url: Option<String>,
    /// Signs it (`CAMPAIGN_WEBHOOK_SECRET`, else `WEBHOOK_SECRET`).
    pub campaign_webhook_secret: Option<String>,
}

/// Where a send's approved template definition is looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateSource {
    /// `GET {UPSTREAM_URL}/templates` (the default with an upstream key).
    Upstream,
    /// The repository's `templates/*.json`, bundled with the Worker (the sandbox's,
    /// and the default without an upstream key).
    Local,
}

/// The upstream's API: the provider's (the default) or Meta's Cloud API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Provider,
    Meta,
}

/// Meta's identifiers: where the Meta dialect sends from, and which phone number
/// ids and business account the Meta-compatible ingress answers for (in either
/// dialect).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graph {
    /// `META_API_VERSION`, [`GRAPH_VERSION`] by default.
    pub version: String,
    /// `META_PHONE_NUMBER_ID`: the sender of a payload that names no account.
    pub phone_number_id: Option<String>,
    /// `META_PHONE_NUMBER_IDS` (`account:id,…`): the sender each `whatsapp_account` names.
    pub phone_number_ids: Vec<(String, String)>,
    /// `META_WABA_ID`: the business account whose templates are listed.
    pub waba_id: Option<String>,
}

/// Why a send has no Meta sender.
#[derive(Debug, PartialEq, Eq)]
pub enum NoSender {
    /// The payload's account is not one of this proxy's (or names none of several).
    UnknownAccount(String),
    /// The operator configured no phone number id.
    Unconfigured(String),
}

/// The Graph API version a Meta upstream is called with unless `META_API_VERSION`
/// says otherwise: the current one (released 2026-07-29).
pub const GRAPH_VERSION: &str = "v26.0";
/// Meta's API, unless `UPSTREAM_URL` says otherwise.
pub const GRAPH_URL: &str = "https://graph.facebook.com";

impl Graph {
    /// The phone number id a payload's `whatsapp_account` selects: a named
    /// account's, else `META_PHONE_NUMBER_ID` (or the only one listed). An account
    /// that is not listed is refused, never sent from another number.
    pub fn sender(&self, account: Option<&str>) -> Result<&str, NoSender> {
        match account {
            Some(a) => self
                .phone_number_ids
                .iter()
                .find(|(name, _)| name == a)
                .map(|(_, id)| id.as_str())
                .ok_or_else(|| {
                    let known: Vec<&str> =
                        self.phone_number_ids.iter().map(|(n, _)| n.as_str()).collect();
                    NoSender::UnknownAccount(if known.is_empty() {
                        format!("whatsapp_account \"{a}\" names no sender: this proxy lists no accounts (META_PHONE_NUMBER_IDS)")
                    } else {
                        format!(
                            "whatsapp_account \"{a}\" is not one of this proxy's accounts: {}",
                            known.join(", ")
                        )
                    })
                }),
            None => match (&self.phone_number_id, self.phone_number_ids.as_slice()) {
                (Some(id), _) | (None, [(_, id)]) => Ok(id.as_str()),
                (None, []) => Err(NoSender::Unconfigured(
                    "no sender is configured (META_PHONE_NUMBER_ID); nothing was sent".into(),
                )),
                (None, _) => Err(NoSender::UnknownAccount(format!(
                    "this proxy sends from several numbers: name one with whatsapp_account ({})",
                    self.accounts().join(", ")
                ))),
            },
        }
    }

    /// The account a phone number id in a Graph path names (the ingress): a
    /// listed id's account, `None` for `META_PHONE_NUMBER_ID` (or for any id when
    /// no id is configured, as in the sandbox); `Err` for an id this proxy does not
    /// send from.
    pub fn account_of(&self, id: &str) -> Result<Option<&str>, ()> {
        if let Some((name, _)) = self.phone_number_ids.iter().find(|(_, i)| i == id) {
            return Ok(Some(name.as_str()));
        }
        match &self.phone_number_id {
            Some(default) if default == id => Ok(None),
            None if self.phone_number_ids.is_empty() => Ok(None),
            _ => Err(()),
        }
    }

    /// The accounts a sender may name.
    pub fn accounts(&self) -> Vec<String> {
        self.phone_number_ids
            .iter()
            .map(|(n, _)| n.clone())
            .collect()
    }
}

#[derive(Clone)]
pub struct Upstream {
    pub url: String,
    /// Never printed, logged or echoed: `redact` scrubs it from everything that
    /// leaves the Worker.
    pub api_key: String,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("url", &self.url)
            .field("api_key", &"[redacted]")
            .finish()
    }
}

/// The provider's limits (its send-API page); `RATE_PER_SECOND` and
/// `RATE_PER_MINUTE` change them for a provider plan with other numbers.
pub const PER_SECOND: u32 = 10;
pub const PER_MINUTE: u32 = 100;
/// Meta's default throughput, messages a second per business number; Meta sets
/// no minute's limit, so the minute's window is the second's sixty times over.
pub const META_PER_SECOND: u32 = 80;
/// Meta's pair rate limit: about one message every 6 seconds to one recipient.
pub const META_PAIR_MIN_INTERVAL_MS: u32 = 6_000;
/// Admission windows are this much longer than the provider's (`RATE_MARGIN_MS`
/// changes it): sends admitted here reach the provider later, not all equally
/// late, and the provider must never count eleven in any second of its own
/// clock. 100 ms was not enough under `benches/load.mjs` (a loaded workerd
/// delayed some requests 180 ms more than others); 500 ms costs little, since
/// the minute's limit (one send per 600 ms on average) binds long before.
pub const MARGIN_MS: u32 = 500;
/// Failed authentications one address may make in a minute (`AUTH_FAILURES_PER_MINUTE`).
pub const AUTH_FAILURES_PER_MINUTE: u32 = 20;

pub const DEFAULT_UPSTREAM: &str = "https://app.aisoule.com/api";

fn text(env: &Env, name: &str) -> Option<String> {
    env.secret(name)
        .map(|s| s.to_string())
        .or_else(|_| env.var(name).map(|v| v.to_string()))
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn list(value: Option<String>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `account:id,…` pairs; an entry without a colon is skipped.
fn pairs(value: Option<String>) -> Vec<(String, String)> {
    list(value)
        .into_iter()
        .filter_map(|entry| {
            let (name, id) = entry.split_once(':')?;
            let (name, id) = (name.trim(), id.trim());
            (!name.is_empty() && !id.is_empty()).then(|| (name.to_owned(), id.to_owned()))
        })
        .collect()
}

impl Config {
    pub fn from_env(env: &Env) -> Self {
        let dialect = match text(env, "UPSTREAM_DIALECT").as_deref() {
            Some(d) if d.eq_ignore_ascii_case("meta") => Dialect::Meta,
            _ => Dialect::Provider,
        };
        let graph = Graph {
            version: text(env, "META_API_VERSION").unwrap_or_else(|| GRAPH_VERSION.into()),
            phone_number_id: text(env, "META_PHONE_NUMBER_ID"),
            phone_number_ids: pairs(text(env, "META_PHONE_NUMBER_IDS")),
            waba_id: text(env, "META_WABA_ID"),
        };
        let default_url = match dialect {
            Dialect::Provider => DEFAULT_UPSTREAM,
            Dialect::Meta => GRAPH_URL,
        };
        let upstream = text(env, "UPSTREAM_API_KEY").map(|api_key| Upstream {
            url: text(env, "UPSTREAM_URL")
                .unwrap_or_else(|| default_url.into())
                .trim_end_matches('/')
                .to_owned(),
            api_key,
        });
        let tokens = |var: &str, prefix: &str| -> Vec<Client> {
            list(text(env, var))
                .into_iter()
                .enumerate()
                .map(|(i, entry)| match entry.split_once(':') {
                    Some((name, token)) if !name.is_empty() && !token.is_empty() => Client {
                        name: name.to_owned(),
                        token: token.to_owned(),
                    },
                    _ => Client {
                        name: format!("{prefix}-{}", i + 1),
                        token: entry,
                    },
                })
                .collect()
        };
        let clients = tokens("CLIENT_TOKENS", "client");
        let admins = tokens("ADMIN_TOKENS", "admin");
        let number = |name: &str, default: u32| {
            text(env, name)
                .and_then(|v| wasend::numbers::digits_u64(v.trim()))
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(default)
        };
        let (per_second, per_minute, pair_ms) = match dialect {
            Dialect::Provider => (number("RATE_PER_SECOND", PER_SECOND).max(1), PER_MINUTE, 0),
            Dialect::Meta => {
                let per_second = number("RATE_PER_SECOND", META_PER_SECOND).max(1);
                (
                    per_second,
                    per_second.saturating_mul(60),
                    META_PAIR_MIN_INTERVAL_MS,
                )
            }
        };
        Config {
            clients,
            allowed_origins: list(text(env, "ALLOWED_ORIGINS")),
            accounts: match dialect {
                Dialect::Provider => list(text(env, "WHATSAPP_ACCOUNTS")),
                Dialect::Meta => graph.accounts(),
            },
            webhook_secret: text(env, "WEBHOOK_SECRET"),
            meta_app_secret: text(env, "META_APP_SECRET"),
            meta_verify_token: text(env, "META_VERIFY_TOKEN"),
            client_per_minute: number("CLIENT_MAX_PER_MINUTE", 0),
            per_second,
            per_minute: number("RATE_PER_MINUTE", per_minute).max(1),
            pair_min_interval_ms: number("PAIR_MIN_INTERVAL_MS", pair_ms),
            upstream_timeout_ms: number("UPSTREAM_TIMEOUT_MS", 10_000),
            rate_margin_ms: number("RATE_MARGIN_MS", MARGIN_MS),
            template_source: match text(env, "TEMPLATE_SOURCE").as_deref() {
                Some("local") => TemplateSource::Local,
                _ if upstream.is_some() => TemplateSource::Upstream,
                _ => TemplateSource::Local,
            },
            template_check_strict: text(env, "TEMPLATE_CHECK").as_deref() == Some("strict"),
            templates_ttl_ms: i64::from(number("TEMPLATES_TTL_S", 300)) * 1000,
            stop_keywords: list(text(env, "STOP_KEYWORDS")),
            campaign_max_failure_pct: number("CAMPAIGN_MAX_FAILURE_RATE", 20).min(100),
            campaign_failure_min_rows: number("CAMPAIGN_FAILURE_MIN_ROWS", 50).max(1),
            campaign_share_pct: number("CAMPAIGN_SHARE", 80).clamp(1, 100),
            auth_failures_per_minute: number("AUTH_FAILURES_PER_MINUTE", AUTH_FAILURES_PER_MINUTE),
            campaign_webhook_url: text(env, "CAMPAIGN_WEBHOOK_URL"),
            campaign_webhook_secret: text(env, "CAMPAIGN_WEBHOOK_SECRET")
                .or_else(|| text(env, "WEBHOOK_SECRET")),
            admins,
            upstream,
            dialect,
            graph,
        }
    }

    /// The limits a campaign's rows are admitted under: `CAMPAIGN_SHARE` of each,
    /// at least one.
    pub fn campaign_limits(&self) -> (u32, u32) {
        let share = |limit: u32| {
            let part = u64::from(limit) * u64::from(self.campaign_share_pct) / 100;
            u32::try_from(part).unwrap_or(limit).max(1)
        };
        (share(self.per_second), share(self.per_minute))
    }

    pub fn sandbox(&self) -> bool {
        self.upstream.is_none()
    }

    /// The client a bearer token belongs to. Every token is compared in full
    /// (constant time each, and no early exit), so timing tells nothing.
    pub fn client(&self, authorization: Option<&str>) -> Option<&Client> {
        bearer(&self.clients, authorization)
    }

    /// The operator an `ADMIN_TOKENS` bearer token belongs to, compared alike.
    pub fn admin(&self, authorization: Option<&str>) -> Option<&Client> {
        bearer(&self.admins, authorization)
    }

    /// Removes the upstream key from text that is about to leave the Worker.
    pub fn redact(&self, text: &str) -> String {
        match &self.upstream {
            Some(u) if u.api_key.len() >= 4 && text.contains(&u.api_key) => {
                text.replace(&u.api_key, "[redacted]")
            }
            _ => text.to_owned(),
        }
    }
}

fn bearer<'c>(tokens: &'c [Client], authorization: Option<&str>) -> Option<&'c Client> {
    // RFC 9110 §11.1: the scheme is case-insensitive (`bearer`, `BEARER`).
    let (scheme, presented) = authorization?.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let presented = presented.trim();
    let mut found = None;
    for c in tokens {
        if constant_time_eq(presented.as_bytes(), c.token.as_bytes()) && found.is_none() {
            found = Some(c);
        }
    }
    found
}

/// Compares in time that depends on the lengths only.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        diff |= a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0xff);
    }
    diff == 0
}
