/// What kind of data a corpus file holds, which decides the codecs that apply and the unit that
/// "bits per unit" counts.
public enum Modality: String, Sendable, CaseIterable, Comparable {
    /// PNM (P5/P6/P7) or PNG; units are sub-pixels (width × height × channels).
    case image
    /// RIFF WAVE PCM; units are samples (frames × channels).
    case audio
    /// Anything else; units are bytes.
    case general

    /// The name of the unit "bits per unit" is counted in.
    public var unitName: String {
        switch self {
        case .image: return "sub-pixel"
        case .audio: return "sample"
        case .general: return "byte"
        }
    }

    public static func < (a: Modality, b: Modality) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The shape of a file's content, found by reading its header.
public enum ContentShape: Sendable, Equatable {
    /// A raster image: PNM pixels or PNG.
    case image(width: Int, height: Int, channels: Int, bitDepth: Int, isPNG: Bool)
    /// PCM audio.
    case audio(channels: Int, sampleRate: Int, bitsPerSample: Int, samples: Int)
    /// Plain bytes.
    case bytes(count: Int)

    /// Sniffs `bytes`: a PNM or PNG header makes an image, a RIFF WAVE with PCM data makes audio,
    /// everything else (including malformed headers) is plain bytes.
    public init(sniffing bytes: [UInt8]) {
        if let raster = try? Raster(pnm: bytes) {
            self = .image(width: raster.width, height: raster.height, channels: raster.channels,
                          bitDepth: raster.maxValue > 255 ? 16 : 8, isPNG: false)
        } else if let png = PNGHeader(bytes) {
            self = .image(width: png.width, height: png.height, channels: png.channels,
                          bitDepth: png.bitDepth, isPNG: true)
        } else if let pcm = try? PCM(wav: bytes) {
            self = .audio(channels: pcm.channels, sampleRate: pcm.sampleRate,
                          bitsPerSample: pcm.bitsPerSample, samples: pcm.sampleCount)
        } else {
            self = .bytes(count: bytes.count)
        }
    }

    /// The modality this shape belongs to.
    public var modality: Modality {
        switch self {
        case .image: return .image
        case .audio: return .audio
        case .bytes: return .general
        }
    }

    /// How many units the content has: sub-pixels, samples or bytes.
    public var units: Int {
        switch self {
        case let .image(width, height, channels, _, _): return width * height * channels
        case let .audio(_, _, _, samples): return samples
        case let .bytes(count): return count
        }
    }
}
