#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small deterministic random generator (SplitMix64): training is reproducible from a seed.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    /// The whole state; a checkpoint stores it.
    public var state: UInt64

    /// A generator whose whole state is `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Float { Float(next() >> 40) / Float(1 << 24) }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Float {
        let u = max(unit(), 1e-7), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
