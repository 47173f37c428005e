//! What README.md and ARCHITECTURE.md say about the repository stays true: every file and
//! folder they name exists, every command they show names an example, bench, script or
//! report option that exists (with the features it needs), and every example has its
//! command. (The commands themselves run in CI: `.ci/run` runs the README's example
//! commands as written.) And the README renders on the registry's page, which resolves no
//! relative link (the package names no repository to resolve them against): every link and
//! image in it is an absolute `https://` address or an anchor on the page itself.

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(name)).unwrap()
}

/// Every file and folder of the repository, as paths relative to its root with `/`
/// (folders end in `/`), leaving out build outputs and version control.
fn tree() -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if [".git", "target", "__pycache__"].contains(&name.as_str()) {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                let path = format!("{prefix}{name}/");
                walk(&entry.path(), &path, found);
                found.push(path);
            } else {
                found.push(format!("{prefix}{name}"));
            }
        }
    }
    let mut found = Vec::new();
    walk(Path::new(ROOT), "", &mut found);
    found
}

/// The lines of `markdown` outside its code blocks (and the fences).
fn prose_lines(markdown: &str) -> impl Iterator<Item = &str> {
    let mut in_block = false;
    markdown.lines().filter(move |line| {
        let fence = line.trim_start().starts_with("```");
        in_block ^= fence;
        !fence && !in_block
    })
}

/// The code spans (`…`) of `markdown` outside its code blocks.
fn code_spans(markdown: &str) -> Vec<String> {
    let mut spans = Vec::new();
    for line in prose_lines(markdown) {
        let mut parts = line.split('`');
        parts.next();
        while let (Some(span), Some(_)) = (parts.next(), parts.next()) {
            spans.push(span.to_string());
        }
    }
    spans
}

/// Whether a code span names a file or folder of the repository (not a command, a Rust
/// path, a type or a number).
fn looks_like_a_path(span: &str) -> bool {
    const EXTENSIONS: [&str; 8] = [".rs", ".md", ".toml", ".py", ".sh", ".c", ".svg", ".json"];
    !span.contains([' ', ':', '<', '*', '(', '=', '$'])
        && !span.starts_with(['/', '-', '.'])
        && (span.ends_with('/') || EXTENSIONS.iter().any(|e| span.ends_with(e)))
}

/// Whether `path` (relative, `/`-separated) is in `tree`, as a whole path or as the end of
/// one (the documents name files inside a crate from that crate's root, `src/cpu.rs`).
fn exists(tree: &[String], path: &str) -> bool {
    tree.iter()
        .any(|p| p == path || p.ends_with(&format!("/{path}")))
}

/// The paths the README's layout block names: each first word that ends in `/` or has an
/// extension, an indented one inside the last folder above it.
fn layout_paths(readme: &str) -> Vec<String> {
    let block = readme
        .split("## Layout")
        .nth(1)
        .and_then(|rest| rest.split("```text").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a Layout section with a text block");
    let mut folder = String::new();
    let mut paths = Vec::new();
    for line in block.lines() {
        let indented = line.starts_with(' ');
        let Some(word) = line.split_whitespace().next() else {
            continue;
        };
        let word = word.trim_end_matches(',');
        if !looks_like_a_path(word) {
            continue;
        }
        if indented {
            if line.len() - line.trim_start().len() <= 4 {
                paths.push(format!("{folder}{word}"));
            }
        } else {
            if word.ends_with('/') {
                folder = word.to_string();
            }
            paths.push(word.to_string());
        }
    }
    paths
}

#[test]
fn every_path_the_documents_name_exists() {
    let tree = tree();
    let mut missing = Vec::new();
    for document in ["README.md", "ARCHITECTURE.md"] {
        let text = read(document);
        let mut named: Vec<String> = code_spans(&text)
            .into_iter()
            .filter(|s| looks_like_a_path(s))
            .collect();
        if document == "README.md" {
            named.extend(layout_paths(&text));
        }
        assert!(named.len() > 10, "{document}: only {named:?} found");
        missing.extend(
            named
                .into_iter()
                .filter(|p| !exists(&tree, p))
                .map(|p| format!("{document}: {p}")),
        );
    }
    assert!(
        missing.is_empty(),
        "named but not in the repository: {missing:#?}"
    );
}

#[test]
fn the_checks_find_what_is_missing() {
    // Planted: a name that is not there, in a span and in the layout block.
    let tree = tree();
    assert!(exists(&tree, "src/threads.rs") && exists(&tree, "kernels/src/ops/"));
    assert!(exists(&tree, "src/cpu.rs")); // inside kernels/
    assert!(!exists(&tree, "src/dispatch_table.rs") && !exists(&tree, "opz/"));
    let readme = "## Layout\n```text\nsrc/  the crate\n  gone.rs  removed\nkernels/\n```\n";
    assert_eq!(layout_paths(readme), ["src/", "src/gone.rs", "kernels/"]);
    assert!(looks_like_a_path("kernels/src/ops/") && looks_like_a_path("scalar.rs"));
    assert!(!looks_like_a_path("f32::mul_add") && !looks_like_a_path("cargo run --release"));
}

/// The commands of the README's and ARCHITECTURE's code spans that start with `prefix`.
fn commands(prefix: &str) -> Vec<String> {
    ["README.md", "ARCHITECTURE.md"]
        .iter()
        .flat_map(|d| code_spans(&read(d)))
        .filter(|s| s.starts_with(prefix))
        .collect()
}

/// The features an example's `[[example]]` entry in Cargo.toml requires.
fn required_features(example: &str) -> Vec<String> {
    let manifest = read("Cargo.toml");
    let entry = format!("[[example]]\nname = \"{example}\"\nrequired-features = [");
    let Some(at) = manifest.find(&entry) else {
        return Vec::new();
    };
    let rest = &manifest[at + entry.len()..];
    rest[..rest.find(']').unwrap()]
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_string())
        .collect()
}

