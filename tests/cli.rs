//! The `wasend` binary: output shapes and exit statuses.

mod common;

use common::list_text;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasend"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wasend");
    // A usage error may exit before reading stdin: a broken pipe is not a failure here.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    child.wait_with_output().expect("wait")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not json ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wasend-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn validate_valid_exits_0_with_the_normalized_payload() {
    let out = run(
        &["validate", "-"],
        r#"{"to":"+91 98765 43210","type":"text","text":"hi"}"#,
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["payload"]["to"], "+919876543210");
    assert_eq!(v["warnings"][0]["code"], "phone_normalized");
}

#[test]
fn validate_invalid_exits_1_with_every_error() {
    let out = run(
        &["validate"],
        r#"{"to":"x","type":"image","image":{"url":"https://e.com/a.jpg","caption":"a","captoin":"b"}}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let codes: Vec<&str> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["phone_format", "unknown_field"]);
    assert_eq!(v["errors"][1]["suggestion"], "caption");
    assert!(v.get("payload").is_none());
}

#[test]
fn validate_malformed_json_is_a_result_not_a_crash() {
    let out = run(&["validate", "--compact"], "{\"to\": ");
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["errors"][0]["code"], "invalid_json");
    assert_eq!(v["errors"][0]["path"], "");
    let out = run(&["validate"], "\u{feff}\u{0}\u{1}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn validate_with_region_and_template() {
    let def = temp(
        "def.json",
        r#"{"name":"order_confirmation","language":"en","components":[{"type":"BODY","text":"Hi {{1}}, order {{2}}"}]}"#,
    );
    let payload = r#"{"to":"09876543210","type":"template","template":{"name":"order_confirmation","language":"en","components":[{"type":"body","parameters":[{"type":"text","text":"John"}]}]}}"#;
    let out = run(
        &[
            "validate",
            "--default-region",
            "IN",
            "--template",
            def.to_str().expect("path"),
            "-",
        ],
        payload,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["errors"][0]["code"], "template_param_count");
    assert_eq!(v["errors"][0]["limit"], 2);
    assert_eq!(v["errors"][0]["actual"], 1);
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(run(&[], "").status.code(), Some(2));
    assert_eq!(run(&["frobnicate"], "").status.code(), Some(2));
    assert_eq!(run(&["validate", "--nope"], "{}").status.code(), Some(2));
    assert_eq!(
        run(&["validate", "/nonexistent/file.json"], "")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["validate", "--default-region", "ZZ"], "{}")
            .status
            .code(),
        Some(2)
    );
    let bad_def = temp("bad.json", "{\"name\": 1}");
    let out = run(
        &["validate", "--template", bad_def.to_str().expect("path")],
        "{}",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("template definition"));
    assert_eq!(run(&["phone"], "").status.code(), Some(2));
}

#[test]
fn preview_fills_the_template() {
    let def = temp(
        "preview.json",
        r#"{"name":"order_confirmation","language":"en","components":[{"type":"HEADER","format":"TEXT","text":"Order {{1}}"},{"type":"BODY","text":"Hi {{1}}, your order {{2}} has shipped."},{"type":"FOOTER","text":"Thanks"},{"type":"BUTTONS","buttons":[{"type":"URL","text":"Track","url":"https://t.example.com/{{1}}"}]}]}"#,
    );
    let payload = r#"{"to":"+919876543210","type":"template","template":{"name":"order_confirmation","language":"en","components":[{"type":"header","parameters":[{"type":"text","text":"ORD-789"}]},{"type":"body","parameters":[{"type":"text","text":"John"},{"type":"text","text":"ORD-789"}]},{"type":"button","sub_type":"url","index":0,"parameters":[{"type":"text","text":"789"}]}]}}"#;
    let out = run(
        &["preview", "--template", def.to_str().expect("path")],
        payload,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text, "*Order ORD-789*\nHi John, your order ORD-789 has shipped.\n_Thanks_\n[ Track ] -> https://t.example.com/789\n");
    let out = run(
        &[
            "preview",
            "--json",
            "--template",
            def.to_str().expect("path"),
        ],
        payload,
    );
    let v = json(&out);
    assert_eq!(v["body"], "Hi John, your order ORD-789 has shipped.");
    assert_eq!(v["buttons"][0]["url"], "https://t.example.com/789");
}

