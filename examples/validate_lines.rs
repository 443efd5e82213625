//! One payload per line, hex-encoded (so any bytes fit on a line), validated with
//! default options; prints each result as one JSON line. The wasm fuzzer
//! (`benches/fuzz-wasm.mjs`) compares the module's results with these.

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
    let opts = wasend::Options::default();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let Some(bytes) = unhex(&line) else {
            eprintln!("not hex: {line}");
            std::process::exit(2);
        };
        let result = wasend::validate_json(&bytes, &opts);
        if writeln!(out, "{}", result.to_json()).is_err() {
            std::process::exit(2);
        }
    }
}
