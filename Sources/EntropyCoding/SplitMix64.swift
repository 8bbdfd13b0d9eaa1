/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, seeded generator. The coder uses its mixing
/// function for the bits-back tail (part of the format); tests and benchmarks use it for reproducible data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state; `next()` adds the golden-ratio increment to it.
    public var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }

    /// The golden-ratio increment between successive states.
    public static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The output function: a bijective scramble of 64 bits.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
