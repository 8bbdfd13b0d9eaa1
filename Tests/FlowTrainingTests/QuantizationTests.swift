import Flows
import Testing
@testable import FlowTraining

@Suite struct QuantizationTests {
    static let trained: PriorNetwork = {
        var trainer = try! Trainer(config: tinyConfig(steps: 60), data: tinySet)
        for _ in 0..<60 { try! trainer.step() }
        return trainer.state.model
    }()

    @Test func quantizedModelMatchesTheFloatModel() throws {
        let model = try ModelQuantizer.quantize(Self.trained)
        let floatBits = Self.trained.meanBits(tinySet, 0..<tinySet.count)
        let fixedBits = ModelQuantizer.meanBits(model, tinySet, 0..<tinySet.count)
        #expect(abs(fixedBits / floatBits - 1) < 0.01, "float \(floatBits), fixed point \(fixedBits)")
    }

    @Test func trainedModelRoundTripsThroughTheImageCodec() throws {
        let model = try ModelQuantizer.quantize(Self.trained)
        let image = syntheticImage(width: 37, height: 29, seed: 9)
        let stream = try ImageFlowCodec.encode(image, model: model)
        #expect(ImageFlowCodec.usesLearnedPrior(stream))
        #expect(try ImageFlowCodec.decode(stream, maxSamples: 37 * 29 * 3, model: model) == image)
        #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(stream, maxSamples: 37 * 29 * 3) }
    }

    @Test func modelFileRoundTripsAndKeepsItsId() throws {
        let model = try ModelQuantizer.quantize(Self.trained)
        let bytes = ModelFile.serialize(model)
        let back = try ModelFile.parse(bytes)
        #expect(back == model)
        #expect(back.id == model.id && model.id != 0)
    }
}