#[test]
fn phone_prints_verdicts() {
    let out = run(&["phone", "+91 98765 43210", "not a phone", "--json"], "");
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines[0]["e164"], "+919876543210");
    assert_eq!(lines[0]["type"], "mobile");
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[1]["valid"], false);
    assert_eq!(lines[1]["errors"][0]["code"], "phone_format");
    // The core's verdict, field for field (the npm suite compares its own with it too).
    let verdict =
        serde_json::to_value(wasend::phone::check("+91 98765 43210", None)).expect("serde");
    assert_eq!(lines[0], verdict);
    let out = run(&["phone", "--default-region", "GB", "020 7946 0958"], "");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("020 7946 0958\tvalid\t+442079460958\tGB\tfixed_line\n"),
        "{text}"
    );
    assert!(text.contains("warning phone_not_mobile"));
}

#[test]
fn per_command_help_and_completions() {
    let out = run(&["phone", "--help"], "");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("--default-region") && !text.contains("--compact"),
        "{text}"
    );
    let out = run(&["validate", "--help"], "");
    assert!(String::from_utf8_lossy(&out.stdout).contains("--compact"));
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell], "");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("wasend"),
            "{shell}"
        );
    }
    assert_eq!(run(&["completions", "tcsh"], "").status.code(), Some(2));
    // A flag of another command is a usage error, not ignored.
    assert_eq!(
        run(&["phone", "--compact", "+919876543210"], "")
            .status
            .code(),
        Some(2)
    );
}

#[cfg(unix)]
#[test]
fn a_non_utf8_argument_is_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"+91\xff98765");
    let out = Command::new(env!("CARGO_BIN_EXE_wasend"))
        .arg("phone")
        .arg(bad)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("UTF-8"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `tests/vectors/options/cases.json`, the option cases every face runs.
#[test]
fn option_vectors_in_the_cli() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/options/cases.json"
    ))
    .expect("option cases");
    let file: Value = serde_json::from_str(&text).expect("json");
    let mut ran = 0;
    for case in file["cases"].as_array().expect("cases") {
        let Some(cli) = case["cli"].as_array() else {
            continue;
        };
        let mut args = vec!["phone"];
        args.extend(cli.iter().map(|a| a.as_str().expect("arg")));
        args.push("09876543210");
        let out = run(&args, "");
        let name = case["name"].as_str().unwrap_or("?");
        let stderr = String::from_utf8_lossy(&out.stderr);
        match case["error"].as_str() {
            Some(message) => {
                assert_eq!(out.status.code(), Some(2), "{name}");
                assert!(stderr.contains(message), "{name}: {stderr}");
                assert!(
                    !stderr.contains('\u{200e}'),
                    "{name}: an invisible character quoted bare"
                );
            }
            None => {
                assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
                let region = case["region"].as_str().expect("region");
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(
                    stdout.contains(&format!("\t{region}\t")),
                    "{name}: {stdout}"
                );
            }
        }
        ran += 1;
    }
    assert!(ran >= 8, "only {ran} option cases have a cli form");
}

