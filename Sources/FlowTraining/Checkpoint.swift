import Flows

/// A training checkpoint: the whole `TrainingState` (network, input scales, Adam moments and
/// step, minibatch generator), so `--resume` continues exactly where the run stopped.
///
/// Layout (little-endian): magic `FZCK`, u32 version 1, u32 layer-width count and the widths,
/// u64 generator state, i64 step, f32 rate, i64 warm-up, i64 total steps, then the input scales,
/// parameters, first and second moments as f32 arrays (lengths implied by the widths).
public enum Checkpoint {
    static let magic = Array("FZCK".utf8)

    /// The checkpoint bytes of `s`.
    public static func serialize(_ s: TrainingState) -> [UInt8] {
        var out = magic
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func putF(_ v: [Float]) { for x in v { put(x.bitPattern) } }
        put(UInt32(1))
        put(UInt32(s.model.network.widths.count))
        for w in s.model.network.widths { put(UInt32(w)) }
        put(s.rng.state)
        put(Int64(s.optimizer.step))
        put(s.optimizer.rate.bitPattern)
        put(Int64(s.optimizer.warmup))
        put(Int64(s.optimizer.totalSteps))
        putF(s.model.inputScale)
        putF(s.model.network.parameters)
        putF(s.optimizer.m)
        putF(s.optimizer.v)
        return out
    }

    /// The state a checkpoint holds; a damaged or foreign file throws `badCheckpoint`.
    public static func parse(_ bytes: [UInt8]) throws(TrainingError) -> TrainingState {
        var o = 0
        func get<T: FixedWidthInteger>(_: T.Type) throws(TrainingError) -> T {
            guard o + MemoryLayout<T>.size <= bytes.count else { throw .badCheckpoint("truncated") }
            var v: T = 0
            for k in 0..<MemoryLayout<T>.size { v |= T(bytes[o + k]) << (8 * k) }
            o += MemoryLayout<T>.size
            return v
        }
        func getF(_ n: Int) throws(TrainingError) -> [Float] {
            var out = [Float]()
            for _ in 0..<n { out.append(Float(bitPattern: try get(UInt32.self))) }
            return out
        }
        guard bytes.count >= 4, Array(bytes[0..<4]) == magic else { throw .badCheckpoint("not a FlowZip checkpoint") }
        o = 4
        guard try get(UInt32.self) == 1 else { throw .badCheckpoint("unknown version") }
        let count = Int(try get(UInt32.self))
        guard (2...16).contains(count) else { throw .badCheckpoint("\(count) layer widths") }
        var widths = [Int]()
        for _ in 0..<count { widths.append(Int(try get(UInt32.self))) }
        guard widths.allSatisfy({ (1...1024).contains($0) }), widths.first == PriorFeatures.count, widths.last == 2 else {
            throw .badCheckpoint("widths \(widths)")
        }
        let rng = SplitMix64(seed: try get(UInt64.self))
        let step = Int(try get(Int64.self))
        let rate = Float(bitPattern: try get(UInt32.self))
        let warmup = Int(try get(Int64.self)), total = Int(try get(Int64.self))
        guard step >= 0, warmup >= 0, total > 0, rate.isFinite else { throw .badCheckpoint("optimizer fields") }
        let scales = try getF(widths[0])
        let p = DenseNetwork.parameterCount(widths)
        let params = try getF(p), m = try getF(p), v = try getF(p)
        guard o == bytes.count else { throw .badCheckpoint("trailing bytes") }
        var adam = Adam(parameterCount: p, rate: rate, warmup: warmup, totalSteps: total)
        adam.m = m
        adam.v = v
        adam.step = step
        let model = PriorNetwork(inputScale: scales, network: DenseNetwork(widths: widths, parameters: params))
        return TrainingState(model: model, optimizer: adam, rng: rng)
    }
}
