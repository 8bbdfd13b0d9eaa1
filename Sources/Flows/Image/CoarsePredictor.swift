/// The coarsest plane of the hierarchy (at most 8 × 8 pixels, or what is left after
/// `ImageLayout.maxLevels` squeezes) is coded as an autoregressive integer flow in raster order:
/// `z = x − pred(left, up, upper-left)` with the LOCO-I median predictor, and the prior's context
/// from the local gradients. Decoding is sequential here, which is cheap for so few pixels.
enum CoarsePredictor {
    /// Q8 prediction and activity context of pixel `(x, y)` from the already-known pixels before it
    /// in raster order (`values` holds at least those).
    @inline(__always)
    static func predict(_ values: UnsafeBufferPointer<Int32>, x: Int, y: Int, width: Int, activityShift: Int32) -> (Int32, UInt8) {
        if x == 0 && y == 0 { return (0, UInt8(InterlacedPredictor.contextCount - 1)) }
        if y == 0 { return (values[x - 1] << 8, 8) }
        let up = values[(y - 1) * width + x]
        if x == 0 { return (up << 8, 8) }
        let left = values[y * width + x - 1], ul = values[(y - 1) * width + x - 1]
        let med: Int32
        if ul >= max(left, up) { med = min(left, up) } else if ul <= min(left, up) { med = max(left, up) } else { med = left &+ up &- ul }
        let activity = (left &- ul).magnitude32 &+ (up &- ul).magnitude32
        return (med << 8, InterlacedPredictor.bucket(activity >> activityShift))
    }
}
