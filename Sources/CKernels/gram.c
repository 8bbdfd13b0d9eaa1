#include "gram.h"
#include "raster_network.h"

#if defined(__x86_64__) || defined(__i386__)
#define FZ_X86 1
#endif

// Dot products summed in int32, in pairs of rows that share the column's loads. The compiler turns the
// inner loops into multiply-adds of Int16 pairs (pmaddwd; vpmaddwd on 256 or 512 bits in the wrappers
// below, which compile this same body for wider instruction sets). Integer sums that cannot overflow:
// every path gives the same result.
static inline __attribute__((always_inline)) int32_t dot(const int16_t *x, const int16_t *y, int b) {
    int32_t s = 0;
    for (int k = 0; k < b; k++) s += (int32_t)x[k] * y[k];
    return s;
}

static inline __attribute__((always_inline)) void accumulate(const int16_t *u, int d, int b, const int8_t *scale, int64_t *g) {
    int i = 0;
    for (; i + 1 < d; i += 2) {
        const int16_t *r0 = u + (long)i * b, *r1 = r0 + b;
        g[(long)i * d + i] += (int64_t)dot(r0, r0, b) * scale[i] * scale[i];
        g[(long)i * d + i + 1] += (int64_t)dot(r0, r1, b) * scale[i] * scale[i + 1];
        g[(long)(i + 1) * d + i + 1] += (int64_t)dot(r1, r1, b) * scale[i + 1] * scale[i + 1];
        for (int j = i + 2; j < d; j++) {
            const int16_t *c = u + (long)j * b;
            int32_t s0 = 0, s1 = 0;
            for (int k = 0; k < b; k++) {
                s0 += (int32_t)r0[k] * c[k];
                s1 += (int32_t)r1[k] * c[k];
            }
            g[(long)i * d + j] += (int64_t)s0 * scale[i] * scale[j];
            g[(long)(i + 1) * d + j] += (int64_t)s1 * scale[i + 1] * scale[j];
        }
    }
    if (i < d) g[(long)i * d + i] += (int64_t)dot(u + (long)i * b, u + (long)i * b, b) * scale[i] * scale[i];
}

static void accumulate_portable(const int16_t *u, int d, int b, const int8_t *scale, int64_t *g) {
    accumulate(u, d, b, scale, g);
}

#ifdef FZ_X86
__attribute__((target("avx2")))
static void accumulate_avx2(const int16_t *u, int d, int b, const int8_t *scale, int64_t *g) {
    accumulate(u, d, b, scale, g);
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void accumulate_avx512(const int16_t *u, int d, int b, const int8_t *scale, int64_t *g) {
    accumulate(u, d, b, scale, g);
}
#endif

void fz_gram_accumulate(const int16_t *u, int d, int b, const int8_t *scale, int64_t *g, int kernel) {
    if (kernel < 0) kernel = fz_raster_network_best_kernel();
#ifdef FZ_X86
    if (kernel >= 3) { accumulate_avx512(u, d, b, scale, g); return; }
    if (kernel == 2) { accumulate_avx2(u, d, b, scale, g); return; }
#endif
    accumulate_portable(u, d, b, scale, g);
}
