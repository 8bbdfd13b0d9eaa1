/// The slice `[start, start + frequency)` of the `1 << precision` slots that one symbol owns.
///
/// A symbol of probability `frequency / 2^precision` costs `precision - log2(frequency)` bits.
public struct SymbolInterval: Sendable, Equatable {
    /// First slot of the symbol.
    public var start: UInt32
    /// Number of slots of the symbol; at least 1 for every symbol that can be coded.
    public var frequency: UInt32

    /// An interval of `frequency` slots starting at `start`.
    @inlinable
    public init(start: UInt32, frequency: UInt32) {
        self.start = start
        self.frequency = frequency
    }
}

/// A distribution quantised to `precision` bits: frequencies of its support sum to 1 << precision.
///
/// A model knows probabilities, the coder (`RansStack`) knows bits: this protocol is all that passes
/// between them. Every implementation must be a pure function of its integer parameters, so the
/// encoder and the decoder see the same intervals on every machine.
public protocol SymbolDistribution {
    /// Number of bits of the slot space; 1...24 for the public distributions of this module.
    var precision: Int { get }
    /// Interval of `symbol`; frequency >= 1 for every symbol of the support. Precondition: symbol in support.
    func interval(of symbol: Int) -> SymbolInterval
    /// The symbol whose interval contains `slot` (0 <= slot < 1 << precision), and that interval.
    func symbol(containing slot: UInt32) -> (symbol: Int, interval: SymbolInterval)
}
