//! The `/api/*` route table: each path pattern, the endpoint it is and the
//! methods it answers. It alone decides both which handler a request reaches and
//! what a 405's `Allow` (and a preflight's `Access-Control-Allow-Methods`) says.

use wasend::campaign::Action;
use worker::Method;

/// What a route leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Health,
    Send,
    Messages,
    /// `/api/messages/{id}`
    Message,
    Templates,
    AdminTemplates,
    Webhooks,
    /// `/api/webhook-subscriptions`
    Subscriptions,
    Suppressions,
    /// `/api/suppressions/{number}`
    Suppression,
    Campaigns,
    /// `/api/campaigns/{id}`
    Campaign,
    /// `/api/campaigns/{id}/recipients`
    Recipients,
    /// `/api/campaigns/{id}/{pause|resume|cancel}`
    Act(Action),
    SandboxInbound,
}

/// A path: exactly this, or `prefix{param}suffix`, the parameter one segment
/// (`segment`) or the rest of the path (a message id may hold `/`).
#[derive(Clone, Copy, Debug)]
enum Pattern {
    Exact(&'static str),
    Param {
        prefix: &'static str,
        suffix: &'static str,
        segment: bool,
    },
}

#[derive(Clone, Copy, Debug)]
pub struct Route {
    pattern: Pattern,
    pub endpoint: Endpoint,
    pub methods: &'static [Method],
}

const fn exact(path: &'static str, endpoint: Endpoint, methods: &'static [Method]) -> Route {
    Route {
        pattern: Pattern::Exact(path),
        endpoint,
        methods,
    }
}

const fn param(
    prefix: &'static str,
    suffix: &'static str,
    segment: bool,
    endpoint: Endpoint,
    methods: &'static [Method],
) -> Route {
    Route {
        pattern: Pattern::Param {
            prefix,
            suffix,
            segment,
        },
        endpoint,
        methods,
    }
}

const CAMPAIGN: &str = "/api/campaigns/";

/// In matching order: an exact path before a pattern that would take it.
static ROUTES: &[Route] = &[
    exact(
        "/api/health",
        Endpoint::Health,
        &[Method::Get, Method::Head],
    ),
    exact("/api/messages/send", Endpoint::Send, &[Method::Post]),
    exact("/api/messages", Endpoint::Messages, &[Method::Get]),
    param(
        "/api/messages/",
        "",
        false,
        Endpoint::Message,
        &[Method::Get],
    ),
    exact("/api/templates", Endpoint::Templates, &[Method::Get]),
    exact(
        "/api/admin/templates",
        Endpoint::AdminTemplates,
        &[Method::Get, Method::Put, Method::Delete],
    ),
    exact(
        "/api/webhooks",
        Endpoint::Webhooks,
        &[Method::Get, Method::Post],
    ),
    exact(
        "/api/suppressions",
        Endpoint::Suppressions,
        &[Method::Get, Method::Post],
    ),
    exact(
        "/api/webhook-subscriptions",
        Endpoint::Subscriptions,
        &[Method::Get, Method::Post, Method::Delete],
    ),
    param(
        "/api/suppressions/",
        "",
        false,
        Endpoint::Suppression,
        &[Method::Delete],
    ),
    exact(
        "/api/campaigns",
        Endpoint::Campaigns,
        &[Method::Get, Method::Post],
    ),
    param(CAMPAIGN, "", true, Endpoint::Campaign, &[Method::Get]),
    param(
        CAMPAIGN,
        "/recipients",
        true,
        Endpoint::Recipients,
        &[Method::Get],
    ),
    param(
        CAMPAIGN,
        "/pause",
        true,
        Endpoint::Act(Action::Pause),
        &[Method::Post],
    ),
    param(
        CAMPAIGN,
        "/resume",
        true,
        Endpoint::Act(Action::Resume),
        &[Method::Post],
    ),
    param(
        CAMPAIGN,
        "/cancel",
        true,
        Endpoint::Act(Action::Cancel),
        &[Method::Post],
    ),
    exact(
        "/api/sandbox/inbound",
        Endpoint::SandboxInbound,
        &[Method::Post],
    ),
];

impl Route {
    /// `Some(param)` (empty for an exact path) when `path` is this route's.
    fn matches<'p>(&self, path: &'p str) -> Option<&'p str> {
        match self.pattern {
            Pattern::Exact(p) => (path == p).then_some(""),
            Pattern::Param {
                prefix,
                suffix,
                segment,
            } => path
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .filter(|p| !(p.is_empty() || segment && p.contains('/'))),
        }
    }

    /// Its methods, as an `Allow` header lists them.
    pub fn allow(&self) -> String {
        self.methods
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<&str>>()
            .join(", ")
    }
}

/// The route `path` is, and its parameter as written (percent-encoded).
pub fn find(path: &str) -> Option<(&'static Route, &str)> {
    ROUTES.iter().find_map(|r| r.matches(path).map(|p| (r, p)))
}

/// The methods `path` answers, for an `Allow` header (`GET` for a path that is
/// no route: it answers 404 to every method anyway).
pub fn allowed(path: &str) -> String {
    find(path).map_or_else(|| "GET".to_owned(), |(r, _)| r.allow())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_finds_its_route_and_its_methods() {
        let cases = [
            ("/api/health", Endpoint::Health, "", "GET, HEAD"),
            ("/api/messages/send", Endpoint::Send, "", "POST"),
            ("/api/messages", Endpoint::Messages, "", "GET"),
            (
                "/api/messages/wamid.a%2Fb/c",
                Endpoint::Message,
                "wamid.a%2Fb/c",
                "GET",
            ),
            (
                "/api/admin/templates",
                Endpoint::AdminTemplates,
                "",
                "GET, PUT, DELETE",
            ),
            (
                "/api/suppressions/%2B4479",
                Endpoint::Suppression,
                "%2B4479",
                "DELETE",
            ),
            ("/api/campaigns", Endpoint::Campaigns, "", "GET, POST"),
            ("/api/campaigns/cmp_1", Endpoint::Campaign, "cmp_1", "GET"),
            (
                "/api/campaigns/cmp_1/recipients",
                Endpoint::Recipients,
                "cmp_1",
                "GET",
            ),
            (
                "/api/campaigns/cmp_1/resume",
                Endpoint::Act(Action::Resume),
                "cmp_1",
                "POST",
            ),
            ("/api/sandbox/inbound", Endpoint::SandboxInbound, "", "POST"),
        ];
        for (path, endpoint, param, allow) in cases {
            let (route, p) = find(path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!(
                (route.endpoint, p, route.allow().as_str()),
                (endpoint, param, allow),
                "{path}"
            );
            assert_eq!(allowed(path), allow);
        }
        for none in [
            "/api/nope",
            "/api/campaigns/a/b/pause",
            "/api/campaigns/a/nope",
            "/api/messages/",
            "/api/campaigns/",
        ] {
            assert!(find(none).is_none(), "{none}");
        }
    }

    #[test]
    fn every_action_has_its_route() {
        for action in Action::ALL {
            let path = format!("{CAMPAIGN}cmp_1/{}", action.as_str());
            assert_eq!(
                find(&path).map(|(r, _)| r.endpoint),
                Some(Endpoint::Act(action))
            );
        }
    }
}
