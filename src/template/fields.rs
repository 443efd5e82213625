//! The inputs an approved template needs, and a payload filled from values for
//! them: one template model for the page's form, the CLI, campaigns and the
//! Worker, so that no face reads placeholders or limits of its own.
//!
//! Every input has a key: a body placeholder's number (`"1"`) or name
//! (`"first_name"`), `"header"` for the header's one parameter, `"button_<i>"`
//! for the definition's `i`-th button that takes one. `"to"` is the recipient.

use super::{button_takes_parameter, placeholders, sub_type_of, Placeholders, TemplateDefinition};
use crate::issue::{Code, Issue};
use crate::json::{push_key, suggest, Map, Number, Value};
use crate::limits::{self, Limit};
use crate::validate::{normalize_json, Options};
use std::fmt::Write as _;

/// The value key of the recipient in [`fill_template`]'s values.
pub const TO: &str = "to";

/// What kind of value an input takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Text in a placeholder (a header's, the body's, a URL button's suffix).
    Text,
    Image,
    Video,
    Document,
    /// `{latitude, longitude, name?, address?}`, or `"lat,long"`.
    Location,
    /// A copy-code button's coupon code.
    CouponCode,
    /// An authentication template's one-time code (its OTP button).
    Otp,
    /// A flow button's `flow_token` (optional).
    FlowToken,
}

impl FieldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Image => "image",
            FieldKind::Video => "video",
            FieldKind::Document => "document",
            FieldKind::Location => "location",
            FieldKind::CouponCode => "coupon_code",
            FieldKind::Otp => "otp",
            FieldKind::FlowToken => "flow_token",
        }
    }
}

/// One input of a template.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateField {
    pub key: String,
    /// `header`, `body` or `button`.
    pub component: &'static str,
    pub kind: FieldKind,
    /// What a form would label it: `body {{1}}`, `header image`, `button 0 (Track) url suffix`.
    pub label: String,
    /// The placeholder it fills (`{{1}}`, `{{first_name}}`), for text.
    pub placeholder: Option<String>,
    /// A button's `sub_type` and `index` in the send payload.
    pub sub_type: Option<&'static str>,
    pub index: Option<usize>,
    /// The RULES.md limit on its text, when it has one.
    pub limit: Option<&'static Limit>,
    pub required: bool,
    /// The key whose value it takes when it has none (an OTP button takes the body's code).
    pub defaults_to: Option<String>,
    /// Where the value lands in [`fill_template`]'s payload (a JSON Pointer).
    pub pointer: String,
}

/// A template's inputs, and whether it can be sent at all.
#[derive(Clone, Debug, PartialEq)]
pub struct Fields {
    pub name: String,
    pub language: String,
    pub category: Option<String>,
    pub status: Option<String>,
    /// Why it cannot be sent (a status other than `APPROVED`), if it cannot.
    pub not_sendable: Option<String>,
    pub fields: Vec<TemplateField>,
}

impl TemplateDefinition {
    /// Why a template with this status cannot be sent, if it cannot. A definition
    /// without a status is one the caller vouches for.
    pub fn not_sendable(&self) -> Option<String> {
        let status = self.status.as_deref()?;
        let why = match status.to_ascii_uppercase().as_str() {
            "APPROVED" => return None,
            "PAUSED" => "meta paused it after poor quality feedback (error 132015); it resumes by itself or when edited",
            "DISABLED" => "meta disabled it (error 132016); create a new template",
            "REJECTED" => "meta rejected it; edit it and submit it again",
            "PENDING" => "meta has not approved it yet",
            "IN_APPEAL" => "its rejection is under appeal",
            "PENDING_DELETION" | "DELETED" => "it is being deleted",
            "LIMIT_EXCEEDED" => "the account's template limit is exceeded",
            _ => "only approved templates can be sent",
        };
        Some(format!(
            "template \"{}\" ({}) is {status}: {why}",
            self.name, self.language
        ))
    }
}

