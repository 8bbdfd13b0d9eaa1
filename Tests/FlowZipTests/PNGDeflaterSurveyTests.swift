import Foundation
import Testing
@testable import FlowZip

/// A survey of a folder of PNGs (FLOWZIP_PNG_SURVEY names it; skipped without it): which deflate
/// recipe rebuilds each file's image data, and what the token corrections cost. Every file a recipe
/// claims must rebuild exactly. bench/results/png-deflaters.md has a run.
@Suite struct PNGDeflaterSurveyTests {
    static let folder = ProcessInfo.processInfo.environment["FLOWZIP_PNG_SURVEY"]

    @Test(.enabled(if: folder != nil)) func survey() throws {
        let folder = try #require(Self.folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }.sorted()
        for name in names {
            let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name)))
            guard let png = PNGFile.parse(file[...]) else { print("survey \(name) unsupported-layout \(file.count)"); continue }
            let g = png.geometry
            guard let filtered = Reflate.inflate(png.zlibStream, expectedSize: g.height * (g.rowBytes + 1)) else {
                print("survey \(name) no-inflate \(file.count)"); continue
            }
            let start = ContinuousClock.now
            if StoredDeflate.parse(png.zlibStream, data: filtered) != nil { print("survey \(name) stored \(file.count)"); continue }
            if Reflate.findParameters(data: filtered, target: png.zlibStream) != nil { print("survey \(name) zlib \(file.count)"); continue }
            let zlibTime = ContinuousClock.now - start
            guard let (parsed, _) = DeflateStream.parse(png.zlibStream[2...], expectedSize: filtered.count) else {
                print("survey \(name) no-parse \(file.count)"); continue
            }
            let tokenStart = ContinuousClock.now
            guard let record = TokenDeflate.make(stream: png.zlibStream, data: filtered) else {
                let rewritten = parsed.write(filtered).map { [UInt8](png.zlibStream[0..<2]) + $0 }
                print("survey \(name) token-fail \(file.count) blocks=\(parsed.blocks.count) rewrite-ok=\(rewritten.map { Array($0) == Array(png.zlibStream.prefix($0.count)) } ?? false)")
                continue
            }
            let headerBytes = record.blockHeaders.reduce(0) { $0 + $1.bytes.count }
            let tokens = record.tokenCounts.reduce(0, +)
            print("survey \(name) tokens \(file.count) idat=\(png.zlibStream.count) raw=\(filtered.count) blocks=\(record.blockHeaders.count) headers=\(headerBytes) tokens=\(tokens) corrections=\(record.corrections.count) zlibsearch=\(zlibTime) tokentime=\(ContinuousClock.now - tokenStart)")
            #expect(record.rebuild(filtered) == png.zlibStream)
        }
    }
}
