import Foundation
import Testing
@testable import FlowZip

/// The codec path is integer-only: changing the floating-point rounding mode must not change a byte.
/// (A float that leaked into the flow or the coder would round differently and change the stream.)
@Suite struct DeterminismTests {
    static func inputs() throws -> [(String, [UInt8])] {
        let sample = TestData.repository.appendingPathComponent("corpora/sample")
        return try ["astronaut-face.ppm", "astronaut-suit.pgm", "astronaut-face.png", "loop_amen-0.25s.wav"].map {
            ($0, try [UInt8](Data(contentsOf: sample.appendingPathComponent($0))))
        }
    }

    @Test func streamsDoNotDependOnTheRoundingMode() throws {
        for (name, input) in try Self.inputs() {
            let reference = try FlowZip.compress(input, options: .init(method: .flow))
            #expect(try FlowZip.inspect(reference).chunks.contains { [.flow, .flowAudio, .png].contains($0.method) },
                    "\(name) did not reach a flow method")
            // x86-64 <fenv.h> values of FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO (Swift sees the names twice
            // and calls them ambiguous); fesetround rejects a wrong value, which the check below catches.
            for mode: Int32 in [0x800, 0x400, 0xC00] {
                let previous = fegetround()
                #expect(fesetround(mode) == 0 && fegetround() == mode)
                defer { fesetround(previous) }
                #expect(try FlowZip.compress(input, options: .init(method: .flow)) == reference, "\(name) mode \(mode)")
                #expect(try FlowZip.decompress(reference) == input)
            }
        }
    }
}
