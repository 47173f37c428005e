/* The machine's own limit for out = a * b, for comparison with hadamard: a STREAM-style
 * C kernel, 64M f32, OpenMP threads, with normal and with streaming (non-temporal) stores.
 * GB/s counts 12 bytes per element, as the crate's report does.
 *
 *   gcc -O3 -march=native -fopenmp scripts/c-reference.c -o /tmp/c-reference && /tmp/c-reference
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define N (64L << 20)
#define ROUNDS 15

static double now(void) { return omp_get_wtime(); }

static int cmp(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

int main(void) {
    float *a = aligned_alloc(64, N * sizeof(float));
    float *b = aligned_alloc(64, N * sizeof(float));
    float *c = aligned_alloc(64, N * sizeof(float));
#pragma omp parallel for
    for (long i = 0; i < N; i++) { a[i] = 1.5f; b[i] = 1.25f; c[i] = 0.0f; }

    double normal[ROUNDS], streaming[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        double t = now();
#pragma omp parallel for
        for (long i = 0; i < N; i++) c[i] = a[i] * b[i];
        normal[r] = 12.0 * N / (now() - t) / 1e9;

        t = now();
#pragma omp parallel for
        for (long i = 0; i < N; i += 8)
            _mm256_stream_ps(c + i, _mm256_mul_ps(_mm256_load_ps(a + i), _mm256_load_ps(b + i)));
        _mm_sfence();
        streaming[r] = 12.0 * N / (now() - t) / 1e9;
    }
    qsort(normal, ROUNDS, sizeof(double), cmp);
    qsort(streaming, ROUNDS, sizeof(double), cmp);
    printf("C, %d threads, 64M f32: normal stores %.1f GB/s, streaming stores %.1f GB/s (medians)\n",
           omp_get_max_threads(), normal[ROUNDS / 2], streaming[ROUNDS / 2]);
    return c[N / 2] == 1.875f ? 0 : 1;
}
