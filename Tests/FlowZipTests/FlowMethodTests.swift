import Testing
import Flows
@testable import FlowZip

/// The `flow` chunk method round-trips PNM pixel rows and reports bad payloads as FlowZipError.
struct FlowMethodTests {
    static func ramp(_ g: ImageGeometry) -> [UInt8] {
        (0..<g.rowBytes * g.height).map { UInt8(truncatingIfNeeded: ($0 * 7) / 5 + ($0 % 3)) }
    }

    @Test(arguments: [(1, 8), (3, 8), (4, 8), (1, 16), (3, 16), (2, 16)])
    func roundTripsPixelRows(channels: Int, bitDepth: Int) throws {
        let g = ImageGeometry(width: 13, height: 7, channels: channels, bitDepth: bitDepth, maxValue: (1 << bitDepth) - 1)
        let pixels = Self.ramp(g)
        let payload = try FlowMethod.compress(pixels[...], geometry: g)
        #expect(try FlowMethod.decompress(payload[...], rawLength: pixels.count) == pixels)
    }

    /// The image search by level, the zstd way: fast by default and up to 19, the learned prior by
    /// sample at 20-21, every coding in full at 22.
    @Test func levelChoosesTheImageSearch() {
        #expect(ChunkCoder.imageSearch(level: nil) == .fast)
        #expect([1, 3, 19].allSatisfy { ChunkCoder.imageSearch(level: $0) == .fast })
        #expect([20, 21].allSatisfy { ChunkCoder.imageSearch(level: $0) == .sampled })
        #expect(ChunkCoder.imageSearch(level: 22) == .exhaustive)
        // A model the user names is tried at the default levels too.
        #expect(ChunkCoder.imageSearch(level: nil, ownModel: true) == .sampled)
        #expect(ChunkCoder.imageSearch(level: 22, ownModel: true) == .exhaustive)
        #expect(ChunkCoder(options: .init(level: 22)).imageSearch == .exhaustive)
    }

    @Test func rejectsRowsThatDoNotMatchTheGeometry() {
        let g = ImageGeometry(width: 4, height: 4, channels: 3, bitDepth: 8, maxValue: 255)
        expectFlowZipError(.invalidArgument, "flow method: 47 bytes do not hold 4×4×3 samples of 8 bits") {
            try FlowMethod.compress([UInt8](repeating: 0, count: 47)[...], geometry: g)
        }
        let five = ImageGeometry(width: 2, height: 2, channels: 5, bitDepth: 8, maxValue: 255)
        expectFlowZipError(.unsupported, "flow method: 5 channels (1...4 supported)") {
            try FlowMethod.compress([UInt8](repeating: 0, count: 20)[...], geometry: five)
        }
    }

    @Test func rejectsDamagedPayloads() throws {
        let g = ImageGeometry(width: 9, height: 5, channels: 3, bitDepth: 8, maxValue: 255)
        let pixels = Self.ramp(g)
        let payload = try FlowMethod.compress(pixels[...], geometry: g)
        #expect(throws: FlowZipError.self) { try FlowMethod.decompress(payload.dropLast(4), rawLength: pixels.count) }
        #expect(throws: FlowZipError.self) { try FlowMethod.decompress(payload[...], rawLength: pixels.count - 1) }
        #expect(throws: FlowZipError.self) { try FlowMethod.decompress(payload[...], rawLength: pixels.count + 3) }
    }
}
