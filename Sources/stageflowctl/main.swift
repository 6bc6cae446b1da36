import StageflowCLI

// `as Never` selects the Stageflowctl entry point (usage errors exit 2) over ArgumentParser's own `main()`.
await Stageflowctl.main() as Never