/// Every input `definition` needs, in the order of the payload it fills: header,
/// body placeholders (positional in number order, named in order of appearance),
/// then each button that takes a parameter.
pub fn template_fields(definition: &TemplateDefinition) -> Fields {
    let named = definition.named();
    let mut fields = Vec::new();
    let mut component = 0usize;
    let header = definition.component("HEADER");
    let header_field = header.and_then(|h| {
        let format = h.format.as_deref().unwrap_or("TEXT").to_ascii_uppercase();
        let kind = match format.as_str() {
            "IMAGE" => FieldKind::Image,
            "VIDEO" => FieldKind::Video,
            "DOCUMENT" => FieldKind::Document,
            "LOCATION" => FieldKind::Location,
            _ => {
                let text = h.text.as_deref().unwrap_or("");
                return first_placeholder(text).map(|p| (FieldKind::Text, Some(p)));
            }
        };
        Some((kind, None))
    });
    let body_text = definition
        .component("BODY")
        .and_then(|b| b.text.as_deref())
        .unwrap_or("");
    let body: Vec<String> = match placeholders(body_text) {
        Placeholders::Positional(n) => (1..=n).map(|i| i.to_string()).collect(),
        Placeholders::Named(names) => names,
    };
    let buttons: Vec<(usize, &super::DefinitionButton)> = definition
        .component("BUTTONS")
        .map_or(&[][..], |b| &b.buttons)
        .iter()
        .enumerate()
        .filter(|(_, b)| button_takes_parameter(b) || b.kind.eq_ignore_ascii_case("FLOW"))
        .collect();
    let sole_body = header_field.is_none() && buttons.is_empty();
    if let Some((kind, placeholder)) = header_field {
        let what = match kind {
            FieldKind::Text => format!("header {}", placeholder.as_deref().unwrap_or("")),
            other => format!("header {}", other.as_str()),
        };
        let mut pointer = format!("/template/components/{component}/parameters/0");
        if kind == FieldKind::Text {
            pointer.push_str("/text");
        } else {
            push_key(&mut pointer, kind.as_str());
        }
        fields.push(TemplateField {
            key: "header".into(),
            component: "header",
            kind,
            label: what.trim_end().to_owned(),
            placeholder,
            sub_type: None,
            index: None,
            limit: (kind == FieldKind::Text).then_some(&limits::HEADER_PARAM),
            required: true,
            defaults_to: None,
            pointer,
        });
        component += 1;
    }
    if !body.is_empty() {
        for (i, name) in body.iter().enumerate() {
            let placeholder = format!("{{{{{name}}}}}");
            fields.push(TemplateField {
                key: if name == TO {
                    format!("param_{name}")
                } else {
                    name.clone()
                },
                component: "body",
                kind: FieldKind::Text,
                label: format!("body {placeholder}"),
                placeholder: Some(placeholder),
                sub_type: None,
                index: None,
                limit: Some(if sole_body {
                    &limits::SOLE_BODY_PARAM
                } else {
                    &limits::BODY_PARAM
                }),
                required: true,
                defaults_to: None,
                pointer: format!("/template/components/{component}/parameters/{i}/text"),
            });
        }
        component += 1;
    }
    let otp_code = (!named && !body.is_empty()).then(|| body[0].clone());
    for (i, b) in buttons {
        let upper = b.kind.to_ascii_uppercase();
        let (kind, leaf, limit, required, what) = match upper.as_str() {
            "COPY_CODE" => (
                FieldKind::CouponCode,
                "coupon_code",
                Some(&limits::COUPON_CODE),
                true,
                "coupon code",
            ),
            "OTP" => (
                FieldKind::Otp,
                "text",
                None,
                otp_code.is_none(),
                "one-time code",
            ),
            "FLOW" => (
                FieldKind::FlowToken,
                "action/flow_token",
                None,
                false,
                "flow token",
            ),
            _ => (FieldKind::Text, "text", None, true, "url suffix"),
        };
        let shown = b
            .text
            .as_deref()
            .map_or(String::new(), |t| format!(" ({t})"));
        fields.push(TemplateField {
            key: format!("button_{i}"),
            component: "button",
            kind,
            label: format!("button {i}{shown} {what}"),
            placeholder: (upper == "URL").then(|| "{{1}}".to_owned()),
            sub_type: Some(sub_type_of(b)),
            index: Some(i),
            limit,
            required,
            defaults_to: if kind == FieldKind::Otp {
                otp_code.clone()
            } else {
                None
            },
            pointer: format!("/template/components/{component}/parameters/0/{leaf}"),
        });
        component += 1;
    }
    Fields {
        name: definition.name.clone(),
        language: definition.language.clone(),
        category: definition.category.clone(),
        status: definition.status.clone(),
        not_sendable: definition.not_sendable(),
        fields,
    }
}

