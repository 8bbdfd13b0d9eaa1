import Testing
@testable import FlowZip

/// Expects `body` to throw a `FlowZipError` with `code`, and, when given, this `message` (the text the
/// CLI prints after the kind); returns the error for further checks.
@discardableResult
func expectFlowZipError<R>(_ code: FlowZipError.Code, _ message: String? = nil, _ comment: Comment? = nil,
                           sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () throws -> R) -> FlowZipError? {
    let error = #expect(throws: FlowZipError.self, comment, sourceLocation: sourceLocation) { _ = try body() }
    guard let error else { return nil }
    #expect(error.code == code, "\(error) has code \(error.code), not \(code)", sourceLocation: sourceLocation)
    if let message { #expect(error.message == message, sourceLocation: sourceLocation) }
    return error
}
