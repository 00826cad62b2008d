import Foundation
import RollbookCommandLine

exit(ReplayTool.runner.run(Array(CommandLine.arguments.dropFirst())))
