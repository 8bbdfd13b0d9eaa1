/// Errors of the 1-D (audio) flow codec: a malformed payload is reported, never trapped on.
public enum AudioFlowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payload holds an impossible value or does not end where the coded data ends.
    case corrupt(String)
    /// The signal is valid but outside what this codec handles.
    case unsupported(String)

    /// The message, naming what is wrong.
    public var description: String {
        switch self {
        case .corrupt(let what): return "corrupt audio flow payload: \(what)"
        case .unsupported(let what): return "unsupported: \(what)"
        }
    }
}
