/// Unsigned LEB128 varints (seven bits a byte, low group first, the high bit set on every byte
/// but the last): the one varint of every FlowZip format (rANS tail depth, flow side information,
/// packed headers).
public enum LEB128 {
    public enum ReadError: Error, Equatable {
        /// The bytes end before the value does.
        case truncated
        /// The value needs more than the allowed bits.
        case tooLong
    }

    public static func append(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Reads one value of at most `maxBits` bits (1...64) at `offset`, advancing it past the value.
    /// Bytes beyond what `maxBits` allows, or bits above it in the last byte, are `tooLong`.
    public static func read<Bytes: RandomAccessCollection>(_ bytes: Bytes, at offset: inout Int, maxBits: Int)
        throws(ReadError) -> UInt64 where Bytes.Element == UInt8, Bytes.Index == Int {
        precondition((1...64).contains(maxBits), "LEB128 values have 1 to 64 bits")
        var value: UInt64 = 0
        var shift = 0
        while true {
            guard offset >= bytes.startIndex, offset < bytes.endIndex else { throw .truncated }
            let byte = bytes[offset]
            // The last allowed byte carries the remaining bits and no continuation.
            if maxBits - shift <= 7, UInt64(byte) >> UInt64(maxBits - shift) != 0 { throw .tooLong }
            offset += 1
            value |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }
}
