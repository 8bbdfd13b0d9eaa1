/// The prior's scales, as indices into a fixed log-spaced grid: `scale(k) = 2^(k/8) / 16`,
/// eight steps per octave from 1/16 to about 2^18 (enough for the residuals of 16-bit samples).
///
/// The encoder sends one index (a byte) per activity context; the decoder turns it back into a
/// Q8 scale with integer arithmetic only.
public enum ScaleGrid {
    /// Number of grid points; valid indices are `0..<count`.
    public static let count = 176
    /// `round(256 · 2^(j/8))` for j = 0...7.
    static let mantissas: [Int32] = [256, 279, 304, 332, 362, 395, 431, 470]

    /// The scale of grid point `index` in Q8 (value × 256).
    @inline(__always)
    public static func scaleQ8(_ index: Int) -> Int32 {
        precondition((0..<count).contains(index))
        return (mantissas[index & 7] << Int32(index >> 3)) >> 4
    }

    /// The grid index whose scale is nearest above `scaleQ8` (clamped to the grid).
    public static func index(atLeast scaleQ8: Int64) -> Int {
        var k = 0
        while k < count - 1 && Int64(Self.scaleQ8(k)) < scaleQ8 { k += 1 }
        return k
    }
}
