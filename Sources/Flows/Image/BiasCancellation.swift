/// Bias cancellation for the raster coder (payload version 5), after CALIC and LOCO-I: per
/// context the running mean of the prediction's signed error, added to the next prediction in
/// that context. The weighted predictor's errors are systematic where texture repeats (an edge
/// the predictor rounds the same way each time); the mean removes that part.
///
/// Context: the activity level (the prior context's bucket / 3: 0...6) × the 6-bit texture
/// pattern (`RasterPredictor.texture`), 448 per channel. The error is the base prediction's,
/// `256·v − prediction` in Q8; sum and count halve when the count reaches `halvingCount`, so the
/// mean follows the image. Encoder and decoder call `correctionQ8` then `update` per pixel.
/// Integer only. The sums and counts live in memory it owns (noncopyable, freed in `deinit`), read
/// per pixel through pointers after one range check of the context.
struct BiasCancellation: ~Copyable {
    static let activityLevels = (InterlacedPredictor.contextCount - 1) / 3 + 1
    static let contextCount = activityLevels * 64
    /// Measured on train/validation photos: 128 beat 32, 64 and 256.
    static let halvingCount: Int32 = 128

    /// Each error is clamped to ±`errorLimitQ8` (32768 sample units) before it is added, so a
    /// sum of fewer than 128 errors fits Int32 and the mean is a 32-bit division.
    static let errorLimitQ8: Int64 = 1 << 23

    /// `contextCount` entries each.
    private let sums: UnsafeMutablePointer<Int32>
    private let counts: UnsafeMutablePointer<Int32>

    init() {
        sums = .allocate(capacity: Self.contextCount)
        sums.initialize(repeating: 0, count: Self.contextCount)
        counts = .allocate(capacity: Self.contextCount)
        counts.initialize(repeating: 0, count: Self.contextCount)
    }

    deinit {
        sums.deallocate()
        counts.deallocate()
    }

    /// The context of a pixel whose prior context is `bucket` and texture pattern `texture` (0...63).
    @inline(__always)
    static func context(bucket: UInt8, texture: Int) -> Int {
        min(activityLevels - 1, Int(bucket) / 3) << 6 | texture
    }

    /// The rounded mean error of `context` so far, in Q8 (0 before its first pixel).
    @inline(__always)
    func correctionQ8(_ context: Int) -> Int32 {
        precondition(UInt(bitPattern: context) < UInt(Self.contextCount), "bias context out of range")
        let n = counts[context]
        guard n > 0 else { return 0 }
        // Floor division (|S| + n/2 < 2^31: no overflow).
        let a = sums[context] &+ n >> 1
        let q = a / n
        return a % n < 0 ? q &- 1 : q
    }

    /// Adds the base prediction's error `errorQ8`, clamped to ±`errorLimitQ8`, to `context`.
    @inline(__always)
    mutating func update(_ context: Int, errorQ8: Int64) {
        precondition(UInt(bitPattern: context) < UInt(Self.contextCount), "bias context out of range")
        sums[context] &+= Int32(truncatingIfNeeded: min(max(errorQ8, -Self.errorLimitQ8), Self.errorLimitQ8))
        counts[context] &+= 1  // below halvingCount before this
        if counts[context] >= Self.halvingCount {
            sums[context] >>= 1
            counts[context] >>= 1
        }
    }
}
