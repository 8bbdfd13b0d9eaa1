/// One piece of the input, cut so that a method that understands its structure can code it.
enum ChunkKind: Equatable {
    case bytes
    /// Whole rows of pixels with this geometry (its height is the band's row count).
    case pixels(ImageGeometry)
    /// Whole frames of audio samples (or numeric-array elements) with this layout.
    case samples(AudioGeometry)
    /// The start of a PNG file: the whole file if it fits in a chunk.
    case png

    /// What the chunk record reports (a PNG chunk is counted in bytes of the PNG file).
    var modality: Modality {
        switch self {
        case .bytes, .png: return .bytes
        case .pixels: return .image
        case .samples: return .audio
        }
    }

    var sampleBytes: Int {
        switch self {
        case .bytes, .png: return 1
        case .pixels(let g): return g.bitDepth / 8
        case .samples(let g): return g.sampleBytes
        }
    }
}

/// Decides how the input is cut into chunks: from the sniffed modality, the next piece's length and kind.
/// Every chunk is a contiguous range of the original bytes, at most `chunkSize` long (docs/DESIGN.md §2.1).
struct ChunkPlanner {
    let chunkSize: Int
    private var pieces: [(length: Int, kind: ChunkKind)] = []

    /// How many first bytes of the input the planner sniffs.
    static let prefixLength = max(PNMHeader.maxLength, WAVHeader.maxLength, NPYHeader.maxLength)

    /// The stream modality this plan found.
    private(set) var modality: Modality = .bytes

    /// Plans from the first bytes of the input; `pixelDocument`: the input is a `PixelDocument`
    /// (pixel mode), cut as its header and bands of its samples.
    init(prefix: [UInt8], chunkSize: Int, rawLayout: FlowZip.RawLayout? = nil, pixelDocument: Bool = false) {
        self.chunkSize = chunkSize
        if pixelDocument, let (length, geometry) = PixelDocument.parseHeader(prefix[...]) {
            modality = .image
            pieces.append((length, .bytes))
            appendBands(geometry)
        } else if prefix.starts(with: PNGFile.signature) {
            modality = .image
            pieces.append((chunkSize, .png))
        } else if let pnm = PNMHeader.parse(prefix[...]) {
            guard chunkSize / pnm.geometry.rowBytes > 0 else { return }
            modality = .image
            pieces.append((pnm.length, .bytes))
            appendBands(pnm.geometry)
        } else if let wav = WAVHeader.parse(prefix[...]) {
            modality = .audio
            pieces.append((wav.length, .bytes))
            bands = (wav.geometry, wav.dataLength / wav.geometry.frameBytes)
        } else if let npy = NPYHeader.parse(prefix[...]) {
            modality = .audio
            pieces.append((npy.length, .bytes))
            bands = (npy.geometry, npy.dataLength / npy.geometry.frameBytes)
        } else if let raw = rawLayout {
            // Headerless samples as the caller described them: bands until the input ends (a last
            // partial frame becomes bytes).
            modality = .audio
            rawGeometry = raw.geometry
        }
    }

    /// Bands of whole pixel rows, each at most the chunk size (rows wider than a chunk: plain bytes).
    private mutating func appendBands(_ geometry: ImageGeometry) {
        let rowsPerBand = chunkSize / geometry.rowBytes
        guard rowsPerBand > 0 else { return }
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

    /// Set for headerless raw samples: every piece is a band of this layout.
    private var rawGeometry: AudioGeometry?

    /// The sample frames a WAV or NPY header declares and that are not cut yet. Cut one band at a time
    /// (a header may declare far more than the file holds: nothing is allocated per declared band).
    private var bands: (geometry: AudioGeometry, framesLeft: Int)?

    /// The next band of `bands`: whole frames, at most the chunk size, bands of (nearly) equal length so
    /// the last one is not a sliver.
    private mutating func nextBand() -> (length: Int, kind: ChunkKind)? {
        guard let (geometry, framesLeft) = bands, framesLeft > 0 else { return nil }
        let framesPerBand = chunkSize / geometry.frameBytes
        let count = (framesLeft + framesPerBand - 1) / framesPerBand
        let frames = (framesLeft + count - 1) / count
        bands = (geometry, framesLeft - frames)
        return (frames * geometry.frameBytes, .samples(geometry))
    }

    /// The next piece to read; after the planned pieces, plain byte chunks until the input ends.
    mutating func next() -> (length: Int, kind: ChunkKind) {
        if !pieces.isEmpty { return pieces.removeFirst() }
        if let band = nextBand() { return band }
        if let g = rawGeometry { return (chunkSize / g.frameBytes * g.frameBytes, .samples(g)) }
        return (chunkSize, .bytes)
    }

    /// How a piece the input ended inside is coded. A short piece of pixels is plain bytes (a PNG piece is
    /// meant to be short). A short band of samples (a raw file's last band, a WAV whose data chunk claims
    /// more than the file holds) keeps its whole frames as samples and only the partial frame after them
    /// becomes bytes: a WAV cut inside a frame still codes its audio with the flow.
    static func pieces(of planned: ChunkKind, plannedLength: Int, actualLength: Int) -> [(length: Int, kind: ChunkKind)] {
        if actualLength == plannedLength || planned == .png { return [(actualLength, planned)] }
        guard case .samples(let g) = planned else { return [(actualLength, .bytes)] }
        let whole = actualLength / g.frameBytes * g.frameBytes
        let tail = actualLength - whole
        return (whole > 0 ? [(whole, planned)] : []) + (tail > 0 ? [(tail, .bytes)] : [])
    }
}
