//! The approved templates every template send is checked against before anything
//! leaves, and where they come from (`TEMPLATE_SOURCE`):
//!
//! - `upstream`: the provider's list, `GET {UPSTREAM_URL}/templates`, kept
//!   `TEMPLATES_TTL_S` and fetched again once when a send names a template the
//!   list lacks;
//! - `local`: the repository's `templates/*.json`, bundled at build time (the
//!   sandbox's registry, and what an operator whose provider lists none uses).
//!
//! Either way, a list an operator loaded with `PUT /api/admin/templates` wins
//! until it is deleted. The registry lives in the `Gate` object, so one cache and
//! one operator list serve every isolate; the rules (lookup, status, parameters)
//! are the core's.

use crate::codes::ErrorCode;
use crate::config::{Config, TemplateSource};
use crate::http::error_body;
use serde::Deserialize;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use wasend::json::Value as JsonValue;
use wasend::template::{lookup, named_in, Lookup};
use wasend::{validate, Options, TemplateDefinition};
use worker::{SqlStorage, SqlStorageValue};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

/// A miss refetches the provider's list at most this often.
const REFETCH_MIN_MS: i64 = 5_000;
/// With `TEMPLATE_CHECK=strict`, how long to wait before trying a template send again.
const UNAVAILABLE_RETRY_S: u64 = 30;

/// Where a list came from, as `GET /api/templates` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Operator,
    Upstream,
    Repository,
}

/// A list of definitions: as listed (for `GET /api/templates`) and as read.
pub struct List {
    pub origin: Origin,
    pub raw: Vec<Value>,
    pub definitions: Vec<TemplateDefinition>,
    /// When the provider's list was fetched (0 for the others).
    pub fetched: i64,
}

impl List {
    fn of(origin: Origin, raw: Vec<Value>, fetched: i64) -> Self {
        // A definition the core cannot read checks nothing: it is listed, never matched.
        let definitions = raw
            .iter()
            .filter_map(|v| TemplateDefinition::from_value(&JsonValue::from(v)).ok())
            .collect();
        List {
            origin,
            raw,
            definitions,
            fetched,
        }
    }
}

/// What the check says of a template send.
pub enum Check {
    /// Approved and matching; a marketing template is not sent to an opted-out number.
    Passed { marketing: bool },
    /// The list could not be had (`TEMPLATE_CHECK=lenient`): sent unchecked, and why.
    Unchecked(String),
    /// Refused before the provider saw it: the answer.
    Refused {
        status: u16,
        body: Value,
        retry_after: Option<u64>,
    },
}

#[derive(Deserialize)]
struct Stored {
    body: String,
}

#[derive(Default)]
pub struct Registry {
    cache: RefCell<Option<Rc<List>>>,
    last_fetch: RefCell<i64>,
}

/// An operator's stored list, as `set_operator` wrote it.
fn read_operator(body: &str) -> Result<Vec<Value>, String> {
    serde_json::from_str(body).map_err(|e| {
        format!(
            "the operator's stored template list cannot be read ({e}); put it again or delete it"
        )
    })
}

impl Registry {
    /// The operator's list, if one is loaded; one stored but unreadable is an
    /// error, never a silent fall back to another source (whose templates the
    /// operator replaced).
    fn operator(sql: &SqlStorage) -> Result<Option<Vec<Value>>, String> {
        let rows: Vec<Stored> = sql
            .exec("SELECT body FROM templates WHERE id = 1", vec![])
            .and_then(|c| c.to_array())
            .map_err(|e| e.to_string())?;
        rows.first().map(|r| read_operator(&r.body)).transpose()
    }

    fn repository() -> Vec<Value> {
        bundled::REPOSITORY
            .iter()
            .filter_map(|t| serde_json::from_str(t).ok())
            .collect()
    }

