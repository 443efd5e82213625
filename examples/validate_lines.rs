//! One payload per line, hex-encoded (so any bytes fit on a line), validated with
//! default options, or against an approved definition when the line names one of
//! `templates/` after a tab (`<hex>\t<file name>`); prints each result as one JSON
//! line. The wasm fuzzer (`benches/fuzz-wasm.mjs`) compares the module's results
//! with these.

use std::io::{BufRead, Write};

fn unhex(line: &str) -> Option<Vec<u8>> {
    let b = line.trim().as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    b.chunks(2)
        .map(|p| {
            let hi = char::from(p[0]).to_digit(16)?;
            let lo = char::from(p[1]).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

fn main() {
    let plain = wasend::Options::default();
    let mut with_definition = std::collections::HashMap::new();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let (hex, definition) = line.split_once('\t').unwrap_or((&line, ""));
        let Some(bytes) = unhex(hex) else {
            eprintln!("not hex: {line}");
            std::process::exit(2);
        };
        let opts = if definition.is_empty() {
            &plain
        } else {
            with_definition
                .entry(definition.to_owned())
                .or_insert_with(|| options_with(definition))
        };
        let result = wasend::validate_json(&bytes, opts);
        if writeln!(out, "{}", result.to_json()).is_err() {
            std::process::exit(2);
        }
    }
}

/// Default options with the definition `templates/<name>`.
fn options_with(name: &str) -> wasend::Options {
    let path = format!("{}/templates/{name}", env!("CARGO_MANIFEST_DIR"));
    let definition = std::fs::read(&path)
        .ok()
        .and_then(|b| wasend::TemplateDefinition::from_json(&b).ok());
    let Some(definition) = definition else {
        eprintln!("no definition at {path}");
        std::process::exit(2);
    };
    wasend::Options::default().template(definition)
}
