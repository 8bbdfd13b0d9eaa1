/// Why serialised coder bytes or distribution parameters were rejected.
///
/// Every case names the problem; none of them is ever a crash, a hang or a huge allocation.
public enum EntropyCodingError: Error, Equatable, Sendable {
    /// The stream ended inside its header (tail depth or state), or its word area is not a whole
    /// number of 32-bit words. `byteCount` is the length that was given.
    case truncatedStream(byteCount: Int)
    /// The tail-depth varint is longer than 10 bytes or does not fit in 64 bits.
    case malformedTailDepth
    /// The serialised rANS state lies outside `[2^31, 2^63)`, so no encoder could have written it.
    case invalidState(UInt64)
    /// Distribution parameters that cannot be quantised (no positive count, too many symbols for the
    /// precision, precision outside 1...24).
    case invalidDistribution(String)
}
