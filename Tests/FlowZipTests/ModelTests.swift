import Foundation
import Flows
import Testing
@testable import FlowZip

/// A hand-made model (the format does not care how the weights were found).
func testModel(seed: UInt64) -> FlowModel {
    var state = seed
    func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 40) }
    func layer(_ n: Int, _ m: Int, _ shift: Int32, _ act: FixedPointActivation) -> FixedPointDense {
        FixedPointDense(inputs: n, outputs: m, weights: (0..<n * m).map { _ in Int16(next() % 513 - 256) },
                        biases: (0..<m).map { _ in Int32(next() % 4097 - 2048) }, shift: shift, activation: act)!
    }
    let net = FixedPointNetwork(layers: [layer(PriorFeatures.count, 4, 6, .leakyRelu(shift: 3)), layer(4, 2, 8, .none)])!
    return FlowModel(ImagePriorModel(network: net)!)
}

@Suite struct ModelTests {
    static let image = TestData.ppm(width: 48, height: 40)

    static func learnedOptions(_ model: FlowModel) -> FlowZip.Options {
        var options = FlowZip.Options(method: .flow, model: model)
        options.alwaysUseModel = true
        return options
    }

    @Test func streamRecordsTheModelAndRoundTripsWithIt() throws {
        let model = testModel(seed: 1)
        let stream = try FlowZip.compress(Self.image, options: Self.learnedOptions(model))
        #expect(try FlowZip.inspect(stream).modelID == model.id)
        #expect(try FlowZip.decompress(stream, models: [model]) == Self.image)
    }

    @Test func decodingWithoutTheModelNamesTheIdItNeeds() throws {
        let model = testModel(seed: 1)
        let stream = try FlowZip.compress(Self.image, options: Self.learnedOptions(model))
        let message = "chunk 2: the stream needs model \(model.idString); pass its file with --model"
        for models in [[], [testModel(seed: 2)]] {
            let error = expectFlowZipError(.missingModel, message) { try FlowZip.decompress(stream, models: models) }
            #expect(error?.modelID == model.id && error?.chunkIndex == 1)
        }
    }

    @Test func noModelMeansIdZeroAndTheHandMadePrior() throws {
        let stream = try FlowZip.compress(Self.image, options: .init(method: .flow, model: nil))
        #expect(try FlowZip.inspect(stream).modelID == 0)
        #expect(try FlowZip.decompress(stream) == Self.image)
        let bytes = try FlowZip.compress(TestData.repetitive(1000), options: .init(model: testModel(seed: 1)))
        #expect(try FlowZip.inspect(bytes).modelID == 0, "no image, no model needed")
    }

    @Test func theLearnedCodingIsKeptOnlyWhereItIsSmaller() throws {
        let model = testModel(seed: 1)
        let chosen = try FlowZip.compress(Self.image, options: .init(method: .flow, model: model))
        let plain = try FlowZip.compress(Self.image, options: .init(method: .flow, model: nil))
        let learned = try FlowZip.compress(Self.image, options: Self.learnedOptions(model))
        // Payloads only: a stream that offers a model names it in the header (container version 2 leaves
        // the id out when there is none).
        let payloads = try [chosen, plain, learned].map { try FlowZip.inspect($0).chunks.reduce(0) { $0 + $1.codedLength } }
        #expect(payloads[0] <= min(payloads[1], payloads[2]))
        #expect(try FlowZip.decompress(chosen, models: [model]) == Self.image)
    }

    @Test func damagedModelFilesAreRejected() {
        var bytes = ModelFile.serialize(testModel(seed: 1).prior)
        bytes[bytes.count / 2] ^= 1
        expectFlowZipError(.invalidArgument, "model file: model file checksum mismatch (the file is damaged)") {
            try FlowModel(fileBytes: bytes)
        }
    }
}
