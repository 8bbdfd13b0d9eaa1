// Legacy, decode-only: flowAudio version 1's adaptive filter (layer 4 of `AudioFlowCodec`).
// Pinned by the golden streams Tests/FlowZipTests/Golden/wav-stereo-auto.fz, wav-mono8-auto.fz and
// float32-stereo-flow.fz (container version 1). No encoder writes version 1 any more (FlowZip writes
// `AudioFlowCodec.Version.current`); the decoder runs this filter only for a version 1 payload,
// outside the current version's loops (`AudioFlowDecoder.run` picks the filter type once per chunk).

/// A second autoregressive coupling after the fitted predictor: a sign-sign LMS filter over the
/// predictor's residuals `e`, `z = e - ((Σ_j w[j]·e[i-1-j]) >> 15)`, its weights adapting after each
/// sample by `w[j] += step · sign(z) · sign(e[i-1-j])`. It follows changes inside a block that one
/// fitted predictor per block misses.
///
/// Invariants: integer state only, updated identically by encoder and decoder from values both have,
/// so the layer is an exact bijection on Int32 sequences (wrapping add/subtract); weights clamped to
/// ±2^20 so the Int64 sum of up to 2^11 products of them with Int32 residuals cannot overflow.
struct SignLMS: AdaptiveFilter {
    static let limit: Int32 = 1 << 20
    let order: Int
    let step: Int32
    var weights: [Int32]
    /// The last `order` residuals, most recent first.
    var history: [Int32]

    init(order: Int, step: Int32) {
        self.order = order
        self.step = step
        weights = [Int32](repeating: 0, count: order)
        history = [Int32](repeating: 0, count: order)
    }

    @inline(__always)
    func prediction() -> Int32 {
        var sum: Int64 = 0
        for j in 0..<order { sum &+= Int64(weights[j]) &* Int64(history[j]) }
        return Int32(truncatingIfNeeded: sum >> 15)
    }

    /// Moves past residual `e`, whose latent was `z`.
    @inline(__always)
    mutating func update(e: Int32, z: Int32) {
        let sz = z.signum()
        if sz != 0 {
            for j in 0..<order {
                let w = weights[j] &+ sz &* history[j].signum() &* step
                weights[j] = min(max(w, -Self.limit), Self.limit)
            }
        }
        for j in stride(from: order - 1, to: 0, by: -1) { history[j] = history[j - 1] }
        history[0] = e
    }

    /// The stages applied in turn. Measured on 12 recordings (size vs flac -8): none 0.958, order 16
    /// step 16 0.951, 32/64 0.946, 64/32 0.944, 256/16 0.955; adding a 16-tap stage after 64/32 0.949.
    static let cascade = [SignLMS(order: 64, step: 32)]

    static func forward(_ e: Int32, through stages: inout [SignLMS]) -> Int32 {
        var v = e
        for k in stages.indices { v = stages[k].forward(v) }
        return v
    }

    static func inverse(_ z: Int32, through stages: inout [SignLMS]) -> Int32 {
        var v = z
        for k in stages.indices.reversed() { v = stages[k].inverse(v) }
        return v
    }
}

/// Version 1's filter.
struct WideResidualFilter: ResidualFilter {
    var stages = SignLMS.cascade
    @inline(__always) mutating func inverse(_ z: Int32) -> Int32 { SignLMS.inverse(z, through: &stages) }
}

/// Version 1's filter of one channel, on or off.
enum WideOrNoFilter: ResidualFilter {
    case off
    case wide(WideResidualFilter)

    mutating func inverse(_ z: Int32) -> Int32 {
        switch self {
        case .off: return z
        case .wide(var f):
            self = .off  // keeps the stages' array uniquely referenced while it is modified
            let e = f.inverse(z)
            self = .wide(f)
            return e
        }
    }
}
