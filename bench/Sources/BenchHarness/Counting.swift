/// The distinct values of `values` in first-seen order, each with how often it occurs.
func countedInOrder(_ values: [String]) -> [(value: String, count: Int)] {
    var order: [String] = []
    var counts: [String: Int] = [:]
    for value in values {
        if counts[value] == nil { order.append(value) }
        counts[value, default: 0] += 1
    }
    return order.map { ($0, counts[$0]!) }
}
