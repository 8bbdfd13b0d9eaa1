/// A float multilayer perceptron for training: dense layers, leaky ReLU (slope 1/8) between them,
/// identity on the last. Hand-written backward pass, checked against finite differences in tests.
///
/// All parameters live in one flat array (`parameters`) so Adam and checkpoints treat them as a
/// vector: for each layer, the `outputs × inputs` weights (row-major), then the `outputs` biases.
public struct DenseNetwork: Sendable, Equatable {
    /// Layer widths, input first: `[18, 16, 16, 2]` is two hidden layers of 16.
    public let widths: [Int]
    /// Every weight and bias.
    public var parameters: [Float]
    /// Negative slope of the hidden activations: `2^-3`, which the fixed-point network does as a shift.
    public static let leakShift: Int32 = 3
    static let leak: Float = 1.0 / 8

    /// He-initialised weights, zero biases, from `rng`.
    public init(widths: [Int], rng: inout SplitMix64) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 > 0 })
        self.widths = widths
        var p = [Float]()
        for l in 0..<widths.count - 1 {
            let std = (2 / Float(widths[l])).squareRoot() * (l == widths.count - 2 ? 0.1 : 1)
            for _ in 0..<widths[l] * widths[l + 1] { p.append(std * rng.normal()) }
            p += [Float](repeating: 0, count: widths[l + 1])
        }
        parameters = p
    }

    /// A network with the given parameters (count must match the widths).
    public init(widths: [Int], parameters: [Float]) {
        self.widths = widths
        self.parameters = parameters
        precondition(parameters.count == Self.parameterCount(widths))
    }

    static func parameterCount(_ widths: [Int]) -> Int {
        (0..<widths.count - 1).reduce(0) { $0 + widths[$1] * widths[$1 + 1] + widths[$1 + 1] }
    }

    /// Offset of layer `l`'s weights in `parameters` (its biases follow them).
    func offset(_ l: Int) -> Int { (0..<l).reduce(0) { $0 + widths[$1] * widths[$1 + 1] + widths[$1 + 1] } }

    /// Floats `forward` writes: every layer's outputs, one after the other.
    public var activationCount: Int { widths.dropFirst().reduce(0, +) }
    /// Where the network's outputs start in the activations.
    public var outputOffset: Int { activationCount - widths[widths.count - 1] }
    /// Floats of scratch `backward` needs.
    public var scratchCount: Int { 2 * widths.max()! }

    /// Forward pass of one input; `activations` (`activationCount` floats) receives every layer's
    /// output (pre-activations are not kept: leaky ReLU keeps the sign, which is all backward needs).
    /// The outputs are at `outputOffset`.
    @inline(__always)
    public func forward(_ x: UnsafePointer<Float>, activations a: UnsafeMutablePointer<Float>) {
        parameters.withUnsafeBufferPointer { p in
            // Every index below is within the layers' parameters (`parameterCount`), checked here once;
            // wrapping index arithmetic then lets the inner loops run without overflow checks.
            precondition(p.count == Self.parameterCount(widths), "parameters of the network's widths")
            var input = x
            var out = a
            var o = 0
            for l in 0..<widths.count - 1 {
                let n = widths[l], m = widths[l + 1]
                let last = l == widths.count - 2
                for j in 0..<m {
                    var s = p[o &+ m &* n &+ j]
                    let row = p.baseAddress! + (o &+ j &* n)
                    for i in 0..<n { s += row[i] * input[i] }
                    out[j] = last || s >= 0 ? s : s * Self.leak
                }
                o += m * n + m
                input = UnsafePointer(out)
                out += m
            }
        }
    }

    /// Backward pass of one input after `forward` filled `activations`: adds the parameter
    /// gradient of a loss whose gradient with respect to the outputs is `outputGradient` to `g`.
    @inline(__always)
    public func backward(_ x: UnsafePointer<Float>, activations a: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  gradient g: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let layers = widths.count - 1
        var starts = [Int](repeating: 0, count: layers + 1)   // activation offsets per layer output
        for l in 0..<layers { starts[l + 1] = starts[l] + widths[l + 1] }
        let maxWidth = widths.max()!
        var delta = scratch, next = scratch + maxWidth
        for j in 0..<widths[layers] { delta[j] = outputGradient[j] }
        parameters.withUnsafeBufferPointer { p in
            // As in `forward`: one check that the parameters (and so `g`, the caller's gradient of
            // the same size) cover every layer, then wrapping index arithmetic in the loops.
            precondition(p.count == Self.parameterCount(widths), "parameters of the network's widths")
            for l in stride(from: layers - 1, through: 0, by: -1) {
                let n = widths[l], m = widths[l + 1], o = offset(l)
                let input: UnsafePointer<Float> = l == 0 ? x : a + starts[l - 1]
                for i in 0..<n { next[i] = 0 }
                for j in 0..<m {
                    let d = delta[j]
                    g[o &+ m &* n &+ j] += d
                    let row = o &+ j &* n
                    let gRow = g + row, pRow = p.baseAddress! + row
                    for i in 0..<n {
                        gRow[i] += d * input[i]
                        next[i] += d * pRow[i]
                    }
                }
                if l > 0 {   // through the leaky ReLU of layer l − 1's output
                    for i in 0..<n where input[i] < 0 { next[i] *= Self.leak }
                }
                swap(&delta, &next)
            }
        }
    }
}
