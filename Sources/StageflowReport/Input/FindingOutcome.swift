/// What a scanner concluded about one element (or page) for one rule.
///
/// Only violations are issues: they count in the summary, the score and the gate. An item that needs review
/// is something the scanner could not decide (axe-core's `incomplete`, a heuristic without enough evidence);
/// it is listed apart and gated only on request (`--fail-on-review`).
public enum FindingOutcome: String, Codable, Sendable, Hashable, CaseIterable {
    /// The rule fails here.
    case violation
    /// The scanner could not decide; a person has to look.
    case needsReview
}

/// The outcome of one rule on one page, the unit the score counts: a violation when any element violates
/// it, else needs review when any element needs review, else passed when the scanner checked it there, else
/// inapplicable (nothing on the page the rule is about, or the page was not checked).
public enum RuleOutcome: String, Codable, Sendable, Hashable, CaseIterable {
    /// At least one violation of the rule on the page.
    case violation
    /// No violation, at least one item needing review.
    case needsReview
    /// Checked and nothing found.
    case passed
    /// Not checked on this page, or nothing on it to check.
    case inapplicable
}
