// The mean refit's normal equations (Flows' LearnedRasterCoder.RefitStatistics): the Gram matrix of
// a batch of Int16 inputs, a large part of the encoder's work. In C so that it vectorises in every build
// (Swift's SIMD types are not specialised in debug builds, which made the test suite's encodes slow).
#ifndef FLOWZIP_GRAM_H
#define FLOWZIP_GRAM_H

#include <stdint.h>

/// Adds the batch `u` (`d` rows of `b` samples, row i at `u + i * b`) to the upper triangle of the
/// `d × d` row-major `g`: `g[i * d + j] += scale[i] * scale[j] * Σ_k u[i * b + k] * u[j * b + k]` for
/// `j >= i`. The caller bounds the inputs so that each row's dot products fit int32 (|u| ≤ 4095,
/// b ≤ 128). `kernel` as `fz_raster_network_forward`'s (0 and 1 portable C, 2 AVX2, 3 AVX-512; -1
/// the best this CPU has): every kernel gives the same sums.
void fz_gram_accumulate(const int16_t *u, int d, int b, const int8_t *scale, int64_t *g, int kernel);

#endif
