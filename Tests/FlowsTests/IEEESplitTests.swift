import EntropyCoding
import Foundation
import Testing
@testable import Flows

/// `IEEESplit` gives back every float32 bit pattern: specials (NaN payloads, ±∞, ±0, subnormals),
/// random patterns, on exact channels and channels with leftovers; PCM converted to float becomes
/// its integers again; a hostile side stream or mapping is an error, never a trap.
@Suite struct IEEESplitTests {
    /// Splits, then joins the integers with the side stream; returns the split.
    @discardableResult
    static func roundTrip(_ channels: [[UInt32]], sourceLocation: SourceLocation = #_sourceLocation) throws -> IEEESplit.Split {
        let split = IEEESplit.split(channels)
        var joiner = try IEEESplit.Joiner(side: split.side, channels: split.channels, integerBits: split.integerBits)
        var joined = [[UInt32]](repeating: [], count: channels.count)
        for i in 0..<(channels.first?.count ?? 0) {
            for c in channels.indices {
                let q = split.integers[c][i]
                #expect(q.magnitude < UInt32(1) << UInt32(split.integerBits - 1) || split.integerBits == 32, sourceLocation: sourceLocation)
                joined[c].append(try joiner.pattern(q, channel: c))
            }
        }
        #expect(joined == channels, sourceLocation: sourceLocation)
        try joiner.finish()
        return split
    }

    static let specials: [UInt32] = [
        0x0000_0000, 0x8000_0000,                      // ±0
        0x7F80_0000, 0xFF80_0000,                      // ±∞
        0x7FC0_0000, 0xFFC0_0001, 0x7F80_0001, 0x7FBF_FFFF, 0xFFFF_FFFF,  // quiet and signalling NaNs with payloads
        0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x0040_0000,  // subnormals
        0x0080_0000, 0x8080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF,  // smallest and largest normals
        0x3F80_0000, 0xBF00_0000, 0x3F80_0001,
    ]

    /// A tone of float32(k / 32768) for 16-bit integers k.
    static func pcmTone(_ frames: Int, phase: Double = 0) -> (k: [Int32], patterns: [UInt32]) {
        let k = (0..<frames).map { Int32((sin(Double($0) / 17 + phase) * 12_000).rounded()) }
        return (k, k.map { (Float($0) / 32768).bitPattern })
    }

    @Test func specialsRoundTripOnExactChannelsAndWithLeftovers() throws {
        // Alone (mixed exponents: leftovers), then inside PCM-derived floats.
        try Self.roundTrip([Self.specials])
        let tone = Self.pcmTone(2_000).patterns
        var mixed = tone
        for (i, special) in Self.specials.enumerated() { mixed[37 * i] = special }
        let split = try Self.roundTrip([mixed, tone])
        #expect(split.channels[1] == IEEESplit.Channel(unit: 135, leftovers: false))
        // NaN and infinities keep a channel exact; only a value off its grid needs leftovers.
        var nonFinite = tone
        for (i, special) in [0x7F80_0000, 0xFFC0_0001, 0x8000_0000].enumerated() { nonFinite[100 * i + 3] = UInt32(special) }
        #expect(try Self.roundTrip([nonFinite]).channels[0].leftovers == false)
    }

    @Test func randomBitPatternsRoundTrip() throws {
        var rng = SplitMix64(seed: 77)
        let random = (0..<2).map { _ in (0..<20_000).map { _ in UInt32.random(in: 0...UInt32.max, using: &rng) } }
        let split = try Self.roundTrip(random)
        #expect(split.channels.allSatisfy { $0.leftovers })
        // Random finite values of one sign and a few octaves: leftovers, no specials.
        let narrow = (0..<2).map { _ in (0..<20_000).map { _ in UInt32.random(in: 0x3E00_0000...0x3F7F_FFFF, using: &rng) } }
        try Self.roundTrip(narrow)
    }

    @Test func pcmConvertedToFloatGivesBackItsIntegers() throws {
        let (k, patterns) = Self.pcmTone(5_000)
        let split = try Self.roundTrip([patterns])
        #expect(split.integers[0] == k)
        #expect(split.integerBits == 15 && !split.channels[0].leftovers)  // |k| ≤ 12000 < 2^14, and a sign
        #expect(split.side.count < 16, "side stream \(split.side.count) bytes")
        // The same on a grid of 2^-23 (24-bit PCM) scaled by a power of two.
        let wide = k.map { (Float($0 * 256 + 1) / 2).bitPattern }
        let scaled = try Self.roundTrip([wide])
        #expect(scaled.integers[0] == k.map { $0 * 256 + 1 } && scaled.integerBits == 23)
    }

