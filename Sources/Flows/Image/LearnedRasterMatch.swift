/// The match component of payload version 6's models 2 and 3: repeated content (tiled textures, copied
/// regions) predicted from an earlier copy, as WebP's backward references and JPEG XL's patches find
/// them. The encoder picks up to two offsets (`MatchSearch`); each sub-pixel whose copy is decoded
/// gets a sharp logistic at the copy's value in its prior, weighted by how often the copy was right
/// nearby (`MatchState`).

/// Finds the offsets at which an image repeats itself exactly: the best horizontal and vertical
/// periods. An offset's copy takes the place of the neighbourhood's copy (`ContextMatch`) wherever it
/// lands, so it is judged against it on a sample of pixels: it must give the whole pixel on at least
/// a quarter of them, and more often where the neighbourhood's copy does not than the reverse.
/// Only pixels that differ from both their left and their upper neighbour count: flat areas repeat at
/// any distance, and so do edges along the offset (a vertical edge repeats every row), and the
/// predictor has those. Judged by its share alone, with every edge counted, an offset of a few rows
/// won on UI screenshots and displaced the neighbourhood's copy on every glyph: GIMP's help
/// screenshots came out up to 2.8 times as big.
enum MatchSearch {
    /// Offsets under this are the predictor's business (flat areas repeat at any short distance).
    static let minimumDistance = 8
    /// A copy must match at least this share of the sampled pixels it covers (1/4) to be sent.
    static let minimumShareQ8 = 64

    static func offsets(_ planes: [Plane]) -> [MatchOffset] {
        guard let first = planes.first else { return [] }
        let (w, h) = (first.width, first.height)
        let xs = Array(stride(from: 0, to: w, by: max(1, w / 128))), ys = Array(stride(from: 0, to: h, by: max(1, h / 64)))
        let neighbourhoodRight = neighbourhoodCopyIsRight(planes)
        // The sampled pixels that count, whatever the offset: those that differ from both neighbours.
        var counted = [(x: Int, y: Int)]()
        for y in ys where y >= 1 {
            for x in xs where x >= 1 {
                let i = y * w + x
                if !planes.allSatisfy({ $0.samples[i] == $0.samples[i - 1] }),
                   !planes.allSatisfy({ $0.samples[i] == $0.samples[i - w] }) { counted.append((x, y)) }
            }
        }
        /// On the counted pixels the copy `dx` left and `dy` up covers: how many it gives (`matching`) of
        /// how many (`covered`), and how many more than the neighbourhood's copy does (`net`).
        func judge(dx: Int, dy: Int) -> (matching: Int, covered: Int, net: Int) {
            var matching = 0, covered = 0, net = 0
            for (x, y) in counted where y >= dy && x >= dx {
                let i = y * w + x, j = (y - dy) * w + x - dx
                covered += 1
                let right = planes.allSatisfy({ $0.samples[i] == $0.samples[j] })
                if right { matching += 1 }
                if right != neighbourhoodRight[i] { net += right ? 1 : -1 }
            }
            return (matching, covered, net)
        }
        var found: [(offset: MatchOffset, net: Int)] = []
        for vertical in [false, true] {
            let limit = (vertical ? h : w) / 2
            guard limit >= minimumDistance, limit <= Int(Int16.max) else { continue }
            var best: (offset: MatchOffset, net: Int)? = nil
            for d in minimumDistance...limit {
                let (matching, covered, net) = vertical ? judge(dx: 0, dy: d) : judge(dx: d, dy: 0)
                guard covered >= 256, matching * 256 >= minimumShareQ8 * covered, net > 0 else { continue }
                // Ties keep the shorter distance.
                if best == nil || net > best!.net {
                    best = (vertical ? MatchOffset(dx: 0, dy: UInt16(d)) : MatchOffset(dx: Int16(d), dy: 0), net)
                }
            }
            if let best { found.append(best) }
        }
        found.sort { $0.net > $1.net }
        return found.prefix(LearnedRasterSide.maxMatches).map(\.offset)
    }

