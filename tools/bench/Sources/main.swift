#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(BenchTool.main(Array(CommandLine.arguments.dropFirst())))
