await StageflowBench.runFromCommandLine()