/// The first `{{…}}` of a header's text: a header takes one parameter.
fn first_placeholder(text: &str) -> Option<String> {
    let start = text.find("{{")?;
    let end = text[start..].find("}}")?;
    let inner = text[start + 2..start + end].trim();
    (!inner.is_empty()).then(|| format!("{{{{{inner}}}}}"))
}

/// An input's problem in [`fill_template`], or the payload's: the RULES.md issue
/// (its `path` into the filled payload) and the value key it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldIssue {
    /// The value's key (`"1"`, `"header"`, `"to"`), when the issue is one value's.
    pub field: Option<String>,
    pub issue: Issue,
}

/// [`fill_template`]'s answer: the payload (when every value is right) and every
/// problem, located by value key.
#[derive(Clone, Debug, PartialEq)]
pub struct Filled {
    pub valid: bool,
    pub errors: Vec<FieldIssue>,
    pub warnings: Vec<FieldIssue>,
    /// The normalized payload to send, as JSON text, when valid.
    pub text: Option<String>,
    /// Its recipient, canonical (`to` of the normalized payload), when valid.
    pub to: Option<String>,
    /// The payload as built from the values given, valid or not (a form's live
    /// view), as JSON text: a list's rows are written, never built as values.
    pub draft: String,
}

impl Filled {
    /// [`draft`](Self::draft) as a value.
    pub fn draft_value(&self) -> Value {
        // Written by `write_draft` from values that were JSON: it always reads back.
        crate::json::parse(self.draft.as_bytes()).unwrap_or(Value::Null)
    }
}

/// A media parameter from a value: an object as RULES.md writes one, a URL, or
/// a media id.
fn media(value: &Value) -> Value {
    match value {
        Value::String(s) if s.contains("://") => Value::Object(Map::from_iter([(
            "link".to_owned(),
            Value::from(s.as_str()),
        )])),
        Value::String(s) => {
            Value::Object(Map::from_iter([("id".to_owned(), Value::from(s.as_str()))]))
        }
        other => other.clone(),
    }
}

/// A location parameter from `"lat,long"` or an object.
fn location(value: &Value) -> Value {
    match value {
        Value::String(s) => {
            let mut parts = s.splitn(2, ',').map(str::trim);
            let mut m = Map::new();
            m.insert("latitude", Value::from(parts.next().unwrap_or("")));
            m.insert("longitude", Value::from(parts.next().unwrap_or("")));
            Value::Object(m)
        }
        other => other.clone(),
    }
}

/// A payload for `definition` from `values` (keys as [`template_fields`] names
/// them, and `"to"`), validated against the definition: the payload, or every
/// RULES.md error with the key of the value at fault. A missing value is
/// `required`, a key the template does not take `unknown_field`.
pub fn fill_template(definition: &TemplateDefinition, values: &Map, options: &Options) -> Filled {
    Filler::new(definition, options).fill(values)
}

/// [`fill_template`] for many rows of one template: its inputs read once, its
/// options (with the definition) built once.
#[derive(Debug)]
pub struct Filler<'d> {
    definition: &'d TemplateDefinition,
    fields: Fields,
    options: Options,
}

impl<'d> Filler<'d> {
    pub fn new(definition: &'d TemplateDefinition, options: &Options) -> Self {
        Filler {
            definition,
            fields: template_fields(definition),
            options: options.clone().template(definition.clone()),
        }
    }

    /// Every input's key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.fields.iter().map(|f| f.key.as_str())
    }

    /// The inputs a payload cannot go without.
    pub fn required(&self) -> impl Iterator<Item = &TemplateField> {
        self.fields.fields.iter().filter(|f| f.required)
    }

    /// A payload from `values`, validated (see [`fill_template`]).
    pub fn fill(&self, values: &Map) -> Filled {
        fill_with(self.definition, &self.fields, &self.options, values, true)
    }

    /// [`fill`](Self::fill) for a payload that is only sent (a list's row): its
    /// `draft` is left empty, so that its text, when it is already the
    /// normalized one, is moved to `text` rather than copied.
    pub(crate) fn fill_to_send(&self, values: &Map) -> Filled {
        fill_with(self.definition, &self.fields, &self.options, values, false)
    }
}

