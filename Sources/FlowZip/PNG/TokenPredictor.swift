/// Codes a deflate stream's tokens relative to what a fixed reference match finder sees in the inflated
/// data (preflate's idea: a decoder that has the data re-runs the same search and needs only the
/// corrections). At each token the finder lists the earlier strings that match: those of at least 4
/// bytes from 4-byte hash chains, the nearest 3-byte ones from a short walk of 3-byte chains, and the
/// last four match distances, within the 32 KiB window, nearest first. The token is then coded as:
/// literal or match (in the context of the longest match found, whether the next position has a longer
/// one, and the previous token); for a match, whether it is one of the *records* (a candidate longer
/// than every nearer one: what a search cut short returns, and the nearest place of any length, which
/// an optimal parser such as zopfli's takes), then which one counted from the longest and how much
/// shorter; otherwise its length relative to the longest, and its distance as a rank among the listed
/// candidates at least that long, one of the last four distances, one of the last 16 distances coded in
/// full, or in full. zlib, libdeflate and zopfli mostly pick the longest record or one near it, so most
/// tokens cost a fraction of a bit. Every decision is a bit through `BinaryRangeEncoder` with an
/// adaptive probability.
struct TokenPredictor {
    /// Chain positions the finder visits per search (4-byte chains, then 3-byte ones): it bounds the
    /// work per token; matches deeper in the chains are coded by distance.
    static let maxChain = 512
    static let maxChain3 = 16
    private static let hashBits = 15
    private static let windowMask = DeflateStream.window - 1

    private let data: [UInt8]
    private var head3: [Int32], previous3: [Int32]
    private var head4: [Int32], previous4: [Int32]
    private var inserted = 0
    /// Candidates of the last search, nearest first.
    private var distances: [Int] = []
    private var lengths: [Int] = []
    private var searched = -1
    private var longestFound = 0
    /// The last four match distances, most recent first.
    private var recent = [1, 2, 3, 4]
    /// The last 16 distances coded in full, most recent first (a row further up, in an image).
    private var farDistances = [Int](repeating: 0, count: 16)
    private var previousKind = 0
    private var models = Models()

    init(data: [UInt8]) {
        self.data = data
        head3 = [Int32](repeating: -1, count: 1 << TokenPredictor.hashBits)
        head4 = head3
        previous3 = [Int32](repeating: -1, count: DeflateStream.window)
        previous4 = previous3
    }

    private struct Models {
        var isMatch = [UInt16](repeating: 1024, count: 9 * 2 * 2)
        var isRecord = [UInt16](repeating: 1024, count: 9 * 2)
        var recordFromTop = Gamma()
        var shortfall = [Gamma](repeating: Gamma(), count: 2 * 9)
        var lengthIsLongest = [UInt16](repeating: 1024, count: 9)
        var isShorter = [UInt16](repeating: 1024, count: 9)
        var shorter = Gamma(), longer = Gamma(), lengthWithoutMatch = Gamma()
        var isListed = [UInt16](repeating: 1024, count: 2)
        var rank = Gamma()
        var isRecent = [UInt16](repeating: 1024, count: 1)
        var recentSlot = [UInt16](repeating: 1024, count: 4)
        var isFar = [UInt16](repeating: 1024, count: 1)
        var farSlot = [UInt16](repeating: 1024, count: 16)
    }

    /// Probabilities for an Elias-gamma code: the bit length in unary, then the bits below the top one.
    private struct Gamma {
        var unary = [UInt16](repeating: 1024, count: 17)
        var low = [UInt16](repeating: 1024, count: 16 * 2)
    }

    private func hash3(_ p: Int) -> Int {
        (Int(data[p]) << 10 ^ Int(data[p + 1]) << 5 ^ Int(data[p + 2])) & ((1 << TokenPredictor.hashBits) - 1)
    }

    private func hash4(_ p: Int) -> Int {
        let word = UInt32(data[p]) | UInt32(data[p + 1]) << 8 | UInt32(data[p + 2]) << 16 | UInt32(data[p + 3]) << 24
        return Int((word &* 0x9E37_79B1) >> UInt32(32 - TokenPredictor.hashBits))
    }