    /// The definitions in force. `refresh` fetches the provider's list again (a
    /// miss), at most every `REFETCH_MIN_MS`. `Err` says why there is none.
    pub async fn list(
        &self,
        sql: &SqlStorage,
        cfg: &Config,
        now: i64,
        refresh: bool,
    ) -> Result<Rc<List>, String> {
        if let Some(raw) = Self::operator(sql)? {
            return Ok(Rc::new(List::of(Origin::Operator, raw, 0)));
        }
        let (TemplateSource::Upstream, Some(up)) = (cfg.template_source, &cfg.upstream) else {
            return Ok(Rc::new(List::of(Origin::Repository, Self::repository(), 0)));
        };
        let cached = self.cache.borrow().clone();
        let fresh = cached
            .as_ref()
            .filter(|l| now - l.fetched < cfg.templates_ttl_ms);
        let recently = now - *self.last_fetch.borrow() < REFETCH_MIN_MS;
        match (fresh, refresh) {
            (Some(l), false) => return Ok(l.clone()),
            (Some(l), true) if recently => return Ok(l.clone()),
            _ => {}
        }
        *self.last_fetch.borrow_mut() = now;
        match crate::upstream::templates(cfg, up).await {
            Ok(Value::Array(raw)) => {
                let list = Rc::new(List::of(Origin::Upstream, raw, now));
                *self.cache.borrow_mut() = Some(list.clone());
                Ok(list)
            }
            Ok(_) => Err("the provider's template list is not a list".into()),
            Err(e) => Err(format!("cannot list the provider's templates: {e}")),
        }
    }

    /// Replaces the operator's list (`None`: back to the source's own).
    pub fn set_operator(sql: &SqlStorage, list: Option<&[Value]>, now: i64) -> worker::Result<()> {
        match list {
            Some(l) => {
                sql.exec(
                    "INSERT INTO templates (id, body, updated) VALUES (1, ?, ?) \
                     ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated = excluded.updated",
                    vec![
                        SqlStorageValue::from(serde_json::to_string(l)?),
                        SqlStorageValue::from(now),
                    ],
                )?;
            }
            None => {
                sql.exec("DELETE FROM templates WHERE id = 1", vec![])?;
            }
        }
        Ok(())
    }

    /// Checks a template send (its normalized payload) against its approved definition.
    pub async fn check(
        &self,
        sql: &SqlStorage,
        cfg: &Config,
        now: i64,
        payload: &JsonValue,
    ) -> Check {
        let Some((name, language)) = named_in(payload) else {
            return Check::Passed { marketing: false };
        };
        match self
            .found(sql, cfg, now, name, language, cfg.template_check_strict)
            .await
        {
            Ok((list, i)) => against(&list.definitions[i], payload),
            Err(answer) => answer,
        }
    }

    /// The approved definition of `name` in `language`, as the core reads it and
    /// as listed, for a campaign about to be prepared: a template that cannot be
    /// looked up, is unknown or is not sendable is refused as its send would be.
    pub async fn definition(
        &self,
        sql: &SqlStorage,
        cfg: &Config,
        now: i64,
        name: &str,
        language: &str,
    ) -> Result<(TemplateDefinition, Value), Check> {
        let (list, i) = self.found(sql, cfg, now, name, language, true).await?;
        let def = list.definitions[i].clone();
        if let Some(refusal) = not_sendable(&def) {
            return Err(refusal);
        }
        let raw = list
            .raw
            .iter()
            .find(|v| {
                TemplateDefinition::from_value(&JsonValue::from(*v))
                    .is_ok_and(|d| d.name == name && d.language == language)
            })
            .cloned()
            .unwrap_or(Value::Null);
        Ok((def, raw))
    }

