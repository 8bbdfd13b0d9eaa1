import Foundation
import Testing
@testable import FlowZip

/// The library API as a caller sees it: errors told apart by code, streaming between any source and
/// sink, progress, cancellation and the async forms.
@Suite struct LibraryAPITests {
    static let original = TestData.repetitive(200_000) + TestData.random(100_000, seed: 3)
    /// 64 KiB chunks: five of them, so a stop can fall between chunks.
    static let options = FlowZip.Options(method: .zstd, level: 3, chunkSize: 1 << 16)

    // MARK: Errors by code

    @Test func aCutStreamIsTruncatedAndSaysWhere() throws {
        let stream = try FlowZip.compress(Self.original, options: Self.options)
        let third = try ContainerWalk(stream).chunks[2].payload
        let error = expectFlowZipError(.truncated, "chunk 3 payload") {
            try FlowZip.decompress(stream.prefix(third.lowerBound + 10))
        }
        #expect(error?.chunkIndex == 2 && error?.offset == third.lowerBound)
        #expect(error?.description == "truncated stream: chunk 3 payload")
    }

    @Test func aChangedPayloadByteIsAChecksumMismatchInItsChunk() throws {
        let stream = try FlowZip.compress(Self.original, options: .init(method: .store, chunkSize: 1 << 16))
        let walk = try ContainerWalk(stream)
        var damaged = stream
        damaged[walk.chunks[1].payload.lowerBound + 100] ^= 1
        let error = expectFlowZipError(.checksumMismatch, "chunk 2: checksum mismatch") { try FlowZip.decompress(damaged) }
        #expect(error?.chunkIndex == 1 && error?.offset == walk.chunks[1].payload.lowerBound)
        #expect(error?.description == "corrupt stream: chunk 2: checksum mismatch")
        // A zstd payload: the decoder refuses it, or it decodes to other bytes and the CRC says so.
        let zstd = try FlowZip.compress(Self.original, options: Self.options)
        for offset in try ContainerWalk(zstd).chunks[0].payload.prefix(40) {
            var damaged = zstd
            damaged[offset] ^= 0x10
            do {
                _ = try FlowZip.decompress(damaged)
            } catch let error as FlowZipError {
                #expect([.corrupt, .checksumMismatch].contains(error.code), "\(error)")
                #expect(error.chunkIndex == 0)
            }
        }
    }

