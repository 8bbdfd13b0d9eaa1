import EntropyCoding
import Testing
@testable import Flows

/// A payload that declares more image or signal than its coded data holds is stopped at the first
/// read below that data (`RansStack.hasReadPastData`), not decoded in full from the pseudo-random tail
/// and rejected only at the end. The errors checked here are the ones only that early stop gives.
@Suite struct HostilePayloadTests {
    /// A 64×64 image's header followed by only the state of its rANS stack (no words).
    static func imageWithoutItsWords() throws -> (stream: [UInt8], full: [UInt8]) {
        let full = try ImageFlowCodec.encode(try image(.smooth, width: 64, height: 64, channels: 3, bitDepth: 8))
        let (_, offset) = try ImageStreamHeader.parse(full, maxSamples: 64 * 64 * 3)
        return (Array(full[..<(offset + 9)]), full)
    }

    @Test func imageStreamWithoutItsDataStopsAtTheFirstReadPastIt() throws {
        let (stream, full) = try Self.imageWithoutItsWords()
        #expect(full.count > stream.count + 1_000)
        #expect(throws: FlowsError.truncated("the coded data ends before the image does")) {
            try ImageFlowCodec.decode(stream, maxSamples: 64 * 64 * 3)
        }
    }

    @Test func imageStreamWhoseStackStartsBelowItsDataIsRejectedAtOnce() throws {
        var (_, full) = try Self.imageWithoutItsWords()
        let (_, offset) = try ImageStreamHeader.parse(full, maxSamples: 64 * 64 * 3)
        #expect(full[offset] == 0)  // tail depth: an encoder that only pushes leaves it 0
        full[offset] = 1
        #expect(throws: FlowsError.truncated("the coded data ends before the image does")) {
            try ImageFlowCodec.decode(full, maxSamples: 64 * 64 * 3)
        }
    }

    /// Found by fuzzing (fuzz/crashes/oom-4c006ce…, a png payload holding a version-4 flow stream): a
    /// stream of 0 rows and a width near 2^31 passed the `width × height` bound and asked for a 16 GB row
    /// buffer. Each side is now bounded too.
    @Test(arguments: [(0x7FFF_FFFF, 0), (0, 0x7FFF_FFFF)])
    func zeroAreaStreamWithAHugeSideIsRejectedBeforeAllocating(_ side: (Int, Int)) throws {
        var stream = try ImageFlowCodec.encode(try image(.smooth, width: 8, height: 8, channels: 1, bitDepth: 8))
        for version: UInt8 in [1, 3, 4] {
            stream[0] = version
            for (offset, value) in [(4, side.0), (8, side.1)] {
                for k in 0..<4 { stream[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
            }
            #expect(throws: FlowsError.self, "version \(version)") { try ImageFlowCodec.decode(stream, maxSamples: 64) }
        }
    }

    @Test func audioPayloadWithoutItsDataStopsAtTheFirstFrameReadingPastIt() throws {
        var rng = SplitMix64(seed: 16)
        let channels = [(0..<50_000).map { (i: Int) -> Int32 in
            let triangle: Int = i % 66 < 33 ? i % 33 : 66 - i % 66
            return Int32(triangle * 150) + Int32.random(in: -9...9, using: &rng)
        }]
        let bytes = AudioFlowCodec.encode(channels)
        for cut in [9, 9 + 4 * 10, 9 + 4 * ((bytes.count - 9) / 8)] {  // whole words
            #expect(throws: AudioFlowError.corrupt("coded data ends before the signal does")) {
                try AudioFlowCodec.decode(bytes.prefix(cut), channelCount: 1, frameCount: 50_000)
            }
        }
        var deeper = bytes
        deeper[0] = 1  // tail depth 1: below the data from the start
        #expect(throws: AudioFlowError.corrupt("coded data ends before the signal does")) {
            try AudioFlowCodec.decode(deeper, channelCount: 1, frameCount: 50_000)
        }
    }

    /// The claim the early stop rests on, for every sample decoder: a valid stream never reads past
    /// its data. (Golden and round-trip tests decode many more valid streams through the same check.)
    @Test(arguments: Pattern.allCases)
    func validStreamsNeverReadPastTheirData(_ pattern: Pattern) throws {
        for (channels, depth) in [(1, 8), (3, 8), (2, 16), (4, 16)] {
            let original = try image(pattern, width: 23, height: 17, channels: channels, bitDepth: depth)
            let stream = try ImageFlowCodec.encode(original)
            #expect(try ImageFlowCodec.decode(stream, maxSamples: 23 * 17 * channels) == original)
        }
        let silence = [[Int32](repeating: 0, count: 10_000)]
        #expect(try AudioFlowCodec.decode(AudioFlowCodec.encode(silence), channelCount: 1, frameCount: 10_000) == silence)
    }
}
