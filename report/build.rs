//! Records what the report was compiled for (target and target features), so it can show
//! that the kernels it runs were chosen at run time, not baked in by `-C target-cpu`.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=RUSTFLAGS");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let target = std::env::var("TARGET").unwrap_or_default();
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    println!("cargo::rustc-env=HADAMARD_BUILD_TARGET={target}");
    println!("cargo::rustc-env=HADAMARD_BUILD_TARGET_FEATURES={features}");
}