fn fill_with(
    definition: &TemplateDefinition,
    fields: &Fields,
    options: &Options,
    values: &Map,
    keep_draft: bool,
) -> Filled {
    let mut errors = Vec::new();
    let is_known = |k: &str| k == TO || fields.fields.iter().any(|f| f.key == k);
    for (k, v) in values {
        if !is_known(k) && !v.is_null() {
            let known: Vec<&str> = std::iter::once(TO)
                .chain(fields.fields.iter().map(|f| f.key.as_str()))
                .collect();
            // A short key's nearest neighbour (`3` for `1`) is a guess, not a hint.
            let hint = (k.chars().count() > 3)
                .then(|| suggest(k, &known))
                .flatten()
                .map(str::to_owned);
            let message = match &hint {
                Some(h) => format!(
                    "template \"{}\" takes no value `{k}`; did you mean `{h}`?",
                    definition.name
                ),
                None => format!(
                    "template \"{}\" takes no value `{k}`; it takes: {}",
                    definition.name,
                    known.join(", ")
                ),
            };
            let mut issue = Issue::new(Code::UnknownField, "", message);
            issue.suggestion = hint;
            errors.push(FieldIssue {
                field: Some(k.to_owned()),
                issue,
            });
        }
    }
    for f in fields.fields.iter().filter(|f| f.required) {
        if given(f, values).is_none() {
            errors.push(FieldIssue {
                field: Some(f.key.clone()),
                issue: Issue::new(
                    Code::Required,
                    f.pointer.clone(),
                    format!(
                        "template \"{}\" needs a value for `{}` ({})",
                        definition.name, f.key, f.label
                    ),
                ),
            });
        }
    }
    let by_field = |issue: Issue| -> FieldIssue {
        let field = if issue.path == "/to" || issue.path.starts_with("/to/") {
            Some(TO.to_owned())
        } else {
            fields
                .fields
                .iter()
                .filter(|f| is_within(&issue.path, &f.pointer))
                .max_by_key(|f| f.pointer.len())
                .map(|f| f.key.clone())
        };
        FieldIssue { field, issue }
    };
    // Read as text, and the normalized text kept: a list's row is sent as that
    // text, so no value is built from it (a tenth of `prepare`'s time went there).
    let mut written = String::with_capacity(256);
    write_draft(&mut written, definition, fields, values);
    let normalized = normalize_json(written.as_bytes(), options);
    let to = normalized.field("to").map(str::to_owned);
    // The text written is the normalized one when nothing was rewritten.
    let as_written = normalized.is_input();
    let text = (!as_written)
        .then(|| normalized.text().map(str::to_owned))
        .flatten();
    let result = normalized.result;
    // What the checks above already named (a missing value)
    // is not reported twice by the validator.
    let named: Vec<(Code, String)> = errors
        .iter()
        .map(|e| (e.issue.code, e.issue.path.clone()))
        .collect();
    let skip_definition_counts = errors.iter().any(|e| e.issue.code == Code::Required);
    errors.extend(
        result
            .errors
            .into_iter()
            .filter(|i| !named.contains(&(i.code, i.path.clone())))
            .filter(|i| !(skip_definition_counts && is_definition_check(i.code)))
            .map(by_field),
    );
    let warnings = result.warnings.into_iter().map(by_field).collect();
    let valid = errors.is_empty();
    let text = match (valid, as_written) {
        (false, _) => None,
        (true, true) if keep_draft => Some(written.clone()),
        (true, true) => Some(std::mem::take(&mut written)),
        (true, false) => text,
    };
    let draft = if keep_draft { written } else { String::new() };
    Filled {
        valid,
        errors,
        warnings,
        text,
        to: if valid { to } else { None },
        draft,
    }
}

/// The value an input takes: its own, or the one it defaults to (an OTP button
/// takes the body's code). Null is no value.
fn given<'v>(f: &TemplateField, values: &'v Map) -> Option<&'v Value> {
    let value = |key: &str| values.get(key).filter(|v| !v.is_null());
    value(&f.key).or_else(|| f.defaults_to.as_deref().and_then(value))
}

