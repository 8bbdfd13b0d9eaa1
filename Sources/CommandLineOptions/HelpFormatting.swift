/// The options section of a help text: each option's synopsis, then its help wrapped into a column.
///
///     -o, --output FILE       Write to FILE (one input only).
public func optionsHelp(_ options: [OptionSpec], column: Int = 26, width: Int = 80) -> String {
    options.map { spec in
        let lines = wrap(spec.help, width: width - column)
        let head = "  " + spec.synopsis
        let first = head.count + 2 <= column ? pad(head, column) + lines[0] : head + "\n" + pad("", column) + lines[0]
        return ([first] + lines.dropFirst().map { pad("", column) + $0 }).joined(separator: "\n")
    }.joined(separator: "\n")
}

/// `text` in lines of at most `width` characters, broken at spaces (a longer word gets a line of its own).
public func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ") {
        if !line.isEmpty && line.count + 1 + word.count > width {
            lines.append(line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    return lines + [line]
}

private func pad(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}
