/// Errors reading a model file (`.fzm`): each names what is wrong.
public enum ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes do not start with the model magic.
    case notAModel
    /// A version this build does not read.
    case unsupportedVersion(Int)
    /// The file ends before `what`.
    case truncated(String)
    /// The CRC-32 does not match the contents.
    case checksumMismatch
    /// A field holds an impossible value.
    case invalid(String)

    public var description: String {
        switch self {
        case .notAModel: return "not a FlowZip model file (bad magic)"
        case .unsupportedVersion(let v): return "unsupported model file version \(v)"
        case .truncated(let what): return "truncated model file: \(what)"
        case .checksumMismatch: return "model file checksum mismatch (the file is damaged)"
        case .invalid(let what): return "invalid model file: \(what)"
        }
    }
}

/// The model file format (`.fzm`), specified byte by byte in FORMAT.md ("Model file"):
/// magic `89 46 5A 4D`, version, kind, feature set, layer count, the layers (shape, shift,
/// activation, Int16 weights, Int32 biases, little-endian), then a CRC-32 of everything before it.
/// The model id is the 64-bit FNV-1a hash of the whole file (0 mapped to 1, since 0 means "no model").
public enum ModelFile {
    /// `\x89FZM`.
    public static let magic: [UInt8] = [0x89, 0x46, 0x5A, 0x4D]
    /// Format version written and read.
    public static let version: UInt8 = 1
    /// Kind 1: image residual prior (`ImagePriorModel`).
    public static let imagePriorKind: UInt8 = 1
    /// Feature set 1: `PriorFeatures` as documented there.
    public static let featureSet: UInt8 = 1
    /// Layers are at most this wide, and a file holds at most this many layers.
    public static let maxWidth = 1024, maxLayers = 16

    /// The model's file bytes.
    public static func serialize(_ model: ImagePriorModel) -> [UInt8] {
        var out = magic + [version, imagePriorKind, featureSet, UInt8(model.network.layers.count)]
        for layer in model.network.layers {
            out.append(contentsOf: le(UInt16(layer.inputs)))
            out.append(contentsOf: le(UInt16(layer.outputs)))
            out.append(UInt8(layer.shift))
            switch layer.activation {
            case .none: out += [0, 0]
            case .relu: out += [1, 0]
            case .leakyRelu(let k): out += [2, UInt8(k)]
            }
            out.append(0)
            for w in layer.weights { out.append(contentsOf: le(UInt16(bitPattern: w))) }
            for b in layer.biases { out.append(contentsOf: le(UInt32(bitPattern: b))) }
        }
        out.append(contentsOf: le(CRC32.checksum(out)))
        return out
    }

    /// Parses and validates a model file; every malformed file throws a `ModelFileError`.
    public static func parse(_ bytes: some Collection<UInt8>) throws(ModelFileError) -> ImagePriorModel {
        let p = Array(bytes)
        guard p.count >= 8 else { throw p.starts(with: magic.prefix(p.count)) && !p.isEmpty ? .truncated("header") : .notAModel }
        guard Array(p[0..<4]) == magic else { throw .notAModel }
        guard p[4] == version else { throw .unsupportedVersion(Int(p[4])) }
        guard p.count >= 12 else { throw .truncated("checksum") }
        let stored = u32(p, p.count - 4)
        guard CRC32.checksum(p[0..<p.count - 4]) == stored else { throw .checksumMismatch }
        guard p[5] == imagePriorKind else { throw .invalid("model kind \(p[5]) (1 = image prior)") }
        guard p[6] == featureSet else { throw .invalid("feature set \(p[6]) (this build knows 1)") }
        let count = Int(p[7])
        guard (1...maxLayers).contains(count) else { throw .invalid("\(count) layers") }
        var o = 8
        var layers = [FixedPointDense]()
        let end = p.count - 4
        for l in 0..<count {
            guard o + 8 <= end else { throw .truncated("layer \(l) header") }
            let inputs = Int(u16(p, o)), outputs = Int(u16(p, o + 2))
            let shift = Int32(p[o + 4]), act = p[o + 5], k = Int32(p[o + 6])
            guard (1...maxWidth).contains(inputs), (1...maxWidth).contains(outputs) else {
                throw .invalid("layer \(l) shape \(inputs)×\(outputs)")
            }
            guard p[o + 7] == 0, act <= 2, act == 2 || k == 0 else { throw .invalid("layer \(l) activation") }
            o += 8
            let n = inputs * outputs
            guard o + 2 * n + 4 * outputs <= end else { throw .truncated("layer \(l) weights") }
            let weights = (0..<n).map { Int16(bitPattern: u16(p, o + 2 * $0)) }
            o += 2 * n
            let biases = (0..<outputs).map { Int32(bitPattern: u32(p, o + 4 * $0)) }
            o += 4 * outputs
            let activation: FixedPointActivation = act == 0 ? .none : act == 1 ? .relu : .leakyRelu(shift: k)
            guard let layer = FixedPointDense(inputs: inputs, outputs: outputs, weights: weights, biases: biases,
                                              shift: shift, activation: activation) else {
                throw .invalid("layer \(l) shift \(shift) or activation shift \(k)")
            }
            layers.append(layer)
        }
        guard o == end else { throw .invalid("\(end - o) bytes after the last layer") }
        guard let network = FixedPointNetwork(layers: layers) else { throw .invalid("layers do not chain") }
        guard let model = ImagePriorModel(network: network) else {
            throw .invalid("network is \(network.inputs) → \(network.outputs), the image prior needs \(PriorFeatures.count) → 2")
        }
        return model
    }

    /// The model id: 64-bit FNV-1a of the file bytes; 0 (reserved for "no model") becomes 1.
    public static func id(of model: ImagePriorModel) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in serialize(model) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h == 0 ? 1 : h
    }

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    static func u16(_ p: [UInt8], _ o: Int) -> UInt16 { UInt16(p[o]) | UInt16(p[o + 1]) << 8 }
    static func u32(_ p: [UInt8], _ o: Int) -> UInt32 {
        UInt32(p[o]) | UInt32(p[o + 1]) << 8 | UInt32(p[o + 2]) << 16 | UInt32(p[o + 3]) << 24
    }
}

/// CRC-32 (ISO-HDLC, as zlib computes it), bitwise table: model files are small.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
