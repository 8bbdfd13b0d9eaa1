/// Codes a deflate stream's tokens relative to what a fixed reference match finder sees in the inflated
/// data (preflate's idea: a decoder that has the data re-runs the same search and needs only the
/// corrections). At each token the finder lists the earlier strings that match (3-byte hash chains over
/// a 32 KiB window, nearest first, at most `maxChain` of them); the token is coded as: literal or match
/// (in the context of the longest match found, whether the next position has a longer one, and the
/// previous token), then for a match whether it is the "obvious" one (the longest, at its nearest
/// distance), and otherwise its length and its distance as a rank among the candidates at least that
/// long (or, rarely, the distance itself). The encoders of zlib, libdeflate and zopfli mostly pick the
/// obvious match or a nearby choice, so most tokens cost a fraction of a bit.
struct TokenPredictor {
    /// Chain positions the finder looks at per search: enough for the matches real encoders pick
    /// (deeper ones are coded by distance), and it bounds the work per token.
    static let maxChain = 256
    private static let hashBits = 15

    private let data: [UInt8]
    private var head: [Int32]
    private var previous: [Int32]
    private var inserted = 0
    /// Candidates of the last search: distances and lengths, nearest first.
    private var distances: [Int] = []
    private var lengths: [Int] = []
    private var searched = -1
    private var longestFound = 0
    private var models = Models()

    init(data: [UInt8]) {
        self.data = data
        head = [Int32](repeating: -1, count: 1 << TokenPredictor.hashBits)
        previous = [Int32](repeating: -1, count: DeflateStream.window)
    }

    private struct Models {
        var isMatch = [UInt16](repeating: 1024, count: 9 * 2 * 2)
        var isObvious = [UInt16](repeating: 1024, count: 9 * 2)
        var lengthIsLongest = [UInt16](repeating: 1024, count: 9)
        var length = [UInt16](repeating: 1024, count: 2 * 256)
        var isEscape = [UInt16](repeating: 1024, count: 2)
        var rankBits = [UInt16](repeating: 1024, count: 2 * 16)
        var rankLow = [UInt16](repeating: 1024, count: 16)
    }

    private func hash(_ p: Int) -> Int {
        (Int(data[p]) << 10 ^ Int(data[p + 1]) << 5 ^ Int(data[p + 2])) & ((1 << TokenPredictor.hashBits) - 1)
    }

    /// Puts every position before `p` (that starts three bytes) into the hash chains.
    private mutating func insert(upTo p: Int) {
        while inserted < p {
            if inserted + 3 <= data.count {
                let h = hash(inserted)
                previous[inserted & (DeflateStream.window - 1)] = head[h]
                head[h] = Int32(inserted)
            }
            inserted += 1
        }
    }

    /// Lists the matches at `p` (nearest first, unless `listing` is false) and returns the longest
    /// length (0 if none).
    private mutating func search(_ p: Int, listing: Bool = true) -> Int {
        if searched == p { return longestFound }
        insert(upTo: p)
        if listing {
            distances.removeAll(keepingCapacity: true)
            lengths.removeAll(keepingCapacity: true)
        }
        let limit = min(DeflateStream.maxMatch, data.count - p)
        var longest = 0
        if limit >= 3 {
            var candidate = Int(head[hash(p)])
            var steps = 0
            while candidate >= 0, p - candidate <= DeflateStream.window, steps < TokenPredictor.maxChain {
                var length = 0
                while length < limit && data[candidate + length] == data[p + length] { length += 1 }
                if length >= 3 {
                    if listing {
                        distances.append(p - candidate)
                        lengths.append(length)
                    }
                    longest = max(longest, length)
                    // Nothing further can be longer; a nearer candidate of every length is already listed.
                    if length == limit { break }
                }
                let next = Int(previous[candidate & (DeflateStream.window - 1)])
                guard next < candidate else { break }
                candidate = next
                steps += 1
            }
        }
        if listing {
            searched = p
            longestFound = longest
        }
        return longest
    }

    private static func bucket(_ longest: Int) -> Int {
        switch longest {
        case ..<3: 0
        case 3: 1
        case 4: 2
        case 5...6: 3
        case 7...10: 4
        case 11...20: 5
        case 21...60: 6
        case 61...257: 7
        default: 8
        }
    }

    /// What the finder knows at `p`: the context of the token there.
    private mutating func context(at p: Int) -> (longest: Int, bucket: Int, ahead: Int) {
        let longest = search(p)
        var ahead = 0
        if longest >= 3 && longest < DeflateStream.maxMatch && p + 1 + 3 <= data.count {
            ahead = search(p + 1, listing: false) > longest ? 1 : 0
        }
        return (longest, TokenPredictor.bucket(longest), ahead)
    }

    /// Rank of `distance` among the candidates at least `length` long, or their count if it is not one.
    private func rank(of distance: Int, length: Int) -> (rank: Int, count: Int) {
        var rank = 0, count = 0
        var found = -1
        for i in distances.indices where lengths[i] >= length {
            if distances[i] == distance && found < 0 { found = rank }
            rank += 1
            count += 1
        }
        return (found < 0 ? count : found, count)
    }

    private func distance(ofRank rank: Int, length: Int) -> Int? {
        var seen = 0
        for i in distances.indices where lengths[i] >= length {
            if seen == rank { return distances[i] }
            seen += 1
        }
        return nil
    }

