import StageflowClient

/// The API client's list options, named apart from the store's `ListOptions`.
typealias ClientListOptions = ListOptions
