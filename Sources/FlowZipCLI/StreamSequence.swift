import FlowZip

/// Decodes every stream an input holds, one after another, as gzip and zstd decode concatenations
/// (`cat a.fz b.fz | flowzip -d` gives a then b). Bytes after a stream that are not another stream are
/// an error that says how many there are; the streams before them were written out whole, so a file
/// output must not be kept (the caller does not commit it).
/// Returns the bytes read and written.
/// `meter`, if given, follows the bytes read. `sparse` writes zero blocks as holes (`output` must then be
/// a new regular file).
func decompressStreams(_ decompressor: Decompressor, from input: Int32, to output: Int32,
                       meter: ProgressMeter? = nil, sparse: Bool = false) throws -> Sizes {
    if sparse {
        var sink = try SparseSink(output)
        let sizes = try decompressStreams(decompressor, from: input, to: &sink, meter: meter)
        try sink.finish()
        return sizes
    }
    var sink = FlowZip.FileDescriptorSink(output)
    return try decompressStreams(decompressor, from: input, to: &sink, meter: meter)
}

private func decompressStreams(_ decompressor: Decompressor, from input: Int32, to sink: inout some FlowZip.ByteSink,
                               meter: ProgressMeter?) throws -> Sizes {
    var source = ResumedSource(base: CountingSource(base: FlowZip.FileDescriptorSource(input), meter: meter))
    meter?.update(0)
    var total: UInt64 = 0
    var streams = 0
    repeat {
        let start = source.delivered
        do {
            let (written, following) = try decompressor.decompressFirstStream(from: &source, to: &sink)
            source.putBack(following)
            total += written
            streams += 1
        } catch let error as FlowZipError where error.code == .notFlowZip && streams > 0 {
            // The bytes the failed attempt read are the first of them.
            let looked = source.delivered - start
            throw CLIError(trailingData(looked + (try source.countToEnd()), after: streams))
        }
    } while try source.hasMore()
    return Sizes(read: source.base.count, written: total, original: total)
}

/// A source that counts the bytes its base gave (each once, unlike `ResumedSource.delivered`) and
/// shows them on a progress meter.
struct CountingSource<Base: FlowZip.ByteSource>: FlowZip.ByteSource {
    var base: Base
    let meter: ProgressMeter?
    private(set) var count: UInt64 = 0

    init(base: Base, meter: ProgressMeter?) {
        self.base = base
        self.meter = meter
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let got = try base.read(into: buffer)
        count += UInt64(got)
        meter?.update(count)
        return got
    }
}

/// "12 bytes of trailing data after the stream": what follows the last good stream when it is not one.
func trailingData(_ count: UInt64, after streams: Int) -> String {
    let stream = streams == 1 ? "the stream" : "stream \(streams)"
    return "\(count) \(count == 1 ? "byte" : "bytes") of trailing data after \(stream) (not a FlowZip stream)"
}

/// A source that can be given back bytes it read too far: the decoder's look-ahead past a stream's end.
struct ResumedSource<Base: FlowZip.ByteSource>: FlowZip.ByteSource {
    var base: Base
    /// Bytes to read before `base`'s, from `offset` on.
    private var pending: [UInt8] = []
    private var offset = 0
    /// Bytes handed out so far (those given back and read again count twice).
    private(set) var delivered: UInt64 = 0

    init(base: Base) { self.base = base }

    /// Makes `bytes` the next ones read, before any still pending.
    mutating func putBack(_ bytes: [UInt8]) {
        pending = bytes + pending[offset...]
        offset = 0
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count: Int
        if offset < pending.count {
            count = min(buffer.count, pending.count - offset)
            pending.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
            offset += count
        } else {
            count = try base.read(into: buffer)
        }
        delivered += UInt64(count)
        return count
    }

    /// Whether any byte is left (one read from `base` is kept as pending).
    mutating func hasMore() throws -> Bool {
        if offset < pending.count { return true }
        var byte: [UInt8] = [0]
        let got = try byte.withUnsafeMutableBytes { try base.read(into: $0) }
        guard got > 0 else { return false }
        putBack(byte)  // not counted as delivered: it was not handed out
        return true
    }

    /// Reads to the end, counting the bytes.
    mutating func countToEnd() throws -> UInt64 {
        var count: UInt64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = try buffer.withUnsafeMutableBytes { try read(into: $0) }
            if got == 0 { return count }
            count += UInt64(got)
        }
    }
}
