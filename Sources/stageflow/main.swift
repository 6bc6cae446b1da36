import StageflowEntry

resetSignalMask()
await StageflowCommand.runFromCommandLine()