    /// Per pixel, whether the neighbourhood's copy (`ContextMatch`, as the coding runs it per channel)
    /// gives every channel's value.
    static func neighbourhoodCopyIsRight(_ planes: [Plane]) -> [Bool] {
        guard let first = planes.first else { return [] }
        let (w, h) = (first.width, first.height)
        var right = [Bool](repeating: true, count: w * h)
        for plane in planes {
            var copies = ContextMatch()
            var samples = plane.samples
            samples.withUnsafeMutableBufferPointer { vs in
                for y in 0..<h {
                    for x in 0..<w {
                        let i = y * w + x, key = ContextMatch.hash(vs, x: x, y: y, width: w)
                        if copies.predict(key) != vs[i] { right[i] = false }
                        copies.record(key, value: vs[i])
                    }
                }
            }
        }
        return right
    }
}

/// Per channel, where the copy was right (the last row's outcome per column) and how often, per
/// context (which source × whether the copy agrees with the rounded mean × whether the copy was
/// right at W and at N): the match component's weight. Where the copy agrees with the mean it adds
/// little; where it disagrees it must earn its weight (photos and flat images: rarely; tiles: often).
struct MatchState: ~Copyable {
    /// Buffers of their own, not arrays (as `ContextMatch`'s table): read and written per sub-pixel.
    private let hitAbove: UnsafeMutableBufferPointer<Bool>
    /// Per context, the credit (`[context]`) and the tries (`[contexts + context]`), Q16.
    private let counts: UnsafeMutablePointer<UInt64>
    static let contexts = 32
    /// Counts are halved at this total, so the weight follows the image.
    static let window: UInt64 = 1024

    init(width: Int) {
        hitAbove = .allocate(capacity: width)
        hitAbove.initialize(repeating: false)
        counts = .allocate(capacity: 2 * Self.contexts)
        counts.initialize(repeating: 0, count: 2 * Self.contexts)
    }

    deinit {
        hitAbove.deallocate()
        counts.deallocate()
    }

    @inline(__always) private func credit(_ context: Int) -> UInt64 { counts[context] }
    @inline(__always) private func tries(_ context: Int) -> UInt64 { counts[Self.contexts &+ context] }

    /// The context of the copy from `offset` (0 or 1; 2 for the neighbourhood's `ContextMatch`, 3 for
    /// the colour's) at column `x`, whose value
    /// `agrees` with the rounded mean or not.
    @inline(__always)
    func context(offset: Int, agrees: Bool, x: Int) -> Int {
        precondition(UInt(bitPattern: x) < UInt(hitAbove.count) && offset < 4, "match context")
        return offset &* 8 &+ (agrees ? 4 : 0) &+ (x > 0 && hitAbove[x &- 1] ? 2 : 0) &+ (hitAbove[x] ? 1 : 0)
    }

    /// The copy's weight in Q16, (credit + ½) / (tries + 1), within 16...65520.
    @inline(__always)
    func weightQ16(_ context: Int) -> UInt16 {
        precondition(UInt(bitPattern: context) < UInt(Self.contexts), "match context")
        let q = ((2 &* credit(context) &+ (1 << 16)) << 16) / (2 &* tries(context) &+ (2 << 16))
        return UInt16(min(max(q, 16), 65520))
    }

    /// Records the outcome at column `x`: in `context` when a copy was there (with the weight it had,
    /// `weightQ16`, and the Q24 mass `networkMass` the network's own components gave the value), else
    /// only as a miss. A hit earns the copy its share of the value's mass, w / (w + (1 − w) p), not a
    /// whole hit: where the network already expected the value, the copy adds little (an online EM step).
    @inline(__always)
    mutating func update(x: Int, context: Int?, hit: Bool, weightQ16 w: UInt16 = 0, networkMass p: UInt64 = 0) {
        precondition(UInt(bitPattern: x) < UInt(hitAbove.count), "match column")
        hitAbove[x] = hit
        guard let context else { return }
        learn(context, hit: hit, weightQ16: w, networkMass: p)
    }

