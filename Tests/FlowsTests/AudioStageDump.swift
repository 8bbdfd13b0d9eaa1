import Foundation
import Testing
@testable import Flows

/// Writes every stage of flowAudio's encoder per sample, so that `bench/tools/audio_stage_model.py` can
/// measure the two candidate learned models of issue 6's audio side: a warm start of the adaptive
/// filter (its ceiling: the filter already run once over the same channel) and a learned stage-2
/// value predictor on causal features. Runs only when `FLOWZIP_AUDIO_STAGES` is set, as
/// `WAV_DIRECTORY:OUTPUT_DIRECTORY[:CLIP_FRAMES]`; with CLIP_FRAMES, each recording is cut to its first
/// CLIP_FRAMES frames first (the short-file dev set).
///
/// Output per recording, `NAME.stg`, little-endian: Int32 channel count, frame count, filter input
/// shift per channel (−1: filter off), Float64 side-information bits (every uniform field the encoder
/// sends: wasted bits, filter fields, per block the coupling, orders, precisions, shifts and
/// coefficients; not the scale table), Float64 scale-table bits; then per latent, frame by frame and
/// channel by channel (decoding order), Int32 `x` (the coupled signal), `e` (the block predictor's
/// residual), `z` (the latent, after the filter when it is on), `zWarm` (the latent had the filter
/// already run over the whole channel once: the warm start's ceiling). And `NAME.lpc`, Int32, per block
/// and channel: the predictor's order, precision, shift and 32 coefficients (zero past the order).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_AUDIO_STAGES"] != nil))
struct AudioStageDump {
    struct Stages {
        var x: [[Int32]] = [], e: [[Int32]] = [], z: [[Int32]] = [], zWarm: [[Int32]] = []
        var shifts: [Int32] = []
        var sideBits = 0.0
        /// Per block and channel: order, precision, shift, then 32 coefficients (zero past the order).
        var predictors: [Int32] = []
    }

    /// The block predictors from a block's fields (FORMAT.md, flowAudio payload, step 3).
    static func predictors(_ fields: [CodedField], channels: Int) -> [Int32] {
        var out: [Int32] = []
        var k = channels == 2 ? 1 : 0
        for _ in 0..<channels {
            let order = AudioFlowCodec.orders[Int(fields[k].value)]
            k += 1
            var record = [Int32](repeating: 0, count: 3 + LinearPredictor.maxOrder)
            record[0] = Int32(order)
            if order > 0 {
                let p = Int(fields[k].value) + 8
                record[1] = Int32(p)
                record[2] = Int32(fields[k + 1].value)
                for j in 0..<order { record[3 + j] = Int32(fields[k + 2 + j].value) - Int32(1 << (p - 1)) }
                k += 2 + order
            }
            out += record
        }
        return out
    }

    static func stages(_ input: [[Int32]]) -> Stages {
        var out = Stages()
        let encoder = AudioFlowEncoder(channels: input)
        var x = input
        for c in x.indices {
            let ored = x[c].reduce(Int32(0)) { $0 | $1 }
            let w = ored == 0 ? 0 : ored.trailingZeroBitCount
            out.sideBits += 5
            if w > 0 { x[c] = x[c].map { $0 >> Int32(w) } }
        }
        out.x = Array(repeating: [], count: x.count)
        out.e = out.x
        for range in AudioFlowCodec.blocks(x[0].count) {
            let block = encoder.fitBlock(x, range)
            for f in block.fields { out.sideBits += log2(Double(f.count)) }
            out.predictors += predictors(block.fields, channels: x.count)
            for c in x.indices {
                out.e[c].append(contentsOf: block.residuals[c])
            }
            // The coupled signal the predictor saw: for stereo, the block's mode is the first field.
            if x.count == 2 {
                let mode = ChannelLifting(rawValue: Int(block.fields[0].value))!
                let (start, s) = AudioFlowCodec.coupled(x, range, mode: mode)
                for c in 0..<2 { out.x[c].append(contentsOf: s[c][(range.lowerBound - start)...]) }
            } else {
                for c in x.indices { out.x[c].append(contentsOf: x[c][range]) }
            }
        }
        for c in x.indices {
            let residuals = out.e[c]
            let mean = residuals.reduce(UInt64(0)) { $0 &+ UInt64($1.magnitude) } / UInt64(max(residuals.count, 1))
            let shift = LMSLanes.inputShift(meanMagnitude: mean)
            var filter = SaturatingSignLMS(inputShift: shift)
            let filtered = residuals.map { filter.forward($0) }
            let warm = residuals.map { filter.forward($0) }  // the same filter, second pass
            filter.deallocate()
            out.sideBits += log2(26)
            if AudioFlowEncoder.estimatedBits(filtered) < AudioFlowEncoder.estimatedBits(residuals) {
                out.z.append(filtered)
                out.zWarm.append(warm)
                out.shifts.append(Int32(shift))
            } else {
                out.z.append(residuals)
                out.zWarm.append(residuals)
                out.shifts.append(-1)
            }
        }
        return out
    }

    /// The scale table's bits as the encoder sends it (first bucket, count, one code per bucket).
    static func tableBits(_ z: [[Int32]]) -> Double {
        var contexts = [ScaleContext](repeating: ScaleContext(), count: z.count)
        var used = Set<Int>()
        for i in z[0].indices { for c in z.indices {
            used.insert(contexts[c].bucket)
            contexts[c].update(z[c][i])
        } }
        let first = used.min() ?? 0, last = used.max() ?? 0
        return log2(Double(ScaleContext.bucketCount)) + log2(Double(ScaleContext.bucketCount - first))
            + Double(last - first + 1) * log2(Double(ScaleCode.maxCode + 1))
    }

    @Test func dump() throws {
        let spec = ProcessInfo.processInfo.environment["FLOWZIP_AUDIO_STAGES"]!.split(separator: ":").map(String.init)
        try #require(spec.count == 2 || spec.count == 3)
        let (source, target) = (spec[0], spec[1])
        let clip = spec.count == 3 ? Int(spec[2]) : nil
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        var written = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: source).sorted() where name.hasSuffix(".wav") {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source + "/" + name)))
            guard var x = AudioLatentDump.pcm16(bytes), !x[0].isEmpty else { continue }
            if let clip { x = x.map { Array($0.prefix(clip)) } }
            let s = Self.stages(x)
            let head = [Int32(x.count), Int32(x[0].count)] + s.shifts
            var data = head.withUnsafeBufferPointer { Data(buffer: $0) }
            let bits = [s.sideBits, Self.tableBits(s.z)]
            data.append(bits.withUnsafeBufferPointer { Data(buffer: $0) })
            var body: [Int32] = []
            body.reserveCapacity(4 * x.count * x[0].count)
            for i in x[0].indices { for c in x.indices {
                body += [s.x[c][i], s.e[c][i], s.z[c][i], s.zWarm[c][i]]
            } }
            data.append(body.withUnsafeBufferPointer { Data(buffer: $0) })
            try data.write(to: URL(fileURLWithPath: target + "/" + name.dropLast(4) + ".stg"))
            let lpc = s.predictors.withUnsafeBufferPointer { Data(buffer: $0) }
            try lpc.write(to: URL(fileURLWithPath: target + "/" + name.dropLast(4) + ".lpc"))
            written += 1
        }
        #expect(written > 0)
    }
}
