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
/// channel conditioning the first channel's planes and its residuals in this very band.
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
    /// Channel 0's coarse plane and `d` band at this level (channel conditioning), or nil.
    public var leadCoarse: Plane? = nil, leadDiagonal: Plane? = nil
    /// Right shift bringing activities to an 8-bit scale (`ImageFlowCodec.activityShift`).
    public var activityShift: Int32
}

/// Hand-made gradient-adjusted interpolation for the interlaced hierarchy (the `t` of each
/// additive coupling), and the activity context that selects the prior's scale.
///
/// Each pixel of a band lies on two lines of four known samples, `u0 u1 [x] v1 v0` (the diagonals
/// for `d`; horizontal and vertical for `b`, `c`). Each line gives a cubic midpoint
/// `c = (9(u1+v1) − (u0+v0)) / 16`, clamped between `u1` and `v1`; with gradients `g = |u1 − v1|`
/// the prediction weights each line by the *other* line's gradient:
/// `t = (c1(g2+1) + c2(g1+1)) / (g1+g2+2)`, in Q8 — an edge-directed interpolation. Under channel
/// conditioning, half the lead channel's gradients along the same lines join `g1`, `g2`. Missing
/// neighbours at the borders are replaced by the nearest existing one (edge replication).
/// The activity adds the outer gradients (and `2|r0|` under channel conditioning); with the band's
/// causal error energy it is quantized on a half-log2 scale into `contextCount` buckets.
public struct InterlacedPredictor: Sendable {
    public init() {}
    public var fractionBits: Int { 8 }
    /// Number of activity contexts.
    public static let contextCount = 20

    public func translate(_ condition: SubbandCondition, into predictions: inout [Int32]) {
        var activities = [Int32](repeating: 0, count: predictions.count)
        var one = activities, two = activities
        analyse(condition, predictions: &predictions, lineOne: &one, lineTwo: &two, activities: &activities)
    }

    /// Writes the Q8 prediction and the activity (from the coarser data) of every pixel of the
    /// band; `context(activity:causal:shift:)` turns an activity into the prior's context.
    /// `lineOne`/`lineTwo` receive each line's own Q8 cubic midpoint (candidates for
    /// `AdaptiveBlend`). All arrays have `width × height` elements.
    public func analyse(_ cond: SubbandCondition, predictions: inout [Int32], lineOne: inout [Int32],
                        lineTwo: inout [Int32], activities: inout [Int32]) {
        let w = cond.width, h = cond.height, n = w * h
        precondition(predictions.count == n && activities.count == n && lineOne.count == n && lineTwo.count == n)
        guard w > 0, h > 0 else { return }
        precondition(cond.subband == .d || cond.diagonal != nil, "b and c bands need the d band")
        precondition(cond.leadResiduals == nil || cond.leadResiduals!.count == n, "lead residuals of the band's size")
        let empty = Plane(width: 0, height: 0)
        let diagonal = cond.diagonal ?? empty, leadCoarse = cond.leadCoarse ?? empty, leadDiagonal = cond.leadDiagonal ?? empty
        let hasGuide = cond.leadCoarse != nil, hasLead = cond.leadResiduals != nil
        // Unsafe views: the planes' reads are clamped into them (`Neighbourhood`), and i · w + j < n
        // indexes the band's arrays, whose sizes are checked above.
        cond.coarse.samples.withUnsafeBufferPointer { a in
        diagonal.samples.withUnsafeBufferPointer { d in
        leadCoarse.samples.withUnsafeBufferPointer { la in
        leadDiagonal.samples.withUnsafeBufferPointer { ld in
        (cond.leadResiduals ?? []).withUnsafeBufferPointer { lead in
        predictions.withUnsafeMutableBufferPointer { predictions in
        lineOne.withUnsafeMutableBufferPointer { lineOne in
        lineTwo.withUnsafeMutableBufferPointer { lineTwo in
        activities.withUnsafeMutableBufferPointer { activities in
            let own = Neighbourhood(a, cond.coarse, d, diagonal)
            let guide = hasGuide ? Neighbourhood(la, leadCoarse, ld, leadDiagonal) : own
            for i in 0..<h {
                for j in 0..<w {
                    let (one, two) = own.lines(cond.subband, i, j)
                    var (g1, g2) = (one.gradient, two.gradient)
                    if hasGuide {
                        // Channel conditioning: the lead channel's edges steer the direction too.
                        let (l1, l2) = guide.lines(cond.subband, i, j)
                        g1 &+= l1.gradient / 2
                        g2 &+= l2.gradient / 2
                    }
                    let (t, g) = Self.interpolate(one, two, g1, g2)
                    let k = i &* w &+ j
                    var activity = g
                    if hasLead { activity &+= 2 &* lead[k].magnitude32 }
                    predictions[k] = t
                    lineOne[k] = Int32(truncatingIfNeeded: one.cubic16 &<< 4)
                    lineTwo[k] = Int32(truncatingIfNeeded: two.cubic16 &<< 4)
                    activities[k] = activity
                }
            }
        }}}}}}}}}
    }

