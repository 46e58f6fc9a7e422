//! The source tree's shape, checked: no two modules of `src/` import each
//! other (layers import downwards only), each plugin has its own folder, and
//! no file in `src/plugin/` or `src/config/` grows past `MAX_LINES` before its tests. A split that keeps
//! these is a review's work; this keeps it from drifting back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// "No file over ~450 lines": the few over 450 by a handful are tolerated.
const MAX_LINES: usize = 470;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/plugin/http/conn.rs` -> ["plugin", "http", "conn"]; `mod.rs` and `lib.rs` name their folder.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The file's code before its unit tests.
fn code(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests").map_or(text, |i| &text[..i])
}

/// The modules a file names with `crate::` or `super::` paths.
fn imports(me: &[String], text: &str, modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let mut found = BTreeSet::new();
    let bytes = code(text);
    for start in ["crate::", "super::"] {
        let mut at = 0;
        while let Some(i) = bytes[at..].find(start) {
            let i = at + i;
            at = i + start.len();
            if i > 0 && (bytes.as_bytes()[i - 1].is_ascii_alphanumeric() || bytes.as_bytes()[i - 1] == b'_') {
                continue;
            }
            let path: Vec<String> = bytes[at..]
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            let mut base: Vec<String> = if start == "crate::" { Vec::new() } else { me[..me.len().saturating_sub(1)].to_vec() };
            let mut rest = path.as_slice();
            while rest.first().is_some_and(|p| p == "super") {
                base.pop();
                rest = &rest[1..];
            }
            let target: Vec<String> = base.into_iter().chain(rest.iter().cloned()).collect();
            if let Some(k) = (1..=target.len()).rev().find(|&k| modules.contains(&target[..k])) {
                if target[..k] != *me {
                    found.insert(target[..k].to_vec());
                }
            }
        }
    }
    found
}

fn tree() -> (PathBuf, Vec<PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    (src, files)
}

#[test]
fn no_two_modules_import_each_other() {
    let (src, files) = tree();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
    let deps: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = files
        .iter()
        .map(|f| {
            let me = module_of(&src, f);
            let deps = imports(&me, &std::fs::read_to_string(f).unwrap(), &modules);
            (me, deps)
        })
        .collect();
    let mut mutual = Vec::new();
    for (a, ds) in &deps {
        for b in ds {
            if a < b && deps.get(b).is_some_and(|back| back.contains(a)) {
                mutual.push(format!("{} <-> {}", a.join("::"), b.join("::")));
            }
        }
    }
    assert!(mutual.is_empty(), "modules that import each other (move what both need into a third file): {mutual:#?}");
}

#[test]
fn plugin_and_config_files_stay_under_the_line_limit() {
    let (src, files) = tree();
    let long: Vec<String> = files
        .iter()
        .filter(|f| f.starts_with(src.join("plugin")) || f.starts_with(src.join("config")))
        .filter_map(|f| {
            let lines = code(&std::fs::read_to_string(f).unwrap()).lines().count();
            (lines > MAX_LINES).then(|| format!("{}: {lines} lines before its tests", f.strip_prefix(&src).unwrap().display()))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines (split one concept out): {long:#?}");
}

#[test]
fn each_plugin_lives_in_its_own_folder() {
    let (src, _) = tree();
    // What src/plugin/ holds beside the plugins' folders: the trait, the registry, the shared
    // listener helpers and the unit tests of the registry.
    let shared = ["mod.rs", "registry.rs", "net.rs", "testing.rs", "tests.rs"];
    let loose: Vec<String> = std::fs::read_dir(src.join("plugin"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !shared.contains(&p.file_name().unwrap().to_str().unwrap()))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(loose.is_empty(), "files of a plugin directly in src/plugin/ (give the plugin its folder): {loose:?}");
}

#[test]
fn the_import_check_sees_a_pair_that_imports_each_other() {
    let modules: BTreeSet<Vec<String>> =
        [vec!["pool".to_string()], vec!["pool".into(), "a".into()], vec!["pool".into(), "b".into()]].into_iter().collect();
    let a = vec!["pool".to_string(), "a".into()];
    let b = vec!["pool".to_string(), "b".into()];
    assert!(imports(&a, "use super::b::Thing;\n", &modules).contains(&b));
    assert!(imports(&b, "fn f() { crate::pool::a::g() }\n", &modules).contains(&a));
    assert!(imports(&b, "#[cfg(test)]\nmod tests { use super::super::a::X; }\n", &modules).is_empty(), "tests are not counted");
}
