import EntropyCoding

/// Histogram compaction: the sorted set of sample values a channel actually uses, mapped onto
/// `0..<count` (a monotone bijection between that set and its indices).
///
/// Images whose samples use few of the possible values — 8-bit data stored in 16 bits (`v · 257`),
/// histogram-stretched photos — otherwise pay for the gaps: a smooth prior spreads mass over
/// values that never occur. After compaction the gaps are gone.
/// Cost: 0 bits per sample; the set itself travels as side information (`serialized`).
public struct ValueCompaction: Sendable, Equatable {
    /// The used values, strictly increasing; index `k` stands for `values[k]`.
    public let values: [Int32]
    /// Values lie in `0..<range`.
    public let range: Int

    /// The values used in `planes`, which must all lie in `0..<range`.
    public init(usedIn planes: [Plane], range: Int) {
        var used = [Bool](repeating: false, count: range)
        for p in planes { for v in p.samples { used[Int(v)] = true } }
        self.values = used.indices.filter { used[$0] }.map { Int32($0) }
        self.range = range
    }

    /// The set as side information: LEB128 varints — the count, the first value, then the gaps
    /// between consecutive values (each ≥ 1). 8-bit data stored in 16 bits costs about 2 bytes a
    /// value.
    public var serialized: [UInt8] {
        var out = [UInt8]()
        func put(_ v: Int) { LEB128.append(UInt64(v), to: &out) }
        put(values.count)
        var previous: Int32 = 0
        for (k, v) in values.enumerated() {
            put(Int(k == 0 ? v : v - previous))
            previous = v
        }
        return out
    }

    /// Reads a set written by `serialized` from `bytes` at `offset`, advancing it. Throws unless
    /// the set is non-empty, strictly increasing and inside `0..<range`.
    public init(parsing bytes: [UInt8], at offset: inout Int, range: Int) throws(FlowsError) {
        func get() throws(FlowsError) -> Int {
            do {
                return Int(try LEB128.read(bytes, at: &offset, maxBits: 35))
            } catch .truncated {
                throw FlowsError.truncated("compaction set")
            } catch {
                throw FlowsError.corrupt("compaction varint too long")
            }
        }
        let count = try get()
        guard (1...range).contains(count) else { throw FlowsError.corrupt("compaction set of \(count) values") }
        var values = [Int32]()
        values.reserveCapacity(count)
        var v = -1
        for k in 0..<count {
            let step = try get()
            guard k == 0 || step >= 1 else { throw FlowsError.corrupt("compaction set not increasing") }
            v = k == 0 ? step : v + step
            guard v < range else { throw FlowsError.corrupt("compaction value \(v) outside 0..<\(range)") }
            values.append(Int32(v))
        }
        self.values = values
        self.range = range
    }

    /// Values → indices. Throws if a sample is not in the set.
    public func forward(_ x: Plane) throws(FlowsError) -> Plane {
        var index = [Int32](repeating: -1, count: range)
        for (k, v) in values.enumerated() { index[Int(v)] = Int32(k) }
        var y = x
        for i in y.samples.indices {
            let v = Int(x.samples[i])
            guard v >= 0, v < range, index[v] >= 0 else { throw FlowsError.shapeMismatch("sample \(v) is not in the compaction set") }
            y.samples[i] = index[v]
        }
        return y
    }

    /// Indices → values. Throws if an index is outside `0..<values.count`.
    public func inverse(_ z: Plane) throws(FlowsError) -> Plane {
        var x = z
        for i in x.samples.indices {
            let k = Int(z.samples[i])
            guard k >= 0, k < values.count else { throw FlowsError.corrupt("compacted index \(k) outside 0..<\(values.count)") }
            x.samples[i] = values[k]
        }
        return x
    }

    /// Whether compacting pays for its side information: at least half the values unused, and
    /// the set smaller than the roughly `⌊log2(range / count)⌋` bits per sample it saves.
    public func pays(forSamples samples: Int) -> Bool {
        guard !values.isEmpty, values.count * 2 <= range else { return false }
        let ratio = range / values.count
        let saved = ratio.bitWidth - ratio.leadingZeroBitCount - 1
        return serialized.count * 8 < samples * saved
    }
}
