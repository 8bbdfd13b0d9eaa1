import Foundation

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

/// A source over a file handle (a file or a pipe); loops because pipes return short reads.
struct FileHandleSource: ByteSource {
    let handle: FileHandle

    mutating func read(upTo count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            let data: Data?
            do {
                data = try handle.read(upToCount: min(count - result.count, 1 << 22))
            } catch {
                throw FlowZipError.io("read error: \(error.localizedDescription)")
            }
            guard let data, !data.isEmpty else { break }
            if result.isEmpty && data.count == count { return [UInt8](data) }
            result.append(contentsOf: data)
        }
        return result
    }
}

/// A sink over a file handle.
struct FileHandleSink: ByteSink {
    let handle: FileHandle

    mutating func write(_ bytes: [UInt8]) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw FlowZipError.io("write error: \(error.localizedDescription)")
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
