import Foundation
import Testing
@testable import Flows

/// Writes flowAudio's latents (the values its prior codes: after wasted bits, coupling, the block
/// predictors and the adaptive filter, exactly as the current encoder computes them) for every 16-bit
/// WAV of a directory, so that `bench/tools/audio_scale_model.py` can measure whether a learned
/// scale beats `ScaleContext` (issue 6). Runs only when `FLOWZIP_AUDIO_LATENTS` is set, as
/// `WAV_DIRECTORY:OUTPUT_DIRECTORY`. Output per recording: `NAME.lat`, little-endian Int32, a header
/// of channel count and frame count, then per latent, frame by frame and channel by channel (decoding
/// order), the latent and its `ScaleContext` bucket.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOWZIP_AUDIO_LATENTS"] != nil))
struct AudioLatentDump {
    /// The samples of a 16-bit PCM WAV file, planar; nil for anything else.
    static func pcm16(_ b: [UInt8]) -> [[Int32]]? {
        func u16(_ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard b.count >= 12, b[0..<4].elementsEqual("RIFF".utf8), b[8..<12].elementsEqual("WAVE".utf8) else { return nil }
        var offset = 12, channels = 0, bits = 0
        while offset + 8 <= b.count {
            let size = u32(offset + 4), body = offset + 8
            if b[offset..<offset + 4].elementsEqual("fmt ".utf8) { channels = u16(body + 2); bits = u16(body + 14) }
            if b[offset..<offset + 4].elementsEqual("data".utf8) {
                guard bits == 16, (1...8).contains(channels) else { return nil }
                let frames = min(size, b.count - body) / (2 * channels)
                var x = [[Int32]](repeating: [], count: channels)
                for i in 0..<frames { for c in 0..<channels {
                    x[c].append(Int32(Int16(bitPattern: UInt16(u16(body + 2 * (i * channels + c))))))
                } }
                return x
            }
            offset = body + size + (size & 1)
        }
        return nil
    }

    /// The current encoder's latents (`AudioFlowEncoder.run` up to the prior).
    static func latents(_ input: [[Int32]]) -> [[Int32]] {
        let encoder = AudioFlowEncoder(channels: input)
        var x = input
        for c in x.indices {
            let ored = x[c].reduce(Int32(0)) { $0 | $1 }
            let w = ored == 0 ? 0 : ored.trailingZeroBitCount
            if w > 0 { x[c] = x[c].map { $0 >> Int32(w) } }
        }
        var latents = [[Int32]](repeating: [], count: x.count)
        for range in AudioFlowCodec.blocks(x[0].count) {
            let block = encoder.fitBlock(x, range)
            for c in latents.indices { latents[c].append(contentsOf: block.residuals[c]) }
        }
        for c in latents.indices {
            let residuals = latents[c]
            let mean = residuals.reduce(UInt64(0)) { $0 &+ UInt64($1.magnitude) } / UInt64(max(residuals.count, 1))
            var filter = SaturatingSignLMS(inputShift: LMSLanes.inputShift(meanMagnitude: mean))
            let filtered = residuals.map { filter.forward($0) }
            filter.deallocate()
            if AudioFlowEncoder.estimatedBits(filtered) < AudioFlowEncoder.estimatedBits(residuals) { latents[c] = filtered }
        }
        return latents
    }

    @Test func dump() throws {
        let spec = ProcessInfo.processInfo.environment["FLOWZIP_AUDIO_LATENTS"]!.split(separator: ":").map(String.init)
        try #require(spec.count == 2)
        let (source, target) = (spec[0], spec[1])
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        var written = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: source).sorted() where name.hasSuffix(".wav") {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source + "/" + name)))
            guard let x = Self.pcm16(bytes), !x[0].isEmpty else { continue }
            let z = Self.latents(x)
            var out = [Int32(z.count), Int32(z[0].count)]
            out.reserveCapacity(2 + 2 * z.count * z[0].count)
            var contexts = [ScaleContext](repeating: ScaleContext(), count: z.count)
            for i in z[0].indices { for c in z.indices {
                out.append(z[c][i])
                out.append(Int32(contexts[c].bucket))
                contexts[c].update(z[c][i])
            } }
            let data = out.withUnsafeBufferPointer { Data(buffer: $0) }
            try data.write(to: URL(fileURLWithPath: target + "/" + name.dropLast(4) + ".lat"))
            written += 1
        }
        #expect(written > 0)
    }
}
