/// The match component of payload version 6's model 2: repeated content (tiled textures, copied
/// regions) predicted from an earlier copy, as WebP's backward references and JPEG XL's patches find
/// them. The encoder picks up to two offsets (`MatchSearch`); each sub-pixel whose copy is decoded
/// gets a sharp logistic at the copy's value in its prior, weighted by how often the copy was right
/// nearby (`MatchState`).

/// Finds the offsets at which an image repeats itself exactly: the best horizontal and vertical
/// periods, by the share of sampled pixels (all channels) equal to their copy, counting only pixels
/// that differ from their left neighbour (flat areas repeat at any distance, and the predictor
/// already has them).
enum MatchSearch {
    /// Offsets under this are the predictor's business (flat areas repeat at any short distance).
    static let minimumDistance = 8
    /// A copy must match at least this share of the sampled pixels it covers (1/4) to be sent.
    static let minimumShareQ8 = 64

    static func offsets(_ planes: [Plane]) -> [MatchOffset] {
        guard let first = planes.first else { return [] }
        let (w, h) = (first.width, first.height)
        let xs = Array(stride(from: 0, to: w, by: max(1, w / 128))), ys = Array(stride(from: 0, to: h, by: max(1, h / 64)))
        /// (matching, covered) sampled pixels for the copy `dx` left and `dy` up.
        func share(dx: Int, dy: Int) -> (Int, Int) {
            var matching = 0, covered = 0
            for y in ys where y >= dy {
                for x in xs where x >= dx && x >= 1 {
                    let i = y * w + x, j = (y - dy) * w + x - dx
                    guard !planes.allSatisfy({ $0.samples[i] == $0.samples[i - 1] }) else { continue }
                    covered += 1
                    if planes.allSatisfy({ $0.samples[i] == $0.samples[j] }) { matching += 1 }
                }
            }
            return (matching, covered)
        }
        var found: [(offset: MatchOffset, matching: Int, covered: Int)] = []
        for vertical in [false, true] {
            let limit = (vertical ? h : w) / 2
            guard limit >= minimumDistance, limit <= Int(Int16.max) else { continue }
            var best: (offset: MatchOffset, matching: Int, covered: Int)? = nil
            for d in minimumDistance...limit {
                let (matching, covered) = vertical ? share(dx: 0, dy: d) : share(dx: d, dy: 0)
                guard covered >= 256, matching * 256 >= minimumShareQ8 * covered else { continue }
                // Compare matching / covered without division; ties keep the shorter distance.
                if best == nil || matching * best!.covered > best!.matching * covered {
                    best = (vertical ? MatchOffset(dx: 0, dy: UInt16(d)) : MatchOffset(dx: Int16(d), dy: 0), matching, covered)
                }
            }
            if let best { found.append(best) }
        }
        found.sort { $0.matching * $1.covered > $1.matching * $0.covered }
        return found.prefix(LearnedRasterSide.maxMatches).map(\.offset)
    }
}

/// Per channel, where the copy was right (the last row's outcome per column) and how often, per
/// context (which offset × whether the copy agrees with the rounded mean × whether the copy was
/// right at W and at N): the match component's weight. Where the copy agrees with the mean it adds
/// little; where it disagrees it must earn its weight (photos and flat images: rarely; tiles: often).
struct MatchState {
    private var hitAbove: [Bool]
    private var hits = [UInt32](repeating: 0, count: 16), totals = [UInt32](repeating: 0, count: 16)
    /// Counts are halved at this total, so the weight follows the image.
    static let window: UInt32 = 1024

    init(width: Int) { hitAbove = [Bool](repeating: false, count: width) }

    /// The context of the copy `offset` (0 or 1) at column `x`, whose value `agrees` with the rounded mean or not.
    @inline(__always)
    func context(offset: Int, agrees: Bool, x: Int) -> Int {
        offset &* 8 &+ (agrees ? 4 : 0) &+ (x > 0 && hitAbove[x &- 1] ? 2 : 0) &+ (hitAbove[x] ? 1 : 0)
    }

    /// The copy's weight in Q16, (hits + ½) / (total + 1), within 16...65520.
    @inline(__always)
    func weightQ16(_ context: Int) -> UInt16 {
        let q = ((2 &* UInt64(hits[context]) &+ 1) << 16) / (2 &* UInt64(totals[context]) &+ 2)
        return UInt16(min(max(q, 16), 65520))
    }

    /// Records the outcome at column `x`: in `context` when a copy was there, else only as a miss.
    @inline(__always)
    mutating func update(x: Int, context: Int?, hit: Bool) {
        hitAbove[x] = hit
        guard let context else { return }
        totals[context] &+= 1
        if hit { hits[context] &+= 1 }
        if totals[context] >= Self.window { totals[context] >>= 1; hits[context] >>= 1 }
    }
}