/// The payload for `definition` from `values`, written as JSON text as it is
/// built (no value tree): `to` when given, then the template's name, language
/// and components, header first, then the body's parameters, then each button.
/// What is missing is left out, for the validator to name.
fn write_draft(out: &mut String, definition: &TemplateDefinition, fields: &Fields, values: &Map) {
    use crate::json::{write_string, write_value};
    fn text_param(out: &mut String, v: &Value) {
        out.push_str("{\"type\":\"text\",\"text\":");
        write_value(out, v);
    }
    out.push('{');
    if let Some(to) = values.get(TO).filter(|v| !v.is_null()) {
        out.push_str("\"to\":");
        write_value(out, to);
        out.push(',');
    }
    out.push_str("\"type\":\"template\",\"template\":{\"name\":");
    write_string(out, &definition.name);
    out.push_str(",\"language\":");
    write_string(out, &definition.language);
    // Inputs by where they land: a header's, the body's, or (any other) a button's.
    let given_in = |component: &'static str| {
        fields
            .fields
            .iter()
            .filter(move |f| match component {
                "header" | "body" => f.component == component,
                _ => !matches!(f.component, "header" | "body"),
            })
            .filter_map(|f| given(f, values).map(|v| (f, v)))
    };
    let mut components = 0;
    let mut component = |out: &mut String| {
        out.push_str(if components == 0 {
            ",\"components\":["
        } else {
            ","
        });
        components += 1;
    };
    // One header parameter: the last given, as the template has one header.
    if let Some((f, v)) = given_in("header").next_back() {
        component(out);
        out.push_str("{\"type\":\"header\",\"parameters\":[");
        match f.kind {
            FieldKind::Text => text_param(out, v),
            FieldKind::Location => {
                out.push_str("{\"type\":\"location\",\"location\":");
                write_value(out, &location(v));
            }
            kind => {
                out.push_str("{\"type\":");
                write_string(out, kind.as_str());
                out.push(',');
                write_string(out, kind.as_str());
                out.push(':');
                write_value(out, &media(v));
            }
        }
        out.push_str("}]}");
    }
    let mut body = false;
    for (f, v) in given_in("body") {
        if std::mem::replace(&mut body, true) {
            out.push(',');
        } else {
            component(out);
            out.push_str("{\"type\":\"body\",\"parameters\":[");
        }
        text_param(out, v);
        if let (true, Some(p)) = (definition.named(), &f.placeholder) {
            out.push_str(",\"parameter_name\":");
            write_string(out, p.trim_matches(['{', '}']));
        }
        out.push('}');
    }
    if body {
        out.push_str("]}");
    }
    for (f, v) in given_in("button") {
        component(out);
        out.push_str("{\"type\":\"button\",\"sub_type\":");
        write_string(out, f.sub_type.unwrap_or("url"));
        let _ = write!(out, ",\"index\":{},\"parameters\":[", f.index.unwrap_or(0));
        match f.kind {
            FieldKind::CouponCode => {
                out.push_str("{\"type\":\"coupon_code\",\"coupon_code\":");
                write_value(out, v);
            }
            FieldKind::FlowToken => {
                out.push_str("{\"type\":\"action\",\"action\":{\"flow_token\":");
                write_value(out, v);
                out.push('}');
            }
            _ => text_param(out, v),
        }
        out.push_str("}]}");
    }
    if components > 0 {
        out.push(']');
    }
    out.push_str("}}");
}

/// The checks against a definition: once a value is missing, they only repeat it.
fn is_definition_check(code: Code) -> bool {
    matches!(
        code,
        Code::TemplateParamCount
            | Code::TemplateParamName
            | Code::TemplateHeaderFormat
            | Code::TemplateButton
    )
}

/// Is `path` the pointer `within` or below it?
fn is_within(path: &str, within: &str) -> bool {
    path == within || path.strip_prefix(within).is_some_and(|rest| rest.starts_with('/'))
        // A value's issue may sit at its parameter (`…/parameters/0`) rather than its leaf.
        || within.strip_prefix(path).is_some_and(|rest| rest.starts_with('/') && path.contains("/parameters/"))
}