    /// Codes the tokens of the coded blocks (in stream order; stored blocks' bytes are passed by
    /// `skip`) covering `data`.
    static func encode(blocks: [DeflateStream.Block], data: [UInt8]) -> [UInt8] {
        var predictor = TokenPredictor(data: data)
        var coder = BinaryRangeEncoder()
        var p = 0
        var previousKind = 0
        for block in blocks {
            if block.tokens.isEmpty {
                p += DeflateStream.storedLength(block.header) ?? 0
                continue
            }
            for token in block.tokens {
                defer { p += token.size }
                guard p + 3 <= data.count else { continue }  // too near the end for a match: a literal
                let (longest, bucket, ahead) = predictor.context(at: p)
                coder.encode(!token.isLiteral, &predictor.models.isMatch[(bucket * 2 + ahead) * 2 + previousKind])
                previousKind = token.isLiteral ? 0 : 1
                if token.isLiteral { continue }
                let length = Int(token.length), distance = Int(token.distance)
                if longest >= 3 {
                    let obvious = length == longest && predictor.rank(of: distance, length: length).rank == 0
                    coder.encode(obvious, &predictor.models.isObvious[bucket * 2 + ahead])
                    if obvious { continue }
                    coder.encode(length == longest, &predictor.models.lengthIsLongest[bucket])
                }
                if longest < 3 || length != longest {
                    var node = 1
                    let tree = longest >= 3 ? 256 : 0
                    for i in stride(from: 7, through: 0, by: -1) {
                        let bit = (length - 3) >> i & 1 == 1
                        coder.encode(bit, &predictor.models.length[tree + node])
                        node = node << 1 | (bit ? 1 : 0)
                        if node >= 256 { break }
                    }
                }
                let (rank, count) = predictor.rank(of: distance, length: length)
                let escape = rank == count
                coder.encode(escape, &predictor.models.isEscape[longest >= 3 ? 1 : 0])
                if escape {
                    coder.encodeDirect(distance - 1, count: 15)
                } else {
                    predictor.encodeRank(rank, &coder)
                }
            }
        }
        return coder.finish()
    }

    /// Elias-gamma-like: the bit length of rank+1 in unary, then its lower bits.
    private mutating func encodeRank(_ rank: Int, _ coder: inout BinaryRangeEncoder) {
        let value = rank + 1
        let bits = Int.bitWidth - value.leadingZeroBitCount
        for i in 1..<bits { coder.encode(true, &models.rankBits[i]) }
        if bits < 16 { coder.encode(false, &models.rankBits[bits]) }
        for i in stride(from: bits - 2, through: 0, by: -1) { coder.encode(value >> i & 1 == 1, &models.rankLow[min(i, 15)]) }
    }

    private mutating func decodeRank(_ decoder: inout BinaryRangeDecoder) -> Int {
        var bits = 1
        while bits < 16 && decoder.decode(&models.rankBits[bits]) { bits += 1 }
        var value = 1
        for i in stride(from: bits - 2, through: 0, by: -1) { value = value << 1 | (decoder.decode(&models.rankLow[min(i, 15)]) ? 1 : 0) }
        return value - 1
    }

    /// The inverse of `encode`: fills in the tokens of `blocks` (whose token counts and headers are
    /// known) from the corrections; nil when they do not describe tokens that fit the data.
    static func decode(_ corrections: [UInt8], blocks: inout [DeflateStream.Block], tokenCounts: [Int],
                       data: [UInt8]) -> Bool {
        var predictor = TokenPredictor(data: data)
        var decoder = BinaryRangeDecoder(corrections)
        var p = 0
        var previousKind = 0
        for index in blocks.indices {
            if tokenCounts[index] == 0 {
                if let stored = DeflateStream.storedLength(blocks[index].header) { p += stored }
                guard p <= data.count else { return false }
                continue
            }
            var tokens: [DeflateStream.Token] = []
            tokens.reserveCapacity(tokenCounts[index])
            for _ in 0..<tokenCounts[index] {
                guard p < data.count else { return false }
                guard p + 3 <= data.count else {
                    tokens.append(.literal)
                    p += 1
                    continue
                }
                let (longest, bucket, ahead) = predictor.context(at: p)
                let isMatch = decoder.decode(&predictor.models.isMatch[(bucket * 2 + ahead) * 2 + previousKind])
                previousKind = isMatch ? 1 : 0
                guard isMatch else {
                    tokens.append(.literal)
                    p += 1
                    continue
                }
                var length = longest
                if longest >= 3 {
                    if decoder.decode(&predictor.models.isObvious[bucket * 2 + ahead]) {
                        guard let distance = predictor.distance(ofRank: 0, length: length) else { return false }
                        tokens.append(.init(length: UInt16(length), distance: UInt16(distance)))
                        p += length
                        continue
                    }
                }
                if longest < 3 || !decoder.decode(&predictor.models.lengthIsLongest[bucket]) {
                    var node = 1
                    let tree = longest >= 3 ? 256 : 0
                    while node < 256 { node = node << 1 | (decoder.decode(&predictor.models.length[tree + node]) ? 1 : 0) }
                    length = node - 256 + 3
                }
                guard length <= DeflateStream.maxMatch, p + length <= data.count else { return false }
                let distance: Int
                if decoder.decode(&predictor.models.isEscape[longest >= 3 ? 1 : 0]) {
                    distance = decoder.decodeDirect(count: 15) + 1
                } else {
                    guard let ranked = predictor.distance(ofRank: predictor.decodeRank(&decoder), length: length) else { return false }
                    distance = ranked
                }
                guard distance <= p else { return false }
                tokens.append(.init(length: UInt16(length), distance: UInt16(distance)))
                p += length
            }
            blocks[index].tokens = tokens
        }
        return p == data.count
    }
}
