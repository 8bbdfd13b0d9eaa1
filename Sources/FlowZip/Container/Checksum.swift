internal import CZlib

/// CRC-32 (ISO-HDLC, the gzip/PNG polynomial) through zlib's table-driven implementation.
/// Used for the header, every chunk record, every raw chunk and the whole original (FORMAT.md).
struct CRC32: Sendable {
    private(set) var value: UInt32 = 0

    mutating func update(_ bytes: some Collection<UInt8>) {
        var crc = UInt(value)
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            crc = Self.update(crc, UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { crc = Self.update(crc, $0) }
        }
        value = UInt32(truncatingIfNeeded: crc)
    }

    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    private static func update(_ crc: UInt, _ buffer: UnsafeRawBufferPointer) -> UInt {
        guard var base = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return crc }
        var remaining = buffer.count
        var crc = crc
        // zlib takes a UInt32 length: feed very large buffers in pieces.
        while remaining > 0 {
            let n = min(remaining, 1 << 30)
            crc = CZlib.crc32(crc, base, uInt(n))
            base += n
            remaining -= n
        }
        return crc
    }
}
