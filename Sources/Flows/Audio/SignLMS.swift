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

/// A causal adaptive filter as an additive coupling along time: the latent is the residual minus the
/// filter's prediction from the past, and both directions update the filter with the same (e, z).
protocol AdaptiveFilter {
    func prediction() -> Int32
    mutating func update(e: Int32, z: Int32)
}

extension AdaptiveFilter {
    /// Forward: the latent of residual `e`.
    @inline(__always)
    mutating func forward(_ e: Int32) -> Int32 {
        let z = e &- prediction()
        update(e: e, z: z)
        return z
    }

    /// Inverse: the residual of latent `z`.
    @inline(__always)
    mutating func inverse(_ z: Int32) -> Int32 {
        let e = z &+ prediction()
        update(e: e, z: z)
        return e
    }
}
