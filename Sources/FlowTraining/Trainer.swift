import Flows

/// Settings of a training run.
public struct TrainingConfig: Sendable, Equatable {
    /// Hidden layer widths of the prior network.
    public var hidden: [Int] = [16]
    /// Optimizer steps (minibatches).
    public var steps = 4000
    /// Samples per minibatch.
    public var batch = 1024
    /// Peak Adam learning rate.
    public var learningRate: Float = 3e-3
    /// Seed of everything random (initialisation, crops, minibatches): same seed, same model.
    public var seed: UInt64 = 1
    /// Random crops per training image, at most `cropSide` pixels square.
    public var crops = 8, cropSide = 256
    /// Fraction of each crop's latents kept.
    public var keep: Float = 0.25
    /// Threads computing each step's gradient. The batch is always split into the same
    /// `Trainer.gradientParts` halves, summed in a fixed order, so the model does not depend on
    /// it, and more threads than halves are not used.
    public var threads = Trainer.gradientParts

    /// The defaults used for the built-in model (README, "Training").
    public init() {}
}

/// Everything that changes while training; a checkpoint stores it (`Checkpoint`).
public struct TrainingState: Sendable, Equatable {
    /// The float model being trained.
    public var model: PriorNetwork
    /// Adam's moments and step count.
    public var optimizer: Adam
    /// Draws the minibatches.
    public var rng: SplitMix64
    /// Optimizer steps taken.
    public var step: Int { optimizer.step }
}

/// Minibatch training of the learned prior on (features, latent) pairs: the loss is the
/// discretized-logistic code length in bits (`LogisticLoss`), the gradient is computed over two
/// cores (each half of the batch into its own buffer, summed in a fixed order, so the result does
/// not depend on thread timing or count), and Adam updates the parameters.
public struct Trainer: Sendable {
    /// The run's settings.
    public let config: TrainingConfig
    /// The (features, latent) pairs minibatches are drawn from.
    public let data: TrainingSet
    /// Model, optimizer and generator.
    public var state: TrainingState

    /// A fresh run on `data`. Throws if `data` is empty.
    public init(config: TrainingConfig, data: TrainingSet) throws(TrainingError) {
        guard data.count > 0 else { throw .noImages("the training set (no samples)") }
        guard config.steps > 0, config.batch > 0, config.hidden.allSatisfy({ (1...256).contains($0) }) else {
            throw .invalidArgument("steps, batch and hidden widths must be positive (widths ≤ 256)")
        }
        var rng = SplitMix64(seed: config.seed)
        let net = DenseNetwork(widths: [PriorFeatures.count] + config.hidden + [2], rng: &rng)
        let model = PriorNetwork(inputScale: PriorNetwork.inputScales(of: data), network: net)
        let adam = Adam(parameterCount: net.parameters.count, rate: config.learningRate,
                        warmup: min(200, config.steps / 10 + 1), totalSteps: config.steps)
        self.init(config: config, data: data, state: TrainingState(model: model, optimizer: adam, rng: rng))
    }

    /// Continues from a saved state.
    public init(config: TrainingConfig, data: TrainingSet, state: TrainingState) {
        self.config = config
        self.data = data
        self.state = state
    }

    /// One optimizer step; returns the minibatch's mean bits per latent. Throws on NaN.
    @discardableResult
    public mutating func step() throws(TrainingError) -> Double {
        let indices = (0..<config.batch).map { _ in Int(state.rng.next() % UInt64(data.count)) }
        let (loss, gradient) = lossAndGradient(state.model, indices)
        guard loss.isFinite, gradient.allSatisfy({ $0.isFinite }) else { throw .diverged(step: state.step) }
        state.optimizer.update(&state.model.network.parameters, gradient: gradient)
        return loss
    }

    /// The parts each minibatch's gradient is computed in (and summed from, in order): fixed, since
    /// the sum's rounding depends on them.
    public static let gradientParts = 2

    /// Mean bits and mean parameter gradient over the samples `indices`, on up to `config.threads` threads.
    func lossAndGradient(_ model: PriorNetwork, _ indices: [Int]) -> (Double, [Float]) {
        let parts = Self.gradientParts
        let net = model.network, n = PriorFeatures.count
        let data = self.data
        let results = ParallelJobs.map(parts, threads: min(max(1, config.threads), parts)) { part -> (Double, [Float]) in
            var x = [Float](repeating: 0, count: n), a = [Float](repeating: 0, count: net.activationCount)
            var scratch = [Float](repeating: 0, count: net.scratchCount), dOut: [Float] = [0, 0]
            var g = [Float](repeating: 0, count: net.parameters.count)
            var loss = 0.0
            let lo = indices.count * part / parts, hi = indices.count * (part + 1) / parts
            for k in indices[lo..<hi] {
                for f in 0..<n { x[f] = Float(data.features[k * n + f]) * model.inputScale[f] }
                x.withUnsafeBufferPointer { xp in
                    a.withUnsafeMutableBufferPointer { ap in
                        net.forward(xp.baseAddress!, activations: ap.baseAddress!)
                        let o = net.outputOffset
                        let r = LogisticLoss.bits(value: data.values[k], mean: data.means[k], delta: ap[o], log2Scale: ap[o + 1])
                        loss += Double(r.bits)
                        dOut[0] = r.dDelta
                        dOut[1] = r.dLog2Scale
                        dOut.withUnsafeBufferPointer { dp in
                            g.withUnsafeMutableBufferPointer { gp in
                                scratch.withUnsafeMutableBufferPointer { sp in
                                    net.backward(xp.baseAddress!, activations: UnsafePointer(ap.baseAddress!),
                                                 outputGradient: dp.baseAddress!, gradient: gp.baseAddress!,
                                                 scratch: sp.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
            return (loss, g)
        }
        let losses = results.map { $0.0 }, grads = results.map { $0.1 }
        let scale = 1 / Float(indices.count)
        var total = grads[0]
        for p in 1..<parts { for i in total.indices { total[i] += grads[p][i] } }
        for i in total.indices { total[i] *= scale }
        return (losses.reduce(0, +) / Double(indices.count), total)
    }
}
