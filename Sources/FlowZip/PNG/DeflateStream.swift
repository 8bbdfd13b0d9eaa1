/// A raw deflate stream (RFC 1951) taken apart into what a re-encoder needs to write it again bit for
/// bit: each block's header bits verbatim (for a dynamic block they fix its Huffman codes), its tokens,
/// and the padding bits after the last block. The data itself is not kept: literals and stored bytes come
/// back from the inflated data, so only the token boundaries and match distances matter.
struct DeflateStream: Equatable {
    /// A deflate token: a literal (`length == 0`) or a match of `length` bytes at `distance`.
    struct Token: Equatable {
        var length: UInt16
        var distance: UInt16
        static let literal = Token(length: 0, distance: 0)
        var isLiteral: Bool { length == 0 }
        /// Bytes of data the token covers.
        var size: Int { isLiteral ? 1 : Int(length) }
    }

    struct Block: Equatable {
        /// The header bits in stream order: BFINAL, BTYPE, and for a dynamic block the code lengths;
        /// for a stored block also the padding to the byte boundary and LEN, NLEN.
        var header: BitString
        /// The block's tokens before end-of-block (none for a stored block).
        var tokens: [Token]
    }

    var blocks: [Block]
    /// The bits after the last block up to the byte boundary.
    var trailer: BitString

    static let maxMatch = 258
    static let window = 32768
    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                    67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
                                     5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
                                      513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
                                       10, 11, 11, 12, 12, 13, 13]
    /// The order in which a dynamic header lists the code-length code's lengths.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Parses a raw deflate stream that inflates to exactly `expectedSize` bytes; returns the parse and
    /// the number of bytes it used (the stream may be followed by other bytes), or nil if it is not valid.
    static func parse(_ bytes: ArraySlice<UInt8>, expectedSize: Int) -> (DeflateStream, Int)? {
        var reader = BitReader(bytes)
        var blocks: [Block] = []
        var produced = 0
        while true {
            let start = reader.position
            guard let final = reader.read(1), let type = reader.read(2) else { return nil }
            var tokens: [Token] = []
            switch type {
            case 0:
                reader.alignToByte()
                guard let length = reader.read(16), let complement = reader.read(16), length ^ complement == 0xFFFF,
                      reader.skip(bits: 8 * Int(length)) else { return nil }
                produced += Int(length)
                let header = reader.bits(from: start, to: reader.position - 8 * Int(length))
                blocks.append(Block(header: header, tokens: []))
            case 1, 2:
                let codes: Codes
                if type == 1 {
                    codes = Codes.fixed
                } else {
                    guard let dynamic = Codes.readDynamic(&reader) else { return nil }
                    codes = dynamic
                }
                let header = reader.bits(from: start, to: reader.position)
                while true {
                    guard let symbol = codes.literal.decode(&reader) else { return nil }
                    if symbol < 256 {
                        tokens.append(.literal)
                        produced += 1
                    } else if symbol == 256 {
                        break
                    } else {
                        let index = symbol - 257
                        guard index < 29, let extra = reader.read(lengthExtra[index]),
                              let distanceSymbol = codes.distance.decode(&reader), distanceSymbol < 30,
                              let distanceBits = reader.read(distanceExtra[distanceSymbol]) else { return nil }
                        let length = lengthBase[index] + Int(extra)
                        let distance = distanceBase[distanceSymbol] + Int(distanceBits)
                        // Length 258 written as code 284 with extra bits 31 would not be rewritten the same.
                        guard length <= maxMatch, distance <= produced, distance <= window else { return nil }
                        tokens.append(Token(length: UInt16(length), distance: UInt16(distance)))
                        produced += length
                    }
                    guard produced <= expectedSize else { return nil }
                }
                blocks.append(Block(header: header, tokens: tokens))
            default:
                return nil
            }
            guard produced <= expectedSize else { return nil }
            if final == 1 { break }
        }
        let end = reader.position
        reader.alignToByte()
        guard produced == expectedSize else { return nil }
        return (DeflateStream(blocks: blocks, trailer: reader.bits(from: end, to: reader.position)), reader.position / 8)
    }

    /// Writes the stream again from the inflated `data`; nil if the blocks and tokens do not fit it
    /// (a token past the end, a symbol the block's code cannot write, a header that does not parse).
    func write(_ data: [UInt8]) -> [UInt8]? {
        var writer = BitWriter()
        var position = 0
        for block in blocks {
            writer.append(block.header)
            var reader = BitReader(block.header.bytes[...])
            guard let _ = reader.read(1), let type = reader.read(2) else { return nil }
            switch type {
            case 0:
                // LEN is the 16 bits after the padding; the data follows the header.
                guard block.tokens.isEmpty, block.header.count >= 35 else { return nil }
                var lengthReader = BitReader(block.header.bytes[...])
                _ = lengthReader.skip(bits: block.header.count - 32)
                guard let length = lengthReader.read(16), let complement = lengthReader.read(16),
                      length ^ complement == 0xFFFF, writer.count % 8 == 0,
                      position + Int(length) <= data.count else { return nil }
                writer.appendBytes(data[position..<(position + Int(length))])
                position += Int(length)
            case 1, 2:
                let codes: Codes
                if type == 1 {
                    codes = Codes.fixed
                } else {
                    guard let dynamic = Codes.readDynamic(&reader), reader.position == block.header.count else { return nil }
                    codes = dynamic
                }
                let literalCodes = codes.literal.canonical(), distanceCodes = codes.distance.canonical()
                for token in block.tokens {
                    if token.isLiteral {
                        guard position < data.count, writer.appendCode(literalCodes[Int(data[position])]) else { return nil }
                        position += 1
                    } else {
                        let length = Int(token.length), distance = Int(token.distance)
                        guard (3...DeflateStream.maxMatch).contains(length), (1...DeflateStream.window).contains(distance),
                              position + length <= data.count else { return nil }
                        let lengthIndex = DeflateStream.lengthCode(length)
                        let distanceIndex = DeflateStream.distanceCode(distance)
                        // A header may list fewer codes than the token needs (HLIT, HDIST).
                        guard 257 + lengthIndex < literalCodes.count, distanceIndex < distanceCodes.count,
                              writer.appendCode(literalCodes[257 + lengthIndex]) else { return nil }
                        writer.append(UInt32(length - DeflateStream.lengthBase[lengthIndex]), count: DeflateStream.lengthExtra[lengthIndex])
                        guard writer.appendCode(distanceCodes[distanceIndex]) else { return nil }
                        writer.append(UInt32(distance - DeflateStream.distanceBase[distanceIndex]), count: DeflateStream.distanceExtra[distanceIndex])
                        position += length
                    }
                }
                guard writer.appendCode(literalCodes[256]) else { return nil }
            default:
                return nil
            }
        }
        guard position == data.count else { return nil }
        writer.append(trailer)
        guard writer.count % 8 == 0 else { return nil }
        return writer.bytes
    }

    /// LEN of a stored block's header (its last 32 bits are LEN and NLEN); nil for other blocks.
    static func storedLength(_ header: BitString) -> Int? {
        var reader = BitReader(header.bytes[...])
        guard header.count >= 35, reader.read(1) != nil, reader.read(2) == 0,
              reader.skip(bits: header.count - 35), let length = reader.read(16) else { return nil }
        return Int(length)
    }

    /// The codes of a fixed or dynamic block from its header bits; nil for a stored block or a header
    /// that does not parse to exactly its bits.
    static func codes(_ header: BitString) -> Codes? {
        var reader = BitReader(header.bytes[...])
        guard reader.read(1) != nil, let type = reader.read(2) else { return nil }
        switch type {
        case 1: return reader.position == header.count ? Codes.fixed : nil
        case 2:
            guard let codes = Codes.readDynamic(&reader), reader.position == header.count else { return nil }
            return codes
        default: return nil
        }
    }

    /// The length code (0-28) of a match length 3...258; 258 always gets code 285's slot 28.
    static func lengthCode(_ length: Int) -> Int {
        if length == 258 { return 28 }
        var index = 27
        while lengthBase[index] > length { index -= 1 }
        return index
    }

    static func distanceCode(_ distance: Int) -> Int {
        var index = 29
        while distanceBase[index] > distance { index -= 1 }
        return index
    }
}

