import StageflowEntry

await StageflowCommand.main()
