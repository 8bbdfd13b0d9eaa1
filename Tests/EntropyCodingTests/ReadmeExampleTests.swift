import Testing
import EntropyCoding

/// Runs the example at the top of Sources/EntropyCoding/README.md (keep the two in step).
@Suite struct ReadmeExampleTests {
    @Test func readmeExampleDecodesWhatItEncoded() throws {
        var stack = RansStack()
        let prior = DiscretizedLogistic(meanQ8: 3 * 256, scaleQ8: 2 * 256, support: -255...255)
        stack.push(escaping: 5, prior)
        stack.push(escaping: Int32.min, prior)
        stack.pushUniform(41, count: 1000)
        let stream = stack.bytes

        var decoder = try RansStack(bytes: stream)
        #expect(decoder.popUniform(count: 1000) == 41)
        #expect(decoder.pop(escaping: prior) == Int32.min)
        #expect(decoder.pop(escaping: prior) == 5)
        #expect(decoder.isAtInitialState)
    }

    @Test func docCommentExampleOfRansStackHolds() throws {
        var stack = RansStack()
        let dist = DiscretizedLogistic(meanQ8: 256, scaleQ8: 256, support: 0...2)
        stack.push(2, dist)
        stack.push(0, dist)
        var decoder = try RansStack(bytes: stack.bytes)
        #expect(decoder.pop(dist) == 0)
        #expect(decoder.pop(dist) == 2)
        #expect(decoder.isAtInitialState)
    }
}
