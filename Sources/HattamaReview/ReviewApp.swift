import HattamaStore

/// The volunteer review web app; built by `buildReviewApplication` (see issue 6).
public enum ReviewApp {}
