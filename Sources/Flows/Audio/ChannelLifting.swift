/// Additive integer couplings across the two channels of a stereo pair (docs/DESIGN.md §7): each mode maps
/// `(left, right)` to `(u, v)` by lifting steps `b += f(a)` in wrapping Int32 arithmetic, so every mode
/// is a bijection on Int32 pairs (exact inverse, volume-preserving: it costs nothing) whatever the
/// sample width, 32-bit included.
public enum ChannelLifting: Int, CaseIterable, Sendable {
    /// `u = left, v = right`.
    case independent = 0
    /// `u = left, v = left - right`.
    case leftSide = 1
    /// `u = right, v = left - right`.
    case rightSide = 2
    /// `v = left - right, u = right + (v >> 1)` (= ⌊(left + right) / 2⌋ without overflow): the mid/side
    /// lifting of FLAC, exactly invertible because `v` is kept.
    case midSide = 3

    /// `(u, v)` from `(left, right)`.
    @inline(__always)
    public func forward(_ left: Int32, _ right: Int32) -> (u: Int32, v: Int32) {
        switch self {
        case .independent: return (left, right)
        case .leftSide: return (left, left &- right)
        case .rightSide: return (right, left &- right)
        case .midSide:
            let side = left &- right
            return (right &+ (side >> 1), side)
        }
    }

    /// `(left, right)` from `(u, v)`: the lifting steps of `forward` undone in reverse order.
    @inline(__always)
    public func inverse(_ u: Int32, _ v: Int32) -> (left: Int32, right: Int32) {
        switch self {
        case .independent: return (u, v)
        case .leftSide: return (u, u &- v)
        case .rightSide: return (v &+ u, u)
        case .midSide:
            let right = u &- (v >> 1)
            return (v &+ right, right)
        }
    }
}
