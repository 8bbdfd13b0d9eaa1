import Foundation
import Testing
@testable import FlowZip

/// Streams written by earlier builds must decode forever, and today's encoder must still write them
/// byte for byte (any difference is a format change). Regenerate deliberately, after a format version
/// bump, with `FLOWZIP_WRITE_GOLDEN=1 swift test --filter GoldenStreamTests`.
///
/// Every case names all its options, so that changing a default is not mistaken for a format change.
/// zstd and zlib payloads are produced by the system libraries; they are pinned by Debian 12's versions.
@Suite struct GoldenStreamTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var original: @Sendable () throws -> [UInt8]
        var options: FlowZip.Options
        var testDescription: String { name }
    }

    static let folder = TestData.repository.appendingPathComponent("Tests/FlowZipTests/Golden")

    static let cases: [Case] = [
        Case(name: "empty-store", original: { [] }, options: .init(method: .store, chunkSize: 1 << 22)),
        Case(name: "random-store", original: { TestData.random(3_000, seed: 42) }, options: .init(method: .store, chunkSize: 1 << 22)),
        Case(name: "text-zlib", original: { TestData.repetitive(5_000) + TestData.random(100, seed: 3) },
             options: .init(method: .zlib, chunkSize: 1 << 22)),
        Case(name: "text-zstd", original: { TestData.repetitive(5_000) + TestData.random(100, seed: 4) },
             options: .init(method: .zstd, level: 19, chunkSize: 1 << 22)),
        Case(name: "three-chunks-auto", original: {
            TestData.repetitive(70_000) + TestData.random(66_000, seed: 5) + TestData.repetitive(9_000)
        }, options: .init(chunkSize: 1 << 16)),
        Case(name: "alice-auto", original: {
            try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("corpora/sample/alice29.txt")))
                .prefix(20_000).map { $0 }
        }, options: .init(chunkSize: 1 << 22)),
    ]

    @Test(arguments: cases)
    func goldenStreamDecodesAndReencodesIdentically(_ golden: Case) throws {
        let original = try golden.original()
        let url = Self.folder.appendingPathComponent("\(golden.name).fz")
        if ProcessInfo.processInfo.environment["FLOWZIP_WRITE_GOLDEN"] == "1" {
            try Data(try FlowZip.compress(original, options: golden.options)).write(to: url)
        }
        let stream = try [UInt8](Data(contentsOf: url))
        #expect(try FlowZip.decompress(stream) == original)
        #expect(try FlowZip.compress(original, options: golden.options) == stream)
    }
}
