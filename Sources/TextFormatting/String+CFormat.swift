#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// `format` filled in by C's `vsnprintf`: numbers only (`%ld`, `%llu`, `%016llx`, `%.3f`, `%5.1f`,
    /// `%%` ...), the same text Foundation's `String(format:)` gives for them. Strings go around the
    /// formatted part by interpolation, never into `format` (a `%` in a file name would be read as a
    /// conversion). This exists so that the command line tool need not load Foundation, whose loading
    /// was a third of every process's start-up.
    public init(cFormat format: String, _ arguments: CVarArg...) {
        let first = Self.render(format, arguments, capacity: 256)
        self = first.needed < 256 ? first.text : Self.render(format, arguments, capacity: first.needed + 1).text
    }

    /// One `vsnprintf` into `capacity` bytes: the text that fitted and the length the whole would need.
    /// (A va_list is consumed by one call, so a second attempt takes a new one.)
    private static func render(_ format: String, _ arguments: [CVarArg], capacity: Int) -> (text: String, needed: Int) {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: capacity)
            let needed = Int(vsnprintf(&buffer, capacity, format, list))
            let length = Swift.min(Swift.max(needed, 0), capacity - 1)
            return (String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self), needed)
        }
    }
}
