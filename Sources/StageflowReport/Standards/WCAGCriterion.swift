/// The success criteria of WCAG 2.2 (and 4.1.1 Parsing, which 2.2 made obsolete): number, name, level and the
/// edition that introduced each, so findings can name the criterion they fail and gates can pick a standard
/// such as WCAG 2.1 AA.
public struct WCAGCriterion: Sendable, Hashable {
    /// The number, `1.4.3`.
    public let id: String
    /// The name, `Contrast (Minimum)`.
    public let title: String
    /// Its conformance level.
    public let level: WCAGLevel
    /// The edition that added it: 20 for WCAG 2.0, 21, 22.
    public let introducedIn: Int
    /// Whether WCAG 2.2 removed it (4.1.1 Parsing).
    public let isObsoleteIn22: Bool

    init(_ id: String, _ title: String, _ level: WCAGLevel, _ introducedIn: Int = 20, obsoleteIn22: Bool = false) {
        self.id = id
        self.title = title
        self.level = level
        self.introducedIn = introducedIn
        self.isObsoleteIn22 = obsoleteIn22
    }

    /// The W3C's Understanding document of the criterion.
    public var url: String {
        var slug = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber || character == "-" {
                slug.append(character)
            } else if character == " ", !slug.hasSuffix("-") {
                slug.append("-")
            }
        }
        return "https://www.w3.org/WAI/WCAG22/Understanding/\(slug).html"
    }

    /// Whether the criterion belongs to edition `edition` (20, 21, 22) of WCAG.
    public func isPart(ofEdition edition: Int) -> Bool {
        introducedIn <= edition && !(isObsoleteIn22 && edition >= 22)
    }

    /// The criterion with a number, if WCAG 2.2 (or 2.1, for 4.1.1) has it.
    public static func named(_ id: String) -> WCAGCriterion? { byId[id] }

    /// The criterion of an axe-style tag's digits: `111` is 1.1.1, `1410` is 1.4.10.
    static func fromTagDigits(_ digits: String) -> WCAGCriterion? {
        let characters = Array(digits)
        guard characters.count >= 3 else { return nil }
        return named("\(characters[0]).\(characters[1]).\(String(characters[2...]))")
    }

    private static let byId: [String: WCAGCriterion] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// Every criterion, in document order.
    public static let all: [WCAGCriterion] = [
        .init("1.1.1", "Non-text Content", .a),
        .init("1.2.1", "Audio-only and Video-only (Prerecorded)", .a),
        .init("1.2.2", "Captions (Prerecorded)", .a),
        .init("1.2.3", "Audio Description or Media Alternative (Prerecorded)", .a),
        .init("1.2.4", "Captions (Live)", .aa),
        .init("1.2.5", "Audio Description (Prerecorded)", .aa),
        .init("1.2.6", "Sign Language (Prerecorded)", .aaa),
        .init("1.2.7", "Extended Audio Description (Prerecorded)", .aaa),
        .init("1.2.8", "Media Alternative (Prerecorded)", .aaa),
        .init("1.2.9", "Audio-only (Live)", .aaa),
        .init("1.3.1", "Info and Relationships", .a),
        .init("1.3.2", "Meaningful Sequence", .a),
        .init("1.3.3", "Sensory Characteristics", .a),
        .init("1.3.4", "Orientation", .aa, 21),
        .init("1.3.5", "Identify Input Purpose", .aa, 21),
        .init("1.3.6", "Identify Purpose", .aaa, 21),
        .init("1.4.1", "Use of Color", .a),
        .init("1.4.2", "Audio Control", .a),
        .init("1.4.3", "Contrast (Minimum)", .aa),
        .init("1.4.4", "Resize Text", .aa),
        .init("1.4.5", "Images of Text", .aa),
        .init("1.4.6", "Contrast (Enhanced)", .aaa),
        .init("1.4.7", "Low or No Background Audio", .aaa),
        .init("1.4.8", "Visual Presentation", .aaa),
        .init("1.4.9", "Images of Text (No Exception)", .aaa),
        .init("1.4.10", "Reflow", .aa, 21),
        .init("1.4.11", "Non-text Contrast", .aa, 21),
        .init("1.4.12", "Text Spacing", .aa, 21),
        .init("1.4.13", "Content on Hover or Focus", .aa, 21),
        .init("2.1.1", "Keyboard", .a),
        .init("2.1.2", "No Keyboard Trap", .a),
        .init("2.1.3", "Keyboard (No Exception)", .aaa),
        .init("2.1.4", "Character Key Shortcuts", .a, 21),
        .init("2.2.1", "Timing Adjustable", .a),
        .init("2.2.2", "Pause, Stop, Hide", .a),
        .init("2.2.3", "No Timing", .aaa),
        .init("2.2.4", "Interruptions", .aaa),
        .init("2.2.5", "Re-authenticating", .aaa),
        .init("2.2.6", "Timeouts", .aaa, 21),
        .init("2.3.1", "Three Flashes or Below Threshold", .a),
        .init("2.3.2", "Three Flashes", .aaa),
        .init("2.3.3", "Animation from Interactions", .aaa, 21),
        .init("2.4.1", "Bypass Blocks", .a),
        .init("2.4.2", "Page Titled", .a),
        .init("2.4.3", "Focus Order", .a),
        .init("2.4.4", "Link Purpose (In Context)", .a),
        .init("2.4.5", "Multiple Ways", .aa),
        .init("2.4.6", "Headings and Labels", .aa),
        .init("2.4.7", "Focus Visible", .aa),
        .init("2.4.8", "Location", .aaa),
        .init("2.4.9", "Link Purpose (Link Only)", .aaa),
        .init("2.4.10", "Section Headings", .aaa),
        .init("2.4.11", "Focus Not Obscured (Minimum)", .aa, 22),
        .init("2.4.12", "Focus Not Obscured (Enhanced)", .aaa, 22),
        .init("2.4.13", "Focus Appearance", .aaa, 22),
        .init("2.5.1", "Pointer Gestures", .a, 21),
        .init("2.5.2", "Pointer Cancellation", .a, 21),
        .init("2.5.3", "Label in Name", .a, 21),
        .init("2.5.4", "Motion Actuation", .a, 21),
        .init("2.5.5", "Target Size (Enhanced)", .aaa, 21),
        .init("2.5.6", "Concurrent Input Mechanisms", .aaa, 21),
        .init("2.5.7", "Dragging Movements", .aa, 22),
        .init("2.5.8", "Target Size (Minimum)", .aa, 22),
        .init("3.1.1", "Language of Page", .a),
        .init("3.1.2", "Language of Parts", .aa),
        .init("3.1.3", "Unusual Words", .aaa),
        .init("3.1.4", "Abbreviations", .aaa),
        .init("3.1.5", "Reading Level", .aaa),
        .init("3.1.6", "Pronunciation", .aaa),
        .init("3.2.1", "On Focus", .a),
        .init("3.2.2", "On Input", .a),
        .init("3.2.3", "Consistent Navigation", .aa),
        .init("3.2.4", "Consistent Identification", .aa),
        .init("3.2.5", "Change on Request", .aaa),
        .init("3.2.6", "Consistent Help", .a, 22),
        .init("3.3.1", "Error Identification", .a),
        .init("3.3.2", "Labels or Instructions", .a),
        .init("3.3.3", "Error Suggestion", .aa),
        .init("3.3.4", "Error Prevention (Legal, Financial, Data)", .aa),
        .init("3.3.5", "Help", .aaa),
        .init("3.3.6", "Error Prevention (All)", .aaa),
        .init("3.3.7", "Redundant Entry", .a, 22),
        .init("3.3.8", "Accessible Authentication (Minimum)", .aa, 22),
        .init("3.3.9", "Accessible Authentication (Enhanced)", .aaa, 22),
        .init("4.1.1", "Parsing", .a, obsoleteIn22: true),
        .init("4.1.2", "Name, Role, Value", .a),
        .init("4.1.3", "Status Messages", .aa, 21),
    ]
}
