internal import CKernels

/// The learned raster conditioner's network in integer fixed point: the `RasterFeatures` of a
/// sub-pixel (24, or 34 from model 4 on: `inputs`) → two hidden layers → the parameters of a
/// discretized logistic (one component: a mean correction and a log2 scale) or of a mixture of two
/// (two mean corrections, two log2 scales and the first component's weight logit), all Q8. Trained by maximum likelihood
/// (scripts/learned-raster/train.py) and exported with `export.py`, whose integer reference a test
/// checks this code against bit for bit.
///
///     h1 = clip((b1 + W1·x) >> s1, 0, 4095)
///     h2 = clip((b2 + W2·h1) >> s2, 0, 4095)
///     outputs = (b3 + W3·h2) >> s3
///
/// Features are Q4 within ±2048, activations Q8 within 0...4095; the exporter chose every layer's
/// scale so that no sum can reach 2^31 for any input in those ranges (`init` checks it again).
/// The forward pass runs in C (Sources/CKernels): a portable path and SSE2/AVX2 paths picked at
/// run time, which compute the same integers because nothing wraps. Immutable after `init`.
final class RasterNetwork: @unchecked Sendable {
    /// Width of each hidden layer: a constant of payload version 6 (and of the C kernel).
    static let width = Int(FZ_RASTER_HIDDEN)
    var hidden: Int { Self.width }
    static let activationMax: Int32 = 4095
    /// The weights in the kernel's layout (hidden layers pair-interleaved), owned here.
    private let w1: UnsafeMutablePointer<Int16>, w2: UnsafeMutablePointer<Int16>, w3: UnsafeMutablePointer<Int16>
    private let b1: UnsafeMutablePointer<Int32>, b2: UnsafeMutablePointer<Int32>, b3: UnsafeMutablePointer<Int32>
    private let s1: Int32, s2: Int32, s3: Int32
    /// The kernel this process uses (0 portable C, 1 SSE2, 2 AVX2, 3 AVX-512 with VNNI).
    let kernel: Int32
    /// Logistic components of the prior: 1 (outputs: delta, log2 scale) or 2 (outputs: delta 1,
    /// delta 2, log2 scale 1, log2 scale 2, logit of the first component's weight).
    let components: Int
    /// Values `evaluate` writes: 2 for one component, 5 for two.
    var outputs: Int { components == 1 ? 2 : 5 }
    static let maxOutputs = Int(FZ_RASTER_MAX_OUTPUTS)

    /// Features the network reads: `RasterFeatures.count`, or `RasterFeatures.wideCount` (model 4 on).
    let inputs: Int

    /// Multiply-adds per evaluation.
    var multiplyAdds: Int { hidden * (inputs + hidden + outputs) }

    /// The kernel the CPU supports best.
    static let bestKernel = fz_raster_network_best_kernel()