    @Test func aFewSamplesOffTheGridEscapeAndTheChannelStaysExact() throws {
        let (k, patterns) = Self.pcmTone(5_000)
        var strays = patterns
        for (i, stray) in [UInt32(0x3A83_126F), 0x0000_0003, 0x3F7F_FFFF, 0x7149_F2CA].enumerated() { strays[500 + 1_000 * i] = stray }
        let split = try Self.roundTrip([strays])
        #expect(split.channels[0] == IEEESplit.Channel(unit: 135, leftovers: false) && split.integerBits == 15)
        // Each stray's integer extends the two before it by a line; every other integer is the PCM value.
        var expected = k
        for i in [500, 1_500, 2_500, 3_500] { expected[i] = 2 * k[i - 1] - k[i - 2] }
        #expect(split.integers[0] == expected)
        #expect(split.side.count < 40, "side stream \(split.side.count) bytes")
    }

    @Test func repeatedLeftoversCostLessThanNewOnes() throws {
        // A float gain on 16-bit PCM: every value off the grid, but each integer always has the same
        // leftover; the memory codes the repeats in a fraction of the raw bits.
        let period = Self.pcmTone(100, phase: 0.3).k
        let k = (0..<20_000).map { period[$0 % 100] + Int32($0 % 7) }
        let gained = k.map { (Float($0) / 32768 * 0.7).bitPattern }
        let split = try Self.roundTrip([gained])
        #expect(split.channels[0].leftovers)
        var rng = SplitMix64(seed: 5)
        let fresh = gained.map { $0 ^ UInt32.random(in: 0...3, using: &rng) }  // new low bits each time
        let noisy = try Self.roundTrip([fresh])
        #expect(split.side.count * 4 < noisy.side.count, "repeats \(split.side.count), fresh \(noisy.side.count)")
    }

    @Test func emptyAndAllZeroChannels() throws {
        try Self.roundTrip([[], []])
        let zeros = try Self.roundTrip([[UInt32](repeating: 0, count: 1_000), [UInt32](repeating: 0x8000_0000, count: 1_000)])
        #expect(zeros.integerBits == 1 && zeros.side.count < 64, "side stream \(zeros.side.count) bytes")
    }

    @Test func hostileMappingsAndSideStreamsThrow() throws {
        let split = IEEESplit.split([Self.pcmTone(500).patterns])
        for unit in [0, 278, 511] {
            #expect(throws: AudioFlowError.self) {
                try IEEESplit.Joiner(side: split.side, channels: [.init(unit: unit, leftovers: false)], integerBits: 16)
            }
        }
        for bits in [0, 33] {
            #expect(throws: AudioFlowError.self) { try IEEESplit.Joiner(side: split.side, channels: split.channels, integerBits: bits) }
        }
        // An integer wider than declared, above the largest float, or off the significand's grid.
        var joiner = try IEEESplit.Joiner(side: RansStack().bytes, channels: [.init(unit: 250, leftovers: false)], integerBits: 32)
        #expect(throws: AudioFlowError.self) { try joiner.pattern(1 << 30, channel: 0) }
        #expect(throws: AudioFlowError.self) { try joiner.pattern((1 << 24) + 1, channel: 0) }
        var narrow = try IEEESplit.Joiner(side: RansStack().bytes, channels: [.init(unit: 100, leftovers: false)], integerBits: 8)
        #expect(throws: AudioFlowError.self) { try narrow.pattern(128, channel: 0) }
        #expect(throws: AudioFlowError.self) { try narrow.pattern(Int32.min, channel: 0) }
        // Random side streams under every mapping: patterns or errors, never a trap.
        var rng = SplitMix64(seed: 9)
        for trial in 0..<200 {
            let side = (0..<(trial % 40 + 12)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let channel = IEEESplit.Channel(unit: Int.random(in: 1...277, using: &rng), leftovers: trial & 1 == 0)
            guard var joiner = try? IEEESplit.Joiner(side: side, channels: [channel], integerBits: 32) else { continue }
            for _ in 0..<50 {
                let q = trial % 3 == 0 ? 0 : Int32.random(in: -(1 << 24)...(1 << 24), using: &rng)
                _ = try? joiner.pattern(q, channel: 0)
            }
        }
    }
}