/// A string of bits in deflate's order (the first bit in bit 0 of the first byte).
struct BitString: Equatable {
    var bytes: [UInt8] = []
    var count = 0
}

/// Reads bits least significant first, as deflate packs them; nil past the end.
struct BitReader {
    let bytes: ArraySlice<UInt8>
    private(set) var position = 0

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    mutating func read(_ count: Int) -> UInt32? {
        guard position + count <= bytes.count * 8 else { return nil }
        var value: UInt32 = 0
        for i in 0..<count {
            let bit = (bytes[bytes.startIndex + (position >> 3)] >> UInt8(position & 7)) & 1
            value |= UInt32(bit) << UInt32(i)
            position += 1
        }
        return value
    }

    mutating func skip(bits: Int) -> Bool {
        guard bits >= 0, position + bits <= bytes.count * 8 else { return false }
        position += bits
        return true
    }

    mutating func alignToByte() { position = (position + 7) & ~7 }

    /// The bits in `start..<end` (both within what was read).
    func bits(from start: Int, to end: Int) -> BitString {
        var copy = BitReader(bytes)
        copy.position = start
        var writer = BitWriter()
        var left = end - start
        while left > 0 {
            let n = min(left, 24)
            writer.append(copy.read(n)!, count: n)
            left -= n
        }
        return BitString(bytes: writer.bytes, count: writer.count)
    }
}

