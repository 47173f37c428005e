//! The README is the package's page on the registry, which resolves no relative link (the
//! package names no repository to resolve them against): every link and image in it must
//! be an absolute `https://` address or an anchor on the page itself.

/// Every link or image target in `markdown`: `[text](target)`, `![alt](target)`,
/// `[label]: target` definitions and HTML `src=`/`href=` attributes.
fn targets(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
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
