#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FlowZip {
    /// Where a streaming call reads bytes from: a file, a pipe, a socket, memory, or anything of your own.
    ///
    /// FlowZip asks for at most one chunk (``FlowZip/Options/chunkSize``) at a time and keeps at most
    /// a few chunks in memory, so a source may be far larger than memory.
    ///
    /// ```swift
    /// struct Repeating: FlowZip.ByteSource {   // 1 MiB of "ab"
    ///     var left = 1 << 20
    ///     mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    ///         let n = min(left, buffer.count)
    ///         for i in 0..<n { buffer[i] = i % 2 == 0 ? 0x61 : 0x62 }
    ///         left -= n
    ///         return n
    ///     }
    /// }
    /// ```
    public protocol ByteSource {
        /// Reads up to `buffer.count` bytes into the start of `buffer` and returns how many it read:
        /// fewer is fine (FlowZip asks again), 0 means the end. Errors thrown here end the call and
        /// reach its caller unchanged.
        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    }

    /// Where a streaming call writes bytes to: a file, a pipe, memory (`[UInt8]` is a sink that
    /// appends), or anything of your own.
    ///
    /// FlowZip writes each piece once, in order, and never goes back: when a call throws, the sink
    /// holds what was written before the error. Decompression writes a chunk only after its
    /// checksum matched, so that is always a correct prefix of the original.
    public protocol ByteSink {
        /// Writes all of `bytes`. Errors thrown here end the call and reach its caller unchanged.
        mutating func write(_ bytes: UnsafeRawBufferPointer) throws
    }

    /// Reads an open file descriptor (a file, a pipe, standard input) with `read(2)`, retrying short
    /// reads and `EINTR`; it does not close the descriptor.
    ///
    /// A Foundation `FileHandle` gives its descriptor as `fileDescriptor`:
    /// `FlowZip.FileDescriptorSource(handle.fileDescriptor)`. (FlowZip itself does not link Foundation:
    /// that would cost every `flowzip` process a third of its start-up time.)
    public struct FileDescriptorSource: ByteSource, Sendable {
        /// The descriptor read from.
        public let descriptor: Int32

        /// A source reading `descriptor`, which stays open and owned by the caller.
        public init(_ descriptor: Int32) { self.descriptor = descriptor }

        /// Reads with `read(2)`; a failure throws ``FlowZipError/Code/io`` with its `errno`.
        public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
            while true {
                let got = systemRead(descriptor, base, buffer.count)
                if got >= 0 { return got }
                let code = errno
                if code != EINTR { throw FlowZipError.io("read error: \(systemErrorMessage(code))", errno: code) }
            }
        }
    }

    /// Writes an open file descriptor (a file, a pipe, standard output) with `write(2)`, looping over
    /// partial writes and `EINTR`; it does not close the descriptor. For a `FileHandle`:
    /// `FlowZip.FileDescriptorSink(handle.fileDescriptor)`.
    public struct FileDescriptorSink: ByteSink, Sendable {
        /// The descriptor written to.
        public let descriptor: Int32

        /// A sink writing to `descriptor`, which stays open and owned by the caller.
        public init(_ descriptor: Int32) { self.descriptor = descriptor }

        /// Writes with `write(2)`; a failure throws ``FlowZipError/Code/io`` with its `errno`.
        public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard let base = bytes.baseAddress else { return }
            var written = 0
            while written < bytes.count {
                let put = systemWrite(descriptor, base + written, bytes.count - written)
                if put < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw FlowZipError.io("write error: \(systemErrorMessage(code))", errno: code)
                }
                written += put
            }
        }
    }

    /// Reads bytes held in memory.
    ///
    /// ```swift
    /// var source = FlowZip.MemorySource(packed)
    /// var restored: [UInt8] = []
    /// try Decompressor().decompress(from: &source, to: &restored)
    /// ```
    public struct MemorySource: ByteSource, Sendable {
        /// All the bytes, read from the start.
        public let bytes: [UInt8]
        /// How many of `bytes` were read.
        public private(set) var position = 0

        /// A source over a copy of `bytes`.
        public init(_ bytes: some Collection<UInt8>) { self.bytes = Array(bytes) }

        /// Copies the next bytes into `buffer`.
        public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = min(buffer.count, bytes.count - position)
            guard count > 0 else { return 0 }
            bytes.withUnsafeBytes { all in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[position..<(position + count)]))
            }
            position += count
            return count
        }
    }
}

/// A byte array is a sink that appends.
extension Array: FlowZip.ByteSink where Element == UInt8 {
    /// Appends `bytes`.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        append(contentsOf: bytes)
    }
}

// The module's own short names.
typealias ByteSource = FlowZip.ByteSource
typealias ByteSink = FlowZip.ByteSink

extension FlowZip.ByteSource {
    /// Up to `count` bytes, fewer only at the end; reads again after short reads (pipes).
    mutating func read(upTo count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            // Pieces of at most 4 MiB in uninitialised capacity: a small file read with a 16 MiB chunk
            // size touches only its own bytes, and a large one keeps the allocation pattern (and peak
            // memory) the descriptor reader always had.
            let want = min(count - result.count, 1 << 22)
            let piece = try [UInt8](unsafeUninitializedCapacity: want) { buffer, initialized in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                while initialized < want {
                    let got = try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[initialized...]))
                    guard got > 0 else { break }
                    precondition(got <= want - initialized, "a ByteSource read more bytes than its buffer holds")
                    initialized += got
                }
            }
            if piece.isEmpty { break }
            if result.isEmpty && piece.count == count { return piece }
            result.append(contentsOf: piece)
            if piece.count < want { break }
        }
        return result
    }
}

extension FlowZip.ByteSink {
    /// Writes a whole array.
    mutating func write(bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}

/// A source whose first bytes can be looked at before they are read (for sniffing the modality).
struct PeekableSource<Base: ByteSource>: ByteSource {
    var base: Base
    private var pending: [UInt8] = []
    private var pendingOffset = 0

    init(_ base: Base) { self.base = base }

    /// The bytes taken from `base` but not read yet.
    var unread: [UInt8] { Array(pending[pendingOffset...]) }

    /// Up to `count` bytes from the current position, without consuming them.
    mutating func peek(_ count: Int) throws -> [UInt8] {
        let buffered = pending.count - pendingOffset
        if buffered < count {
            pending = Array(pending[pendingOffset...]) + (try base.read(upTo: count - buffered))
            pendingOffset = 0
        }
        return Array(pending[pendingOffset..<min(pending.count, pendingOffset + count)])
    }

    mutating func read(upTo count: Int) throws -> [UInt8] {
        if pendingOffset == pending.count { return try base.read(upTo: count) }
        let fromPending = Array(pending[pendingOffset..<min(pending.count, pendingOffset + count)])
        pendingOffset += fromPending.count
        if fromPending.count == count { return fromPending }
        return fromPending + (try base.read(upTo: count - fromPending.count))
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let bytes = try read(upTo: buffer.count)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return bytes.count
    }
}

// The C calls under their own names: inside the types, `read` and `write` are the methods.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemErrorMessage(_ code: Int32) -> String { String(cString: strerror(code)) }
