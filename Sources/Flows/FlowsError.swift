/// Errors of the Flows module: every malformed input is reported, never trapped on.
public enum FlowsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Tensors handed to a layer's inverse do not have the shapes its forward produces.
    case shapeMismatch(String)
    /// A coded stream ends early.
    case truncated(String)
    /// A coded stream holds an impossible value (bad field, sample out of range, leftover data).
    case corrupt(String)
    /// The input is valid but outside what this codec supports.
    case unsupported(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let what): return "shape mismatch: \(what)"
        case .truncated(let what): return "truncated flow stream: \(what)"
        case .corrupt(let what): return "corrupt flow stream: \(what)"
        case .unsupported(let what): return "unsupported: \(what)"
        }
    }
}
