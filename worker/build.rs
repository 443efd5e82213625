//! Bundles the repository's approved templates (`templates/*.json`) into the
//! Worker, each checked with the core's own reader first: a definition the core
//! cannot read fails the build, not a send.

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"))
        .join("../templates");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("templates/ next to the worker crate")
        .map(|e| e.expect("templates entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut seen = Vec::new();
    let mut items = Vec::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = std::fs::read(path).expect("read a template");
        let def = wasend::TemplateDefinition::from_json(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let id = (def.name.clone(), def.language.clone());
        assert!(
            !seen.contains(&id),
            "{}: {} ({}) is defined twice",
            path.display(),
            id.0,
            id.1
        );
        seen.push(id);
        let abs = path.canonicalize().expect("a template's path");
        items.push(format!("include_str!({:?})", abs.display().to_string()));
    }
    let src = format!(
        "pub static REPOSITORY: &[&str] = &[{}];\n",
        items.join(", ")
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("templates.rs");
    std::fs::write(out, src).expect("write templates.rs");
}
