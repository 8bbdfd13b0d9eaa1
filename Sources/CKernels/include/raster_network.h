// The learned raster conditioner's network forward pass (Flows' RasterNetwork), with a portable
// C path and SSE2/AVX2/AVX-512 paths chosen at run time. Every path computes the same integers: the
// exporter bounds the weights so that no sum can wrap.
#ifndef FLOWZIP_RASTER_NETWORK_H
#define FLOWZIP_RASTER_NETWORK_H

#include <stdint.h>

#define FZ_RASTER_MAX_INPUTS 34
#define FZ_RASTER_HIDDEN 64
#define FZ_RASTER_MAX_OUTPUTS 8

/// Weights of one hidden layer in pair-interleaved order: for input pair p and output o,
/// `w[(p * FZ_RASTER_HIDDEN + o) * 2 + k]` is the weight of input 2p + k into output o.
typedef struct {
    const int16_t *w1;   // inputs / 2 pairs
    const int32_t *b1;
    int32_t s1;
    const int16_t *w2;   // FZ_RASTER_HIDDEN / 2 pairs
    const int32_t *b2;
    int32_t s2;
    const int16_t *w3;   // `outputs` rows of FZ_RASTER_HIDDEN (row-major)
    const int32_t *b3;
    int32_t s3;
    int32_t outputs;     // 1...FZ_RASTER_MAX_OUTPUTS
    int32_t inputs;      // even, 2...FZ_RASTER_MAX_INPUTS
} fz_raster_network;

/// h1 = clip((b1 + W1 x) >> s1, 0, 4095), h2 likewise from h1, out = (b3 + W3 h2) >> s3 (`outputs` values).
/// `kernel`: 0 = portable C, 1 = SSE2, 2 = AVX2, 3 = AVX-512 with VNNI (x86 only; others run the C
/// path), -1 = the best this CPU has (asked on every call: callers ask `fz_raster_network_best_kernel`
/// once instead).
void fz_raster_network_forward(const fz_raster_network *net, const int16_t *x, int16_t *h1, int16_t *h2,
                               int32_t *out, int kernel);

/// The kernel -1 resolves to on this CPU (0...3).
int fz_raster_network_best_kernel(void);

#endif
