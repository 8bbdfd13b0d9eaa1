/// Which polyphase component of a squeezed plane a band holds (see `SqueezedPlane`).
public enum Subband: Int, Sendable, CaseIterable {
    /// Odd rows, odd columns: predicted from its four diagonal corners in `a`.
    case d = 0
    /// Even rows, odd columns: predicted from left/right in `a` and up/down in `d`.
    case b = 1
    /// Odd rows, even columns: predicted from up/down in `a` and left/right in `d`.
    case c = 2
}

/// What the predictor of one band may read: everything the decoder already knows when it reaches
/// this band — the coarser plane `a`, the `d` band of the same level (for `b`, `c`), and for
/// channel conditioning the residuals of the first channel in this very band.
public struct SubbandCondition {
    /// The band being predicted.
    public var subband: Subband
    /// Width and height of the band.
    public var width: Int, height: Int
    /// The coarser plane (`a` of the squeeze).
    public var coarse: Plane
    /// The decoded `d` band of this level; required for `.b` and `.c`.
    public var diagonal: Plane?
    /// Residuals of channel 0 in the same band (channel conditioning), or nil.
    public var leadResiduals: [Int32]?
    /// Right shift bringing activities to an 8-bit scale (`bitDepth − 8`).
    public var activityShift: Int32
}

/// Hand-made gradient-adjusted interpolation for the interlaced hierarchy (the `t` of each
/// additive coupling), and the activity context that selects the prior's scale.
///
/// Each pixel of a band has two pairs of known neighbours on opposite sides, `(p1, q1)` and
/// `(p2, q2)` (the diagonals for `d`; horizontal and vertical for `b`, `c`). With gradients
/// `g = |p − q|`, the prediction weights each pair's mean by the *other* pair's gradient:
/// `t = ((p1+q1)(g2+1) + (p2+q2)(g1+1)) / (2(g1+g2+2))`, in Q8 — an edge-directed interpolation.
/// Missing neighbours at the borders are replaced by the nearest existing one (edge replication).
/// The activity is `g1 + g2` (plus `2|r0|` under channel conditioning), quantized on a half-log2
/// scale into `contextCount` buckets.
public struct InterlacedPredictor: IntegerTranslation, Sendable {
    public init() {}
    public var fractionBits: Int { 8 }
    /// Number of activity contexts.
    public static let contextCount = 20

    public func translate(_ condition: SubbandCondition, into predictions: inout [Int32]) {
        var contexts = [UInt8](repeating: 0, count: predictions.count)
        analyse(condition, predictions: &predictions, contexts: &contexts)
    }

    /// Writes the Q8 prediction and the activity context of every pixel of the band.
    /// Both arrays have `width × height` elements.
    public func analyse(_ cond: SubbandCondition, predictions: inout [Int32], contexts: inout [UInt8]) {
        let w = cond.width, h = cond.height
        precondition(predictions.count == w * h && contexts.count == w * h)
        guard w > 0, h > 0 else { return }
        let a = cond.coarse
        let aw = a.width, ah = a.height
        let empty = Plane(width: 0, height: 0)
        let dp = cond.diagonal ?? empty
        let dw = dp.width, dh = dp.height
        precondition(cond.subband == .d || cond.diagonal != nil, "b and c bands need the d band")
        let shift = cond.activityShift
        a.samples.withUnsafeBufferPointer { A in
        dp.samples.withUnsafeBufferPointer { D in
            for i in 0..<h {
                for j in 0..<w {
                    var p1: Int32, q1: Int32, p2: Int32, q2: Int32
                    switch cond.subband {
                    case .d:
                        let i1 = min(i + 1, ah - 1), j1 = min(j + 1, aw - 1)
                        p1 = A[i * aw + j]; q1 = A[i1 * aw + j1]       // NW, SE
                        p2 = A[i * aw + j1]; q2 = A[i1 * aw + j]       // NE, SW
                    case .b:
                        let j1 = min(j + 1, aw - 1)
                        p1 = A[i * aw + j]; q1 = A[i * aw + j1]        // left, right
                        if dh > 0 {
                            p2 = D[max(i - 1, 0) * dw + j]; q2 = D[min(i, dh - 1) * dw + j]  // up, down
                        } else { p2 = p1; q2 = q1 }
                    case .c:
                        let i1 = min(i + 1, ah - 1)
                        p1 = A[i * aw + j]; q1 = A[i1 * aw + j]        // up, down
                        if dw > 0 {
                            p2 = D[i * dw + max(j - 1, 0)]; q2 = D[i * dw + min(j, dw - 1)]  // left, right
                        } else { p2 = p1; q2 = q1 }
                    }
                    let (t, g) = Self.interpolate(p1, q1, p2, q2)
                    var activity = g
                    if let lead = cond.leadResiduals { activity &+= 2 &* lead[i * w + j].magnitude32 }
                    predictions[i * w + j] = t
                    contexts[i * w + j] = Self.bucket(activity >> shift)
                }
            }
        }
        }
    }

    /// Q8 gradient-adjusted mean of two pairs and the summed gradient `g1 + g2`.
    /// Computed in Int64: 17-bit samples times 17-bit gradients do not fit in Int32.
    @inline(__always)
    static func interpolate(_ p1: Int32, _ q1: Int32, _ p2: Int32, _ q2: Int32) -> (Int32, Int32) {
        let g1 = Int64((p1 &- q1).magnitude), g2 = Int64((p2 &- q2).magnitude)
        let num = (Int64(p1) + Int64(q1)) * (g2 + 1) + (Int64(p2) + Int64(q2)) * (g1 + 1)
        let t = floorDivide(num * 128, g1 + g2 + 2)
        return (Int32(truncatingIfNeeded: t), Int32(truncatingIfNeeded: min(g1 + g2, Int64(Int32.max))))
    }

    /// Half-log2 quantizer: 0, 1, 2, 3, then two buckets per octave, clamped to `contextCount − 1`.
    @inline(__always)
    static func bucket(_ activity: Int32) -> UInt8 {
        let a = UInt32(max(activity, 0))
        if a < 4 { return UInt8(a) }
        let k = 31 - a.leadingZeroBitCount                  // ⌊log2 a⌋ ≥ 2
        let b = 2 * k + Int((a >> (k - 1)) & 1)             // 4, 5 | 6, 7 | ...
        return UInt8(min(b, contextCount - 1))
    }
}

extension Int32 {
    /// `|self|` as Int32, wrapping for `Int32.min` (used on values that are never that large).
    @inline(__always) var magnitude32: Int32 { Int32(truncatingIfNeeded: magnitude) }
}
