/// The shape of the interlaced hierarchy for an image: how many squeezes, and the size of the
/// plane at every level. A pure function of width and height, so the stream need not carry it.
struct ImageLayout: Equatable {
    /// At most this many levels (squeezes).
    static let maxLevels = 8
    /// Squeezing stops once both sides are at most this long.
    static let coarseSide = 8

    let width: Int, height: Int
    /// `sizes[l]` is the plane size at level `l` (level 0 is the image); `sizes.count == levels + 1`.
    let sizes: [(width: Int, height: Int)]
    var levels: Int { sizes.count - 1 }

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        var sizes = [(width, height)]
        var w = width, h = height
        while (w > Self.coarseSide || h > Self.coarseSide) && sizes.count <= Self.maxLevels {
            w = (w + 1) / 2
            h = (h + 1) / 2
            sizes.append((w, h))
        }
        self.sizes = sizes
    }

    static func == (l: ImageLayout, r: ImageLayout) -> Bool { l.width == r.width && l.height == r.height }

    /// Prior parameter groups per channel: level groups {0, 1, ≥2} × {d, b/c} and the coarse plane.
    static let groupsPerChannel = 7

    /// The prior parameter group of a band (`subband == nil` for the coarse plane).
    static func group(channel: Int, level: Int, subband: Subband?) -> Int {
        guard let subband else { return channel * groupsPerChannel + 6 }
        return channel * groupsPerChannel + min(level, 2) * 2 + (subband == .d ? 0 : 1)
    }
}
