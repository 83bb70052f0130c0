/// Turns the settlements of a consumer connection into as few frames as possible: acknowledgements
/// of consecutive delivery tags become one `basic.ack` with `multiple` set. Pure bookkeeping, used
/// by the connection thread only.
///
/// A multiple ack settles every unsettled tag up to its own on the channel, so it is sent only for
/// a run that starts at the oldest unsettled tag; an ack behind a message still in hand (a slow
/// endpoint, say) goes out on its own at once, so it never holds the prefetch window.
struct AckCoalescer {
    /// A frame to send.
    enum Frame: Equatable {
        case ack(channel: UInt16, tag: UInt64, multiple: Bool)
        case reject(channel: UInt16, tag: UInt64, requeue: Bool)
    }

    /// One channel's tags in delivery order, from the oldest not yet released.
    private struct Channel {
        var tags: [UInt64] = []
        var head = 0
        /// Tags already settled with the broker, waiting for the run before them.
        var sent: Set<UInt64> = []
    }

    private var channels: [UInt16: Channel] = [:]

    /// Notes a delivery handed to a consumer.
    mutating func delivered(channel: UInt16, tag: UInt64) {
        channels[channel, default: Channel()].tags.append(tag)
    }

    /// Forgets everything (the connection was lost; its tags mean nothing on the next one).
    mutating func reset() { channels.removeAll() }

    /// The frames for `settlements`: rejects first (a multiple ack must not cover them), then per
    /// channel one multiple ack for the settled run at the front, then single acks for the rest.
    mutating func frames(for settlements: [(kind: SettleCommand.Kind, channel: UInt16, tag: UInt64)]) -> [Frame] {
        var frames: [Frame] = []
        var acked: [UInt16: Set<UInt64>] = [:]
        var touched = Set<UInt16>()
        for s in settlements {
            touched.insert(s.channel)
            switch s.kind {
            case .ack: acked[s.channel, default: []].insert(s.tag)
            case .reject, .requeue:
                frames.append(.reject(channel: s.channel, tag: s.tag, requeue: s.kind == .requeue))
                channels[s.channel]?.sent.insert(s.tag)
            }
        }
        // Every channel with a settlement may release its front, rejects included.
        for id in touched.sorted() {
            let tags = acked[id] ?? []
            guard var channel = channels[id] else {
                // Not a tracked channel: settle each as asked.
                frames += tags.sorted().map { .ack(channel: id, tag: $0, multiple: false) }
                continue
            }
            // Release the settled run at the front; the newest tag acked now in it ends the run's ack.
            var last: UInt64?
            while channel.head < channel.tags.count {
                let tag = channel.tags[channel.head]
                if tags.contains(tag) {
                    last = tag
                } else if channel.sent.remove(tag) == nil {
                    break
                }
                channel.head += 1
            }
            if let last { frames.append(.ack(channel: id, tag: last, multiple: true)) }
            for tag in tags.sorted() where last.map({ tag > $0 }) ?? true {
                frames.append(.ack(channel: id, tag: tag, multiple: false))
                channel.sent.insert(tag)
            }
            if channel.head >= 1024 && channel.head * 2 >= channel.tags.count {
                channel.tags.removeFirst(channel.head)
                channel.head = 0
            }
            channels[id] = channel
        }
        return frames
    }
}
