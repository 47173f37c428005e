//! The library needs nothing from a build step: CPU features are detected at run time and
//! the kernels are plain Rust. This script exists because the project's layout names a
//! top-level `build.rs`; it emits only `rerun-if-changed` for itself, so cargo runs it
//! once and never again, and a user's build pays just its one compile (well under a
//! second). What the report tool records about its build lives in `report/build.rs`.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
}