#[test]
fn template_fields_and_fill() {
    let def = temp(
        "fill.json",
        r#"{"name":"order_confirmation","language":"en","components":[{"type":"BODY","text":"Hi {{1}}, order {{2}}"},{"type":"BUTTONS","buttons":[{"type":"URL","text":"Track","url":"https://t.example.com/{{1}}"}]}]}"#,
    );
    let path = def.to_str().expect("path");
    let out = run(&["template", "fields", path], "");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("1\tbody\ttext\tbody {{1}}\t≤1024 chars\n"),
        "{text}"
    );
    assert!(text.contains("button_0\tbutton\ttext"), "{text}");
    let fields = json(&run(&["template", "fields", "--json", path], ""));
    let core = Value::from(
        &wasend::template_fields(
            &wasend::TemplateDefinition::from_json(&std::fs::read(&def).expect("read"))
                .expect("def"),
        )
        .to_value(),
    );
    assert_eq!(fields, core);
    let out = run(
        &[
            "template",
            "fill",
            path,
            "--to",
            "+91 98765 43210",
            "1=John",
            "2=ORD-789",
            "button_0=789",
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert_eq!(v["payload"]["to"], "+919876543210");
    assert_eq!(
        v["payload"]["template"]["components"][1]["parameters"][0]["text"],
        "789"
    );
    let out = run(
        &["template", "fill", path, "--to", "+919876543210", "1=John"],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["2", "button_0"]);
    assert_eq!(
        run(
            &["template", "fill", path, "--to", "+919876543210", "oops"],
            ""
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        run(&["template", "fill", path], "").status.code(),
        Some(2),
        "--to is required"
    );
}

/// `wasend campaign check` on every list vector: the core's report, the exit status it implies.
#[test]
fn campaign_check_reports_what_the_core_reports() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/campaigns/lists.json"
    );
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("lists")).expect("json");
    for (i, case) in file["cases"].as_array().expect("cases").iter().enumerate() {
        let name = case["name"].as_str().unwrap_or("?");
        let list = temp(&format!("list-{i}.csv"), &list_text(case));
        let def = temp(
            &format!("list-def-{i}.json"),
            &case["definition"].to_string(),
        );
        let mut args: Vec<String> = vec![
            "campaign".into(),
            "check".into(),
            list.to_str().expect("path").into(),
            "--template".into(),
            def.to_str().expect("path").into(),
            "--json".into(),
        ];
        let o = &case["options"];
        if let Some(r) = o["defaultRegion"].as_str() {
            args.extend(["--default-region".into(), r.into()]);
        }
        for (column, key) in o["mapping"].as_object().into_iter().flatten() {
            args.extend([
                "--map".into(),
                format!("{column}={}", key.as_str().expect("key")),
            ]);
        }
        if let Some(numbers) = o["suppressed"].as_array() {
            let lines: Vec<&str> = numbers.iter().filter_map(Value::as_str).collect();
            let f = temp(&format!("suppressed-{i}.txt"), &lines.join("\n"));
            args.extend(["--suppressed".into(), f.to_str().expect("path").into()]);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&refs, "");
        let report = json(&out);
        let definition =
            wasend::TemplateDefinition::from_value(&wasend::json::Value::from(&case["definition"]))
                .expect("def");
        let mut options = wasend::campaign::ListOptions::default();
        if let Some(r) = o["defaultRegion"].as_str() {
            options.options = wasend::Options::default()
                .default_region(r)
                .expect("region");
        }
        options.mapping = o["mapping"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.as_str().expect("key").to_owned()))
            .collect();
        options.suppressed = o["suppressed"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| wasend::phone::identity(n.as_str()?))
            .collect();
        let prepared = wasend::campaign::prepare(&list_text(case), &definition, &options);
        assert_eq!(report, Value::from(&prepared.report()), "{name}");
        let clean = prepared.summary.invalid == 0 && !prepared.list_failed();
        assert_eq!(out.status.code(), Some(i32::from(!clean)), "{name}");
    }
    let out = run(
        &["campaign", "check", "-", "--template", "/nonexistent.json"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn version_names_the_metadata() {
    let out = run(&["--version"], "");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(wasend::phone::METADATA_VERSION), "{text}");
}

#[test]
fn translate_writes_each_dialect() {
    let out = run(
        &["translate", "--to", "meta", "--compact"],
        r#"{"to":"+91 98765 43210","type":"text","text":"Hi","whatsapp_account":"main"}"#,
    );
    assert_eq!(out.status.code(), Some(0));
    let meta = json(&out);
    assert_eq!(meta["messaging_product"], "whatsapp");
    assert_eq!(
        meta["to"], "919876543210",
        "the normalized number, Meta's way"
    );
    assert_eq!(meta["text"]["body"], "Hi");
    assert!(meta.get("whatsapp_account").is_none());
    assert!(String::from_utf8_lossy(&out.stderr).contains("whatsapp_account main"));
    let back = run(
        &["translate", "--to", "provider", "--account", "main"],
        &String::from_utf8_lossy(&out.stdout),
    );
    assert_eq!(back.status.code(), Some(0));
    assert_eq!(
        json(&back),
        serde_json::json!({"to": "+919876543210", "type": "text", "text": "Hi", "whatsapp_account": "main"})
    );
    // An invalid payload is its verdict, not a translation.
    let bad = run(
        &["translate", "--to", "meta"],
        r#"{"to":"12","type":"text","text":""}"#,
    );
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(json(&bad)["valid"], false);
    // Meta's format that breaks a rule is translated, and its errors said.
    let wrong = run(
        &["translate", "--to", "provider"],
        r#"{"messaging_product":"whatsapp","to":"919876543210","type":"text","text":{"body":""}}"#,
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(!wrong.stderr.is_empty());
}
