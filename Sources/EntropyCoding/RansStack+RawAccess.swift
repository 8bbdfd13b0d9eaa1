/// The coder's raw parts, for the interleaved lanes kept in the FlowResearch target (Research/),
/// which run several states over the same words. `package`, not `public`: only targets of this
/// package see them, never a user of the library. Whoever writes through them must keep
/// `RansStack`'s invariants (state in `[L, L << 32)`, canonical tail).
extension RansStack {
    /// `L = 2^31`, the bottom of the state interval.
    @inlinable package static var rawLowerBound: UInt64 { lowerBound }

    /// The state `x`.
    @inlinable package var rawState: UInt64 {
        get { state }
        set { state = newValue }
    }

    /// The stored words, bottom of the stack first (`_modify`: edited in place, not copied).
    @inlinable package var rawWords: [UInt32] {
        get { words }
        _modify { yield &words }
    }

    /// Tail words popped below the data.
    @inlinable package var rawTailDepth: UInt64 {
        get { tailDepth }
        set { tailDepth = newValue }
    }

    /// Word `index` of the pseudo-random tail.
    @inlinable package static func rawTailWord(_ index: UInt64) -> UInt32 { tailWord(index) }

    /// Puts one word on top of the stack as the coder does (folding it into the tail when it is the
    /// tail word popped last).
    @inlinable package mutating func rawEmit(_ word: UInt32) { emit(word) }
}
