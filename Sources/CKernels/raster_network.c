#include "raster_network.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FZ_X86 1
#endif

enum { H = FZ_RASTER_HIDDEN, TOP = 4095 };

static inline int16_t clip_unit(int32_t acc, int32_t shift) {
    int32_t v = acc >> shift;   // arithmetic shift (floor), as Swift's >>
    return (int16_t)(v < 0 ? 0 : v > TOP ? TOP : v);
}

/// One hidden layer, portable: unsigned arithmetic wraps exactly like Swift's &+ and &*.
static void layer_c(const int16_t *w, const int32_t *b, int32_t shift, const int16_t *x, int inputs, int16_t *y) {
    for (int o = 0; o < H; o++) {
        uint32_t acc = (uint32_t)b[o];
        for (int p = 0; p < inputs / 2; p++) {
            const int16_t *pair = w + (p * H + o) * 2;
            acc += (uint32_t)((int32_t)pair[0] * x[2 * p]) + (uint32_t)((int32_t)pair[1] * x[2 * p + 1]);
        }
        y[o] = clip_unit((int32_t)acc, shift);
    }
}

#ifdef FZ_X86
/// SSE2 (every x86-64): pmaddwd sums each input pair's two products into four outputs at once.
static void layer_sse2(const int16_t *w, const int32_t *b, int32_t shift, const int16_t *x, int inputs, int16_t *y) {
    __m128i acc[H / 4];
    for (int k = 0; k < H / 4; k++) acc[k] = _mm_loadu_si128((const __m128i *)(b + 4 * k));
    for (int p = 0; p < inputs / 2; p++) {
        int32_t pair;
        __builtin_memcpy(&pair, x + 2 * p, 4);
        const __m128i xp = _mm_set1_epi32(pair);
        const int16_t *row = w + p * H * 2;
        for (int k = 0; k < H / 4; k++)
            acc[k] = _mm_add_epi32(acc[k], _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(row + 8 * k)), xp));
    }
    int32_t sums[H];
    for (int k = 0; k < H / 4; k++) _mm_storeu_si128((__m128i *)(sums + 4 * k), acc[k]);
    for (int o = 0; o < H; o++) y[o] = clip_unit(sums[o], shift);
}

__attribute__((target("avx2")))
static void layer_avx2(const int16_t *w, const int32_t *b, int32_t shift, const int16_t *x, int inputs, int16_t *y) {
    __m256i acc[H / 8];
    for (int k = 0; k < H / 8; k++) acc[k] = _mm256_loadu_si256((const __m256i *)(b + 8 * k));
    for (int p = 0; p < inputs / 2; p++) {
        int32_t pair;
        __builtin_memcpy(&pair, x + 2 * p, 4);
        const __m256i xp = _mm256_set1_epi32(pair);
        const int16_t *row = w + p * H * 2;
        for (int k = 0; k < H / 8; k++)
            acc[k] = _mm256_add_epi32(acc[k], _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(row + 16 * k)), xp));
    }
    const __m256i zero = _mm256_setzero_si256(), top = _mm256_set1_epi32(TOP);
    const __m128i count = _mm_cvtsi32_si128(shift);
    int32_t sums[H];
    for (int k = 0; k < H / 8; k++) {
        __m256i v = _mm256_min_epi32(_mm256_max_epi32(_mm256_sra_epi32(acc[k], count), zero), top);
        _mm256_storeu_si256((__m256i *)(sums + 8 * k), v);
    }
    for (int o = 0; o < H; o++) y[o] = (int16_t)sums[o];
}

/// AVX-512 with VNNI: vpdpwssd adds each input pair's two products into sixteen outputs in one
/// instruction (the same wrapping sums as madd then add), four registers cover the layer.
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void layer_avx512(const int16_t *w, const int32_t *b, int32_t shift, const int16_t *x, int inputs, int16_t *y) {
    __m512i acc[H / 16];
    for (int k = 0; k < H / 16; k++) acc[k] = _mm512_loadu_si512((const void *)(b + 16 * k));
    for (int p = 0; p < inputs / 2; p++) {
        int32_t pair;
        __builtin_memcpy(&pair, x + 2 * p, 4);
        const __m512i xp = _mm512_set1_epi32(pair);
        const int16_t *row = w + p * H * 2;
        for (int k = 0; k < H / 16; k++)
            acc[k] = _mm512_dpwssd_epi32(acc[k], _mm512_loadu_si512((const void *)(row + 32 * k)), xp);
    }
    const __m512i zero = _mm512_setzero_si512(), top = _mm512_set1_epi32(TOP);
    const __m128i count = _mm_cvtsi32_si128(shift);
    for (int k = 0; k < H / 16; k++) {
        __m512i v = _mm512_min_epi32(_mm512_max_epi32(_mm512_sra_epi32(acc[k], count), zero), top);
        _mm256_storeu_si256((__m256i *)(y + 16 * k), _mm512_cvtepi32_epi16(v));
    }
}
#endif

