import Testing
@testable import Flows

/// Strips coded on several threads (`-T`) give the same stream as one thread, decode to the same
/// pixels on any thread count, and damaged strip tables are still rejected.
struct StripThreadsTests {
    /// 29 × 47 RGB in strips of 6 rows: 8 strips, the last one shorter.
    static let options = ImageFlowOptions(stripPixels: 29 * 6)

    static func pixels(bitDepth: Int) throws -> [UInt8] {
        try image(.smooth, width: 29, height: 47, channels: 3, bitDepth: bitDepth, seed: 7).interleavedBytes()
    }

    @Test(arguments: [8, 16])
    func streamIsTheSameForEveryThreadCount(bitDepth: Int) throws {
        let bytes = try Self.pixels(bitDepth: bitDepth)
        func encode(_ threads: Int) throws -> [UInt8] {
            try ImageFlowCodec.encode(interleaved: bytes[...], width: 29, height: 47, channels: 3, bitDepth: bitDepth,
                                      options: Self.options, threads: threads)
        }
        let one = try encode(1)
        #expect(one.first == StripContainer.marker)
        for threads in [2, 3, 8, 64] {
            #expect(try encode(threads) == one, "\(threads) threads")
        }
        for threads in [1, 2, 5, 64] {
            #expect(try ImageFlowCodec.decodeInterleaved(one[...], byteCount: bytes.count, threads: threads) == bytes)
        }
    }

    @Test func parallelDecodingChecksTheStripTableFirst() throws {
        let bytes = try Self.pixels(bitDepth: 8)
        let stream = try ImageFlowCodec.encode(interleaved: bytes[...], width: 29, height: 47, channels: 3, bitDepth: 8,
                                               options: Self.options, threads: 2)
        // Sizes that do not add up, and every truncation, throw on 2 threads as on 1.
        for count in [bytes.count - 1, bytes.count + 1, bytes.count * 2] {
            #expect(throws: FlowsError.self) { try ImageFlowCodec.decodeInterleaved(stream[...], byteCount: count, threads: 2) }
        }
        for n in stride(from: 0, to: stream.count, by: 11) {
            #expect(throws: FlowsError.self, "truncated to \(n)") {
                try ImageFlowCodec.decodeInterleaved(stream[0..<n], byteCount: bytes.count, threads: 2)
            }
        }
        // A damaged byte in the last strip's rANS words is reported, not decoded into wrong pixels.
        var damaged = stream
        damaged[damaged.count - 3] ^= 0x5A
        let result = try? ImageFlowCodec.decodeInterleaved(damaged[...], byteCount: bytes.count, threads: 2)
        #expect(result != bytes)
    }

    @Test(arguments: [(1, 1), (7, 1), (29, 47), (2268, 1512), (4000, 263), (1, 5_000_000)])
    func stripsAreTheFewestWithinTheLimitAndEven(width: Int, height: Int) {
        let options = ImageFlowOptions()
        let strips = options.stripRows(width: width, height: height)
        #expect(strips.first?.lowerBound == 0 && strips.last?.upperBound == height)
        #expect(zip(strips, strips.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(strips.allSatisfy { $0.count * width <= options.stripPixels || $0.count == 1 })
        let heights = strips.map(\.count)
        #expect(heights.max()! - heights.min()! <= 1)
        let maxRows = max(1, options.stripPixels / width)
        #expect(strips.count == (height + maxRows - 1) / maxRows)
    }
}
