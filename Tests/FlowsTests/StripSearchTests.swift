import Foundation
import Testing
@testable import Flows

/// The strip search (`ImageSearch`): every search's stream decodes, the fast search keeps the
/// interlaced coding or a smaller raster one and sees JPEG colour on the sample, the sampled search is never
/// bigger than the fast one, small strips get the exhaustive search, and the sample is the strip's pixels.
struct StripSearchTests {
    /// A sampling for test-sized images (the codec's starts at 2^17 pixels).
    static let small = StripSample(tileSide: 16, fraction: 4, minimumPixels: 1 << 10)

    /// corpora/sample/astronaut-face.ppm: 128×128 RGB, a crop of a real photo.
    static func astronautFace() throws -> PixelImage {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../corpora/sample/astronaut-face.ppm").standardized
        let bytes = [UInt8](try Data(contentsOf: url))
        let header = 15   // "P6\n128 128\n255\n"
        #expect(bytes.count == header + 128 * 128 * 3)
        return try PixelImage(interleaved: Array(bytes[header...]), width: 128, height: 128, channels: 3, bitDepth: 8)
    }

    static func jpegLike() throws -> PixelImage { try JPEGColourTests.jpegLike(width: 96, height: 64, saturation: 60, seed: 3) }

    @Test(arguments: [ImageSearch.fast, .sampled])
    func searchedStreamsDecode(_ search: ImageSearch) throws {
        let model = try #require(ImagePriorModel.builtIn)
        for image in [try Self.astronautFace(), try Self.jpegLike()] {
            let stream = try #require(try ImageFlowCodec.encodeSearching(image, options: .init(search: search), model: model,
                                                                         always: false, sampling: Self.small))
            let back = try ImageFlowCodec.decode(stream, maxSamples: image.width * image.height * image.channels, model: model)
            #expect(back == image)
        }
    }

    @Test func fastSearchKeepsInterlacedOrASmallerRasterCoding() throws {
        let image = try Self.astronautFace()
        let options = ImageFlowOptions(search: .fast)
        #expect(!ImageFlowCodec.jpegColourApplies(image, options: options))
        let fast = try #require(try ImageFlowCodec.encodeSearching(image, options: options, model: nil, always: false, sampling: Self.small))
        let interlaced = try ImageFlowCodec.encode(image, as: .init(prior: .handMade, jpegColour: false, raster: false), options: options, model: nil)
        // The raster coding the sample picks the network of, over the colour stages.
        let rasters = try options.rasterNetworks.map { network in
            try ImageFlowCodec.encodeRasterChoosingColour(image, options: options, networks: [network])
        }
        // Raster order is coded in full (in each colour stage) only where the sample does not rule
        // it out; it is kept only where it is smaller.
        #expect(fast == interlaced || rasters.contains(fast))
        if fast != interlaced { #expect(fast.count < interlaced.count) }
    }

    @Test func searchGivesUpOnlyWhereTheGenericCodingIsFarSmaller() throws {
        let image = try Self.astronautFace()
        func search(generic: Int) throws(FlowsError) -> [UInt8]? {
            var options = ImageFlowOptions(search: .fast)
            options.competitor = GenericCompetitor(name: "\(generic) bytes") { rows in
                #expect(rows == 0..<image.height)
                return generic
            }
            return try ImageFlowCodec.encodeSearching(image, options: options.forRows(0..<image.height, of: image.height), model: nil,
                                                      always: false, sampling: Self.small)
        }
        let unchallenged = try #require(try ImageFlowCodec.encodeSearching(image, options: .init(search: .fast), model: nil,
                                                                           always: false, sampling: Self.small))
        // A generic coding of a few bytes: the search gives up before any full coding.
        #expect(throws: FlowsError.self) { try search(generic: 16) }
        // One as big as the flow's, or one that failed (Int.max): the flow codes as it would alone.
        #expect(try search(generic: unchallenged.count) == unchallenged)
        #expect(try search(generic: Int.max) == unchallenged)
    }

    @Test func fastSearchChoosesJPEGColourOnAJPEGDecodedImage() throws {
        let image = try Self.jpegLike()
        let options = ImageFlowOptions(search: .fast)
        #expect(ImageFlowCodec.jpegColourApplies(image, options: options))
        let fast = try #require(try ImageFlowCodec.encodeSearching(image, options: options, model: nil, always: false, sampling: Self.small))
        #expect(fast[3] & 32 != 0, "header flag bit 5: JPEG colour")
        let plain = try ImageFlowCodec.encode(image, options: .init(jpegColour: false))
        #expect(fast.count < plain.count)
    }

    @Test func sampledSearchIsNeverBiggerThanFast() throws {
        let model = try #require(ImagePriorModel.builtIn)
        for image in [try Self.astronautFace(), try Self.jpegLike()] {
            let fast = try #require(try ImageFlowCodec.encodeSearching(image, options: .init(search: .fast), model: model,
                                                                       always: false, sampling: Self.small))
            let sampled = try #require(try ImageFlowCodec.encodeSearching(image, options: .init(search: .sampled), model: model,
                                                                          always: false, sampling: Self.small))
            #expect(sampled.count <= fast.count)
        }
    }

    /// What keeps the golden streams (all small) byte-identical under every search.
    @Test func smallStripsGetTheExhaustiveSearch() throws {
        let model = try #require(ImagePriorModel.builtIn)
        let image = try Self.astronautFace().rows(0..<40)
        #expect(try StripSample().mosaic(of: image) == nil)
        let exhaustive = try ImageFlowCodec.encodeStrip(image, options: .init(search: .exhaustive), model: model, always: false)
        for search in [ImageSearch.fast, .sampled] {
            #expect(try ImageFlowCodec.encodeStrip(image, options: .init(search: search), model: model, always: false) == exhaustive)
        }
    }

    @Test func mosaicIsTilesOfTheStrip() throws {
        let (w, h) = (150, 90)
        let image = try PixelImage(width: w, height: h, bitDepth: 16,
                                   planes: [Plane(width: w, height: h, samples: (0..<w * h).map { Int32($0) })])
        let sampling = StripSample(tileSide: 16, fraction: 4, minimumPixels: 1 << 10)
        let mosaic = try #require(try sampling.mosaic(of: image))
        let t = sampling.tileSide
        #expect(mosaic.width % t == 0 && mosaic.height % t == 0)
        let tiles = mosaic.width / t * (mosaic.height / t)
        #expect(tiles >= w * h / (sampling.fraction * t * t))
        var origins = Set<Int32>()
        let m = mosaic.planes[0]
        for ty in stride(from: 0, to: mosaic.height, by: t) {
            for tx in stride(from: 0, to: mosaic.width, by: t) {
                let origin = m[tx, ty]
                origins.insert(origin)
                // Each tile is a t × t block of the strip.
                for y in 0..<t { for x in 0..<t { #expect(m[tx + x, ty + y] == origin + Int32(y * w + x)) } }
                #expect(Int(origin) % w + t <= w && Int(origin) / w + t <= h)
                #expect(Int(origin) % w % StripSample.alignment == 0 && Int(origin) / w % StripSample.alignment == 0)
            }
        }
        #expect(origins.count == tiles, "tiles from distinct places")
        #expect(try StripSample(tileSide: 16, fraction: 4, minimumPixels: w * h + 1).mosaic(of: image) == nil)
    }
}
