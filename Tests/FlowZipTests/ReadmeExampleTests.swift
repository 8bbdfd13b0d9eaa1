import Foundation
import Testing
import FlowZip

@Suite struct ReadmeExampleTests {
    @Test func readmeLibraryExampleRuns() throws {
        // README example begin
        let original = Array("any bytes at all".utf8)
        let packed = try FlowZip.compress(original, options: .init(method: .auto, threads: 2))
        let restored = try FlowZip.decompress(packed)
        assert(restored == original)

        // Errors carry a code to switch on (and where, when known); printed, they read as the CLI's.
        do {
            _ = try FlowZip.decompress(packed.dropLast(2))
        } catch let error as FlowZipError {
            assert(error.code == .truncated)   // cut short, not damaged
            print(error)                       // truncated stream: chunk 1 payload
        }

        // Streaming with bounded memory, from any FlowZip.ByteSource to any ByteSink (file descriptors,
        // memory, types of your own), with progress; throwing from the handler stops with .cancelled.
        var compressor = Compressor(options: .init(threads: 2))
        compressor.progress = { progress in print("\(progress.bytesRead) bytes read") }
        var source = FlowZip.MemorySource(original)
        var sink: [UInt8] = []
        try compressor.compress(from: &source, to: &sink)
        // README example end
        #expect(restored == original)
        #expect(try FlowZip.decompress(sink) == original)
    }

    @Test func readmeAsyncExampleRuns() async throws {
        // README example begin
        // In async code the same calls run on a thread of their own; cancelling the task stops them.
        let packed = try await FlowZip.compress([UInt8](repeating: 42, count: 100_000))
        let task = Task { try await FlowZip.decompress(packed) }
        let restored = try await task.value
        assert(restored.count == 100_000)
        // README example end
        #expect(restored == [UInt8](repeating: 42, count: 100_000))
    }

    /// The README shows exactly the code above, block for block, so the examples cannot rot.
    @Test func readmeShowsTheCompiledExamples() throws {
        let readme = try String(contentsOf: TestData.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```swift\nimport FlowZip\n\n").dropFirst()
            .map { $0.components(separatedBy: "```").first }
        let examples = source.components(separatedBy: "// README example begin\n").dropFirst()
            .map { $0.components(separatedBy: "        // README example end").first }
        let strip = { (text: String?) in
            (text ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(blocks.count == 2 && examples.count == 2)
        #expect(blocks.map(strip) == examples.map(strip))
    }
}
