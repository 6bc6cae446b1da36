// The throwaway infrastructure (child processes, PostgreSQL clusters, the fixture site) is shared with the
// benchmark, so it lives in a library of its own; every test that imports the test support sees it too.
@_exported import StageflowThrowaway
