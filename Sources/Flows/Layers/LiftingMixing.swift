/// One lifting step of an integer 1×1 mixing:
/// `x[target] += floor((Σ weight_j · x[source_j]) / 2^shift)`.
///
/// Exactly invertible because `target` is not among the sources: the inverse recomputes the same
/// sum from unchanged channels and subtracts it. Arithmetic wraps (two's complement), so hostile
/// inputs to `inverse` cannot trap; on in-range data nothing wraps.
public struct LiftingStep: Sendable, Equatable {
    /// The channel this step changes.
    public let target: Int
    /// The channels read, with integer weights.
    public let sources: [Int]
    /// One integer weight per source.
    public let weights: [Int32]
    /// Power-of-two divisor of the weighted sum (floor division).
    public let shift: Int32

    /// Fails (returns nil) if `target` is a source, counts differ or `shift` is outside 0...30.
    public init?(target: Int, sources: [Int], weights: [Int32], shift: Int32 = 0) {
        guard !sources.contains(target), sources.count == weights.count, (0...30).contains(shift) else { return nil }
        self.target = target
        self.sources = sources
        self.weights = weights
        self.shift = shift
    }
}

/// An integer 1×1 mixing of channels written as a sequence of lifting steps (the triangular
/// factors of an LU-decomposed integer matrix, rounding inside each step).
///
/// Cost: 0 bits — every step is a volume-preserving shear on the integers.
public struct LiftingMixing: Sendable, Equatable {
    /// The steps, applied in order by `forward` and in reverse by `inverse`.
    public let steps: [LiftingStep]
    /// Number of channels the mixing expects.
    public let channels: Int

    /// Fails (returns nil) if a step names a channel outside `0..<channels`.
    public init?(channels: Int, steps: [LiftingStep]) {
        let valid = 0..<channels
        guard steps.allSatisfy({ valid.contains($0.target) && $0.sources.allSatisfy(valid.contains) }) else { return nil }
        self.channels = channels
        self.steps = steps
    }

    /// YCoCg-R (Malvar & Sullivan) on channels (R, G, B), leaving them as (Co, Cg, Y):
    /// `Co = R − B; t = B + ⌊Co/2⌋; Cg = G − t; Y = t + ⌊Cg/2⌋`. Follow it with the permutation
    /// `[2, 0, 1]` to get (Y, Co, Cg). Channels past the third (alpha) are untouched.
    public static func ycocgR(channels: Int = 3) -> LiftingMixing {
        precondition(channels >= 3, "YCoCg-R needs three colour channels")
        return LiftingMixing(channels: channels, steps: [
            LiftingStep(target: 0, sources: [2], weights: [-1])!,          // R ← Co = R − B
            LiftingStep(target: 2, sources: [0], weights: [1], shift: 1)!,  // B ← t = B + ⌊Co/2⌋
            LiftingStep(target: 1, sources: [2], weights: [-1])!,          // G ← Cg = G − t
            LiftingStep(target: 2, sources: [1], weights: [1], shift: 1)!,  // B ← Y = t + ⌊Cg/2⌋
        ])!
    }

    /// Applies the steps in order.
    public func forward(_ x: [Plane]) throws(FlowsError) -> [Plane] {
        var y = try checked(x)
        for step in steps { apply(step, to: &y, sign: 1) }
        return y
    }

    /// Undoes the steps in reverse order.
    public func inverse(_ z: [Plane]) throws(FlowsError) -> [Plane] {
        var x = try checked(z)
        for step in steps.reversed() { apply(step, to: &x, sign: -1) }
        return x
    }

    private func checked(_ x: [Plane]) throws(FlowsError) -> [Plane] {
        guard x.count == channels else { throw FlowsError.shapeMismatch("mixing of \(channels) channels got \(x.count)") }
        guard x.allSatisfy({ $0.width == x[0].width && $0.height == x[0].height }) else {
            throw FlowsError.shapeMismatch("mixed channels differ in size")
        }
        return x
    }

    private func apply(_ step: LiftingStep, to x: inout [Plane], sign: Int32) {
        var target = x[step.target].samples
        let n = target.count
        for i in 0..<n {
            var sum: Int32 = 0
            for (s, w) in zip(step.sources, step.weights) { sum = sum &+ w &* x[s].samples[i] }
            target[i] = target[i] &+ sign &* (sum >> step.shift)
        }
        x[step.target].samples = target
    }
}