    /// Puts every position before `p` into the hash chains.
    private mutating func insert(upTo p: Int) {
        while inserted < p {
            if inserted + 3 <= data.count {
                let h = hash3(inserted)
                previous3[inserted & TokenPredictor.windowMask] = head3[h]
                head3[h] = Int32(inserted)
            }
            if inserted + 4 <= data.count {
                let h = hash4(inserted)
                previous4[inserted & TokenPredictor.windowMask] = head4[h]
                head4[h] = Int32(inserted)
            }
            inserted += 1
        }
    }

    /// Walks one chain from `start`, calling `visit` with each candidate's match length until it
    /// returns false; chains only go back, and not beyond the window.
    private func walk(_ p: Int, from start: Int32, previous: [Int32], steps maxSteps: Int, limit: Int,
                      _ visit: (_ distance: Int, _ length: Int) -> Bool) {
        var candidate = Int(start)
        var steps = 0
        while candidate >= 0, p - candidate <= DeflateStream.window, steps < maxSteps {
            var length = 0
            while length < limit && data[candidate + length] == data[p + length] { length += 1 }
            if !visit(p - candidate, length) { return }
            let next = Int(previous[candidate & TokenPredictor.windowMask])
            guard next < candidate else { return }
            candidate = next
            steps += 1
        }
    }

