/// One piece of the input, cut so that a method that understands its structure can code it.
enum ChunkKind: Equatable {
    case bytes
    /// Whole rows of pixels with this geometry (its height is the band's row count).
    case pixels(ImageGeometry)
    /// Whole frames of audio samples (or numeric-array elements) with this layout.
    case samples(AudioGeometry)

    var modality: Modality {
        switch self {
        case .bytes: return .bytes
        case .pixels: return .image
        case .samples: return .audio
        }
    }

    var sampleBytes: Int {
        switch self {
        case .bytes: return 1
        case .pixels(let g): return g.bitDepth / 8
        case .samples(let g): return g.sampleBytes
        }
    }
}

/// Decides how the input is cut into chunks: from the sniffed modality, the next piece's length and kind.
/// Every chunk is a contiguous range of the original bytes, at most `chunkSize` long (DESIGN.md §2).
struct ChunkPlanner {
    let chunkSize: Int
    private var pieces: [(length: Int, kind: ChunkKind)] = []

    /// How many first bytes of the input the planner sniffs.
    static let prefixLength = max(PNMHeader.maxLength, WAVHeader.maxLength)

    /// The stream modality this plan found.
    private(set) var modality: Modality = .bytes

    /// Plans from the first bytes of the input.
    init(prefix: [UInt8], chunkSize: Int) {
        self.chunkSize = chunkSize
        if let pnm = PNMHeader.parse(prefix[...]) {
            let geometry = pnm.geometry
            let rowsPerBand = chunkSize / geometry.rowBytes
            guard rowsPerBand > 0 else { return }
            modality = .image
            pieces.append((pnm.length, .bytes))
            var rowsLeft = geometry.height
            while rowsLeft > 0 {
                // Bands of equal height, so the last one is not a sliver.
                let bands = (rowsLeft + rowsPerBand - 1) / rowsPerBand
                let rows = (rowsLeft + bands - 1) / bands
                var band = geometry
                band.height = rows
                pieces.append((rows * geometry.rowBytes, .pixels(band)))
                rowsLeft -= rows
            }
        } else if let wav = WAVHeader.parse(prefix[...]) {
            modality = .audio
            pieces.append((wav.length, .bytes))
            planBands(bytes: wav.dataLength, geometry: wav.geometry)
        }
    }

    /// Sample bands of whole frames, each at most the chunk size, of (nearly) equal length so the last
    /// one is not a sliver. What follows them in the file is cut as plain bytes.
    private mutating func planBands(bytes: Int, geometry: AudioGeometry) {
        let framesPerBand = chunkSize / geometry.frameBytes
        var framesLeft = bytes / geometry.frameBytes
        while framesLeft > 0 {
            let bands = (framesLeft + framesPerBand - 1) / framesPerBand
            let frames = (framesLeft + bands - 1) / bands
            pieces.append((frames * geometry.frameBytes, .samples(geometry)))
            framesLeft -= frames
        }
    }

    /// The next piece to read; after the planned pieces, plain byte chunks until the input ends.
    mutating func next() -> (length: Int, kind: ChunkKind) {
        pieces.isEmpty ? (chunkSize, .bytes) : pieces.removeFirst()
    }

    /// Where the input ended early, a short piece is plain bytes, whatever was planned.
    static func kind(of planned: ChunkKind, plannedLength: Int, actualLength: Int) -> ChunkKind {
        actualLength == plannedLength ? planned : .bytes
    }
}