/// The output layer: `outputs` rows of H weights (row-major) against h. Integer sums wrap the same in
/// any order, and the exporter keeps them below 2^31, so every path gives the same values.
static void output_c(const fz_raster_network *net, const int16_t *h, int outputs, int32_t *out) {
    for (int k = 0; k < outputs; k++) {
        uint32_t acc = (uint32_t)net->b3[k];
        for (int i = 0; i < H; i++) acc += (uint32_t)((int32_t)net->w3[k * H + i] * h[i]);
        out[k] = ((int32_t)acc) >> net->s3;
    }
}

#ifdef FZ_X86
static void output_sse2(const fz_raster_network *net, const int16_t *h, int outputs, int32_t *out) {
    for (int k = 0; k < outputs; k++) {
        const int16_t *row = net->w3 + k * H;
        __m128i acc = _mm_setzero_si128();
        for (int i = 0; i < H; i += 8)
            acc = _mm_add_epi32(acc, _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(row + i)),
                                                    _mm_loadu_si128((const __m128i *)(h + i))));
        int32_t lanes[4];
        _mm_storeu_si128((__m128i *)lanes, acc);
        uint32_t sum = (uint32_t)net->b3[k] + (uint32_t)lanes[0] + (uint32_t)lanes[1] + (uint32_t)lanes[2] + (uint32_t)lanes[3];
        out[k] = ((int32_t)sum) >> net->s3;
    }
}

__attribute__((target("avx2")))
static void output_avx2(const fz_raster_network *net, const int16_t *h, int outputs, int32_t *out) {
    for (int k = 0; k < outputs; k++) {
        const int16_t *row = net->w3 + k * H;
        __m256i acc = _mm256_setzero_si256();
        for (int i = 0; i < H; i += 16)
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(row + i)),
                                                          _mm256_loadu_si256((const __m256i *)(h + i))));
        int32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, acc);
        uint32_t sum = (uint32_t)net->b3[k];
        for (int j = 0; j < 8; j++) sum += (uint32_t)lanes[j];
        out[k] = ((int32_t)sum) >> net->s3;
    }
}
#endif

int fz_raster_network_best_kernel(void) {
#ifdef FZ_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni")) return 3;
    return __builtin_cpu_supports("avx2") ? 2 : 1;
#else
    return 0;
#endif
}

void fz_raster_network_forward(const fz_raster_network *net, const int16_t *x, int16_t *h1, int16_t *h2,
                               int32_t *out, int kernel) {
    if (kernel < 0) kernel = fz_raster_network_best_kernel();
    const int in = net->inputs < 2 ? 2 : net->inputs > FZ_RASTER_MAX_INPUTS ? FZ_RASTER_MAX_INPUTS : net->inputs & ~1;
#ifdef FZ_X86
    if (kernel == 3) {
        layer_avx512(net->w1, net->b1, net->s1, x, in, h1);
        layer_avx512(net->w2, net->b2, net->s2, h1, H, h2);
    } else if (kernel == 2) {
        layer_avx2(net->w1, net->b1, net->s1, x, in, h1);
        layer_avx2(net->w2, net->b2, net->s2, h1, H, h2);
    } else if (kernel == 1) {
        layer_sse2(net->w1, net->b1, net->s1, x, in, h1);
        layer_sse2(net->w2, net->b2, net->s2, h1, H, h2);
    } else
#endif
    {
        layer_c(net->w1, net->b1, net->s1, x, in, h1);
        layer_c(net->w2, net->b2, net->s2, h1, H, h2);
    }
    const int outputs = net->outputs < 0 ? 0 : net->outputs > FZ_RASTER_MAX_OUTPUTS ? FZ_RASTER_MAX_OUTPUTS : net->outputs;
#ifdef FZ_X86
    if (kernel >= 2) { output_avx2(net, h2, outputs, out); return; }
    if (kernel == 1) { output_sse2(net, h2, outputs, out); return; }
#endif
    output_c(net, h2, outputs, out);
}
