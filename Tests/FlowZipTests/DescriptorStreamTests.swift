import Foundation
import Testing
@testable import FlowZip

/// The streaming API reads and writes plain file descriptors: pipes that deliver short reads, files,
/// and descriptors that refuse (a typed `io` error naming the direction, never a crash).
@Suite struct DescriptorStreamTests {
    @Test func roundTripsThroughPipesFedInSmallPieces() throws {
        let original = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let packed = try pipeThrough(original) { input, output in
            try Compressor(options: .init(method: .zstd, chunkSize: 1 << 16)).compress(fromDescriptor: input, toDescriptor: output,
                                                                                            size: UInt64(original.count))
        }
        #expect(packed == (try FlowZip.compress(original, options: .init(method: .zstd, chunkSize: 1 << 16))))
        let restored = try pipeThrough(packed) { input, output in
            _ = try Decompressor().decompress(fromDescriptor: input, toDescriptor: output)
        }
        #expect(restored == original)
    }

    /// Both container versions and both of version 2's forms, through pipes fed in pieces of 1,000 bytes
    /// (the reader looks ahead by the longest header or record, past what a piece may hold).
    @Test(arguments: ["three-chunks-auto.fz", "text-zstd.fz", "v2/three-chunks-pipe.fz", "v2/text-zstd.fz", "v2/empty-store.fz"])
    func goldenStreamsOfEitherVersionDecodeFromAPipe(_ name: String) throws {
        let stream = try [UInt8](Data(contentsOf: GoldenStreamTests.folder.appendingPathComponent(name)))
        let restored = try pipeThrough(stream) { input, output in
            _ = try Decompressor().decompress(fromDescriptor: input, toDescriptor: output)
        }
        #expect(restored == (try FlowZip.decompress(stream)))
    }

    @Test func descriptorsThatRefuseGiveTypedErrors() throws {
        let readOnly = open("/dev/null", O_RDONLY), writeOnly = open("/dev/null", O_WRONLY)
        defer { close(readOnly); close(writeOnly) }
        let packed = try FlowZip.compress(Array("some bytes".utf8))
        let stream = try pipeThrough(packed) { input, _ in
            let error = expectFlowZipError(.io) {
                try Decompressor().decompress(fromDescriptor: input, toDescriptor: readOnly)
            }
            #expect(error?.message.hasPrefix("write error: ") == true && error?.underlyingErrno == EBADF)
        }
        #expect(stream.isEmpty)
        let error = expectFlowZipError(.io) {
            try Compressor().compress(fromDescriptor: writeOnly, toDescriptor: writeOnly)
        }
        #expect(error?.message.hasPrefix("read error: ") == true && error?.underlyingErrno == EBADF)
    }

    /// Feeds `bytes` into a pipe 1000 bytes at a time from another thread, runs `body` on the pipe's read
    /// end and a second pipe's write end, and returns what `body` wrote.
    private func pipeThrough(_ bytes: [UInt8], _ body: (Int32, Int32) throws -> Void) throws -> [UInt8] {
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0]
        #expect(pipe(&inPipe) == 0 && pipe(&outPipe) == 0)
        let (feedEnd, drainEnd) = (inPipe[1], outPipe[0])
        let feeder = Thread {
            var offset = 0
            while offset < bytes.count {
                let n = min(1000, bytes.count - offset)
                let put = bytes[offset..<offset + n].withUnsafeBytes { write(feedEnd, $0.baseAddress!, n) }
                guard put > 0 else { break }
                offset += put
            }
            close(feedEnd)
        }
        let output = Collected()
        let drained = DispatchSemaphore(value: 0)
        let drainer = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let got = buffer.withUnsafeMutableBytes { read(drainEnd, $0.baseAddress!, 4096) }
                if got <= 0 { break }
                output.bytes += buffer[..<got]
            }
            drained.signal()
        }
        feeder.start()
        drainer.start()
        defer { close(inPipe[0]) }
        try body(inPipe[0], outPipe[1])
        close(outPipe[1])
        drained.wait()
        close(drainEnd)
        return output.bytes
    }
}

/// Written by the draining thread only, read after its semaphore.
private final class Collected: @unchecked Sendable {
    var bytes: [UInt8] = []
}
