//! `wasend`: validate, preview and normalize WhatsApp send-API payloads from the shell.

use std::io::{Read, Write};
use std::process::ExitCode;
use wasend::{phone, template, validate_json, Options, TemplateDefinition};

const USAGE: &str = "\
usage:
  wasend validate [--default-region XX] [--template DEF.json] [--compact] [FILE|-]
  wasend preview [--template DEF.json] [--json] [FILE|-]
  wasend phone [--default-region XX] [--json] NUMBER...
  wasend --version

validate prints {\"valid\", \"errors\", \"warnings\", \"payload\"?} as json;
exit status: 0 valid, 1 invalid, 2 usage or i/o error";

/// A usage or I/O problem: exit status 2.
struct Usage(String);

#[derive(Default)]
struct Args {
    region: Option<String>,
    template: Option<String>,
    compact: bool,
    json: bool,
    positional: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Args, Usage> {
    let mut out = Args::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| Usage(format!("{name} needs a value")))
        };
        match a.as_str() {
            "--default-region" => out.region = Some(value(a)?),
            "--template" => out.template = Some(value(a)?),
            "--compact" => out.compact = true,
            "--json" => out.json = true,
            "--" => out.positional.extend(it.by_ref().cloned()),
            s if s.starts_with("--") => return Err(Usage(format!("unknown option {s}"))),
            s => out.positional.push(s.to_owned()),
        }
    }
    if let Some(r) = &out.region {
        let upper = r.to_ascii_uppercase();
        if !phone::is_region(&upper) {
            return Err(Usage(format!(
                "--default-region {r:?} is not a region (use an iso 3166-1 alpha-2 code like IN)"
            )));
        }
        out.region = Some(upper);
    }
    Ok(out)
}

fn read_input(path: Option<&str>) -> Result<Vec<u8>, Usage> {
    let mut buf = Vec::new();
    match path {
        None | Some("-") => std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Usage(format!("cannot read stdin: {e}")))?,
        Some(p) => {
            buf = std::fs::read(p).map_err(|e| Usage(format!("cannot read {p}: {e}")))?;
            buf.len()
        }
    };
    Ok(buf)
}

fn load_template(path: Option<&str>) -> Result<Option<TemplateDefinition>, Usage> {
    let Some(p) = path else { return Ok(None) };
    let bytes = std::fs::read(p).map_err(|e| Usage(format!("cannot read {p}: {e}")))?;
    TemplateDefinition::from_json(&bytes)
        .map(Some)
        .map_err(|e| Usage(format!("{p}: {e}")))
}

fn one_file(args: &Args) -> Result<Option<&str>, Usage> {
    match args.positional.as_slice() {
        [] => Ok(None),
        [f] => Ok(Some(f)),
        _ => Err(Usage("give one file (or - for stdin)".into())),
    }
}

fn print(text: &str) -> Result<(), Usage> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Usage(format!("cannot write stdout: {e}")))
}

fn options(args: &Args) -> Result<Options, Usage> {
    Ok(Options {
        default_region: args.region.clone(),
        template: load_template(args.template.as_deref())?,
    })
}