#[test]
fn every_example_has_a_command_that_names_its_features() {
    let shown = commands("cargo run --release --example ");
    let examples: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    assert!(examples.len() >= 5, "{examples:?}");
    for path in examples {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let command = shown
            .iter()
            .find(|c| c.split_whitespace().nth(4) == Some(&name))
            .unwrap_or_else(|| panic!("the README shows no command for example {name}"));
        for feature in required_features(&name) {
            assert!(
                command.contains(&format!("--features {feature}")),
                "{command:?}: example {name} needs --features {feature}"
            );
        }
    }
    for command in &shown {
        let name = command.split_whitespace().nth(4).unwrap();
        assert!(
            Path::new(ROOT).join(format!("examples/{name}.rs")).exists(),
            "{command:?}: no such example"
        );
    }
}

#[test]
fn every_report_command_parses_and_names_the_features_it_needs() {
    use hadamard_report::args::{Args, Mode};
    let shown = commands("cargo run --release");
    let report: Vec<&String> = shown.iter().filter(|c| !c.contains("--example")).collect();
    assert!(report.len() >= 5, "{report:?}");
    for command in report {
        let options = command.split_once(" -- ").map_or("", |(_, o)| o);
        // What a reader types after the options (`--sizes 16,64` in parentheses) is not
        // part of the command.
        let options = options.split(" (").next().unwrap();
        let args = Args::parse(options.split_whitespace().map(String::from))
            .unwrap_or_else(|e| panic!("{command:?}: {e}"));
        if matches!(args.mode, Mode::Compare) {
            assert!(
                command.contains("--features compare"),
                "{command:?}: --compare needs --features compare"
            );
        }
    }
}

#[test]
fn every_bench_and_script_shown_exists() {
    for command in commands("cargo bench --bench ") {
        let name = command.split_whitespace().nth(3).unwrap();
        let path = Path::new(ROOT).join(format!("benches/{name}.rs"));
        assert!(path.exists(), "{command:?}: no {}", path.display());
    }
    let scripts = commands("scripts/");
    assert!(scripts.len() >= 5, "{scripts:?}");
    for command in scripts {
        let script = command.split_whitespace().next().unwrap();
        let path = Path::new(ROOT).join(script);
        let mode = std::fs::metadata(&path)
            .unwrap_or_else(|_| panic!("{command:?}: no {script}"))
            .permissions();
        // A source file shown beside the scripts (`scripts/c-reference.c`) is not run.
        #[cfg(unix)]
        if script.ends_with(".sh") || !script.contains('.') {
            use std::os::unix::fs::PermissionsExt;
            assert!(mode.mode() & 0o111 != 0, "{script} is not executable");
        }
        let _ = mode;
    }
}

#[test]
fn every_module_of_the_library_is_in_the_layout() {
    let readme = read("README.md");
    let block = readme
        .split("## Layout")
        .nth(1)
        .and_then(|rest| rest.split("```text").nth(1))
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let mut unlisted = Vec::new();
    for file in tree() {
        let in_library = file.starts_with("src/") || file.starts_with("kernels/src/");
        let name = file.rsplit('/').next().unwrap();
        if in_library && name.ends_with(".rs") && name != "mod.rs" && !block.contains(name) {
            unlisted.push(file);
        }
    }
    assert!(
        unlisted.is_empty(),
        "the README's layout leaves out {unlisted:?}"
    );
}

/// Every link or image target in `markdown`: `[text](target)`, `![alt](target)`,
/// `[label]: target` definitions and HTML `src=`/`href=` attributes.
fn targets(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in prose_lines(markdown) {
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            found.push(after[..end].trim().to_string());
            rest = &after[end..];
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            if let Some(colon) = trimmed.find("]: ") {
                found.push(trimmed[colon + 3..].trim().to_string());
            }
        }
        for attribute in ["src=\"", "href=\""] {
            let mut rest = line;
            while let Some(at) = rest.find(attribute) {
                let after = &rest[at + attribute.len()..];
                let end = after.find('"').unwrap_or(after.len());
                found.push(after[..end].to_string());
                rest = &after[end..];
            }
        }
    }
    found
}

fn renders_on_the_registry(target: &str) -> bool {
    target.starts_with("https://") || target.starts_with('#')
}

#[test]
fn every_readme_link_resolves_on_the_registry_page() {
    let readme = include_str!("../README.md");
    let found = targets(readme);
    assert!(!found.is_empty(), "the README links to docs.rs at least");
    let broken: Vec<&String> = found
        .iter()
        .filter(|t| !renders_on_the_registry(t))
        .collect();
    assert!(
        broken.is_empty(),
        "README links the registry page cannot resolve: {broken:?}"
    );
}

#[test]
fn relative_links_and_images_are_found() {
    let planted = "See [the notes](BENCHMARKS.md) and ![a plot](bench-results/x.svg).\n\
                   [ref]: src/options.rs\n<img src=\"plot.png\">\n```text\n[not](a link)\n```\n";
    let found = targets(planted);
    assert_eq!(
        found,
        [
            "BENCHMARKS.md",
            "bench-results/x.svg",
            "src/options.rs",
            "plot.png"
        ]
    );
    assert!(found.iter().all(|t| !renders_on_the_registry(t)));
    assert!(renders_on_the_registry("https://docs.rs/hadamard"));
}