/// Writes bits least significant first.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: UInt32, count n: Int) {
        for i in 0..<n {
            if count & 7 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8((value >> UInt32(i)) & 1) << UInt8(count & 7)
            count += 1
        }
    }

    mutating func append(_ bits: BitString) {
        var reader = BitReader(bits.bytes[...])
        var left = bits.count
        while left > 0 {
            let n = min(left, 24)
            guard let value = reader.read(n) else { return }
            append(value, count: n)
            left -= n
        }
    }

    /// Whole bytes at a byte boundary.
    mutating func appendBytes(_ data: ArraySlice<UInt8>) {
        bytes.append(contentsOf: data)
        count += 8 * data.count
    }

    /// A Huffman code (most significant bit first); false for a symbol without a code.
    mutating func appendCode(_ code: HuffmanCode.Code) -> Bool {
        guard code.length > 0 else { return false }
        for i in stride(from: Int(code.length) - 1, through: 0, by: -1) { append((code.bits >> UInt32(i)) & 1, count: 1) }
        return true
    }
}

/// A canonical Huffman code given by its code lengths (RFC 1951 3.2.2), decoded as zlib's `puff` does.
struct HuffmanCode {
    struct Code { var bits: UInt32; var length: UInt8 }
    let lengths: [UInt8]
    /// Symbols with a code of each length 0...15, and the symbols sorted by code.
    private var counts = [Int](repeating: 0, count: 16)
    private var symbols: [Int] = []

    /// nil for an over-subscribed code, or an incomplete one other than a single code (as zlib decides).
    init?(lengths: [UInt8], allowIncomplete: Bool) {
        self.lengths = lengths
        for length in lengths { counts[Int(length)] += 1 }
        var left = 1
        for length in 1..<16 {
            left = left * 2 - counts[length]
            if left < 0 { return nil }
        }
        let used = lengths.count - counts[0]
        if left > 0 && !(allowIncomplete || used <= 1) { return nil }
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        symbols = [Int](repeating: 0, count: used)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            symbols[offsets[Int(length)]] = symbol
            offsets[Int(length)] += 1
        }
    }

    func decode(_ reader: inout BitReader) -> Int? {
        var code = 0, first = 0, index = 0
        for length in 1..<16 {
            guard let bit = reader.read(1) else { return nil }
            code |= Int(bit)
            let count = counts[length]
            if code - count < first { return symbols[index + (code - first)] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        return nil
    }

    /// Each symbol's code (length 0: none).
    func canonical() -> [Code] {
        var next = [UInt32](repeating: 0, count: 16)
        var code: UInt32 = 0
        for length in 1..<16 {
            code = (code + UInt32(counts[length - 1] * (length > 1 ? 1 : 0))) << 1
            next[length] = code
        }
        return lengths.map { length in
            guard length > 0 else { return Code(bits: 0, length: 0) }
            defer { next[Int(length)] &+= 1 }
            return Code(bits: next[Int(length)], length: length)
        }
    }
}

/// A block's literal/length and distance codes.
struct Codes {
    let literal: HuffmanCode
    let distance: HuffmanCode

    static let fixed: Codes = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return Codes(literal: HuffmanCode(lengths: lengths, allowIncomplete: false)!,
                     distance: HuffmanCode(lengths: [UInt8](repeating: 5, count: 30), allowIncomplete: true)!)
    }()

    /// Reads a dynamic block's code lengths (after BFINAL and BTYPE).
    static func readDynamic(_ reader: inout BitReader) -> Codes? {
        guard let hlit = reader.read(5), let hdist = reader.read(5), let hclen = reader.read(4) else { return nil }
        let literalCount = Int(hlit) + 257, distanceCount = Int(hdist) + 1
        guard literalCount <= 286, distanceCount <= 30 else { return nil }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<(Int(hclen) + 4) {
            guard let length = reader.read(3) else { return nil }
            codeLengthLengths[DeflateStream.codeLengthOrder[i]] = UInt8(length)
        }
        guard let codeLengthCode = HuffmanCode(lengths: codeLengthLengths, allowIncomplete: false) else { return nil }
        var lengths: [UInt8] = []
        let total = literalCount + distanceCount
        while lengths.count < total {
            guard let symbol = codeLengthCode.decode(&reader) else { return nil }
            if symbol < 16 {
                lengths.append(UInt8(symbol))
                continue
            }
            var repeatValue: UInt8 = 0, times = 0
            switch symbol {
            case 16:
                guard let last = lengths.last, let extra = reader.read(2) else { return nil }
                (repeatValue, times) = (last, 3 + Int(extra))
            case 17:
                guard let extra = reader.read(3) else { return nil }
                times = 3 + Int(extra)
            default:
                guard let extra = reader.read(7) else { return nil }
                times = 11 + Int(extra)
            }
            guard lengths.count + times <= total else { return nil }
            lengths += [UInt8](repeating: repeatValue, count: times)
        }
        guard lengths[256] > 0,
              let literal = HuffmanCode(lengths: Array(lengths[0..<literalCount]), allowIncomplete: false),
              let distance = HuffmanCode(lengths: Array(lengths[literalCount...]), allowIncomplete: false)
        else { return nil }
        return Codes(literal: literal, distance: distance)
    }
}
