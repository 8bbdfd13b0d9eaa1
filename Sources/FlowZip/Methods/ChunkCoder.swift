internal import Flows

/// Codes one chunk: tries the methods that fit its kind and keeps the smallest, never more than the raw
/// bytes (docs/DESIGN.md §2.2). Decoding dispatches on the method id of the chunk record.
struct ChunkCoder: Sendable {
    let method: FlowZip.Method
    /// The generic methods' levels for ordinary bytes, and for chunks of pixels, samples and PNG rows
    /// (`FlowZip.Options.mediaLevel`).
    let zstdLevel: Int
    let zlibLevel: Int
    let mediaZstdLevel: Int
    let mediaZlibLevel: Int
    /// The learned prior for flow chunks of 8-bit images, if any.
    let model: ImagePriorModel?
    let alwaysUseModel: Bool
    /// How flow chunks search the codings of each strip: by `level` (`imageSearch(level:)`).
    let imageSearch: ImageSearch

    init(options: FlowZip.Options) {
        method = options.method
        model = options.model?.prior
        alwaysUseModel = options.alwaysUseModel
        zstdLevel = options.level ?? 19
        zlibLevel = min(options.level ?? 9, 9)
        mediaZstdLevel = options.mediaLevel ?? zstdLevel
        mediaZlibLevel = options.mediaLevel.map { min($0, 9) } ?? zlibLevel
        imageSearch = Self.imageSearch(level: options.level, ownModel: Self.isOwnModel(options.model))
    }

    /// The image flow's search at a level, the zstd way: the default and levels up to 19 are fast
    /// (hand-made prior, sampled colour stage); the "ultra" levels 20-21 also try the learned prior where
    /// a sample predicts it pays, and 22 codes every candidate in full (about five times slower than the
    /// default, for the last few tenths of a percent; bench/results/image-search.md). A model of the
    /// user's own (`--model FILE`) is tried at every level, as `.sampled` does: it was asked for.
    static func imageSearch(level: Int?, ownModel: Bool = false) -> ImageSearch {
        switch level ?? 0 {
        case 22...: .exhaustive
        case 20...: .sampled
        default: ownModel ? .sampled : .fast
        }
    }

    /// Whether `model` is one the caller chose rather than the built-in one. (A separate function:
    /// written inline in `init`, this comparison crashed swift-frontend 6.3.1's release build.)
    static func isOwnModel(_ model: FlowModel?) -> Bool {
        guard let model else { return false }
        return model.id != FlowModel.builtIn?.id
    }

    /// zlib is tried beside zstd only from this zstd level up: there zlib -9 costs little beside zstd and
    /// sometimes wins on small chunks; at fast levels it would dominate the time and rarely win.
    static let zlibTriedFromZstdLevel = 10

    /// The zstd and zlib levels for a chunk of this kind.
    func levels(for kind: ChunkKind) -> (zstd: Int, zlib: Int) {
        if case .bytes = kind { return (zstdLevel, zlibLevel) }
        return (mediaZstdLevel, mediaZlibLevel)
    }

    /// The methods to try on a chunk of this kind.
    func candidates(for kind: ChunkKind) -> [ChunkMethodID] {
        let generic: [ChunkMethodID] = levels(for: kind).zstd >= Self.zlibTriedFromZstdLevel ? [.zstd, .zlib] : [.zstd]
        let fitting: [ChunkMethodID]
        switch kind {
        case .bytes: fitting = generic
        case .pixels: fitting = [.flow] + generic
        case .samples: fitting = [.flowAudio] + generic
        case .png: fitting = [.png] + generic
        }
        switch method {
        case .auto: return fitting
        case .store: return []
        case .zlib: return [.zlib]
        case .zstd: return [.zstd]
        // Flow codes pixels and samples; the other chunks of the file (a PNM or WAV header) get the
        // generic methods.
        case .flow: return fitting.filter { $0 == .flow || $0 == .png || $0 == .flowAudio }.nonEmpty ?? generic
        }
    }

