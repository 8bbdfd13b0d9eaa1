#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import Flows

/// `ParallelJobs`: results in order whatever the thread count, jobs dealt to exactly that many
/// threads, the first error by index, and `pair` never leaving a thread behind.
struct ParallelJobsTests {
    struct Failure: Error, Equatable { let index: Int }

    @Test(arguments: [1, 2, 3, 8, 64])
    func resultsKeepIndexOrder(threads: Int) {
        for count in [0, 1, 2, 10, 33] {
            #expect(ParallelJobs.map(count, threads: threads) { $0 * $0 } == (0..<count).map { $0 * $0 })
        }
    }

    #if canImport(Glibc)
    /// Worker `w` runs jobs `w, w + threads, ...`, and worker 0 is the calling thread.
    @Test(arguments: [2, 3, 5])
    func jobsAreDealtToThatManyThreads(threads: Int) {
        let caller = pthread_self()
        let ran = ParallelJobs.map(4 * threads + 1, threads: threads) { _ in pthread_self() }
        #expect(Set(ran).count == threads)
        #expect(ran[0] == caller)
        #expect(ran.indices.allSatisfy { ran[$0] == ran[$0 % threads] })
        // Fewer jobs than threads: one thread per job.
        #expect(Set(ParallelJobs.map(2, threads: 8) { _ in pthread_self() }).count == 2)
    }
    #endif

    @available(macOS 15, *)
    @Test(arguments: [1, 2, 4])
    func rethrowsTheFirstErrorByIndex(threads: Int) {
        let ran = Atomic<Int>(0)
        #expect(throws: Failure(index: 3)) {
            try ParallelJobs.map(9, threads: threads) { i throws(Failure) -> Int in
                ran.add(1, ordering: .relaxed)
                if i == 3 || i == 7 || i == 8 { throw Failure(index: i) }
                return i
            }
        }
        // On threads every job runs before the error is rethrown; on one, the jobs after it are skipped.
        let count = ran.load(ordering: .relaxed)
        #expect(count == (threads == 1 ? 4 : 9))
    }

    @Test func typedErrorsStayTyped() {
        let result = Result { () throws(Failure) -> [Int] in
            try ParallelJobs.map(5, threads: 2) { i throws(Failure) -> Int in
                if i == 4 { throw Failure(index: i) }
                return i
            }
        }
        #expect(result == .failure(Failure(index: 4)))
    }

    @Test func pairReturnsBothResults() {
        let (a, b) = ParallelJobs.pair({ "first" }, beside: { 42 })
        #expect(a == "first" && b == 42)
    }

    @available(macOS 15, *)
    @Test func pairWaitsForTheSecondJobWhenTheFirstThrows() {
        let finished = Atomic<Bool>(false)
        #expect(throws: Failure(index: 0)) {
            try ParallelJobs.pair({ () throws(Failure) -> Int in throw Failure(index: 0) }, beside: {
                usleep(20_000)  // still running when the first job has already thrown
                finished.store(true, ordering: .releasing)
            })
        }
        let done = finished.load(ordering: .acquiring)
        #expect(done)
    }

    #if canImport(Glibc)
    @Test func pairRunsTheFirstJobOnTheCallerAndTheSecondBeside() {
        let caller = pthread_self()
        let (first, second) = ParallelJobs.pair({ pthread_self() }, beside: { pthread_self() })
        #expect(first == caller)
        #expect(second != caller)
    }
    #endif
}
