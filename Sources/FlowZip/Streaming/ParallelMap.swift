internal import Flows

/// Applies `transform` to every element on up to `threads` threads (`ParallelJobs.map`); results keep
/// their order, so the output does not depend on the thread count. The first error (by index) is rethrown.
func parallelMap<T: Sendable, R: Sendable>(
    _ items: [T], threads: Int, _ transform: @Sendable (T) throws -> R
) throws -> [R] {
    try ParallelJobs.map(items.count, threads: threads) { i throws in try transform(items[i]) }
}