    /// Edge-replicating reads around a pixel of a band: the coarse plane `a` and the `d` band, on
    /// unsafe views of their samples. Every read clamps its row into `0..<height` and its column
    /// into `0..<width`, so the index is below `width · height`, the view's size (`Plane`'s
    /// invariant, checked again here); `a` is never empty (it is coarser than a non-empty band),
    /// and `d` is read only when it is not empty.
    struct Neighbourhood {
        let a: UnsafeBufferPointer<Int32>, aWidth: Int, aHeight: Int
        let d: UnsafeBufferPointer<Int32>, dWidth: Int, dHeight: Int

        init(_ a: UnsafeBufferPointer<Int32>, _ coarse: Plane, _ d: UnsafeBufferPointer<Int32>, _ diagonal: Plane) {
            precondition(a.count == coarse.width * coarse.height && a.count > 0 && d.count == diagonal.width * diagonal.height)
            self.a = a; aWidth = coarse.width; aHeight = coarse.height
            self.d = d; dWidth = diagonal.width; dHeight = diagonal.height
        }

        @inline(__always) func a(_ y: Int, _ x: Int) -> Int32 {
            a[min(max(y, 0), aHeight &- 1) &* aWidth &+ min(max(x, 0), aWidth &- 1)]
        }
        @inline(__always) func d(_ y: Int, _ x: Int) -> Int32 {
            d[min(max(y, 0), dHeight &- 1) &* dWidth &+ min(max(x, 0), dWidth &- 1)]
        }

        /// Two directions through pixel `(i, j)` of `subband`, each as four samples in a line:
        /// outer, near, near, outer (`u` before the pixel, `v` after it).
        @inline(__always) func lines(_ subband: Subband, _ i: Int, _ j: Int) -> (Line, Line) {
            switch subband {
            case .d:   // diagonals of a: NW–SE and NE–SW
                return (Line(a(i - 1, j - 1), a(i, j), a(i + 1, j + 1), a(i + 2, j + 2)),
                        Line(a(i - 1, j + 2), a(i, j + 1), a(i + 1, j), a(i + 2, j - 1)))
            case .b:   // horizontal in a, vertical in d
                let one = Line(a(i, j - 1), a(i, j), a(i, j + 1), a(i, j + 2))
                return (one, d.count > 0 ? Line(d(i - 2, j), d(i - 1, j), d(i, j), d(i + 1, j)) : one)
            case .c:   // vertical in a, horizontal in d
                let one = Line(a(i - 1, j), a(i, j), a(i + 1, j), a(i + 2, j))
                return (one, d.count > 0 ? Line(d(i, j - 2), d(i, j - 1), d(i, j), d(i, j + 1)) : one)
            }
        }
    }

    /// Four samples on a line through the predicted pixel: `u0 u1 [x] v1 v0`.
    struct Line {
        var u0: Int32, u1: Int32, v1: Int32, v0: Int32
        @inline(__always) init(_ u0: Int32, _ u1: Int32, _ v1: Int32, _ v0: Int32) {
            self.u0 = u0; self.u1 = u1; self.v1 = v1; self.v0 = v0
        }
        /// 16 × the cubic midpoint `(9(u1 + v1) − (u0 + v0)) / 16`, clamped between the near
        /// samples so that it never overshoots an edge.
        @inline(__always) var cubic16: Int64 {
            // Int32 samples: every term is below 2^36.
            let c = 9 &* (Int64(u1) &+ Int64(v1)) &- Int64(u0) &- Int64(v0)
            return min(max(c, 16 &* Int64(min(u1, v1))), 16 &* Int64(max(u1, v1)))
        }
        /// `|u0 − u1| + |v1 − v0|`: how much the line changes beyond the near samples.
        @inline(__always) var outer: Int64 { Int64((u0 &- u1).magnitude) + Int64((v1 &- v0).magnitude) }
        /// `|u1 − v1|`: how much the line changes across the pixel.
        @inline(__always) var gradient: Int64 { Int64((u1 &- v1).magnitude) }
    }

