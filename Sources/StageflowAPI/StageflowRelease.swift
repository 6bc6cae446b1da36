/// Which release of Stageflow this build is: what `stageflow version` and `stageflow --version` print and the
/// container image is labelled with.
public enum StageflowRelease {
    /// The release version, semantic versioning.
    public static let version = "0.1.0"
}
