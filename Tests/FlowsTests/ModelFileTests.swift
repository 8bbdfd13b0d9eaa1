import EntropyCoding
import Testing
@testable import Flows

/// A small deterministic model, built by hand (no training needed to test the file format).
func handMadeModel(seed: UInt64 = 1) -> ImagePriorModel {
    var rng = SplitMix64(seed: seed)
    func layer(_ n: Int, _ m: Int, _ shift: Int32, _ act: FixedPointActivation) -> FixedPointDense {
        FixedPointDense(inputs: n, outputs: m, weights: (0..<n * m).map { _ in Int16(Int(rng.next() % 513) - 256) },
                        biases: (0..<m).map { _ in Int32(Int(rng.next() % 4097) - 2048) }, shift: shift, activation: act)!
    }
    let net = FixedPointNetwork(layers: [layer(PriorFeatures.count, 5, 6, .leakyRelu(shift: 3)), layer(5, 2, 8, .none)])!
    return ImagePriorModel(network: net)!
}

@Suite struct ModelFileTests {
    @Test func serializedModelParsesBack() throws {
        let model = handMadeModel()
        #expect(try ModelFile.parse(ModelFile.serialize(model)) == model)
        #expect(model.id != handMadeModel(seed: 2).id)
    }

    @Test func everySingleByteCorruptionIsRejected() {
        let bytes = ModelFile.serialize(handMadeModel())
        for i in bytes.indices {
            var bad = bytes
            bad[i] ^= 0x21
            #expect(throws: ModelFileError.self) { try ModelFile.parse(bad) }
        }
    }

    @Test func everyTruncationIsRejected() {
        let bytes = ModelFile.serialize(handMadeModel())
        for n in 0..<bytes.count {
            #expect(throws: ModelFileError.self) { try ModelFile.parse(bytes.prefix(n)) }
        }
    }

    @Test func foreignFilesGetNamedErrors() {
        #expect(throws: ModelFileError.notAModel) { try ModelFile.parse(Array("P6\n1 1\n255\nabc".utf8)) }
        var future = ModelFile.serialize(handMadeModel())
        future[4] = 9
        #expect(throws: ModelFileError.unsupportedVersion(9)) { try ModelFile.parse(future) }
    }

    @Test func builtInModelParses() throws {
        let model = try #require(ImagePriorModel.builtIn)
        #expect(ModelFile.serialize(model) == DefaultImageModelData.bytes)
        #expect(model.network.multiplyAdds <= 1000)
    }

    @Test func learnedPriorRoundTripsAndNeedsItsModel() throws {
        let model = handMadeModel()
        for channels in [1, 3] {
            let img = try image(.smooth, width: 23, height: 17, channels: channels, bitDepth: 8, seed: 4)
            let stream = try ImageFlowCodec.encode(img, model: model)
            #expect(ImageFlowCodec.usesLearnedPrior(stream))
            #expect(try ImageFlowCodec.decode(stream, maxSamples: 23 * 17 * channels, model: model) == img)
            #expect(throws: FlowsError.self) { try ImageFlowCodec.decode(stream, maxSamples: 23 * 17 * channels) }
        }
        // Strips: the pixel-byte path makes the same stream as the PixelImage path, and each strip
        // is the smallest of the three codings.
        let big = try image(.smooth, width: 20, height: 30, channels: 3, bitDepth: 8, seed: 6)
        let options = ImageFlowOptions(stripPixels: 200)
        let viaImage = try ImageFlowCodec.encodeChoosingPrior(big, options: options, model: model)
        let viaBytes = try ImageFlowCodec.encode(interleaved: big.interleavedBytes()[...], width: 20, height: 30, channels: 3,
                                                 bitDepth: 8, options: options, model: model)
        #expect(viaImage == viaBytes)
        #expect(viaImage.count <= (try ImageFlowCodec.encode(big, options: options)).count)
        #expect(try ImageFlowCodec.decodeInterleaved(viaBytes[...], byteCount: 20 * 30 * 3, model: model) == big.interleavedBytes())
        // 16-bit images keep the hand-made prior.
        let deep = try image(.smooth, width: 9, height: 9, channels: 1, bitDepth: 16)
        #expect(!ImageFlowCodec.usesLearnedPrior(try ImageFlowCodec.encode(deep, model: model)))
    }
}

@Suite struct PriorEvaluatorTests {
    @Test func evaluatorComputesExactlyWhatTheNetworkComputes() {
        var rng = SplitMix64(seed: 5)
        func layer(_ n: Int, _ m: Int, _ shift: Int32, _ act: FixedPointActivation) -> FixedPointDense {
            FixedPointDense(inputs: n, outputs: m, weights: (0..<n * m).map { _ in Int16(truncatingIfNeeded: rng.next()) },
                            biases: (0..<m).map { _ in Int32(truncatingIfNeeded: rng.next()) >> 4 }, shift: shift, activation: act)!
        }
        let net = FixedPointNetwork(layers: [layer(PriorFeatures.count, 9, 10, .leakyRelu(shift: 3)), layer(9, 5, 12, .relu),
                                             layer(5, 2, 9, .none)])!
        let model = ImagePriorModel(network: net)!
        var evaluator = ImagePriorModel.Evaluator(model)
        for _ in 0..<300 {
            let x = (0..<PriorFeatures.count).map { _ in Int32(Int(rng.next() % 4097) - 2048) }
            evaluator.features = x
            let (c, s) = evaluator.evaluate()
            let reference = net.forward(x)
            let limit = ImagePriorModel.maxCorrectionQ8
            #expect(c == min(max(reference[0], -limit), limit) && s == reference[1])
        }
    }

    @Test func logQuantizerIsExactAtPowersOfTwoAndMonotonic() {
        #expect(PriorFeatures.log2q(0) == 0 && PriorFeatures.log2q(1) == 16 && PriorFeatures.log2q(3) == 32 && PriorFeatures.log2q(255) == 128)
        var last: Int32 = -1
        for x in Int32(0)...5000 {
            let y = PriorFeatures.log2q(x)
            #expect(y >= last)
            last = y
        }
    }
}