    /// The list holding `name` in `language`, and its index there; otherwise the
    /// answer to give (`strict`: no list is a refusal, not an unchecked pass).
    async fn found(
        &self,
        sql: &SqlStorage,
        cfg: &Config,
        now: i64,
        name: &str,
        language: &str,
        strict: bool,
    ) -> Result<(Rc<List>, usize), Check> {
        let unavailable = |why: String| {
            if strict {
                unavailable_strict(&why)
            } else {
                Check::Unchecked(why)
            }
        };
        let mut list = self.list(sql, cfg, now, false).await.map_err(unavailable)?;
        if !matches!(lookup(&list.definitions, name, language), Lookup::Found(_))
            && list.origin == Origin::Upstream
        {
            // Approved since the list was fetched? Ask once more.
            list = self.list(sql, cfg, now, true).await.map_err(unavailable)?;
        }
        let refusal = match lookup(&list.definitions, name, language) {
            Lookup::Found(_) => {
                let i = list
                    .definitions
                    .iter()
                    .position(|d| d.name == name && d.language == language)
                    .unwrap_or(0);
                return Ok((list, i));
            }
            Lookup::OtherLanguages(languages) => refused(
                404,
                ErrorCode::TemplateNotFound,
                &format!(
                    "template \"{name}\" is not approved in \"{language}\"; it is approved in {}",
                    languages.join(", ")
                ),
                json!({ "suggestion": languages.join(", "), "languages": languages }),
            ),
            Lookup::NotFound { nearest } => {
                let hint = nearest
                    .as_deref()
                    .map_or(String::new(), |n| format!("; did you mean \"{n}\"?"));
                refused(
                    404,
                    ErrorCode::TemplateNotFound,
                    &format!(
                        "template \"{name}\" is not an approved template of this account{hint}"
                    ),
                    nearest.map_or(json!({}), |n| json!({ "suggestion": n })),
                )
            }
        };
        Err(refusal)
    }
}

fn refused(status: u16, code: ErrorCode, message: &str, extra: Value) -> Check {
    Check::Refused {
        status,
        body: error_body(code, message, Some(extra)),
        retry_after: None,
    }
}

fn unavailable_strict(why: &str) -> Check {
    Check::Refused {
        status: 503,
        body: error_body(
            ErrorCode::TemplatesUnavailable,
            &format!(
                "{why}; a template cannot be checked without it, so nothing was sent: retry later"
            ),
            Some(json!({ "retry_after": UNAVAILABLE_RETRY_S })),
        ),
        retry_after: Some(UNAVAILABLE_RETRY_S),
    }
}

/// A definition whose status is not `APPROVED`: 409, naming it.
fn not_sendable(def: &TemplateDefinition) -> Option<Check> {
    let why = def.not_sendable()?;
    Some(refused(
        409,
        ErrorCode::TemplateNotApproved,
        &why,
        json!({ "template_status": def.status }),
    ))
}

/// The definition's status, then the payload's parameters against it (the core's
/// `template_*` codes: Meta's 132000 and its kin, caught before sending).
fn against(def: &TemplateDefinition, payload: &JsonValue) -> Check {
    if let Some(refusal) = not_sendable(def) {
        return refusal;
    }
    let result = validate(payload, &Options::default().template(def.clone()));
    if result.valid {
        let marketing = def
            .category
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case("MARKETING"));
        return Check::Passed { marketing };
    }
    let first = result
        .errors
        .first()
        .map_or(String::new(), |e| format!(": {} at {}", e.message, e.path));
    // The error Meta would have answered after the send, had it been sent.
    let meta = if result.errors.iter().any(|e| {
        matches!(
            e.code,
            wasend::Code::TemplateParamCount | wasend::Code::TemplateParamName
        )
    }) {
        "; meta would refuse it with error 132000"
    } else {
        "; meta would refuse it with error 132012"
    };
    refused(
        400,
        ErrorCode::InvalidPayload,
        &format!(
            "the template does not match its approved definition ({} errors){first}{meta}",
            result.errors.len()
        ),
        json!({ "errors": serde_json::to_value(&result.errors).unwrap_or(Value::Null) }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_operator_list_is_an_error_not_another_source() {
        let list = vec![serde_json::json!({"name": "a", "language": "en"})];
        let stored = serde_json::to_string(&list).expect("list");
        assert_eq!(read_operator(&stored), Ok(list));
        for broken in ["", "{\"data\": []}", "[1, 2", "null"] {
            let err = read_operator(broken).expect_err(broken);
            assert!(
                err.starts_with("the operator's stored template list cannot be read"),
                "{err}"
            );
        }
    }
}
