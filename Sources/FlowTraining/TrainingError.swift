/// Errors of training: each names the file or the condition.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No training image in the given directories.
    case noImages(String)
    /// A file could not be read or parsed as an image.
    case unreadable(String)
    /// The loss became NaN or infinite.
    case diverged(step: Int)
    /// A checkpoint is damaged or does not match the run.
    case badCheckpoint(String)
    /// The trained network cannot be represented in fixed point.
    case quantization(String)
    /// An argument is out of range.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .noImages(let dirs):
            // WAV folders are the likeliest mistake: say why there is nothing to train for audio.
            return "no usable 8-bit gray or RGB images (.ppm, .pgm, .pnm, .png) found in \(dirs); flowzip train trains image priors only (audio is coded adaptively, per file, and needs no trained model)"
        case .unreadable(let what): return "cannot read \(what)"
        case .diverged(let step): return "training diverged at step \(step) (loss is NaN or infinite); try a lower learning rate"
        case .badCheckpoint(let what): return "bad checkpoint: \(what)"
        case .quantization(let what): return "quantization failed: \(what)"
        case .invalidArgument(let what): return "invalid argument: \(what)"
        }
    }
}
