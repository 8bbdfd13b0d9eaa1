import Testing
@testable import Flows

/// `ImageFlowOptions.writtenSize` decides among the candidate codings of a single stream, in every
/// search, and leaves the strips of a strip container to their own bytes.
struct WrittenSizeTests {
    /// Prefers the biggest stream: the opposite of the default, so every choice it drives shows.
    static let biggest = WrittenSize(name: "biggest") { -$0.count }

    @Test(arguments: [ImageSearch.fast, .exhaustive])
    func theCandidateIsChosenOnTheWrittenSize(_ search: ImageSearch) throws {
        let image = try StripSearchTests.astronautFace()
        let smallest = try ImageFlowCodec.encodeChoosingPrior(image, options: .init(search: search), model: ImagePriorModel.builtIn)
        let biggest = try ImageFlowCodec.encodeChoosingPrior(image, options: .init(search: search, writtenSize: Self.biggest),
                                                             model: ImagePriorModel.builtIn)
        #expect(biggest.count > smallest.count)
        #expect(try ImageFlowCodec.decode(biggest, maxSamples: 128 * 128 * 3, model: ImagePriorModel.builtIn) == image)
        // The raster coding's colour stages are chosen on it too (on the hand-made coding, which
        // picks the stage the learned one then runs on).
        let options = ImageFlowOptions(writtenSize: Self.biggest, learnedRaster: false)
        let raster = try ImageFlowCodec.encodeRasterChoosingColour(image, options: options)
        let stages = try ImageFlowCodec.rasterColourCandidates(image, options: options, jpegColour: false).map { colour throws(FlowsError) in
            try ImageFlowCodec.encodeRaster(image, options: options, rasterColour: colour).count
        }
        #expect(raster.count == stages.max())
        // And so is the learned coding against the hand-made one.
        let learned = try ImageFlowCodec.encodeRaster(image, options: .init(writtenSize: Self.biggest))
        let handMade = try ImageFlowCodec.encodeRaster(image, options: .init(writtenSize: Self.biggest, learnedRaster: false))
        #expect(learned.count >= handMade.count)
    }

    @Test func stripsOfAContainerAreSizedByTheirBytes() throws {
        let image = try StripSearchTests.astronautFace()
        let inStrips = ImageFlowOptions(stripPixels: 128 * 40)
        var biggest = inStrips
        biggest.writtenSize = Self.biggest
        let plain = try ImageFlowCodec.encode(image, options: inStrips)
        #expect(plain.first == StripContainer.marker)
        #expect(try ImageFlowCodec.encode(image, options: biggest) == plain)
        let bytes = image.interleavedBytes()
        #expect(try ImageFlowCodec.encode(interleaved: bytes[...], width: 128, height: 128, channels: 3, bitDepth: 8, options: biggest)
                == plain)
    }
}
