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
        // README example end
        #expect(restored == original)
    }

    /// The README shows exactly the code above, so the example cannot rot.
    @Test func readmeShowsTheCompiledExample() throws {
        let readme = try String(contentsOf: TestData.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let block = readme.components(separatedBy: "```swift\nimport FlowZip\n\n").dropFirst().first?
            .components(separatedBy: "```").first
        let example = source.components(separatedBy: "// README example begin\n").dropFirst().first?
            .components(separatedBy: "        // README example end").first
        let strip = { (text: String?) in
            (text ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(!strip(block).isEmpty)
        #expect(strip(block) == strip(example))
    }
}