    /// The chunk's record and payload. `threads` code the strips of an image chunk in parallel, and
    /// the generic methods run beside the chunk's own method on one more thread (the payload is the
    /// same for every count).
    func encode(_ raw: [UInt8], kind: ChunkKind, threads: Int = 1) throws -> (record: ChunkRecord, payload: [UInt8]) {
        let candidates = candidates(for: kind)
        // nil: the method cannot code this chunk (e.g. the flow and this geometry); others still can.
        @Sendable func attempt(_ method: ChunkMethodID) throws -> [UInt8]? {
            do {
                return try encode(raw[...], kind: kind, with: method, threads: threads)
            } catch let error as FlowZipError where error.code == .unsupported {
                return nil
            }
        }
        let tried: [(method: ChunkMethodID, payload: [UInt8]?)]
        if let own = candidates.first, own.isModel, candidates.count > 1, levels(for: kind).zstd > Self.probeLevel {
            tried = try modelFirst(own, generic: Array(candidates.dropFirst()), raw: raw, threads: threads, attempt: attempt)
        } else if threads > 1 && candidates.count > 1 {
            let rest = Array(candidates.dropFirst())
            let (first, others) = try ParallelJobs.pair({ try attempt(candidates[0]) },
                                                        beside: { rest.map { method in Result { try attempt(method) } } })
            tried = [(candidates[0], first)] + (try zip(rest, others).map { ($0, try $1.get()) })
        } else {
            tried = try candidates.map { ($0, try attempt($0)) }
        }
        var best: (method: ChunkMethodID, payload: [UInt8]) = (.store, raw)
        for (candidate, payload) in tried {
            if let payload, payload.count < best.payload.count { best = (candidate, payload) }
        }
        let record = ChunkRecord(method: best.method, modality: kind.modality, sampleBytes: UInt8(kind.sampleBytes),
                                 rawLength: raw.count, codedLength: best.payload.count,
                                 rawCRC: CRC32.checksum(raw))
        return (record, best.payload)
    }

    /// The zstd level of the quick probe that decides whether the slow generic methods are worth running.
    static let probeLevel = 3

    /// Pixels and samples: the model's method, and beside it a quick zstd probe. When the model's payload
    /// is below 0.6 of the probe's (and of the same level's with long-distance matching,
    /// `modelWinsClearly`), zstd at a high level and zlib cannot catch up (on pixels, samples and PNG rows
    /// they save 1-25 % over level 3; bench/results/auto-probe.md) and are skipped: on a WAV they took
    /// 4.5 times the flow's own CPU time. Otherwise they run as before. The choice depends only on
    /// payload sizes, so the stream stays the same for every thread count.
    private func modelFirst(_ own: ChunkMethodID, generic: [ChunkMethodID], raw: [UInt8], threads: Int,
                            attempt: @Sendable (ChunkMethodID) throws -> [UInt8]?)
        throws -> [(method: ChunkMethodID, payload: [UInt8]?)] {
        let level = Self.probeLevel
        @Sendable func probe() -> Result<[UInt8], Error> { Result { try ZstdMethod.compress(raw[...], level: level) } }
        let (model, probed) = threads > 1 ? try ParallelJobs.pair({ try attempt(own) }, beside: probe) : (try attempt(own), probe())
        let quick = try probed.get()
        var tried: [(method: ChunkMethodID, payload: [UInt8]?)] = [(own, model), (.zstd, quick)]
        if let model, try Self.modelWinsClearly(modelSize: model.count, probeSize: quick.count, raw: raw[...]) { return tried }
        tried += try generic.map { ($0, try attempt($0)) }
        return tried
    }

    /// Whether a model payload of `modelSize` bytes leaves the slow generic methods no chance on `raw`:
    /// below 0.6 of the probe's `probeSize`, and of the probe's level with long-distance matching. The
    /// probe's window is small and a high level's is not: on a texture tiled at a period of megabytes
    /// the flow came to 0.59 of the probe and zstd -19 to 0.35 (long-distance matching: 0.49).
    static func modelWinsClearly(modelSize: Int, probeSize: Int, raw: ArraySlice<UInt8>) throws -> Bool {
        guard modelSize * 5 < probeSize * 3 else { return false }
        return modelSize * 5 < (try ZstdMethod.conditionalSize(of: raw, after: [], level: probeLevel)) * 3
    }

