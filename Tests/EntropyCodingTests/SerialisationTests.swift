import Testing
@testable import EntropyCoding
import FlowResearch  // Categorical and lanes: distributions and array calls to test the coder with

@Suite struct SerialisationTests {
    @Test func emptyAndShortHeadersThrowTruncated() {
        #expect(throws: EntropyCodingError.truncatedStream(byteCount: 0)) { try RansStack(bytes: []) }
        #expect(throws: EntropyCodingError.truncatedStream(byteCount: 5)) { try RansStack(bytes: [0, 0, 0, 0, 0x80]) }
        #expect(throws: EntropyCodingError.truncatedStream(byteCount: 1)) { try RansStack(bytes: [0x80]) }
    }

    @Test func everyTruncationOfARealStreamThrowsOrDecodesWithoutCrashing() throws {
        let dist = Categorical(counts: [1, 2, 3, 4], precision: 16)
        var stack = RansStack()
        for s in 0..<400 { stack.push(s % 4, dist) }
        let bytes = stack.bytes
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            // Only whole-word truncations parse; they decode to something, never crash.
            if var partial = try? RansStack(bytes: prefix) {
                #expect((length - 9) % 4 == 0)
                for _ in 0..<400 { _ = partial.pop(dist) }
                #expect(!partial.isAtInitialState)
            } else {
                #expect((length < 9) || (length - 9) % 4 != 0)
            }
        }
    }

    @Test func aPartialWordThrowsTruncated() {
        var bytes = RansStack().bytes
        bytes.append(0x12)
        #expect(throws: EntropyCodingError.truncatedStream(byteCount: 10)) { try RansStack(bytes: bytes) }
    }

    @Test func statesOutsideTheNormalisationIntervalThrow() {
        let low: [UInt8] = [0, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0]  // 2^31 - 1
        #expect(throws: EntropyCodingError.invalidState((1 << 31) - 1)) { try RansStack(bytes: low) }
        let high: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0x80]  // 2^63
        #expect(throws: EntropyCodingError.invalidState(1 << 63)) { try RansStack(bytes: high) }
    }

    @Test func overlongTailDepthThrows() {
        let eleven = [UInt8](repeating: 0xFF, count: 11) + [UInt8](repeating: 0, count: 8)
        #expect(throws: EntropyCodingError.malformedTailDepth) { try RansStack(bytes: eleven) }
        let tooBig = [UInt8](repeating: 0xFF, count: 9) + [2] + [0, 0, 0, 0x80, 0, 0, 0, 0]
        #expect(throws: EntropyCodingError.malformedTailDepth) { try RansStack(bytes: tooBig) }
    }

    @Test func tailDepthSurvivesSerialisation() throws {
        // Pop samples from a fresh stack (consuming tail words), push other data, round-trip bytes.
        let dist = Categorical(counts: [1, 1, 1, 1, 1], precision: 16)
        var stack = RansStack()
        let sampled = (0..<50).map { _ in stack.pop(dist) }
        for s in 0..<20 { stack.push(s % 5, dist) }
        var decoder = try RansStack(bytes: stack.bytes)
        #expect(decoder.bytes == stack.bytes)
        for s in (0..<20).reversed() { #expect(decoder.pop(dist) == s % 5) }
        for s in sampled.reversed() { decoder.push(s, dist) }
        #expect(decoder.isAtInitialState)
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var rng = SplitMix64(seed: 99)
        let dist = DiscretizedLogistic(meanQ8: 0, scaleQ8: 512, support: -255...255)
        for _ in 0..<300 {
            let bytes = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            guard var stack = try? RansStack(bytes: bytes) else { continue }
            for _ in 0..<20 { _ = stack.pop(escaping: dist); _ = stack.popUniform(count: 1 << 32) }
        }
    }
}