    @Test func anUnknownMethodIsUnsupported() throws {
        // A general-form stream of zstd chunks; chunk 1's method set to 7, its record's CRC made right.
        let stream = try FlowZip.compress(Self.original, options: Self.options)
        let record = try ContainerWalk(stream).chunks[0].recordBytes
        var damaged = stream
        damaged[record.lowerBound] |= 7
        let crc = CRC32.checksum(damaged[record.lowerBound..<(record.upperBound - 4)])
        for i in 0..<4 { damaged[record.upperBound - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * i)) }
        let error = expectFlowZipError(.unsupported, "chunk 1 record: unknown method 7") { try FlowZip.decompress(damaged) }
        #expect(error?.chunkIndex == 0 && error?.offset == record.lowerBound)
    }

    @Test func aSinkThatRefusesIsAnIOErrorWithItsErrno() throws {
        let readOnly = open("/dev/null", O_RDONLY)
        defer { close(readOnly) }
        var source = FlowZip.MemorySource(try FlowZip.compress(Self.original, options: Self.options))
        var sink = FlowZip.FileDescriptorSink(readOnly)
        let error = expectFlowZipError(.io) { try Decompressor().decompress(from: &source, to: &sink) }
        #expect(error?.underlyingErrno == EBADF && error?.description == "write error: \(String(cString: strerror(EBADF)))")
    }

    @Test func errorsOfTheCallersOwnSourcesAndSinksPassUnchanged() throws {
        struct Refusal: Error, Equatable {}
        struct Failing: FlowZip.ByteSink {
            mutating func write(_ bytes: UnsafeRawBufferPointer) throws { throw Refusal() }
        }
        var source = FlowZip.MemorySource(Self.original)
        var sink = Failing()
        #expect(throws: Refusal()) { try Compressor(options: Self.options).compress(from: &source, to: &sink) }
    }

    @Test func badOptionsAreInvalidArguments() {
        expectFlowZipError(.invalidArgument, "threads must be 1...256, not 0") {
            try FlowZip.compress([1, 2, 3], options: .init(threads: 0))
        }
    }

    // MARK: Sources and sinks

    /// Reads at most `piece` bytes per call, like a pipe.
    struct Trickle: FlowZip.ByteSource {
        var bytes: [UInt8]
        var offset = 0
        let piece: Int
        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let n = min(piece, buffer.count, bytes.count - offset)
            buffer.copyBytes(from: bytes[offset..<(offset + n)])
            offset += n
            return n
        }
    }

    @Test(arguments: [1, 7, 4096])
    func anySourceGivesTheSameStreamAsMemory(piece: Int) throws {
        let expected = try FlowZip.compress(Self.original, options: Self.options)
        var source = Trickle(bytes: Self.original, piece: piece)
        var packed: [UInt8] = []
        let summary = try Compressor(options: Self.options).compress(from: &source, to: &packed,
                                                                     size: UInt64(Self.original.count))
        #expect(packed == expected)
        #expect(source.offset == Self.original.count)  // the caller's source was read to its end
        #expect(summary == Compressor.Summary(originalSize: UInt64(Self.original.count), compressedSize: UInt64(packed.count),
                                              chunkCount: 5))
        var streamSource = Trickle(bytes: packed, piece: piece)
        var restored: [UInt8] = []
        #expect(try Decompressor().decompress(from: &streamSource, to: &restored) == UInt64(Self.original.count))
        #expect(restored == Self.original)
        var again = FlowZip.MemorySource(packed)
        #expect(try FlowZip.inspect(from: &again).chunks.count == 5 && again.position == packed.count)
    }

    @Test func fileDescriptorsOfFilesRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowzip-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in"), packed = folder.appendingPathComponent("in.fz")
        try Data(Self.original).write(to: input)
        #expect(FileManager.default.createFile(atPath: packed.path, contents: nil))
        let reading = try FileHandle(forReadingFrom: input), writing = try FileHandle(forWritingTo: packed)
        var source = FlowZip.FileDescriptorSource(reading.fileDescriptor)
        var sink = FlowZip.FileDescriptorSink(writing.fileDescriptor)
        try Compressor(options: Self.options).compress(from: &source, to: &sink)
        try reading.close()
        try writing.close()
        #expect(try FlowZip.decompress([UInt8](Data(contentsOf: packed))) == Self.original)
    }

    // MARK: Progress and cancellation

    @Test func progressCountsBytesInAndOutToTheTotal() throws {
        var reports: [FlowZip.Progress] = []
        let packed = try FlowZip.compress(Self.original, options: Self.options) { reports.append($0) }
        let total = UInt64(Self.original.count)
        #expect(reports.first == FlowZip.Progress(bytesRead: 0, bytesWritten: 0, totalBytes: total))
        #expect(reports.last == FlowZip.Progress(bytesRead: total, bytesWritten: UInt64(packed.count), totalBytes: total))
        #expect(reports.count == 5 + 2)  // before, one per chunk (threads: 1), after
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.bytesRead <= $1.bytesRead && $0.bytesWritten <= $1.bytesWritten })

        var unpacking: [FlowZip.Progress] = []
        _ = try FlowZip.decompress(packed) { unpacking.append($0) }
        #expect(unpacking.last == FlowZip.Progress(bytesRead: UInt64(packed.count), bytesWritten: total,
                                                   totalBytes: UInt64(packed.count)))
        #expect(unpacking.last?.fractionCompleted == 1 && unpacking.first?.fractionCompleted == 0)
        #expect(unpacking.count == 5 + 2)
    }

    /// Throwing from the handler stops the work: the sink keeps what was written, a prefix of the
    /// full output, and nothing is coded or written after the stop.
    @Test(arguments: [0, 1, 3])
    func throwingFromTheHandlerStopsWithCancelled(after calls: Int) throws {
        let full = try FlowZip.compress(Self.original, options: Self.options)
        var compressor = Compressor(options: Self.options)
        let counter = Counter()
        compressor.progress = { _ in if counter.next() > calls { throw CancellationError() } }
        var source = FlowZip.MemorySource(Self.original)
        var partial: [UInt8] = []
        expectFlowZipError(.cancelled, "cancelled") {
            try compressor.compress(from: &source, to: &partial, size: UInt64(Self.original.count))
        }
        #expect(counter.value == calls + 1)
        #expect(partial.count < full.count && Array(full.prefix(partial.count)) == partial)
        if calls == 0 { #expect(partial.isEmpty && source.position == 0) }

        var decompressor = Decompressor()
        let decoded = Counter()
        decompressor.progress = { _ in if decoded.next() > calls { throw CancellationError() } }
        var stream = FlowZip.MemorySource(full)
        var restored: [UInt8] = []
        expectFlowZipError(.cancelled) { try decompressor.decompress(from: &stream, to: &restored) }
        // Whole chunks only: the first `calls - 1` of them (the first report comes before any).
        #expect(restored == Array(Self.original.prefix(max(0, calls - 1) << 16)))
    }

    @Test func aThrowAtTheLastCallChangesNothing() throws {
        let expected = try FlowZip.compress(Self.original, options: Self.options)
        let packed = try FlowZip.compress(Self.original, options: Self.options) { progress in
            if progress.bytesWritten == UInt64(expected.count) { throw CancellationError() }
        }
        #expect(packed == expected)
        #expect(try FlowZip.decompress(packed) { if $0.bytesWritten == UInt64(Self.original.count) { throw CancellationError() } }
                == Self.original)
    }

    /// A pixel-mode stream's image file is written only once the whole document is checked: until the
    /// last report nothing counts as written, and a stop leaves the sink empty.
    @Test func pixelModeReportsItsFileAtTheEnd() throws {
        let ppm = TestData.ppm(width: 64, height: 48)
        let packed = try FlowZip.compressImage(ppm, options: .init(method: .zstd, chunkSize: 1 << 16))
        var reports: [FlowZip.Progress] = []
        let file = try FlowZip.decompress(packed) { reports.append($0) }
        #expect(reports.dropLast().allSatisfy { $0.bytesWritten == 0 } && reports.count >= 3)
        #expect(reports.last == FlowZip.Progress(bytesRead: UInt64(packed.count), bytesWritten: UInt64(file.count),
                                                 totalBytes: UInt64(packed.count)))
        var decompressor = Decompressor()
        decompressor.progress = { if $0.bytesRead > 0 { throw CancellationError() } }
        var source = FlowZip.MemorySource(packed)
        var sink: [UInt8] = []
        expectFlowZipError(.cancelled) { try decompressor.decompress(from: &source, to: &sink) }
        #expect(sink.isEmpty)
    }

    @Test func aHandlersOwnErrorIsNamedInTheCancellation() {
        struct Stop: Error, CustomStringConvertible { var description: String { "user pressed stop" } }
        expectFlowZipError(.cancelled, "cancelled: user pressed stop") {
            try FlowZip.decompress(try FlowZip.compress(Self.original, options: Self.options)) { _ in throw Stop() }
        }
    }

    // MARK: async

    /// The synchronous form (in an async function, the async overload is the one chosen).
    static func compressedSynchronously() throws -> [UInt8] { try FlowZip.compress(original, options: options) }

    @Test func asyncFormsGiveTheSameBytes() async throws {
        let packed = try await FlowZip.compress(Self.original, options: Self.options)
        #expect(packed == (try Self.compressedSynchronously()))
        let restored = try await FlowZip.decompress(packed, threads: 2)
        #expect(restored == Self.original)
    }

    @Test func cancellingTheTaskStopsTheWork() async throws {
        let box = TaskBox()
        let reports = Counter()
        let task = Task {
            try await FlowZip.compress(Self.original, options: Self.options) { progress in
                _ = reports.next()
                // Cancel once the first chunk is coded; the next progress point stops the work.
                if progress.bytesRead > 0 { box.cancelTask() }
            }
        }
        box.set(task)
        let error = await #expect(throws: FlowZipError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        #expect(reports.value == 2)  // the start and the first chunk: nothing after the cancellation

        let already = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await FlowZip.decompress(try await FlowZip.compress([1, 2, 3]))
        }
        await #expect(throws: FlowZipError.cancelled) { try await already.value }
    }

    @Test func asyncDescriptorFormsStream() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let fds = ends
        let packedFile = FileManager.default.temporaryDirectory.appendingPathComponent("flowzip-api-\(UUID().uuidString).fz")
        defer { try? FileManager.default.removeItem(at: packedFile) }
        #expect(FileManager.default.createFile(atPath: packedFile.path, contents: nil))
        let output = try FileHandle(forWritingTo: packedFile)
        // A writer thread feeds the pipe while the compressor reads it on its own thread.
        let writer = Thread {
            Self.original.withUnsafeBytes { _ = write(fds[1], $0.baseAddress!, $0.count) }
            close(fds[1])
        }
        writer.start()
        let summary = try await Compressor(options: Self.options).compress(fromDescriptor: fds[0], toDescriptor: output.fileDescriptor)
        close(fds[0])
        try output.close()
        let packed = [UInt8](try Data(contentsOf: packedFile))
        #expect(summary.compressedSize == UInt64(packed.count) && summary.originalSize == UInt64(Self.original.count))
        #expect(try await FlowZip.decompress(packed) == Self.original)
    }
}

/// Counts calls from any thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    /// The count after this call.
    func next() -> Int { lock.withLock { count += 1; return count } }
}

/// Lets a progress handler cancel the task it runs in, once the task is known.
final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<[UInt8], Error>?

    func set(_ task: Task<[UInt8], Error>) { lock.withLock { self.task = task } }

    /// Cancels the task, waiting for it to be set first (it is, microseconds after it starts).
    func cancelTask() {
        while true {
            if let task = lock.withLock({ self.task }) { return task.cancel() }
            usleep(100)
        }
    }
}