    /// A network from the exporter's integers (row-major weights: output j's row first). Traps
    /// on sizes that do not match or weights that could overflow a sum: the built-in network is
    /// generated source, so this is a programming error, not bad input. `kernel` forces a path (tests).
    init(hidden: Int, w1: [Int32], b1: [Int32], s1: Int32, w2: [Int32], b2: [Int32], s2: Int32,
         w3: [Int32], b3: [Int32], s3: Int32, kernel: Int32 = RasterNetwork.bestKernel) {
        let n = w1.count / max(hidden, 1)
        precondition([RasterFeatures.count, RasterFeatures.wideCount].contains(n) && n <= Int(FZ_RASTER_MAX_INPUTS),
                     "the features' and the C kernel's input counts")
        precondition(hidden == Self.width && w1.count == hidden * n && b1.count == hidden && w2.count == hidden * hidden
                     && b2.count == hidden && [2, 5].contains(b3.count) && w3.count == b3.count * hidden, "raster network sizes")
        precondition([s1, s2, s3].allSatisfy { (0...31).contains($0) }, "raster network shifts")
        func bound(_ w: [Int32], _ b: [Int32], rowLength: Int, inputMax: Int64) -> Bool {
            b.indices.allSatisfy { j in
                let row = w[j * rowLength..<(j + 1) * rowLength]
                return row.allSatisfy { $0.magnitude <= 32767 }
                    && row.reduce(Int64(b[j].magnitude)) { $0 + Int64($1.magnitude) * inputMax } < 1 << 31
            }
        }
        precondition(bound(w1, b1, rowLength: n, inputMax: Int64(RasterFeatures.limit))
                     && bound(w2, b2, rowLength: hidden, inputMax: Int64(Self.activationMax))
                     && bound(w3, b3, rowLength: hidden, inputMax: Int64(Self.activationMax)), "raster network could overflow")
        func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: a.count)
            p.initialize(from: a, count: a.count)
            return p
        }
        // Pair-interleaved: [(pair p, output o, k)] = w[o][2p + k].
        func interleaved(_ w: [Int32], inputs: Int) -> [Int16] {
            var out = [Int16](repeating: 0, count: w.count)
            for p in 0..<inputs / 2 { for o in 0..<hidden { for k in 0..<2 { out[(p * hidden + o) * 2 + k] = Int16(w[o * inputs + 2 * p + k]) } } }
            return out
        }
        self.w1 = copy(interleaved(w1, inputs: n))
        self.w2 = copy(interleaved(w2, inputs: hidden))
        self.w3 = copy(w3.map { Int16($0) })
        (self.b1, self.b2, self.b3) = (copy(b1), copy(b2), copy(b3))
        (self.s1, self.s2, self.s3) = (s1, s2, s3)
        self.kernel = kernel
        inputs = n
        components = b3.count == 2 ? 1 : 2
    }

    deinit {
        for p in [w1, w2, w3] { p.deallocate() }
        for p in [b1, b2, b3] { p.deallocate() }
    }

    /// Evaluates the network on the `inputs` features at `x` (each within ±2048),
    /// leaving the last hidden layer in `h2` and using `h1` as scratch (`hidden` entries each), and
    /// writing its `outputs` values to `out` (Q8, in 8-bit sample units; see `components`).
    @inline(__always)
    func evaluate(_ x: UnsafePointer<Int16>, h1: UnsafeMutablePointer<Int16>, h2: UnsafeMutablePointer<Int16>,
                  out: UnsafeMutablePointer<Int32>) {
        var net = fz_raster_network(w1: w1, b1: b1, s1: s1, w2: w2, b2: b2, s2: s2, w3: w3, b3: b3, s3: s3,
                                    outputs: Int32(outputs), inputs: Int32(inputs))
        fz_raster_network_forward(&net, x, h1, h2, out, kernel)
    }
}

extension RasterNetwork {
    /// The newest model byte: model 5, model 4's coding with a network of one logistic.
    static let latestModel: UInt8 = 5

    /// The models the encoder tries at its default levels (`ImageFlowOptions.rasterNetworks`): one
    /// logistic each, which decode photos 15-20 % faster than the mixture of two. After the per-image
    /// refit, model 1 (no copies) is as good or better on some images (two UKUI wallpapers of the train
    /// split: 7-9 % smaller than with model 4).
    static let fastModels: [UInt8] = [5, 1]
    /// At the slower levels, model 4 too: its mixture of two logistics codes photos smaller.
    static let slowModels: [UInt8] = [4, 5, 1]

    /// The network a stream's model byte names, nil if none: model 1 (one logistic, the first
    /// version 6 streams), model 2 (two) and model 3 (model 2's network; the coding adds colour
    /// copies, `LearnedRasterSide.hasColourCopies`), model 4 (model 3's coding, a network of 34
    /// inputs, `RasterFeatures.writeWide`, trained on a larger corpus), model 5 (model 4's coding and
    /// inputs, a network of one logistic, which decodes faster). The networks are generated
    /// (scripts/learned-raster/train.sh) and part of the format: a new network takes a new byte, and
    /// old ones stay to decode old streams.
    static func model(_ number: UInt8) -> RasterNetwork? {
        switch number {
        case 1: RasterNetworkModel1.network
        case 2, 3: RasterNetworkModel2.network
        case 4: RasterNetworkModel4.network
        case 5: RasterNetworkModel5.network
        default: nil
        }
    }

    /// The newest network (`latestModel`).
    static var builtIn: RasterNetwork { RasterNetworkModel5.network }
}
