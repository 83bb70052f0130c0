import Testing

@testable import Messaging

@Suite("Ack coalescing")
struct AckCoalescerTests {
    typealias Settlement = (kind: SettleCommand.Kind, channel: UInt16, tag: UInt64)

    @Test func consecutiveAcksBecomeOneMultipleAck() {
        var coalescer = AckCoalescer()
        for tag in 1...5 as ClosedRange<UInt64> { coalescer.delivered(channel: 2, tag: tag) }
        let frames = coalescer.frames(for: (1...5).reversed().map { (.ack, 2, UInt64($0)) })
        #expect(frames == [.ack(channel: 2, tag: 5, multiple: true)])
    }

    @Test func anAckBehindAMessageInHandGoesOutAlone() {
        var coalescer = AckCoalescer()
        for tag in 1...4 as ClosedRange<UInt64> { coalescer.delivered(channel: 2, tag: tag) }
        #expect(
            coalescer.frames(for: [(.ack, 2, 2), (.ack, 2, 3)]) == [
                .ack(channel: 2, tag: 2, multiple: false), .ack(channel: 2, tag: 3, multiple: false),
            ])
        // Tag 1 settles: the run 1...3 is released, and only 1 still needs a frame.
        #expect(coalescer.frames(for: [(.ack, 2, 1)]) == [.ack(channel: 2, tag: 1, multiple: true)])
        #expect(coalescer.frames(for: [(.ack, 2, 4)]) == [.ack(channel: 2, tag: 4, multiple: true)])
    }

    @Test func rejectsGoFirstSoNoMultipleAckCoversThem() {
        var coalescer = AckCoalescer()
        for tag in 1...3 as ClosedRange<UInt64> { coalescer.delivered(channel: 3, tag: tag) }
        #expect(
            coalescer.frames(for: [(.ack, 3, 1), (.requeue, 3, 2), (.ack, 3, 3)]) == [
                .reject(channel: 3, tag: 2, requeue: true), .ack(channel: 3, tag: 3, multiple: true),
            ])
    }

    @Test func channelsAreIndependent() {
        var coalescer = AckCoalescer()
        coalescer.delivered(channel: 2, tag: 1)
        coalescer.delivered(channel: 3, tag: 1)
        coalescer.delivered(channel: 3, tag: 2)
        #expect(
            coalescer.frames(for: [(.ack, 3, 2), (.ack, 2, 1)]) == [
                .ack(channel: 2, tag: 1, multiple: true), .ack(channel: 3, tag: 2, multiple: false),
            ])
    }

    /// Random delivery and settlement orders against a model of the broker: every tag ends settled
    /// exactly as the consumer settled it, and no frame ever settles a message still in hand.
    @Test func randomOrdersSettleExactlyWhatWasSettled() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var coalescer = AckCoalescer()
            var unsettled = Set<UInt64>()  // at the broker
            var inHand: [UInt64] = []  // at the consumer
            var outcome: [UInt64: SettleCommand.Kind] = [:]  // what the consumer decided
            var brokerSaw: [UInt64: SettleCommand.Kind] = [:]
            var nextTag: UInt64 = 1
            for _ in 0..<60 {
                for _ in 0..<Int.random(in: 0...4, using: &generator) {
                    coalescer.delivered(channel: 2, tag: nextTag)
                    unsettled.insert(nextTag)
                    inHand.append(nextTag)
                    nextTag += 1
                }
                inHand.shuffle(using: &generator)
                let count = Int.random(in: 0...inHand.count, using: &generator)
                let batch: [Settlement] = inHand.prefix(count).map { tag in
                    let kind: SettleCommand.Kind = [.ack, .ack, .ack, .reject, .requeue].randomElement(using: &generator)!
                    outcome[tag] = kind
                    return (kind, 2, tag)
                }
                inHand.removeFirst(count)
                for frame in coalescer.frames(for: batch) {
                    switch frame {
                    case .ack(_, let tag, true):
                        for t in unsettled where t <= tag {
                            #expect(!inHand.contains(t), "a multiple ack covered tag \(t) still in hand")
                            brokerSaw[t] = .ack
                            unsettled.remove(t)
                        }
                    case .ack(_, let tag, false):
                        #expect(unsettled.remove(tag) != nil)
                        brokerSaw[tag] = .ack
                    case .reject(_, let tag, let requeue):
                        #expect(unsettled.remove(tag) != nil)
                        brokerSaw[tag] = requeue ? .requeue : .reject
                    }
                }
            }
            #expect(unsettled == Set(inHand))
            #expect(brokerSaw == outcome)
        }
    }
}
