//! The layers, checked on the source: routes are HTTP only and never import one another; the
//! domain, the services and the shared state never import routes; services import nothing
//! above them; tenant tables are read and written through `policy.rs` or the domain only; and
//! handlers stay short. `docs/architecture.md` explains the layers these tests hold.
use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

fn sources() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(name, fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

/// The first segment of every path that starts with `prefix` (`crate::`, `super::`), also
/// inside `use prefix{a::b, c}` groups.
fn roots_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        rest = &rest[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut end = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            let mut level = 0;
            let mut item = String::new();
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => level += 1,
                    '}' => level -= 1,
                    ',' if level == 0 => {
                        let head: String =
                            item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        if !head.is_empty() {
                            found.insert(head);
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            let head: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !head.is_empty() {
                found.insert(head);
            }
        }
    }
    found
}

fn layer(file: &str) -> &str {
    match file.split_once('/') {
        Some((dir, _)) => dir,
        None => file.trim_end_matches(".rs"),
    }
}

#[test]
fn no_route_module_imports_another() {
    let files = sources();
    let routes: BTreeSet<String> = files
        .keys()
        .filter_map(|f| f.strip_prefix("routes/"))
        .map(|f| f.trim_end_matches(".rs").to_owned())
        .filter(|m| m != "mod")
        .collect();
    for (file, text) in files.iter().filter(|(f, _)| f.starts_with("routes/") && *f != "routes/mod.rs") {
        let mut used: BTreeSet<String> = roots_after(text, "super::");
        used.extend(roots_after(text, "crate::routes::"));
        let others: Vec<_> = used.intersection(&routes).collect();
        assert!(others.is_empty(), "{file} imports the route module(s) {others:?}: move what they share to domain/");
    }
}

#[test]
fn the_layers_import_only_downwards() {
    // Who may not import whom (by top-level module): routes are the top, then the domain and
    // the workers, then the shared state, then the services; none of these imports upwards.
    let forbidden: &[(&str, &[&str])] = &[
        ("domain", &["routes", "workers", "extract", "startup", "session_cookie"]),
        ("services", &["routes", "domain", "workers", "state", "startup", "extract", "session_cookie"]),
        ("state", &["routes", "domain", "workers", "startup", "extract"]),
        ("workers", &["routes", "startup", "extract"]),
        ("auth", &["routes", "domain", "workers", "state", "startup", "extract"]),
        ("entities", &["routes", "domain", "services", "workers", "state", "startup", "extract", "policy"]),
        ("policy", &["routes", "domain", "services", "workers", "state", "startup", "extract"]),
        ("metrics", &["routes", "domain", "state", "startup"]),
    ];
    let files = sources();
    for (file, text) in &files {
        let used = roots_after(text, "crate::");
        for (from, banned) in forbidden {
            if layer(file) != *from {
                continue;
            }
            let bad: Vec<_> = banned.iter().filter(|b| used.contains(**b)).collect();
            assert!(bad.is_empty(), "{file} ({from}) imports {bad:?}, a layer above it");
        }
    }
}

#[test]
fn tenant_tables_are_queried_through_the_policy_or_the_domain_only() {
    const TENANT: [&str; 12] = [
        "client",
        "contact",
        "project",
        "task",
        "comment",
        "client_comment",
        "invoice",
        "invoice_line",
        "payment",
        "notification",
        "event",
        "user",
    ];
    const CALLS: [&str; 7] =
        ["find()", "find_by_id(", "update_many()", "delete_many()", "delete_by_id(", "insert(", "insert_many("];
    // The event listener loads the rows another instance announced, to hand each one to
    // `policy::may_receive`: a fan-out, not a read on anyone's behalf.
    let allowed = |file: &str, table: &str| {
        file == "policy.rs" || file.starts_with("domain/") || (file == "services/events.rs" && table == "event")
    };
    for (file, text) in sources() {
        for table in TENANT {
            for call in CALLS {
                let needle = format!("{table}::Entity::{call}");
                let hit = text
                    .match_indices(&needle)
                    .any(|(at, _)| at == 0 || !text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
                assert!(!hit || allowed(&file, table), "{file} calls {needle}: go through policy.rs or the domain");
            }
        }
    }
}

/// Each handler's length in lines, from its route attribute to its closing brace.
fn handler_lengths() -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (file, text) in sources().into_iter().filter(|(f, _)| f.starts_with("routes/")) {
        let lines: Vec<&str> = text.lines().collect();
        let is_route =
            |l: &str| ["#[get(", "#[post(", "#[patch(", "#[put(", "#[delete("].iter().any(|m| l.starts_with(m));
        for (i, _) in lines.iter().enumerate().filter(|(_, l)| is_route(l)) {
            let Some(sig) = lines[i..].iter().position(|l| l.starts_with("pub async fn")) else { continue };
            let start = i + sig;
            let Some(len) = lines[start..].iter().position(|l| *l == "}") else { continue };
            let name = lines[start].trim_start_matches("pub async fn ").split('(').next().unwrap_or("").to_owned();
            out.push((format!("{file}::{name}"), len + 1));
        }
    }
    out
}

#[test]
fn handlers_stay_short() {
    let mut lengths = handler_lengths();
    assert!(lengths.len() > 70, "found only {} handlers", lengths.len());
    lengths.sort_by_key(|(_, n)| *n);
    let median = lengths[lengths.len() / 2].1;
    assert!(median <= 15, "the median handler has {median} lines");
    let long: Vec<_> = lengths.iter().filter(|(_, n)| *n > 40).collect();
    assert!(long.is_empty(), "handlers over 40 lines: {long:?}");
}
