import Foundation
import Testing
@testable import FlowZip

@Suite struct RoundTripTests {
    /// Small chunks so that chunk boundaries are cheap to cross in tests.
    static let smallChunks = FlowZip.Options(chunkSize: 1 << 16)

    func roundTrip(_ data: [UInt8], _ options: FlowZip.Options = smallChunks) throws -> [UInt8] {
        let packed = try FlowZip.compress(data, options: options)
        #expect(try FlowZip.decompress(packed) == data)
        return packed
    }

    @Test func emptyInputRoundTrips() throws {
        let packed = try roundTrip([])
        // Container version 2's general form with no chunk: magic, version, flags, layout, size 0 (one
        // byte), header CRC; then the trailer's tag, count 0, size 0 and CRC-32 of nothing.
        #expect(packed.count == 4 + 1 + 1 + 1 + 1 + 4 + 1 + 1 + 1 + 4)
    }

    @Test func oneByteRoundTrips() throws {
        for byte: UInt8 in [0, 0x89, 255] { _ = try roundTrip([byte]) }
    }

    @Test func everySizeAroundChunkBoundariesRoundTrips() throws {
        let chunk = 1 << 16
        for size in [chunk - 1, chunk, chunk + 1, 2 * chunk - 1, 2 * chunk, 2 * chunk + 1, 3 * chunk + 17] {
            let data = TestData.repetitive(size / 2) + TestData.random(size - size / 2, seed: UInt64(size))
            let packed = try roundTrip(data)
            let info = try FlowZip.inspect(packed)
            #expect(info.chunks.count == (size + chunk - 1) / chunk)
            #expect(info.originalSize == UInt64(size))
        }
    }

    @Test func randomBytesNeverGrowMoreThanTheContainer() throws {
        let data = TestData.random(200_000)
        let packed = try roundTrip(data)
        let walk = try ContainerWalk(packed)
        #expect(walk.chunks.count == (data.count + (1 << 16) - 1) >> 16)
        #expect(walk.chunks.allSatisfy { $0.record.method == .store })
        #expect(packed.count == data.count + walk.overhead)
        // Header with the size, records with a raw length and no coded length, trailer with count and size.
        let records = walk.chunks.reduce(0) { $0 + 1 + ContainerV2Tests.varint(UInt64($1.record.rawLength)).count + 4 + 4 }
        #expect(walk.overhead == 7 + 3 + 4 + records + 1 + 1 + 3 + 4)
    }

    @Test func repetitiveDataCompressesWell() throws {
        let data = TestData.repetitive(300_000)
        let packed = try roundTrip(data)
        #expect(packed.count < data.count / 100)
    }

    @Test(arguments: FlowZip.Method.allCases)
    func everyMethodRoundTripsOrSaysItCannot(method: FlowZip.Method) throws {
        for data in [TestData.repetitive(70_000), TestData.ppm(width: 33, height: 21)] {
            do {
                _ = try roundTrip(data, FlowZip.Options(method: method, chunkSize: 1 << 16))
            } catch let error as FlowZipError {
                guard error.code == .unsupported, method == .flow else { throw error }
            }
        }
    }

    @Test func outputIsIdenticalForEveryThreadCount() throws {
        let data = TestData.repetitive(150_000) + TestData.random(100_000)
        let one = try FlowZip.compress(data, options: FlowZip.Options(threads: 1, chunkSize: 1 << 16))
        for threads in [2, 3, 8] {
            let options = FlowZip.Options(threads: threads, chunkSize: 1 << 16)
            #expect(try FlowZip.compress(data, options: options) == one)
            #expect(try FlowZip.decompress(one, threads: threads) == data)
        }
    }

    @Test func pnmFilesAreCutIntoHeaderAndPixelBands() throws {
        let image = TestData.ppm(width: 300, height: 200)  // 180,000 pixel bytes: three bands of 64 KiB
        let packed = try roundTrip(image)
        let info = try FlowZip.inspect(packed)
        #expect(info.modality == .image)
        #expect(info.chunks.first?.modality == .bytes)
        #expect(info.chunks.dropFirst().allSatisfy { $0.modality == .image && $0.rawLength % 900 == 0 })
    }

    @Test func realSampleFilesRoundTrip() throws {
        let files = try TestData.sampleFiles()
        #expect(files.count >= 4)
        for file in files {
            let data = try [UInt8](Data(contentsOf: file))
            let packed = try roundTrip(data, FlowZip.Options())
            #expect(packed.count <= data.count + (try ContainerWalk(packed)).overhead, "\(file.lastPathComponent)")
        }
    }

    @Test func invalidOptionsAreRejected() {
        for options in [FlowZip.Options(level: 0), FlowZip.Options(level: 23), FlowZip.Options(threads: 0),
                        FlowZip.Options(chunkSize: 1000), FlowZip.Options(chunkSize: 1 << 27)] {
            #expect(throws: FlowZipError.self) { try FlowZip.compress([1, 2, 3], options: options) }
        }
    }
}