    /// Lists the matches at `p` (unless `listing` is false) and returns the longest length (0 if none).
    private mutating func search(_ p: Int, listing: Bool = true) -> Int {
        if searched == p { return longestFound }
        insert(upTo: p)
        var found4: [(Int, Int)] = [], found3: [(Int, Int)] = []
        let limit = min(DeflateStream.maxMatch, data.count - p)
        var longest = 0
        if limit >= 4 {
            walk(p, from: head4[hash4(p)], previous: previous4, steps: TokenPredictor.maxChain, limit: limit) { distance, length in
                guard length >= 4 else { return true }
                found4.append((distance, length))
                longest = max(longest, length)
                // Nothing further is longer; a nearer candidate of every length is already listed.
                return length < limit
            }
        }
        if limit >= 3 {
            walk(p, from: head3[hash3(p)], previous: previous3, steps: TokenPredictor.maxChain3, limit: min(limit, 4)) { distance, length in
                if length == 3 { found3.append((distance, 3)) }
                return true
            }
            if !found3.isEmpty { longest = max(longest, 3) }
        }
        // The last distances used, which the chains may not reach (a long run eats their steps while
        // an encoder that skips runs, as zopfli does, finds the same place a row further up).
        for distance in recent where distance <= p && !found4.contains(where: { $0.0 == distance }) {
            var length = 0
            while length < limit && data[p - distance + length] == data[p + length] { length += 1 }
            guard length >= 4 else { continue }
            let at = found4.firstIndex(where: { $0.0 > distance }) ?? found4.count
            found4.insert((distance, length), at: at)
            longest = max(longest, length)
        }
        if listing {
            // Both lists are nearest first; merged, they stay so.
            distances.removeAll(keepingCapacity: true)
            lengths.removeAll(keepingCapacity: true)
            var i = 0, j = 0
            while i < found4.count || j < found3.count {
                let takeFour = j == found3.count || (i < found4.count && found4[i].0 < found3[j].0)
                let (distance, length) = takeFour ? found4[i] : found3[j]
                if takeFour { i += 1 } else { j += 1 }
                distances.append(distance)
                lengths.append(length)
            }
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

    /// Rank of `distance` among the candidates at least `length` long, or nil if it is not one.
    private func rank(of distance: Int, length: Int) -> Int? {
        var rank = 0
        for i in distances.indices where lengths[i] >= length {
            if distances[i] == distance { return rank }
            rank += 1
        }
        return nil
    }

    private func distance(ofRank rank: Int, length: Int) -> Int? {
        var seen = 0
        for i in distances.indices where lengths[i] >= length {
            if seen == rank { return distances[i] }
            seen += 1
        }
        return nil
    }

    /// Codes the token at `p` (the encoder passes it; the decoder passes nil and gets it back, or nil
    /// when the bits describe no token that fits the data). The encoder's coder returns the bits it is
    /// given, so both sides take the same path.
    private mutating func code<Coder: BitCoder>(_ token: DeflateStream.Token?, at p: Int, _ coder: inout Coder) -> DeflateStream.Token? {
        guard p + 3 <= data.count else { return .literal }  // too near the end for a match
        let longest = search(p)
        var ahead = 0
        if longest >= 3 && longest < DeflateStream.maxMatch && p + 4 <= data.count {
            ahead = search(p + 1, listing: false) > longest ? 1 : 0
        }
        let bucket = TokenPredictor.bucket(longest)
        let isMatch = coder.code(token.map { !$0.isLiteral } ?? false, &models.isMatch[(bucket * 2 + ahead) * 2 + previousKind])
        previousKind = isMatch ? 1 : 0
        guard isMatch else { return .literal }
        let actualLength = Int(token?.length ?? 0), actualDistance = Int(token?.distance ?? 0)

        var length = longest
        if longest >= 3 {
            // The records: candidates longer than every nearer one. A search that stops early returns
            // one of them, and the nearest match of any length is the record that first reaches it.
            var records: [Int] = []
            for i in distances.indices where records.isEmpty || lengths[i] > lengths[records[records.count - 1]] {
                records.append(i)
            }
            var actualRecord: Int?
            if token != nil, let j = records.firstIndex(where: { distances[$0] == actualDistance }),
               actualLength <= lengths[records[j]], j == 0 || actualLength > lengths[records[j - 1]] {
                actualRecord = j
            }
            if coder.code(actualRecord != nil, &models.isRecord[bucket * 2 + ahead]) {
                let fromTop = TokenPredictor.gamma(records.count - 1 - (actualRecord ?? 0), &models.recordFromTop, &coder)
                guard fromTop < records.count else { return nil }
                let record = records[records.count - 1 - fromTop]
                let shortfall = TokenPredictor.gamma(lengths[record] - actualLength, &models.shortfall[(fromTop == 0 ? 0 : 9) + TokenPredictor.bucket(lengths[record])], &coder)
                guard shortfall <= lengths[record] - 3 else { return nil }
                return remember(DeflateStream.Token(length: UInt16(lengths[record] - shortfall), distance: UInt16(distances[record])))
            }
            if !coder.code(actualLength == longest, &models.lengthIsLongest[bucket]) {
                if coder.code(actualLength < longest, &models.isShorter[bucket]) {
                    length = longest - 1 - TokenPredictor.gamma(longest - 1 - actualLength, &models.shorter, &coder)
                } else {
                    length = longest + 1 + TokenPredictor.gamma(actualLength - longest - 1, &models.longer, &coder)
                }
            }
        } else {
            length = 3 + TokenPredictor.gamma(actualLength - 3, &models.lengthWithoutMatch, &coder)
        }
        guard (3...DeflateStream.maxMatch).contains(length), p + length <= data.count else { return nil }

        let listedRank = token.flatMap { _ in rank(of: actualDistance, length: length) }
        let distance: Int
        if coder.code(listedRank != nil, &models.isListed[longest >= 3 ? 1 : 0]) {
            guard let ranked = self.distance(ofRank: TokenPredictor.gamma(listedRank ?? 0, &models.rank, &coder), length: length)
            else { return nil }
            distance = ranked
        } else {
            let slot = recent.firstIndex(of: actualDistance)
            if coder.code(slot != nil, &models.isRecent[0]) {
                let high = coder.code((slot ?? 0) >> 1 == 1, &models.recentSlot[0])
                let low = coder.code((slot ?? 0) & 1 == 1, &models.recentSlot[high ? 2 : 1])
                distance = recent[(high ? 2 : 0) + (low ? 1 : 0)]
            } else if coder.code(farDistances.contains(actualDistance), &models.isFar[0]) {
                let slot = farDistances.firstIndex(of: actualDistance) ?? 0
                var node = 1
                while node < 16 {
                    let depth = Int.bitWidth - node.leadingZeroBitCount - 1
                    node = node << 1 | (coder.code(slot >> (3 - depth) & 1 == 1, &models.farSlot[node]) ? 1 : 0)
                }
                distance = farDistances[node - 16]
                guard distance > 0 else { return nil }
                farDistances.remove(at: node - 16)
                farDistances.insert(distance, at: 0)
            } else {
                var value = 0
                for i in stride(from: 14, through: 0, by: -1) {
                    var half: UInt16 = 1024
                    value = value << 1 | (coder.code((actualDistance - 1) >> i & 1 == 1, &half) ? 1 : 0)
                }
                distance = value + 1
                farDistances.removeLast()
                farDistances.insert(distance, at: 0)
            }
        }
        guard distance <= p else { return nil }
        return remember(DeflateStream.Token(length: UInt16(length), distance: UInt16(distance)))
    }

    private mutating func remember(_ token: DeflateStream.Token) -> DeflateStream.Token {
        let distance = Int(token.distance)
        if let at = recent.firstIndex(of: distance) { recent.remove(at: at) } else { recent.removeLast() }
        recent.insert(distance, at: 0)
        return token
    }

    /// An Elias-gamma code of `value` ≥ 0 (the encoder's; the decoder's comes back) of up to 16 bits.
    private static func gamma<Coder: BitCoder>(_ value: Int, _ model: inout Gamma, _ coder: inout Coder) -> Int {
        let bits = Int.bitWidth - (max(value, 0) + 1).leadingZeroBitCount
        var n = 1
        while n < 17 && coder.code(n < bits, &model.unary[n - 1]) { n += 1 }
        var result = 1
        for i in stride(from: n - 2, through: 0, by: -1) {
            result = result << 1 | (coder.code((value + 1) >> i & 1 == 1, &model.low[min(i, 15) * 2 + (n - 2 == i ? 1 : 0)]) ? 1 : 0)
        }
        return result - 1
    }

    /// Codes the tokens of the coded blocks covering `data` (a stored block's bytes are skipped).
    static func encode(blocks: [DeflateStream.Block], data: [UInt8]) -> [UInt8] {
        var predictor = TokenPredictor(data: data)
        var coder = BinaryRangeEncoder()
        var p = 0
        for block in blocks {
            p += DeflateStream.storedLength(block.header) ?? 0
            for token in block.tokens {
                _ = predictor.code(token, at: p, &coder)
                p += token.size
            }
        }
        return coder.finish()
    }

    /// The inverse of `encode`: fills in the tokens of `blocks` (whose token counts and headers are
    /// known) from the corrections; false when they do not describe tokens that fit the data.
    static func decode(_ corrections: [UInt8], blocks: inout [DeflateStream.Block], tokenCounts: [Int],
                       data: [UInt8]) -> Bool {
        var predictor = TokenPredictor(data: data)
        var decoder = BinaryRangeDecoder(corrections)
        var p = 0
        for index in blocks.indices {
            if let stored = DeflateStream.storedLength(blocks[index].header) {
                guard tokenCounts[index] == 0 else { return false }
                p += stored
            }
            var tokens: [DeflateStream.Token] = []
            tokens.reserveCapacity(tokenCounts[index])
            for _ in 0..<tokenCounts[index] {
                guard p < data.count, let token = predictor.code(nil, at: p, &decoder) else { return false }
                tokens.append(token)
                p += token.size
            }
            blocks[index].tokens = tokens
        }
        return p == data.count && !decoder.overrun
    }
}

/// One adaptive bit: the encoder codes `bit` and returns it, the decoder ignores it and returns the
/// bit it decodes.
protocol BitCoder {
    mutating func code(_ bit: Bool, _ probability: inout UInt16) -> Bool
}

extension BinaryRangeEncoder: BitCoder {
    mutating func code(_ bit: Bool, _ probability: inout UInt16) -> Bool {
        encode(bit, &probability)
        return bit
    }
}

extension BinaryRangeDecoder: BitCoder {
    mutating func code(_ bit: Bool, _ probability: inout UInt16) -> Bool { decode(&probability) }
}
