/// Per-file adaptation of the prior: for every (group, context) the encoder picks the `ScaleGrid`
/// index that minimises the exact code length of that context's residuals, and sends it.
///
/// To bound the work, at most `sampleCap` residuals per context are used, taken at an even stride.
/// The search starts at the moment estimate (logistic: E|x| = 2 ln2 · s) and walks downhill one
/// grid step at a time; the cost is unimodal in the scale for a fixed sample. Integer only.
struct ScaleFitter {
    static let sampleCap = 512
    let prior: ResidualPrior
    let groups: Int

    /// Returns one scale index per (group, context), `ImageStreamHeader.unusedScale` where no
    /// residual uses that context.
    func fit(_ records: [BandRecord]) -> [UInt8] {
        let k = InterlacedPredictor.contextCount
        var counts = [Int](repeating: 0, count: groups * k)
        for r in records { for c in r.contexts { counts[r.group * k + Int(c)] += 1 } }
        let strides = counts.map { max(1, ($0 + Self.sampleCap - 1) / Self.sampleCap) }
        var seen = [Int](repeating: 0, count: groups * k)
        var samples = [[(Int32, Int32)]](repeating: [], count: groups * k)
        for r in records {
            for i in r.residuals.indices {
                let key = r.group * k + Int(r.contexts[i])
                if seen[key] % strides[key] == 0 { samples[key].append((r.residuals[i], Int32(r.meansQ8[i]))) }
                seen[key] += 1
            }
        }
        return samples.map { $0.isEmpty ? ImageStreamHeader.unusedScale : UInt8(bestIndex($0)) }
    }

    private func cost(_ s: [(Int32, Int32)], _ index: Int) -> Int64 {
        s.reduce(0) { $0 + prior.costQ16($1.0, scaleIndex: index, meanQ8: $1.1) }
    }

    private func bestIndex(_ s: [(Int32, Int32)]) -> Int {
        let absSumQ8 = s.reduce(Int64(0)) { $0 + (Int64($1.0) << 8 - Int64($1.1)).magnitude.int64 }
        let start = ScaleGrid.index(atLeast: absSumQ8 * 256 / (355 * Int64(s.count)))   // 2 ln 2 ≈ 355/256
        var best = start, bestCost = cost(s, start)
        for step in [-1, 1] {
            var k = best + step
            while (0..<ScaleGrid.count).contains(k) {
                let c = cost(s, k)
                guard c < bestCost else { break }
                best = k
                bestCost = c
                k += step
            }
        }
        return best
    }
}

private extension UInt64 {
    var int64: Int64 { Int64(clamping: self) }
}