    private func encode(_ raw: ArraySlice<UInt8>, kind: ChunkKind, with method: ChunkMethodID, threads: Int) throws -> [UInt8] {
        switch method {
        case .store: return Array(raw)
        case .zlib: return try ZlibMethod.compress(raw, level: levels(for: kind).zlib)
        case .zstd: return try ZstdMethod.compress(raw, level: levels(for: kind).zstd)
        case .flow:
            guard case .pixels(let geometry) = kind else { throw FlowZipError.unsupported("flow needs pixels") }
            // Where the generic methods run too, a flow that cannot beat them gives up early.
            return try FlowMethod.compress(raw, geometry: geometry, model: model, always: alwaysUseModel, search: imageSearch,
                                          competing: self.method == .auto, threads: threads)
        case .flowAudio:
            guard case .samples(let geometry) = kind else { throw FlowZipError.unsupported("flowAudio needs samples") }
            return try FlowAudioMethod.compress(raw, geometry: geometry)
        case .png:
            return try PNGMethod.compress(raw, model: model, search: imageSearch, threads: threads)
        }
    }

    /// Decodes a payload and checks it against its record. `index` is 1-based, for messages;
    /// `models` holds the model the stream header names, if the decoder has it; `threads` decode the
    /// strips of an image chunk in parallel.
    static func decode(_ payload: [UInt8], record: ChunkRecord, index: Int, models: ModelResolution = .none,
                       threads: Int = 1) throws -> [UInt8] {
        let raw: [UInt8]
        do {
            switch record.method {
            case .store: raw = payload
            case .zlib: raw = try ZlibMethod.decompress(payload[...], rawLength: record.rawLength)
            case .zstd: raw = try ZstdMethod.decompress(payload[...], rawLength: record.rawLength)
            case .flow: raw = try FlowMethod.decompress(payload[...], rawLength: record.rawLength, models: models, threads: threads)
            case .flowAudio: raw = try FlowAudioMethod.decompress(payload[...], rawLength: record.rawLength)
            case .png: raw = try PNGMethod.decompress(payload[...], rawLength: record.rawLength, models: models, threads: threads)
            }
        } catch let error as FlowZipError {
            throw error.inChunk(index)
        }
        guard raw.count == record.rawLength else {
            throw FlowZipError.corrupt("decodes to \(raw.count) bytes, record says \(record.rawLength)").inChunk(index)
        }
        guard CRC32.checksum(raw) == record.rawCRC else {
            throw FlowZipError.checksumMismatch("checksum mismatch").inChunk(index)
        }
        return raw
    }
}

extension FlowZipError {
    /// The same error in the chunk numbered `index` (from 1): its message names the chunk. The
    /// container read the whole payload, so a method decoder running out of bytes means the payload is
    /// inconsistent, not that the stream was cut: `truncated` becomes `corrupt`.
    func inChunk(_ index: Int) -> FlowZipError {
        var error = self
        error.chunkIndex = index - 1
        error.message = "chunk \(index): \(message)"
        if code == .truncated {
            error.code = .corrupt
            error.message += " (ends early)"
        }
        return error
    }
}

extension Array {
    /// Nil for an empty array.
    var nonEmpty: Self? { isEmpty ? nil : self }
}

/// Threads for the strips of each chunk of a batch that `parallelMap` codes on `threads` threads: a share
/// proportional to the chunk's size, so a lone image chunk (beside its few header bytes) gets them all and
/// a batch of equal chunks one each. Only speed depends on this, never the output.
func stripThreads(sizes: [Int], threads: Int) -> [Int] {
    let total = max(1, sizes.reduce(0, +))
    return sizes.map { max(1, (threads * $0 + total - 1) / total) }
}
