internal import Flows

/// Layout of the pixel samples in a flow chunk: whole rows of an image, channels interleaved,
/// 16-bit samples big-endian (as PNM stores them).
public struct ImageGeometry: Sendable, Equatable {
    /// Pixels per row.
    public var width: Int
    /// Rows.
    public var height: Int
    /// Samples per pixel, 1...4.
    public var channels: Int
    /// 8 or 16.
    public var bitDepth: Int
    /// Largest sample value (PNM maxval); samples above it still round-trip.
    public var maxValue: Int

    /// A geometry with these fields.
    public init(width: Int, height: Int, channels: Int, bitDepth: Int, maxValue: Int) {
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = bitDepth
        self.maxValue = maxValue
    }

    /// Bytes of one row of samples.
    public var rowBytes: Int { width * channels * (bitDepth / 8) }
}

/// The `flow` chunk method: pixels through the integer flow and onto the rANS stack (issue 5).
/// Its payload is a `Flows.ImageFlowCodec` stream, which describes its own geometry (width,
/// height, channels, depth), so decoding needs only the payload and the chunk's raw length.
enum FlowMethod {
    /// Compresses whole rows of pixels laid out as `geometry` says (1–4 channels, 8 or 16 bits),
    /// one strip of about a megapixel at a time (`ImageFlowOptions.stripPixels`); 8-bit images
    /// with the learned prior `model`, where given, strip by strip as the smallest of hand-made,
    /// learned and learned-contexts-only (or always learned, if `always`). Strips are coded on up to
    /// `threads` threads; the payload is the same for every count. `search` trades encoding time
    /// for size (`ImageSearch`); the decoder reads the output of any search. A single stream's header goes
    /// deflated where that is smaller (`PackedFlowPayload`: small images), and its coding is chosen on
    /// that packed size (`WrittenSize`): the interlaced coding's scale table packs better than the raster one's.
    /// With `competing`, a strip whose sample predicts a flow coding well above zstd's (`competingLevel`
    /// with long-distance matching, given the rows before the strip) gives the flow up (`unsupported`),
    /// and the chunk goes to the generic methods (`GenericCompetitor`). A fast level keeps the estimate
    /// cheap beside the flow; zstd -19 codes images smaller still (0-55 % below zstd -3 on 60 train
    /// images), so the flow gives up only where the slower levels would beat it too.
    static let competingLevel = 3

    static func compress(_ pixels: ArraySlice<UInt8>, geometry: ImageGeometry, model: ImagePriorModel? = nil,
                         always: Bool = false, search: ImageSearch = .fast, competing: Bool = false,
                         threads: Int = 1) throws -> [UInt8] {
        var options = ImageFlowOptions(search: search, writtenSize: PackedFlowPayload.writtenSize)
        if competing {
            let rowBytes = geometry.width * geometry.channels * geometry.bitDepth / 8, base = pixels.startIndex
            let window = 1 << ZstdMethod.longWindowLog
            options.competitor = GenericCompetitor(name: "zstd -\(competingLevel) --long") { rows in
                let start = base + rows.lowerBound * rowBytes, end = base + rows.upperBound * rowBytes
                // The first strip has nothing before it: the rows after it stand in, so that it sees
                // the repeats the next strips will (else a texture codes its first strip in full).
                let context = start > base ? pixels[max(base, start - window)..<start] : pixels[end..<min(end + window, pixels.endIndex)]
                return (try? ZstdMethod.conditionalSize(of: pixels[start..<end], after: context, level: competingLevel)) ?? Int.max
            }
        }
        do {
            // The choice per strip: the learned translation correction made moon.pgm 30-50 % bigger.
            let stream = try ImageFlowCodec.encode(interleaved: pixels, width: geometry.width, height: geometry.height,
                                                   channels: geometry.channels, bitDepth: geometry.bitDepth,
                                                   options: options,
                                                   model: model, alwaysLearned: always, threads: threads)
            return PackedFlowPayload.pack(stream) ?? stream
        } catch {
            throw FlowZipError(encoding: error)
        }
    }

    /// Decompresses a payload made by `compress` (a flow stream, or one whose header is packed:
    /// `PackedFlowPayload`); the result must be exactly `rawLength` bytes.
    /// A payload claiming more samples than `rawLength` allows is rejected before allocating.
    /// A payload coded with a learned prior takes its model from `models` (`missingModel` if absent).
    static func decompress(_ payload: ArraySlice<UInt8>, rawLength: Int, models: ModelResolution = .none,
                           threads: Int = 1) throws -> [UInt8] {
        let stream = payload.first == PackedFlowPayload.marker
            ? try PackedFlowPayload.unpack(payload)[...] : payload
        let model = ImageFlowCodec.usesLearnedPrior(stream) ? try models.require() : nil
        do {
            return try ImageFlowCodec.decodeInterleaved(stream, byteCount: rawLength, model: model, threads: threads)
        } catch {
            throw FlowZipError(decoding: error)
        }
    }
}

extension FlowZipError {
    /// Maps the flow codec's errors on compression: the input does not fit the method.
    init(encoding error: FlowsError) {
        switch error {
        case .shapeMismatch(let what): self = .invalidArgument("flow method: \(what)")
        case .truncated(let what), .corrupt(let what), .unsupported(let what): self = .unsupported("flow method: \(what)")
        }
    }

    /// Maps the flow codec's errors on decompression: the payload is damaged. (Every field the decoder
    /// calls unsupported, a compressor of this format never writes.)
    init(decoding error: FlowsError) {
        switch error {
        case .truncated(let what): self = .truncated("flow chunk: \(what)")
        case .corrupt(let what), .shapeMismatch(let what), .unsupported(let what): self = .corrupt("flow chunk: \(what)")
        }
    }
}
