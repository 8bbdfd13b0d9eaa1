import Foundation
import Testing
@testable import FlowZip

/// `-T` changes only the speed: an image chunk whose strips and candidate methods run on several
/// threads gives the same stream as one thread, and decodes on any count.
@Suite struct ThreadCountTests {
    @Test func imageStreamsAreTheSameForEveryThreadCount() throws {
        let ppm = TestData.ppm(width: 40, height: 30)
        let png = try [UInt8](Data(contentsOf: TestData.repository.appendingPathComponent("corpora/sample/astronaut-face.png")))
        for (name, file) in [("ppm", ppm), ("png", png)] {
            let one = try FlowZip.compress(file, options: .init(threads: 1))
            for threads in [2, 3] {
                #expect(try FlowZip.compress(file, options: .init(threads: threads)) == one, "\(name), \(threads) threads")
                #expect(try FlowZip.decompress(one, threads: threads) == file)
            }
            let image = try FlowZip.compressImage(file, options: .init(threads: 1))
            #expect(try FlowZip.compressImage(file, options: .init(threads: 2)) == image)
        }
    }

    @Test func stripSharesFollowChunkSizes() {
        #expect(stripThreads(sizes: [15, 10_000_000], threads: 2) == [1, 2])
        #expect(stripThreads(sizes: [1 << 20, 1 << 20], threads: 2) == [1, 1])
        #expect(stripThreads(sizes: [100, 100, 100, 100], threads: 8) == [2, 2, 2, 2])
        #expect(stripThreads(sizes: [0], threads: 4) == [1])
    }
}
