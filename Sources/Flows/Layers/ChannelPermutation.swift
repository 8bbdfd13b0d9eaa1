/// Reorders channels: output channel `i` is input channel `order[i]`.
///
/// Cost: 0 bits (a permutation). Invariant: `order` is a permutation of `0..<order.count`.
public struct ChannelPermutation: Sendable, Equatable {
    /// `order[i]` is the input channel that becomes output channel `i`.
    public let order: [Int]

    /// Fails (returns nil) unless `order` is a permutation of `0..<order.count`.
    public init?(_ order: [Int]) {
        guard order.sorted() == Array(0..<order.count) else { return nil }
        self.order = order
    }

    /// Applies the permutation.
    public func forward(_ x: [Plane]) throws(FlowsError) -> [Plane] {
        guard x.count == order.count else { throw FlowsError.shapeMismatch("permutation of \(order.count) channels got \(x.count)") }
        return order.map { x[$0] }
    }

    /// Undoes the permutation.
    public func inverse(_ z: [Plane]) throws(FlowsError) -> [Plane] {
        guard z.count == order.count else { throw FlowsError.shapeMismatch("permutation of \(order.count) channels got \(z.count)") }
        var x = z
        for (i, source) in order.enumerated() { x[source] = z[i] }
        return x
    }
}
