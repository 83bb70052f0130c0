/// Which webhooks an event goes to: pure rules, applied after the storage query narrowed the candidates.
public enum SubscriptionMatcher {
    /// Whether `webhook` is subscribed to `event`.
    /// - Parameters:
    ///   - patternMatches: full-match test of a `resource_key_pattern` against a resource key.
    public static func matches(_ webhook: Webhook, _ event: Event, patternMatches: (String, String) -> Bool) -> Bool {
        guard webhook.status == .active else { return false }
        if let tenant = event.tenantId, tenant != webhook.tenantId { return false }
        guard EventTypeFilter.matchesAny(webhook.events, type: event.type) else { return false }
        guard scopeMatches(webhook, event) else { return false }
        if let pattern = webhook.resourceKeyPattern, !pattern.isEmpty {
            guard let key = event.resourceKey else { return false }
            return patternMatches(pattern, key)
        }
        return true
    }

    /// SYSTEM webhooks see every event; PROJECT webhooks the events of their project and its
    /// repositories; REPO webhooks the events of their repository.
    public static func scopeMatches(_ webhook: Webhook, _ event: Event) -> Bool {
        switch webhook.associationType {
        case .system:
            return true
        case .project:
            guard let project = webhook.associationId, let id = event.associationId else { return false }
            switch event.associationType {
            case .project?: return id == project
            case .repo?: return id.hasPrefix(project + ":")
            default: return false
            }
        case .repo:
            guard let repo = webhook.associationId else { return false }
            return event.associationType == .repo && event.associationId == repo
        }
    }
}