fn cmd_validate(args: &Args) -> Result<ExitCode, Usage> {
    let opts = options(args)?;
    let bytes = read_input(one_file(args)?)?;
    let result = validate_json(&bytes, &opts);
    let text = if args.compact {
        serde_json::to_string(&result)
    } else {
        serde_json::to_string_pretty(&result)
    };
    print(&text.map_err(|e| Usage(e.to_string()))?)?;
    Ok(if result.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn cmd_preview(args: &Args) -> Result<ExitCode, Usage> {
    let opts = options(args)?;
    let bytes = read_input(one_file(args)?)?;
    let result = validate_json(&bytes, &opts);
    let payload = wasend::json::parse(&bytes).unwrap_or_default();
    let Some(rendered) = template::preview(&payload, opts.template.as_ref()) else {
        for e in &result.errors {
            eprintln!("{e}");
        }
        return Ok(ExitCode::from(1));
    };
    if args.json {
        print(&serde_json::to_string_pretty(&rendered).map_err(|e| Usage(e.to_string()))?)?;
    } else {
        print(&render_text(&rendered))?;
    }
    for e in &result.errors {
        eprintln!("{e}");
    }
    Ok(if result.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn render_text(r: &template::Rendered) -> String {
    let mut lines = Vec::new();
    if let Some(h) = &r.header {
        match (&h.text, h.kind.as_str()) {
            (Some(t), "text") => lines.push(format!("*{t}*")),
            (t, kind) => {
                let what = h
                    .filename
                    .clone()
                    .or_else(|| h.url.clone())
                    .or_else(|| h.id.clone())
                    .or_else(|| t.clone())
                    .unwrap_or_default();
                lines.push(format!("[{kind}] {what}").trim_end().to_owned());
            }
        }
    }
    if let Some(b) = &r.body {
        lines.push(b.clone());
    }
    if let Some(f) = &r.footer {
        lines.push(format!("_{f}_"));
    }
    for b in &r.buttons {
        match &b.url {
            Some(u) => lines.push(format!("[ {} ] -> {u}", b.text)),
            None => lines.push(format!("[ {} ]", b.text)),
        }
    }
    for s in &r.sections {
        if let Some(t) = &s.title {
            lines.push(format!("  {t}"));
        }
        for row in &s.rows {
            match &row.description {
                Some(d) => lines.push(format!("  - {}: {d}", row.title)),
                None => lines.push(format!("  - {}", row.title)),
            }
        }
    }
    lines.join("\n")
}

fn cmd_phone(args: &Args) -> Result<ExitCode, Usage> {
    if args.positional.is_empty() {
        return Err(Usage("give at least one number".into()));
    }
    let mut all_valid = true;
    for input in &args.positional {
        let check = phone::check(input, args.region.as_deref());
        all_valid &= check.error.is_none();
        if args.json {
            let mut v = serde_json::to_value(&check).map_err(|e| Usage(e.to_string()))?;
            if let serde_json::Value::Object(m) = &mut v {
                m.insert("input".into(), input.clone().into());
                m.insert("valid".into(), check.error.is_none().into());
            }
            print(&v.to_string())?;
            continue;
        }
        let line = match (&check.canonical, &check.error) {
            (Some(c), _) => {
                let ty = check
                    .number_type
                    .map_or("unknown", phone::NumberType::as_str);
                format!("{input}\tvalid\t{c}\t{}\t{ty}", check.region.unwrap_or("-"))
            }
            (None, Some(e)) => format!("{input}\tinvalid\t{}\t{}", e.code, e.message),
            (None, None) => format!("{input}\tinvalid"),
        };
        print(&line)?;
        for w in &check.warnings {
            print(&format!("  warning {}: {}", w.code, w.message))?;
        }
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = argv.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let run = || -> Result<ExitCode, Usage> {
        match cmd.as_str() {
            "validate" => cmd_validate(&parse_args(rest)?),
            "preview" => cmd_preview(&parse_args(rest)?),
            "phone" => cmd_phone(&parse_args(rest)?),
            "--version" | "-V" => {
                print(&format!(
                    "wasend {} (phone metadata {}, {})",
                    env!("CARGO_PKG_VERSION"),
                    phone::METADATA_VERSION,
                    phone::METADATA_SOURCE
                ))?;
                Ok(ExitCode::SUCCESS)
            }
            "--help" | "-h" | "help" => {
                print(USAGE)?;
                Ok(ExitCode::SUCCESS)
            }
            other => Err(Usage(format!("unknown command {other:?}"))),
        }
    };
    match run() {
        Ok(code) => code,
        Err(Usage(msg)) => {
            eprintln!("wasend: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
