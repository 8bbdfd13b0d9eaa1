import FlowZip
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a decompressed file sparsely, as zstd `--sparse` does: every aligned block of `blockSize`
/// zero bytes is skipped with a seek instead of written, so the file system can leave it unallocated
/// (a hole reads as zeros). `finish()` sets the file's length, which a trailing hole does not.
///
/// Only for a descriptor of a regular file positioned at its end (a new output file): there a hole
/// reads back as zeros. Write, seek and truncate errors are thrown, never ignored.
struct SparseSink: FlowZip.ByteSink {
    /// The file system's usual block: a smaller all-zero run would still share an allocated block.
    static let blockSize = 4096

    private var base: FlowZip.FileDescriptorSink
    /// The file offset of the next byte, whether written or skipped.
    private var position: Int64
    /// Zero bytes skipped and not yet passed with a seek.
    private var skipped: Int64 = 0

    /// A sink writing `descriptor` from its current offset on.
    init(_ descriptor: Int32) throws {
        base = FlowZip.FileDescriptorSink(descriptor)
        position = Int64(lseek(descriptor, 0, SEEK_CUR))
        guard position >= 0 else { throw Self.failure("seek") }
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        // Bytes from `pending` to `offset` are to be written in one call.
        var pending = 0
        while offset < bytes.count {
            // The piece up to the next block boundary of the file.
            let boundary = Self.blockSize - Int(position % Int64(Self.blockSize))
            let piece = min(boundary, bytes.count - offset)
            if piece == Self.blockSize && Self.isZero(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + piece)])) {
                try flush(UnsafeRawBufferPointer(rebasing: bytes[pending..<offset]))
                skipped += Int64(piece)
                pending = offset + piece
            }
            offset += piece
            position += Int64(piece)
        }
        try flush(UnsafeRawBufferPointer(rebasing: bytes[pending..<offset]))
    }

    /// Passes the skipped zeros with a seek, then writes `bytes`.
    private mutating func flush(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        try seekOverSkipped()
        try base.write(bytes)
    }

    private mutating func seekOverSkipped() throws {
        guard skipped > 0 else { return }
        guard lseek(base.descriptor, off_t(skipped), SEEK_CUR) >= 0 else { throw Self.failure("seek") }
        skipped = 0
    }

    /// Ends the file at the last byte given: a trailing hole is made part of it by extending the length.
    mutating func finish() throws {
        guard skipped > 0 else { return }
        try seekOverSkipped()
        guard ftruncate(base.descriptor, off_t(position)) == 0 else { throw Self.failure("write") }
    }

    static func isZero(_ block: UnsafeRawBufferPointer) -> Bool {
        var word = 0
        while word + 8 <= block.count {
            if block.loadUnaligned(fromByteOffset: word, as: UInt64.self) != 0 { return false }
            word += 8
        }
        return block[word...].allSatisfy { $0 == 0 }
    }

    private static func failure(_ what: String) -> CLIError {
        CLIError("\(what) error: \(String(cString: strerror(errno)))")
    }
}
