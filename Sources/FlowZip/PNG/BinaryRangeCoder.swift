/// An adaptive binary range coder (the carry-less-cache scheme of LZMA's coder): each bit is coded with
/// a probability that moves towards the bits seen, so a well-predicted decision costs a small fraction of
/// a bit. Used for the deflate token corrections, whose decisions are mostly the predicted one.
struct BinaryRangeEncoder {
    private(set) var bytes: [UInt8] = []
    private var low: UInt64 = 0
    private var range: UInt32 = 0xFFFF_FFFF
    private var cache: UInt8 = 0
    private var cacheSize = 1

    /// Codes `bit` with `probability` (of a 0, in 1/2048), then adapts it.
    mutating func encode(_ bit: Bool, _ probability: inout UInt16) {
        let bound = (range >> 11) &* UInt32(probability)
        if bit {
            low &+= UInt64(bound)
            range &-= bound
            probability -= probability >> 5
        } else {
            range = bound
            probability += (2048 - probability) >> 5
        }
        while range < 1 << 24 {
            range <<= 8
            shiftLow()
        }
    }

    /// `count` bits of `value`, most significant first, each with probability one half.
    mutating func encodeDirect(_ value: Int, count: Int) {
        for i in stride(from: count - 1, through: 0, by: -1) {
            var half: UInt16 = 1024
            encode((value >> i) & 1 == 1, &half)
        }
    }

    private mutating func shiftLow() {
        if low < 0xFF00_0000 || low >= 1 << 32 {
            let carry = UInt8(truncatingIfNeeded: low >> 32)
            var byte = cache
            repeat {
                bytes.append(byte &+ carry)
                byte = 0xFF
                cacheSize -= 1
            } while cacheSize != 0
            cache = UInt8(truncatingIfNeeded: low >> 24)
        }
        cacheSize += 1
        low = (low & 0x00FF_FFFF) << 8
    }

    /// The coded bytes, all bits flushed.
    mutating func finish() -> [UInt8] {
        for _ in 0..<5 { shiftLow() }
        return bytes
    }
}

/// Decodes what `BinaryRangeEncoder` wrote with the same probabilities. Reading past the end yields zero
/// bytes, so a damaged or short input decodes to some bits (bounded by the caller's token count) and is
/// caught by the checks on what those bits say and by the container's checksum.
struct BinaryRangeDecoder {
    private let bytes: [UInt8]
    private var offset = 0
    private var code: UInt32 = 0
    private var range: UInt32 = 0xFFFF_FFFF

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        for _ in 0..<5 { code = code << 8 | UInt32(nextByte()) }
    }

    /// Whether it read further beyond the input than the encoder's flush accounts for (a valid input
    /// is read at most 4 bytes past its end).
    var overrun: Bool { offset > bytes.count + 4 }

    private mutating func nextByte() -> UInt8 {
        defer { offset += 1 }
        return offset < bytes.count ? bytes[offset] : 0
    }

    mutating func decode(_ probability: inout UInt16) -> Bool {
        let bound = (range >> 11) &* UInt32(probability)
        let bit: Bool
        if code < bound {
            range = bound
            probability += (2048 - probability) >> 5
            bit = false
        } else {
            code &-= bound
            range &-= bound
            probability -= probability >> 5
            bit = true
        }
        while range < 1 << 24 {
            range <<= 8
            code = code << 8 | UInt32(nextByte())
        }
        return bit
    }

    mutating func decodeDirect(count: Int) -> Int {
        var value = 0
        for _ in 0..<count {
            var half: UInt16 = 1024
            value = value << 1 | (decode(&half) ? 1 : 0)
        }
        return value
    }
}
