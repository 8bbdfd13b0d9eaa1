extension ImageFlowCodec {
    /// Per-file (per-strip) adaptation of the prior: codes every strip of an 8-bit `image` three
    /// ways — hand-made prior, learned prior, learned contexts without the translation correction —
    /// and keeps the smallest of each, so `model` can never make a strip bigger. Without a model,
    /// or for 16-bit images, the same as `encode(_:options:)`. Costs three encodings with the default
    /// `options.search` (`.exhaustive`); `.fast` and `.sampled` decide on a sample of each strip.
    public static func encodeChoosingPrior(_ image: PixelImage, options: ImageFlowOptions = .init(),
                                           model: ImagePriorModel?) throws(FlowsError) -> [UInt8] {
        guard let model, image.bitDepth == 8 else { return try encode(image, options: options) }
        return try encodeInStrips(image, options: options) { strip, options throws(FlowsError) in
            try encodeStrip(strip, options: options, model: model, always: false)
        }
    }

    /// One strip: without a model (or for 16 bits) the hand-made prior; with one, the smallest of
    /// the three codings, or the learned prior alone if `always`. Searched as `options.search` says
    /// (`encodeSearching`); strips too small to sample, and `.exhaustive`, code every candidate.
    static func encodeStrip(_ part: PixelImage, options: ImageFlowOptions, model: ImagePriorModel?,
                            always: Bool) throws(FlowsError) -> [UInt8] {
        if options.search != .exhaustive, let coded = try encodeSearching(part, options: options, model: model, always: always) {
            return coded
        }
        guard let model, part.bitDepth == 8 else { return try encodeSingle(part, options: options, model: nil, learnedCorrection: true) }
        let learned = try encodeSingle(part, options: options, model: model, learnedCorrection: true)
        if always { return learned }
        let codings = [try encodeSingle(part, options: options, model: nil, learnedCorrection: true), learned,
                       try encodeSingle(part, options: options, model: model, learnedCorrection: false)]
        return codings.min { options.writtenSize($0) < options.writtenSize($1) }!
    }
}
