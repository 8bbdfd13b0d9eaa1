/// The integer activation of a fixed-point layer.
public enum FixedPointActivation: Sendable, Equatable {
    /// Identity.
    case none
    /// `max(0, x)`.
    case relu
    /// `x ≥ 0 ? x : x >> k` (leaky ReLU with slope 2^−k, floor rounding).
    case leakyRelu(shift: Int32)
}

/// A dense fixed-point layer: `y_j = act((b_j + Σ_i w_ji · x_i) >> shift)`.
///
/// Weights are Int16, accumulation is Int32 with wrapping arithmetic (`&+`, `&*`), rescaling is an
/// arithmetic right shift (floor). So the output is a pure function of the integers, identical on
/// every machine and at encode and decode. Training (FlowTraining) is responsible for choosing
/// weights and shifts whose accumulators do not wrap on real inputs.
public struct FixedPointDense: Sendable, Equatable {
    /// Number of inputs.
    public let inputs: Int
    /// Number of outputs.
    public let outputs: Int
    /// Row-major `outputs × inputs`: `weights[j * inputs + i]` multiplies input `i` into output `j`.
    public let weights: [Int16]
    /// One bias per output, in the accumulator's scale (before the shift).
    public let biases: [Int32]
    /// Power-of-two rescaling after accumulation, in 0...31.
    public let shift: Int32
    /// Applied after the shift.
    public let activation: FixedPointActivation

    /// Fails (returns nil) if the array sizes do not match `inputs`/`outputs` or `shift` is out of range.
    public init?(inputs: Int, outputs: Int, weights: [Int16], biases: [Int32], shift: Int32,
                 activation: FixedPointActivation) {
        guard inputs > 0, outputs > 0, weights.count == inputs * outputs, biases.count == outputs,
              (0...31).contains(shift) else { return nil }
        if case .leakyRelu(let k) = activation, !(0...31).contains(k) { return nil }
        self.inputs = inputs
        self.outputs = outputs
        self.weights = weights
        self.biases = biases
        self.shift = shift
        self.activation = activation
    }

    /// Applies the layer to `x` (`x.count == inputs`), writing `outputs` values into `y`.
    /// Cost: `inputs × outputs` multiply-adds.
    public func apply(_ x: UnsafeBufferPointer<Int32>, into y: UnsafeMutableBufferPointer<Int32>) {
        precondition(x.count == inputs && y.count == outputs)
        weights.withUnsafeBufferPointer { w in
            for j in 0..<outputs {
                var acc = biases[j]
                let row = j * inputs
                for i in 0..<inputs { acc = acc &+ Int32(w[row + i]) &* x[i] }
                acc >>= shift
                switch activation {
                case .none: break
                case .relu: acc = max(0, acc)
                case .leakyRelu(let k): if acc < 0 { acc >>= k }
                }
                y[j] = acc
            }
        }
    }
}

/// A stack of fixed-point dense layers, forward only (the codec never differentiates).
///
/// Invariant: each layer's `inputs` equals the previous layer's `outputs`.
public struct FixedPointNetwork: Sendable, Equatable {
    /// The layers, applied in order.
    public let layers: [FixedPointDense]

    /// Fails (returns nil) if consecutive layers do not chain or there are none.
    public init?(layers: [FixedPointDense]) {
        guard !layers.isEmpty, zip(layers, layers.dropFirst()).allSatisfy({ $0.outputs == $1.inputs }) else { return nil }
        self.layers = layers
    }

    /// Number of inputs of the first layer.
    public var inputs: Int { layers[0].inputs }
    /// Number of outputs of the last layer.
    public var outputs: Int { layers[layers.count - 1].outputs }
    /// Multiply-adds per evaluation.
    public var multiplyAdds: Int { layers.reduce(0) { $0 + $1.inputs * $1.outputs } }

    /// Evaluates the network on `input` (`input.count == inputs`).
    public func forward(_ input: [Int32]) -> [Int32] {
        precondition(input.count == inputs, "network expects \(inputs) inputs")
        var current = input
        for layer in layers {
            var next = [Int32](repeating: 0, count: layer.outputs)
            current.withUnsafeBufferPointer { x in
                next.withUnsafeMutableBufferPointer { y in layer.apply(x, into: y) }
            }
            current = next
        }
        return current
    }
}
