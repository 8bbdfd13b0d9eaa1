// Legacy, decode-only: image flow payload version 4, raster order before bias cancellation.
// Pinned by FormatTests' version 4 goldens (`goldenV4`), Tests/FlowZipTests/Golden/flow-jpeg-colour.bin,
// and the container goldens ppm-flow-handmade-raster-v4.fz, png-flow-raster-v4.fz and
// flow-small-packed-raster-v4.fz. No encoder writes version 4 any more (raster strips are version 5,
// `RasterVersion5`); `RasterCoder.decode` runs its loop specialised for this type, so the current
// version's loop tests no version per pixel.

/// Payload version 4's `RasterPredictor`: four sub-predictors (no gradient, no texture pattern) and
/// no `BiasCancellation`.
enum RasterVersion4: RasterVersion {
    static var refined: Bool { false }

    /// Plain N, W, N. Version 4 was written with `n8 − (teW + teN + teNE) · (16 >> 5)` and the like:
    /// Swift's `>>` binds tighter than `*`, so each multiplier was 0. Version 4 streams depend on it.
    @inline(__always)
    static func correctedSubPredictions(n8: Int64, w8: Int64, teN: Int64, teW: Int64, teNW: Int64,
                                        teNE: Int64) -> (Int64, Int64, Int64) {
        (n8, w8, n8)
    }
}
