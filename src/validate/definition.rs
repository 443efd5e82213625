//! A template payload checked against its approved definition (`template_*`
//! codes): names, language, and each component's parameters.

use super::{Ctx, UsedComponent};
use crate::definition::{
    button_takes_parameter, placeholders, sub_type_of, DefinitionButton, Placeholders,
    TemplateDefinition,
};
use crate::issue::{Code, Issue, Unit};

/// Where to report something missing: the components array, or the template.
fn missing_at(has_components: bool) -> &'static str {
    if has_components {
        "/template/components"
    } else {
        "/template"
    }
}

/// Checks the walked template payload against its approved definition.
pub(crate) fn check_against(
    c: &mut Ctx,
    def: &TemplateDefinition,
    name: Option<&str>,
    language: Option<&str>,
    has_components: bool,
    used: &[UsedComponent],
) {
    let mut mismatch = false;
    if let Some(n) = name.filter(|n| *n != def.name) {
        mismatch = true;
        c.push(Issue::new(
            Code::TemplateNotFound,
            "/template/name",
            format!(
                "template \"{n}\" is not the approved template \"{}\"",
                def.name
            ),
        ));
    }
    if let Some(l) = language.filter(|l| *l != def.language) {
        mismatch = true;
        c.push(Issue::new(
            Code::TemplateNotFound,
            "/template/language",
            format!(
                "template \"{}\" is approved in \"{}\", not \"{l}\"",
                def.name, def.language
            ),
        ));
    }
    if mismatch {
        // Parameter checks against another template's definition would only add noise.
        return;
    }
    let missing = missing_at(has_components);
    header(c, def, used, missing);
    body(c, def, used, missing);
    buttons(c, def, used, missing);
}

fn count_issue(path: String, what: &str, expected: usize, actual: usize) -> Issue {
    Issue::new(
        Code::TemplateParamCount,
        path,
        format!("{what} of the approved template takes {expected} parameters; got {actual}"),
    )
    .with_limit(expected as u64, actual as u64, Unit::Parameters)
}

/// Positional count or named set, for a header or body component.
fn params(
    c: &mut Ctx,
    what: &str,
    text: &str,
    named: bool,
    comp: Option<&UsedComponent>,
    missing: &str,
) {
    let given = comp.map_or(&[][..], |u| &u.params[..]);
    // Written only for an issue: a list checks every row against the definition.
    let params_path =
        || comp.map_or_else(|| missing.to_owned(), |u| format!("{}/parameters", u.path));
    match placeholders(text) {
        Placeholders::Positional(n) if !named => {
            if given.len() != n {
                c.push(count_issue(params_path(), what, n, given.len()));
            }
        }
        Placeholders::Positional(0) => {
            if !given.is_empty() {
                c.push(count_issue(params_path(), what, 0, given.len()));
            }
        }
        Placeholders::Positional(_) => {}
        Placeholders::Named(names) => {
            for p in given {
                match &p.name {
                    Some(n) if names.contains(n) => {}
                    Some(n) => c.push(Issue::new(
                        Code::TemplateParamName,
                        format!("{}/parameter_name", p.path),
                        format!("{what} of the approved template has no parameter \"{n}\"; it has {}", join(&names)),
                    )),
                    None => c.push(Issue::new(
                        Code::TemplateParamName,
                        p.path.to_string(),
                        format!("{what} of the approved template uses named parameters ({}); this one has no parameter_name", join(&names)),
                    )),
                }
            }
            for n in &names {
                if !given.iter().any(|p| p.name.as_deref() == Some(n)) {
                    c.push(Issue::new(
                        Code::TemplateParamName,
                        params_path(),
                        format!("{what} of the approved template needs parameter \"{n}\""),
                    ));
                }
            }
        }
    }
}

fn join(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn header(c: &mut Ctx, def: &TemplateDefinition, used: &[UsedComponent], missing: &str) {
    let comp = used.iter().find(|u| u.kind == "header");
    let Some(dh) = def.component("HEADER") else {
        if let Some(u) = comp {
            c.push(Issue::new(
                Code::TemplateHeaderFormat,
                u.path.to_string(),
                "the approved template has no header",
            ));
        }
        return;
    };
    let format = dh.format.as_deref().unwrap_or("TEXT").to_ascii_lowercase();
    if format == "text" {
        if let Some(p) = comp.and_then(|u| u.params.iter().find(|p| p.ty != "text")) {
            c.push(Issue::new(
                Code::TemplateHeaderFormat,
                format!("{}/type", p.path),
                format!(
                    "the approved template has a text header; this parameter is \"{}\"",
                    p.ty
                ),
            ));
            return;
        }
        params(
            c,
            "the header",
            dh.text.as_deref().unwrap_or(""),
            def.named(),
            comp,
            missing,
        );
        return;
    }
    match comp.and_then(|u| u.params.first()) {
        None => {
            let at = comp.map_or_else(|| missing.to_owned(), |u| format!("{}/parameters", u.path));
            c.push(Issue::new(
                Code::TemplateHeaderFormat,
                at,
                format!("the approved template has a {format} header; send it as a header parameter of type {format}"),
            ));
        }
        Some(p) if p.ty != format => c.push(Issue::new(
            Code::TemplateHeaderFormat,
            format!("{}/type", p.path),
            format!(
                "the approved template has a {format} header; this parameter is \"{}\"",
                p.ty
            ),
        )),
        Some(_) => {}
    }
}

fn body(c: &mut Ctx, def: &TemplateDefinition, used: &[UsedComponent], missing: &str) {
    let comp = used.iter().find(|u| u.kind == "body");
    let text = def
        .component("BODY")
        .and_then(|b| b.text.as_deref())
        .unwrap_or("");
    params(c, "the body", text, def.named(), comp, missing);
}

fn buttons(c: &mut Ctx, def: &TemplateDefinition, used: &[UsedComponent], missing: &str) {
    let defined: &[DefinitionButton] = def.component("BUTTONS").map_or(&[], |b| &b.buttons);
    for u in used.iter().filter(|u| u.kind == "button") {
        let Some(i) = u.index else { continue };
        let Some(b) = defined.get(i as usize) else {
            c.push(Issue::new(
                Code::TemplateButton,
                format!("{}/index", u.path),
                format!(
                    "the approved template has no button at index {i} ({} buttons)",
                    defined.len()
                ),
            ));
            continue;
        };
        let want = sub_type_of(b);
        let Some(st) = u.sub_type else {
            continue;
        };
        if st != want {
            c.push(Issue::new(
                Code::TemplateButton,
                format!("{}/sub_type", u.path),
                format!("button {i} of the approved template is {want}, not {st}"),
            ));
        } else if st == "url" && !button_takes_parameter(b) {
            c.push(Issue::new(
                Code::TemplateButton,
                u.path.to_string(),
                format!(
                    "button {i} of the approved template has a fixed url and takes no parameter"
                ),
            ));
        }
    }
    for (i, b) in defined.iter().enumerate() {
        if button_takes_parameter(b)
            && !used
                .iter()
                .any(|u| u.kind == "button" && u.index == Some(i as u64))
        {
            c.push(Issue::new(
                Code::TemplateButton,
                missing.to_owned(),
                format!("button {i} ({}) of the approved template needs a button component with its parameter", sub_type_of(b)),
            ));
        }
    }
}
