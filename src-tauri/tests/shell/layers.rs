//! No module cycles in the shell. Each top-level module of `src/` depends on
//! the others it names as `crate::<module>` (comments aside); the graph must
//! have no cycle, and the layers the shell is built on hold: `services` (what
//! runs in the process) uses neither `state` nor `commands`, `state` may hold
//! services but never uses `commands`, and `ipc` (the edge) uses none of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module → the top-level modules its files name.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = top.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue; // the root wires the modules together
        }
        let deps = graph.entry(module.clone()).or_default();
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

/// A path `from` → … → `from`, if there is one.
fn cycle_through(graph: &Graph, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap();
        for next in graph.get(last).into_iter().flatten() {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn the_shells_modules_form_no_cycle() {
    let graph = module_graph();
    for module in ["services", "state", "commands", "ipc", "command_table"] {
        assert!(
            graph.contains_key(module),
            "{module} is a module: {graph:?}"
        );
    }
    for module in graph.keys() {
        if let Some(cycle) = cycle_through(&graph, module) {
            panic!("module cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn services_and_state_sit_below_the_commands() {
    let graph = module_graph();
    let uses = |from: &str, to: &str| graph[from].contains(to);
    for (from, to) in [
        ("services", "state"),
        ("services", "commands"),
        ("state", "commands"),
        ("ipc", "services"),
        ("ipc", "state"),
        ("ipc", "commands"),
    ] {
        assert!(!uses(from, to), "{from} must not use crate::{to}");
    }
    assert!(uses("commands", "services") && uses("commands", "state"));
}

#[test]
fn the_check_sees_a_cycle_when_there_is_one() {
    let mut graph = module_graph();
    graph
        .get_mut("services")
        .unwrap()
        .insert("commands".to_string());
    assert!(cycle_through(&graph, "services").is_some());
}
