/// One piece of the input, cut so that a method that understands its structure can code it.
enum ChunkKind: Equatable {
    case bytes
    /// Whole rows of pixels with this geometry (its height is the band's row count).
    case pixels(ImageGeometry)
    /// The start of a PNG file: the whole file if it fits in a chunk.
    case png

    /// What the chunk record reports (a PNG chunk is counted in bytes of the PNG file).
    var modality: Modality {
        switch self {
        case .bytes, .png: return .bytes
        case .pixels: return .image
        }
    }

    var sampleBytes: Int {
        switch self {
        case .bytes, .png: return 1
        case .pixels(let g): return g.bitDepth / 8
        }
    }
}

/// Decides how the input is cut into chunks: from the sniffed modality, the next piece's length and kind.
/// Every chunk is a contiguous range of the original bytes, at most `chunkSize` long (DESIGN.md §2).
struct ChunkPlanner {
    let chunkSize: Int
    private var pieces: [(length: Int, kind: ChunkKind)] = []

    /// The stream modality this plan found.
    private(set) var modality: Modality = .bytes

    /// Plans from the first bytes of the input.
    init(prefix: [UInt8], chunkSize: Int) {
        self.chunkSize = chunkSize
        if prefix.starts(with: PNGFile.signature) {
            modality = .image
            pieces.append((chunkSize, .png))
        } else if let pnm = PNMHeader.parse(prefix[...]) {
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
        }
    }

    /// The next piece to read; after the planned pieces, plain byte chunks until the input ends.
    mutating func next() -> (length: Int, kind: ChunkKind) {
        pieces.isEmpty ? (chunkSize, .bytes) : pieces.removeFirst()
    }

    /// Where the input ended early, a short piece of pixels is plain bytes (a PNG piece is meant to be short).
    static func kind(of planned: ChunkKind, plannedLength: Int, actualLength: Int) -> ChunkKind {
        actualLength == plannedLength || planned == .png ? planned : .bytes
    }
}
