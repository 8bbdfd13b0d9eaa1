#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where compressed or original bytes come from. `read(upTo:)` returns fewer bytes only at the end.
protocol ByteSource {
    mutating func read(upTo count: Int) throws -> [UInt8]
}

/// Where bytes go.
protocol ByteSink {
    mutating func write(_ bytes: [UInt8]) throws
}

/// An in-memory source over a byte array.
struct ArraySource: ByteSource {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read(upTo count: Int) throws -> [UInt8] {
        let end = min(bytes.count, offset + count)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// An in-memory sink.
struct ArraySink: ByteSink {
    var bytes: [UInt8] = []
    mutating func write(_ bytes: [UInt8]) throws { self.bytes.append(contentsOf: bytes) }
}

/// A source over an open file descriptor (a file or a pipe); loops because pipes return short reads.
/// Plain `read(2)` rather than Foundation's FileHandle, so that the library does not load Foundation.
struct FileDescriptorSource: ByteSource {
    let descriptor: Int32

    mutating func read(upTo count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            // Uninitialised capacity: a small file read with a 16 MiB chunk size touches only its own bytes.
            let want = min(count - result.count, 1 << 22)
            let piece = try [UInt8](unsafeUninitializedCapacity: want) { buffer, initialized in
                var got: Int
                repeat { got = systemRead(descriptor, buffer.baseAddress!, want) } while got < 0 && errno == EINTR
                guard got >= 0 else { throw FlowZipError.io("read error: \(systemErrorMessage())") }
                initialized = got
            }
            if piece.isEmpty { break }
            if result.isEmpty && piece.count == count { return piece }
            result.append(contentsOf: piece)
        }
        return result
    }
}

/// A sink over an open file descriptor; loops because `write(2)` may write less than asked.
struct FileDescriptorSink: ByteSink {
    let descriptor: Int32

    mutating func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let put = systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if put < 0 {
                    if errno == EINTR { continue }
                    throw FlowZipError.io("write error: \(systemErrorMessage())")
                }
                written += put
            }
        }
    }
}

/// A source whose first bytes can be looked at before they are read (for sniffing the modality).
struct PeekableSource<Base: ByteSource>: ByteSource {
    var base: Base
    private var pending: [UInt8] = []
    private var pendingOffset = 0

    init(_ base: Base) { self.base = base }

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
}

// The C calls under their own names: inside the types, `read` and `write` are the methods.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemErrorMessage() -> String { String(cString: strerror(errno)) }
