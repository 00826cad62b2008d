import Foundation
import RollbookCLI

exit(RollbookTool.main(Array(CommandLine.arguments.dropFirst())))