    /// Records the outcome in `context` only (for a copy that was not the pixel's component).
    @inline(__always)
    mutating func learn(_ context: Int, hit: Bool, weightQ16 w: UInt16, networkMass p: UInt64) {
        precondition(UInt(bitPattern: context) < UInt(Self.contexts), "match context")
        let credit = counts + context, tries = counts + (Self.contexts &+ context)
        tries.pointee &+= 1 << 16
        if hit {
            let w = UInt64(w)
            // w < 2^16 and p <= 2^24: numerator below 2^56, denominator below 2^41 and positive.
            credit.pointee &+= (w << 40) / ((w << 24) &+ ((1 << 16) &- w) &* p)
        }
        if tries.pointee >= Self.window << 16 { tries.pointee >>= 1; credit.pointee >>= 1 }
    }
}

/// The other sources of copies, needing no side information: the value that last followed the same
/// causal neighbourhood (W, N, NW, NE, WW, NN of the channel) in this channel, as LZP and WebP's colour
/// cache predict. It finds repeated small things (glyphs, icons, UI edges) that no single offset covers.
/// Keyed by a pixel's earlier channels (`colourHash`), it is the colour copy of model 3.
struct ContextMatch: ~Copyable {
    /// Per hash bucket: bit 63 set when filled, a 16-bit check of the neighbourhood, the value.
    /// A buffer of its own rather than an array: the decoder reads and writes it for every
    /// sub-pixel, and an array's uniqueness check per write was a measurable cost. Every index is
    /// a hash's top `bits` bits, so it is in range by construction.
    private let table: UnsafeMutablePointer<UInt64>
    static let bits = 16

    init() { table = .allocate(capacity: 1 << Self.bits); table.initialize(repeating: 0, count: 1 << Self.bits) }
    deinit { table.deallocate() }

    /// The hash of the neighbourhood of (x, y) in `plane` (width `w`); missing neighbours count as a
    /// value no sample has.
    @inline(__always)
    static func hash(_ plane: UnsafeMutableBufferPointer<Int32>, x: Int, y: Int, width w: Int) -> UInt64 {
        let i = y &* w &+ x, none = Int32.min
        let west = x >= 1 ? plane[i &- 1] : none, westWest = x >= 2 ? plane[i &- 2] : none
        let north = y >= 1 ? plane[i &- w] : none, northNorth = y >= 2 ? plane[i &- 2 &* w] : none
        let northWest = x >= 1 && y >= 1 ? plane[i &- w &- 1] : none
        let northEast = x &+ 1 < w && y >= 1 ? plane[i &- w &+ 1] : none
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        mix(&h, west); mix(&h, north); mix(&h, northWest); mix(&h, northEast); mix(&h, westWest); mix(&h, northNorth)
        return h
    }

    /// The hash of a pixel's earlier channels' values (`Int32.min` for none): the key of colour copies.
    @inline(__always)
    static func colourHash(_ a: Int32, _ b: Int32) -> UInt64 {
        var h: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        mix(&h, a)
        mix(&h, b)
        return h
    }

    /// One value into a hash (both keys' step).
    @inline(__always)
    private static func mix(_ h: inout UInt64, _ v: Int32) {
        h = (h ^ UInt64(UInt32(bitPattern: v))) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
    }

    /// The value recorded for `hash`, if any.
    @inline(__always)
    func predict(_ hash: UInt64) -> Int32? {
        let entry = table[Int(truncatingIfNeeded: hash >> UInt64(64 - Self.bits))]
        guard entry >> 63 == 1, (entry >> 32) & 0xFFFF == (hash >> 16) & 0xFFFF else { return nil }
        return Int32(bitPattern: UInt32(truncatingIfNeeded: entry))
    }

    @inline(__always)
    mutating func record(_ hash: UInt64, value: Int32) {
        table[Int(truncatingIfNeeded: hash >> UInt64(64 - Self.bits))] = 1 << 63 | ((hash >> 16) & 0xFFFF) << 32
            | UInt64(UInt32(bitPattern: value))
    }
}
