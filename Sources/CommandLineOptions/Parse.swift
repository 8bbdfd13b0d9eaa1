/// Reads a command line against a command's option table.
///
/// The conventions are getopt's and gzip's, with long options:
/// - `--name VALUE` and `--name=VALUE`; `-n VALUE`, `-nVALUE` and `-n=VALUE` for one-letter names;
///   an optional value (`--fast[=N]`, `-b[N]`) only as `--name=VALUE` or joined to its letter (`-b19`, `-b=19`);
/// - one-letter flags combine (`-dc` is `-d -c`), and the last letter of a cluster may take a value (`-kT2`);
/// - `-` followed by digits only is the table's `digitsOption` (`-19` is `--level 19`) where it has one;
/// - `--` ends the options: everything after it is an operand, even `-name`; a lone `-` is an operand;
/// - options and operands may come in any order.
/// A value in the next argument may not start with `-` (other than `-` itself): `-o -c` is a missing
/// value, not a file named `-c` (write `--output=-c` for that).
public func parseArguments(_ arguments: [String], table: OptionTable) throws -> ParsedArguments {
    var result = ParsedArguments()
    var remaining = arguments[...]
    /// The value of `written` from the next argument.
    func nextValue(for written: String) throws -> String {
        guard let next = remaining.first else { throw UsageError.missingValue(option: written) }
        guard next == "-" || !next.hasPrefix("-") else { throw UsageError.missingValue(option: written, next: next) }
        remaining = remaining.dropFirst()
        return next
    }
    while let argument = remaining.popFirst() {
        if argument == "--" {
            result.operands += remaining
            break
        }
        guard argument.hasPrefix("-"), argument != "-" else {
            result.operands.append(argument)
            continue
        }
        if argument.hasPrefix("--") {
            let body = argument.dropFirst(2)
            let name = body.prefix { $0 != "=" }
            guard let spec = table.spec(long: name) else { throw UsageError.unknownOption("--" + name) }
            let written = "--" + String(name)
            if name.endIndex < body.endIndex {  // --name=value
                let value = String(body[body.index(after: name.endIndex)...])
                guard spec.valueName != nil else { throw UsageError.unexpectedValue(option: written, value: value) }
                guard !value.isEmpty else { throw UsageError.missingValue(option: written) }
                result.occurrences.append(.init(key: spec.long, written: written, value: value))
            } else {
                let value = spec.takesValue ? try nextValue(for: written) : nil
                result.occurrences.append(.init(key: spec.long, written: written, value: value))
            }
            continue
        }
        let letters = argument.dropFirst()
        if let digitsOption = table.digitsOption, letters.allSatisfy({ $0.isASCII && $0.isNumber }) {
            result.occurrences.append(.init(key: digitsOption, written: argument, value: String(letters)))
            continue
        }
        var rest = letters
        while let letter = rest.popFirst() {
            guard let spec = table.spec(short: letter) else {
                throw UsageError.unknownOption("-\(letter)", cluster: argument.count > 2 ? argument : nil)
            }
            let written = "-\(letter)"
            if spec.valueIsOptional {  // the rest of the argument, if any, is the value
                let attached = rest.first == "=" ? rest.dropFirst() : rest
                if rest.first == "=" && attached.isEmpty { throw UsageError.missingValue(option: written) }
                result.occurrences.append(.init(key: spec.long, written: written, value: rest.isEmpty ? nil : String(attached)))
                break
            }
            guard spec.takesValue else {
                result.occurrences.append(.init(key: spec.long, written: written, value: nil))
                continue
            }
            let attached = rest.first == "=" ? rest.dropFirst() : rest
            if rest.isEmpty {
                result.occurrences.append(.init(key: spec.long, written: written, value: try nextValue(for: written)))
            } else {
                guard !attached.isEmpty else { throw UsageError.missingValue(option: written) }
                result.occurrences.append(.init(key: spec.long, written: written, value: String(attached)))
            }
            break
        }
    }
    return result
}
