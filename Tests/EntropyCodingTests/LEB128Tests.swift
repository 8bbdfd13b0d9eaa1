import Testing
@testable import EntropyCoding

@Suite struct LEB128Tests {
    @Test func valuesRoundTripAtEveryLength() throws {
        let values: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 27, (1 << 28) - 1, 1 << 35, .max]
        for v in values {
            var out = [UInt8]()
            LEB128.append(v, to: &out)
            #expect(out.count == max(1, (64 - v.leadingZeroBitCount + 6) / 7))
            var offset = 0
            #expect(try LEB128.read(out, at: &offset, maxBits: 64) == v)
            #expect(offset == out.count)
        }
    }

    @Test func readsFromASliceAtItsOwnIndices() throws {
        let bytes: [UInt8] = [9, 9, 0xAC, 0x02, 7]
        var offset = 2
        #expect(try LEB128.read(bytes[2...], at: &offset, maxBits: 28) == 300)
        #expect(offset == 4)
    }

    @Test func theBitLimitIsExact() throws {
        var out = [UInt8]()
        LEB128.append((1 << 28) - 1, to: &out)
        var offset = 0
        #expect(try LEB128.read(out, at: &offset, maxBits: 28) == (1 << 28) - 1)
        out = []
        LEB128.append(1 << 28, to: &out)
        offset = 0
        #expect(throws: LEB128.ReadError.tooLong) { try LEB128.read(out, at: &offset, maxBits: 28) }
        // 64 bits: the tenth byte may carry one bit only.
        var tenBytes = [UInt8](repeating: 0xFF, count: 9) + [0x01]
        offset = 0
        #expect(try LEB128.read(tenBytes, at: &offset, maxBits: 64) == .max)
        tenBytes[9] = 0x02
        offset = 0
        #expect(throws: LEB128.ReadError.tooLong) { try LEB128.read(tenBytes, at: &offset, maxBits: 64) }
    }

    @Test func truncatedValuesAreRejected() {
        for bytes in [[], [0x80], [0xFF, 0xFF]] as [[UInt8]] {
            var offset = 0
            #expect(throws: LEB128.ReadError.truncated) { try LEB128.read(bytes, at: &offset, maxBits: 64) }
        }
    }
}