    /// Q8 gradient-adjusted blend of the two lines' cubic midpoints, each weighted by the *other*
    /// line's steering gradient (`g1`, `g2`: the lines' own gradients, plus half the lead
    /// channel's under channel conditioning), and the activity
    /// `|u1 − v1|₁ + |u1 − v1|₂ + (outer₁ + outer₂) / 4` of the own lines. Int64 inside: 17-bit
    /// samples times 17-bit gradients do not fit in Int32.
    @inline(__always)
    static func interpolate(_ one: Line, _ two: Line, _ g1: Int64, _ g2: Int64) -> (Int32, Int32) {
        // Samples below 2^18 (the flow's bound): cubics below 2^23, gradients below 2^20, so the
        // products stay below 2^48 and wrapping operators cannot wrap.
        let num = one.cubic16 &* (g2 &+ 1) &+ two.cubic16 &* (g1 &+ 1)
        let den = g1 &+ g2 &+ 2, q = (num &* 16) / den   // den >= 2
        let t = (num &* 16) % den < 0 ? q &- 1 : q        // floor division
        let g = one.gradient &+ two.gradient &+ (one.outer &+ two.outer) / 4
        return (Int32(truncatingIfNeeded: t), Int32(truncatingIfNeeded: min(g, Int64(Int32.max))))
    }

    /// The prior context of a pixel: its activity (from the coarser data) plus the causal error
    /// energy (`causalEnergy`), scaled to 8 bits and bucketed.
    @inline(__always)
    static func context(activity: Int32, causal: Int32, shift: Int32) -> UInt8 {
        bucket((activity &+ causal) >> shift)
    }

    /// Error energy of the residuals already decoded around pixel `i` of a band `w` wide (an
    /// autoregressive term, as in CALIC): `2(|e_left| + |e_up|) + |e_upleft| + |e_upright|`,
    /// missing neighbours counting 0.
    @inline(__always)
    static func causalEnergy(_ e: [Int32], _ i: Int, _ w: Int) -> Int32 {
        precondition(w > 0 && i >= 0 && i < e.count)
        return e.withUnsafeBufferPointer { causalEnergy($0, i, col: i % w, w) }
    }

    /// `causalEnergy` on an unsafe view, `col = i % w`: reads `e` only before `i`, where the column
    /// and row allow, so `i < e.count` (the caller's check) keeps every read in range.
    @inline(__always)
    static func causalEnergy(_ e: UnsafeBufferPointer<Int32>, _ i: Int, col x: Int, _ w: Int) -> Int32 {
        let left = x > 0 ? e[i &- 1].magnitude32 : 0
        guard i >= w else { return 2 &* left }
        let up = e[i &- w].magnitude32
        let ul = x > 0 ? e[i &- w &- 1].magnitude32 : 0, ur = x &+ 1 < w ? e[i &- w &+ 1].magnitude32 : 0
        return 2 &* (left &+ up) &+ ul &+ ur
    }

    /// Half-log2 quantizer: 0, 1, 2, 3, then two buckets per octave, clamped to `contextCount − 1`.
    @inline(__always)
    static func bucket(_ activity: Int32) -> UInt8 {
        let a = UInt32(bitPattern: max(activity, 0))
        if a < 4 { return UInt8(truncatingIfNeeded: a) }
        let k = 31 &- a.leadingZeroBitCount                 // ⌊log2 a⌋ in 2...30: no wrap below
        let b = 2 &* k &+ Int((a &>> UInt32(k &- 1)) & 1)   // 4, 5 | 6, 7 | ...
        return UInt8(truncatingIfNeeded: min(b, contextCount - 1))
    }
}

extension Int32 {
    /// `|self|` as Int32, wrapping for `Int32.min` (used on values that are never that large).
    @inline(__always) var magnitude32: Int32 { Int32(truncatingIfNeeded: magnitude) }
}
