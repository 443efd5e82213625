//! `wasend`: validate, preview and normalize WhatsApp send-API payloads from the shell.
//!
//! Exit status: 0 valid, 1 invalid, 2 usage or I/O error (clap's own usage
//! errors included: an unknown flag, a missing value, an argument that is not
//! UTF-8).

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::process::ExitCode;
use wasend::{phone, template, validate_json, Options, TemplateDefinition};

#[derive(Parser, Debug)]
#[command(
    name = "wasend",
    about = "Validate, preview and normalize WhatsApp Business send-API payloads",
    after_help = "exit status: 0 valid, 1 invalid, 2 usage or i/o error"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print {"valid", "errors", "warnings", "payload"?} for a payload; `payload` is the normalized payload to send
    Validate {
        #[command(flatten)]
        region: Region,
        /// The approved template definition (Meta's template object) to check a template message against
        #[arg(long, value_name = "DEF.json")]
        template: Option<String>,
        /// One line of json instead of indented
        #[arg(long)]
        compact: bool,
        /// The payload; stdin when absent or `-`
        #[arg(value_name = "FILE|-")]
        file: Option<String>,
    },
    /// Print the message as the recipient reads it (a template's placeholders filled, given its definition)
    Preview {
        /// The approved template definition whose text the preview fills
        #[arg(long, value_name = "DEF.json")]
        template: Option<String>,
        /// The structured rendering as json
        #[arg(long)]
        json: bool,
        /// The payload; stdin when absent or `-`
        #[arg(value_name = "FILE|-")]
        file: Option<String>,
    },
    /// Print each number's verdict: e164, region, line type, errors and warnings
    Phone {
        #[command(flatten)]
        region: Region,
        /// One verdict a line as json: {"valid", "e164"?, "region"?, "type"?, "errors", "warnings"}
        #[arg(long)]
        json: bool,
        #[arg(value_name = "NUMBER", required = true)]
        numbers: Vec<String>,
    },
    /// An approved template's inputs, or a payload filled from values for them
    Template {
        #[command(subcommand)]
        command: TemplateCommand,
    },
    /// A campaign's list of recipients, checked before anything is sent
    Campaign {
        #[command(subcommand)]
        command: CampaignCommand,
    },
    /// Print a payload in the other dialect: Meta's Cloud API format, or the provider's (wasend's)
    Translate {
        /// The dialect to write
        #[arg(long, value_enum)]
        to: Dialect,
        /// With `--to provider`: the account that sends it (`whatsapp_account`), which Meta names in the URL
        #[arg(long)]
        account: Option<String>,
        /// One line of json instead of indented
        #[arg(long)]
        compact: bool,
        /// The payload; stdin when absent or `-`
        #[arg(value_name = "FILE|-")]
        file: Option<String>,
    },
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Subcommand, Debug)]
enum TemplateCommand {
    /// Print every input the template needs: key, where it goes, its kind and limit
    Fields {
        /// The approved template definition (Meta's template object)
        #[arg(value_name = "DEF.json")]
        definition: String,
        /// The inputs as json: {"name", "language", "sendable", "fields": [...]}
        #[arg(long)]
        json: bool,
    },
    /// Print {"valid", "errors", "warnings", "payload"?}: a payload for the template from key=value pairs
    Fill {
        /// The approved template definition (Meta's template object)
        #[arg(value_name = "DEF.json")]
        definition: String,
        /// The recipient
        #[arg(long, value_name = "NUMBER")]
        to: String,
        #[command(flatten)]
        region: Region,
        /// One line of json instead of indented
        #[arg(long)]
        compact: bool,
        /// Values by key as `template fields` names them: 1=John first_name=Ana header=https://… button_0=789
        #[arg(value_name = "KEY=VALUE")]
        values: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
enum CampaignCommand {
    /// Report every row of a list (CSV, JSON or NDJSON) for a template: its problems by row and column, duplicates, opt-outs, a summary
    Check {
        /// The list: a `to` (or `phone`) column and one column per template input; stdin when `-`
        #[arg(value_name = "LIST|-")]
        list: String,
        /// The approved template definition (Meta's template object)
        #[arg(long, value_name = "DEF.json")]
        template: String,
        #[command(flatten)]
        region: Region,
        /// A column that fills another input than its name says: `--map "first name=1"`
        #[arg(long = "map", value_name = "COLUMN=KEY")]
        mapping: Vec<String>,
        /// Numbers that opted out, one a line
        #[arg(long, value_name = "FILE")]
        suppressed: Option<String>,
        /// The report as json: {"summary", "issues", "skipped", "unused_columns"}
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args, Debug)]
struct Region {
    /// Read national numbers in this region (iso 3166-1 alpha-2, such as IN)
    #[arg(long = "default-region", value_name = "XX")]
    default_region: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Dialect {
    /// Meta's WhatsApp Cloud API (`messaging_product`, `text.body`, media `link`…)
    Meta,
    /// The provider's send API, wasend's own format (RULES.md)
    Provider,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// A usage or I/O problem found after parsing: exit status 2.
struct Usage(String);

fn read_input(path: Option<&str>) -> Result<Vec<u8>, Usage> {
    let mut buf = Vec::new();
    match path {
        None | Some("-") => {
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Usage(format!("cannot read stdin: {e}")))?;
        }
        Some(p) => buf = std::fs::read(p).map_err(|e| Usage(format!("cannot read {p}: {e}")))?,
    }
    Ok(buf)
}

fn load_template(path: Option<&str>) -> Result<Option<TemplateDefinition>, Usage> {
    let Some(p) = path else { return Ok(None) };
    let bytes = std::fs::read(p).map_err(|e| Usage(format!("cannot read {p}: {e}")))?;
    TemplateDefinition::from_json(&bytes)
        .map(Some)
        .map_err(|e| Usage(format!("{p}: {e}")))
}

fn print(text: &str) -> Result<(), Usage> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Usage(format!("cannot write stdout: {e}")))
}

/// A result as JSON: one line, or indented.
fn print_json(value: &impl serde::Serialize, compact: bool) -> Result<(), Usage> {
    let text = if compact {
        serde_json::to_string(value)
    } else {
        serde_json::to_string_pretty(value)
    };
    print(&text.map_err(|e| Usage(e.to_string()))?)
}

fn verdict_status(valid: bool) -> ExitCode {
    if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn options(region: Region, template: Option<&str>) -> Result<Options, Usage> {
    let mut opts = Options::default();
    if let Some(r) = region.default_region {
        // The core's reader and message, as every face's; clap's own would quote
        // the value bare, an invisible character included.
        opts = opts.default_region(&r).unwrap_or_else(|e| {
            Cli::command()
                .error(clap::error::ErrorKind::ValueValidation, e)
                .exit()
        });
    }
    Ok(match load_template(template)? {
        Some(def) => opts.template(def),
        None => opts,
    })
}

fn cmd_validate(opts: &Options, compact: bool, file: Option<&str>) -> Result<ExitCode, Usage> {
    let bytes = read_input(file)?;
    let result = validate_json(&bytes, opts);
    print_json(&result, compact)?;
    Ok(verdict_status(result.valid))
}

fn cmd_preview(opts: &Options, json: bool, file: Option<&str>) -> Result<ExitCode, Usage> {
    let bytes = read_input(file)?;
    let result = validate_json(&bytes, opts);
    let payload = wasend::json::parse(&bytes).unwrap_or_default();
    let Some(rendered) = template::preview(&payload, opts.definition()) else {
        for e in &result.errors {
            eprintln!("{e}");
        }
        return Ok(ExitCode::from(1));
    };
    if json {
        print_json(&rendered, false)?;
    } else {
        print(&render_text(&rendered))?;
    }
    for e in &result.errors {
        eprintln!("{e}");
    }
    Ok(verdict_status(result.valid))
}

/// A payload in the other dialect. To Meta's, the payload is validated first and
/// its normalized form translated (an invalid one is its verdict, exit 1); to the
/// provider's, the translation is validated after, its errors on stderr.
fn cmd_translate(
    to: Dialect,
    account: Option<&str>,
    compact: bool,
    file: Option<&str>,
) -> Result<ExitCode, Usage> {
    let bytes = read_input(file)?;
    match to {
        Dialect::Meta => {
            let result = validate_json(&bytes, &Options::default());
            let Some(payload) = result.payload.as_ref().filter(|_| result.valid) else {
                print_json(&result, compact)?;
                return Ok(ExitCode::from(1));
            };
            let meta = wasend::meta::to_meta(payload);
            print_json(&serde_json::Value::from(&meta.body), compact)?;
            if let Some(a) = meta.account {
                eprintln!("whatsapp_account {a} selects the sender: Meta names its phone number id in the URL");
            }
            Ok(ExitCode::SUCCESS)
        }
        Dialect::Provider => {
            let body = wasend::json::parse(&bytes)
                .map_err(|e| Usage(format!("the payload is not json: {e}")))?;
            let payload = wasend::meta::from_meta(&body, account);
            print_json(&serde_json::Value::from(&payload), compact)?;
            let result = wasend::validate(&payload, &Options::default());
            for e in &result.errors {
                eprintln!("{e}");
            }
            Ok(verdict_status(result.valid))
        }
    }
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

fn cmd_phone(opts: &Options, json: bool, numbers: &[String]) -> Result<ExitCode, Usage> {
    let mut all_valid = true;
    for input in numbers {
        let verdict = phone::check(input, opts.region());
        all_valid &= verdict.valid;
        if json {
            // The core's own writer: the same text npm's normalizePhone parses.
            print(&verdict.to_value().to_json())?;
            continue;
        }
        let line = match (&verdict.e164, verdict.errors.first()) {
            (Some(c), _) => {
                let ty = verdict
                    .number_type
                    .map_or("unknown", phone::NumberType::as_str);
                format!(
                    "{input}\tvalid\t{c}\t{}\t{ty}",
                    verdict.region.unwrap_or("-")
                )
            }
            (None, Some(e)) => format!("{input}\tinvalid\t{}\t{}", e.code, e.message),
            (None, None) => format!("{input}\tinvalid"),
        };
        print(&line)?;
        for w in &verdict.warnings {
            print(&format!("  warning {}: {}", w.code, w.message))?;
        }
    }
    Ok(verdict_status(all_valid))
}

fn cmd_template(command: TemplateCommand) -> Result<ExitCode, Usage> {
    match command {
        TemplateCommand::Fields { definition, json } => {
            let def = load_template(Some(&definition))?.expect("a path was given");
            let fields = wasend::template_fields(&def);
            if json {
                print_json(&serde_json::Value::from(&fields.to_value()), false)?;
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(why) = &fields.not_sendable {
                print(&format!("not sendable: {why}"))?;
            }
            for f in &fields.fields {
                let limit = f.limit.map_or(String::new(), |l| {
                    format!("\t≤{} {}", l.max, l.unit.as_str())
                });
                let optional = if f.required { "" } else { "\toptional" };
                print(&format!(
                    "{}\t{}\t{}\t{}{limit}{optional}",
                    f.key,
                    f.component,
                    f.kind.as_str(),
                    f.label
                ))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        TemplateCommand::Fill {
            definition,
            to,
            region,
            compact,
            values,
        } => {
            let def = load_template(Some(&definition))?.expect("a path was given");
            let opts = options(region, None)?;
            let mut map = wasend::json::Map::new();
            map.insert(template::TO, wasend::json::Value::from(to.as_str()));
            for pair in &values {
                let Some((k, v)) = pair.split_once('=') else {
                    return Err(Usage(format!("value {pair:?} is not KEY=VALUE")));
                };
                map.insert(k, wasend::json::Value::from(v));
            }
            let filled = wasend::fill_template(&def, &map, &opts);
            print_json(&serde_json::Value::from(&filled.to_value()), compact)?;
            Ok(verdict_status(filled.valid))
        }
    }
}

fn cmd_campaign(command: CampaignCommand) -> Result<ExitCode, Usage> {
    let CampaignCommand::Check {
        list,
        template,
        region,
        mapping,
        suppressed,
        json,
    } = command;
    let def = load_template(Some(&template))?.expect("a path was given");
    let mut opts = wasend::campaign::ListOptions {
        options: options(region, None)?,
        ..Default::default()
    };
    for pair in &mapping {
        let Some((column, key)) = pair.rsplit_once('=') else {
            return Err(Usage(format!("--map {pair:?} is not COLUMN=KEY")));
        };
        opts.mapping.push((column.to_owned(), key.to_owned()));
    }
    if let Some(path) = suppressed {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Usage(format!("cannot read {path}: {e}")))?;
        opts.suppress(text.lines().map(str::trim).filter(|l| !l.is_empty()));
    }
    let bytes = read_input(Some(&list))?;
    let text = String::from_utf8(bytes).map_err(|_| Usage(format!("{list} is not utf-8 text")))?;
    let prepared = wasend::campaign::prepare(&text, &def, &opts);
    if json {
        print_json(&serde_json::Value::from(&prepared.report()), false)?;
    } else {
        for i in &prepared.issues {
            let at = match (i.row, i.line) {
                (Some(r), Some(l)) => format!("row {r} (line {l})"),
                (Some(r), None) => format!("row {r}"),
                (None, _) => "the list".to_owned(),
            };
            let column = i
                .column
                .as_deref()
                .map_or(String::new(), |c| format!(", column {c}"));
            print(&format!(
                "{at}{column}: {}: {}",
                i.issue.code, i.issue.message
            ))?;
        }
        for s in prepared.skipped() {
            print(&format!("row {}: skipped, {}", s.row, s.message))?;
        }
        let s = &prepared.summary;
        print(&format!(
            "{} rows: {} valid, {} invalid, {} duplicate, {} opted out",
            s.total, s.valid, s.invalid, s.duplicate, s.opted_out
        ))?;
        if !prepared.unused_columns.is_empty() {
            print(&format!(
                "columns no input takes (ignored): {}",
                prepared.unused_columns.join(", ")
            ))?;
        }
    }
    Ok(verdict_status(
        prepared.summary.invalid == 0 && !prepared.list_failed(),
    ))
}

fn run(cli: Cli) -> Result<ExitCode, Usage> {
    match cli.command {
        Command::Validate {
            region,
            template,
            compact,
            file,
        } => cmd_validate(
            &options(region, template.as_deref())?,
            compact,
            file.as_deref(),
        ),
        Command::Preview {
            template,
            json,
            file,
        } => cmd_preview(
            &options(
                Region {
                    default_region: None,
                },
                template.as_deref(),
            )?,
            json,
            file.as_deref(),
        ),
        Command::Phone {
            region,
            json,
            numbers,
        } => cmd_phone(&options(region, None)?, json, &numbers),
        Command::Template { command } => cmd_template(command),
        Command::Campaign { command } => cmd_campaign(command),
        Command::Translate {
            to,
            account,
            compact,
            file,
        } => cmd_translate(to, account.as_deref(), compact, file.as_deref()),
        Command::Completions { shell } => {
            let target = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
            };
            let mut out = std::io::stdout().lock();
            clap_complete::generate(target, &mut Cli::command(), "wasend", &mut out);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let version: &'static str = Box::leak(
        format!(
            "{} (phone metadata {}, {})",
            env!("CARGO_PKG_VERSION"),
            phone::METADATA_VERSION,
            phone::METADATA_SOURCE
        )
        .into_boxed_str(),
    );
    // clap prints --help and --version (exit 0) and usage errors (exit 2) itself.
    let matches = Cli::command().version(version).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        Err(Usage(msg)) => {
            eprintln!("wasend: {msg}");
            ExitCode::from(2)
        }
    }
}
