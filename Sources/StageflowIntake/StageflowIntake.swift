/// What users hand in — target URLs and uploaded archives — checked before anything acts on it.
public enum StageflowIntake {}
