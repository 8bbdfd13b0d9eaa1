import Foundation
import Testing
@testable import EntropyCoding
@testable import FlowResearch

// `Categorical` lives in FlowResearch; its contract check is DistributionTests' `expectConsistent`.
@Suite struct CategoricalTests {
    @Test(arguments: [16, 24])
    func frequenciesSumToOneAndCoverTheSupport(precision: Int) {
        let counts: [UInt32] = [0, 1, 1_000_000, 3, 0, 17, 1]
        let dist = Categorical(counts: counts, precision: precision)
        let f = dist.frequencies
        #expect(f.reduce(0, +) == 1 << precision)
        #expect(zip(counts, f).allSatisfy { ($0 == 0) == ($1 == 0) })
        expectConsistent(dist, symbols: [1, 2, 3, 5, 6], slotStep: precision == 16 ? 1 : 251)
    }

    @Test func aNearlyCertainSymbolCostsAlmostNothing() throws {
        let dist = Categorical(counts: [1, UInt32.max - 1, 1], precision: 16)
        #expect(dist.frequencies == [1, 65534, 1])
        var stack = RansStack()
        for _ in 0..<10000 { stack.push(1, dist) }
        stack.push(0, dist)
        stack.push(2, dist)
        // 10000 * log2(65536 / 65534) + 32 bits: the whole thing stays within the 9-byte header + 1 word.
        #expect(stack.bytes.count <= 13)
        var decoder = try RansStack(bytes: stack.bytes)
        #expect(decoder.pop(dist) == 2)
        #expect(decoder.pop(dist) == 0)
        for _ in 0..<10000 { #expect(decoder.pop(dist) == 1) }
        #expect(decoder.isAtInitialState)
    }

    @Test func invalidCountsThrow() {
        #expect(throws: EntropyCodingError.self) { try Categorical(validatingCounts: [0, 0], precision: 16) }
        #expect(throws: EntropyCodingError.self) { try Categorical(validatingCounts: [], precision: 16) }
        #expect(throws: EntropyCodingError.self) { try Categorical(validatingCounts: [1, 1, 1], precision: 1) }
        #expect(throws: EntropyCodingError.self) { try Categorical(validatingCounts: [1], precision: 25) }
    }

    @Test func randomDistributionsRoundTrip() throws {
        var rng = SplitMix64(seed: 11)
        for trial in 0..<40 {
            let n = Int(rng.next() % 300) + 1
            let precision = trial % 2 == 0 ? 16 : 24
            var counts = (0..<n).map { _ in UInt32(rng.next() % 4 == 0 ? 0 : rng.next() % (1 << (rng.next() % 24))) }
            counts[Int(rng.next() % UInt64(n))] = 1 + UInt32(rng.next() % 1000)
            let dist = Categorical(counts: counts, precision: precision)
            let support = counts.indices.filter { counts[$0] > 0 }
            expectConsistent(dist, symbols: support, slotStep: precision == 16 ? 7 : 1021)
            let symbols = (0..<200).map { _ in support.randomElement(using: &rng)! }
            var stack = RansStack()
            for s in symbols { stack.push(s, dist) }
            var decoder = try RansStack(bytes: stack.bytes)
            for s in symbols.reversed() { #expect(decoder.pop(dist) == s) }
            #expect(decoder.isAtInitialState)
        }
    }
}

@Suite struct ResearchDeterminismTests {
    @Test func researchCodeHasNoFloatingPoint() throws {
        // Same rule as EntropyCoding's FormatTests: these files code streams, so integers only.
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Research/FlowResearch").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 7)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                #expect(!code.contains("Double") && !code.contains("Float"), "\(file): \(line)")
            }
        }
    }
}
