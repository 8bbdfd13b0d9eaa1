/// The four polyphase components of a plane after a 2×2 squeeze (space-to-depth).
///
/// For a plane `x` of size W×H: `a = x[2i, 2j]`, `b = x[2i, 2j+1]`, `c = x[2i+1, 2j]`,
/// `d = x[2i+1, 2j+1]` (row, column). `a` is ⌈H/2⌉×⌈W/2⌉, `b` is ⌈H/2⌉×⌊W/2⌋,
/// `c` is ⌊H/2⌋×⌈W/2⌉, `d` is ⌊H/2⌋×⌊W/2⌋: odd sizes need no padding, so the squeeze stays a
/// bijection on every size (the ragged form of IDF's space-to-depth).
public struct SqueezedPlane: Sendable, Equatable {
    /// Even rows, even columns: the coarser image.
    public var a: Plane
    /// Even rows, odd columns.
    public var b: Plane
    /// Odd rows, even columns.
    public var c: Plane
    /// Odd rows, odd columns.
    public var d: Plane

    public init(a: Plane, b: Plane, c: Plane, d: Plane) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }
}

/// 2×2 squeeze: a plane ↔ its four polyphase components.
///
/// Cost: a permutation of samples, volume-preserving, 0 bits. `inverse` checks that the four
/// components have the sizes a squeeze of some W×H plane produces.
public struct Squeeze: Sendable {
    public init() {}

    /// Splits `x` into its polyphase components.
    public func forward(_ x: Plane) -> SqueezedPlane {
        let w = x.width, h = x.height
        let we = (w + 1) / 2, wo = w / 2, he = (h + 1) / 2, ho = h / 2
        var a = Plane(width: we, height: he), b = Plane(width: wo, height: he)
        var c = Plane(width: we, height: ho), d = Plane(width: wo, height: ho)
        for y in 0..<h {
            for xx in 0..<w {
                let v = x[xx, y]
                switch (y & 1, xx & 1) {
                case (0, 0): a[xx >> 1, y >> 1] = v
                case (0, _): b[xx >> 1, y >> 1] = v
                case (_, 0): c[xx >> 1, y >> 1] = v
                default: d[xx >> 1, y >> 1] = v
                }
            }
        }
        return SqueezedPlane(a: a, b: b, c: c, d: d)
    }

    /// Reassembles the plane; throws if the component sizes are inconsistent.
    public func inverse(_ z: SqueezedPlane) throws(FlowsError) -> Plane {
        let w = z.a.width + z.b.width, h = z.a.height + z.c.height
        guard z.a.width - z.b.width == w & 1, z.a.height - z.c.height == h & 1,
              z.c.width == z.a.width, z.b.height == z.a.height,
              z.d.width == z.b.width, z.d.height == z.c.height
        else { throw FlowsError.shapeMismatch("squeeze components do not come from one plane") }
        var x = Plane(width: w, height: h)
        for y in 0..<h {
            for xx in 0..<w {
                switch (y & 1, xx & 1) {
                case (0, 0): x[xx, y] = z.a[xx >> 1, y >> 1]
                case (0, _): x[xx, y] = z.b[xx >> 1, y >> 1]
                case (_, 0): x[xx, y] = z.c[xx >> 1, y >> 1]
                default: x[xx, y] = z.d[xx >> 1, y >> 1]
                }
            }
        }
        return x
    }
}
