import EntropyCoding

/// The prior of factored-out latents: a discretized logistic per element, from what the decoder
/// knows when it pops them (the kept half, and the latents popped before this one).
public protocol ConditionalPrior {
    /// What the prior reads (the kept part of the flow's state).
    associatedtype Condition
    /// The distribution of latent `index`, given `condition` and the latents `0..<index`
    /// (`earlier.count == index`). Must be a pure integer function of its arguments.
    func distribution(at index: Int, given condition: Condition, earlier: ArraySlice<Int32>) -> DiscretizedLogistic
}

/// Multi-scale factor-out: latents leave the flow here and go onto the rANS stack under a prior
/// conditioned on what stays (and, autoregressively, on the latents before them).
///
/// `forward` pushes the latents last to first, so `inverse` pops them first to last — the order in
/// which each one's condition becomes known. Cost: `Σ −log2 p(z_i | condition, z_<i)` bits, the
/// only place a volume-preserving flow pays (values outside the prior's window pay its escape).
///
/// The image codec (`InterlacedFlow`) factors out its bands the same way, with the coupling and
/// the prior interleaved per pixel (`BandResolver`), because its translations read decoded pixels.
public struct FactorOut<Prior: ConditionalPrior> {
    public let prior: Prior

    public init(prior: Prior) { self.prior = prior }

    /// Pushes `latents` (the factored-out half) onto `stack`.
    public func forward(_ latents: [Int32], given condition: Prior.Condition, stack: inout RansStack) {
        for i in latents.indices.reversed() {
            stack.push(escaping: latents[i], prior.distribution(at: i, given: condition, earlier: latents[..<i]))
        }
    }

    /// Pops `count` latents off `stack`.
    public func inverse(count: Int, given condition: Prior.Condition, stack: inout RansStack) -> [Int32] {
        var latents = [Int32]()
        latents.reserveCapacity(count)
        for i in 0..<count {
            latents.append(stack.pop(escaping: prior.distribution(at: i, given: condition, earlier: latents[..<i])))
        }
        return latents
    }
}
