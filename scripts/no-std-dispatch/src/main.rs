//! `hadamard` built without `std` (this binary has std, the library does not), on x86_64:
//! the CPU is detected by CPUID all the same.

fn main() {
    #[cfg(target_arch = "x86_64")]
    {
        // What std's detection says this CPU runs, by the crate's preference rule.
        let has = |f: &str| {
            hadamard::cpu_features()
                .iter()
                .find(|(name, _)| *name == f)
                .map(|&(_, has)| has)
        };
        let std_has = [
            ("avx2", std::is_x86_feature_detected!("avx2")),
            ("fma", std::is_x86_feature_detected!("fma")),
            ("f16c", std::is_x86_feature_detected!("f16c")),
            ("avx512f", std::is_x86_feature_detected!("avx512f")),
            ("avx512bw", std::is_x86_feature_detected!("avx512bw")),
            ("avx512dq", std::is_x86_feature_detected!("avx512dq")),
            ("avx512vl", std::is_x86_feature_detected!("avx512vl")),
            ("avx512vbmi2", std::is_x86_feature_detected!("avx512vbmi2")),
        ];
        for (name, std_says) in std_has {
            assert_eq!(has(name), Some(std_says), "{name}: no_std detection against std's");
        }
        let avx512 = std_has[3..].iter().all(|&(_, h)| h);
        let avx2 = std_has[..3].iter().all(|&(_, h)| h);
        let want = if avx512 {
            hadamard::Kernel::Avx512
        } else if avx2 {
            hadamard::Kernel::Avx2
        } else {
            hadamard::Kernel::Sse2
        };
        let got = hadamard::selected_kernel();
        assert_eq!(got, want, "the no_std build runs the kernel std's detection would pick");
        let caches = hadamard::cache_sizes();
        println!("no_std build: kernel {got:?}, caches {caches:?}");
    }
    let a: Vec<f32> = (0..1000).map(|i| i as f32 * 0.5).collect();
    let b: Vec<f32> = (0..1000).map(|i| 3.0 - i as f32).collect();
    let mut out = vec![0.0f32; 1000];
    hadamard::mul_elementwise(&a, &b, &mut out);
    assert!(out.iter().zip(a.iter().zip(&b)).all(|(&o, (&x, &y))| o == x * y));
    println!("no_std build: products right");
}
