internal import EntropyCoding

/// Appends little-endian integers to a byte array.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: UInt8) { bytes.append(value) }
    mutating func append(_ values: [UInt8]) { bytes.append(contentsOf: values) }
    mutating func append<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        for i in 0..<(T.bitWidth / 8) { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }
    /// An unsigned LEB128 varint (container version 2).
    mutating func appendVarint(_ value: UInt64) { LEB128.append(value, to: &bytes) }
}

/// Reads little-endian integers from a byte array, with every read bounds-checked.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0
    /// Names what is being read, for the truncation message.
    let context: String

    init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.context = context
    }

    mutating func skip(_ n: Int) { offset += n }

    /// The next `count` bytes.
    mutating func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= bytes.count - offset else { throw FlowZipError.truncated(context) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func u8() throws -> UInt8 { try integer() }
    mutating func u16() throws -> UInt16 { try integer() }
    mutating func u32() throws -> UInt32 { try integer() }
    mutating func u64() throws -> UInt64 { try integer() }

    /// An unsigned LEB128 varint of at most 64 bits in its one shortest encoding (container version 2):
    /// an overlong or 65-bit encoding is `corrupt`, so every value has exactly one spelling and a
    /// changed byte can never leave a value unchanged.
    mutating func varint(_ field: String) throws -> UInt64 {
        var end = offset
        let value: UInt64
        do {
            value = try LEB128.read(bytes, at: &end, maxBits: 64)
        } catch .truncated {
            throw FlowZipError.truncated(context)
        } catch {
            throw FlowZipError.corrupt("\(context): \(field) is not a valid varint")
        }
        // A final byte of 0 after a continuation adds nothing: the same value has a shorter encoding.
        guard end - offset == 1 || bytes[end - 1] != 0 else {
            throw FlowZipError.corrupt("\(context): \(field) is not a valid varint")
        }
        offset = end
        return value
    }

    private mutating func integer<T: FixedWidthInteger & UnsignedInteger>() throws -> T {
        let size = T.bitWidth / 8
        guard offset + size <= bytes.count else { throw FlowZipError.truncated(context) }
        var value: T = 0
        for i in 0..<size { value |= T(bytes[offset + i]) << (8 * i) }
        offset += size
        return value
    }
}
