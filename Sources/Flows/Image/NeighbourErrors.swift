/// The residual magnitudes of already-coded pixels, per channel, at the resolution of the level
/// being coded: the extra term of the prior context in payload version 3.
///
/// Every pixel of a subband has four image neighbours at distance 1 that the decoder already
/// knows, and whose residuals it popped: the diagonal `a` pixels for `d`, and for `b`/`c` the two
/// `a` pixels on one axis and the two `d` pixels on the other. Their mean |residual| (×4) measures
/// how predictable this spot is at the finest scale, which the activity (gradients of values)
/// and the band's own causal residuals (two pixels away in the image) see only in part. Measured
/// on the validation photos: 0.6 % fewer bits added to the activity with weight 4 (the mean ×4),
/// against 0.2–0.5 % for weights 0.5–2 and a 2-D context.
struct NeighbourErrors: NeighbourTerms {
    let layout: ImageLayout
    /// Per channel: |residual| at every pixel of the plane at `levels[channel]`; 0 where unknown.
    private var maps: [[Int32]]
    private var levels: [Int]

    init(layout: ImageLayout, channels: Int) {
        self.layout = layout
        maps = Array(repeating: [], count: channels)
        levels = Array(repeating: layout.levels, count: channels)
    }

    /// Records the coarse plane's residuals of `channel`.
    mutating func recordCoarse(channel: Int, residuals: [Int32]) {
        maps[channel] = residuals.map { $0.magnitude32 }
        levels[channel] = layout.levels
    }

    /// Mean |residual| ×4 of the known neighbours of every pixel of `band`, in raster order.
    mutating func terms(for band: BandInfo) -> [Int32] {
        guard let subband = band.subband else { return [] }
        enter(channel: band.channel, level: band.level)
        let (w, h) = layout.sizes[band.level]
        var out = [Int32](repeating: 0, count: band.width * band.height)
        let diagonal = subband == .d
        maps[band.channel].withUnsafeBufferPointer { m in
            for i in 0..<band.height {
                for j in 0..<band.width {
                    let (y, x) = Self.position(subband, i, j)
                    var sum: Int32 = 0, n: Int32 = 0
                    @inline(__always) func add(_ yy: Int, _ xx: Int) {
                        guard yy >= 0, yy < h, xx >= 0, xx < w else { return }
                        sum &+= m[yy * w + xx]
                        n += 1
                    }
                    if diagonal {
                        add(y - 1, x - 1); add(y - 1, x + 1); add(y + 1, x - 1); add(y + 1, x + 1)
                    } else {
                        add(y - 1, x); add(y + 1, x); add(y, x - 1); add(y, x + 1)
                    }
                    out[i * band.width + j] = n == 0 ? 0 : sum &* 4 / n
                }
            }
        }
        return out
    }

    /// Records the residuals of `band` (raster order) once it is coded.
    mutating func record(_ band: BandInfo, residuals: [Int32]) {
        guard let subband = band.subband else { return }
        let w = layout.sizes[band.level].width
        for i in 0..<band.height {
            for j in 0..<band.width {
                let (y, x) = Self.position(subband, i, j)
                maps[band.channel][y * w + x] = residuals[i * band.width + j].magnitude32
            }
        }
    }

    /// Moves `channel`'s map down to `level` (one finer than it holds): the coarser plane's
    /// residuals land on the even rows and columns, as the inverse squeeze places `a`.
    private mutating func enter(channel: Int, level: Int) {
        guard levels[channel] != level else { return }
        let (cw, _) = layout.sizes[levels[channel]]
        let (w, h) = layout.sizes[level]
        var next = [Int32](repeating: 0, count: w * h)
        for y in stride(from: 0, to: h, by: 2) {
            for x in stride(from: 0, to: w, by: 2) { next[y * w + x] = maps[channel][(y / 2) * cw + x / 2] }
        }
        maps[channel] = next
        levels[channel] = level
    }

    /// Image position (row, column) at the band's level of pixel `(i, j)` of a subband.
    @inline(__always)
    static func position(_ subband: Subband, _ i: Int, _ j: Int) -> (Int, Int) {
        switch subband {
        case .d: return (2 * i + 1, 2 * j + 1)
        case .b: return (2 * i, 2 * j + 1)
        case .c: return (2 * i + 1, 2 * j)
        }
    }
}

/// The neighbour term of the interlaced flow's prior context, as the decoder sees it: version 3's
/// `NeighbourErrors`, or version 1's none (`NoNeighbourTerms`, decode-only, in Legacy/). The
/// decoder is generic over it, so each version's band loop is specialised and tests no version
/// per pixel.
protocol NeighbourTerms {
    init(layout: ImageLayout, channels: Int)
    /// Records the coarse plane's residuals of `channel`.
    mutating func recordCoarse(channel: Int, residuals: [Int32])
    /// The term of every pixel of the subband `band`, in raster order (one per pixel).
    mutating func terms(for band: BandInfo) -> [Int32]
    /// Records the residuals of `band` (raster order) once it is coded.
    mutating func record(_ band: BandInfo, residuals: [Int32])
}
