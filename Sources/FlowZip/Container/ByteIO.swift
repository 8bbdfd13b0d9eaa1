/// Appends little-endian integers to a byte array.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: UInt8) { bytes.append(value) }
    mutating func append(_ values: [UInt8]) { bytes.append(contentsOf: values) }
    mutating func append<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        for i in 0..<(T.bitWidth / 8) { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }
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
    mutating func u32() throws -> UInt32 { try integer() }
    mutating func u64() throws -> UInt64 { try integer() }

    private mutating func integer<T: FixedWidthInteger & UnsignedInteger>() throws -> T {
        let size = T.bitWidth / 8
        guard offset + size <= bytes.count else { throw FlowZipError.truncated(context) }
        var value: T = 0
        for i in 0..<size { value |= T(bytes[offset + i]) << (8 * i) }
        offset += size
        return value
    }
}