impl TemplateField {
    /// `{key, component, type, label, placeholder?, sub_type?, index?, limit?, required, defaults_to?, pointer}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("key", Value::from(self.key.as_str()));
        m.insert("component", Value::from(self.component));
        m.insert("type", Value::from(self.kind.as_str()));
        m.insert("label", Value::from(self.label.as_str()));
        if let Some(p) = &self.placeholder {
            m.insert("placeholder", Value::from(p.as_str()));
        }
        if let Some(s) = self.sub_type {
            m.insert("sub_type", Value::from(s));
        }
        if let Some(i) = self.index {
            m.insert("index", Value::Number(Number::from(i)));
        }
        if let Some(l) = self.limit {
            m.insert("limit", l.to_value());
        }
        m.insert("required", Value::Bool(self.required));
        if let Some(d) = &self.defaults_to {
            m.insert("defaults_to", Value::from(d.as_str()));
        }
        m.insert("pointer", Value::from(self.pointer.as_str()));
        Value::Object(m)
    }
}

impl Fields {
    /// `{name, language, category?, status?, sendable, not_sendable?, fields: [...]}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("name", Value::from(self.name.as_str()));
        m.insert("language", Value::from(self.language.as_str()));
        if let Some(c) = &self.category {
            m.insert("category", Value::from(c.as_str()));
        }
        if let Some(s) = &self.status {
            m.insert("status", Value::from(s.as_str()));
        }
        m.insert("sendable", Value::Bool(self.not_sendable.is_none()));
        if let Some(w) = &self.not_sendable {
            m.insert("not_sendable", Value::from(w.as_str()));
        }
        let fields = self.fields.iter().map(TemplateField::to_value);
        m.insert("fields", Value::Array(fields.collect()));
        Value::Object(m)
    }
}

impl FieldIssue {
    /// The issue's JSON (as every result writes one) with `field` first when known.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        if let Some(f) = &self.field {
            m.insert("field", Value::from(f.as_str()));
        }
        if let Value::Object(issue) = crate::validate::issue_value(&self.issue) {
            for (k, v) in &issue {
                m.insert(k, v.clone());
            }
        }
        Value::Object(m)
    }
}

impl Filled {
    /// The normalized payload to send, read from [`text`](Self::text), when valid.
    pub fn payload(&self) -> Option<Value> {
        self.text
            .as_deref()
            .and_then(|t| crate::json::parse(t.as_bytes()).ok())
    }

    /// `{valid, errors, warnings, payload?, draft}`, each issue with its `field`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("valid", Value::Bool(self.valid));
        let list = |l: &[FieldIssue]| Value::Array(l.iter().map(FieldIssue::to_value).collect());
        m.insert("errors", list(&self.errors));
        m.insert("warnings", list(&self.warnings));
        if let Some(p) = self.payload() {
            m.insert("payload", p);
        }
        m.insert("draft", self.draft_value());
        Value::Object(m)
    }
}

/// Where a send's template stands among the approved definitions.
#[derive(Debug)]
pub enum Lookup<'d> {
    Found(&'d TemplateDefinition),
    /// The name is approved, in these other languages (Meta's error 132001).
    OtherLanguages(Vec<String>),
    /// No such name; the nearest approved name, when one is close.
    NotFound {
        nearest: Option<String>,
    },
}

/// The definition of `name` in `language` among `definitions`.
pub fn lookup<'d>(definitions: &'d [TemplateDefinition], name: &str, language: &str) -> Lookup<'d> {
    if let Some(d) = definitions
        .iter()
        .find(|d| d.name == name && d.language == language)
    {
        return Lookup::Found(d);
    }
    let languages: Vec<String> = definitions
        .iter()
        .filter(|d| d.name == name)
        .map(|d| d.language.clone())
        .collect();
    if !languages.is_empty() {
        return Lookup::OtherLanguages(languages);
    }
    let names: Vec<&str> = definitions.iter().map(|d| d.name.as_str()).collect();
    Lookup::NotFound {
        nearest: suggest(name, &names).map(str::to_owned),
    }
}

/// A template payload's name and language code (`"en"` or `{"code": "en"}`).
pub fn named_in(payload: &Value) -> Option<(&str, &str)> {
    let t = payload.get("template")?;
    let name = t.get("name")?.as_str()?;
    let language = match t.get("language")? {
        Value::String(s) => s.as_str(),
        other => other.get("code")?.as_str()?,
    };
    Some((name, language))
}
